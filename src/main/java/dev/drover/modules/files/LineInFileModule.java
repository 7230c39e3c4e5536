package dev.drover.modules.files;

import dev.drover.connection.ConnectionException;
import dev.drover.module.Args;
import dev.drover.module.Change;
import dev.drover.module.Diff;
import dev.drover.module.FileState;
import dev.drover.module.HostView;
import dev.drover.module.MakeDirectory;
import dev.drover.module.Module;
import dev.drover.module.ModuleContext;
import dev.drover.module.ModuleException;
import dev.drover.module.ModuleSpec;
import dev.drover.module.Param;
import dev.drover.module.ParamType;
import dev.drover.module.Plan;
import dev.drover.module.WriteFile;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * ansible.builtin.lineinfile, following Ansible's algorithm line for line (lines keep their
 * endings; a regexp or search_string match is replaced, else the line is inserted after
 * insertafter / before insertbefore, else at EOF). The file is read through the host view, so
 * check mode sees what earlier steps would have written.
 */
public final class LineInFileModule implements Module {
    private static final ModuleSpec SPEC = new ModuleSpec("lineinfile", List.of(), FileParams.with(
            Param.required("path", ParamType.PATH).withAliases("dest", "destfile", "name"),
            Param.of("state", ParamType.STR).withDefault("present").withChoices("absent", "present"),
            Param.of("regexp", ParamType.STR).withAliases("regex"),
            Param.of("search_string", ParamType.STR),
            Param.of("line", ParamType.STR).withAliases("value"),
            Param.of("insertafter", ParamType.STR),
            Param.of("insertbefore", ParamType.STR),
            Param.of("backrefs", ParamType.BOOL).withDefault(false),
            Param.of("create", ParamType.BOOL).withDefault(false),
            Param.of("backup", ParamType.BOOL).withDefault(false),
            Param.of("firstmatch", ParamType.BOOL).withDefault(false),
            Param.of("validate", ParamType.STR)), null, false);

    @Override
    public ModuleSpec spec() {
        return SPEC;
    }

    @Override
    public PathProbe pathProbe() {
        return new PathProbe("path", true);
    }

    @Override
    public Plan plan(ModuleContext ctx) throws ModuleException, ConnectionException {
        Args a = ctx.args();
        String path = FileSupport.expand(ctx, a.requireStr("path"));
        String regexp = a.str("regexp");
        String search = a.str("search_string");
        String line = a.str("line");
        String after = a.str("insertafter");
        String before = a.str("insertbefore");
        boolean present = a.str("state").equals("present");
        if (regexp != null && search != null) {
            throw new ModuleException("parameters are mutually exclusive: regexp|search_string");
        }
        if (after != null && before != null) {
            throw new ModuleException("parameters are mutually exclusive: insertbefore|insertafter");
        }
        if (a.bool("backrefs") && regexp == null) {
            throw new ModuleException("regexp is required with backrefs=true");
        }
        if (present && line == null) {
            throw new ModuleException("state is present but all of the following are missing: line");
        }
        if (!present && line == null && regexp == null && search == null) {
            throw new ModuleException("one of line, search_string, or regexp is required with state=absent");
        }

        HostView host = ctx.host();
        FileState target = FileSupport.follow(host, path); // carries the link's final path: written there
        if (target.isDirectory()) {
            throw new ModuleException("Path " + path + " is a directory !", Map.of("rc", 256));
        }
        List<Change> changes = new ArrayList<>();
        List<String> lines;
        if (!target.exists()) {
            if (!present) {
                return Plan.nothing("file not present", Map.of("msg", "file not present", "backup", ""));
            }
            if (!a.bool("create")) {
                throw new ModuleException("Destination " + path + " does not exist !", Map.of("rc", 257));
            }
            String parent = FileSupport.parent(path);
            if (parent != null) {
                for (String d : FileSupport.missingDirectories(host, parent)) {
                    changes.add(new MakeDirectory(d, null, null, null));
                }
            }
            lines = new ArrayList<>();
        } else {
            lines = splitLines(host.read(target.path()).map(b -> new String(b, StandardCharsets.UTF_8)).orElse(""));
        }
        String original = String.join("", lines);

        Plan.Builder plan = Plan.builder();
        String msg;
        if (present) {
            msg = present(lines, compile(regexp), search, line,
                    after == null ? null : after, before == null ? null : before,
                    after != null && !after.equals("EOF") && !after.equals("BOF") ? compile(after)
                            : before != null && !before.equals("BOF") ? compile(before) : null,
                    a.bool("backrefs"), a.bool("firstmatch"));
        } else {
            int found = absent(lines, compile(regexp), search, line);
            plan.value("found", found);
            msg = found > 0 ? found + " line(s) removed" : "";
        }
        String content = String.join("", lines);
        boolean contentChanged = !content.equals(original) || !target.exists();
        String mode = a.mode("mode");
        String owner = a.str("owner");
        String group = a.str("group");
        String writePath = target.exists() ? target.path() : path;
        if (contentChanged) {
            WriteFile write = new WriteFile(writePath, content.getBytes(StandardCharsets.UTF_8), mode, owner, group,
                    FileSupport.replaced(target));
            String validate = a.str("validate");
            boolean backup = a.bool("backup") && target.exists();
            changes.add(validate != null || backup ? new InstallFile(write, validate, backup) : write);
        } else {
            Optional<Change> attrs = FileSupport.attributes(ctx, target, mode, owner, group, false);
            if (attrs.isPresent()) {
                changes.add(attrs.get());
                msg = "ownership, perms or SE linux context changed";
            }
        }
        if (contentChanged && !changes.isEmpty() && target.exists()
                && FileSupport.attributes(ctx, target, mode, owner, group, false).isPresent()) {
            msg = msg + " and ownership, perms or SE linux context changed";
        }
        plan.value("msg", msg).value("backup", "");
        if (changes.isEmpty()) {
            return Plan.nothing(msg.isEmpty() ? "line is as asked" : msg, plan.build().values());
        }
        changes.forEach(plan::change);
        if (ctx.wantsDiff() && contentChanged) {
            plan.diff(new Diff(path + " (content)", path + " (content)", original, content));
        }
        List<Change> planned = List.copyOf(changes);
        return plan.reason(msg).mapper((values, results) -> {
            Map<String, Object> out = InstallFile.mapResults(values, planned, results, path);
            if (out.containsKey("backup_file")) {
                out.put("backup", out.remove("backup_file"));
            }
            return out;
        }).build();
    }

    private static Pattern compile(String regex) throws ModuleException {
        if (regex == null) {
            return null;
        }
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new ModuleException("invalid regular expression '" + regex + "': " + e.getDescription());
        }
    }

    /** Lines with their endings, as Python's readlines(). */
    static List<String> splitLines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                lines.add(text.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < text.length()) {
            lines.add(text.substring(start));
        }
        return lines;
    }

    private static String chomp(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        return s.substring(0, end);
    }

    private static boolean endsWithNewline(String s) {
        return s.endsWith("\n") || s.endsWith("\r");
    }

    /** Ansible's present(): edits {@code lines} in place, returns the message. */
    static String present(List<String> lines, Pattern regexp, String search, String line, String insertafter,
                          String insertbefore, Pattern ins, boolean backrefs, boolean firstmatch) {
        int matchIndex = -1;
        int insIndex = -1;
        Matcher match = null;
        boolean exactLineMatch = false;
        if (regexp != null) {
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = regexp.matcher(lines.get(i));
                if (m.find()) {
                    matchIndex = i;
                    match = m;
                    if (firstmatch) {
                        break;
                    }
                }
            }
        }
        boolean searchMatched = false;
        if (search != null) {
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains(search)) {
                    matchIndex = i;
                    searchMatched = true;
                    if (firstmatch) {
                        break;
                    }
                }
            }
        }
        if (match == null && !searchMatched) {
            for (int i = 0; i < lines.size(); i++) {
                String cur = lines.get(i);
                if (line.equals(chomp(cur))) {
                    matchIndex = i;
                    exactLineMatch = true;
                } else if (ins != null && ins.matcher(cur).find()) {
                    if (insertafter != null) {
                        insIndex = i + 1;
                        if (firstmatch) {
                            break;
                        }
                    }
                    if (insertbefore != null) {
                        insIndex = i;
                        if (firstmatch) {
                            break;
                        }
                    }
                }
            }
        }
        if (matchIndex != -1) {
            String newLine = backrefs && match != null ? expand(match, line) : line;
            if (!newLine.endsWith("\n")) {
                newLine += "\n";
            }
            if (!lines.get(matchIndex).equals(newLine)) {
                lines.set(matchIndex, newLine);
                return "line replaced";
            }
            return "";
        }
        if (backrefs) {
            return ""; // not safe to build the line without a match for its backrefs
        }
        if ("BOF".equals(insertbefore) || "BOF".equals(insertafter)) {
            lines.add(0, line + "\n");
            return "line added";
        }
        if ("EOF".equals(insertafter) || insIndex == -1) {
            if (!lines.isEmpty() && !endsWithNewline(lines.get(lines.size() - 1))) {
                lines.add("\n");
            }
            lines.add(line + "\n");
            return "line added";
        }
        if (insertafter != null) {
            if (lines.size() == insIndex) {
                if (!chomp(lines.get(insIndex - 1)).equals(line)) {
                    lines.add(line + "\n");
                    return "line added";
                }
                return "";
            }
            if (!line.equals(chomp(lines.get(insIndex)))) {
                lines.add(insIndex, line + "\n");
                return "line added";
            }
            return "";
        }
        lines.add(insIndex, line + "\n");
        return "line added";
    }

    /** Ansible's absent(): removes matching lines, returns how many. */
    static int absent(List<String> lines, Pattern regexp, String search, String line) {
        int before = lines.size();
        lines.removeIf(cur -> regexp != null ? regexp.matcher(cur).find()
                : search != null ? cur.contains(search) : line.equals(chomp(cur)));
        return before - lines.size();
    }

    /** Python's match.expand: \1, \g<1>, \g<name>; other escapes as Python handles \n, \t, \\. */
    static String expand(Matcher m, String template) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c != '\\' || i + 1 >= template.length()) {
                out.append(c);
                continue;
            }
            char n = template.charAt(++i);
            if (Character.isDigit(n)) {
                int j = i;
                while (j < template.length() && j < i + 2 && Character.isDigit(template.charAt(j))) {
                    j++;
                }
                int g = Integer.parseInt(template.substring(i, j));
                String v = g <= m.groupCount() ? m.group(g) : null;
                out.append(v == null ? "" : v);
                i = j - 1;
            } else if (n == 'g' && i + 1 < template.length() && template.charAt(i + 1) == '<') {
                int close = template.indexOf('>', i);
                String name = template.substring(i + 2, close);
                String v = name.matches("\\d+") ? m.group(Integer.parseInt(name)) : m.group(name);
                out.append(v == null ? "" : v);
                i = close;
            } else if (n == 'n') {
                out.append('\n');
            } else if (n == 't') {
                out.append('\t');
            } else if (n == '\\') {
                out.append('\\');
            } else {
                out.append('\\').append(n);
            }
        }
        return out.toString();
    }
}
