package dev.drover.plan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reviewed forecast: what {@code drover run --check --plan-out FILE} wrote and
 * {@code drover apply FILE} runs. It holds the run's options (to run it again exactly), the
 * playbook's git state, a hash of every input file, each task's forecast per host (status, diffs
 * with their content hashes; diff texts masked), and per host every read of the host the forecast
 * was made against (as digests). The file ends with a SHA-256 of all of that: a plan edited after
 * it was written is refused.
 *
 * <p>The plan is a JSON object kept as read (maps in order), with accessors for what apply and
 * show need.
 */
public final class Plan {
    public static final int VERSION = 1;

    private final Map<String, Object> body;
    private final String checksum;

    private Plan(Map<String, Object> body, String checksum) {
        this.body = body;
        this.checksum = checksum;
    }

    /** A new plan of this body (its checksum computed). */
    static Plan of(Map<String, Object> body) {
        return new Plan(body, "sha256:" + sha256(Json.write(body)));
    }

    public void write(Path file) throws IOException {
        Map<String, Object> all = new LinkedHashMap<>(body);
        all.put("checksum", checksum);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, Json.write(all), StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** The plan was changed after it was written, or is not a plan. */
    public static final class BadPlan extends Exception {
        BadPlan(String message) {
            super(message);
        }
    }

    /** Reads a plan and checks its checksum. */
    @SuppressWarnings("unchecked")
    public static Plan read(Path file) throws IOException, BadPlan {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Object parsed;
        try {
            parsed = Json.parse(text);
        } catch (RuntimeException e) {
            throw new BadPlan(file + " is not a plan drover wrote (it does not parse as JSON: " + e.getMessage().lines()
                    .findFirst().orElse("") + ")");
        }
        if (!(parsed instanceof Map<?, ?> m) || !m.containsKey("drover_plan") || !(m.get("checksum") instanceof String sum)) {
            throw new BadPlan(file + " is not a plan drover wrote (no drover_plan and checksum)");
        }
        if (!Integer.valueOf(VERSION).equals(m.get("drover_plan"))) {
            throw new BadPlan(file + " is a plan of another drover (format " + m.get("drover_plan") + "; this drover reads "
                    + VERSION + ")");
        }
        Map<String, Object> body = new LinkedHashMap<>((Map<String, Object>) m);
        body.remove("checksum");
        String actual = "sha256:" + sha256(Json.write(body));
        if (!actual.equals(sum)) {
            throw new BadPlan("the plan " + file + " was changed after drover wrote it (its checksum does not match);"
                    + " make a new plan with drover run --check --plan-out");
        }
        return new Plan(body, sum);
    }

    public String checksum() {
        return checksum;
    }

    public Map<String, Object> body() {
        return body;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> run() {
        return (Map<String, Object>) body.get("run");
    }

    public String playbook() {
        return String.valueOf(run().get("playbook"));
    }

    @SuppressWarnings("unchecked")
    public List<String> list(String key) {
        Object v = run().get(key);
        return v instanceof List<?> l ? (List<String>) l : List.of();
    }

    /** The run's input files: path → sha256, and the directories walked for them. */
    @SuppressWarnings("unchecked")
    public Map<String, String> inputs() {
        return (Map<String, String>) ((Map<String, Object>) body.get("inputs")).get("files");
    }

    @SuppressWarnings("unchecked")
    public List<String> inputRoots() {
        return (List<String>) ((Map<String, Object>) body.get("inputs")).get("roots");
    }

    /** Per host: read key → digest. */
    @SuppressWarnings("unchecked")
    public Map<String, Map<String, String>> reads() {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        Map<String, Object> hosts = (Map<String, Object>) body.get("hosts");
        hosts.forEach((h, v) -> {
            Map<String, String> r = new LinkedHashMap<>();
            Object reads = ((Map<String, Object>) v).get("reads");
            if (reads instanceof List<?> l) {
                for (Object o : l) {
                    Map<String, Object> x = (Map<String, Object>) o;
                    r.put(String.valueOf(x.get("key")), String.valueOf(x.get("digest")));
                }
            }
            out.put(h, r);
        });
        return out;
    }

    /** The forecast, task by task in run order: each with its results per host. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> tasks() {
        return (List<Map<String, Object>>) body.get("tasks");
    }

    /** Per host, the forecast's statuses in task order ({@code TASK name: status}). */
    @SuppressWarnings("unchecked")
    public Map<String, List<String>> statuses() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map<String, Object> t : tasks()) {
            for (Map<String, Object> r : (List<Map<String, Object>>) t.get("results")) {
                out.computeIfAbsent(String.valueOf(r.get("host")), k -> new ArrayList<>())
                        .add(t.get("task") + ": " + r.get("status"));
            }
        }
        return out;
    }

    /** Hex SHA-256 of a text's UTF-8 bytes (a plan's checksum, input hashes, diff contents). */
    public static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
