package dev.drover.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.connection.CommandResult;
import dev.drover.module.Change;
import dev.drover.module.LocalShell;
import dev.drover.module.Module;
import dev.drover.module.Plan;
import dev.drover.module.ShellHostView;
import dev.drover.module.SimulatedHostView;
import dev.drover.module.SimulatedState;
import dev.drover.testing.Requirements;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * podman_image and podman_secret against the real podman of this machine, as root: a real
 * {@code podman build} of a {@code FROM scratch} image holding a static busybox (no registry
 * needed), real secrets. The idempotency contract: check mode forecasts and changes nothing, the
 * real run does what was forecast, a rerun changes nothing, a changed context file rebuilds.
 * Containers are never run (podman run does not work in this sandbox, nor is it needed here).
 */
class PodmanRealHostTest {
    static final LocalShell SHELL = new LocalShell();
    static final String IMAGE = "drover-test-image";
    static final String SECRET = "drover-test-secret";

    @TempDir
    Path dir;
    Path ctx;

    static void requirePodman() {
        Requirements.requireRoot();
        Requirements.require("podman (apt-get install podman) and a static busybox (apt-get install busybox-static)",
                Files.isExecutable(Path.of("/usr/bin/podman")) && Files.isExecutable(Path.of("/bin/busybox")));
    }

    /** A build context: a static busybox and a Containerfile that copies it into an empty image. */
    static Path context(Path ctx) throws Exception {
        Files.createDirectories(ctx.resolve("bin"));
        Files.copy(Path.of("/bin/busybox"), ctx.resolve("bin/busybox"), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(ctx.resolve("Containerfile"), "FROM scratch\nCOPY bin/busybox /bin/busybox\n"
                + "CMD [\"/bin/busybox\", \"true\"]\n");
        Files.writeString(ctx.resolve("version.txt"), "1\n");
        return ctx;
    }

    @BeforeEach
    void setUp() throws Exception {
        requirePodman();
        ctx = context(dir.resolve("ctx"));
        cleanUp();
    }

    @AfterEach
    void cleanUp() throws Exception {
        SHELL.run(cleanUpScript(), null, null);
    }

    /** Removes the test's images (the tagged ones and those a rebuild left dangling) and secret. */
    static String cleanUpScript() {
        return "podman image rm -f " + IMAGE + ":t1 " + IMAGE + ":t2 >/dev/null 2>&1; "
                + "podman image rm -f $(podman images -q --filter dangling=true --filter label=drover.context-hash) "
                + ">/dev/null 2>&1; podman secret rm " + SECRET + " >/dev/null 2>&1; true";
    }

    private static Module module(String name) {
        return BuiltinModules.find(name).orElseThrow();
    }

    private static Plan plan(Module m, Map<String, Object> args, dev.drover.module.HostView view) throws Exception {
        return m.plan(new TestContext(m, args, view));
    }

    private static String podman(String args) throws Exception {
        CommandResult r = SHELL.run("podman " + args, null, null);
        return r.succeeded() ? r.out().strip() : null;
    }

    private static String label(String ref) throws Exception {
        return podman("image inspect --format '{{index .Labels \"drover.context-hash\"}}' " + ref);
    }

    /** check: forecast, nothing touched, converges; real: same plan, applied; rerun: nothing. */
    private Map<String, Object> contract(Module m, Map<String, Object> args, String snapshotCommand) throws Exception {
        String before = podman(snapshotCommand);
        SimulatedState state = new SimulatedState();
        SimulatedHostView sim = new SimulatedHostView(new ShellHostView(SHELL), state);
        Plan check = plan(m, args, sim);
        assertTrue(check.changesSomething(), "check mode forecasts a change");
        Plans.simulate(check, state, "root");
        assertEquals(before, podman(snapshotCommand), "check mode touched nothing");
        assertEquals(List.of(), Plans.describe(plan(m, args, sim)), "the forecast converges");

        Plan real = plan(m, args, new ShellHostView(SHELL));
        assertEquals(Plans.describe(check), Plans.describe(real), "check forecasts what the real run does");
        Map<String, Object> values = Plans.apply(real, SHELL);
        assertEquals(List.of(), Plans.describe(plan(m, args, new ShellHostView(SHELL))), "idempotent");
        return values;
    }

    @Test
    void imageBuildsOnceAndRebuildsWhenTheContextChanges() throws Exception {
        Module image = module("containers.podman.podman_image");
        Map<String, Object> args = Map.of("name", IMAGE, "tag", "t1", "path", ctx.toString());
        Map<String, Object> v = contract(image, args, "images -q --filter reference=" + IMAGE);
        String id = podman("image inspect --format '{{.Id}}' " + IMAGE + ":t1");
        assertTrue(id != null && id.length() == 64, "the image exists: " + id);
        @SuppressWarnings("unchecked")
        Map<String, Object> img = (Map<String, Object>) v.get("image");
        assertEquals(id, img.get("Id"));
        String hash = label(IMAGE + ":t1");
        assertTrue(hash.matches("[0-9a-f]{64}"), hash);
        assertEquals(List.of("Built image " + IMAGE + ":t1 from " + ctx), v.get("actions"));

        // a file of the context changes, not the Containerfile: rebuild, with a new label
        Files.writeString(ctx.resolve("version.txt"), "2\n");
        Plan rebuild = plan(image, args, new ShellHostView(SHELL));
        assertEquals(List.of("build image " + IMAGE + ":t1 from " + ctx), Plans.describe(rebuild));
        assertTrue(rebuild.reason().contains("the build context " + ctx + " changed"), rebuild.reason());
        Plans.apply(rebuild, SHELL);
        assertNotEquals(hash, label(IMAGE + ":t1"));
        assertFalse(plan(image, args, new ShellHostView(SHELL)).changesSomething());

        // a mode change counts too (COPY keeps modes)
        Files.setPosixFilePermissions(ctx.resolve("version.txt"), java.nio.file.attribute.PosixFilePermissions
                .fromString("rw-------"));
        assertTrue(plan(image, args, new ShellHostView(SHELL)).changesSomething());
        Plans.apply(plan(image, args, new ShellHostView(SHELL)), SHELL);

        // a build parameter that shapes the image counts (an annotation), one that does not (cache) does not
        assertFalse(plan(image, Map.of("name", IMAGE, "tag", "t1", "path", ctx.toString(),
                "build", Map.of("cache", false)), new ShellHostView(SHELL)).changesSomething());
        assertTrue(plan(image, Map.of("name", IMAGE, "tag", "t1", "path", ctx.toString(),
                "build", Map.of("annotation", Map.of("a", "b"))), new ShellHostView(SHELL)).changesSomething());

        // force always rebuilds
        assertEquals(1, plan(image, Map.of("name", IMAGE + ":t1", "path", ctx.toString(), "force", true),
                new ShellHostView(SHELL)).changes().size());

        // absent removes it, once
        contract(image, Map.of("name", IMAGE, "tag", "t1", "state", "absent"), "images -q --filter reference=" + IMAGE);
        assertEquals(null, podman("image inspect " + IMAGE + ":t1"));
    }

    @Test
    void imageWithAContainerfileOutsideTheContextAndBuildArgs() throws Exception {
        Path file = dir.resolve("Containerfile.other");
        Files.writeString(file, "FROM scratch\nARG V\nCOPY bin/busybox /bin/busybox\nLABEL v=$V\n");
        Module image = module("podman_image");
        Map<String, Object> args = Map.of("name", IMAGE, "tag", "t2", "path", ctx.toString(),
                "build", Map.of("file", file.toString(), "build_arg", Map.of("V", "7"), "format", "docker"));
        contract(image, args, "images -q --filter reference=" + IMAGE);
        assertEquals("7", podman("image inspect --format '{{index .Labels \"v\"}}' " + IMAGE + ":t2"));
        Files.writeString(file, Files.readString(file) + "LABEL w=1\n");
        assertTrue(plan(image, args, new ShellHostView(SHELL)).changesSomething(), "the Containerfile changed");
    }

    @Test
    void checkModeForecastsABuildFromAContextEarlierStepsWouldWrite() throws Exception {
        Module image = module("podman_image");
        Map<String, Object> args = Map.of("name", IMAGE, "tag", "t1", "path", ctx.toString());
        Plans.apply(plan(image, args, new ShellHostView(SHELL)), SHELL);
        String id = podman("image inspect --format '{{.Id}}' " + IMAGE + ":t1");

        SimulatedState state = new SimulatedState();
        SimulatedHostView sim = new SimulatedHostView(new ShellHostView(SHELL), state);
        assertFalse(plan(image, args, sim).changesSomething(), "up to date before the copy");
        Module copy = module("copy");
        Plan write = plan(copy, Map.of("content", "2\n", "dest", ctx.resolve("version.txt").toString()), sim);
        Plans.simulate(write, state, "root");
        Plan build = plan(image, args, sim);
        assertEquals(List.of("build image " + IMAGE + ":t1 from " + ctx), Plans.describe(build));
        Plans.simulate(build, state, "root");
        assertFalse(plan(image, args, sim).changesSomething(), "converges");
        assertEquals("1\n", Files.readString(ctx.resolve("version.txt")));
        assertEquals(id, podman("image inspect --format '{{.Id}}' " + IMAGE + ":t1"), "nothing rebuilt");

        // a fresh context: made by earlier steps, absent on the host
        Path fresh = dir.resolve("fresh");
        SimulatedState s2 = new SimulatedState();
        SimulatedHostView sim2 = new SimulatedHostView(new ShellHostView(SHELL), s2);
        Plans.simulate(plan(module("file"), Map.of("path", fresh.toString(), "state", "directory"), sim2), s2, "root");
        Plans.simulate(plan(copy, Map.of("content", "FROM scratch\n", "dest", fresh + "/Containerfile"), sim2), s2,
                "root");
        Map<String, Object> freshArgs = Map.of("name", IMAGE, "tag", "t2", "path", fresh.toString(), "push", true,
                "push_args", Map.of("dest", "registry.example.com:5000/acme"), "username", "bugs", "password",
                "hunter2-registry");
        Plan forecast = plan(image, freshArgs, sim2);
        assertEquals(List.of("build image " + IMAGE + ":t2 from " + fresh,
                "log in to registry.example.com:5000 as bugs",
                "push image " + IMAGE + ":t2 to registry.example.com:5000/acme/" + IMAGE + ":t2"),
                Plans.describe(forecast));
        Plans.simulate(forecast, s2, "root");
        assertEquals(List.of(), Plans.describe(plan(image, freshArgs, sim2)), "converges, push included");
        assertFalse(Files.exists(fresh));
        for (Change c : forecast.changes()) {
            assertFalse(c.command().script().contains("hunter2-registry"), c.command().script());
        }
        assertEquals("hunter2-registry", new String(forecast.changes().get(1).command().stdin(), StandardCharsets.UTF_8));
        assertFalse(forecast.values().toString().contains("hunter2"), forecast.values().toString());
    }

    @Test
    void secretLifecycleWithoutShowingTheValue() throws Exception {
        Module secret = module("containers.podman.podman_secret");
        String value = "s3cr3t-" + System.nanoTime();
        Map<String, Object> args = Map.of("name", SECRET, "data", value, "labels", Map.of("app", "vocalyx"));
        Map<String, Object> v = contract(secret, args, "secret ls --format '{{.Name}}'");
        assertFalse(v.toString().contains(value), v.toString());
        String id = podman("secret inspect --format '{{.ID}}' " + SECRET);
        assertTrue(id != null && !id.isEmpty());
        @SuppressWarnings("unchecked")
        Map<String, Object> got = (Map<String, Object>) v.get("secret");
        assertEquals(id, got.get("ID"));
        String hash = podman("secret inspect --format '{{index .Spec.Labels \"drover.data-hash\"}}' " + SECRET);
        assertTrue(hash.matches("sha256:[0-9a-f]{32}:[0-9a-f]{64}"), hash);
        assertFalse(hash.contains(value));
        assertEquals("vocalyx", podman("secret inspect --format '{{index .Spec.Labels \"app\"}}' " + SECRET));
        // the value podman stored is the one given (the file driver keeps it base64-encoded in a JSON file)
        String store = Files.readString(Path.of("/var/lib/containers/storage/secrets/filedriver/secretsdata.json"));
        assertTrue(store.contains(Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))));

        // a new value: replaced, the value on stdin only
        Map<String, Object> changed = Map.of("name", SECRET, "data", value + "-2", "labels", Map.of("app", "vocalyx"));
        Plan replace = plan(secret, changed, new ShellHostView(SHELL));
        assertEquals(List.of("replace secret " + SECRET), Plans.describe(replace));
        assertFalse(replace.changes().get(0).command().script().contains(value));
        assertFalse(replace.reason().contains(value));
        Plans.apply(replace, SHELL);
        assertNotEquals(id, podman("secret inspect --format '{{.ID}}' " + SECRET));
        assertFalse(plan(secret, changed, new ShellHostView(SHELL)).changesSomething());

        // labels are compared too; skip_existing never touches it; force always replaces
        assertTrue(plan(secret, Map.of("name", SECRET, "data", value + "-2"), new ShellHostView(SHELL)).changesSomething());
        assertFalse(plan(secret, Map.of("name", SECRET, "data", "other", "skip_existing", true),
                new ShellHostView(SHELL)).changesSomething());
        assertTrue(plan(secret, Map.of("name", SECRET, "data", value + "-2", "labels", Map.of("app", "vocalyx"),
                "force", true), new ShellHostView(SHELL)).changesSomething());

        // a secret made by hand (no digest label) is replaced once, then known
        SHELL.run("podman secret rm " + SECRET + " >/dev/null; printf x | podman secret create " + SECRET + " - >/dev/null",
                null, null);
        Map<String, Object> x = Map.of("name", SECRET, "data", "x");
        Plan once = plan(secret, x, new ShellHostView(SHELL));
        assertTrue(once.reason().contains("has no drover.data-hash label"), once.reason());
        Plans.apply(once, SHELL);
        assertFalse(plan(secret, x, new ShellHostView(SHELL)).changesSomething());

        contract(secret, Map.of("name", SECRET, "state", "absent"), "secret ls --format '{{.Name}}'");
        assertEquals(null, podman("secret inspect " + SECRET));
    }
}
