package dev.drover.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.drover.testing.DroverCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * drover's stdout against ansible-playbook 2.14's for the same playbook on localhost, line by line
 * (timing fields normalised; ansible's -v config line and python interpreter discovery dropped).
 */
class AnsibleOutputParityTest {
    static final String PLAYBOOK = """
            - name: Output format
              hosts: localhost
              gather_facts: false
              vars:
                things: [a, b, c]
              tasks:
                - name: Loop with a skipped item
                  command: echo {{ item }}
                  loop: "{{ things }}"
                  when: item != 'b'
                  notify: Tell
                - name: A failing item, ignored
                  command: /bin/sh -c "exit {{ 1 if item == 'b' else 0 }}"
                  loop: "{{ things }}"
                  ignore_errors: true
                - name: Every item skipped
                  command: echo {{ item }}
                  loop: "{{ things }}"
                  when: false
                - name: An empty loop
                  debug:
                    msg: "{{ item }}"
                  loop: []
                - name: Debug msg
                  debug:
                    msg: "hello {{ things | length }}"
                - name: Debug var
                  debug:
                    var: things
                - name: Debug in a loop, partly skipped
                  debug:
                    msg: "{{ item }}"
                  loop: [1, 2]
                  when: item == 2
                - name: Debug above the verbosity
                  debug:
                    msg: hidden
                    verbosity: 3
                - name: A skipped task
                  debug:
                    msg: never
                  when: false
                - name: A failure, ignored
                  command: /bin/false
                  ignore_errors: true
                - name: A command that registers
                  command: echo out
                  register: said
                  changed_when: false
                - name: Show it
                  debug:
                    var: said.stdout_lines
              handlers:
                - name: Tell
                  debug:
                    msg: handler ran
            """;

    static String normalise(String s) {
        return DroverCli.normaliseTimes(s)
                .replaceAll("(?m)^No config file found; using defaults\n", "")
                .replaceAll("(?m)^Using .* as config file\n", "")
                .replace("\"ansible_facts\": {\"discovered_interpreter_python\": \"/usr/bin/python3\"}, ", "");
    }

    private void compare(Path dir, String... options) throws IOException, InterruptedException {
        String p = dir.resolve("p.yml").toString();
        String[] ansibleArgs = concat(new String[] {"-i", "localhost,", "-c", "local"}, options, p);
        DroverCli.Result a = DroverCli.ansible(dir, ansibleArgs);
        DroverCli.Result d = DroverCli.run(concat(new String[] {"run"}, options, p));
        assertEquals(a.exit(), d.exit(), () -> a + "\n" + d);
        assertEquals(normalise(a.out()), normalise(d.out()), () -> "ansible:\n" + a + "\ndrover:\n" + d);
    }

    private static String[] concat(String[] a, String[] b, String c) {
        String[] out = Arrays.copyOf(a, a.length + b.length + 1);
        System.arraycopy(b, 0, out, a.length, b.length);
        out[out.length - 1] = c;
        return out;
    }

    @Test
    void defaultOutputMatchesAnsible(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("p.yml"), PLAYBOOK);
        compare(dir);
    }

    @Test
    void verboseOutputMatchesAnsible(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("p.yml"), PLAYBOOK);
        compare(dir, "-v");
    }

    @Test
    void noLogOutputMatchesAnsible(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("p.yml"), NoLogTest.PLAYBOOK);
        compare(dir);
    }

    static final String LISTING = """
            - name: Web play
              hosts: web
              gather_facts: false
              tags: [webtag]
              tasks:
                - name: first
                  debug: msg=a
                  tags: [t1, a0]
                - block:
                    - name: in block
                      command: "true"
                  rescue:
                    - debug: msg=r
                - meta: flush_handlers
                - copy:
                    content: x
                    dest: /tmp/x
            - hosts: all
              tasks:
                - name: second play task
                  debug: msg=b
            """;

    @Test
    void syntaxCheckListTasksAndListHostsMatchAnsible(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("list.yml"), LISTING);
        Files.writeString(dir.resolve("inv.ini"), "[web]\nweb1 ansible_host=127.0.0.1\nweb2 ansible_host=127.0.0.2\n[db]\ndb1\n");
        for (List<String> opts : List.of(List.of("--syntax-check"), List.of("--list-tasks"), List.of("--list-tasks", "-t", "t1"),
                List.of("--list-tasks", "--skip-tags", "t1"), List.of("--list-hosts"), List.of("--list-hosts", "-l", "web1,db1"),
                List.of("--list-tasks", "--list-hosts"))) {
            String[] o = opts.toArray(String[]::new);
            // relative paths, as a person types them: "playbook: list.yml" is printed as given
            DroverCli.Result a = DroverCli.ansible(dir, concat(new String[] {"-i", "inv.ini"}, o, "list.yml"));
            DroverCli.Result d = DroverCli.run(concat(new String[] {"run", "-i", dir.resolve("inv.ini").toString()}, o,
                    dir.resolve("list.yml").toString()));
            assertEquals(a.exit(), d.exit(), () -> opts + "\n" + a + "\n" + d);
            assertEquals(hostsSorted(a.out()), hostsSorted(d.out().replace(dir.resolve("list.yml").toString(), "list.yml")),
                    () -> opts + "\n" + a + "\n" + d);
        }
    }

    /** ansible-playbook prints each play's hosts from a Python set (order varies by run): sort them. */
    static String hostsSorted(String listing) {
        String[] lines = listing.split("\n", -1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            out.append(lines[i]).append('\n');
            if (lines[i].matches("    hosts \\(\\d+\\):")) {
                TreeSet<String> hosts = new TreeSet<>();
                while (i + 1 < lines.length && lines[i + 1].startsWith("      ")) {
                    hosts.add(lines[++i]);
                }
                hosts.forEach(h -> out.append(h).append('\n'));
            }
        }
        return out.toString();
    }
}
