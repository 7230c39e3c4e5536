package dev.drover.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which command lines go to a resident drover, and which one serves them. */
class IdentityTest {
    @Test
    void theEnvironmentChoosesTheDaemonExceptForTheShellsBookkeeping() throws Exception {
        Map<String, String> env = Map.of("PATH", "/usr/bin", "SHLVL", "1", "_", "/usr/bin/drover", "OLDPWD", "/a");
        String key = Identity.key("p", env);
        assertEquals(key, Identity.key("p", Map.of("PATH", "/usr/bin", "SHLVL", "3", "_", "/bin/env")),
                "SHLVL, _ and OLDPWD change with every shell and must not start a daemon each");
        assertNotEquals(key, Identity.key("p", Map.of("PATH", "/usr/bin", "ANSIBLE_FORKS", "3")),
                "a variable a run can read must choose another daemon");
        assertNotEquals(key, Identity.key("p", Map.of("PATH", "/usr/local/bin")));
        assertNotEquals(key, Identity.key("q", env), "another jar, JVM, user, directory or umask: another daemon");
    }

    @Test
    void onByDefaultOffUnderCiOrWhenAskedTo() {
        assertTrue(Client.enabled(Map.of()));
        assertFalse(Client.enabled(Map.of("CI", "true")));
        assertTrue(Client.enabled(Map.of("CI", "false")));
        assertTrue(Client.enabled(Map.of("CI", "true", "DROVER_DAEMON", "1")));
        assertFalse(Client.enabled(Map.of("DROVER_DAEMON", "0")));
        assertFalse(Client.enabled(Map.of("DROVER_DAEMON", "off")));
    }

    @Test
    void onlyPlaybookRunsAreServed() {
        assertTrue(Client.eligible(new String[] {"run", "site.yml"}));
        assertTrue(Client.eligible(new String[] {"-v", "run", "site.yml"}));
        assertFalse(Client.eligible(new String[] {"vault", "edit", "x.yml"}), "vault edit runs an editor here");
        assertFalse(Client.eligible(new String[] {"--version"}));
        assertFalse(Client.eligible(new String[] {}));
    }

    @Test
    void socketsLiveInTheRuntimeDirectory(@TempDir Path tmp) {
        assertEquals(tmp.resolve("own"), Identity.dir(Map.of("DROVER_DAEMON_DIR", tmp.resolve("own").toString(),
                "XDG_RUNTIME_DIR", tmp.toString())));
        assertEquals(tmp.resolve("drover"), Identity.dir(Map.of("XDG_RUNTIME_DIR", tmp.toString())));
        assertEquals(tmp.resolve("c/drover/daemon"), Identity.dir(Map.of("XDG_RUNTIME_DIR", tmp.resolve("none").toString(),
                "XDG_CACHE_HOME", tmp.resolve("c").toString())));
    }

    /**
     * bin/drover-client.py copies what the key and the protocol are made of; a change here that
     * is not made there would silently stop serving the light client's runs.
     */
    @Test
    void theLightClientCopiesTheWireVersionTheIgnoredVariablesAndTheExitCode() throws java.io.IOException {
        String py = java.nio.file.Files.readString(Path.of("bin", "drover-client.py"));
        java.util.regex.Matcher version = java.util.regex.Pattern.compile("(?m)^WIRE_VERSION = (\\d+)").matcher(py);
        assertTrue(version.find(), "no WIRE_VERSION in bin/drover-client.py");
        assertEquals(Wire.VERSION, Integer.parseInt(version.group(1)));
        java.util.regex.Matcher ignored = java.util.regex.Pattern.compile("(?m)^IGNORED = \\{([^}]*)\\}").matcher(py);
        assertTrue(ignored.find(), "no IGNORED in bin/drover-client.py");
        java.util.Set<String> names = new java.util.HashSet<>();
        for (String n : ignored.group(1).split(",")) {
            names.add(n.trim().replace("\"", ""));
        }
        assertEquals(Identity.IGNORED, names);
        assertTrue(py.contains("NOT_SERVED, NO_DAEMON, ERROR, INTERRUPTED = " + Client.NOT_SERVED + ", 214, "
                + dev.drover.engine.ExitCodes.ERROR + ", " + dev.drover.engine.ExitCodes.INTERRUPTED), "exit codes differ");
    }
}
