package dev.drover.module;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What earlier steps of a check-mode run would have done to one host: paths, file contents,
 * users, groups, and podman images and secrets. Consulted before the real host, so a later step forecasts against it.
 * Confined to the host's worker thread.
 */
public final class SimulatedState {
    private final Map<String, FileState> files = new HashMap<>();
    private final Map<String, byte[]> contents = new HashMap<>();
    /** Directories this run would create: nothing exists below them unless recorded. */
    private final java.util.Set<String> freshDirectories = new java.util.HashSet<>();
    private final Map<String, Optional<UserState>> users = new HashMap<>();
    private final Map<String, Optional<GroupState>> groups = new HashMap<>();
    /** systemd units as this run left them, by manager ("system", "user:alice") and unit name. */
    private final Map<String, UnitState> units = new HashMap<>();
    /** A counter of simulated file changes: when each path last changed, when each manager last reloaded. */
    private long tick;
    private final Map<String, Long> changedAt = new HashMap<>();
    private final Map<String, Long> reloadedAt = new HashMap<>();
    /** Podman images and secrets this run would build, create or remove, by user, kind and name. */
    private final Map<String, Optional<PodmanObject>> podman = new HashMap<>();
    /** Other host state this run would change (packages, a repository's checkout), by kind and key. */
    private final Map<String, Optional<Object>> records = new HashMap<>();

    /**
     * The simulated state of {@code path} if this run changed it or an ancestor; empty when the
     * real host must be asked.
     */
    public Optional<FileState> file(String path) {
        FileState own = files.get(path);
        if (own != null) {
            return Optional.of(own);
        }
        for (String p = parent(path); p != null; p = parent(p)) {
            FileState ancestor = files.get(p);
            if (ancestor != null) {
                if (!ancestor.isDirectory() || freshDirectories.contains(p)) {
                    return Optional.of(FileState.absent(path));
                }
                break;
            }
        }
        return Optional.empty();
    }

    /** Content written by this run, if any; an empty optional inside means "absent now". */
    public Optional<Optional<byte[]>> content(String path) {
        Optional<FileState> f = file(path);
        if (f.isEmpty()) {
            return Optional.empty();
        }
        if (!f.get().isFile()) {
            return Optional.of(Optional.empty());
        }
        byte[] c = contents.get(path);
        return c == null ? Optional.empty() : Optional.of(Optional.of(c));
    }

    public void putFile(FileState state, byte[] content) {
        files.put(state.path(), state);
        changedAt.put(state.path(), ++tick);
        freshDirectories.remove(state.path());
        if (content != null) {
            contents.put(state.path(), content);
        } else if (!state.isFile()) {
            contents.remove(state.path());
        }
    }

    /** Records attributes only (content unchanged). */
    public void putAttributes(FileState state) {
        files.put(state.path(), state);
    }

    public void putNewDirectory(FileState state) {
        files.put(state.path(), state);
        changedAt.put(state.path(), ++tick);
        freshDirectories.add(state.path());
    }

    /** The paths below {@code dir} this run recorded (some may be recorded as absent). */
    public java.util.List<String> pathsUnder(String dir) {
        String prefix = dir.endsWith("/") ? dir : dir + "/";
        return files.keySet().stream().filter(p -> p.startsWith(prefix)).sorted().toList();
    }

    /** The path and everything below it are gone. */
    public void remove(String path) {
        String prefix = path.endsWith("/") ? path : path + "/";
        files.keySet().removeIf(p -> p.startsWith(prefix));
        contents.keySet().removeIf(p -> p.equals(path) || p.startsWith(prefix));
        freshDirectories.removeIf(p -> p.startsWith(prefix));
        files.put(path, FileState.absent(path));
        freshDirectories.remove(path);
        changedAt.put(path, ++tick);
    }

    public Optional<Optional<UserState>> user(String name) {
        return Optional.ofNullable(users.get(name));
    }

    public void putUser(String name, UserState state) {
        users.put(name, Optional.ofNullable(state));
    }

    public Optional<Optional<GroupState>> group(String name) {
        return Optional.ofNullable(groups.get(name));
    }

    public void putGroup(String name, GroupState state) {
        groups.put(name, Optional.ofNullable(state));
    }

    /** A unit as this run left it under {@code manager} ("system", "user:NAME"); empty when untouched. */
    public Optional<UnitState> unit(String manager, String unit) {
        return Optional.ofNullable(units.get(manager + "\0" + unit));
    }

    public void putUnit(String manager, String unit, UnitState state) {
        units.put(manager + "\0" + unit, state);
    }

    /** {@code manager} (re)loaded its unit files now: a daemon-reload, an enable, a fresh start after linger. */
    public void markReloaded(String manager) {
        reloadedAt.put(manager, ++tick);
    }

    /**
     * Whether this run changed a path at or below one of {@code dirs} after {@code manager} last
     * reloaded: empty when the run neither reloaded that manager nor changed anything there (the
     * real host decides), else the answer.
     */
    public Optional<Boolean> changedSinceReload(String manager, java.util.Collection<String> dirs) {
        Long reloaded = reloadedAt.get(manager);
        boolean changed = false;
        for (Map.Entry<String, Long> e : changedAt.entrySet()) {
            if (reloaded != null && e.getValue() <= reloaded) {
                continue;
            }
            for (String d : dirs) {
                String prefix = d.endsWith("/") ? d : d + "/";
                if (e.getKey().equals(d) || e.getKey().startsWith(prefix)) {
                    changed = true;
                }
            }
        }
        if (reloaded == null && !changed) {
            return Optional.empty();
        }
        return Optional.of(changed);
    }

    /**
     * The podman object {@code kind}/{@code name} of {@code user} (rootless podman keeps one store
     * per user) if this run built, created or removed it; empty when the real host must be asked.
     */
    public Optional<Optional<PodmanObject>> podman(String user, String kind, String name) {
        return Optional.ofNullable(podman.get(podmanKey(user, kind, name)));
    }

    /** Records a podman object as this run leaves it: {@code state} null for removed. */
    public void putPodman(String user, String kind, String name, PodmanObject state) {
        podman.put(podmanKey(user, kind, name), Optional.ofNullable(state));
    }

    /**
     * Something else than files, users, units or podman objects as this run left it ({@code kind}
     * "apt" and a package name, "git" and a checkout): empty when untouched, an empty optional
     * inside when the run removed it.
     */
    public Optional<Optional<Object>> record(String kind, String key) {
        return Optional.ofNullable(records.get(kind + "\0" + key));
    }

    /** Records {@code value} (null for removed) as the state of {@code kind}/{@code key}. */
    public void putRecord(String kind, String key, Object value) {
        records.put(kind + "\0" + key, Optional.ofNullable(value));
    }

    private static String podmanKey(String user, String kind, String name) {
        return user + "\0" + kind + "\0" + name;
    }

    static String parent(String path) {
        int i = path.lastIndexOf('/');
        if (i <= 0) {
            return i == 0 && path.length() > 1 ? "/" : null;
        }
        return path.substring(0, i);
    }
}
