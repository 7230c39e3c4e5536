package dev.drover.module;

import dev.drover.connection.ShellQuote;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Directories with the same attributes made by one {@code mkdir -p [-m MODE] -- a a/b a/b/c}
 * (each argument in order, each created with the mode, as the {@link MakeDirectory} changes one
 * after the other would): the merge of a plan's consecutive {@link MakeDirectory} changes, so the
 * missing levels of a path cost one process on the host instead of one each.
 */
public record MakeDirectories(List<MakeDirectory> dirs) implements Change {

    public MakeDirectories {
        dirs = List.copyOf(dirs);
        if (dirs.isEmpty()) {
            throw new IllegalArgumentException("no directories");
        }
    }

    @Override
    public String describe() {
        return dirs.size() == 1 ? dirs.get(0).describe()
                : "create directories " + dirs.get(0).path() + " ... " + dirs.get(dirs.size() - 1).path();
    }

    @Override
    public ShellCommand command() {
        MakeDirectory first = dirs.get(0);
        StringBuilder paths = new StringBuilder();
        for (MakeDirectory d : dirs) {
            paths.append(paths.isEmpty() ? "" : " ").append(ShellQuote.quote(d.path()));
        }
        boolean octal = first.mode() != null && first.mode().matches("[0-7]{4}");
        StringBuilder s = new StringBuilder("set -e; mkdir -p ");
        if (octal) {
            s.append("-m ").append(first.mode()).append(' ');
        }
        s.append("-- ").append(paths);
        SetAttributes.appendAttributes(s, paths.toString(), octal ? null : first.mode(), first.owner(), first.group(),
                false);
        return ShellCommand.of(s.toString());
    }

    @Override
    public Optional<Change> mergedWith(Change next) {
        if (next instanceof MakeDirectory d && dirs.get(0).sameAttributes(d)) {
            List<MakeDirectory> more = new ArrayList<>(dirs);
            more.add(d);
            return Optional.of(new MakeDirectories(more));
        }
        return Optional.empty();
    }

    @Override
    public void simulate(SimulatedState state, String user) {
        for (MakeDirectory d : dirs) {
            d.simulate(state, user);
        }
    }
}
