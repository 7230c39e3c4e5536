package dev.drover.cli;

import dev.drover.connection.Secrets;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Asks for secrets: on the console without echo when there is one, else one line of stdin (for
 * scripts and tests; the prompt goes to stderr). Answers are never printed or logged.
 */
public final class Prompter {
    private static BufferedReader stdin;

    private Prompter() {
    }

    /** Lets the connection layer ask (encrypted key passphrases). */
    static void install() {
        Secrets.setPrompter(Prompter::ask);
    }

    static void uninstall() {
        Secrets.setPrompter(null);
        Secrets.forget();
        synchronized (Prompter.class) {
            stdin = null;
        }
    }

    /** vars_prompt and pause ask on the terminal; without one (System.console() is null) nobody answers. */
    static dev.drover.engine.VarsPrompter terminal() {
        Served.Client served = Served.client();
        if (served != null) {
            return new dev.drover.engine.VarsPrompter() {
                @Override
                public String ask(String prompt, boolean hidden) {
                    return served.askOnTerminal(prompt, hidden);
                }

                @Override
                public boolean interactive() {
                    return served.interactive();
                }
            };
        }
        return new dev.drover.engine.VarsPrompter() {
            @Override
            public String ask(String prompt, boolean hidden) {
                return askOnTerminal(prompt, hidden);
            }

            @Override
            public boolean interactive() {
                return System.console() != null;
            }
        };
    }

    /** vars_prompt's question on this process's terminal: null without one. */
    public static String askOnTerminal(String prompt, boolean hidden) {
        Console c = System.console();
        if (c == null) {
            return null;
        }
        synchronized (Prompter.class) {
            if (hidden) {
                char[] pw = c.readPassword("%s", prompt);
                return pw == null ? null : new String(pw);
            }
            return c.readLine("%s", prompt);
        }
    }

    static String ask(String prompt) {
        Served.Client served = Served.client();
        return served != null ? served.askSecret(prompt) : askHere(prompt);
    }

    /** A secret asked of this process's user: on its terminal without echo, else a line of its stdin. */
    public static synchronized String askHere(String prompt) {
        Console c = System.console();
        if (c != null) {
            char[] pw = c.readPassword("%s", prompt);
            return pw == null ? null : new String(pw);
        }
        System.err.print(prompt);
        System.err.flush();
        try {
            if (stdin == null) {
                stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            }
            String line = stdin.readLine();
            System.err.println();
            return line;
        } catch (IOException e) {
            return null;
        }
    }
}
