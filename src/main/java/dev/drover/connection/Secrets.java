package dev.drover.connection;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Where the connection layer gets a secret it was not given: the CLI installs a {@link Prompter}
 * (the console) when it runs interactively. Answers are kept for the run (asked once per key).
 * Secrets are never logged.
 */
public final class Secrets {

    /** Asks the user; returns null when no answer can be had. */
    public interface Prompter {
        String ask(String prompt);
    }

    private static volatile Prompter prompter;
    private static final Map<Path, String> PASSPHRASES = new HashMap<>();

    private Secrets() {
    }

    public static void setPrompter(Prompter p) {
        prompter = p;
    }

    /** Drops the answers kept (at the end of a run). */
    public static synchronized void forget() {
        PASSPHRASES.clear();
    }

    /** The passphrase of an encrypted key, asked once (null without a prompter). */
    static synchronized String passphrase(Path key) {
        Path k = key.toAbsolutePath().normalize();
        if (PASSPHRASES.containsKey(k)) {
            return PASSPHRASES.get(k);
        }
        Prompter p = prompter;
        String answer = p == null ? null : p.ask("Enter passphrase for key '" + key + "': ");
        PASSPHRASES.put(k, answer);
        return answer;
    }
}
