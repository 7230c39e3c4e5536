package dev.drover.differential;

import dev.drover.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a playbook with ansible-playbook (a process) or drover (in-process, output captured). */
final class Tools {
    private Tools() {
    }

    private static Boolean ansibleAvailable;

    static synchronized boolean hasAnsiblePlaybook() {
        if (ansibleAvailable == null) {
            try {
                Process p = new ProcessBuilder("ansible-playbook", "--version").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                ansibleAvailable = p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException e) {
                ansibleAvailable = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ansibleAvailable = false;
            }
        }
        return ansibleAvailable;
    }

    /** The arguments both tools share: playbook, inventory, root, the case's own, --check. */
    static List<String> args(Path caseDir, DifferentialCase c, Path root, boolean check) {
        List<String> a = new ArrayList<>();
        a.add(caseDir.resolve("playbook.yml").toAbsolutePath().toString());
        if (c.inventory() != null) {
            a.add("-i");
            a.add(caseDir.resolve(c.inventory()).toAbsolutePath().toString());
        }
        a.add("-e");
        a.add("root=" + root);
        a.addAll(c.extraArgs());
        if (check) {
            a.add("--check");
        }
        return a;
    }

    static Outcome ansible(Path caseDir, List<String> args) {
        return ansible(caseDir, args, Map.of());
    }

    /** ansible-playbook in {@code dir} with these ANSIBLE_* variables added (after the suite's own). */
    static Outcome ansible(Path caseDir, List<String> args, Map<String, String> extraEnv) {
        List<String> cmd = new ArrayList<>();
        cmd.add("ansible-playbook");
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(caseDir.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("ANSIBLE_"));
        env.put("ANSIBLE_NOCOLOR", "1");
        env.put("ANSIBLE_LOCALHOST_WARNING", "false");
        env.put("ANSIBLE_INVENTORY_UNPARSED_WARNING", "false");
        env.put("ANSIBLE_RETRY_FILES_ENABLED", "false");
        env.put("ANSIBLE_PIPELINING", "true"); // faster; does not change results
        env.put("PYTHONHASHSEED", "0");
        env.putAll(extraEnv);
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("ansible-playbook timed out: " + cmd);
            }
            return Outcome.of("ansible-playbook", p.exitValue(), out);
        } catch (IOException e) {
            throw new AssertionError("cannot run " + cmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** drover in this JVM: {@code Main.execute("run", ...)} with System.out/err captured. */
    static Outcome drover(List<String> args) {
        return drover(null, null, args);
    }

    /** drover in this JVM as if started in {@code cwd} with environment {@code env} (null: this process's). */
    static synchronized Outcome drover(Map<String, String> env, Path cwd, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("run");
        cmd.addAll(args);
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ByteArrayOutputStream errBuf = new ByteArrayOutputStream();
        int rc;
        try (PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8);
             PrintStream errCapture = new PrintStream(errBuf, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            System.setErr(errCapture);
            rc = env == null ? Main.execute(cmd.toArray(String[]::new))
                    : Main.executeIn(env, cwd, cmd.toArray(String[]::new));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        String text = buf.toString(StandardCharsets.UTF_8);
        String errText = errBuf.toString(StandardCharsets.UTF_8);
        return Outcome.of("drover", rc, errText.isEmpty() ? text : errText + text);
    }
}
