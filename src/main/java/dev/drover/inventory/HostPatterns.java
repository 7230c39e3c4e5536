package dev.drover.inventory;

import dev.drover.yaml.Location;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Ansible's host pattern syntax: splitting a pattern, subscripts, globs and {@code ~regex}. */
final class HostPatterns {
    private static final Pattern PATTERN_PART = Pattern.compile("(?:[^\\s:\\[\\]]|\\[[^\\]]*\\])+");
    private static final Pattern IPV6ISH = Pattern.compile("^\\[?[0-9a-fA-F]*:[0-9a-fA-F]*:[0-9a-fA-F:.]*\\]?(?::[0-9]+)?$");
    private static final Pattern HOST_PORT = Pattern.compile("^[A-Za-z0-9._\\-]+(?:\\[[^\\]]*\\][A-Za-z0-9._\\-]*)*:[0-9]+$");
    private static final Pattern SUBSCRIPT = Pattern.compile("^(.+)\\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\\]$", Pattern.DOTALL);

    /**
     * Ansible's split_host_pattern: commas separate when present; otherwise an address (IPv6,
     * {@code host:port}) is one pattern; otherwise colons separate, keeping {@code [x:y]} whole.
     */
    static List<String> split(String pattern) {
        List<String> parts = new ArrayList<>();
        if (pattern.contains(",")) {
            parts.addAll(List.of(pattern.split(",", -1)));
        } else if (IPV6ISH.matcher(pattern.strip()).matches() || HOST_PORT.matcher(pattern.strip()).matches()) {
            parts.add(pattern);
        } else {
            Matcher m = PATTERN_PART.matcher(pattern);
            while (m.find()) {
                parts.add(m.group());
            }
        }
        List<String> out = new ArrayList<>();
        for (String p : parts) {
            if (!p.strip().isEmpty()) {
                out.add(p.strip());
            }
        }
        return out;
    }

    /** A pattern's name part and its optional subscript ({@code g[0]}, {@code g[-1]}, {@code g[1:3]}, {@code g[2:]}). */
    record Subscripted(String pattern, String expr, int[] subscript) {
        /** The hosts the subscript keeps of {@code found} (all of them without one). */
        List<Host> pick(List<Host> found) throws InventoryException {
            if (found.isEmpty() || subscript == null) {
                return found;
            }
            int n = found.size();
            int start = subscript[0];
            if (subscript.length == 2 && subscript[1] != 0) {
                // Python hosts[start:end+1]; an empty end means through the last host
                int end = subscript[1] == -1 ? n - 1 : subscript[1];
                int from = Math.min(start, n);
                int to = Math.max(from, Math.min(end + 1, n));
                return found.subList(from, to);
            }
            // a single index (x:0 too, as Ansible's "if end:" treats 0 as no end)
            int idx = start < 0 ? n + start : start;
            if (idx < 0 || idx >= n) {
                throw new InventoryException(Location.of("host pattern"), "No hosts matched the subscripted pattern '"
                        + pattern + "': it selects " + n + " host(s), index " + start + " is out of range");
            }
            return List.of(found.get(idx));
        }
    }

    /** {@code p} (no leading {@code &} or {@code !}) split into its expression and subscript. */
    static Subscripted subscripted(String p) throws InventoryException {
        if (p.charAt(0) != '~') {
            Matcher m = SUBSCRIPT.matcher(p);
            if (m.matches()) {
                try {
                    if (m.group(2) != null) {
                        return new Subscripted(p, m.group(1), new int[] {Integer.parseInt(m.group(2))});
                    }
                    int start = Integer.parseInt(m.group(3));
                    int end = m.group(5).isEmpty() ? -1 : Integer.parseInt(m.group(5));
                    return new Subscripted(p, m.group(1), new int[] {start, end});
                } catch (NumberFormatException e) {
                    throw new InventoryException(Location.of("host pattern"), "subscript too large in pattern '" + p + "'");
                }
            }
        }
        return new Subscripted(p, p, null);
    }

    /** {@code ~regex} (Python re.match: anchored at the start only) or an fnmatch glob (whole name). */
    static Pattern compile(String pattern) throws InventoryException {
        try {
            if (pattern.charAt(0) == '~') {
                return Pattern.compile(pattern.substring(1));
            }
            return Pattern.compile(globToRegex(pattern) + "$", Pattern.DOTALL);
        } catch (PatternSyntaxException e) {
            throw new InventoryException(Location.of("host pattern"), "Invalid host list pattern: " + pattern
                    + " (" + e.getDescription() + ")");
        }
    }

    /** Python's fnmatch.translate: {@code *}, {@code ?}, {@code [seq]}, {@code [!seq]}; the rest literal. */
    static String globToRegex(String glob) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        int n = glob.length();
        while (i < n) {
            char c = glob.charAt(i++);
            if (c == '*') {
                b.append(".*");
            } else if (c == '?') {
                b.append('.');
            } else if (c == '[') {
                int j = i;
                if (j < n && glob.charAt(j) == '!') {
                    j++;
                }
                if (j < n && glob.charAt(j) == ']') {
                    j++;
                }
                while (j < n && glob.charAt(j) != ']') {
                    j++;
                }
                if (j >= n) {
                    b.append("\\[");
                } else {
                    String stuff = glob.substring(i, j);
                    i = j + 1;
                    b.append('[');
                    int k = 0;
                    if (stuff.startsWith("!")) {
                        b.append('^');
                        k = 1;
                    }
                    for (; k < stuff.length(); k++) {
                        char s = stuff.charAt(k);
                        if (s == '-' || Character.isLetterOrDigit(s)) {
                            b.append(s);
                        } else {
                            b.append('\\').append(s);
                        }
                    }
                    b.append(']');
                }
            } else if (Character.isLetterOrDigit(c)) {
                b.append(c);
            } else {
                b.append('\\').append(c);
            }
        }
        return b.toString();
    }

    private HostPatterns() {
    }
}
