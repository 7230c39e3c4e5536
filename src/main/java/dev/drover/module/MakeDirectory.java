package dev.drover.module;

import dev.drover.connection.ShellQuote;

/** Creates a directory and its missing parents ({@code mkdir -p}), then sets its attributes. */
public record MakeDirectory(String path, String mode, String owner, String group) implements Change {

    @Override
    public String describe() {
        return "create directory " + path;
    }

    @Override
    public ShellCommand command() {
        String p = ShellQuote.quote(path);
        StringBuilder s = new StringBuilder("set -e; mkdir -p -- ").append(p);
        SetAttributes.appendAttributes(s, p, mode, owner, group, false);
        return ShellCommand.of(s.toString());
    }

    @Override
    public void simulate(SimulatedState state, String user) {
        state.putNewDirectory(new FileState(path, FileState.Kind.DIRECTORY, Modes.apply(mode, "0755", true),
                owner != null ? owner : user, group != null ? group : user, 4096, null, null));
    }
}
