package dev.drover.module;

import dev.drover.connection.ShellQuote;

/**
 * Sets mode, owner and group of an existing path (null ones are left alone); {@code recurse}
 * applies them to everything below a directory too.
 *
 * @param before the path's state when planned: the base of the simulated result
 */
public record SetAttributes(FileState before, String mode, String owner, String group, boolean recurse)
        implements Change {

    @Override
    public String describe() {
        return "set attributes of " + before.path();
    }

    @Override
    public ShellCommand command() {
        String p = ShellQuote.quote(before.path());
        StringBuilder s = new StringBuilder("set -e; :");
        appendAttributes(s, p, mode, owner, group, recurse);
        return ShellCommand.of(s.toString());
    }

    static void appendAttributes(StringBuilder s, String quotedPath, String mode, String owner, String group,
                                 boolean recurse) {
        String r = recurse ? "-R " : "";
        if (owner != null) {
            s.append("; chown -h ").append(r).append(ShellQuote.quote(owner)).append(" -- ").append(quotedPath);
        }
        if (group != null) {
            s.append("; chgrp -h ").append(r).append(ShellQuote.quote(group)).append(" -- ").append(quotedPath);
        }
        if (mode != null) {
            s.append("; chmod ").append(r).append(ShellQuote.quote(mode)).append(" -- ").append(quotedPath);
        }
    }

    @Override
    public void simulate(SimulatedState state, String user) {
        state.putAttributes(before.withAttributes(Modes.apply(mode, before.mode(), before.isDirectory()), owner, group));
    }
}
