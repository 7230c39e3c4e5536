package dev.drover.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.testing.DroverCli;
import dev.drover.testing.Requirements;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The named callbacks as --callback selects them, beside ansible-playbook's own where it runs. */
class CallbacksTest {
    static final String PLAYBOOK = """
            - hosts: localhost
              gather_facts: false
              tasks:
                - name: Quick
                  command: "true"
                - name: Slow
                  command: sleep 1.2
                - name: Say
                  command: echo hello
            """;

    /** The timer's and profile_tasks' lines, digits and the date's words made X. */
    private static List<String> timingLines(String out) {
        List<String> lines = new ArrayList<>();
        Pattern timing = Pattern.compile("^(Playbook run took .*|\\w+day \\d\\d \\w+ \\d{4} .*|=+ |(Quick|Slow|Say) -+ .*)$");
        for (String l : out.split("\n")) {
            if (timing.matcher(l).matches()) {
                // a task's line: its width (the order of the fast ones is timing noise)
                lines.add(l.matches("(Quick|Slow|Say) -+.*") ? "task line of " + l.length()
                        : l.replaceAll("^\\w+day \\d\\d \\w+", "DAY").replaceAll("\\d", "0"));
            }
        }
        return lines;
    }

    @Test
    void timerAndProfileTasksPrintAsAnsiblesCallbacks(@TempDir Path dir) throws Exception {
        Path p = Files.writeString(dir.resolve("p.yml"), PLAYBOOK);
        DroverCli.Result r = DroverCli.run("run", "--callback", "timer", "--callback", "ansible.posix.profile_tasks", p.toString());
        assertEquals(0, r.exit(), r::toString);
        List<String> mine = timingLines(r.out());
        // a line after each banner, one at the end, the rule, the three tasks longest first, the timer
        assertEquals(9, mine.size(), r::toString);
        assertTrue(r.out().indexOf("\nSlow ---") < r.out().indexOf("\nQuick ---"), "longest first: " + r);
        assertEquals(79, r.out().lines().filter(l -> l.startsWith("Slow ---")).findFirst().orElseThrow().length());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("Playbook run took 0 days, 0 hours, 0 minutes, [12] seconds")), r::toString);
        int recap = r.out().indexOf("PLAY RECAP");
        assertTrue(recap > 0 && r.out().indexOf("Playbook run took") > recap, "the timer after the recap: " + r);
        assertTrue(r.out().indexOf("=====") > r.out().indexOf("Playbook run took"), "then profile_tasks, as listed: " + r);

        Requirements.require("ansible-playbook", Files.isExecutable(Path.of("/usr/bin/ansible-playbook")));
        ProcessBuilder pb = new ProcessBuilder("ansible-playbook", "-i", "localhost,", "-c", "local", p.toString())
                .redirectErrorStream(true);
        pb.environment().put("ANSIBLE_CALLBACKS_ENABLED", "ansible.posix.timer,ansible.posix.profile_tasks");
        pb.environment().put("ANSIBLE_NOCOLOR", "1");
        Process ap = pb.start();
        String theirs = new String(ap.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(ap.waitFor(120, TimeUnit.SECONDS));
        assertEquals(mine, timingLines(theirs), "drover:\n" + r.out() + "\nansible-playbook:\n" + theirs);
    }

    @Test
    void jsonAsTheStdoutCallbackPrintsTheDocumentAndNothingElse(@TempDir Path dir) throws IOException {
        Path p = Files.writeString(dir.resolve("p.yml"), PLAYBOOK);
        DroverCli.Result r = DroverCli.run("run", "--callback", "json", p.toString());
        assertEquals(0, r.exit(), r::toString);
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertEquals(3, doc.get("plays").get(0).get("tasks").size());
        assertEquals("hello", doc.get("plays").get(0).get("tasks").get(2).get("hosts").get("localhost").get("stdout").asString());
        assertEquals(2, doc.get("stats").get("localhost").get("changed").asInt() - 1);
        assertFalse(r.out().contains("PLAY RECAP"), r::toString);
    }

    @Test
    void ansibleCfgSelectsTheCallbacks(@TempDir Path dir) throws IOException {
        Path p = Files.writeString(dir.resolve("p.yml"), PLAYBOOK);
        Files.writeString(dir.resolve("ansible.cfg"), "[defaults]\nstdout_callback = json\n"
                + "callbacks_enabled = ansible.posix.timer, no_such_callback\n");
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.out;
        int rc;
        try (java.io.PrintStream capture = new java.io.PrintStream(buf, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            rc = dev.drover.cli.Main.executeIn(Map.of("HOME", dir.toString(), "PATH", System.getenv("PATH")), dir,
                    "run", p.toString());
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, out);
        // the JSON document, then the timer's line, as ansible-playbook prints them with this config
        int end = out.lastIndexOf("}\n");
        assertTrue(out.substring(end).startsWith("}\nPlaybook run took 0 days"), out);
        JsonNode doc = new ObjectMapper().readTree(out.substring(out.indexOf('{'), end + 1));
        assertEquals(3, doc.get("plays").get(0).get("tasks").size(), out);
        // --callback on the command line wins over stdout_callback
        buf.reset();
        try (java.io.PrintStream capture = new java.io.PrintStream(buf, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            rc = dev.drover.cli.Main.executeIn(Map.of("HOME", dir.toString(), "PATH", System.getenv("PATH")), dir,
                    "run", "--callback", "default", p.toString());
        } finally {
            System.setOut(old);
        }
        assertTrue(buf.toString(StandardCharsets.UTF_8).contains("PLAY RECAP"), buf::toString);
    }

    @Test
    void minimalPrintsOneEntryPerResult(@TempDir Path dir) throws IOException {
        Path p = Files.writeString(dir.resolve("p.yml"), PLAYBOOK);
        DroverCli.Result r = DroverCli.run("run", "--callback", "minimal", p.toString());
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("localhost | CHANGED | rc=0 >>\nhello\n"), r::toString);
        assertFalse(r.out().contains("TASK ["), r::toString);
    }

    @Test
    void registryKnowsTheNamesAndSaysWhatItDoesNot() {
        Callbacks.Settings s = new Callbacks.Settings(System.out, System.err, 0, false, x -> x, Map.of(), Path.of("p.yml"));
        for (String n : List.of("default", "minimal", "json", "junit", "timer", "profile_tasks", "ansible.builtin.default",
                "community.general.timer")) {
            assertTrue(Callbacks.create(n, s) != null, n);
        }
        assertTrue(Callbacks.isStdout("ansible.posix.json"));
        assertFalse(Callbacks.isStdout("timer"));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(Callbacks.UnknownCallback.class,
                () -> Callbacks.create("timr", s));
        assertTrue(e.getMessage().contains("did you mean 'timer'?"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(Callbacks.UnknownCallback.class,
                () -> Callbacks.listeners("timer", List.of(), List.of(), s, false));
        assertTrue(e.getMessage().contains("is not a stdout callback"), e.getMessage());
    }
}
