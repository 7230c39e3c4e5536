package dev.drover.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.testing.DroverCli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -e @vars.yml} is Ansible's extra-vars file, as a separate argument too: picocli's own
 * {@code @argfile} expansion used to swallow it (the file's words became command-line arguments:
 * "Unmatched arguments").
 */
class ExtraVarsFileTest {
    @Test
    void extraVarsFromAFileAsASeparateArgument(@TempDir Path dir) throws Exception {
        Path vars = Files.writeString(dir.resolve("vars.yml"), "greeting: hello from a file\nn: 3\n");
        Path play = Files.writeString(dir.resolve("p.yml"), """
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - debug:
                        msg: "{{ greeting }} {{ n + 1 }}"
                """);
        for (String[] e : new String[][] {{"-e", "@" + vars}, {"--extra-vars", "@" + vars}, {"-e@" + vars}}) {
            String[] args = new String[e.length + 2];
            args[0] = "run";
            System.arraycopy(e, 0, args, 1, e.length);
            args[args.length - 1] = play.toString();
            DroverCli.Result r = DroverCli.run(args);
            assertEquals(0, r.exit(), String.join(" ", e) + "\n" + r);
            assertTrue(r.out().contains("\"msg\": \"hello from a file 4\""), r::toString);
        }
    }
}
