package dev.drover.cli;

/**
 * What differs when the resident drover ({@code dev.drover.daemon}) runs a command line for a
 * client process instead of this process running it: the client's user answers prompts, the
 * client's Ctrl-C stops the run, and the journal names the client's pid. Outside the daemon
 * nothing is installed and drover asks its own terminal, handles its own SIGINT.
 */
public final class Served {
    private static volatile Client client;

    private Served() {
    }

    /** The client process of the run being served. */
    public interface Client {
        /** A secret, as {@link Prompter} asks one: without echo on the client's terminal, else a line of its stdin. */
        String askSecret(String prompt);

        /** vars_prompt and pause: on the client's terminal only (null without one). */
        String askOnTerminal(String prompt, boolean hidden);

        /** Whether the client has a terminal. */
        boolean interactive();

        /** The client's pid (the journal's record of who ran). */
        long pid();

        /** Calls {@code stop} at the client's Ctrl-C; returns what stops listening. */
        Runnable onInterrupt(Runnable stop);
    }

    /** Serves the next run for {@code c}; returns what ends it. */
    public static Runnable install(Client c) {
        client = c;
        return () -> client = null;
    }

    static Client client() {
        return client;
    }

    static long pid() {
        Client c = client;
        return c != null ? c.pid() : ProcessHandle.current().pid();
    }
}
