package dev.drover.cli;

import dev.drover.playbook.FreeForm;
import dev.drover.yaml.YamlException;
import dev.drover.yaml.YamlLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code -e} values as ansible-playbook reads them: {@code @file}, JSON/YAML text, or {@code k=v} pairs. */
final class ExtraVars {
    private ExtraVars() {
    }

    static final class BadExtraVars extends Exception {
        private static final long serialVersionUID = 1L;

        BadExtraVars(String message) {
            super(message);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(List<String> values) throws BadExtraVars {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String v : values) {
            String text = v.trim();
            Object data;
            try {
                if (text.startsWith("@")) {
                    Path p = Path.of(text.substring(1));
                    if (!Files.isRegularFile(p)) {
                        throw new BadExtraVars("extra vars file not found: " + p);
                    }
                    data = YamlLoader.loadData(p);
                } else if (text.startsWith("{") || text.startsWith("[")) {
                    data = YamlLoader.loadData(text, "-e");
                } else {
                    Map<String, Object> kv = FreeForm.parse(text);
                    if (kv.containsKey(FreeForm.RAW)) {
                        throw new BadExtraVars("-e takes k=v pairs, JSON/YAML, or @file; got: " + text);
                    }
                    data = kv;
                }
            } catch (YamlException e) {
                throw new BadExtraVars("-e " + text + ": " + e.getMessage());
            }
            if (data == null) {
                continue;
            }
            if (!(data instanceof Map)) {
                throw new BadExtraVars("-e must give a mapping of variables, got: " + text);
            }
            out.putAll((Map<String, Object>) data);
        }
        return out;
    }
}
