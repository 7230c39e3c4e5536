package dev.drover.template;

import java.util.ArrayList;
import java.util.List;

/** Python's str methods on Java strings. */
public final class PyStr {
    private PyStr() {
    }

    public static Object call(String s, String name, Object[] a) {
        switch (name) {
            case "upper": return s.toUpperCase();
            case "lower": return s.toLowerCase();
            case "strip": return a.length > 0 && a[0] != null ? strip(s, a[0].toString(), true, true) : s.strip();
            case "lstrip": return a.length > 0 && a[0] != null ? strip(s, a[0].toString(), true, false) : s.stripLeading();
            case "rstrip": return a.length > 0 && a[0] != null ? strip(s, a[0].toString(), false, true) : s.stripTrailing();
            case "startswith": return startsOrEnds(s, a[0], true);
            case "endswith": return startsOrEnds(s, a[0], false);
            case "split": return split(s, a.length > 0 ? a[0] : null, a.length > 1 ? ((Number) a[1]).intValue() : -1);
            case "rsplit": return a.length > 1 ? rsplit(s, a[0], ((Number) a[1]).intValue()) : split(s, a.length > 0 ? a[0] : null, -1);
            case "splitlines": return new ArrayList<Object>(List.of(s.split("\r\n|\r|\n", -1))).subList(0, lines(s));
            case "replace": return a.length > 2 ? replaceN(s, str(a[0]), str(a[1]), ((Number) a[2]).intValue()) : s.replace(str(a[0]), str(a[1]));
            case "join": return join(s, a[0]);
            case "find": return s.indexOf(str(a[0]));
            case "rfind": return s.lastIndexOf(str(a[0]));
            case "index": {
                int i = s.indexOf(str(a[0]));
                if (i < 0) {
                    throw Engine.fail(new TemplateException("substring not found"));
                }
                return i;
            }
            case "count": return count(s, str(a[0]));
            case "capitalize": return s.isEmpty() ? s : s.substring(0, 1).toUpperCase() + s.substring(1).toLowerCase();
            case "title": return title(s);
            case "format": return PyFormat.format(s, a);
            case "isdigit": return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
            case "isalpha": return !s.isEmpty() && s.chars().allMatch(Character::isLetter);
            case "isalnum": return !s.isEmpty() && s.chars().allMatch(Character::isLetterOrDigit);
            case "isspace": return !s.isEmpty() && s.chars().allMatch(Character::isWhitespace);
            case "isupper": return s.chars().anyMatch(Character::isLetter) && s.equals(s.toUpperCase());
            case "islower": return s.chars().anyMatch(Character::isLetter) && s.equals(s.toLowerCase());
            case "zfill": {
                int w = ((Number) a[0]).intValue();
                return s.length() >= w ? s : "0".repeat(w - s.length()) + s;
            }
            case "center": return center(s, ((Number) a[0]).intValue());
            case "ljust": return String.format("%-" + Math.max(1, ((Number) a[0]).intValue()) + "s", s);
            case "rjust": return String.format("%" + Math.max(1, ((Number) a[0]).intValue()) + "s", s);
            case "swapcase": {
                StringBuilder sb = new StringBuilder();
                for (char c : s.toCharArray()) {
                    sb.append(Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
                }
                return sb.toString();
            }
            default: return PyResolver.NOT_HANDLED;
        }
    }

    private static int lines(String s) {
        String[] parts = s.split("\r\n|\r|\n", -1);
        int n = parts.length;
        if (n > 0 && parts[n - 1].isEmpty()) {
            n--;
        }
        return n;
    }

    static String str(Object o) {
        return Py.str(o);
    }

    public static String strip(String s, String chars, boolean left, boolean right) {
        int b = 0;
        int e = s.length();
        while (left && b < e && chars.indexOf(s.charAt(b)) >= 0) {
            b++;
        }
        while (right && e > b && chars.indexOf(s.charAt(e - 1)) >= 0) {
            e--;
        }
        return s.substring(b, e);
    }

    private static boolean startsOrEnds(String s, Object prefix, boolean start) {
        if (prefix instanceof List<?> l) {
            for (Object p : l) {
                if (start ? s.startsWith(str(p)) : s.endsWith(str(p))) {
                    return true;
                }
            }
            return false;
        }
        return start ? s.startsWith(str(prefix)) : s.endsWith(str(prefix));
    }

    public static List<Object> split(String s, Object sep, int max) {
        List<Object> out = new ArrayList<>();
        if (sep == null) {
            String t = s.strip();
            if (t.isEmpty()) {
                return out;
            }
            String[] parts = max < 0 ? t.split("\\s+") : t.split("\\s+", max + 1);
            for (String p : parts) {
                out.add(p);
            }
            return out;
        }
        String d = str(sep);
        int from = 0;
        int n = 0;
        while (max < 0 || n < max) {
            int i = s.indexOf(d, from);
            if (i < 0) {
                break;
            }
            out.add(s.substring(from, i));
            from = i + d.length();
            n++;
        }
        out.add(s.substring(from));
        return out;
    }

    private static List<Object> rsplit(String s, Object sep, int max) {
        String d = str(sep);
        List<Object> out = new ArrayList<>();
        int end = s.length();
        int n = 0;
        while (n < max) {
            int i = s.lastIndexOf(d, end - d.length());
            if (i < 0) {
                break;
            }
            out.add(0, s.substring(i + d.length(), end));
            end = i;
            n++;
        }
        out.add(0, s.substring(0, end));
        return out;
    }

    private static String replaceN(String s, String a, String b, int n) {
        if (n < 0) {
            return s.replace(a, b);
        }
        StringBuilder sb = new StringBuilder();
        int from = 0;
        for (int k = 0; k < n; k++) {
            int i = s.indexOf(a, from);
            if (i < 0) {
                break;
            }
            sb.append(s, from, i).append(b);
            from = i + a.length();
        }
        return sb.append(s.substring(from)).toString();
    }

    public static String join(String sep, Object items) {
        StringBuilder sb = new StringBuilder();
        boolean first = true;
        if (items instanceof String str) {
            items = str.chars().mapToObj(c -> String.valueOf((char) c)).toList();
        }
        for (Object o : (Iterable<?>) items) {
            if (!first) {
                sb.append(sep);
            }
            first = false;
            sb.append(str(o));
        }
        return sb.toString();
    }

    private static int count(String s, String sub) {
        if (sub.isEmpty()) {
            return s.length() + 1;
        }
        int n = 0;
        int i = 0;
        while ((i = s.indexOf(sub, i)) >= 0) {
            n++;
            i += sub.length();
        }
        return n;
    }

    public static String title(String s) {
        StringBuilder sb = new StringBuilder();
        boolean prevLetter = false;
        for (char c : s.toCharArray()) {
            sb.append(prevLetter ? Character.toLowerCase(c) : Character.toUpperCase(c));
            prevLetter = Character.isLetter(c);
        }
        return sb.toString();
    }

    public static String center(String s, int width) {
        int pad = width - s.length();
        if (pad <= 0) {
            return s;
        }
        int left = pad / 2 + (pad & width & 1);
        return " ".repeat(left) + s + " ".repeat(pad - left);
    }
}
