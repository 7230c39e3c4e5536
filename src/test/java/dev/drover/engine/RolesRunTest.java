package dev.drover.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.testing.DroverCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Roles at run time, against what ansible-playbook 2.14 prints for the same playbooks (measured
 * here; each expectation says so): once per play and host, meta dependencies, include_role's
 * variable visibility, magic variables, and what is refused before any host is touched.
 */
class RolesRunTest {
    @TempDir
    Path dir;

    private void write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private DroverCli.Result run(String playbook) throws IOException {
        write("p.yml", playbook);
        return DroverCli.run("run", dir.resolve("p.yml").toString());
    }

    @Test
    void aRoleRunsOncePerHostUnlessItsParametersDifferAndEntryVarsArePlayWide() throws IOException {
        write("roles/dep/tasks/main.yml", """
                - debug: msg="dep runs"
                  when: dep_go | default(false)
                """);
        write("roles/outer/tasks/main.yml", "- include_role: name=inner\n");
        write("roles/inner/tasks/main.yml",
                "- debug: msg=\"inner {{ ansible_parent_role_names }} {{ ansible_role_name }} {{ role_path | basename }}\"\n");
        write("roles/r/tasks/main.yml", "- debug: msg=\"r {{ r_var }}\"\n");
        write("roles/r/vars/main.yml", "r_var: rv\n");
        DroverCli.Result r = run("""
                - hosts: localhost
                  gather_facts: false
                  roles:
                    - dep
                    - role: dep
                      vars: {dep_go: true}
                    - role: dep
                  tasks:
                    - include_role: name=outer
                    - include_role: {name: r, allow_duplicates: false}
                    - include_role: {name: r, allow_duplicates: false}
                    - debug: msg="{{ r_var | default('private') }}"
                """);
        // ansible-playbook 2.14: the entry's vars are play-wide, so the first 'dep' runs too and
        // the third (the same role as the first) is left out; ok=5, nothing skipped
        assertEquals(0, r.exit(), r::toString);
        assertEquals(2, r.out().split("\"msg\": \"dep runs\"", -1).length - 1, r::toString);
        assertTrue(r.out().contains("\"msg\": \"inner ['outer'] inner inner\""), r::toString);
        assertEquals(1, r.out().split("\"msg\": \"r rv\"", -1).length - 1, r::toString);
        assertTrue(r.out().contains("\"msg\": \"private\""), r::toString);
        assertTrue(r.out().contains("TASK [include_role : r]"), r::toString);
        assertEquals("ok=5 changed=0 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0", r.recap().get("localhost"),
                r::toString);
    }

    @Test
    void aRoleWhoseTasksWereAllSkippedRunsAgain() throws IOException {
        write("roles/dep/tasks/main.yml", "- debug: msg=never\n  when: false\n");
        DroverCli.Result r = run("""
                - hosts: localhost
                  gather_facts: false
                  roles: [dep, dep]
                """);
        // ansible-playbook 2.14: a role is complete only once one of its tasks ran: skipped=2
        assertEquals("ok=0 changed=0 unreachable=0 failed=0 skipped=2 rescued=0 ignored=0", r.recap().get("localhost"),
                r::toString);
    }

    @Test
    void includedRolesHandlersAndPublicVarsJoinThePlay() throws IOException {
        write("roles/lib/tasks/main.yml", """
                - debug: msg="lib {{ item | default('-') }}"
                  changed_when: true
                  notify: lib handler
                """);
        write("roles/lib/handlers/other.yml", "- name: lib handler\n  debug: msg=\"handled {{ lib_default }}\"\n");
        write("roles/lib/defaults/main.yml", "lib_default: d\n");
        DroverCli.Result r = run("""
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - include_role:
                        name: lib
                        handlers_from: other
                        public: true
                        apply:
                          tags: [applied]
                      loop: [1, 2]
                    - debug: msg="public {{ lib_default }}"
                """);
        // ansible-playbook 2.14: lib runs per item, its handler once, the defaults are the play's: ok=4 changed=2
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("\"msg\": \"lib 1\"") && r.out().contains("\"msg\": \"lib 2\""), r::toString);
        assertTrue(r.out().contains("\"msg\": \"handled d\""), r::toString);
        assertTrue(r.out().contains("\"msg\": \"public d\""), r::toString);
        assertEquals("ok=4 changed=2 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0", r.recap().get("localhost"),
                r::toString);
    }

    @Test
    void anIncludedRoleThatDoesNotExistIsRefusedBeforeAnyHostUnlessItIsConditional() throws IOException {
        write("roles/common/tasks/main.yml", "- debug: msg=common\n");
        DroverCli.Result refused = run("""
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - debug: msg=first
                    - include_role: name=comon
                """);
        assertEquals(4, refused.exit(), refused::toString);
        assertFalse(refused.out().contains("first"), refused::toString);
        assertTrue(refused.err().contains("p.yml:5:7: the role 'comon' was not found in"), refused::toString);
        assertTrue(refused.err().contains("Did you mean 'common'?"), refused::toString);

        DroverCli.Result guarded = run("""
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - include_role: name=comon
                      when: false
                """);
        // ansible-playbook 2.14 only fails such an include when it runs: skipped=1
        assertEquals(0, guarded.exit(), guarded::toString);
        assertEquals("ok=0 changed=0 unreachable=0 failed=0 skipped=1 rescued=0 ignored=0",
                guarded.recap().get("localhost"), guarded::toString);
    }

    @Test
    void anIncludedRolesTasksAreValidatedBeforeAnyHost() throws IOException {
        write("roles/lib/tasks/main.yml", "- debgu: msg=x\n");
        DroverCli.Result r = run("""
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - debug: msg=first
                    - include_role: name=lib
                """);
        assertEquals(4, r.exit(), r::toString);
        assertTrue(r.err().contains("roles/lib/tasks/main.yml:1:3: couldn't resolve module/action 'debgu'"), r::toString);
    }

    @Test
    void variablesOfDependenciesAndIncludedRolesAreKnownToTheUndefinedCheck() throws IOException {
        write("roles/base/defaults/main.yml", "base_port: 80\n");
        write("roles/base/tasks/main.yml", "- debug: msg=base\n");
        write("roles/app/meta/main.yml", "dependencies: [base]\n");
        write("roles/app/tasks/main.yml", "- debug: msg=\"app {{ base_port }}\"\n");
        write("roles/lib/vars/main.yml", "lib_var: 1\n");
        write("roles/lib/tasks/main.yml", "- debug: msg=lib\n");
        write("roles/imp/defaults/main.yml", "imp_default: 2\n");
        DroverCli.Result ok = run("""
                - hosts: localhost
                  gather_facts: false
                  roles: [app]
                  tasks:
                    - include_role: {name: lib, public: true}
                    - import_role: {name: imp}
                    - debug: msg="{{ base_port }} {{ lib_var }} {{ imp_default }}"
                """);
        assertEquals(0, ok.exit(), ok::toString);
        assertTrue(ok.out().contains("\"msg\": \"80 1 2\""), ok::toString);

        DroverCli.Result typo = run("""
                - hosts: localhost
                  gather_facts: false
                  roles: [app]
                  tasks:
                    - debug: msg="{{ base_prot }}"
                """);
        assertEquals(4, typo.exit(), typo::toString);
        assertTrue(typo.err().contains("'base_prot' is undefined. Did you mean 'base_port'?"), typo::toString);
    }

    @Test
    void aRolesArgumentSpecIsCheckedFirstAsAnsibleDoes() throws IOException {
        write("roles/spec/meta/argument_specs.yml", """
                argument_specs:
                  main:
                    short_description: The spec role
                    options:
                      app_port: {type: int, required: true, description: "A port"}
                      mode: {type: str, default: fast}
                  alt:
                    options:
                      other: {required: true}
                """);
        write("roles/spec/tasks/main.yml", "- debug: msg=\"spec {{ app_port }}\"\n");
        write("roles/spec/tasks/alt.yml", "- debug: msg=alt\n");
        DroverCli.Result r = run("""
                - hosts: localhost
                  gather_facts: false
                  roles:
                    - role: spec
                      app_port: 80
                  tasks:
                    - include_role: {name: spec, rolespec_validate: false}
                      vars: {app_port: 1}
                    - include_role: {name: spec}
                      vars: {app_port: 3}
                    - include_role: {name: spec, tasks_from: alt}
                """);
        // ansible-playbook 2.14 prints these banners, fails the last include's check: ok=5 failed=1
        assertEquals(2, r.exit(), r::toString);
        assertEquals(2, r.out().split("TASK \\[spec : Validating arguments against arg spec 'main' - The spec role\\]", -1).length - 1,
                r::toString);
        assertTrue(r.out().contains("TASK [spec : Validating arguments against arg spec 'alt']"), r::toString);
        assertTrue(r.out().contains("\"msg\": \"Validation of arguments failed:\\nmissing required arguments: other\""), r::toString);
        assertEquals("ok=5 changed=0 unreachable=0 failed=1 skipped=0 rescued=0 ignored=0", r.recap().get("localhost"),
                r::toString);
    }
}
