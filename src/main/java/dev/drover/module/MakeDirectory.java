package dev.drover.module;

import dev.drover.connection.ShellQuote;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Creates a directory and its missing parents ({@code mkdir -p}), then sets its attributes. An
 * octal mode is given to {@code mkdir -m} (it applies to the last directory only, as the plan
 * makes one change per missing level), saving a {@code chmod}.
 */
public record MakeDirectory(String path, String mode, String owner, String group) implements Change {

    @Override
    public String describe() {
        return "create directory " + path;
    }

    @Override
    public ShellCommand command() {
        String p = ShellQuote.quote(path);
        boolean octal = mode != null && mode.matches("[0-7]{4}");
        StringBuilder s = new StringBuilder("set -e; mkdir -p ");
        if (octal) {
            s.append("-m ").append(mode).append(' ');
        }
        s.append("-- ").append(p);
        SetAttributes.appendAttributes(s, p, octal ? null : mode, owner, group, false);
        return ShellCommand.of(s.toString());
    }

    /** The next directory with the same attributes joins this one's {@code mkdir} ({@link MakeDirectories}). */
    @Override
    public Optional<Change> mergedWith(Change next) {
        return next instanceof MakeDirectory d && sameAttributes(d)
                ? Optional.of(new MakeDirectories(List.of(this, d))) : Optional.empty();
    }

    boolean sameAttributes(MakeDirectory d) {
        return Objects.equals(mode, d.mode) && Objects.equals(owner, d.owner) && Objects.equals(group, d.group);
    }

    @Override
    public void simulate(SimulatedState state, String user) {
        state.putNewDirectory(new FileState(path, FileState.Kind.DIRECTORY, Modes.apply(mode, "0755", true),
                owner != null ? owner : user, group != null ? group : user, 4096, null, null));
    }
}
