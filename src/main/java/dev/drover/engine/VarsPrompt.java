package dev.drover.engine;

import dev.drover.playbook.Keywords;
import dev.drover.playbook.Play;
import dev.drover.template.TemplateException;
import dev.drover.yaml.Location;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A play's {@code vars_prompt}, as ansible-playbook 2.14 asks it before the play starts: each
 * entry's fields are templated with the play's variables; a variable given with {@code -e} is not
 * asked; on a terminal the prompt is {@code "PROMPT [DEFAULT]: "} (hidden when {@code private},
 * the default, asked twice with {@code confirm}); without one, Ansible warns "Not prompting as we
 * are not in interactive mode" and the variable is its default (or the text {@code None}). An
 * empty answer takes the default. The values are play variables.
 */
final class VarsPrompt {
    static final Set<String> KEYS = Set.of("name", "prompt", "default", "private", "confirm", "encrypt", "salt_size",
            "salt", "unsafe");

    private VarsPrompt() {
    }

    static Map<String, Object> ask(RunContext rc, Play play) throws RunException {
        Object raw = play.scope().keywords().get("vars_prompt");
        Map<String, Object> out = new LinkedHashMap<>();
        if (!(raw instanceof List<?> entries) || entries.isEmpty()) {
            return out;
        }
        Map<String, Object> vars = new LinkedHashMap<>(play.scope().vars());
        vars.putAll(rc.options.extraVars());
        for (Object e : entries) {
            if (!(e instanceof Map<?, ?> entry)) {
                continue; // the validator refused it
            }
            Map<?, ?> t;
            try {
                t = (Map<?, ?>) rc.templar.render(entry, vars);
            } catch (TemplateException ex) {
                throw new RunException(ExitCodes.ERROR, play.location(), "vars_prompt: " + ex.getMessage());
            }
            String name = String.valueOf(t.get("name"));
            if (rc.options.extraVars().containsKey(name)) {
                continue;
            }
            String prompt = t.get("prompt") == null ? null : String.valueOf(t.get("prompt"));
            Object dflt = t.get("default");
            boolean hidden = !Boolean.FALSE.equals(Keywords.toBool(t.containsKey("private") ? t.get("private") : true));
            boolean confirm = Boolean.TRUE.equals(Keywords.toBool(t.containsKey("confirm") ? t.get("confirm") : false));
            VarsPrompter p = rc.options.prompter();
            String result = null;
            if (p != null && p.interactive()) {
                String msg = prompt != null && dflt != null ? prompt + " [" + dflt + "]: "
                        : prompt != null ? prompt + ": " : "input for " + name + ": ";
                while (true) {
                    result = p.ask(msg, hidden);
                    if (!confirm) {
                        break;
                    }
                    String second = p.ask("confirm " + msg, hidden);
                    if (java.util.Objects.equals(result, second)) {
                        break;
                    }
                    rc.events.emit(new RunEvent.Display("***** VALUES ENTERED DO NOT MATCH ****"));
                }
            } else {
                rc.events.emit(new RunEvent.Warning("Not prompting as we are not in interactive mode"));
            }
            Object value = result;
            if ((result == null || result.isEmpty()) && dflt != null) {
                value = dflt;
            }
            // Python's to_text(None): the prompt's answer is always text
            out.put(name, value == null ? "None" : value instanceof String ? value : dev.drover.module.Args.stringOf(value));
        }
        return out;
    }

    /** The validator's checks of the keyword (the encryption of an answer is not done by drover). */
    static void validate(Object raw, Location where, List<RunException.Problem> problems) {
        if (raw == null || (raw instanceof List<?> l && l.isEmpty())) {
            return;
        }
        if (!(raw instanceof List<?> entries)) {
            problems.add(new RunException.Problem(where, "vars_prompt must be a list of mappings with 'name' and 'prompt'"));
            return;
        }
        for (Object e : entries) {
            if (!(e instanceof Map<?, ?> m) || !m.containsKey("name")) {
                problems.add(new RunException.Problem(where, "Invalid vars_prompt data structure, missing 'name' key"));
                continue;
            }
            for (Object k : m.keySet()) {
                if (!KEYS.contains(String.valueOf(k))) {
                    problems.add(new RunException.Problem(where, "Invalid vars_prompt data structure, found unsupported key '"
                            + k + "'" + dev.drover.playbook.Suggestions.didYouMean(String.valueOf(k), KEYS)));
                }
            }
            if (m.get("encrypt") != null) {
                problems.add(new RunException.Problem(where, "vars_prompt 'encrypt' is not supported by drover yet (the"
                        + " variable '" + m.get("name") + "'); use the password_hash filter on the answer instead"));
            }
        }
    }
}
