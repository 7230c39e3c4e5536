package dev.drover.engine;

/** ansible-playbook 2.14's exit codes, which drover keeps. */
public final class ExitCodes {
    private ExitCodes() {
    }

    public static final int OK = 0;
    /** Some other error (an internal one, a failed vault operation…). */
    public static final int ERROR = 1;
    /** A host failed. */
    public static final int HOST_FAILED = 2;
    /** A host was unreachable, or the playbook/inventory does not parse or validate. */
    public static final int UNREACHABLE_OR_PARSE = 4;
    /** Bad command-line options. */
    public static final int BAD_OPTIONS = 5;
    /** Interrupted (Ctrl-C). */
    public static final int INTERRUPTED = 99;
}
