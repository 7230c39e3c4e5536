package dev.drover.report;

import dev.drover.engine.RunEvent;
import dev.drover.engine.RunListener;
import java.io.PrintStream;
import java.util.function.LongSupplier;

/**
 * Ansible's {@code ansible.posix.timer} callback: when the run ends, one line
 * {@code Playbook run took D days, H hours, M minutes, S seconds} (whole seconds, as the callback
 * prints a timedelta's parts), counted from when the callback was created.
 */
public final class TimerListener implements RunListener {
    private final PrintStream out;
    private final LongSupplier millis;
    private final long start;

    public TimerListener(PrintStream out) {
        this(out, System::currentTimeMillis);
    }

    TimerListener(PrintStream out, LongSupplier millis) {
        this.out = out;
        this.millis = millis;
        this.start = millis.getAsLong();
    }

    static String line(long elapsedMillis) {
        long seconds = Math.max(0, elapsedMillis) / 1000;
        long days = seconds / 86400;
        long rest = seconds % 86400;
        return "Playbook run took " + days + " days, " + rest / 3600 + " hours, " + (rest / 60) % 60 + " minutes, "
                + rest % 60 + " seconds";
    }

    @Override
    public void on(RunEvent event) {
        if (event instanceof RunEvent.PlaybookFinished) {
            out.println(line(millis.getAsLong() - start));
            out.flush();
        }
    }
}
