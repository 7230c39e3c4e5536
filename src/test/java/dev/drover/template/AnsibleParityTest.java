package dev.drover.template;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rows of {template, vars, expected} whose expected text was produced by ansible-core 2.14's own
 * Templar (see src/test/resources/template/ansible-text-cases.jsonl). Each template starts with
 * "x" so both sides render to text and Python's printing is compared exactly.
 */
class AnsibleParityTest {
    private static final Templar TEMPLAR = Templar.create();

    static Stream<Arguments> cases() throws Exception {
        return rows("/template/ansible-text-cases.jsonl");
    }

    /** Template-module texts (escape_backslashes off, trailing newlines kept) rendered by ansible-core. */
    static Stream<Arguments> fileCases() throws Exception {
        return rows("/template/ansible-file-cases.jsonl");
    }

    /**
     * Lookups run by ansible-core with lookup-fixture/ as the playbook's directory; {@code @DIR@}
     * in a row stands for that directory's absolute path.
     */
    static Stream<Arguments> lookupCases() throws Exception {
        return rows("/template/ansible-lookup-cases.jsonl");
    }

    private static final String FIXTURE = java.nio.file.Path.of("src/test/resources/template/lookup-fixture")
            .toAbsolutePath().toString();

    private static Stream<Arguments> rows(String resource) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        List<Arguments> rows = new ArrayList<>();
        try (InputStream in = AnsibleParityTest.class.getResourceAsStream(resource);
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> row = mapper.readValue(line, LinkedHashMap.class);
                rows.add(Arguments.of(row.get("t"), row.get("v"), row.get("e")));
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rendersAsAnsible(String template, Map<String, Object> vars, String expected) throws Exception {
        assertEquals(expected, TEMPLAR.render(template, vars));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fileCases")
    void rendersTemplateFilesAsAnsible(String template, Map<String, Object> vars, String expected) throws Exception {
        assertEquals(expected, TEMPLAR.renderText(template, vars));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lookupCases")
    void runsLookupsAsAnsible(String template, Map<String, Object> vars, String expected) throws Exception {
        Map<String, Object> v = new LinkedHashMap<>(vars);
        v.put("playbook_dir", FIXTURE);
        assertEquals(expected.replace("@DIR@", FIXTURE), TEMPLAR.render(template.replace("@DIR@", FIXTURE), v));
    }
}
