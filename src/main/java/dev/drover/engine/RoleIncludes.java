package dev.drover.engine;

import dev.drover.playbook.Block;
import dev.drover.playbook.FreeForm;
import dev.drover.playbook.PlayRoles;
import dev.drover.playbook.PlaybookException;
import dev.drover.playbook.Role;
import dev.drover.playbook.RoleLoader;
import dev.drover.playbook.Scope;
import dev.drover.playbook.Task;
import dev.drover.template.TemplateException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code include_role} at run time, as Ansible 2.14 runs it: per host (and loop item) whose
 * {@code when} holds, the arguments are templated, the role is loaded into the play's roles
 * (its meta dependencies too, each once per play as for static roles), and its block runs on the
 * hosts that asked for the same role. The include's own keywords apply to the include only; its
 * {@code vars}, loop variables and {@code apply} keywords reach the role's tasks. Its defaults and
 * vars are the role's own unless {@code public: true}, which makes them the play's from then on.
 * Like ansible-playbook it prints the include's banner and counts nothing for the include itself
 * (a host whose condition is false counts as skipped).
 */
final class RoleIncludes {
    private final RunContext rc;
    private final PlayRun play;

    RoleIncludes(RunContext rc, PlayRun play) {
        this.rc = rc;
        this.play = play;
    }

    private record Group(Map<String, Object> args, Map<String, Object> loopVars, List<HostState> hosts) {
    }

    void run(Task task, List<HostState> hosts, boolean rescuable) {
        rc.events.emit(new RunEvent.TaskStarted(displayName(task), task.handler(), task.location(), task.action()));
        Map<String, Group> groups = new LinkedHashMap<>();
        for (HostState h : hosts) {
            if (!h.active()) {
                continue;
            }
            try {
                Map<String, Object> vars = VarsBuilder.build(rc, play, h, task.scope(), null);
                List<Object> items = Loops.items(rc, task, vars);
                List<Map<String, Object>> perItem = new ArrayList<>();
                if (items == null) {
                    perItem.add(null);
                } else {
                    perItem.addAll(Loops.includeItemVars(task, items));
                }
                boolean any = false;
                for (Map<String, Object> loopVars : perItem) {
                    Map<String, Object> v = loopVars == null ? vars : VarsBuilder.build(rc, play, h, task.scope(), loopVars);
                    if (!rc.templar.isTrue(task.scope().conditions(), v)) {
                        continue;
                    }
                    any = true;
                    Map<String, Object> args = new LinkedHashMap<>();
                    for (Map.Entry<String, Object> e : task.args().entrySet()) {
                        // apply's keywords are templated by the tasks they reach, as any keyword
                        args.put(e.getKey(), e.getKey().equals("apply") ? e.getValue() : rc.templar.render(e.getValue(), v));
                    }
                    if (args.containsKey(FreeForm.RAW) && !args.containsKey("name")) {
                        args.put("name", args.remove(FreeForm.RAW));
                    }
                    String key = args + "\u0000" + (loopVars == null ? "" : String.valueOf(loopVars));
                    groups.computeIfAbsent(key, k -> new Group(args, loopVars, new ArrayList<>())).hosts().add(h);
                }
                if (!any) {
                    done(h, TaskRun.skipped(h.name(), null), rescuable);
                }
            } catch (TemplateException e) {
                fail(h, e.getMessage() + " (" + task.location() + ")", rescuable);
            }
        }
        for (Group g : groups.values()) {
            Block block;
            try {
                block = block(task, g);
            } catch (PlaybookException e) {
                for (HostState h : g.hosts()) {
                    fail(h, e.describe(), rescuable);
                }
                continue;
            }
            play.roleRuns().included(task.scope().role(), g.hosts());
            play.runNodes(List.of(block), g.hosts(), rescuable);
        }
    }

    @SuppressWarnings("unchecked")
    private Block block(Task task, Group g) throws PlaybookException {
        RoleLoader.Use use = RoleLoader.qualify(
                RoleLoader.includeUse("include_role", g.args(), task.scope().keywords(), task.actionLocation()),
                task.scope().role() == null ? null : task.scope().role().path());
        PlayRoles roles = play.play().roles();
        synchronized (roles) { // hosts of a free play may include the same role at once: one Role
            Role role = rc.loader.roles().load(use, roles, play.play().baseDir(), null);
            if (Boolean.TRUE.equals(dev.drover.playbook.Keywords.toBool(g.args().get("public")))) {
                roles.export(role);
            }
            Map<String, Object> loopVars = g.loopVars() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(g.loopVars());
            Role parent = task.scope().role();
            if (parent != null) {
                List<String> names = new ArrayList<>();
                List<String> paths = new ArrayList<>();
                names.add(parent.name());
                paths.add(parent.path().toString());
                for (Scope s = task.scope(); s != null; s = s.parent()) {
                    Object vars = s.keywords().get("vars");
                    if (vars instanceof Map<?, ?> m && m.get("ansible_parent_role_names") instanceof List<?> l) {
                        l.forEach(n -> names.add(String.valueOf(n)));
                        if (m.get("ansible_parent_role_paths") instanceof List<?> pl) {
                            pl.forEach(p -> paths.add(String.valueOf(p)));
                        }
                        break;
                    }
                }
                loopVars.put("ansible_parent_role_names", names);
                loopVars.put("ansible_parent_role_paths", paths);
            }
            Scope scope = PlayRun.includedScope(task, loopVars);
            Object apply = g.args().get("apply");
            if (apply instanceof Map<?, ?> a && !a.isEmpty()) {
                scope = scope.child((Map<String, Object>) a);
            }
            return rc.loader.roles().block(role, scope.childForRole(Map.of(), role), task.location(), roles,
                    play.handlers(), play.loadContext());
        }
    }

    /** Ansible's name for an include_role task: its name, else {@code include_role : ROLE} (no role prefix). */
    static String displayName(Task task) {
        if (task.name() != null) {
            return task.name();
        }
        Object n = task.args().containsKey("name") ? task.args().get("name")
                : task.args().containsKey("role") ? task.args().get("role") : task.args().get(FreeForm.RAW);
        return task.action() + " : " + n;
    }

    private void fail(HostState h, String message, boolean rescuable) {
        h.failures++;
        h.failed = true;
        done(h, TaskRun.failure(h.name(), message), rescuable);
    }

    private void done(HostState h, TaskResult r, boolean rescuable) {
        h.stats.count(r, rescuable);
        rc.events.emit(new RunEvent.HostDone(r, false, false, false));
    }
}
