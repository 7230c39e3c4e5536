package dev.drover.yaml;

import java.util.Locale;

/** Ansible's boolean conversion: what a playbook may write wherever a boolean is expected. */
public final class Booleans {
    private Booleans() {
    }

    /**
     * yes/no, true/false, on/off, y/n, t/f, 1/0 (any case), numbers and booleans; null when the
     * value is not a boolean. The empty string is false, as Ansible's {@code boolean()} says.
     */
    public static Boolean parse(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            return d == 1 ? Boolean.TRUE : d == 0 ? Boolean.FALSE : null;
        }
        if (v == null) {
            return null;
        }
        return switch (v.toString().trim().toLowerCase(Locale.ROOT)) {
            case "yes", "y", "true", "t", "on", "1", "1.0" -> true;
            case "no", "n", "false", "f", "off", "0", "0.0", "" -> false;
            default -> null;
        };
    }
}
