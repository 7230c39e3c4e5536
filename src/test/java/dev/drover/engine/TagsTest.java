package dev.drover.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Rows follow Ansible's documented --tags/--skip-tags rules (special tags always, never, tagged, untagged). */
class TagsTest {
    @ParameterizedTest(name = "task {0}, --tags {1}, --skip-tags {2} -> {3}")
    @CsvSource(delimiter = '|', value = {
        "      |         |        | true",
        "a     |         |        | true",
        "a     | a       |        | true",
        "a     | b       |        | false",
        "      | b       |        | false",
        "always| b       |        | true",
        "always|         | always | false",
        "a     |         | a      | false",
        "a,b   | b       | a      | false",
        "never |         |        | false",
        "never,x| x      |        | true",
        "never | all     |        | false",
        "a     | tagged  |        | true",
        "      | untagged|        | true",
        "a     | untagged|        | false",
        "a     | all     |        | true"})
    void rules(String task, String only, String skip, boolean runs) {
        assertEquals(runs, Tags.shouldRun(set(task), list(only), list(skip)));
    }

    private static Set<String> set(String s) {
        return s == null ? Set.of() : Set.copyOf(List.of(s.split(",")));
    }

    private static List<String> list(String s) {
        return s == null ? List.of() : List.of(s.split(","));
    }
}
