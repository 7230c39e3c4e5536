package dev.drover.cli;

import dev.drover.engine.ExitCodes;
import dev.drover.engine.RunEvent;
import dev.drover.engine.Status;
import dev.drover.journal.Journal;
import dev.drover.plan.Inputs;
import dev.drover.plan.Plan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code drover apply PLAN}: runs a reviewed plan. The plan is refused whole when its file was
 * edited (checksum) or when any input of the run (playbook, roles, templates, inventory,
 * ansible.cfg) changed since; a host whose state moved since (a read the forecast was made against
 * answers otherwise now) is refused before its first task, as unreachable, while the others are
 * applied. After the run, any task that went otherwise than planned is named.
 */
@Command(name = "apply", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Runs a plan written by drover run --check --plan-out, exactly: refused when the plan file, the"
                + " playbook or its inputs changed since; a host whose state moved is refused, the others are applied.")
public final class ApplyCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "PLAN", description = "The plan file.")
    Path planFile;

    @Option(names = {"-k", "--ask-pass"}, description = "Ask for the SSH login password.")
    boolean askPass;

    @Option(names = {"-K", "--ask-become-pass"}, description = "Ask for the become (sudo/su) password.")
    boolean askBecomePass;

    @Option(names = "-v", description = "More output (-v, -vv, -vvv).")
    boolean[] verbose = new boolean[0];

    @Option(names = "--journal", paramLabel = "FILE", description = "As drover run's.")
    Path journal;

    @Option(names = "--no-journal", description = "Record nothing of this run in the journal.")
    boolean noJournal;

    @Mixin
    VaultPasswords vault;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @ParentCommand
    Main main;

    @Override
    public Integer call() {
        Main m = main == null ? new Main() : main;
        Path file = planFile.isAbsolute() ? planFile : m.cwd.resolve(planFile);
        Plan plan;
        try {
            plan = Plan.read(file);
        } catch (IOException e) {
            System.err.println("ERROR! cannot read the plan " + file + ": " + e.getMessage());
            return ExitCodes.ERROR;
        } catch (Plan.BadPlan e) {
            System.err.println("ERROR! " + e.getMessage());
            return ExitCodes.ERROR;
        }
        Map<String, Object> run = plan.run();
        Path cwd = Path.of(String.valueOf(run.get("cwd")));
        Main at = m.in(cwd);
        Path journalFile = journal != null ? m.cwd.resolve(journal) : null;
        try {
            List<Path> roots = plan.inputRoots().stream().map(Path::of).toList();
            Path defaultJournal = journalFile != null ? journalFile : Journal.defaultPath(m.env, m.home);
            List<String> changed = Inputs.changes(plan.inputs(), Inputs.hash(roots, Plans.excluded(file, defaultJournal)));
            if (!changed.isEmpty()) {
                System.err.println("ERROR! the plan " + file + " is stale: since it was made, "
                        + (changed.size() == 1 ? "this file changed" : "these files changed") + " (M changed, + new, - gone):\n  "
                        + String.join("\n  ", changed.subList(0, Math.min(30, changed.size())))
                        + (changed.size() > 30 ? "\n  … and " + (changed.size() - 30) + " more" : "")
                        + "\nmake a new plan with drover run --check --plan-out");
                return ExitCodes.ERROR;
            }
        } catch (IOException e) {
            System.err.println("ERROR! cannot read the run's files to compare them with the plan: " + e.getMessage());
            return ExitCodes.ERROR;
        }

        RunCommand r = new RunCommand();
        r.main = at;
        r.spec = spec;
        r.playbook = Path.of(plan.playbook());
        r.inventory = new ArrayList<>(plan.list("inventory"));
        r.limit = run.get("limit") == null ? null : String.valueOf(run.get("limit"));
        r.tags = new ArrayList<>(plan.list("tags"));
        r.skipTags = new ArrayList<>(plan.list("skip_tags"));
        r.extraVars = new ArrayList<>(plan.list("extra_vars"));
        r.forks = run.get("forks") instanceof Number n ? n.intValue() : null;
        r.diff = Boolean.TRUE.equals(run.get("diff"));
        r.forceHandlers = Boolean.TRUE.equals(run.get("force_handlers"));
        r.askPass = askPass;
        r.askBecomePass = askBecomePass;
        r.verbose = verbose;
        r.journal = journalFile;
        r.noJournal = noJournal;
        r.vault = vault;
        r.expectedReads = plan.reads();
        Map<String, List<String>> actual = new LinkedHashMap<>();
        Set<String> refused = new LinkedHashSet<>();
        r.extraListeners.add(event -> {
            if (event instanceof RunEvent.HostDone d && !d.retrying()) {
                if (d.result().status() == Status.UNREACHABLE && String.valueOf(d.result().message()).startsWith("refused: ")) {
                    refused.add(d.result().host());
                }
                actual.computeIfAbsent(d.result().host(), h -> new ArrayList<>())
                        .add(lastTask[0] + ": " + d.result().status().name().toLowerCase(java.util.Locale.ROOT));
            } else if (event instanceof RunEvent.TaskStarted t) {
                lastTask[0] = t.name();
            }
        });
        int code = r.call();
        Map<String, List<String>> planned = plan.statuses();
        List<String> otherwise = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : actual.entrySet()) {
            if (refused.contains(e.getKey())) {
                continue;
            }
            List<String> p = planned.getOrDefault(e.getKey(), List.of());
            List<String> a = e.getValue();
            for (int i = 0; i < Math.max(p.size(), a.size()); i++) {
                String want = i < p.size() ? p.get(i) : "(nothing)";
                String got = i < a.size() ? a.get(i) : "(nothing)";
                if (!want.equals(got) && !want.endsWith(": unknown") && !isUnknownForecast(plan, e.getKey(), i)) {
                    otherwise.add(e.getKey() + ": planned " + want + ", ran " + got);
                }
            }
        }
        for (String o : otherwise) {
            System.err.println("[WARNING]: not as planned: " + o);
        }
        int applied = (int) actual.keySet().stream().filter(h -> !refused.contains(h)).count();
        System.out.println("plan " + file + ": " + applied + (applied == 1 ? " host" : " hosts") + " applied"
                + (refused.isEmpty() ? "" : ", refused: " + String.join(", ", refused))
                + (otherwise.isEmpty() ? ", every task as planned" : ", " + otherwise.size()
                        + (otherwise.size() == 1 ? " task" : " tasks") + " not as planned"));
        return code;
    }

    private final String[] lastTask = new String[1];

    /** Whether the plan's i-th result for host was an unknown forecast (planned for real at apply time). */
    @SuppressWarnings("unchecked")
    private static boolean isUnknownForecast(Plan plan, String host, int index) {
        int i = 0;
        for (Map<String, Object> t : plan.tasks()) {
            for (Map<String, Object> res : (List<Map<String, Object>>) t.get("results")) {
                if (host.equals(res.get("host"))) {
                    if (i == index) {
                        return res.containsKey("unknown");
                    }
                    i++;
                }
            }
        }
        return false;
    }
}
