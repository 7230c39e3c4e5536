package dev.drover.engine;

import dev.drover.connection.CommandResult;
import dev.drover.connection.ConnectionException;
import dev.drover.connection.Shell;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Ansible's small fact set, gathered in one round trip. */
final class Facts {
    private Facts() {
    }

    private static final String SCRIPT = String.join("\n",
            "echo \"hostname=$(hostname -s 2>/dev/null || uname -n)\"",
            "echo \"fqdn=$(hostname -f 2>/dev/null || uname -n)\"",
            "echo \"nodename=$(uname -n)\"",
            "echo \"user_id=$(id -un)\"",
            "echo \"user_uid=$(id -u)\"",
            "echo \"user_gid=$(id -g)\"",
            "echo \"user_dir=$HOME\"",
            "echo \"user_shell=$(getent passwd \"$(id -un)\" | cut -d: -f7)\"",
            "echo \"architecture=$(uname -m)\"",
            "echo \"kernel=$(uname -r)\"",
            "echo \"system=$(uname -s)\"",
            "echo \"debian_version=$(cat /etc/debian_version 2>/dev/null)\"",
            "sed 's/^/os_/' /etc/os-release 2>/dev/null",
            "printf '\\036'",
            "env -0");

    /** Runs the probe and returns ansible_facts (keys without the ansible_ prefix). */
    static Map<String, Object> gather(Shell shell) throws ConnectionException {
        CommandResult r = shell.run(SCRIPT);
        String out = new String(r.stdout(), StandardCharsets.UTF_8);
        int sep = out.indexOf('\036');
        String head = sep < 0 ? out : out.substring(0, sep);
        String envPart = sep < 0 ? "" : out.substring(sep + 1);
        Map<String, String> raw = new LinkedHashMap<>();
        for (String line : head.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                raw.put(line.substring(0, eq), unquote(line.substring(eq + 1)));
            }
        }
        Map<String, Object> env = new LinkedHashMap<>();
        for (String kv : envPart.split("\0")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                env.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("hostname", raw.getOrDefault("hostname", ""));
        f.put("fqdn", raw.getOrDefault("fqdn", ""));
        f.put("nodename", raw.getOrDefault("nodename", ""));
        f.put("user_id", raw.getOrDefault("user_id", ""));
        f.put("user_uid", toInt(raw.get("user_uid")));
        f.put("user_gid", toInt(raw.get("user_gid")));
        f.put("user_dir", raw.getOrDefault("user_dir", ""));
        f.put("user_shell", raw.getOrDefault("user_shell", ""));
        f.put("architecture", raw.getOrDefault("architecture", ""));
        f.put("machine", raw.getOrDefault("architecture", ""));
        f.put("kernel", raw.getOrDefault("kernel", ""));
        f.put("system", raw.getOrDefault("system", ""));
        String id = raw.getOrDefault("os_ID", "").toLowerCase(Locale.ROOT);
        String distribution = distribution(id, raw.getOrDefault("os_NAME", raw.getOrDefault("system", "")));
        f.put("distribution", distribution);
        String version = raw.getOrDefault("os_VERSION_ID", "");
        if (id.equals("debian") && !raw.getOrDefault("debian_version", "").isEmpty()) {
            version = raw.get("debian_version");
        }
        f.put("distribution_version", version);
        f.put("distribution_major_version", version.contains(".") ? version.substring(0, version.indexOf('.')) : version);
        f.put("distribution_release", raw.getOrDefault("os_VERSION_CODENAME", ""));
        f.put("os_family", osFamily(distribution, raw.getOrDefault("os_ID_LIKE", "")));
        f.put("env", env);
        f.put("service_mgr", "systemd");
        return f;
    }

    private static String distribution(String id, String fallback) {
        return switch (id) {
            case "debian" -> "Debian";
            case "ubuntu" -> "Ubuntu";
            case "centos" -> "CentOS";
            case "fedora" -> "Fedora";
            case "rhel" -> "RedHat";
            case "rocky" -> "Rocky";
            case "almalinux" -> "AlmaLinux";
            case "alpine" -> "Alpine";
            case "arch" -> "Archlinux";
            case "opensuse-leap", "opensuse-tumbleweed", "sles" -> "SUSE";
            default -> id.isEmpty() ? fallback : Character.toUpperCase(id.charAt(0)) + id.substring(1);
        };
    }

    private static String osFamily(String distribution, String idLike) {
        return switch (distribution) {
            case "Debian", "Ubuntu" -> "Debian";
            case "CentOS", "Fedora", "RedHat", "Rocky", "AlmaLinux" -> "RedHat";
            case "Alpine" -> "Alpine";
            case "Archlinux" -> "Archlinux";
            case "SUSE" -> "Suse";
            default -> idLike.contains("debian") ? "Debian" : idLike.contains("rhel") ? "RedHat" : distribution;
        };
    }

    private static Object toInt(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException | NullPointerException e) {
            return s;
        }
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }
}
