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

    /** What restart_on watches and wait_healthy waits for, read from one file. */
    @Test
    void inputsOfAContainer() {
        String text = "[Unit]\nEnvironmentFile=/not/this\n[Container]\nImage=app\nEnvironmentFile=app.env\n"
                + "EnvironmentFile=/etc/app/common.env\nSecret=db-pass,type=env,target=DB_PASS\nSecret=tls\n"
                + "Volume=/srv/app/haproxy.cfg:/etc/haproxy.cfg:ro,Z\nVolume=data.volume:/data\nVolume=/anon\n"
                + "Volume=%h/conf:/conf\nMount=type=bind,source=/srv/app/extra.cfg,destination=/extra.cfg\n"
                + "Mount=type=volume,source=cache.volume,destination=/cache\nHealthCmd=/bin/check\n"
                + "[Service]\nEnvironmentFile=-/etc/default/app\n";
        Quadlets.Inputs in = Quadlets.inputs("app.container", text, "app.service", "/home/ai/.config/containers/systemd", "/home/ai");
        assertEquals(List.of("/home/ai/.config/containers/systemd/app.env", "/etc/app/common.env", "/etc/default/app"),
                in.environmentFiles());
        assertEquals(List.of("db-pass", "tls"), in.secrets());
        assertEquals(List.of("/srv/app/haproxy.cfg", "/home/ai/conf", "/srv/app/extra.cfg"), in.mounts());
        assertEquals("systemd-app", in.healthContainer());
        assertEquals("web", Quadlets.inputs("app.container", "[Container]\nContainerName=web\nHealthCmd=true\n",
                "app.service", "/d", "/h").healthContainer());
        // systemd itself waits for healthy (Notify=healthy), or no health command
        assertEquals(null, Quadlets.inputs("app.container", "[Container]\nHealthCmd=true\nNotify=healthy\n",
                "app.service", "/d", "/h").healthContainer());
        assertEquals(null, Quadlets.inputs("app.container", "[Container]\nHealthCmd=none\n",
                "app.service", "/d", "/h").healthContainer());
    }
}
