package dev.drover.playbook;

import dev.drover.yaml.Location;
import java.util.List;

/**
 * {@code block}/{@code rescue}/{@code always}. Also what an import or a role expands to (with
 * only a {@code block} part) so its keywords are inherited by the tasks inside.
 *
 * @param scope the block's own keywords; its tasks' scopes are children of it
 */
public record Block(String name, List<TaskNode> block, List<TaskNode> rescue, List<TaskNode> always,
                    Scope scope, Location location) implements TaskNode {
    public Block {
        block = List.copyOf(block);
        rescue = List.copyOf(rescue);
        always = List.copyOf(always);
    }
}
