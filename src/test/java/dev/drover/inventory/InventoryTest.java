package dev.drover.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parsing, patterns, magic variables and errors. Expected values marked "ansible" were read off
 * ansible-core 2.14.18 (ansible-inventory --list / --host, ansible PATTERN --list-hosts, or
 * ansible -m debug for magic variables) on the same input.
 */
class InventoryTest {
    static final Path RES = Path.of("src/test/resources/inventory");

    @TempDir
    Path tmp;

    private static List<String> names(List<Host> hosts) {
        return hosts.stream().map(Host::name).toList();
    }

    private Inventory ini(String text) throws Exception {
        Path f = tmp.resolve("hosts.ini");
        Files.writeString(f, text);
        return Inventory.load(List.of(f.toString()));
    }

    @Test
    void iniGroupsChildrenRangesAndTyping() throws Exception {
        Inventory inv = Inventory.load(List.of(RES.resolve("ini/hosts.ini").toString()));
        Map<String, Group> g = inv.groups();
        // ansible: all.children = [ungrouped, prod, edge]
        assertEquals(List.of("all", "ungrouped", "webservers", "dbs", "prod", "lb", "edge"), List.copyOf(g.keySet()));
        assertEquals(List.of("ungrouped", "prod", "edge"), g.get("all").children());
        assertEquals(List.of("web01", "web02", "web03", "alpha"), g.get("webservers").hosts());
        assertEquals(List.of("db-a", "db-b", "db-c", "node1", "node3", "node5", "node7", "node9"), g.get("dbs").hosts());
        assertEquals(List.of("solo"), g.get("ungrouped").hosts()); // web0x left ungrouped once in webservers
        Host solo = inv.host("solo").orElseThrow();
        // ansible --host solo: literal_eval on shlex-split values
        assertEquals(1, solo.vars().get("a"));
        assertEquals(true, solo.vars().get("b"));
        assertEquals("quoted str", solo.vars().get("c"));
        assertEquals("0644", solo.vars().get("d"));
        assertEquals("yes", solo.vars().get("e"));
        assertEquals(1.5, solo.vars().get("f"));
        assertEquals(List.of(1, 2), solo.vars().get("h"));
        assertEquals("{k:1}", solo.vars().get("i"));
        assertEquals(31, solo.vars().get("k"));
        assertEquals(2222, inv.host("alpha").orElseThrow().vars().get("ansible_port"));
        assertEquals(22, inv.host("web02").orElseThrow().vars().get("ansible_port"));
        // [g:vars] values go through literal_eval too (ansible 2.14: s1=1 is an int, s4=yes a string)
        Map<String, Object> dv = g.get("dbs").vars();
        assertEquals(1, dv.get("s1"));
        assertEquals(true, dv.get("s2"));
        assertEquals("quoted", dv.get("s3"));
        assertEquals("yes", dv.get("s4"));
        assertEquals("a b c", dv.get("s5"));
        Host lb1 = inv.host("lb1").orElseThrow();
        assertEquals(Map.of("k", 1), lb1.vars().get("opts"));
        assertNull(lb1.vars().get("none"));
        assertTrue(lb1.vars().containsKey("none"));
        assertEquals(14, inv.hosts().size());
    }

    @Test
    void iniPortOnlyForNewHostAndCommentEndsHostLine() throws Exception {
        // ansible: h1 keeps 2222; h2's "c=abc#d e=1" is cut at '#'
        Inventory inv = ini("[g]\nh1:2222 a=x\nh1:3333 b=y\nh2 c=abc#d e=1\n[g:vars]\nv1=1 # c\nv2=abc # c\nv3=\n");
        Host h1 = inv.host("h1").orElseThrow();
        assertEquals(Map.of("ansible_port", 2222, "a", "x", "b", "y"), h1.vars());
        assertEquals(Map.of("c", "abc"), inv.host("h2").orElseThrow().vars());
        assertEquals(1, inv.groups().get("g").vars().get("v1"));
        assertEquals("abc # c", inv.groups().get("g").vars().get("v2"));
        assertEquals("", inv.groups().get("g").vars().get("v3"));
    }

    @Test
    void iniChildrenDeclaredBeforeTheGroup() throws Exception {
        Inventory inv = ini("[parent:children]\nkid\n[kid]\nk1\n");
        assertEquals(List.of("kid"), inv.groups().get("parent").children());
        assertEquals(List.of("k1"), names(inv.select("parent")));
        assertEquals(List.of("kid", "parent"), inv.groupNames(inv.host("k1").orElseThrow()));
    }

    @Test
    void yamlInventory() throws Exception {
        Inventory inv = Inventory.load(List.of(RES.resolve("yaml/hosts.yml").toString()));
        assertEquals(List.of("bastion", "2001:db8::1", "web01.example.com", "web02.example.com", "api.example.com",
                "db-a", "db-b", "replica1"), names(inv.hosts()));
        assertEquals(2222, inv.host("2001:db8::1").orElseThrow().vars().get("ansible_port"));
        assertEquals(8443, inv.host("api.example.com").orElseThrow().vars().get("ansible_port"));
        assertEquals(420, inv.groups().get("all").vars().get("mode"));  // YAML 1.1 octal
        assertEquals(true, inv.groups().get("all").vars().get("flag")); // YAML 1.1 yes
        assertEquals(List.of("replicas"), inv.groups().get("db").children());
        assertEquals(List.of("db", "prod"), inv.groupNames(inv.host("bastion").orElseThrow()));
        assertEquals(List.of("db", "prod", "replicas"), inv.groupNames(inv.host("replica1").orElseThrow()));
        assertEquals(List.of("ungrouped"), inv.groupNames(inv.host("2001:db8::1").orElseThrow()));
        assertTrue(inv.groups().containsKey("empty"));
    }

    @Test
    void yamlWarningsAndBadStructure() throws Exception {
        Path f = tmp.resolve("inv.yml");
        Files.writeString(f, "all:\n  hosts:\n    h1:\n  colour: {a: 1}\nweird: 3\n");
        Inventory inv = Inventory.load(List.of(f.toString()));
        assertEquals(2, inv.warnings().size(), inv.warnings().toString());
        Files.writeString(f, "all:\n  hosts:\n    - h1\n    - h2\n");
        InventoryException e = assertThrows(InventoryException.class, () -> Inventory.load(List.of(f.toString())));
        assertEquals(3, e.location().line());
        assertEquals(5, e.location().column());
        assertTrue(e.getMessage().contains("\"hosts\""), e.getMessage());
        Files.writeString(f, "all:\n  hosts:\n    h1: just-a-string\n");
        e = assertThrows(InventoryException.class, () -> Inventory.load(List.of(f.toString())));
        assertEquals(3, e.location().line());
        Files.writeString(f, "- a\n- b\n");
        e = assertThrows(InventoryException.class, () -> Inventory.load(List.of(f.toString())));
        assertTrue(e.getMessage().contains("mapping"), e.getMessage());
        Files.writeString(f, "plugin: aws_ec2\n");
        assertThrows(InventoryException.class, () -> Inventory.load(List.of(f.toString())));
        Files.writeString(f, "all: [\n");
        e = assertThrows(InventoryException.class, () -> Inventory.load(List.of(f.toString())));
        assertTrue(e.location().line() > 0);
    }

    @Test
    void extensionlessFileIsYamlOnlyWhenAMapping() throws Exception {
        Path f = tmp.resolve("hosts");
        Files.writeString(f, "g:\n  hosts:\n    y1:\n");
        assertEquals(List.of("y1"), names(Inventory.load(List.of(f.toString())).select("g")));
        Files.writeString(f, "i1\ni2\n");
        assertEquals(List.of("i1", "i2"), names(Inventory.load(List.of(f.toString())).select("all")));
    }

    @Test
    void directorySkipsWhatAnsibleSkips() throws Exception {
        // ansible-inventory -i dir: *.ini inside a directory is ignored (INVENTORY_IGNORE_EXTS), *.md too
        Inventory inv = Inventory.load(List.of(RES.resolve("dir").toString()));
        assertEquals(List.of("w1", "w2", "d1", "w3", "c1"), names(inv.hosts()));
        assertFalse(inv.groups().containsKey("ignored"));
    }

    @Test
    void hostListAndMultipleSources() throws Exception {
        Inventory inv = Inventory.load(List.of("h1, h2:2200,h1,", RES.resolve("dir").toString()));
        assertEquals(List.of("h1", "h2", "w1", "w2", "d1", "w3", "c1"), names(inv.hosts()));
        assertEquals(2200, inv.host("h2").orElseThrow().vars().get("ansible_port"));
        assertEquals(List.of("h1", "h2"), inv.groups().get("ungrouped").hosts());
        Map<String, Object> magic = inv.magicVars(inv.host("h1").orElseThrow());
        assertEquals("h1, h2:2200,h1,", magic.get("inventory_file")); // ansible: the list itself, dir None
        assertNull(magic.get("inventory_dir"));
        assertThrows(InventoryException.class, () -> Inventory.load(List.of(tmp.resolve("missing").toString())));
    }

    @Test
    void patternOperatorsAndOrder() throws Exception {
        Inventory inv = Inventory.load(List.of(RES.resolve("ini/hosts.ini").toString()));
        List<String> dbs = List.of("db-a", "db-b", "db-c", "node1", "node3", "node5", "node7", "node9");
        List<String> web = List.of("web01", "web02", "web03", "alpha");
        assertEquals(web, names(inv.select("webservers")));
        // ansible: unions keep the order written, not inventory order
        assertEquals(concat(dbs, web), names(inv.select("dbs:webservers")));
        assertEquals(concat(web, dbs), names(inv.select("webservers,dbs")));
        assertEquals(web, names(inv.select("prod:!dbs")));
        assertEquals(dbs, names(inv.select("prod:&dbs")));
        // intersections apply after all unions, exclusions last: a:&b:c == (a ∪ c) ∩ b
        assertEquals(concat(web, dbs), names(inv.select("webservers:&prod:dbs")));
        assertEquals(List.of("db-a", "db-b"), names(inv.select("~db-[ab]")));
        // ansible: "node[13]" is group/host "node" subscript 13 (matches nothing); [!x] is a glob class
        assertEquals(List.of(), inv.select("node[13]"));
        assertEquals(List.of("node1", "node3", "node7", "node9"), names(inv.select("node[!5]")));
        assertEquals(List.of("solo", "web01"), names(inv.select("solo,web01,solo")));
        assertEquals(List.of("web01"), names(inv.select("prod[0]")));
        assertEquals(List.of("web02", "web03", "alpha"), names(inv.select("prod[1:3]")));
        assertEquals(List.of("node9"), names(inv.select("dbs[-1]")));
        assertEquals(List.of("node5", "node7", "node9"), names(inv.select("dbs[5:]")));
        assertEquals(List.of(), inv.select("nothing"));
        assertEquals(List.of(), inv.select("nothing[0]"));
        assertThrows(InventoryException.class, () -> inv.select("dbs[20]"));
        assertThrows(InventoryException.class, () -> inv.select("~(unclosed"));
        assertEquals(List.of("web01", "web02", "web03", "alpha"), names(inv.select("web*")));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new java.util.ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    @Test
    void implicitLocalhost() throws Exception {
        Inventory inv = Inventory.load(List.of(RES.resolve("ini/hosts.ini").toString()));
        Host lh = inv.select("localhost").get(0);
        assertTrue(lh.implicit());
        assertEquals("local", lh.vars().get("ansible_connection"));
        assertFalse(inv.select("all").contains(lh));
        assertFalse(inv.hosts().contains(lh));
        assertEquals(List.of(), inv.groupNames(lh));
        Map<String, Object> magic = inv.magicVars(lh);
        assertFalse(magic.containsKey("inventory_dir")); // ansible: undefined for the implicit localhost
        assertEquals("localhost", magic.get("inventory_hostname"));

        // ansible with no -i: "the implicit localhost does not match 'all'"
        Inventory none = Inventory.localhostOnly();
        assertEquals(List.of(), none.select("all"));
        assertEquals(List.of(), none.hosts());
        assertEquals(List.of("127.0.0.1"), names(Inventory.localhostOnly().select("127.0.0.1")));
        assertEquals(List.of("localhost"), names(none.select("localhost")));
        assertEquals(Map.of("all", List.of(), "ungrouped", List.of()), none.magicVars(none.select("localhost").get(0)).get("groups"));

        // a localhost defined in the inventory is a normal host and is in all
        Inventory defined = ini("localhost ansible_connection=local\nweb1\n");
        Host dl = defined.select("localhost").get(0);
        assertFalse(dl.implicit());
        assertEquals(List.of("localhost", "web1"), names(defined.select("all")));
    }

    @Test
    void magicVars() throws Exception {
        Path f = RES.resolve("ini/hosts.ini").toAbsolutePath().normalize();
        Inventory inv = Inventory.load(List.of(f.toString()));
        Map<String, Object> m = inv.magicVars(inv.host("web01").orElseThrow());
        assertEquals("web01", m.get("inventory_hostname"));
        assertEquals(List.of("prod", "webservers"), m.get("group_names")); // ansible
        assertEquals(f.toString(), m.get("inventory_file"));
        assertEquals(f.getParent().toString(), m.get("inventory_dir"));
        @SuppressWarnings("unchecked")
        Map<String, List<String>> groups = (Map<String, List<String>>) m.get("groups");
        assertEquals(List.of("solo"), groups.get("ungrouped"));
        assertEquals(12, groups.get("prod").size());
        assertEquals(14, groups.get("all").size());
        assertEquals(List.of("ungrouped"), inv.groupNames(inv.host("solo").orElseThrow())); // ansible: includes ungrouped
        Inventory yml = Inventory.load(List.of(RES.resolve("yaml/hosts.yml").toString()));
        assertEquals("web01", yml.magicVars(yml.host("web01.example.com").orElseThrow()).get("inventory_hostname_short"));
    }

    @Test
    void iniErrorsNameFileLineAndColumn() throws Exception {
        // messages as ansible's ini plugin words them, checked with ansible-inventory
        assertIniError("h1 foo\n", 1, 4, "Expected key=value host variable assignment, got: foo");
        assertIniError("[a:vars]\nx=1\n", 1, 1, "Section [a:vars] not valid for undefined group: a");
        assertIniError("[a]\n[a:children]\nb\n", 3, 1, "Section [a:children] includes undefined group: b");
        assertIniError("[a:foo]\n", 1, 1, "Section [a:foo] has unknown type: foo");
        assertIniError("\n  [a b]\n", 2, 3, "Invalid section entry: '[a b]'");
        assertIniError("h1 a=\"x\n", 1, 1, "No closing quotation");
        assertIniError("x[1:]\n", 1, 1, "host range must specify end value");
        assertIniError("x[01:1]\n", 1, 1, "equal-length");
        assertIniError("[g]\nh1\n[g:vars]\nnot a pair\n", 4, 1, "Expected key=value");
        assertIniError("[a:children]\nb\n[b:children]\na\n", 4, 1, "recursive dependency loop");
        assertIniError("h1:\n", 1, 1, "ending in ':' is not allowed");
    }

    private void assertIniError(String text, int line, int column, String messagePart) throws Exception {
        InventoryException e = assertThrows(InventoryException.class, () -> ini(text), text);
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
        assertTrue(e.location().file().endsWith("hosts.ini"), e.location().toString());
        assertEquals(line, e.location().line(), e.getMessage());
        assertEquals(column, e.location().column(), e.getMessage());
    }

    @Test
    void groupPriorityAndDepthOrder() throws Exception {
        Inventory inv = ini("[a]\nh\n[b]\nh\n[a:vars]\nx=a\nansible_group_priority=2\n[b:vars]\nx=b\n"
                + "[p:children]\nb\n[p:vars]\nx=p\ny=p\n[b:vars]\ny=b\n");
        Map<String, Object> v = inv.varsFor(inv.host("h").orElseThrow(), null);
        assertEquals("b", v.get("x")); // b has depth 2 (under p): deeper beats priority
        assertEquals("b", v.get("y"));
        assertEquals(List.of("a", "b", "p"), inv.groupNames(inv.host("h").orElseThrow()));
        Inventory flat = ini("[a]\nh\n[b]\nh\n[a:vars]\nx=a\nansible_group_priority=2\n[b:vars]\nx=b\n");
        assertEquals("a", flat.varsFor(flat.host("h").orElseThrow(), null).get("x"));
    }
}
