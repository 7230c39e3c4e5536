package dev.drover.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlaybookLoaderTest {
    @TempDir
    Path dir;

    private Playbook load(String yaml) throws IOException, PlaybookException {
        Path p = dir.resolve("play.yml");
        Files.writeString(p, yaml);
        return new PlaybookLoader().load(p);
    }

    private PlaybookException error(String yaml) throws IOException {
        Path p = dir.resolve("play.yml");
        Files.writeString(p, yaml);
        return assertThrows(PlaybookException.class, () -> new PlaybookLoader().load(p));
    }

    @Test
    void tasksKeepTheirActionArgumentsAndLocation() throws Exception {
        Playbook pb = load("""
                - hosts: all
                  tasks:
                    - name: copy it
                      ansible.builtin.copy: src=a dest="/tmp/x y" mode=0644
                    - command: chdir=/tmp ls -l
                """);
        Task copy = (Task) pb.plays().get(0).tasks().get(0);
        assertEquals("copy", copy.action());
        assertEquals(Map.of("src", "a", "dest", "/tmp/x y", "mode", "0644"), copy.args());
        assertEquals(3, copy.location().line());
        assertEquals(7, copy.location().column());
        Task command = (Task) pb.plays().get(0).tasks().get(1);
        assertEquals(Map.of("chdir", "/tmp", "_raw_params", "ls -l"), command.args());
    }

    @Test
    void blockKeywordsAreInheritedByTheirTasks() throws Exception {
        Playbook pb = load("""
                - hosts: all
                  tags: [p]
                  become: true
                  tasks:
                    - block:
                        - debug: msg=hi
                          when: b
                          tags: t
                      when: a
                      become_user: app
                      vars: {x: 1}
                """);
        Block block = (Block) pb.plays().get(0).tasks().get(0);
        Task t = (Task) block.block().get(0);
        assertEquals(List.of("a", "b"), t.scope().conditions());
        assertEquals(List.of("p", "t"), List.copyOf(t.scope().tags()));
        assertEquals(true, t.scope().get("become").orElseThrow());
        assertEquals("app", t.scope().get("become_user").orElseThrow());
        assertEquals(Map.of("x", 1), t.scope().vars());
    }

    @Test
    void unknownPlayKeywordSuggestsTheRightOne() throws IOException {
        PlaybookException e = error("""
                - hosts: all
                  taks:
                    - debug: msg=hi
                """);
        assertTrue(e.getMessage().contains("'taks' is not a valid attribute for a play"), e.getMessage());
        assertTrue(e.getMessage().contains("Did you mean 'tasks'?"), e.getMessage());
        assertEquals(2, e.location().line());
    }

    @Test
    void twoActionsInOneTaskAreRefused() throws IOException {
        PlaybookException e = error("""
                - hosts: all
                  tasks:
                    - copy: content=a dest=/tmp/a
                      file: path=/tmp/a
                """);
        assertTrue(e.getMessage().startsWith("conflicting action statements: copy, file"), e.getMessage());
        assertEquals(4, e.location().line());
    }

    @Test
    void badYamlNamesLineAndColumn() throws IOException {
        PlaybookException e = error("- hosts: all\n  tasks:\n    - debug: {msg: hi\n");
        assertTrue(e.getMessage().startsWith("YAML syntax error"), e.getMessage());
        assertTrue(e.location().line() >= 3, e.location().toString());
    }

    @Test
    void rolesExpandToABlockWithTheirDefaultsVarsAndHandlers() throws Exception {
        Path role = dir.resolve("roles/web");
        Files.createDirectories(role.resolve("tasks"));
        Files.createDirectories(role.resolve("defaults"));
        Files.createDirectories(role.resolve("handlers"));
        Files.writeString(role.resolve("tasks/main.yml"), "- debug: msg={{ http_port }}\n");
        Files.writeString(role.resolve("defaults/main.yml"), "http_port: 80\n");
        Files.writeString(role.resolve("handlers/main.yml"), "- name: restart\n  debug: msg=r\n");
        Playbook pb = load("""
                - hosts: all
                  roles:
                    - role: web
                      http_port: 8080
                  tasks:
                    - debug: msg=after
                """);
        Play play = pb.plays().get(0);
        Block roleBlock = assertInstanceOf(Block.class, play.tasks().get(0));
        Task t = (Task) roleBlock.block().get(0);
        assertEquals("web", t.scope().role().name());
        assertEquals(Map.of("http_port", 80), t.scope().role().defaults());
        assertEquals(Map.of("http_port", 8080), t.scope().role().params());
        assertEquals("web : debug", t.displayName());
        assertEquals("restart", play.handlers().get(0).name());
        assertEquals("debug", ((Task) play.tasks().get(1)).action());
    }

    @Test
    void importTasksIsExpandedAtLoadAndImportPlaybookInlinesPlays() throws Exception {
        Files.writeString(dir.resolve("more.yml"), "- debug: msg=imported\n");
        Files.writeString(dir.resolve("other.yml"), "- hosts: web\n  tasks: []\n");
        Playbook pb = load("""
                - hosts: all
                  tasks:
                    - import_tasks: more.yml
                      when: x
                - import_playbook: other.yml
                """);
        assertEquals(2, pb.plays().size());
        Block imported = (Block) pb.plays().get(0).tasks().get(0);
        Task t = (Task) imported.block().get(0);
        assertEquals(List.of("x"), t.scope().conditions());
        assertEquals("web", pb.plays().get(1).hosts());
    }

    @Test
    void aMissingImportedFileIsAnErrorAtItsTask() throws IOException {
        PlaybookException e = error("""
                - hosts: all
                  tasks:
                    - import_tasks: nowhere.yml
                """);
        assertTrue(e.getMessage().contains("could not find the task file 'nowhere.yml'"), e.getMessage());
        assertEquals(3, e.location().line());
    }
}
