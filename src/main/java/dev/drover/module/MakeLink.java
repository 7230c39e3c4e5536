package dev.drover.module;

import dev.drover.connection.ShellQuote;

/** Creates or replaces a symbolic link at {@code path} pointing to {@code target} (atomically). */
public record MakeLink(String path, String target, String owner, String group) implements Change {

    @Override
    public String describe() {
        return "link " + path + " -> " + target;
    }

    @Override
    public ShellCommand command() {
        String p = ShellQuote.quote(path);
        String tmp = ShellQuote.quote(path + ".drover-link");
        StringBuilder s = new StringBuilder("set -e; rm -f -- ").append(tmp).append("; ln -s -- ")
                .append(ShellQuote.quote(target)).append(' ').append(tmp).append("; ");
        if (owner != null || group != null) {
            s.append("chown -h ").append(ShellQuote.quote((owner == null ? "" : owner) + (group == null ? "" : ":" + group)))
                    .append(" -- ").append(tmp).append("; ");
        }
        s.append("if [ -d ").append(p).append(" ] && [ ! -L ").append(p).append(" ]; then rmdir -- ").append(p)
                .append("; fi; mv -Tf -- ").append(tmp).append(' ').append(p);
        return ShellCommand.of(s.toString());
    }

    @Override
    public void simulate(SimulatedState state, String user) {
        state.putFile(new FileState(path, FileState.Kind.LINK, "0777", owner != null ? owner : user,
                group != null ? group : user, target.length(), null, target), null);
    }
}
