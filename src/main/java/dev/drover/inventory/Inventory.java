package dev.drover.inventory;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Hosts, groups and their variables, read from Ansible INI or YAML inventories.
 *
 * <p>STUB: the API the engine codes against. Implementation in progress.
 */
public final class Inventory {

    /**
     * Reads inventory sources: INI files, YAML files, directories of them, or a comma-separated
     * host list ({@code "web1,web2,"}), as {@code ansible-playbook -i} takes them.
     */
    public static Inventory load(List<String> sources) throws InventoryException {
        throw new UnsupportedOperationException("stub");
    }

    /** The inventory ansible-playbook uses without {@code -i}: only the implicit localhost. */
    public static Inventory localhostOnly() {
        throw new UnsupportedOperationException("stub");
    }

    /** Every host, in the order the sources define them. */
    public List<Host> hosts() {
        throw new UnsupportedOperationException("stub");
    }

    public Optional<Host> host(String name) {
        throw new UnsupportedOperationException("stub");
    }

    /** Groups by name, {@code all} and {@code ungrouped} included. */
    public Map<String, Group> groups() {
        throw new UnsupportedOperationException("stub");
    }

    /**
     * The hosts a pattern selects, in inventory order: {@code all}, {@code *}, names, groups,
     * globs ({@code web*}), {@code ~regex}, unions {@code a:b} / {@code a,b}, exclusions
     * {@code a:!b}, intersections {@code a:&b}. {@code localhost} selects the implicit localhost
     * when the inventory lacks it. An empty result is not an error.
     */
    public List<Host> select(String pattern) throws InventoryException {
        throw new UnsupportedOperationException("stub");
    }

    /** The groups a host belongs to, sorted, without {@code all} (Ansible's {@code group_names}). */
    public List<String> groupNames(Host host) {
        throw new UnsupportedOperationException("stub");
    }

    /**
     * The host's inventory variables merged in Ansible's order: group vars from the inventory file
     * (all first, then parent before child groups, then by name), {@code group_vars/all} and
     * {@code group_vars/<group>} beside the inventory then beside the playbook, host vars from the
     * inventory file, {@code host_vars/<host>} beside the inventory then beside the playbook.
     *
     * @param playbookDir the directory of the playbook, or null
     */
    public Map<String, Object> varsFor(Host host, Path playbookDir) throws InventoryException {
        throw new UnsupportedOperationException("stub");
    }

    /** inventory_hostname, inventory_hostname_short, group_names, groups, inventory_dir, inventory_file. */
    public Map<String, Object> magicVars(Host host) {
        throw new UnsupportedOperationException("stub");
    }
}
