package dev.drover.modules.ansible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Name resolution as Ansible's module loader does it, over a made-up ansible-core tree, collection
 * roots and library dirs (files only: nothing runs).
 */
class ModuleFinderTest {
    @TempDir
    Path dir;
    ModuleFinder finder;
    Path lib;

    @BeforeEach
    void tree() throws IOException {
        Path ansible = dir.resolve("site/ansible");
        write(ansible.resolve("modules/getent.py"), "#!/usr/bin/python\n");
        write(ansible.resolve("modules/debconf.py"), "#!/usr/bin/python\n");
        write(ansible.resolve("plugins/action/reboot.py"), "");
        write(ansible.resolve("plugins/action/normal.py"), "");
        write(ansible.resolve("config/ansible_builtin_runtime.yml"), """
                plugin_routing:
                  modules:
                    ini_file:
                      redirect: community.general.ini_file
                    old_thing:
                      tombstone:
                        removal_version: "2.10"
                        warning_text: Use something else.
                    sunset:
                      redirect: community.general.ini_file
                      deprecation:
                        warning_text: It moved.
                """);
        Path first = dir.resolve("first/ansible_collections/community/general");
        write(first.resolve("plugins/modules/ini_file.py"), "first");
        write(first.resolve("plugins/modules/net/tool.py"), "nested");
        write(first.resolve("plugins/modules/shutdown.py"), "");
        write(first.resolve("plugins/action/shutdown.py"), "");
        write(first.resolve("meta/runtime.yml"), """
                plugin_routing:
                  modules:
                    moved:
                      redirect: community.general.ini_file
                    loop_a:
                      redirect: community.general.loop_b
                    loop_b:
                      redirect: community.general.loop_a
                """);
        write(dir.resolve("second/ansible_collections/community/general/plugins/modules/ini_file.py"), "second");
        write(dir.resolve("second/ansible_collections/ansible/posix/plugins/modules/acl.py"), "");
        lib = dir.resolve("playbook/library");
        write(lib.resolve("getent.py"), "mine");
        write(lib.resolve("flag.sh"), "#!/bin/sh\n# WANT_JSON\n");
        AnsibleInstall install = new AnsibleInstall(Path.of("/usr/bin/python3"), ansible, "2.14.18");
        SearchPath path = SearchPath.of(dir.resolve("playbook"), List.of(),
                Map.of("ANSIBLE_COLLECTIONS_PATH", dir.resolve("first") + ":" + dir.resolve("second"),
                        "ANSIBLE_LIBRARY", dir.resolve("none").toString(), "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH", "false"),
                install);
        finder = new ModuleFinder(install, path);
    }

    @Test
    void builtinByShortAndFullName() {
        Resolution.Found f = assertInstanceOf(Resolution.Found.class, finder.resolve("ansible.builtin.debconf"));
        assertEquals("ansible.builtin.debconf", f.fqcn());
        assertEquals("ansible.builtin", f.origin());
        assertEquals(f.path(), ((Resolution.Found) finder.resolve("debconf")).path());
    }

    @Test
    void aLibraryModuleComesBeforeTheBuiltinOfItsName() {
        Resolution.Found f = assertInstanceOf(Resolution.Found.class, finder.resolve("getent"));
        assertEquals(lib.resolve("getent.py"), f.path());
        assertEquals(lib.resolve("getent.py"), ((Resolution.Found) finder.resolve("ansible.legacy.getent")).path());
        // the FQCN of the builtin skips the library
        assertTrue(((Resolution.Found) finder.resolve("ansible.builtin.getent")).path().toString().contains("site/ansible"));
        // a file with another extension matches by its stem
        assertEquals(lib.resolve("flag.sh"), ((Resolution.Found) finder.resolve("flag")).path());
    }

    @Test
    void theFirstCollectionRootHoldingTheCollectionWins() throws IOException {
        Resolution.Found f = assertInstanceOf(Resolution.Found.class, finder.resolve("community.general.ini_file"));
        assertEquals("first", Files.readString(f.path()));
        assertInstanceOf(Resolution.Found.class, finder.resolve("ansible.posix.acl"));
        assertEquals("community.general.net.tool", ((Resolution.Found) finder.resolve("community.general.net.tool")).fqcn());
    }

    @Test
    void redirectsTombstonesAndDeprecations() {
        Resolution.Found routed = assertInstanceOf(Resolution.Found.class, finder.resolve("ini_file"));
        assertEquals("community.general.ini_file", routed.fqcn());
        assertEquals("ini_file", routed.name());
        assertEquals("community.general.ini_file", ((Resolution.Found) finder.resolve("community.general.moved")).fqcn());
        Resolution.Found sunset = (Resolution.Found) finder.resolve("sunset");
        assertEquals(List.of("ansible.builtin.sunset It moved."), sunset.warnings());
        Resolution.Refused gone = assertInstanceOf(Resolution.Refused.class, finder.resolve("old_thing"));
        assertTrue(gone.why().contains("Use something else.") && gone.why().contains("2.10"), gone.why());
        assertTrue(((Resolution.Refused) finder.resolve("community.general.loop_a")).why().contains("loop"));
    }

    @Test
    void actionPluginsAreRefusedWithTheirPath() {
        Resolution.Refused reboot = assertInstanceOf(Resolution.Refused.class, finder.resolve("reboot"));
        assertTrue(reboot.why().contains("plugins/action/reboot.py") && reboot.why().contains("action plugin"), reboot.why());
        Resolution.Refused shutdown = assertInstanceOf(Resolution.Refused.class, finder.resolve("community.general.shutdown"));
        assertTrue(shutdown.why().contains("plugins/action/shutdown.py"), shutdown.why());
        assertInstanceOf(Resolution.Missing.class, finder.resolve("normal"));
    }

    @Test
    void unknownNamesAndCollectionsAreMissing() {
        assertInstanceOf(Resolution.Missing.class, finder.resolve("no_such_module"));
        assertInstanceOf(Resolution.Missing.class, finder.resolve("community.general.no_such"));
        assertInstanceOf(Resolution.Missing.class, finder.resolve("nobody.here.mod"));
    }

    @Test
    void theListingNamesEveryModuleWithHowItResolves() {
        Map<String, Resolution> all = finder.all();
        assertInstanceOf(Resolution.Found.class, all.get("flag"));
        assertInstanceOf(Resolution.Found.class, all.get("ansible.builtin.debconf"));
        assertInstanceOf(Resolution.Found.class, all.get("community.general.net.tool"));
        assertInstanceOf(Resolution.Found.class, all.get("ansible.posix.acl"));
        assertInstanceOf(Resolution.Refused.class, all.get("reboot"));
        assertInstanceOf(Resolution.Refused.class, all.get("community.general.shutdown"));
        assertEquals(lib.resolve("getent.py"), ((Resolution.Found) all.get("getent")).path());
    }

    private static void write(Path p, String text) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }
}
