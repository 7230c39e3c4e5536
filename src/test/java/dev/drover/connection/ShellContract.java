package dev.drover.connection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every shell must do, whatever carries it. Subclasses open the connection (local, ssh) and
 * run the same tests, so local and SSH results are checked to be the same.
 */
abstract class ShellContract {

    protected Connection connection;

    protected abstract Connection open() throws Exception;

    @BeforeEach
    void openConnection() throws Exception {
        connection = open();
    }

    @AfterEach
    void closeConnection() {
        if (connection != null) {
            connection.close();
        }
    }

    protected Shell shell() throws ConnectionException {
        return connection.shell();
    }

    @Test
    void aShellKilledWhileIdleIsReplacedAtItsNextUse() throws Exception {
        Shell first = shell();
        long pid = Long.parseLong(first.run("echo $$").out().strip()); // the shell's pid ($$ in a subshell)
        new ProcessBuilder("kill", "-TERM", Long.toString(pid)).start().waitFor();
        Shell next = first;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (next == first && System.nanoTime() < deadline) { // the transport notices the end
            Thread.sleep(50);
            next = shell();
        }
        assertNotSame(first, next, "a new shell replaces the killed one");
        assertEquals("ok", next.run("echo ok").out().strip());
    }

    @Test
    void progressLinesArriveAsTheyAreReportedAndLeaveTheFrameIntact() throws Exception {
        java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        long[] firstAt = new long[1];
        Shell sh = shell(); // opened (and connected) first
        CommandResult r = sh.run("echo out; __dv_p 'step 1/2' 2>/dev/null; echo err >&2; sleep 1; "
                + "__dv_p \"two\nlines\" 2>/dev/null; printf end; exit 3", null, null, text -> {
                    if (seen.isEmpty()) {
                        firstAt[0] = System.nanoTime();
                    }
                    seen.add(text);
                });
        assertEquals(java.util.List.of("step 1/2", "two lines"), seen);
        long ended = System.nanoTime();
        assertTrue(ended - firstAt[0] > 700_000_000L, "the first line came as reported, before the sleep");
        assertEquals(3, r.exitCode());
        assertEquals("out\nend", r.out());
        assertEquals("err\n", r.err());
        // without a consumer the function is a no-op, and the protocol is still in step
        assertEquals("x\n", shell().run("__dv_p hidden; echo x").out());
        assertEquals("", shell().run("__dv_p hidden").err());
    }

    @Test
    void aQueryRunsAfterACommandInTheSameWriteOnlyWhenItSucceeded() throws Exception {
        Shell sh = shell();
        byte[] bytes = {'a', 0, '\n', (byte) 0xff, 'b'};
        String f = sh.run("mktemp").out().trim();
        try {
            // the command's stdin as a here-document after both commands' line
            CommandResult[] both = sh.runThenQuery("cat > " + f + "; echo wrote; echo note >&2", bytes, null, null,
                    "cat " + f + "; echo warn >&2; exit 3");
            assertEquals(0, both[0].exitCode());
            assertEquals("wrote\n", both[0].out());
            assertEquals("note\n", both[0].err());
            assertArrayEquals(bytes, java.util.Arrays.copyOf(both[1].stdout(), bytes.length));
            assertEquals(bytes.length, both[1].stdout().length);
            assertEquals(3, both[1].exitCode());
            assertEquals("warn\n", both[1].err());
            CommandResult[] failed = sh.runThenQuery("echo half; exit 5", null, null, null, "echo never");
            assertEquals(5, failed[0].exitCode());
            assertEquals("half\n", failed[0].out());
            assertNull(failed[1]);
            assertEquals("in step\n", sh.run("echo in step").out(), "the next command reads its own frame");
        } finally {
            sh.run("rm -f " + f);
        }
    }

    @Test
    void exitCodes() throws Exception {
        assertEquals(0, shell().run("true").exitCode());
        assertEquals(1, shell().run("false").exitCode());
        assertEquals(42, shell().run("exit 42").exitCode());
        assertEquals(127, shell().run("no-such-command-drover").exitCode());
        assertTrue(shell().run("true").succeeded());
    }

    @Test
    void stdoutAndStderrAreSeparate() throws Exception {
        CommandResult r = shell().run("echo out; echo err >&2; printf more; printf x >&2; exit 5");
        assertEquals("out\nmore", r.out());
        assertEquals("err\nx", r.err());
        assertEquals(5, r.exitCode());
    }

    @Test
    void emptyOutputs() throws Exception {
        CommandResult r = shell().run(":");
        assertEquals(0, r.stdout().length);
        assertEquals(0, r.stderr().length);
        CommandResult onlyErr = shell().run("printf e >&2");
        assertEquals("", onlyErr.out());
        assertEquals("e", onlyErr.err());
    }

    @Test
    void binaryOutputAllByteValuesNoTrailingNewline() throws Exception {
        StringBuilder script = new StringBuilder("printf '");
        byte[] expected = new byte[256];
        for (int i = 0; i < 256; i++) {
            expected[i] = (byte) i;
            script.append(String.format("\\%03o", i));
        }
        script.append("'");
        CommandResult r = shell().run(script.toString());
        assertArrayEquals(expected, r.stdout());
        CommandResult e = shell().run(script + " >&2");
        assertArrayEquals(expected, e.stderr());
        assertEquals(0, e.stdout().length);
    }

    @Test
    void largeOutput20MB() throws Exception {
        int n = 20 * 1024 * 1024;
        CommandResult r = shell().run("yes 0123456789abcdef | head -c " + n + "; yes E | head -c 3000000 >&2", null,
                Duration.ofSeconds(120));
        assertEquals(n, r.stdout().length);
        assertEquals(3_000_000, r.stderr().length);
        for (int i = 0; i < n; i += 4097) {
            assertEquals("0123456789abcdef\n".charAt(i % 17), (char) r.stdout()[i], "byte " + i);
        }
        assertEquals("ok\n", shell().run("echo ok").out(), "the shell is still in step after a large frame");
    }

    @Test
    void binaryStdinRoundTrip() throws Exception {
        byte[] data = new byte[1 << 20];
        new Random(7).nextBytes(data);
        for (int i = 0; i < 256; i++) {
            data[i] = (byte) i;
        }
        CommandResult r = shell().run("cat", data, Duration.ofSeconds(60));
        assertArrayEquals(data, r.stdout());
        assertEquals(String.valueOf(data.length), shell().run("wc -c", data, null).out().strip());
        byte[] tiny = {0, '\n', 'x'};
        assertArrayEquals(tiny, shell().run("cat", tiny, null).stdout());
    }

    @Test
    void emptyStdinArrayIsEmptyInput() throws Exception {
        assertEquals("0\n", shell().run("wc -c", new byte[0], null).out());
    }

    @Test
    void readingStdinWhenNoneGivenGetsEof() throws Exception {
        CommandResult r = shell().run("cat; read x; echo \"[$x] $?\"", null, Duration.ofSeconds(10));
        assertEquals("[] 1\n", r.out());
        assertEquals("alive\n", shell().run("echo alive").out());
    }

    @Test
    void quotesNewlinesAndHeredocs() throws Exception {
        String script = "a='single '\"'\"' quote'\n"
                + "b=\"double \\\" \\$HOME `echo tick`\"\n"
                + "printf '%s|%s\\n' \"$a\" \"$b\"\n"
                + "cat <<'EOF'\n$not_expanded `nor this` \\ )(\nEOF\n"
                + "cat <<EOF\nexpanded $((1+2))\nEOF\n"
                + "echo 'unicode: héllo ✓ 日本'";
        CommandResult r = shell().run(script);
        assertEquals("single ' quote|double \" $HOME tick\n$not_expanded `nor this` \\ )(\nexpanded 3\n"
                + "unicode: héllo ✓ 日本\n", r.out(), r.err());
    }

    @Test
    void trailingCommentHeredocAtEndAndBackslash() throws Exception {
        assertEquals("hi\n", shell().run("echo hi # a comment, no newline").out());
        assertEquals("x\n", shell().run("cat <<EOF\nx\nEOF").out());
        assertEquals("a\\\n", shell().run("echo 'a\\'").out());
        assertEquals("next\n", shell().run("echo next").out());
    }

    @Test
    void syntaxErrorEndsOnlyTheCommand() throws Exception {
        CommandResult r = shell().run("if then fi (");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().toLowerCase().contains("syntax"), r.err());
        assertEquals("fine\n", shell().run("echo fine").out());
        CommandResult unbalanced = shell().run("echo ')' ; ) ; echo after");
        assertEquals(2, unbalanced.exitCode());
        assertEquals("fine\n", shell().run("echo fine").out());
    }

    @Test
    void cdExitAndExportDoNotLeak() throws Exception {
        String home = shell().run("pwd").out();
        shell().run("cd /tmp; export DROVER_LEAK=1; LOCAL_VAR=2; umask 077; f() { :; }");
        assertEquals(home, shell().run("pwd").out());
        assertEquals("[][]\n", shell().run("echo \"[$DROVER_LEAK][$LOCAL_VAR]\"").out());
        assertEquals("f absent\n", shell().run("command -v f >/dev/null && echo f present || echo f absent").out());
        assertEquals(3, shell().run("exit 3").exitCode());
        assertEquals("still here\n", shell().run("echo still here").out());
        assertEquals("0\n", shell().run("echo $#").out(), "no positional parameters leak from the protocol");
    }

    @Test
    void manyCommandsStayInStep() throws Exception {
        for (int i = 0; i < 200; i++) {
            CommandResult r = shell().run(i % 3 == 0 ? "echo " + i : i % 3 == 1 ? "echo " + i + " >&2; exit 1" : ":");
            if (i % 3 == 0) {
                assertEquals(i + "\n", r.out());
            } else if (i % 3 == 1) {
                assertEquals(i + "\n", r.err());
                assertEquals(1, r.exitCode());
            } else {
                assertEquals(0, r.exitCode());
            }
        }
    }

    @Test
    void outputThatLooksLikeProtocolDoesNotConfuseIt() throws Exception {
        String fake = "DRV00000000000000000000000000000000 1 0\n0\n0\nDRV00000000000000000000000000000000\n";
        CommandResult r = shell().run("printf '" + fake + "'; printf '" + fake + "' >&2");
        assertEquals(fake, r.out());
        assertEquals(fake, r.err());
    }


    @Test
    void queriesFrameTheirOutputLikeCommandsAndStayInStep() throws Exception {
        Shell sh = shell();
        CommandResult q = sh.query("printf 'a\\000b'; echo oops >&2; exit 3");
        assertEquals(3, q.exitCode());
        assertArrayEquals(new byte[] {'a', 0, 'b'}, q.stdout());
        assertEquals("oops\n", q.err());
        assertEquals("", sh.query("true").out());
        assertEquals("x\n", sh.run("echo x").out());
        byte[] big = sh.query("head -c 300000 /dev/zero").stdout();
        assertEquals(300000, big.length);
        assertEquals("y\n", sh.query("echo y").out());
    }

    @Test
    void dumpingTheShellsOwnVariablesAndFunctionsDoesNotEndTheFrame() throws Exception {
        // the frame ends at the shell's marker: the shell must never hold it in one piece
        CommandResult r = shell().run("set; (typeset -f || declare -f) 2>/dev/null; echo end");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().endsWith("end\n"), r.out());
        assertTrue(r.out().contains("__dv_a="), "the dump really ran: " + r.out());
        assertEquals("after", shell().run("echo after").out().strip());
    }
    @Test
    void timeoutKillsTheShellAndANewOneStartsNextTime() throws Exception {
        Shell first = shell();
        long start = System.nanoTime();
        assertThrows(CommandTimeoutException.class,
                () -> first.run("sleep 987; echo never", null, Duration.ofMillis(500)));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms < 5000, "took " + ms + " ms");
        assertThrows(ConnectionException.class, () -> first.run("echo x"));
        Shell second = shell();
        assertNotSame(first, second);
        assertEquals("again\n", second.run("echo again").out());
        // the timed-out command is gone too
        CommandResult ps = second.run("sleep 0.3; for p in /proc/[0-9]*; do tr '\\0' ' ' < $p/cmdline 2>/dev/null; echo; done | grep -c '^sleep 987 ' || true");
        assertEquals("0", ps.out().strip(), "the timed-out 'sleep 987' still runs");
    }

    @Test
    void shellDeathIsAConnectionExceptionThatSaysWhatRan() throws Exception {
        Shell s = shell();
        ConnectionException e = assertThrows(ConnectionException.class, () -> s.run("echo dying >&2; kill -9 $$"));
        assertFalse(e instanceof CommandTimeoutException);
        assertTrue(e.getMessage().contains("kill -9 $$"), e.getMessage());
        assertTrue(e.getMessage().contains("ended"), e.getMessage());
        assertEquals("reborn\n", shell().run("echo reborn").out());
    }

    @Test
    void tempDirIsRemovedOnClose() throws Exception {
        String dir = shell().run("printf %s \"$__dv_d\"").out();
        assertTrue(dir.contains("drover."), dir);
        assertEquals("yes\n", shell().run("[ -d \"$__dv_d\" ] && echo yes").out());
        connection.close();
        connection.close(); // idempotent
        connection = open();
        assertEquals("gone\n", shell().run("[ -e '" + dir + "' ] && echo present || echo gone").out());
    }

    @Test
    void backgroundProcessDoesNotHoldTheCommand() throws Exception {
        long start = System.nanoTime();
        CommandResult r = shell().run("sleep 3 >/dev/null 2>&1 & echo started", null, Duration.ofSeconds(10));
        assertEquals("started\n", r.out());
        assertTrue((System.nanoTime() - start) / 1_000_000 < 2000, "waited for the background process");
    }

    @Test
    void unicodeStdin() throws Exception {
        byte[] in = "héllo\n✓".getBytes(StandardCharsets.UTF_8);
        assertEquals("héllo\n✓", shell().run("cat", in, null).out());
    }
}
