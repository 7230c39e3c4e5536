package dev.drover.inventory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A group: its own hosts, its child groups, and its variables ({@code [g:vars]}).
 *
 * @param hosts    the hosts placed directly in this group, in definition order (not its children's)
 * @param children the child groups, in definition order
 * @param vars     the group's variables from the inventory source (not group_vars/ files)
 */
public record Group(String name, List<String> hosts, List<String> children, Map<String, Object> vars) {
    public Group {
        hosts = List.copyOf(hosts == null ? List.of() : hosts);
        children = List.copyOf(children == null ? List.of() : children);
        vars = Collections.unmodifiableMap(new LinkedHashMap<>(vars == null ? Map.of() : vars));
    }
}
