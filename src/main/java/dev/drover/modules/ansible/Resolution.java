package dev.drover.modules.ansible;

import java.nio.file.Path;
import java.util.List;

/** How a module name resolves among Ansible's modules. */
public sealed interface Resolution {

    /** The name as the task gives it. */
    String name();

    /**
     * A module file drover can run through Ansible.
     *
     * @param fqcn     its fully qualified name after redirects ({@code community.general.ini_file})
     * @param path     the module file on the controller
     * @param origin   where it was found, for people ({@code ansible.builtin}, {@code collection … in DIR}, {@code library DIR})
     * @param warnings Ansible's deprecation warnings for the names on the way
     */
    record Found(String name, String fqcn, Path path, String origin, List<String> warnings) implements Resolution {
        public Found {
            warnings = List.copyOf(warnings);
        }
    }

    /** A name Ansible knows but drover cannot run this way (an action plugin, a removed module). */
    record Refused(String name, String why) implements Resolution {
    }

    /** Nowhere on the search path. */
    record Missing(String name) implements Resolution {
    }
}
