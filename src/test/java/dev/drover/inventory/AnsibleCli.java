package dev.drover.inventory;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.drover.yaml.YamlLoader;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real ansible-inventory / ansible commands for parity tests. Skips the calling test when
 * they are not installed, except under CI=true where that is a failure.
 */
final class AnsibleCli {
    private AnsibleCli() {
    }

    private static Boolean available;

    static synchronized void requireAnsible() {
        if (available == null) {
            try {
                Process p = new ProcessBuilder("ansible-inventory", "--version").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                available = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException | InterruptedException e) {
                available = false;
            }
        }
        if (!available && "true".equals(System.getenv("CI"))) {
            fail("ansible-inventory is not installed but CI=true: parity tests must run in CI");
        }
        assumeTrue(available, "ansible-inventory not installed");
    }

    static String run(Path cwd, String... cmd) {
        return runSeeded(cwd, "0", cmd);
    }

    static String runSeeded(Path cwd, String hashSeed, String... cmd) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
            pb.environment().put("PYTHONHASHSEED", hashSeed);
            pb.environment().put("ANSIBLE_NOCOLOR", "1");
            pb.environment().put("ANSIBLE_LOCALHOST_WARNING", "false");
            pb.environment().put("ANSIBLE_INVENTORY_UNPARSED_WARNING", "false");
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("timed out: " + String.join(" ", cmd));
            }
            return out;
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** {@code ansible-inventory -i source --list} as data. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> list(Path cwd, String source, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ansible-inventory", "-i", source, "--list"));
        cmd.addAll(List.of(extra));
        return (Map<String, Object>) YamlLoader.loadData(run(cwd, cmd.toArray(String[]::new)), "ansible-inventory");
    }

    /** {@code ansible -i source PATTERN --list-hosts} as host names. */
    static List<String> listHosts(Path cwd, String source, String pattern, String hashSeed) {
        String out = runSeeded(cwd, hashSeed, "ansible", "-i", source, pattern, "--list-hosts");
        List<String> hosts = new ArrayList<>();
        boolean started = false;
        for (String line : out.split("\n")) {
            if (line.strip().startsWith("hosts (")) {
                started = true;
            } else if (started && !line.isBlank()) {
                hosts.add(line.strip());
            }
        }
        return hosts;
    }

    /** Makes numbers comparable across Integer/Long/BigInteger/Double as JSON does. */
    static Object normalize(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), normalize(v)));
            return out;
        }
        if (o instanceof List<?> l) {
            return l.stream().map(AnsibleCli::normalize).toList();
        }
        if (o instanceof Integer || o instanceof Long) {
            return BigInteger.valueOf(((Number) o).longValue());
        }
        if (o instanceof Double d) {
            return BigDecimal.valueOf(d).stripTrailingZeros();
        }
        return o;
    }
}
