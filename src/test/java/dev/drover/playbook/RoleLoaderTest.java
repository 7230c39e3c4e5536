package dev.drover.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Roles as Ansible 2.14 loads them: meta dependencies, the role cache, import_role, the search path. */
class RoleLoaderTest {
    @TempDir
    Path dir;

    private void write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private Playbook load(String playbook) throws IOException, PlaybookException {
        write("play.yml", playbook);
        return new PlaybookLoader().load(dir.resolve("play.yml"));
    }

    private PlaybookException error(String playbook) throws IOException {
        write("play.yml", playbook);
        return assertThrows(PlaybookException.class, () -> new PlaybookLoader().load(dir.resolve("play.yml")));
    }

    /** Every task of a tree, in the order they run, as "role: action". */
    private static List<String> tasks(List<TaskNode> nodes) {
        List<String> out = new ArrayList<>();
        for (TaskNode n : nodes) {
            if (n instanceof Task t) {
                out.add((t.scope().role() == null ? "-" : t.scope().role().name()) + ": " + t.args().get("msg"));
            } else if (n instanceof Block b) {
                out.addAll(tasks(b.block()));
            }
        }
        return out;
    }

    private void roles() throws IOException {
        write("roles/common/tasks/main.yml", "- debug: msg=common\n");
        write("roles/common/meta/main.yml", """
                galaxy_info: {author: me, platforms: [{name: Debian}]}
                dependencies: []
                """);
        write("roles/base/tasks/main.yml", "- debug: msg=base\n");
        write("roles/base/defaults/main.yml", "base_default: 1\n");
        write("roles/app/tasks/main.yml", "- debug: msg=app\n");
        write("roles/app/meta/main.yml", """
                dependencies:
                  - common
                  - role: base
                    p: 1
                    when: use_base
                    tags: [b]
                """);
    }

    @Test
    void dependenciesComeFirstAndTheirEntriesKeywordsReachTheirTasks() throws Exception {
        roles();
        Play play = load("""
                - hosts: all
                  roles:
                    - role: app
                      when: outer
                """).plays().get(0);
        assertEquals(List.of("common: common", "base: base", "app: app"), tasks(play.tasks()));
        Block app = (Block) play.tasks().get(0);
        Block base = (Block) app.block().get(1);
        Task baseTask = (Task) base.block().get(0);
        // the role's when reaches its dependency (Ansible's dependency chain); the entry's own too
        assertEquals(List.of("outer", "use_base"), baseTask.scope().conditions());
        assertTrue(baseTask.scope().tags().contains("b"));
        assertEquals(Map.of("p", 1), baseTask.scope().role().params());
        assertEquals(Map.of("base_default", 1), play.tasks().isEmpty() ? Map.of()
                : ((Task) ((Block) app.block().get(1)).block().get(0)).scope().role().defaults());
    }

    @Test
    void aRoleWithTheSameParametersIsOneRoleOtherParametersAnother() throws Exception {
        roles();
        Play play = load("""
                - hosts: all
                  roles:
                    - app
                    - role: base
                      p: 1
                      when: use_base
                      tags: [b]
                    - role: base
                      p: 2
                """).plays().get(0);
        Role appBase = ((Block) ((Block) play.tasks().get(0)).block().get(1)).scope().role();
        Role same = ((Block) play.tasks().get(1)).scope().role();
        Role other = ((Block) play.tasks().get(2)).scope().role();
        assertSame(appBase, same);
        assertNotSame(appBase, other);
        // exported: the play's roles (with their dependencies' defaults)
        assertEquals(3, play.roles().exported().size());
        assertEquals(1, play.roles().exported().get(0).exportedDefaults().get("base_default"));
    }

    @Test
    void roleDirectoriesListEveryRoleThePlayUses() throws Exception {
        roles();
        write("roles/lib/tasks/main.yml", "- debug: msg=lib\n");
        Play play = load("""
                - hosts: all
                  roles: [app]
                  tasks:
                    - import_role: name=lib
                """).plays().get(0);
        assertEquals(List.of(dir.resolve("roles/common"), dir.resolve("roles/base"), dir.resolve("roles/app"),
                dir.resolve("roles/lib")), play.roleDirectories());
    }

    @Test
    void aDependencyCycleIsReportedWithTheChain() throws Exception {
        write("roles/a/tasks/main.yml", "- debug: msg=a\n");
        write("roles/a/meta/main.yml", "dependencies: [b]\n");
        write("roles/b/meta/main.yml", "dependencies: [{role: a}]\n");
        PlaybookException e = error("""
                - hosts: all
                  roles: [a]
                """);
        assertTrue(e.getMessage().startsWith("A recursion loop was detected with the roles specified."), e.getMessage());
        assertTrue(e.getMessage().contains("(a -> b -> a)"), e.getMessage());
        assertTrue(e.location().toString().endsWith("roles/b/meta/main.yml:1:16"), e.describe());
    }

    @Test
    void anUnknownRoleIsReportedWhereItIsNamedWithASuggestion() throws Exception {
        roles();
        PlaybookException e = error("""
                - hosts: all
                  tasks:
                    - import_role:
                        name: commn
                """);
        assertTrue(e.getMessage().startsWith("the role 'commn' was not found in " + dir.resolve("roles")), e.getMessage());
        assertTrue(e.getMessage().contains("Did you mean 'common'?"), e.getMessage());
        assertEquals(3, e.location().line());
        PlaybookException dep = error("""
                - hosts: all
                  roles: [app]
                """.replace("app", "web"));
        assertTrue(dep.getMessage().contains("the role 'web' was not found"), dep.getMessage());
    }

    @Test
    void importRoleReadsItsFromFilesAndRefusesWhatAnsibleRefuses() throws Exception {
        write("roles/lib/tasks/alt.yml", "- debug: msg=alt\n");
        write("roles/lib/vars/other.yml", "v: other\n");
        write("roles/lib/defaults/main.yml", "d: main\n");
        Play play = load("""
                - hosts: all
                  tasks:
                    - import_role:
                        name: lib
                        tasks_from: alt
                        vars_from: other.yml
                      when: x
                """).plays().get(0);
        Task t = (Task) ((Block) ((Block) play.tasks().get(0)).block().get(0)).block().get(0);
        assertEquals("alt", t.args().get("msg"));
        assertEquals(List.of("x"), t.scope().conditions());
        assertEquals(Map.of("v", "other"), t.scope().role().vars());
        assertEquals(Map.of("d", "main"), t.scope().role().defaults());
        assertTrue(t.scope().role().allowDuplicates(), "import_role's allow_duplicates defaults to true");

        PlaybookException missing = error("""
                - hosts: all
                  tasks:
                    - import_role: {name: lib, tasks_from: nope}
                """);
        assertEquals("Could not find specified file in role: tasks/nope", missing.getMessage());
        assertEquals(3, missing.location().line(), missing::describe);
        PlaybookException bad = error("""
                - hosts: all
                  tasks:
                    - import_role: {name: lib, task_from: alt}
                """);
        assertTrue(bad.getMessage().startsWith("Invalid options for import_role: task_from"), bad.getMessage());
        assertTrue(bad.getMessage().contains("Did you mean 'tasks_from'?"), bad.getMessage());
        assertTrue(error("""
                - hosts: all
                  tasks:
                    - import_role: {name: lib, tasks_from: alt}
                      loop: [1, 2]
                """).getMessage().startsWith("You cannot use loops on 'import_role' statements."));
    }

    @Test
    void aRoleGivenAsAPathIsNamedAsWrittenAndIsADifferentRoleForEachSpelling() throws Exception {
        write("elsewhere/myrole/tasks/main.yml", "- debug: msg=there\n");
        Path abs = dir.resolve("elsewhere/myrole");
        Play play = load("""
                - hosts: all
                  roles:
                    - role: %s
                    - elsewhere/myrole
                """.formatted(abs)).plays().get(0);
        // as ansible-playbook 2.14 shows them: TASK [/abs/path : debug], TASK [elsewhere/myrole : debug]
        Role r = ((Block) play.tasks().get(0)).scope().role();
        Role rel = ((Block) play.tasks().get(1)).scope().role();
        assertEquals(abs.toString(), r.name());
        assertEquals("elsewhere/myrole", rel.name());
        assertEquals(abs, rel.path());
        assertNotSame(r, rel);
    }

    @Test
    void metaAllowDuplicatesAndHandlersOfEachRoleOnce() throws Exception {
        write("roles/c/tasks/main.yml", "- debug: msg=c\n");
        write("roles/c/handlers/main.yml", "- name: c handler\n  debug: msg=h\n");
        write("roles/c/meta/main.yml", "allow_duplicates: yes\n");
        Play play = load("""
                - hosts: all
                  roles: [c, c]
                  handlers:
                    - name: play handler
                      debug: msg=p
                """).plays().get(0);
        Role first = ((Block) play.tasks().get(0)).scope().role();
        assertSame(first, ((Block) play.tasks().get(1)).scope().role());
        assertTrue(first.allowDuplicates());
        assertEquals(List.of("c : c handler", "play handler"), play.handlers().stream().map(Task::displayName).toList());
    }

    @Test
    void aCollectionsRoleIsFoundByItsFullNameAndItsDependenciesInItsCollectionFirst() throws Exception {
        String coll = "collections/ansible_collections/my/coll/roles/";
        write(coll + "r/tasks/main.yml", "- debug: msg=r\n");
        write(coll + "r/meta/main.yml", "dependencies: [helper]\n");
        write(coll + "helper/tasks/main.yml", "- debug: msg=helper\n");
        write("roles/helper/tasks/main.yml", "- debug: msg=not-this-one\n");
        Play play = load("""
                - hosts: all
                  roles: [my.coll.r]
                """).plays().get(0);
        // ansible-playbook 2.14: TASK [my.coll.helper : debug], then TASK [my.coll.r : debug]; role_name is 'r'
        assertEquals(List.of("my.coll.helper: helper", "my.coll.r: r"), tasks(play.tasks()));
        Role r = ((Block) play.tasks().get(0)).scope().role();
        assertEquals("my.coll", r.collection());
        assertEquals("r", r.shortName());
        assertEquals(dir.resolve(coll + "r"), r.path());
    }
}
