import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.drover.engine.RunEvent;
import dev.drover.engine.RunListener;
import dev.drover.engine.RunOptions;
import dev.drover.engine.Runner;
import dev.drover.report.ConsoleListener;
import dev.drover.template.Templar;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the time goes inside one {@code drover run}, phase by phase. Not part of drover:
 * bench/run.sh --phases compiles it and runs {@code java -cp target/drover.jar:TMP Phases -i INV PLAYBOOK}.
 *
 * <p>It does what {@code Main} + {@code RunCommand} do (warm-up thread first, picocli, load and
 * validate, inventory, {@code Runner.run} with the console listener writing to memory), with
 * timestamps between the steps; a listener stamps task boundaries, and a logback appender on
 * drover's connection classes (DEBUG for those two loggers only) picks up connect times and
 * per-command round trips. {@code -Dt0=EPOCH_NANOS} taken just before exec gives JVM start-up.
 * Prints a key=value block (milliseconds) on stdout; bench/run.sh turns it into a table.
 */
public final class Phases {
    private static final Pattern CONNECTED = Pattern.compile("connected in (\\d+) ms");
    private static final Pattern COMMAND = Pattern.compile("#\\d+: rc=.* in (\\d+) ms");

    public static void main(String[] args) throws Exception {
        long mainAt = System.currentTimeMillis();
        long t0 = Long.getLong("t0", 0L) / 1_000_000L;
        Templar.warmUpAsync();
        long n0 = System.nanoTime();

        List<Long> connects = new ArrayList<>();
        long[] commands = new long[2];
        AppenderBase<ILoggingEvent> tap = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent e) {
                String m = e.getFormattedMessage();
                Matcher c = CONNECTED.matcher(m);
                Matcher k = COMMAND.matcher(m);
                synchronized (commands) {
                    if (c.find()) {
                        connects.add(Long.parseLong(c.group(1)));
                    } else if (k.find()) {
                        commands[0]++;
                        commands[1] += Long.parseLong(k.group(1));
                    }
                }
            }
        };
        Logger sshLog = (Logger) org.slf4j.LoggerFactory.getLogger("dev.drover.connection.SshConnection");
        tap.setContext(sshLog.getLoggerContext());
        tap.start();
        for (String name : List.of("dev.drover.connection.SshConnection", "dev.drover.connection.ShellProtocol")) {
            Logger l = (Logger) org.slf4j.LoggerFactory.getLogger(name);
            l.setLevel(Level.DEBUG);
            l.setAdditive(false);
            l.addAppender(tap);
        }
        long n1 = System.nanoTime();

        // picocli, as Main does it: the command tree built and the arguments parsed
        String[] argv = prepend("run", args);
        picocli.CommandLine cl = dev.drover.cli.Main.commandLineFor(argv);
        picocli.CommandLine.ParseResult pr = cl.parseArgs(argv);
        List<String> inv = pr.subcommand().matchedOptionValue("-i", List.of());
        Path playbook = pr.subcommand().matchedPositionalValue(0, null);
        int forks = pr.subcommand().matchedOptionValue("-f", 50);
        long n2 = System.nanoTime();

        Runner.loadAndValidate(playbook);
        long n3 = System.nanoTime();
        Runner.loadInventory(inv);
        long n4 = System.nanoTime();
        Templar.create();
        long n5 = System.nanoTime();

        List<long[]> tasks = new ArrayList<>();   // {start ns}
        List<String> names = new ArrayList<>();
        long[] marks = new long[3];               // playbook started, first task, finished
        RunListener stamp = e -> {
            long now = System.nanoTime();
            if (e instanceof RunEvent.PlaybookStarted) {
                marks[0] = now;
            } else if (e instanceof RunEvent.TaskStarted t) {
                tasks.add(new long[] {now});
                names.add((t.handler() ? "handler: " : "") + t.name());
            } else if (e instanceof RunEvent.PlaybookFinished) {
                marks[2] = now;
            }
        };
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        RunOptions options = new RunOptions(playbook, inv, false, false, Map.of(), null, List.of(), List.of(), forks, 0);
        int rc = new Runner(List.of(new ConsoleListener(new PrintStream(console, true), 0, false), stamp)).run(options);
        long n6 = System.nanoTime();

        StringBuilder out = new StringBuilder();
        out.append("rc=").append(rc).append('\n');
        out.append("jvm=").append(t0 > 0 ? mainAt - t0 : -1).append('\n');
        out.append("log_setup=").append(ms(n1 - n0)).append('\n');
        out.append("picocli=").append(ms(n2 - n1)).append('\n');
        out.append("parse_playbook=").append(ms(n3 - n2)).append('\n');
        out.append("parse_inventory=").append(ms(n4 - n3)).append('\n');
        out.append("wait_warmup=").append(ms(n5 - n4)).append('\n');
        out.append("run_setup=").append(ms(marks[0] - n5)).append('\n');   // Runner.run re-parses (warm)
        long prev = marks[0];
        long firstTask = 0;
        long otherTasks = 0;
        List<Long> per = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            long end = i + 1 < tasks.size() ? tasks.get(i + 1)[0] : marks[2];
            long d = end - tasks.get(i)[0];
            if (i == 0) {
                firstTask = d;
            } else {
                otherTasks += d;
                per.add(d);
            }
            out.append("task.").append(i + 1).append('=').append(ms(d)).append(" # ").append(names.get(i)).append('\n');
        }
        out.append("start_to_first_task=").append(ms(tasks.isEmpty() ? 0 : tasks.get(0)[0] - prev)).append('\n');
        out.append("first_task=").append(ms(firstTask)).append('\n');
        out.append("other_tasks=").append(ms(otherTasks)).append('\n');
        per.sort(null);
        out.append("other_task_median=").append(per.isEmpty() ? 0 : ms(per.get(per.size() / 2))).append('\n');
        out.append("tasks=").append(tasks.size()).append('\n');
        out.append("close=").append(ms(n6 - marks[2])).append('\n');
        synchronized (commands) {
            connects.sort(null);
            out.append("connect_median=").append(connects.isEmpty() ? 0 : connects.get(connects.size() / 2)).append('\n');
            out.append("connect_max=").append(connects.isEmpty() ? 0 : connects.get(connects.size() - 1)).append('\n');
            out.append("commands=").append(commands[0]).append('\n');
            out.append("command_ms_sum=").append(commands[1]).append('\n');
        }
        out.append("in_main=").append(ms(n6 - n0)).append('\n');
        out.append("total=").append(t0 > 0 ? System.currentTimeMillis() - t0 : -1).append('\n');
        System.out.print(out);
        System.out.flush();
        System.exit(rc);
    }

    private static String[] prepend(String first, String[] rest) {
        String[] a = new String[rest.length + 1];
        a[0] = first;
        System.arraycopy(rest, 0, a, 1, rest.length);
        return a;
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000L;
    }
}
