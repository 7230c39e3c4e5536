package dev.drover.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.engine.HostStats;
import dev.drover.engine.RunEvent;
import dev.drover.engine.RunListener;
import dev.drover.engine.Status;
import dev.drover.engine.TaskResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The live status lines: drawn on a terminal after 2 s, erased before other output; absent off one. */
class ProgressListenerTest {
    private static final long SECOND = 1_000_000_000L;


    private static TaskResult ok(String host) {
        return new TaskResult(host, Status.CHANGED, Map.of("changed", true), null, List.of(), List.of(), false, null);
    }

    /** Plays a run's events with the clock moved between them; returns what reached the terminal. */
    private static String play(boolean tty, AtomicLong clock, ByteArrayOutputStream buf, PrintStream out) {
        ConsoleListener console = new ConsoleListener(out, out, 0, false, s -> s.replace("s3cr3t", "********"));
        ProgressListener p = new ProgressListener(List.<RunListener>of(console), out, tty,
                s -> s.replace("s3cr3t", "********"), clock::get, 80);
        p.on(new RunEvent.PlaybookStarted(Path.of("site.yml"), false, false));
        p.on(new RunEvent.PlayStarted("deploy", List.of("web1", "web2")));
        p.on(new RunEvent.TaskStarted("Build", false, null, "podman_image"));
        p.on(new RunEvent.Progress("web1", "Build", "build image web:1 from ./web"));
        p.on(new RunEvent.Progress("web2", "Build", "build image web:1 from ./web"));
        clock.addAndGet(SECOND); // 1 s: nothing shown yet
        p.redraw();
        clock.addAndGet(2 * SECOND);
        p.on(new RunEvent.Progress("web1", "Build", "building web:1 (step 3/7) s3cr3t"));
        p.redraw();
        p.on(new RunEvent.HostDone(ok("web2"), false, false, false));
        clock.addAndGet(SECOND);
        p.redraw();
        p.on(new RunEvent.HostDone(ok("web1"), false, false, false));
        p.on(new RunEvent.PlaybookFinished(List.of(HostStats.empty("web1"), HostStats.empty("web2")), false));
        out.flush();
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void onATerminalEachWaitingHostHasALineThatIsErasedBeforeOtherOutput() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        String screen = play(true, new AtomicLong(), buf, out);
        String web1 = "\033[2m  [web1] 3s: building web:1 (step 3/7) ********\033[0m\n";
        String web2 = "\033[2m  [web2] 3s: build image web:1 from ./web\033[0m\n";
        assertTrue(screen.contains(web1 + web2), screen);
        // two lines up and cleared, then the console's line, then what still runs
        assertTrue(screen.contains(web1 + web2 + "\033[2A\033[Jchanged: [web2]\n" + web1), screen);
        assertTrue(screen.contains("\033[1A\033[J\033[2m  [web1] 4s: building web:1 (step 3/7) ********"), screen);
        assertTrue(screen.contains("\033[1A\033[Jchanged: [web1]\n"), screen);
        assertFalse(screen.contains("s3cr3t"), screen);
        // nothing after the recap: every line was erased
        assertFalse(screen.substring(screen.indexOf("PLAY RECAP")).contains("\033[2m"), screen);
        assertFalse(screen.contains("1s:"), "not before 2 s: " + screen);
    }

    @Test
    void offATerminalTheOutputIsTheConsolesByteForByte() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        String withProgress = play(false, new AtomicLong(), buf, out);

        ByteArrayOutputStream alone = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(alone, true, StandardCharsets.UTF_8);
        ConsoleListener console = new ConsoleListener(o, o, 0, false, s -> s.replace("s3cr3t", "********"));
        console.on(new RunEvent.PlaybookStarted(Path.of("site.yml"), false, false));
        console.on(new RunEvent.PlayStarted("deploy", List.of("web1", "web2")));
        console.on(new RunEvent.TaskStarted("Build", false, null, "podman_image"));
        console.on(new RunEvent.Progress("web1", "Build", "build image web:1 from ./web"));
        console.on(new RunEvent.HostDone(ok("web2"), false, false, false));
        console.on(new RunEvent.HostDone(ok("web1"), false, false, false));
        console.on(new RunEvent.PlaybookFinished(List.of(HostStats.empty("web1"), HostStats.empty("web2")), false));
        assertEquals(alone.toString(StandardCharsets.UTF_8), withProgress);
        assertFalse(withProgress.contains("\033"), withProgress);
    }
}
