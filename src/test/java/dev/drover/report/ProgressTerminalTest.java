package dev.drover.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.testing.DroverCli;
import dev.drover.testing.Requirements;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live status line under a real pseudo-terminal ({@code script}), fed by real steps: a shell
 * task that takes 3 s (its description, after 2 s) and a real {@code podman build} whose STEP
 * lines come back through the shell protocol's progress records; and nothing of it in a pipe.
 */
class ProgressTerminalTest {

    private static String playbook(Path ctx) {
        return """
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - name: Long step
                      shell: "sleep 3; echo done"
                    - name: Build
                      containers.podman.podman_image:
                        name: drover-progress-test
                        tag: t1
                        path: %s
                        force: true
                """.formatted(ctx);
    }

    private static Path context(Path dir) throws Exception {
        Requirements.require("podman and a static busybox", Files.isExecutable(Path.of("/usr/bin/podman"))
                && Files.isExecutable(Path.of("/bin/busybox")));
        Path ctx = Files.createDirectories(dir.resolve("ctx/bin"));
        Files.copy(Path.of("/bin/busybox"), ctx.resolve("busybox"), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(dir.resolve("ctx/Containerfile"), "FROM scratch\nCOPY bin/busybox /bin/busybox\n"
                + "LABEL a=1\nCMD [\"/bin/busybox\", \"true\"]\n");
        return dir.resolve("ctx");
    }

    /** What the run shows on a real pseudo-terminal ({@code script}); it must exit 0. */
    private static String onTerminal(Path playbook, int columns, String progressAfterMs) throws Exception {
        Requirements.require("script (util-linux)", Files.isExecutable(Path.of("/usr/bin/script")));
        Requirements.requireRoot();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cmd = java + " -cp '" + System.getProperty("java.class.path") + "' dev.drover.cli.Main run " + playbook;
        ProcessBuilder pb = new ProcessBuilder("script", "-qec", cmd, "/dev/null").redirectErrorStream(true);
        pb.environment().remove("NO_COLOR");
        pb.environment().put("TERM", "xterm");
        pb.environment().put("COLUMNS", String.valueOf(columns));
        if (progressAfterMs != null) {
            pb.environment().put("DROVER_PROGRESS_AFTER_MS", progressAfterMs);
        }
        Process proc = pb.start();
        proc.getOutputStream().close();
        String screen = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(proc.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, proc.exitValue(), screen);
        return screen;
    }

    @Test
    void aTerminalShowsWhatTheStepWaitsForAPipeDoesNot(@TempDir Path dir) throws Exception {
        Path p = Files.writeString(dir.resolve("p.yml"), playbook(context(dir)));
        try {
            String screen = onTerminal(p, 100, null);
            // the shell task: what it runs (the step's description), after 2 s, with the elapsed time
            assertTrue(screen.matches("(?s).*\\[localhost\\] [23]s: shell: sleep 3; echo done.*"), screen);
            assertFalse(screen.contains("[localhost] 1s"), screen);
            assertFalse(screen.contains("[localhost] 0s"), screen);
            // erased before the result's line
            assertTrue(screen.matches("(?s).*echo done\\u001b\\[0m\r?\n\\u001b\\[1A\\u001b\\[J.*changed: \\[localhost\\].*"), screen);
        } finally {
            new ProcessBuilder("podman", "image", "rm", "-f", "drover-progress-test:t1").start().waitFor();
        }

        // in a pipe: none of it
        DroverCli.Result r = DroverCli.run("run", p.toString());
        assertEquals(0, r.exit(), r::toString);
        assertFalse(r.all().contains("\033"), r::toString);
        assertFalse(r.all().contains("[localhost] 2s"), r::toString);
        new ProcessBuilder("podman", "image", "rm", "-f", "drover-progress-test:t1").start().waitFor();
    }

    @Test
    void aPodmanBuildReportsItsSteps(@TempDir Path dir) throws Exception {
        Path p = Files.writeString(dir.resolve("p.yml"), playbook(context(dir)).replaceAll("(?s)    - name: Long step.*?echo done\"\n", ""));
        try {
            String screen = onTerminal(p, 120, "0"); // a small build is quicker than 2 s
            // FROM, COPY, LABEL, CMD and the context-hash label drover adds: podman's 5 steps, each reported
            for (int step = 1; step <= 5; step++) {
                assertTrue(screen.contains("building drover-progress-test:t1 (step " + step + "/5)"), screen);
            }
            assertTrue(screen.contains("changed: [localhost]"), screen);
        } finally {
            new ProcessBuilder("podman", "image", "rm", "-f", "drover-progress-test:t1").start().waitFor();
        }
    }
}
