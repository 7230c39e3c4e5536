package dev.drover.modules.files;

import dev.drover.connection.CommandResult;
import dev.drover.connection.ShellQuote;
import dev.drover.module.Change;
import dev.drover.module.ModuleException;
import dev.drover.module.ShellCommand;
import dev.drover.module.SimulatedState;
import dev.drover.module.WriteFile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link WriteFile} with Ansible's extras, in one script so that nothing is installed when
 * validation fails: the content goes to a temp file beside the destination, {@code validate}
 * runs on it ({@code %s} = the temp file), then an existing destination is backed up as
 * {@code dest.<pid>.<YYYY-mm-dd@HH:MM:SS>~}, then the write happens.
 *
 * <p>The exit code is data ({@link #exitCodeIsResult()}): {@link #check} turns it into the
 * task's failure, so the engine must not apply further changes of a failed plan.
 */
public record InstallFile(WriteFile write, String validate, boolean backup) implements Change {
    static final int VALIDATE_FAILED = 97;
    static final String BACKUP_MARK = "drover-backup:";

    @Override
    public String describe() {
        return (validate != null ? "validate and " : "") + write.describe() + (backup ? " (with backup)" : "");
    }

    @Override
    public ShellCommand command() {
        String p = ShellQuote.quote(write.path());
        StringBuilder s = new StringBuilder("set -e; v=$(mktemp ")
                .append(ShellQuote.quote(write.path() + ".drover-validate.XXXXXX"))
                .append("); trap 'rm -f \"$v\"' EXIT; cat > \"$v\"; ");
        if (validate != null) {
            // %s becomes the temp file; the rest is the user's command line, as Ansible runs it
            String cmd = validate.replace("%s", "\"$v\"");
            s.append("set +e; ( ").append(cmd).append(" ); rc=$?; set -e; if [ $rc -ne 0 ]; then echo \"rc=$rc\" >&2; exit ")
                    .append(VALIDATE_FAILED).append("; fi; ");
        }
        if (backup) {
            s.append("if [ -e ").append(p).append(" ]; then b=").append(p)
                    .append(".$$.$(date +%Y-%m-%d@%H:%M:%S)~; cp -p -- ").append(p)
                    .append(" \"$b\"; printf '").append(BACKUP_MARK).append("%s\\n' \"$b\"; fi; ");
        }
        s.append("( ").append(write.command().script()).append(" ) < \"$v\"");
        return new ShellCommand(s.toString(), write.content());
    }

    @Override
    public void simulate(SimulatedState state, String user) {
        write.simulate(state, user);
    }

    @Override
    public boolean exitCodeIsResult() {
        return true;
    }

    /** The backup file's name, when one was made. */
    static String backupFile(CommandResult r) {
        for (String line : r.out().split("\n")) {
            if (line.startsWith(BACKUP_MARK)) {
                return line.substring(BACKUP_MARK.length());
            }
        }
        return null;
    }

    /** Fails the task as Ansible does when the install script failed. */
    static void check(CommandResult r, String path) throws ModuleException {
        if (r.exitCode() == VALIDATE_FAILED) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("exit_status", r.err().replaceAll("(?s).*rc=(\\d+)\\s*$", "$1"));
            v.put("stdout", r.out());
            v.put("stderr", r.err().replaceAll("rc=\\d+\\s*$", ""));
            throw new ModuleException("failed to validate", v);
        }
        if (r.exitCode() != 0) {
            throw new ModuleException("failed to write " + path + ": " + r.err().trim());
        }
    }

    /** Maps an applied plan whose changes may include an InstallFile: checks it, reports the backup. */
    static Map<String, Object> mapResults(Map<String, Object> planned, List<Change> changes,
                                          List<CommandResult> results, String path) throws ModuleException {
        Map<String, Object> out = new LinkedHashMap<>(planned);
        for (int i = 0; i < changes.size() && i < results.size(); i++) {
            if (changes.get(i) instanceof InstallFile) {
                check(results.get(i), path);
                String b = backupFile(results.get(i));
                if (b != null) {
                    out.put("backup_file", b);
                }
            }
        }
        return out;
    }

}
