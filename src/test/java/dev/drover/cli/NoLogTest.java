package dev.drover.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.testing.DroverCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A no_log task's values never reach the output, whatever the verbosity, in loops and failures too. */
class NoLogTest {
    static final String PLAYBOOK = """
            - hosts: localhost
              gather_facts: false
              vars:
                password: s3cr3t-pw
              tasks:
                - name: Secret in stdout
                  command: echo {{ password }}
                  no_log: true
                - name: Secret in a loop
                  command: echo {{ item }}
                  loop: [s3cr3t-a, s3cr3t-b]
                  no_log: true
                - name: Secret in a failure
                  shell: "echo {{ password }}; echo {{ password }} >&2; exit 3"
                  no_log: true
                  ignore_errors: true
                - name: Secret in a failing loop item
                  shell: "echo {{ item }}; exit 3"
                  loop: [s3cr3t-c]
                  no_log: true
                  ignore_errors: true
                - name: Secret in a debug
                  debug:
                    msg: "{{ password }}"
                  no_log: true
                - name: Secret in a final failure
                  command: /bin/sh -c "echo {{ password }}; exit 4"
                  no_log: true
            """;

    @ParameterizedTest
    @ValueSource(strings = {"-C", "", "-v", "-vv", "-vvv"})
    void secretsNeverShown(String verbosity, @TempDir Path dir) throws IOException {
        Path p = Files.writeString(dir.resolve("p.yml"), PLAYBOOK);
        DroverCli.Result r = verbosity.isEmpty() ? DroverCli.run("run", p.toString())
                : DroverCli.run("run", verbosity, p.toString());
        // in check mode the commands are skipped: nothing fails
        assertEquals(verbosity.equals("-C") ? 0 : 2, r.exit(), r::toString);
        assertFalse(r.all().contains("s3cr3t"), r::toString);
        if (!verbosity.equals("-C") && !verbosity.equals("-vvv")) { // -vvv indents results
            assertTrue(r.out().contains("(item=None)"), r::toString);
            assertTrue(r.out().contains("fatal: [localhost]: FAILED! => {\"censored\": \"the output has been hidden due to the fact"
                    + " that 'no_log: true' was specified for this result\", \"changed\": true}"), r::toString);
        }
    }
}
