package dev.drover.module;

import dev.drover.connection.ShellQuote;

/** Removes a path and, for a directory, everything below it. */
public record RemovePath(String path) implements Change {

    @Override
    public String describe() {
        return "remove " + path;
    }

    @Override
    public ShellCommand command() {
        return ShellCommand.of("rm -rf -- " + ShellQuote.quote(path));
    }

    @Override
    public void simulate(SimulatedState state, String user) {
        state.remove(path);
    }
}
