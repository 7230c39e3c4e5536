package dev.drover.modules.facts;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ansible_local} from {@code fact_path} (default /etc/ansible/facts.d), as Ansible 2.14's
 * local collector: every {@code *.fact} file in name order, run when executable, read otherwise;
 * its text parsed as JSON, else as INI (configparser: option names lower-cased, DEFAULT's
 * options in every section), else an error string; each failure is also a warning.
 */
final class LocalFacts {
    private LocalFacts() {
    }

    static void collect(Raw raw, Map<String, Object> f, List<String> warnings) {
        Map<String, Object> local = new LinkedHashMap<>();
        raw.withPrefix("L").forEach((key, body) -> {
            boolean exec = key.startsWith("x");
            String fn = key.substring(1);
            String base = fn.substring(fn.lastIndexOf('/') + 1).replace(".fact", "");
            String[] lines = body.split("\n", -1);
            byte[] out;
            if (exec) {
                int rc = Integer.parseInt(lines[0].strip());
                out = Base64.getDecoder().decode(lines.length > 1 ? lines[1].strip() : "");
                String err = new String(Base64.getDecoder().decode(lines.length > 2 ? lines[2].strip() : ""), StandardCharsets.UTF_8);
                if (rc != 0) {
                    String failed = "Failure executing fact script (" + fn + "), rc: " + rc + ", err: " + err;
                    local.put(base, failed);
                    warnings.add(failed);
                    return;
                }
            } else {
                out = Base64.getDecoder().decode(lines[0].strip());
            }
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(out)).toString();
            } catch (CharacterCodingException e) {
                String fact = "error loading fact - output of running \"" + fn + "\" was not utf-8";
                local.put(base, fact);
                warnings.add(fact);
                return;
            }
            Object fact;
            try {
                fact = new ObjectMapper().readValue(text, Object.class);
            } catch (java.io.IOException notJson) {
                fact = ini(text);
                if (fact == null) {
                    fact = "error loading facts as JSON or ini - please check content: " + fn;
                    warnings.add((String) fact);
                }
            }
            local.put(base, fact);
        });
        f.put("local", local);
    }

    /** configparser's reading of an INI text; null when it is not INI (text before any section header, a bad line). */
    static Map<String, Object> ini(String text) {
        Map<String, Map<String, Object>> sections = new LinkedHashMap<>();
        Map<String, Object> defaults = new LinkedHashMap<>();
        Map<String, Object> current = null;
        String lastKey = null;
        for (String raw : text.split("\n")) {
            String line = raw.stripTrailing();
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#") || t.startsWith(";")) {
                lastKey = t.isEmpty() ? null : lastKey;
                continue;
            }
            if (current != null && lastKey != null && Character.isWhitespace(line.charAt(0))) {
                current.put(lastKey, current.get(lastKey) + "\n" + t); // a continuation line
                continue;
            }
            if (t.startsWith("[") && t.endsWith("]")) {
                String name = t.substring(1, t.length() - 1);
                current = name.equals("DEFAULT") ? defaults : sections.computeIfAbsent(name, k -> new LinkedHashMap<>());
                lastKey = null;
                continue;
            }
            if (current == null) {
                return null; // MissingSectionHeaderError
            }
            int eq = indexOfDelimiter(t);
            String key;
            String value;
            if (eq < 0) {
                return null; // configparser without allow_no_value: ParsingError
            }
            key = t.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            value = t.substring(eq + 1).strip();
            current.put(key, value);
            lastKey = key;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        sections.forEach((name, opts) -> {
            Map<String, Object> merged = new LinkedHashMap<>(opts);
            defaults.forEach(merged::putIfAbsent);
            out.put(name, merged);
        });
        return out;
    }

    private static int indexOfDelimiter(String t) {
        int eq = t.indexOf('=');
        int colon = t.indexOf(':');
        if (eq < 0) {
            return colon;
        }
        return colon < 0 ? eq : Math.min(eq, colon);
    }

    static List<String> none() {
        return new ArrayList<>();
    }
}
