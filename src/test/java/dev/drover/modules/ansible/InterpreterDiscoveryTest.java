package dev.drover.modules.ansible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.connection.ConnectionException;
import dev.drover.module.LocalShell;
import dev.drover.module.ShellHostView;
import dev.drover.testing.Requirements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Interpreter discovery on this machine (Debian 12, a real local shell), with Ansible's warnings. */
class InterpreterDiscoveryTest {
    static final ShellHostView HOST = new ShellHostView(new LocalShell());

    @BeforeAll
    static void debian() throws Exception {
        Requirements.require("a Debian host with /usr/bin/python3", Files.isExecutable(Path.of("/usr/bin/python3"))
                && Files.readString(Path.of("/etc/os-release")).contains("ID=debian"));
    }

    @Test
    void thePlatformPythonWithoutAWord() throws ConnectionException {
        Interpreter.Discovered d = Interpreter.discover(HOST, "h1", "auto", Interpreter.FALLBACK);
        assertEquals("/usr/bin/python3", d.python());
        assertEquals(List.of(), d.warnings());
    }

    @Test
    void noPythonAtAll() throws ConnectionException {
        Interpreter.Discovered d = Interpreter.discover(HOST, "h1", "auto", List.of("no-such-python9"));
        assertEquals("/usr/bin/python", d.python());
        assertEquals(List.of("No python interpreters found for host h1 (tried ['no-such-python9'])"), d.warnings());
        assertEquals(List.of(), Interpreter.discover(HOST, "h1", "auto_silent", List.of("no-such-python9")).warnings());
    }

    @Test
    void anotherPythonThanThePlatformsSaysSo() throws ConnectionException {
        Interpreter.Discovered d = Interpreter.discover(HOST, "h1", "auto", List.of("sh"));
        assertTrue(d.python().endsWith("/sh"), d.python());
        assertEquals(1, d.warnings().size(), d.warnings()::toString);
        assertTrue(d.warnings().get(0).startsWith("Distribution debian ")
                && d.warnings().get(0).contains(" on host h1 should use /usr/bin/python3, but is using " + d.python()
                + ", since the discovered platform python interpreter was not present."), d.warnings().get(0));
    }
}
