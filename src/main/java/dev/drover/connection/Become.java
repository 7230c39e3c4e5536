package dev.drover.connection;

import java.util.Objects;

/**
 * How to become another user on a host. {@code password} is fed on the shell's stdin, never on a
 * command line, and is never logged; null means none (sudo -n).
 */
public record Become(String user, String method, String password) {

    public Become {
        Objects.requireNonNull(user, "user");
        method = method == null ? "sudo" : method;
    }

    public static Become sudo(String user) {
        return new Become(user, "sudo", null);
    }

    @Override
    public String toString() {
        return "Become[" + method + " -> " + user + (password == null ? "" : ", password ****") + "]";
    }
}
