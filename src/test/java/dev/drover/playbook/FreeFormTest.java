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

    // the expected values are what ansible-playbook 2.14 wrote for the same arguments (copy content=…,
    // shell, set_fact), checked byte by byte with od
    @Test
    void escapesAreDecodedInArgumentsAsParseKvDoes() {
        assertEquals("x\ty\nz\\n A \u00e9 'q\"'",
                FreeForm.parse("dest=/tmp/a content=\"x\\ty\\nz\\\\n \\x41 \\u00e9 'q\\\"'\"").get("content"));
        assertEquals("s\nt", FreeForm.parse("content='s\\nt'").get("content"));
        assertEquals("1\"2", FreeForm.parse("w=\"1\\\"2\"").get("w"));
        assertEquals("a\\=b", FreeForm.parse("v=a\\=b").get("v"), "an escaped '=' is not decoded");
        assertEquals("\u2603", FreeForm.parse("s=\\N{SNOWMAN}").get("s"));
        // Ansible's decode fails with a Python traceback on it; drover keeps it as written
        assertEquals("\\N{NO SUCH NAME}", FreeForm.parse("s=\"\\N{NO SUCH NAME}\"").get("s"));
    }

    @Test
    void aCommandLineKeepsItsEscapesForTheShell() {
        assertEquals(Map.of("_raw_params", "printf '%s|' a\\nb \"c\\td\"", "chdir", "/tmp\tx"),
                FreeForm.parse("printf '%s|' a\\nb \"c\\td\" chdir=/tmp\\tx", true));
    }
}
