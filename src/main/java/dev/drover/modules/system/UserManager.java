package dev.drover.modules.system;

import dev.drover.module.ModuleException;

/**
 * What every module that talks to a user's {@code systemd --user} manager shares: the environment
 * systemctl needs under {@code become_user} without a login session, the probe fragment that finds
 * the manager (waiting while linger is on and logind brings it up), its answers, and the failures
 * a person can act on.
 */
public final class UserManager {
    /** How long a probe waits for a user's manager while linger is enabled (logind starts it asynchronously). */
    public static final int MANAGER_WAIT_SECONDS = 30;

    /** Shell prefix for {@code systemctl --user}: the user's runtime dir and bus, set by drover. */
    public static final String ENV = "export XDG_RUNTIME_DIR=/run/user/\"$(id -u)\" "
            + "DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/\"$(id -u)\"/bus; ";

    private UserManager() {
    }

    /**
     * Probe fragment (after {@link #ENV}): prints {@code UID=N}, {@code LINGER=yes} when the user
     * lingers, then {@code MANAGER=up}, or {@code MANAGER=absent} and ends the probe ({@code exit 0}).
     */
    public static String probeFragment() {
        return "echo \"UID=$(id -u)\"; l=; if [ -e /var/lib/systemd/linger/\"$(id -un)\" ]; then l=1; echo LINGER=yes; fi; "
                + "i=0; up=; while :; do "
                + "if [ -S \"$XDG_RUNTIME_DIR/systemd/private\" ] && systemctl --user show -P Version >/dev/null 2>&1; "
                + "then up=1; break; fi; "
                + "if [ -z \"$l\" ] || [ $i -ge " + MANAGER_WAIT_SECONDS * 5 + " ]; then break; fi; "
                + "sleep 0.2; i=$((i+1)); done; "
                + "if [ -z \"$up\" ]; then echo MANAGER=absent; exit 0; fi; echo MANAGER=up; ";
    }

    /** What {@link #probeFragment()} said. */
    public record Status(String uid, boolean linger, boolean managerUp) {
        /** Reads the fragment's lines out of a probe's whole output. */
        public static Status parse(String out) {
            String uid = "?";
            boolean linger = false;
            boolean up = true;
            for (String line : out.split("\n")) {
                if (line.startsWith("UID=")) {
                    uid = line.substring(4);
                } else if (line.equals("LINGER=yes")) {
                    linger = true;
                } else if (line.equals("MANAGER=absent")) {
                    up = false;
                }
            }
            return new Status(uid, linger, up);
        }
    }

    /** The manager did not come up although linger is on. */
    public static ModuleException notStarted(String who, String uid) {
        return new ModuleException("the systemd --user manager of " + who + " (uid " + uid
                + ") is not running " + MANAGER_WAIT_SECONDS + " s after linger was enabled: see "
                + "'systemctl status user@" + uid + ".service' and 'journalctl -u user@" + uid
                + ".service' (as root)");
    }

    /** No manager and no linger: what to do about it. */
    public static ModuleException missing(String who, String uid) {
        return new ModuleException("no systemd --user manager for " + who + " (uid " + uid
                + "): enable linger first (the linger module, or 'loginctl enable-linger " + who
                + "' as root), or log " + who + " in");
    }
}
