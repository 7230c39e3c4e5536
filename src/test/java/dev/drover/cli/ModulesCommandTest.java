package dev.drover.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.testing.DroverCli;
import dev.drover.testing.Requirements;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code drover modules}: how names resolve, on this machine's ansible-core and collections. */
class ModulesCommandTest {

    @BeforeAll
    static void ansible() {
        Requirements.require("ansible-core and the community collections", DroverCli.hasAnsible()
                && Files.isDirectory(Path.of("/usr/lib/python3/dist-packages/ansible_collections/community/general")));
    }

    @Test
    void oneName() {
        DroverCli.Result copy = DroverCli.run("modules", "copy");
        assertEquals(0, copy.exit(), copy::toString);
        assertTrue(copy.out().startsWith("copy: native"), copy::toString);

        DroverCli.Result ini = DroverCli.run("modules", "ini_file");
        assertEquals(0, ini.exit(), ini::toString);
        assertTrue(ini.out().contains("runs through Ansible as community.general.ini_file")
                && ini.out().contains("community/general/plugins/modules/ini_file.py"), ini::toString);

        DroverCli.Result sync = DroverCli.run("modules", "ansible.posix.synchronize");
        assertEquals(1, sync.exit(), sync::toString);
        assertTrue(sync.out().contains("cannot run in drover") && sync.out().contains("plugins/action/synchronize.py"),
                sync::toString);

        DroverCli.Result typo = DroverCli.run("modules", "ansible.posix.acll");
        assertEquals(1, typo.exit(), typo::toString);
        assertTrue(typo.out().contains("not found") && typo.out().contains("ansible.posix.acl"), typo::toString);
    }

    @Test
    void aPlaybooksLibraryAndTheListing() {
        Path project = Path.of("src/test/resources/ansible-modules");
        DroverCli.Result flag = DroverCli.run("modules", "--playbook-dir", project.toString(), "drover_flag");
        assertEquals(0, flag.exit(), flag::toString);
        assertTrue(flag.out().contains("library ") && flag.out().contains("roles/notes/library"), flag::toString);

        DroverCli.Result all = DroverCli.run("modules", "--playbook-dir", project.toString());
        assertEquals(0, all.exit(), all::toString);
        String out = all.out();
        assertTrue(out.startsWith("Native modules"), out.substring(0, Math.min(400, out.length())));
        int runs = out.indexOf("\nRun through Ansible (");
        int cannot = out.indexOf("\nCannot run in drover (");
        assertTrue(runs > 0 && cannot > runs);
        assertTrue(out.substring(runs, cannot).contains("\n  drover_note → ansible.legacy.drover_note  (library "));
        assertTrue(out.substring(runs, cannot).contains("\n  community.general.ini_file  (collection community.general"));
        assertTrue(out.substring(cannot).contains("\n  ansible.builtin.reboot: its controller side is an action plugin"));
    }
}
