package dev.drover.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class UnifiedDiffTest {
    @Test
    void changedLineInTheMiddle() {
        String d = UnifiedDiff.diff("before: f", "after: f", "a\nb\nc\n", "a\nB\nc\n");
        assertEquals("--- before: f\n+++ after: f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n", d);
    }

    @Test
    void newFileIsAllInsertions() {
        String d = UnifiedDiff.diff("before", "after: f", "", "x\ny\n");
        assertEquals("--- before\n+++ after: f\n@@ -0,0 +1,2 @@\n+x\n+y\n", d);
    }

    @Test
    void distantChangesMakeSeparateHunks() {
        StringBuilder a = new StringBuilder();
        for (int i = 1; i <= 20; i++) {
            a.append(i).append('\n');
        }
        String b = a.toString().replace("2\n", "two\n").replace("19\n", "nineteen\n");
        String d = UnifiedDiff.diff("a", "b", a.toString(), b);
        assertEquals(2, d.split("\n@@ ").length - 1 + (d.startsWith("@@") ? 1 : 0));
    }

    @Test
    void identicalTextsHaveNoHunk() {
        assertEquals("--- a\n+++ b\n", UnifiedDiff.diff("a", "b", "same\n", "same\n"));
    }
}
