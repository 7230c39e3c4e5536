package dev.drover.modules.system;

import dev.drover.connection.CommandResult;
import dev.drover.connection.ShellQuote;
import dev.drover.module.ModuleException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The quadlet module's one read-only round trip: the script that reads the set's files, podman's
 * version, the generator's dry-run of the new set, the manager, the watched inputs and the units,
 * and what it printed.
 */
final class QuadletProbe {
    boolean dirExists;
    final Map<String, byte[]> files = new HashMap<>();
    String podmanVersion;
    String generator;
    Set<String> dryRunUnits;
    int dryRunRc;
    String dryRunErr = "";
    UserManager.Status manager = new UserManager.Status("?", false, true);
    boolean systemctlOk = true;
    String systemctlError = "";
    final Map<String, Map<String, String>> units = new LinkedHashMap<>();
    /** Input files' mtimes (ns since the epoch); podman secrets' last creation or update (ns). */
    final Map<String, Long> mtimes = new HashMap<>();
    final Map<String, Long> secrets = new HashMap<>();

    /** When the unit last became active (ns since the epoch), from ActiveEnterTimestamp; null if unknown. */
    Long activeSince(String unit) {
        Map<String, String> show = units.get(unit);
        String ts = show == null ? null : show.get("ActiveEnterTimestamp");
        if (ts == null || ts.isBlank()) {
            return null;
        }
        try {
            // "Wed 2026-12-02 01:00:39.123456 UTC" (--timestamp=us+utc)
            String[] parts = ts.strip().split(" ");
            java.time.LocalDateTime t = java.time.LocalDateTime.parse(parts[1] + "T" + parts[2]);
            java.time.Instant i = t.toInstant(java.time.ZoneOffset.UTC);
            return i.getEpochSecond() * 1_000_000_000L + i.getNano();
        } catch (RuntimeException e) {
            return null;
        }
    }

    static QuadletProbe parse(CommandResult r) {
        QuadletProbe p = new QuadletProbe();
        String out = r.out();
        p.manager = UserManager.Status.parse(out);
        String section = null;
        StringBuilder text = new StringBuilder();
        for (String line : out.split("\n", -1)) {
            if (line.startsWith("@@rc ")) {
                if (section != null) {
                    p.end(section, text.toString(), Integer.parseInt(line.substring(5).trim()));
                }
                section = null;
                text.setLength(0);
            } else if (line.startsWith("@@")) {
                section = line.substring(2);
                text.setLength(0);
            } else if (section != null) {
                text.append(line).append('\n');
            }
        }
        return p;
    }

    private void end(String section, String text, int rc) {
        if (section.startsWith("file ")) {
            if (rc == 0) {
                files.put(section.substring(5), Base64.getDecoder().decode(text.strip()));
            }
            return;
        }
        if (section.startsWith("mtime ")) {
            if (rc == 0) {
                try {
                    mtimes.put(section.substring(6), new java.math.BigDecimal(text.strip()).movePointRight(9).longValue());
                } catch (NumberFormatException e) {
                    // no usable mtime: the input is not watched
                }
            }
            return;
        }
        switch (section) {
            case "secrets" -> {
                for (String l : text.split("\n")) {
                    String[] f = l.strip().split(" ");
                    if (f.length == 3) {
                        try {
                            secrets.put(f[0], Math.max(Long.parseLong(f[1]), Long.parseLong(f[2])));
                        } catch (NumberFormatException e) {
                            // not podman's answer
                        }
                    }
                }
            }
            case "dir" -> dirExists = text.strip().equals("yes");
            case "podman" -> podmanVersion = text.isBlank() ? null : text.strip();
            case "generator" -> generator = text.isBlank() ? null : text.strip();
            case "dryrun" -> {
                dryRunRc = rc;
                dryRunUnits = new LinkedHashSet<>();
                for (String l : text.split("\n")) {
                    if (l.length() > 6 && l.startsWith("---") && l.endsWith("---")) {
                        dryRunUnits.add(l.substring(3, l.length() - 3));
                    }
                }
            }
            case "dryrun-err" -> dryRunErr = text.strip();
            case "units" -> {
                if (rc != 0) {
                    systemctlOk = false;
                    systemctlError = text.strip();
                    return;
                }
                for (String block : text.split("\n\\s*\n")) {
                    Map<String, String> show = new LinkedHashMap<>();
                    for (String l : block.split("\n")) {
                        int eq = l.indexOf('=');
                        if (eq > 0) {
                            show.put(l.substring(0, eq), l.substring(eq + 1));
                        }
                    }
                    if (show.containsKey("Id")) {
                        units.put(show.get("Id"), show);
                    }
                }
            }
            default -> {
            }
        }
    }

    /** The generator accepted every file of the set: each unit came out of the dry-run. */
    void requireValid(List<QuadletModule.Item> items) throws ModuleException {
        if (dryRunUnits == null) {
            throw new ModuleException("the quadlet generator " + generator + " did not run: " + dryRunErr);
        }
        List<String> missing = new ArrayList<>();
        for (QuadletModule.Item it : items) {
            if (!dryRunUnits.contains(it.parsed().unit())) {
                missing.add(it.name());
            }
        }
        boolean ours = dryRunRc != 0 && items.stream().anyMatch(it -> dryRunErr.contains(it.name()));
        if (!missing.isEmpty() || ours) {
            throw new ModuleException("the quadlet generator (" + generator + " -dryrun) rejects "
                    + (missing.isEmpty() ? "the set" : String.join(", ", missing)) + "; nothing was installed"
                    + (dryRunErr.isEmpty() ? " (exit code " + dryRunRc + ", no message)" : ": " + dryRunErr));
        }
    }

    /** The one read-only round trip (the staging directory is removed before it ends). */
    static String script(List<QuadletModule.Item> items, String dest, boolean user, boolean validate, String generator,
                  List<String> units, List<String> inputPaths, List<String> secrets) {
        StringBuilder p = new StringBuilder(user ? UserManager.ENV : "");
        String d = ShellQuote.quote(dest);
        p.append("echo @@dir; if [ -d ").append(d).append(" ]; then echo yes; fi; echo '@@rc 0'; ");
        for (QuadletModule.Item it : items) {
            String f = ShellQuote.quote(dest + "/" + it.name());
            p.append("echo ").append(ShellQuote.quote("@@file " + dest + "/" + it.name())).append("; ")
                    .append("if [ -f ").append(f).append(" ]; then base64 -w0 < ").append(f)
                    .append("; echo; echo '@@rc 0'; else echo '@@rc 1'; fi; ");
        }
        if (validate) {
            p.append("echo @@podman; podman --version 2>/dev/null; echo '@@rc 0'; ");
            p.append("echo @@generator; g=; for c in");
            for (String g : generator != null ? List.of(generator) : QuadletModule.GENERATORS) {
                p.append(' ').append(ShellQuote.quote(g));
            }
            p.append("; do if [ -f \"$c\" ] && [ -x \"$c\" ]; then g=$c; echo \"$c\"; break; fi; done; echo '@@rc 0'; ");
            p.append("if [ -n \"$g\" ]; then t=$(mktemp -d) && { ")
                    .append("if [ -d ").append(d).append(" ]; then cp -pR ").append(d).append("/. \"$t\"/ 2>/dev/null; fi; ");
            for (QuadletModule.Item it : items) {
                p.append("printf %s ").append(ShellQuote.quote(Base64.getEncoder().encodeToString(it.content())))
                        .append(" | base64 -d > \"$t\"/").append(ShellQuote.quote(it.name())).append("; ");
            }
            p.append("QUADLET_UNIT_DIRS=\"$t\" \"$g\"").append(user ? " -user" : "")
                    .append(" -dryrun > \"$t.out\" 2> \"$t.err\"; r=$?; ")
                    .append("echo @@dryrun; grep -E '^---.+---$' \"$t.out\"; echo \"@@rc $r\"; ")
                    .append("echo @@dryrun-err; cat \"$t.err\"; echo '@@rc 0'; ")
                    .append("rm -rf \"$t\" \"$t.out\" \"$t.err\"; }; fi; ");
        }
        String systemctl = "systemctl" + (user ? " --user" : "");
        if (user) {
            p.append(UserManager.probeFragment());
        }
        for (String f : inputPaths) {
            String q = ShellQuote.quote(f);
            p.append("echo ").append(ShellQuote.quote("@@mtime " + f)).append("; if [ -f ").append(q)
                    .append(" ]; then stat -L -c %.9Y -- ").append(q).append("; echo '@@rc 0'; else echo '@@rc 1'; fi; ");
        }
        if (!secrets.isEmpty()) {
            p.append("echo @@secrets; podman secret inspect --format '{{.Spec.Name}} {{.CreatedAt.UnixNano}} {{.UpdatedAt.UnixNano}}' -- ")
                    .append(QuadletModule.quoteAll(secrets)).append(" 2>/dev/null; echo '@@rc 0'; ");
        }
        p.append("echo @@units; ").append(systemctl)
                .append(" show --timestamp=us+utc -p Id,LoadState,ActiveState,SubState,NeedDaemonReload,ActiveEnterTimestamp -- ")
                .append(QuadletModule.quoteAll(units)).append(" 2>&1; echo \"@@rc $?\"; exit 0");
        return p.toString();
    }
}
