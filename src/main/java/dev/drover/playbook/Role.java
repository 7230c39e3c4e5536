package dev.drover.playbook;

import java.nio.file.Path;
import java.util.Map;

/**
 * A role as a play uses it.
 *
 * @param defaults {@code defaults/main.yml} (lowest precedence)
 * @param vars     {@code vars/main.yml}
 * @param params   parameters given where the role is listed in the play
 */
public record Role(String name, Path path, Map<String, Object> defaults, Map<String, Object> vars,
                   Map<String, Object> params) {
}
