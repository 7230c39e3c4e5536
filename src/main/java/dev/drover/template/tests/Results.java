package dev.drover.template.tests;

import static dev.drover.template.Jinja.*;

import dev.drover.template.TemplateException;
import dev.drover.template.Undefined;
import java.util.Map;

/** Task result tests: changed/change, failed/failure, succeeded/success/successful, skipped/skip, reachable/unreachable, finished, started. */
final class Results {
    private Results() {
    }

    static void register(Tests ts) {
        ts.add("changed", (v, a) -> toBool(result(v, "changed")));
        ts.add("change", (v, a) -> toBool(result(v, "changed")));
        ts.add("failed", (v, a) -> toBool(result(v, "failed")));
        ts.add("failure", (v, a) -> toBool(result(v, "failed")));
        ts.add("skip", (v, a) -> toBool(result(v, "skipped")));
        ts.add("unreachable", (v, a) -> toBool(result(v, "unreachable")));
        ts.add("reachable", (v, a) -> !toBool(result(v, "unreachable")));
        // async results: without the key, finished and started hold
        ts.add("finished", (v, a) -> !((Map<?, ?>) check(v, "finished")).containsKey("finished")
                || toBool(result(v, "finished")));
        ts.add("started", (v, a) -> !((Map<?, ?>) check(v, "started")).containsKey("started")
                || toBool(result(v, "started")));
        Tests.Fn succeeded = (v, a) -> !toBool(result(v, "failed"));
        ts.add("succeeded", succeeded);
        ts.add("success", succeeded);
        ts.add("successful", succeeded);
        ts.add("skipped", (v, a) -> toBool(result(v, "skipped")));
    }

    private static Object check(Object v, String test) {
        result(v, test);
        return v;
    }

    static Object result(Object v, String key) {
        if (!(v instanceof Map<?, ?> m)) {
            throw fail(new TemplateException("The '" + key + "' test expects a dictionary"));
        }
        Object r = m.get(key);
        return r instanceof Undefined ? false : r;
    }
}
