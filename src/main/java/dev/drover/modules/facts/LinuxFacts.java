package dev.drover.modules.facts;

import dev.drover.connection.ShellQuote;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Ansible's setup on a Linux host, without Python: {@link #script} is one shell script that prints
 * every raw input the chosen collectors need (one round trip), {@link #parse} turns its output
 * into Ansible 2.14's facts ({@code ansible_}-prefixed names, plus {@code gather_subset} and
 * {@code module_setup}), filtered as setup's {@code filter} does.
 */
public final class LinuxFacts {
    private static final String BODY = load();

    private LinuxFacts() {
    }

    private static String load() {
        try (InputStream in = LinuxFacts.class.getResourceAsStream("gather.sh")) {
            if (in == null) {
                throw new IllegalStateException("gather.sh missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The probe for these collectors (from {@link GatherSubset#collectors}) and fact_path. */
    public static String script(List<String> collectors, String factPath) {
        return "W=" + ShellQuote.quote(" " + String.join(" ", collectors) + " ") + "\nFP="
                + ShellQuote.quote(factPath == null ? "" : factPath) + "\n" + BODY;
    }

    /**
     * The facts from the probe's output.
     *
     * @param warnings receives what Ansible would warn about (a failing local fact)
     */
    public static Map<String, Object> parse(String out, List<String> collectors, List<String> gatherSubset,
                                            List<String> filter, List<String> warnings) {
        Raw raw = new Raw(out);
        Map<String, Object> result = new LinkedHashMap<>();
        Map<String, Object> collected = new LinkedHashMap<>(); // what later collectors may read (os_family, …)
        for (String c : collectors) {
            Map<String, Object> f = new LinkedHashMap<>();
            Map<String, Object> ctx = new LinkedHashMap<>(collected);
            try {
                collect(c, raw, f, ctx, collected, warnings);
            } catch (RuntimeException e) {
                // as Ansible's AnsibleFactCollector: a collector that breaks gives no facts, the others go on
                f.clear();
            }
            collected.putAll(f);
            Map<String, Object> prefixed = new LinkedHashMap<>();
            f.forEach((k, v) -> prefixed.put("ansible_" + k, v));
            result.putAll(filter(prefixed, filter));
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("gather_subset", new ArrayList<>(gatherSubset));
        meta.put("module_setup", true);
        result.putAll(filter(meta, filter));
        return result;
    }

    private static void collect(String c, Raw raw, Map<String, Object> f, Map<String, Object> ctx,
                                Map<String, Object> collected, List<String> warnings) {
            switch (c) {
                case "platform" -> SystemFacts.platform(raw, f);
                case "distribution" -> DistributionFacts.collect(raw, f);
                case "apparmor" -> SystemFacts.apparmor(raw, f);
                case "cmdline" -> SystemFacts.cmdline(raw, f);
                case "date_time" -> SystemFacts.dateTime(raw, f);
                case "dns" -> SystemFacts.dns(raw, f);
                case "env" -> SystemFacts.env(raw, f);
                case "fips" -> SystemFacts.fips(raw, f);
                case "local" -> LocalFacts.collect(raw, f, warnings);
                case "lsb" -> SystemFacts.lsb(raw, f);
                case "loadavg" -> SystemFacts.loadavg(raw, f);
                case "python" -> SystemFacts.python(raw, f);
                case "selinux" -> SystemFacts.selinux(raw, f);
                case "service_mgr" -> {
                    SystemFacts.serviceMgr(raw, ctx);
                    f.put("service_mgr", ctx.get("service_mgr"));
                }
                case "pkg_mgr" -> {
                    SystemFacts.pkgMgr(raw, ctx);
                    f.put("pkg_mgr", ctx.get("pkg_mgr"));
                }
                case "iscsi" -> SystemFacts.iscsi(raw, f);
                case "nvme" -> SystemFacts.nvme(raw, f);
                case "fibre_channel_wwn" -> SystemFacts.fibreChannel(raw, f);
                case "caps" -> SystemFacts.caps(raw, f);
                case "chroot" -> SystemFacts.chroot(raw, f);
                case "ssh_pub_keys" -> SystemFacts.sshPubKeys(raw, f);
                case "user" -> SystemFacts.user(raw, f);
                case "hardware" -> {
                    ctx.putAll(f);
                    HardwareFacts.collect(raw, ctx);
                    ctx.keySet().removeAll(collected.keySet());
                    f.putAll(ctx);
                }
                case "virtual" -> VirtualFacts.collect(raw, f);
                case "network" -> NetworkFacts.collect(raw, f);
                default -> {
                    // facter, ohai: nothing unless those tools are installed (drover does not run them)
                }
            }
    }

    /** setup's filter: fnmatch globs on the fact names, tried with the ansible_ prefix too. */
    static Map<String, Object> filter(Map<String, Object> facts, List<String> filter) {
        if (filter == null || filter.isEmpty() || filter.equals(List.of("*"))) {
            return facts;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (String spec : filter) {
            Pattern p = glob(spec);
            Pattern prefixed = spec.startsWith("ansible_") || spec.startsWith("facter") || spec.startsWith("ohai")
                    ? null : glob("ansible_" + spec);
            facts.forEach((k, v) -> {
                if (spec.isEmpty() || p.matcher(k).matches() || prefixed != null && prefixed.matcher(k).matches()) {
                    out.put(k, v);
                }
            });
        }
        return out;
    }

    /** fnmatch's translation: * ? [seq] [!seq]. */
    static Pattern glob(String g) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < g.length(); i++) {
            char c = g.charAt(i);
            switch (c) {
                case '*' -> b.append(".*");
                case '?' -> b.append('.');
                case '[' -> {
                    int end = g.indexOf(']', i + 2);
                    if (end < 0) {
                        b.append("\\[");
                    } else {
                        String set = g.substring(i + 1, end);
                        b.append('[').append(set.startsWith("!") ? "^" + set.substring(1) : set).append(']');
                        i = end;
                    }
                }
                default -> b.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(b.toString(), Pattern.DOTALL);
    }
}
