package dev.drover.module;

import dev.drover.connection.CommandResult;
import dev.drover.connection.ConnectionException;
import java.util.Optional;

/**
 * The view modules get in check mode: what earlier steps would have done ({@link SimulatedState})
 * first, the live host otherwise. {@link #probe} always asks the live host.
 */
public final class SimulatedHostView implements HostView {
    private static final int MAX_LINKS = 40;
    private final HostView live;
    private final SimulatedState state;
    private final UserState actingAs;

    public SimulatedHostView(HostView live, SimulatedState state) {
        this(live, state, null);
    }

    /**
     * A view for a task that becomes a user only this run creates: the host cannot start a shell
     * as that user yet, so {@code live} runs as another (root), and {@link #user()}/{@link #home()}
     * answer as {@code actingAs}, the user the simulation made.
     */
    public SimulatedHostView(HostView live, SimulatedState state, UserState actingAs) {
        this.live = live;
        this.state = state;
        this.actingAs = actingAs;
    }

    public SimulatedState state() {
        return state;
    }

    @Override
    public FileState file(String path) throws ConnectionException {
        Optional<FileState> sim = state.file(path);
        return sim.isPresent() ? sim.get() : live.file(path);
    }

    /** Follows links hop by hop through {@link #file}, so links the simulation made are followed too. */
    @Override
    public FileState fileFollow(String path) throws ConnectionException {
        String current = path;
        for (int i = 0; i < MAX_LINKS; i++) {
            FileState f = file(current);
            if (!f.isLink()) {
                if (current.equals(path)) {
                    return f;
                }
                return new FileState(path, f.kind(), f.mode(), f.owner(), f.group(), f.size(), f.sha1(), null);
            }
            current = resolve(current, f.linkTarget());
        }
        return FileState.absent(path);
    }

    @Override
    public FileState attributes(String path) throws ConnectionException {
        Optional<FileState> sim = state.file(path);
        return sim.isPresent() ? sim.get() : live.attributes(path);
    }

    @Override
    public FileState.Kind kind(String path) throws ConnectionException {
        Optional<FileState> sim = state.file(path);
        return sim.isPresent() ? sim.get().kind() : live.kind(path);
    }

    /** A link (simulated or live) is followed through {@link #fileFollow}: its target may be simulated. */
    @Override
    public FileState.Kind kindFollow(String path) throws ConnectionException {
        FileState.Kind own = kind(path);
        return own == FileState.Kind.LINK ? fileFollow(path).kind() : own;
    }

    @Override
    public Optional<byte[]> read(String path) throws ConnectionException {
        String current = path;
        for (int i = 0; i < MAX_LINKS; i++) {
            FileState f = file(current);
            if (f.isLink()) {
                current = resolve(current, f.linkTarget());
                continue;
            }
            Optional<Optional<byte[]>> content = state.content(current);
            if (content.isPresent()) {
                return content.get();
            }
            return live.read(current);
        }
        return Optional.empty();
    }

    @Override
    public Optional<UserState> user(String name) throws ConnectionException {
        Optional<Optional<UserState>> sim = state.user(name);
        return sim.isPresent() ? sim.get() : live.user(name);
    }

    @Override
    public Optional<GroupState> group(String name) throws ConnectionException {
        Optional<Optional<GroupState>> sim = state.group(name);
        return sim.isPresent() ? sim.get() : live.group(name);
    }

    @Override
    public Optional<PodmanObject> podman(String kind, String name) throws ConnectionException {
        Optional<Optional<PodmanObject>> sim = state.podman(user(), kind, name);
        if (sim.isPresent()) {
            return sim.get();
        }
        // a user this run creates has an empty store (the live shell is root's: never ask its store)
        return actingAs != null ? Optional.empty() : live.podman(kind, name);
    }

    @Override
    public java.util.List<String> pendingBelow(String dir) {
        String own = dir.length() > 1 && dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir;
        java.util.List<String> out = new java.util.ArrayList<>();
        if (state.file(own).isPresent()) { // recorded itself, or below a directory this run made or removed
            out.add(own);
        }
        out.addAll(state.pathsUnder(own));
        return out;
    }

    @Override
    public java.util.List<FileState> descendants(String dir) throws ConnectionException {
        java.util.Set<String> paths = new java.util.TreeSet<>();
        if (state.file(dir).isEmpty() || state.file(dir).get().exists()) {
            for (FileState f : live.descendants(dir)) {
                paths.add(f.path());
            }
        }
        paths.addAll(state.pathsUnder(dir));
        java.util.List<FileState> out = new java.util.ArrayList<>();
        for (String p : paths) {
            FileState f = file(p);
            if (f.exists() && !f.isLink()) {
                out.add(f);
            }
        }
        return out;
    }

    @Override
    public java.util.Map<String, FileState> states(java.util.Collection<String> paths) throws ConnectionException {
        java.util.Map<String, FileState> out = new java.util.LinkedHashMap<>();
        java.util.List<String> ask = new java.util.ArrayList<>();
        for (String p : paths) {
            Optional<FileState> sim = state.file(p);
            out.put(p, sim.orElse(null));
            if (sim.isEmpty()) {
                ask.add(p);
            }
        }
        if (!ask.isEmpty()) {
            out.putAll(live.states(ask));
        }
        return out;
    }

    @Override
    public Optional<FileState> recordedFile(String path) {
        return state.file(path);
    }

    @Override
    public Optional<Optional<PodmanObject>> recordedPodman(String kind, String name) {
        try {
            return state.podman(user(), kind, name);
        } catch (ConnectionException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<UnitState> recordedUnit(String manager, String unit) {
        return state.unit(manager, unit);
    }

    @Override
    public Optional<Boolean> recordedReloadNeeded(String manager, java.util.Collection<String> dirs) {
        return state.changedSinceReload(manager, dirs);
    }

    @Override
    public Optional<Optional<Object>> recorded(String kind, String key) {
        return state.record(kind, key);
    }

    @Override
    public CommandResult probe(String script) throws ConnectionException {
        return live.probe(script);
    }

    @Override
    public String user() throws ConnectionException {
        return actingAs != null ? actingAs.name() : live.user();
    }

    @Override
    public String home() throws ConnectionException {
        return actingAs != null ? actingAs.home() : live.home();
    }

    /** A link's target as a path: absolute as is, relative against the link's directory. */
    static String resolve(String link, String target) {
        if (target.startsWith("/")) {
            return target;
        }
        String parent = SimulatedState.parent(link);
        if (parent == null) {
            return target;
        }
        return parent.equals("/") ? "/" + target : parent + "/" + target;
    }
}
