package dev.drover.vault;

/**
 * A vault operation that cannot be done (no password, wrong password, a damaged envelope), with a
 * message a person can act on. Never carries a secret.
 */
public class VaultException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public VaultException(String message) {
        super(message);
    }

    /** Ansible's message when vaulted data meets a run without a password, with where and what to do. */
    public static VaultException noSecrets(String source) {
        return new VaultException("Attempting to decrypt but no vault secrets found"
                + (source == null ? "" : " (" + source + " is vault-encrypted)")
                + "; give the vault password with --ask-vault-pass, --vault-password-file FILE or $ANSIBLE_VAULT_PASSWORD_FILE");
    }

    /** Ansible's message when no known password opens the data. */
    public static VaultException noMatch(String source) {
        return new VaultException("Decryption failed (no vault secrets were found that could decrypt)"
                + (source == null ? "" : " on " + source));
    }
}
