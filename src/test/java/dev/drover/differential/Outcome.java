package dev.drover.differential;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One run of a playbook: exit code, full output, and the PLAY RECAP line per host. */
record Outcome(String tool, int exitCode, String output, Map<String, String> recap) {
    private static final Pattern LINE = Pattern.compile(
            "^(\\S+)\\s+:\\s+(ok=\\d+)\\s+(changed=\\d+)\\s+(unreachable=\\d+)\\s+(failed=\\d+)\\s+(skipped=\\d+)"
                    + "\\s+(rescued=\\d+)\\s+(ignored=\\d+)\\s*$");

    static Outcome of(String tool, int exitCode, String output) {
        Map<String, String> recap = new LinkedHashMap<>();
        int at = output.lastIndexOf("PLAY RECAP");
        if (at >= 0) {
            for (String line : output.substring(at).split("\n")) {
                Matcher m = LINE.matcher(line.replaceAll("\u001b\\[[0-9;]*m", ""));
                if (m.matches()) {
                    recap.put(m.group(1), String.join(" ", m.group(2), m.group(3), m.group(4), m.group(5),
                            m.group(6), m.group(7), m.group(8)));
                }
            }
        }
        return new Outcome(tool, exitCode, output, recap);
    }

    private static final Pattern TASK = Pattern.compile("^TASK \\[(.*)\\] \\**$");
    private static final Pattern STATUS = Pattern.compile("^(ok|changed|skipping|fatal|failed|unreachable): \\[([^\\]]+)\\]");

    /**
     * What happened to one host, task by task ("TASK name: changed"), as both tools print it: what a
     * failure message shows when the recaps differ, so that a difference seen once (in CI) names its
     * task without rerunning.
     */
    String tasksOf(String host) {
        StringBuilder b = new StringBuilder();
        String task = "";
        for (String raw : output.split("\n")) {
            String line = raw.replaceAll("\u001b\\[[0-9;]*m", "");
            Matcher t = TASK.matcher(line);
            if (t.matches()) {
                task = t.group(1);
                continue;
            }
            Matcher m = STATUS.matcher(line);
            if (m.find() && m.group(2).split(" ")[0].equals(host)) {
                b.append(task).append(": ").append(m.group(1)).append('\n');
            }
        }
        return b.toString();
    }

    /** The recap as text, one host a line, plus the exit code: what the suite compares. */
    String summary() {
        StringBuilder b = new StringBuilder();
        recap.forEach((h, s) -> b.append(h).append(" : ").append(s).append('\n'));
        return b.append("exit ").append(exitCode).append('\n').toString();
    }
}
