package dev.drover.template.filters;

import static dev.drover.template.Jinja.*;

import dev.drover.template.Py;
import dev.drover.template.TemplateException;
import dev.drover.yaml.YamlException;
import dev.drover.yaml.YamlLoader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/** to_yaml, to_nice_yaml (PyYAML's output), from_yaml, from_yaml_all. */
final class Yaml {
    private Yaml() {
    }

    static void register(Filters fs) {
        fs.add("to_yaml", (v, a, kw) -> yaml(v, false, kw));
        fs.add("to_nice_yaml", (v, a, kw) -> yaml(v, true, kw));
        Filters.Fn fromYaml = (v, a, kw) -> {
            try {
                return YamlLoader.loadData(Py.str(v), "<from_yaml>");
            } catch (YamlException e) {
                throw fail(new TemplateException("from_yaml: " + e.getMessage()));
            }
        };
        fs.add("from_yaml", fromYaml);
        fs.add("fromyaml", fromYaml);
        fs.add("from_yaml_all", (v, a, kw) -> {
            List<Object> out = new ArrayList<>();
            try {
                for (org.snakeyaml.engine.v2.nodes.Node node : YamlLoader.compose(Py.str(v), "<from_yaml_all>")) {
                    out.add(YamlLoader.toData(node));
                }
            } catch (YamlException e) {
                throw fail(new TemplateException("from_yaml_all: " + e.getMessage()));
            }
            return out;
        });
    }

    static String yaml(Object v, boolean nice, Map<String, Object> kw) {
        int indent = ((Number) kw.getOrDefault("indent", nice ? 4 : 2)).intValue();
        DumpSettings settings = DumpSettings.builder()
                .setDefaultFlowStyle(nice ? FlowStyle.BLOCK : FlowStyle.AUTO)
                .setIndent(indent)
                .setWidth(((Number) kw.getOrDefault("width", 80)).intValue())
                .setSchema(YAML11_SCHEMA)
                .build();
        return new Dump(settings).dumpToString(sortedPlain(plain(v)));
    }

    private static final Pattern YAML11_BOOL = Pattern.compile(
            "y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF");

    /** Core schema plus YAML 1.1's yes/no/on/off booleans, so that PyYAML's quoting is matched. */
    private static final org.snakeyaml.engine.v2.schema.Schema YAML11_SCHEMA = new org.snakeyaml.engine.v2.schema.CoreSchema() {
        private final org.snakeyaml.engine.v2.resolver.ScalarResolver core = super.getScalarResolver();

        @Override
        public org.snakeyaml.engine.v2.resolver.ScalarResolver getScalarResolver() {
            return (value, implicit) -> implicit && YAML11_BOOL.matcher(value).matches()
                    ? org.snakeyaml.engine.v2.nodes.Tag.BOOL : core.resolve(value, implicit);
        }
    };

    static Object sortedPlain(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new TreeMap<>(Comparator.comparing(Py::str));
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(e.getKey(), sortedPlain(e.getValue()));
            }
            return new LinkedHashMap<>(out);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object o : l) {
                out.add(sortedPlain(o));
            }
            return out;
        }
        if (v != null && !(v instanceof String || v instanceof Number || v instanceof Boolean)) {
            return v.toString();
        }
        return v;
    }
}
