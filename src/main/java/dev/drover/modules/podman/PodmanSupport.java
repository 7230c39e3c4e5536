package dev.drover.modules.podman;

import dev.drover.connection.CommandResult;
import dev.drover.connection.ConnectionException;
import dev.drover.connection.ShellQuote;
import dev.drover.module.Args;
import dev.drover.module.HostView;
import dev.drover.module.ModuleException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What podman_image and podman_secret share: finding podman, registry options, hashing. */
final class PodmanSupport {
    /** The collection the modules' qualified names belong to, as in Ansible. */
    static final String COLLECTION = "containers.podman.";

    private PodmanSupport() {
    }

    /**
     * Fails the task with Ansible's wording when the host has no podman on the user's PATH, unless
     * an earlier step of this check run installs the podman package: then the module forecasts
     * against an empty store (returns true: podman comes with that step).
     */
    static boolean requirePodman(HostView host) throws ConnectionException, ModuleException {
        CommandResult r = host.probe("command -v podman");
        if (!r.succeeded() || r.out().isBlank()) {
            if (host.installedByRun("podman")) {
                return true;
            }
            throw new ModuleException("Failed to find required executable \"podman\" in paths of "
                    + host.user() + " (install podman on the host)");
        }
        return false;
    }

    /** {@code --tls-verify}, {@code --cert-dir} and {@code --authfile} as the task sets them. */
    static List<String> registryOptions(Args a) throws ModuleException {
        List<String> out = new ArrayList<>();
        if (a.has("validate_certs")) {
            out.add("--tls-verify=" + (a.bool("validate_certs") ? "true" : "false"));
        }
        if (a.has("ca_cert_dir")) {
            out.add("--cert-dir");
            out.add(a.str("ca_cert_dir"));
        }
        if (a.has("auth_file")) {
            out.add("--authfile");
            out.add(a.str("auth_file"));
        }
        return out;
    }

    /**
     * {@code podman login --password-stdin}: the password never reaches a command line, a
     * description or a value; it is the command's stdin.
     */
    static String loginScript(Args a, String registry, String username) throws ModuleException {
        List<String> argv = new ArrayList<>(List.of("podman", "login"));
        argv.addAll(registryOptions(a));
        argv.addAll(List.of("--username", username, "--password-stdin", registry));
        return ShellQuote.join(argv) + " >/dev/null";
    }

    /** The registry host of an image reference or push destination ({@code docker.io} by default, as podman). */
    static String registryOf(String reference) {
        String ref = reference;
        int transport = ref.indexOf("://");
        if (transport >= 0) {
            ref = ref.substring(transport + 3);
        }
        int slash = ref.indexOf('/');
        if (slash > 0) {
            String first = ref.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                return first;
            }
        }
        return "docker.io";
    }

    static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(byte[] bytes) {
        return dev.drover.module.WriteFile.sha256(bytes);
    }

    /** A dict argument as sorted text pairs (null values as empty), for command lines and hashes. */
    static Map<String, String> sortedPairs(Map<String, Object> m) {
        Map<String, String> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v == null ? "" : Args.stringOf(v)));
        return out;
    }

    /** Rejects suboptions a dict parameter does not have, as Ansible's argument spec does. */
    static void checkSuboptions(String module, String param, Map<String, Object> given, List<String> known)
            throws ModuleException {
        List<String> unknown = given.keySet().stream().filter(k -> !known.contains(k)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new ModuleException("Unsupported parameters for (" + module + ") module: "
                    + String.join(", ", unknown.stream().map(k -> param + "." + k).toList())
                    + ". Supported parameters include: " + String.join(", ", known.stream().sorted().toList()) + ".");
        }
    }
}
