package dev.drover.modules.source;

import dev.drover.connection.CommandResult;
import dev.drover.connection.ConnectionException;
import dev.drover.connection.ShellQuote;
import dev.drover.module.Args;
import dev.drover.module.Diff;
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
import dev.drover.module.ShellCommand;
import dev.drover.modules.files.FileSupport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * ansible.builtin.git: clone or update a checkout ON THE HOST with its git. One probe reads the
 * checkout (HEAD, the remote's URL, local modifications) and {@code git ls-remote --symref} of the
 * repository (its HEAD branch, branches and tags), so the plan knows the commit the run would end
 * at: nothing to do when the checkout is there already, else one script that clones, or fetches
 * and switches version, as Ansible's module does. Check mode forecasts from the same probe (and
 * from checkouts earlier steps of the run made: {@code git}/DEST in the simulated state).
 * {@code key_file}, {@code accept_hostkey}, {@code accept_newhostkey} and {@code ssh_opts} become
 * {@code GIT_SSH_COMMAND} (BatchMode: git never waits for a prompt).
 */
public final class GitModule implements Module {
    static final String RECORD = "git";
    private static final String MARK = "DROVER-GIT ";
    private static final ModuleSpec SPEC = new ModuleSpec("git", List.of(), List.of(
            Param.of("dest", ParamType.PATH),
            Param.required("repo", ParamType.STR).withAliases("name"),
            Param.of("version", ParamType.STR).withDefault("HEAD"),
            Param.of("remote", ParamType.STR).withDefault("origin"),
            Param.of("refspec", ParamType.STR),
            Param.of("reference", ParamType.STR),
            Param.of("force", ParamType.BOOL).withDefault(false),
            Param.of("depth", ParamType.INT),
            Param.of("clone", ParamType.BOOL).withDefault(true),
            Param.of("update", ParamType.BOOL).withDefault(true),
            Param.of("verify_commit", ParamType.BOOL).withDefault(false),
            Param.of("gpg_whitelist", ParamType.LIST),
            Param.of("accept_hostkey", ParamType.BOOL).withDefault(false),
            Param.of("accept_newhostkey", ParamType.BOOL).withDefault(false),
            Param.of("key_file", ParamType.PATH),
            Param.of("ssh_opts", ParamType.STR),
            Param.of("executable", ParamType.PATH),
            Param.of("bare", ParamType.BOOL).withDefault(false),
            Param.of("recursive", ParamType.BOOL).withDefault(true),
            Param.of("single_branch", ParamType.BOOL).withDefault(false),
            Param.of("track_submodules", ParamType.BOOL).withDefault(false),
            Param.of("umask", ParamType.RAW),
            Param.of("archive", ParamType.PATH),
            Param.of("archive_prefix", ParamType.STR),
            Param.of("separate_git_dir", ParamType.PATH)), null, false);

    @Override
    public ModuleSpec spec() {
        return SPEC;
    }

    /** What the probe found. */
    record State(boolean checkout, String head, String url, String branch, boolean mods, Map<String, String> refs,
                 String remoteHeadBranch, int lsRemoteRc, String lsRemoteErr) {
    }

    @Override
    public Plan plan(ModuleContext ctx) throws ModuleException, ConnectionException {
        Args a = ctx.args();
        HostView host = ctx.host();
        for (String p : List.of("bare", "verify_commit", "track_submodules")) {
            if (a.bool(p)) {
                throw new ModuleException(p + " is not supported by drover's git module");
            }
        }
        for (String p : List.of("archive", "separate_git_dir", "reference", "refspec", "umask")) {
            if (a.has(p)) {
                throw new ModuleException(p + " is not supported by drover's git module");
            }
        }
        if (a.bool("accept_hostkey") && a.bool("accept_newhostkey")) {
            throw new ModuleException("parameters are mutually exclusive: accept_hostkey|accept_newhostkey");
        }
        String repo = a.requireStr("repo");
        if (repo.startsWith("/") || repo.startsWith("~/")) {
            repo = "file://" + FileSupport.expand(ctx, repo);
        }
        String version = a.str("version");
        String remote = a.str("remote");
        boolean allowClone = a.bool("clone");
        String destArg = a.str("dest");
        if (destArg == null) {
            throw new ModuleException(allowClone ? "the destination directory must be specified unless clone=no"
                    : "drover's git module needs dest (clone=no without dest only asks the remote)");
        }
        String dest = FileSupport.stripSlash(FileSupport.expand(ctx, destArg));
        String git = a.has("executable") ? ShellQuote.quote(a.str("executable")) : "git";
        String env = env(a);

        Optional<Optional<Object>> recorded = host.recorded(RECORD, dest);
        State st = probe(host, env, git, dest, remote, repo, recorded.isPresent(), a.bool("update"));
        boolean exists = recorded.map(Optional::isPresent).orElse(st.checkout());
        String before = recorded.isPresent() ? recorded.get().map(String::valueOf).orElse(null) : st.head();
        if (exists && !a.bool("update")) { // as Ansible: the remote is not asked
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("before", before);
            v.put("after", before);
            return Plan.nothing("update=no", v);
        }
        if (st.lsRemoteRc() != 0) {
            throw new ModuleException(st.lsRemoteErr().isBlank() ? "git ls-remote " + repo + " failed" : st.lsRemoteErr().trim(),
                    Map.of("rc", st.lsRemoteRc()));
        }

        // the commit the run ends at
        String kind;
        String target;
        String headBranch = st.remoteHeadBranch();
        if (version.equals("HEAD")) {
            kind = "head";
            target = st.refs().get("HEAD");
            if (target == null) {
                throw new ModuleException("Could not determine remote revision for HEAD");
            }
        } else if (st.refs().containsKey("refs/heads/" + version)) {
            kind = "branch";
            target = st.refs().get("refs/heads/" + version);
        } else if (st.refs().containsKey("refs/tags/" + version)) {
            kind = "tag";
            target = st.refs().getOrDefault("refs/tags/" + version + "^{}", st.refs().get("refs/tags/" + version));
        } else if (version.matches("[0-9a-fA-F]{4,40}")) {
            kind = "sha";
            target = version.toLowerCase(java.util.Locale.ROOT);
        } else {
            throw new ModuleException("Failed to checkout " + version);
        }

        Map<String, Object> v = new LinkedHashMap<>();
        v.put("before", exists ? before : null);
        List<String> warnings = new ArrayList<>();
        Integer depth = a.integer("depth");
        if (depth != null && kind.equals("sha")) {
            warnings.add("Ignoring depth argument. Shallow clones are only available for HEAD, branches, tags or in"
                    + " combination with refspec.");
            depth = null;
        }
        if (!warnings.isEmpty()) {
            v.put("warnings", warnings);
        }
        String switchScript = switchVersion(git, kind, version, remote, headBranch, a.bool("recursive"));

        if (!exists) {
            if (!allowClone) {
                v.put("after", target);
                return Plan.nothing("no checkout at " + dest + " and clone=no", v);
            }
            v.put("after", target);
            StringBuilder s = new StringBuilder(env).append("mkdir -p ").append(ShellQuote.quote(FileSupport.parent(dest)))
                    .append(" && ").append(git).append(" clone --origin ").append(ShellQuote.quote(remote));
            if (depth != null) {
                s.append(" --depth ").append(depth);
                if (!kind.equals("head")) {
                    s.append(" --branch ").append(ShellQuote.quote(version));
                }
            }
            if (a.bool("single_branch")) {
                s.append(" --single-branch");
                if (kind.equals("branch") || kind.equals("tag")) {
                    s.append(" --branch ").append(ShellQuote.quote(version));
                }
            }
            s.append(" -- ").append(ShellQuote.quote(repo)).append(' ').append(ShellQuote.quote(dest))
                    .append(" || exit\ncd ").append(ShellQuote.quote(dest)).append(" || exit 1\n").append(switchScript);
            String finalTarget = target;
            Exec clone = new Exec("clone " + repo + " into " + dest, ShellCommand.of(s.toString()),
                    (state, u) -> {
                        state.putNewDirectory(new FileState(dest, FileState.Kind.DIRECTORY, "0755", u, u, 4096, null, null));
                        state.putFile(new FileState(dest + "/.git", FileState.Kind.DIRECTORY, "0755", u, u, 4096, null, null),
                                null);
                        state.putRecord(RECORD, dest, finalTarget);
                    }, true);
            Plan.Builder plan = Plan.builder().values(v).change(clone).reason("clone " + repo + " at " + version);
            if (ctx.wantsDiff()) {
                plan.diff(new Diff(dest, dest, "", target + "\n"));
            }
            return plan.mapper((planned, results) -> mapped(planned, results.get(0), version, null)).build();
        }

        if (!a.bool("update")) {
            v.put("after", before);
            return Plan.nothing("update=no", v);
        }
        boolean mods = recorded.isEmpty() && st.mods();
        if (mods && !a.bool("force")) {
            v.put("after", before);
            throw new ModuleException("Local modifications exist in the destination: " + dest + " (force=no).",
                    nonNull(v));
        }
        boolean urlChanged = recorded.isEmpty() && st.url() != null && !st.url().isEmpty() && !st.url().equals(repo)
                && !unfrack(st.url()).equals(unfrack(repo));
        v.put("remote_url_changed", urlChanged);
        boolean same = before != null && (kind.equals("sha") ? before.startsWith(target) : before.equals(target));
        boolean onBranch = !kind.equals("branch") || version.equals(st.branch()) || recorded.isPresent();
        v.put("after", kind.equals("sha") && same ? before : target);
        if (same && onBranch && !mods && !urlChanged) {
            return Plan.nothing(dest + " is at " + version + " (" + before + ")", v);
        }
        StringBuilder s = new StringBuilder(env).append("cd ").append(ShellQuote.quote(dest)).append(" || exit 1\n");
        if (mods) {
            s.append(git).append(" reset --hard HEAD -- || exit\n");
        }
        if (urlChanged || st.url() == null || st.url().isEmpty()) {
            s.append(git).append(" remote set-url ").append(ShellQuote.quote(remote)).append(' ')
                    .append(ShellQuote.quote(repo)).append(" 2>/dev/null || ").append(git).append(" remote add ")
                    .append(ShellQuote.quote(remote)).append(' ').append(ShellQuote.quote(repo)).append(" || exit\n");
        }
        s.append(git).append(" fetch");
        if (depth != null) {
            s.append(" --depth ").append(depth);
        }
        s.append(" --tags").append(a.bool("force") ? " --force" : "").append(' ').append(ShellQuote.quote(remote));
        if (depth != null && kind.equals("branch")) {
            s.append(' ').append(ShellQuote.quote("+refs/heads/" + version + ":refs/remotes/" + remote + "/" + version));
        } else if (depth != null && kind.equals("head") && headBranch != null) {
            s.append(' ').append(ShellQuote.quote("+refs/heads/" + headBranch + ":refs/remotes/" + remote + "/" + headBranch));
        }
        s.append(" >&2 || { echo \"").append(MARK).append("fetchfailed\"; exit 1; }\n").append(switchScript);
        String finalTarget = target;
        Exec update = new Exec("update " + dest + " to " + version, ShellCommand.of(s.toString()),
                (state, u) -> state.putRecord(RECORD, dest, finalTarget), true);
        if (mods) {
            v.put("msg", "Local modifications exist in the destination: " + dest);
        }
        Plan.Builder plan = Plan.builder().values(v).change(update).reason("update " + dest + " to " + version);
        if (ctx.wantsDiff()) {
            plan.diff(new Diff(dest, dest, before + "\n", target + "\n"));
        }
        return plan.mapper((planned, results) -> mapped(planned, results.get(0), version, before)).build();
    }

    private static Map<String, Object> nonNull(Map<String, Object> v) {
        Map<String, Object> out = new LinkedHashMap<>(v);
        out.values().removeIf(java.util.Objects::isNull);
        return out;
    }

    private static Map<String, Object> mapped(Map<String, Object> planned, CommandResult r, String version, String before)
            throws ModuleException {
        Map<String, Object> out = new LinkedHashMap<>(planned);
        String after = null;
        for (String line : r.out().split("\n")) {
            if (line.startsWith(MARK + "after ")) {
                after = line.substring(MARK.length() + 6).trim();
            }
        }
        if (r.exitCode() != 0) {
            Map<String, Object> f = nonNull(out);
            f.put("rc", r.exitCode());
            f.put("stdout", r.out());
            f.put("stderr", r.err());
            String msg;
            if (r.out().contains(MARK + "fetchfailed")) {
                msg = "Failed to download remote objects and refs: " + r.err().trim();
            } else if (r.out().contains(MARK + "checkoutfailed")) {
                msg = "Failed to checkout " + version;
            } else {
                msg = r.err().trim().isEmpty() ? "git failed (rc " + r.exitCode() + ")" : r.err().trim();
            }
            throw new ModuleException(msg, f);
        }
        if (after != null) {
            out.put("after", after);
        }
        if (before != null && before.equals(out.get("after")) && !Boolean.TRUE.equals(out.get("remote_url_changed"))
                && !out.containsKey("msg")) {
            out.put("changed", false);
        }
        return out;
    }

    /** Ansible's switch_version, as one script run inside dest; prints the resulting HEAD. */
    private static String switchVersion(String git, String kind, String version, String remote, String headBranch,
                                        boolean recursive) {
        String v = ShellQuote.quote(version);
        String r = ShellQuote.quote(remote);
        String fail = " || { echo \"" + MARK + "checkoutfailed\"; exit 1; }\n";
        StringBuilder s = new StringBuilder();
        switch (kind) {
            case "head" -> {
                String b = headBranch == null ? "$(" + git + " symbolic-ref --short refs/remotes/" + remote
                        + "/HEAD 2>/dev/null | sed 's|^" + remote + "/||')" : ShellQuote.quote(headBranch);
                s.append("b=").append(b).append("\n")
                        .append(git).append(" checkout --force \"$b\" >&2").append(fail)
                        .append(git).append(" reset --hard ").append(r).append("/\"$b\" -- >&2").append(fail);
            }
            case "branch" -> s.append("if ").append(git).append(" show-ref --verify --quiet refs/heads/").append(v)
                    .append("; then ").append(git).append(" checkout --force ").append(v).append(" >&2 && ")
                    .append(git).append(" reset --hard ").append(r).append('/').append(v).append(" >&2; else ")
                    .append(git).append(" checkout --track -b ").append(v).append(' ').append(r).append('/').append(v)
                    .append(" >&2; fi").append(fail);
            default -> s.append(git).append(" checkout --force ").append(v).append(" >&2").append(fail);
        }
        if (recursive) {
            s.append("if [ -f .gitmodules ]; then ").append(git).append(" submodule update --init --recursive >&2 || exit; fi\n");
        }
        s.append("echo \"").append(MARK).append("after $(").append(git).append(" rev-parse HEAD)\"\n");
        return s.toString();
    }

    /** GIT_SSH_COMMAND and the C locale, as an export line. */
    private static String env(Args a) throws ModuleException {
        StringBuilder ssh = new StringBuilder("ssh -o BatchMode=yes");
        if (a.has("key_file")) {
            ssh.append(" -i ").append(ShellQuote.quote(a.str("key_file"))).append(" -o IdentitiesOnly=yes");
        }
        String opts = a.str("ssh_opts");
        if (a.bool("accept_hostkey") && (opts == null || !opts.contains("StrictHostKeyChecking"))) {
            ssh.append(" -o StrictHostKeyChecking=no");
        }
        if (a.bool("accept_newhostkey") && (opts == null || !opts.contains("StrictHostKeyChecking"))) {
            ssh.append(" -o StrictHostKeyChecking=accept-new");
        }
        if (opts != null) {
            ssh.append(' ').append(opts); // the user's own ssh options, as Ansible passes them to ssh
        }
        return "export LC_ALL=C LANG=C GIT_TERMINAL_PROMPT=0 GIT_SSH_COMMAND=" + ShellQuote.quote(ssh.toString()) + "\n";
    }

    private static String unfrack(String url) {
        String u = url.replaceAll("/+$", "");
        return u.endsWith(".git") ? u.substring(0, u.length() - 4) : u;
    }

    private static State probe(HostView host, String env, String git, String dest, String remote, String repo,
                               boolean skipCheckout, boolean update) throws ConnectionException, ModuleException {
        String d = ShellQuote.quote(dest);
        StringBuilder s = new StringBuilder(env)
                .append("command -v ").append(git).append(" >/dev/null 2>&1 || { echo '").append(MARK).append("nogit'; exit 0; }\n");
        if (!skipCheckout) {
            s.append("if [ -e ").append(d).append("/.git ]; then echo '").append(MARK).append("checkout'; cd ").append(d)
                    .append(" && { echo \"").append(MARK).append("head $(").append(git).append(" rev-parse --verify -q HEAD)\"; ")
                    .append("echo \"").append(MARK).append("url $(").append(git).append(" config --get remote.")
                    .append(ShellQuote.quote(remote)).append(".url)\"; ")
                    .append("echo \"").append(MARK).append("branch $(").append(git).append(" symbolic-ref -q --short HEAD)\"; ")
                    .append(git).append(" status --porcelain 2>/dev/null | grep -qv '^??' && echo '").append(MARK).append("mods'; ")
                    .append("cd /; }; fi\n");
        }
        if (!update && !skipCheckout) {
            s.append("[ -e ").append(d).append("/.git ] && { echo '").append(MARK).append("lsrc 0'; exit 0; }\n");
        }
        s.append("o=$(").append(git).append(" ls-remote --symref -- ").append(ShellQuote.quote(repo))
                .append(" 2>\"${TMPDIR:-/tmp}/drover-git.$$\"); rc=$?\n")
                .append("echo \"").append(MARK).append("lsrc $rc\"; printf '%s\\n' \"$o\" | sed 's/^/").append(MARK).append("ref /'\n")
                .append("sed 's/^/").append(MARK).append("err /' \"${TMPDIR:-/tmp}/drover-git.$$\"; rm -f \"${TMPDIR:-/tmp}/drover-git.$$\"\n");
        CommandResult r = host.probe(s.toString());
        boolean checkout = false;
        String head = null;
        String url = null;
        String branch = null;
        boolean mods = false;
        int rc = 1;
        StringBuilder err = new StringBuilder();
        Map<String, String> refs = new LinkedHashMap<>();
        String headBranch = null;
        for (String line : r.out().split("\n")) {
            if (!line.startsWith(MARK)) {
                continue;
            }
            String rest = line.substring(MARK.length());
            if (rest.equals("nogit")) {
                throw new ModuleException("Failed to find required executable \"git\" in paths");
            } else if (rest.equals("checkout")) {
                checkout = true;
            } else if (rest.startsWith("head ")) {
                head = rest.substring(5).trim();
                head = head.isEmpty() ? null : head;
            } else if (rest.startsWith("url ")) {
                url = rest.substring(4).trim();
            } else if (rest.startsWith("branch ")) {
                branch = rest.substring(7).trim();
            } else if (rest.equals("mods")) {
                mods = true;
            } else if (rest.startsWith("lsrc ")) {
                rc = Integer.parseInt(rest.substring(5).trim());
            } else if (rest.startsWith("err ")) {
                err.append(rest.substring(4)).append('\n');
            } else if (rest.startsWith("ref ")) {
                String ref = rest.substring(4);
                int tab = ref.indexOf('\t');
                if (ref.startsWith("ref: ") && tab > 0 && ref.substring(tab + 1).equals("HEAD")) {
                    headBranch = ref.substring(5, tab).replaceFirst("^refs/heads/", "");
                } else if (tab > 0) {
                    refs.put(ref.substring(tab + 1), ref.substring(0, tab));
                }
            }
        }
        return new State(checkout, head, url, branch, mods, refs, headBranch, rc, err.toString());
    }
}
