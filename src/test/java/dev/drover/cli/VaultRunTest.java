package dev.drover.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.testing.DroverCli;
import dev.drover.vault.VaultFormat;
import dev.drover.vault.VaultSecret;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code drover run} with an encrypted vars file, an encrypted group_vars file and inline
 * {@code !vault} values: the secrets reach the host (written into files by copy and template),
 * and never appear in stdout or stderr, with -v, -vvv (results and the debug log) and --diff.
 */
class VaultRunTest {
    static final String PASSWORD = "drover-vault-pw";
    static final String FILE_SECRET = "file-s3cret-Alpha";
    static final String INLINE_SECRET = "inline-s3cret-Bravo";
    static final String GROUP_SECRET = "group-s3cret-Charlie";

    static Path project(Path dir) throws IOException {
        VaultSecret pw = VaultSecret.of(PASSWORD);
        Files.writeString(dir.resolve("secrets.yml"),
                VaultFormat.encrypt(("db_password: " + FILE_SECRET + "\n").getBytes(StandardCharsets.UTF_8), pw));
        Files.createDirectories(dir.resolve("group_vars"));
        Files.writeString(dir.resolve("group_vars/all.yml"),
                VaultFormat.encrypt(("group_token: " + GROUP_SECRET + "\n").getBytes(StandardCharsets.UTF_8), pw));
        String inline = VaultCommand.yamlBlock(VaultFormat.encrypt(INLINE_SECRET.getBytes(StandardCharsets.UTF_8), pw), "api_key")
                .replace("\n", "\n    ");
        Path out = dir.resolve("out");
        Files.writeString(dir.resolve("pw.txt"), PASSWORD + "\n");
        return Files.writeString(dir.resolve("p.yml"), """
                - hosts: localhost
                  gather_facts: false
                  vars_files: [secrets.yml]
                  vars:
                    %s
                  tasks:
                    - name: Write the secrets
                      copy:
                        dest: %s/app.env
                        content: "DB={{ db_password }}\\nKEY={{ api_key }}\\nGROUP={{ group_token }}\\n"
                    - name: Show one
                      debug:
                        msg: "the key is {{ api_key }}"
                    - name: Register one
                      command: echo {{ db_password }}
                      register: echoed
                      changed_when: false
                    - name: Print the registered result
                      debug:
                        var: echoed
                    - name: A failing task that prints it
                      fail:
                        msg: "no good: {{ group_token }}"
                      ignore_errors: true
                """.formatted(inline, out));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-v", "-vvv", "--diff"})
    void secretsReachTheHostButNeverTheOutput(String flag, @TempDir Path dir) throws IOException {
        Path p = project(dir);
        Files.createDirectories(dir.resolve("out"));
        List<String> args = new ArrayList<>(List.of("run", p.toString(), "--vault-password-file", dir.resolve("pw.txt").toString()));
        if (!flag.isEmpty()) {
            args.add(flag);
        }
        if (flag.equals("--diff")) {
            args.add("-v");
        }
        DroverCli.Result r = DroverCli.run(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r::toString);
        assertEquals("DB=" + FILE_SECRET + "\nKEY=" + INLINE_SECRET + "\nGROUP=" + GROUP_SECRET + "\n",
                Files.readString(dir.resolve("out/app.env")));
        for (String s : List.of(FILE_SECRET, INLINE_SECRET, GROUP_SECRET, PASSWORD, "s3cret")) {
            assertFalse(r.all().contains(s), () -> s + " leaked:\n" + r);
        }
        assertTrue(r.out().contains("the key is ********"), r::toString);
        assertTrue(r.out().contains("no good: ********"), r::toString);
        if (flag.equals("--diff")) {
            assertTrue(r.out().contains("+DB=********"), r::toString);
        }
        if (flag.equals("-vvv")) {
            assertTrue(r.err().contains("DEBUG"), "the debug log was on: " + r);
        }
        // a rerun changes nothing
        DroverCli.Result again = DroverCli.run(args.toArray(String[]::new));
        assertTrue(again.recap().get("localhost").startsWith("ok=5 changed=0"), again::toString);
    }

    @Test
    void passwordFromAScriptAndFromThePrompt(@TempDir Path dir) throws IOException {
        Path p = project(dir);
        Files.createDirectories(dir.resolve("out"));
        Path script = Files.writeString(dir.resolve("pass.sh"), "#!/bin/sh\necho " + PASSWORD + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        DroverCli.Result r = DroverCli.run("run", p.toString(), "--vault-password-file", script.toString());
        assertEquals(0, r.exit(), r::toString);
        InputStream in = System.in;
        try {
            System.setIn(new ByteArrayInputStream((PASSWORD + "\n").getBytes(StandardCharsets.UTF_8)));
            DroverCli.Result asked = DroverCli.run("run", p.toString(), "--ask-vault-pass");
            assertEquals(0, asked.exit(), asked::toString);
            assertTrue(asked.err().contains("Vault password: "), asked::toString);
            assertFalse(asked.all().contains(PASSWORD), asked::toString);
        } finally {
            System.setIn(in);
        }
    }

    @Test
    void noPasswordIsAnActionableErrorBeforeAnyHost(@TempDir Path dir) throws IOException {
        Path p = project(dir);
        // the inventory's only host is unreachable: had drover connected, the run would say so
        Path inv = Files.writeString(dir.resolve("hosts.ini"), "[all]\nlocalhost ansible_connection=local\n");
        DroverCli.Result r = DroverCli.run("run", p.toString(), "-i", inv.toString());
        assertEquals(1, r.exit(), r::toString); // ansible-playbook 2.14 exits 1 too
        assertTrue(r.err().startsWith("ERROR! "), r::toString);
        assertTrue(r.err().contains("Attempting to decrypt but no vault secrets found"), r::toString);
        assertTrue(r.err().contains("--ask-vault-pass"), r::toString);
        assertFalse(r.out().contains("TASK ["), r::toString);
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r);
        assertFalse(Files.exists(dir.resolve("out/app.env")));
    }

    @Test
    void wrongPasswordNamesTheFile(@TempDir Path dir) throws IOException {
        Path p = project(dir);
        Path bad = Files.writeString(dir.resolve("bad.txt"), "not-it\n");
        DroverCli.Result r = DroverCli.run("run", p.toString(), "--vault-password-file", bad.toString());
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("Decryption failed (no vault secrets were found that could decrypt) on "), r::toString);
        assertTrue(r.err().contains("all.yml") || r.err().contains("secrets.yml") || r.err().contains("p.yml:"), r::toString);
        assertFalse(r.out().contains("TASK ["), r::toString);
        assertFalse(r.err().contains("\tat "), r::toString);
    }

    @Test
    void inlineValueWithWrongPasswordPointsAtItsLine(@TempDir Path dir) throws IOException {
        String v = VaultCommand.yamlBlock(VaultFormat.encrypt("x-secret".getBytes(StandardCharsets.UTF_8),
                VaultSecret.of("other")), "tok").replace("\n", "\n    ");
        Path p = Files.writeString(dir.resolve("p.yml"), """
                - hosts: localhost
                  gather_facts: false
                  vars:
                    %s
                  tasks:
                    - debug: msg="{{ tok }}"
                """.formatted(v));
        Path pw = Files.writeString(dir.resolve("pw"), PASSWORD);
        DroverCli.Result r = DroverCli.run("run", p.toString(), "--vault-password-file", pw.toString());
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("ERROR! " + p + ":4:10: Decryption failed (no vault secrets were found that could decrypt) on "
                + p + ":4:10"), r::toString);
    }
}
