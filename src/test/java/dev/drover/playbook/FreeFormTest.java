package dev.drover.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
