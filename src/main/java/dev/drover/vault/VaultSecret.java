package dev.drover.vault;

import java.util.Arrays;

/**
 * A vault password with its vault-id label ({@code default} when none was given). The bytes are
 * copied in and out; {@link #toString()} never shows them.
 */
public record VaultSecret(String id, byte[] password) {
    public static final String DEFAULT_ID = "default";

    public VaultSecret {
        id = id == null || id.isEmpty() ? DEFAULT_ID : id;
        if (password == null || password.length == 0) {
            throw new VaultException("Invalid vault password was provided (empty)");
        }
        password = password.clone();
    }

    public static VaultSecret of(String password) {
        return new VaultSecret(DEFAULT_ID, password.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public byte[] password() {
        return password.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VaultSecret s && s.id.equals(id) && Arrays.equals(s.password, password);
    }

    @Override
    public int hashCode() {
        return id.hashCode() * 31 + Arrays.hashCode(password);
    }

    @Override
    public String toString() {
        return "VaultSecret[id=" + id + ", password=********]";
    }
}
