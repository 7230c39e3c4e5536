package dev.drover.engine;

/** A host's recap counts, incremented from its worker thread. */
final class StatsCounter {
    private final String host;
    private int ok;
    private int changed;
    private int unreachable;
    private int failed;
    private int skipped;
    private int rescued;
    private int ignored;
    private int unknown;

    StatsCounter(String host) {
        this.host = host;
    }

    /** Counts a task's outcome as Ansible's stats do. */
    synchronized void count(TaskResult r, boolean rescuable) {
        if (UnknownValues.isUnknown(r)) {
            unknown++;
        }
        switch (r.status()) {
            case OK -> ok++;
            case CHANGED -> {
                ok++;
                changed++;
            }
            case SKIPPED -> skipped++;
            case UNREACHABLE -> {
                if (r.ignored()) { // ignore_unreachable
                    ok++;
                    ignored++;
                } else {
                    unreachable++;
                }
            }
            case FAILED -> {
                if (r.ignored()) {
                    ok++;
                    ignored++;
                    if (Boolean.TRUE.equals(r.values().get("changed"))) {
                        changed++;
                    }
                } else if (!rescuable) {
                    failed++;
                }
            }
        }
    }

    synchronized void rescued() {
        rescued++;
    }

    synchronized HostStats snapshot() {
        return new HostStats(host, ok, changed, unreachable, failed, skipped, rescued, ignored, unknown);
    }
}
