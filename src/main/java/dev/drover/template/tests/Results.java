package dev.drover.template.tests;

import static dev.drover.template.Jinja.*;

import dev.drover.template.TemplateException;
import dev.drover.template.Undefined;
import java.util.Map;

/** Task result tests: changed, failed, succeeded/success/successful, skipped. */
final class Results {
    private Results() {
    }

    static void register(Tests ts) {
        ts.add("changed", (v, a) -> toBool(result(v, "changed")));
        ts.add("failed", (v, a) -> toBool(result(v, "failed")));
        Tests.Fn succeeded = (v, a) -> !toBool(result(v, "failed"));
        ts.add("succeeded", succeeded);
        ts.add("success", succeeded);
        ts.add("successful", succeeded);
        ts.add("skipped", (v, a) -> toBool(result(v, "skipped")));
    }

    static Object result(Object v, String key) {
        if (!(v instanceof Map<?, ?> m)) {
            throw fail(new TemplateException("The '" + key + "' test expects a dictionary"));
        }
        Object r = m.get(key);
        return r instanceof Undefined ? false : r;
    }
}
