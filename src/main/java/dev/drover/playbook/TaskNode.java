package dev.drover.playbook;

import dev.drover.yaml.Location;

/** A task or a block: the nodes of a play's task tree. */
public sealed interface TaskNode permits Task, Block {
    Scope scope();

    Location location();
}
