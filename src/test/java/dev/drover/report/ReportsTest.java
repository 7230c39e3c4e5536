package dev.drover.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.drover.testing.DroverCli;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * One real run with ok, changed, skipped, failed, unreachable and no_log results, both reports
 * at once: the JSON validated against docs/report.schema.json and read back, the JUnit XML parsed
 * by the JDK against a JUnit XSD, with the counts the run gave.
 */
class ReportsTest {
    static Path dir;
    static DroverCli.Result run;
    static Path json;
    static Path junit;

    @BeforeAll
    static void runOnce(@TempDir Path tmp) throws IOException {
        dir = tmp;
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort(); // nothing listens there once closed
        }
        Files.writeString(dir.resolve("hosts.ini"), "[all_of_them]\n"
                + "h1 ansible_connection=local\n"
                + "h2 ansible_connection=local\n"
                + "gone ansible_host=127.0.0.1 ansible_port=" + closed + " ansible_user=root ansible_ssh_timeout=5\n");
        Files.writeString(dir.resolve("site.yml"), """
                - name: Report play
                  hosts: all_of_them
                  gather_facts: false
                  tasks:
                    - name: Ok
                      command: "true"
                      changed_when: false
                    - name: Changed
                      command: echo hello
                    - name: Skipped
                      command: "true"
                      when: inventory_hostname == 'nobody'
                    - name: Secret
                      command: echo s3cr3t-pw
                      no_log: true
                    - name: Fails on h2
                      command: /bin/false
                      when: inventory_hostname == 'h2'
                    - name: After
                      command: "true"
                """);
        json = dir.resolve("out/report.json");
        junit = dir.resolve("out/junit.xml");
        Files.createDirectories(json.getParent());
        run = DroverCli.run("run", "-i", dir.resolve("hosts.ini").toString(), "--report", "json=" + json,
                "--report", "junit=" + junit, dir.resolve("site.yml").toString());
    }

    @Test
    void theConsoleStillPrintsTheRun() {
        assertEquals(4, run.exit(), run::toString); // unreachable wins over failed, as in Ansible
        assertEquals("ok=4 changed=3 unreachable=0 failed=0 skipped=2 rescued=0 ignored=0", run.recap().get("h1"), run::toString);
        assertEquals("ok=3 changed=2 unreachable=0 failed=1 skipped=1 rescued=0 ignored=0", run.recap().get("h2"), run::toString);
        assertEquals("ok=0 changed=0 unreachable=1 failed=0 skipped=0 rescued=0 ignored=0", run.recap().get("gone"), run::toString);
    }

    @Test
    void jsonReportMatchesTheSchemaAndReadsBack() throws IOException {
        String text = Files.readString(json);
        Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(Files.readString(Path.of("docs/report.schema.json")), InputFormat.JSON);
        List<Error> errors = schema.validate(text, InputFormat.JSON);
        assertEquals(List.of(), errors.stream().map(Error::toString).toList(), text);
        // the schema is strict enough to catch a wrong shape
        assertFalse(schema.validate(text.replace("\"failures\"", "\"failed\""), InputFormat.JSON).isEmpty());

        JsonNode doc = new ObjectMapper().readTree(text);
        assertEquals(1, doc.get("plays").size());
        JsonNode play = doc.get("plays").get(0);
        assertEquals("Report play", play.get("play").get("name").asString());
        assertTrue(play.get("play").get("path").asString().endsWith("site.yml:1"), text);
        List<String> names = new ArrayList<>();
        play.get("tasks").forEach(t -> names.add(t.get("task").get("name").asString()));
        assertEquals(List.of("Ok", "Changed", "Skipped", "Secret", "Fails on h2", "After"), names);
        JsonNode ok = play.get("tasks").get(0);
        assertTrue(ok.get("task").get("path").asString().endsWith("site.yml:5"), text);
        assertEquals(false, ok.get("hosts").get("h1").get("changed").asBoolean());
        assertEquals("command", ok.get("hosts").get("h1").get("action").asString());
        assertTrue(ok.get("hosts").get("gone").get("unreachable").asBoolean(), text);
        JsonNode changed = play.get("tasks").get(1).get("hosts").get("h2");
        assertTrue(changed.get("changed").asBoolean());
        assertEquals("hello", changed.get("stdout").asString());
        assertEquals(0, changed.get("rc").asInt());
        assertTrue(play.get("tasks").get(2).get("hosts").get("h1").get("skipped").asBoolean());
        JsonNode secret = play.get("tasks").get(3).get("hosts").get("h1");
        assertTrue(secret.get("_ansible_no_log").asBoolean());
        assertTrue(secret.has("censored"), secret.toString());
        assertFalse(secret.has("stdout"), secret.toString());
        JsonNode failed = play.get("tasks").get(4).get("hosts").get("h2");
        assertTrue(failed.get("failed").asBoolean());
        assertEquals(1, failed.get("rc").asInt());
        assertEquals(List.of("h1"), fieldNames(play.get("tasks").get(5).get("hosts")));
        assertEquals(Map.of("changed", 3, "failures", 0, "ignored", 0, "ok", 4, "rescued", 0, "skipped", 2, "unreachable", 0),
                new ObjectMapper().convertValue(doc.get("stats").get("h1"), Map.class));
        assertEquals(1, doc.get("stats").get("h2").get("failures").asInt());
        assertEquals(1, doc.get("stats").get("gone").get("unreachable").asInt());
        assertEquals(0, doc.get("custom_stats").size());
        assertFalse(text.contains("s3cr3t"), text);
        assertTrue(text.startsWith("{\n    \"custom_stats\": {},"), "sorted keys, 4-space indent: " + text);
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.propertyNames().forEach(out::add);
        return out;
    }

    @Test
    void junitReportIsValidJunitXmlWithTheRunsCounts() throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document doc = f.newDocumentBuilder().parse(junit.toFile());
        SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(getClass().getResource("/junit/junit.xsd")).newValidator().validate(new DOMSource(doc));
        Element suites = doc.getDocumentElement();
        assertEquals("testsuites", suites.getTagName());
        Element suite = (Element) suites.getElementsByTagName("testsuite").item(0);
        assertEquals("site", suite.getAttribute("name"));
        // Ok ×3 (gone unreachable), Changed ×2, Skipped ×2, Secret ×2, Fails on h2 ×2, After ×1
        assertEquals("12", suite.getAttribute("tests"));
        assertEquals("2", suite.getAttribute("failures")); // gone's unreachable, h2's /bin/false
        assertEquals("3", suite.getAttribute("skipped"));
        assertEquals("0", suite.getAttribute("errors"));
        NodeList cases = suite.getElementsByTagName("testcase");
        assertEquals(12, cases.getLength());
        assertEquals(2, suite.getElementsByTagName("failure").getLength());
        assertEquals(3, suite.getElementsByTagName("skipped").getLength());
        Element failedCase = null;
        for (int i = 0; i < cases.getLength(); i++) {
            Element c = (Element) cases.item(i);
            assertTrue(c.getAttribute("classname").contains("site.yml:"), c.getAttribute("classname"));
            assertTrue(Double.parseDouble(c.getAttribute("time")) >= 0);
            if (c.getAttribute("name").equals("[h2] Report play: Fails on h2")) {
                failedCase = c;
            }
        }
        assertTrue(failedCase != null, "a case named [HOST] PLAY: TASK");
        Element failure = (Element) failedCase.getElementsByTagName("failure").item(0);
        assertEquals("non-zero return code", failure.getAttribute("message"));
        assertTrue(failure.getTextContent().contains("\"rc\": 1"), failure.getTextContent());
        Element okCase = null;
        for (int i = 0; i < cases.getLength(); i++) {
            if (((Element) cases.item(i)).getAttribute("name").equals("[h1] Report play: Ok")) {
                okCase = (Element) cases.item(i);
            }
        }
        assertEquals(1, okCase.getElementsByTagName("system-out").getLength()); // an ok result's values
        assertFalse(Files.readString(junit).contains("s3cr3t"));
    }

    @Test
    void aBadReportOptionIsAnOptionError() {
        DroverCli.Result r = DroverCli.run("run", "--report", "jsno=x.json", dir.resolve("site.yml").toString());
        assertEquals(5, r.exit(), r::toString);
        assertTrue(r.err().contains("unknown report 'jsno', did you mean 'json'?"), r::toString);
        r = DroverCli.run("run", "--report", "junit=" + dir.resolve("no/such/dir/x.xml"), dir.resolve("site.yml").toString());
        assertEquals(5, r.exit(), r::toString);
        assertTrue(r.err().contains("does not exist"), r::toString);
        r = DroverCli.run("run", "--callback", "profile_task", dir.resolve("site.yml").toString());
        assertEquals(5, r.exit(), r::toString);
        assertTrue(r.err().contains("did you mean 'profile_tasks'?"), r::toString);
    }
}
