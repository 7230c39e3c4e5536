package dev.drover.modules.ansible;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Packs modules with ansible-core's own AnsiballZ builder ({@code module_common.modify_module}: the
 * module and every module_utils file its imports reach, found by Ansible's {@code recursive_finder}),
 * run in the controller's Python: once per module per run, and all the modules a playbook names in
 * one Python process (≈0.8 s, mostly importing ansible; see the README).
 */
public final class Packer {
    private static final String HELPER = "ansiballz.py";
    private final AnsibleInstall install;
    private final SearchPath path;
    private final Map<Path, CompletableFuture<Pack>> packs = new ConcurrentHashMap<>();

    public Packer(AnsibleInstall install, SearchPath path) {
        this.install = install;
        this.path = path;
    }

    /** Starts packing these modules in the background (one Python process for all not packed yet). */
    public void prefetch(Collection<Resolution.Found> modules) {
        Map<Path, Resolution.Found> wanted = new LinkedHashMap<>();
        Map<Path, CompletableFuture<Pack>> mine = new LinkedHashMap<>();
        for (Resolution.Found f : modules) {
            CompletableFuture<Pack> fresh = new CompletableFuture<>();
            if (packs.putIfAbsent(f.path(), fresh) == null) {
                wanted.put(f.path(), f);
                mine.put(f.path(), fresh);
            }
        }
        if (wanted.isEmpty()) {
            return;
        }
        Thread t = new Thread(() -> build(new ArrayList<>(wanted.values()), mine), "drover-ansiballz");
        t.setDaemon(true);
        t.start();
    }

    /** The module's pack (waits for it when another task or the prefetch is building it). */
    public Pack pack(Resolution.Found module) {
        prefetch(List.of(module));
        return packs.get(module.path()).join();
    }

    private void build(List<Resolution.Found> modules, Map<Path, CompletableFuture<Pack>> futures) {
        List<Pack> result;
        try {
            result = run(modules);
        } catch (IOException | RuntimeException e) {
            result = null;
            String why = "packing the module with ansible-core failed: " + e.getMessage();
            futures.values().forEach(f -> f.complete(Pack.failed(why)));
            return;
        }
        for (int i = 0; i < modules.size(); i++) {
            futures.get(modules.get(i).path()).complete(i < result.size() ? result.get(i)
                    : Pack.failed("ansible-core's packer gave no answer for " + modules.get(i).fqcn()));
        }
    }

    private List<Pack> run(List<Resolution.Found> modules) throws IOException {
        StringBuilder req = new StringBuilder("{\"modules\": [");
        for (int i = 0; i < modules.size(); i++) {
            Resolution.Found f = modules.get(i);
            String leaf = f.fqcn().substring(f.fqcn().lastIndexOf('.') + 1);
            req.append(i == 0 ? "" : ", ").append("{\"name\": ").append(Json.pythonLiteral(leaf))
                    .append(", \"path\": ").append(Json.pythonLiteral(f.path().toString())).append('}');
        }
        req.append("], \"module_utils\": [");
        for (int i = 0; i < path.moduleUtils().size(); i++) {
            req.append(i == 0 ? "" : ", ").append(Json.pythonLiteral(path.moduleUtils().get(i).toString()));
        }
        req.append("]}");
        byte[] script;
        try (InputStream in = Packer.class.getResourceAsStream(HELPER)) {
            script = in.readAllBytes();
        }
        ProcessBuilder pb = new ProcessBuilder(install.python().toString(), "-c",
                new String(script, StandardCharsets.UTF_8));
        pb.environment().put("ANSIBLE_LIBRARY", join(path.libraries()));
        pb.environment().put("ANSIBLE_COLLECTIONS_PATH", join(path.collectionRoots().stream().map(Path::getParent).toList()));
        pb.environment().put("ANSIBLE_DEPRECATION_WARNINGS", "false");
        Process p = pb.start();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
        try (var out = p.getOutputStream()) {
            out.write(req.toString().getBytes(StandardCharsets.UTF_8));
        }
        byte[] stdout = p.getInputStream().readAllBytes();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("ansible-core's packer did not finish in 120 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        if (p.exitValue() != 0) {
            String e = new String(err.join(), StandardCharsets.UTF_8).trim();
            throw new IOException(e.isEmpty() ? "exit " + p.exitValue() : e.substring(e.lastIndexOf('\n') + 1));
        }
        Object doc = Json.parse(new String(stdout, StandardCharsets.UTF_8));
        List<Pack> out = new ArrayList<>();
        if (doc instanceof Map<?, ?> m && m.get("packs") instanceof List<?> l) {
            for (Object o : l) {
                Map<?, ?> e = (Map<?, ?>) o;
                if (e.get("error") != null) {
                    out.add(Pack.failed(String.valueOf(e.get("error"))));
                } else {
                    out.add(new Pack(String.valueOf(e.get("style")), Base64.getDecoder().decode(String.valueOf(e.get("data"))),
                            e.get("sentinel") == null ? null : String.valueOf(e.get("sentinel")),
                            e.get("shebang") == null ? null : String.valueOf(e.get("shebang")), null));
                }
            }
        }
        return out;
    }

    private static String join(List<Path> dirs) {
        return String.join(":", dirs.stream().map(Path::toString).toList());
    }
}
