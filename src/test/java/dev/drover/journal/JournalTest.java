package dev.drover.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.engine.HostStats;
import dev.drover.engine.RunEvent;
import dev.drover.engine.Status;
import dev.drover.engine.TaskResult;
import dev.drover.yaml.Location;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal on a real SQLite file: what a recorder writes from the engine's events, and what history reads. */
class JournalTest {

    private static RunRecorder recorder(Path db, String command) {
        return new RunRecorder(db, new RunRecorder.RunInfo("alice", "ctl", ProcessHandle.current().pid(), command,
                Path.of("/srv/deploy/site.yml"), List.of("hosts.ini"), "web"), Optional::empty,
                s -> s.replace("hunter2", "********"));
    }

    private static TaskResult result(String host, Status status, Map<String, Object> values) {
        return new TaskResult(host, status, values, null, List.of(), List.of(), false, null);
    }

    private static void task(RunRecorder r, String name, String action, TaskResult... results) {
        r.on(new RunEvent.TaskStarted(name, false, new Location("/srv/deploy/site.yml", 7, 5), action));
        for (TaskResult x : results) {
            r.on(new RunEvent.HostDone(x, false, false, false));
        }
    }

    @Test
    void aRunIsRecordedWithItsResultsAndRecap(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("state/drover/journal.db");
        RunRecorder r = recorder(db, "drover run site.yml");
        r.on(new RunEvent.PlaybookStarted(Path.of("/srv/deploy/site.yml"), false, false));
        r.on(new RunEvent.PlayStarted("Deploy", List.of("web1", "web2")));
        task(r, "Config", "ansible.builtin.copy", result("web1", Status.CHANGED, Map.of("dest", "/etc/app.conf")),
                result("web2", Status.OK, Map.of("dest", "/etc/app.conf")));
        task(r, "User", "user", result("web1", Status.CHANGED, Map.of("name", "vocalyx")),
                result("web2", Status.FAILED, Map.of("msg", "useradd: hunter2 is not allowed")));
        r.on(new RunEvent.PlaybookFinished(List.of(new HostStats("web1", 2, 2, 0, 0, 0, 0, 0),
                new HostStats("web2", 1, 0, 0, 1, 0, 0, 0)), false));
        r.finish(2, null);
        assertNull(r.problem());
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(db)));

        try (Journal j = Journal.open(db)) {
            Journal.RunSummary run = j.run(j.lastRun());
            assertEquals("finished", run.status());
            assertEquals(2, run.exitCode());
            assertEquals("alice", run.user());
            assertEquals("web", run.limit());
            assertEquals(List.of("web1", "web2"), run.recap().stream().map(Journal.Recap::host).toList());
            List<Journal.Result> rs = j.results(run.id());
            assertEquals(4, rs.size());
            assertEquals(List.of("file /etc/app.conf"), rs.get(0).touched());
            assertEquals(List.of(), rs.get(1).touched(), "an ok result touched nothing");
            assertEquals(List.of("user vocalyx"), rs.get(2).touched());
            assertEquals("useradd: ******** is not allowed", rs.get(3).message());
            assertEquals("Deploy", rs.get(3).play());
            assertEquals("/srv/deploy/site.yml:7", rs.get(3).location());

            assertEquals(1, j.runs(new Journal.Filter("web1", null, true, 0)).size());
            assertEquals(0, j.runs(new Journal.Filter("web2", null, true, 0)).size(), "web2 changed nothing");
            assertEquals(0, j.runs(new Journal.Filter("nosuch", null, false, 0)).size());
            assertEquals(1, j.runs(new Journal.Filter(null, Journal.timestamp(Instant.now().minusSeconds(3600)), false, 0)).size());
            assertEquals(0, j.runs(new Journal.Filter(null, Journal.timestamp(Instant.now().plusSeconds(3600)), false, 0)).size());
        }
        String bytes = new String(Files.readAllBytes(db), StandardCharsets.ISO_8859_1)
                + (Files.exists(Path.of(db + "-wal")) ? new String(Files.readAllBytes(Path.of(db + "-wal")), StandardCharsets.ISO_8859_1) : "");
        assertFalse(bytes.contains("hunter2"), "the masked secret is not in the database file");
    }

    @Test
    void noLogResultsKeepTheirStatusOnly(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("j.db");
        RunRecorder r = recorder(db, "drover run");
        r.on(new RunEvent.PlaybookStarted(Path.of("/p.yml"), false, false));
        r.on(new RunEvent.TaskStarted("Secret", false, null, "copy"));
        r.on(new RunEvent.HostDone(result("h", Status.FAILED, Map.of("msg", "s3cr3t", "dest", "/s3cr3t")), true, false, false));
        r.on(new RunEvent.PlaybookFinished(List.of(), false));
        r.finish(2, null);
        try (Journal j = Journal.open(db)) {
            Journal.Result x = j.results(j.lastRun()).get(0);
            assertEquals("failed", x.status());
            assertNull(x.message());
            assertEquals(List.of(), x.touched());
        }
    }

    @Test
    void aRunThatNeverStartedLeavesNoRecord(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("j.db");
        RunRecorder r = recorder(db, "drover run bad.yml");
        r.finish(4, "bad.yml:3:5: no module named 'copyy'");
        try (Journal j = Journal.open(db)) {
            assertEquals(0, j.lastRun());
        }
    }

    @Test
    void aRunStoppedByAnErrorAfterItStartedSaysSo(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("j.db");
        RunRecorder r = recorder(db, "drover run");
        r.on(new RunEvent.PlaybookStarted(Path.of("/p.yml"), false, false));
        task(r, "One", "command", result("h", Status.CHANGED, Map.of()));
        r.finish(4, "an include could not be read");
        try (Journal j = Journal.open(db)) {
            Journal.RunSummary run = j.run(j.lastRun());
            assertEquals("error", run.status());
            assertEquals("an include could not be read", run.error());
            assertEquals(1, j.results(run.id()).size(), "the results before the error are kept");
        }
    }

    @Test
    void interruptedRunsAreMarked(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("j.db");
        RunRecorder r = recorder(db, "drover run");
        r.on(new RunEvent.PlaybookStarted(Path.of("/p.yml"), false, false));
        task(r, "One", "command", result("h", Status.CHANGED, Map.of()));
        r.on(new RunEvent.PlaybookFinished(List.of(new HostStats("h", 0, 1, 0, 0, 0, 0, 0)), true));
        r.finish(99, null);
        try (Journal j = Journal.open(db)) {
            Journal.RunSummary run = j.run(j.lastRun());
            assertEquals("interrupted", run.status());
            assertEquals(99, run.exitCode());
        }
    }

    @Test
    void recordersAtOnceOnOneJournalAllLand(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("j.db");
        int runs = 4;
        int tasks = 50;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int n = 0; n < runs; n++) {
            int id = n;
            Thread th = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                RunRecorder r = recorder(db, "run " + id);
                r.on(new RunEvent.PlaybookStarted(Path.of("/p" + id + ".yml"), false, false));
                for (int t = 0; t < tasks; t++) {
                    task(r, "task " + t, "copy", result("h" + id, Status.CHANGED, Map.of("dest", "/f" + t)));
                }
                r.on(new RunEvent.PlaybookFinished(List.of(new HostStats("h" + id, 0, tasks, 0, 0, 0, 0, 0)), false));
                r.finish(0, null);
                assertNull(r.problem());
            });
            th.start();
            threads.add(th);
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        try (Journal j = Journal.open(db)) {
            List<Journal.RunSummary> all = j.runs(new Journal.Filter(null, null, false, 0));
            assertEquals(runs, all.size());
            for (Journal.RunSummary s : all) {
                assertEquals("finished", s.status());
                assertEquals(tasks, j.results(s.id()).size(), s.command());
                assertEquals(tasks, s.total(Journal.Recap::changed));
            }
        }
    }

    @Test
    void aJournalOfANewerDroverIsRefused(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("j.db");
        try (Journal j = Journal.open(db)) {
            j.inTransaction(c -> c.createStatement().execute("PRAGMA user_version = 99"));
        }
        JournalException e = assertThrows(JournalException.class, () -> Journal.open(db));
        assertTrue(e.getMessage().contains("newer drover"), e.getMessage());
    }

    @Test
    void theDefaultJournalFollowsXdgStateHome() {
        assertEquals(Path.of("/s/drover/journal.db"), Journal.defaultPath(Map.of("XDG_STATE_HOME", "/s"), Path.of("/home/a")));
        assertEquals(Path.of("/home/a/.local/state/drover/journal.db"), Journal.defaultPath(Map.of(), Path.of("/home/a")));
        assertEquals(Path.of("/home/a/.local/state/drover/journal.db"),
                Journal.defaultPath(Map.of("XDG_STATE_HOME", "relative"), Path.of("/home/a")), "a relative XDG path is ignored");
    }

    @Test
    void commandLinesMaskSecretLookingExtraVars() {
        assertEquals("drover run -e 'db_password=******** app=web' -e who=me site.yml",
                Provenance.commandLine(List.of("run", "-e", "db_password=hunter2 app=web", "-e", "who=me", "site.yml")));
        assertEquals("drover run '--extra-vars=api_token=********' site.yml",
                Provenance.commandLine(List.of("run", "--extra-vars=api_token=abc", "site.yml")));
        assertEquals("drover run -e '********' site.yml",
                Provenance.commandLine(List.of("run", "-e", "{\"secret_key\": \"abc\"}", "site.yml")));
        assertEquals("drover run -e @vars.yml site.yml", Provenance.commandLine(List.of("run", "-e", "@vars.yml", "site.yml")));
        assertEquals("drover run -e '{\"port\": 80}' 'my play.yml'",
                Provenance.commandLine(List.of("run", "-e", "{\"port\": 80}", "my play.yml")));
    }

    @Test
    void sinceTakesDatesTimesAndAges() {
        Instant now = Instant.parse("2026-12-02T12:00:00Z");
        assertEquals(Instant.parse("2026-12-02T10:00:00Z"), RunHistory.since("2h", now));
        assertEquals(Instant.parse("2026-12-02T11:30:00Z"), RunHistory.since("30m", now));
        assertEquals(Instant.parse("2026-11-25T12:00:00Z"), RunHistory.since("1w", now));
        assertEquals(java.time.LocalDate.parse("2026-12-01").atStartOfDay(java.time.ZoneId.systemDefault()).toInstant(),
                RunHistory.since("2026-12-01", now));
        assertEquals(java.time.LocalDateTime.parse("2026-12-01T14:05").atZone(java.time.ZoneId.systemDefault()).toInstant(),
                RunHistory.since("2026-12-01 14:05", now));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunHistory.since("yesterday", now));
        assertTrue(e.getMessage().contains("30m"), e.getMessage());
    }

    @Test
    void diffNamesTheTasksWhoseOutcomeMoved(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("j.db");
        for (Status s : new Status[] {Status.CHANGED, Status.OK}) {
            RunRecorder r = recorder(db, "drover run");
            r.on(new RunEvent.PlaybookStarted(Path.of("/p.yml"), false, false));
            r.on(new RunEvent.PlayStarted("P", List.of("h")));
            task(r, "Config", "copy", result("h", s, Map.of("dest", "/etc/x")));
            task(r, "Same", "command", result("h", Status.OK, Map.of()));
            r.on(new RunEvent.PlaybookFinished(List.of(new HostStats("h", 2, s == Status.CHANGED ? 1 : 0, 0, 0, 0, 0, 0)), false));
            r.finish(0, null);
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (Journal j = Journal.open(db); PrintStream out = new PrintStream(b, true, StandardCharsets.UTF_8)) {
            RunHistory.diff(j.run(1), j.results(1), j.run(2), j.results(2), out);
        }
        String text = b.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("TASK [Config]: changed (file /etc/x) → ok"), text);
        assertFalse(text.contains("TASK [Same]"), text);
        assertTrue(text.contains("changed=1") && text.contains("changed=0"), text);
    }
}
