package dev.drover.template.lookups;

import dev.drover.template.Py;
import dev.drover.template.PyFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * sequence: numbers as strings, from {@code start=1 end=N|count=N stride=1 format=%d} or the short
 * form {@code [start-]end[/stride][:format]} (numbers in decimal, 0x hex or 0 octal).
 */
final class Sequence implements Lookups.Lookup {
    private static final Pattern SHORTCUT = Pattern.compile(
            "^(?:(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*|-?[0-9]+)-)?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)"
            + "(?:/(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*))?(?::(.+))?$");

    @Override
    public List<Object> run(List<Object> terms, Map<String, Object> options) {
        List<Object> out = new ArrayList<>();
        for (Object t : terms) {
            String term = Py.str(t).strip();
            long start = 1;
            Long end = null;
            Long count = null;
            long stride = 1;
            String format = "%d";
            Map<String, String> kv = Terms.parseKv(term);
            if (kv.containsKey("_raw_params") && kv.size() == 1) {
                Matcher m = SHORTCUT.matcher(term);
                if (!m.matches()) {
                    throw Terms.error("unknown error parsing with_sequence arguments: '" + term + "'");
                }
                if (m.group(1) != null) {
                    start = num(m.group(1));
                }
                end = num(m.group(2));
                if (m.group(3) != null) {
                    stride = num(m.group(3));
                }
                if (m.group(4) != null) {
                    format = m.group(4);
                }
            } else {
                for (Map.Entry<String, String> e : kv.entrySet()) {
                    switch (e.getKey()) {
                        case "start" -> start = num(e.getValue());
                        case "end" -> end = num(e.getValue());
                        case "count" -> count = num(e.getValue());
                        case "stride" -> stride = num(e.getValue());
                        case "format" -> format = e.getValue();
                        default -> throw Terms.error("unrecognized arguments to with_sequence: ['" + e.getKey() + "']");
                    }
                }
            }
            if (count != null && end != null) {
                throw Terms.error("can't specify both count and end in with_sequence");
            }
            if (count == null && end == null) {
                throw Terms.error("must specify count or end in with_sequence");
            }
            if (count != null) {
                if (count == 0) {
                    continue;
                }
                end = start + count * stride - 1;
            }
            if (stride > 0 && end < start) {
                throw Terms.error("to count backwards make stride negative");
            }
            if (stride < 0 && end > start) {
                throw Terms.error("to count forward don't make stride negative");
            }
            if (stride == 0) {
                continue;
            }
            for (long i = start; stride > 0 ? i <= end : i >= end; i += stride) {
                out.add(PyFormat.percent(format, List.of(i)));
            }
        }
        return out;
    }

    private static long num(String s) {
        String v = s.strip();
        try {
            if (v.startsWith("0x") || v.startsWith("0X")) {
                return Long.parseLong(v.substring(2), 16);
            }
            if (v.length() > 1 && v.startsWith("0")) {
                return Long.parseLong(v.substring(1), 8);
            }
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw Terms.error("can't parse arg=" + v + " as integer");
        }
    }
}
