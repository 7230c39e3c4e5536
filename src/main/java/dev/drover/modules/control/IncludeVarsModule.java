package dev.drover.modules.control;

import dev.drover.module.Args;
import dev.drover.module.Module;
import dev.drover.module.ModuleContext;
import dev.drover.module.ModuleException;
import dev.drover.module.ModuleSpec;
import dev.drover.module.Param;
import dev.drover.module.ParamType;
import dev.drover.module.Plan;
import dev.drover.yaml.YamlException;
import dev.drover.yaml.YamlLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

/**
 * ansible.builtin.include_vars: reads YAML/JSON files on the controller (vault-encrypted ones are
 * decrypted as vars_files are) and returns their variables as {@code ansible_facts}, which the
 * engine stores at include_vars precedence (below set_fact/register). A file is searched as
 * Ansible's action plugin does (the role's {@code vars/}, the role, the task file's directory
 * and its {@code vars/}, the playbook's); {@code dir} is relative to the role's {@code vars/}
 * or to the task file's directory. Nothing touches the host.
 */
public final class IncludeVarsModule implements Module {
    private static final List<String> DIR_ARGS = List.of("dir", "depth", "files_matching", "ignore_files",
            "extensions", "ignore_unknown_extensions");
    private static final List<String> DEFAULT_EXTENSIONS = List.of("yaml", "yml", "json");

    private static final ModuleSpec SPEC = new ModuleSpec("include_vars", List.of(), List.of(
            Param.of("file", ParamType.STR),
            Param.of("dir", ParamType.STR),
            Param.of("name", ParamType.STR),
            Param.of("depth", ParamType.INT),
            Param.of("files_matching", ParamType.STR),
            Param.of("ignore_files", ParamType.RAW),
            Param.of("extensions", ParamType.RAW),
            Param.of("ignore_unknown_extensions", ParamType.BOOL),
            Param.of("hash_behaviour", ParamType.STR).withChoices("replace", "merge")), "file", false);

    @Override
    public ModuleSpec spec() {
        return SPEC;
    }

    @Override
    public Plan plan(ModuleContext ctx) throws ModuleException {
        Args a = ctx.args();
        boolean dirArgs = DIR_ARGS.stream().anyMatch(a::has);
        if (dirArgs && a.has("file")) {
            throw new ModuleException("You are mixing file only and dir only arguments, these are incompatible");
        }
        Map<String, Object> vars = new LinkedHashMap<>();
        List<String> included = new ArrayList<>();
        if (a.has("dir")) {
            loadDir(ctx, a, vars, included);
        } else {
            String file = a.str("file");
            if (file == null) {
                throw failure("Could not find or access 'None' on the Ansible Controller.", included);
            }
            file = file.replaceAll("\n+$", "");
            Path p;
            try {
                p = ctx.findLocalFile(file, "vars");
            } catch (ModuleException e) {
                throw failure(e.getMessage(), included);
            }
            load(p, vars, included);
        }
        if (a.has("name")) {
            Map<String, Object> scoped = new LinkedHashMap<>();
            scoped.put(a.str("name"), vars);
            vars = scoped;
        }
        if ("merge".equals(a.str("hash_behaviour"))) {
            for (Map.Entry<String, Object> e : vars.entrySet()) {
                Object old;
                try {
                    old = ctx.evaluate(e.getKey());
                } catch (ModuleException undefined) {
                    old = null;
                }
                e.setValue(merge(old, e.getValue()));
            }
        }
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("ansible_included_var_files", included);
        v.put("ansible_facts", vars);
        return Plan.nothing("included variables", v);
    }

    private static ModuleException failure(String message, List<String> included) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("ansible_facts", Map.of());
        v.put("ansible_included_var_files", included);
        v.put("message", message); // the action plugin's key for its failures
        return new ModuleException(message, v);
    }

    private void loadDir(ModuleContext ctx, Args a, Map<String, Object> vars, List<String> included)
            throws ModuleException {
        String dir = a.str("dir");
        Path source;
        Path role = ctx.rolePath();
        if (role != null) {
            if (dir.split("/")[0].equals("vars")) {
                source = Files.exists(role.resolve(dir)) ? role.resolve(dir) : Path.of(dir);
            } else {
                source = role.resolve("vars").resolve(dir);
            }
        } else {
            Path taskFile = ctx.taskFile();
            source = taskFile == null ? Path.of(dir) : taskFile.getParent().resolve(dir);
        }
        if (!Files.exists(source)) {
            throw failure(source + " directory does not exist", included);
        }
        if (!Files.isDirectory(source)) {
            throw failure(source + " is not a directory", included);
        }
        Integer depthArg = a.integer("depth");
        int depth = depthArg == null ? 0 : depthArg;
        Pattern matching;
        List<Pattern> ignore = new ArrayList<>();
        try {
            matching = a.has("files_matching") ? Pattern.compile(a.str("files_matching")) : null;
        } catch (PatternSyntaxException e) {
            throw failure("Invalid regular expression: " + a.str("files_matching"), included);
        }
        Object ig = a.raw("ignore_files");
        if (ig instanceof Map<?, ?>) {
            throw failure(ig + " must be a list", included);
        }
        List<String> ignoreNames = ig instanceof List<?> l ? l.stream().map(String::valueOf).toList()
                : ig == null ? List.of() : List.of(String.valueOf(ig).trim().split("\\s+"));
        for (String i : ignoreNames) {
            try {
                ignore.add(Pattern.compile(i + "$"));
            } catch (PatternSyntaxException e) {
                throw failure("Invalid regular expression: " + i, included);
            }
        }
        List<String> extensions = extensions(a.raw("extensions"));
        boolean ignoreUnknown = a.bool("ignore_unknown_extensions");
        List<Path> dirs;
        try (Stream<Path> walk = Files.walk(source)) {
            // os.walk's directories sorted by path, as the action plugin walks them
            dirs = walk.filter(Files::isDirectory).sorted((x, y) -> x.toString().compareTo(y.toString())).toList();
        } catch (IOException e) {
            throw failure("cannot read " + source + ": " + e.getMessage(), included);
        }
        int current = 0;
        for (Path d : dirs) {
            current++;
            if (depth != 0 && current > depth) {
                break;
            }
            List<Path> files;
            try (Stream<Path> list = Files.list(d)) {
                files = list.filter(p -> !Files.isDirectory(p))
                        .sorted((x, y) -> x.getFileName().toString().compareTo(y.getFileName().toString())).toList();
            } catch (IOException e) {
                continue; // os.walk skips what it cannot read
            }
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (matching != null && !matching.matcher(name).find()) {
                    continue;
                }
                if (ignore.stream().anyMatch(p -> p.matcher(name).find())) {
                    continue;
                }
                boolean validExt = validExtension(name, extensions);
                if (ignoreUnknown && !validExt) {
                    continue;
                }
                if (!validExt) {
                    throw failure(f + " does not have a valid extension: " + String.join(", ", extensions), included);
                }
                load(f, vars, included);
            }
        }
    }

    private static List<String> extensions(Object raw) throws ModuleException {
        if (raw == null) {
            return DEFAULT_EXTENSIONS;
        }
        if (raw instanceof String s) { // Python's list('yml'): its characters, as Ansible does
            return s.chars().mapToObj(c -> String.valueOf((char) c)).toList();
        }
        if (raw instanceof List<?> l) {
            return l.stream().map(String::valueOf).toList();
        }
        throw new ModuleException("Invalid type for \"extensions\" option, it must be a list");
    }

    private static boolean validExtension(String name, List<String> extensions) {
        int dot = name.lastIndexOf('.');
        if (dot <= 0) {
            return extensions.contains("");
        }
        return extensions.contains(name.substring(dot + 1));
    }

    @SuppressWarnings("unchecked")
    private static void load(Path p, Map<String, Object> vars, List<String> included) throws ModuleException {
        Object data;
        try {
            data = YamlLoader.loadData(p);
        } catch (YamlException e) {
            throw failure(e.getMessage(), included);
        } catch (dev.drover.vault.VaultException e) {
            throw failure(p + ": " + e.getMessage(), included);
        }
        if (data == null || (data instanceof String s && s.isEmpty())) {
            data = Map.of();
        }
        if (!(data instanceof Map<?, ?> m)) {
            throw failure(p + " must be stored as a dictionary/hash", included);
        }
        included.add(p.toString());
        m.forEach((k, val) -> vars.put(String.valueOf(k), val));
    }

    /** Ansible's combine_vars(merge=True): dictionaries merged recursively, anything else replaced. */
    @SuppressWarnings("unchecked")
    static Object merge(Object old, Object value) {
        if (old instanceof Map<?, ?> o && value instanceof Map<?, ?> n) {
            Map<String, Object> out = new LinkedHashMap<>((Map<String, Object>) o);
            n.forEach((k, v) -> out.put(String.valueOf(k), merge(out.get(String.valueOf(k)), v)));
            return out;
        }
        return value;
    }
}
