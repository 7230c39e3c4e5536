package dev.drover.module;

import java.util.function.BiConsumer;

/**
 * Runs a command whose effect the module describes for the simulation ({@code effect}, which may
 * do nothing when the effect cannot be modelled).
 *
 * @param exitCodeIsResult true when the exit status is data for the module (command, shell)
 */
public record Exec(String description, ShellCommand command, BiConsumer<SimulatedState, String> effect,
                   boolean exitCodeIsResult) implements Change {

    public static Exec of(String description, String script, BiConsumer<SimulatedState, String> effect) {
        return new Exec(description, ShellCommand.of(script), effect, false);
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void simulate(SimulatedState state, String user) {
        if (effect != null) {
            effect.accept(state, user);
        }
    }
}
