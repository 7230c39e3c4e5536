package dev.drover.modules.files;

import dev.drover.connection.CommandResult;
import dev.drover.connection.ConnectionException;
import dev.drover.connection.ShellQuote;
import dev.drover.module.Args;
import dev.drover.module.Change;
import dev.drover.module.FileState;
import dev.drover.module.Module;
import dev.drover.module.ModuleContext;
import dev.drover.module.ModuleException;
import dev.drover.module.ModuleSpec;
import dev.drover.module.Param;
import dev.drover.module.ParamType;
import dev.drover.module.Plan;
import dev.drover.module.ShellCommand;
import dev.drover.module.SimulatedState;
import dev.drover.module.WriteFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ansible.builtin.fetch: a file on the host to the controller, as Ansible 2.14's fetch action:
 * {@code dest/HOSTNAME/SRC} (relative dest from the playbook's directory), or with {@code flat}
 * dest itself (dest/basename(src) for a dest ending in /). The plan compares the host file's
 * SHA-1 (one stat through the view) with the controller file's; the change reads the file
 * ({@code cat}, through the host's shell), and the result mapper — run by the engine only after
 * a real run — writes it on the controller (a temp file beside it, then a rename) and checks the
 * checksum ({@code validate_checksum}). Skipped in check mode, as Ansible does.
 */
public final class FetchModule implements Module {
    private static final ModuleSpec SPEC = ModuleSpec.of("fetch",
            Param.required("src", ParamType.STR),
            Param.required("dest", ParamType.STR),
            Param.of("flat", ParamType.BOOL).withDefault(false),
            Param.of("fail_on_missing", ParamType.BOOL).withDefault(true),
            Param.of("validate_checksum", ParamType.BOOL).withDefault(true));

    @Override
    public ModuleSpec spec() {
        return SPEC;
    }

    @Override
    public Plan plan(ModuleContext ctx) throws ModuleException, ConnectionException {
        Args a = ctx.args();
        String source = FileSupport.expand(ctx, a.requireStr("src"));
        String destArg = a.requireStr("dest");
        boolean failOnMissing = a.bool("fail_on_missing");
        FileState remote = ctx.host().fileFollow(source);
        if (remote.isDirectory()) {
            String msg = "remote file is a directory, fetch cannot work on directories";
            if (!failOnMissing) {
                return skipInCheck(Plan.nothing(msg, Map.of("msg", msg + ", not transferring, ignored", "changed", false)));
            }
            return failsWhenRun(source, msg, Map.of("changed", false));
        }
        if (!remote.isFile() || remote.sha1() == null) {
            String msg = "the remote file does not exist, not transferring, ignored";
            if (!failOnMissing) {
                return skipInCheck(Plan.nothing(msg, Map.of("msg", msg, "file", source, "changed", false)));
            }
            return failsWhenRun(source, msg, Map.of("file", source, "changed", false));
        }
        Path base = Path.of(String.valueOf(ctx.evaluate("playbook_dir")));
        Path dest;
        if (a.bool("flat")) {
            String d = destArg;
            Path local = base.resolve(d);
            if (Files.isDirectory(local) && !d.endsWith("/")) {
                throw new ModuleException("dest is an existing directory, use a trailing slash if you want to fetch src"
                        + " into that directory");
            }
            if (d.endsWith("/")) {
                d = d + FileSupport.basename(source);
            }
            dest = base.resolve(d).normalize();
        } else {
            dest = Path.of(base.resolve(destArg) + "/" + ctx.hostName() + "/" + source).normalize();
        }
        String remoteChecksum = remote.sha1();
        String localChecksum = sha1(dest);
        Map<String, Object> values = new LinkedHashMap<>();
        if (remoteChecksum.equals(localChecksum)) {
            values.put("changed", false);
            values.put("md5sum", md5(dest));
            values.put("file", source);
            values.put("dest", dest.toString());
            values.put("checksum", localChecksum);
            return skipInCheck(Plan.nothing(dest + " is as on the host", values));
        }
        boolean validate = a.bool("validate_checksum");
        Read read = new Read(source, dest.toString());
        return Plan.builder().change(read).reason("fetch " + source + " to " + dest)
                .check(Plan.CheckBehaviour.SKIP).value("msg", "check mode not (yet) supported for this module")
                .mapper((planned, results) -> write(results.get(0), dest, source, remoteChecksum, validate))
                .build();
    }

    /**
     * A failure Ansible reports only outside check mode (its fetch skips first): a plan that is
     * skipped in check mode and fails when run, without changing anything.
     */
    private static Plan failsWhenRun(String source, String msg, Map<String, Object> values) {
        return Plan.builder().change(new Read(source, "(nothing)")).check(Plan.CheckBehaviour.SKIP)
                .value("msg", "check mode not (yet) supported for this module").reason(msg)
                .mapper((planned, results) -> {
                    throw new ModuleException(msg, values);
                }).build();
    }

    /** Ansible's fetch skips in check mode whatever the file's state. */
    private static Plan skipInCheck(Plan p) {
        return new Plan(p.changes(), p.values(), p.diffs(), p.reason(), Plan.CheckBehaviour.SKIP, p.mapper());
    }

    private static Map<String, Object> write(CommandResult r, Path dest, String source, String remoteChecksum,
                                             boolean validate) throws ModuleException {
        if (!r.succeeded()) {
            throw new ModuleException("Failed to fetch the file: " + r.err().trim(), Map.of("file", source));
        }
        byte[] data = r.stdout();
        try {
            Files.createDirectories(dest.getParent());
            Path tmp = Files.createTempFile(dest.getParent(), "." + dest.getFileName() + ".", ".drover");
            try {
                Files.write(tmp, data);
                java.nio.file.attribute.PosixFileAttributeView view =
                        Files.getFileAttributeView(tmp, java.nio.file.attribute.PosixFileAttributeView.class);
                if (view != null && !Files.exists(dest)) {
                    view.setPermissions(java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
                }
                Files.move(tmp, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new ModuleException("Failed to fetch the file: " + e.getMessage());
        }
        String checksum = WriteFile.sha1(data);
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("md5sum", md5(dest));
        if (validate && !checksum.equals(remoteChecksum)) {
            v.put("file", source);
            v.put("dest", dest.toString());
            v.put("remote_md5sum", null);
            v.put("checksum", checksum);
            v.put("remote_checksum", remoteChecksum);
            throw new ModuleException("checksum mismatch", v);
        }
        v.put("changed", true);
        v.put("dest", dest.toString());
        v.put("remote_md5sum", null);
        v.put("checksum", checksum);
        v.put("remote_checksum", remoteChecksum);
        return v;
    }

    private static String sha1(Path p) {
        try {
            return Files.isRegularFile(p) ? WriteFile.sha1(Files.readAllBytes(p)) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String md5(Path p) {
        try {
            if (!Files.isRegularFile(p)) {
                return null;
            }
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(p)));
        } catch (IOException | NoSuchAlgorithmException e) {
            return null;
        }
    }

    /** Reads the host file through the shell (its bytes are what the mapper writes on the controller). */
    record Read(String source, String dest) implements Change {
        @Override
        public String describe() {
            return "fetch " + source + " to " + dest;
        }

        @Override
        public ShellCommand command() {
            return ShellCommand.of("exec cat -- " + ShellQuote.quote(source));
        }

        @Override
        public void simulate(SimulatedState state, String user) {
            // the controller's file is not part of the host's simulated state (and check mode skips fetch)
        }

        @Override
        public boolean exitCodeIsResult() {
            return true;
        }
    }

}
