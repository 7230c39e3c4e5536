package dev.drover.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Host keys in inventories: {@code host:port} shorthand and {@code [a:b:step]} range expansion. */
final class HostRanges {
    private HostRanges() {
    }

    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final Pattern BRACKETED_HOSTPORT = Pattern.compile("^\\[(.+)\\]:([0-9]+)$");
    private static final Pattern HOSTPORT = Pattern.compile("^((?:[^:\\[\\]]|\\[[^\\]]*\\])*):([0-9]+)$");

    /** A host key split into its name pattern and optional port. */
    record HostKey(String pattern, Integer port) {
    }

    /** Splits {@code host:port} / {@code [v6addr]:port}; anything else is the whole name. */
    static HostKey splitPort(String key) {
        Matcher m = BRACKETED_HOSTPORT.matcher(key);
        if (!m.matches()) {
            m = HOSTPORT.matcher(key);
            if (!m.matches()) {
                return new HostKey(key, null);
            }
        }
        if (m.group(1).isEmpty()) {
            return new HostKey(key, null);
        }
        try {
            return new HostKey(m.group(1), Integer.parseInt(m.group(2)));
        } catch (NumberFormatException e) {
            return new HostKey(key, null);
        }
    }

    /**
     * Ansible's expand_hostname_range: the first {@code [beg:end]} or {@code [beg:end:step]} is
     * expanded (numeric, zero-padded when beg has a leading zero, or letters), then the rest.
     */
    static List<String> expand(String name) {
        List<String> out = new ArrayList<>();
        if (name.indexOf('[') < 0) {
            out.add(name);
            return out;
        }
        int open = name.indexOf('[');
        int close = name.indexOf(']');
        if (close < 0 || close < open) {
            throw new IllegalArgumentException("host range in '" + name + "' has no closing ']'");
        }
        String head = name.substring(0, open);
        String range = name.substring(open + 1, close);
        String tail = name.substring(close + 1);
        String[] bounds = range.split(":", -1);
        if (bounds.length != 2 && bounds.length != 3) {
            throw new IllegalArgumentException("host range must be begin:end or begin:end:step, got '[" + range + "]'");
        }
        String beg = bounds[0].isEmpty() ? "0" : bounds[0];
        String end = bounds[1];
        int step;
        try {
            step = bounds.length == 3 ? Integer.parseInt(bounds[2].trim()) : 1;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("host range step must be a number, got '" + bounds[2] + "'");
        }
        if (step <= 0) {
            throw new IllegalArgumentException("host range step must be positive, got " + step);
        }
        if (end.isEmpty()) {
            throw new IllegalArgumentException("host range must specify end value");
        }
        int width = 0;
        if (beg.charAt(0) == '0' && beg.length() > 1) {
            width = beg.length();
            if (width != end.length()) {
                throw new IllegalArgumentException("host range must specify equal-length begin and end formats");
            }
        }
        List<String> seq = new ArrayList<>();
        int ib = beg.length() == 1 ? LETTERS.indexOf(beg) : -1;
        int ie = end.length() == 1 ? LETTERS.indexOf(end) : -1;
        if (ib >= 0 && ie >= 0) {
            if (ib > ie) {
                throw new IllegalArgumentException("host range must have begin <= end");
            }
            for (int k = ib; k <= ie; k += step) {
                seq.add(String.valueOf(LETTERS.charAt(k)));
            }
        } else {
            long b;
            long e;
            try {
                b = Long.parseLong(beg.trim());
                e = Long.parseLong(end.trim());
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("host range '[" + range
                        + "]' must be numbers (web[01:10]) or single letters (db-[a:f])");
            }
            if ((e - b) / step > 100_000) {
                throw new IllegalArgumentException("host range '[" + range + "]' is too large");
            }
            for (long k = b; k <= e; k += step) {
                String s = Long.toString(k);
                if (width > 0 && s.length() < width) {
                    s = "0".repeat(width - s.length()) + s;
                }
                seq.add(s);
            }
        }
        for (String s : seq) {
            out.addAll(expand(head + s + tail));
        }
        return out;
    }
}
