package dev.drover.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Variable precedence. The same tree is compared with {@code ansible-inventory --playbook-dir} in
 * {@link AnsibleParityTest#varsTreeMatchesAnsibleInventoryWithPlaybookDir}; the expectations here
 * are the values ansible-core 2.14 produced for it.
 */
class VarsForTest {

    @TempDir
    Path root;

    /** Writes root/inv (inventory with group_vars, host_vars) and root/play (playbook dir); returns root/inv. */
    static Path writeTree(Path root) throws IOException {
        Path inv = root.resolve("inv");
        Path play = root.resolve("play");
        write(inv.resolve("hosts.ini"), """
                [web]
                w1 g=host_inline h=host_inline
                w2
                [db]
                d1
                [prod:children]
                web
                db
                [all:vars]
                a=inv_all
                b=inv_all
                [prod:vars]
                b=inv_prod
                [web:vars]
                b=inv_web
                c=inv_web
                [a1]
                w1
                [a2]
                w1
                [a1:vars]
                prio=a1
                ansible_group_priority=5
                [a2:vars]
                prio=a2
                """);
        write(inv.resolve("group_vars/all.yml"), "c: gv_inv_all\nd: gv_inv_all\n");
        write(inv.resolve("group_vars/prod"), "e: gv_inv_prod\n");
        write(inv.resolve("group_vars/web/01.yml"), "f: gv_inv_web\nwdir: first\n");
        write(inv.resolve("group_vars/web/02.yaml"), "wdir: second\nmode: 0644\n");
        write(inv.resolve("group_vars/web/.hidden.yml"), "hidden: true\n");
        write(inv.resolve("group_vars/web/notes.txt"), "txt: true\n");
        write(inv.resolve("host_vars/w1.yml"), "h: hv_inv\ni: hv_inv\n");
        write(play.resolve("group_vars/all.json"), "{\"d\": \"gv_play_all\", \"e\": \"gv_play_all\"}\n");
        write(play.resolve("group_vars/prod.yml"), "f: gv_play_prod\n");
        write(play.resolve("group_vars/web.yml"), "g: gv_play_web\n");
        write(play.resolve("group_vars/web.yaml"), "shadow: true\n"); // web.yml is found first; never read
        write(play.resolve("host_vars/w1"), "i: hv_play\n");
        return inv;
    }

    static void write(Path p, String text) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    @Test
    void precedenceLayers() throws Exception {
        Path inv = writeTree(root);
        Inventory inventory = Inventory.load(List.of(inv.resolve("hosts.ini").toString()));
        Host w1 = inventory.host("w1").orElseThrow();
        Map<String, Object> v = inventory.varsFor(w1, root.resolve("play"));
        assertEquals("inv_all", v.get("a"));          // only in [all:vars]
        assertEquals("inv_web", v.get("b"));          // child group beats parent beats all
        assertEquals("gv_inv_all", v.get("c"));       // group_vars/all file beats any inventory-file group var
        assertEquals("gv_play_all", v.get("d"));      // playbook group_vars/all beats inventory's
        assertEquals("gv_inv_prod", v.get("e"));      // group_vars/<g> beats group_vars/all, even playbook's
        assertEquals("gv_play_prod", v.get("f"));     // playbook group_vars/<parent> beats inventory group_vars/<child>
        assertEquals("host_inline", v.get("g"));      // inventory host vars beat every group var
        assertEquals("hv_inv", v.get("h"));           // host_vars/ beside the inventory beat inline host vars
        assertEquals("hv_play", v.get("i"));          // host_vars/ beside the playbook win
        assertEquals("a1", v.get("prio"));            // ansible_group_priority=5 sorts a1 after a2
        assertFalse(v.containsKey("ansible_group_priority"));
        assertEquals("second", v.get("wdir"));        // group_vars/web/ files in sorted order
        assertEquals(420, v.get("mode"));             // YAML 1.1 octal
        assertFalse(v.containsKey("hidden"));
        assertFalse(v.containsKey("txt"));
        assertFalse(v.containsKey("shadow"));
    }

    @Test
    void withoutPlaybookDir() throws Exception {
        Path inv = writeTree(root);
        Inventory inventory = Inventory.load(List.of(inv.resolve("hosts.ini").toString()));
        Map<String, Object> v = inventory.varsFor(inventory.host("w1").orElseThrow(), null);
        assertEquals("gv_inv_all", v.get("d"));
        assertEquals("gv_inv_prod", v.get("e"));
        assertEquals("gv_inv_web", v.get("f"));
        assertEquals("hv_inv", v.get("i"));
        Map<String, Object> d1 = inventory.varsFor(inventory.host("d1").orElseThrow(), null);
        assertEquals("inv_prod", d1.get("b"));
        assertNull(d1.get("prio"));
    }

    @Test
    void inventoryDirectoryIsItsOwnVarsBase() throws Exception {
        write(root.resolve("invdir/hosts.yml"), "web:\n  hosts:\n    w1:\n");
        write(root.resolve("invdir/group_vars/web.yml"), "x: from_dir\n");
        Inventory inventory = Inventory.load(List.of(root.resolve("invdir").toString()));
        assertEquals("from_dir", inventory.varsFor(inventory.host("w1").orElseThrow(), null).get("x"));
    }

    @Test
    void implicitLocalhostGetsAllVarsOnly() throws Exception {
        Path inv = writeTree(root);
        Inventory inventory = Inventory.load(List.of(inv.resolve("hosts.ini").toString()));
        Host lh = inventory.host("localhost").orElseThrow();
        assertTrue(lh.implicit());
        Map<String, Object> v = inventory.varsFor(lh, root.resolve("play"));
        assertEquals("local", v.get("ansible_connection"));
        assertEquals("inv_all", v.get("a"));
        assertEquals("gv_play_all", v.get("d"));
        assertNull(v.get("f"));
    }

    @Test
    void badVarsFileNamesTheFile() throws Exception {
        write(root.resolve("hosts"), "h1\n");
        write(root.resolve("host_vars/h1.yml"), "- a\n- b\n");
        write(root.resolve("group_vars/all.yml"), "a: [1\n");
        Inventory inventory = Inventory.load(List.of(root.resolve("hosts").toString()));
        InventoryException e = assertThrows(InventoryException.class,
                () -> inventory.varsFor(inventory.host("h1").orElseThrow(), null));
        assertTrue(e.location().file().endsWith("all.yml"), e.location().toString());
        Files.delete(root.resolve("group_vars/all.yml"));
        Inventory again = Inventory.load(List.of(root.resolve("hosts").toString()));
        e = assertThrows(InventoryException.class, () -> again.varsFor(again.host("h1").orElseThrow(), null));
        assertTrue(e.location().file().endsWith("h1.yml"));
        assertTrue(e.getMessage().contains("mapping"), e.getMessage());
    }
}
