package dev.drover.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.testing.DroverCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The paths of a host's next steps read at once ({@link ReadAhead}), on the real local host: a
 * rerun reads the host in one round trip where step by step it took one or two each, and what
 * was read ahead is never used once anything could have changed it: a command on the host, a
 * change on another inventory host (the same machine here), an async job running meanwhile.
 * Round trips are counted from the shell's own debug log (one line a command, {@code -vvv}).
 */
class ReadAheadTest {

    /** The commands the shells ran, from the -vvv debug log. */
    private static int commands(DroverCli.Result r) {
        Matcher m = Pattern.compile("(?m) #\\d+: rc=").matcher(r.all());
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static String steps(Path d) {
        return """
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - file: path=%1$s/etc state=directory mode=0755
                    - copy: dest=%1$s/etc/a.conf content="alpha\\n" mode=0644
                    - copy: dest=%1$s/etc/{{ item }}.conf content="{{ item }}\\n" mode=0644
                      loop: [b, c]
                    - lineinfile: path=%1$s/etc/d.conf line=extra create=true
                    - stat: path=%1$s/etc/a.conf
                      register: a
                    - file: path=%1$s/etc/c.conf mode=0644
                    - assert:
                        that: a.stat.exists
                """.formatted(d);
    }

    @Test
    void aRerunReadsTheHostOnceAndChangesNothing(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("p.yml"), steps(dir.resolve("root")));
        DroverCli.Result first = DroverCli.run("run", "-vvv", dir.resolve("p.yml").toString());
        assertEquals("ok=7 changed=4 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0", first.recap().get("localhost"),
                first::toString);
        DroverCli.Result rerun = DroverCli.run("run", "-vvv", dir.resolve("p.yml").toString());
        assertEquals("ok=7 changed=0 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0", rerun.recap().get("localhost"),
                rerun::toString);
        // 7 steps on the host, 8 paths: their kinds and one stat, then one cat of the 3 files
        assertEquals(2, commands(rerun), rerun::all);
        assertEquals("extra\n", Files.readString(dir.resolve("root/etc/d.conf")));
        // check mode forecasts against what was read ahead: nothing to do
        DroverCli.Result check = DroverCli.run("run", "--check", dir.resolve("p.yml").toString());
        assertEquals("ok=7 changed=0 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0", check.recap().get("localhost"),
                check::toString);
    }

    @Test
    void aCommandOnTheHostMakesTheNextStepsLookAgain(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("f");
        Path g = dir.resolve("g");
        Files.writeString(dir.resolve("p.yml"), """
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - stat: path=%1$s
                    - command: sh -c 'echo made > %2$s'
                    - stat: path=%2$s
                      register: g
                    - copy:
                        dest: %2$s
                        content: "made\\n"
                      register: c
                    - debug: msg="g {{ g.stat.exists }} copy {{ c.changed }}"
                """.formatted(f, g));
        DroverCli.Result r = DroverCli.run("run", dir.resolve("p.yml").toString());
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("\"msg\": \"g True copy False\""), r::toString);
    }

    @Test
    void aChangeOnAnotherInventoryHostOfTheSameMachineIsSeen(@TempDir Path dir) throws IOException {
        Path shared = dir.resolve("shared");
        Files.writeString(dir.resolve("inv.ini"), "h1 ansible_connection=local\nh2 ansible_connection=local\n");
        Files.writeString(dir.resolve("p.yml"), """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - stat: path=%1$s.before
                    - copy: dest=%1$s content="by h1\\n"
                      when: inventory_hostname == 'h1'
                    - stat: path=%1$s
                      register: s
                    - debug: msg="{{ inventory_hostname }} sees {{ s.stat.exists }}"
                """.formatted(shared));
        DroverCli.Result r = DroverCli.run("run", "-i", dir.resolve("inv.ini").toString(), dir.resolve("p.yml").toString());
        assertEquals(0, r.exit(), r::toString);
        // h2 changed nothing itself, but h1 did, on the same machine: h2 reads the path again
        assertTrue(r.out().contains("\"msg\": \"h2 sees True\""), r::toString);
        assertTrue(r.out().contains("\"msg\": \"h1 sees True\""), r::toString);
    }

    @Test
    void anAsyncJobRunningMeanwhileStopsReadingAhead(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("f");
        Path late = dir.resolve("late");
        Files.writeString(dir.resolve("p.yml"), """
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - shell: sleep 1; touch %2$s
                      async: 20
                      poll: 0
                    - pause:
                        seconds: 0
                    - stat: path=%1$s
                    - pause:
                        seconds: 2
                    - stat: path=%2$s
                      register: s
                    - debug: msg="late {{ s.stat.exists }}"
                """.formatted(f, late));
        DroverCli.Result r = DroverCli.run("run", dir.resolve("p.yml").toString());
        assertEquals(0, r.exit(), r::toString);
        // the first stat ran after the job started and before it touched the file: only a fresh look sees it
        assertTrue(r.out().contains("\"msg\": \"late True\""), r::toString);
    }

    @Test
    void aLoopItemsChangeReadsTheNextItemsPathsInItsOwnRoundTrip(@TempDir Path dir) throws IOException {
        Path r = dir.resolve("root");
        // item 2 is under item 1: the re-read after item 1's mkdir must see it made
        Files.writeString(dir.resolve("p.yml"), """
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - file: path={{ item }} state=directory mode=0750
                      loop: ["%1$s/a", "%1$s/a/b", "%1$s/c"]
                    - copy: dest=%1$s/a/x.conf content="{{ item }}\\n" mode=0644
                      loop: [one, two]
                """.formatted(r));
        DroverCli.Result first = DroverCli.run("run", "-vvv", dir.resolve("p.yml").toString());
        assertEquals("ok=2 changed=2 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0", first.recap().get("localhost"),
                first::toString);
        // the directories: one read (the loop's paths with the next task's), then one trip an item,
        // each change with the next items' paths (step by step: 3 more probes);
        // the copies: a read, item 1's write with item 2's path, a cat of what it wrote, item 2's write
        assertEquals(4 + 4, commands(first), first::all);
        assertEquals("two\n", Files.readString(r.resolve("a/x.conf")), "the second item saw the first's file");
        for (String d : new String[] {"a", "a/b", "c"}) {
            assertEquals("rwxr-x---", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(r.resolve(d))), d);
        }
        DroverCli.Result rerun = DroverCli.run("run", dir.resolve("p.yml").toString());
        // the directories are there; the copies take turns, as under Ansible
        assertEquals("ok=2 changed=1 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0", rerun.recap().get("localhost"),
                rerun::toString);
        assertTrue(rerun.out().contains("ok: [localhost] => (item=" + r + "/a/b)"), rerun::toString);
    }
}
