package dev.drover.inventory;

import dev.drover.yaml.Location;
import dev.drover.yaml.YamlException;
import dev.drover.yaml.YamlLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Hosts, groups and their variables, read from Ansible INI or YAML inventories.
 *
 * <p>Behaviour follows ansible-core 2.14's InventoryManager, INI and YAML plugins and the
 * host_group_vars vars plugin; see the method docs for where it matters. Instances are immutable
 * after {@link #load} except for the lazily created implicit localhost; they are safe to share.
 */
public final class Inventory {

    // add_host and group_by change the inventory during a run: these maps are replaced (copy on
    // write, under the object's lock), never changed in place, so a reader sees one consistent map
    private volatile Map<String, Host> hosts;
    private volatile Map<String, Group> groups;
    private volatile Map<String, Integer> depth;
    private volatile Map<String, Integer> priority;
    /** host name → groups containing it, directly or through children ({@code all} included). */
    private volatile Map<String, Set<String>> hostGroups;
    /** group name → all its hosts (own, then descendants'), in Ansible's order. */
    private Map<String, List<String>> groupHosts = new HashMap<>();
    /** host name → the source that defined it first (Ansible's inventory_file). */
    private final Map<String, String> hostSource;
    /** The directories whose group_vars/ and host_vars/ belong to the inventory, in source order. */
    private final List<Path> varsBases;
    private final List<String> warnings;
    private final VarsFiles varsFiles = new VarsFiles();
    /** The host that answers to localhost: the first localhost-like inventory host, or the implicit one. */
    private Host localhost;

    private Inventory(Model m, List<Path> varsBases, List<String> warnings) {
        Map<String, Host> hs = new LinkedHashMap<>();
        Map<String, String> src = new HashMap<>();
        for (Model.MHost h : m.hosts.values()) {
            Host host = new Host(h.name, h.vars, false);
            hs.put(h.name, host);
            src.put(h.name, h.source);
            if (localhost == null && Model.LOCALHOST.contains(h.name)) {
                localhost = host;
            }
        }
        this.hosts = Collections.unmodifiableMap(hs);
        this.hostSource = src;
        Map<String, Group> gs = new LinkedHashMap<>();
        Map<String, Integer> prio = new HashMap<>();
        for (Model.MGroup g : m.groups.values()) {
            gs.put(g.name, new Group(g.name, g.hosts, g.children, g.vars));
            prio.put(g.name, g.priority);
        }
        this.groups = Collections.unmodifiableMap(gs);
        this.priority = prio;
        this.depth = new HashMap<>();
        for (String g : gs.keySet()) {
            depthOf(g, m);
        }
        Map<String, Set<String>> hg = new HashMap<>();
        for (String g : gs.keySet()) {
            for (String h : hostsOf(g)) {
                hg.computeIfAbsent(h, k -> new LinkedHashSet<>()).add(g);
            }
        }
        this.hostGroups = hg;
        this.varsBases = List.copyOf(varsBases);
        this.warnings = List.copyOf(warnings);
    }

    private int depthOf(String g, Model m) {
        Integer d = depth.get(g);
        if (d != null) {
            return d;
        }
        int best = 0;
        for (String p : m.groups.get(g).parents) {
            best = Math.max(best, depthOf(p, m) + 1);
        }
        depth.put(g, best);
        return best;
    }

    // ------------------------------------------------------------------ loading

    /**
     * Reads inventory sources: INI files, YAML files, directories of them, or a comma-separated
     * host list ({@code "web1,web2,"}), as {@code ansible-playbook -i} takes them.
     *
     * <p>A file named {@code .yml}, {@code .yaml} or {@code .json} is YAML; a file without extension
     * is YAML when its content is a YAML mapping, INI otherwise; any other file is INI. A directory
     * is read recursively in sorted order, skipping what Ansible skips: hidden entries,
     * {@code group_vars}, {@code host_vars}, {@code vars_plugins}, and names ending in .pyc .pyo .swp
     * .bak ~ .rpm .md .txt .rst .orig .ini .cfg .retry (yes, Ansible 2.14 skips .ini files inside an
     * inventory directory; verified with ansible-inventory). A source that does not exist and has no
     * comma is an error here (Ansible only warns).
     */
    public static Inventory load(List<String> sources) throws InventoryException {
        Model m = new Model();
        List<Path> bases = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (String source : sources) {
            if (source == null || source.isBlank()) {
                continue;
            }
            Path p = null;
            try {
                p = Path.of(source);
            } catch (InvalidPathException e) {
                // not a path; maybe a host list
            }
            if (p != null && Files.exists(p)) {
                Path abs = p.toAbsolutePath().normalize();
                if (Files.isDirectory(abs)) {
                    bases.add(abs);
                    loadDir(m, abs, warnings);
                } else {
                    bases.add(abs.getParent());
                    loadFile(m, abs, warnings);
                }
            } else if (source.contains(",")) {
                m.currentSource = source;
                for (String item : source.split(",")) {
                    String h = item.strip();
                    if (h.isEmpty()) {
                        continue;
                    }
                    HostRanges.HostKey hk = HostRanges.splitPort(h);
                    if (!m.hosts.containsKey(hk.pattern())) {
                        m.addHost(hk.pattern(), "ungrouped", hk.port());
                    }
                }
            } else {
                throw new InventoryException(Location.of(source),
                        "inventory source not found: '" + source + "' is neither a file, a directory, nor a "
                                + "comma-separated host list (write 'host1,' for a single host)");
            }
        }
        m.currentSource = null;
        m.reconcile();
        return new Inventory(m, bases, warnings);
    }

    private static final Pattern IGNORED = Pattern.compile(
            "^\\..*|^host_vars$|^group_vars$|^vars_plugins$"
                    + "|.*(\\.pyc|\\.pyo|\\.swp|\\.bak|~|\\.rpm|\\.md|\\.txt|\\.rst|\\.orig|\\.ini|\\.cfg|\\.retry)$",
            Pattern.DOTALL);

    private static void loadDir(Model m, Path dir, List<String> warnings) throws InventoryException {
        List<Path> entries;
        try (Stream<Path> s = Files.list(dir)) {
            entries = s.sorted(Comparator.comparing(x -> x.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new InventoryException(Location.of(dir.toString()), "cannot list inventory directory: " + e.getMessage());
        }
        for (Path p : entries) {
            if (IGNORED.matcher(p.getFileName().toString()).matches()) {
                continue;
            }
            if (Files.isDirectory(p)) {
                loadDir(m, p, warnings);
            } else {
                loadFile(m, p, warnings);
            }
        }
    }

    private static void loadFile(Model m, Path file, List<String> warnings) throws InventoryException {
        String name = file.toString();
        m.currentSource = name;
        String text;
        try {
            text = YamlLoader.read(file);
        } catch (YamlException e) {
            throw new InventoryException(e.location(), e.getMessage());
        }
        String ext = VarsFiles.extension(file.getFileName().toString()).toLowerCase(java.util.Locale.ROOT);
        boolean yamlExt = ext.equals(".yml") || ext.equals(".yaml") || ext.equals(".json");
        if (yamlExt || ext.isEmpty()) {
            List<Node> docs = null;
            try {
                docs = YamlLoader.compose(text, name);
            } catch (YamlException e) {
                if (yamlExt) {
                    throw new InventoryException(e.location(), e.getMessage());
                }
            }
            if (yamlExt) {
                YamlInventoryParser.parse(m, docs.isEmpty() ? null : docs.get(0), name, warnings);
                return;
            }
            if (docs != null && !docs.isEmpty() && docs.get(0) instanceof MappingNode) {
                YamlInventoryParser.parse(m, docs.get(0), name, warnings);
                return;
            }
        }
        IniParser.parse(m, name, text);
    }

    /** The inventory ansible-playbook uses without {@code -i}: only the implicit localhost. */
    public static Inventory localhostOnly() {
        Model m = new Model();
        m.reconcile();
        return new Inventory(m, List.of(), List.of());
    }

    // ------------------------------------------------------------------ hosts and groups

    /** Every host, in the order the sources define them (the implicit localhost is not one). */
    public List<Host> hosts() {
        return List.copyOf(hosts.values());
    }

    /**
     * The named host. For {@code localhost}, {@code 127.0.0.1} and {@code ::1} this is, as with
     * Ansible's get_host, the inventory's first localhost-like host or else the implicit localhost.
     */
    public Optional<Host> host(String name) {
        Host h = hosts.get(name);
        if (h == null && Model.LOCALHOST.contains(name)) {
            h = implicitLocalhost(name);
        }
        return Optional.ofNullable(h);
    }

    private synchronized Host implicitLocalhost(String name) {
        if (localhost == null) {
            Map<String, Object> vars = new LinkedHashMap<>();
            vars.put("ansible_connection", "local");
            localhost = new Host(name, vars, true);
        }
        return localhost;
    }

    /**
     * add_host: adds the host (to {@code all}) when it is new, merges {@code vars} into its
     * variables and adds it to each of {@code groupNames} (created as children of {@code all}
     * when new). Returns whether anything changed, as Ansible's add_dynamic_host reports it.
     */
    public synchronized boolean addDynamicHost(String name, List<String> groupNames, Map<String, Object> vars) {
        Map<String, Host> hs = new LinkedHashMap<>(hosts);
        Map<String, Group> gs = new LinkedHashMap<>(groups);
        boolean changed = false;
        Host h = hs.get(name);
        if (h == null) {
            h = new Host(name, Map.of(), false);
            changed = true;
            Group all = gs.get("all");
            if (!all.hosts().contains(name)) {
                gs.put("all", withHost(all, name));
            }
        }
        Map<String, Object> merged = new LinkedHashMap<>(h.vars());
        merged.putAll(vars);
        if (!merged.equals(h.vars())) {
            h = new Host(name, merged, false);
            changed = true;
        }
        hs.put(name, h);
        for (String g : groupNames) {
            changed |= ensureGroup(gs, g, List.of("all"));
            Group group = gs.get(g);
            if (!group.hosts().contains(name)) {
                gs.put(g, withHost(group, name));
                changed = true;
            }
        }
        if (changed) {
            install(hs, gs);
        }
        return changed;
    }

    /**
     * group_by: adds {@code host} to {@code group} (created when new) and makes the group a child
     * of each of {@code parents} (created when new). Returns whether anything changed.
     */
    public synchronized boolean addDynamicGroup(String host, String group, List<String> parents) {
        return addDynamicGroup(host, group, parents, List.of());
    }

    /**
     * As {@link #addDynamicGroup(String, String, List)}; the group's hosts that are in
     * {@code order} keep that order (the play's hosts, whose results Ansible processes in order,
     * while drover's hosts finish in parallel).
     */
    public synchronized boolean addDynamicGroup(String host, String group, List<String> parents, List<String> order) {
        Map<String, Group> gs = new LinkedHashMap<>(groups);
        boolean changed = ensureGroup(gs, group, List.of());
        for (String p : parents) {
            changed |= ensureGroup(gs, p, List.of("all"));
            Group parent = gs.get(p);
            if (!parent.children().contains(group) && !p.equals(group)) {
                List<String> children = new ArrayList<>(parent.children());
                children.add(group);
                gs.put(p, new Group(parent.name(), parent.hosts(), children, parent.vars()));
                changed = true;
            }
        }
        if (parents.isEmpty() && !gs.get("all").children().contains(group)) {
            ensureChildOf(gs, "all", group);
        }
        Group g = gs.get(group);
        if (!g.hosts().contains(host)) {
            g = withHost(g, host);
            if (order.contains(host)) {
                List<String> sorted = new ArrayList<>(g.hosts());
                sorted.sort(Comparator.comparingInt(h -> order.contains(h) ? order.indexOf(h) : Integer.MAX_VALUE));
                g = new Group(g.name(), sorted, g.children(), g.vars());
            }
            gs.put(group, g);
            changed = true;
        }
        if (changed) {
            install(new LinkedHashMap<>(hosts), gs);
        }
        return changed;
    }

    private static Group withHost(Group g, String host) {
        List<String> hs = new ArrayList<>(g.hosts());
        hs.add(host);
        return new Group(g.name(), hs, g.children(), g.vars());
    }

    private static boolean ensureGroup(Map<String, Group> gs, String name, List<String> parents) {
        if (gs.containsKey(name)) {
            return false;
        }
        gs.put(name, new Group(name, List.of(), List.of(), Map.of()));
        for (String p : parents) {
            ensureChildOf(gs, p, name);
        }
        return true;
    }

    private static void ensureChildOf(Map<String, Group> gs, String parent, String child) {
        Group p = gs.get(parent);
        if (p != null && !p.children().contains(child)) {
            List<String> children = new ArrayList<>(p.children());
            children.add(child);
            gs.put(parent, new Group(p.name(), p.hosts(), children, p.vars()));
        }
    }

    /** Replaces the maps and recomputes what derives from them (depths, host groups, caches). */
    private void install(Map<String, Host> hs, Map<String, Group> gs) {
        Map<String, Integer> d = new HashMap<>();
        Map<String, Integer> prio = new HashMap<>(priority);
        for (String g : gs.keySet()) {
            prio.putIfAbsent(g, 1);
            depthIn(g, gs, d, new java.util.HashSet<>());
        }
        synchronized (this) {
            groupHosts = new HashMap<>();
            groups = Collections.unmodifiableMap(gs);
            hosts = Collections.unmodifiableMap(hs);
            priority = prio;
            depth = d;
            Map<String, Set<String>> hg = new HashMap<>();
            for (String g : gs.keySet()) {
                for (String h : hostsOf(g)) {
                    hg.computeIfAbsent(h, k -> new LinkedHashSet<>()).add(g);
                }
            }
            hostGroups = hg;
        }
    }

    private static int depthIn(String g, Map<String, Group> gs, Map<String, Integer> d, Set<String> visiting) {
        Integer known = d.get(g);
        if (known != null) {
            return known;
        }
        int best = 0;
        if (visiting.add(g)) {
            for (Group p : gs.values()) {
                if (p.children().contains(g)) {
                    best = Math.max(best, depthIn(p.name(), gs, d, visiting) + 1);
                }
            }
        }
        d.put(g, best);
        return best;
    }

    /** Groups by name, {@code all} and {@code ungrouped} included, in creation order. */
    public Map<String, Group> groups() {
        return groups;
    }

    /** Warnings Ansible would print while reading the sources (skipped YAML keys, …). */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * All hosts of a group, its own first, then those of its descendants breadth-first (Ansible's
     * Group.get_hosts; the order below the first level of children is unspecified in Ansible, here
     * it is definition order).
     */
    private synchronized List<String> hostsOf(String group) {
        List<String> cached = groupHosts.get(group);
        if (cached != null) {
            return cached;
        }
        List<String> order = new ArrayList<>();
        Set<String> seenGroups = new LinkedHashSet<>();
        List<String> level = List.of(group);
        while (!level.isEmpty()) {
            List<String> next = new ArrayList<>();
            for (String g : level) {
                if (seenGroups.add(g)) {
                    order.add(g);
                    next.addAll(groups.get(g).children());
                }
            }
            level = next;
        }
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String g : order) {
            out.addAll(groups.get(g).hosts());
        }
        List<String> result = List.copyOf(out);
        groupHosts.put(group, result);
        return result;
    }

    /** The groups a host belongs to, sorted, without {@code all} (Ansible's {@code group_names}). */
    public List<String> groupNames(Host host) {
        List<String> out = new ArrayList<>(hostGroups.getOrDefault(host.name(), Set.of()));
        if (host.implicit()) {
            out.clear();
        }
        out.remove("all");
        Collections.sort(out);
        return out;
    }

    // ------------------------------------------------------------------ patterns

    /**
     * The hosts a pattern selects: {@code all}, {@code *}, names, groups, globs ({@code web*}),
     * {@code ~regex}, unions {@code a:b} / {@code a,b}, exclusions {@code a:!b}, intersections
     * {@code a:&b}, subscripts {@code g[0]}, {@code g[-1]}, {@code g[1:3]}, {@code g[2:]}.
     *
     * <p>As in Ansible: plain parts are applied first in the order written, then every {@code &}
     * part, then every {@code !} part; a pattern of only {@code &}/{@code !} parts starts from
     * {@code all}. The result is in that evaluation order (so {@code dbs:web} lists the dbs first —
     * this is Ansible's "inventory" order), without duplicates. {@code localhost} / {@code 127.0.0.1}
     * / {@code ::1} select the implicit localhost when nothing else matches; {@code all} never
     * includes it. A pattern matching nothing gives an empty list.
     *
     * @throws InventoryException for an invalid {@code ~regex} or a subscript out of range
     */
    public List<Host> select(String pattern) throws InventoryException {
        List<String> regular = new ArrayList<>();
        List<String> and = new ArrayList<>();
        List<String> not = new ArrayList<>();
        for (String p : HostPatterns.split(pattern == null ? "" : pattern)) {
            if (p.charAt(0) == '!') {
                not.add(p);
            } else if (p.charAt(0) == '&') {
                and.add(p);
            } else {
                regular.add(p);
            }
        }
        if (regular.isEmpty()) {
            regular.add("all");
        }
        List<String> ordered = new ArrayList<>(regular);
        ordered.addAll(and);
        ordered.addAll(not);
        LinkedHashSet<Host> result = new LinkedHashSet<>();
        for (String p : ordered) {
            if (hosts.containsKey(p)) {
                result.add(hosts.get(p));
                continue;
            }
            List<Host> that = matchOne(p);
            if (p.charAt(0) == '!') {
                result.removeAll(new LinkedHashSet<>(that));
            } else if (p.charAt(0) == '&') {
                result.retainAll(new LinkedHashSet<>(that));
            } else {
                result.addAll(that);
            }
        }
        return List.copyOf(result);
    }

    private List<Host> matchOne(String pattern) throws InventoryException {
        String p = pattern;
        if (p.charAt(0) == '&' || p.charAt(0) == '!') {
            p = p.substring(1);
        }
        if (p.isEmpty()) {
            return List.of();
        }
        HostPatterns.Subscripted s = HostPatterns.subscripted(p);
        return s.pick(enumerate(s.expr()));
    }

    private List<Host> enumerate(String pattern) throws InventoryException {
        Pattern re = HostPatterns.compile(pattern);
        LinkedHashSet<Host> results = new LinkedHashSet<>();
        boolean anyGroup = false;
        for (String g : groups.keySet()) {
            if (re.matcher(g).lookingAt()) {
                anyGroup = true;
                for (String h : hostsOf(g)) {
                    results.add(hosts.get(h));
                }
            }
        }
        if (!anyGroup || pattern.charAt(0) == '~' || pattern.contains(".") || pattern.contains("?")
                || pattern.contains("*") || pattern.contains("[")) {
            for (String h : hosts.keySet()) {
                if (re.matcher(h).lookingAt()) {
                    results.add(hosts.get(h));
                }
            }
        }
        if (results.isEmpty() && Model.LOCALHOST.contains(pattern)) {
            return List.of(localhost != null ? localhost : implicitLocalhost(pattern));
        }
        return new ArrayList<>(results);
    }

    // ------------------------------------------------------------------ variables

    /**
     * The host's inventory variables merged in Ansible's order (ansible-core 2.14's default
     * VARIABLE_PRECEDENCE), lowest first:
     * <ol>
     * <li>group {@code all}'s vars from the inventory sources, then every other group of the host
     * (sorted by depth — parents before children —, then {@code ansible_group_priority}, then name);
     * <li>{@code group_vars/all} beside each inventory source, then beside the playbook;
     * <li>{@code group_vars/<group>} beside each inventory source (groups in the same order), then
     * beside the playbook;
     * <li>the host's own inventory vars, {@code host_vars/<host>} beside each inventory source, then
     * beside the playbook.
     * </ol>
     * Top-level keys replace (Ansible's default hash_behaviour). Magic variables are not included;
     * see {@link #magicVars}.
     *
     * @param playbookDir the directory of the playbook, or null
     */
    public Map<String, Object> varsFor(Host host, Path playbookDir) throws InventoryException {
        List<String> hostGroupsSorted = sortedGroups(host);
        Path play = playbookDir == null ? null : playbookDir.toAbsolutePath().normalize();
        Map<String, Object> out = new LinkedHashMap<>(groups.get("all").vars());
        for (String g : hostGroupsSorted) {
            out.putAll(groups.get(g).vars());
        }
        for (Path base : varsBases) {
            out.putAll(varsFiles.load(base, "group_vars", "all"));
        }
        out.putAll(varsFiles.load(play, "group_vars", "all"));
        for (Path base : varsBases) {
            for (String g : hostGroupsSorted) {
                out.putAll(varsFiles.load(base, "group_vars", g));
            }
        }
        for (String g : hostGroupsSorted) {
            out.putAll(varsFiles.load(play, "group_vars", g));
        }
        out.putAll(host.vars());
        for (Path base : varsBases) {
            out.putAll(varsFiles.load(base, "host_vars", host.name()));
        }
        out.putAll(varsFiles.load(play, "host_vars", host.name()));
        return out;
    }

    /** The host's groups but {@code all}, by (depth, ansible_group_priority, name) as Ansible sorts them. */
    private List<String> sortedGroups(Host host) {
        if (host.implicit()) {
            return List.of();
        }
        List<String> gs = new ArrayList<>(hostGroups.getOrDefault(host.name(), Set.of()));
        gs.remove("all");
        gs.sort(Comparator.<String>comparingInt(depth::get).thenComparingInt(priority::get)
                .thenComparing(Comparator.naturalOrder()));
        return gs;
    }

    /**
     * Ansible's inventory magic variables for a host: {@code inventory_hostname},
     * {@code inventory_hostname_short}, {@code group_names}, {@code groups} (every group, {@code all}
     * and {@code ungrouped} included, to the names of all its hosts), and — for hosts read from a
     * source — {@code inventory_file} and {@code inventory_dir} (absolute; for a {@code "h1,h2,"}
     * host list the list itself and null). The implicit localhost has no inventory_file/dir, as in
     * Ansible where they are undefined for it.
     */
    public Map<String, Object> magicVars(Host host) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("inventory_hostname", host.name());
        int dot = host.name().indexOf('.');
        out.put("inventory_hostname_short", dot < 0 ? host.name() : host.name().substring(0, dot));
        out.put("group_names", groupNames(host));
        out.put("groups", groupsMagic());
        if (!host.implicit()) {
            String src = hostSource.get(host.name());
            out.put("inventory_file", src);
            String dir = null;
            if (src != null) {
                Path p = Path.of(src);
                if (Files.isDirectory(p)) {
                    dir = src;
                } else if (Files.isRegularFile(p)) {
                    dir = p.getParent().toString();
                }
            }
            out.put("inventory_dir", dir);
        }
        return out;
    }

    /** The {@code groups} magic variable: group name → names of all its hosts. */
    public Map<String, List<String>> groupsMagic() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String g : groups.keySet()) {
            out.put(g, hostsOf(g));
        }
        return Collections.unmodifiableMap(out);
    }
}
