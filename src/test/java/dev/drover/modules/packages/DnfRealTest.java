package dev.drover.modules.packages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.drover.module.LocalShell;
import dev.drover.module.Module;
import dev.drover.module.ModuleException;
import dev.drover.module.ShellHostView;
import dev.drover.modules.BuiltinModules;
import dev.drover.modules.TestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * dnf's probe against a real dnf, read-only: on a Fedora/RHEL-family machine (with rpm's own
 * package installed) it plans nothing for an installed package and fails as Ansible for a
 * missing one. This Debian machine (and CI) has no usable dnf: the test is skipped there, not
 * failed, since dnf is no requirement of drover's CI; the module's decisions are covered by the
 * data cases in src/test/resources/modules/dnf.
 */
class DnfRealTest {
    @Test
    void plansAgainstTheHostsDnf() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/dnf")) && Files.isExecutable(Path.of("/usr/bin/rpm"))
                        && new LocalShell().run("rpm -q rpm", null, null).succeeded(),
                "skipped: this host has no dnf with an rpm database (a Debian host); the dnf data cases cover the module");
        Module dnf = BuiltinModules.find("dnf").orElseThrow();
        ShellHostView host = new ShellHostView(new LocalShell());
        assertFalse(dnf.plan(new TestContext(dnf, Map.of("name", List.of("rpm")), host)).changesSomething());
        ModuleException e = assertThrows(ModuleException.class, () ->
                dnf.plan(new TestContext(dnf, Map.of("name", "drover-no-such-package"), host)));
        assertEquals("Failed to install some of the specified packages", e.getMessage());
    }
}
