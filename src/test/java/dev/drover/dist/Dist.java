package dev.drover.dist;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** What the packaging tests share: the artifacts `mvn package` made, a process runner, a playbook to run. */
final class Dist {
    private Dist() {
    }

    /** The pom's version (failsafe passes it; the packages are named after it). */
    static String version() {
        return System.getProperty("drover.version", "0.1.0-SNAPSHOT");
    }

    static Path target() {
        return Path.of(System.getProperty("drover.target", "target")).toAbsolutePath();
    }

    /** A packaged artifact; fails (it is not a skip: `mvn verify` builds them in its package phase) when missing. */
    static Path artifact(String name) {
        Path p = target().resolve(name);
        assertTrue(Files.isRegularFile(p), p + " is missing: `mvn -B verify` (or `mvn package`) makes it in the package phase; "
                + "-Ddist.skip=true skips it and these tests");
        return p;
    }

    record Result(int exit, String out) {
        @Override
        public String toString() {
            return "exit " + exit + ":\n" + out;
        }
    }

    /** Runs a command (stdout and stderr together, no stdin), with extra environment variables. */
    static Result run(Map<String, String> env, Path dir, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        pb.environment().put("NO_COLOR", "1");
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", cmd));
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static Result run(String... cmd) throws IOException, InterruptedException {
        return run(Map.of(), null, cmd);
    }

    /**
     * examples/ (hello.yml and its template) copied into {@code dir}, readable by every user (the
     * runs as another user read it there).
     */
    static Path examples(Path dir) throws IOException {
        Path src = Path.of("examples").toAbsolutePath();
        Path dst = dir.resolve("examples");
        try (Stream<Path> walk = Files.walk(src)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path to = dst.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        openUp(dir);
        return dst.resolve("hello.yml");
    }

    /** chmod a+rX below and including {@code dir}, and a+w on {@code dir} itself. */
    static void openUp(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    /** The command line that runs {@code cmd} as user nobody (uid 65534) with setpriv. */
    static String[] asNobody(String... cmd) {
        List<String> all = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        all.addAll(List.of(cmd));
        return all.toArray(String[]::new);
    }

    static boolean hasSetpriv() {
        return Files.isExecutable(Path.of("/usr/bin/setpriv"));
    }

    /** What bash-completion offers for {@code words} (the last one being completed), from this completion script. */
    static String bashComplete(Path script, String... words) throws IOException, InterruptedException {
        StringBuilder arr = new StringBuilder();
        for (String w : words) {
            arr.append('\'').append(w).append("' ");
        }
        String line = String.join(" ", words);
        String sh = "source '" + script + "' && COMP_WORDS=(" + arr + ") && COMP_CWORD=" + (words.length - 1)
                + " && COMP_LINE='" + line + "' && COMP_POINT=" + line.length()
                + " && _complete_drover && printf '%s\\n' \"${COMPREPLY[@]}\"";
        Result r = run("bash", "-c", sh);
        assertTrue(r.exit() == 0, r::toString);
        return r.out();
    }
}
