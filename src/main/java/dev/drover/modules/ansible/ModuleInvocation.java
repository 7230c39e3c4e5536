package dev.drover.modules.ansible;

import dev.drover.connection.ShellQuote;
import dev.drover.module.SelfForecasting;
import dev.drover.module.ShellCommand;
import dev.drover.module.SimulatedState;

/**
 * Runs an Ansible module on the host: the real invocation and the one with
 * {@code _ansible_check_mode: true}, chosen by the engine (see {@link SelfForecasting}).
 */
record ModuleInvocation(String name, ShellCommand real, ShellCommand check) implements SelfForecasting {

    @Override
    public String describe() {
        return "run the module " + name;
    }

    @Override
    public ShellCommand command() {
        return real;
    }

    @Override
    public ShellCommand checkCommand() {
        return check;
    }

    @Override
    public void simulate(SimulatedState state, String user) {
        // the module forecasts itself; nothing to record
    }

    @Override
    public boolean exitCodeIsResult() {
        return true; // a failing module answers with JSON and a non-zero exit: the result says what failed
    }

    /**
     * A new-style module: its AnsiballZ wrapper on the Python's stdin (as Ansible's pipelining):
     * one round trip, the wrapper's own temp dir removed by the wrapper.
     */
    static ShellCommand piped(String python, byte[] wrapper) {
        return new ShellCommand(python, wrapper);
    }

    /**
     * An old-style, WANT_JSON or binary module: the module (on stdin) and its arguments file in a
     * fresh temp dir, run as Ansible runs it ({@code INTERPRETER MODULE ARGSFILE}), the dir removed
     * after, in one round trip.
     *
     * @param interpreter the shebang's interpreter and arguments, already quoted; null to exec the module
     */
    static ShellCommand withArgsFile(String fileName, String interpreter, byte[] module, String args) {
        String f = "\"$drover_d\"/" + ShellQuote.quote(fileName);
        String script = "drover_d=$(mktemp -d \"${TMPDIR:-/tmp}/drover-module.XXXXXXXX\") || exit 1\n"
                + "cat > " + f + " && printf '%s' " + ShellQuote.quote(args) + " > \"$drover_d/args\" && chmod 700 " + f + "\n"
                + (interpreter == null ? "" : interpreter + " ") + f + " \"$drover_d/args\"; drover_rc=$?\n"
                + "rm -rf \"$drover_d\"; exit $drover_rc";
        return new ShellCommand(script, module);
    }
}
