package dev.drover.differential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.drover.testing.Requirements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Real, published roles (src/test/resources/realroles/, origins and licences in its README) run by
 * ansible-playbook and by drover against localhost: where ansible-playbook passes --syntax-check,
 * drover must pass it too; under --check both must print the same PLAY RECAP and exit code.
 *
 * <p>{@link #KNOWN} lists what drover gets wrong today, with the reason. It is a ratchet: a known
 * failure that starts passing fails this test, so that it is removed from the list.
 *
 * <p>--check against this machine: each kept role was checked to change nothing here under
 * ansible-playbook --check (no network needed; apt answers from its cache). ntp's --check is left out:
 * its service task asks systemd, which does not run as PID 1 here ("Failed to connect to bus"); so is
 * nodejs's, which needs the network (apt_key url, NodeSource repository).
 */
class RealRolesTest {
    private static final Path CORPUS = Path.of("src/test/resources/realroles");

    /** Role directory, and whether its --check run is compared too. */
    private record Role(String dir, boolean check) {
    }

    private static final List<Role> ROLES = List.of(
            new Role("ntp", false),
            new Role("pip", true),
            new Role("git", true),
            new Role("java", true),
            new Role("aimprovider", true),
            new Role("conjur_host_identity", true),
            new Role("nodejs", false), // --check would fetch an apt key and a repository from the network
            new Role("swap", true));

    /** "role:syntax" / "role:check" → why drover differs from ansible-playbook today. */
    private static final Map<String, String> KNOWN = Map.ofEntries(
            Map.entry("conjur_host_identity:check", "drover goes further than Ansible: Ansible's check fails the `file: "
                    + "state=link` to /etc/conjur.pem (\"src file does not exist\", the copy before it did not run), "
                    + "drover's forecast knows the copy and runs on (ok=11 changed=4 vs ok=8 changed=2 failed=1)"),
            Map.entry("java:check", "recap differs (drover ok=5 changed=1 skipped=6, Ansible ok=5 changed=0 "
                    + "skipped=8): an include_tasks skipped by `when` is neither printed nor counted as skipped, "
                    + "and apt with update_cache and packages already installed reports changed (Ansible's apt "
                    + "reports only the install's change when packages are given)"),
            Map.entry("swap:check", "recap differs (drover ok=6 changed=4 failed=0, Ansible ok=4 changed=2 failed=1 "
                    + "skipped=1): the two include_tasks skipped by `when` are not counted (as java:check), and "
                    + "Ansible's check fails `file: mode=0600` on the swap file the `command ... creates=` before it "
                    + "did not make, where drover's forecast takes the file as made and runs on"));

    @TestFactory
    Stream<DynamicTest> realRolesRunAsUnderAnsible() {
        Requirements.require("ansible-playbook", Tools.hasAnsiblePlaybook());
        List<DynamicTest> tests = new ArrayList<>();
        for (Role r : ROLES) {
            tests.add(DynamicTest.dynamicTest(r.dir() + " --syntax-check", () -> compare(r, "syntax")));
            if (r.check()) {
                tests.add(DynamicTest.dynamicTest(r.dir() + " --check", () -> {
                    Requirements.requireRoot();
                    compare(r, "check");
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> everyKnownFailureNamesARoleOfTheCorpus() {
        return KNOWN.keySet().stream().map(k -> DynamicTest.dynamicTest(k, () -> {
            String dir = k.substring(0, k.indexOf(':'));
            String mode = k.substring(k.indexOf(':') + 1);
            Role role = ROLES.stream().filter(r -> r.dir().equals(dir)).findFirst()
                    .orElseThrow(() -> new AssertionError(k + ": no such role in ROLES"));
            if (mode.equals("check") && !role.check()) {
                fail(k + ": the role's --check run is not compared");
            }
            if (!Files.isRegularFile(CORPUS.resolve(dir).resolve("playbook.yml"))) {
                fail(k + ": " + CORPUS.resolve(dir) + "/playbook.yml is missing");
            }
        }));
    }

    private static void compare(Role r, String mode) {
        Path dir = CORPUS.resolve(r.dir()).toAbsolutePath();
        List<String> args = new ArrayList<>(List.of(dir.resolve("playbook.yml").toString(), "-i", "localhost,"));
        args.add(mode.equals("check") ? "--check" : "--syntax-check");
        Outcome ansible = Tools.ansible(dir, args);
        if (mode.equals("syntax") && ansible.exitCode() != 0) {
            fail("ansible-playbook refuses the corpus role " + r.dir() + " (fix the corpus):\n" + ansible.output());
        }
        Outcome drover = Tools.drover(args);
        boolean same = mode.equals("syntax") ? drover.exitCode() == 0
                : drover.summary().equals(ansible.summary());
        String key = r.dir() + ":" + mode;
        String known = KNOWN.get(key);
        if (known != null) {
            if (same) {
                fail(key + " now runs as under ansible-playbook: remove it from RealRolesTest.KNOWN (" + known + ")");
            }
            return;
        }
        if (mode.equals("syntax")) {
            assertEquals(0, drover.exitCode(), () -> r.dir() + ": drover refuses what ansible-playbook accepts:\n"
                    + drover.output());
        } else {
            assertEquals(ansible.summary(), drover.summary(), () -> r.dir() + " --check differs.\nansible-playbook:\n"
                    + ansible.output() + "\ndrover:\n" + drover.output());
        }
    }
}
