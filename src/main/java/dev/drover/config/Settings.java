package dev.drover.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The effective ansible.cfg / {@code ANSIBLE_*} settings of one run, resolved as ansible-core
 * 2.14 resolves them: the first readable of {@code $ANSIBLE_CONFIG} (a directory means its
 * ansible.cfg), {@code ./ansible.cfg} (skipped, with a warning, when the current directory is
 * world-writable), {@code ~/.ansible.cfg}, {@code /etc/ansible/ansible.cfg}; then the environment;
 * defaults last. The command line ranks above both (the CLI applies it). Paths in the file are
 * relative to the file's directory, paths from the environment to the current directory.
 * Resolution takes the environment, the current and home directories as inputs: no global state.
 */
public final class Settings {

    /** A setting's value and where it came from ({@code default}, a file's path, {@code env: NAME}). */
    public record Value(Object value, String origin) {
        public boolean changed() {
            return !origin.equals("default");
        }
    }

    private final Path file;
    private final Map<Setting, Value> values;
    private final List<String> warnings;
    private final List<String> notes;

    private Settings(Path file, Map<Setting, Value> values, List<String> warnings, List<String> notes) {
        this.file = file;
        this.values = Collections.unmodifiableMap(values);
        this.warnings = List.copyOf(warnings);
        this.notes = List.copyOf(notes);
    }

    /** Keys drover knows to have no counterpart here, with why (a {@code -v} note, not an error). */
    private static final Map<String, String> IGNORED = Map.of(
            "defaults.max_fail_percentage",
            "ansible-core 2.14 has no such setting (max_fail_percentage is a play keyword); ignored as by ansible-playbook");

    // ---------------------------------------------------------------- resolution

    /** Resolves the settings for a run in {@code cwd} with environment {@code env} and home directory {@code home}. */
    public static Settings resolve(Map<String, String> env, Path cwd, Path home) {
        List<String> warnings = new ArrayList<>();
        Path file = find(env, cwd, home, warnings);
        Ini ini = null;
        if (file != null) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (java.nio.charset.CharacterCodingException e) {
                throw new ConfigException("Error reading config file(" + file + ") because the config file was not utf8 encoded");
            } catch (IOException e) {
                throw new ConfigException("Error reading config file (" + file + "): " + e.getMessage());
            }
            ini = Ini.parse(text, file.toString());
        }
        return resolve(ini, file, env, cwd, home, warnings);
    }

    /** The settings from a parsed file (or none) and an environment (for tests and {@link #resolve}). */
    static Settings resolve(Ini ini, Path file, Map<String, String> env, Path cwd, Path home, List<String> warnings) {
        Map<Setting, Value> values = new EnumMap<>(Setting.class);
        List<String> notes = new ArrayList<>();
        Path fileDir = file == null ? cwd : file.toAbsolutePath().getParent();
        for (Setting s : Setting.values()) {
            Value v = new Value(s.dflt == null ? null : convert(s, s.dflt, cwd, home, env, null, null, 0), "default");
            if (ini != null) {
                for (String k : s.ini) {
                    int dot = k.indexOf('.');
                    Ini.Entry e = ini.get(k.substring(0, dot), k.substring(dot + 1));
                    if (e != null) {
                        v = new Value(convert(s, e.value(), fileDir, home, env, file.toString(), k, e.line()), file.toString());
                    }
                }
            }
            for (String name : s.env) {
                String raw = env.get(name);
                if (raw != null) {
                    v = new Value(convert(s, raw, cwd, home, env, null, name, 0), "env: ".concat(name));
                }
            }
            values.put(s, v);
        }
        if (ini != null) {
            Set<String> known = new java.util.HashSet<>();
            for (Setting s : Setting.values()) {
                known.addAll(s.ini);
            }
            for (Map.Entry<String, Map<String, Ini.Entry>> section : ini.sections().entrySet()) {
                for (Map.Entry<String, Ini.Entry> entry : section.getValue().entrySet()) {
                    String k = section.getKey().concat(".").concat(entry.getKey());
                    if (IGNORED.containsKey(k)) {
                        notes.add(where(file.toString(), k, entry.getValue().line()).concat(": ").concat(IGNORED.get(k)));
                    } else if (!known.contains(k)) {
                        notes.add(where(file.toString(), k, entry.getValue().line()).concat(" is not a setting drover reads; ignored"));
                    }
                }
            }
        }
        Settings out = new Settings(file, values, List.of(), notes);
        out.checkCallbacks(warnings);
        List<String> unknownSsh = out.unhandledSshArgs();
        if (!unknownSsh.isEmpty()) {
            warnings.add("drover ignores these ssh arguments of the configuration (it understands -o UserKnownHostsFile, "
                    + "-o StrictHostKeyChecking, -o ProxyJump and -J): " + String.join(" ", unknownSsh));
        }
        return new Settings(file, values, warnings, notes);
    }

    /** The configuration file Ansible would read, or null; adds the world-writable warning. */
    static Path find(Map<String, String> env, Path cwd, Path home, List<String> warnings) {
        List<Path> candidates = new ArrayList<>();
        Path fromEnv = null;
        String configured = env.get("ANSIBLE_CONFIG");
        if (configured != null) {
            fromEnv = normalize(expandUser(configured, home), cwd);
            if (Files.isDirectory(fromEnv)) {
                fromEnv = fromEnv.resolve("ansible.cfg");
            }
            candidates.add(fromEnv);
        }
        boolean skippedPublic = false;
        Path cwdCfg = cwd.resolve("ansible.cfg");
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(cwd);
            if (perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                skippedPublic = Files.exists(cwdCfg);
            } else {
                candidates.add(cwdCfg);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // an unreadable cwd is no config source, as in Ansible
        }
        candidates.add(home.resolve(".ansible.cfg"));
        candidates.add(Path.of("/etc/ansible/ansible.cfg"));
        Path found = null;
        for (Path p : candidates) {
            if (Files.exists(p) && Files.isReadable(p)) {
                found = p;
                break;
            }
        }
        if (skippedPublic && (fromEnv == null || !fromEnv.equals(found))) {
            warnings.add("Ansible is being run in a world writable directory (" + cwd + "), ignoring it as an ansible.cfg source. "
                    + "For more information see https://docs.ansible.com/ansible/devel/reference_appendices/config.html#cfg-in-world-writable-dir");
        }
        if (found != null) {
            String name = found.getFileName().toString();
            int dot = name.lastIndexOf('.');
            String ext = dot < 0 ? "" : name.substring(dot);
            if (!ext.equals(".cfg") && !ext.equals(".ini")) {
                throw new ConfigException("Unsupported configuration file extension for " + found + ": " + ext);
            }
        }
        return found;
    }

    // ---------------------------------------------------------------- types

    private static final Set<String> TRUE = Set.of("y", "yes", "on", "1", "true", "t");
    private static final Set<String> FALSE = Set.of("n", "no", "off", "0", "false", "f");

    /** Where a value came from, for messages: {@code FILE: [section] key (line N)}, the variable, or the default. */
    private static String where(String file, String key, int line) {
        if (key == null) {
            return "the default";
        }
        if (file == null) {
            return "the environment variable " + key;
        }
        int dot = key.indexOf('.');
        // a StringBuilder, not +: no string-concatenation bootstrap on a run's path (start-up)
        return new StringBuilder(file).append(": [").append(key, 0, dot).append("] ").append(key, dot + 1, key.length())
                .append(" (line ").append(line).append(')').toString();
    }

    /**
     * A raw value as the setting's type ({@code file}/{@code key}/{@code line}: where it was found, for
     * the error; key null for the default, file null for a variable).
     */
    private static Object convert(Setting s, String raw, Path base, Path home, Map<String, String> env,
                                  String file, String key, int line) {
        switch (s.type) {
            case BOOL -> {
                String b = raw.strip().toLowerCase(Locale.ROOT);
                if (TRUE.contains(b)) {
                    return Boolean.TRUE;
                }
                if (FALSE.contains(b)) {
                    return Boolean.FALSE;
                }
                throw bad(s, raw, where(file, key, line), "not a boolean (true/false, yes/no, on/off, 1/0)");
            }
            case INT -> {
                try {
                    return Integer.valueOf(raw.strip().replace("_", ""));
                } catch (NumberFormatException e) {
                    throw bad(s, raw, where(file, key, line), "not an integer");
                }
            }
            case PATH -> {
                return resolvePath(unquote(raw), base, home, env);
            }
            case PATHLIST, PATHSPEC -> {
                List<String> out = new ArrayList<>();
                for (String p : raw.split(s.type == Setting.Type.PATHLIST ? "," : ":", -1)) {
                    out.add(resolvePath(s.type == Setting.Type.PATHLIST ? p.strip() : p, base, home, env));
                }
                return List.copyOf(out);
            }
            case LIST -> {
                List<String> out = new ArrayList<>();
                for (String p : raw.split(",", -1)) {
                    out.add(unquote(p.strip()));
                }
                if (out.size() == 1 && out.get(0).isEmpty()) {
                    out.clear(); // ''.split(',') is [''] in Python; drover reads it as no entries
                }
                return List.copyOf(out);
            }
            default -> {
                String v = unquote(raw);
                if (!s.choices.isEmpty() && !s.choices.contains(v)) {
                    throw bad(s, raw, where(file, key, line), "not one of " + String.join(", ", s.choices));
                }
                return v;
            }
        }
    }

    private static ConfigException bad(Setting s, String raw, String where, String why) {
        return new ConfigException("Invalid value for configuration setting " + s + " in " + where + ": '"
                + raw + "' is " + why);
    }

    /** Ansible's {@code unquote}: one pair of matching surrounding quotes removed. */
    static String unquote(String s) {
        if (s.length() >= 2 && (s.charAt(0) == '"' || s.charAt(0) == '\'') && s.charAt(s.length() - 1) == s.charAt(0)) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    private static final Pattern VAR = Pattern.compile("\\$(\\w+|\\{[^}]*\\})");

    /** Ansible's {@code unfrackpath(follow=False)}: ~ and $VARS expanded, made absolute against base, normalized. */
    static String resolvePath(String p, Path base, Path home, Map<String, String> env) {
        String s = p.replace("{{CWD}}", base.toString());
        s = expandUser(s, home);
        Matcher m = VAR.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String name = m.group(1).startsWith("{") ? m.group(1).substring(1, m.group(1).length() - 1) : m.group(1);
            String val = env.get(name);
            m.appendReplacement(sb, Matcher.quoteReplacement(val == null ? m.group() : val));
        }
        m.appendTail(sb);
        return normalize(sb.toString(), base).toString();
    }

    private static String expandUser(String s, Path home) {
        return s.equals("~") ? home.toString() : s.startsWith("~/") ? home + s.substring(1) : s;
    }

    private static Path normalize(String s, Path base) {
        return base.resolve(s).toAbsolutePath().normalize();
    }

    // ---------------------------------------------------------------- reading

    /** The file read, or null when none exists. */
    public Path file() {
        return file;
    }

    public Value value(Setting s) {
        return values.get(s);
    }

    /** Warnings to show on every run (the world-writable directory, ssh arguments drover ignores, unknown callbacks). */
    public List<String> warnings() {
        return warnings;
    }

    /** Notes for {@code -v}: keys drover does not read. */
    public List<String> notes() {
        return notes;
    }

    @SuppressWarnings("unchecked")
    private List<String> list(Setting s) {
        Object v = values.get(s).value();
        return v == null ? List.of() : (List<String>) v;
    }

    private String str(Setting s) {
        Object v = values.get(s).value();
        return v == null ? null : String.valueOf(v);
    }

    private boolean bool(Setting s) {
        return Boolean.TRUE.equals(values.get(s).value());
    }

    private boolean set(Setting s) {
        return values.get(s).changed();
    }

    /** {@code inventory}: the sources when no {@code -i} is given (empty: drover's implicit localhost). */
    public List<String> inventory() {
        return list(Setting.DEFAULT_HOST_LIST);
    }

    public int forks() {
        return (Integer) values.get(Setting.DEFAULT_FORKS).value();
    }

    public String remoteUser() {
        return str(Setting.DEFAULT_REMOTE_USER);
    }

    /** The connection type of -c's default (ansible.cfg's transport); null: drover's own default. */
    public String transport() {
        return str(Setting.DEFAULT_TRANSPORT);
    }

    public Path privateKeyFile() {
        String k = str(Setting.DEFAULT_PRIVATE_KEY_FILE);
        return k == null ? null : Path.of(k);
    }

    public List<String> rolesPath() {
        return list(Setting.DEFAULT_ROLES_PATH);
    }

    public List<String> collectionsPath() {
        return list(Setting.COLLECTIONS_PATHS);
    }

    public List<String> library() {
        return list(Setting.DEFAULT_MODULE_PATH);
    }

    public List<String> moduleUtils() {
        return list(Setting.DEFAULT_MODULE_UTILS_PATH);
    }

    /**
     * {@code base} with the search paths of these settings as the {@code ANSIBLE_*} variables the
     * module search reads (ANSIBLE_LIBRARY, ANSIBLE_MODULE_UTILS, ANSIBLE_COLLECTIONS_PATH,
     * ANSIBLE_ROLES_PATH), so a path from ansible.cfg counts as one from the environment.
     */
    public Map<String, String> withSearchPaths(Map<String, String> base) {
        Map<String, String> out = new java.util.HashMap<>(base);
        out.remove("ANSIBLE_COLLECTIONS_PATHS");
        out.put("ANSIBLE_LIBRARY", String.join(":", library()));
        out.put("ANSIBLE_MODULE_UTILS", String.join(":", moduleUtils()));
        out.put("ANSIBLE_COLLECTIONS_PATH", String.join(":", collectionsPath()));
        out.put("ANSIBLE_ROLES_PATH", String.join(":", rolesPath()));
        return out;
    }

    /** host_key_checking when set in the file or environment (null: not set, ssh's own rules). */
    public Boolean hostKeyChecking() {
        return set(Setting.HOST_KEY_CHECKING) ? bool(Setting.HOST_KEY_CHECKING) : null;
    }

    public int timeout() {
        return (Integer) values.get(Setting.DEFAULT_TIMEOUT).value();
    }

    /** implicit, explicit or smart. */
    public String gathering() {
        return str(Setting.DEFAULT_GATHERING);
    }

    /** gather_subset, or null when not set. */
    public List<String> gatherSubset() {
        return values.get(Setting.DEFAULT_GATHER_SUBSET).value() == null ? null : list(Setting.DEFAULT_GATHER_SUBSET);
    }

    public Path vaultPasswordFile() {
        String k = str(Setting.DEFAULT_VAULT_PASSWORD_FILE);
        return k == null ? null : Path.of(k);
    }

    /** vault_identity_list ({@code LABEL@SOURCE} each), before the command line's --vault-id values. */
    public List<String> vaultIdentityList() {
        return list(Setting.DEFAULT_VAULT_IDENTITY_LIST);
    }

    /** stdout_callback: default, yaml, json or minimal. */
    public String stdoutCallback() {
        return str(Setting.DEFAULT_STDOUT_CALLBACK);
    }

    /** callbacks_enabled (or callback_whitelist), the names as written, e.g. junit, json, timer, profile_tasks. */
    public List<String> callbacksEnabled() {
        return list(Setting.CALLBACKS_ENABLED);
    }

    public boolean nocolor() {
        return bool(Setting.ANSIBLE_NOCOLOR);
    }

    /** interpreter_python when set ({@code auto*} or a path), or null. */
    public String interpreterPython() {
        return set(Setting.INTERPRETER_PYTHON) ? str(Setting.INTERPRETER_PYTHON) : null;
    }

    public boolean anyErrorsFatal() {
        return bool(Setting.ANY_ERRORS_FATAL);
    }

    public boolean become() {
        return bool(Setting.DEFAULT_BECOME);
    }

    public String becomeMethod() {
        return str(Setting.DEFAULT_BECOME_METHOD);
    }

    public String becomeUser() {
        return str(Setting.DEFAULT_BECOME_USER);
    }

    public boolean becomeAskPass() {
        return bool(Setting.DEFAULT_BECOME_ASK_PASS);
    }

    /** The journal file ansible.cfg's {@code [drover] journal} or DROVER_JOURNAL names, or null for the default. */
    public Path journal() {
        String j = str(Setting.DROVER_JOURNAL);
        return j == null ? null : Path.of(j);
    }

    public boolean journalEnabled() {
        return bool(Setting.DROVER_JOURNAL_ENABLED);
    }

    /**
     * The ssh arguments of the configuration (ssh_args, ssh_common_args, ssh_extra_args joined),
     * read as {@code ansible_ssh_common_args} would be; empty when none is set.
     */
    public String sshArgs() {
        List<String> parts = new ArrayList<>();
        for (Setting s : List.of(Setting.SSH_ARGS, Setting.SSH_COMMON_ARGS, Setting.SSH_EXTRA_ARGS)) {
            if (set(s) && str(s) != null && !str(s).isBlank()) {
                parts.add(str(s));
            }
        }
        return String.join(" ", parts);
    }

    /** The words of {@link #sshArgs} drover does not act on (all but -o UserKnownHostsFile/StrictHostKeyChecking/ProxyJump and -J). */
    List<String> unhandledSshArgs() {
        List<String> w = SshWords.split(sshArgs());
        List<String> out = new ArrayList<>();
        for (int i = 0; i < w.size(); i++) {
            String word = w.get(i);
            if (word.equals("-J") && i + 1 < w.size()) {
                i++;
                continue;
            }
            if (word.startsWith("-J")) {
                continue;
            }
            String opt = null;
            if (word.equals("-o") && i + 1 < w.size()) {
                opt = w.get(++i);
            } else if (word.startsWith("-o") && word.length() > 2) {
                opt = word.substring(2);
            }
            if (opt != null) {
                String name = opt.split("[=\\s]", 2)[0].toLowerCase(Locale.ROOT);
                if (!Set.of("userknownhostsfile", "stricthostkeychecking", "proxyjump").contains(name)) {
                    out.add("-o " + opt);
                }
            } else {
                out.add(word);
            }
        }
        return out;
    }

    private static final Set<String> CALLBACKS = Set.of("junit", "json", "timer", "profile_tasks", "ansible.posix.json",
            "ansible.posix.timer", "ansible.posix.profile_tasks", "community.general.junit", "junit_xml");

    private void checkCallbacks(List<String> out) {
        for (String c : callbacksEnabled()) {
            if (!CALLBACKS.contains(c)) {
                out.add("Skipping callback plugin '" + c + "' of callbacks_enabled: drover has json, junit, timer and profile_tasks");
            }
        }
    }

    // ---------------------------------------------------------------- ansible-config dump

    /** {@code KEY(origin) = value} lines, sorted by key, as {@code ansible-config dump} prints them. */
    public List<String> dump(boolean onlyChanged) {
        List<String> lines = new ArrayList<>();
        for (Setting s : Setting.values()) {
            Value v = values.get(s);
            if (!onlyChanged || v.changed()) {
                lines.add(s + "(" + v.origin() + ") = " + python(v.value()));
            }
        }
        lines.add("CONFIG_FILE() = " + (file == null ? "None" : file.toString()));
        Collections.sort(lines);
        return lines;
    }

    private static String python(Object v) {
        if (v == null) {
            return "None";
        }
        if (v instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (v instanceof List<?> l) {
            List<String> items = new ArrayList<>();
            l.forEach(o -> items.add("'" + String.valueOf(o).replace("\\", "\\\\").replace("'", "\\'") + "'"));
            return "[" + String.join(", ", items) + "]";
        }
        return String.valueOf(v);
    }

    // ---------------------------------------------------------------- the run's settings

    private static volatile Settings current;
    private static volatile Settings defaults;

    /** Settings with nothing set: Ansible's defaults as drover applies them (what a run without files or variables sees). */
    public static Settings defaults() {
        Settings d = defaults;
        if (d == null) {
            d = resolve(null, null, Map.of(), Path.of("").toAbsolutePath(), Path.of(System.getProperty("user.home")),
                    new ArrayList<>());
            defaults = d;
        }
        return d;
    }

    /**
     * The settings of the run in progress, for the layers that cannot be handed them (role and
     * module search, connection defaults); {@link #defaults()} when none is installed.
     */
    public static Settings current() {
        Settings s = current;
        return s == null ? defaults() : s;
    }

    /** Makes {@code s} the run's settings; the returned action restores the previous ones. */
    public static Runnable install(Settings s) {
        Settings previous = current;
        current = s;
        return () -> current = previous;
    }
}
