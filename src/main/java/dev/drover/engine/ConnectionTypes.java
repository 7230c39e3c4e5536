package dev.drover.engine;

import dev.drover.connection.ConnectionException;
import java.util.List;
import java.util.Locale;

/**
 * The connection types drover knows (the {@code connection} keyword, ansible_connection, {@code -c},
 * ansible.cfg's transport), under their Ansible names: local, and ssh with its aliases smart and
 * paramiko, bare or fully qualified ({@code ansible.builtin.ssh}).
 */
public final class ConnectionTypes {
    /** The names drover accepts, as said in its messages. */
    public static final List<String> NAMES = List.of("local", "ssh", "smart", "paramiko");

    private ConnectionTypes() {
    }

    /** "local" or "ssh" for a type drover connects with, else null. */
    public static String normalize(String type) {
        String t = type.trim().toLowerCase(Locale.ROOT);
        for (String prefix : new String[] {"ansible.builtin.", "ansible.legacy."}) {
            if (t.startsWith(prefix)) {
                t = t.substring(prefix.length());
                break;
            }
        }
        return switch (t) {
            case "local" -> "local";
            case "ssh", "smart", "paramiko", "paramiko_ssh" -> "ssh";
            default -> null;
        };
    }

    /**
     * The message for a type drover does not connect with, as Ansible's, with what drover takes;
     * {@code source} (-c, ansible.cfg's transport) is named when not null.
     */
    public static String notFound(String type, String source) {
        return "the connection plugin '" + type + "' was not found" + (source == null ? "" : " (" + source + ")")
                + ": drover connects with "
                + String.join(", ", NAMES) + "." + dev.drover.playbook.Suggestions.didYouMean(type, NAMES);
    }

    /**
     * A host asks for a connection type drover does not have: the task fails on that host (as
     * Ansible's does when the plugin is not found), it is not unreachable.
     */
    public static final class NotFound extends ConnectionException {
        private static final long serialVersionUID = 1L;

        NotFound(String type) {
            super(notFound(type, null));
        }
    }
}
