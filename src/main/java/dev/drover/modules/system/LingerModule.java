package dev.drover.modules.system;

import dev.drover.connection.ConnectionException;
import dev.drover.connection.ShellQuote;
import dev.drover.module.Args;
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
import dev.drover.module.WriteFile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * drover's own {@code linger} (Ansible has none): a user's systemd manager runs from boot, without
 * a login session. Linger is the file {@code /var/lib/systemd/linger/USER}: read to decide, then
 * {@code loginctl enable-linger|disable-linger USER} (as root) to change it, which also starts or
 * stops the user's manager. In a check run the file is simulated, and the user's manager counts as
 * freshly started (it loads every unit file: no daemon-reload is due for files written before).
 */
public final class LingerModule implements Module {
    public static final String LINGER_DIR = "/var/lib/systemd/linger/";

    private static final ModuleSpec SPEC = new ModuleSpec("linger", List.of(), List.of(
            Param.required("user", ParamType.STR).withAliases("name"),
            Param.of("state", ParamType.STR).withDefault("enabled").withChoices("enabled", "disabled")), null, false);

    @Override
    public ModuleSpec spec() {
        return SPEC;
    }

    @Override
    public Plan plan(ModuleContext ctx) throws ModuleException, ConnectionException {
        Args a = ctx.args();
        HostView host = ctx.host();
        String user = a.requireStr("user");
        String state = a.str("state");
        if (!user.matches("[A-Za-z0-9_][A-Za-z0-9_.-]*\\$?")) {
            throw new ModuleException("'" + user + "' is not a valid user name");
        }
        String path = LINGER_DIR + user;
        boolean lingering = host.file(path).exists();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("user", user);
        v.put("state", state);
        v.put("path", path);
        if (state.equals("enabled")) {
            if (host.user(user).isEmpty()) {
                throw new ModuleException("user " + user + " does not exist");
            }
            if (lingering) {
                return Plan.nothing("linger is enabled for " + user, v);
            }
            return Plan.builder().values(v)
                    .change(new Exec("loginctl enable-linger " + user,
                            ShellCommand.of("loginctl enable-linger " + ShellQuote.quote(user)), (s, u) -> {
                                s.putFile(new FileState(path, FileState.Kind.FILE, "0644", "root", "root", 0,
                                        WriteFile.sha1(new byte[0]), null), new byte[0]);
                                s.markReloaded("user:" + user); // logind starts a fresh manager: it loads every unit file
                            }, false))
                    .reason("enable linger for " + user).build();
        }
        if (!lingering) {
            return Plan.nothing("linger is disabled for " + user, v);
        }
        return Plan.builder().values(v)
                .change(new Exec("loginctl disable-linger " + user,
                        ShellCommand.of("loginctl disable-linger " + ShellQuote.quote(user)),
                        (s, u) -> s.remove(path), false))
                .reason("disable linger for " + user).build();
    }
}
