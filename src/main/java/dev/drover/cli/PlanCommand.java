package dev.drover.cli;

import dev.drover.engine.ExitCodes;
import dev.drover.plan.Plan;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code drover plan show PLAN}: a plan as --check --diff printed it, with what it was made against. */
@Command(name = "plan", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Reads plans written by drover run --check --plan-out.", subcommands = PlanCommand.Show.class)
public final class PlanCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @ParentCommand
    Main main;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Prints a plan: its run, the playbook's commit, then per task and host the forecast and diffs.")
    static final class Show implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "PLAN", description = "The plan file.")
        Path file;

        @ParentCommand
        PlanCommand parent;

        @Override
        public Integer call() {
            Main m = parent == null || parent.main == null ? new Main() : parent.main;
            Path f = file.isAbsolute() ? file : m.cwd.resolve(file);
            Plan plan;
            try {
                plan = Plan.read(f);
            } catch (IOException e) {
                System.err.println("ERROR! cannot read the plan " + f + ": " + e.getMessage());
                return ExitCodes.ERROR;
            } catch (Plan.BadPlan e) {
                System.err.println("ERROR! " + e.getMessage());
                return ExitCodes.ERROR;
            }
            print(plan, f, System.out);
            return ExitCodes.OK;
        }
    }

    @SuppressWarnings("unchecked")
    static void print(Plan plan, Path file, PrintStream out) {
        Map<String, Object> b = plan.body();
        out.println("plan " + file + " (" + plan.checksum() + ", intact)");
        out.println("  made       " + b.get("created") + " by " + b.get("user") + " on " + b.get("controller"));
        out.println("  command    " + b.get("command"));
        out.println("  playbook   " + plan.playbook());
        if (b.get("git") instanceof Map<?, ?> g) {
            List<String> changes = (List<String>) g.get("changes");
            out.println("  git        " + g.get("root") + " at " + g.get("commit")
                    + (changes == null || changes.isEmpty() ? ", clean" : ", with uncommitted changes (" + changes.size() + ")"));
        }
        out.println("  inputs     " + plan.inputs().size() + " files, hashed");
        Map<String, Map<String, String>> reads = plan.reads();
        out.println("  made against " + reads.values().stream().mapToInt(Map::size).sum() + " reads of "
                + reads.size() + (reads.size() == 1 ? " host" : " hosts"));
        String play = null;
        for (Map<String, Object> t : plan.tasks()) {
            if (!Objects.equals(play, t.get("play"))) {
                play = (String) t.get("play");
                out.println();
                out.println("PLAY [" + (play == null ? "" : play) + "]");
            }
            out.println();
            out.println((Boolean.TRUE.equals(t.get("handler")) ? "RUNNING HANDLER [" : "TASK [") + t.get("task") + "]");
            for (Map<String, Object> r : (List<Map<String, Object>>) t.get("results")) {
                if (r.get("diffs") instanceof List<?> ds) {
                    for (Object d : ds) {
                        out.print(((Map<String, Object>) d).get("diff"));
                        out.println();
                    }
                }
                String status = String.valueOf(r.get("status"));
                String lead = switch (status) {
                    case "skipped" -> "skipping";
                    case "failed" -> "fatal";
                    default -> status;
                };
                out.println(lead + ": [" + r.get("host") + "]" + (r.get("unknown") != null ? " (unknown: " + r.get("unknown") + ")" : "")
                        + (r.get("msg") != null ? " => " + r.get("msg") : ""));
            }
        }
        out.println();
        out.println("PLAN RECAP");
        new java.util.TreeMap<>((Map<String, Object>) b.get("hosts")).forEach((h, v) -> {
            Map<String, Object> c = (Map<String, Object>) ((Map<String, Object>) v).get("recap");
            if (c != null) {
                out.println(String.format("%-26s : ok=%-4s changed=%-4s unreachable=%-4s failed=%-4s skipped=%-4s rescued=%-4s"
                        + " ignored=%s", h, c.get("ok"), c.get("changed"), c.get("unreachable"), c.get("failed"), c.get("skipped"),
                        c.get("rescued"), c.get("ignored")).stripTrailing()
                        + (c.get("unknown") instanceof Number n && n.intValue() > 0 ? " unknown=" + n : ""));
            }
        });
    }
}
