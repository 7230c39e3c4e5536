package dev.drover.cli;

/**
 * Ctrl-C for a run: SIGINT asks the Runner to stop (the recap so far is printed, exit 99) instead
 * of killing the JVM mid-write. A second Ctrl-C while stopping exits at once with 99.
 */
final class Interrupts {
    private Interrupts() {
    }

    /** Installs the handler; returns what puts the previous one back. */
    @SuppressWarnings("restriction")
    static Runnable onSigint(Runnable stop) {
        Served.Client served = Served.client();
        if (served != null) {
            return served.onInterrupt(stop); // the client's Ctrl-C, not this process's
        }
        sun.misc.Signal sigint = new sun.misc.Signal("INT");
        java.util.concurrent.atomic.AtomicBoolean asked = new java.util.concurrent.atomic.AtomicBoolean();
        sun.misc.SignalHandler previous;
        try {
            previous = sun.misc.Signal.handle(sigint, s -> {
                if (asked.getAndSet(true)) {
                    Runtime.getRuntime().halt(dev.drover.engine.ExitCodes.INTERRUPTED);
                }
                stop.run();
            });
        } catch (IllegalArgumentException e) {
            return () -> { }; // SIGINT is not ours to handle (e.g. ignored by the parent shell)
        }
        sun.misc.SignalHandler old = previous;
        return () -> sun.misc.Signal.handle(sigint, old);
    }
}
