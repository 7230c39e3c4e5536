package dev.drover.connection;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.slf4j.LoggerFactory;

import dev.drover.testing.SshServerFixture;

/**
 * Not a timed test: a measurement, run on demand.
 * {@code mvn -B -q -o test -Dtest=LatencyProbe -Ddrover.latency=true}
 * prints per-command latency over a local shell and over SSH (fixture sshd on loopback).
 *
 * <p>Measured on the 2-core Debian 12 dev box, load average ≈ 7.7 (other builds running),
 * 200 commands each after 30 warm-up commands, one persistent shell:
 * <pre>
 * local : 'true'                           mean 0.83 ms, median 0.47 ms, p95 3.3 ms
 * local : 'echo hello'                     mean 5.3 ms,  median 4.1 ms,  p95 12 ms
 * local : 'echo out; echo err >&2; exit 3' mean 5.8 ms,  median 4.3 ms,  p95 13 ms
 * local : 'cat' with 1000 B stdin          mean 4.3 ms
 * ssh   : open (connect+auth) 260 ms, first shell (exec channel + handshake) 340 ms
 * ssh   : 'true'                           mean 1.1 ms,  median 0.74 ms, p95 3.1 ms
 * ssh   : 'echo hello'                     mean 7.8 ms,  median 7.7 ms,  p95 14 ms
 * ssh   : 'echo out; echo err >&2; exit 3' mean 9.6 ms,  median 8.6 ms,  p95 20 ms
 * ssh   : 'cat' with 1000 B stdin          mean 7.6 ms
 * </pre>
 * A command with no output costs one fork (the subshell); one with output also runs {@code wc}
 * and {@code cat} (≈ 2 ms per exec on this loaded box). Compare ≈ 180 ms per new exec channel.
 */
@EnabledIfSystemProperty(named = "drover.latency", matches = "true")
class LatencyProbe {

    static final int N = 200;

    @Test
    void measure() throws Exception {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.INFO);
        try (Connection local = Connections.open(ConnectionSpec.local("localhost"))) {
            report("local", local);
        }
        SshServerFixture sshd = SshServerFixture.shared();
        long t0 = System.nanoTime();
        try (Connection ssh = Connections.open(sshd.spec("web1", "127.0.0.1", System.getProperty("user.name")))) {
            long t1 = System.nanoTime();
            ssh.shell();
            long t2 = System.nanoTime();
            System.out.printf("ssh   : open (connect+auth) %.1f ms, first shell %.1f ms%n", (t1 - t0) / 1e6, (t2 - t1) / 1e6);
            report("ssh", ssh);
        }
    }

    private static void report(String name, Connection c) throws Exception {
        Shell s = c.shell();
        for (int i = 0; i < 30; i++) {
            s.run("true");
        }
        for (String script : new String[] {"true", "echo hello", "echo out; echo err >&2; exit 3"}) {
            double[] ms = new double[N];
            long all = System.nanoTime();
            for (int i = 0; i < N; i++) {
                long t = System.nanoTime();
                s.run(script);
                ms[i] = (System.nanoTime() - t) / 1e6;
            }
            double total = (System.nanoTime() - all) / 1e6;
            Arrays.sort(ms);
            System.out.printf("%-6s: %d x %-32s total %7.1f ms, mean %.2f ms, median %.2f ms, p95 %.2f ms%n", name, N,
                    "'" + script + "'", total, total / N, ms[N / 2], ms[(int) (N * 0.95)]);
        }
        byte[] in = new byte[1000];
        long t = System.nanoTime();
        for (int i = 0; i < N; i++) {
            s.run("cat >/dev/null", in, null);
        }
        System.out.printf("%-6s: %d x %-32s total %7.1f ms, mean %.2f ms%n", name, N, "'cat' with 1000 B stdin",
                (System.nanoTime() - t) / 1e6, (System.nanoTime() - t) / 1e6 / N);
    }
}
