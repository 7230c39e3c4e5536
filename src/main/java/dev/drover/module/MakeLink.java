package dev.drover.module;

import dev.drover.connection.ShellQuote;

/**
 * Creates or replaces a symbolic link at {@code path} pointing to {@code target} (atomically).
 *
 * @param replacing false when the plan saw nothing at {@code path}: the link is made in place by
 *                  one {@code ln -sT} (a symlink is created atomically), and only if something
 *                  appeared there since, replaced as when true (a temp link renamed over it)
 */
public record MakeLink(String path, String target, String owner, String group, boolean replacing) implements Change {

    public MakeLink(String path, String target, String owner, String group) {
        this(path, target, owner, group, true);
    }

    @Override
    public String describe() {
        return "link " + path + " -> " + target;
    }

    @Override
    public ShellCommand command() {
        String p = ShellQuote.quote(path);
        String tmp = ShellQuote.quote(path + ".drover-link");
        String t = ShellQuote.quote(target);
        String chown = owner == null && group == null ? null
                : "chown -h " + ShellQuote.quote((owner == null ? "" : owner) + (group == null ? "" : ":" + group)) + " -- ";
        StringBuilder replace = new StringBuilder("rm -f -- ").append(tmp).append("; ln -s -- ").append(t).append(' ')
                .append(tmp).append("; ");
        if (chown != null) {
            replace.append(chown).append(tmp).append("; ");
        }
        replace.append("if [ -d ").append(p).append(" ] && [ ! -L ").append(p).append(" ]; then rmdir -- ").append(p)
                .append("; fi; mv -Tf -- ").append(tmp).append(' ').append(p);
        StringBuilder s = new StringBuilder("set -e; ");
        if (replacing) {
            s.append(replace);
        } else {
            s.append("if ln -sT -- ").append(t).append(' ').append(p).append(" 2>/dev/null; then ")
                    .append(chown == null ? ":" : chown + p).append("; else ").append(replace).append("; fi");
        }
        return ShellCommand.of(s.toString());
    }

    @Override
    public void simulate(SimulatedState state, String user) {
        state.putFile(new FileState(path, FileState.Kind.LINK, "0777", owner != null ? owner : user,
                group != null ? group : user, target.length(), null, target), null);
    }
}
