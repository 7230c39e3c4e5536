package dev.drover.modules.packages;

import dev.drover.connection.ConnectionException;
import dev.drover.module.Args;
import dev.drover.module.HostView;
import dev.drover.module.Module;
import dev.drover.module.ModuleContext;
import dev.drover.module.ModuleException;
import dev.drover.module.ModuleSpec;
import dev.drover.module.Param;
import dev.drover.module.ParamType;
import dev.drover.module.Plan;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * ansible.builtin.package: the host's own package module, apt or dnf, with the task's other
 * arguments. {@code use} names it; {@code auto} takes the {@code ansible_pkg_mgr} fact when facts
 * were gathered, else asks the host which of apt-get and dnf it has (one probe).
 */
public final class PackageModule implements Module {
    private static final Module APT = new AptModule();
    private static final Module DNF = new DnfModule();
    private static final ModuleSpec SPEC = buildSpec();

    private static ModuleSpec buildSpec() {
        List<Param> params = new ArrayList<>(List.of(Param.required("name", ParamType.LIST),
                Param.of("state", ParamType.STR), Param.of("use", ParamType.STR).withDefault("auto")));
        // Ansible hands every other argument to the backend: accept what apt or dnf accept
        java.util.Set<String> seen = new java.util.HashSet<>(List.of("name", "state", "use"));
        for (Module m : List.of(APT, DNF)) {
            for (Param p : m.spec().params()) {
                if (seen.add(p.name())) {
                    params.add(new Param(p.name(), p.type(), false, null, p.aliases().stream()
                            .filter(seen::add).toList(), List.of(), true));
                }
            }
        }
        return new ModuleSpec("package", List.of(), params, null, false);
    }

    @Override
    public ModuleSpec spec() {
        return SPEC;
    }

    @Override
    public Plan plan(ModuleContext ctx) throws ModuleException, ConnectionException {
        String use = ctx.args().str("use");
        if (use == null || use.equals("auto")) {
            use = fact(ctx);
        }
        if (use == null || use.equals("unknown")) {
            use = detect(ctx.host());
        }
        Module backend = switch (use) {
            case "apt" -> APT;
            case "dnf", "dnf5" -> DNF;
            default -> throw new ModuleException("Could not find a module for " + use + ".");
        };
        Map<String, Object> args = new LinkedHashMap<>(ctx.args().asMap());
        args.remove("use");
        TreeSet<String> unsupported = new TreeSet<>();
        for (String k : args.keySet()) {
            if (backend.spec().param(k).isEmpty()) {
                unsupported.add(k);
            }
        }
        if (!unsupported.isEmpty()) {
            throw new ModuleException("Unsupported parameters for (ansible.legacy." + backend.spec().name()
                    + ") module: " + String.join(", ", unsupported) + ". Supported parameters include: "
                    + String.join(", ", new TreeSet<>(backend.spec().allParamNames())) + ".");
        }
        if (backend == APT && "installed".equals(args.get("state"))) {
            args.put("state", "present"); // apt has no "installed"; Ansible's package docs use present
        }
        return backend.plan(new Delegating(ctx, new Args(backend.spec(), args)));
    }

    private static String fact(ModuleContext ctx) {
        try {
            Object v = ctx.evaluate("ansible_pkg_mgr");
            return v == null ? null : String.valueOf(v);
        } catch (ModuleException | RuntimeException e) {
            return null; // facts not gathered
        }
    }

    private static String detect(HostView host) throws ConnectionException, ModuleException {
        String out = host.probe("for m in apt-get dnf5 dnf yum zypper pacman apk; do "
                + "command -v $m >/dev/null 2>&1 && { echo $m; exit 0; }; done; echo unknown").out().trim();
        return switch (out) {
            case "apt-get" -> "apt";
            case "dnf", "dnf5" -> "dnf";
            case "unknown" -> throw new ModuleException("Could not detect which package manager to use. Try gathering"
                    + " facts or setting the \"use\" option.");
            default -> throw new ModuleException("this host's package manager is " + out
                    + ", for which drover has no native module (apt and dnf are)");
        };
    }

    /** The task's context with the backend's arguments. */
    private record Delegating(ModuleContext ctx, Args args) implements ModuleContext {
        @Override
        public HostView host() {
            return ctx.host();
        }

        @Override
        public String hostName() {
            return ctx.hostName();
        }

        @Override
        public boolean wantsDiff() {
            return ctx.wantsDiff();
        }

        @Override
        public Path findLocalFile(String src, String kind) throws ModuleException {
            return ctx.findLocalFile(src, kind);
        }

        @Override
        public String renderTemplate(Path template) throws ModuleException {
            return ctx.renderTemplate(template);
        }

        @Override
        public String renderTemplate(Path template, boolean trimBlocks, boolean lstripBlocks) throws ModuleException {
            return ctx.renderTemplate(template, trimBlocks, lstripBlocks);
        }

        @Override
        public Object evaluate(String expression) throws ModuleException {
            return ctx.evaluate(expression);
        }

        @Override
        public boolean isTrue(String expression) throws ModuleException {
            return ctx.isTrue(expression);
        }

        @Override
        public Object render(Object value) throws ModuleException {
            return ctx.render(value);
        }
    }
}
