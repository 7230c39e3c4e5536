package dev.drover.modules.commands;

import dev.drover.module.Change;
import dev.drover.module.ShellCommand;
import dev.drover.module.SimulatedState;
import java.time.LocalDateTime;
import java.util.function.BiConsumer;

/**
 * Runs a command whose exit code is data (command, shell). Remembers when the engine asked for its
 * command, which is when it starts: the base of Ansible's {@code start}/{@code end}/{@code delta}.
 * Not a record: it carries that moment.
 */
public final class RunCommand implements Change {
    private final String description;
    private final ShellCommand command;
    private final BiConsumer<SimulatedState, String> effect;
    private volatile LocalDateTime started;

    public RunCommand(String description, ShellCommand command, BiConsumer<SimulatedState, String> effect) {
        this.description = description;
        this.command = command;
        this.effect = effect;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public ShellCommand command() {
        started = LocalDateTime.now();
        return command;
    }

    @Override
    public void simulate(SimulatedState state, String user) {
        if (effect != null) {
            effect.accept(state, user);
        }
    }

    @Override
    public boolean exitCodeIsResult() {
        return true;
    }

    /** When the command started; null before the engine asked for it. */
    public LocalDateTime started() {
        return started;
    }

    @Override
    public String toString() {
        return "RunCommand[" + description + "]";
    }
}
