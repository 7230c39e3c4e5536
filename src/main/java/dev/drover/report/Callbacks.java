package dev.drover.report;

import dev.drover.engine.RunEvent;
import dev.drover.engine.RunListener;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;

/**
 * The output plugins by their Ansible names, one registry for {@code --callback}, {@code --report}
 * and ansible.cfg's {@code stdout_callback} / {@code callbacks_enabled}. Stdout callbacks (one per
 * run): {@code default}, {@code minimal}, {@code json} (the JSON document on stdout and nothing
 * else; warnings go to stderr). Others, any number: {@code junit} (a file in {@code
 * JUNIT_OUTPUT_DIR}, default {@code ~/.ansible.log}), {@code timer}, {@code profile_tasks}. A
 * collection prefix ({@code ansible.builtin.}, {@code ansible.posix.}, {@code community.general.})
 * is accepted.
 */
public final class Callbacks {
    public static final Set<String> STDOUT = Set.of("default", "minimal", "json");
    public static final Set<String> AGGREGATE = Set.of("junit", "timer", "profile_tasks");
    public static final Set<String> REPORTS = Set.of("json", "junit");
    private static final List<String> PREFIXES = List.of("ansible.builtin.", "ansible.legacy.", "ansible.posix.",
            "community.general.");

    private Callbacks() {
    }

    /**
     * What the callbacks print and read: the run's streams, verbosity, colour, vault masking, the
     * environment their settings come from (JUNIT_*, PROFILE_TASKS_*), the playbook file.
     */
    public record Settings(PrintStream out, PrintStream err, int verbosity, boolean color, UnaryOperator<String> mask,
                           Map<String, String> env, Path playbook) {
    }

    /** A name drover does not know, with the nearest it knows. */
    public static final class UnknownCallback extends IllegalArgumentException {
        public UnknownCallback(String message) {
            super(message);
        }
    }

    /** {@code --report KIND=FILE}. */
    public record Report(String kind, Path file) {
        /** Parses {@code json=FILE} / {@code junit=FILE}; a bad value is an {@link UnknownCallback}. */
        public static Report parse(String spec) {
            int eq = spec.indexOf('=');
            String kind = eq < 0 ? spec : spec.substring(0, eq);
            if (!REPORTS.contains(kind)) {
                throw new UnknownCallback("--report " + spec + ": unknown report '" + kind + "'" + suggest(kind, REPORTS)
                        + " (json=FILE or junit=FILE)");
            }
            if (eq < 0 || eq == spec.length() - 1) {
                throw new UnknownCallback("--report " + spec + ": a file is needed (" + kind + "=FILE)");
            }
            Path file = Path.of(spec.substring(eq + 1));
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null && !Files.isDirectory(dir)) {
                throw new UnknownCallback("--report " + spec + ": the directory " + dir + " does not exist");
            }
            return new Report(kind, file);
        }
    }

    /** The name without its collection prefix, or the name itself. */
    public static String shortName(String name) {
        String n = name.trim();
        for (String p : PREFIXES) {
            if (n.startsWith(p)) {
                return n.substring(p.length());
            }
        }
        return n;
    }

    public static boolean isStdout(String name) {
        return STDOUT.contains(shortName(name));
    }

    private static String suggest(String name, Set<String> known) {
        JaroWinklerSimilarity jw = new JaroWinklerSimilarity();
        return known.stream().max(Comparator.comparingDouble(k -> jw.apply(k, name)))
                .filter(k -> jw.apply(k, name) > 0.7).map(k -> ", did you mean '" + k + "'?").orElse("");
    }

    /** The listener for one callback name. */
    public static RunListener create(String name, Settings s) {
        String n = shortName(name);
        return switch (n) {
            case "default" -> new ConsoleListener(s.out(), s.err(), s.verbosity(), s.color(), s.mask());
            case "minimal" -> new MinimalListener(s.out(), s.mask());
            case "json" -> jsonOnStdout(s);
            case "junit" -> new JunitReport(junitFile(s), s.mask(), s.env());
            case "timer" -> new TimerListener(new MaskingPrintStream(s.out(), s.mask()));
            case "profile_tasks" -> new ProfileTasks(new MaskingPrintStream(s.out(), s.mask()), s.verbosity(), s.env());
            default -> {
                java.util.Set<String> all = new java.util.TreeSet<>(STDOUT);
                all.addAll(AGGREGATE);
                throw new UnknownCallback("unknown callback '" + name + "'" + suggest(n, all) + " (known: "
                        + String.join(", ", all) + ")");
            }
        };
    }

    private static RunListener jsonOnStdout(Settings s) {
        PrintStream err = new MaskingPrintStream(s.err(), s.mask());
        JsonReport json = new JsonReport(doc -> {
            s.out().print(doc);
            s.out().flush();
        }, s.mask());
        return event -> {
            if (event instanceof RunEvent.Warning w) {
                err.println("[WARNING]: " + w.message());
                err.flush();
            }
            json.on(event);
        };
    }

    private static Consumer<String> junitFile(Settings s) {
        return xml -> {
            String dir = s.env().getOrDefault("JUNIT_OUTPUT_DIR", System.getProperty("user.home") + "/.ansible.log");
            Path file = Path.of(dir, JunitReport.defaultFileName(String.valueOf(s.playbook()),
                    System.currentTimeMillis() / 1000.0));
            write(file, xml, s);
        };
    }

    private static void write(Path file, String text, Settings s) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            s.err().println(s.mask().apply("ERROR! could not write " + file + ": " + e.getMessage()));
            s.err().flush();
        }
    }

    /** The listener writing one {@code --report}. */
    public static RunListener report(Report r, Settings s) {
        return switch (r.kind()) {
            case "json" -> new JsonReport(doc -> write(r.file(), doc, s), s.mask());
            case "junit" -> new JunitReport(xml -> write(r.file(), xml, s), s.mask(), s.env());
            default -> throw new UnknownCallback("unknown report '" + r.kind() + "'");
        };
    }

    /**
     * Every listener of a run: the stdout callback ({@code null}: default), the enabled callbacks,
     * the reports; the ones that print wrapped in the {@link ProgressListener} (live status lines
     * when {@code tty}, and not under the json stdout callback, whose stdout is the document only).
     */
    public static List<RunListener> listeners(String stdoutCallback, List<String> enabled, List<Report> reports,
                                              Settings s, boolean tty) {
        String stdout = stdoutCallback == null ? "default" : shortName(stdoutCallback);
        if (!STDOUT.contains(stdout)) {
            if (AGGREGATE.contains(stdout)) {
                throw new UnknownCallback("'" + stdoutCallback + "' is not a stdout callback (default, minimal, json)");
            }
            create(stdout, s); // throws with a did-you-mean
        }
        List<RunListener> printing = new ArrayList<>();
        printing.add(create(stdout, s));
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String e : enabled) {
            String n = shortName(e);
            if (n.isEmpty() || STDOUT.contains(n) || !seen.add(n)) {
                continue; // a stdout callback listed as enabled is the stdout one's business (Ansible too)
            }
            printing.add(create(n, s));
        }
        List<RunListener> all = new ArrayList<>();
        all.add(new ProgressListener(printing, s.out(), tty && !stdout.equals("json"), s.mask()));
        for (Report r : reports) {
            all.add(report(r, s));
        }
        return all;
    }
}
