package dev.drover.connection;

import java.nio.charset.StandardCharsets;

/** What one command run through a {@link Shell} produced. Byte-exact: output may be binary. */
public record CommandResult(int exitCode, byte[] stdout, byte[] stderr) {

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** stdout decoded as UTF-8, unchanged (a trailing newline is kept). */
    public String out() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    /** stderr decoded as UTF-8, unchanged. */
    public String err() {
        return new String(stderr, StandardCharsets.UTF_8);
    }
}
