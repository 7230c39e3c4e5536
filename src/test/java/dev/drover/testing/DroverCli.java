package dev.drover.testing;

import dev.drover.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs drover in-process through {@link Main#execute} with System.out/err captured, and
 * ansible-playbook as a process for reference output.
 */
public final class DroverCli {
    private DroverCli() {
    }

    /** The exit code and what was printed. */
    public record Result(int exit, String out, String err) {
        public String all() {
            return out + err;
        }

        /** PLAY RECAP lines by host, e.g. {@code h1 -> "ok=3 changed=1 unreachable=0 ..."} (spaces collapsed). */
        public java.util.Map<String, String> recap() {
            java.util.Map<String, String> m = new java.util.TreeMap<>();
            int at = out.lastIndexOf("PLAY RECAP");
            if (at < 0) {
                return m;
            }
            Matcher x = Pattern.compile("(?m)^(\\S+)\\s+: (ok=.*)$").matcher(out.substring(at));
            while (x.find()) {
                m.put(x.group(1), x.group(2).trim().replaceAll("\\s+", " "));
            }
            return m;
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    /** {@code drover ARGS} in this JVM. */
    public static synchronized Result run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setOut(o);
            System.setErr(e);
            exit = Main.execute(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    public static boolean hasAnsible() {
        return Files.isExecutable(Path.of("/usr/bin/ansible-playbook"));
    }

    /** {@code ansible-playbook ARGS} in {@code dir} (no colours, no retry files), or a skip/fail when missing. */
    public static Result ansible(Path dir, String... args) throws IOException, InterruptedException {
        Requirements.require("ansible-playbook (apt-get install ansible-core)", hasAnsible());
        List<String> cmd = new ArrayList<>();
        cmd.add("/usr/bin/ansible-playbook");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().put("ANSIBLE_NOCOLOR", "1");
        pb.environment().put("ANSIBLE_FORCE_COLOR", "0");
        pb.environment().put("ANSIBLE_RETRY_FILES_ENABLED", "0");
        pb.environment().put("ANSIBLE_LOCALHOST_WARNING", "0");
        pb.environment().put("ANSIBLE_INVENTORY_UNPARSED_WARNING", "0");
        pb.environment().put("ANSIBLE_PYTHON_INTERPRETER", "auto_silent");
        Path errFile = Files.createTempFile("ansible-err", ".txt");
        pb.redirectError(errFile.toFile());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        String err = Files.readString(errFile);
        Files.deleteIfExists(errFile);
        return new Result(p.exitValue(), out, err);
    }

    /** Timing fields (delta, start, end) replaced by a fixed text. */
    public static String normaliseTimes(String s) {
        return s.replaceAll("\"(delta|start|end)\": \"[^\"]*\"", "\"$1\": \"X\"");
    }
}
