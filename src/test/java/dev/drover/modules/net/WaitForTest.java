package dev.drover.modules.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.testing.DroverCli;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * wait_for against this machine through drover run (the loop runs in the host's shell): things
 * that appear after about a second, timeouts with Ansible's messages, search_regex groups.
 */
class WaitForTest {

    private static DroverCli.Result play(Path dir, String tasks, String... extra) throws IOException {
        Path p = dir.resolve("p.yml");
        Files.writeString(p, "- hosts: localhost\n  gather_facts: false\n  tasks:\n" + tasks.stripIndent().indent(4));
        String[] args = new String[extra.length + 2];
        args[0] = "run";
        args[1] = p.toString();
        System.arraycopy(extra, 0, args, 2, extra.length);
        return DroverCli.run(args);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void later(long ms, IORunnable r) {
        CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(ms);
                r.run();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
    }

    @FunctionalInterface
    interface IORunnable {
        void run() throws Exception;
    }

    @Test
    void aPortThatOpensAfterASecond(@TempDir Path dir) throws Exception {
        int port = freePort();
        ServerSocket[] server = new ServerSocket[1];
        later(1000, () -> server[0] = new ServerSocket(port, 5, InetAddress.getLoopbackAddress()));
        long t0 = System.nanoTime();
        try {
            DroverCli.Result r = play(dir, """
                    - wait_for: port=%d timeout=20
                      register: w
                    - assert:
                        that: [w.state == 'started', w.port == %d, w.elapsed >= 0, w.elapsed < 20, not w.changed]
                    """.formatted(port, port));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertEquals(0, r.exit(), r::toString);
            assertEquals("ok=2 changed=0 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0", r.recap().get("localhost"),
                    r::toString);
            assertTrue(ms >= 1000, "returned before the port opened: " + ms + " ms");
        } finally {
            if (server[0] != null) {
                server[0].close();
            }
        }
    }

    @Test
    void aClosedPortTimesOutWithAnsiblesMessage(@TempDir Path dir) throws Exception {
        int port = freePort();
        long t0 = System.nanoTime();
        DroverCli.Result r = play(dir, """
                - wait_for: port=%d timeout=2 sleep=1
                """.formatted(port));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.out().contains("\"msg\": \"Timeout when waiting for 127.0.0.1:" + port + "\""), r::toString);
        assertTrue(r.out().contains("\"elapsed\": 2"), r::toString);
        assertTrue(ms >= 2000 && ms < 15000, ms + " ms");
    }

    @Test
    void aPathCreatedLaterWithItsFileInfo(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("ready.flag");
        later(1000, () -> Files.writeString(f, "x"));
        DroverCli.Result r = play(dir, """
                - wait_for: path=%s timeout=20
                  register: w
                - assert:
                    that:
                      - w.state == 'file'
                      - w.path == '%s'
                      - w.size == 1
                      - w.match_groups | length == 0
                      - w.mode is match('^0[0-7]{3}$')
                """.formatted(f, f));
        assertEquals(0, r.exit(), r::toString);
        assertTrue(Files.exists(f));
    }

    @Test
    void aPathThatNeverComesTimesOutWithAnsiblesMessageAndMsgOverrides(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("never");
        DroverCli.Result r = play(dir, """
                - wait_for: path=%s timeout=1
                  ignore_errors: true
                - wait_for: path=%s timeout=1 msg="app did not start"
                """.formatted(f, f));
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.out().contains("\"msg\": \"Timeout when waiting for file " + f + "\""), r::toString);
        assertTrue(r.out().contains("\"msg\": \"app did not start\""), r::toString);
    }

    @Test
    void searchRegexInAFileGivesTheGroups(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("app.log");
        Files.writeString(log, "starting\n");
        later(1000, () -> Files.writeString(log, "listening on 8080\nready version=4.2\n", StandardOpenOption.APPEND));
        DroverCli.Result r = play(dir, """
                - wait_for:
                    path: %s
                    search_regex: '^ready version=(?P<the_version>[0-9.]+)$'
                    timeout: 20
                  register: w
                - assert:
                    that:
                      - w.match_groups == ['4.2']
                      - w.match_groupdict.the_version == '4.2'
                      - w.search_regex.startswith('^ready')
                """.formatted(log));
        assertEquals(0, r.exit(), r::toString);
    }

    @Test
    void searchRegexNotFoundTimesOut(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("app.log");
        Files.writeString(log, "starting\n");
        DroverCli.Result r = play(dir, """
                - wait_for: path=%s search_regex=ready timeout=1
                """.formatted(log));
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.out().contains("Timeout when waiting for search string ready in " + log), r::toString);
    }

    @Test
    void absentAndStopped(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("lock");
        Files.writeString(f, "");
        ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        int port = server.getLocalPort();
        later(1000, () -> {
            Files.delete(f);
            server.close();
        });
        long t0 = System.nanoTime();
        DroverCli.Result r = play(dir, """
                - wait_for: path=%s state=absent timeout=20
                - wait_for: port=%d state=stopped timeout=20
                """.formatted(f, port));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals(0, r.exit(), r::toString);
        assertTrue(ms >= 1000, ms + " ms");
        assertEquals("ok=2 changed=0 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0", r.recap().get("localhost"),
                r::toString);
    }

    @Test
    void aPortStillOpenDoesNotStop(@TempDir Path dir) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            DroverCli.Result r = play(dir, """
                    - wait_for: port=%d state=stopped timeout=1
                    """.formatted(server.getLocalPort()));
            assertEquals(2, r.exit(), r::toString);
            assertTrue(r.out().contains("Timeout when waiting for 127.0.0.1:" + server.getLocalPort() + " to stop."),
                    r::toString);
        }
    }

    @Test
    void searchRegexOnAPortReadsWhatTheServerSays(@TempDir Path dir) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            CompletableFuture.runAsync(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        s.getOutputStream().write("220 mail ready\r\n".getBytes(StandardCharsets.US_ASCII));
                        s.getOutputStream().flush();
                        Thread.sleep(200);
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            DroverCli.Result r = play(dir, """
                    - wait_for: port=%d search_regex='^220 .*ready' timeout=10
                    - wait_for: port=%d search_regex='never' timeout=2
                      ignore_errors: true
                    """.formatted(server.getLocalPort(), server.getLocalPort()));
            assertEquals(0, r.exit(), r::toString);
            assertTrue(r.out().contains("Timeout when waiting for search string never in 127.0.0.1:"
                    + server.getLocalPort()), r::toString);
            // ansible-playbook counts an ignored failure under ok too
            assertEquals("ok=2 changed=0 unreachable=0 failed=0 skipped=0 rescued=0 ignored=1", r.recap().get("localhost"),
                    r::toString);
        }
    }

    @Test
    void checkModeSkipsAsAnsible(@TempDir Path dir) throws Exception {
        DroverCli.Result r = play(dir, """
                - ansible.builtin.wait_for: port=%d timeout=30
                  register: w
                - assert:
                    that: [w.skipped, "w.msg == 'remote module (wait_for) does not support check mode'"]
                """.formatted(freePort()), "--check");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("ok=1 changed=0 unreachable=0 failed=0 skipped=1 rescued=0 ignored=0", r.recap().get("localhost"),
                r::toString);
    }

    @Test
    void theTaskTimeoutStillBoundsTheWait(@TempDir Path dir) throws Exception {
        long t0 = System.nanoTime();
        DroverCli.Result r = play(dir, """
                - wait_for: port=%d timeout=60
                  timeout: 2
                """.formatted(freePort()));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.out().contains("The wait_for action failed to execute in the expected time frame (2) and was terminated"),
                r::toString);
        assertTrue(ms < 30000, ms + " ms");
    }
}
