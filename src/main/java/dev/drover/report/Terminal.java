package dev.drover.report;

/**
 * Whether drover's output goes to a terminal (colours, the progress line, prompts without echo).
 * A process asks its JVM ({@code System.console()}); a run the resident drover serves for a client
 * process is told by that client, whose terminal it is ({@link #override}).
 */
public final class Terminal {
    private static volatile Boolean told;

    private Terminal() {
    }

    /** A terminal on this run's standard streams. */
    public static boolean interactive() {
        Boolean t = told;
        return t != null ? t : System.console() != null;
    }

    /** Says whether the run now starting has a terminal; returns what undoes it. */
    public static Runnable override(boolean interactive) {
        told = interactive;
        return () -> told = null;
    }
}
