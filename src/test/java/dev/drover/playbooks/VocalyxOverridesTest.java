package dev.drover.playbooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.drover.testing.DroverCli;
import dev.drover.testing.Requirements;
import dev.drover.yaml.YamlLoader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The variables of the Vocalyx playbooks as users give them: {@code -e name=value} on the command
 * line, which makes every value a string ({@code -e vocalyx_health_retries=60} once made
 * wait_for's timeout {@code "60" * 5 = "6060606060"}). The list of variables is read from
 * {@code playbooks/roles/vocalyx_common/defaults/main.yml}, so a new one is covered (or the test
 * says it is not):
 *
 * <ul>
 *   <li>every scalar default that is a plain value (not a template) given back as a string
 *       changes nothing: {@code vocalyx.yml --check --diff} prints exactly what it prints without
 *       them (a number used in arithmetic without {@code | int}, a boolean tested without
 *       {@code | bool}, changes the rendered quadlets or breaks the run);</li>
 *   <li>every scalar variable (templates included) given as a string with another value takes
 *       effect: each has its evidence in the output (a rendered quadlet line in the diff, a task
 *       result, the failure it must cause), or is one of {@link #NO_EVIDENCE} (given all the same,
 *       with the reason it cannot show here) or {@link #DERIVED};</li>
 *   <li>lists and dicts given as JSON ({@code -e '{"vocalyx_api_instances": ["01"]}'}) keep
 *       working;</li>
 *   <li>the health checks (skipped in check mode) run for real with string numbers, from the
 *       shipped {@code vocalyx_services} role against a stand-in HTTP server (no container runs
 *       on this machine: see {@link VocalyxDeployTest}), and wait_for's timeout is
 *       retries × delay seconds (under ansible-playbook too);</li>
 *   <li>the same under ansible-playbook 2.14, the reference, which is stricter than drover here
 *       (it makes {@code "8000" + 1} a type error where drover gives {@code "80001"}, and the
 *       string {@code "false"} true where drover takes it as false): the defaults' derived
 *       variables and the quadlet templates render the same with the defaults given as strings.</li>
 * </ul>
 *
 * <p>Real: drover's CLI, the shipped playbooks and roles unchanged, sudo, this machine as a fresh
 * host (a deploy user that does not exist; check mode touches nothing, as
 * {@link VocalyxPlaybooksTest} shows). Stand-ins: the build contexts (tiny {@code FROM scratch}
 * Containerfiles), the HTTP server in place of haproxy and the frontend, a generator script in
 * place of podman's quadlet generator (podman 4.3.1 here has none).
 */
class VocalyxOverridesTest {
    static final Path DEFAULTS = Path.of("playbooks/roles/vocalyx_common/defaults/main.yml");
    static final String LOCAL = "inventory/local.ini";
    static final String VAULT_PASS = "inventory/example-vault-pass.txt";
    static final String FRESH_USER = "drover-vxover";

    /** Derived from the other variables (templates over the instance lists and the roles' facts): not settings. */
    static final Map<String, String> DERIVED = Map.of(
            "vocalyx_api_units", "the units of vocalyx_api_instances",
            "vocalyx_transcribe_units", "the units of vocalyx_transcribe_instances",
            "vocalyx_enrichment_units", "the units of vocalyx_enrichment_instances",
            "vocalyx_containers", "the containers of the instance lists and vocalyx_flower_enabled",
            "vocalyx_quadlet_set", "the quadlet set from the instance lists (a YAML text read with from_yaml)",
            "vocalyx_restart_units", "from the facts the roles set in the run",
            "vocalyx_prerequisites_here", "this host's package list, from vocalyx_prerequisite_packages and the source's kind",
            "vocalyx_source_kind_here", "the kind of vocalyx_source in use, from its shape or vocalyx_source_kind");

    /** Given as strings in {@link #overrideCases()} all the same; their effect cannot show on a fresh host in check mode. */
    static final Map<String, String> NO_EVIDENCE = Map.of(
            "no_cache", "forces a rebuild of an image that is already built: a fresh host builds every image anyway",
            "vocalyx_quadlet_restart_changed", "restarts running units whose file changed: none runs on a fresh host",
            "vocalyx_flower_user", "part of a podman secret's value, which never reaches the output (no_log)",
            "vocalyx_subid_count", "the size of a range given to an existing user without one: a fresh host's new user gets its range from useradd");

    /** Read only by the health checks, which check mode skips: {@link #healthChecksTakeStringNumbers()} shows them. */
    static final Set<String> HEALTH_TEST = Set.of("vocalyx_health_retries", "vocalyx_health_delay");

    @TempDir
    Path tmp;
    Path project;

    @BeforeEach
    void sources() throws Exception {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        project = tmp.resolve("project");
        for (String img : List.of("api", "frontend", "transcribe", "enrichment")) {
            Path ctx = Files.createDirectories(project.resolve("vocalyx-" + img));
            Files.writeString(ctx.resolve("Containerfile"), "FROM scratch\nLABEL app=" + img + "\n");
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> defaults() throws Exception {
        return (Map<String, Object>) YamlLoader.loadData(DEFAULTS);
    }

    static boolean scalar(Object v) {
        return v == null || v instanceof String || v instanceof Number || v instanceof Boolean;
    }

    static boolean template(Object v) {
        return v instanceof String s && (s.contains("{{") || s.contains("{%"));
    }

    /** The base of every run here: a fresh deploy user, paths under the temp dir, no generator on this machine. */
    Map<String, String> base() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("vocalyx_user", FRESH_USER);
        m.put("vocalyx_user_home", tmp.resolve("home").toString());
        m.put("vocalyx_project_dir", project.toString());
        m.put("vocalyx_quadlet_validate", "false");
        // this machine's podman 4.3.1 stops vocalyx_prerequisites (VocalyxPrerequisitesTest)
        m.put("vocalyx_install_prerequisites", "false");
        return m;
    }

    static DroverCli.Result run(String playbook, Map<String, String> vars, String... extra) {
        List<String> args = new ArrayList<>(List.of("run", "-v", "--check", "--diff", "-i", LOCAL,
                "--vault-password-file", VAULT_PASS));
        vars.forEach((k, v) -> args.addAll(List.of("-e", k + "=" + v)));
        args.addAll(List.of(extra));
        args.add("playbooks/" + playbook);
        DroverCli.Result r = DroverCli.run(args.toArray(String[]::new));
        VocalyxPlaybooksTest.SECRETS.forEach(s -> assertFalse(r.all().contains(s), "a secret value in the output\n" + r));
        return r;
    }

    /**
     * The plain scalar defaults, each given back on the command line as a string: the check run's
     * whole output is the same as without them.
     */
    @Test
    void defaultsGivenAsStringsChangeNothing() throws Exception {
        Requirements.requireRoot();
        Requirements.requireSudo();
        assertFalse(VocalyxPlaybooksTest.userExists(FRESH_USER), "the test user must not exist");
        Map<String, String> asStrings = new LinkedHashMap<>();
        defaults().forEach((k, v) -> {
            if (scalar(v) && !template(v) && !base().containsKey(k)) {
                asStrings.put(k, v == null ? "" : v.toString());
            }
        });
        // the ones that were wrong: arithmetic and a truth test over a string
        assertTrue(asStrings.keySet().containsAll(List.of("vocalyx_health_retries", "vocalyx_health_delay",
                "vocalyx_api_direct_port_base", "vocalyx_flower_enabled", "vocalyx_quadlet_wait_timeout")), asStrings::toString);

        DroverCli.Result plain = run("vocalyx.yml", base());
        assertEquals(0, plain.exit(), plain::toString);
        Map<String, String> all = new LinkedHashMap<>(base());
        all.putAll(asStrings);
        DroverCli.Result strings = run("vocalyx.yml", all);
        assertEquals(0, strings.exit(), strings::toString);
        assertEquals(plain.out(), strings.out(), "the defaults given as strings changed the run: " + asStrings);
        assertTrue(plain.out().contains("+PublishPort=127.0.0.1:8001:8000"), plain::toString);
        // each number alone as a string, the others as the defaults have them (numbers): what
        // breaks is arithmetic between a string and a number ("60" * 5 = "6060606060")
        for (String k : asStrings.keySet()) {
            if (defaults().get(k) instanceof Number) {
                Map<String, String> one = new LinkedHashMap<>(base());
                one.put(k, asStrings.get(k));
                DroverCli.Result alone = run("vocalyx.yml", one);
                assertEquals(0, alone.exit(), k + " alone as a string\n" + alone);
                assertEquals(plain.out(), alone.out(), k + "=" + asStrings.get(k) + " (a string) changed the run");
            }
        }
        assertFalse(VocalyxPlaybooksTest.userExists(FRESH_USER), "check mode created the user");
    }

    /**
     * The reference semantics: ansible-playbook 2.14 (where {@code "8000" + 1} and {@code "30" * "5"}
     * are type errors and the string {@code "false"} is true) renders the shipped defaults'
     * derived variables and every quadlet template (and haproxy.cfg) the same with the plain
     * scalar defaults given back as strings as without them. A wrapper playbook in the temp dir
     * applies the shipped {@code vocalyx_common} role (its defaults) and renders the shipped
     * templates with {@code lookup('template')} (ansible-playbook cannot run vocalyx.yml itself:
     * drover's own linger and quadlet modules).
     */
    @Test
    void underAnsibleTheDefaultsAsStringsRenderTheSame() throws Exception {
        Requirements.require("ansible-playbook (apt-get install ansible-core)", DroverCli.hasAnsible());
        Path dir = Files.createDirectories(tmp.resolve("render"));
        Files.createSymbolicLink(dir.resolve("roles"), Path.of("playbooks/roles").toAbsolutePath());
        Files.writeString(dir.resolve("render.yml"), """
                - name: The Vocalyx defaults and quadlet templates, rendered (wrapper of the shipped role and templates)
                  hosts: vocalyx
                  gather_facts: false
                  roles:
                    - vocalyx_common
                  tasks:
                    - name: The derived variables
                      debug:
                        msg: "{{ {'containers': vocalyx_containers, 'api_units': vocalyx_api_units, 'image_units': vocalyx_image_units, 'restart_units': vocalyx_restart_units, 'quadlet_set': vocalyx_quadlet_set | from_yaml} }}"
                    - name: The quadlets and haproxy.cfg
                      debug:
                        msg: "{{ lookup('template', playbook_dir ~ '/roles/vocalyx_quadlets/templates/' ~ item.template, template_vars={'instance': (item.vars | default({})).instance | default('')}) }}"
                      loop: "{{ vocalyx_quadlet_set | from_yaml + [{'template': 'haproxy.cfg.j2'}] }}"
                """);
        List<String> base = List.of("-i", Path.of(LOCAL).toAbsolutePath().toString(),
                "--vault-password-file", Path.of(VAULT_PASS).toAbsolutePath().toString());
        List<String> plainArgs = new ArrayList<>(base);
        plainArgs.add("render.yml");
        DroverCli.Result plain = DroverCli.ansible(dir, plainArgs.toArray(String[]::new));
        assertEquals(0, plain.exit(), plain::toString);
        assertTrue(plain.out().contains("PublishPort=127.0.0.1:8002:8000"), plain::toString);
        List<String> args = new ArrayList<>(base);
        defaults().forEach((k, v) -> {
            if (scalar(v) && !template(v)) {
                args.addAll(List.of("-e", k + "=" + (v == null ? "" : v)));
            }
        });
        args.add("render.yml");
        DroverCli.Result strings = DroverCli.ansible(dir, args.toArray(String[]::new));
        assertEquals(0, strings.exit(), strings::toString);
        assertEquals(plain.out(), strings.out(), "under ansible-playbook, the defaults given as strings changed the rendering");
    }

    /** One run: its overrides (all given as {@code -e name=value}), its exit code, the evidence of each override. */
    record Case(String playbook, Map<String, String> overrides, int exit, Map<String, List<String>> evidence,
            List<String> absent) {
    }

    static final class CaseBuilder {
        final String playbook;
        final Map<String, String> overrides = new LinkedHashMap<>();
        final Map<String, List<String>> evidence = new LinkedHashMap<>();
        final List<String> absent = new ArrayList<>();
        int exit = 0;

        CaseBuilder(String playbook) {
            this.playbook = playbook;
        }

        CaseBuilder e(String name, String value, String... shows) {
            overrides.put(name, value);
            evidence.put(name, List.of(shows));
            return this;
        }

        CaseBuilder exit(int code) {
            exit = code;
            return this;
        }

        CaseBuilder absent(String s) {
            absent.add(s);
            return this;
        }

        Case build() {
            return new Case(playbook, overrides, exit, evidence, absent);
        }
    }

    static String git(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("git"));
        if (dir != null) {
            cmd.addAll(List.of("-C", dir.toString()));
        }
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), cmd + ": " + out);
        return out;
    }

    List<Case> overrideCases() throws Exception {
        Path home = tmp.resolve("home-over");
        Path data = tmp.resolve("data-over");
        Path config = tmp.resolve("config-over");
        Path quadlets = tmp.resolve("quadlets-over");
        Path generator = tmp.resolve("generator-standin");
        Files.writeString(generator, "#!/bin/sh\necho 'generator stand-in: rejected by the test' >&2\nexit 1\n");
        Files.setPosixFilePermissions(generator, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<Case> cases = new ArrayList<>();
        cases.add(new CaseBuilder("vocalyx.yml")
                .e("vocalyx_user", FRESH_USER, "TASK [vocalyx_user : Create the deploy user " + FRESH_USER + "]")
                .e("vocalyx_user_home", home.toString(), "\"home\": \"" + home + "\"")
                .e("vocalyx_user_shell", "/bin/sh", "\"shell\": \"/bin/sh\"")
                .e("vocalyx_project_dir", project.toString(), "all 4 build contexts are in " + project)
                .e("vocalyx_data_dir", data.toString(), "+Volume=" + data + "/uploads:/app/uploads:Z")
                .e("vocalyx_config_dir", config.toString(), "+++ " + config + "/haproxy.cfg",
                        "+Volume=" + config + "/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro,Z")
                .e("vocalyx_quadlet_dir", quadlets.toString(), "+++ " + quadlets + "/vocalyx.network")
                .e("vocalyx_quadlet_validate", "false") // without a generator on this machine; see the next cases
                .e("image_tag", "v2.7", "Build the Vocalyx images (v2.7)", "+Image=localhost/vocalyx-api:v2.7")
                .e("no_cache", "true")
                .e("push", "true", "Pushed image vocalyx-api:v2.7 to reg.example:5000/vx/vocalyx-api:v2.7")
                .e("registry", "reg.example:5000/vx", "to reg.example:5000/vx/vocalyx-frontend:v2.7")
                .e("vocalyx_postgres_image", "reg.example/pg:15", "+Image=reg.example/pg:15")
                .e("vocalyx_redis_image", "reg.example/redis:6", "+Image=reg.example/redis:6")
                .e("vocalyx_haproxy_image", "reg.example/haproxy:2", "+Image=reg.example/haproxy:2")
                .e("vocalyx_flower_image", "reg.example/flower:1", "+Image=reg.example/flower:1")
                .e("vocalyx_flower_enabled", "true", "+++ " + quadlets + "/vocalyx-flower.container")
                .e("vocalyx_flower_port", "5600", "+PublishPort=127.0.0.1:5600:5555")
                .e("vocalyx_api_port", "8100", "+PublishPort=8100:8000",
                        "Wait for haproxy to accept connections on port 8100")
                .e("vocalyx_api_direct_port_base", "8200", "+PublishPort=127.0.0.1:8201:8000",
                        "+PublishPort=127.0.0.1:8202:8000")
                .e("vocalyx_frontend_port", "8180", "+PublishPort=8180:8080")
                .e("vocalyx_health_path", "/healthz", "+    option httpchk GET /healthz",
                        "urlopen('http://127.0.0.1:8000/healthz')")
                .e("vocalyx_health_retries", "3") // real in healthChecksTakeStringNumbers; here: the run does not break
                .e("vocalyx_health_delay", "2")
                .e("vocalyx_start_timeout", "600", "+TimeoutStartSec=600")
                .e("vocalyx_db_name", "vxdb", "+Environment=POSTGRES_DB=vxdb", "+HealthCmd=pg_isready -U vxuser -d vxdb")
                .e("vocalyx_db_user", "vxuser", "+Environment=POSTGRES_USER=vxuser")
                .e("vocalyx_log_level", "debug", "+Environment=LOG_LEVEL=debug")
                .e("vocalyx_whisper_model", "tiny", "+Environment=WHISPER_MODEL=tiny")
                .e("vocalyx_flower_user", "ops")
                .e("vocalyx_quadlet_restart_changed", "false")
                .absent("+++ " + home + "/.config/containers/systemd/")
                .build());
        // health checks off as a string: skipped by their condition, not only by check mode
        cases.add(new CaseBuilder("vocalyx.yml")
                .e("vocalyx_health_check", "false", "Conditional result was False")
                .absent("remote module (wait_for) does not support check mode")
                .absent("remote module (ansible.legacy.uri) does not support check mode")
                .build());
        // a registry login: the images task hides its result (no_log) and the password never shows
        cases.add(new CaseBuilder("vocalyx.yml")
                .e("registry_username", "bob", "the output has been hidden due to the fact that 'no_log: true'")
                .e("registry_password", "pw-override-0123", "the output has been hidden due to the fact that 'no_log: true'")
                .e("push", "true")
                .e("registry", "reg.example:5000/vx")
                // and a number the quadlet module checks: it arrives as 0, not as "0" nor the default
                .e("vocalyx_quadlet_wait_timeout", "0", "wait_timeout must be a positive number of seconds, got 0")
                .absent("pw-override-0123")
                .exit(2).build());
        // validation on (a string), with the generator given: the generator's verdict fails the task
        cases.add(new CaseBuilder("vocalyx.yml")
                .e("vocalyx_quadlet_validate", "true", "generator stand-in: rejected by the test")
                .e("vocalyx_quadlet_generator", generator.toString(), "generator stand-in: rejected by the test")
                .exit(2).build());
        // the prerequisites on (a string), with a minimum this machine's podman 4.3.1 meets: checked, forecast
        cases.add(new CaseBuilder("vocalyx.yml")
                .e("vocalyx_install_prerequisites", "true", "TASK [vocalyx_prerequisites : Find the prerequisites that are not installed yet]")
                .e("vocalyx_podman_min_version", "4.3", "(installed) >= 4.3")
                .e("vocalyx_subid_count", "1000")
                .build());
        // the sources from a directory of the controller (the kind named), into another project directory
        Path copied = tmp.resolve("project-copied");
        cases.add(new CaseBuilder("vocalyx.yml")
                .e("vocalyx_source", project.toString(), "TASK [vocalyx_sources : Copy the sources from the controller's directory into " + copied + "]")
                .e("vocalyx_source_kind", "directory", "changed: [localhost]")
                .e("vocalyx_project_dir", copied.toString(), "all 4 build contexts are in " + copied)
                .build());
        // a release archive by URL, downloaded into vocalyx_source_download_dir
        Path downloads = tmp.resolve("downloads");
        cases.add(new CaseBuilder("vocalyx.yml")
                .e("vocalyx_source", "http://127.0.0.1:9/vocalyx-1.0.tar.gz", "TASK [vocalyx_sources : Download the release archive]")
                .e("vocalyx_source_download_dir", downloads.toString(), "\"dest\": \"" + downloads + "/vocalyx-1.0.tar.gz\"")
                .exit(2).build()); // get_url asks the server in check mode too: nobody listens on port 9
        // a git repository (file://) at a tag: the forecast names the tag's commit
        Path repo = tmp.resolve("vocalyx.git");
        git(null, "init", "-q", repo.toString());
        Files.writeString(repo.resolve("README"), "v1\n");
        git(repo, "add", "README");
        git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "v1");
        git(repo, "tag", "v1.0");
        String v1 = git(repo, "rev-parse", "v1.0").strip();
        Files.writeString(repo.resolve("README"), "v2\n");
        git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qam", "v2");
        cases.add(new CaseBuilder("vocalyx.yml")
                .e("vocalyx_source", "file://" + repo, "TASK [vocalyx_sources : Check out the git source at vocalyx_source_version")
                .e("vocalyx_source_version", "v1.0", v1)
                .build());
        // vocalyx.yml with the guard of update.yml on (a string): it stops on a fresh host
        cases.add(new CaseBuilder("vocalyx.yml")
                .e("vocalyx_require_deployed", "true",
                        FRESH_USER + " does not exist on this host: deploy first with playbooks/vocalyx.yml")
                .exit(2).build());
        return cases;
    }

    /**
     * Every scalar variable of defaults/main.yml given as a string with a value other than its
     * default takes effect (its evidence is in the output) and breaks nothing it should not.
     */
    @Test
    void everyOverrideGivenAsAStringTakesEffect() throws Exception {
        Requirements.requireRoot();
        Requirements.requireSudo();
        assertFalse(VocalyxPlaybooksTest.userExists(FRESH_USER), "the test user must not exist");
        Map<String, Object> defaults = defaults();
        List<Case> cases = overrideCases();

        // coverage: every scalar variable is overridden in a case (or derived); nothing unknown
        Set<String> given = new LinkedHashSet<>();
        cases.forEach(c -> given.addAll(c.overrides().keySet()));
        Set<String> missing = new TreeSet<>();
        defaults.forEach((k, v) -> {
            if (scalar(v) && !given.contains(k) && !DERIVED.containsKey(k)) {
                missing.add(k);
            }
        });
        assertEquals(Set.of(), missing, "variables of " + DEFAULTS + " without an override here: add them to overrideCases()");
        assertTrue(defaults.keySet().containsAll(given), "overrides of variables that are not in " + DEFAULTS);
        assertTrue(defaults.keySet().containsAll(DERIVED.keySet()) && defaults.keySet().containsAll(NO_EVIDENCE.keySet()));

        Set<String> unproven = new TreeSet<>(given);
        cases.forEach(c -> c.evidence().forEach((k, shows) -> {
            if (!shows.isEmpty()) {
                unproven.remove(k);
            }
        }));
        unproven.removeAll(NO_EVIDENCE.keySet());
        unproven.removeAll(HEALTH_TEST);
        assertEquals(Set.of(), unproven, "overrides without evidence in any case (or add them to NO_EVIDENCE with why)");

        for (Case c : cases) {
            Map<String, String> vars = new LinkedHashMap<>(base());
            vars.putAll(c.overrides());
            DroverCli.Result r = run(c.playbook(), vars);
            String label = c.overrides().keySet() + "\n" + r;
            assertEquals(c.exit(), r.exit(), label);
            assertFalse(r.all().contains("undefined"), label);
            c.overrides().forEach((k, v) -> {
                Object def = defaults.get(k);
                if (!base().containsKey(k)) {
                    assertNotEquals(String.valueOf(def), v, k + ": an override must differ from the default");
                }
                for (String s : c.evidence().get(k)) {
                    assertTrue(r.out().contains(s), k + "=" + v + " did not take effect: no «" + s + "» in\n" + r);
                }
            });
            for (String s : c.absent()) {
                assertFalse(r.all().contains(s), "«" + s + "» in\n" + r);
            }
        }
        assertFalse(VocalyxPlaybooksTest.userExists(FRESH_USER), "check mode created the user");
    }

    /**
     * Lists and dicts given as JSON on the command line: one API instance, one worker of each
     * kind, one unit's limits.
     */
    @Test
    void listsAndDictsGivenAsJsonKeepWorking() throws Exception {
        Requirements.requireRoot();
        Requirements.requireSudo();
        DroverCli.Result r = run("vocalyx.yml", base(), "-e",
                "{\"vocalyx_api_instances\": [\"01\"], \"vocalyx_transcribe_instances\": [\"07\"],"
                        + " \"vocalyx_enrichment_instances\": [\"01\"],"
                        + " \"vocalyx_unit_limits\": {\"vocalyx-transcribe-07\": {\"memory\": \"6g\"}}}");
        assertEquals(0, r.exit(), r::toString);
        String q = tmp.resolve("home/.config/containers/systemd").toString();
        String out = r.out();
        assertTrue(out.contains("+++ " + q + "/vocalyx-api-01.container"), out);
        assertFalse(out.contains("+++ " + q + "/vocalyx-api-02.container"), out);
        assertTrue(out.contains("+++ " + q + "/vocalyx-transcribe-07.container"), out);
        assertFalse(out.contains("+++ " + q + "/vocalyx-transcribe-01.container"), out);
        assertFalse(out.contains("+++ " + q + "/vocalyx-enrichment-02.container"), out);
        assertTrue(out.contains("+    server api-01 vocalyx-api-01:8000 check"), out);
        assertFalse(out.contains("server api-02"), out);
        assertTrue(out.contains("+Wants=vocalyx-api-01.service\n"), out);
        assertTrue(out.contains("+PodmanArgs=--memory=6g --cpus=2.0"), out);
        assertTrue(Pattern.compile("\"started\": \\[[^\\]]*\"vocalyx-transcribe-07.service\"").matcher(out).find(), out);
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * The health checks of the shipped {@code vocalyx_services} role, for real, with every number
     * and boolean they read given as a string: a wrapper playbook in the temp dir applies the
     * shipped roles {@code vocalyx_common} and {@code vocalyx_services} (through a {@code roles}
     * link to {@code playbooks/roles}) to localhost. Nothing listens on the API port: wait_for
     * fails after retries × delay = 2 s (not 2 × 5 nor "2" * 1). Then a stand-in HTTP server (in
     * place of haproxy and the frontend) answers 503 twice and then 200 on each: both checks pass
     * on the third attempt, about delay = 1 s apart.
     */
    @Test
    void healthChecksTakeStringNumbers() throws Exception {
        Requirements.requireRoot();
        Path dir = Files.createDirectories(tmp.resolve("health"));
        Files.createSymbolicLink(dir.resolve("roles"), Path.of("playbooks/roles").toAbsolutePath());
        Files.writeString(dir.resolve("health.yml"), """
                - name: The health checks of vocalyx_services (wrapper of the shipped roles)
                  hosts: vocalyx
                  gather_facts: false
                  vars:
                    vocalyx_quadlet_done: []
                  roles:
                    - vocalyx_common
                    - vocalyx_services
                """);
        int api = freePort();
        int front = freePort();
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("vocalyx_health_check", "true");
        vars.put("vocalyx_health_retries", "2");
        vars.put("vocalyx_health_delay", "1");
        vars.put("vocalyx_api_port", String.valueOf(api));
        vars.put("vocalyx_frontend_port", String.valueOf(front));
        vars.put("vocalyx_health_path", "/hz");

        if (DroverCli.hasAnsible()) {
            // the reference: ansible-playbook 2.14 on the same wrapper (there "2" * "1" is a type error)
            List<String> args = new ArrayList<>(List.of("-i", Path.of(LOCAL).toAbsolutePath().toString(),
                    "--vault-password-file", Path.of(VAULT_PASS).toAbsolutePath().toString()));
            vars.forEach((k, v) -> args.addAll(List.of("-e", k + "=" + v)));
            args.add("health.yml");
            DroverCli.Result ref = DroverCli.ansible(dir, args.toArray(String[]::new));
            assertEquals(2, ref.exit(), ref::toString);
            assertTrue(ref.out().contains("\"elapsed\": 2, \"msg\": \"Timeout when waiting for 127.0.0.1:" + api + "\""),
                    ref::toString);
        }
        long t0 = System.nanoTime();
        DroverCli.Result down = health(dir, vars);
        long took = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(2, down.exit(), down::toString);
        assertTrue(down.out().contains("\"elapsed\": 2, \"msg\": \"Timeout when waiting for 127.0.0.1:" + api + "\""), down::toString);
        assertTrue(took < 100_000, "the defaults would wait 30 × 5 s: the run took " + took + " ms\n" + down);

        List<long[]> hits = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", api), 8);
        HttpServer frontend = HttpServer.create(new InetSocketAddress("127.0.0.1", front), 8);
        for (HttpServer s : List.of(server, frontend)) {
            AtomicInteger n = new AtomicInteger();
            int port = s == server ? api : front;
            s.createContext("/", ex -> {
                hits.add(new long[] {port, System.nanoTime() / 1_000_000, ex.getRequestURI().getPath().equals("/hz") ? 1 : 0});
                int code = n.incrementAndGet() < 3 ? 503 : 200;
                ex.sendResponseHeaders(code, -1);
                ex.close();
            });
            s.start();
        }
        try {
            vars.put("vocalyx_health_retries", "4");
            DroverCli.Result up = health(dir, vars);
            assertEquals(0, up.exit(), up::toString);
            assertEquals(2, Pattern.compile("\"attempts\": 3,").matcher(up.out()).results().count(), up::toString);
            assertTrue(up.out().contains("Health check of the API through haproxy (4 retries left)"), up::toString);
            List<long[]> apiHits = hits.stream().filter(h -> h[0] == api).toList();
            assertEquals(3, apiHits.size(), "the API's health URL was asked 3 times");
            assertTrue(apiHits.stream().allMatch(h -> h[2] == 1), "the health path is /hz");
            for (int i = 1; i < apiHits.size(); i++) {
                long gap = apiHits.get(i)[1] - apiHits.get(i - 1)[1];
                assertTrue(gap >= 900 && gap < 4000, "retries are delay = 1 s apart, not " + gap + " ms");
            }
            assertEquals(3, hits.stream().filter(h -> h[0] == front).count(), "the frontend was asked 3 times");
        } finally {
            server.stop(0);
            frontend.stop(0);
        }
    }

    static DroverCli.Result health(Path dir, Map<String, String> vars) {
        List<String> args = new ArrayList<>(List.of("run", "-v", "-i", LOCAL, "--vault-password-file", VAULT_PASS));
        vars.forEach((k, v) -> args.addAll(List.of("-e", k + "=" + v)));
        args.add(dir.resolve("health.yml").toString());
        return DroverCli.run(args.toArray(String[]::new));
    }
}
