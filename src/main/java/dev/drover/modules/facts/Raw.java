package dev.drover.modules.facts;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fact probe's output, split into its sections ({@code \036NAME\n} then the section's text):
 * {@code F/path} a readable file's content, {@code D/path} a distribution file, others by name.
 */
final class Raw {
    private final Map<String, String> sections = new LinkedHashMap<>();

    Raw(String out) {
        for (String part : out.split("\036")) {
            int nl = part.indexOf('\n');
            if (nl <= 0) {
                continue;
            }
            sections.putIfAbsent(part.substring(0, nl), part.substring(nl + 1));
        }
    }

    /** The section's text, or empty when the probe did not print it. */
    Optional<String> section(String name) {
        return Optional.ofNullable(sections.get(name));
    }

    String text(String name) {
        return sections.getOrDefault(name, "");
    }

    /** A file as Ansible's get_file_content reads it: stripped, empty when absent or unreadable. */
    Optional<String> file(String path) {
        return section("F" + path).map(String::strip);
    }

    /** The section's lines (none when absent). */
    List<String> lines(String name) {
        String t = sections.get(name);
        return t == null || t.isEmpty() ? List.of() : List.of(t.split("\n"));
    }

    /** Every section whose name starts with {@code prefix}, in the probe's order, keyed without the prefix. */
    Map<String, String> withPrefix(String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        sections.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    /** {@code key=value} lines of a section, in order (the first of each key). */
    Map<String, String> pairs(String name) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : lines(name)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                out.putIfAbsent(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return out;
    }

    /** Whether a {@code key=value} line of the section names this value ({@code ex=/path}). */
    boolean has(String name, String line) {
        return lines(name).contains(line);
    }
}
