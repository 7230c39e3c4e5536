package dev.drover.vault;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run's vault passwords and everything decrypted with them. Every value that leaves the vault
 * through {@link #reveal} or {@link #remember} is kept in a set, and {@link #mask} replaces it with
 * {@code ********} in any text: the output boundary (console listener, stderr, the debug log) runs
 * every line through it, so a vault value never reaches drover's output.
 *
 * <p>The CLI installs the run's keyring with {@link #install} (the YAML loader and the templar,
 * which are static and shared, find it through {@link #current()}), and removes it after the run.
 * Values shorter than {@link #MIN_MASKED} characters are not masked inside text: replacing every
 * {@code 1} of the output would destroy it (the README says so).
 */
public final class Keyring {
    public static final String MASK = "********";
    public static final int MIN_MASKED = 3;

    private static volatile Keyring current = new Keyring(List.of());

    private final List<VaultSecret> secrets;
    private final Map<String, String> opened = new ConcurrentHashMap<>();
    private final Set<String> revealed = ConcurrentHashMap.newKeySet();
    private volatile Pattern pattern;

    public Keyring(List<VaultSecret> secrets) {
        this.secrets = List.copyOf(secrets);
    }

    /** The keyring of the run in progress (an empty one, without passwords, outside a run). */
    public static Keyring current() {
        return current;
    }

    /** Makes {@code k} the current keyring; returns what undoes it. */
    public static Runnable install(Keyring k) {
        Keyring before = current;
        current = k;
        return () -> current = before.secrets.isEmpty() ? new Keyring(List.of()) : before;
    }

    public List<VaultSecret> secrets() {
        return secrets;
    }

    public boolean hasSecrets() {
        return !secrets.isEmpty();
    }

    /** Decrypts vault data (a whole file); the caller remembers what in it is secret. */
    public VaultFormat.Opened open(String vaulttext, String source) {
        return VaultFormat.decrypt(vaulttext, secrets, source);
    }

    /** Decrypts an inline {@code !vault} value to text (cached), and remembers it for masking. */
    public String reveal(String vaulttext, String source) {
        String plain = opened.get(vaulttext);
        if (plain == null) {
            plain = open(vaulttext, source).text();
            opened.put(vaulttext, plain);
        }
        remember(plain);
        return plain;
    }

    /** Marks a value as secret: it is masked in all output from now on. */
    public void remember(String value) {
        if (value == null || value.strip().length() < MIN_MASKED) {
            return;
        }
        if (revealed.add(value)) {
            pattern = null;
        }
    }

    /** Marks every string and number inside a data structure (maps, lists) as secret; keys are not. */
    public void rememberAll(Object data) {
        if (data instanceof Map<?, ?> m) {
            m.values().forEach(this::rememberAll);
        } else if (data instanceof Iterable<?> l) {
            l.forEach(this::rememberAll);
        } else if (data instanceof CharSequence || data instanceof Number) {
            remember(String.valueOf(data));
        }
    }

    public boolean hasRevealed() {
        return !revealed.isEmpty();
    }

    /** {@code text} with every remembered value (and its JSON/Python-escaped forms) replaced by {@code ********}. */
    public String mask(String text) {
        if (text == null || revealed.isEmpty()) {
            return text;
        }
        Pattern p = pattern;
        if (p == null) {
            p = compile();
            pattern = p;
        }
        return p.matcher(text).replaceAll(Matcher.quoteReplacement(MASK));
    }

    private Pattern compile() {
        Set<String> forms = new java.util.HashSet<>();
        for (String s : revealed) {
            forms.add(s);
            forms.add(s.strip());
            String json = s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r")
                    .replace("\t", "\\t");
            forms.add(json);
            forms.add(s.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("\r", "\\r")
                    .replace("\t", "\\t"));
            forms.add(asciiJson(json));
            if (s.contains("\n")) {
                // a multi-line secret printed line by line (a diff, a key file)
                for (String line : s.split("\r?\n")) {
                    if (line.strip().length() > MIN_MASKED) {
                        forms.add(line.strip());
                    }
                }
            }
        }
        List<String> sorted = new ArrayList<>();
        for (String f : forms) {
            if (f.strip().length() >= MIN_MASKED) {
                sorted.add(f);
            }
        }
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        StringBuilder re = new StringBuilder();
        for (String f : sorted) {
            if (re.length() > 0) {
                re.append('|');
            }
            re.append(Pattern.quote(f));
        }
        return Pattern.compile(re.length() == 0 ? "(?!)" : re.toString());
    }

    /** Python's json.dumps with ensure_ascii: non-ASCII characters as \\uXXXX. */
    private static String asciiJson(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c < 0x80) {
                b.append(c);
            } else {
                b.append(String.format("\\u%04x", (int) c));
            }
        }
        return b.toString();
    }

    /** Decrypts a whole file's bytes when they are vault data (else returns them unchanged). */
    public byte[] openIfEncrypted(byte[] data, String source) {
        if (!VaultFormat.isEncrypted(data)) {
            return data;
        }
        return open(new String(data, StandardCharsets.UTF_8), source).plaintext();
    }
}
