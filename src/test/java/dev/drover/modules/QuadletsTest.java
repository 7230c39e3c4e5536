package dev.drover.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import dev.drover.module.ModuleException;
import dev.drover.modules.system.Quadlets;
import dev.drover.yaml.YamlLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Quadlet parsing and start order as data: src/test/resources/quadlet/ordering.yaml (texts in, units and tiers out). */
class QuadletsTest {

    @TestFactory
    @SuppressWarnings("unchecked")
    Stream<DynamicTest> ordering() throws Exception {
        Path file = Path.of(Objects.requireNonNull(getClass().getResource("/quadlet/ordering.yaml")).toURI());
        List<Map<String, Object>> cases = (List<Map<String, Object>>) YamlLoader.loadData(file);
        return cases.stream().map(c -> DynamicTest.dynamicTest(String.valueOf(c.get("name")), () -> run(c)));
    }

    @SuppressWarnings("unchecked")
    private static void run(Map<String, Object> c) {
        Map<String, Object> files = (Map<String, Object>) c.get("files");
        List<Quadlets.Parsed> parsed = new ArrayList<>();
        try {
            for (Map.Entry<String, Object> e : files.entrySet()) {
                parsed.add(Quadlets.parse(e.getKey(), String.valueOf(e.getValue())));
            }
            for (Map.Entry<String, Object> e : ((Map<String, Object>) c.getOrDefault("units", Map.of())).entrySet()) {
                String unit = parsed.stream().filter(p -> p.file().equals(e.getKey())).findFirst().orElseThrow().unit();
                assertEquals(e.getValue(), unit, e.getKey());
            }
            List<List<String>> tiers = Quadlets.tiers(parsed);
            if (c.containsKey("failed")) {
                fail("expected '" + c.get("failed") + "' but got tiers " + tiers);
            }
            assertEquals(c.get("tiers"), tiers);
        } catch (ModuleException e) {
            if (!c.containsKey("failed")) {
                throw new AssertionError(e.getMessage(), e);
            }
            assertEquals(c.get("failed"), e.getMessage());
        }
    }

    @Test
    void unitNamesWithoutReadingTheFile() {
        assertEquals("x-network.service", Quadlets.unitOf("x.network"));
        assertEquals("y-volume.service", Quadlets.unitOf("y.volume"));
        assertEquals("foo.service", Quadlets.unitOf("foo.container"));
        assertEquals("foo-pod.service", Quadlets.unitOf("foo.pod"));
        assertEquals("foo-image.service", Quadlets.unitOf("foo.image"));
        assertEquals(null, Quadlets.unitOf("foo.service"));
        assertEquals(null, Quadlets.unitOf(".container"));
    }

    @Test
    void unitsOrderedAfterUnitsOutsideTheSetStillStartFirst() throws Exception {
        Quadlets.Parsed a = Quadlets.parse("a.container", "[Unit]\nRequires=outside.service\n[Container]\nImage=a\n");
        assertEquals(List.of(List.of("a.service")), Quadlets.tiers(List.of(a)));
        assertEquals(java.util.Set.of("outside.service"), a.needs());
        assertThrows(ModuleException.class, () -> Quadlets.parse("a.txt", ""));
    }
}
