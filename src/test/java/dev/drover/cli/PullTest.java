package dev.drover.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.testing.DroverCli;
import dev.drover.testing.GitRepos;
import dev.drover.testing.Requirements;
import dev.drover.testing.SshServerFixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code drover pull} against a real bare repository, by path and over ssh (the test sshd): a
 * commit pushed is picked up by the next pull, {@code --only-if-changed} runs nothing when nothing
 * changed, local edits stop an update unless {@code --clean}.
 */
class PullTest {

    /** A bare repository and a working clone of it whose local.yml writes "greeting" into {@code out}. */
    private static Path[] repositories(Path dir, Path out) throws Exception {
        GitRepos.requireGit();
        Path bare = dir.resolve("site.git");
        Path work = Files.createDirectories(dir.resolve("work"));
        GitRepos.git(dir, "init", "-q", "--bare", "-b", "main", bare.toString());
        GitRepos.git(work, "init", "-q", "-b", "main");
        GitRepos.git(work, "remote", "add", "origin", bare.toString());
        commit(work, "hello", out);
        return new Path[] {bare, work};
    }

    private static void commit(Path work, String greeting, Path out) throws Exception {
        Files.writeString(work.resolve("local.yml"), """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: Greet
                      copy:
                        content: "%s from {{ inventory_hostname }}\\n"
                        dest: %s
                    - name: Count the runs
                      shell: echo run >> %s.runs
                """.formatted(greeting, out, out));
        GitRepos.git(work, "add", "local.yml");
        GitRepos.git(work, "commit", "-q", "-m", greeting);
        GitRepos.git(work, "push", "-q", "origin", "main");
    }

    private static DroverCli.Result pull(Map<String, String> env, Path cwd, String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        synchronized (DroverCli.class) {
            try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                 PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
                System.setOut(o);
                System.setErr(e);
                List<String> a = new ArrayList<>(List.of("pull"));
                a.addAll(List.of(args));
                exit = Main.executeIn(env, cwd, a.toArray(String[]::new));
            } finally {
                System.setOut(oldOut);
                System.setErr(oldErr);
            }
        }
        return new DroverCli.Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Map<String, String> env(Path dir) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("HOME", dir.resolve("home").toString());
        return env;
    }

    private static long runs(Path out) throws IOException {
        Path f = Path.of(out + ".runs");
        return Files.exists(f) ? Files.readAllLines(f).size() : 0;
    }

    @Test
    void aPushedCommitIsPickedUpAndAnUnchangedRepositoryRunsNothing(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("greeting");
        Path[] repos = repositories(dir, out);
        Path dest = dir.resolve("checkout");
        Map<String, String> env = env(dir);

        DroverCli.Result first = pull(env, dir, "-U", repos[0].toString(), "-d", dest.toString(), "--no-journal");
        assertEquals(0, first.exit(), first::toString);
        assertTrue(first.out().contains("drover pull: cloned " + repos[0] + " into " + dest + " at "), first.out());
        assertEquals("hello from localhost\n", Files.readString(out));
        assertTrue(first.recap().get("localhost").startsWith("ok=2 changed=2"), first::toString);

        DroverCli.Result same = pull(env, dir, "-U", repos[0].toString(), "-d", dest.toString(), "-o", "--no-journal");
        assertEquals(0, same.exit(), same::toString);
        assertTrue(same.out().contains("Repository has not changed, quitting."), same.out());
        assertEquals(1, runs(out), "--only-if-changed ran nothing");

        commit(repos[1], "bonjour", out);
        String head = GitRepos.git(repos[1], "rev-parse", "HEAD");
        DroverCli.Result changed = pull(env, dir, "-U", repos[0].toString(), "-d", dest.toString(), "-o",
                "--journal", "journal.db", "-e", "unused=1", "--diff");
        assertEquals(0, changed.exit(), changed::toString);
        assertTrue(changed.out().contains(" → " + head.substring(0, 12)), changed.out());
        assertTrue(changed.out().contains("-hello from localhost\n+bonjour from localhost"), "--diff reached the run:\n" + changed.out());
        assertEquals("bonjour from localhost\n", Files.readString(out));
        assertEquals(2, runs(out));
        assertEquals(head, GitRepos.git(dest, "rev-parse", "HEAD"));

        // the run is in the journal (relative to where pull was started), with the checkout's commit
        DroverCli.Result show = DroverCli.run("history", "--journal", dir.resolve("journal.db").toString(), "show", "last");
        assertTrue(show.out().contains("git        " + dest.toRealPath() + " at " + head + ", clean"), show.out());

        // a local edit stops the update, --clean discards it
        Files.writeString(dest.resolve("local.yml"), "# edited here\n", java.nio.file.StandardOpenOption.APPEND);
        commit(repos[1], "hallo", out);
        DroverCli.Result refused = pull(env, dir, "-U", repos[0].toString(), "-d", dest.toString(), "--no-journal");
        assertEquals(1, refused.exit(), refused::toString);
        assertTrue(refused.err().contains("local modifications exist in " + dest + " (--clean discards them):\n   M local.yml"),
                refused::toString);
        assertEquals(2, runs(out), "nothing ran");
        DroverCli.Result cleaned = pull(env, dir, "-U", repos[0].toString(), "-d", dest.toString(), "--clean", "--no-journal");
        assertEquals(0, cleaned.exit(), cleaned::toString);
        assertEquals("hallo from localhost\n", Files.readString(out));
    }

    @Test
    void aBranchOrTagAndAPlaybookNamedOrMissing(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("greeting");
        Path[] repos = repositories(dir, out);
        GitRepos.git(repos[1], "tag", "v1");
        GitRepos.git(repos[1], "push", "-q", "origin", "v1");
        commit(repos[1], "later", out);
        Map<String, String> env = env(dir);
        Path dest = dir.resolve("checkout");
        DroverCli.Result tagged = pull(env, dir, "-U", repos[0].toString(), "-d", dest.toString(), "-C", "v1",
                "--no-journal", "local.yml");
        assertEquals(0, tagged.exit(), tagged::toString);
        assertEquals("hello from localhost\n", Files.readString(out), "the tag's playbook ran");

        DroverCli.Result missing = pull(env, dir, "-U", repos[0].toString(), "-d", dest.toString(), "--no-journal", "nope.yml");
        assertEquals(1, missing.exit(), missing::toString);
        assertTrue(missing.err().contains("the playbook " + dest.resolve("nope.yml") + " is not in the checkout"), missing::toString);

        DroverCli.Result badRef = pull(env, dir, "-U", repos[0].toString(), "-d", dest.toString(), "-C", "no-such-branch");
        assertEquals(1, badRef.exit(), badRef::toString);
        assertTrue(badRef.err().contains("ERROR! drover pull: cannot fetch no-such-branch of " + repos[0]), badRef::toString);

        DroverCli.Result other = pull(env, dir, "-U", dir.resolve("elsewhere.git").toString(), "-d", dest.toString());
        assertEquals(1, other.exit(), other::toString);
        assertTrue(other.err().contains("is a checkout of " + repos[0]), other::toString);
    }

    @Test
    void overSsh(@TempDir Path dir) throws Exception {
        Requirements.requireSshd();
        Requirements.requireRoot();
        SshServerFixture sshd = SshServerFixture.shared();
        Path out = dir.resolve("greeting");
        Path[] repos = repositories(dir, out);
        Map<String, String> env = env(dir);
        env.put("GIT_SSH_COMMAND", "ssh -o UserKnownHostsFile=" + sshd.knownHosts() + " -o BatchMode=yes");
        String url = "ssh://root@127.0.0.1:" + sshd.port() + repos[0];
        Path dest = dir.resolve("checkout");
        DroverCli.Result first = pull(env, dir, "-U", url, "-d", dest.toString(), "--private-key", sshd.clientKey().toString(),
                "--no-journal");
        assertEquals(0, first.exit(), first::toString);
        assertEquals("hello from localhost\n", Files.readString(out));
        commit(repos[1], "over ssh", out);
        DroverCli.Result second = pull(env, dir, "-U", url, "-d", dest.toString(), "--private-key", sshd.clientKey().toString(),
                "-o", "--no-journal");
        assertEquals(0, second.exit(), second::toString);
        assertEquals("over ssh from localhost\n", Files.readString(out));
        assertFalse(second.out().contains("Repository has not changed"), second.out());
    }
}
