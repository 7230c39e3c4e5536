package dev.drover.engine;

import java.util.Collection;
import java.util.List;

/** Ansible's --tags / --skip-tags rules, with the special tags always, never, all, tagged, untagged. */
public final class Tags {
    private Tags() {
    }

    public static boolean shouldRun(Collection<String> taskTags, List<String> only, List<String> skip) {
        if (matches(taskTags, skip, false)) {
            return false;
        }
        if (taskTags.contains("always") && !skip.contains("always")) {
            return true;
        }
        if (taskTags.contains("never")) {
            return only.stream().anyMatch(t -> !t.equals("all") && !t.equals("never") && taskTags.contains(t))
                    || only.contains("never");
        }
        return only.isEmpty() || matches(taskTags, only, true);
    }

    private static boolean matches(Collection<String> taskTags, List<String> wanted, boolean allMatches) {
        for (String w : wanted) {
            if (w.equals("all") && allMatches) {
                return true;
            }
            if (w.equals("tagged") && !taskTags.isEmpty()) {
                return true;
            }
            if (w.equals("untagged") && taskTags.isEmpty()) {
                return true;
            }
            if (taskTags.contains(w)) {
                return true;
            }
        }
        return false;
    }
}
