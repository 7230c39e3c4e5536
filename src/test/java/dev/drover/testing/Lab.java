package dev.drover.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The lab of real Debian 13 hosts ({@code lab/debian13-vm.sh}): qemu VMs with systemd as PID 1,
 * logind and sshd on a 127.0.0.1 port forward, root reachable with the lab's key. Bare servers (no
 * podman). {@link #boot} builds the image when this machine has none (once per machine, cached in
 * {@code /var/cache/drover-lab}), boots N copies in parallel and waits for their sshd; {@link #close}
 * kills them (their disks are throw-away copies), as a JVM shutdown hook does when the test run dies first.
 *
 * <p>KVM does not work in CI's sandbox: the VMs run under software emulation (TCG), so each step
 * in a guest is slow (see NOTES.md, "Real hosts: Debian 13 VMs"). Share one lab per test class.
 */
public final class Lab implements AutoCloseable {
    public static final Path SCRIPT = Path.of("lab/debian13-vm.sh").toAbsolutePath();

    /** One VM: its inventory name and its sshd port on 127.0.0.1. */
    public record Vm(String name, int port) {
    }

    /** A command's exit code and its output (stdout and stderr together). */
    public record Result(int exit, String out) {
    }

    private final Path dir;
    private final List<Vm> vms;
    private final Path key;
    private final Map<String, Long> timings = new LinkedHashMap<>();
    private final Thread hook;

    private Lab(Path dir, List<Vm> vms, Path key, Thread hook) {
        this.dir = dir;
        this.vms = vms;
        this.key = key;
        this.hook = hook;
    }

    /**
     * The lab suites run under {@code CI=true} (where a missing package fails them) and when asked
     * ({@code -Dlab=true} or {@code DROVER_LAB=1}); on a developer's machine they skip with a
     * message, since under emulation they take ≈ 25 min. {@code -Dlab=false} leaves them out
     * even in CI.
     */
    public static boolean enabled() {
        if ("false".equals(System.getProperty("lab"))) {
            return false;
        }
        return Boolean.getBoolean("lab") || "1".equals(System.getenv("DROVER_LAB")) || "true".equals(System.getenv("CI"));
    }

    public static void require() {
        org.junit.jupiter.api.Assumptions.assumeTrue(enabled(),
                "the lab of Debian 13 VMs runs with -Dlab=true or CI=true (≈ 25 min under emulation; see README, Deploy Vocalyx)");
        Requirements.requireRoot();
        Requirements.require("qemu-system-x86_64 (apt-get install qemu-system-x86)", onPath("qemu-system-x86_64"));
        Requirements.require("debootstrap (apt-get install debootstrap)", onPath("debootstrap"));
        Requirements.require("mkfs.ext4 with -d (apt-get install e2fsprogs)", onPath("mkfs.ext4"));
        Requirements.require("ssh and ssh-keyscan (apt-get install openssh-client)", onPath("ssh-keyscan") && onPath("ssh"));
        Requirements.require("the lab script " + SCRIPT, Files.isExecutable(SCRIPT));
    }

    static boolean onPath(String cmd) {
        for (String d : List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin")) {
            if (Files.isExecutable(Path.of(d, cmd))) {
                return true;
            }
        }
        return false;
    }

    /** Builds the image if needed and boots {@code n} VMs (lab1..labN) in parallel. */
    public static Lab boot(int n) throws IOException, InterruptedException {
        require();
        Map<String, Long> t = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        Result image = script(List.of("image"), 1800);
        if (image.exit() != 0) {
            throw new IllegalStateException("lab image build failed:\n" + image.out());
        }
        t.put("image (0 when cached)", secondsSince(t0));
        Path dir = Files.createTempDirectory("drover-lab");
        Thread hook = new Thread(() -> {
            try {
                script(List.of("kill", dir.toString()), 60);
            } catch (Exception e) {
                // the JVM is going away: nothing more to do
            }
        }, "drover-lab-kill");
        Runtime.getRuntime().addShutdownHook(hook);
        long t1 = System.nanoTime();
        Result boot = script(List.of("boot", String.valueOf(n), dir.toString()), 900);
        if (boot.exit() != 0) {
            script(List.of("kill", dir.toString()), 60);
            throw new IllegalStateException("lab boot failed:\n" + boot.out() + consoles(dir));
        }
        t.put("boot " + n + " VMs until sshd", secondsSince(t1));
        List<Vm> vms = new ArrayList<>();
        for (String line : boot.out().split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length == 2 && f[0].matches("lab\\d+") && f[1].matches("\\d+")) {
                vms.add(new Vm(f[0], Integer.parseInt(f[1])));
            }
        }
        if (vms.size() != n) {
            throw new IllegalStateException("lab boot printed " + vms.size() + " VMs, not " + n + ":\n" + boot.out());
        }
        Path key = Path.of(script(List.of("key"), 30).out().strip());
        Lab lab = new Lab(dir, vms, key, hook);
        lab.timings.putAll(t);
        return lab;
    }

    static long secondsSince(long nanos) {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - nanos);
    }

    static String consoles(Path dir) {
        StringBuilder b = new StringBuilder();
        try (var s = Files.list(dir)) {
            for (Path vm : s.filter(Files::isDirectory).sorted().toList()) {
                Path log = vm.resolve("console.log");
                if (Files.exists(log)) {
                    List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
                    b.append("\n--- ").append(log).append(" (last 30 lines)\n")
                            .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
                }
            }
        } catch (IOException e) {
            b.append("\n(no console logs: ").append(e).append(')');
        }
        return b.toString();
    }

    static Result script(List<String> args, long timeoutSeconds) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(SCRIPT.toString());
        cmd.addAll(args);
        return run(cmd, timeoutSeconds);
    }

    static Result run(List<String> cmd, long timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        var out = new java.io.ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try {
                p.getInputStream().transferTo(out);
            } catch (IOException e) {
                // the process ended
            }
        });
        reader.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            reader.join(5000);
            return new Result(124, out.toString(StandardCharsets.UTF_8) + "\n(timed out after " + timeoutSeconds + " s: " + cmd + ")");
        }
        reader.join(5000);
        return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8));
    }

    public List<Vm> vms() {
        return vms;
    }

    public Vm vm(String name) {
        return vms.stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
    }

    /** root's private key for every VM. */
    public Path key() {
        return key;
    }

    /** known_hosts lines of every VM ({@code [127.0.0.1]:PORT ssh-ed25519 ...}). */
    public Path knownHosts() {
        return dir.resolve("known_hosts");
    }

    /** The VMs' work directory (disks, console logs). */
    public Path dir() {
        return dir;
    }

    /** The seconds each lab phase took (image, boot, reboots), in order. */
    public Map<String, Long> timings() {
        return timings;
    }

    /**
     * An inventory of the VMs in {@code group}, as root over SSH with the lab's key; {@code hostVars}
     * is appended to each host line.
     */
    public String inventory(String group, String hostVars) {
        StringBuilder b = new StringBuilder("[" + group + "]\n");
        for (Vm v : vms) {
            b.append(v.name()).append(" ansible_connection=ssh ansible_host=127.0.0.1 ansible_port=").append(v.port())
                    .append(" ansible_user=root ansible_ssh_private_key_file=").append(key)
                    .append(" drover_known_hosts=").append(knownHosts());
            if (!hostVars.isEmpty()) {
                b.append(' ').append(hostVars);
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** {@code sh -c SCRIPT} as root in the VM. */
    public Result ssh(Vm vm, String shellScript) throws IOException, InterruptedException {
        return ssh(vm, shellScript, 600);
    }

    public Result ssh(Vm vm, String shellScript, long timeoutSeconds) throws IOException, InterruptedException {
        return run(List.of("ssh", "-i", key.toString(), "-o", "UserKnownHostsFile=" + knownHosts(),
                "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", "-o", "ConnectTimeout=30", "-o", "LogLevel=ERROR",
                "-p", String.valueOf(vm.port()), "root@127.0.0.1", shellScript), timeoutSeconds);
    }

    /** Like {@link #ssh} but fails on a non-zero exit; returns the output. */
    public String sshOk(Vm vm, String shellScript) throws IOException, InterruptedException {
        Result r = ssh(vm, shellScript);
        if (r.exit() != 0) {
            throw new AssertionError(vm.name() + ": exit " + r.exit() + " of " + shellScript + "\n" + r.out());
        }
        return r.out();
    }

    /** Reboots one VM and waits until it is back (a new boot id, the boot finished); returns the seconds. */
    public long reboot(Vm vm) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Result r = script(List.of("reboot", dir.toString(), vm.name()), 900);
        if (r.exit() != 0) {
            throw new IllegalStateException("reboot of " + vm.name() + " failed:\n" + r.out() + consoles(dir));
        }
        long s = secondsSince(t0);
        timings.put("reboot " + vm.name() + " until sshd", s);
        return s;
    }

    /**
     * Ends all VMs at once (their qemu killed: the disks are copies thrown away with them; a
     * clean power-off cost ≈ 3 min under emulation, and the reboot test already shows a VM
     * going down and up cleanly) and removes their directory.
     */
    @Override
    public void close() throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        script(List.of("kill", dir.toString()), 60);
        timings.put("end the VMs", secondsSince(t0));
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down
        }
    }
}
