package dev.drover.report;

import dev.drover.engine.RunEvent;
import dev.drover.engine.RunListener;
import dev.drover.engine.TaskResult;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The run as JUnit XML, in the shape of Ansible's {@code junit} callback: one
 * {@code <testsuites><testsuite name=PLAYBOOK>}, one {@code <testcase name="[HOST] PLAY: TASK"
 * classname="FILE:LINE" time=…>} per task and host; a failure is a {@code <failure message=msg>}
 * (an {@code <error>} when the result carries an exception), a skip a {@code <skipped>} with the
 * skip reason, an ok result's values in {@code <system-out>}. The callback's environment
 * settings are read as it reads them: {@code JUNIT_FAIL_ON_CHANGE}, {@code JUNIT_FAIL_ON_IGNORE},
 * {@code JUNIT_INCLUDE_SETUP_TASKS_IN_REPORT}, {@code JUNIT_TASK_CLASS},
 * {@code JUNIT_TEST_CASE_PREFIX}, and the "EXPECTED FAILURE" / "TOGGLE RESULT" task names.
 *
 * <p>Differences: an unreachable host is a failure (Ansible's callback leaves it out of the
 * report), task arguments are never appended to the name (as with
 * {@code JUNIT_HIDE_TASK_ARGUMENTS=true}), times have 3 decimals (what surefire's schema allows).
 */
public final class JunitReport implements RunListener {
    private final Consumer<String> sink;
    private final UnaryOperator<String> mask;
    private final Map<String, String> env;
    private final LongSupplier nanos;
    private String playbook = "playbook";
    private String play = "";
    private final Map<Object, TaskData> tasks = new LinkedHashMap<>();
    private TaskData last;
    private final ThreadLocal<TaskData> threadTask = new ThreadLocal<>();

    private static final class TaskData {
        final String name;
        final String path;
        final String play;
        final String action;
        final long start;
        final Map<String, HostData> hosts = new LinkedHashMap<>();

        TaskData(String name, String path, String play, String action, long start) {
            this.name = name;
            this.path = path;
            this.play = play;
            this.action = action;
            this.start = start;
        }
    }

    private record HostData(String host, String status, Map<String, Object> result, long finish) {
    }

    /**
     * @param sink receives the XML document when the run ends
     * @param env  the environment the callback's settings are read from
     */
    public JunitReport(Consumer<String> sink, UnaryOperator<String> mask, Map<String, String> env) {
        this(sink, mask, env, System::nanoTime);
    }

    JunitReport(Consumer<String> sink, UnaryOperator<String> mask, Map<String, String> env, LongSupplier nanos) {
        this.sink = sink;
        this.mask = mask;
        this.env = env;
        this.nanos = nanos;
    }

    private boolean flag(String name, boolean dflt) {
        String v = env.get(name);
        return v == null ? dflt : v.equalsIgnoreCase("true");
    }

    /** The file name Ansible's callback writes in its output directory: {@code PLAYBOOK-TIME.xml}. */
    public static String defaultFileName(String playbookFile, double epochSeconds) {
        return stem(playbookFile) + "-" + epochSeconds + ".xml";
    }

    private static String stem(String file) {
        String base = java.nio.file.Path.of(file).getFileName().toString();
        int dot = base.lastIndexOf('.');
        return dot > 0 ? base.substring(0, dot) : base;
    }

    @Override
    public synchronized void on(RunEvent event) {
        if (event instanceof RunEvent.PlaybookStarted p) {
            playbook = stem(p.playbook().toString());
        } else if (event instanceof RunEvent.PlayStarted p) {
            play = p.name();
        } else if (event instanceof RunEvent.TaskStarted t) {
            // one task across serial batches (Ansible keys it by its uuid): by where it is written
            Object key = t.location() == null ? new Object() : List.of(play, t.location(), t.name(), t.handler());
            TaskData d = tasks.get(key);
            if (d == null) {
                String path = t.location() == null ? null
                        : t.location().line() > 0 ? t.location().file() + ":" + t.location().line() : t.location().file();
                d = new TaskData(t.name().strip(), path, play, t.action(), nanos.getAsLong());
                tasks.put(key, d);
            }
            last = d;
            threadTask.set(d);
        } else if (event instanceof RunEvent.HostDone h) {
            TaskData mine = threadTask.get();
            TaskData d = mine != null && mine.play.equals(play) ? mine : last;
            if (d != null) {
                finish(d, h.result());
            }
        } else if (event instanceof RunEvent.PlaybookFinished) {
            sink.accept(xml());
        }
    }

    private void finish(TaskData d, TaskResult r) {
        String status = switch (r.status()) {
            case OK -> "ok";
            case CHANGED -> flag("JUNIT_FAIL_ON_CHANGE", false) ? "failed" : "ok";
            case SKIPPED -> "skipped";
            case UNREACHABLE -> "failed";
            case FAILED -> r.ignored() && !flag("JUNIT_FAIL_ON_IGNORE", false) ? "ok" : "failed";
        };
        if (status.equals("failed") && d.name.contains("EXPECTED FAILURE")) {
            status = "ok";
        } else if (d.name.contains("TOGGLE RESULT")) {
            status = status.equals("failed") ? "ok" : status.equals("ok") ? "failed" : status;
        }
        String prefix = env.getOrDefault("JUNIT_TEST_CASE_PREFIX", "");
        if (d.name.startsWith(prefix) || status.equals("failed")) {
            d.hosts.put(r.host(), new HostData(r.host(), status, Masks.deep(r.values(), mask), nanos.getAsLong()));
        }
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.3f", Math.max(0, nanos) / 1e9);
    }

    private static Map<String, Object> clean(Map<String, Object> values) {
        Map<String, Object> v = new LinkedHashMap<>(values);
        v.keySet().removeIf(k -> k.startsWith("_ansible"));
        v.remove("invocation");
        v.remove("diff");
        v.remove("exception");
        return v;
    }

    private String xml() {
        try {
            Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
            Element suites = doc.createElement("testsuites");
            Element suite = doc.createElement("testsuite");
            int tests = 0;
            int failures = 0;
            int errors = 0;
            int skipped = 0;
            long total = 0;
            boolean setup = flag("JUNIT_INCLUDE_SETUP_TASKS_IN_REPORT", true);
            boolean taskClass = flag("JUNIT_TASK_CLASS", false);
            List<Element> cases = new ArrayList<>();
            for (TaskData d : tasks.values()) {
                if (!setup && (d.action.equals("gather_facts") || d.action.equals("setup"))) {
                    continue;
                }
                for (HostData h : d.hosts.values()) {
                    Element c = doc.createElement("testcase");
                    long took = h.finish - d.start;
                    total += Math.max(0, took);
                    String classname = d.path;
                    if (taskClass && classname != null) {
                        classname = classname.replaceAll("\\.yml:[0-9]+$", "");
                    }
                    if (classname != null) {
                        c.setAttribute("classname", mask.apply(classname));
                    }
                    c.setAttribute("name", mask.apply("[" + h.host + "] " + d.play + ": " + d.name));
                    c.setAttribute("time", seconds(took));
                    String dump = PyJson.dumps(clean(h.result));
                    switch (h.status) {
                        case "ok" -> c.appendChild(text(doc, "system-out", dump));
                        case "skipped" -> {
                            Object reason = h.result.get("skip_reason");
                            c.appendChild(text(doc, "skipped", reason == null ? "skipped" : String.valueOf(reason)));
                            skipped++;
                        }
                        default -> {
                            Object exception = h.result.get("exception");
                            if (exception != null) {
                                String out = String.valueOf(exception);
                                String[] lines = out.strip().split("\n");
                                Element e = text(doc, "error", out);
                                e.setAttribute("message", lines[lines.length - 1]);
                                e.setAttribute("type", "error");
                                c.appendChild(e);
                                errors++;
                            } else {
                                Object msg = h.result.get("msg");
                                Element f = text(doc, "failure", dump);
                                f.setAttribute("message", msg != null ? String.valueOf(msg)
                                        : "rc=" + h.result.getOrDefault("rc", 0));
                                f.setAttribute("type", "failure");
                                c.appendChild(f);
                                failures++;
                            }
                        }
                    }
                    tests++;
                    cases.add(c);
                }
            }
            String time = seconds(total);
            suites.setAttribute("disabled", "0");
            suites.setAttribute("errors", String.valueOf(errors));
            suites.setAttribute("failures", String.valueOf(failures));
            suites.setAttribute("tests", String.valueOf(tests));
            suites.setAttribute("time", time);
            suite.setAttribute("disabled", "0");
            suite.setAttribute("errors", String.valueOf(errors));
            suite.setAttribute("failures", String.valueOf(failures));
            suite.setAttribute("name", mask.apply(playbook));
            suite.setAttribute("skipped", String.valueOf(skipped));
            suite.setAttribute("tests", String.valueOf(tests));
            suite.setAttribute("time", time);
            cases.forEach(suite::appendChild);
            suites.appendChild(suite);
            doc.appendChild(suites);
            var t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.INDENT, "yes");
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            t.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
            StringWriter w = new StringWriter();
            t.transform(new DOMSource(doc), new StreamResult(w));
            return w + (w.toString().endsWith("\n") ? "" : "\n");
        } catch (javax.xml.parsers.ParserConfigurationException | javax.xml.transform.TransformerException e) {
            throw new IllegalStateException("the JDK's XML writer failed: " + e.getMessage(), e);
        }
    }

    /** An element with text; characters XML 1.0 cannot hold become U+FFFD (the callback's cleanse). */
    private Element text(Document doc, String name, String text) {
        Element e = doc.createElement(name);
        e.setTextContent(mask.apply(text).replaceAll("[^\\x09\\x0A\\x0D\\x20-\\uD7FF\\uE000-\\uFFFD\\x{10000}-\\x{10FFFF}]", "\uFFFD"));
        return e;
    }
}
