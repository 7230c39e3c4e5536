package dev.drover.template.lookups;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every lookup plugin drover knows ({@code lookup(name, …)}, {@code query(name, …)}, {@code q}),
 * by name; one per file in this folder, as Ansible's lookup plugins. Lookups run on the
 * controller. Add a new one here.
 */
public final class Lookups {
    /**
     * A lookup: the terms (positional arguments) and the keyword options, without
     * {@code wantlist}/{@code errors}; returns its list of values, as Ansible's run().
     */
    public interface Lookup {
        List<Object> run(List<Object> terms, Map<String, Object> options);
    }

    private final Map<String, Lookup> all = new LinkedHashMap<>();

    private Lookups() {
    }

    private void add(String name, Lookup lookup) {
        all.put(name, lookup);
    }

    /** Name → lookup. */
    public static Map<String, Lookup> all() {
        Lookups r = new Lookups();
        r.add("env", new Env());
        r.add("file", new FileLookup());
        r.add("template", new TemplateLookup());
        r.add("vars", new Vars());
        r.add("pipe", new Pipe());
        r.add("items", new Items());
        r.add("list", new ListLookup());
        r.add("dict", new DictLookup());
        r.add("first_found", new FirstFound());
        r.add("fileglob", new Fileglob());
        r.add("lines", new Lines());
        r.add("varnames", new Varnames());
        r.add("indexed_items", new IndexedItems());
        r.add("sequence", new Sequence());
        r.add("together", new Together());
        r.add("nested", new Nested());
        r.add("cartesian", new Nested());
        r.add("subelements", new SubelementsLookup());
        r.add("ini", new Ini());
        r.add("csvfile", new Csvfile());
        r.add("password", new Password());
        r.add("unvault", new Unvault());
        r.add("inventory_hostnames", new InventoryHostnames());
        r.add("config", new Config());
        return r.all;
    }
}
