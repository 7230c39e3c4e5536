package dev.drover.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.inventory.Inventory;
import dev.drover.playbook.Playbook;
import dev.drover.testing.DroverCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The static check of undefined variables: each place a variable can be defined keeps it quiet
 * (no false positives), a real typo is reported with file:line:col and a did-you-mean before any
 * host is touched.
 */
class UndefinedVarsTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, text);
    }

    /** Problems for playbook text (p.yml), with an optional inventory file and extra vars. */
    private List<String> problems(String playbook, String inventory, Map<String, Object> extra) throws Exception {
        Path p = write("p.yml", playbook);
        Playbook pb = Runner.loadAndValidate(p);
        Inventory inv = inventory == null ? Inventory.localhostOnly()
                : Inventory.load(List.of(write("hosts.ini", inventory).toString()));
        return UndefinedVars.check(pb, inv, extra).stream().map(RunException.Problem::toString).toList();
    }

    private List<String> problems(String playbook) throws Exception {
        return problems(playbook, null, Map.of());
    }

    /** A play on localhost without facts, with these tasks (indented as list items under tasks:). */
    private static String play(String tasks) {
        return "- hosts: localhost\n  gather_facts: false\n  tasks:\n" + tasks.stripTrailing().indent(4);
    }

    private void assertQuiet(String playbook) throws Exception {
        assertEquals(List.of(), problems(playbook));
    }

    // ------------------------------------------------------------------ reported

    @Test
    void typoIsReportedWithLocationAndSuggestion() throws Exception {
        List<String> ps = problems("""
                - hosts: localhost
                  gather_facts: false
                  vars:
                    app_name: demo
                  tasks:
                    - name: Write
                      copy:
                        content: "{{ app_nmae }}"
                        dest: /tmp/x
                """);
        assertEquals(List.of(dir.resolve("p.yml") + ":8:9: 'app_nmae' is undefined. Did you mean 'app_name'?"), ps);
    }

    @Test
    void typoStopsTheRunBeforeAnyHostIsTouched() throws IOException {
        Path out = dir.resolve("created");
        Path p = write("p.yml", """
                - hosts: localhost
                  gather_facts: false
                  vars:
                    app_name: demo
                  tasks:
                    - name: First task creates a file
                      file:
                        path: "%s"
                        state: touch
                    - name: Typo later
                      debug:
                        msg: "{{ app_nmae }}"
                """.formatted(out));
        DroverCli.Result r = DroverCli.run("run", p.toString());
        assertEquals(4, r.exit(), r::toString);
        assertEquals("ERROR! " + p + ":12:9: 'app_nmae' is undefined. Did you mean 'app_name'?\n", r.err());
        assertFalse(Files.exists(out), "no host may be touched");
        assertFalse(r.out().contains("PLAY ["), r::toString);
    }

    @Test
    void syntaxCheckDoesNotNeedTheInventoryAndSkipsTheCheck() throws IOException {
        Path p = write("p.yml", play("- debug: msg={{ nowhere }}"));
        DroverCli.Result r = DroverCli.run("run", "--syntax-check", p.toString());
        assertEquals(0, r.exit(), r::toString);
    }

    @Test
    void conditionsAssertAndLoopsAreCheckedButNotDebugVarOrNames() throws Exception {
        List<String> ps = problems(play("""
                - debug: var=not_an_error_x
                - assert:
                    that: [undefined_b > 1]
                - command: echo
                  register: r
                  when: undefined_c
                  changed_when: undefined_d and undefined_e
                - debug: msg=x
                  loop: "{{ undefined_f }}"
                - name: "{{ not_an_error_y }}"
                  debug: msg=x
                """));
        // ansible-playbook 2.14 runs debug var= on an undefined name (VARIABLE IS NOT DEFINED!) and shows an
        // untemplatable task name as written: neither is an error; the changed_when of a task with a when is
        // evaluated only if the condition holds (a warning, see MayFailByDesignTest), its when always
        assertEquals(3, ps.size(), ps::toString);
        for (String n : List.of("b", "c", "f")) {
            assertTrue(ps.stream().anyMatch(s -> s.endsWith("'undefined_" + n + "' is undefined")), ps::toString);
        }
    }

    @Test
    void registeredInALaterPlayIsUndefinedInAnEarlierOne() throws Exception {
        List<String> ps = problems(play("- debug: msg={{ later.rc }}") + play("""
                - command: echo
                  register: later
                """));
        assertEquals(1, ps.size(), ps::toString);
    }

    @Test
    void loopVariableIsOnlyDefinedOnLoopingTasks() throws Exception {
        List<String> ps = problems(play("""
                - debug: msg={{ item }}
                  loop: [1]
                - debug: msg={{ item }}
                """));
        assertEquals(1, ps.size(), ps::toString);
        assertTrue(ps.get(0).endsWith("p.yml:6:14: 'item' is undefined"), ps::toString);
    }

    // ------------------------------------------------------------------ defined somewhere: quiet

    @Test
    void playVars() throws Exception {
        assertQuiet("- hosts: localhost\n  gather_facts: false\n  vars:\n    a: 1\n  tasks:\n    - debug: msg={{ a }}\n");
    }

    @Test
    void varsFiles() throws Exception {
        write("vars/common.yml", "from_file: 1\n");
        assertQuiet("- hosts: localhost\n  gather_facts: false\n  vars_files: [vars/common.yml]\n"
                + "  tasks:\n    - debug: msg={{ from_file }}\n");
    }

    @Test
    void templatedVarsFilesGivesUpForThePlay() throws Exception {
        assertQuiet("- hosts: localhost\n  gather_facts: false\n  vars: {env: x}\n  vars_files: ['{{ env }}.yml']\n"
                + "  tasks:\n    - debug: msg={{ anything }}\n");
    }

    @Test
    void roleDefaultsVarsAndParams() throws Exception {
        write("roles/r/defaults/main.yml", "from_defaults: 1\n");
        write("roles/r/vars/main.yml", "from_vars: 1\n");
        write("roles/r/tasks/main.yml", "- debug: msg='{{ from_defaults }} {{ from_vars }} {{ from_param }} {{ role_path }}'\n");
        assertQuiet("""
                - hosts: localhost
                  gather_facts: false
                  roles:
                    - role: r
                      from_param: 1
                """);
    }

    @Test
    void blockAndTaskVars() throws Exception {
        assertQuiet(play("""
                - block:
                    - debug: msg={{ from_block }}
                    - debug: msg={{ from_task }}
                      vars:
                        from_task: 1
                  vars:
                    from_block: 1
                """));
    }

    @Test
    void extraVars() throws Exception {
        assertEquals(List.of(), problems(play("- debug: msg={{ from_cli }}"), null, Map.of("from_cli", "x")));
    }

    @Test
    void inventoryHostAndGroupVars() throws Exception {
        assertEquals(List.of(), problems("- hosts: web\n  gather_facts: false\n  tasks:\n"
                        + "    - debug: msg='{{ host_var }} {{ group_var }} {{ all_var }}'\n",
                "[web]\nh1 ansible_connection=local host_var=1\n[web:vars]\ngroup_var=2\n[all:vars]\nall_var=3\n",
                Map.of()));
    }

    @Test
    void groupVarsAndHostVarsDirectories() throws Exception {
        write("group_vars/all.yml", "gv_all: 1\n");
        write("group_vars/web.yml", "gv_web: 1\n");
        write("host_vars/h1.yml", "hv_h1: 1\n");
        assertEquals(List.of(), problems("- hosts: web\n  gather_facts: false\n  tasks:\n"
                + "    - debug: msg='{{ gv_all }} {{ gv_web }} {{ hv_h1 }}'\n", "[web]\nh1 ansible_connection=local\n", Map.of()));
    }

    @Test
    void registerLaterInThePlayAndInAnEarlierPlay() throws Exception {
        assertQuiet(play("""
                - debug: msg={{ first.rc | string }}
                  when: false
                - command: echo
                  register: first
                """) + play("- debug: msg={{ first.rc }}"));
    }

    @Test
    void setFactKeys() throws Exception {
        assertQuiet(play("""
                - set_fact:
                    fact_a: 1
                    cacheable: false
                - set_fact: fact_b=2
                - debug: msg='{{ fact_a }} {{ fact_b }}'
                """) + play("- debug: msg={{ fact_a }}"));
    }

    @Test
    void templatedSetFactKeyGivesUp() throws Exception {
        assertQuiet(play("""
                - set_fact:
                    "{{ 'dyn' ~ '_name' }}": 1
                - debug: msg={{ dyn_name }}
                """) + play("- debug: msg={{ dyn_name }}"));
    }

    @Test
    void loopControlVariables() throws Exception {
        assertQuiet(play("""
                - debug: msg='{{ pkg }} {{ idx }} {{ ansible_loop.index }} {{ ansible_loop_var }}'
                  loop: [a]
                  loop_control:
                    loop_var: pkg
                    index_var: idx
                    extended: true
                - debug: msg={{ item }}
                  with_items: [a]
                """));
    }

    @Test
    void includeTasksParamsAndNamesSetInIncludedFiles() throws Exception {
        write("inc.yml", "- command: echo\n  register: from_include\n- set_fact: fact_from_include=1\n");
        assertQuiet(play("""
                - include_tasks: inc.yml
                - debug: msg='{{ from_include.rc }} {{ fact_from_include }}'
                """));
    }

    @Test
    void templatedIncludeGivesUp() throws Exception {
        write("inc.yml", "- debug: msg=x\n");
        assertQuiet(play("""
                - include_tasks: "{{ 'inc' }}.yml"
                - debug: msg={{ maybe_set_inside }}
                """));
    }

    @Test
    void factsAndMagicVariables() throws Exception {
        assertQuiet(play("""
                - debug:
                    msg: >-
                      {{ ansible_facts.hostname }} {{ ansible_hostname }} {{ inventory_hostname }}
                      {{ inventory_hostname_short }} {{ group_names }} {{ groups.all }} {{ hostvars }}
                      {{ playbook_dir }} {{ play_hosts }} {{ inventory_dir | default('') }} {{ vars }}
                      {{ ansible_check_mode }} {{ lookup('env', 'HOME') }} {{ range(3) | list }}
                      {{ now() }} {{ true }} {{ None }} {{ dict(a=1) }}
                - file:
                    path: /tmp/x
                    mode: "{{ omit }}"
                """));
    }

    @Test
    void guardedReferences() throws Exception {
        assertQuiet(play("""
                - debug: msg={{ g1 | default('x') }}
                - debug: msg={{ g2 | d(1) }}
                - debug: msg={{ g3 if g3 is defined else 0 }}
                - debug: msg={{ g4 | mandatory }}
                - debug: msg={{ g5 }}
                  when: g5 is defined
                - debug: msg=x
                  when: g6 is not defined or g6 | bool
                - block:
                    - debug: msg={{ g7 }}
                  when: g7 is defined
                """));
    }

    @Test
    void rescueVariables() throws Exception {
        assertQuiet(play("""
                - block:
                    - command: /bin/false
                  rescue:
                    - debug: msg='{{ ansible_failed_task.name }} {{ ansible_failed_result.rc }}'
                """));
    }

    @Test
    void namesBoundInsideTheTemplate() throws Exception {
        assertQuiet(play("""
                - debug:
                    msg: "{% set n = 1 %}{% for x in [1, 2] %}{{ x + n }}{{ loop.index }}{% endfor %}"
                - copy:
                    content: "{% raw %}{{ not_a_variable }}{% endraw %}"
                    dest: /tmp/x
                """));
    }
}
