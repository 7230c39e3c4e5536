package dev.drover.cli;

import dev.drover.config.Settings;
import dev.drover.git.GitState;
import dev.drover.journal.Journal;
import dev.drover.journal.Provenance;
import dev.drover.plan.Inputs;
import dev.drover.plan.PlanBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What a plan records of the command line that made it, and what apply takes back from it. */
final class Plans {
    private Plans() {
    }

    /** The inventory sources as absolute paths where they are files or directories (a host list stays as given). */
    static List<String> absoluteSources(List<String> sources, Path cwd) {
        List<String> out = new ArrayList<>();
        for (String s : sources) {
            Path p = cwd.resolve(s);
            out.add(Files.exists(p) ? p.toAbsolutePath().normalize().toString() : s);
        }
        return out;
    }

    /** The roots a plan's inputs are hashed from: the playbook's directory, inventory, ansible.cfg, -e @files. */
    static List<Path> roots(Path playbook, List<String> inventory, Path cfgFile, List<String> extraVars, Path cwd) {
        Set<Path> roots = new LinkedHashSet<>();
        roots.add(playbook.toAbsolutePath().normalize().getParent());
        for (String s : inventory) {
            Path p = Path.of(s);
            if (p.isAbsolute() && Files.exists(p)) {
                roots.add(p);
            }
        }
        if (cfgFile != null) {
            roots.add(cfgFile.toAbsolutePath().normalize());
        }
        for (String e : extraVars) {
            if (e.strip().startsWith("@")) {
                roots.add(cwd.resolve(e.strip().substring(1)).toAbsolutePath().normalize());
            }
        }
        // a root inside another is walked with it
        List<Path> out = new ArrayList<>();
        for (Path r : roots) {
            if (roots.stream().noneMatch(o -> !o.equals(r) && Files.isDirectory(o) && r.startsWith(o))) {
                out.add(r);
            }
        }
        return out;
    }

    /** Files never inputs: the plan itself (and its temporary file), the journal. */
    static Set<Path> excluded(Path planFile, Path journal) {
        Set<Path> out = new LinkedHashSet<>();
        Path p = planFile.toAbsolutePath().normalize();
        out.add(p);
        out.add(p.resolveSibling(p.getFileName() + ".tmp"));
        if (journal != null) {
            Path j = journal.toAbsolutePath().normalize();
            for (String suffix : List.of("", "-wal", "-shm", "-journal")) {
                out.add(Path.of(j + suffix));
            }
        }
        return out;
    }

    static PlanBuilder builder(RunCommand run, Main m, Settings cfg, Path playbook, List<String> sources, GitState git,
                               Path planFile) throws IOException {
        List<String> inventory = absoluteSources(sources, m.cwd);
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("playbook", playbook.toAbsolutePath().normalize().toString());
        spec.put("inventory", inventory);
        spec.put("limit", run.limit);
        spec.put("tags", List.copyOf(run.tags));
        spec.put("skip_tags", List.copyOf(run.skipTags));
        spec.put("extra_vars", List.copyOf(run.extraVars));
        spec.put("forks", run.forks);
        spec.put("diff", run.diff);
        spec.put("force_handlers", run.forceHandlers);
        spec.put("cwd", m.cwd.toString());
        Map<String, Object> g = null;
        if (git != null) {
            g = new LinkedHashMap<>();
            g.put("root", git.root().toString());
            g.put("commit", git.commit());
            g.put("branch", git.branch());
            g.put("changes", git.changes());
        }
        List<Path> roots = roots(playbook, inventory, cfg.file(), run.extraVars, m.cwd);
        Path journal = run.journal != null ? m.cwd.resolve(run.journal) : cfg.journal() != null ? cfg.journal()
                : Journal.defaultPath(m.env, m.home);
        Map<String, String> inputs = Inputs.hash(roots, excluded(planFile, journal));
        return new PlanBuilder(Journal.timestamp(java.time.Instant.now()), System.getProperty("user.name"),
                Provenance.controllerName(), Provenance.commandLine(run.originalArgsForPlan()), spec, g, roots, inputs);
    }
}
