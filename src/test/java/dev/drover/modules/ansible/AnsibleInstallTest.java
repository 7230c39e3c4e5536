package dev.drover.modules.ansible;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a resident drover keeps of the controller's ansible-core between runs. */
class AnsibleInstallTest {
    @TempDir
    Path dir;

    @AfterEach
    void reset() {
        AnsibleInstall.remember(null);
    }

    private AnsibleInstall fakeInstall(String version) throws IOException {
        Path ansible = dir.resolve("ansible");
        Files.createDirectories(ansible.resolve("modules"));
        Files.writeString(ansible.resolve("release.py"), "__version__ = '" + version + "'\n");
        Path python = dir.resolve("python3");
        Files.writeString(python, "#!/bin/sh\n");
        python.toFile().setExecutable(true);
        return new AnsibleInstall(python, ansible, version);
    }

    @Test
    void anUnchangedInstallIsKept() throws IOException {
        AnsibleInstall install = fakeInstall("2.14.18");
        AnsibleInstall.remember(Optional.of(install));
        AnsibleInstall.forgetIfChanged();
        assertTrue(AnsibleInstall.remembered());
        assertSame(install, AnsibleInstall.find().orElseThrow());
    }

    @Test
    void anUpgradedInstallIsForgotten() throws IOException {
        AnsibleInstall install = fakeInstall("2.14.18");
        AnsibleInstall.remember(Optional.of(install));
        Files.writeString(install.ansible().resolve("release.py"), "__version__ = '2.19.0'\n");
        AnsibleInstall.forgetIfChanged();
        assertFalse(AnsibleInstall.remembered());
    }

    @Test
    void aRemovedInstallIsForgotten() throws IOException {
        AnsibleInstall install = fakeInstall("2.14.18");
        AnsibleInstall.remember(Optional.of(install));
        Files.delete(install.python());
        AnsibleInstall.forgetIfChanged();
        assertFalse(AnsibleInstall.remembered());
    }

    @Test
    void anAbsenceIsAlwaysForgotten() {
        AnsibleInstall.remember(Optional.empty());
        AnsibleInstall.forgetIfChanged();
        assertFalse(AnsibleInstall.remembered());
    }
}
