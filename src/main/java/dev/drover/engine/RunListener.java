package dev.drover.engine;

/** Receives the engine's events. Called from one thread at a time, in event order. */
@FunctionalInterface
public interface RunListener {
    void on(RunEvent event);
}
