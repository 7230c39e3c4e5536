package dev.drover.inventory;

import dev.drover.yaml.YamlLoader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Node → data with YAML 1.1 scalars, like {@link YamlLoader#toData} but correct for plain scalars
 * whose {@code str} tag snakeyaml-engine resolved implicitly: {@code YamlLoader.scalar} (as of the
 * skeleton commit) returns those verbatim, so {@code yes}, {@code 0644} and {@code ~} stay text.
 * Here only an explicit {@code !!str} keeps a plain scalar as text. Drop this once YamlLoader is
 * fixed (the check there should be {@code !s.isResolved()}).
 */
final class Yaml11 {
    private Yaml11() {
    }

    static Object toData(Node node) {
        if (node instanceof ScalarNode s) {
            if (s.getScalarStyle() == ScalarStyle.PLAIN && s.isResolved()) {
                return YamlLoader.resolvePlain(s.getValue());
            }
            return YamlLoader.scalar(s);
        }
        if (node instanceof SequenceNode seq) {
            List<Object> list = new ArrayList<>();
            for (Node n : seq.getValue()) {
                list.add(toData(n));
            }
            return list;
        }
        if (node instanceof MappingNode map) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (NodeTuple t : map.getValue()) {
                Object key = toData(t.getKeyNode());
                if ("<<".equals(key) && t.getKeyNode() instanceof ScalarNode ks && ks.isPlain()) {
                    mergeInto(m, toData(t.getValueNode()));
                    continue;
                }
                m.put(YamlLoader.keyString(key), toData(t.getValueNode()));
            }
            return m;
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static void mergeInto(Map<String, Object> m, Object merged) {
        if (merged instanceof Map<?, ?> mm) {
            ((Map<String, Object>) mm).forEach(m::putIfAbsent);
        } else if (merged instanceof List<?> l) {
            for (Object o : l) {
                mergeInto(m, o);
            }
        }
    }
}
