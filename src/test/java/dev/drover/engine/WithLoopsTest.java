package dev.drover.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.template.TemplateException;
import dev.drover.testing.DroverCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The with_* loops, item for item as ansible-playbook 2.14 gave them for the same terms (run by hand). */
class WithLoopsTest {

    @Test
    void eachLookupGivesAnsiblesItems() throws Exception {
        List<Object> users = List.of(Map.of("name", "alice", "keys", List.of("k1", "k2")),
                Map.of("name", "bob", "keys", List.of("k3")));
        List<Object> sub = WithLoops.items("with_subelements", List.of(users, "keys"));
        assertEquals(3, sub.size());
        assertEquals(Arrays.asList(users.get(0), "k2"), sub.get(1));
        assertEquals(List.of(List.of("a", 1), List.of("a", 2), List.of("b", 1), List.of("b", 2)),
                WithLoops.items("with_nested", List.of(List.of("a", "b"), List.of(1, 2))));
        assertEquals(List.of(List.of("a", 1), List.of("b", 2), Arrays.asList("c", null)),
                WithLoops.items("with_together", List.of(List.of("a", "b", "c"), List.of(1, 2))));
        assertEquals(List.of(List.of(0, "x"), List.of(1, "y")), WithLoops.items("with_indexed_items", List.of("x", "y")));
        assertEquals(List.of("host04", "host06", "host08"),
                WithLoops.items("with_sequence", "count=3 start=4 stride=2 format=host%02d"));
        assertEquals(List.of("1", "2", "3"), WithLoops.items("with_sequence", "start=1 end=3"));
        assertEquals(List.of("2", "4"), WithLoops.items("with_sequence", "2-4/2"));
        assertEquals(List.of("a", "b", List.of("c")), WithLoops.items("with_items", List.of("a", List.of("b", List.of("c")))));
        assertEquals(List.of("a", "b", "c"), WithLoops.items("with_flattened", List.of("a", List.of("b", List.of("c")))));
        assertEquals(List.of("a", List.of("b")), WithLoops.items("with_list", List.of("a", List.of("b"))));
        assertEquals(List.of(Map.of("key", "a", "value", 1)), WithLoops.items("with_dict", Map.of("a", 1)));
    }

    @Test
    void subelementsSaysWhatIsMissingUnlessToldToSkip() throws Exception {
        List<Object> users = List.of(Map.of("name", "alice", "keys", List.of("k1")), Map.of("name", "bob"));
        TemplateException e = assertThrows(TemplateException.class,
                () -> WithLoops.items("with_subelements", List.of(users, "keys")));
        assertTrue(e.getMessage().contains("could not find 'keys' key in iterated item"), e.getMessage());
        assertEquals(1, WithLoops.items("with_subelements", List.of(users, "keys", Map.of("skip_missing", true))).size());
    }

    @Test
    void anUnsupportedWithLoopIsRefusedBeforeAnyHost(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("p.yml"), """
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - command: touch %s/ran
                    - debug: msg="{{ item }}"
                      with_fileglob: ["/etc/*.conf"]
                """.formatted(dir));
        DroverCli.Result r = DroverCli.run("run", dir.resolve("p.yml").toString());
        assertEquals(4, r.exit(), r.toString());
        assertTrue(r.err().contains("'with_fileglob' is not supported by drover yet"), r.toString());
        assertTrue(!Files.exists(dir.resolve("ran")), "a host was touched");
    }
}
