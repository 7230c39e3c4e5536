package dev.drover.engine;

/** One line of the PLAY RECAP. */
public record HostStats(String host, int ok, int changed, int unreachable, int failed, int skipped,
                        int rescued, int ignored, int unknown) {

    /**
     * Without unknowns (a real run has none): {@code unknown} counts, in check mode, the forecasts
     * that depend on a value check mode cannot know (also counted in {@code ok}, and in
     * {@code changed} when forecast as changed).
     */
    public HostStats(String host, int ok, int changed, int unreachable, int failed, int skipped, int rescued, int ignored) {
        this(host, ok, changed, unreachable, failed, skipped, rescued, ignored, 0);
    }

    public static HostStats empty(String host) {
        return new HostStats(host, 0, 0, 0, 0, 0, 0, 0);
    }
}
