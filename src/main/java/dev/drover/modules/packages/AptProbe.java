package dev.drover.modules.packages;

import dev.drover.connection.ShellQuote;
import dev.drover.module.ModuleException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one probe apt plans from: apt-get's path, the time and the package cache's age, for each
 * named package dpkg's status and version (and, when it is not installed, the installed packages
 * that provide it), {@code apt-cache policy} (candidate and version table), a .deb's fields, and
 * what {@code apt-get -s} would do for an upgrade, autoremove or autoclean. Everything in the C locale.
 */
final class AptProbe {
    static final String MARK = "DROVER-APT ";
    static final String STAMP = "/var/lib/apt/periodic/update-success-stamp";

    /** One package as dpkg and apt-cache see it. */
    record Pkg(String name, String abbrev, String installed, String candidate, List<String> versions,
               boolean known, List<String> providers) {
        boolean isInstalled() {
            return abbrev != null && abbrev.length() > 1 && abbrev.charAt(1) == 'i';
        }

        /** A removed package whose configuration files are still there (dpkg status rc). */
        boolean hasFiles() {
            return abbrev != null && abbrev.length() > 1 && "iuhFWtc".indexOf(abbrev.charAt(1)) >= 0;
        }
    }

    /** What the probe found. */
    record Result(String aptGet, long now, long cacheTime, Map<String, Pkg> packages, String deb, String simulated) {
    }

    private AptProbe() {
    }

    /** The script: {@code names} without versions; {@code deb} a .deb path on the host or null; {@code simulate} an apt-get operation to dry-run or null. */
    static String script(List<String> names, String defaultRelease, String deb, String simulate) {
        StringBuilder s = new StringBuilder("export LC_ALL=C LANG=C\n")
                .append("a=$(command -v apt-get) || { echo '").append(MARK).append("noapt'; exit 0; }\n")
                .append("if [ -e ").append(STAMP).append(" ]; then m=$(stat -c %Y ").append(STAMP).append("); else ")
                .append("eval \"$(apt-config shell L Dir::State::Lists/d 2>/dev/null)\"; ")
                .append("m=$(stat -c %Y \"${L:-/var/lib/apt/lists/}\" 2>/dev/null || echo 0); fi\n")
                .append("echo \"").append(MARK).append("head $a $m\"\n")
                // the host's clock on a line of its own: not part of what a plan depends on
                .append("echo \"").append(dev.drover.module.HostView.CLOCK_LINE).append("$(date +%s)\"\n");
        if (!names.isEmpty()) {
            StringBuilder quoted = new StringBuilder();
            for (String n : names) {
                quoted.append(' ').append(ShellQuote.quote(n));
            }
            s.append("for p in").append(quoted).append("; do\n")
                    .append("  l=$(dpkg-query -W -f='${db:Status-Abbrev}|${Version}' -- \"$p\" 2>/dev/null)\n")
                    .append("  echo \"").append(MARK).append("pkg $p|$l\"\n")
                    .append("  case \"$l\" in ?i*) ;; *) dpkg-query -W -f='${Package}|${db:Status-Abbrev}|${Provides}\\n' 2>/dev/null")
                    .append(" | awk -F'|' -v p=\"$p\" '$2 ~ /^.i/ { n = split($3, a, /, */); for (i = 1; i <= n; i++) {")
                    .append(" sub(/ .*/, \"\", a[i]); if (a[i] == p) print \"").append(MARK).append("provider \" p \"|\" $1 } }';; esac\n")
                    .append("done\n")
                    .append("echo '").append(MARK).append("policy'\n")
                    .append("apt-cache");
            if (defaultRelease != null) {
                s.append(" -t ").append(ShellQuote.quote(defaultRelease));
            }
            s.append(" policy --").append(quoted).append(" 2>/dev/null\n");
        }
        if (deb != null) {
            String q = ShellQuote.quote(deb);
            s.append("echo '").append(MARK).append("deb'\n")
                    .append("if df=$(dpkg-deb -f ").append(q).append(" Package Version 2>&1); then printf '%s\\n' \"$df\"; ")
                    .append("n=$(dpkg-deb -f ").append(q).append(" Package); ")
                    .append("echo \"").append(MARK).append("debstatus $(dpkg-query -W -f='${db:Status-Abbrev}|${Version}' -- \"$n\" 2>/dev/null)\"; ")
                    .append("else echo \"").append(MARK).append("deberror $df\"; fi\n");
        }
        if (simulate != null) {
            s.append("echo '").append(MARK).append("simulate'\n")
                    .append("DEBIAN_FRONTEND=noninteractive \"$a\" -s ").append(simulate).append(" 2>&1\n");
        }
        return s.toString();
    }

    static Result parse(String out) throws ModuleException {
        String aptGet = null;
        long now = 0;
        long cache = 0;
        Map<String, String[]> status = new LinkedHashMap<>();
        Map<String, List<String>> providers = new LinkedHashMap<>();
        StringBuilder policy = new StringBuilder();
        StringBuilder deb = null;
        StringBuilder sim = null;
        String section = "";
        for (String line : out.split("\n", -1)) {
            if (line.startsWith(dev.drover.module.HostView.CLOCK_LINE)) {
                now = Long.parseLong(line.substring(dev.drover.module.HostView.CLOCK_LINE.length()).strip());
            } else if (line.startsWith(MARK)) {
                String rest = line.substring(MARK.length());
                if (rest.equals("noapt")) {
                    throw new ModuleException("apt-get not found on the host: the apt module needs a Debian-family host"
                            + " (use dnf, or package to pick the host's package manager)");
                } else if (rest.startsWith("head ")) {
                    String[] f = rest.split(" ");
                    aptGet = f[1];
                    String m = f.length > 3 ? f[3] : f.length > 2 ? f[2] : "";
                    if (f.length > 3) {
                        now = Long.parseLong(f[2]); // the older form: the clock inside the head line
                    }
                    cache = m.matches("\\d+") ? Long.parseLong(m) : 0;
                } else if (rest.startsWith("pkg ")) {
                    String[] f = rest.substring(4).split("\\|", -1);
                    status.put(f[0], new String[] {f.length > 1 ? f[1] : "", f.length > 2 ? f[2] : ""});
                } else if (rest.startsWith("provider ")) {
                    String[] f = rest.substring(9).split("\\|", -1);
                    providers.computeIfAbsent(f[0], k -> new ArrayList<>()).add(f[1]);
                } else if (rest.equals("policy")) {
                    section = "policy";
                } else if (rest.equals("deb")) {
                    section = "deb";
                    deb = new StringBuilder();
                } else if (rest.startsWith("debstatus ")) {
                    deb.append("Status: ").append(rest.substring(10)).append('\n');
                } else if (rest.startsWith("deberror ")) {
                    deb.append("Error: ").append(rest.substring(9)).append('\n');
                } else if (rest.equals("simulate")) {
                    section = "simulate";
                    sim = new StringBuilder();
                }
                continue;
            }
            switch (section) {
                case "policy" -> policy.append(line).append('\n');
                case "deb" -> deb.append(line).append('\n');
                case "simulate" -> sim.append(line).append('\n');
                default -> { }
            }
        }
        if (aptGet == null) {
            throw new ModuleException("the apt probe failed on the host: " + out.trim());
        }
        Map<String, String[]> policies = policies(policy.toString());
        Map<String, Pkg> pkgs = new LinkedHashMap<>();
        for (Map.Entry<String, String[]> e : status.entrySet()) {
            String name = e.getKey();
            String abbrev = e.getValue()[0].isBlank() ? null : e.getValue()[0].trim();
            String version = e.getValue()[1].isEmpty() ? null : e.getValue()[1];
            String[] pol = policies.get(name);
            List<String> versions = new ArrayList<>();
            String candidate = null;
            if (pol != null) {
                candidate = pol[0];
                for (int i = 1; i < pol.length; i++) {
                    versions.add(pol[i]);
                }
            }
            pkgs.put(name, new Pkg(name, abbrev, abbrev != null && abbrev.length() > 1 && abbrev.charAt(1) == 'i'
                    ? version : null, candidate, versions, pol != null,
                    providers.getOrDefault(name, List.of())));
        }
        return new Result(aptGet, now, cache, pkgs, deb == null ? null : deb.toString(),
                sim == null ? null : sim.toString());
    }

    /** name → [candidate or null, versions of the version table in order...]. */
    static Map<String, String[]> policies(String text) {
        Map<String, String[]> out = new LinkedHashMap<>();
        String name = null;
        List<String> entry = null;
        for (String line : text.split("\n")) {
            if (!line.isEmpty() && !line.startsWith(" ") && line.endsWith(":")) {
                if (name != null) {
                    out.put(name, entry.toArray(String[]::new));
                }
                name = line.substring(0, line.length() - 1);
                entry = new ArrayList<>();
                entry.add(null);
            } else if (entry != null && line.startsWith("  Candidate: ")) {
                String c = line.substring(13).trim();
                entry.set(0, c.equals("(none)") ? null : c);
            } else if (entry != null && line.matches(" (\\*\\*\\*| {3}) \\S+ -?\\d+")) {
                entry.add(line.substring(5, line.lastIndexOf(' ')));
            }
        }
        if (name != null) {
            out.put(name, entry.toArray(String[]::new));
        }
        return out;
    }
}
