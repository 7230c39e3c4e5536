package dev.drover.module;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a module is called and what it accepts.
 *
 * @param name          short name ({@code copy}); {@code ansible.builtin.copy} and
 *                      {@code ansible.legacy.copy} resolve to it too
 * @param aliases       other short names ({@code systemd} for {@code systemd_service})
 * @param params        accepted parameters
 * @param freeForm      the parameter that receives free-form text ({@code command: ls -l} puts
 *                      {@code ls -l} into {@code _raw_params}); null when the module takes none
 * @param acceptsAnyParam true for modules like set_fact whose parameters are arbitrary names
 */
public record ModuleSpec(String name, List<String> aliases, List<Param> params, String freeForm,
                         boolean acceptsAnyParam) {

    public static ModuleSpec of(String name, Param... params) {
        return new ModuleSpec(name, List.of(), List.of(params), null, false);
    }

    public ModuleSpec withAliases(String... names) {
        return new ModuleSpec(name, List.of(names), params, freeForm, acceptsAnyParam);
    }

    public ModuleSpec withFreeForm(String param) {
        return new ModuleSpec(name, aliases, params, param, acceptsAnyParam);
    }

    public ModuleSpec acceptingAnyParam() {
        return new ModuleSpec(name, aliases, params, freeForm, true);
    }

    /** The parameter called {@code nameOrAlias}, if any. */
    public Optional<Param> param(String nameOrAlias) {
        for (Param p : params) {
            if (p.name().equals(nameOrAlias) || p.aliases().contains(nameOrAlias)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Every accepted name, aliases included: the candidates for a did-you-mean. */
    public List<String> allParamNames() {
        List<String> names = new ArrayList<>();
        for (Param p : params) {
            names.add(p.name());
            names.addAll(p.aliases());
        }
        return names;
    }
}
