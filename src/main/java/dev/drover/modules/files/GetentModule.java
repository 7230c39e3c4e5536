package dev.drover.modules.files;

import dev.drover.connection.CommandResult;
import dev.drover.connection.ConnectionException;
import dev.drover.connection.ShellQuote;
import dev.drover.module.Args;
import dev.drover.module.Module;
import dev.drover.module.ModuleContext;
import dev.drover.module.ModuleException;
import dev.drover.module.ModuleSpec;
import dev.drover.module.Param;
import dev.drover.module.ParamType;
import dev.drover.module.Plan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ansible.builtin.getent: one {@code getent DATABASE [KEY] [-s SERVICE]} probe, its lines split
 * as Ansible 2.14 does (':' for passwd/shadow/group/gshadow, else white space, or {@code split})
 * into {@code ansible_facts.getent_DATABASE}: the first field is the key, the rest its value (a
 * list of lists when a key repeats). Never changes anything.
 */
public final class GetentModule implements Module {
    private static final ModuleSpec SPEC = ModuleSpec.of("getent",
            Param.required("database", ParamType.STR),
            Param.of("key", ParamType.STR),
            Param.of("service", ParamType.STR),
            Param.of("split", ParamType.STR),
            Param.of("fail_key", ParamType.BOOL).withDefault(true));
    private static final List<String> COLON = List.of("passwd", "shadow", "group", "gshadow");

    @Override
    public ModuleSpec spec() {
        return SPEC;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Plan plan(ModuleContext ctx) throws ModuleException, ConnectionException {
        Args a = ctx.args();
        String db = a.requireStr("database");
        String key = a.str("key");
        String split = a.str("split");
        if (split == null && COLON.contains(db)) {
            split = ":";
        }
        StringBuilder cmd = new StringBuilder("getent ").append(ShellQuote.quote(db));
        if (key != null) {
            cmd.append(' ').append(ShellQuote.quote(key));
        }
        if (a.has("service")) {
            cmd.append(" -s ").append(ShellQuote.quote(a.str("service")));
        }
        CommandResult r = ctx.host().probe(cmd.toString());
        Map<String, Object> tree = new LinkedHashMap<>();
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("getent_" + db, tree);
        switch (r.exitCode()) {
            case 0 -> {
                Map<String, Integer> seen = new LinkedHashMap<>();
                for (String line : CommandLines.split(r.out())) {
                    List<String> record = split == null ? pySplit(line) : new ArrayList<>(Arrays.asList(line.split(
                            java.util.regex.Pattern.quote(split), -1)));
                    if (record.isEmpty()) {
                        continue;
                    }
                    String k = record.get(0);
                    List<String> rest = new ArrayList<>(record.subList(1, record.size()));
                    Integer n = seen.get(k);
                    if (n == null) {
                        tree.put(k, rest);
                        seen.put(k, 1);
                    } else {
                        if (n == 1) {
                            List<Object> both = new ArrayList<>();
                            both.add(tree.get(k));
                            tree.put(k, both);
                        }
                        ((List<Object>) tree.get(k)).add(rest);
                        seen.put(k, n + 1);
                    }
                }
                return Plan.nothing("getent " + db, Map.of("ansible_facts", facts));
            }
            case 1 -> throw new ModuleException("Missing arguments, or database unknown.");
            case 2 -> {
                String msg = "One or more supplied key could not be found in the database.";
                if (!a.bool("fail_key")) {
                    tree.put(key, null);
                    Map<String, Object> v = new LinkedHashMap<>();
                    v.put("ansible_facts", facts);
                    v.put("msg", msg);
                    return Plan.nothing(msg, v);
                }
                throw new ModuleException(msg);
            }
            case 3 -> throw new ModuleException("Enumeration not supported on this database.");
            default -> throw new ModuleException("Unexpected failure!");
        }
    }

    /** Python's str.split() without a separator: runs of white space, no empty fields. */
    private static List<String> pySplit(String line) {
        String t = line.strip();
        return t.isEmpty() ? new ArrayList<>() : new ArrayList<>(Arrays.asList(t.split("\\s+")));
    }

    /** str.splitlines(). */
    private static final class CommandLines {
        static List<String> split(String s) {
            List<String> out = new ArrayList<>(Arrays.asList(s.split("\r\n|\n|\r", -1)));
            if (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
                out.remove(out.size() - 1);
            }
            return out;
        }
    }
}
