package dev.drover.playbooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.drover.testing.DroverCli;
import dev.drover.testing.Lab;
import dev.drover.testing.Requirements;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The Vocalyx playbooks on real hosts: two Debian 13 VMs of the {@link Lab} (qemu, systemd as PID
 * 1, logind, sshd), as the two hosts {@code lab1} and {@code lab2} of the group {@code vocalyx},
 * from bare servers (no podman, no deploy user) to a running stack, with the shipped
 * {@code playbooks/vocalyx.yml} and {@code playbooks/update.yml} unchanged and the example vault.
 *
 * <p>In order, timed (the timings are printed at the end): {@code --check} changes nothing on
 * either VM and forecasts the real run (same changed and failed counts per host; the health
 * checks are skipped in check mode, as in Ansible); the real run (the {@code vocalyx_prerequisites}
 * role installs podman from Debian's registry) brings up the 14 units on each VM, 11 containers
 * running ({@code podman ps} as the deploy user), and the health checks through haproxy pass; a
 * rerun changes nothing; a changed source file rebuilds only its image and restarts only its
 * containers; update.yml after an API change rolls across the two hosts, one host at a time;
 * after a reboot of one VM its stack is active again (linger + [Install]); a container that
 * cannot start fails the quadlet task within 30 s with its journal lines in the message.
 *
 * <p><b>Real:</b> the hosts (Debian 13, podman 5.4 and its quadlet generator, rootless podman as
 * the deploy user, netavark/aardvark-dns, systemd --user under linger, a real reboot), SSH,
 * drover, the playbooks. <b>Stand-ins:</b> there is no registry here, so every image is a tiny
 * {@code FROM scratch} image with a static busybox, built on the hosts from source directories
 * this test writes on the controller (given as {@code vocalyx_source}): the four Vocalyx images
 * and, in place of the third-party images (postgres, redis, haproxy; {@code vocalyx_*_image}
 * pointed at them, added to {@code vocalyx_images} and {@code vocalyx_image_units}), three more of
 * the same kind. Each serves HTTP with {@code busybox nc -ll -e respond}: {@code ok INSTANCE} (and
 * the context's VERSION) on any path; the haproxy stand-in reads the mounted haproxy.cfg and
 * forwards the request to the first of its {@code server} lines that answers, over the podman
 * network by container name (so the health check through haproxy really reaches an API). The
 * quadlets' HealthCmd= commands ({@code python}, {@code pg_isready}, {@code redis-cli}) are
 * shell scripts that fetch the container's own port, and {@code redis-server} (the redis quadlet's
 * Exec=) starts the same server on 6379.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VocalyxLabTest {
    static final String USER = "ai-user";
    static final String VAULT_PASS = "inventory/example-vault-pass.txt";
    /** The Vocalyx images and the stand-ins of the third-party ones, as build contexts. */
    static final Map<String, String> PORTS = new LinkedHashMap<>();

    static {
        PORTS.put("api", "8000");
        PORTS.put("frontend", "8080");
        PORTS.put("transcribe", "9000");
        PORTS.put("enrichment", "9000");
        PORTS.put("postgres", "5432");
        PORTS.put("redis", "6379");
        PORTS.put("haproxy", "8000");
    }

    static final List<String> CONTAINERS = List.of("vocalyx-postgres", "vocalyx-redis", "vocalyx-api-01", "vocalyx-api-02",
            "vocalyx-haproxy", "vocalyx-frontend", "vocalyx-transcribe-01", "vocalyx-transcribe-02", "vocalyx-transcribe-03",
            "vocalyx-enrichment-01", "vocalyx-enrichment-02");
    static final List<String> UNITS = new ArrayList<>(List.of("vocalyx-network.service",
            "vocalyx-postgres-data-volume.service", "vocalyx-redis-data-volume.service"));

    static {
        CONTAINERS.forEach(c -> UNITS.add(c + ".service"));
    }

    static Lab lab;
    static Path work;
    static Path sources;
    static Path inventory;
    static Path vars;
    static final Map<String, Long> timings = new LinkedHashMap<>();
    /** Has the playbook the vocalyx_prerequisites role and the vocalyx_source variable yet? */
    static boolean prerequisitesRole;
    static boolean sourceVariable;
    static boolean deployed;

    @BeforeAll
    static void up() throws Exception {
        Lab.require();
        Requirements.require("a static busybox (apt-get install busybox-static)", VocalyxDeployTest.isStaticBusybox());
        prerequisitesRole = Files.isDirectory(Path.of("playbooks/roles/vocalyx_prerequisites"));
        sourceVariable = Files.readString(Path.of("playbooks/roles/vocalyx_common/defaults/main.yml")).contains("\nvocalyx_source:");
        work = Files.createTempDirectory("drover-vx-lab");
        sources = Files.createDirectories(work.resolve("vocalyx"));
        for (String img : PORTS.keySet()) {
            writeContext(img);
        }
        lab = Lab.boot(2);
        timings.putAll(lab.timings());
        // the group's settings and the example vault, next to this inventory
        Path gv = Files.createDirectories(work.resolve("group_vars/vocalyx"));
        for (String f : List.of("vars.yml", "vault.yml")) {
            Files.copy(Path.of("inventory/group_vars/vocalyx", f), gv.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        inventory = work.resolve("lab.ini");
        Files.writeString(inventory, lab.inventory("vocalyx", ""));
        vars = work.resolve("lab-vars.yml");
        Files.writeString(vars, """
                # the stand-ins of the third-party images, built from their sources like Vocalyx's
                vocalyx_images: [api, frontend, transcribe, enrichment, postgres, redis, haproxy]
                vocalyx_postgres_image: localhost/vocalyx-postgres:latest
                vocalyx_redis_image: localhost/vocalyx-redis:latest
                vocalyx_haproxy_image: localhost/vocalyx-haproxy:latest
                vocalyx_image_units:
                  api: "{{ vocalyx_api_units }}"
                  frontend: [vocalyx-frontend]
                  transcribe: "{{ vocalyx_transcribe_units }}"
                  enrichment: "{{ vocalyx_enrichment_units }}"
                  postgres: [vocalyx-postgres]
                  redis: [vocalyx-redis]
                  haproxy: [vocalyx-haproxy]
                # software emulation: the first start of a container takes a while
                vocalyx_health_retries: 60
                vocalyx_health_delay: 5
                # six containers created at once take more than systemd's 90 s here
                vocalyx_start_timeout: 600
                """ + (sourceVariable ? "vocalyx_source: " + sources + "\n" : ""));
        if (!prerequisitesRole) {
            // until the playbook installs them itself (vocalyx_prerequisites): what it must install
            long t0 = System.nanoTime();
            onEach(vm -> lab.sshOk(vm, "DEBIAN_FRONTEND=noninteractive apt-get -q update >/dev/null && "
                    + "DEBIAN_FRONTEND=noninteractive apt-get install -y -q podman nftables aardvark-dns netavark "
                    + "uidmap passt slirp4netns catatonit >/dev/null"));
            timings.put("podman installed by the test (no vocalyx_prerequisites role yet)", secondsSince(t0));
        }
        if (!sourceVariable) {
            pushSources();
        }
    }

    @AfterAll
    static void down() throws Exception {
        try {
            if (lab != null) {
                lab.close();
                timings.put("end the VMs", lab.timings().get("end the VMs"));
            }
        } finally {
            StringBuilder b = new StringBuilder("\n=== VocalyxLabTest timings (seconds)\n");
            timings.forEach((k, v) -> b.append(String.format("  %-60s %5d%n", k, v)));
            System.out.println(b);
            if (work != null) {
                new ProcessBuilder("rm", "-rf", work.toString()).start().waitFor();
            }
        }
    }

    // ------------------------------------------------------------------ the stand-in sources

    /**
     * GET http://HOST:PORT/PATH, printing the body of a 200 answer, with busybox {@code nc}: busybox's
     * {@code wget} dies with SIGSEGV in a FROM scratch image (a static glibc without its NSS
     * libraries, its port lookup; seen in the lab's podman health log, reproduced here in a chroot
     * holding only busybox), {@code nc} with a numeric port does not.
     */
    static final String GET = """
            #!/bin/sh
            hp=$1; path=$2; host=${hp%:*}; port=${hp##*:}
            r=$(printf 'GET %s HTTP/1.0\\r\\nHost: %s\\r\\n\\r\\n' "$path" "$host" | nc -w 5 "$host" "$port") || exit 1
            case "$r" in
              "HTTP/1."?" 200"*) printf '%s\\n' "$r" | sed '1,/^.\\{0,1\\}$/d' ;;
              *) exit 1 ;;
            esac
            """;

    static final String RESPOND = """
            #!/bin/sh
            # One HTTP request on stdin/stdout (busybox nc -ll -e): the stand-in server of every image.
            read -r method path proto
            while read -r h; do [ ${#h} -le 1 ] && break; done
            reply() { printf 'HTTP/1.0 %s\\r\\nContent-Type: text/plain\\r\\nConnection: close\\r\\n\\r\\n%s\\n' "$1" "$2"; exit 0; }
            cfg=/usr/local/etc/haproxy/haproxy.cfg
            if [ -f "$cfg" ]; then
              for b in $(sed -n 's/^ *server [^ ]* \\([^ ]*\\).*/\\1/p' "$cfg"); do
                out=$(get "$b" "$path" 2>/dev/null) && reply "200 OK" "haproxy stand-in -> $b: $out"
              done
              reply "503 Service Unavailable" "haproxy stand-in: no server of $cfg answered"
            fi
            . /etc/vocalyx-stand-in
            reply "200 OK" "ok ${INSTANCE_NAME:-$SERVICE} version $(cat /VERSION)"
            """;

    /**
     * One build context: a Containerfile of two instructions (each instruction is a commit, which
     * costs about 10 s under emulation) and a rootfs: busybox (also as /bin/sh), the server, the
     * health-command stand-ins, the port, the VERSION.
     */
    static void writeContext(String img) throws IOException {
        Path ctx = Files.createDirectories(sources.resolve("vocalyx-" + img));
        Path root = Files.createDirectories(ctx.resolve("rootfs"));
        Path bin = Files.createDirectories(root.resolve("bin"));
        Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(Path.of("/bin/busybox"), bin.resolve("sh"), StandardCopyOption.REPLACE_EXISTING);
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/vocalyx-stand-in"), "SERVICE=" + img + "\nPORT=" + PORTS.get(img) + "\n");
        Files.writeString(bin.resolve("respond"), RESPOND);
        // PID 1 of the container: a shell that ends on SIGTERM (podman stop) and the server it runs
        Files.writeString(bin.resolve("serve"), "#!/bin/sh\n. /etc/vocalyx-stand-in\ntrap 'exit 0' TERM INT\n"
                + "nc -ll -p \"$PORT\" -e /bin/respond &\nwait\n");
        Files.writeString(bin.resolve("get"), GET);
        Files.writeString(bin.resolve("check"), "#!/bin/sh\n# a health check: the container's own server answers\n"
                + ". /etc/vocalyx-stand-in\nget \"127.0.0.1:$PORT\" /health >/dev/null\n");
        switch (img) {
            case "api" -> Files.writeString(bin.resolve("python"), "#!/bin/sh\n# stands in for the quadlet's HealthCmd=python -c 'urllib...'\nexec check\n");
            case "postgres" -> Files.writeString(bin.resolve("pg_isready"), "#!/bin/sh\nexec check\n");
            case "redis" -> {
                Files.writeString(bin.resolve("redis-cli"), "#!/bin/sh\ncheck && echo PONG\n");
                Files.writeString(bin.resolve("redis-server"), "#!/bin/sh\n# the quadlet's Exec=redis-server --appendonly yes\nexec serve\n");
            }
            default -> {
            }
        }
        Files.writeString(root.resolve("VERSION"), "1\n");
        Files.writeString(ctx.resolve("Containerfile"), """
                # stand-in for vocalyx-%1$s: a static busybox serving HTTP on %2$s
                FROM scratch
                COPY --chmod=755 rootfs/ /
                CMD ["/bin/serve"]
                """.formatted(img, PORTS.get(img)));
    }

    /** Until the playbook copies vocalyx_source itself: the sources to /opt/vocalyx on each VM. */
    static void pushSources() throws Exception {
        onEach(vm -> {
            Process p = new ProcessBuilder("sh", "-c", "tar -C " + sources + " -cf - . | ssh -i " + lab.key()
                    + " -o UserKnownHostsFile=" + lab.knownHosts() + " -o BatchMode=yes -p " + vm.port()
                    + " root@127.0.0.1 'mkdir -p /opt/vocalyx && tar -C /opt/vocalyx -xf -'").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), out);
            return out;
        });
    }

    // ------------------------------------------------------------------ helpers

    interface VmTask {
        String run(Lab.Vm vm) throws Exception;
    }

    /** The task on both VMs at once; their outputs by VM name. */
    static Map<String, String> onEach(VmTask task) throws Exception {
        ExecutorService ex = Executors.newFixedThreadPool(lab.vms().size());
        try {
            Map<String, Future<String>> fs = new LinkedHashMap<>();
            for (Lab.Vm vm : lab.vms()) {
                fs.put(vm.name(), ex.submit((Callable<String>) () -> task.run(vm)));
            }
            Map<String, String> out = new TreeMap<>();
            for (var e : fs.entrySet()) {
                try {
                    out.put(e.getKey(), e.getValue().get(20, TimeUnit.MINUTES));
                } catch (java.util.concurrent.ExecutionException x) {
                    if (x.getCause() instanceof AssertionError a) {
                        throw a;
                    }
                    throw x;
                }
            }
            return out;
        } finally {
            ex.shutdownNow();
        }
    }

    static long secondsSince(long nanos) {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - nanos);
    }

    static DroverCli.Result playbook(String phase, String name, String... extra) {
        List<String> args = new ArrayList<>(List.of("run", "-v", "-i", inventory.toString(),
                "--vault-password-file", VAULT_PASS, "-e", "@" + vars));
        args.addAll(List.of(extra));
        args.add("playbooks/" + name);
        long t0 = System.nanoTime();
        DroverCli.Result r = DroverCli.run(args.toArray(String[]::new));
        timings.put(phase, secondsSince(t0));
        if (r.exit() != 0) {
            System.out.println("=== " + phase + " exited " + r.exit() + ": what the VMs say\n" + diagnostics());
        }
        VocalyxPlaybooksTest.SECRETS.forEach(s -> assertFalse(r.all().contains(s), "a secret value in the output\n" + r));
        return r;
    }

    /** Load, memory, the kernel's OOM/kill lines and sshd's last lines of each VM (after a failed run). */
    static String diagnostics() {
        StringBuilder b = new StringBuilder();
        for (Lab.Vm vm : lab.vms()) {
            try {
                b.append("--- ").append(vm.name()).append('\n').append(lab.sshOk(vm, "uptime; free -m;"
                        + " journalctl -k -b --no-pager | grep -i -E 'oom|killed process|segfault' | tail -20;"
                        + " journalctl -b -u ssh --no-pager -n 15; journalctl -b -p warning --no-pager -n 30"));
            } catch (Exception | AssertionError e) {
                b.append("--- ").append(vm.name()).append(": no answer: ").append(e.getMessage()).append('\n');
            }
        }
        return b.toString();
    }

    /** A shell script as the deploy user on the VM (root's ssh, then sudo to the user with its runtime dir). */
    static String asUser(Lab.Vm vm, String script) throws Exception {
        return lab.sshOk(vm, "cd / && sudo -u " + USER + " XDG_RUNTIME_DIR=/run/user/$(id -u " + USER + ") sh -c "
                + dev.drover.connection.ShellQuote.quote(script));
    }

    /** What --check must leave alone: packages, users, homes, /opt, linger, the user's files. */
    static String snapshot(Lab.Vm vm) throws Exception {
        return lab.sshOk(vm, "dpkg-query -W | md5sum; getent passwd " + USER + "; ls -la /home /opt /var/lib/systemd/linger 2>&1;"
                + " command -v podman || echo no podman; find /home /opt 2>/dev/null | md5sum");
    }

    /** "changed=N failed=M" of each host's recap line. */
    static Map<String, String> counts(DroverCli.Result r) {
        Map<String, String> m = new TreeMap<>();
        r.recap().forEach((h, line) -> {
            Matcher c = Pattern.compile("changed=(\\d+).*failed=(\\d+)").matcher(line);
            assertTrue(c.find(), line);
            m.put(h, "changed=" + c.group(1) + " failed=" + c.group(2));
        });
        return m;
    }

    /** ActiveEnterTimestampMonotonic of the 14 units (a restart changes it). */
    static Map<String, String> activeSince(Lab.Vm vm) throws Exception {
        String out = asUser(vm, "for u in " + String.join(" ", UNITS) + "; do echo \"$u $(systemctl --user show -P ActiveEnterTimestampMonotonic $u)\"; done");
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : out.strip().split("\n")) {
            String[] f = line.split(" ");
            m.put(f[0], f.length > 1 ? f[1] : "");
        }
        return m;
    }

    /** The image id of each of the seven images in the user's store. */
    static Map<String, String> imageIds(Lab.Vm vm) throws Exception {
        Map<String, String> m = new LinkedHashMap<>();
        for (String img : PORTS.keySet()) {
            m.put(img, asUser(vm, "podman image inspect --format '{{.Id}}' localhost/vocalyx-" + img + ":latest").strip());
        }
        return m;
    }

    /** All 14 units active, the 11 containers running, the API reachable through haproxy. */
    static void assertStackUp(Lab.Vm vm) throws Exception {
        String active = asUser(vm, "systemctl --user is-active " + String.join(" ", UNITS) + " || true");
        assertEquals(String.join("\n", java.util.Collections.nCopies(14, "active")), active.strip(), vm.name() + ": " + active);
        String ps = asUser(vm, "podman ps --format '{{.Names}} {{.Status}}'");
        for (String c : CONTAINERS) {
            assertTrue(Pattern.compile("(?m)^" + c + " Up").matcher(ps).find(), vm.name() + ": " + c + " not running:\n" + ps);
        }
        String health = lab.sshOk(vm, "curl -sS -m 20 http://127.0.0.1:8000/health");
        assertTrue(health.matches("(?s)haproxy stand-in -> vocalyx-api-0[12]:8000: ok api-0[12] version \\d+\\s*"),
                vm.name() + ": " + health);
    }

    static void assertTaskOk(DroverCli.Result r, String task, String host) {
        String out = r.out();
        int at = out.indexOf("TASK [" + task);
        assertTrue(at >= 0, "no task " + task + "\n" + r);
        int next = out.indexOf("TASK [", at + 1);
        String section = out.substring(at, next < 0 ? out.length() : next);
        assertTrue(section.contains("ok: [" + host + "]"), task + " not ok on " + host + ":\n" + section);
    }

    // ------------------------------------------------------------------ the suite

    @Test
    @Order(1)
    void fromBareServersToARunningStackOnTwoHosts() throws Exception {
        Lab.Vm lab1 = lab.vm("lab1");
        Lab.Vm lab2 = lab.vm("lab2");

        // 1. --check on the bare servers: nothing changes on either, the real run is forecast
        Map<String, String> before = onEach(VocalyxLabTest::snapshot);
        if (prerequisitesRole) {
            before.forEach((h, s) -> assertTrue(s.contains("no podman"), h + " is not bare:\n" + s));
        }
        before.forEach((h, s) -> assertFalse(s.contains(USER + ":x:"), h + " has " + USER));
        DroverCli.Result check = playbook("check (--check, 2 hosts)", "vocalyx.yml", "--check");
        assertEquals(0, check.exit(), check::toString);
        assertEquals(before, onEach(VocalyxLabTest::snapshot), "--check changed a VM\n" + check);

        // 2. the real run, both hosts in parallel: what the check forecast, the stack up on each
        DroverCli.Result real = playbook("first run (2 hosts in parallel)", "vocalyx.yml");
        assertEquals(0, real.exit(), real::toString);
        assertEquals(counts(check), counts(real), "the check's changed/failed counts are the real run's\n" + check + "\n" + real);
        for (String h : List.of("lab1", "lab2")) {
            assertTaskOk(real, "vocalyx_services : Health check of the API through haproxy", h);
            assertTaskOk(real, "vocalyx_services : Health check of the frontend", h);
            assertTrue(check.out().contains("skipping: [" + h + "]"), check::toString);
        }
        onEach(vm -> {
            assertStackUp(vm);
            return "";
        });
        deployed = true;
        Map<String, Map<String, String>> since = new TreeMap<>();
        for (Lab.Vm vm : lab.vms()) {
            since.put(vm.name(), activeSince(vm));
        }

        // 3. the rerun changes nothing and restarts nothing
        DroverCli.Result rerun = playbook("rerun", "vocalyx.yml");
        assertEquals(0, rerun.exit(), rerun::toString);
        rerun.recap().forEach((h, line) -> assertTrue(line.contains(" changed=0 "), h + ": " + line + "\n" + rerun));
        assertEquals(2, rerun.recap().size(), rerun::toString);
        for (Lab.Vm vm : lab.vms()) {
            assertEquals(since.get(vm.name()), activeSince(vm), vm.name() + ": the rerun restarted a unit");
        }

        // 4. one changed source file: only its image is rebuilt, only its containers restart
        Map<String, Map<String, String>> ids = new TreeMap<>();
        for (Lab.Vm vm : lab.vms()) {
            ids.put(vm.name(), imageIds(vm));
        }
        Files.writeString(sources.resolve("vocalyx-enrichment/rootfs/VERSION"), "2\n");
        if (!sourceVariable) {
            pushSources();
        }
        DroverCli.Result rebuild = playbook("rebuild after one source change", "vocalyx.yml");
        assertEquals(0, rebuild.exit(), rebuild::toString);
        for (Lab.Vm vm : lab.vms()) {
            Map<String, String> now = imageIds(vm);
            for (String img : PORTS.keySet()) {
                if (img.equals("enrichment")) {
                    assertNotEquals(ids.get(vm.name()).get(img), now.get(img), vm.name() + ": enrichment not rebuilt");
                } else {
                    assertEquals(ids.get(vm.name()).get(img), now.get(img), vm.name() + ": " + img + " rebuilt");
                }
            }
            Map<String, String> after = activeSince(vm);
            for (String u : UNITS) {
                if (u.startsWith("vocalyx-enrichment-")) {
                    assertNotEquals(since.get(vm.name()).get(u), after.get(u), vm.name() + ": " + u + " not restarted");
                } else {
                    assertEquals(since.get(vm.name()).get(u), after.get(u), vm.name() + ": " + u + " restarted\n" + rebuild);
                }
            }
            assertTrue(lab.sshOk(vm, "curl -sS -m 20 http://127.0.0.1:8000/health").contains("version 1"), "the API is unchanged");
            since.put(vm.name(), after);
        }

        // 5. update.yml after an API change: rebuilt on both, rolled one host at a time and, within
        // a host, one API at a time
        Files.writeString(sources.resolve("vocalyx-api/rootfs/VERSION"), "2\n");
        if (!sourceVariable) {
            pushSources();
        }
        DroverCli.Result update = playbook("update.yml (rolling, 2 hosts)", "update.yml");
        assertEquals(0, update.exit(), update::toString);
        assertOneHostAtATime(update);
        for (Lab.Vm vm : lab.vms()) {
            Map<String, String> after = activeSince(vm);
            for (String u : UNITS) {
                if (u.startsWith("vocalyx-api-")) {
                    assertNotEquals(since.get(vm.name()).get(u), after.get(u), vm.name() + ": " + u + " not restarted");
                } else {
                    assertEquals(since.get(vm.name()).get(u), after.get(u), vm.name() + ": " + u + " restarted\n" + update);
                }
            }
            assertTrue(Long.parseLong(after.get("vocalyx-api-01.service")) < Long.parseLong(after.get("vocalyx-api-02.service")),
                    vm.name() + ": the APIs were not restarted one after the other: " + after);
            String health = lab.sshOk(vm, "curl -sS -m 20 http://127.0.0.1:8000/health");
            assertTrue(health.contains("version 2"), vm.name() + ": the new API is not behind haproxy: " + health);
        }

        // 6. a reboot of lab2: its stack comes back by itself (linger + the quadlets' [Install])
        lab.reboot(lab2);
        timings.put("reboot lab2 until sshd", lab.timings().get("reboot lab2 until sshd"));
        long t0 = System.nanoTime();
        String state = "";
        while (secondsSince(t0) < 600) {
            state = asUser(lab2, "systemctl --user is-active " + String.join(" ", UNITS) + " || true");
            if (state.strip().equals(String.join("\n", java.util.Collections.nCopies(14, "active")))) {
                break;
            }
            Thread.sleep(5000);
        }
        timings.put("reboot lab2: sshd until the 14 units are active", secondsSince(t0));
        assertStackUp(lab2);
        assertTrue(lab.sshOk(lab2, "loginctl show-user " + USER + " -P Linger").contains("yes"));
        assertStackUp(lab1);
    }

    /** Every result line of update.yml's tasks for lab1 comes before the first for lab2 (or the other way). */
    static void assertOneHostAtATime(DroverCli.Result update) {
        List<String> hosts = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^(?:ok|changed|skipping|failed|fatal): \\[(lab\\d)\\]").matcher(update.out());
        while (m.find()) {
            hosts.add(m.group(1));
        }
        assertFalse(hosts.isEmpty(), update::toString);
        String first = hosts.get(0);
        int switched = 0;
        for (int i = 1; i < hosts.size(); i++) {
            if (!hosts.get(i).equals(hosts.get(i - 1))) {
                switched++;
            }
        }
        assertEquals(1, switched, "update.yml did not roll one host at a time (first " + first + "): " + hosts + "\n" + update);
    }

    @Test
    @Order(2)
    void aContainerThatCannotStartFailsTheQuadletTaskWithinSecondsWithItsJournal() throws Exception {
        if (!deployed) {
            fail("needs the stack deployed by the first test (the deploy user, its manager, the api image)");
        }
        Path play = work.resolve("broken.yml");
        Files.writeString(play, """
                - hosts: lab1
                  become: true
                  gather_facts: false
                  tasks:
                    - name: Start a container that cannot start
                      quadlet:
                        scope: user
                        state: started
                        wait_timeout: 600
                        files:
                          - name: vocalyx-broken.container
                            content: |
                              [Unit]
                              Description=A container whose program does not exist
                              [Container]
                              Image=localhost/vocalyx-api:latest
                              Exec=/bin/no-such-program-here
                              [Service]
                              Restart=on-failure
                      become_user: %s
                """.formatted(USER));
        long t0 = System.nanoTime();
        DroverCli.Result r = DroverCli.run("run", "-v", "-i", inventory.toString(), "--vault-password-file", VAULT_PASS,
                play.toString());
        long took = secondsSince(t0);
        timings.put("failing container: the quadlet task's failure", took);
        try {
            assertEquals(2, r.exit(), r::toString);
            // not the wait_timeout's 600 s: the failure as soon as systemd gives up the start. In the
            // emulated VM podman alone takes ≈ 20 s to fail the container (13 s of CPU, CI 2026-12-03:
            // 46 s in all with the connection), so the bound leaves room for a busy machine
            assertTrue(took <= 120, "the failure took " + took + " s (at most 120 s, the task waits up to 600 s)\n" + r);
            assertTrue(r.out().contains("no-such-program-here"), "the unit's journal lines are not in the message\n" + r);
        } finally {
            Lab.Vm lab1 = lab.vm("lab1");
            asUser(lab1, "systemctl --user stop vocalyx-broken.service; rm -f /home/" + USER + "/.config/containers/systemd/vocalyx-broken.container;"
                    + " systemctl --user daemon-reload; systemctl --user reset-failed");
        }
    }
}
