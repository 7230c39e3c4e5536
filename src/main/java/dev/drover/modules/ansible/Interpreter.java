package dev.drover.modules.ansible;

import dev.drover.connection.CommandResult;
import dev.drover.connection.ConnectionException;
import dev.drover.connection.ShellQuote;
import dev.drover.module.HostView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python interpreter discovery as Ansible 2.14 does it for {@code interpreter_python: auto}
 * ({@code ansible/executor/interpreter_discovery.py}): the bootstrap list through
 * {@code command -v}, then the distribution's platform Python from /etc/os-release, with
 * Ansible's warnings. One probe (Ansible takes two: it runs a Python script for the os-release).
 */
final class Interpreter {
    /** INTERPRETER_PYTHON_FALLBACK's default. */
    static final List<String> FALLBACK = List.of("python3.11", "python3.10", "python3.9", "python3.8", "python3.7",
            "python3.6", "python3.5", "/usr/bin/python3", "/usr/libexec/platform-python", "python2.7", "/usr/bin/python",
            "python");
    private static final Map<String, Map<String, String>> DISTRO_MAP = Map.of(
            "redhat", Map.of("6", "/usr/bin/python", "8", "/usr/libexec/platform-python", "9", "/usr/bin/python3"),
            "debian", Map.of("8", "/usr/bin/python", "10", "/usr/bin/python3"),
            "fedora", Map.of("23", "/usr/bin/python3"),
            "ubuntu", Map.of("14", "/usr/bin/python", "16", "/usr/bin/python3"));
    private static final Map<String, String> FAMILY = family();
    private static final Pattern FOUND = Pattern.compile("(?s)PLATFORM[\\r\\n]+(.*)FOUND(.*)ENDFOUND(.*)");
    private static final String DOC = "https://docs.ansible.com/ansible-core/2.14/reference_appendices/interpreter_discovery.html";

    /** The discovered interpreter and the warnings Ansible prints with it. */
    record Discovered(String python, List<String> warnings) {
    }

    private Interpreter() {
    }

    static Discovered discover(HostView host, String hostName, String mode, List<String> fallback)
            throws ConnectionException {
        boolean silent = mode.endsWith("_silent");
        boolean legacy = mode.startsWith("auto_legacy");
        List<String> warnings = new ArrayList<>();
        StringBuilder script = new StringBuilder("echo PLATFORM; uname; echo FOUND; ");
        for (String py : fallback) {
            script.append("command -v ").append(ShellQuote.quote(py)).append("; ");
        }
        script.append("echo ENDFOUND; cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release 2>/dev/null; true");
        CommandResult r = host.probe(script.toString());
        Matcher m = FOUND.matcher(r.out());
        List<String> found = new ArrayList<>();
        String platform = "unknown";
        if (m.matches()) {
            platform = m.group(1).trim().toLowerCase();
            for (String line : m.group(2).split("\\R")) {
                if (line.startsWith("/")) {
                    found.add(line.trim());
                }
            }
        }
        if (m.matches() && found.isEmpty()) {
            if (!silent) {
                warnings.add("No python interpreters found for host " + hostName + " (tried " + pyList(fallback) + ")");
            }
            return new Discovered("/usr/bin/python", warnings);
        }
        String first = found.isEmpty() ? "/usr/bin/python" : found.get(0);
        if (m.matches() && platform.equals("linux")) {
            Map<String, String> osr = osRelease(m.group(3));
            String distro = osr.getOrDefault("ID", "").toLowerCase();
            String version = osr.getOrDefault("VERSION_ID", "");
            Map<String, String> versions = DISTRO_MAP.get(distro);
            if (versions == null) {
                versions = DISTRO_MAP.get(FAMILY.getOrDefault(distro, ""));
            }
            if (!distro.isEmpty() && !version.isEmpty() && versions != null) {
                String platformPython = fuzzy(version, versions);
                if (legacy && !platformPython.equals("/usr/bin/python") && found.contains("/usr/bin/python")) {
                    if (!silent) {
                        warnings.add("Distribution " + distro + " " + version + " on host " + hostName + " should use "
                                + platformPython + ", but is using /usr/bin/python for backward compatibility with prior"
                                + " Ansible releases. See " + DOC + " for more information");
                    }
                    return new Discovered("/usr/bin/python", warnings);
                }
                if (!found.contains(platformPython)) {
                    if (!silent) {
                        if (!FALLBACK.contains(platformPython)) {
                            warnings.add("Platform interpreter " + platformPython + " on host " + hostName
                                    + " is missing from bootstrap list");
                        }
                        warnings.add("Distribution " + distro + " " + version + " on host " + hostName + " should use "
                                + platformPython + ", but is using " + first + ", since the discovered platform python"
                                + " interpreter was not present. See " + DOC + " for more information.");
                    }
                    return new Discovered(first, warnings);
                }
                return new Discovered(platformPython, warnings);
            }
        }
        if (!silent) {
            warnings.add("Platform " + platform + " on host " + hostName + " is using the discovered Python interpreter at "
                    + first + ", but future installation of another Python interpreter could change the meaning of that"
                    + " path. See " + DOC + " for more information.");
        }
        return new Discovered(first, warnings);
    }

    private static String pyList(List<String> l) {
        List<String> q = new ArrayList<>();
        l.forEach(s -> q.add("'" + s + "'"));
        return "[" + String.join(", ", q) + "]";
    }

    private static Map<String, String> osRelease(String text) {
        Map<String, String> out = new TreeMap<>();
        for (String line : text.split("\\R")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                String v = line.substring(eq + 1).trim();
                if (v.length() >= 2 && (v.startsWith("\"") || v.startsWith("'"))) {
                    v = v.substring(1, v.length() - 1);
                }
                out.put(line.substring(0, eq).trim(), v);
            }
        }
        return out;
    }

    /** The entry for {@code version}, else the one of the highest version below it, else the oldest. */
    static String fuzzy(String version, Map<String, String> map) {
        if (map.containsKey(version)) {
            return map.get(version);
        }
        List<String> keys = new ArrayList<>(map.keySet());
        keys.sort(Interpreter::compareVersions);
        String best = keys.get(0);
        for (String k : keys) {
            if (compareVersions(k, version) <= 0) {
                best = k;
            }
        }
        return map.get(best);
    }

    private static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int p = i < x.length ? num(x[i]) : -1;
            int q = i < y.length ? num(y[i]) : -1;
            if (p != q) {
                return Integer.compare(p, q);
            }
        }
        return 0;
    }

    private static int num(String s) {
        try {
            return Integer.parseInt(s.replaceAll("\\D.*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Map<String, String> family() {
        Map<String, String> m = new TreeMap<>();
        for (String d : List.of("redhat", "rhel", "fedora", "centos", "scientific", "cloudlinux", "oraclelinux", "ol",
                "amazon", "almalinux", "rocky", "eurolinux", "openeuler", "virtuozzo")) {
            m.put(d, "redhat");
        }
        for (String d : List.of("debian", "ubuntu", "raspbian", "neon", "linuxmint", "steamos", "devuan", "kali",
                "pop", "parrot", "deepin", "osmc")) {
            m.put(d, "debian");
        }
        return m;
    }
}
