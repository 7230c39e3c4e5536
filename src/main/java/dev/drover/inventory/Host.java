package dev.drover.inventory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A host of the inventory.
 *
 * @param name     the inventory name ({@code web01}, {@code localhost})
 * @param vars     variables set on the host line or in the YAML hosts entry (not group vars)
 * @param implicit true for the implicit localhost Ansible provides when the inventory lacks it
 */
public record Host(String name, Map<String, Object> vars, boolean implicit) {
    public Host {
        // keeps definition order and null values (YAML "key: ~"), which Map.copyOf would reject
        vars = Collections.unmodifiableMap(new LinkedHashMap<>(vars == null ? Map.of() : vars));
    }
}
