package dev.drover.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** The debug log: off by default, on stderr at -vvv (with stack traces of internal errors). */
final class Logging {
    private Logging() {
    }

    /** Whether an earlier run in this JVM turned the debug log on (tests run the CLI in-process). */
    private static boolean enabled;

    static synchronized void configure(int verbosity) {
        if (verbosity < 3) {
            if (enabled) {
                ((Logger) LoggerFactory.getLogger("dev.drover")).setLevel(Level.OFF);
                enabled = false;
            }
            return;
        }
        enabled = true;
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        LogConfigurator.addStderr(root.getLoggerContext());
        root.setLevel(Level.WARN);
        // drover's own log: debug at -vvv, trace at -vvvv
        ((Logger) LoggerFactory.getLogger("dev.drover")).setLevel(verbosity >= 4 ? Level.TRACE : Level.DEBUG);
    }
}
