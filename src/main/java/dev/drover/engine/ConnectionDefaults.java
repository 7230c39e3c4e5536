package dev.drover.engine;

import java.nio.file.Path;

/**
 * The CLI's connection options: {@code -u/--user}, {@code --private-key}, {@code -k/--ask-pass},
 * {@code -K/--ask-become-pass}. They rank below play/task keywords and host variables, as in
 * Ansible. The secrets never reach logs, events or output ({@link #toString} masks them).
 */
public record ConnectionDefaults(String user, Path privateKey, String password, String becomePassword,
                                 String keyPassphrase) {

    public static final ConnectionDefaults NONE = new ConnectionDefaults(null, null, null, null, null);

    @Override
    public String toString() {
        return "ConnectionDefaults[user=" + user + ", privateKey=" + privateKey
                + ", password=" + (password == null ? "none" : "****")
                + ", becomePassword=" + (becomePassword == null ? "none" : "****")
                + ", keyPassphrase=" + (keyPassphrase == null ? "none" : "****") + "]";
    }
}
