package dev.drover.modules;

import dev.drover.connection.CommandResult;
import dev.drover.module.FileState;
import dev.drover.module.GroupState;
import dev.drover.module.HostView;
import dev.drover.module.UserState;
import dev.drover.module.WriteFile;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** A host as data: the input of the module cases. Not a mock: it answers what its maps hold. */
public final class MemoryHostView implements HostView {
    final Map<String, FileState> files = new HashMap<>();
    final Map<String, byte[]> contents = new HashMap<>();
    final Map<String, UserState> users = new HashMap<>();
    final Map<String, GroupState> groups = new HashMap<>();
    final List<Map.Entry<Pattern, CommandResult>> probes = new ArrayList<>();
    final List<String> probed = new ArrayList<>();
    String user = "root";
    String home = "/root";

    public MemoryHostView dir(String path, String mode, String owner, String group) {
        files.put(path, new FileState(path, FileState.Kind.DIRECTORY, mode, owner, group, 4096, null, null));
        return this;
    }

    public MemoryHostView file(String path, String content, String mode, String owner, String group) {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        files.put(path, new FileState(path, FileState.Kind.FILE, mode, owner, group, b.length, WriteFile.sha1(b), null));
        contents.put(path, b);
        return this;
    }

    public MemoryHostView link(String path, String target) {
        files.put(path, new FileState(path, FileState.Kind.LINK, "0777", "root", "root", target.length(), null, target));
        return this;
    }

    @Override
    public FileState file(String path) {
        return files.getOrDefault(path, FileState.absent(path));
    }

    @Override
    public FileState fileFollow(String path) {
        String cur = path;
        for (int i = 0; i < 40; i++) {
            FileState f = file(cur);
            if (!f.isLink()) {
                return new FileState(path, f.kind(), f.mode(), f.owner(), f.group(), f.size(), f.sha1(), null);
            }
            cur = f.linkTarget().startsWith("/") ? f.linkTarget()
                    : cur.substring(0, cur.lastIndexOf('/') + 1) + f.linkTarget();
        }
        return FileState.absent(path);
    }

    @Override
    public Optional<byte[]> read(String path) {
        FileState f = fileFollow(path);
        if (!f.isFile()) {
            return Optional.empty();
        }
        String cur = path;
        while (file(cur).isLink()) {
            String t = file(cur).linkTarget();
            cur = t.startsWith("/") ? t : cur.substring(0, cur.lastIndexOf('/') + 1) + t;
        }
        return Optional.ofNullable(contents.get(cur));
    }

    @Override
    public Optional<UserState> user(String name) {
        UserState u = users.get(name);
        if (u == null && name.matches("\\d+")) {
            u = users.values().stream().filter(x -> x.uid() == Integer.parseInt(name)).findFirst().orElse(null);
        }
        return Optional.ofNullable(u);
    }

    @Override
    public Optional<GroupState> group(String name) {
        GroupState g = groups.get(name);
        if (g == null && name.matches("\\d+")) {
            g = groups.values().stream().filter(x -> x.gid() == Integer.parseInt(name)).findFirst().orElse(null);
        }
        return Optional.ofNullable(g);
    }

    @Override
    public CommandResult probe(String script) {
        probed.add(script);
        for (Map.Entry<Pattern, CommandResult> p : probes) {
            if (p.getKey().matcher(script).find()) {
                return p.getValue();
            }
        }
        throw new AssertionError("unexpected probe: " + script);
    }

    @Override
    public String user() {
        return user;
    }

    @Override
    public String home() {
        return home;
    }

    @Override
    public Map<String, FileState> states(java.util.Collection<String> paths) {
        Map<String, FileState> out = new java.util.LinkedHashMap<>();
        for (String p : paths) {
            out.put(p, file(p));
        }
        return out;
    }
}
