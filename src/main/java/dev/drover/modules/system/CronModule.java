package dev.drover.modules.system;

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
import dev.drover.module.RemovePath;
import dev.drover.module.ShellCommand;
import dev.drover.module.WriteFile;
import dev.drover.modules.files.FileSupport;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * ansible.builtin.cron, following Ansible's CronTab class: jobs are found by their
 * {@code #Ansible: NAME} comment line (so drover and Ansible manage the same entries), env
 * variables by {@code NAME=} lines. A user's crontab is read with {@code crontab [-u USER] -l}
 * (one probe; Ansible's header lines dropped) and installed with {@code crontab [-u USER] -} (the
 * text on stdin); a {@code cron_file} (in /etc/cron.d unless absolute) is written like any file
 * and removed when its last job goes. In check mode a crontab installed by an earlier step is read
 * from the simulation (as the spool file /var/spool/cron/crontabs/USER).
 */
public final class CronModule implements Module {
    private static final ModuleSpec SPEC = new ModuleSpec("cron", List.of(), List.of(
            Param.required("name", ParamType.STR),
            Param.of("user", ParamType.STR),
            Param.of("job", ParamType.STR).withAliases("value"),
            Param.of("cron_file", ParamType.PATH),
            Param.of("state", ParamType.STR).withDefault("present").withChoices("present", "absent"),
            Param.of("backup", ParamType.BOOL).withDefault(false),
            Param.of("minute", ParamType.STR).withDefault("*"),
            Param.of("hour", ParamType.STR).withDefault("*"),
            Param.of("day", ParamType.STR).withDefault("*").withAliases("dom"),
            Param.of("month", ParamType.STR).withDefault("*"),
            Param.of("weekday", ParamType.STR).withDefault("*").withAliases("dow"),
            Param.of("special_time", ParamType.STR).withChoices("reboot", "yearly", "annually", "monthly", "weekly",
                    "daily", "hourly"),
            Param.of("disabled", ParamType.BOOL).withDefault(false),
            Param.of("env", ParamType.BOOL).withDefault(false),
            Param.of("insertafter", ParamType.STR),
            Param.of("insertbefore", ParamType.STR)), null, false);
    private static final String ANSIBLE = "#Ansible: ";
    /** Where Debian's cron keeps a user's crontab: the simulated state's name for it. */
    static final String SPOOL = "/var/spool/cron/crontabs/";

    @Override
    public ModuleSpec spec() {
        return SPEC;
    }

    @Override
    public Plan plan(ModuleContext ctx) throws ModuleException, ConnectionException {
        Args a = ctx.args();
        String name = a.requireStr("name");
        String user = a.str("user");
        String job = a.str("job");
        String cronFile = a.str("cron_file");
        boolean install = a.str("state").equals("present");
        String special = a.str("special_time");
        boolean env = a.bool("env");
        String after = a.str("insertafter");
        String before = a.str("insertbefore");
        if (after != null && before != null) {
            throw new ModuleException("parameters are mutually exclusive: insertafter|insertbefore");
        }
        List<String> warnings = new ArrayList<>();
        String file = null;
        if (cronFile != null) {
            if (cronFile.equals("/etc/crontab")) {
                throw new ModuleException("Will not manage /etc/crontab via cron_file, see documentation.");
            }
            String base = FileSupport.basename(cronFile);
            if (!base.matches("(?i)[A-Z0-9_-]+")) {
                warnings.add("Filename portion of cron_file (\"" + base + "\") should consist solely of upper- and "
                        + "lower-case letters, digits, underscores, and hyphens");
            }
            file = cronFile.startsWith("/") ? cronFile : "/etc/cron.d/" + cronFile;
        }
        HostView host = ctx.host();
        String me = host.user();
        Crontab tab = read(host, file, user, me);

        if (special != null && !(a.str("minute").equals("*") && a.str("hour").equals("*") && a.str("day").equals("*")
                && a.str("month").equals("*") && a.str("weekday").equals("*"))) {
            throw new ModuleException("You must specify time and date fields or special time.");
        }
        if (install) {
            if (file != null && user == null) {
                throw new ModuleException("To use cron_file=... parameter you must specify user=... as well");
            }
            if (job == null) {
                throw new ModuleException("You must specify 'job' to install a new cron job or variable");
            }
            if ((after != null || before != null) && !env) {
                throw new ModuleException("Insertafter and insertbefore parameters are valid only with env=yes");
            }
        }
        boolean changed = false;
        List<String> lines = tab.lines;
        if (env) {
            if (name.contains(" ")) {
                throw new ModuleException("Invalid name for environment variable");
            }
            String decl = name + "=\"" + job + "\"";
            int old = findEnv(lines, name);
            if (install) {
                if (old < 0) {
                    addEnv(lines, decl, after, before);
                    changed = true;
                } else if (!lines.get(old).equals(decl)) {
                    tab.lines = lines = updateEnv(lines, name, decl);
                    changed = true;
                }
            } else if (old >= 0) {
                tab.lines = lines = updateEnv(lines, name, null);
                changed = true;
            }
        } else if (install) {
            String stripped = stripNewlines(job);
            if (stripped.contains("\r") || stripped.contains("\n")) {
                warnings.add("Job should not contain line breaks");
            }
            String line = cronJob(a, stripped, special, file != null ? user : null);
            List<String> old = findJob(lines, name, line);
            if (old.isEmpty()) {
                lines.add(ANSIBLE + name);
                lines.add(line);
                changed = true;
            }
            if (!old.isEmpty() && !old.get(1).equals(line) || old.size() > 2) {
                tab.lines = lines = updateJob(lines, name, line);
                changed = true;
            }
        } else {
            List<String> old = findJob(lines, name, null);
            if (!old.isEmpty()) {
                tab.lines = lines = updateJob(lines, name, null);
                changed = true;
                if (file != null && lines.stream().allMatch(String::isBlank)) {
                    Map<String, Object> v = new LinkedHashMap<>();
                    v.put("cron_file", cronFile);
                    v.put("state", "absent");
                    Plan.Builder p = Plan.builder().values(v).change(new RemovePath(file)).reason("cron file removed");
                    if (ctx.wantsDiff()) {
                        p.diff(new Diff(file, "/dev/null", tab.existing, ""));
                    }
                    return p.build();
                }
            }
        }
        if (!changed && !tab.existing.isEmpty() && !(tab.existing.endsWith("\r") || tab.existing.endsWith("\n"))) {
            changed = true;
        }
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("jobs", jobNames(lines));
        values.put("envs", envNames(lines));
        values.put("warnings", warnings);
        if (cronFile != null) {
            values.put("cron_file", cronFile);
        }
        if (!changed) {
            return Plan.nothing("crontab already as asked", values);
        }
        String rendered = render(lines);
        byte[] bytes = rendered.getBytes(StandardCharsets.UTF_8);
        Plan.Builder plan = Plan.builder().values(values);
        if (a.bool("backup")) {
            plan.change(new Exec("back up the crontab", new ShellCommand("set -e; b=$(mktemp /tmp/crontabXXXXXXXX); cat > \"$b\"; "
                    + "printf '%s' \"$b\"", tab.existing.getBytes(StandardCharsets.UTF_8)), null, false));
            plan.mapper((planned, results) -> {
                Map<String, Object> v = new LinkedHashMap<>(planned);
                v.put("backup_file", results.isEmpty() ? "" : results.get(0).out());
                return v;
            });
        }
        String header;
        if (file != null) {
            FileState target = host.file(file);
            plan.change(new WriteFile(file, bytes, target.exists() ? null : "0644", null, null, FileSupport.replaced(target)));
            header = file;
        } else {
            String owner = user != null ? user : me;
            String script = "crontab " + (user != null && !user.equals(me) ? "-u " + ShellQuote.quote(user) + " " : "") + "-";
            String spool = SPOOL + owner;
            plan.change(new Exec("install the crontab of " + owner, new ShellCommand(script, bytes),
                    (state, as) -> state.putFile(new FileState(spool, FileState.Kind.FILE, "0600", owner, "crontab",
                            bytes.length, WriteFile.sha1(bytes), null), bytes), false));
            header = user != null ? "crontab for user \"" + user + "\"" : "crontab";
        }
        if (ctx.wantsDiff()) {
            plan.diff(new Diff(header, header, tab.existing, rendered));
        }
        return plan.reason("crontab changed").build();
    }

    /** The crontab as read: its text (headers dropped) and lines. */
    static final class Crontab {
        String existing = "";
        List<String> lines = new ArrayList<>();
    }

    private static Crontab read(HostView host, String file, String user, String me)
            throws ModuleException, ConnectionException {
        Crontab t = new Crontab();
        if (file != null) {
            CommandResult has = host.probe("command -v crontab >/dev/null 2>&1 && echo yes");
            requireCrontab(has);
            Optional<byte[]> content = host.read(file);
            if (content.isPresent()) {
                t.existing = new String(content.get(), StandardCharsets.UTF_8);
                t.lines = new ArrayList<>(splitLines(t.existing));
            }
            return t;
        }
        String owner = user != null ? user : me;
        if (host.recordedFile(SPOOL + owner).isPresent()) { // installed by an earlier step of this check run
            t.existing = host.read(SPOOL + owner).map(b -> new String(b, StandardCharsets.UTF_8)).orElse("");
            t.lines = new ArrayList<>(splitLines(t.existing));
            return t;
        }
        String u = user != null && !user.equals(me) ? "-u " + ShellQuote.quote(user) + " " : "";
        CommandResult r = host.probe("command -v crontab >/dev/null 2>&1 && echo yes && crontab " + u + "-l");
        requireCrontab(r);
        String out = r.out().substring(r.out().indexOf('\n') + 1);
        if (r.exitCode() != 0 && r.exitCode() != 1) {
            throw new ModuleException("Unable to read crontab");
        }
        t.existing = out;
        int count = 0;
        for (String l : splitLines(out)) {
            if (count > 2 || !(Pattern.compile("# DO NOT EDIT THIS FILE - edit the master and reinstall.").matcher(l).lookingAt()
                    || Pattern.compile("# \\(/tmp/.*installed on.*\\)").matcher(l).lookingAt()
                    || Pattern.compile("# \\(.*version.*\\)").matcher(l).lookingAt())) {
                t.lines.add(l);
            } else {
                t.existing = Pattern.compile(Pattern.quote(l) + "[\r\n]?").matcher(t.existing).replaceFirst("");
            }
            count++;
        }
        return t;
    }

    private static void requireCrontab(CommandResult r) throws ModuleException {
        if (!r.out().startsWith("yes")) {
            throw new ModuleException("Failed to find required executable \"crontab\" in paths: "
                    + "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin (apt-get install cron)");
        }
    }

    /** str.splitlines(): \n, \r\n and \r end lines; no empty last line. */
    static List<String> splitLines(String s) {
        List<String> out = new ArrayList<>();
        if (s.isEmpty()) {
            return out;
        }
        for (String l : s.split("\r\n|\r|\n", -1)) {
            out.add(l);
        }
        if (s.endsWith("\n") || s.endsWith("\r")) {
            out.remove(out.size() - 1);
        }
        return out;
    }

    private static String stripNewlines(String s) {
        int a = 0;
        int b = s.length();
        while (a < b && (s.charAt(a) == '\r' || s.charAt(a) == '\n')) {
            a++;
        }
        while (b > a && (s.charAt(b - 1) == '\r' || s.charAt(b - 1) == '\n')) {
            b--;
        }
        return s.substring(a, b);
    }

    private static String cronJob(Args a, String job, String special, String fileUser) throws ModuleException {
        String prefix = a.bool("disabled") ? "#" : "";
        String who = fileUser != null ? fileUser + " " : "";
        if (special != null) {
            return prefix + "@" + special + " " + who + job;
        }
        return prefix + a.str("minute") + " " + a.str("hour") + " " + a.str("day") + " " + a.str("month") + " "
                + a.str("weekday") + " " + who + job;
    }

    /** find_job: [comment, job] for the named entry; [comment, job, adopted] when the job line had no marker. */
    static List<String> findJob(List<String> lines, String name, String job) {
        String comment = null;
        for (String l : lines) {
            if (comment != null) {
                if (comment.equals(name)) {
                    return List.of(comment, l);
                }
                comment = null;
            } else if (l.startsWith(ANSIBLE)) {
                comment = l.substring(ANSIBLE.length());
            }
        }
        if (job != null) {
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).equals(job)) {
                    String prev = lines.get(i == 0 ? lines.size() - 1 : i - 1);
                    if (!prev.startsWith(ANSIBLE)) {
                        lines.add(i, ANSIBLE + name);
                        return List.of(lines.get(i), job, "True");
                    } else if (!name.isEmpty() && prev.equals(ANSIBLE + "None")) {
                        lines.set(i == 0 ? lines.size() - 1 : i - 1, ANSIBLE + name);
                        return List.of(ANSIBLE + name, job, "True");
                    }
                }
            }
        }
        return List.of();
    }

    /** _update_job: the named entry's job line replaced by {@code job} (or removed when null), its marker kept. */
    static List<String> updateJob(List<String> lines, String name, String job) {
        List<String> out = new ArrayList<>();
        String comment = null;
        for (String l : lines) {
            if (comment != null) {
                if (job != null) {
                    out.add(comment);
                    out.add(job);
                }
                comment = null;
            } else if (l.equals(ANSIBLE + name)) {
                comment = l;
            } else {
                out.add(l);
            }
        }
        return out;
    }

    private static int findEnv(List<String> lines, String name) {
        Pattern p = Pattern.compile("^" + name + "=");
        for (int i = 0; i < lines.size(); i++) {
            if (p.matcher(lines.get(i)).lookingAt()) {
                return i;
            }
        }
        return -1;
    }

    private static void addEnv(List<String> lines, String decl, String after, String before) throws ModuleException {
        if (after == null && before == null) {
            lines.add(0, decl);
            return;
        }
        String other = after != null ? after : before;
        int i = findEnv(lines, other);
        if (i < 0) {
            throw new ModuleException("Variable named '" + other + "' not found.");
        }
        lines.add(after != null ? i + 1 : i, decl);
    }

    private static List<String> updateEnv(List<String> lines, String name, String decl) {
        Pattern p = Pattern.compile("^" + name + "=");
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            if (p.matcher(l).lookingAt()) {
                if (decl != null) {
                    out.add(decl);
                }
            } else {
                out.add(l);
            }
        }
        return out;
    }

    private static List<Object> jobNames(List<String> lines) {
        List<Object> out = new ArrayList<>();
        for (String l : lines) {
            if (l.startsWith(ANSIBLE)) {
                out.add(l.substring(ANSIBLE.length()));
            }
        }
        return out;
    }

    private static List<Object> envNames(List<String> lines) {
        List<Object> out = new ArrayList<>();
        for (String l : lines) {
            if (l.matches("^\\S+=.*")) {
                out.add(l.split("=", -1)[0]);
            }
        }
        return out;
    }

    static String render(List<String> lines) {
        String result = String.join("\n", lines);
        if (!result.isEmpty()) {
            int end = result.length();
            while (end > 0 && (result.charAt(end - 1) == '\r' || result.charAt(end - 1) == '\n')) {
                end--;
            }
            result = result.substring(0, end) + "\n";
        }
        return result;
    }
}
