package dev.drover.yaml;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import dev.drover.vault.Keyring;
import dev.drover.vault.VaultFormat;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads YAML as Ansible (PyYAML, YAML 1.1) does: {@code yes/no/on/off} are booleans, {@code 0644}
 * is octal (420), {@code <<} merges, {@code !vault} values become {@link Vaulted}, {@code !unsafe}
 * values stay text. Nodes keep their marks so every error can name file:line:column.
 */
public final class YamlLoader {
    private YamlLoader() {
    }

    private static final Pattern BOOL_TRUE = Pattern.compile("yes|Yes|YES|true|True|TRUE|on|On|ON");
    private static final Pattern BOOL_FALSE = Pattern.compile("no|No|NO|false|False|FALSE|off|Off|OFF");
    private static final Pattern NULL = Pattern.compile("~|null|Null|NULL|");
    private static final Pattern INT_DEC = Pattern.compile("[-+]?(0|[1-9][0-9_]*)");
    private static final Pattern INT_OCT = Pattern.compile("[-+]?0[0-7_]+");
    private static final Pattern INT_OCT_O = Pattern.compile("[-+]?0o[0-7_]+");
    private static final Pattern INT_HEX = Pattern.compile("[-+]?0x[0-9a-fA-F_]+");
    private static final Pattern INT_BIN = Pattern.compile("[-+]?0b[01_]+");
    private static final Pattern FLOAT = Pattern.compile(
            "[-+]?([0-9][0-9_]*)?\\.[0-9_]*([eE][-+][0-9]+)?|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");

    private static LoadSettings settings(String file) {
        return LoadSettings.builder().setLabel(file).setAllowDuplicateKeys(true)
                .setMaxAliasesForCollections(1000).setCodePointLimit(64 * 1024 * 1024).build();
    }

    /** Composes every document of a YAML text into nodes, keeping marks. */
    public static List<Node> compose(String text, String file) throws YamlException {
        try {
            List<Node> docs = new ArrayList<>();
            for (Node n : new Compose(settings(file)).composeAllFromString(text)) {
                docs.add(n);
            }
            return docs;
        } catch (MarkedYamlEngineException e) {
            Mark m = e.getProblemMark().or(e::getContextMark).orElse(null);
            String problem = e.getProblem() == null ? e.getMessage() : e.getProblem();
            String ctx = e.getContext() == null ? "" : e.getContext() + ": ";
            throw new YamlException(m == null ? Location.of(file) : location(file, m),
                    "YAML syntax error: " + ctx + problem);
        } catch (YamlEngineException e) {
            Location where = e.getMessage() != null && e.getMessage().startsWith("Non scalar key")
                    ? nonScalarKey(text, file) : null;
            if (where != null) {
                String[] lines = text.split("\n", -1);
                String at = where.line() - 1 < lines.length ? lines[where.line() - 1] : "";
                // {{ x }} unquoted: the key found is the inner '{' of a flow mapping that starts one column before
                boolean jinja = where.column() >= 2 && where.column() - 2 < at.length()
                        && at.substring(where.column() - 2).startsWith("{{");
                if (jinja) {
                    where = new Location(where.file(), where.line(), where.column() - 1);
                }
                throw new YamlException(where, "YAML syntax error: a mapping key must be a plain value (a string, a"
                        + " number…), not a mapping or a list" + (jinja ? "; a value that starts with {{ must be quoted:"
                        + " \"{{ … }}\"" : ""));
            }
            throw new YamlException(Location.of(file), "YAML syntax error: " + e.getMessage());
        }
    }

    /**
     * Where the first key that is a mapping or a list is (snakeyaml-engine's refusal has no
     * mark), or null: read from the parser's events, which stop before any later syntax error.
     */
    private static Location nonScalarKey(String text, String file) {
        java.util.Deque<boolean[]> open = new java.util.ArrayDeque<>(); // per collection: {mapping, expecting a key}
        try {
            for (org.snakeyaml.engine.v2.events.Event e : new org.snakeyaml.engine.v2.api.lowlevel.Parse(settings(file))
                    .parseString(text)) {
                boolean[] top = open.peek();
                switch (e.getEventId()) {
                    case MappingStart, SequenceStart -> {
                        if (top != null && top[0] && top[1]) {
                            return e.getStartMark().map(m -> location(file, m)).orElse(null);
                        }
                        if (top != null && top[0]) {
                            top[1] = true; // this collection is a value: a key follows it
                        }
                        open.push(new boolean[] {e.getEventId() == org.snakeyaml.engine.v2.events.Event.ID.MappingStart, true});
                    }
                    case MappingEnd, SequenceEnd -> open.pop();
                    case Scalar, Alias -> {
                        if (top != null && top[0]) {
                            top[1] = !top[1];
                        }
                    }
                    default -> {
                    }
                }
            }
        } catch (YamlEngineException | java.util.NoSuchElementException e) {
            return null;
        }
        return null;
    }

    /** The first document of a file as nodes; null for an empty file. */
    public static Node composeFile(Path path) throws YamlException {
        String text = read(path);
        List<Node> docs = compose(text, path.toString());
        return docs.isEmpty() ? null : docs.get(0);
    }

    /** A file's first document as plain Java data (maps, lists, strings, numbers, booleans, null). */
    public static Object loadData(Path path) throws YamlException {
        Node n = composeFile(path);
        return n == null ? null : toData(n);
    }

    public static Object loadData(String text, String file) throws YamlException {
        List<Node> docs = compose(text, file);
        return docs.isEmpty() ? null : toData(docs.get(0));
    }

    /**
     * A file's text; a vault-encrypted file ({@code $ANSIBLE_VAULT;...}, as Ansible's DataLoader
     * reads any file) is decrypted with the run's {@link Keyring}, and its values are remembered as
     * secrets so that the output masks them.
     *
     * @throws dev.drover.vault.VaultException when it is encrypted and no password opens it
     */
    public static String read(Path path) throws YamlException {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new YamlException(Location.of(path.toString()), "cannot read file: " + e.getMessage());
        }
        if (!VaultFormat.isEncrypted(text)) {
            return text;
        }
        Keyring keyring = Keyring.current();
        String plain = keyring.open(text, path.toString()).text();
        try {
            List<Node> docs = compose(plain, path.toString());
            for (Node n : docs) {
                keyring.rememberAll(toData(n));
            }
        } catch (YamlException e) {
            // not YAML (or broken YAML, which the caller reports): every line is secret
            for (String line : plain.split("\r?\n")) {
                keyring.remember(line.strip());
            }
        }
        return plain;
    }

    public static Location location(Node node) {
        return node.getStartMark().map(m -> location(m.getName(), m)).orElse(Location.of("<unknown>"));
    }

    private static Location location(String file, Mark m) {
        return new Location(file, m.getLine() + 1, m.getColumn() + 1);
    }

    /** Converts a node tree to plain data with YAML 1.1 scalar rules. */
    public static Object toData(Node node) {
        if (node instanceof ScalarNode s) {
            return scalar(s);
        }
        if (node instanceof SequenceNode seq) {
            List<Object> list = new ArrayList<>();
            for (Node n : seq.getValue()) {
                list.add(toData(n));
            }
            return list;
        }
        if (node instanceof MappingNode map) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (NodeTuple t : map.getValue()) {
                Object key = toData(t.getKeyNode());
                if ("<<".equals(key) && t.getKeyNode() instanceof ScalarNode ks && ks.isPlain()) {
                    Object merged = toData(t.getValueNode());
                    mergeInto(m, merged);
                    continue;
                }
                m.put(keyString(key), toData(t.getValueNode()));
            }
            return m;
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static void mergeInto(Map<String, Object> m, Object merged) {
        if (merged instanceof Map<?, ?> mm) {
            ((Map<String, Object>) mm).forEach(m::putIfAbsent);
        } else if (merged instanceof List<?> l) {
            for (Object o : l) {
                mergeInto(m, o);
            }
        }
    }

    /** Mapping keys become text as Python would print them (True, 1, …). */
    public static String keyString(Object key) {
        if (key instanceof Boolean b) {
            return b ? "True" : "False";
        }
        return String.valueOf(key);
    }

    /** A plain scalar's value under YAML 1.1; quoted and block scalars are always text. */
    public static Object scalar(ScalarNode s) {
        String v = s.getValue();
        String tag = s.getTag().getValue();
        if (tag.equals("!vault") || tag.equals("!vault-encrypted")) {
            return new Vaulted(v, location(s));
        }
        if (tag.equals("!unsafe")) {
            return unsafe(v);
        }
        if (tag.equals("tag:yaml.org,2002:str") && !s.isResolved()) {
            return v;
        }
        if (s.getScalarStyle() != ScalarStyle.PLAIN) {
            return v;
        }
        return resolvePlain(v);
    }

    /**
     * An {@code !unsafe} value, which Ansible never templates: text with template markup is kept
     * inside {@code {% raw %}…{% endraw %}}, so every render gives back the text as written.
     */
    static String unsafe(String v) {
        if (!(v.contains("{{") || v.contains("{%") || v.contains("{#"))) {
            return v;
        }
        // "{% endraw" cannot sit inside a raw block: close it, print that piece as a literal, reopen
        return "{% raw %}" + v.replace("{% endraw", "{% endraw %}{{ '{% endraw' }}{% raw %}") + "{% endraw %}";
    }

    /** The value of a plain (unquoted) scalar under YAML 1.1 rules. */
    public static Object resolvePlain(String v) {
        if (NULL.matcher(v).matches()) {
            return null;
        }
        if (BOOL_TRUE.matcher(v).matches()) {
            return Boolean.TRUE;
        }
        if (BOOL_FALSE.matcher(v).matches()) {
            return Boolean.FALSE;
        }
        try {
            if (INT_DEC.matcher(v).matches()) {
                return number(new BigInteger(v.replace("_", "")));
            }
            if (INT_OCT.matcher(v).matches()) {
                return number(new BigInteger(v.replace("_", ""), 8));
            }
            if (INT_OCT_O.matcher(v).matches()) {
                return number(new BigInteger(v.replace("_", "").replace("0o", ""), 8));
            }
            if (INT_HEX.matcher(v).matches()) {
                return number(new BigInteger(v.replace("_", "").replace("0x", ""), 16));
            }
            if (INT_BIN.matcher(v).matches()) {
                return number(new BigInteger(v.replace("_", "").replace("0b", ""), 2));
            }
            if (FLOAT.matcher(v).matches() && !v.equals(".") && !v.equals("-.") && !v.equals("+.")) {
                String f = v.replace("_", "").toLowerCase(java.util.Locale.ROOT);
                if (f.endsWith(".inf")) {
                    return f.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                }
                if (f.endsWith(".nan")) {
                    return Double.NaN;
                }
                return Double.parseDouble(f);
            }
        } catch (NumberFormatException e) {
            return v;
        }
        return v;
    }

    private static Object number(BigInteger b) {
        if (b.bitLength() < 32) {
            return b.intValue();
        }
        if (b.bitLength() < 64) {
            return b.longValue();
        }
        return b;
    }
}
