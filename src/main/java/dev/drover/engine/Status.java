package dev.drover.engine;

/** How a task ended on a host, in Ansible's words. */
public enum Status {
    OK, CHANGED, FAILED, SKIPPED, UNREACHABLE
}
