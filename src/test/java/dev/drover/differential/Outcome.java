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

    /** The recap as text, one host a line, plus the exit code: what the suite compares. */
    String summary() {
        StringBuilder b = new StringBuilder();
        recap.forEach((h, s) -> b.append(h).append(" : ").append(s).append('\n'));
        return b.append("exit ").append(exitCode).append('\n').toString();
    }
}
