package dev.drover.modules.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.drover.testing.DroverCli;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** uri against a small HTTP server on a loopback port, through drover run (curl on this host). */
class UriTest {
    private HttpServer server;
    private String base;
    private final AtomicInteger flaky = new AtomicInteger();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Map<String, String> lastBody = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/health", ex -> reply(ex, 200, "application/json", "{\"ok\": true, \"n\": 3, \"tags\": [\"a\"]}"));
        server.createContext("/missing", ex -> reply(ex, 404, "text/plain", "no such thing"));
        server.createContext("/text", ex -> {
            ex.getResponseHeaders().add("X-Drover-Test", "yes");
            ex.getResponseHeaders().add("Set-Cookie", "sid=abc; Path=/");
            reply(ex, 200, "text/plain; charset=utf-8", "hello\n");
        });
        server.createContext("/secret", ex -> {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            // user:s3cr3t
            if ("Basic dXNlcjpzM2NyM3Q=".equals(auth)) {
                reply(ex, 200, "text/plain", "welcome");
            } else {
                ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"drover\"");
                reply(ex, 401, "text/plain", "who are you");
            }
        });
        server.createContext("/echo", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            lastBody.put("body", body);
            lastBody.put("type", String.valueOf(ex.getRequestHeaders().getFirst("Content-Type")));
            lastBody.put("method", ex.getRequestMethod());
            reply(ex, 201, "application/json", "{\"got\": " + body + "}");
        });
        server.createContext("/flaky", ex -> {
            if (flaky.incrementAndGet() <= 2) {
                reply(ex, 503, "text/plain", "starting");
            } else {
                reply(ex, 200, "text/plain", "up");
            }
        });
        server.createContext("/moved", ex -> {
            ex.getResponseHeaders().add("Location", "/text");
            reply(ex, 302, "text/plain", "");
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void reply(HttpExchange ex, int status, String type, String body) throws IOException {
        requests.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            ex.getResponseBody().write(b);
        }
        ex.close();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static DroverCli.Result play(Path dir, String tasks, String... extra) throws IOException {
        Path p = dir.resolve("p.yml");
        Files.writeString(p, "- hosts: localhost\n  gather_facts: false\n  tasks:\n" + tasks.stripIndent().indent(4));
        String[] args = new String[extra.length + 2];
        args[0] = "run";
        args[1] = p.toString();
        System.arraycopy(extra, 0, args, 2, extra.length);
        return DroverCli.run(args);
    }

    @Test
    void getParsesJsonAndHeaders(@TempDir Path dir) throws IOException {
        DroverCli.Result r = play(dir, """
                - ansible.builtin.uri: url=%s/health
                  register: h
                - uri: url=%s/text return_content=true
                  register: t
                - uri: url=%s/moved
                  register: m
                - assert:
                    that:
                      - h.status == 200
                      - h.json.ok
                      - h.json.n == 3
                      - h.json.tags == ['a']
                      - h.content is not defined
                      - h.content_type == 'application/json'
                      - h.msg.startswith('OK (')
                      - not h.redirected
                      - not h.changed
                      - t.content | trim == 'hello'
                      - t.content | length == 6
                      - t.x_drover_test == 'yes'
                      - t.cookies.sid == 'abc'
                      - t.json is not defined
                      - m.redirected
                      - m.url == '%s/text'
                      - m.status == 200
                """.formatted(base, base, base, base));
        assertEquals(0, r.exit(), r::toString);
        assertEquals("ok=4 changed=0 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0", r.recap().get("localhost"),
                r::toString);
    }

    @Test
    void aStatusNotInStatusCodeFailsWithAnsiblesMessage(@TempDir Path dir) throws IOException {
        DroverCli.Result r = play(dir, """
                - uri: url=%s/missing
                  register: x
                  ignore_errors: true
                - uri:
                    url: %s/missing
                    status_code: [200, 404]
                  register: y
                - assert:
                    that: [x.failed, x.status == 404, y.status == 404, y.msg.startswith('HTTP Error 404')]
                """.formatted(base, base));
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("\"msg\": \"Status code was 404 and not [200]: HTTP Error 404: Not Found\""), r::toString);
    }

    @Test
    void aRefusedConnectionIsStatusMinusOne(@TempDir Path dir) throws IOException {
        int port = server.getAddress().getPort();
        server.stop(0);
        DroverCli.Result r = play(dir, """
                - uri: url=http://127.0.0.1:%d/ timeout=3
                """.formatted(port));
        assertEquals(2, r.exit(), r::toString);
        assertTrue(r.out().contains("Status code was -1 and not [200]: Request failed: <urlopen error [Errno 111] Connection refused>"),
                r::toString);
    }

    @Test
    void basicAuthPreemptiveAndOnChallengeAndThePasswordIsNeverPrinted(@TempDir Path dir) throws IOException {
        DroverCli.Result r = play(dir, """
                - uri: url=%s/secret url_username=user url_password=s3cr3t force_basic_auth=true return_content=true
                  register: a
                - uri: url=%s/secret user=user password=s3cr3t return_content=true
                  register: b
                - uri: url=%s/secret user=user password=wrong
                  register: c
                  ignore_errors: true
                - assert:
                    that: [a.content == 'welcome', b.content == 'welcome', c.status == 401]
                """.formatted(base, base, base), "-vvv");
        assertEquals(0, r.exit(), r::toString);
        // force_basic_auth sends at once; without it curl answers the 401 challenge (two requests)
        assertEquals(List.of("GET /secret", "GET /secret", "GET /secret", "GET /secret", "GET /secret"),
                requests.subList(0, 5), requests::toString);
        assertFalse(r.all().replace("password=s3cr3t", "").contains("s3cr3t"), r::toString);
    }

    @Test
    void postJsonBody(@TempDir Path dir) throws IOException {
        DroverCli.Result r = play(dir, """
                - uri:
                    url: %s/echo
                    method: POST
                    body_format: json
                    body: {name: drover, n: 2}
                    status_code: 201
                  register: p
                - assert:
                    that: [p.status == 201, p.json.got.name == 'drover', p.json.got.n == 2, not p.changed]
                """.formatted(base));
        assertEquals(0, r.exit(), r::toString);
        assertEquals("POST", lastBody.get("method"));
        assertEquals("application/json", lastBody.get("type"));
        assertEquals("{\"name\":\"drover\",\"n\":2}", lastBody.get("body"));
    }

    @Test
    void untilRetriesUntilTheServiceAnswers(@TempDir Path dir) throws IOException {
        DroverCli.Result r = play(dir, """
                - uri: url=%s/flaky
                  register: f
                  until: f.status == 200
                  retries: 5
                  delay: 1
                - assert:
                    that: [f.status == 200, f.attempts == 3]
                """.formatted(base));
        assertEquals(0, r.exit(), r::toString);
        assertEquals(2, r.out().split("FAILED - RETRYING", -1).length - 1, r::toString);
        assertEquals(3, flaky.get());
    }

    @Test
    void checkModeSkipsEveryMethodAndSendsNothing(@TempDir Path dir) throws IOException {
        DroverCli.Result r = play(dir, """
                - uri: url=%s/health
                  register: g
                - uri: url=%s/echo method=POST body=x status_code=201
                - assert:
                    that: [g.skipped, "g.msg == 'remote module (ansible.legacy.uri) does not support check mode'"]
                """.formatted(base, base), "--check");
        assertEquals(0, r.exit(), r::toString);
        assertEquals("ok=1 changed=0 unreachable=0 failed=0 skipped=2 rescued=0 ignored=0", r.recap().get("localhost"),
                r::toString);
        assertEquals(List.of(), requests);
    }

    @Test
    void withoutCurlPython3MakesTheRequest(@TempDir Path dir) throws Exception {
        // a PATH with the shell tools the script uses and python3, but no curl
        Path bin = Files.createDirectory(dir.resolve("bin"));
        for (String tool : List.of("mktemp", "rm", "cat", "wc", "python3")) {
            Process p = new ProcessBuilder("sh", "-c", "command -v " + tool).start();
            String path = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (path.isEmpty()) {
                return; // no python3 here: nothing to test
            }
            if (tool.equals("python3")) { // a pyenv shim needs its own PATH: resolve the real interpreter
                Process q = new ProcessBuilder("python3", "-c", "import sys; print(sys.executable)").start();
                path = new String(q.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            }
            Files.createSymbolicLink(bin.resolve(tool), Path.of(path));
        }
        DroverCli.Result r = play(dir, """
                - uri: url=%s/health
                  register: h
                  environment: {PATH: %s}
                - uri: url=%s/missing
                  environment: {PATH: %s}
                  ignore_errors: true
                - uri: url=%s/health
                  environment: {PATH: /nonexistent}
                  ignore_errors: true
                - assert:
                    that: [h.status == 200, h.json.n == 3]
                """.formatted(base, bin, base, bin, base));
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("Status code was 404 and not [200]: HTTP Error 404: Not Found"), r::toString);
        assertTrue(r.out().contains("uri needs curl or python3 on the host, and neither was found"), r::toString);
    }
}
