package dev.drover.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.testing.DroverCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * include_vars as ansible-playbook 2.14 runs it (the expected messages and values were printed by
 * ansible-playbook for the same playbooks): the search path, dir with depth/files_matching/
 * extensions, name, precedence below set_fact, loops with when, failures, vaulted files.
 */
class IncludeVarsTest {

    @Test
    void filesDirectoriesNamesAndPrecedence(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("vars/more/deeper"));
        Files.writeString(dir.resolve("vars/common.yml"), "a: 1\nb: from_common\n");
        Files.writeString(dir.resolve("vars/more/x.yml"), "c: [1, 2]\n");
        Files.writeString(dir.resolve("vars/more/deeper/y.yaml"), "d: deep\n");
        Files.writeString(dir.resolve("vars/more/notes.txt"), "junk\n");
        Files.writeString(dir.resolve("vars/more/z.json"), "{\"j\": \"json\"}\n");
        Files.writeString(dir.resolve("p.yml"), """
                - hosts: localhost
                  gather_facts: false
                  vars:
                    b: play
                  tasks:
                    - include_vars: common.yml
                      register: r1
                    - debug: msg="{{ a }} {{ b }} {{ r1.ansible_included_var_files | map('basename') | list }}"
                    - include_vars:
                        dir: vars/more
                        ignore_unknown_extensions: true
                      register: r2
                    - debug: msg="{{ c }} {{ d }} {{ j }} {{ r2.ansible_included_var_files | map('basename') | list }}"
                    - include_vars:
                        dir: vars/more
                        depth: 1
                        files_matching: '^x'
                        name: scoped
                    - debug: msg="scoped={{ scoped }}"
                    - set_fact: b=fact
                    - include_vars: common.yml
                    - debug: msg="b={{ b }}"
                    - include_vars: "{{ item }}"
                      loop: [vars/common.yml, vars/more/x.yml]
                      when: item is search('x')
                    - include_vars: dir=vars/more
                      ignore_errors: true
                    - include_vars: nope.yml
                      ignore_errors: true
                """);
        DroverCli.Result r = DroverCli.run("run", dir.resolve("p.yml").toString());
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("\"msg\": \"1 from_common ['common.yml']\""), r::toString);
        assertTrue(r.out().contains("\"msg\": \"[1, 2] deep json ['x.yml', 'z.json', 'y.yaml']\""), r::toString);
        assertTrue(r.out().contains("\"msg\": \"scoped={'c': [1, 2]}\""), r::toString);
        assertTrue(r.out().contains("\"msg\": \"b=fact\""), r::toString); // set_fact wins over include_vars
        assertTrue(r.out().contains("skipping: [localhost] => (item=vars/common.yml)"), r::toString);
        assertTrue(r.out().contains("ok: [localhost] => (item=vars/more/x.yml)"), r::toString);
        assertTrue(r.out().contains("\"message\": \"" + dir.toRealPath() + "/vars/more/notes.txt does not have a valid"
                + " extension: yaml, yml, json\""), r::toString);
        assertTrue(r.out().contains("Could not find or access 'nope.yml'"), r::toString);
        assertEquals("ok=12 changed=0 unreachable=0 failed=0 skipped=0 rescued=0 ignored=2", r.recap().get("localhost"),
                r::toString);
    }

    @Test
    void aRolesDirIsBelowItsVarsAndAVaultedFileIsDecrypted(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("roles/r/vars/sub"));
        Files.createDirectories(dir.resolve("roles/r/tasks"));
        Files.writeString(dir.resolve("roles/r/vars/sub/s.yml"), "rv: role_sub\n");
        Files.writeString(dir.resolve("roles/r/tasks/main.yml"), """
                - include_vars: dir=sub
                - include_vars: secret.yml
                - debug: msg="{{ rv }} {{ secret | length }}"
                """);
        Path pw = dir.resolve("pw");
        Files.writeString(pw, "letmein\n");
        DroverCli.Result enc = DroverCli.run("vault", "encrypt_string", "--vault-password-file", pw.toString(),
                "s3cret-value", "-n", "secret");
        assertEquals(0, enc.exit(), enc::toString);
        Files.writeString(dir.resolve("roles/r/vars/secret.yml"), enc.out());
        Files.writeString(dir.resolve("p.yml"), """
                - hosts: localhost
                  gather_facts: false
                  roles: [r]
                """);
        DroverCli.Result r = DroverCli.run("run", dir.resolve("p.yml").toString(), "--vault-password-file", pw.toString());
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("\"msg\": \"role_sub 12\""), r::toString);
    }

    @Test
    void theVariableCheckReadsALiteralFileAndGivesUpOnATemplatedOne(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("known.yml"), "from_file: 1\n");
        Files.writeString(dir.resolve("p.yml"), """
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - include_vars: known.yml
                    - debug: msg="{{ from_file }} {{ from_fiel }}"
                """);
        DroverCli.Result r = DroverCli.run("run", dir.resolve("p.yml").toString());
        assertEquals(4, r.exit(), r::toString);
        assertTrue(r.err().contains("'from_fiel' is undefined. Did you mean 'from_file'?"), r::toString);
        assertTrue(!r.err().contains("'from_file' is undefined"), r::toString);

        Files.writeString(dir.resolve("p.yml"), """
                - hosts: localhost
                  gather_facts: false
                  vars: {which: known}
                  tasks:
                    - include_vars: "{{ which }}.yml"
                    - debug: msg="{{ from_file }}"
                """);
        r = DroverCli.run("run", dir.resolve("p.yml").toString());
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("\"msg\": 1"), r::toString);
    }
}
