package dev.drover.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class ShellQuoteTest {

    private static String viaSh(String quoted) throws Exception {
        Process p = new ProcessBuilder("/bin/sh", "-c", "printf %s " + quoted).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    @Test
    void trickyStringsRoundTripThroughSh() throws Exception {
        List<String> cases = new ArrayList<>(List.of("", " ", "plain", "two words", "'", "''", "\"", "a'b\"c",
                "$HOME", "${x:-y}", "$(id)", "`id`", "\\", "\\n", "\n", "a\nb\n", "\t", "*", "?", "[a]", "~", "~root",
                "-n", "--", "#comment", "a;b", "a&b", "a|b", "<>", "!", "%s", "héllo ✓ 日本 🚀", "'\"'\"'",
                "trailing\\", "=", "a=b c", "@{}", "\r\n"));
        Random random = new Random(42);
        String alphabet = "ab '\"$`\\\n\t*?[]{}()<>|&;#~!%-=é✓ ";
        for (int i = 0; i < 150; i++) {
            StringBuilder s = new StringBuilder();
            int len = random.nextInt(12);
            for (int j = 0; j < len; j++) {
                s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            cases.add(s.toString());
        }
        // all cases in one sh run per batch keeps this fast: printf %s q1; printf '\0'; ...
        StringBuilder script = new StringBuilder();
        for (String c : cases) {
            script.append("printf '%s\\001' ").append(ShellQuote.quote(c)).append('\n');
        }
        Process p = new ProcessBuilder("/bin/sh", "-c", script.toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor());
        String[] got = out.split("\u0001", -1);
        for (int i = 0; i < cases.size(); i++) {
            assertEquals(cases.get(i), got[i], "case " + i + " quoted as " + ShellQuote.quote(cases.get(i)));
        }
        // and the exact form the brief names, for a few: sh -c "printf %s " + quote(s)
        for (String c : List.of("a'b", "$x `y` \"z\"", "", "line\nbreak")) {
            assertEquals(c, viaSh(ShellQuote.quote(c)));
        }
    }

    @Test
    void joinQuotesEachArgument() throws Exception {
        assertEquals("echo 'a b' '' c", ShellQuote.join("echo", "a b", "", "c"));
    }
}
