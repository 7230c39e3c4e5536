package dev.drover.modules.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.drover.module.LocalShell;
import dev.drover.module.Module;
import dev.drover.module.ModuleException;
import dev.drover.module.Plan;
import dev.drover.module.ShellHostView;
import dev.drover.modules.BuiltinModules;
import dev.drover.modules.Contract;
import dev.drover.modules.Plans;
import dev.drover.modules.TestContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * get_url on the real local host (curl, as the host has it) against a local HTTP server started by
 * the test: the idempotency contract with and without a checksum, checksum files, a destination
 * directory named by Content-Disposition, credentials and headers, and failures.
 */
class GetUrlTest {
    static final Module GET_URL = BuiltinModules.find("ansible.builtin.get_url").orElseThrow();
    static final LocalShell SHELL = new LocalShell();
    private HttpServer server;
    private String base;
    private final AtomicReference<String> content = new AtomicReference<>("release 1\n");
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/app.tar", ex -> {
            requests.add(ex.getRequestMethod() + " " + ex.getRequestHeaders().getFirst("X-Token"));
            reply(ex, 200, content.get(), Map.of());
        });
        server.createContext("/SHA256SUMS", ex -> reply(ex, 200,
                sha256(content.get()) + "  app.tar\n" + sha256("other") + " *other.tar\n", Map.of()));
        server.createContext("/download", ex -> reply(ex, 200, "from a script\n",
                Map.of("Content-Disposition", "attachment; filename=\"tool-1.2.sh\"")));
        server.createContext("/private", ex -> {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (!("Basic " + java.util.Base64.getEncoder().encodeToString("deploy:s3cret".getBytes())).equals(auth)) {
                ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"x\"");
                reply(ex, 401, "no", Map.of());
                return;
            }
            reply(ex, 200, "private\n", Map.of());
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static void reply(HttpExchange ex, int status, String body, Map<String, String> headers) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            ex.getResponseBody().write(b);
        }
        ex.close();
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, String> snapshot() throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                m.put(p.toString(), Files.isDirectory(p) ? "dir" : Files.readString(p) + ":"
                        + PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)));
            }
        }
        return m;
    }

    private Plan plan(Map<String, Object> args) throws Exception {
        return GET_URL.plan(new TestContext(GET_URL, args, new ShellHostView(SHELL)));
    }

    @Test
    void downloadsOnceThenOnlyWhenTheContentChanges() throws Exception {
        Path dest = dir.resolve("app.tar");
        Map<String, Object> args = Map.of("url", base + "/app.tar", "dest", dest.toString(), "mode", "0640",
                "headers", Map.of("X-Token", "t1"));
        Map<String, Object> v = Contract.run(GET_URL, args, SHELL, this::snapshot);
        assertEquals("release 1\n", Files.readString(dest));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(dest)));
        assertEquals(200, v.get("status_code"));
        assertEquals("OK (10 bytes)", v.get("msg"));
        assertEquals(dest.toString(), v.get("dest"));
        assertEquals(null, v.get("checksum_dest"));
        assertEquals("4a1c4ab8d5e3b5de8fb07a3a8e20b3e6e0a0b7e4".length(), String.valueOf(v.get("checksum_src")).length());
        assertTrue(requests.stream().allMatch(r -> r.equals("GET t1")), requests.toString());

        // without a checksum Ansible fetches again: a new release replaces the file, checksum_dest is the old one
        content.set("release 2\n");
        Plan p = plan(args);
        assertEquals(List.of("download " + dest), Plans.describe(p));
        Map<String, Object> v2 = Plans.apply(p, SHELL);
        assertEquals("release 2\n", Files.readString(dest));
        assertEquals(v.get("checksum_src"), v2.get("checksum_dest"));
        assertFalse(plan(args).changesSomething());
    }

    @Test
    void aMatchingChecksumIsNotFetchedAtAll() throws Exception {
        Path dest = dir.resolve("app.tar");
        Map<String, Object> args = Map.of("url", base + "/app.tar", "dest", dest.toString(),
                "checksum", "sha256:" + sha256("release 1\n"));
        Contract.run(GET_URL, args, SHELL, this::snapshot);
        int fetched = requests.size();
        Plan again = plan(args);
        assertEquals("file already exists", again.values().get("msg"));
        assertEquals(fetched, requests.size(), "no request once the checksum matches");

        // a checksum file on the server names the file's digest
        content.set("release 2\n");
        Map<String, Object> fromUrl = Map.of("url", base + "/app.tar", "dest", dest.toString(),
                "checksum", "sha256:" + base + "/SHA256SUMS");
        Plans.apply(plan(fromUrl), SHELL);
        assertEquals("release 2\n", Files.readString(dest));
        assertFalse(plan(fromUrl).changesSomething());

        // a wrong checksum fails and leaves the file alone
        ModuleException e = assertThrows(ModuleException.class, () -> plan(Map.of("url", base + "/app.tar",
                "dest", dir.resolve("other").toString(), "checksum", "sha256:" + sha256("nope"))));
        assertEquals("The checksum for " + dir.resolve("other") + " did not match " + sha256("nope") + "; it was "
                + sha256("release 2\n") + ".", e.getMessage());
        assertFalse(Files.exists(dir.resolve("other")));
    }

    @Test
    void aDirectoryDestTakesTheServersFileName() throws Exception {
        Map<String, Object> v = Contract.run(GET_URL, Map.of("url", base + "/download", "dest", dir.toString()),
                SHELL, this::snapshot);
        assertEquals(dir.resolve("tool-1.2.sh").toString(), v.get("dest"));
        assertEquals("from a script\n", Files.readString(dir.resolve("tool-1.2.sh")));
    }

    @Test
    void credentialsAndFailures() throws Exception {
        Path dest = dir.resolve("private");
        ModuleException denied = assertThrows(ModuleException.class, () ->
                plan(Map.of("url", base + "/private", "dest", dest.toString())));
        assertEquals("Request failed", denied.getMessage());
        assertEquals(401, denied.values().get("status_code"));

        Map<String, Object> args = Map.of("url", base + "/private", "dest", dest.toString(),
                "url_username", "deploy", "url_password", "s3cret", "force_basic_auth", true);
        Plan p = plan(args);
        p.changes().forEach(c -> assertFalse(c.command().script().contains("s3cret"), "the password stays off the script"));
        Plans.apply(p, SHELL);
        assertEquals("private\n", Files.readString(dest));

        ModuleException refused = assertThrows(ModuleException.class, () ->
                plan(Map.of("url", "http://127.0.0.1:1/x", "dest", dir.resolve("x").toString())));
        assertEquals("Request failed: <urlopen error [Errno 111] Connection refused>", refused.getMessage());

        ModuleException noDir = assertThrows(ModuleException.class, () ->
                plan(Map.of("url", base + "/app.tar", "dest", dir.resolve("no/such/file").toString())));
        assertEquals("Destination " + dir.resolve("no/such") + " does not exist", noDir.getMessage());
    }

    @Test
    void withoutCurlPython3Downloads() throws Exception {
        // a PATH with every command of /usr/bin but curl: the host's python3 does the download
        // (outside the @TempDir, removed here: JUnit warns about every link it deletes)
        Path bin = Files.createTempDirectory("drover-no-curl");
        try {
            var r = SHELL.run("for f in /usr/bin/* /usr/sbin/*; do ln -s \"$f\" " + bin + "/ 2>/dev/null; done; rm -f "
                    + bin + "/curl; [ -x /usr/bin/python3 ]", null, null);
            dev.drover.testing.Requirements.require("/usr/bin/python3", r.succeeded());
            var noCurl = Contract.withPrefix(SHELL, "export PATH=" + bin + "\n");
            assertFalse(noCurl.run("command -v curl", null, null).succeeded());
            Path dest = dir.resolve("via-python");
            Map<String, Object> args = Map.of("url", base + "/app.tar", "dest", dest.toString(),
                    "headers", Map.of("X-Token", "py"), "checksum", "sha256:" + sha256("release 1\n"));
            Contract.run(GET_URL, args, noCurl, () -> Files.exists(dest) ? Files.readString(dest) : "absent");
            assertEquals("release 1\n", Files.readString(dest));
            assertTrue(requests.contains("GET py"), requests.toString());
        } finally {
            SHELL.run("rm -rf " + bin, null, null);
        }
    }
}
