package dev.drover.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Scalars resolve as PyYAML (YAML 1.1) resolves them, since that is what Ansible users write for. */
class YamlLoaderTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "yes|true", "No|false", "on|true", "OFF|false", "true|true", "0644|420", "0o755|493", "0x1F|31",
        "12|12", "-3|-3", "1_000|1000", "1.5|1.5", "y|y", "n|n", "08|08", "abc|abc", "1.2.3|1.2.3"})
    void plainScalarsFollowYaml11(String text, String expected) throws YamlException {
        Object v = ((Map<?, ?>) YamlLoader.loadData("k: " + text, "t.yml")).get("k");
        assertEquals(expected, String.valueOf(v));
    }

    @Test
    void quotedScalarsStayText() throws YamlException {
        Map<?, ?> m = (Map<?, ?>) YamlLoader.loadData("a: 'yes'\nb: \"0644\"\nc: !!str 12\nd: ~\n", "t.yml");
        assertEquals("yes", m.get("a"));
        assertEquals("0644", m.get("b"));
        assertEquals("12", m.get("c"));
        assertNull(m.get("d"));
    }

    @Test
    void mergeKeysAndVaultTags() throws YamlException {
        Map<?, ?> m = (Map<?, ?>) YamlLoader.loadData(
                "base: &b {x: 1, y: 2}\nd:\n  <<: *b\n  y: 3\ns: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  6162\n", "t.yml");
        assertEquals(Map.of("x", 1, "y", 3), m.get("d"));
        Vaulted v = assertInstanceOf(Vaulted.class, m.get("s"));
        assertEquals(5, v.location().line());
        assertEquals("********", v.toString());
    }

    @Test
    void syntaxErrorsNameFileLineAndColumn() {
        YamlException e = assertThrows(YamlException.class,
                () -> YamlLoader.loadData("- hosts: all\n  tasks:\n    - debug: msg=a\n   bad: [\n", "play.yml"));
        assertEquals("play.yml", e.location().file());
        assertEquals(true, e.location().line() >= 4, e.location().toString());
    }

    @Test
    void listsKeepOrder() throws YamlException {
        assertEquals(List.of(1, "two", true), YamlLoader.loadData("[1, two, yes]", "t.yml"));
    }
}
