package dev.drover.inventory;

import dev.drover.yaml.Location;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Ansible's INI inventory plugin (2.14), line for line where it matters. */
final class IniParser {
    private static final Pattern SECTION = Pattern.compile("^\\[([^:\\]\\s]+)(?::(\\w+))?\\]\\s*(?:#.*)?$");
    private static final Pattern GROUP_NAME = Pattern.compile("^([^:\\]\\s]+)\\s*(?:#.*)?$");

    private final Model model;
    private final String file;
    private int lineNo;

    private IniParser(Model model, String file) {
        this.model = model;
        this.file = file;
    }

    private record Pending(int line, String state, String name, List<String> parents) {
    }

    static void parse(Model model, String file, String text) throws InventoryException {
        new IniParser(model, file).run(text);
    }

    private InventoryException error(int column, String message) {
        return new InventoryException(new Location(file, lineNo, column), message);
    }

    private void run(String text) throws InventoryException {
        Map<String, Pending> pending = new LinkedHashMap<>();
        String group = "ungrouped";
        String state = "hosts";
        String[] lines = text.split("\r?\n|\r", -1);
        for (String raw : lines) {
            lineNo++;
            String line = raw.strip();
            int column = raw.length() - raw.stripLeading().length() + 1;
            if (line.isEmpty() || line.charAt(0) == '#' || line.charAt(0) == ';') {
                continue;
            }
            Matcher m = SECTION.matcher(line);
            if (m.matches()) {
                group = m.group(1);
                state = m.group(2) == null ? "hosts" : m.group(2);
                if (!state.equals("hosts") && !state.equals("children") && !state.equals("vars")) {
                    throw error(column, "Section [" + group + ":" + state + "] has unknown type: " + state
                            + " (use [" + group + "], [" + group + ":vars] or [" + group + ":children])");
                }
                if (!model.groups.containsKey(group)) {
                    if (state.equals("vars") && !pending.containsKey(group)) {
                        pending.put(group, new Pending(lineNo, "vars", group, new ArrayList<>()));
                    }
                    model.addGroup(group);
                }
                Pending p = pending.get(group);
                if (p != null && !state.equals("vars")) {
                    if (p.state.equals("children")) {
                        for (String parent : p.parents) {
                            model.addChild(parent, group, new Location(file, p.line, 1));
                        }
                    }
                    pending.remove(group);
                }
                continue;
            } else if (line.startsWith("[") && line.endsWith("]")) {
                throw error(column, "Invalid section entry: '" + line + "'. Please make sure that there are no spaces"
                        + " in the section entry, and that there are no other invalid characters");
            }
            switch (state) {
                case "hosts" -> hostLine(line, column, group);
                case "vars" -> {
                    int eq = line.indexOf('=');
                    if (eq < 0) {
                        throw error(column, "Expected key=value in [" + group + ":vars], got: " + line);
                    }
                    String k = line.substring(0, eq).strip();
                    Object v = PyLiteral.parseValue(line.substring(eq + 1).strip());
                    model.setGroupVar(group, k, v, new Location(file, lineNo, column));
                }
                default -> { // children
                    Matcher g = GROUP_NAME.matcher(line);
                    if (!g.matches()) {
                        throw error(column, "Expected group name in [" + group + ":children], got: " + line);
                    }
                    String child = g.group(1);
                    if (!model.groups.containsKey(child)) {
                        Pending p = pending.get(child);
                        if (p == null) {
                            List<String> parents = new ArrayList<>();
                            parents.add(group);
                            pending.put(child, new Pending(lineNo, "children", child, parents));
                        } else {
                            p.parents.add(group);
                        }
                    } else {
                        model.addChild(group, child, new Location(file, lineNo, column));
                    }
                }
            }
        }
        for (Pending p : pending.values()) {
            lineNo = p.line;
            if (p.state.equals("vars")) {
                throw error(1, "Section [" + p.name + ":vars] not valid for undefined group: " + p.name
                        + " (declare it with [" + p.name + "] or list it under some [group:children])");
            }
            throw error(1, "Section [" + p.parents.get(p.parents.size() - 1) + ":children] includes undefined group: "
                    + p.name + " (add a [" + p.name + "] section)");
        }
    }

    private void hostLine(String line, int column, String group) throws InventoryException {
        List<String> tokens;
        try {
            tokens = PyLiteral.shlexSplit(line);
        } catch (IllegalArgumentException e) {
            throw error(column, "Error parsing host definition '" + line + "': " + e.getMessage());
        }
        if (tokens.isEmpty()) {
            return;
        }
        String key = tokens.get(0);
        HostRanges.HostKey hk = HostRanges.splitPort(key);
        if (hk.port() == null && key.strip().endsWith(":")) {
            throw error(column, "Invalid host pattern '" + key
                    + "' supplied, ending in ':' is not allowed, this character is reserved to provide a port.");
        }
        List<String> names;
        try {
            names = HostRanges.expand(hk.pattern());
        } catch (IllegalArgumentException e) {
            throw error(column, "Bad host pattern '" + key + "': " + e.getMessage());
        }
        Map<String, Object> vars = new LinkedHashMap<>();
        for (String t : tokens.subList(1, tokens.size())) {
            int eq = t.indexOf('=');
            if (eq < 0) {
                int col = line.indexOf(t);
                throw new InventoryException(new Location(file, lineNo, column + Math.max(col, 0)),
                        "Expected key=value host variable assignment, got: " + t);
            }
            vars.put(t.substring(0, eq), PyLiteral.parseValue(t.substring(eq + 1)));
        }
        for (String n : names) {
            Model.MHost h = model.addHost(n, group, hk.port());
            h.vars.putAll(vars);
        }
    }
}
