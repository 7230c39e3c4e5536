package dev.drover.template.filters;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every filter drover's templates know (besides jinjava's own), by name. One family per file in
 * this folder, as Ansible's and Jinja2's filter plugins; add a new one here.
 */
public final class Filters {
    /** A filter: the value left of the bar, the positional and the keyword arguments. */
    public interface Fn {
        Object apply(Object value, Object[] args, Map<String, Object> kwargs);
    }

    private final Map<String, Fn> all = new LinkedHashMap<>();

    private Filters() {
    }

    void add(String name, Fn fn) {
        all.put(name, fn);
    }

    /** Name → filter; a later family may redefine a name (the last one wins). */
    public static Map<String, Fn> all() {
        Filters r = new Filters();
        Defaults.register(r);
        Conversions.register(r);
        Strings.register(r);
        Json.register(r);
        Yaml.register(r);
        Base64Codec.register(r);
        Paths.register(r);
        Quote.register(r);
        Hashes.register(r);
        Regex.register(r);
        Sequences.register(r);
        Sorting.register(r);
        Numbers.register(r);
        Sets.register(r);
        Dicts.register(r);
        Flatten.register(r);
        Zips.register(r);
        Subelements.register(r);
        Extract.register(r);
        MapSelect.register(r);
        Ternary.register(r);
        Urls.register(r);
        Time.register(r);
        GroupBy.register(r);
        Combinatorics.register(r);
        return r.all;
    }
}
