package dev.drover.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The conservative Jinja2 syntax check: what Jinja2 refuses is found (messages worded as
 * Jinja2's), and no template Ansible renders is refused — among them every template of this
 * repository's playbooks, roles and test resources.
 */
class JinjaSyntaxTest {
    @Test
    void refusesWhatJinjaRefuses() {
        for (String bad : SAMPLES_BAD) {
            assertNotNull(JinjaSyntax.check(bad), bad);
        }
        assertEquals("expected token 'end of print statement', got 'b'", JinjaSyntax.check("{{ a b }}"));
        assertEquals("Unexpected end of template. Jinja was looking for the following tags: 'endfor'",
                JinjaSyntax.check("{% for x in y %}{{ x }}"));
    }

    /** Every sample this check refuses, Python's Jinja2 (3.1, Ansible's) refuses too: never a false refusal. */
    @Test
    void neverRefusesWhatPythonsJinjaParses() throws Exception {
        dev.drover.testing.Requirements.require("python3 with jinja2 (Ansible's)", Files.isDirectory(
                Path.of("/usr/lib/python3/dist-packages/jinja2")));
        List<String> samples = new ArrayList<>(SAMPLES_BAD);
        samples.addAll(SAMPLES_GOOD);
        Path in = Files.createTempFile("jinja-samples", ".txt");
        Files.writeString(in, String.join("\u0000", samples), StandardCharsets.UTF_8);
        Process p = new ProcessBuilder("python3", "-c", "import sys, jinja2\n"
                + "e = jinja2.Environment()\n"
                + "for t in open(sys.argv[1], encoding='utf-8').read().split('\\0'):\n"
                + "    try:\n        e.parse(t); print('ok')\n    except Exception:\n        print('refused')\n", in.toString())
                .redirectErrorStream(true).start();
        List<String> verdicts = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        p.waitFor();
        Files.delete(in);
        assertEquals(samples.size(), verdicts.size(), verdicts::toString);
        for (int i = 0; i < samples.size(); i++) {
            if (JinjaSyntax.check(samples.get(i)) != null) {
                assertEquals("refused", verdicts.get(i), "drover refuses what Jinja2 parses: " + samples.get(i));
            }
        }
    }

    private static final List<String> SAMPLES_BAD = List.of("{{ x }", "{{ (1 }}", "{{ a b }}", "{% for x in y %}",
            "{{ 1 + }}", "{{ }}", "{{ 'unterminated }}", "{% if a %}x{% endfor %}", "{# no end", "{{ [1, 2 }}", "{{ x | }}",
            "{{ 1 * * 2 }}", "{{ f(a) b }}", "{% endif %}", "{% else %}");
    private static final List<String> SAMPLES_GOOD = List.of("plain", "{{ x }}", "{{ {'a': 1}}}",
            "{{ x is divisibleby 3 }}", "{{ x is not sameas y }}",
            "{{ a if b else c }}", "{{ a if not b }}", "{{ x not in y }}", "{{ 'a' 'b' }}", "{{ -1 }}", "{{- x -}}",
            "{% if a %}1{% elif b %}2{% else %}3{% endif %}", "{% for i in l if i %}{{ loop.index }}{% else %}-{% endfor %}",
            "{% set x = 1 %}{% set y %}b{% endset %}", "{% raw %}{{ not parsed {% endraw %}", "{# a comment #}",
            "{{ x | default('') ~ y }}", "{{ lookup('env', 'HOME') }}", "{{ x.0.y['z'] }}", "{{ (a, b) }}",
            "{{ [1, 2,] }}", "{{ d.items() | list }}", "{{ '%s=%s' % (k, v) }}", "{{ x ** 2 // 3 }}",
            "{{ 1 if x == 'a' else 2 }}", "{% macro m(a, b=1) %}{{ a }}{% endmacro %}{{ m(1) }}",
            "{{ x | map(attribute='a') | select('match', '^b') | list }}", "{{ \"it's\" }}", "{{ 'a\\'b' }}",
            "text {{ x }} and {{ y }}", "{{ x is defined and x }}", "{{ not x }}", "{{ x | int > 1 }}",
            "{{ x is not defined or x | bool }}", "{{ a.b | d(c) }}", "{{ 1e3 }}", "{{ x[1:] }}", "{{ x[:-1] }}",
            "{{ dict(a=1) }}", "{{ range(1, 4) | list }}", "{{ none }}", "{{ x is string }}", "{{ y is not none }}");

    @Test
    void acceptsWhatJinjaAccepts() {
        for (String good : SAMPLES_GOOD) {
            assertNull(JinjaSyntax.check(good), good);
        }
    }

    @Test
    void everyTemplateOfThisRepositoryPasses() throws IOException {
        List<String> refused = new ArrayList<>();
        Pattern quoted = Pattern.compile("\"((?:[^\"\\\\\n]|\\\\.)*\\{[{%#](?:[^\"\\\\\n]|\\\\.)*)\"");
        int checked = 0;
        for (String root : List.of("playbooks", "examples", "src/test/resources", "bench")) {
            if (!Files.isDirectory(Path.of(root))) {
                continue;
            }
            List<Path> files;
            try (Stream<Path> s = Files.walk(Path.of(root))) {
                files = s.filter(Files::isRegularFile).filter(p -> p.toString().matches(".*\\.(j2|ya?ml)$")).toList();
            }
            for (Path f : files) {
                String text = Files.readString(f, StandardCharsets.UTF_8);
                if (f.toString().endsWith(".j2")) {
                    checked++;
                    String problem = JinjaSyntax.check(text);
                    if (problem != null) {
                        refused.add(f + ": " + problem);
                    }
                    continue;
                }
                // the double-quoted one-line YAML values holding a template
                Matcher m = quoted.matcher(text);
                while (m.find()) {
                    if (text.substring(0, m.start()).endsWith("!unsafe ")) { // never templated
                        continue;
                    }
                    String value = m.group(1).replace("\\\"", "\"").replace("\\\\", "\\");
                    checked++;
                    String problem = JinjaSyntax.check(value);
                    if (problem != null && !f.toString().contains("error") && !f.toString().contains("bad")) {
                        refused.add(f + ": " + value + ": " + problem);
                    }
                }
            }
        }
        assertTrue(checked > 50, "templates checked: " + checked);
        assertEquals(List.of(), refused);
    }
}
