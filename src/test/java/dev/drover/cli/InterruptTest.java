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
