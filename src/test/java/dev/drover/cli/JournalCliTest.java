package dev.drover.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.testing.DroverCli;
import dev.drover.testing.GitRepos;
import dev.drover.testing.Requirements;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal through the command line, with real runs on localhost: what {@code drover run}
 * records, what {@code drover history} shows, secrets kept out of the database file, SIGINT and
 * runs at once as separate processes, and {@code --require-clean} on a real git repository.
 */
class JournalCliTest {

    private static final String PLAYBOOK = """
            - hosts: localhost
              gather_facts: false
              tasks:
                - name: The config
                  copy:
                    content: "port={{ port | default(80) }}\\n"
                    dest: %1$s/out/app.conf
                - name: Two directories
                  file:
                    path: "%1$s/out/{{ item }}"
                    state: directory
                  loop: [a, b]
                - name: A look
                  command: "true"
                  changed_when: false
            """;

    /** A playbook in a fresh git repository with one commit. */
    private static Path repository(Path dir) throws Exception {
        GitRepos.requireGit();
        Path repo = Files.createDirectories(dir.resolve("repo"));
        Files.createDirectories(dir.resolve("out"));
        Path p = Files.writeString(repo.resolve("site.yml"), PLAYBOOK.formatted(dir));
        GitRepos.git(repo, "init", "-q", "-b", "main");
        GitRepos.git(repo, "add", "site.yml");
        GitRepos.git(repo, "commit", "-q", "-m", "first");
        return p;
    }

    private static String bytesOf(Path db) throws IOException {
        StringBuilder b = new StringBuilder();
        for (String suffix : List.of("", "-wal", "-shm")) {
            Path f = Path.of(db + suffix);
            if (Files.exists(f)) {
                b.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
        return b.toString();
    }

    @Test
    void realRunsAreRecordedAndHistoryListsShowsAndDiffsThem(@TempDir Path dir) throws Exception {
        Path p = repository(dir);
        String commit = GitRepos.git(p.getParent(), "rev-parse", "HEAD");
        String db = dir.resolve("journal.db").toString();
        DroverCli.Result first = DroverCli.run("run", "--journal", db, p.toString(), "-e", "port=81 db_password=hunter2");
        assertEquals(0, first.exit(), first::toString);
        DroverCli.Result check = DroverCli.run("run", "--journal", db, "--check", p.toString());
        assertEquals(0, check.exit(), check::toString);
        DroverCli.Result off = DroverCli.run("run", "--journal", db, "--no-journal", p.toString());
        assertEquals(0, off.exit(), off::toString);
        Files.writeString(p.getParent().resolve("new.txt"), "x\n"); // the tree is dirty now
        DroverCli.Result second = DroverCli.run("run", "--journal", db, p.toString());
        assertEquals(0, second.exit(), second::toString);

        DroverCli.Result list = DroverCli.run("history", "--journal", db);
        assertEquals(0, list.exit(), list::toString);
        List<String> lines = list.out().lines().toList();
        assertEquals(3, lines.size(), "a header and the two real runs (not --check, not --no-journal):\n" + list.out());
        assertTrue(lines.get(1).matches("\\s*2\\s.*site\\.yml\\s+" + commit.substring(0, 12) + "\\+dirty\\s+1\\s+3\\s+0\\s+0\\s+0"
                + "\\s+finished, exit 0, .*"), lines.get(1));
        assertTrue(lines.get(2).matches("\\s*1\\s.*" + commit.substring(0, 12) + "\\s+1\\s+3\\s+2\\s+0\\s+0\\s+finished.*"),
                lines.get(2));

        DroverCli.Result changed = DroverCli.run("history", "--journal", db, "--changed", "--host", "localhost", "-n", "1");
        assertEquals(2, changed.out().lines().count(), changed::toString);

        DroverCli.Result show = DroverCli.run("history", "--journal", db, "show", "1");
        assertEquals(0, show.exit(), show::toString);
        assertTrue(show.out().contains("command    drover run --journal " + db + " " + p + " -e 'port=81 db_password=********'"),
                show.out());
        assertTrue(show.out().contains("git        " + p.getParent().toRealPath() + " at " + commit + " (main), clean"), show.out());
        assertTrue(show.out().contains("TASK [The config] " + p + ":4 copy"), show.out());
        assertTrue(show.out().contains("changed: [localhost] file " + dir.resolve("out/app.conf")), show.out());
        assertTrue(show.out().contains("changed: [localhost] file " + dir.resolve("out/a") + ", file " + dir.resolve("out/b")),
                show.out());
        assertTrue(show.out().matches("(?s).*PLAY RECAP\nlocalhost\\s+: ok=3\\s+changed=2 .*"), show.out());

        DroverCli.Result last = DroverCli.run("history", "--journal", db, "show", "last", "--changed");
        assertTrue(last.out().contains("uncommitted changes:\n               ?? new.txt"), last.out());
        assertFalse(last.out().contains("TASK [A look]"), "--changed leaves the unchanged tasks out:\n" + last.out());

        DroverCli.Result diff = DroverCli.run("history", "--journal", db, "diff", "1", "2");
        assertEquals(0, diff.exit(), diff::toString);
        assertTrue(diff.out().contains("commit: " + commit.substring(0, 12) + " → " + commit.substring(0, 12) + "+dirty"),
                diff.out());
        assertTrue(diff.out().contains("TASK [Two directories]: changed (file " + dir.resolve("out/a") + ", file "
                + dir.resolve("out/b") + ") → ok"), diff.out());
        assertFalse(diff.out().contains("TASK [A look]"), diff.out());

        assertFalse(bytesOf(Path.of(db)).contains("hunter2"), "the -e password is not in the journal's files");

        DroverCli.Result none = DroverCli.run("history", "--journal", db, "show", "7");
        assertEquals(1, none.exit());
        assertTrue(none.err().contains("has no run 7 (the last is 2)"), none::toString);
        DroverCli.Result badSince = DroverCli.run("history", "--journal", db, "--since", "yesterday");
        assertEquals(5, badSince.exit(), badSince::toString);
        DroverCli.Result noJournal = DroverCli.run("history", "--journal", dir.resolve("nothing.db").toString());
        assertEquals(1, noJournal.exit());
        assertTrue(noJournal.err().contains("no journal at"), noJournal::toString);
    }

    @Test
    void vaultSecretsNeverReachTheJournal(@TempDir Path dir) throws Exception {
        Path p = VaultRunTest.project(dir);
        Files.createDirectories(dir.resolve("out"));
        String db = dir.resolve("journal.db").toString();
        DroverCli.Result r = DroverCli.run("run", "--journal", db, p.toString(), "--vault-password-file",
                dir.resolve("pw.txt").toString());
        assertEquals(0, r.exit(), r::toString);
        DroverCli.Result show = DroverCli.run("history", "--journal", db, "show", "last");
        assertTrue(show.out().contains("failed: [localhost] (ignored) — no good: ********"), show.out());
        String bytes = bytesOf(Path.of(db));
        for (String s : List.of(VaultRunTest.FILE_SECRET, VaultRunTest.INLINE_SECRET, VaultRunTest.GROUP_SECRET,
                VaultRunTest.PASSWORD)) {
            assertFalse(bytes.contains(s), s + " is in the journal");
        }
    }

    @Test
    void theDefaultJournalIsUnderXdgStateHomeAndAnsibleCfgCanMoveOrDisableIt(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("out"));
        Path p = Files.writeString(dir.resolve("p.yml"), PLAYBOOK.formatted(dir));
        java.util.Map<String, String> env = new java.util.HashMap<>();
        env.put("HOME", dir.resolve("home").toString());
        env.put("PATH", System.getenv("PATH"));
        env.put("XDG_STATE_HOME", dir.resolve("state").toString());
        assertEquals(0, Main.executeIn(env, dir, "run", p.toString()));
        assertTrue(Files.isRegularFile(dir.resolve("state/drover/journal.db")));
        Path cfgDir = Files.createDirectories(dir.resolve("cfg"));
        Files.writeString(cfgDir.resolve("ansible.cfg"), "[drover]\njournal = journals/site.db\n");
        env.put("ANSIBLE_CONFIG", cfgDir.resolve("ansible.cfg").toString());
        assertEquals(0, Main.executeIn(env, dir, "run", p.toString()));
        assertTrue(Files.isRegularFile(cfgDir.resolve("journals/site.db")), "a relative path is the config file's");
        env.put("DROVER_JOURNAL_ENABLED", "false");
        Files.delete(cfgDir.resolve("journals/site.db"));
        assertEquals(0, Main.executeIn(env, dir, "run", p.toString()));
        assertFalse(Files.exists(cfgDir.resolve("journals/site.db")), "journal_enabled false records nothing");
    }

    @Test
    void requireCleanRefusesADirtyTreeOrNoRepository(@TempDir Path dir) throws Exception {
        Path p = repository(dir);
        DroverCli.Result clean = DroverCli.run("run", "--no-journal", "--require-clean", p.toString());
        assertEquals(0, clean.exit(), clean::toString);
        Files.writeString(p, Files.readString(p) + "\n# edited\n");
        DroverCli.Result dirty = DroverCli.run("run", "--no-journal", "--require-clean", p.toString());
        assertEquals(1, dirty.exit(), dirty::toString);
        assertTrue(dirty.err().contains("ERROR! --require-clean: the playbook's repository " + p.getParent().toRealPath()
                + " has uncommitted changes:\n   M site.yml"), dirty::toString);
        assertFalse(dirty.out().contains("PLAY"), "nothing ran");
        Path outside = Files.writeString(dir.resolve("loose.yml"), PLAYBOOK.formatted(dir));
        DroverCli.Result loose = DroverCli.run("run", "--no-journal", "--require-clean", outside.toString());
        assertEquals(1, loose.exit(), loose::toString);
        assertTrue(loose.err().contains("is not in a git repository"), loose::toString);
    }

    private static Process drover(Path dir, String name, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), "dev.drover.cli.Main"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile()).start();
    }

    @Test
    void anInterruptedRunLeavesACompleteRecordMarkedInterrupted(@TempDir Path dir) throws Exception {
        Path pidFile = dir.resolve("sleep.pid");
        Path p = Files.writeString(dir.resolve("p.yml"), """
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - name: Before
                      copy: {content: "x\\n", dest: %s/before}
                    - name: Sleep
                      shell: echo $$ > %s && exec sleep 60
                    - name: Never
                      command: touch %s/never
                """.formatted(dir, pidFile, dir));
        String db = dir.resolve("journal.db").toString();
        Process run = drover(dir, "run", "run", "--journal", db, p.toString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(Files.exists(pidFile) && !Files.readString(pidFile).isBlank()) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        new ProcessBuilder("kill", "-INT", String.valueOf(run.pid())).inheritIO().start().waitFor();
        assertTrue(run.waitFor(30, TimeUnit.SECONDS), "drover stops after SIGINT");
        assertEquals(99, run.exitValue(), Files.readString(dir.resolve("run.err")));
        DroverCli.Result show = DroverCli.run("history", "--journal", db, "show", "last");
        assertTrue(show.out().startsWith("run 1: interrupted, exit 99, "), show + Files.readString(dir.resolve("run.err")));
        assertTrue(show.out().contains("changed: [localhost] file " + dir.resolve("before")), show.out());
        assertTrue(show.out().contains("TASK [Sleep]") && show.out().contains("  interrupted: [localhost]"),
                "the task Ctrl-C stopped is there too:\n" + show.out());
        assertFalse(show.out().contains("TASK [Never]"), show.out());
        assertTrue(show.out().matches("(?s).*PLAY RECAP\nlocalhost\\s+: ok=1\\s+changed=1 .*"), show.out());
    }

    @Test
    void runsAtOnceInSeparateProcessesAllLand(@TempDir Path dir) throws Exception {
        String db = dir.resolve("journal.db").toString();
        int n = 3;
        List<Process> runs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path d = Files.createDirectories(dir.resolve("r" + i));
            Files.createDirectories(d.resolve("out"));
            Path p = Files.writeString(d.resolve("p.yml"), PLAYBOOK.formatted(d));
            runs.add(drover(dir, "r" + i, "run", "--journal", db, p.toString()));
        }
        for (int i = 0; i < n; i++) {
            assertTrue(runs.get(i).waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, runs.get(i).exitValue(), Files.readString(dir.resolve("r" + i + ".err")));
            assertFalse(Files.readString(dir.resolve("r" + i + ".err")).contains("journal"),
                    Files.readString(dir.resolve("r" + i + ".err")));
        }
        DroverCli.Result list = DroverCli.run("history", "--journal", db);
        assertEquals(n + 1, list.out().lines().count(), list.out());
        for (int i = 1; i <= n; i++) {
            DroverCli.Result show = DroverCli.run("history", "--journal", db, "show", String.valueOf(i));
            assertTrue(show.out().startsWith("run " + i + ": finished, exit 0"), show.out());
            assertEquals(3, show.out().lines().filter(l -> l.startsWith("  changed: ") || l.startsWith("  ok: ")).count(),
                    show.out());
        }
    }
}
