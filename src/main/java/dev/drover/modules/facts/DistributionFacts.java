package dev.drover.modules.facts;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ansible 2.14's distribution collector (module_utils/facts/system/distribution.py) on Linux: the
 * {@code distro} library's guess from os-release, then the walk over the distribution files.
 * Parsed as Ansible does: Debian and its derivatives (Ubuntu, Kali, Devuan, Mint, …), the
 * search-string files (Red Hat, Oracle, ALT), Alpine, Arch, and os-release's NAME/VERSION as the
 * last resort. The other specific parsers (Amazon, SUSE, Slackware, OpenWrt, CoreOS, Flatcar,
 * Clear Linux, Mandriva, CentOS Stream) are not ported: those hosts get the generic answer.
 */
final class DistributionFacts {
    private DistributionFacts() {
    }

    private record DistFile(String path, String name, boolean allowEmpty) {
    }

    private static final List<DistFile> OSDIST = List.of(
            new DistFile("/etc/altlinux-release", "Altlinux", false), new DistFile("/etc/oracle-release", "OracleLinux", false),
            new DistFile("/etc/slackware-version", "Slackware", false), new DistFile("/etc/centos-release", "CentOS", false),
            new DistFile("/etc/redhat-release", "RedHat", false), new DistFile("/etc/vmware-release", "VMwareESX", true),
            new DistFile("/etc/openwrt_release", "OpenWrt", false), new DistFile("/etc/os-release", "Amazon", false),
            new DistFile("/etc/system-release", "Amazon", false), new DistFile("/etc/alpine-release", "Alpine", false),
            new DistFile("/etc/arch-release", "Archlinux", true), new DistFile("/etc/os-release", "Archlinux", false),
            new DistFile("/etc/os-release", "SUSE", false), new DistFile("/etc/SuSE-release", "SUSE", false),
            new DistFile("/etc/gentoo-release", "Gentoo", false), new DistFile("/etc/os-release", "Debian", false),
            new DistFile("/etc/lsb-release", "Debian", false), new DistFile("/etc/lsb-release", "Mandriva", false),
            new DistFile("/etc/sourcemage-release", "SMGL", false), new DistFile("/usr/lib/os-release", "ClearLinux", false),
            new DistFile("/etc/coreos/update.conf", "Coreos", false), new DistFile("/etc/os-release", "Flatcar", false),
            new DistFile("/etc/os-release", "NA", false));
    private static final Map<String, String> SEARCH = Map.of("OracleLinux", "Oracle Linux", "RedHat", "Red Hat",
            "Altlinux", "ALT", "SMGL", "Source Mage GNU/Linux");
    private static final Map<String, String> FAMILY = new LinkedHashMap<>();

    static {
        family("RedHat", "RedHat", "RHEL", "Fedora", "CentOS", "Scientific", "SLC", "Ascendos", "CloudLinux", "PSBM",
                "OracleLinux", "OVS", "OEL", "Amazon", "Virtuozzo", "XenServer", "Alibaba", "EulerOS", "openEuler",
                "AlmaLinux", "Rocky", "TencentOS", "EuroLinux", "Kylin Linux Advanced Server");
        family("Debian", "Debian", "Ubuntu", "Raspbian", "Neon", "KDE neon", "Linux Mint", "SteamOS", "Devuan", "Kali",
                "Cumulus Linux", "Pop!_OS", "Parrot", "Pardus GNU/Linux", "Uos", "Deepin", "OSMC");
        family("Suse", "SuSE", "SLES", "SLED", "openSUSE", "openSUSE Tumbleweed", "SLES_SAP", "SUSE_LINUX", "openSUSE Leap");
        family("Archlinux", "Archlinux", "Antergos", "Manjaro");
        family("Mandrake", "Mandrake", "Mandriva");
        family("Slackware", "Slackware");
        family("Altlinux", "Altlinux");
        family("Gentoo", "Gentoo", "Funtoo");
        family("Alpine", "Alpine");
        family("ClearLinux", "Clear Linux OS", "Clear Linux Mix");
    }

    private static void family(String family, String... names) {
        for (String n : names) {
            FAMILY.put(n, family);
        }
    }

    static void collect(Raw raw, Map<String, Object> f) {
        Map<String, String> files = raw.withPrefix("D");
        Map<String, String> osr = osRelease(files.getOrDefault("/etc/os-release", files.getOrDefault("/usr/lib/os-release", "")));
        String id = osr.getOrDefault("ID", "");
        String distribution = id.isEmpty() ? "OtherLinux" : Character.toUpperCase(id.charAt(0)) + id.substring(1).toLowerCase();
        if (distribution.equals("Amzn")) {
            distribution = "Amazon";
        } else if (distribution.equals("Rhel")) {
            distribution = "Redhat";
        }
        String version = osr.getOrDefault("VERSION_ID", "");
        if (id.equals("debian") || id.equals("centos")) {
            // distro.version(best=True): the most precise of os-release's and the release file's version
            String best = version;
            String dv = files.getOrDefault("/etc/debian_version", "").strip();
            if (id.equals("debian") && dv.matches("[0-9][0-9.]*") && dv.split("\\.").length > best.split("\\.").length) {
                best = dv;
            }
            version = id.equals("centos") ? String.join(".", List.of(best.split("\\.")).subList(0, Math.min(2, best.split("\\.").length))) : best;
        }
        String codename = osr.containsKey("VERSION_CODENAME") ? osr.get("VERSION_CODENAME") : osr.get("UBUNTU_CODENAME");
        if (codename == null && osr.containsKey("VERSION")) {
            // distro.codename(): the name in VERSION's parentheses, or after its comma ("9.3 (Blue Onyx)")
            Matcher m = Pattern.compile("(\\(\\D+\\))|,(\\s+)?\\D+").matcher(osr.get("VERSION"));
            if (m.find()) {
                String c = m.group().replaceAll("^[(),\\s]+|[(),\\s]+$", "");
                codename = c.isEmpty() ? null : c;
            }
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("distribution", distribution.isEmpty() ? "NA" : distribution);
        d.put("distribution_version", version.isEmpty() ? "NA" : version);
        d.put("distribution_release", codename == null ? "NA" : codename);
        String major = String.valueOf(d.get("distribution_version")).split("\\.")[0];
        d.put("distribution_major_version", major.isEmpty() ? "NA" : major);
        for (DistFile df : OSDIST) {
            String content = files.get(df.path());
            if (content == null || (!df.allowEmpty() && content.isEmpty())) {
                continue;
            }
            if (df.allowEmpty()) {
                d.put("distribution", df.name());
                d.put("distribution_file_path", df.path());
                d.put("distribution_file_variety", df.name());
                break;
            }
            Optional<Map<String, Object>> parsed = parse(df.name(), content.strip(), df.path(), d, files);
            if (parsed.isPresent()) {
                d.put("distribution", df.name());
                d.put("distribution_file_path", df.path());
                d.put("distribution_file_variety", df.name());
                d.put("distribution_file_parsed", true);
                d.putAll(parsed.get());
                break;
            }
        }
        f.putAll(d);
        String distro = String.valueOf(d.get("distribution"));
        f.put("os_family", FAMILY.getOrDefault(distro, distro));
    }

    private static Optional<Map<String, Object>> parse(String name, String data, String path, Map<String, Object> d,
                                                       Map<String, String> files) {
        Map<String, Object> out = new LinkedHashMap<>();
        String stripped = SystemFacts.stripQuotes(data);
        if (SEARCH.containsKey(name)) {
            out.put("distribution", stripped.contains(SEARCH.get(name)) ? name : stripped.split("\\s+")[0]);
            if (stripped.contains(SEARCH.get(name))) {
                out.put("distribution_file_search_string", SEARCH.get(name));
            }
            return Optional.of(out);
        }
        switch (name) {
            case "Archlinux":
                return stripped.contains("Arch Linux") ? Optional.of(out) : Optional.empty();
            case "Alpine":
                out.put("distribution", "Alpine");
                out.put("distribution_version", data);
                return Optional.of(out);
            case "Debian":
                return debian(data, path, d, files);
            case "NA":
                for (String line : data.split("\n")) {
                    if (line.startsWith("NAME=")) {
                        out.put("distribution", stripChars(line.substring(5), "\""));
                    }
                    if (line.startsWith("VERSION=") && "NA".equals(d.get("distribution_version"))) {
                        out.put("distribution_version", stripChars(line.substring(8), "\""));
                    }
                }
                return Optional.of(out);
            default:
                // Amazon, SUSE, Gentoo, Mandriva, … : not ported, so not matched (see the class comment)
                return Optional.empty();
        }
    }

    private static Optional<Map<String, Object>> debian(String data, String path, Map<String, Object> d,
                                                        Map<String, String> files) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (data.contains("Debian") || data.contains("Raspbian")) {
            out.put("distribution", "Debian");
            group(data, "PRETTY_NAME=[^(]+ \\(?([^)]+?)\\)").ifPresent(r -> out.put("distribution_release", r));
            for (String line : files.getOrDefault("/etc/debian_version", "").split("\n")) {
                Matcher m = Pattern.compile("(\\d+)\\.(\\d+)").matcher(line.strip());
                if (m.find()) {
                    out.put("distribution_minor_version", m.group(2));
                }
            }
        } else if (data.contains("Ubuntu")) {
            out.put("distribution", "Ubuntu");
        } else if (data.contains("SteamOS")) {
            out.put("distribution", "SteamOS");
        } else if ((path.equals("/etc/lsb-release") || path.equals("/etc/os-release"))
                && (data.contains("Kali") || data.contains("Parrot"))) {
            out.put("distribution", data.contains("Kali") ? "Kali" : "Parrot");
            group(data, "DISTRIB_RELEASE=(.*)").ifPresent(r -> out.put("distribution_release", r));
        } else if (data.contains("Devuan")) {
            out.put("distribution", "Devuan");
            group(data, "PRETTY_NAME=\"?[^(\"]+ \\(?([^) \"]+)\\)?").ifPresent(r -> out.put("distribution_release", r));
            group(data, "VERSION_ID=\"(.*)\"").ifPresent(v -> {
                out.put("distribution_version", v);
                out.put("distribution_major_version", v);
            });
        } else if (data.contains("Mint")) {
            out.put("distribution", "Linux Mint");
            group(data, "VERSION_ID=\"(.*)\"").ifPresent(v -> {
                out.put("distribution_version", v);
                out.put("distribution_major_version", v.split("\\.")[0]);
            });
        } else {
            return Optional.empty();
        }
        return Optional.of(out);
    }

    private static Optional<String> group(String data, String regex) {
        Matcher m = Pattern.compile(regex).matcher(data);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static String stripChars(String s, String chars) {
        int a = 0;
        int b = s.length();
        while (a < b && chars.indexOf(s.charAt(a)) >= 0) {
            a++;
        }
        while (b > a && chars.indexOf(s.charAt(b - 1)) >= 0) {
            b--;
        }
        return s.substring(a, b);
    }

    /** os-release as the distro library reads it: KEY=value lines, shell quoting removed. */
    private static Map<String, String> osRelease(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq <= 0 || line.startsWith("#")) {
                continue;
            }
            String v = line.substring(eq + 1).strip();
            if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
                v = v.substring(1, v.length() - 1);
            }
            out.put(line.substring(0, eq).strip(), v);
        }
        return out;
    }
}
