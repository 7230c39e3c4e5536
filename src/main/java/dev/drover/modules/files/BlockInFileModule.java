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
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ansible.builtin.blockinfile, following Ansible 2.14's algorithm: the block between the two
 * marker lines is replaced (or removed); without both markers it is inserted after the last line
 * matching insertafter (EOF by default) or before the last matching insertbefore (BOF), a
 * {@code (?m)} pattern being searched in the whole file. One read of the file through the view.
 */
public final class BlockInFileModule implements Module {
    private static final ModuleSpec SPEC;

    static {
        List<Param> params = new ArrayList<>(List.of(
                Param.required("path", ParamType.PATH).withAliases("dest", "destfile", "name"),
                Param.of("state", ParamType.STR).withDefault("present").withChoices("absent", "present"),
                Param.of("marker", ParamType.STR).withDefault("# {mark} ANSIBLE MANAGED BLOCK"),
                Param.of("block", ParamType.STR).withDefault("").withAliases("content"),
                Param.of("insertafter", ParamType.STR),
                Param.of("insertbefore", ParamType.STR),
                Param.of("create", ParamType.BOOL).withDefault(false),
                Param.of("marker_begin", ParamType.STR).withDefault("BEGIN"),
                Param.of("marker_end", ParamType.STR).withDefault("END")));
        params.addAll(TextEdit.commonParams());
        SPEC = new ModuleSpec("blockinfile", List.of(), params, null, false);
    }

    private static final Pattern MULTILINE_FLAG = Pattern.compile("^\\(\\?[aiLsux]*m[aiLmsux]*\\)");

    @Override
    public ModuleSpec spec() {
        return SPEC;
    }

    @Override
    public Plan plan(ModuleContext ctx) throws ModuleException, ConnectionException {
        Args a = ctx.args();
        String path = FileSupport.expand(ctx, a.requireStr("path"));
        String insertafter = a.str("insertafter");
        String insertbefore = a.str("insertbefore");
        if (insertafter != null && insertbefore != null) {
            throw new ModuleException("parameters are mutually exclusive: insertbefore|insertafter");
        }
        TextEdit.Target t = TextEdit.read(ctx, path);
        if (t.state().isDirectory()) {
            throw new ModuleException("Path " + path + " is a directory !", Map.of("rc", 256));
        }
        boolean present = a.str("state").equals("present");
        if (!t.state().exists()) {
            if (!a.bool("create")) {
                throw new ModuleException("Path " + path + " does not exist !", Map.of("rc", 257));
            }
        }
        String original = t.content();
        if (!present && original == null) {
            return Plan.nothing("File " + path + " not present", Map.of("msg", "File " + path + " not present"));
        }
        List<String> lines = original == null ? new ArrayList<>() : TextEdit.splitLines(original);

        if (insertbefore == null && insertafter == null) {
            insertafter = "EOF";
        }
        String insertPattern = insertafter != null && !insertafter.equals("EOF") ? insertafter
                : insertbefore != null && !insertbefore.equals("BOF") ? insertbefore : null;
        Pattern insertre = insertPattern == null ? null : PyRegex.compile(insertPattern, 0);

        String marker = a.str("marker");
        String marker0 = marker.replace("{mark}", a.str("marker_begin")) + "\n";
        String marker1 = marker.replace("{mark}", a.str("marker_end")) + "\n";
        String block = a.str("block");
        List<String> blocklines = new ArrayList<>();
        if (present && !block.isEmpty()) {
            if (!block.endsWith("\n")) {
                block += "\n";
            }
            blocklines.add(marker0);
            blocklines.addAll(TextEdit.splitLines(block));
            blocklines.add(marker1);
        }

        Integer n0 = null;
        Integer n1 = null;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).equals(marker0)) {
                n0 = i;
            }
            if (lines.get(i).equals(marker1)) {
                n1 = i;
            }
        }
        if (n0 == null || n1 == null) {
            n0 = null;
            if (insertre != null) {
                if (MULTILINE_FLAG.matcher(insertPattern).find()) {
                    Matcher m = insertre.matcher(original == null ? "" : original);
                    if (m.find()) {
                        String o = original == null ? "" : original;
                        n0 = count(o, insertafter != null ? m.end() : m.start());
                    }
                } else {
                    for (int i = 0; i < lines.size(); i++) {
                        if (insertre.matcher(lines.get(i)).find()) {
                            n0 = i;
                        }
                    }
                }
                if (n0 == null) {
                    n0 = lines.size();
                } else if (insertafter != null) {
                    n0 += 1;
                }
            } else if (insertbefore != null) {
                n0 = 0; // BOF
            } else {
                n0 = lines.size(); // EOF
            }
        } else if (n0 < n1) {
            lines.subList(n0, n1 + 1).clear();
        } else {
            lines.subList(n1, n0 + 1).clear();
            n0 = n1;
        }
        n0 = Math.min(n0, lines.size());
        if (n0 > 0 && !lines.get(n0 - 1).endsWith("\n")) {
            lines.set(n0 - 1, lines.get(n0 - 1) + "\n");
        }
        lines.addAll(n0, blocklines);
        String result = String.join("", lines);

        String msg;
        if (result.equals(original)) {
            msg = "";
        } else if (original == null) {
            msg = "File created";
        } else if (blocklines.isEmpty()) {
            msg = "Block removed";
        } else {
            msg = "Block inserted";
        }
        List<Change> changes = new ArrayList<>();
        msg = TextEdit.plan(ctx, t, result, msg, changes);
        Plan.Builder plan = Plan.builder().value("msg", msg);
        if (changes.isEmpty()) {
            return Plan.nothing("block is as asked", plan.build().values());
        }
        changes.forEach(plan::change);
        if (ctx.wantsDiff() && !result.equals(original)) {
            plan.diff(new Diff(path + " (content)", path + " (content)", original == null ? "" : original, result));
        }
        List<Change> planned = List.copyOf(changes);
        return plan.reason(msg).mapper((values, results) -> TextEdit.results(values, planned, results, path))
                .build();
    }

    /** {@code text.count('\n', 0, end)}. */
    private static int count(String text, int end) {
        int n = 0;
        for (int i = 0; i < end && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }
}
