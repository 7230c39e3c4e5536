package dev.drover.template.lookups;

import dev.drover.template.Jinja;
import dev.drover.template.Py;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * password: the password kept in a controller file (relative to the playbook's directory). A
 * missing file is created (its directory with mode 0700, the file 0600) holding a new random
 * password of {@code length} (20) characters from {@code chars} (ascii_letters, digits and
 * ".,:-_"; names of Python's string constants or literal characters, ",," for a comma); an
 * existing one is read back (the part before " salt="). {@code /dev/null} gives a new password
 * each time and stores nothing. {@code seed=} makes the password deterministic (not Python's
 * sequence). {@code encrypt=} is refused: drover has no crypt(3) hashes.
 */
final class Password implements Lookups.Lookup {
    private static final Set<String> VALID = Set.of("length", "encrypt", "chars", "ident", "seed");
    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    public List<Object> run(List<Object> terms, Map<String, Object> options) {
        List<Object> out = new ArrayList<>();
        for (Object t : terms) {
            String term = Py.str(t);
            int space = term.indexOf(' ');
            String relpath = space < 0 ? term : term.substring(0, space);
            Map<String, String> params = space < 0 ? Map.of() : Terms.parseKv(term.substring(space + 1));
            if (params.containsKey("_raw_params")) {
                relpath = relpath + " " + params.get("_raw_params");
                if (!term.startsWith(relpath)) {
                    throw Terms.error("Unrecognized value after key=value parameters given to password lookup");
                }
            }
            List<String> invalid = new ArrayList<>();
            for (String k : params.keySet()) {
                if (!k.equals("_raw_params") && !VALID.contains(k)) {
                    invalid.add(k);
                }
            }
            if (!invalid.isEmpty()) {
                throw Terms.error("Unrecognized parameter(s) given to password lookup: " + String.join(", ", invalid));
            }
            int length;
            try {
                length = Integer.parseInt(params.getOrDefault("length", Terms.option(options, "length", "20")));
            } catch (NumberFormatException e) {
                throw Terms.error("invalid literal for int() with base 10: '" + params.get("length") + "'");
            }
            Object encrypt = params.containsKey("encrypt") ? params.get("encrypt") : options.get("encrypt");
            if (encrypt != null) {
                throw Terms.error("password lookup: encrypt=" + Py.str(encrypt) + " is not supported by drover");
            }
            Object charsOpt = params.containsKey("chars") ? params.get("chars") : options.get("chars");
            String chars = candidates(charsOpt);
            Object seed = params.containsKey("seed") ? params.get("seed") : options.get("seed");
            Path path = Path.of(relpath);
            if (!path.isAbsolute()) {
                Object dir = Jinja.variable("playbook_dir");
                path = dir == null ? path.toAbsolutePath() : Path.of(Py.str(dir)).resolve(path);
            }
            out.add(password(path, length, chars, seed));
        }
        return out;
    }

    private static String password(Path path, int length, String chars, Object seed) {
        boolean devNull = path.toString().equals("/dev/null");
        try {
            if (!devNull && Files.exists(path)) {
                String content = Files.readString(path, StandardCharsets.UTF_8).strip();
                int salt = content.lastIndexOf(" salt=");
                return salt < 0 ? content : content.substring(0, salt);
            }
            java.util.Random r = seed == null ? RANDOM : new java.util.Random(Py.str(seed).hashCode());
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < length; i++) {
                sb.append(chars.charAt(r.nextInt(chars.length())));
            }
            String pw = sb.toString();
            if (!devNull) {
                Path dir = path.toAbsolutePath().getParent();
                if (dir != null && !Files.exists(dir)) {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                }
                Files.writeString(path, "", StandardCharsets.UTF_8);
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
                Files.writeString(path, pw + "\n", StandardCharsets.UTF_8);
            }
            return pw;
        } catch (IOException e) {
            throw Terms.error("password lookup: " + path + ": " + e.getMessage());
        }
    }

    /** Python's string constants by name, other specs literally; quotes dropped, as Ansible. */
    private static String candidates(Object spec) {
        List<String> specs = new ArrayList<>();
        if (spec == null) {
            specs.addAll(List.of("ascii_letters", "digits", ".,:-_"));
        } else if (spec instanceof List<?> l) {
            l.forEach(o -> specs.add(Py.str(o)));
        } else {
            String s = Py.str(spec);
            if (s.contains(",,")) {
                specs.add(",");
            }
            for (String part : s.replace(",,", ",").split(",")) {
                if (!part.isEmpty()) {
                    specs.add(part);
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String s : specs) {
            sb.append(switch (s) {
                case "ascii_letters" -> "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
                case "ascii_lowercase" -> "abcdefghijklmnopqrstuvwxyz";
                case "ascii_uppercase" -> "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
                case "digits" -> "0123456789";
                case "hexdigits" -> "0123456789abcdefABCDEF";
                case "octdigits" -> "01234567";
                case "punctuation" -> "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
                case "letters" -> "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
                default -> s;
            });
        }
        String out = sb.toString().replace("\"", "").replace("'", "");
        if (out.isEmpty()) {
            throw Terms.error("password lookup: no characters to choose from");
        }
        return out;
    }
}
