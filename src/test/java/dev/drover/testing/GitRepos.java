package dev.drover.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The host's git for tests that make repositories (a fixed author; a failing command fails the test). */
public final class GitRepos {
    private GitRepos() {
    }

    /** {@code git -C dir ARGS}; its output, stripped. */
    public static String git(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toString(), "-c", "user.email=t@example.org",
                "-c", "user.name=Test"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "git " + String.join(" ", args) + ": " + out);
        return out.strip();
    }

    /** Skips (or, under CI=true, fails) the test when git is missing. */
    public static void requireGit() {
        boolean has;
        try {
            has = new ProcessBuilder("git", "--version").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            has = false;
        }
        Requirements.require("git (apt-get install git)", has);
    }
}
