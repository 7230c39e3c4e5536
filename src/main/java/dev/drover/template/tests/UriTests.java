package dev.drover.template.tests;

import static dev.drover.template.Jinja.*;

import dev.drover.template.Py;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * uri, url and urn (Ansible's test plugins, on Python's urlparse): any string is a uri unless
 * {@code schemes} names the ones allowed; a url also has a network location (or the file
 * scheme); a urn is a uri of the urn scheme.
 */
final class UriTests {
    private UriTests() {
    }

    private static final Pattern URL = Pattern.compile("^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?://([^/?#]*))?", Pattern.DOTALL);

    static void register(Tests ts) {
        ts.add("uri", (v, a) -> isUri(v, a.length > 0 ? a[0] : null));
        ts.add("url", (v, a) -> {
            if (!isUri(v, a.length > 0 ? a[0] : null)) {
                return false;
            }
            Matcher m = URL.matcher(Py.str(v));
            m.lookingAt();
            return m.group(2) != null && !m.group(2).isEmpty() || "file".equals(scheme(v));
        });
        ts.add("urn", (v, a) -> isUri(v, List.of("urn")));
    }

    private static String scheme(Object v) {
        Matcher m = URL.matcher(Py.str(v));
        m.lookingAt();
        return m.group(1) == null ? "" : m.group(1).toLowerCase();
    }

    private static boolean isUri(Object v, Object schemes) {
        if (!(v instanceof CharSequence)) {
            return false;
        }
        if (schemes == null || !Py.truthy(schemes)) {
            return true;
        }
        return contains(toList(schemes), scheme(v));
    }
}
