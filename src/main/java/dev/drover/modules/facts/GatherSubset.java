package dev.drover.modules.facts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Ansible 2.14's gather_subset arithmetic (module_utils/facts/collector.py get_collector_names,
 * _solve_deps) over the Linux collectors: {@code all}, {@code min}, {@code !x}, a collector's
 * name or one of its fact ids ({@code processor} means {@code hardware}), and the collectors
 * another one needs (network needs distribution and platform).
 */
public final class GatherSubset {
    /** Collector name → the fact ids that select it too, in Ansible's order of collection. */
    static final Map<String, List<String>> COLLECTORS = new LinkedHashMap<>();
    private static final Map<String, List<String>> REQUIRES = Map.of(
            "hardware", List.of("platform"), "network", List.of("distribution", "platform"),
            "pkg_mgr", List.of("distribution"), "service_mgr", List.of("distribution", "platform"));
    /** setup.py's minimal_gather_subset. */
    static final Set<String> MIN = Set.of("apparmor", "caps", "cmdline", "date_time", "distribution", "dns", "env",
            "fips", "local", "lsb", "pkg_mgr", "platform", "python", "selinux", "service_mgr", "ssh_pub_keys", "user");

    static {
        COLLECTORS.put("platform", List.of("architecture", "kernel", "kernel_version", "machine", "machine_id",
                "python_version", "system"));
        COLLECTORS.put("distribution", List.of("distribution_major_version", "distribution_release",
                "distribution_version", "os_family"));
        for (String n : List.of("apparmor", "cmdline", "date_time", "dns", "env", "fips", "local", "lsb", "loadavg",
                "python", "selinux", "service_mgr", "pkg_mgr", "iscsi", "nvme", "fibre_channel_wwn", "facter", "ohai")) {
            COLLECTORS.put(n, List.of());
        }
        COLLECTORS.put("caps", List.of("system_capabilities", "system_capabilities_enforced"));
        COLLECTORS.put("chroot", List.of("is_chroot"));
        COLLECTORS.put("ssh_pub_keys", List.of("ssh_host_key_dsa_public", "ssh_host_key_ecdsa_public",
                "ssh_host_key_ed25519_public", "ssh_host_key_rsa_public", "ssh_host_pub_keys"));
        COLLECTORS.put("user", List.of("effective_group_ids", "effective_user_id", "real_user_id", "user_dir",
                "user_gecos", "user_gid", "user_id", "user_shell", "user_uid"));
        COLLECTORS.put("hardware", List.of("devices", "mounts", "processor", "processor_cores", "processor_count"));
        COLLECTORS.put("virtual", List.of("virtualization_role", "virtualization_tech_guest",
                "virtualization_tech_host", "virtualization_type"));
        COLLECTORS.put("network", List.of("all_ipv4_addresses", "all_ipv6_addresses", "default_ipv4", "default_ipv6",
                "interfaces"));
    }

    private GatherSubset() {
    }

    /** Every name gather_subset accepts (besides {@code all} and {@code min}), sorted as Ansible lists them. */
    static Set<String> valid() {
        Set<String> v = new TreeSet<>(COLLECTORS.keySet());
        COLLECTORS.values().forEach(v::addAll);
        return v;
    }

    /** The collector that a name or fact id selects. */
    private static String collectorOf(String id) {
        if (COLLECTORS.containsKey(id)) {
            return id;
        }
        for (Map.Entry<String, List<String>> e : COLLECTORS.entrySet()) {
            if (e.getValue().contains(id)) {
                return e.getKey();
            }
        }
        return null;
    }

    /**
     * The collectors to run, in collection order.
     *
     * @throws IllegalArgumentException with Ansible's "Bad subset 'x' given to Ansible. …" message
     */
    public static List<String> collectors(List<String> gatherSubset) {
        List<String> spec = new ArrayList<>();
        spec.add("min");
        spec.addAll(gatherSubset.isEmpty() ? List.of("all") : gatherSubset);
        Set<String> valid = valid();
        Set<String> add = new LinkedHashSet<>();
        Set<String> exclude = new LinkedHashSet<>();
        Set<String> explicit = new LinkedHashSet<>();
        for (String raw : spec) {
            String s = raw.strip();
            if (s.equals("min")) {
                add.addAll(MIN);
            } else if (s.equals("all")) {
                add.addAll(valid);
            } else if (s.startsWith("!")) {
                String x = s.substring(1);
                if (x.equals("min")) {
                    exclude.addAll(MIN);
                } else if (x.equals("all")) {
                    Set<String> rest = new LinkedHashSet<>(valid);
                    rest.removeAll(MIN);
                    exclude.addAll(rest);
                } else {
                    exclude.addAll(COLLECTORS.getOrDefault(x, List.of()));
                    exclude.add(x);
                }
            } else {
                if (!valid.contains(s)) {
                    throw new IllegalArgumentException("Bad subset '" + s + "' given to Ansible. gather_subset options "
                            + "allowed: all, " + String.join(", ", valid));
                }
                explicit.add(s);
                add.add(s);
            }
        }
        if (add.isEmpty()) {
            add.addAll(valid);
        }
        Set<String> drop = new LinkedHashSet<>(exclude);
        drop.removeAll(explicit);
        add.removeAll(drop);
        Set<String> chosen = new LinkedHashSet<>();
        for (String id : add) {
            String c = collectorOf(id);
            if (c != null) {
                chosen.add(c);
            }
        }
        boolean grew = true;
        while (grew) {
            grew = false;
            for (String c : List.copyOf(chosen)) {
                for (String r : REQUIRES.getOrDefault(c, List.of())) {
                    grew |= chosen.add(r);
                }
            }
        }
        return COLLECTORS.keySet().stream().filter(chosen::contains).toList();
    }
}
