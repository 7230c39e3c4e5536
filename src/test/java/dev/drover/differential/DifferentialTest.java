package dev.drover.differential;

import static org.junit.jupiter.api.Assertions.fail;

import dev.drover.testing.Requirements;
import dev.drover.testing.SshServerFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential test: each case's playbook runs under ansible-playbook (the reference) and under
 * drover, each on its own fresh root directory ({@code -e root=...}), twice. The PLAY RECAP lines,
 * the exit codes and the resulting trees (paths, kinds, modes, owners, contents, link targets)
 * must be equal. Then drover {@code --check} on a third fresh root must leave nothing behind and
 * forecast exactly its own first real run's recap. ansible-playbook's own --check is run too and
 * where it differs from its real run that is printed (not asserted: that is what drover improves).
 *
 * <p>Needs root (user/group modules, become), sudo, the drover-test user (created when missing)
 * and ansible-playbook 2.14. Each run's output and tree are written to
 * {@code target/differential/CASE/}.
 */
public class DifferentialTest {
    private static final Path CASES = Path.of("src/test/resources/differential");
    private static final Path OUT = Path.of("target/differential");
    private static final long ID = ProcessHandle.current().pid() % 100000;
    private static final String TEST_USER = "drvdu" + ID;
    private static final String TEST_GROUP = "drvdg" + ID;
    private static final List<String> CHECK_NOTES = new ArrayList<>();

    /** The extra variables a case's runs get: {@code root} and the case's own {@code -e k=v}. */
    public static Map<String, Object> extraVarsOf(String caseName) {
        Map<String, Object> vars = new java.util.LinkedHashMap<>();
        vars.put("root", "/tmp/differential-root");
        allCases().filter(c -> c.name().equals(caseName)).findFirst().ifPresent(c -> {
            List<String> a = c.extraArgs();
            for (int i = 0; i + 1 < a.size(); i++) {
                if (a.get(i).equals("-e")) {
                    String kv = a.get(i + 1);
                    vars.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
                }
            }
        });
        return vars;
    }

    /** Every case; {@code -Ddifferential.cases=a,b} runs only those (to try one case by hand). */
    static Stream<DifferentialCase> cases() {
        String only = System.getProperty("differential.cases", "");
        List<String> wanted = only.isBlank() ? List.of() : List.of(only.split(","));
        return allCases().filter(c -> wanted.isEmpty() || wanted.contains(c.name()));
    }

    static Stream<DifferentialCase> allCases() {
        return Stream.of(
                new DifferentialCase("files", null, List.of(), false),
                new DifferentialCase("filemods", null, List.of(), false),
                new DifferentialCase("control", null, List.of(), false),
                new DifferentialCase("sources", null, List.of(), false),
                new DifferentialCase("handlers", null, List.of(), false),
                new DifferentialCase("robust", null, List.of(), false),
                new DifferentialCase("tags", null, List.of("-t", "config"), false),
                new DifferentialCase("roles", null, List.of("-e", "overridden_by_extra=extra"), false),
                new DifferentialCase("role_features", null, List.of(), false),
                new DifferentialCase("inventory", "hosts.ini", List.of("-e", "p_extra=extra", "-l", "all:!nosuchhost"), false),
                new DifferentialCase("lookups", "hosts.ini", List.of("--vault-password-file",
                        CASES.resolve("lookups/vault-pass.txt").toAbsolutePath().toString()), false),
                new DifferentialCase("sysmods", null, List.of(), false),
                new DifferentialCase("keywords", "hosts.ini", List.of(), false),
                new DifferentialCase("users", null,
                        List.of("-e", "test_user=" + TEST_USER, "-e", "test_group=" + TEST_GROUP), true),
                new DifferentialCase("ansible_modules", null, List.of(), false));
    }

    @BeforeAll
    static void requirements() throws IOException {
        Requirements.requireRoot();
        Requirements.requireSudo();
        Requirements.require("ansible-playbook (ansible-core 2.14)", Tools.hasAnsiblePlaybook());
        SshServerFixture.ensureUser("drover-test");
    }

    @AfterAll
    static void printCheckNotes() {
        removeThrowawayUser();
        System.out.println();
        System.out.println("=== ansible-playbook --check vs its real first run (not asserted) ===");
        if (CHECK_NOTES.isEmpty()) {
            System.out.println("no differences");
        }
        CHECK_NOTES.forEach(System.out::println);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void droverMatchesAnsible(DifferentialCase c) throws IOException {
        List<String> problems = attempt(c);
        if (!problems.isEmpty()) {
            // ansible-playbook's own timing can vary on a loaded machine (CI once saw its async
            // result differ between its two runs while the trees agreed): one more attempt, and the
            // first attempt's differences stay in the log
            System.out.println("=== " + c.name() + ": first attempt differed, trying once more ===\n"
                    + String.join("\n\n", problems));
            List<String> again = attempt(c);
            if (!again.isEmpty()) {
                fail(c.name() + ": drover differs from ansible-playbook (twice):\n\n" + String.join("\n\n", again)
                        + "\n\nfirst attempt:\n\n" + String.join("\n\n", problems));
            }
        }
    }

    private List<String> attempt(DifferentialCase c) throws IOException {
        Path caseDir = CASES.resolve(c.name()).toAbsolutePath();
        Path work = Files.createTempDirectory("drover-diff-" + c.name() + "-");
        // become_user drover-test must be able to reach its directory under the roots
        Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path out = Files.createDirectories(OUT.resolve(c.name()));
        List<String> problems = new ArrayList<>();
        try {
            // check runs first, while the machine is fresh (users/groups are machine-wide)
            cleanMachine(c);
            Path ansibleCheckRoot = work.resolve("ansible-check");
            Outcome ansibleCheck = save(out, "ansible-check", Tools.ansible(caseDir, Tools.args(caseDir, c, ansibleCheckRoot, true)));
            cleanMachine(c);
            Path droverCheckRoot = work.resolve("drover-check");
            Outcome droverCheck = save(out, "drover-check", Tools.drover(Tools.args(caseDir, c, droverCheckRoot, true)));
            String leftBehind = Tree.snapshot(droverCheckRoot);
            if (!leftBehind.equals("(absent)")) {
                problems.add("drover --check left files behind under " + droverCheckRoot + ":\n" + leftBehind);
            }
            if (c.throwawayUser() && (SshServerFixture.userExists(TEST_USER) || groupExists(TEST_GROUP))) {
                problems.add("drover --check created the user " + TEST_USER + " or the group " + TEST_GROUP);
            }

            cleanMachine(c);
            Path ansibleRoot = work.resolve("ansible");
            Outcome a1 = save(out, "ansible-run1", Tools.ansible(caseDir, Tools.args(caseDir, c, ansibleRoot, false)));
            Outcome a2 = save(out, "ansible-run2", Tools.ansible(caseDir, Tools.args(caseDir, c, ansibleRoot, false)));
            String ansibleTree = Tree.snapshot(ansibleRoot);
            Files.writeString(out.resolve("ansible-tree.txt"), ansibleTree);

            cleanMachine(c);
            Path droverRoot = work.resolve("drover");
            Outcome d1 = save(out, "drover-run1", Tools.drover(Tools.args(caseDir, c, droverRoot, false)));
            Outcome d2 = save(out, "drover-run2", Tools.drover(Tools.args(caseDir, c, droverRoot, false)));
            String droverTree = Tree.snapshot(droverRoot);
            Files.writeString(out.resolve("drover-tree.txt"), droverTree);

            System.out.println("=== " + c.name() + " ===");
            System.out.print("ansible run 1:\n" + a1.summary() + "ansible run 2:\n" + a2.summary()
                    + "ansible --check:\n" + ansibleCheck.summary() + "drover run 1:\n" + d1.summary()
                    + "drover run 2:\n" + d2.summary() + "drover --check:\n" + droverCheck.summary());

            if (a1.recap().isEmpty()) {
                problems.add("ansible-playbook printed no recap; see " + out.resolve("ansible-run1.txt"));
            }
            compare(problems, "run 1 recap (ansible-playbook vs drover)", a1.summary(), d1.summary(), out);
            compare(problems, "run 2 recap (ansible-playbook vs drover)", a2.summary(), d2.summary(), out);
            taskDiff(problems, "run 1", a1, d1);
            taskDiff(problems, "run 2", a2, d2);
            compare(problems, "tree after two runs (ansible-playbook vs drover)", ansibleTree, droverTree, out);
            compare(problems, "drover --check recap vs drover's real run 1", d1.summary(), droverCheck.summary(), out);

            if (!ansibleCheck.summary().equals(a1.summary())) {
                String note = "[" + c.name() + "] ansible --check:\n" + indent(ansibleCheck.summary())
                        + "  real run 1:\n" + indent(a1.summary()) + "  (output: " + out.resolve("ansible-check.txt") + ")";
                synchronized (CHECK_NOTES) {
                    CHECK_NOTES.add(note);
                }
                System.out.println("ansible --check differs from its real run:\n" + note);
            }
        } finally {
            cleanMachine(c);
            Tree.delete(work);
        }
        return problems;
    }

    /** For each host whose recap line differs: its tasks' statuses in both outputs, where they differ. */
    private static void taskDiff(List<String> problems, String run, Outcome ansible, Outcome drover) {
        for (String host : ansible.recap().keySet()) {
            if (!Objects.equals(ansible.recap().get(host), drover.recap().get(host))) {
                problems.add(run + ", " + host + ", task by task (ansible-playbook vs drover):\n"
                        + lineDiff(ansible.tasksOf(host), drover.tasksOf(host)));
            }
        }
    }

    private static void compare(List<String> problems, String what, String expected, String actual, Path out) {
        if (!Objects.equals(expected, actual)) {
            problems.add(what + " (outputs in " + out + "):\n" + lineDiff(expected, actual));
        }
    }

    /** The lines only in one side, marked - (expected) and + (actual). */
    static String lineDiff(String expected, String actual) {
        List<String> e = List.of(expected.split("\n", -1));
        List<String> a = List.of(actual.split("\n", -1));
        StringBuilder b = new StringBuilder();
        for (String l : e) {
            if (!a.contains(l)) {
                b.append("- ").append(l).append('\n');
            }
        }
        for (String l : a) {
            if (!e.contains(l)) {
                b.append("+ ").append(l).append('\n');
            }
        }
        if (b.length() == 0) {
            b.append("(same lines, different order or count)\n--- expected\n").append(expected)
                    .append("+++ actual\n").append(actual);
        }
        return b.toString();
    }

    private static String indent(String s) {
        return s.lines().map(l -> "    " + l).reduce("", (x, y) -> x + y + "\n");
    }

    private static Outcome save(Path dir, String name, Outcome o) throws IOException {
        Files.writeString(dir.resolve(name + ".txt"), "exit " + o.exitCode() + "\n" + o.output(), StandardCharsets.UTF_8);
        return o;
    }

    private static void cleanMachine(DifferentialCase c) {
        if (c.throwawayUser()) {
            removeThrowawayUser();
        }
    }

    private static void removeThrowawayUser() {
        if (!Requirements.isRoot()) {
            return;
        }
        if (SshServerFixture.userExists(TEST_USER)) {
            exec("userdel", TEST_USER);
        }
        if (groupExists(TEST_GROUP)) {
            exec("groupdel", TEST_GROUP);
        }
    }

    private static boolean groupExists(String group) {
        return exec("getent", "group", group) == 0;
    }

    private static int exec(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
