package dev.drover.modules.ansible;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ansible-core on the controller: the Python that runs ansible-playbook (its shebang) and the
 * {@code ansible} package it imports. Found once per process (a resident drover re-checks it
 * between runs, {@link #forgetIfChanged()}); absent when ansible-core is not
 * installed (then no module runs through Ansible).
 *
 * @param python  the controller's Python with ansible importable
 * @param ansible the {@code ansible} package directory ({@code …/dist-packages/ansible})
 * @param version ansible-core's version ({@code 2.14.18})
 */
public record AnsibleInstall(Path python, Path ansible, String version) {
    private static volatile Optional<AnsibleInstall> found;

    /** The installed ansible-core, if any (asked once: its Python prints the package's path). */
    public static Optional<AnsibleInstall> find() {
        Optional<AnsibleInstall> f = found;
        if (f == null) {
            synchronized (AnsibleInstall.class) {
                if (found == null) {
                    found = locate();
                }
                f = found;
            }
        }
        return f;
    }

    /**
     * For a process that serves many runs (the resident drover): drops the answer when it may be
     * stale, so the next {@link #find()} asks again. An absence is always forgotten (ansible may
     * have been installed since: the next run that needs it pays one Python start, as a cold run
     * does); an install is kept while its Python and its package's release.py still say the same.
     */
    public static void forgetIfChanged() {
        synchronized (AnsibleInstall.class) {
            Optional<AnsibleInstall> f = found;
            if (f == null) {
                return;
            }
            if (f.isEmpty() || !f.get().stillInstalled()) {
                found = null;
            }
        }
    }

    /** The answer {@link #find()} gives until forgotten (tests: a resident drover's state between runs). */
    static void remember(Optional<AnsibleInstall> answer) {
        synchronized (AnsibleInstall.class) {
            found = answer;
        }
    }

    /** Whether an answer is held (tests). */
    static boolean remembered() {
        return found != null;
    }

    private boolean stillInstalled() {
        return Files.isExecutable(python) && Files.isDirectory(builtinModules())
                && Files.isRegularFile(ansible.resolve("release.py")) && version.equals(version(ansible));
    }

    /** {@code ansible/modules}: ansible.builtin's modules. */
    public Path builtinModules() {
        return ansible.resolve("modules");
    }

    /** {@code ansible/plugins/action}: ansible.builtin's action plugins. */
    public Path builtinActions() {
        return ansible.resolve("plugins").resolve("action");
    }

    /** The routing of ansible.builtin names (redirects to collections, tombstones). */
    public Path builtinRuntime() {
        return ansible.resolve("config").resolve("ansible_builtin_runtime.yml");
    }

    /** The sys.path directory holding the package: Ansible scans it for {@code ansible_collections}. */
    public Path sitePackages() {
        return ansible.getParent();
    }

    private static Optional<AnsibleInstall> locate() {
        Path python = controllerPython();
        if (python == null) {
            return Optional.empty();
        }
        try {
            Process p = new ProcessBuilder(python.toString(), "-c",
                    "import ansible, os; print(os.path.dirname(ansible.__file__))")
                    .redirectErrorStream(false).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.getErrorStream().readAllBytes();
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0 || out.isEmpty()) {
                return Optional.empty();
            }
            Path dir = Path.of(out);
            if (!Files.isDirectory(dir.resolve("modules"))) {
                return Optional.empty();
            }
            return Optional.of(new AnsibleInstall(python, dir, version(dir)));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The interpreter of ansible-playbook's shebang (on PATH), else /usr/bin/python3. */
    private static Path controllerPython() {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(":")) {
            Path exe = Path.of(dir.isEmpty() ? "." : dir, "ansible-playbook");
            if (Files.isRegularFile(exe)) {
                try (var in = Files.newBufferedReader(exe, StandardCharsets.UTF_8)) {
                    String first = in.readLine();
                    if (first != null && first.startsWith("#!")) {
                        List<String> words = List.of(first.substring(2).trim().split("\\s+"));
                        String interp = words.get(0).endsWith("/env") && words.size() > 1 ? words.get(1) : words.get(0);
                        Path p = Path.of(interp);
                        if (p.isAbsolute() && Files.isExecutable(p)) {
                            return p;
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // try the default
                }
            }
        }
        Path fallback = Path.of("/usr/bin/python3");
        return Files.isExecutable(fallback) ? fallback : null;
    }

    private static String version(Path dir) {
        try {
            Matcher m = Pattern.compile("__version__\\s*=\\s*['\"]([^'\"]+)['\"]")
                    .matcher(Files.readString(dir.resolve("release.py")));
            return m.find() ? m.group(1) : "2.14";
        } catch (IOException e) {
            return "2.14";
        }
    }
}
