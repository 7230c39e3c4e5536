package dev.drover.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The resident drover, as users meet it: the packaged jar run as processes (as bin/drover runs it),
 * with the daemon on and its sockets in a directory of the test's. A run after the first is served
 * by the daemon the first started, with the output, exit code and effects of a run of its own; a
 * process with another environment is not served; prompts are answered by the client process
 * (its stdin here); Ctrl-C of the client stops the served run with the recap so far, exit 99.
 * Served runs go through both thin clients: the JVM one (the jar's Main-Class) and the light one
 * (bin/drover-client.py under the system's Python, as bin/drover starts it), whose identity must be
 * the daemon's to the byte.
 */
class DaemonIT {
    @TempDir
    Path tmp;

    private Map<String, String> env;
    private Path work;

    @BeforeEach
    void setUp() throws IOException {
        work = Files.createDirectories(tmp.resolve("work"));
        env = new HashMap<>(System.getenv());
        env.put("DROVER_DAEMON", "1");
        env.put("DROVER_DAEMON_DIR", tmp.resolve("daemon").toString());
        env.put("DROVER_JOURNAL", tmp.resolve("journal.db").toString());
        env.put("NO_COLOR", "1");
        env.remove("CI");
    }

    @AfterEach
    void stopDaemon() throws Exception {
        run(env, null, "daemon", "stop");
    }

    record Result(int exit, String out) {
        @Override
        public String toString() {
            return "exit " + exit + ":\n" + out;
        }
    }

    private static List<String> java(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar().toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static Path jar() {
        Path p = Path.of(System.getProperty("drover.target", "target")).toAbsolutePath().resolve("drover.jar");
        assertTrue(Files.isRegularFile(p), p + " is missing: mvn package makes it");
        return p;
    }

    /** The process that hands a run to the daemon. */
    enum Client {
        /** The jar's Main-Class, {@link dev.drover.daemon.Client}. */
        JVM,
        /** bin/drover-client.py, as bin/drover starts it. */
        LIGHT
    }

    private static final Path PYTHON = Path.of("/usr/bin/python3");

    private static List<String> light(String... args) throws IOException {
        dev.drover.testing.Requirements.require("/usr/bin/python3 (the light thin client)", Files.isExecutable(PYTHON));
        Path home = Path.of(System.getProperty("java.home"));
        String version = Files.readAllLines(home.resolve("release")).stream()
                .filter(l -> l.startsWith("JAVA_VERSION=")).findFirst().orElseThrow()
                .replaceAll("JAVA_VERSION=\"?([0-9.]+).*", "$1");
        List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(), "-I", "-S",
                Path.of("bin", "drover-client.py").toAbsolutePath().toString(), jar().toString(),
                home.resolve("bin").resolve("java").toString(), version, "--"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private Process start(Map<String, String> e, String stdin, String... args) throws IOException {
        return start(java(args), e, stdin);
    }

    private Process start(Client client, Map<String, String> e, String stdin, String... args) throws IOException {
        return start(client == Client.JVM ? java(args) : light(args), e, stdin);
    }

    private Result run(Client client, Map<String, String> e, String stdin, String... args) throws Exception {
        return finish(start(client, e, stdin, args), args);
    }

    private Process start(List<String> cmd, Map<String, String> e, String stdin) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(e);
        if (stdin == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        Process p = pb.start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
        }
        return p;
    }

    private Result run(Map<String, String> e, String stdin, String... args) throws Exception {
        return finish(start(e, stdin, args), args);
    }

    private static Result finish(Process p, String... args) throws Exception {
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + String.join(" ", args));
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** Waits until this environment's daemon answers (a cold run starts it in the background). */
    private void awaitDaemon() throws Exception {
        for (int i = 0; i < 300; i++) {
            Result s = run(env, null, "daemon", "status");
            if (s.out().contains("(serves this shell)")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no daemon came up; " + run(env, null, "daemon", "status"));
    }

    private int served() throws Exception {
        String s = run(env, null, "daemon", "status").out();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\(serves this shell\\).*runs served (\\d+)").matcher(s);
        assertTrue(m.find(), s);
        return Integer.parseInt(m.group(1));
    }

    private Path playbook(String body) throws IOException {
        Path pb = work.resolve("site.yml");
        Files.writeString(pb, body);
        return pb;
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void aRunAfterTheFirstIsServedWithTheOutputAndEffectsOfItsOwn(Client client) throws Exception {
        playbook("""
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - name: Write a file
                      copy: {content: "hello {{ who }}\\n", dest: "{{ dest }}"}
                    - name: Say where
                      debug: {msg: "wrote {{ dest | basename }}"}
                """);
        Result cold = run(env, null, "run", "site.yml", "-e", "who=a", "-e", "dest=" + work.resolve("one.txt"));
        assertEquals(0, cold.exit(), cold::toString);
        awaitDaemon();
        assertEquals(0, served());
        Result warm = run(client, env, null, "run", "site.yml", "-e", "who=a", "-e", "dest=" + work.resolve("two.txt"));
        assertEquals(0, warm.exit(), warm::toString);
        assertEquals(1, served(), "the second run was not served by the daemon");
        assertEquals("hello a\n", Files.readString(work.resolve("two.txt")));
        assertEquals(cold.out().replace("one.txt", "two.txt"), warm.out());
        assertTrue(warm.out().contains("changed=1"), warm::toString);

        // a failing task: its exit code and message reach the client
        playbook("""
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - fail: {msg: "stopped on purpose"}
                """);
        Result failed = run(client, env, null, "run", "site.yml");
        assertEquals(2, failed.exit(), failed::toString);
        assertTrue(failed.out().contains("stopped on purpose"), failed::toString);
        assertEquals(2, served());
    }

    @Test
    void anotherEnvironmentIsNotServed() throws Exception {
        playbook("""
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - debug: {msg: "{{ lookup('env', 'WHO') | default('nobody', true) }} here"}
                """);
        assertEquals(0, run(env, null, "run", "site.yml").exit());
        awaitDaemon();
        Map<String, String> other = new HashMap<>(env);
        other.put("WHO", "somebody");
        other.put("DROVER_DAEMON_DEBUG", "1");
        Result r = run(other, null, "run", "site.yml");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("somebody here"), r::toString);
        assertTrue(r.out().contains("drover daemon: no resident drover at "), r::toString);
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void theClientAnswersPromptsFromItsStdin(Client client) throws Exception {
        Files.writeString(work.resolve("pw"), "s3cret\n");
        Result enc = run(env, null, "vault", "encrypt_string", "--vault-password-file", "pw", "-n", "secret", "hello");
        assertEquals(0, enc.exit(), enc::toString);
        Files.writeString(work.resolve("vars.yml"), enc.out().substring(enc.out().indexOf("secret:")));
        playbook("""
                - hosts: localhost
                  gather_facts: false
                  vars_files: [vars.yml]
                  tasks:
                    - assert: {that: ["secret == 'hello'"], quiet: true}
                """);
        assertEquals(0, run(env, null, "run", "site.yml", "--vault-password-file", "pw").exit());
        awaitDaemon();
        Result r = run(client, env, "s3cret\n", "run", "site.yml", "--ask-vault-pass");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("Vault password"), r::toString);
        assertEquals(1, served(), "the prompted run was not served");
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void ctrlCOfTheClientStopsTheServedRun(Client client) throws Exception {
        playbook("""
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - debug: {msg: warm}
                """);
        assertEquals(0, run(env, null, "run", "site.yml").exit());
        awaitDaemon();
        playbook("""
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - name: Wait a long time
                      command: sleep 60
                """);
        Process p = start(client, env, null, "run", "site.yml");
        StringBuilder out = new StringBuilder();
        var reader = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            out.append(line).append('\n');
            if (line.startsWith("TASK [Wait a long time]")) {
                break;
            }
        }
        Thread.sleep(500);
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).inheritIO().start().waitFor();
        out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the client did not end after Ctrl-C:\n" + out);
        assertEquals(99, p.exitValue(), out::toString);
        assertTrue(out.toString().contains("PLAY RECAP"), out::toString);
        // the daemon is still there for the next run
        assertEquals(0, run(env, null, "run", "site.yml", "--syntax-check").exit());
        assertEquals(2, served());
    }

    @Test
    void theLightClientSaysSoWhenNoDaemonOfItsIdentityIsUp() throws Exception {
        playbook("""
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - debug: {msg: hello}
                """);
        Map<String, String> debug = new HashMap<>(env);
        debug.put("DROVER_DAEMON_DEBUG", "1");
        Result r = run(Client.LIGHT, debug, null, "run", "site.yml");
        assertEquals(214, r.exit(), r::toString); // bin/drover then asks the JVM client, then runs cold
        assertTrue(r.out().contains("no resident drover at "), r::toString);
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void aClosedStdoutLosesTheOutputButTheRunGoesOnOnce(Client client) throws Exception {
        Path count = work.resolve("count.txt");
        playbook("""
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - name: Wait for the reader to go away
                      command: sleep 1
                    - name: Count the runs
                      shell: echo ran >> %s
                    - debug: {msg: "after the count"}
                """.formatted(count));
        Files.writeString(work.resolve("warm.yml"), "- hosts: localhost\n  gather_facts: false\n  tasks: [{debug: {msg: warm}}]\n");
        assertEquals(0, run(env, null, "run", "warm.yml").exit());
        awaitDaemon();
        Process p = start(client, env, null, "run", "site.yml");
        var reader = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String first = reader.readLine();
        assertTrue(first != null, "no output from the client");
        p.getInputStream().close(); // drover run … | head -1
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the client did not end");
        assertEquals(0, p.exitValue(), "the served run's exit code");
        assertEquals("ran\n", Files.readString(count), "the run must happen once: not again in the client after a broken pipe");
        assertEquals(1, served());
    }
}
