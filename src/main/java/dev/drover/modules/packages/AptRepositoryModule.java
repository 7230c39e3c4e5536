package dev.drover.modules.packages;

import dev.drover.connection.CommandResult;
import dev.drover.connection.ConnectionException;
import dev.drover.module.Args;
import dev.drover.module.Change;
import dev.drover.module.Diff;
import dev.drover.module.Exec;
import dev.drover.module.HostView;
import dev.drover.module.Module;
import dev.drover.module.ModuleContext;
import dev.drover.module.ModuleException;
import dev.drover.module.ModuleSpec;
import dev.drover.module.Param;
import dev.drover.module.ParamType;
import dev.drover.module.Plan;
import dev.drover.module.RemovePath;
import dev.drover.module.ShellCommand;
import dev.drover.module.WriteFile;
import dev.drover.modules.files.FileSupport;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * ansible.builtin.apt_repository (Ansible 2.14's; deb822_repository came with 2.15): adds or
 * removes a one-line {@code deb}/{@code deb-src} source. One probe reads apt's sources list and
 * every {@code sources.list.d/*.list} (their paths from {@code apt-config}); the files are parsed
 * and written back as Ansible's SourcesList does (normalised lines, a source already present and
 * enabled anywhere is not added again, a commented-out one is enabled, a file left empty is
 * removed), then {@code apt-get update} when a file changed and {@code update_cache}.
 */
public final class AptRepositoryModule implements Module {
    private static final String MARK = "DROVER-APTREPO ";
    private static final Set<String> TYPES = Set.of("deb", "deb-src");
    private static final ModuleSpec SPEC = new ModuleSpec("apt_repository", List.of(), List.of(
            Param.required("repo", ParamType.STR),
            Param.of("state", ParamType.STR).withDefault("present").withChoices("absent", "present"),
            Param.of("mode", ParamType.MODE),
            Param.of("update_cache", ParamType.BOOL).withDefault(true).withAliases("update-cache"),
            Param.of("update_cache_retries", ParamType.INT).withDefault(5),
            Param.of("update_cache_retry_max_delay", ParamType.INT).withDefault(12),
            Param.of("filename", ParamType.STR),
            Param.of("install_python_apt", ParamType.BOOL).withDefault(true),
            Param.of("validate_certs", ParamType.BOOL).withDefault(true),
            Param.of("codename", ParamType.STR)), null, false);

    @Override
    public ModuleSpec spec() {
        return SPEC;
    }

    /** One line of a sources file, as Ansible's _parse reads it. */
    record Line(boolean valid, boolean enabled, String source, String comment) {
        static Line parse(String raw) {
            String line = raw.strip();
            boolean enabled = true;
            if (line.startsWith("#")) {
                enabled = false;
                line = line.substring(1);
            }
            String comment = "";
            int i = line.indexOf('#');
            if (i > 0) {
                comment = line.substring(i + 1).strip();
                line = line.substring(0, i);
            }
            String source = line.strip();
            boolean valid = false;
            if (!source.isEmpty()) {
                String[] chunks = source.split("\\s+");
                if (TYPES.contains(chunks[0])) {
                    valid = true;
                    source = String.join(" ", chunks);
                }
            }
            return new Line(valid, enabled, source, comment);
        }

        String dump() {
            return (enabled ? "" : "# ") + source + (comment.isEmpty() ? "" : " # " + comment) + "\n";
        }
    }

    @Override
    public Plan plan(ModuleContext ctx) throws ModuleException, ConnectionException {
        Args a = ctx.args();
        HostView host = ctx.host();
        String repo = a.requireStr("repo");
        String state = a.str("state");
        if (repo.startsWith("ppa:")) {
            throw new ModuleException("ppa: repositories (Ubuntu's Launchpad) are not supported by drover's apt_repository");
        }
        Line wanted = Line.parse(repo);
        if (!wanted.valid() || !wanted.enabled()) {
            throw new ModuleException("Invalid repository string: " + (repo.strip().startsWith("#")
                    ? repo.strip().substring(1) : repo.strip()));
        }

        // the sources files: apt's own paths, then what earlier steps of the run wrote or removed
        CommandResult r = host.probe("eval \"$(apt-config shell L Dir::Etc::sourcelist/f P Dir::Etc::sourceparts/d 2>/dev/null)\"\n"
                + "L=${L:-/etc/apt/sources.list}; P=${P:-/etc/apt/sources.list.d/}\n"
                + "echo \"" + MARK + "dirs $L|$P\"\n"
                + "for f in \"$L\" \"$P\"*.list; do [ -f \"$f\" ] && { echo \"" + MARK + "file $f\"; cat -- \"$f\"; echo; }; done; true");
        String defaultFile = "/etc/apt/sources.list";
        String partsDir = "/etc/apt/sources.list.d/";
        Map<String, List<Line>> files = new LinkedHashMap<>();
        String current = null;
        StringBuilder text = new StringBuilder();
        Map<String, String> raw = new LinkedHashMap<>();
        for (String line : r.out().split("\n", -1)) {
            if (line.startsWith(MARK + "dirs ")) {
                String[] f = line.substring(MARK.length() + 5).split("\\|", 2);
                defaultFile = f[0];
                partsDir = f[1].endsWith("/") ? f[1] : f[1] + "/";
            } else if (line.startsWith(MARK + "file ")) {
                if (current != null) {
                    raw.put(current, text.toString());
                }
                current = line.substring(MARK.length() + 5);
                text.setLength(0);
            } else if (current != null) {
                text.append(line).append('\n');
            }
        }
        if (current != null) {
            raw.put(current, text.toString());
        }
        Set<String> paths = new TreeSet<>(raw.keySet());
        paths.addAll(host.pendingBelow(FileSupport.stripSlash(partsDir)).stream().filter(p -> p.endsWith(".list")).toList());
        paths.add(defaultFile);
        for (String p : paths) {
            String content;
            if (host.recordedFile(p).isPresent()) {
                var c = host.read(p);
                if (c.isEmpty()) {
                    continue;
                }
                content = new String(c.get(), StandardCharsets.UTF_8);
            } else if (raw.containsKey(p)) {
                // the probe added one newline after each file's content
                String t = raw.get(p);
                content = t.endsWith("\n\n") ? t.substring(0, t.length() - 2) : t.substring(0, Math.max(0, t.length() - 1));
            } else {
                continue;
            }
            List<Line> lines = new ArrayList<>();
            if (!content.isEmpty()) {
                for (String l : content.split("\n", -1)) {
                    lines.add(Line.parse(l));
                }
                if (content.endsWith("\n")) {
                    lines.remove(lines.size() - 1);
                }
            }
            files.put(p, lines);
        }
        Map<String, String> before = dump(files);

        Set<String> created = new TreeSet<>();
        if (state.equals("present")) {
            boolean found = false;
            for (Map.Entry<String, List<Line>> e : files.entrySet()) {
                List<Line> lines = e.getValue();
                for (int i = 0; i < lines.size(); i++) {
                    Line l = lines.get(i);
                    if (l.valid() && l.source().equals(wanted.source())) {
                        lines.set(i, new Line(true, true, l.source(), l.comment()));
                        found = true;
                    }
                }
            }
            if (!found) {
                String file = a.has("filename") ? a.str("filename") + ".list" : suggest(wanted.source());
                String path = file.contains("/") ? file : partsDir + file;
                if (!files.containsKey(path)) {
                    created.add(path);
                }
                files.computeIfAbsent(path, k -> new ArrayList<>()).add(new Line(true, true, wanted.source(), ""));
            }
        } else {
            for (List<Line> lines : files.values()) {
                lines.removeIf(l -> l.valid() && l.enabled() && l.source().equals(wanted.source()));
            }
        }
        Map<String, String> after = dump(files);

        Map<String, Object> values = new LinkedHashMap<>();
        values.put("repo", repo);
        values.put("state", state);
        if (before.equals(after)) {
            return Plan.nothing("the sources are as asked", values);
        }
        Plan.Builder plan = Plan.builder().values(values);
        Set<String> all = new TreeSet<>(before.keySet());
        all.addAll(after.keySet());
        String mode = a.mode("mode");
        for (String f : all) {
            String b = before.get(f);
            String af = after.get(f);
            if (java.util.Objects.equals(b, af)) {
                continue;
            }
            Change c = af == null ? new RemovePath(f)
                    : new WriteFile(f, af.getBytes(StandardCharsets.UTF_8), created.contains(f) ? (mode != null ? mode : "0644") : null,
                    null, null, FileSupport.replaced(host.file(f)));
            plan.change(c);
            plan.diff(new Diff(b == null ? "/dev/null" : f, af == null ? "/dev/null" : f, b == null ? "" : b, af == null ? "" : af));
        }
        if (a.bool("update_cache")) {
            int retries = Math.max(1, a.integer("update_cache_retries"));
            int maxDelay = a.integer("update_cache_retry_max_delay");
            plan.change(new Exec("update the apt cache", ShellCommand.of(AptModule.ENV
                    + "i=0; d=1; while :; do i=$((i+1)); e=$(apt-get update -q 2>&1 >/dev/null) && break; "
                    + "[ $i -ge " + retries + " ] && { printf '%s\\n' \"$e\" >&2; exit 1; }; "
                    + "sleep $d; d=$((d*2)); [ $d -gt " + maxDelay + " ] && d=" + maxDelay + "; done"),
                    (s, u) -> s.putRecord(AptModule.CACHE, "time", System.currentTimeMillis() / 1000), true));
        }
        return plan.reason((state.equals("present") ? "add " : "remove ") + wanted.source())
                .mapper((planned, results) -> {
                    CommandResult last = results.get(results.size() - 1);
                    if (a.bool("update_cache") && last.exitCode() != 0) {
                        throw new ModuleException("Failed to update apt cache: "
                                + (last.err().isBlank() ? "unknown reason" : last.err().trim()));
                    }
                    return planned;
                }).build();
    }

    /** Ansible's dump: each file's lines, normalised; files without lines are left out. */
    private static Map<String, String> dump(Map<String, List<Line>> files) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<Line>> e : files.entrySet()) {
            if (!e.getValue().isEmpty()) {
                StringBuilder s = new StringBuilder();
                e.getValue().forEach(l -> s.append(l.dump()));
                out.put(e.getKey(), s.toString());
            }
        }
        return out;
    }

    /** Ansible's _suggest_filename: the host and path of the URI, non-alphanumerics as _. */
    static String suggest(String source) {
        String line = source.replaceAll("\\[[^\\]]+\\]", "").replaceAll("\\w+://", "");
        List<String> parts = new ArrayList<>();
        for (String p : line.trim().split("\\s+")) {
            if (!TYPES.contains(p)) {
                parts.add(p);
            }
        }
        String first = parts.isEmpty() ? "" : parts.get(0);
        if (first.contains("@")) {
            first = first.substring(first.indexOf('@') + 1);
        }
        return String.join("_", first.replaceAll("[^a-zA-Z0-9]", " ").trim().split("\\s+")) + ".list";
    }
}
