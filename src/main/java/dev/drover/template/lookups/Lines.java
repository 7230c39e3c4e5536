package dev.drover.template.lookups;

import dev.drover.template.Py;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** lines: each command's stdout (run with /bin/sh in the playbook's directory), one item per line. */
final class Lines implements Lookups.Lookup {
    @Override
    public List<Object> run(List<Object> terms, Map<String, Object> options) {
        List<Object> out = new ArrayList<>();
        for (Object t : terms) {
            String stdout = Pipe.run(Py.str(t), "lines");
            List<String> lines = new ArrayList<>(List.of(stdout.split("\r\n|\n|\r", -1)));
            if (lines.get(lines.size() - 1).isEmpty()) {
                lines.remove(lines.size() - 1);
            }
            out.addAll(lines);
        }
        return out;
    }
}
