package dev.drover.yaml;

import dev.drover.vault.Keyring;

/**
 * A {@code !vault} tagged scalar: Ansible Vault ciphertext, decrypted on use ({@link #reveal()})
 * with the run's keyring. Printed, it shows {@code ********}, never the ciphertext or the secret.
 */
public record Vaulted(String ciphertext, Location location) {

    /**
     * The secret text; it is remembered for masking from then on.
     *
     * @throws dev.drover.vault.VaultException no password, or none that opens it (the message names
     *         this value's file:line:column)
     */
    public String reveal() {
        return Keyring.current().reveal(ciphertext, location == null ? null : location.toString());
    }

    @Override
    public String toString() {
        return "********";
    }
}
