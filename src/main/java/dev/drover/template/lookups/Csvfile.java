package dev.drover.template.lookups;

import dev.drover.template.Py;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * csvfile: column {@code col} (1) of the row whose first field is the key, in a CSV file
 * (file=ansible.csv, delimiter=TAB, default=None), fields read as Python's csv module reads them
 * (double quotes, doubled quotes inside).
 */
final class Csvfile implements Lookups.Lookup {
    @Override
    public List<Object> run(List<Object> terms, Map<String, Object> options) {
        List<Object> out = new ArrayList<>();
        for (Object t : terms) {
            Map<String, String> kv = Terms.parseKv(Py.str(t));
            String key = kv.remove("_raw_params");
            if (key == null) {
                throw Terms.error("Search key is required but was not found");
            }
            Map<String, Object> params = new LinkedHashMap<>(options);
            params.putAll(kv);
            String delimiter = Terms.option(params, "delimiter", "TAB");
            if (delimiter.equals("TAB")) {
                delimiter = "\t";
            }
            int col;
            try {
                col = Integer.parseInt(Terms.option(params, "col", "1"));
            } catch (NumberFormatException e) {
                throw Terms.error("csvfile: invalid literal for int() with base 10: '" + params.get("col") + "'");
            }
            String text = FileLookup.read(SearchPath.find(Terms.option(params, "file", "ansible.csv"), "files"));
            Object value = params.get("default");
            for (List<String> row : rows(text, delimiter.charAt(0))) {
                if (!row.isEmpty() && row.get(0).equals(key)) {
                    if (col >= row.size()) {
                        throw Terms.error("csvfile: list index out of range");
                    }
                    value = row.get(col);
                    break;
                }
            }
            if (value != null) {
                out.add(value);
            }
        }
        return out;
    }

    static List<List<String>> rows(String text, char delimiter) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"' && field.length() == 0) {
                quoted = true;
                any = true;
            } else if (c == delimiter) {
                row.add(field.toString());
                field.setLength(0);
                any = true;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                if (any || field.length() > 0) {
                    row.add(field.toString());
                }
                rows.add(row);
                row = new ArrayList<>();
                field.setLength(0);
                any = false;
            } else {
                field.append(c);
                any = true;
            }
        }
        if (any || field.length() > 0) {
            row.add(field.toString());
            rows.add(row);
        }
        return rows;
    }
}
