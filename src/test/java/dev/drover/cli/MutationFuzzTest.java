package dev.drover.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.testing.DroverCli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded fuzz of the playbooks this repository ships (playbooks/, examples/, the differential
 * cases): each mutation (a line deleted, duplicated or swapped, its indentation broken, a key
 * renamed or retyped, a value swapped for a list, a map, a number or broken Jinja, a file cut
 * short) of one YAML file of a copy of the playbook's directory runs through drover
 * {@code --syntax-check} and {@code --check} against localhost, in this JVM. Whatever the input,
 * drover never crashes: no "unexpected error", no stack trace, an exit code ansible-playbook
 * uses (0, 1, 2, 4, 5), no Java exception's name, and every refusal ({@code ERROR!} line) says where:
 * file:line:column.
 */
class MutationFuzzTest {
    private static final long SEED = Long.getLong("drover.fuzz.seed", 20261201L);
    private static final int MUTATIONS = Integer.getInteger("drover.fuzz.count", 150);
    private static final Set<Integer> EXIT_CODES = Set.of(0, 1, 2, 4, 5);
    /** A refusal says where: file:line:column (only a playbook that does not exist is named alone). */
    private static final Pattern WHERE = Pattern.compile("/[^\\s:'\"]+:\\d+:\\d+|the playbook: \\S+ could not be found");
    private static final List<String> JUNK = List.of("{{ broken", "{{ 1 + }}", "{% if %}", "{{ undefined_fuzz_var }}",
            "[1, 2", "{a: 1}", "[]", "{}", "~", "42", "yes", "\"{{ item }}\"", "!!binary x", "&anchor x", "*nosuchalias",
            "{{ lookup('nosuchlookup', 'x') }}", "{{ x | nosuchfilter }}", ": :", "- - -", "'unterminated", "%s");

    @TempDir
    Path work;

    @Test
    void mutatedPlaybooksNeverCrashDrover() throws IOException {
        List<Path> seeds = seeds();
        assertTrue(seeds.size() >= 5, "seed playbooks: " + seeds);
        Random random = new Random(SEED);
        List<String> problems = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < MUTATIONS; i++) {
            Path seed = seeds.get(random.nextInt(seeds.size()));
            Path dir = work.resolve("m" + i);
            copyTree(seed.getParent(), dir);
            Path playbook = dir.resolve(seed.getFileName());
            List<Path> yamls = yamlFiles(dir);
            // mostly the playbook itself, sometimes a file it reads (a role's tasks, an included file)
            Path target = random.nextInt(3) > 0 ? playbook : yamls.get(random.nextInt(yamls.size()));
            String before = Files.readString(target, StandardCharsets.UTF_8);
            String mutation = mutate(before, random);
            Files.writeString(target, mutation.substring(mutation.indexOf('\n') + 1), StandardCharsets.UTF_8);
            String what = "mutation " + i + " of " + seed + " (" + dir.relativize(target) + ": "
                    + mutation.substring(0, mutation.indexOf('\n')) + ")";
            Path root = dir.resolve("root");
            int syntaxExit = -1;
            for (boolean syntax : new boolean[] {true, false}) {
                if (!syntax && syntaxExit == 4) {
                    continue; // refused at load: --check refuses it the same way, before the variable check
                }
                DroverCli.Result r = syntax
                        ? DroverCli.run("run", "--syntax-check", playbook.toString(), "-e", "root=" + root)
                        : DroverCli.run("run", "--check", playbook.toString(), "-e", "root=" + root);
                if (Boolean.getBoolean("drover.fuzz.verbose")) {
                    System.out.println(what + (syntax ? " syntax " : " check ") + r.exit() + " "
                            + r.err().lines().findFirst().orElse(""));
                }
                if (syntax) {
                    syntaxExit = r.exit();
                }
                String problem = judge(r);
                if (problem != null) {
                    problems.add(what + (syntax ? " --syntax-check" : " --check") + ": " + problem + "\n" + r);
                }
            }
        }
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        System.out.println("fuzz: " + MUTATIONS + " mutations of " + seeds.size() + " playbooks (seed " + SEED + ") in "
                + seconds + " s, " + problems.size() + " problems");
        assertTrue(problems.isEmpty(), problems.size() + " crashes or refusals without a place:\n\n"
                + String.join("\n\n", problems.subList(0, Math.min(5, problems.size()))));
    }

    /** The judge itself: what the issue saw is caught, a located refusal or a failed task is fine. */
    @Test
    void theJudgeCatchesCrashesAndRefusalsWithoutAPlace() {
        assertTrue(judge(new DroverCli.Result(1, "", "ERROR! unexpected error: java.util.NoSuchElementException: No value"
                + " present (run with -vvv for the stack trace)\n")) != null);
        assertTrue(judge(new DroverCli.Result(4, "", "ERROR! /p/hello.yml: YAML syntax error: Non scalar key is detected\n"))
                != null);
        assertTrue(judge(new DroverCli.Result(3, "", "")) != null);
        assertTrue(judge(new DroverCli.Result(2, "fatal: [h]: FAILED! => {\"msg\": \"java.lang.NullPointerException\"}", ""))
                != null);
        assertTrue(judge(new DroverCli.Result(4, "", "ERROR! /p/x.yml:3:7: couldn't resolve module/action 'copyy'\n")) == null);
        assertTrue(judge(new DroverCli.Result(2, "fatal: [localhost]: FAILED! => {\"msg\": \"boom\"}\n", "")) == null);
    }

    /** What is wrong with this outcome, or null. */
    static String judge(DroverCli.Result r) {
        if (!EXIT_CODES.contains(r.exit())) {
            return "exit code " + r.exit();
        }
        String all = r.all();
        if (all.contains("unexpected error")) {
            return "an internal error reached the user";
        }
        if (all.contains("\tat ") || all.contains("Exception:") && all.contains("at dev.drover")) {
            return "a stack trace reached the user";
        }
        if (Pattern.compile("java\\.(lang|util|io|nio)\\.[A-Za-z.]*(Exception|Error)").matcher(all).find()) {
            return "a Java exception reached the user";
        }
        if (all.contains("could not run this task") && all.contains("defect of drover")) {
            return "a task met a defect of drover";
        }
        for (String line : r.err().lines().toList()) {
            if (line.startsWith("ERROR!") && !WHERE.matcher(line).find()) {
                return "a refusal that says not where: " + line;
            }
        }
        return null;
    }

    /** One mutation: its description, a newline, the mutated text. */
    static String mutate(String text, Random random) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        int n = lines.size();
        int at = random.nextInt(Math.max(1, n));
        String line = n == 0 ? "" : lines.get(at);
        String kind;
        switch (random.nextInt(11)) {
            case 0 -> {
                kind = "delete line " + (at + 1);
                lines.remove(at);
            }
            case 1 -> {
                kind = "duplicate line " + (at + 1);
                lines.add(at, line);
            }
            case 2 -> {
                kind = "indent line " + (at + 1) + " by 2";
                lines.set(at, "  " + line);
            }
            case 3 -> {
                kind = "outdent line " + (at + 1);
                lines.set(at, line.startsWith("  ") ? line.substring(2) : line.stripLeading());
            }
            case 4 -> {
                int other = random.nextInt(Math.max(1, n));
                kind = "swap lines " + (at + 1) + " and " + (other + 1);
                lines.set(at, lines.get(other));
                lines.set(other, line);
            }
            case 5 -> {
                String junk = JUNK.get(random.nextInt(JUNK.size()));
                kind = "value of line " + (at + 1) + " -> " + junk;
                int colon = line.indexOf(": ");
                lines.set(at, colon >= 0 ? line.substring(0, colon + 2) + junk : line + " " + junk);
            }
            case 6 -> {
                kind = "key of line " + (at + 1) + " misspelt";
                lines.set(at, line.replaceFirst("([a-z_]+)([a-z]):", "$1x$2:"));
            }
            case 7 -> {
                kind = "value of line " + (at + 1) + " retyped as a list";
                int colon = line.indexOf(": ");
                lines.set(at, colon >= 0 ? line.substring(0, colon + 2) + "[" + line.substring(colon + 2) + ", 2]" : line);
            }
            case 8 -> {
                kind = "value of line " + (at + 1) + " retyped as a map";
                int colon = line.indexOf(": ");
                lines.set(at, colon >= 0 ? line.substring(0, colon + 2) + "{k: " + line.substring(colon + 2) + "}" : line);
            }
            case 9 -> {
                kind = "Jinja inserted in line " + (at + 1);
                String jinja = List.of("{{ x }", "{{ (1 }}", "{{ a b }}", "{% for %}", "{{ '' | nosuchfilter }}",
                        "{{ q('nosuch') }}", "{{ 1 / 0 }}", "{{ {} + [] }}").get(random.nextInt(8));
                int colon = line.indexOf(": ");
                lines.set(at, colon >= 0 ? line.substring(0, colon + 2) + "\"" + jinja + "\"" : line + jinja);
            }
            default -> {
                kind = "cut after line " + (at + 1);
                lines = new ArrayList<>(lines.subList(0, at));
            }
        }
        return kind + "\n" + String.join("\n", lines);
    }

    private static List<Path> seeds() throws IOException {
        List<Path> out = new ArrayList<>();
        for (String dir : List.of("playbooks", "examples")) {
            try (Stream<Path> s = Files.list(Path.of(dir))) {
                s.filter(p -> p.toString().endsWith(".yml")).sorted().forEach(p -> out.add(p.toAbsolutePath()));
            }
        }
        try (Stream<Path> s = Files.list(Path.of("src/test/resources/differential"))) {
            s.map(d -> d.resolve("playbook.yml")).filter(Files::isRegularFile).sorted()
                    .forEach(p -> out.add(p.toAbsolutePath()));
        }
        return out;
    }

    private static List<Path> yamlFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest);
                }
            }
        }
    }
}
