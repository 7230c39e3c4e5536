package dev.drover.template.filters;

import static dev.drover.template.Jinja.*;

import dev.drover.template.Py;
import dev.drover.template.TemplateException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** urlencode, and urlsplit (Python's urllib.parse.urlsplit as a dict, or one of its components). */
final class Urls {
    private Urls() {
    }

    private static final java.util.regex.Pattern URL = java.util.regex.Pattern.compile(
            "^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?://([^/?#]*))?([^?#]*)(?:\\?([^#]*))?(?:#(.*))?$", java.util.regex.Pattern.DOTALL);

    static void register(Filters fs) {
        fs.add("urlsplit", (v, a, kw) -> {
            Map<String, Object> parts = urlsplit(Py.str(v));
            Object query = arg(a, kw, 0, "query", "");
            if (query == null || Py.str(query).isEmpty()) {
                return parts;
            }
            if (!parts.containsKey(Py.str(query))) {
                throw fail(new TemplateException("urlsplit: unknown URL component: " + Py.str(query)));
            }
            return parts.get(Py.str(query));
        });
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

    /** The attributes of Python's SplitResult, in dir() order as Ansible's object_to_dict lists them. */
    static Map<String, Object> urlsplit(String url) {
        java.util.regex.Matcher m = URL.matcher(url);
        m.matches();
        String scheme = m.group(1) == null ? "" : m.group(1).toLowerCase();
        String netloc = m.group(2) == null ? "" : m.group(2);
        String userinfo = netloc.contains("@") ? netloc.substring(0, netloc.lastIndexOf('@')) : null;
        String hostinfo = netloc.substring(netloc.lastIndexOf('@') + 1);
        String host;
        String port;
        if (hostinfo.startsWith("[")) {
            int close = hostinfo.indexOf(']');
            host = close < 0 ? hostinfo.substring(1) : hostinfo.substring(1, close);
            String rest = close < 0 ? "" : hostinfo.substring(close + 1);
            port = rest.startsWith(":") ? rest.substring(1) : null;
        } else {
            int colon = hostinfo.indexOf(':');
            host = colon < 0 ? hostinfo : hostinfo.substring(0, colon);
            port = colon < 0 ? null : hostinfo.substring(colon + 1);
        }
        Object portValue = null;
        if (port != null && !port.isEmpty()) {
            if (!port.matches("\\d+") || Long.parseLong(port) > 65535) {
                throw fail(new TemplateException("Port out of range 0-65535"));
            }
            portValue = Integer.parseInt(port);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("fragment", m.group(5) == null ? "" : m.group(5));
        out.put("hostname", host.isEmpty() ? null : host.toLowerCase());
        out.put("netloc", netloc);
        out.put("password", userinfo == null || !userinfo.contains(":") ? null : userinfo.substring(userinfo.indexOf(':') + 1));
        out.put("path", m.group(3));
        out.put("port", portValue);
        out.put("query", m.group(4) == null ? "" : m.group(4));
        out.put("scheme", scheme);
        out.put("username", userinfo == null ? null : userinfo.contains(":") ? userinfo.substring(0, userinfo.indexOf(':')) : userinfo);
        return out;
    }
}
