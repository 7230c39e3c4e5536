package dev.drover.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.engine.HostStats;
import dev.drover.engine.RunEvent;
import dev.drover.engine.RunListener;
import dev.drover.engine.Status;
import dev.drover.engine.TaskResult;
import dev.drover.vault.Keyring;
import dev.drover.yaml.Location;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A vault value that reached a result (nested, in a failure message, in a task name) is masked in
 * both reports before it is escaped, with the run's {@link Keyring#mask}.
 */
class ReportMaskingTest {
    static final String SECRET = "hunter2-vault\"<&";

    private static void feed(RunListener l) {
        TaskResult failed = new TaskResult("web1", Status.FAILED,
                Map.of("msg", "login failed for " + SECRET, "rc", 1, "nested", Map.of("list", List.of("x" + SECRET))),
                null, List.of(), List.of(), false, null);
        l.on(new RunEvent.PlaybookStarted(Path.of("site.yml"), false, false));
        l.on(new RunEvent.PlayStarted("p", List.of("web1"), new Location("site.yml", 1, 3)));
        l.on(new RunEvent.TaskStarted("use " + SECRET, false, new Location("site.yml", 4, 7), "command"));
        l.on(new RunEvent.HostDone(failed, false, false, false));
        l.on(new RunEvent.PlaybookFinished(List.of(new HostStats("web1", 0, 0, 0, 1, 0, 0, 0)), false));
    }

    @Test
    void bothReportsMaskVaultValues() {
        Keyring keyring = new Keyring(List.of());
        keyring.remember(SECRET); // as a decrypted vault value is remembered
        AtomicReference<String> json = new AtomicReference<>();
        AtomicReference<String> xml = new AtomicReference<>();
        feed(new JsonReport(json::set, keyring::mask));
        feed(new JunitReport(xml::set, keyring::mask, Map.of()));
        for (String doc : List.of(json.get(), xml.get())) {
            assertFalse(doc.contains("hunter2"), doc);
            assertTrue(doc.contains("********"), doc);
        }
        assertTrue(json.get().contains("\"msg\": \"login failed for ********\""), json.get());
        assertTrue(xml.get().contains("message=\"login failed for ********\""), xml.get());
    }
}
