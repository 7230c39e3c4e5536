package dev.drover.modules.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.drover.module.LocalShell;
import dev.drover.module.Module;
import dev.drover.module.ModuleException;
import dev.drover.module.Plan;
import dev.drover.module.ShellHostView;
import dev.drover.modules.BuiltinModules;
import dev.drover.modules.Contract;
import dev.drover.modules.Plans;
import dev.drover.modules.TestContext;
import dev.drover.testing.Requirements;
import dev.drover.testing.SshServerFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * git on the real local host against a bare repository this test makes (main with a tag v1, a
 * branch feature): clone, update when the remote moves, tags, branches, shallow clones, local
 * modifications, and over ssh to the sshd fixture ({@code ssh://root@127.0.0.1:PORT/…} with
 * key_file).
 */
class GitTest {
    static final Module GIT = BuiltinModules.find("ansible.builtin.git").orElseThrow();
    static final LocalShell SHELL = new LocalShell();
    static final String GITC = "git -c user.name=drover -c user.email=drover@localhost -c init.defaultBranch=main";

    @TempDir
    Path dir;
    Path bare;
    Path work;

    @BeforeEach
    void repository() throws Exception {
        Requirements.require("git", Files.isExecutable(Path.of("/usr/bin/git")));
        bare = dir.resolve("origin.git");
        work = dir.resolve("work");
        sh(GITC + " init -q --bare -b main " + bare + " && " + GITC + " clone -q " + bare + " " + work + " 2>/dev/null && cd "
                + work + " && echo one > app.txt && " + GITC + " add app.txt && " + GITC + " commit -qm one && "
                + GITC + " tag -a v1 -m v1 && echo two > app.txt && " + GITC + " commit -qam two && "
                + GITC + " push -q origin main --tags && " + GITC + " checkout -qb feature && echo f > f.txt && "
                + GITC + " add f.txt && " + GITC + " commit -qm feature && " + GITC + " push -q origin feature && "
                + GITC + " checkout -q main");
    }

    private String sh(String script) throws Exception {
        var r = SHELL.run(script, null, null);
        assertEquals(0, r.exitCode(), script + ": " + r.err());
        return r.out().trim();
    }

    private String rev(Path repo, String ref) throws Exception {
        return sh("git -C " + repo + " rev-parse " + ref);
    }

    private String snapshot(Path dest) throws Exception {
        return Files.exists(dest) ? sh("cd " + dest + " && git rev-parse HEAD && git status --porcelain && ls -a") : "absent";
    }

    private Plan plan(Map<String, Object> args) throws Exception {
        return GIT.plan(new TestContext(GIT, args, new ShellHostView(SHELL)));
    }

    @Test
    void clonesThenFollowsTheRemote() throws Exception {
        Path dest = dir.resolve("checkout/app");
        Map<String, Object> args = Map.of("repo", bare.toString(), "dest", dest.toString());
        Map<String, Object> v = Contract.run(GIT, args, SHELL, () -> snapshot(dest));
        assertEquals("two\n", Files.readString(dest.resolve("app.txt")));
        assertNull(v.get("before"));
        assertEquals(rev(bare, "main"), v.get("after"));

        // a new commit on the remote: an update, before/after as Ansible reports them
        sh("cd " + work + " && echo three > app.txt && " + GITC + " commit -qam three && " + GITC + " push -q origin main");
        String old = rev(dest, "HEAD");
        v = Contract.run(GIT, args, SHELL, () -> snapshot(dest));
        assertEquals(old, v.get("before"));
        assertEquals(rev(bare, "main"), v.get("after"));
        assertEquals(false, v.get("remote_url_changed"));
        assertEquals("three\n", Files.readString(dest.resolve("app.txt")));
    }

    @Test
    void tagsBranchesShasAndDepth() throws Exception {
        Path dest = dir.resolve("app");
        Map<String, Object> v = Contract.run(GIT, Map.of("repo", bare.toString(), "dest", dest.toString(),
                "version", "v1"), SHELL, () -> snapshot(dest));
        assertEquals(rev(bare, "v1^{commit}"), v.get("after"));
        assertEquals("one\n", Files.readString(dest.resolve("app.txt")));

        Contract.run(GIT, Map.of("repo", bare.toString(), "dest", dest.toString(), "version", "feature"), SHELL,
                () -> snapshot(dest));
        assertTrue(Files.exists(dest.resolve("f.txt")));
        assertEquals("feature", sh("git -C " + dest + " symbolic-ref --short HEAD"));

        String first = rev(bare, "main~1");
        Contract.run(GIT, Map.of("repo", bare.toString(), "dest", dest.toString(), "version", first.substring(0, 10)),
                SHELL, () -> snapshot(dest));
        assertEquals(first, rev(dest, "HEAD"));

        Path shallow = dir.resolve("shallow");
        Contract.run(GIT, Map.of("repo", "file://" + bare, "dest", shallow.toString(), "depth", 1), SHELL,
                () -> snapshot(shallow));
        assertEquals("1", sh("git -C " + shallow + " rev-list --count HEAD"));

        ModuleException e = assertThrows(ModuleException.class, () ->
                plan(Map.of("repo", bare.toString(), "dest", dir.resolve("x").toString(), "version", "no-such-ref")));
        assertEquals("Failed to checkout no-such-ref", e.getMessage());
    }

    @Test
    void localModificationsNeedForce() throws Exception {
        Path dest = dir.resolve("app");
        Map<String, Object> args = new HashMap<>(Map.of("repo", bare.toString(), "dest", dest.toString()));
        Plans.apply(plan(args), SHELL);
        Files.writeString(dest.resolve("app.txt"), "edited\n");
        ModuleException e = assertThrows(ModuleException.class, () -> plan(args));
        assertEquals("Local modifications exist in the destination: " + dest + " (force=no).", e.getMessage());
        args.put("force", true);
        Plan p = plan(args);
        assertEquals(List.of("update " + dest + " to HEAD"), Plans.describe(p));
        Plans.apply(p, SHELL);
        assertEquals("two\n", Files.readString(dest.resolve("app.txt")));
        assertFalse(plan(args).changesSomething());

        // update: no leaves a checkout alone; the remote URL changing is an update
        Plan noUpdate = plan(Map.of("repo", "file:///elsewhere.git", "dest", dest.toString(), "update", false));
        assertFalse(noUpdate.changesSomething());
        sh("git -C " + dest + " remote set-url origin file:///old/place.git");
        Map<String, Object> v = Plans.apply(plan(Map.of("repo", bare.toString(), "dest", dest.toString())), SHELL);
        assertEquals(true, v.get("remote_url_changed"));
        assertEquals("file://" + bare, sh("git -C " + dest + " config remote.origin.url"));
    }

    @Test
    void overSsh() throws Exception {
        Requirements.require("sshd", Requirements.hasSshd());
        Requirements.require("root", Requirements.isRoot());
        SshServerFixture sshd = SshServerFixture.shared();
        Path dest = dir.resolve("via-ssh");
        String url = "ssh://root@127.0.0.1:" + sshd.port() + bare;
        Map<String, Object> args = Map.of("repo", url, "dest", dest.toString(), "key_file", sshd.clientKey().toString(),
                "ssh_opts", "-o UserKnownHostsFile=" + sshd.knownHosts());
        Map<String, Object> v = Contract.run(GIT, args, SHELL, () -> snapshot(dest));
        assertEquals(rev(bare, "main"), v.get("after"));
        assertEquals(url, sh("git -C " + dest + " config remote.origin.url"));

        // an unknown host key without accept_hostkey fails (BatchMode: no prompt); with it the clone works
        Map<String, Object> strict = Map.of("repo", url, "dest", dir.resolve("strict").toString(),
                "key_file", sshd.clientKey().toString(), "ssh_opts", "-o UserKnownHostsFile=/dev/null");
        ModuleException e = assertThrows(ModuleException.class, () -> plan(strict));
        assertTrue(e.getMessage().contains("Host key verification failed"), e.getMessage());
        Map<String, Object> accept = new HashMap<>(strict);
        accept.put("accept_hostkey", true);
        Plans.apply(plan(accept), SHELL);
        assertTrue(Files.exists(dir.resolve("strict/app.txt")));
    }
}
