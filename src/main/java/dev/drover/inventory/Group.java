package dev.drover.inventory;

import java.util.List;
import java.util.Map;

/** A group: its own hosts, its child groups, and its variables ({@code [g:vars]}). */
public record Group(String name, List<String> hosts, List<String> children, Map<String, Object> vars) {
}
