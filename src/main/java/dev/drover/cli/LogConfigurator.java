package dev.drover.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback set up in code (found through META-INF/services): no XML parsing at start-up, which
 * measured ≈0.6 s here. Everything is off until {@link Logging#configure} turns drover's debug
 * log on (-vvv); only then is the stderr appender built ({@link #addStderr}), since its pattern
 * layout and date formatter cost start-up time that a run without -vvv never uses.
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.OFF);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Sends the root logger to stderr (once). */
    static synchronized void addStderr(LoggerContext context) {
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (root.getAppender("stderr") != null) {
            return;
        }
        MaskingLayout layout = new MaskingLayout();
        layout.setContext(context);
        layout.setPattern("%d{HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %msg%n");
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("stderr");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        root.addAppender(stderr);
    }

    /** The debug log's lines, with the run's vault values (and stack traces mentioning them) masked. */
    static final class MaskingLayout extends PatternLayout {
        @Override
        public String doLayout(ILoggingEvent event) {
            return dev.drover.vault.Keyring.current().mask(super.doLayout(event));
        }
    }
}
