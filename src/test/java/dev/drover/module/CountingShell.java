package dev.drover.module;

import dev.drover.connection.CommandResult;
import dev.drover.connection.ConnectionException;
import dev.drover.connection.Shell;
import java.time.Duration;

/** A real local sh that counts round trips, to hold a view to one per question; can change the host after the first. */
final class CountingShell implements Shell {
    final LocalShell inner = new LocalShell();
    int runs;
    /** Run once the first round trip has answered (null: nothing). */
    Runnable afterFirst;

    @Override
    public CommandResult run(String script, byte[] stdin, Duration timeout) throws ConnectionException {
        runs++;
        CommandResult r = inner.run(script, stdin, timeout);
        if (runs == 1 && afterFirst != null) {
            afterFirst.run();
        }
        return r;
    }

    @Override
    public String user() {
        return inner.user();
    }

    @Override
    public void close() {
    }
}
