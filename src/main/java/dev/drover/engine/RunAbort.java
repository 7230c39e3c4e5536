package dev.drover.engine;

/**
 * Ends the whole run from inside a play, as ansible-playbook ends it on a parser error in a file
 * loaded at run time (an included task file naming an unknown module): no recap, the problems
 * printed as {@code ERROR! file:line:column: …}, exit 4. {@link Runner#run} unwraps it.
 */
final class RunAbort extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient RunException reason;

    RunAbort(RunException reason) {
        super(reason.getMessage(), null, false, false);
        this.reason = reason;
    }

    RunException reason() {
        return reason;
    }
}
