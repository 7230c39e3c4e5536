package dev.drover.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C: drover as a child process gets SIGINT during a sleep; the recap so far, exit 99, the sleep killed. */
class InterruptTest {

    private static Process drover(Path dir, String... args) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(javaBin, "-cp",
                System.getProperty("java.class.path"), "dev.drover.cli.Main"));
        cmd.addAll(java.util.List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectOutput(dir.resolve("out.txt").toFile());
        pb.redirectError(dir.resolve("err.txt").toFile());
        return pb.start();
    }

    private static void awaitFiles(Path... files) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (Path f : files) {
            while (!(Files.exists(f) && Files.readString(f).endsWith("\n")) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static void awaitDeath(long pid) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (alive(pid) && System.nanoTime() < until) {
            Thread.sleep(50);
        }
    }

    @Test
    void sigintOverSshKillsTheRemoteCommandsOfEveryHost(@TempDir Path dir) throws Exception {
        dev.drover.testing.Requirements.requireSshd();
        dev.drover.testing.Requirements.requireRoot();
        dev.drover.testing.SshServerFixture sshd = dev.drover.testing.SshServerFixture.shared();
        StringBuilder inv = new StringBuilder();
        for (String h : new String[] {"one:127.0.0.2", "two:127.0.0.3"}) {
            String[] nameAddr = h.split(":");
            inv.append(nameAddr[0]).append(" ansible_host=").append(nameAddr[1]).append(" ansible_port=")
                    .append(sshd.port()).append(" ansible_user=root ansible_ssh_private_key_file=")
                    .append(sshd.clientKey()).append(" drover_known_hosts=").append(sshd.knownHosts()).append('\n');
        }
        Files.writeString(dir.resolve("inv"), inv.toString());
        Files.writeString(dir.resolve("p.yml"), """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - debug: msg=first
                    - name: Sleep
                      shell: echo $$ > %s/{{ inventory_hostname }}.pid && exec sleep 60
                    - name: Never
                      command: touch %s/never
                """.formatted(dir, dir));
        Process p = drover(dir, "run", "-i", dir.resolve("inv").toString(), dir.resolve("p.yml").toString());
        Path one = dir.resolve("one.pid");
        Path two = dir.resolve("two.pid");
        awaitFiles(one, two);
        long[] sleeps = {Long.parseLong(Files.readString(one).trim()), Long.parseLong(Files.readString(two).trim())};
        assertTrue(alive(sleeps[0]) && alive(sleeps[1]), "the remote sleeps run");
        new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).inheritIO().start().waitFor();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "drover stops after SIGINT");
        String out = Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8);
        String err = Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8);
        assertEquals(99, p.exitValue(), out + err);
        assertTrue(err.contains("[ERROR]: User interrupted execution"), err);
        assertTrue(out.matches("(?s).*PLAY RECAP.*one\\s+: ok=1 .*two\\s+: ok=1 .*"), out);
        assertFalse(Files.exists(dir.resolve("never")));
        for (long pid : sleeps) {
            awaitDeath(pid);
            assertFalse(alive(pid), "the sleep on the SSH host was killed: " + pid);
        }
    }

    @Test
    void sigintStopsCleanlyWithTheRecapAndExit99(@TempDir Path dir) throws Exception {
        Path pidFile = dir.resolve("sleep.pid");
        Files.writeString(dir.resolve("p.yml"), """
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - debug: msg=first
                    - name: Sleep
                      shell: echo $$ > %s && exec sleep 60
                    - name: Never
                      command: touch %s
                """.formatted(pidFile, dir.resolve("never")));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "dev.drover.cli.Main", "run", dir.resolve("p.yml").toString());
        pb.redirectOutput(dir.resolve("out.txt").toFile());
        pb.redirectError(dir.resolve("err.txt").toFile());
        Process p = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(Files.exists(pidFile) && !Files.readString(pidFile).isBlank()) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        long sleepPid = Long.parseLong(Files.readString(pidFile).trim());
        assertTrue(ProcessHandle.of(sleepPid).isPresent(), "the sleep runs");
        new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).inheritIO().start().waitFor();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "drover stops after SIGINT");
        String out = Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8);
        String err = Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8);
        assertEquals(99, p.exitValue(), out + err);
        assertTrue(err.contains("[ERROR]: User interrupted execution"), err);
        assertTrue(out.contains("PLAY RECAP"), out);
        assertTrue(out.matches("(?s).*localhost\\s+: ok=1 .*"), out); // the debug before the interrupt
        assertFalse(out.contains("TASK [Never]"), out);
        assertFalse(Files.exists(dir.resolve("never")));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ProcessHandle.of(sleepPid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertFalse(ProcessHandle.of(sleepPid).map(ProcessHandle::isAlive).orElse(false), "the sleep was killed");
    }
}
