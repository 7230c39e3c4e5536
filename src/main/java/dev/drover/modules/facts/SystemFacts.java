package dev.drover.modules.facts;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ansible 2.14's system fact collectors (module_utils/facts/system/*.py) over the probe's raw
 * output: platform, distribution, lsb, user, date_time, dns, env, service_mgr, pkg_mgr, python,
 * selinux, apparmor, caps, cmdline, chroot, fips, loadavg, ssh_pub_keys, iscsi, nvme,
 * fibre_channel_wwn. Keys without the {@code ansible_} prefix.
 */
final class SystemFacts {
    private SystemFacts() {
    }

    static void platform(Raw raw, Map<String, Object> f) {
        List<String> u = raw.lines("uname");
        String system = at(u, 0);
        String machine = at(u, 3);
        String node = at(u, 4);
        f.put("system", system);
        f.put("kernel", at(u, 1));
        f.put("kernel_version", at(u, 2));
        f.put("machine", machine);
        raw.section("python").map(String::strip).filter(s -> !s.isEmpty())
                .ifPresent(p -> f.put("python_version", p.split("\\|", -1)[8]));
        String fqdn = node;
        List<String> hosts = raw.lines("fqdn");
        if (!hosts.isEmpty()) {
            String[] names = hosts.get(0).strip().split("\\s+");
            if (names.length > 1) {
                fqdn = names[1];
                for (int i = 1; i < names.length; i++) {
                    if (names[i].contains(".")) {
                        fqdn = names[i];
                        break;
                    }
                }
            }
        }
        f.put("fqdn", fqdn);
        f.put("hostname", node.split("\\.")[0]);
        f.put("nodename", node);
        int dot = fqdn.indexOf('.');
        f.put("domain", dot < 0 ? "" : fqdn.substring(dot + 1));
        String bits = raw.text("bits").strip();
        f.put("userspace_bits", bits);
        f.put("architecture", machine);
        if (machine.equals("x86_64")) {
            if (bits.equals("64")) {
                f.put("userspace_architecture", "x86_64");
            } else if (bits.equals("32")) {
                f.put("userspace_architecture", "i386");
            }
        }
        Optional<String> id = raw.file("/var/lib/dbus/machine-id").filter(s -> !s.isEmpty())
                .or(() -> raw.file("/etc/machine-id").filter(s -> !s.isEmpty()));
        id.ifPresent(s -> f.put("machine_id", s.split("\n")[0]));
    }

    static void lsb(Raw raw, Map<String, Object> f) {
        Map<String, String> lsb = new LinkedHashMap<>();
        for (String line : raw.lines("lsb_release")) {
            if (!line.contains(":")) {
                continue;
            }
            String value = line.split(":", 2)[1].strip();
            if (line.contains("LSB Version:") || line.contains("Release:")) {
                lsb.put("release", value);
            } else if (line.contains("Distributor ID:")) {
                lsb.put("id", value);
            } else if (line.contains("Description:")) {
                lsb.put("description", value);
            } else if (line.contains("Codename:")) {
                lsb.put("codename", value);
            }
        }
        if (lsb.isEmpty()) {
            for (String line : raw.file("/etc/lsb-release").map(s -> s.split("\n")).orElse(new String[0])) {
                String[] kv = line.split("=", 2);
                String value = kv.length > 1 ? kv[1].strip() : "";
                if (line.contains("DISTRIB_ID")) {
                    lsb.put("id", value);
                } else if (line.contains("DISTRIB_RELEASE")) {
                    lsb.put("release", value);
                } else if (line.contains("DISTRIB_DESCRIPTION")) {
                    lsb.put("description", value);
                } else if (line.contains("DISTRIB_CODENAME")) {
                    lsb.put("codename", value);
                }
            }
        }
        if (lsb.containsKey("release")) {
            lsb.put("major_release", lsb.get("release").split("\\.")[0]);
        }
        lsb.replaceAll((k, v) -> stripQuotes(v));
        f.put("lsb", new LinkedHashMap<String, Object>(lsb));
    }

    static void user(Raw raw, Map<String, Object> f) {
        List<String> u = raw.lines("user");
        String name = at(u, 0);
        String[] pw = at(u, 5).split(":", -1);
        f.put("user_id", name);
        if (pw.length >= 7) {
            f.put("user_uid", toInt(pw[2]));
            f.put("user_gid", toInt(pw[3]));
            f.put("user_gecos", pw[4]);
            f.put("user_dir", pw[5]);
            f.put("user_shell", pw[6]);
        }
        f.put("real_user_id", toInt(at(u, 1)));
        f.put("effective_user_id", toInt(at(u, 2)));
        f.put("real_group_id", toInt(at(u, 3)));
        // as Ansible 2.14: effective_group_id is os.getgid(), the real group
        f.put("effective_group_id", toInt(at(u, 3)));
    }

    static void dateTime(Raw raw, Map<String, Object> f) {
        List<String> d = raw.lines("date");
        String[] p = at(d, 0).split("\\|", -1);
        if (p.length < 13) {
            return;
        }
        Map<String, Object> dt = new LinkedHashMap<>();
        String micro = (p[10] + "000000").substring(0, 6);
        dt.put("year", p[0]);
        dt.put("month", p[1]);
        dt.put("weekday", p[2]);
        dt.put("weekday_number", p[3]);
        dt.put("weeknumber", p[4]);
        dt.put("day", p[5]);
        dt.put("hour", p[6]);
        dt.put("minute", p[7]);
        dt.put("second", p[8]);
        dt.put("epoch", p[9]);
        dt.put("epoch_int", p[9]);
        dt.put("date", p[0] + "-" + p[1] + "-" + p[5]);
        dt.put("time", p[6] + ":" + p[7] + ":" + p[8]);
        Instant utc = Instant.ofEpochSecond(Long.parseLong(p[9]));
        String iso = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC).format(utc);
        dt.put("iso8601_micro", iso + "." + micro + "Z");
        dt.put("iso8601", iso + "Z");
        dt.put("iso8601_basic", p[0] + p[1] + p[5] + "T" + p[6] + p[7] + p[8] + micro);
        dt.put("iso8601_basic_short", p[0] + p[1] + p[5] + "T" + p[6] + p[7] + p[8]);
        dt.put("tz", p[11]);
        // time.tzname[1]: the zone's daylight-saving name (its only name when it has none)
        String[] jan = at(d, 1).split("\\|", -1);
        String[] jul = at(d, 2).split("\\|", -1);
        String dst = p[11];
        if (jan.length == 2 && jul.length == 2) {
            dst = Integer.parseInt(jul[1].replace("+", "")) >= Integer.parseInt(jan[1].replace("+", "")) ? jul[0] : jan[0];
        }
        dt.put("tz_dst", dst);
        dt.put("tz_offset", p[12]);
        f.put("date_time", dt);
    }

    static void dns(Raw raw, Map<String, Object> f) {
        Map<String, Object> dns = new LinkedHashMap<>();
        for (String line : raw.file("/etc/resolv.conf").orElse("").split("\n")) {
            if (line.startsWith("#") || line.startsWith(";") || line.isBlank()) {
                continue;
            }
            String[] t = line.strip().split("\\s+");
            List<Object> rest = new ArrayList<>(List.of((Object[]) t).subList(1, t.length));
            switch (t[0]) {
                case "nameserver" -> {
                    @SuppressWarnings("unchecked")
                    List<Object> ns = (List<Object>) dns.computeIfAbsent("nameservers", k -> new ArrayList<>());
                    ns.addAll(rest);
                }
                case "domain" -> {
                    if (t.length > 1) {
                        dns.put("domain", t[1]);
                    }
                }
                case "search" -> dns.put("search", rest);
                case "sortlist" -> dns.put("sortlist", rest);
                case "options" -> {
                    Map<String, Object> o = new LinkedHashMap<>();
                    for (Object opt : rest) {
                        String[] kv = String.valueOf(opt).split(":", 2);
                        o.put(kv[0], kv.length == 2 && !kv[1].isEmpty() ? kv[1] : Boolean.TRUE);
                    }
                    dns.put("options", o);
                }
                default -> {
                }
            }
        }
        f.put("dns", dns);
    }

    static void env(Raw raw, Map<String, Object> f) {
        Map<String, Object> env = new LinkedHashMap<>();
        String text = raw.text("env");
        for (String kv : text.split(text.indexOf('\0') >= 0 ? "\0" : "\n")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                env.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        f.put("env", env);
    }

    static void serviceMgr(Raw raw, Map<String, Object> f) {
        Map<String, String> p = raw.pairs("svc");
        String proc1 = p.containsKey("comm") ? p.get("comm") : p.get("init");
        if (proc1 != null) {
            proc1 = proc1.substring(proc1.lastIndexOf('/') + 1).strip();
            if (proc1.equals("init") || proc1.endsWith("sh") || proc1.isEmpty()) {
                proc1 = null;
            }
        }
        String mgr;
        if (proc1 != null) {
            mgr = switch (proc1) {
                case "procd" -> "openwrt_init";
                case "runit-init" -> "runit";
                case "svscan" -> "svc";
                case "openrc-init" -> "openrc";
                default -> proc1;
            };
        } else if ("OpenWrt".equals(f.get("distribution"))) {
            mgr = "openwrt_init";
        } else {
            boolean systemctl = raw.has("svc", "has=systemctl");
            if (systemctl && (raw.has("svc", "ex=/run/systemd/system/") || raw.has("svc", "ex=/dev/.run/systemd/")
                    || raw.has("svc", "ex=/dev/.systemd/"))) {
                mgr = "systemd";
            } else if (raw.has("svc", "has=initctl") && raw.has("svc", "ex=/etc/init/")) {
                mgr = "upstart";
            } else if (raw.has("svc", "ex=/sbin/openrc")) {
                mgr = "openrc";
            } else if (systemctl && p.getOrDefault("init", "").endsWith("systemd")) {
                mgr = "systemd";
            } else if (raw.has("svc", "ex=/etc/init.d/")) {
                mgr = "sysvinit";
            } else {
                mgr = "service";
            }
        }
        f.put("service_mgr", mgr);
    }

    private static final String[][] PKG_MGRS = {
        {"/usr/bin/rpm-ostree", "atomic_container"}, {"/usr/bin/yum", "yum"}, {"/usr/bin/dnf", "dnf"},
        {"/usr/bin/apt-get", "apt"}, {"/usr/bin/zypper", "zypper"}, {"/usr/sbin/urpmi", "urpmi"},
        {"/usr/bin/pacman", "pacman"}, {"/bin/opkg", "opkg"}, {"/usr/pkg/bin/pkgin", "pkgin"},
        {"/opt/local/bin/pkgin", "pkgin"}, {"/opt/tools/bin/pkgin", "pkgin"}, {"/opt/local/bin/port", "macports"},
        {"/usr/local/bin/brew", "homebrew"}, {"/opt/homebrew/bin/brew", "homebrew"}, {"/sbin/apk", "apk"},
        {"/usr/sbin/pkg", "pkgng"}, {"/usr/sbin/swlist", "swdepot"}, {"/usr/bin/emerge", "portage"},
        {"/usr/sbin/pkgadd", "svr4pkg"}, {"/usr/bin/pkg", "pkg5"}, {"/usr/bin/xbps-install", "xbps"},
        {"/usr/local/sbin/pkg", "pkgng"}, {"/usr/bin/swupd", "swupd"}, {"/usr/sbin/sorcery", "sorcery"},
        {"/usr/bin/installp", "installp"}, {"/QOpenSys/pkgs/bin/yum", "yum"}};

    static void pkgMgr(Raw raw, Map<String, Object> f) {
        List<String> present = raw.lines("pkg");
        String family = String.valueOf(f.getOrDefault("os_family", ""));
        String name = "unknown";
        for (String[] m : PKG_MGRS) {
            if (present.contains(m[0]) && !(family.equals("Altlinux") && m[0].equals("/usr/bin/pkg"))) {
                name = m[1];
            }
        }
        if (family.equals("RedHat")) {
            name = redHatPkgMgr(name, present, f);
        } else if (family.equals("Debian") && !name.equals("apt")) {
            name = "apt";
        } else if (family.equals("Altlinux") && name.equals("apt")) {
            name = "apt_rpm";
        }
        if (name.equals("apt") && present.contains("/usr/bin/rpm")) {
            name = present.contains("apt_rpm") ? "apt_rpm" : "apt";
        }
        f.put("pkg_mgr", name);
    }

    private static String redHatPkgMgr(String name, List<String> present, Map<String, Object> f) {
        if (present.contains("/run/ostree-booted")) {
            return "atomic_container";
        }
        String distro = String.valueOf(f.get("distribution"));
        int major;
        try {
            major = Integer.parseInt(String.valueOf(f.get("distribution_major_version")));
        } catch (NumberFormatException e) {
            return distro.equals("Fedora") || distro.equals("Amazon") ? "dnf" : name;
        }
        if (distro.equals("Fedora") || distro.equals("Amazon")) {
            boolean old = major < (distro.equals("Fedora") ? 23 : 2022);
            String want = old ? "yum" : "dnf";
            return present.contains(old ? "/usr/bin/yum" : "/usr/bin/dnf") ? want : name;
        }
        return major < 8 ? "yum" : "dnf";
    }

    static void python(Raw raw, Map<String, Object> f) {
        String line = raw.text("python").strip();
        String[] p = line.split("\\|", -1);
        if (p.length < 9) {
            return;
        }
        Map<String, Object> version = new LinkedHashMap<>();
        version.put("major", toInt(p[1]));
        version.put("minor", toInt(p[2]));
        version.put("micro", toInt(p[3]));
        version.put("releaselevel", p[4]);
        version.put("serial", toInt(p[5]));
        Map<String, Object> py = new LinkedHashMap<>();
        py.put("version", version);
        py.put("version_info", List.of(toInt(p[1]), toInt(p[2]), toInt(p[3]), p[4], toInt(p[5])));
        py.put("executable", p[0]);
        py.put("has_sslcontext", p[6].equals("True"));
        py.put("type", p[7].isEmpty() ? null : p[7]);
        f.put("python", py);
    }

    static void selinux(Raw raw, Map<String, Object> f) {
        Map<String, Object> s = new LinkedHashMap<>();
        if (!raw.has("selinux", "lib")) {
            s.put("status", "Missing selinux Python library");
            f.put("selinux", s);
            f.put("selinux_python_present", false);
            return;
        }
        f.put("selinux_python_present", true);
        Map<String, String> p = raw.pairs("selinux");
        if (!p.containsKey("enforce")) {
            s.put("status", "disabled");
        } else {
            s.put("status", "enabled");
            Object vers = toInt(p.getOrDefault("policyvers", ""));
            s.put("policyvers", vers instanceof Integer ? vers : "unknown");
            String config = stripQuotes(p.getOrDefault("config", "")).toLowerCase(java.util.Locale.ROOT);
            s.put("config_mode", List.of("enforcing", "permissive", "disabled").contains(config) ? config : "unknown");
            s.put("mode", switch (p.get("enforce").strip()) {
                case "1" -> "enforcing";
                case "0" -> "permissive";
                default -> "unknown";
            });
            String type = stripQuotes(p.getOrDefault("type", ""));
            s.put("type", type.isEmpty() ? "unknown" : type);
        }
        f.put("selinux", s);
    }

    static void apparmor(Raw raw, Map<String, Object> f) {
        f.put("apparmor", new LinkedHashMap<>(Map.of("status",
                raw.has("apparmor", "/sys/kernel/security/apparmor") ? "enabled" : "disabled")));
    }

    static void caps(Raw raw, Map<String, Object> f) {
        List<String> lines = raw.lines("caps");
        if (!lines.contains("rc=0")) {
            f.put("system_capabilities_enforced", "N/A");
            f.put("system_capabilities", "N/A");
            return;
        }
        String enforced = "NA";
        List<Object> caps = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("Current:")) {
                if (line.split(":", -1)[1].strip().equals("=ep")) {
                    enforced = "False";
                } else {
                    enforced = "True";
                    caps = new ArrayList<>();
                    String[] eq = line.split("=", -1);
                    for (String c : eq[1].split(",", -1)) {
                        caps.add(c.strip());
                    }
                }
            }
        }
        f.put("system_capabilities_enforced", enforced);
        f.put("system_capabilities", caps);
    }

    static void cmdline(Raw raw, Map<String, Object> f) {
        String data = raw.file("/proc/cmdline").orElse("");
        if (data.isEmpty()) {
            return;
        }
        Map<String, Object> cmd = new LinkedHashMap<>();
        Map<String, Object> proc = new LinkedHashMap<>();
        for (String piece : shlexNonPosix(data)) {
            String[] item = piece.split("=", 2);
            if (item.length == 1) {
                cmd.put(item[0], true);
                proc.put(item[0], true);
            } else {
                cmd.put(item[0], item[1]);
                Object old = proc.get(item[0]);
                if (old instanceof List<?> l) {
                    @SuppressWarnings("unchecked")
                    List<Object> ll = (List<Object>) l;
                    ll.add(item[1]);
                } else if (old != null) {
                    proc.put(item[0], new ArrayList<>(List.of(old, item[1])));
                } else {
                    proc.put(item[0], item[1]);
                }
            }
        }
        f.put("cmdline", cmd);
        f.put("proc_cmdline", proc);
    }

    /** shlex.split(data, posix=False): white space separates, quotes group (and stay). */
    private static List<String> shlexNonPosix(String data) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?:[^\\s\"']+|\"[^\"]*\"|'[^']*')+").matcher(data);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    static void chroot(Raw raw, Map<String, Object> f) {
        List<String> l = raw.lines("chroot");
        boolean chroot;
        if (!at(l, 0).equals("debian_chroot=")) {
            chroot = true;
        } else if (l.size() >= 3 && !l.get(2).startsWith("fs=")) {
            chroot = !l.get(1).equals(l.get(2));
        } else {
            String fs = l.size() >= 3 ? l.get(2) : "";
            String ino = fs.contains("btrfs") ? "256" : fs.contains("xfs") ? "128" : "2";
            String[] root = at(l, 1).split(" ");
            chroot = root.length < 2 || !root[1].equals(ino);
        }
        f.put("is_chroot", chroot);
    }

    static void fips(Raw raw, Map<String, Object> f) {
        f.put("fips", raw.file("/proc/sys/crypto/fips_enabled").map("1"::equals).orElse(false));
    }

    static void loadavg(Raw raw, Map<String, Object> f) {
        String[] l = raw.file("/proc/loadavg").orElse("").split("\\s+");
        if (l.length >= 3) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("1m", Double.parseDouble(l[0]));
            m.put("5m", Double.parseDouble(l[1]));
            m.put("15m", Double.parseDouble(l[2]));
            f.put("loadavg", m);
        }
    }

    static void sshPubKeys(Raw raw, Map<String, Object> f) {
        for (String dir : List.of("/etc/ssh", "/etc/openssh", "/etc")) {
            for (String algo : List.of("dsa", "rsa", "ecdsa", "ed25519")) {
                String fact = "ssh_host_key_" + algo + "_public";
                if (f.containsKey(fact)) {
                    return;
                }
                Optional<String> key = raw.file(dir + "/ssh_host_" + algo + "_key.pub");
                if (key.isPresent()) {
                    String[] parts = key.get().split("\\s+");
                    if (parts.length >= 2) {
                        f.put(fact, parts[1]);
                        f.put(fact + "_keytype", parts[0]);
                    }
                }
            }
        }
    }

    static void iscsi(Raw raw, Map<String, Object> f) {
        String iqn = "";
        for (String line : raw.file("/etc/iscsi/initiatorname.iscsi").orElse("").split("\n")) {
            if (line.startsWith("#") || line.startsWith(";") || line.isBlank()) {
                continue;
            }
            if (line.startsWith("InitiatorName=")) {
                iqn = line.split("=", 2)[1].stripTrailing();
                break;
            }
        }
        f.put("iscsi_iqn", iqn);
    }

    static void nvme(Raw raw, Map<String, Object> f) {
        String nqn = "";
        for (String line : raw.file("/etc/nvme/hostnqn").orElse("").split("\n")) {
            if (line.startsWith("#") || line.startsWith(";") || line.isBlank()) {
                continue;
            }
            if (line.startsWith("nqn.")) {
                nqn = line;
                break;
            }
        }
        f.put("hostnqn", nqn);
    }

    static void fibreChannel(Raw raw, Map<String, Object> f) {
        List<Object> wwn = new ArrayList<>();
        raw.withPrefix("F/sys/class/fc_host/").values().forEach(v -> {
            for (String line : v.split("\n")) {
                String s = line.stripTrailing();
                if (!s.isEmpty()) {
                    wwn.add(s.length() > 2 ? s.substring(2) : "");
                }
            }
        });
        f.put("fibre_channel_wwn", wwn);
    }

    static String at(List<String> l, int i) {
        return i < l.size() ? l.get(i) : "";
    }

    static Object toInt(String s) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return s;
        }
    }

    /** Python's str.strip('\'"\\'). */
    static String stripQuotes(String v) {
        int a = 0;
        int b = v.length();
        while (a < b && "'\"\\".indexOf(v.charAt(a)) >= 0) {
            a++;
        }
        while (b > a && "'\"\\".indexOf(v.charAt(b - 1)) >= 0) {
            b--;
        }
        return v.substring(a, b);
    }
}
