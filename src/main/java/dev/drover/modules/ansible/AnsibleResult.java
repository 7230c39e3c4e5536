package dev.drover.modules.ansible;

import dev.drover.connection.CommandResult;
import dev.drover.module.ModuleException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a module's answer as Ansible's action plugin does ({@code _parse_returned_data},
 * {@code remove_internal_keys}, the task executor's defaults): the JSON object among its stdout
 * (junk after it is a warning), MODULE FAILURE when there is none, internal keys removed,
 * stdout_lines/stderr_lines, {@code failed} from {@code rc} when the module did not say.
 */
final class AnsibleResult {
    private AnsibleResult() {
    }

    /**
     * @param planned what the plan knew before the run (interpreter discovery's fact and warnings)
     * @throws ModuleException when the module failed (its values go with it)
     */
    static Map<String, Object> read(CommandResult out, String interpreter, Map<String, Object> planned)
            throws ModuleException {
        List<String> warnings = new ArrayList<>();
        Map<String, Object> data = parse(out, interpreter, warnings);
        for (String k : List.copyOf(data.keySet())) {
            if (k.startsWith("_ansible_")) {
                data.remove(k);
            }
        }
        for (String k : List.of("warnings", "deprecations")) {
            if (data.get(k) instanceof List<?> l && l.isEmpty() || (data.containsKey(k) && data.get(k) == null)) {
                data.remove(k);
            }
        }
        if (data.get("ansible_facts") instanceof Map<?, ?> facts) {
            Map<Object, Object> clean = new LinkedHashMap<>(facts);
            clean.keySet().removeIf(k -> String.valueOf(k).startsWith("discovered_interpreter_")
                    || String.valueOf(k).startsWith("ansible_discovered_interpreter_"));
            data.put("ansible_facts", clean);
        }
        for (String k : List.of("stdout", "stderr")) {
            if (data.containsKey(k) && !data.containsKey(k + "_lines")) {
                Object v = data.get(k);
                String text = v instanceof String s ? s : "";
                data.put(k + "_lines", text.isEmpty() ? List.of() : List.of(text.split("\\r?\\n|\\r", -1)).subList(0,
                        countLines(text)));
            }
        }
        if (planned.get("ansible_facts") instanceof Map<?, ?> discovered) {
            Map<Object, Object> facts = data.get("ansible_facts") instanceof Map<?, ?> f ? new LinkedHashMap<>(f) : new LinkedHashMap<>();
            facts.putAll(discovered);
            data.put("ansible_facts", facts);
        }
        if (planned.get("warnings") instanceof List<?> w && !w.isEmpty()) {
            warnings.addAll(w.stream().map(String::valueOf).toList());
        }
        if (!warnings.isEmpty()) {
            List<Object> all = data.get("warnings") instanceof List<?> l ? new ArrayList<>(l) : new ArrayList<>();
            all.addAll(warnings);
            data.put("warnings", all);
        }
        if (!data.containsKey("failed")) {
            Object rc = data.get("rc");
            boolean failed = rc != null && !"0".equals(String.valueOf(rc));
            if (failed) {
                data.put("failed", true);
            }
        }
        data.putIfAbsent("changed", false);
        if (Boolean.TRUE.equals(data.get("failed"))) {
            Object msg = data.remove("msg");
            throw new ModuleException(msg == null ? "" : String.valueOf(msg), data);
        }
        return data;
    }

    /** How many lines Python's str.splitlines() gives. */
    private static int countLines(String text) {
        String[] parts = text.split("\\r?\\n|\\r", -1);
        return parts.length > 0 && parts[parts.length - 1].isEmpty() ? parts.length - 1 : parts.length;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(CommandResult out, String interpreter, List<String> warnings) {
        String stdout = out.out();
        String json = jsonPart(stdout, warnings);
        if (json != null) {
            try {
                if (Json.parse(json) instanceof Map<?, ?> m) {
                    return new LinkedHashMap<>((Map<String, Object>) m);
                }
            } catch (RuntimeException e) {
                // not JSON: a module failure, below
            }
        }
        warnings.clear();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("failed", true);
        data.put("module_stdout", stdout);
        data.put("module_stderr", out.err());
        if (out.err().startsWith("Traceback")) {
            data.put("exception", out.err());
        } else if (stdout.startsWith("Traceback")) {
            data.put("exception", stdout);
        }
        String msg = "MODULE FAILURE";
        if (interpreter != null) {
            String i = java.util.regex.Pattern.quote(interpreter);
            java.util.regex.Pattern missing = java.util.regex.Pattern.compile(i + ": (?:No such file or directory|not found)");
            if (missing.matcher(out.err()).find() || missing.matcher(stdout).find()) {
                msg = "The module failed to execute correctly, you probably need to set the interpreter.";
            }
        }
        data.put("msg", msg + "\nSee stdout/stderr for the exact error");
        data.put("rc", out.exitCode());
        return data;
    }

    /** Ansible's _filter_non_json_lines(objects_only=True): from the first line starting with '{' to the last ending '}'. */
    static String jsonPart(String stdout, List<String> warnings) {
        String[] lines = stdout.split("\n", -1);
        int start = -1;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith("{")) {
                start = i;
                break;
            }
        }
        if (start < 0) {
            return null;
        }
        int end = -1;
        for (int i = lines.length - 1; i >= start; i--) {
            if (lines[i].strip().endsWith("}")) {
                end = i;
                break;
            }
        }
        if (end < 0) {
            return null;
        }
        StringBuilder trailing = new StringBuilder();
        for (int i = end + 1; i < lines.length; i++) {
            if (!lines[i].isEmpty()) {
                trailing.append(trailing.length() == 0 ? "" : "\n").append(lines[i]);
            }
        }
        if (trailing.length() > 0) {
            warnings.add("Module invocation had junk after the JSON data: " + trailing);
        }
        return String.join("\n", java.util.Arrays.copyOfRange(lines, start, end + 1));
    }
}
