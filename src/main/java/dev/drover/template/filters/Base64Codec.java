package dev.drover.template.filters;

import static dev.drover.template.Jinja.*;

import dev.drover.template.Py;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** b64encode, b64decode (UTF-8 text). */
final class Base64Codec {
    private Base64Codec() {
    }

    static void register(Filters fs) {
        fs.add("b64encode", (v, a, kw) -> Base64.getEncoder().encodeToString(Py.str(v).getBytes(StandardCharsets.UTF_8)));
        fs.add("b64decode", (v, a, kw) -> new String(Base64.getMimeDecoder().decode(Py.str(v)), StandardCharsets.UTF_8));
    }
}
