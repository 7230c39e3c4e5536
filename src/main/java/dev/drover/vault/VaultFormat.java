package dev.drover.vault;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Ansible Vault's format (ansible-core 2.14, {@code ansible.parsing.vault}), byte for byte: the
 * envelope {@code $ANSIBLE_VAULT;1.1;AES256} (or {@code ;1.2;AES256;LABEL} with a vault-id),
 * followed by 80-column lines of hex. Inside the hex: {@code hex(salt) \n hex(hmac) \n hex(ciphertext)}.
 * Keys: PBKDF2-HMAC-SHA256 over the password with the 32-byte salt, 10000 iterations, 80 bytes =
 * AES-256 key ‖ HMAC-SHA256 key ‖ CTR initial counter. The plaintext is PKCS7-padded to 16 bytes
 * (as Ansible does, although CTR needs no padding), encrypted with AES-256-CTR, and the HMAC is
 * taken over the ciphertext. JDK crypto only (javax.crypto).
 */
public final class VaultFormat {
    private VaultFormat() {
    }

    public static final String HEADER = "$ANSIBLE_VAULT";
    public static final String CIPHER = "AES256";
    private static final int ITERATIONS = 10000;
    private static final int KEY_LENGTH = 32;
    private static final int IV_LENGTH = 16;
    private static final int SALT_LENGTH = 32;
    private static final int COLUMNS = 80;
    private static final HexFormat HEX = HexFormat.of();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A parsed envelope: version ({@code 1.1}, {@code 1.2}), cipher name, vault-id (or null) and the hex body. */
    public record Envelope(String version, String cipher, String vaultId, String body) {
    }

    /** What a decryption gave, and which secret opened it. */
    public record Opened(byte[] plaintext, VaultSecret secret, Envelope envelope) {
        public Opened {
            plaintext = plaintext.clone();
        }

        @Override
        public byte[] plaintext() {
            return plaintext.clone();
        }

        public String text() {
            return new String(plaintext, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "Opened[vaultId=" + envelope.vaultId() + "]";
        }
    }

    /** True when the text starts with {@code $ANSIBLE_VAULT} (Ansible's is_encrypted). */
    public static boolean isEncrypted(String text) {
        return text != null && text.startsWith(HEADER);
    }

    public static boolean isEncrypted(byte[] data) {
        byte[] h = HEADER.getBytes(StandardCharsets.US_ASCII);
        if (data == null || data.length < h.length) {
            return false;
        }
        for (int i = 0; i < h.length; i++) {
            if (data[i] != h[i]) {
                return false;
            }
        }
        return true;
    }

    /** Splits the header off; the body keeps only its hex (line breaks and other white space dropped). */
    public static Envelope parse(String vaulttext, String source) {
        if (!isEncrypted(vaulttext)) {
            throw new VaultException("input is not vault encrypted data"
                    + (source == null ? "" : ". " + source + " is not a vault encrypted file"));
        }
        String[] lines = vaulttext.split("\r\n|\r|\n", -1);
        String[] header = lines[0].strip().split(";", -1);
        if (header.length < 3) {
            throw new VaultException("Vault envelope format error" + (source == null ? "" : " in " + source)
                    + ": the header '" + lines[0].strip() + "' has no version and cipher");
        }
        String version = header[1].strip();
        String cipher = header[2].strip();
        String id = header.length >= 4 ? header[3].strip() : null;
        StringBuilder body = new StringBuilder();
        for (int i = 1; i < lines.length; i++) {
            for (char c : lines[i].toCharArray()) {
                if (!Character.isWhitespace(c)) {
                    body.append(c);
                }
            }
        }
        return new Envelope(version, cipher, id, body.toString());
    }

    /** Encrypts with a fresh random salt, as ansible-vault does. */
    public static String encrypt(byte[] plaintext, VaultSecret secret) {
        byte[] salt = new byte[SALT_LENGTH];
        RANDOM.nextBytes(salt);
        return encrypt(plaintext, secret, salt);
    }

    /**
     * The vault text of {@code plaintext}: version 1.1 for the default vault-id, 1.2 with the
     * label otherwise; ends with a newline, as Ansible writes it.
     */
    public static String encrypt(byte[] plaintext, VaultSecret secret, byte[] salt) {
        if (salt == null || salt.length == 0) {
            throw new VaultException("Empty or invalid salt passed to encrypt()");
        }
        byte[][] keys = deriveKeys(secret.password(), salt);
        byte[] ciphertext = aesCtr(Cipher.ENCRYPT_MODE, keys[0], keys[2], pad(plaintext));
        byte[] hmac = hmac(keys[1], ciphertext);
        String inner = HEX.formatHex(salt) + "\n" + HEX.formatHex(hmac) + "\n" + HEX.formatHex(ciphertext);
        String body = HEX.formatHex(inner.getBytes(StandardCharsets.US_ASCII));
        boolean labelled = !secret.id().equals(VaultSecret.DEFAULT_ID);
        StringBuilder out = new StringBuilder(HEADER).append(labelled ? ";1.2;" : ";1.1;").append(CIPHER);
        if (labelled) {
            if (secret.id().contains(";")) {
                throw new VaultException("'" + secret.id() + "' is not a valid vault id. The character ';' is not allowed in vault ids");
            }
            out.append(';').append(secret.id());
        }
        out.append('\n');
        for (int i = 0; i < body.length(); i += COLUMNS) {
            out.append(body, i, Math.min(body.length(), i + COLUMNS)).append('\n');
        }
        return out.toString();
    }

    /**
     * Decrypts with the first secret that opens the data: secrets whose vault-id matches the
     * envelope's label first, then the others (Ansible's default, DEFAULT_VAULT_ID_MATCH off).
     *
     * @param source the file or file:line:column the data came from, for messages (may be null)
     */
    public static Opened decrypt(String vaulttext, List<VaultSecret> secrets, String source) {
        Envelope env = parse(vaulttext, source);
        if (!CIPHER.equals(env.cipher())) {
            throw new VaultException(env.cipher() + " cipher could not be found"
                    + (source == null ? "" : " (" + source + ")"));
        }
        if (secrets.isEmpty()) {
            throw VaultException.noSecrets(source);
        }
        byte[][] parts = inner(env, source);
        List<VaultSecret> order = new ArrayList<>();
        for (VaultSecret s : secrets) {
            if (s.id().equals(env.vaultId())) {
                order.add(s);
            }
        }
        for (VaultSecret s : secrets) {
            if (!order.contains(s)) {
                order.add(s);
            }
        }
        for (VaultSecret s : order) {
            byte[] plain = open(parts[0], parts[1], parts[2], s.password());
            if (plain != null) {
                return new Opened(plain, s, env);
            }
        }
        throw VaultException.noMatch(source);
    }

    /** salt, hmac, ciphertext. */
    private static byte[][] inner(Envelope env, String source) {
        String where = source == null ? "" : " in " + source;
        try {
            String inner = new String(unhex(env.body()), StandardCharsets.US_ASCII);
            String[] p = inner.split("\n", 3);
            if (p.length != 3) {
                throw new VaultException("Vault vaulttext format error" + where + ": not enough values to unpack");
            }
            return new byte[][] {unhex(p[0]), unhex(p[1]), unhex(p[2])};
        } catch (IllegalArgumentException e) {
            throw new VaultException("Vault format unhexlify error" + where + ": " + e.getMessage());
        }
    }

    private static byte[] unhex(String s) {
        if (s.length() % 2 != 0) {
            throw new IllegalArgumentException("Odd-length string");
        }
        return HEX.parseHex(s.toLowerCase(Locale.ROOT));
    }

    /** The plaintext, or null when this password does not open the data (HMAC or padding wrong). */
    private static byte[] open(byte[] salt, byte[] expectedHmac, byte[] ciphertext, byte[] password) {
        byte[][] keys = deriveKeys(password, salt);
        if (!MessageDigest.isEqual(hmac(keys[1], ciphertext), expectedHmac)) {
            return null;
        }
        return unpad(aesCtr(Cipher.DECRYPT_MODE, keys[0], keys[2], ciphertext));
    }

    /** AES key, HMAC key, IV: 80 bytes of PBKDF2-HMAC-SHA256 (computed here: javax's PBKDF2 takes chars, Ansible's bytes). */
    static byte[][] deriveKeys(byte[] password, byte[] salt) {
        byte[] dk = pbkdf2(password, salt, ITERATIONS, 2 * KEY_LENGTH + IV_LENGTH);
        byte[] k1 = java.util.Arrays.copyOfRange(dk, 0, KEY_LENGTH);
        byte[] k2 = java.util.Arrays.copyOfRange(dk, KEY_LENGTH, 2 * KEY_LENGTH);
        byte[] iv = java.util.Arrays.copyOfRange(dk, 2 * KEY_LENGTH, 2 * KEY_LENGTH + IV_LENGTH);
        java.util.Arrays.fill(dk, (byte) 0);
        return new byte[][] {k1, k2, iv};
    }

    /** RFC 8018 PBKDF2 with HMAC-SHA256. */
    static byte[] pbkdf2(byte[] password, byte[] salt, int iterations, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new HmacKey(password));
            int hLen = mac.getMacLength();
            byte[] out = new byte[length];
            int blocks = (length + hLen - 1) / hLen;
            for (int i = 1; i <= blocks; i++) {
                mac.update(salt);
                mac.update(new byte[] {(byte) (i >>> 24), (byte) (i >>> 16), (byte) (i >>> 8), (byte) i});
                byte[] u = mac.doFinal();
                byte[] t = u.clone();
                for (int j = 1; j < iterations; j++) {
                    u = mac.doFinal(u);
                    for (int k = 0; k < t.length; k++) {
                        t[k] ^= u[k];
                    }
                }
                System.arraycopy(t, 0, out, (i - 1) * hLen, Math.min(hLen, length - (i - 1) * hLen));
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA256", e);
        }
    }

    /** A raw HMAC key that, unlike SecretKeySpec, accepts any bytes (an empty key is refused earlier). */
    private static final class HmacKey implements javax.crypto.SecretKey {
        private static final long serialVersionUID = 1L;
        private final byte[] key;

        HmacKey(byte[] key) {
            this.key = key.clone();
        }

        @Override
        public String getAlgorithm() {
            return "HmacSHA256";
        }

        @Override
        public String getFormat() {
            return "RAW";
        }

        @Override
        public byte[] getEncoded() {
            return key.clone();
        }
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA256", e);
        }
    }

    private static byte[] aesCtr(int mode, byte[] key, byte[] iv, byte[] data) {
        try {
            Cipher c = Cipher.getInstance("AES/CTR/NoPadding");
            c.init(mode, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            return c.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no AES/CTR", e);
        }
    }

    /** PKCS7 to AES's 16-byte block, as Ansible pads before CTR. */
    static byte[] pad(byte[] data) {
        int n = 16 - data.length % 16;
        byte[] out = java.util.Arrays.copyOf(data, data.length + n);
        java.util.Arrays.fill(out, data.length, out.length, (byte) n);
        return out;
    }

    private static byte[] unpad(byte[] data) {
        if (data.length == 0 || data.length % 16 != 0) {
            throw new VaultException("Decryption failed: invalid padding");
        }
        int n = data[data.length - 1] & 0xff;
        if (n < 1 || n > 16) {
            throw new VaultException("Decryption failed: invalid padding");
        }
        for (int i = data.length - n; i < data.length; i++) {
            if ((data[i] & 0xff) != n) {
                throw new VaultException("Decryption failed: invalid padding");
            }
        }
        return java.util.Arrays.copyOf(data, data.length - n);
    }
}
