package dev.drover.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FreeFormTest {
    @Test
    void pairsAndRawParamsAreSeparated() {
        assertEquals(Map.of("creates", "/tmp/x", "_raw_params", "touch /tmp/x"),
                FreeForm.parse("touch /tmp/x creates=/tmp/x"));
    }

    @Test
    void quotesGroupWordsAndAreRemovedFromValues() {
        assertEquals(Map.of("msg", "hello world", "dest", "it's"), FreeForm.parse("msg=\"hello world\" dest=\"it's\""));
        assertEquals(Map.of("_raw_params", "echo 'a b' c"), FreeForm.parse("echo 'a b' c"));
    }

    @Test
    void jinjaBlocksStayWhole() {
        assertEquals(Map.of("msg", "{{ a | join(' ') }}"), FreeForm.parse("msg={{ a | join(' ') }}"));
        assertEquals(List.of("x={{ 1 + 2 }}", "y"), FreeForm.split("x={{ 1 + 2 }} y"));
    }

    @Test
    void valuesStayTextAsAnsiblesParseKvLeavesThem() {
        assertEquals("0644", FreeForm.parse("mode=0644").get("mode"));
        assertEquals("yes", FreeForm.parse("force=yes").get("force"));
    }

    @Test
    void aCommandLineKeepsItsOwnWordEqualsValueAsAnsibleDoes() {
        assertEquals(Map.of("chdir", "/srv", "_raw_params", "podman ps --filter name=web"),
                FreeForm.parse("podman ps --filter name=web chdir=/srv", true));
        assertEquals(Map.of("_raw_params", "env A=1 arr=(1 2) sh -c true"),
                FreeForm.parse("env A=1 arr=(1 2) sh -c true", true));
        assertEquals(Map.of("creates", "/x", "removes", "/y", "_raw_params", "make"),
                FreeForm.parse("make creates=/x removes=/y", true));
        assertEquals("web", FreeForm.parse("name=web", false).get("name"), "other modules take any key");
        assertTrue(FreeForm.isCommandLine("ansible.builtin.shell"));
        assertTrue(!FreeForm.isCommandLine("copy"));
    }

    /** shell: | keeps its lines (ansible-playbook 2.14's cmd: "for p in a b; do\n  echo \"$p\"\ndone\n"). */
    @Test
    void aMultiLineCommandKeepsItsLines() {
        String script = "for p in {{ x | join(' ') }}; do\n  echo \"$p\"\ndone\n";
        assertEquals(Map.of("_raw_params", script), FreeForm.parse(script, true));
        assertEquals(Map.of("chdir", "/srv", "_raw_params", "ls -l"), FreeForm.parse("chdir=/srv\nls -l", true));
    }
}
