package dev.drover.template.filters;

import static dev.drover.template.Jinja.*;

import dev.drover.template.Py;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** urlencode. */
final class Urls {
    private Urls() {
    }

    static void register(Filters fs) {
        fs.add("urlencode", (v, a, kw) -> {
            if (v instanceof Map<?, ?> m) {
                List<String> parts = new ArrayList<>();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    parts.add(urlQuote(Py.str(e.getKey()), true) + "=" + urlQuote(Py.str(e.getValue()), true));
                }
                return String.join("&", parts);
            }
            return urlQuote(Py.str(v), false);
        });
    }

    static String urlQuote(String s, boolean plus) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "_.-~".indexOf(c) >= 0
                    || (!plus && c == '/')) {
                sb.append((char) c);
            } else if (plus && c == ' ') {
                sb.append('+');
            } else {
                sb.append(String.format("%%%02X", c));
            }
        }
        return sb.toString();
    }
}
