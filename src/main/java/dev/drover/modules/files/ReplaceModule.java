package dev.drover.modules.files;

import dev.drover.connection.ConnectionException;
import dev.drover.module.Args;
import dev.drover.module.Change;
import dev.drover.module.Diff;
import dev.drover.module.Module;
import dev.drover.module.ModuleContext;
import dev.drover.module.ModuleException;
import dev.drover.module.ModuleSpec;
import dev.drover.module.Param;
import dev.drover.module.ParamType;
import dev.drover.module.Plan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ansible.builtin.replace: {@code re.subn(regexp, replace, section)} with MULTILINE, where the
 * section is the whole file or what lies between {@code after} and {@code before} (DOTALL,
 * non-greedy when both are given). Patterns and templates are Python's (see {@link PyRegex}).
 */
public final class ReplaceModule implements Module {
    private static final ModuleSpec SPEC;

    static {
        List<Param> params = new ArrayList<>(List.of(
                Param.required("path", ParamType.PATH).withAliases("dest", "destfile", "name"),
                Param.required("regexp", ParamType.STR),
                Param.of("replace", ParamType.STR).withDefault(""),
                Param.of("after", ParamType.STR),
                Param.of("before", ParamType.STR),
                Param.of("encoding", ParamType.STR).withDefault("utf-8")));
        params.addAll(TextEdit.commonParams());
        SPEC = new ModuleSpec("replace", List.of(), params, null, false);
    }

    @Override
    public ModuleSpec spec() {
        return SPEC;
    }

    @Override
    public Plan plan(ModuleContext ctx) throws ModuleException, ConnectionException {
        Args a = ctx.args();
        String path = FileSupport.expand(ctx, a.requireStr("path"));
        String enc = a.str("encoding").toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        if (!enc.equals("utf-8") && !enc.equals("utf8")) {
            throw new ModuleException("encoding " + a.str("encoding") + " is not supported by drover's replace (only utf-8)");
        }
        TextEdit.Target t = TextEdit.read(ctx, path);
        if (t.state().isDirectory()) {
            throw new ModuleException("Path " + path + " is a directory !", Map.of("rc", 256));
        }
        if (!t.state().exists()) {
            throw new ModuleException("Path " + path + " does not exist !", Map.of("rc", 257));
        }
        String contents = t.content();
        String after = a.str("after");
        String before = a.str("before");
        if (after != null && after.isEmpty()) {
            after = null;
        }
        if (before != null && before.isEmpty()) {
            before = null;
        }
        String pattern = after != null && before != null ? after + "(?P<subsection>.*?)" + before
                : after != null ? after + "(?P<subsection>.*)"
                : before != null ? "(?P<subsection>.*)" + before : "";
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("rc", 0);
        String section = contents;
        int start = 0;
        int end = contents.length();
        if (!pattern.isEmpty()) {
            Matcher m = PyRegex.compile(pattern, Pattern.DOTALL).matcher(contents);
            if (!m.find()) {
                String msg = "Pattern for before/after params did not match the given file: " + pattern;
                values.put("msg", msg);
                return Plan.nothing(msg, values);
            }
            start = m.start("subsection");
            end = m.end("subsection");
            section = m.group("subsection");
        }
        int[] count = new int[1];
        String replaced = PyRegex.sub(PyRegex.compile(a.requireStr("regexp"), Pattern.MULTILINE),
                a.str("replace"), section, count);
        String result = contents;
        String msg = "";
        if (count[0] > 0 && !section.equals(replaced)) {
            result = contents.substring(0, start) + replaced + contents.substring(end);
            msg = count[0] + " replacements made";
        }
        List<Change> changes = new ArrayList<>();
        msg = TextEdit.plan(ctx, t, result, msg, changes);
        values.put("msg", msg);
        if (changes.isEmpty()) {
            return Plan.nothing("nothing to replace", values);
        }
        Plan.Builder plan = Plan.builder().values(values);
        changes.forEach(plan::change);
        if (ctx.wantsDiff() && !result.equals(contents)) {
            plan.diff(new Diff(path, path, contents, result));
        }
        List<Change> planned = List.copyOf(changes);
        return plan.reason(msg).mapper((v, results) -> TextEdit.results(v, planned, results, path)).build();
    }
}
