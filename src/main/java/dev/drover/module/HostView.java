package dev.drover.module;

import dev.drover.connection.CommandResult;
import dev.drover.connection.ConnectionException;
import java.util.Optional;

/**
 * Read-only access to a host's state, as the task's user sees it. In check mode the engine hands
 * modules a view that answers from the simulated state first (what earlier steps would have done)
 * and from the host otherwise, so a module plans the same way in both modes.
 */
public interface HostView {

    /**
     * A probe's output line that starts with this holds the host's clock ({@code $(date +%s)}):
     * what a probe answers is recorded in a plan (the state a forecast was made against), the time
     * of day is not.
     */
    String CLOCK_LINE = "drover-host-clock ";

    /** The path's state, without following a final symlink. */
    FileState file(String path) throws ConnectionException;

    /** The path's state, following symlinks (what {@code stat -L} sees). */
    FileState fileFollow(String path) throws ConnectionException;

    /**
     * As {@link #file}, without the checksum ({@code sha1} is null): for modules that look at a
     * path's kind and attributes only (file), so a live host reads no content.
     */
    default FileState attributes(String path) throws ConnectionException {
        FileState f = file(path);
        return f.sha1() == null ? f
                : new FileState(f.path(), f.kind(), f.mode(), f.owner(), f.group(), f.size(), null, f.linkTarget());
    }

    /**
     * What the path is, links not followed: {@code file(path).kind()}, which a live host answers
     * with the shell's own tests (no process).
     */
    default FileState.Kind kind(String path) throws ConnectionException {
        return file(path).kind();
    }

    /**
     * What the path names, links followed: {@code fileFollow(path).kind()}, for the questions
     * "does the parent exist, is it a directory" that need no mode or owner.
     */
    default FileState.Kind kindFollow(String path) throws ConnectionException {
        return fileFollow(path).kind();
    }

    /** A regular file's content; empty when the path is absent or not readable. */
    Optional<byte[]> read(String path) throws ConnectionException;

    Optional<UserState> user(String name) throws ConnectionException;

    Optional<GroupState> group(String name) throws ConnectionException;

    /**
     * Runs a command that only reads (a probe). Its output reflects the real host, never the
     * simulated state: modules use it for what the state model does not cover.
     */
    CommandResult probe(String script) throws ConnectionException;

    /**
     * Everything below a directory except symlinks (for {@code recurse}): kind, mode, owner and
     * group of each path. A simulated view answers from its state where the run changed things.
     */
    default java.util.List<FileState> descendants(String dir) throws ConnectionException {
        CommandResult r = probe("find " + dev.drover.connection.ShellQuote.quote(dir)
                + " -mindepth 1 ! -type l -printf '%y\\t%m\\t%u\\t%g\\t%p\\n' 2>/dev/null");
        java.util.List<FileState> out = new java.util.ArrayList<>();
        for (String line : r.out().split("\n")) {
            String[] f = line.split("\t", 5);
            if (f.length < 5) {
                continue;
            }
            FileState.Kind kind = f[0].equals("d") ? FileState.Kind.DIRECTORY : FileState.Kind.FILE;
            out.add(new FileState(f[4], kind, Modes.octal(Integer.parseInt(f[1], 8)), f[2], f[3], 0, null, null));
        }
        return out;
    }

    /**
     * The podman object {@code kind} ({@link PodmanObject#IMAGE} or {@link PodmanObject#SECRET})
     * called {@code name} in the task user's podman store; empty when absent (or when podman cannot
     * answer: modules check for podman first). A simulated view answers from what this run would
     * have built or created first. One probe: {@code podman image|secret inspect --format ...}.
     */
    default Optional<PodmanObject> podman(String kind, String name) throws ConnectionException {
        CommandResult r = probe(PodmanObject.inspectScript(kind, name));
        return r.succeeded() ? PodmanObject.parse(kind, name, r.out()) : Optional.empty();
    }

    /**
     * Paths at or below {@code dir} that this run changed but the host does not show yet (check
     * mode: what earlier steps would have written); always empty for a live view. Modules that
     * digest a directory on the host (podman_image's build context) cannot trust the host's
     * answer for those.
     */
    default java.util.List<String> pendingBelow(String dir) {
        return java.util.List.of();
    }

    /** The user commands run as on this host for this task (after become). */
    String user() throws ConnectionException;

    /** That user's home directory, for {@code ~} expansion. */
    String home() throws ConnectionException;

    /**
     * A path as earlier steps of this check run left it (absent included, e.g. below a directory
     * the run would create); empty when no step touched it — always on a live host. For modules
     * that read many paths in one probe of their own and must still see the run's simulated
     * files (read the content through {@link #read}, which answers from the simulation).
     */
    default Optional<FileState> recordedFile(String path) {
        return Optional.empty();
    }

    /**
     * A podman object of the task's user as earlier steps of this check run left it (an empty
     * optional inside: removed); empty when no step touched it — always on a live host.
     */
    default Optional<Optional<PodmanObject>> recordedPodman(String kind, String name) {
        return Optional.empty();
    }

    /**
     * A systemd unit as earlier steps of this check run left it under {@code manager}
     * ({@code system}, {@code user:NAME}, {@code global}); empty when no step touched it — always
     * on a live host, where the module asks systemctl.
     */
    default Optional<UnitState> recordedUnit(String manager, String unit) {
        return Optional.empty();
    }

    /**
     * Whether earlier steps of this check run changed unit files below {@code dirs} since
     * {@code manager} last (re)loaded them; empty when the run recorded neither (always on a live
     * host, where the module compares the files' mtimes with the manager's UnitsLoadTimestamp).
     */
    default Optional<Boolean> recordedReloadNeeded(String manager, java.util.Collection<String> dirs) {
        return Optional.empty();
    }

    /**
     * The states of many paths at once (lstat: links not followed; a regular file's SHA-1), in
     * one round trip: for modules that compare whole trees (copy of a directory, assemble, find).
     * Paths earlier steps of a check run recorded answer from the simulation.
     */
    default java.util.Map<String, FileState> states(java.util.Collection<String> paths) throws ConnectionException {
        return PathStates.states(this, paths);
    }

    /**
     * Other state as earlier steps of this check run left it (see {@link SimulatedState#record}):
     * packages, checkouts; empty when no step touched it — always on a live host, where the module
     * asks the host.
     */
    default Optional<Optional<Object>> recorded(String kind, String key) {
        return Optional.empty();
    }

    /**
     * Whether an earlier step of this check run would install the package {@code name} (an
     * {@code apt}/{@code package}/{@code dnf} step recorded it installed): a module that needs a
     * program that package brings (podman) then forecasts against the package as installed
     * instead of failing on its absence. Always false on a live host.
     */
    default boolean installedByRun(String name) {
        for (String kind : java.util.List.of("apt", "dnf")) {
            Optional<Optional<Object>> r = recorded(kind, name);
            if (r.isPresent() && r.get().isPresent() && !String.valueOf(r.get().get()).startsWith("rc|")) {
                return true;
            }
        }
        return false;
    }
}
