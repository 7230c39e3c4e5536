package dev.drover.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Who ran what, where: the controller's name and the command line as the journal keeps it. */
public final class Provenance {
    private Provenance() {
    }

    /** Words in a variable's name that say its value is a secret. */
    private static final Pattern SECRET = Pattern.compile("(?i)pass|secret|token|key|credential|auth");
    static final String MASK = "********";

    /** The machine's host name (the kernel's; no name service asked). */
    public static String controllerName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException | RuntimeException e) {
            String h = System.getenv("HOSTNAME");
            return h == null ? "localhost" : h;
        }
    }

    /**
     * {@code drover} and its arguments, shell-quoted, with the values of extra variables whose names
     * look secret ({@code -e db_password=…}, or any JSON/YAML {@code -e} text naming one) masked.
     */
    public static String commandLine(List<String> args) {
        List<String> out = new ArrayList<>();
        out.add("drover");
        boolean extraVarsNext = false;
        for (String a : args) {
            if (extraVarsNext) {
                out.add(quote(maskExtraVars(a)));
                extraVarsNext = false;
            } else if (a.equals("-e") || a.equals("--extra-vars")) {
                out.add(a);
                extraVarsNext = true;
            } else if (a.startsWith("--extra-vars=")) {
                out.add(quote("--extra-vars=" + maskExtraVars(a.substring("--extra-vars=".length()))));
            } else if (a.startsWith("-e") && a.length() > 2 && !a.startsWith("--")) {
                out.add(quote("-e" + maskExtraVars(a.substring(2))));
            } else {
                out.add(quote(a));
            }
        }
        return String.join(" ", out);
    }

    /** An {@code -e} text as the journal keeps it (secret-looking values masked). */
    public static String maskExtraVarsOf(String text) {
        return maskExtraVars(text);
    }

    /** {@code k=v k2=v2} with secret-looking keys' values masked; a JSON/YAML text naming a secret, wholly. */
    static String maskExtraVars(String text) {
        String t = text.strip();
        if (t.startsWith("@")) {
            return text; // a file's name
        }
        if (t.startsWith("{") || t.startsWith("[") || t.contains("\n") || t.contains(": ")) {
            return SECRET.matcher(t).find() ? MASK : text;
        }
        List<String> words = new ArrayList<>();
        for (String w : t.split("\\s+")) {
            int eq = w.indexOf('=');
            words.add(eq > 0 && SECRET.matcher(w.substring(0, eq)).find() ? w.substring(0, eq + 1) + MASK : w);
        }
        return String.join(" ", words);
    }

    private static String quote(String s) {
        return dev.drover.connection.ShellQuote.quote(s);
    }
}
