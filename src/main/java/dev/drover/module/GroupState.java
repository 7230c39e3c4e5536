package dev.drover.module;

/** A group as {@code getent group} reports it. */
public record GroupState(String name, int gid, boolean system) {
}
