package dev.drover.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.testing.DroverCli;
import dev.drover.testing.Requirements;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code drover --version}: drover's version (the pom's), the Java runtime, the ansible-core drover's module path comes from. */
class VersionTest {
    @Test
    void namesDroverJavaAndTheAnsibleCoreThatAnsibleItselfReports() throws Exception {
        DroverCli.Result v = DroverCli.run("--version");
        assertEquals(0, v.exit(), v::toString);
        List<String> lines = v.out().lines().toList();
        // the pom's version, filtered into version.properties (also without the jar, as here)
        assertTrue(lines.get(0).matches("drover \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), v::toString);
        assertTrue(lines.contains("java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ", "
                + System.getProperty("java.vm.name") + ", " + System.getProperty("java.home") + ")"), v::toString);

        Requirements.require("ansible-core (apt-get install ansible-core)", Files.isExecutable(Path.of("/usr/bin/ansible")));
        Process p = new ProcessBuilder("ansible", "--version").redirectErrorStream(true).start();
        String ansible = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), ansible);
        Matcher core = Pattern.compile("ansible \\[core ([^\\]]+)]").matcher(ansible);
        Matcher location = Pattern.compile("ansible python module location = (\\S+)").matcher(ansible);
        assertTrue(core.find() && location.find(), ansible);
        String expected = "ansible-core " + core.group(1) + " (modules from " + location.group(1) + ", python ";
        assertTrue(lines.stream().anyMatch(l -> l.startsWith(expected)), "expected a line starting with '" + expected + "':\n" + v);
    }
}
