package dev.drover.inventory;

import dev.drover.yaml.Location;
import dev.drover.yaml.YamlLoader;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/** Ansible's YAML inventory plugin: {@code group: {hosts: {...}, vars: {...}, children: {...}}}. */
final class YamlInventoryParser {
    private final Model model;
    private final List<String> warnings;

    private YamlInventoryParser(Model model, List<String> warnings) {
        this.model = model;
        this.warnings = warnings;
    }

    /** Parses a composed YAML document (the caller checked it is a mapping). */
    static void parse(Model model, Node root, String file, List<String> warnings) throws InventoryException {
        if (root == null || isNull(root)) {
            throw new InventoryException(Location.of(file), "Parsed empty YAML file");
        }
        if (!(root instanceof MappingNode map)) {
            throw new InventoryException(YamlLoader.location(root),
                    "YAML inventory has invalid structure, it should be a mapping of groups (all: {hosts: ...}), got a "
                            + kind(root));
        }
        for (NodeTuple t : map.getValue()) {
            if ("plugin".equals(key(t.getKeyNode()))) {
                throw new InventoryException(YamlLoader.location(t.getKeyNode()),
                        "inventory plugin configuration files (plugin: ...) are not supported; "
                                + "use a static INI or YAML inventory");
            }
        }
        YamlInventoryParser p = new YamlInventoryParser(model, warnings);
        for (NodeTuple t : map.getValue()) {
            p.group(key(t.getKeyNode()), t.getValueNode(), t.getKeyNode());
        }
    }

    private static boolean isNull(Node n) {
        return n instanceof ScalarNode s && s.isPlain() && YamlLoader.toData(s) == null;
    }

    private static String kind(Node n) {
        if (n instanceof SequenceNode) {
            return "list";
        }
        if (n instanceof MappingNode) {
            return "mapping";
        }
        return "scalar '" + ((ScalarNode) n).getValue() + "'";
    }

    private static String key(Node n) {
        return YamlLoader.keyString(YamlLoader.toData(n));
    }

    private String group(String name, Node data, Node where) throws InventoryException {
        if (data != null && !(data instanceof MappingNode) && !isNull(data)) {
            warnings.add(YamlLoader.location(where) + ": Skipping '" + name
                    + "' as this is not a valid group definition");
            return null;
        }
        model.addGroup(name);
        if (!(data instanceof MappingNode map)) {
            return name;
        }
        for (NodeTuple t : map.getValue()) {
            String section = key(t.getKeyNode());
            Node value = t.getValueNode();
            if (section.equals("vars") || section.equals("children") || section.equals("hosts")) {
                if (value instanceof ScalarNode s && !isNull(s)) {
                    // Ansible turns a bare string into {string: None}
                    entry(name, section, s, null);
                    continue;
                }
                if (!(value instanceof MappingNode) && !isNull(value)) {
                    throw new InventoryException(YamlLoader.location(value), "Invalid \"" + section + "\" entry for \""
                            + name + "\" group, requires a dictionary, found a " + kind(value) + " instead.");
                }
            } else {
                if (value instanceof MappingNode || isNull(value)) {
                    warnings.add(YamlLoader.location(t.getKeyNode()) + ": Skipping unexpected key (" + section
                            + ") in group (" + name + "), only \"vars\", \"children\" and \"hosts\" are valid");
                } else {
                    warnings.add(YamlLoader.location(t.getKeyNode()) + ": Skipping key (" + section + ") in group ("
                            + name + ") as it is not a mapping");
                }
                continue;
            }
            if (value instanceof MappingNode entries) {
                for (NodeTuple e : entries.getValue()) {
                    entry(name, section, e.getKeyNode(), e.getValueNode());
                }
            }
        }
        return name;
    }

    private void entry(String group, String section, Node keyNode, Node value) throws InventoryException {
        String k = key(keyNode);
        Location where = YamlLoader.location(keyNode);
        switch (section) {
            case "vars" -> model.setGroupVar(group, k, value == null ? null : YamlLoader.toData(value), where);
            case "children" -> {
                String child = group(k, value, keyNode);
                if (child != null) {
                    model.addChild(group, child, where);
                }
            }
            default -> {
                HostRanges.HostKey hk = HostRanges.splitPort(k);
                List<String> names;
                try {
                    names = HostRanges.expand(hk.pattern());
                } catch (IllegalArgumentException e) {
                    throw new InventoryException(where, "Bad host pattern '" + k + "': " + e.getMessage());
                }
                Object vars = value == null ? null : YamlLoader.toData(value);
                if (vars != null && !(vars instanceof Map<?, ?>)) {
                    throw new InventoryException(YamlLoader.location(value), "Host '" + k + "' in group '" + group
                            + "' must map to its variables (key: value), got: " + vars);
                }
                for (String n : names) {
                    Model.MHost h = model.addHost(n, group, hk.port());
                    if (vars != null) {
                        for (Map.Entry<?, ?> e : ((Map<?, ?>) vars).entrySet()) {
                            h.vars.put(String.valueOf(e.getKey()), e.getValue());
                        }
                    }
                }
            }
        }
    }
}
