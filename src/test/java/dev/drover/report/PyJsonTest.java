package dev.drover.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expected texts are what ansible-playbook 2.14 printed for the same results. */
class PyJsonTest {
    @Test
    void compactFormSortsKeysWithPythonSeparators() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rc", 1);
        m.put("changed", true);
        m.put("cmd", List.of("/bin/false"));
        m.put("stdout_lines", List.of());
        assertEquals("{\"changed\": true, \"cmd\": [\"/bin/false\"], \"rc\": 1, \"stdout_lines\": []}", PyJson.dumps(m));
    }

    @Test
    void indentedFormAsDebugPrintsIt() {
        assertEquals("{\n    \"msg\": \"Hello world!\"\n}", PyJson.dumpsIndented(Map.of("msg", "Hello world!")));
        assertEquals("{\n    \"x\": [\n        1,\n        \"é\"\n    ]\n}", PyJson.dumpsIndented(Map.of("x", List.of(1, "é"))));
    }

    @Test
    void controlCharactersAreEscaped() {
        assertEquals("\"a\\nb\\t\\u0001\\\"\"", PyJson.dumps("a\nb\t\u0001\""));
    }
}
