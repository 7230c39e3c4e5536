package dev.drover.cli;

import dev.drover.engine.ExitCodes;
import dev.drover.engine.RunException;
import dev.drover.engine.RunOptions;
import dev.drover.engine.Runner;
import dev.drover.engine.Tags;
import dev.drover.inventory.Host;
import dev.drover.inventory.Inventory;
import dev.drover.inventory.InventoryException;
import dev.drover.playbook.Block;
import dev.drover.playbook.Play;
import dev.drover.playbook.Playbook;
import dev.drover.playbook.Task;
import dev.drover.playbook.TaskNode;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** --syntax-check, --list-tasks and --list-hosts, printed as ansible-playbook prints them. */
final class Listing {
    private Listing() {
    }

    static int print(RunOptions o, boolean syntax, boolean tasks, boolean hosts, PrintStream out) throws RunException {
        Playbook pb = Runner.loadAndValidate(o.playbook());
        out.println();
        out.println("playbook: " + o.playbook());
        if (syntax && !tasks && !hosts) {
            return ExitCodes.OK;
        }
        Inventory inv = hosts ? Runner.loadInventory(o.inventory()) : null;
        int n = 0;
        for (Play p : pb.plays()) {
            n++;
            out.println();
            out.println("  play #" + n + " (" + p.hosts() + "): " + p.name() + "\tTAGS: " + tags(p.scope().tags()));
            if (hosts) {
                try {
                    List<Host> hs = inv.select(p.hosts());
                    if (o.limit() != null) {
                        List<String> allowed = inv.select(o.limit()).stream().map(Host::name).toList();
                        hs = hs.stream().filter(h -> allowed.contains(h.name())).toList();
                    }
                    out.println("    pattern: ['" + p.hosts() + "']");
                    out.println("    hosts (" + hs.size() + "):");
                    for (Host h : hs) {
                        out.println("      " + h.name());
                    }
                } catch (InventoryException e) {
                    throw new RunException(ExitCodes.UNREACHABLE_OR_PARSE, e.location(), e.getMessage());
                }
            }
            if (tasks) {
                out.println("    tasks:");
                for (List<TaskNode> section : List.of(p.preTasks(), p.tasks(), p.postTasks())) {
                    list(section, o, out);
                }
            }
        }
        return ExitCodes.OK;
    }

    /**
     * As ansible-playbook lists them: the tasks of blocks (not rescue/always), meta tasks
     * included, only those --tags/--skip-tags select.
     */
    private static void list(List<TaskNode> nodes, RunOptions o, PrintStream out) {
        for (TaskNode n : nodes) {
            if (n instanceof Task t) {
                if (Tags.shouldRun(t.scope().tags(), o.tags(), o.skipTags())) {
                    out.println("      " + t.displayName() + "\tTAGS: " + tags(t.scope().tags()));
                }
            } else if (n instanceof Block b) {
                list(b.block(), o, out);
            }
        }
    }

    private static String tags(Set<String> tags) {
        return "[" + String.join(", ", new TreeSet<>(tags)) + "]";
    }
}
