package dev.drover.modules.ansible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.connection.CommandResult;
import dev.drover.module.ModuleException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A module's answer read as Ansible's action plugin reads it. */
class AnsibleResultTest {

    static CommandResult out(int rc, String stdout, String stderr) {
        return new CommandResult(rc, stdout.getBytes(StandardCharsets.UTF_8), stderr.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theJsonAmongOtherOutputWithItsWarnings() throws ModuleException {
        Map<String, Object> v = AnsibleResult.read(out(0, "noise before\n{\"changed\": true, \"stdout\": \"a\\nb\\n\","
                + " \"_ansible_no_log\": false, \"warnings\": [], \"ansible_facts\": {\"x\": 1,"
                + " \"discovered_interpreter_python\": \"/bad\"}}\ntrailing junk\n", ""), "/usr/bin/python3",
                Map.of("ansible_facts", Map.of("discovered_interpreter_python", "/usr/bin/python3"),
                        "warnings", List.of("from discovery")));
        assertEquals(true, v.get("changed"));
        assertEquals(List.of("a", "b"), v.get("stdout_lines"));
        assertEquals(Map.of("x", 1, "discovered_interpreter_python", "/usr/bin/python3"), v.get("ansible_facts"));
        assertEquals(List.of("Module invocation had junk after the JSON data: trailing junk", "from discovery"),
                v.get("warnings"));
        assertTrue(!v.containsKey("_ansible_no_log"));
    }

    @Test
    void aNonZeroRcWithoutFailedFails() {
        ModuleException e = assertThrows(ModuleException.class,
                () -> AnsibleResult.read(out(1, "{\"rc\": 3, \"msg\": \"boom\"}", ""), null, Map.of()));
        assertEquals("boom", e.getMessage());
        assertEquals(true, e.values().get("failed"));
        assertEquals(false, e.values().get("changed"));
    }

    @Test
    void noJsonIsAModuleFailureWithItsOutput() {
        ModuleException e = assertThrows(ModuleException.class,
                () -> AnsibleResult.read(out(1, "", "Traceback (most recent call last):\n  boom\n"), "/usr/bin/python3", Map.of()));
        assertEquals("MODULE FAILURE\nSee stdout/stderr for the exact error", e.getMessage());
        assertEquals(1, e.values().get("rc"));
        assertTrue(String.valueOf(e.values().get("exception")).startsWith("Traceback"));
        ModuleException missing = assertThrows(ModuleException.class,
                () -> AnsibleResult.read(out(127, "", "sh: 1: /usr/bin/python9: not found\n"), "/usr/bin/python9", Map.of()));
        assertTrue(missing.getMessage().startsWith("The module failed to execute correctly, you probably need to set the"
                + " interpreter."), missing.getMessage());
    }

    @Test
    void theInterpreterMapMatchesVersionsAsAnsibleDoes() {
        Map<String, String> debian = Map.of("8", "/usr/bin/python", "10", "/usr/bin/python3");
        assertEquals("/usr/bin/python3", Interpreter.fuzzy("12", debian));
        assertEquals("/usr/bin/python", Interpreter.fuzzy("9", debian));
        assertEquals("/usr/bin/python", Interpreter.fuzzy("7", debian));
        assertEquals("/usr/bin/python3", Interpreter.fuzzy("10", debian));
    }

    @Test
    void argumentsReachPythonAsTheirJsonValue() {
        String json = Json.write(Map.of("s", "it's \"q\" \\ é\n", "n", 3, "b", true, "l", List.of(1.5)));
        Object back = Json.parse(json);
        assertEquals(Map.of("s", "it's \"q\" \\ é\n", "n", 3, "b", true, "l", List.of(1.5)), back);
        String literal = Json.pythonLiteral(json);
        assertTrue(literal.chars().allMatch(c -> c >= 0x20 && c < 0x7f), literal); // ASCII: a valid Python literal
    }
}
