package dev.drover.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.testing.DroverCli;
import dev.drover.testing.Requirements;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plan on localhost whose forecast reads the host's clock (apt's cache age): the clock is not a
 * state the plan depends on, so applying the plan a moment later is not refused; the package
 * state it read is.
 */
class PlanLocalTest {

    @Test
    void anAptTaskDoesNotMakeEveryPlanStale(@TempDir Path dir) throws Exception {
        Requirements.require("apt-get (a Debian host)", Files.isExecutable(Path.of("/usr/bin/apt-get")));
        Path p = Files.writeString(dir.resolve("p.yml"), """
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - name: A package that is there
                      apt: {name: coreutils, state: present}
                    - name: A file
                      copy: {content: "x\\n", dest: %s/x}
                """.formatted(dir));
        Path plan = dir.resolve("local.plan");
        DroverCli.Result check = DroverCli.run("run", "--check", "--no-journal", "--plan-out", plan.toString(), p.toString());
        assertEquals(0, check.exit(), check::toString);
        assertTrue(Files.readString(plan).contains("\"what\": \"the output of `export LC_ALL=C LANG=C`\""),
                "the apt probe is among the reads");
        Thread.sleep(1100); // the host's clock moves on
        DroverCli.Result applied = DroverCli.run("apply", plan.toString(), "--no-journal");
        assertEquals(0, applied.exit(), applied::toString);
        assertTrue(applied.out().contains("1 host applied, every task as planned"), applied.out());
        assertEquals("x\n", Files.readString(dir.resolve("x")));
    }
}
