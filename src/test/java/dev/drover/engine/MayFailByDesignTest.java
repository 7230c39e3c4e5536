package dev.drover.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.testing.DroverCli;
import dev.drover.testing.Requirements;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Never refuse what Ansible runs: what the checks before the run find in a task that may fail by
 * design (ignore_errors, failed_when, a block with rescue), or in a play where something at run
 * time may define names (a templated set_fact key), is a {@code [WARNING]} with file:line:column;
 * the run goes on and the task fails at its turn as ansible-playbook 2.14 fails it (recaps below
 * measured with it). A real typo elsewhere is still refused before any host is touched.
 */
class MayFailByDesignTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, text);
    }

    private static String play(String tasks) {
        return "- hosts: localhost\n  gather_facts: false\n  vars:\n    app_name: demo\n  tasks:\n"
                + tasks.stripTrailing().indent(4);
    }

    @Test
    void undefinedInTasksThatMayFailWarnsAndTheRunGoesOn() throws IOException {
        Path p = write("p.yml", play("""
                - name: expected to fail
                  debug:
                    msg: "{{ app_nmae }}"
                  ignore_errors: true
                - block:
                    - debug:
                        msg: "{{ nope2 }}"
                  rescue:
                    - debug:
                        msg: rescued
                - name: after
                  debug:
                    msg: "{{ app_name }}"
                """));
        DroverCli.Result r = DroverCli.run("run", p.toString());
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("[WARNING]: " + p + ":8:9: 'app_nmae' is undefined. Did you mean 'app_name'?"
                + " (not refused: the task has ignore_errors"), r::toString);
        assertTrue(r.out().contains("[WARNING]: " + p + ":12:13: 'nope2' is undefined (not refused: the task has a block"
                + " with rescue"), r::toString);
        assertTrue(r.out().contains("...ignoring"), r::toString);
        // ansible-playbook 2.14: ok=3 (failed_when: false, rescued, after) rescued=1 ignored=1
        assertEquals("ok=3 changed=0 unreachable=0 failed=0 skipped=0 rescued=1 ignored=1", r.recap().get("localhost"),
                r::toString);
        assertFalse(r.err().contains("ERROR!"), r::toString);
    }

    @Test
    void failedWhenWarnsButDoesNotCatchATemplateError() throws IOException {
        Path p = write("p.yml", play("""
                - name: judged by failed_when
                  debug:
                    msg: "{{ nope1 }}"
                  failed_when: false
                """));
        DroverCli.Result r = DroverCli.run("run", p.toString());
        assertTrue(r.out().contains("[WARNING]: " + p + ":8:9: 'nope1' is undefined (not refused: the task has failed_when"),
                r::toString);
        // ansible-playbook 2.14 fails it too: the arguments do not template, failed_when is never evaluated
        assertEquals(2, r.exit(), r::toString);
        assertEquals("ok=0 changed=0 unreachable=0 failed=1 skipped=0 rescued=0 ignored=0", r.recap().get("localhost"),
                r::toString);
    }

    @Test
    void aRealTypoIsStillRefusedBeforeAnyHostIsTouched() throws IOException {
        Path p = write("p.yml", play("""
                - debug:
                    msg: "{{ app_name }}"
                  ignore_errors: true
                - debug:
                    msg: "{{ app_nmae }}"
                """));
        DroverCli.Result r = DroverCli.run("run", p.toString());
        assertEquals(4, r.exit(), r::toString);
        assertEquals("ERROR! " + p + ":10:9: 'app_nmae' is undefined. Did you mean 'app_name'?\n", r.err());
        assertFalse(r.out().contains("PLAY ["), r::toString);
    }

    @Test
    void namesARunTimeSetFactMayDefineWarnInsteadOfGivingUp() throws IOException {
        Path p = write("p.yml", play("""
                - set_fact:
                    "{{ 'dyn' ~ '_name' }}": 1
                - debug:
                    msg: "{{ dyn_name }} {{ dyn_nmae | default('') }}"
                - debug:
                    msg: "{{ dyn_typo }}"
                  ignore_errors: true
                """));
        DroverCli.Result r = DroverCli.run("run", p.toString());
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("[WARNING]: " + p + ":9:9: 'dyn_name' is undefined (not refused: it may be defined at"
                + " run time by the set_fact with a templated key at " + p + ":6:7)"), r::toString);
        assertEquals("ok=3 changed=0 unreachable=0 failed=0 skipped=0 rescued=0 ignored=1", r.recap().get("localhost"),
                r::toString);
    }

    @Test
    void aMissingRequiredArgumentUnderIgnoreErrorsWarnsThenFailsAtItsTurn() throws IOException {
        Path marker = dir.resolve("ran-before");
        Path p = write("p.yml", play("""
                - file:
                    path: "%s"
                    state: touch
                - name: no path on purpose
                  file:
                    state: directory
                  ignore_errors: true
                - name: no such parameter, on purpose
                  file:
                    path: /tmp
                    colour: red
                  failed_when: false
                """.formatted(marker)));
        DroverCli.Result r = DroverCli.run("run", p.toString());
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("[WARNING]: " + p + ":10:7: missing required arguments: path (not refused: the task"
                + " has ignore_errors; it fails at its turn)"), r::toString);
        assertTrue(r.out().contains("[WARNING]: " + p + ":16:9: Unsupported parameter for file module: colour."), r::toString);
        // the module's own message at the task's turn, as Ansible's file module words it
        assertTrue(r.out().contains("fatal: [localhost]: FAILED! => {\"changed\": false, \"msg\": \"missing required"
                + " arguments: path\"}"), r::toString);
        assertTrue(Files.exists(marker), "the tasks before ran");
        assertEquals("ok=3 changed=1 unreachable=0 failed=0 skipped=0 rescued=0 ignored=1", r.recap().get("localhost"),
                r::toString);
    }

    @Test
    void aMissingRequiredArgumentWithoutAGuardIsStillRefused() throws IOException {
        Path p = write("p.yml", play("""
                - file:
                    state: directory
                """));
        DroverCli.Result r = DroverCli.run("run", p.toString());
        assertEquals(4, r.exit(), r::toString);
        assertEquals("ERROR! " + p + ":6:7: missing required arguments: path\n", r.err());
    }

    @Test
    void anUnknownModuleInAnIncludedFileIsReportedAsAnsibleReportsIt() throws IOException {
        write("inc.yml", """
                - name: fine
                  debug:
                    msg: hi
                - name: bad
                  copyy:
                    src: a
                    dest: b
                """);
        Path p = write("p.yml", play("""
                - include_tasks: inc.yml
                """));
        DroverCli.Result r = DroverCli.run("run", p.toString());
        // ansible-playbook 2.14: "ERROR! couldn't resolve module/action 'copyy'", the whole file refused, exit 4
        assertEquals(4, r.exit(), r::toString);
        assertEquals("ERROR! " + dir.resolve("inc.yml") + ":5:3: couldn't resolve module/action 'copyy'. Did you mean"
                + " 'copy'?" + Requirements.withoutAnsibleCoreNote() + "\n", r.err());
        assertFalse(r.out().contains("TASK [fine]"), "nothing of the refused file runs: " + r);
        assertFalse(r.all().contains("unexpected error"), r::toString);
    }

    @Test
    void aTemplateErrorInTheTasksVarsIsCaughtByIgnoreErrors() throws IOException {
        Path p = write("p.yml", play("""
                - name: broken vars
                  debug:
                    msg: "{{ x }}"
                  vars:
                    x: "{{ undefined_on_purpose }}"
                  ignore_errors: true
                - name: after
                  debug:
                    msg: after
                """));
        DroverCli.Result r = DroverCli.run("run", p.toString());
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("...ignoring"), r::toString);
        assertEquals("ok=2 changed=0 unreachable=0 failed=0 skipped=0 rescued=0 ignored=1", r.recap().get("localhost"),
                r::toString);
    }

    @Test
    void aTaskItsConditionMaySkipIsNotRefusedForItsModuleOrArguments() throws IOException {
        // an OS family's branch of a role: yum is an action plugin drover cannot run, and apt's
        // state: installed is outside its choices; ansible-playbook only fails them if they run
        Requirements.requireAnsibleCore(); // without it, yum is no module at all: refused as Ansible refuses it
        Path p = write("p.yml", play("""
                - name: a RedHat branch
                  yum:
                    name: ntp
                  when: ansible_os_family == 'RedHat'
                - name: an old-style state, skipped
                  apt:
                    name: ntp
                    state: installed
                  when: false
                - name: runs
                  debug:
                    msg: hello
                - name: a RedHat branch that runs
                  yum:
                    name: ntp
                  when: true
                """));
        DroverCli.Result r = DroverCli.run("run", p.toString(), "-e", "ansible_os_family=Debian");
        assertTrue(r.out().contains("[WARNING]: " + p + ":7:7: the module 'yum' cannot run in drover"), r::toString);
        assertTrue(r.out().contains("(not refused: the task has a when condition; it fails at its turn)"), r::toString);
        assertTrue(r.out().contains("value of state must be one of"), r::toString);
        // ansible-playbook 2.14: the two skipped branches, the debug, and the yum task that runs fails
        assertEquals(2, r.exit(), r::toString);
        assertEquals("ok=1 changed=0 unreachable=0 failed=1 skipped=2 rescued=0 ignored=0", r.recap().get("localhost"),
                r::toString);
        assertTrue(r.out().contains("the module 'yum' cannot run in drover"), r::toString);
    }

    @Test
    void anUndefinedVariableUnderAWhenWarnsAndAnUnguardedOneIsRefused() throws IOException {
        Path p = write("p.yml", play("""
                - debug:
                    msg: "{{ app_nmae }}"
                  when: false
                - debug:
                    msg: "{{ app_name }}"
                """));
        DroverCli.Result r = DroverCli.run("run", p.toString());
        // ansible-playbook 2.14 skips the first task without templating its arguments
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("[WARNING]: " + p + ":7:9: 'app_nmae' is undefined. Did you mean 'app_name'?"
                + " (not refused: the task has a when"), r::toString);
        assertEquals("ok=1 changed=0 unreachable=0 failed=0 skipped=1 rescued=0 ignored=0", r.recap().get("localhost"),
                r::toString);
        Path q = write("q.yml", play("""
                - debug:
                    msg: "{{ app_nmae }}"
                """));
        DroverCli.Result refused = DroverCli.run("run", q.toString());
        assertEquals(4, refused.exit(), refused::toString);
        assertTrue(refused.err().contains("'app_nmae' is undefined. Did you mean 'app_name'?"), refused::toString);
    }
}
