package dev.drover.modules.podman;

import dev.drover.connection.CommandResult;
import dev.drover.connection.ConnectionException;
import dev.drover.connection.ShellQuote;
import dev.drover.module.Args;
import dev.drover.module.Change;
import dev.drover.module.Exec;
import dev.drover.module.FileState;
import dev.drover.module.HostView;
import dev.drover.module.Module;
import dev.drover.module.ModuleContext;
import dev.drover.module.ModuleException;
import dev.drover.module.ModuleSpec;
import dev.drover.module.Param;
import dev.drover.module.ParamType;
import dev.drover.module.Plan;
import dev.drover.module.PodmanObject;
import dev.drover.module.ShellCommand;
import dev.drover.module.WriteFile;
import dev.drover.modules.commands.Shlex;
import dev.drover.modules.files.FileSupport;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * containers.podman.podman_image: build an image from a context directory on the host, pull it,
 * push it, remove it — as the task's user (rootless podman under {@code become_user}).
 *
 * <p><b>When it builds.</b> Not only when the image is missing: the build context is digested on
 * the host in one probe (every path with its type, mode and link target, every regular file's
 * SHA-256, the Containerfile, and the build parameters that shape the image) and the digest is
 * stored on the image as the label {@value #HASH_LABEL}. The image is rebuilt when that label
 * differs from the context's digest now, or with {@code force: true}. The build command computes
 * the digest again on the host right before building, with the same script, so the label always
 * describes what was built.
 *
 * <p><b>Check mode.</b> The plan is made from the same probes, so the forecast is exact. When
 * earlier steps of the run would have changed files in the context (the host cannot show them
 * yet), the forecast is a build. A simulated build is recorded in the simulated state, so a later
 * step (a push, another podman_image) sees the image.
 *
 * <p><b>Push.</b> Only when the image was built or pulled by this task, with {@code force}, or
 * when the image id last pushed to that destination (recorded by drover in
 * {@code ~/.local/share/drover/podman-push/}) is not the image's id now: a rerun pushes nothing.
 * Registry credentials: {@code podman login --password-stdin}, the password fed on stdin; it never
 * reaches a command line, a description, a value or a log.
 */
public final class PodmanImageModule implements Module {
    static final String NAME = "podman_image";
    /** The image label that holds the build context's digest. */
    public static final String HASH_LABEL = "drover.context-hash";
    /** The label value of an image a check-mode run would build from a context it cannot digest yet. */
    static final String PENDING = "(built by this check run)";
    static final String PUSH_RECORDS = ".local/share/drover/podman-push";
    /** The simulated state's kind for a git checkout (the git module's record). */
    private static final String GIT_RECORD = "git";

    private static final List<String> BUILD_OPTIONS = List.of("file", "format", "cache", "rm", "force_rm",
            "annotation", "volume", "extra_args", "target", "build_arg");
    private static final List<String> PUSH_OPTIONS = List.of("dest", "destination", "transport", "compress",
            "format", "remove_signatures", "sign_by");

    private static final ModuleSpec SPEC = new ModuleSpec(NAME, List.of(PodmanSupport.COLLECTION + NAME), List.of(
            Param.required("name", ParamType.STR),
            Param.of("tag", ParamType.STR).withDefault("latest"),
            Param.of("path", ParamType.PATH),
            Param.of("state", ParamType.STR).withDefault("present").withChoices("present", "absent", "build"),
            Param.of("force", ParamType.BOOL).withDefault(false),
            Param.of("pull", ParamType.BOOL).withDefault(true),
            Param.of("push", ParamType.BOOL).withDefault(false),
            Param.of("push_args", ParamType.DICT),
            Param.of("build", ParamType.DICT).withAliases("build_args", "buildargs"),
            Param.of("username", ParamType.STR),
            Param.of("password", ParamType.STR),
            Param.of("auth_file", ParamType.PATH).withAliases("authfile"),
            Param.of("validate_certs", ParamType.BOOL).withAliases("tlsverify", "tls_verify"),
            Param.of("ca_cert_dir", ParamType.PATH)), null, false);

    @Override
    public ModuleSpec spec() {
        return SPEC;
    }

    @Override
    public Plan plan(ModuleContext ctx) throws ModuleException, ConnectionException {
        Args a = ctx.args();
        HostView host = ctx.host();
        String name = a.requireStr("name");
        String tag = a.str("tag");
        String digestRef = null;
        int at = name.lastIndexOf('@');
        if (at > 0) {
            digestRef = name.substring(at + 1);
            name = name.substring(0, at);
        } else {
            int colon = name.lastIndexOf(':');
            if (colon > 0 && !name.substring(colon + 1).contains("/")) {
                tag = name.substring(colon + 1);
                name = name.substring(0, colon);
            }
        }
        String ref = digestRef != null ? name + "@" + digestRef : name + ":" + tag;
        String state = a.str("state");
        boolean force = a.bool("force");
        Map<String, Object> build = a.map("build");
        Map<String, Object> pushArgs = a.map("push_args");
        PodmanSupport.checkSuboptions(NAME, "build", build, BUILD_OPTIONS);
        PodmanSupport.checkSuboptions(NAME, "push_args", pushArgs, PUSH_OPTIONS);
        if (a.has("username") != a.has("password")) {
            throw new ModuleException("parameters are required together: username, password");
        }
        if (a.raw("password") instanceof dev.drover.yaml.Vaulted) {
            throw new ModuleException("password is a !vault value that was not decrypted (give drover the vault password)");
        }
        if (a.has("auth_file") && a.has("username")) {
            throw new ModuleException("parameters are mutually exclusive: auth_file|username");
        }
        if (state.equals("build") && !a.has("path")) {
            throw new ModuleException("state is build but all of the following are missing: path");
        }
        PodmanSupport.requirePodman(host);
        Optional<PodmanObject> current = host.podman(PodmanObject.IMAGE, ref);

        Map<String, Object> v = new LinkedHashMap<>();
        v.put("name", name);
        v.put("tag", tag);
        v.put("state", state);
        List<String> actions = new ArrayList<>();
        v.put("actions", actions);
        v.put("image", current.map(PodmanImageModule::imageValue).orElse(Map.of()));

        if (state.equals("absent")) {
            if (current.isEmpty()) {
                return Plan.nothing("image " + ref + " is absent", v);
            }
            List<String> argv = new ArrayList<>(List.of("podman", "image", "rm"));
            if (force) {
                argv.add("--force");
            }
            argv.add("--");
            argv.add(ref);
            actions.add("Removed image " + ref);
            return Plan.builder().values(v)
                    .change(new Exec("remove image " + ref, ShellCommand.of(ShellQuote.join(argv)),
                            (s, u) -> s.putPodman(u, PodmanObject.IMAGE, ref, null), false))
                    .reason("remove image " + ref).build();
        }

        Plan.Builder plan = Plan.builder();
        List<String> kinds = new ArrayList<>(); // per change: "build", "pull" or "" (for the mapper)
        Set<String> loggedIn = new HashSet<>();
        String path = a.str("path");
        boolean produced = false;
        String why = null;
        if (path != null) {
            path = absolute(ctx, path);
            String file = build.get("file") == null ? null : Args.stringOf(build.get("file"));
            if (file != null) {
                file = file.startsWith("/") || file.startsWith("~") ? FileSupport.expand(ctx, file) : path + "/" + file;
            }
            String params = PodmanSupport.sha256(buildParameters(build));
            FileState dir = host.fileFollow(path);
            List<String> pending = new ArrayList<>(host.pendingBelow(path));
            if (file != null) {
                pending.addAll(host.pendingBelow(file));
            }
            // a git checkout an earlier step of this check run clones or moves: its files are not on the host yet
            for (String d = path; d != null && !d.isEmpty() && !d.equals("/"); d = FileSupport.parent(d)) {
                if (host.recorded(GIT_RECORD, d).isPresent()) {
                    pending.add(d);
                }
            }
            if (!dir.isDirectory() && pending.isEmpty()) {
                throw new ModuleException("the build context " + path + " is not a directory on " + ctx.hostName());
            }
            String digest = null;
            if (pending.isEmpty()) {
                digest = digestContext(host, path, file, params);
            }
            String label = current.map(o -> o.label(HASH_LABEL)).orElse(null);
            if (current.isEmpty()) {
                why = "image " + ref + " is absent";
            } else if (force) {
                why = "force";
            } else if (PENDING.equals(label)) {
                why = null; // a check-mode build of this run
            } else if (digest == null) {
                why = "earlier steps change the build context " + path;
            } else if (!digest.equals(label)) {
                why = label == null ? "image " + ref + " has no " + HASH_LABEL + " label"
                        : "the build context " + path + " changed";
            }
            if (why != null) {
                String simLabel = digest != null ? digest : PENDING;
                String script = "h=$( " + digestScript(path, file, params) + ") || exit 1; "
                        + buildCommand(a, build, ref, path, file) + " && "
                        + PodmanObject.inspectScript(PodmanObject.IMAGE, ref);
                plan.change(new Exec("build image " + ref + " from " + path, ShellCommand.of(script),
                        (s, u) -> s.putPodman(u, PodmanObject.IMAGE, ref, new PodmanObject(PodmanObject.IMAGE, ref,
                                "check-mode:" + ref, null, Map.of(HASH_LABEL, simLabel))), false));
                kinds.add("build");
                actions.add("Built image " + ref + " from " + path);
                produced = true;
            }
        } else if (current.isEmpty() || force) {
            if (!a.bool("pull")) {
                if (current.isEmpty()) {
                    throw new ModuleException("image " + ref + " is not on the host and pull is false");
                }
            } else {
                login(a, PodmanSupport.registryOf(name), loggedIn, plan, kinds);
                List<String> argv = new ArrayList<>(List.of("podman", "pull", "-q"));
                argv.addAll(PodmanSupport.registryOptions(a));
                argv.add("--");
                argv.add(ref);
                plan.change(new Exec("pull image " + ref,
                        ShellCommand.of(ShellQuote.join(argv) + " >/dev/null && "
                                + PodmanObject.inspectScript(PodmanObject.IMAGE, ref)),
                        (s, u) -> s.putPodman(u, PodmanObject.IMAGE, ref,
                                new PodmanObject(PodmanObject.IMAGE, ref, "check-mode:" + ref, null, Map.of())), false));
                kinds.add("pull");
                actions.add("Pulled image " + ref);
                produced = true;
                why = current.isEmpty() ? "image " + ref + " is absent" : "force";
            }
        }

        if (a.bool("push")) {
            String target = pushTarget(name, tag, ref, pushArgs);
            String record = FileSupport.join(FileSupport.join(host.home(), PUSH_RECORDS),
                    PodmanSupport.sha256(target).substring(0, 16));
            boolean push = produced || force;
            if (!push) {
                String pushed = host.read(record).map(b -> new String(b, StandardCharsets.UTF_8).strip()).orElse("");
                push = current.isEmpty() || !pushed.equals(current.get().id());
            }
            if (push) {
                login(a, PodmanSupport.registryOf(target), loggedIn, plan, kinds);
                List<String> argv = new ArrayList<>(List.of("podman", "push", "-q"));
                argv.addAll(PodmanSupport.registryOptions(a));
                if (Boolean.TRUE.equals(Args.toBool(pushArgs.get("compress")))) {
                    argv.add("--compress");
                }
                if (pushArgs.get("format") != null) {
                    argv.addAll(List.of("--format", Args.stringOf(pushArgs.get("format"))));
                }
                if (Boolean.TRUE.equals(Args.toBool(pushArgs.get("remove_signatures")))) {
                    argv.add("--remove-signatures");
                }
                if (pushArgs.get("sign_by") != null) {
                    argv.addAll(List.of("--sign-by", Args.stringOf(pushArgs.get("sign_by"))));
                }
                argv.add("--");
                argv.add(ref);
                argv.add(target);
                String dir = FileSupport.parent(record);
                String script = ShellQuote.join(argv) + " && mkdir -p -- " + ShellQuote.quote(dir)
                        + " && podman image inspect --format '{{.Id}}' -- " + ShellQuote.quote(ref)
                        + " > " + ShellQuote.quote(record);
                Optional<PodmanObject> before = current;
                plan.change(new Exec("push image " + ref + " to " + target, ShellCommand.of(script), (s, u) -> {
                    String id = s.podman(u, PodmanObject.IMAGE, ref).flatMap(o -> o)
                            .or(() -> before).map(PodmanObject::id).orElse("check-mode:" + ref);
                    byte[] content = (id + "\n").getBytes(StandardCharsets.UTF_8);
                    s.putFile(new FileState(record, FileState.Kind.FILE, "0644", u, u, content.length,
                            WriteFile.sha1(content), null), content);
                }, false));
                kinds.add("");
                actions.add("Pushed image " + ref + " to " + target);
                if (why == null) {
                    why = "the image was not pushed to " + target + " yet";
                }
            }
        }

        if (!plan.hasChanges()) {
            return Plan.nothing("image " + ref + " is up to date", v);
        }
        String summary = String.join(", ", actions) + (why == null ? "" : " (" + why + ")");
        return plan.values(v).reason(summary).mapper((planned, results) -> {
            Map<String, Object> out = new LinkedHashMap<>(planned);
            for (int i = 0; i < results.size() && i < kinds.size(); i++) {
                if (!kinds.get(i).isEmpty()) {
                    Optional<PodmanObject> img = PodmanObject.parse(PodmanObject.IMAGE, ref, results.get(i).out());
                    img.ifPresent(o -> out.put("image", imageValue(o)));
                }
            }
            return out;
        }).build();
    }

    /** A path as the host sees it: {@code ~} expanded, relative paths from the user's home. */
    static String absolute(ModuleContext ctx, String path) throws ConnectionException {
        String p = FileSupport.expand(ctx, path);
        if (!p.startsWith("/")) {
            p = FileSupport.join(ctx.host().home(), p.startsWith("./") ? p.substring(2) : p);
        }
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    private static Map<String, Object> imageValue(PodmanObject o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", o.id());
        m.put("Labels", new LinkedHashMap<>(o.labels()));
        return m;
    }

    private static void login(Args a, String registry, Set<String> done, Plan.Builder plan, List<String> kinds)
            throws ModuleException {
        if (!a.has("username") || !done.add(registry)) {
            return;
        }
        String user = a.str("username");
        byte[] password = a.str("password").getBytes(StandardCharsets.UTF_8);
        Change login = new Exec("log in to " + registry + " as " + user,
                new ShellCommand(PodmanSupport.loginScript(a, registry, user), password), null, false);
        plan.change(login);
        kinds.add("");
    }

    /** Where {@code podman push} sends the image, as containers.podman computes it. */
    static String pushTarget(String name, String tag, String ref, Map<String, Object> pushArgs)
            throws ModuleException {
        Object destValue = pushArgs.get("dest") != null ? pushArgs.get("dest") : pushArgs.get("destination");
        String dest = destValue == null ? null : Args.stringOf(destValue);
        String transport = pushArgs.get("transport") == null ? null : Args.stringOf(pushArgs.get("transport"));
        if (dest == null) {
            if (!name.contains("/")) {
                throw new ModuleException("'push_args['dest']' is required when pushing images that do not have "
                        + "the remote registry in the image name");
            }
            if (transport != null) {
                throw new ModuleException("'push_args['transport'] requires 'push_args['dest'] but it was not provided.");
            }
            return ref;
        }
        String base = name.contains("/") ? name.substring(name.lastIndexOf('/') + 1) : name;
        // the destination may name the image (and tag) already: containers.podman strips them, so does drover
        dest = dest.replaceAll("/" + java.util.regex.Pattern.quote(name) + "(:" + java.util.regex.Pattern.quote(tag)
                + ")?$", "");
        while (dest.endsWith("/")) {
            dest = dest.substring(0, dest.length() - 1);
        }
        if (transport != null) {
            return switch (transport) {
                case "docker" -> "docker://" + dest + "/" + base + ":" + tag;
                case "ostree" -> "ostree:" + name + "@" + dest;
                default -> transport + ":" + dest;
            };
        }
        return dest + "/" + (name.contains("/") ? base : name) + ":" + tag;
    }

    /**
     * The build parameters that shape the image, as canonical text (hashed into the digest):
     * format, target, build args, annotations, volumes, extra args. Not cache/rm/force_rm, which
     * change how the image is built, not what it is.
     */
    static String buildParameters(Map<String, Object> build) {
        StringBuilder s = new StringBuilder();
        s.append("format=").append(build.get("format") == null ? "" : Args.stringOf(build.get("format"))).append('\n');
        s.append("target=").append(build.get("target") == null ? "" : Args.stringOf(build.get("target"))).append('\n');
        PodmanSupport.sortedPairs(dict(build.get("build_arg"))).forEach((k, x) -> s.append("arg ").append(k)
                .append('=').append(x).append('\n'));
        PodmanSupport.sortedPairs(dict(build.get("annotation"))).forEach((k, x) -> s.append("annotation ")
                .append(k).append('=').append(x).append('\n'));
        for (String vol : strings(build.get("volume"))) {
            s.append("volume ").append(vol).append('\n');
        }
        s.append("extra=").append(build.get("extra_args") == null ? "" : Args.stringOf(build.get("extra_args")));
        return s.toString();
    }

    /**
     * A subshell printing the context's digest (64 hex digits), or failing: every path below the
     * context with its type, mode and link target (sorted), every regular file's SHA-256, the
     * Containerfile's SHA-256, and the parameters' hash. Shared by the probe and the build command.
     * Callers write {@code $( } with a space: {@code $((} would be arithmetic expansion.
     */
    static String digestScript(String path, String file, String params) {
        return "( cd -- " + ShellQuote.quote(path) + " || exit 1; "
                + "l=$(find . -printf '%y %m %p -> %l\\n') || exit 1; "
                + "s=$(find . -type f -print0 | LC_ALL=C sort -z | xargs -0r sha256sum --) || exit 1; "
                + (file == null ? "c=; " : "c=$(sha256sum < " + ShellQuote.quote(file) + ") || exit 1; ")
                + "{ printf '%s\\n' \"$l\" | LC_ALL=C sort; printf '%s\\n%s\\n%s\\n' \"$s\" \"$c\" " + params
                + "; } | sha256sum | cut -c1-64 )";
    }

    /** One probe: the context's digest, or why there is none. */
    private static String digestContext(HostView host, String path, String file, String params)
            throws ConnectionException, ModuleException {
        StringBuilder script = new StringBuilder();
        if (file != null) {
            script.append("[ -f ").append(ShellQuote.quote(file)).append(" ] || { echo NOFILE; exit 0; }; ");
        }
        script.append("if h=$( ").append(digestScript(path, file, params)).append("); then echo \"HASH $h\"; ")
                .append("else echo FAILED; fi");
        CommandResult r = host.probe(script.toString());
        String out = r.out().strip();
        if (out.equals("NOFILE")) {
            throw new ModuleException("the Containerfile " + file + " is not a file on the host");
        }
        if (!out.startsWith("HASH ") || out.length() != 5 + 64) {
            throw new ModuleException("cannot read the build context " + path + ": " + r.err().strip());
        }
        return out.substring(5);
    }

    private static String buildCommand(Args a, Map<String, Object> build, String ref, String path, String file)
            throws ModuleException {
        List<String> argv = new ArrayList<>();
        if (file != null) {
            argv.addAll(List.of("-f", file));
        }
        if (build.get("format") != null) {
            argv.addAll(List.of("--format", Args.stringOf(build.get("format"))));
        }
        if (Boolean.FALSE.equals(Args.toBool(build.get("cache")))) {
            argv.add("--no-cache");
        }
        if (Boolean.FALSE.equals(Args.toBool(build.get("rm")))) {
            argv.add("--rm=false");
        }
        if (Boolean.TRUE.equals(Args.toBool(build.get("force_rm")))) {
            argv.add("--force-rm");
        }
        if (build.get("target") != null) {
            argv.addAll(List.of("--target", Args.stringOf(build.get("target"))));
        }
        PodmanSupport.sortedPairs(dict(build.get("annotation")))
                .forEach((k, x) -> argv.addAll(List.of("--annotation", k + "=" + x)));
        PodmanSupport.sortedPairs(dict(build.get("build_arg")))
                .forEach((k, x) -> argv.addAll(List.of("--build-arg", k + "=" + x)));
        for (String vol : strings(build.get("volume"))) {
            argv.addAll(List.of("--volume", vol));
        }
        argv.addAll(PodmanSupport.registryOptions(a));
        if (build.get("extra_args") != null) {
            argv.addAll(Shlex.split(Args.stringOf(build.get("extra_args"))));
        }
        argv.add(path);
        // podman's "STEP 3/7: …" lines become progress reports ("building web:1 (step 3/7)"); the
        // build's own exit status is the command's (no pipefail in sh: it comes back on fd 4)
        String podman = "podman build -t " + ShellQuote.quote(ref) + " --label \"" + HASH_LABEL + "=$h\" "
                + ShellQuote.join(argv);
        return "{ __dv_r=$( { { " + podman + "; echo $? >&4; } | while IFS= read -r __dv_l; do case \"$__dv_l\" in "
                + "'STEP '*) __dv_s=${__dv_l#STEP }; " + dev.drover.connection.Shell.PROGRESS_FUNCTION + " \"building \""
                + ShellQuote.quote(ref) + "\" (step ${__dv_s%%:*})\" 2>/dev/null ;; esac; done >/dev/null; } 4>&1 ); "
                + "[ \"$__dv_r\" = 0 ]; }";
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> dict(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static List<String> strings(Object o) {
        if (o == null) {
            return List.of();
        }
        if (o instanceof List<?> l) {
            return l.stream().map(Args::stringOf).toList();
        }
        return List.of(Args.stringOf(o));
    }
}
