package dev.drover.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.module.Change;
import dev.drover.module.LocalShell;
import dev.drover.module.Module;
import dev.drover.module.Plan;
import dev.drover.module.ShellHostView;
import dev.drover.module.SimulatedHostView;
import dev.drover.module.SimulatedState;
import dev.drover.testing.Requirements;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * podman_image pushing to a real registry with authentication: Debian's {@code docker-registry}
 * (the CNCF distribution registry) runs as a plain process on a loopback port with an htpasswd
 * user — no container needed. Plain HTTP, so {@code validate_certs: false}. The password reaches
 * podman only through {@code podman login --password-stdin}.
 */
class PodmanPushTest {
    static final LocalShell SHELL = new LocalShell();
    static final String PASSWORD = "hunter2-registry";

    @TempDir
    Path dir;
    Process registry;
    int port;

    @BeforeEach
    void startRegistry() throws Exception {
        PodmanRealHostTest.requirePodman();
        Requirements.require("docker-registry and htpasswd (apt-get install docker-registry apache2-utils)",
                Files.isExecutable(Path.of("/usr/bin/docker-registry")) && Files.isExecutable(Path.of("/usr/bin/htpasswd")));
        SHELL.run(PodmanRealHostTest.cleanUpScript(), null, null);
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        var r = SHELL.run("htpasswd -Bbn bugs " + PASSWORD + " > " + dir.resolve("htpasswd"), null, null);
        assertEquals(0, r.exitCode(), r.err());
        Files.writeString(dir.resolve("config.yml"), """
                version: 0.1
                log: {level: warn}
                storage: {filesystem: {rootdirectory: %s}}
                http: {addr: 127.0.0.1:%d}
                auth: {htpasswd: {realm: drover, path: %s}}
                """.formatted(dir.resolve("data"), port, dir.resolve("htpasswd")));
        registry = new ProcessBuilder("/usr/bin/docker-registry", "serve", dir.resolve("config.yml").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        for (int i = 0; i < 50 && status("/v2/", null) != 401; i++) {
            Thread.sleep(100);
        }
        assertEquals(401, status("/v2/", null), "the registry answers and asks for credentials");
    }

    @AfterEach
    void stop() throws Exception {
        if (registry != null) {
            registry.destroy();
            registry.waitFor();
            String target = "127.0.0.1:" + port + "/acme/" + PodmanRealHostTest.IMAGE + ":t1";
            String record = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(target.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
            SHELL.run("podman logout 127.0.0.1:" + port + " >/dev/null 2>&1; rm -f ~/.local/share/drover/podman-push/"
                    + record + "; " + PodmanRealHostTest.cleanUpScript(), null, null);
        }
    }

    private int status(String path, String auth) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
            if (auth != null) {
                b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(auth.getBytes(StandardCharsets.UTF_8)));
            }
            return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private String tags() throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/v2/acme/" + PodmanRealHostTest.IMAGE + "/tags/list"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("bugs:" + PASSWORD)
                        .getBytes(StandardCharsets.UTF_8))).build();
        return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void buildsPushesWithLoginAndPushesAgainOnlyAfterARebuild() throws Exception {
        Path ctx = PodmanRealHostTest.context(dir.resolve("ctx"));
        Module image = BuiltinModules.find("containers.podman.podman_image").orElseThrow();
        String dest = "127.0.0.1:" + port + "/acme";
        Map<String, Object> args = new HashMap<>(Map.of("name", PodmanRealHostTest.IMAGE, "tag", "t1",
                "path", ctx.toString(), "push", true, "push_args", Map.of("dest", dest),
                "username", "bugs", "password", PASSWORD, "validate_certs", false));
        List<String> all = List.of("build image " + PodmanRealHostTest.IMAGE + ":t1 from " + ctx,
                "log in to 127.0.0.1:" + port + " as bugs",
                "push image " + PodmanRealHostTest.IMAGE + ":t1 to " + dest + "/" + PodmanRealHostTest.IMAGE + ":t1");

        SimulatedState state = new SimulatedState();
        SimulatedHostView sim = new SimulatedHostView(new ShellHostView(SHELL), state);
        Plan check = image.plan(new TestContext(image, args, sim));
        assertEquals(all, Plans.describe(check));
        Plans.simulate(check, state, "root");
        assertEquals(List.of(), Plans.describe(image.plan(new TestContext(image, args, sim))), "converges");
        assertEquals(404, status("/v2/acme/" + PodmanRealHostTest.IMAGE + "/tags/list", "bugs:" + PASSWORD),
                "check mode pushed nothing");

        Plan real = image.plan(new TestContext(image, args, new ShellHostView(SHELL)));
        assertEquals(all, Plans.describe(real));
        for (Change c : real.changes()) {
            assertFalse(c.command().script().contains(PASSWORD), c.command().script());
        }
        Plans.apply(real, SHELL);
        assertTrue(tags().contains("\"t1\""), tags());
        assertEquals(List.of(), Plans.describe(image.plan(new TestContext(image, args, new ShellHostView(SHELL)))),
                "a rerun neither builds nor pushes");

        Files.writeString(ctx.resolve("version.txt"), "2\n");
        Plan again = image.plan(new TestContext(image, args, new ShellHostView(SHELL)));
        assertEquals(all, Plans.describe(again), "a rebuild is pushed");
        Plans.apply(again, SHELL);
        assertEquals(List.of(), Plans.describe(image.plan(new TestContext(image, args, new ShellHostView(SHELL)))));

        // a wrong password fails the login step, and the message does not carry it
        args.put("password", "wrong-" + PASSWORD);
        args.put("force", true);
        Plan bad = image.plan(new TestContext(image, args, new ShellHostView(SHELL)));
        SHELL.run("podman logout 127.0.0.1:" + port, null, null);
        dev.drover.module.ModuleException e = org.junit.jupiter.api.Assertions.assertThrows(
                dev.drover.module.ModuleException.class, () -> Plans.apply(bad, SHELL));
        assertTrue(e.getMessage().startsWith("log in to 127.0.0.1:" + port + " as bugs failed"), e.getMessage());
        assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
    }
}
