package dev.drover.template;

import java.util.List;

/**
 * What lookups need from the run that the variables do not carry, given by the engine when it
 * creates its {@link Templar} (templates never depend on the engine).
 */
public interface Controller {
    /** Nothing but the variables: no inventory behind the templar. */
    Controller NONE = pattern -> {
        throw new TemplateException("no inventory to match the host pattern '" + pattern + "' against");
    };

    /** The names of the inventory hosts a host pattern selects, in Ansible's order. */
    List<String> hosts(String pattern) throws TemplateException;
}
