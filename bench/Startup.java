import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What each library costs at start-up, inside the real jar. Not part of drover: bench/startup.sh
 * compiles it into a temp dir and runs {@code java -cp target/drover.jar:TMP Startup STEPS...}.
 *
 * <p>Steps run in the order given, in one JVM, each timed on its own (so a step's figure is what
 * it adds after the ones before it). {@code -Dt0=NANOS} (epoch ns taken just before exec) gives
 * the JVM's own time to main. Prints one line: {@code jvm=MS step=MS ... total=MS cpu.step=MS ...}:
 * wall time per step, then the process CPU time (all threads: JIT and GC included) per step, the
 * steadier figure on a busy machine.
 */
public final class Startup {
    public static void main(String[] args) throws Exception {
        long mainAt = System.currentTimeMillis();
        long t0 = Long.getLong("t0", 0L) / 1_000_000L;
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        StringBuilder out = new StringBuilder();
        StringBuilder cpu = new StringBuilder();
        out.append("jvm=").append(t0 > 0 ? mainAt - t0 : -1);
        long c0 = os.getProcessCpuTime();
        cpu.append(" cpu.jvm=").append(c0 / 1_000_000L);
        for (String step : args) {
            long s = System.nanoTime();
            long c = os.getProcessCpuTime();
            run(step);
            out.append(' ').append(step).append('=').append((System.nanoTime() - s) / 1_000_000L);
            cpu.append(" cpu.").append(step).append('=').append((os.getProcessCpuTime() - c) / 1_000_000L);
        }
        out.append(" total=").append(t0 > 0 ? System.currentTimeMillis() - t0 : -1);
        out.append(cpu).append(" cpu.total=").append(os.getProcessCpuTime() / 1_000_000L);
        System.out.println(out);
        System.out.flush();
        System.exit(0);
    }

    private static void run(String step) throws Exception {
        switch (step) {
            case "picocli" -> {
                // drover's command line as a run builds it: annotations of Main and RunCommand read, arguments parsed
                String[] argv = {"run", "--check", "-i", "x", "p.yml"};
                dev.drover.cli.Main.commandLineFor(argv).parseArgs(argv);
            }
            case "logback" -> {
                // slf4j binds logback, which finds dev.drover.cli.LogConfigurator through the service loader
                org.slf4j.LoggerFactory.getLogger("dev.drover.Startup").debug("off");
            }
            case "yaml" -> {
                Object o = dev.drover.yaml.YamlLoader.loadData(
                        "- hosts: all\n  tasks:\n    - name: x\n      file: {path: /tmp, state: directory, mode: '0755'}\n",
                        "x.yml");
                if (o == null) {
                    throw new IllegalStateException();
                }
            }
            case "playbook" -> {
                // drover's own parse of the benchmark playbook and a one-host inventory
                Path pb = Path.of(System.getProperty("playbook", "bench/playbook.yml"));
                dev.drover.engine.Runner.loadAndValidate(pb);
                Path inv = Files.createTempFile("startup", ".ini");
                Files.writeString(inv, "lab01 ansible_host=127.0.0.1 root=/tmp/x\n");
                dev.drover.engine.Runner.loadInventory(List.of(inv.toString()));
                Files.delete(inv);
            }
            case "jinjava" -> jinjava = dev.drover.template.Templar.create();
            case "render" -> {
                if (jinjava == null) {
                    jinjava = dev.drover.template.Templar.create();
                }
                Object r = jinjava.render("{% for s in l %}{{ s | upper }}{% endfor %} {{ n + 1 }}",
                        Map.of("l", List.of("a", "b"), "n", 1));
                if (!"AB 2".equals(r)) {
                    throw new IllegalStateException(String.valueOf(r));
                }
            }
            case "render2" -> {
                // a second, different template: the steady-state cost of a render
                Object r = jinjava.render("{{ x | default('d') }}-{{ y is defined }}", Map.of("y", 3));
                if (r == null) {
                    throw new IllegalStateException();
                }
            }
            case "jsch" -> {
                // JSch's classes and crypto up to (not including) the TCP connect: a session with an ed25519 key
                com.jcraft.jsch.JSch jsch = new com.jcraft.jsch.JSch();
                String key = System.getProperty("key");
                if (key != null) {
                    jsch.addIdentity(key);
                }
                com.jcraft.jsch.Session s = jsch.getSession("root", "127.0.0.1", 22);
                s.setConfig("StrictHostKeyChecking", "no");
                new ArrayList<>(List.of(com.jcraft.jsch.ChannelExec.class.getName()));
            }
            case "jsch-connect" -> {
                // a real connect + exec to the host and port in -Dssh=HOST:PORT (needs -Dkey)
                String[] hp = System.getProperty("ssh").split(":");
                com.jcraft.jsch.JSch jsch = new com.jcraft.jsch.JSch();
                jsch.addIdentity(System.getProperty("key"));
                com.jcraft.jsch.Session s = jsch.getSession("root", hp[0], Integer.parseInt(hp[1]));
                s.setConfig("StrictHostKeyChecking", "no");
                s.connect(10_000);
                com.jcraft.jsch.ChannelExec c = (com.jcraft.jsch.ChannelExec) s.openChannel("exec");
                c.setCommand("true");
                c.connect(10_000);
                for (int i = 0; i < 1000 && !c.isClosed(); i++) {
                    Thread.sleep(2);
                }
                c.disconnect();
                s.disconnect();
            }
            case "none" -> {
            }
            default -> throw new IllegalArgumentException("unknown step " + step);
        }
    }

    private static dev.drover.template.Templar jinjava;
}
