package dev.drover.engine;

import dev.drover.yaml.Location;
import java.util.List;

/**
 * The run could not start or go on: a playbook or inventory error (exit 4), bad options (5).
 * Carries every problem found, each with its location.
 */
public class RunException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int exitCode;
    private final transient List<Problem> problems;

    /** One problem: where and what. */
    public record Problem(Location location, String message) {
        @Override
        public String toString() {
            return location == null ? message : location + ": " + message;
        }
    }

    public RunException(int exitCode, List<Problem> problems) {
        super(problems.isEmpty() ? "error" : problems.get(0).toString());
        this.exitCode = exitCode;
        this.problems = List.copyOf(problems);
    }

    public RunException(int exitCode, Location location, String message) {
        this(exitCode, List.of(new Problem(location, message)));
    }

    public int exitCode() {
        return exitCode;
    }

    public List<Problem> problems() {
        return problems;
    }
}
