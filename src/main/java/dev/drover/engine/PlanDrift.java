package dev.drover.engine;

import dev.drover.connection.Become;
import dev.drover.connection.Connection;
import dev.drover.connection.ConnectionException;
import dev.drover.module.ShellHostView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Applying a plan: before a host's first real task, every read the plan was made against is made
 * again; a host whose answers moved is refused (as unreachable: the run goes on with the others),
 * naming what moved, and so is a host the plan does not know.
 */
final class PlanDrift {
    private PlanDrift() {
    }

    /** Null when the host may go on; else why it is refused. Checked once per host, by its first task. */
    static String verifyOnce(RunContext rc, HostState h, Connection conn, Become taskBecome) throws ConnectionException {
        synchronized (h) {
            if (!h.planChecked) {
                h.planDrift = verify(rc, h, conn, taskBecome);
                h.planChecked = true;
            }
            return h.planDrift;
        }
    }

    private static String verify(RunContext rc, HostState h, Connection conn, Become taskBecome) throws ConnectionException {
        Map<String, String> expected = rc.options.plan().expected().get(h.name());
        if (expected == null) {
            return "refused: the plan has nothing for " + h.name() + " (it was not in the planned run)";
        }
        List<String> moved = new ArrayList<>();
        String password = taskBecome != null && taskBecome.password() != null ? taskBecome.password()
                : rc.options.connection().becomePassword();
        for (Map.Entry<String, String> e : expected.entrySet()) {
            if (e.getKey().startsWith("sha256:")) {
                continue; // kept by hash only (it held a secret): compared when its task reads it again
            }
            String[] p = HostReads.parts(e.getKey());
            String as = p[1];
            ShellHostView view;
            if (as.isEmpty()) {
                view = new ShellHostView(conn.shell());
            } else {
                int slash = as.lastIndexOf('/');
                view = new ShellHostView(conn.shell(new Become(as.substring(0, slash), as.substring(slash + 1), password)));
            }
            String now = HostReads.readAgain(e.getKey(), view);
            if (!now.equals(e.getValue())) {
                moved.add(describe(p));
            }
        }
        if (moved.isEmpty()) {
            return null;
        }
        return "refused: the host moved since the plan was made: " + String.join(", ", moved.subList(0, Math.min(10, moved.size())))
                + (moved.size() > 10 ? " and " + (moved.size() - 10) + " more" : "") + " changed; make a new plan";
    }

    private static String describe(String[] p) {
        return switch (p[0]) {
            case "file", "file-follow", "attributes", "kind", "kind-follow" -> "file " + p[2];
            case "read" -> "the content of " + p[2];
            case "user" -> "user " + p[2];
            case "group" -> "group " + p[2];
            default -> "the output of `" + p[2].strip().lines().findFirst().orElse("") + "`";
        };
    }
}
