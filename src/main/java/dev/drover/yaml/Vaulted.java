package dev.drover.yaml;

/** A {@code !vault} tagged scalar: Ansible Vault ciphertext, decrypted on use. */
public record Vaulted(String ciphertext, Location location) {
    @Override
    public String toString() {
        return "********";
    }
}
