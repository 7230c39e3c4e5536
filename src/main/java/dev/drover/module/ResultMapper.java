package dev.drover.module;

import dev.drover.connection.CommandResult;
import java.util.List;
import java.util.Map;

/**
 * Turns what the applied changes printed into the task's return values. Called after a real run
 * with one result per change, in order; not called in check mode.
 */
@FunctionalInterface
public interface ResultMapper {
    Map<String, Object> map(Map<String, Object> planned, List<CommandResult> results) throws ModuleException;

    ResultMapper PLANNED = (planned, results) -> planned;
}
