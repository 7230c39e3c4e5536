package dev.drover.modules.facts;

import dev.drover.connection.CommandResult;
import dev.drover.connection.ConnectionException;
import dev.drover.module.Module;
import dev.drover.module.ModuleContext;
import dev.drover.module.ModuleException;
import dev.drover.module.ModuleSpec;
import dev.drover.module.Param;
import dev.drover.module.ParamType;
import dev.drover.module.Plan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ansible.builtin.setup (alias gather_facts): Ansible 2.14's Linux facts from one shell probe
 * ({@link LinuxFacts}), with {@code gather_subset}, {@code filter}, {@code fact_path},
 * {@code gather_timeout}. Returns {@code ansible_facts}; the engine stores them as the host's facts.
 */
public final class SetupModule implements Module {
    private static final ModuleSpec SPEC = new ModuleSpec("setup", List.of("gather_facts"), List.of(
            Param.of("gather_subset", ParamType.LIST).withDefault(List.of("all")),
            Param.of("gather_timeout", ParamType.INT).withDefault(10),
            Param.of("filter", ParamType.LIST).withDefault(List.of()),
            Param.of("fact_path", ParamType.PATH).withDefault("/etc/ansible/facts.d")), null, false);

    @Override
    public ModuleSpec spec() {
        return SPEC;
    }

    @Override
    public Plan plan(ModuleContext ctx) throws ModuleException, ConnectionException {
        List<String> subset = ctx.args().strings("gather_subset");
        List<String> warnings = new ArrayList<>();
        Map<String, Object> facts = gather(ctx.host()::probe, subset, ctx.args().strings("filter"),
                ctx.args().str("fact_path"), warnings);
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("ansible_facts", facts);
        if (!warnings.isEmpty()) {
            v.put("warnings", warnings);
        }
        return Plan.nothing("facts gathered", v);
    }

    /** Something that runs a read-only script on the host. */
    @FunctionalInterface
    public interface Prober {
        CommandResult probe(String script) throws ConnectionException;
    }

    /**
     * Gathers Ansible's facts ({@code ansible_} names, as setup returns them) in one round trip.
     *
     * @throws ModuleException for a bad gather_subset, with Ansible's message
     */
    public static Map<String, Object> gather(Prober host, List<String> gatherSubset, List<String> filter,
                                             String factPath, List<String> warnings)
            throws ModuleException, ConnectionException {
        List<String> subset = gatherSubset == null || gatherSubset.isEmpty() ? List.of("all") : gatherSubset;
        List<String> collectors;
        try {
            collectors = GatherSubset.collectors(subset);
        } catch (IllegalArgumentException e) {
            throw new ModuleException(e.getMessage());
        }
        CommandResult r = host.probe(LinuxFacts.script(collectors, factPath));
        return LinuxFacts.parse(r.out(), collectors, subset, filter, warnings);
    }
}
