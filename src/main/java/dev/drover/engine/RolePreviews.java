package dev.drover.engine;

import dev.drover.playbook.Block;
import dev.drover.playbook.FreeForm;
import dev.drover.playbook.Play;
import dev.drover.playbook.PlayRoles;
import dev.drover.playbook.PlaybookException;
import dev.drover.playbook.PlaybookLoader;
import dev.drover.playbook.Role;
import dev.drover.playbook.RoleLoader;
import dev.drover.playbook.Task;
import dev.drover.playbook.TaskNode;
import dev.drover.template.Templar;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * What each {@code include_role} with literal arguments would run, loaded before any host is
 * touched so the validator and the undefined-variable check can read the included role's tasks,
 * handlers, defaults and vars (into a throwaway set of roles: the run loads them again, into the
 * play's, when a host includes them). An include_role whose name or files are templated has no
 * preview: what it runs is known only at run time.
 */
final class RolePreviews {
    /** The role's block and handlers, or the reason it cannot be loaded. */
    record Preview(Block block, List<Task> handlers, PlaybookException problem) {
    }

    private static final int MAX_DEPTH = 8;

    private final Map<Task, Preview> previews = new IdentityHashMap<>();
    private final Play play;
    private final PlaybookLoader loader = new PlaybookLoader();

    private RolePreviews(Play play) {
        this.play = play;
    }

    /** The previews of every literal include_role of the play (in the included roles too). */
    static RolePreviews of(Play play) {
        RolePreviews p = new RolePreviews(play);
        for (List<TaskNode> section : List.of(play.preTasks(), play.tasks(), play.postTasks())) {
            p.walk(section, 0);
        }
        p.walk(new ArrayList<>(play.handlers()), 0);
        return p;
    }

    /** The preview of an include_role task, or null (templated, or not an include_role). */
    Preview get(Task t) {
        return previews.get(t);
    }

    /** The blocks of every previewed role (what each literal include_role would run). */
    List<Block> blocks() {
        List<Block> out = new ArrayList<>();
        for (Preview p : previews.values()) {
            if (p.block() != null) {
                out.add(p.block());
            }
        }
        return out;
    }

    /** The handlers every previewed role would add to the play. */
    List<Task> handlers() {
        List<Task> out = new ArrayList<>();
        for (Preview p : previews.values()) {
            if (p.handlers() != null) {
                out.addAll(p.handlers());
            }
        }
        return out;
    }

    private void walk(List<? extends TaskNode> nodes, int depth) {
        for (TaskNode n : nodes) {
            if (n instanceof Block b) {
                walk(b.block(), depth);
                walk(b.rescue(), depth);
                walk(b.always(), depth);
            } else if (n instanceof Task t && t.action().equals("include_role") && depth < MAX_DEPTH) {
                Preview p = preview(t);
                if (p != null) {
                    previews.put(t, p);
                    if (p.block() != null) {
                        walk(List.of(p.block()), depth + 1);
                        walk(p.handlers(), depth + 1);
                    }
                }
            }
        }
    }

    private Preview preview(Task t) {
        for (Object v : t.args().values()) {
            if (v instanceof String s && Templar.isTemplated(s)) {
                return null;
            }
        }
        Map<String, Object> args = new java.util.LinkedHashMap<>(t.args());
        if (args.containsKey(FreeForm.RAW) && !args.containsKey("name")) {
            args.put("name", args.remove(FreeForm.RAW));
        }
        try {
            RoleLoader.Use use = RoleLoader.qualify(
                    RoleLoader.includeUse("include_role", args, t.scope().keywords(), t.actionLocation()),
                    t.scope().role() == null ? null : t.scope().role().path());
            PlayRoles roles = new PlayRoles();
            Role role = loader.roles().load(use, roles, play.baseDir(), null);
            List<Task> handlers = new ArrayList<>();
            Block block = loader.roles().block(role, t.scope().childForRole(Map.of(), role), t.location(), roles,
                    handlers, new PlaybookLoader.Context(roles, play.baseDir(), handlers));
            return new Preview(block, handlers, null);
        } catch (PlaybookException e) {
            return new Preview(null, null, e);
        }
    }
}
