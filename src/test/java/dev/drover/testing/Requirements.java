package dev.drover.testing;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Guards for tests that need something from the machine (sshd, sudo, root). On a developer's
 * machine a missing requirement skips the test with a clear message; in CI ({@code CI=true}) it
 * fails it, so that a broken CI image cannot turn integration tests into silent skips.
 */
public final class Requirements {
    private Requirements() {
    }

    /** Skips (or, with CI=true, fails) the calling test when {@code available} is false. */
    public static void require(String what, boolean available) {
        if (available) {
            return;
        }
        String msg = "this test needs " + what + ", which is not available here";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(msg + " (CI=true: missing requirements fail instead of skipping)");
        }
        Assumptions.abort(msg + " (skipped; set CI=true to make this a failure)");
    }

    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    public static boolean hasSshd() {
        return Files.isExecutable(Path.of("/usr/sbin/sshd")) && Files.isExecutable(Path.of("/usr/bin/ssh-keygen"));
    }

    public static boolean hasSudo() {
        return Files.isExecutable(Path.of("/usr/bin/sudo"));
    }

    /** ansible-core on the controller, found as drover finds it (modules outside drover's own run through it). */
    public static boolean hasAnsibleCore() {
        return dev.drover.modules.ansible.AnsibleInstall.find().isPresent();
    }

    /** What an unknown module's message adds when ansible-core is missing ("" when it is installed). */
    public static String withoutAnsibleCoreNote() {
        return hasAnsibleCore() ? "" : dev.drover.modules.ansible.AnsibleModules.MISSING_NOTE;
    }

    public static void requireAnsibleCore() {
        require("ansible-core on the controller (apt-get install ansible-core)", hasAnsibleCore());
    }

    public static void requireRoot() {
        require("to run as root (user.name is " + System.getProperty("user.name") + ")", isRoot());
    }

    public static void requireSshd() {
        require("OpenSSH's /usr/sbin/sshd and ssh-keygen (apt-get install openssh-server)", hasSshd());
    }

    public static void requireSudo() {
        require("sudo (apt-get install sudo)", hasSudo());
    }
}
