package dev.drover.modules.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.drover.connection.CommandResult;
import dev.drover.connection.Connection;
import dev.drover.connection.ConnectionSpec;
import dev.drover.connection.Connections;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * UnitWait's script, run in a real drover shell, reports what it waits for each time that
 * changes. The unit manager is a stand-in {@code systemctl} script (start succeeds; {@code show}
 * says activating for the first polls, then active): what the wait script reads of systemd is
 * only those {@code show} lines, and a real manager's timing could not be controlled.
 */
class UnitWaitProgressTest {

    @Test
    void theWaitReportsEachStateChange(@TempDir Path dir) throws Exception {
        Path systemctl = dir.resolve("systemctl");
        Files.writeString(systemctl, """
                #!/bin/sh
                case "$1" in
                  start) exit 0 ;;
                  show) n=$(cat DIR/n 2>/dev/null || echo 0); n=$((n + 1)); echo $n > DIR/n
                        if [ $n -le 4 ]; then echo ActiveState=activating; echo SubState=start
                        else echo ActiveState=active; echo SubState=running; fi
                        echo NRestarts=0; echo Type=simple; echo Result=success ;;
                esac
                """.replace("DIR", dir.toString()));
        Files.setPosixFilePermissions(systemctl, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Connection c = Connections.open(ConnectionSpec.local("localhost"))) {
            CommandResult r = c.shell().run(UnitWait.script("", systemctl.toString(), "start", List.of("web.service"), 0,
                    Map.of()), null, null, seen::add);
            assertEquals(0, r.exitCode(), r.err());
        }
        assertEquals(List.of("waiting for web.service: activating", "waiting for web.service: active"), seen);
    }
}
