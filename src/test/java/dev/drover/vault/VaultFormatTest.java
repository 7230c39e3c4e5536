package dev.drover.vault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The vault format against vectors that ansible-core 2.14.18's VaultLib produced (fixed salt
 * 00 01 … 1f, password "correct horse"; the generator is in the comment of each constant), plus
 * the failure cases. {@link AnsibleVaultInteropTest} checks both directions against the real
 * ansible-vault binary at test time.
 */
class VaultFormatTest {
    private static final VaultSecret PW = VaultSecret.of("correct horse");
    private static final byte[] SALT = new byte[32];

    static {
        for (int i = 0; i < 32; i++) {
            SALT[i] = (byte) i;
        }
    }

    // VaultLib([('default', s)]).encrypt(b'db_password: s3cr3t\n', s, salt=bytes(range(32)))
    static final String FILE_11 = "$ANSIBLE_VAULT;1.1;AES256\n"
            + "30303031303230333034303530363037303830393061306230633064306530663130313131323133\n"
            + "3134313531363137313831393161316231633164316531660a366161393130353936313436623161\n"
            + "31643531393333333330323135303534396530656631386531303666666238316237353235333939\n"
            + "3232376439363539610a616666313461373862663766626132393266383634373762663964613265\n"
            + "33663331303539373832626438346364346164643431396530396263643937316665\n";
    // ... encrypt(b'', s, salt=...)
    static final String EMPTY_11 = "$ANSIBLE_VAULT;1.1;AES256\n"
            + "30303031303230333034303530363037303830393061306230633064306530663130313131323133\n"
            + "3134313531363137313831393161316231633164316531660a333766326539643036306638336161\n"
            + "34646130326633393433623639653930316638633638326566303639346236663530313337336365\n"
            + "3164363630373465630a646238333035313863653163643934653530653433333531633962393064\n"
            + "3463\n";
    // ... encrypt(b'0123456789abcdef', s, vault_id='prod', salt=...): a full block of padding
    static final String PROD_12 = "$ANSIBLE_VAULT;1.2;AES256;prod\n"
            + "30303031303230333034303530363037303830393061306230633064306530663130313131323133\n"
            + "3134313531363137313831393161316231633164316531660a353066343366336534303566316562\n"
            + "39336264376634306236633433663163343763366563303237376263383739303561383963396430\n"
            + "3461363538646530320a666261323237336265613339666636393738636434323233626163643738\n"
            + "33613533323666333938613139386431353663313564383231356130633536646532\n";

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void encryptsByteForByteAsAnsibleVaultDoes() {
        assertEquals(FILE_11, VaultFormat.encrypt(b("db_password: s3cr3t\n"), PW, SALT));
        assertEquals(EMPTY_11, VaultFormat.encrypt(new byte[0], PW, SALT));
        assertEquals(PROD_12, VaultFormat.encrypt(b("0123456789abcdef"), new VaultSecret("prod", b("correct horse")), SALT));
    }

    @Test
    void decryptsAnsibleVaultData() {
        assertEquals("db_password: s3cr3t\n", VaultFormat.decrypt(FILE_11, List.of(PW), "f").text());
        assertEquals("", VaultFormat.decrypt(EMPTY_11, List.of(PW), "f").text());
        VaultFormat.Opened o = VaultFormat.decrypt(PROD_12, List.of(VaultSecret.of("nope"), PW), "f");
        assertEquals("0123456789abcdef", o.text());
        assertEquals("prod", o.envelope().vaultId());
        assertEquals("1.2", o.envelope().version());
        // an inline !vault block as YAML hands it over: indentation gone, maybe no final newline, CRLF
        assertEquals("db_password: s3cr3t\n",
                VaultFormat.decrypt(FILE_11.strip().replace("\n", "\r\n"), List.of(PW), "f").text());
    }

    @Test
    void randomSaltRoundTripsAndDiffers() {
        byte[] data = new byte[1000];
        new java.util.Random(7).nextBytes(data);
        String a = VaultFormat.encrypt(data, PW);
        String c = VaultFormat.encrypt(data, PW);
        assertNotEquals(a, c);
        assertArrayEquals(data, VaultFormat.decrypt(a, List.of(PW), null).plaintext());
        for (String line : a.split("\n")) {
            assertTrue(line.length() <= 80, line);
        }
        assertTrue(a.endsWith("\n"));
    }

    @Test
    void wrongPasswordGivesAnsiblesMessageWithTheSource() {
        VaultException e = assertThrows(VaultException.class,
                () -> VaultFormat.decrypt(FILE_11, List.of(VaultSecret.of("wrong")), "group_vars/all/vault.yml"));
        assertEquals("Decryption failed (no vault secrets were found that could decrypt) on group_vars/all/vault.yml",
                e.getMessage());
        VaultException none = assertThrows(VaultException.class, () -> VaultFormat.decrypt(FILE_11, List.of(), "play.yml:4:12"));
        assertTrue(none.getMessage().startsWith("Attempting to decrypt but no vault secrets found (play.yml:4:12"),
                none.getMessage());
        assertFalse(none.getMessage().contains("correct horse"));
    }

    @Test
    void tamperedDataIsRefused() {
        // flip one hex digit of the ciphertext part: the HMAC no longer matches
        String[] lines = FILE_11.split("\n");
        char[] last = lines[5].toCharArray();
        last[10] = last[10] == '3' ? '6' : '3';
        lines[5] = new String(last);
        String tampered = String.join("\n", lines);
        assertThrows(VaultException.class, () -> VaultFormat.decrypt(tampered, List.of(PW), "f"));
        VaultException notVault = assertThrows(VaultException.class, () -> VaultFormat.decrypt("a: 1\n", List.of(PW), "x.yml"));
        assertEquals("input is not vault encrypted data. x.yml is not a vault encrypted file", notVault.getMessage());
        VaultException odd = assertThrows(VaultException.class,
                () -> VaultFormat.decrypt("$ANSIBLE_VAULT;1.1;AES256\n123\n", List.of(PW), "x.yml"));
        assertTrue(odd.getMessage().startsWith("Vault format unhexlify error in x.yml"), odd.getMessage());
        VaultException cipher = assertThrows(VaultException.class,
                () -> VaultFormat.decrypt("$ANSIBLE_VAULT;1.1;AES128\n00\n", List.of(PW), "x.yml"));
        assertTrue(cipher.getMessage().startsWith("AES128 cipher could not be found"), cipher.getMessage());
    }

    @Test
    void pbkdf2MatchesTheJdksForTextPasswords() throws Exception {
        SecretKeyFactory f = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
        byte[] jdk = f.generateSecret(new PBEKeySpec("correct horse".toCharArray(), SALT, 10000, 640)).getEncoded();
        assertArrayEquals(jdk, VaultFormat.pbkdf2(b("correct horse"), SALT, 10000, 80));
    }

    @Test
    void paddingIsPkcs7ToSixteenBytes() {
        assertEquals(16, VaultFormat.pad(new byte[0]).length);
        assertEquals(16, VaultFormat.pad(new byte[15]).length);
        assertEquals(32, VaultFormat.pad(new byte[16]).length);
        assertEquals(16, VaultFormat.pad(new byte[16])[31]);
    }

    @Test
    void secretsNeverPrintTheirPassword() {
        assertFalse(PW.toString().contains("correct"));
        assertThrows(VaultException.class, () -> VaultSecret.of(""));
    }

    @Test
    void keyringMasksWhatItRevealedInAllItsForms() {
        Keyring k = new Keyring(List.of(PW));
        String secret = VaultFormat.encrypt(b("p\"a\\ss\nline two!"), PW);
        assertEquals("p\"a\\ss\nline two!", k.reveal(secret, "x"));
        assertEquals("x=******** y", k.mask("x=p\"a\\ss\nline two! y"));
        assertEquals("{\"v\": \"********\"}", k.mask("{\"v\": \"p\\\"a\\\\ss\\nline two!\"}"));
        assertEquals("+ ********", k.mask("+ line two!"));
        k.remember("ab"); // too short to mask inside text
        assertEquals("ok=1 ab", k.mask("ok=1 ab"));
        k.rememberAll(java.util.Map.of("user", "vocalyx", "port", 5432, "list", List.of("tokenvalue")));
        assertEquals("******** ******** ********", k.mask("vocalyx 5432 tokenvalue"));
    }
}
