package dev.drover.module;

import java.util.regex.Pattern;

/** File modes: normalising what a playbook says, and applying symbolic modes to a current mode. */
public final class Modes {
    private Modes() {
    }

    private static final Pattern OCTAL = Pattern.compile("0?[0-7]{3,4}|0o[0-7]{3,4}");

    /** Normalises a mode argument: an octal string "0644" / "644" / int 420 → "0644"; symbolic kept. */
    public static String normalise(Object v) throws ModuleException {
        if (v instanceof Number n) {
            return octal(n.intValue());
        }
        String s = v.toString().trim();
        if (OCTAL.matcher(s).matches()) {
            return octal(Integer.parseInt(s.replace("0o", ""), 8));
        }
        if (s.matches("[ugoa]*[-+=][rwxXst]*(,[ugoa]*[-+=][rwxXst]*)*")) {
            return s;
        }
        throw new ModuleException("mode must be in octal or symbolic form: '" + s + "'");
    }

    public static String octal(int mode) {
        String s = Integer.toOctalString(mode & 07777);
        return "0".repeat(Math.max(0, 4 - s.length())) + s;
    }

    /**
     * The mode a path ends up with when {@code spec} (normalised) is applied to {@code current}
     * (four octal digits, or null for a path that does not exist yet: then 0 is the start).
     */
    public static String apply(String spec, String current, boolean directory) {
        if (spec == null) {
            return current;
        }
        if (spec.matches("[0-7]{4}")) {
            return spec;
        }
        int mode = current == null ? 0 : Integer.parseInt(current, 8);
        for (String clause : spec.split(",")) {
            int i = 0;
            int who = 0;
            while (i < clause.length() && "ugoa".indexOf(clause.charAt(i)) >= 0) {
                switch (clause.charAt(i)) {
                    case 'u' -> who |= 04700;
                    case 'g' -> who |= 02070;
                    case 'o' -> who |= 01007;
                    default -> who |= 07777;
                }
                i++;
            }
            if (who == 0) {
                who = 07777;
            }
            char op = clause.charAt(i++);
            int bits = 0;
            for (; i < clause.length(); i++) {
                switch (clause.charAt(i)) {
                    case 'r' -> bits |= 0444;
                    case 'w' -> bits |= 0222;
                    case 'x' -> bits |= 0111;
                    case 'X' -> {
                        if (directory || (mode & 0111) != 0) {
                            bits |= 0111;
                        }
                    }
                    case 's' -> bits |= 06000;
                    case 't' -> bits |= 01000;
                    default -> {
                    }
                }
            }
            bits &= who;
            switch (op) {
                case '+' -> mode |= bits;
                case '-' -> mode &= ~bits;
                default -> mode = (mode & ~(who & 0777 | (who & 06000))) | bits;
            }
        }
        return octal(mode);
    }

    /**
     * The permission flags of a mode as Ansible's stat (and find) return them, in its order:
     * wusr, rusr, xusr, wgrp, rgrp, xgrp, woth, roth, xoth, isuid, isgid.
     */
    public static void putPermissionFlags(int mode, java.util.Map<String, Object> into) {
        into.put("wusr", (mode & 0200) != 0);
        into.put("rusr", (mode & 0400) != 0);
        into.put("xusr", (mode & 0100) != 0);
        into.put("wgrp", (mode & 020) != 0);
        into.put("rgrp", (mode & 040) != 0);
        into.put("xgrp", (mode & 010) != 0);
        into.put("woth", (mode & 02) != 0);
        into.put("roth", (mode & 04) != 0);
        into.put("xoth", (mode & 01) != 0);
        into.put("isuid", (mode & 04000) != 0);
        into.put("isgid", (mode & 02000) != 0);
    }
}
