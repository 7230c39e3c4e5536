package dev.drover.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.testing.DroverCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many hosts: serial, any_errors_fatal, max_fail_percentage, throttle, strategy free — recaps checked against ansible-playbook. */
class FleetTest {
    static final String THREE = "[three]\nh1 ansible_connection=local\nh2 ansible_connection=local\nh3 ansible_connection=local\n";
    static final String FIVE = "[five]\nh[1:5] ansible_connection=local\n";

    private static DroverCli.Result drover(Path dir, String inventory, String playbook) throws IOException {
        Files.writeString(dir.resolve("hosts.ini"), inventory);
        Files.writeString(dir.resolve("p.yml"), playbook);
        return DroverCli.run("run", "-i", dir.resolve("hosts.ini").toString(), "-e", "out=" + dir.resolve("out"),
                dir.resolve("p.yml").toString());
    }

    /** The same playbook through ansible-playbook (when installed): same exit code and recap. */
    private static void sameAsAnsible(Path dir, DroverCli.Result ours) throws Exception {
        if (!DroverCli.hasAnsible()) {
            return;
        }
        Path ansOut = dir.resolve("out");
        DroverCli.Result a = DroverCli.ansible(dir, "-i", "hosts.ini", "-e", "out=" + ansOut, "p.yml");
        assertEquals(a.exit(), ours.exit(), () -> "ansible:\n" + a + "\ndrover:\n" + ours);
        assertEquals(a.recap(), ours.recap(), () -> "ansible:\n" + a + "\ndrover:\n" + ours);
        assertEquals(count(a.out(), "PLAY ["), count(ours.out(), "PLAY ["), () -> "ansible:\n" + a + "\ndrover:\n" + ours);
        assertEquals(count(a.out(), "NO MORE HOSTS LEFT") > 0, count(ours.out(), "NO MORE HOSTS LEFT") > 0,
                () -> "ansible:\n" + a + "\ndrover:\n" + ours);
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static final String FAIL_ON_H2 = """
                    - name: Fails on h2
                      command: /bin/sh -c "exit {{ 3 if inventory_hostname == 'h2' else 0 }}"
                      changed_when: false
                    - name: Mark
                      command: mkdir -p {{ out }}/{{ inventory_hostname }}
                """;

    @Test
    void serialOneStopsTheRolloutAtTheFirstBatchThatFails(@TempDir Path dir) throws Exception {
        DroverCli.Result r = drover(dir, THREE, """
                - hosts: three
                  gather_facts: false
                  serial: 1
                  tasks:
                """ + FAIL_ON_H2 + """
                - hosts: three
                  gather_facts: false
                  tasks:
                    - debug: msg=second_play
                """);
        assertEquals(2, r.exit(), r::toString);
        assertEquals(2, count(r.out(), "PLAY [three]"), r::toString); // one banner per batch; the third never starts
        assertEquals("ok=2 changed=1 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0", r.recap().get("h1"), r::toString);
        assertEquals("ok=0 changed=0 unreachable=0 failed=1 skipped=0 rescued=0 ignored=0", r.recap().get("h2"), r::toString);
        assertFalse(r.recap().containsKey("h3"), r::toString); // untouched, and not in the recap (as Ansible)
        assertFalse(r.out().contains("second_play"), r::toString);
        assertTrue(Files.isDirectory(dir.resolve("out/h1")));
        assertFalse(Files.exists(dir.resolve("out/h3")));
        deleteOut(dir);
        sameAsAnsible(dir, r);
    }

    @Test
    void serialListAndPercentageMakeBatchesAsAnsible(@TempDir Path dir) throws Exception {
        DroverCli.Result r = drover(dir, FIVE, """
                - name: rolling
                  hosts: five
                  gather_facts: false
                  serial: [1, "50%", 2]
                  tasks:
                    - debug: msg=hi
                    - debug:
                        msg: "batch={{ ansible_play_batch | join(',') }} hosts={{ ansible_play_hosts | join(',') }}"
                      run_once: true
                """);
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("\"msg\": \"batch=h2,h3 hosts=h1,h2,h3,h4,h5\""), r::toString);
        String[] plays = r.out().split("PLAY \\[rolling\\]");
        assertEquals(4, plays.length, r::toString); // batches of 1, 2 (50% of 5) and 2
        assertTrue(plays[1].contains("[h1]") && !plays[1].contains("[h2]"), r::toString);
        assertTrue(plays[2].contains("[h2]") && plays[2].contains("[h3]") && !plays[2].contains("[h4]"), r::toString);
        assertTrue(plays[3].contains("[h4]") && plays[3].contains("[h5]"), r::toString);
        assertEquals(5, r.recap().size(), r::toString);
        sameAsAnsible(dir, r);
        assertEquals(List.of(2, 3, 3), List.of(count(plays[1], "ok: ["), count(plays[2], "ok: ["), count(plays[3], "ok: [")));
    }

    @Test
    void anyErrorsFatalEndsThePlayAndThePlaybookForEveryHost(@TempDir Path dir) throws Exception {
        DroverCli.Result r = drover(dir, THREE, """
                - hosts: three
                  gather_facts: false
                  any_errors_fatal: true
                  tasks:
                """ + FAIL_ON_H2 + """
                - hosts: three
                  gather_facts: false
                  tasks:
                    - debug: msg=second_play
                """);
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.out().contains("NO MORE HOSTS LEFT"), r::toString);
        assertEquals("ok=1 changed=0 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0", r.recap().get("h1"), r::toString);
        assertEquals("ok=0 changed=0 unreachable=0 failed=1 skipped=0 rescued=0 ignored=0", r.recap().get("h2"), r::toString);
        assertEquals("ok=1 changed=0 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0", r.recap().get("h3"), r::toString);
        assertFalse(Files.exists(dir.resolve("out")), r::toString);
        assertFalse(r.out().contains("second_play"), r::toString);
        sameAsAnsible(dir, r);
    }

    @Test
    void maxFailPercentageAbortsOnceExceeded(@TempDir Path dir) throws Exception {
        DroverCli.Result r = drover(dir, FIVE, """
                - hosts: five
                  gather_facts: false
                  max_fail_percentage: 30
                  tasks:
                    - command: /bin/sh -c "exit {{ 3 if inventory_hostname in ['h2', 'h4'] else 0 }}"
                      changed_when: false
                    - command: mkdir -p {{ out }}/{{ inventory_hostname }}
                """);
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.out().contains("NO MORE HOSTS LEFT"), r::toString);
        assertEquals("ok=1 changed=0 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0", r.recap().get("h5"), r::toString);
        assertEquals("ok=0 changed=0 unreachable=0 failed=1 skipped=0 rescued=0 ignored=0", r.recap().get("h4"), r::toString);
        assertFalse(Files.exists(dir.resolve("out")), r::toString);
        sameAsAnsible(dir, r);
        // 1 of 5 (20%) is under 30%: the others go on
        DroverCli.Result under = drover(dir, FIVE, """
                - hosts: five
                  gather_facts: false
                  max_fail_percentage: 30
                  tasks:
                    - command: /bin/sh -c "exit {{ 3 if inventory_hostname == 'h2' else 0 }}"
                      changed_when: false
                    - debug: msg=after
                """);
        assertEquals(2, under.exit(), under::toString);
        assertFalse(under.out().contains("NO MORE HOSTS LEFT"), under::toString);
        assertEquals("ok=2 changed=0 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0", under.recap().get("h5"));
        sameAsAnsible(dir, under);
    }

    @Test
    void throttleRunsAtMostNHostsAtOnce(@TempDir Path dir) throws Exception {
        DroverCli.Result r = drover(dir, THREE, """
                - hosts: three
                  gather_facts: false
                  tasks:
                    - shell: mkdir -p {{ out }} && date +%s%N > {{ out }}/{{ inventory_hostname }}.start && sleep 0.3 && date +%s%N > {{ out }}/{{ inventory_hostname }}.end
                      throttle: 1
                """);
        assertEquals(0, r.exit(), r::toString);
        List<long[]> spans = new java.util.ArrayList<>();
        for (String h : List.of("h1", "h2", "h3")) {
            spans.add(new long[] {stamp(dir, h + ".start"), stamp(dir, h + ".end")});
        }
        spans.sort(java.util.Comparator.comparingLong(s -> s[0]));
        for (int i = 1; i < spans.size(); i++) {
            assertTrue(spans.get(i)[0] >= spans.get(i - 1)[1], "two hosts ran the throttled task at once");
        }
    }

    @Test
    void freeStrategyLetsEachHostGoAtItsOwnPace(@TempDir Path dir) throws Exception {
        DroverCli.Result r = drover(dir, THREE, """
                - hosts: three
                  gather_facts: false
                  strategy: free
                  tasks:
                    - name: Slow on h1
                      shell: mkdir -p {{ out }} && sleep {{ 2 if inventory_hostname == 'h1' else 0 }} && date +%s%N > {{ out }}/{{ inventory_hostname }}.first
                    - name: Second
                      shell: date +%s%N > {{ out }}/{{ inventory_hostname }}.second
                    - name: Third
                      shell: date +%s%N > {{ out }}/{{ inventory_hostname }}.third
                """);
        assertEquals(0, r.exit(), r::toString);
        // h2 and h3 finished all their tasks before the slow host finished its first one
        long slowFirst = stamp(dir, "h1.first");
        assertTrue(stamp(dir, "h2.third") < slowFirst, r::toString);
        assertTrue(stamp(dir, "h3.third") < slowFirst, r::toString);
        assertEquals("ok=3 changed=3 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0", r.recap().get("h1"), r::toString);
        // each result follows its own task's banner, as Ansible's free strategy prints them
        String out = r.out();
        int h1Third = out.indexOf("changed: [h1]", out.lastIndexOf("TASK [Third]"));
        assertTrue(h1Third > 0, out);
        String beforeLast = out.substring(0, out.lastIndexOf("changed: [h1]"));
        assertTrue(beforeLast.substring(beforeLast.lastIndexOf("TASK [")).startsWith("TASK [Third]"), out);
        deleteOut(dir);
        sameAsAnsible(dir, r);
    }

    @Test
    void unsupportedStrategyAndBadSerialAreRefusedBeforeAnyHostIsTouched(@TempDir Path dir) throws Exception {
        DroverCli.Result r = drover(dir, THREE, """
                - hosts: three
                  gather_facts: false
                  strategy: host_pinned
                  serial: [1, lots]
                  tasks:
                    - command: mkdir -p {{ out }}
                """);
        assertEquals(4, r.exit(), r::toString);
        assertTrue(r.err().contains("strategy 'host_pinned' is not supported by drover yet"), r::toString);
        assertTrue(r.err().contains("serial: 'lots' is not a number of hosts or a percentage"), r::toString);
        assertFalse(Files.exists(dir.resolve("out")));
    }

    private static long stamp(Path dir, String name) throws IOException {
        return Long.parseLong(Files.readString(dir.resolve("out").resolve(name)).trim());
    }

    private static void deleteOut(Path dir) throws IOException {
        Path out = dir.resolve("out");
        if (Files.exists(out)) {
            try (var s = Files.walk(out)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
