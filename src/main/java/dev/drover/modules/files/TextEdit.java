package dev.drover.modules.files;

import dev.drover.connection.ConnectionException;
import dev.drover.module.Args;
import dev.drover.module.Change;
import dev.drover.module.FileState;
import dev.drover.module.HostView;
import dev.drover.module.MakeDirectory;
import dev.drover.module.ModuleContext;
import dev.drover.module.ModuleException;
import dev.drover.module.Param;
import dev.drover.module.ParamType;
import dev.drover.module.WriteFile;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the modules that edit a text file in place share (blockinfile, replace): the file common
 * parameters, reading the file through the view (links followed, as {@code os.path.realpath}),
 * planning the write with validate and backup, then Ansible's {@code check_file_attrs} message.
 */
final class TextEdit {
    private TextEdit() {
    }

    /** The file common arguments Ansible adds with {@code add_file_common_args}, plus backup/validate. */
    static List<Param> commonParams() {
        return FileParams.with(
                Param.of("backup", ParamType.BOOL).withDefault(false),
                Param.of("validate", ParamType.STR));
    }

    /** A file read for editing: its state (the link's final path) and content, null when absent. */
    record Target(String path, FileState state, String content) {
    }

    static Target read(ModuleContext ctx, String path) throws ConnectionException {
        HostView host = ctx.host();
        FileState target = FileSupport.follow(host, path);
        String content = target.isFile()
                ? host.read(target.path()).map(b -> new String(b, StandardCharsets.UTF_8)).orElse("") : null;
        return new Target(path, target, content);
    }

    /**
     * The changes that give the file {@code content}: missing parent directories (a new file),
     * the write (with validate/backup in one install step), or only the attributes when the
     * content is already right. Returns the message with Ansible's attribute suffix.
     */
    static String plan(ModuleContext ctx, Target t, String content, String msg, List<Change> changes)
            throws ModuleException, ConnectionException {
        Args a = ctx.args();
        String mode = a.mode("mode");
        String owner = a.str("owner");
        String group = a.str("group");
        String validate = a.str("validate");
        boolean exists = t.state().exists();
        boolean contentChanged = !exists || !content.equals(t.content());
        if (contentChanged) {
            if (validate != null && !validate.contains("%s")) {
                throw new ModuleException("validate must contain %s: " + validate);
            }
            if (!exists) {
                String parent = FileSupport.parent(t.path());
                if (parent != null) {
                    for (String d : FileSupport.missingDirectories(ctx.host(), parent)) {
                        changes.add(new MakeDirectory(d, null, null, null));
                    }
                }
            }
            WriteFile write = new WriteFile(exists ? t.state().path() : t.path(),
                    content.getBytes(StandardCharsets.UTF_8), mode, owner, group, FileSupport.replaced(t.state()));
            boolean backup = a.bool("backup") && exists;
            changes.add(validate != null || backup ? new InstallFile(write, validate, backup) : write);
            if (exists && FileSupport.attributes(ctx, t.state(), mode, owner, group, false).isPresent()) {
                msg = (msg.isEmpty() ? "" : msg + " and ") + "ownership, perms or SE linux context changed";
            }
            return msg;
        }
        Optional<Change> attrs = FileSupport.attributes(ctx, t.state(), mode, owner, group, false);
        if (attrs.isPresent()) {
            changes.add(attrs.get());
            msg = (msg.isEmpty() ? "" : msg + " and ") + "ownership, perms or SE linux context changed";
        }
        return msg;
    }

    /**
     * Maps the applied changes: a failed validation becomes blockinfile's and replace's message
     * ({@code failed to validate: rc:1 error:...}), a backup is returned as {@code backup_file}.
     */
    static Map<String, Object> results(Map<String, Object> planned, List<Change> changes,
                                       List<dev.drover.connection.CommandResult> results, String path)
            throws ModuleException {
        try {
            return InstallFile.mapResults(planned, changes, results, path);
        } catch (ModuleException e) {
            if (e.getMessage().equals("failed to validate")) {
                throw new ModuleException("failed to validate: rc:" + e.values().get("exit_status") + " error:"
                        + e.values().get("stderr"));
            }
            throw e;
        }
    }

    /** Python's {@code bytes.splitlines(True)}: lines with their endings, split at \n, \r\n and \r. */
    static List<String> splitLines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                lines.add(text.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < text.length()) {
            lines.add(text.substring(start));
        }
        return lines;
    }
}
