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
final class Prompter {
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

    static synchronized String ask(String prompt) {
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
