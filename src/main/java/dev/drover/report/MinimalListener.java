package dev.drover.report;

import dev.drover.engine.RunEvent;
import dev.drover.engine.RunListener;
import dev.drover.engine.TaskResult;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Ansible's {@code minimal} stdout callback: no banners, no recap; one entry per host and task,
 * {@code HOST | CHANGED => {…}} with the result indented by 4, {@code HOST | SKIPPED}, and for
 * command/shell/raw {@code HOST | CHANGED | rc=0 >>} followed by stdout, stderr and msg.
 */
public final class MinimalListener implements RunListener {
    private static final Set<String> NO_JSON = Set.of("command", "shell", "raw", "ansible.builtin.command",
            "ansible.builtin.shell", "ansible.builtin.raw", "ansible.legacy.command", "ansible.legacy.shell",
            "ansible.legacy.raw");

    private final PrintStream out;
    private final UnaryOperator<String> mask;
    private String lastAction = "";

    public MinimalListener(PrintStream out, UnaryOperator<String> mask) {
        this.out = new MaskingPrintStream(out, mask);
        this.mask = mask;
    }

    @Override
    public synchronized void on(RunEvent event) {
        if (event instanceof RunEvent.TaskStarted t) {
            lastAction = t.action();
        } else if (event instanceof RunEvent.HostDone h) {
            print(h.result(), lastAction);
        } else if (event instanceof RunEvent.Warning w) {
            out.println("[WARNING]: " + w.message());
        }
        out.flush();
    }

    private void print(TaskResult r, String act) {
        Map<String, Object> v = new LinkedHashMap<>(Masks.deep(r.values(), mask));
        v.keySet().removeIf(k -> k.startsWith("_ansible"));
        v.remove("invocation");
        v.remove("exception");
        switch (r.status()) {
            case SKIPPED -> out.println(r.host() + " | SKIPPED");
            case UNREACHABLE -> out.println(r.host() + " | UNREACHABLE! => " + PyJson.dumpsIndented(v));
            case FAILED -> {
                if (NO_JSON.contains(act) && !v.containsKey("module_stderr")) {
                    out.println(generic(r.host(), v, "FAILED"));
                } else {
                    out.println(r.host() + " | FAILED! => " + PyJson.dumpsIndented(v));
                }
            }
            default -> {
                String state = r.changed() ? "CHANGED" : "SUCCESS";
                if (NO_JSON.contains(act) && !v.containsKey("ansible_job_id")) {
                    out.println(generic(r.host(), v, state));
                } else {
                    out.println(r.host() + " | " + state + " => " + PyJson.dumpsIndented(v));
                }
            }
        }
    }

    private static String generic(String host, Map<String, Object> v, String caption) {
        return host + " | " + caption + " | rc=" + v.getOrDefault("rc", -1) + " >>\n" + v.getOrDefault("stdout", "")
                + v.getOrDefault("stderr", "") + v.getOrDefault("msg", "") + "\n";
    }
}
