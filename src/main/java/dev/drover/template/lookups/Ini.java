package dev.drover.template.lookups;

import dev.drover.template.Jinja;
import dev.drover.template.Py;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * ini: a key's value in a section of an INI file ({@code type=properties} for a Java properties
 * file), read as Python's configparser reads it: {@code =} or {@code :}, {@code #}/{@code ;}
 * comments, indented continuation lines, keys case-insensitive unless {@code case_sensitive},
 * {@code [DEFAULT]} inherited; {@code re=true} gives every value whose key matches.
 * Options: file (ansible.ini), section (global), default (''), re, type, case_sensitive.
 */
final class Ini implements Lookups.Lookup {
    @Override
    public List<Object> run(List<Object> terms, Map<String, Object> options) {
        List<Object> out = new ArrayList<>();
        for (Object t : terms) {
            Map<String, Object> params = new LinkedHashMap<>(options);
            String key = Py.str(t);
            if (key.contains("=") || key.strip().contains(" ")) {
                Map<String, String> kv = Terms.parseKv(key);
                key = kv.remove("_raw_params");
                if (key == null) {
                    throw Terms.error("No key to lookup was provided as first term with in string inline options: " + Py.str(t));
                }
                params.putAll(kv);
            }
            String file = Terms.option(params, "file", "ansible.ini");
            boolean properties = Terms.option(params, "type", "ini").equals("properties");
            String section = properties ? "java_properties" : Terms.option(params, "section", "global");
            boolean caseSensitive = Jinja.toBool(params.getOrDefault("case_sensitive", false));
            Path path = SearchPath.find(file, "files");
            Map<String, Map<String, String>> ini = parse((properties ? "[java_properties]\n" : "") + FileLookup.read(path),
                    caseSensitive, file);
            Map<String, String> values = ini.get(section);
            if (values == null) {
                throw Terms.error("No section '" + section + "' in " + file);
            }
            if (Jinja.toBool(params.getOrDefault("re", false))) {
                Pattern p = Jinja.regex(key, false, false);
                for (Map.Entry<String, String> e : values.entrySet()) {
                    if (p.matcher(e.getKey()).lookingAt()) {
                        out.add(e.getValue());
                    }
                }
                continue;
            }
            String k = caseSensitive ? key : key.toLowerCase();
            Object v = values.containsKey(k) ? values.get(k) : params.getOrDefault("default", "");
            if (v != null) {
                out.add(v);
            }
        }
        return out;
    }

    /** Sections (DEFAULT's keys merged into each) → keys → values. */
    static Map<String, Map<String, String>> parse(String text, boolean caseSensitive, String file) {
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        Map<String, String> defaults = new LinkedHashMap<>();
        Map<String, String> cur = null;
        String lastKey = null;
        for (String raw : text.split("\r\n|\n|\r")) {
            String line = raw.stripTrailing();
            String stripped = line.strip();
            if (stripped.isEmpty() || stripped.startsWith("#") || stripped.startsWith(";")) {
                lastKey = stripped.isEmpty() ? null : lastKey;
                continue;
            }
            if (cur != null && lastKey != null && Character.isWhitespace(line.charAt(0))) {
                cur.put(lastKey, cur.get(lastKey) + "\n" + stripped);
                continue;
            }
            if (stripped.startsWith("[") && stripped.endsWith("]")) {
                String name = stripped.substring(1, stripped.length() - 1);
                cur = name.equals("DEFAULT") ? defaults : sections.computeIfAbsent(name, n -> new LinkedHashMap<>());
                lastKey = null;
                continue;
            }
            if (cur == null) {
                throw Terms.error("File contains no section headers.\nfile: '<???>', line: 1\n" + Py.repr(raw));
            }
            int eq = stripped.indexOf('=');
            int colon = stripped.indexOf(':');
            int sep = eq < 0 ? colon : colon < 0 ? eq : Math.min(eq, colon);
            String k = (sep < 0 ? stripped : stripped.substring(0, sep)).strip();
            String v = sep < 0 ? null : stripped.substring(sep + 1).strip();
            k = caseSensitive ? k : k.toLowerCase();
            if (cur.containsKey(k)) {
                throw Terms.error("Duplicate option in '" + file + "': While reading from '<???>' [line "
                        + "?]: option '" + k + "' in section already exists");
            }
            cur.put(k, v);
            lastKey = k;
        }
        for (Map<String, String> s : sections.values()) {
            for (Map.Entry<String, String> d : defaults.entrySet()) {
                s.putIfAbsent(d.getKey(), d.getValue());
            }
        }
        return sections;
    }
}
