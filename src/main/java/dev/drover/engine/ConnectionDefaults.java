package dev.drover.engine;

import java.nio.file.Path;
import java.util.Map;

/**
 * The CLI's connection options: {@code -u/--user}, {@code --private-key}, {@code -k/--ask-pass},
 * {@code -K/--ask-become-pass}, {@code -c/--connection} ({@code type}: local, ssh…; null: drover's
 * default). They rank below play/task keywords and host variables, as in Ansible. The secrets
 * never reach logs, events or output ({@link #toString} masks them).
 */
public record ConnectionDefaults(String user, Path privateKey, String password, String becomePassword,
                                 String keyPassphrase, String type) {

    public static final ConnectionDefaults NONE = new ConnectionDefaults(null, null, null, null, null, null);

    /** These options as the connection keywords they stand in for, under {@code out}'s own. */
    Map<String, Object> under(Map<String, Object> out) {
        if (type != null) {
            out.putIfAbsent("connection", type);
        }
        if (user != null) {
            out.putIfAbsent("remote_user", user);
        }
        if (privateKey != null) {
            out.put(HostState.CLI_PRIVATE_KEY, privateKey.toString());
        }
        if (password != null) {
            out.put(HostState.CLI_PASSWORD, password);
        }
        if (keyPassphrase != null) {
            out.put(HostState.CLI_KEY_PASSPHRASE, keyPassphrase);
        }
        return out;
    }

    @Override
    public String toString() {
        return "ConnectionDefaults[user=" + user + ", privateKey=" + privateKey
                + ", password=" + (password == null ? "none" : "****")
                + ", becomePassword=" + (becomePassword == null ? "none" : "****")
                + ", keyPassphrase=" + (keyPassphrase == null ? "none" : "****") + ", type=" + type + "]";
    }
}
