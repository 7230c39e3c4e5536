package dev.drover.git;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The host's {@code git}, run as a process: its exit code and output. Arguments go as an argv, never through a shell. */
public final class Git {
    private Git() {
    }

    /** What a git command did. */
    public record Result(int exit, String out, String err) {
        public boolean ok() {
            return exit == 0;
        }

        /** The last lines of stderr (git's own explanation), for a message. */
        public String why() {
            String e = err.strip();
            List<String> lines = e.lines().filter(l -> !l.isBlank()).toList();
            return lines.isEmpty() ? "exit " + exit : String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        }
    }

    /** The git command could not be started (no git on this machine) or did not end in time. */
    public static final class GitUnavailable extends IOException {
        GitUnavailable(String message) {
            super(message);
        }
    }

    /** {@code git -C dir ARGS} (in the current directory when {@code dir} is null), with {@code env} added. */
    public static Result run(Path dir, Map<String, String> env, long timeoutSeconds, String... args) throws GitUnavailable {
        List<String> cmd = new ArrayList<>(List.of("git"));
        if (dir != null) {
            cmd.add("-C");
            cmd.add(dir.toString());
        }
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("GIT_TERMINAL_PROMPT", "0"); // a run from cron must fail, not wait for a password
        pb.environment().put("GIT_OPTIONAL_LOCKS", "0");
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new GitUnavailable("cannot run git (apt-get install git): " + e.getMessage());
        }
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new GitUnavailable("git " + args[0] + " did not finish in " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8),
                    new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new GitUnavailable("git " + args[0] + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new GitUnavailable("git " + args[0] + " was interrupted");
        }
    }
}
