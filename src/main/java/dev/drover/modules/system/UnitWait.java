package dev.drover.modules.system;

import dev.drover.connection.ShellQuote;
import java.util.List;
import java.util.Map;

/**
 * The shell script that starts (or restarts) units and waits until they are up, shared by
 * {@code quadlet} and {@code systemd_service}: one round trip that runs {@code systemctl VERB},
 * then polls each unit ({@code systemctl show}: ActiveState, SubState, NRestarts, Type, Result)
 * every 0.2 s and fails as soon as one is {@code failed}, sits in {@code auto-restart}, restarted
 * on its own since the verb (NRestarts grew), or is {@code inactive} after a start job that failed.
 *
 * <p>A unit counts as up when it is {@code active} on {@value #SETTLE_POLLS} polls in a row (≈ 1 s:
 * a {@code Type=simple} unit whose process dies at once is {@code active} for an instant), or at once
 * for a {@code Type=oneshot} unit (active there means it ran), or {@code inactive} after a start job
 * that succeeded (a oneshot without RemainAfterExit). A unit with a podman container to wait for
 * ({@code health}: unit → container name) is up when {@code podman inspect} also says the
 * container is {@code healthy}; {@code unhealthy} fails at once with podman's health log. No
 * health status (the container is gone: it crashed and systemd restarts it) keeps it pending, so
 * its restart is seen (measured on the lab's Debian 13 VMs: a container that crashed after its
 * unit settled was taken for up); a {@code Type=oneshot} unit without one runs no container.
 *
 * <p>On failure the script prints, on stderr, why for each unit that failed: systemctl's own words
 * (the start job's error), the unit's state, and its last 20 journal lines
 * ({@code journalctl [--user] -u UNIT -n 20}); where no journal line is readable (no journald, or
 * none for the user) it says so and prints {@code systemctl status} instead. Nothing more runs on
 * success: the diagnostics cost nothing when the units come up. Secrets in those lines are masked
 * by drover's output (the run's vault values), like every other message.
 *
 * <p>While it polls, the script reports the units it still waits for and their ActiveState
 * ("waiting for web.service: activating") through {@link dev.drover.connection.Shell#PROGRESS_FUNCTION}
 * each time that changes: the live status line on a terminal.
 */
final class UnitWait {
    /** Polls (0.2 s apart) a unit must be active in a row to count as up, unless it is a oneshot. */
    static final int SETTLE_POLLS = 5;
    /** How many journal lines the failure message carries per unit. */
    static final int JOURNAL_LINES = 20;

    private UnitWait() {
    }

    /**
     * @param env       the environment prefix ({@link UserManager#ENV} for scope user, else empty)
     * @param systemctl {@code systemctl} with its scope flag ({@code systemctl --user}), no env
     * @param timeout   seconds for the verb and the wait together; 0: the verb is not bounded and
     *                  the wait after it lasts up to 90 s
     * @param health    units whose podman container must become healthy: unit → container name
     */
    static String script(String env, String systemctl, String verb, List<String> units, int timeout,
                         Map<String, String> health) {
        boolean user = systemctl.contains("--user");
        String journalctl = "journalctl" + (user ? " --user" : "");
        String list = String.join(" ", units.stream().map(ShellQuote::quote).toList());
        String names = String.join(" ", units);
        int limit = timeout > 0 ? timeout : 90;
        StringBuilder s = new StringBuilder(env);
        // why UNIT: its journal lines, or systemctl status where none is readable
        s.append("why() { j=$(").append(journalctl).append(" -q --no-pager -n ").append(JOURNAL_LINES)
                .append(" -u \"$1\" 2>/dev/null); ")
                .append("if [ -n \"$j\" ]; then printf '%s\\n' \"--- $1: its last journal lines (")
                .append(journalctl).append(" -u $1 -n ").append(JOURNAL_LINES).append("):\" \"$j\"; ")
                .append("else je=$(").append(journalctl).append(" -q --no-pager -n 1 -u \"$1\" 2>&1 >/dev/null | head -n 2 | tr '\\n' ' '); ")
                .append("printf '%s\\n' \"--- $1: no journal lines readable (").append(journalctl)
                .append(" -u $1: ${je:-no entries}); ").append(systemctl).append(" status $1:\"; ")
                .append(systemctl).append(" status --no-pager -n ").append(JOURNAL_LINES)
                .append(" -- \"$1\" 2>&1 | head -n 40; fi; }\n");
        // st UNIT: its state into ActiveState, SubState, NRestarts, Type, Result (values are [A-Za-z0-9_-])
        s.append("st() { ActiveState=; SubState=; NRestarts=0; Type=; Result=; eval \"$(").append(systemctl)
                .append(" show -p ActiveState,SubState,NRestarts,Type,Result -- \"$1\" 2>/dev/null | sed -n "
                        + "'s/^\\(ActiveState\\|SubState\\|NRestarts\\|Type\\|Result\\)=\\([A-Za-z0-9_-]*\\)$/\\1=\\2/p')\"; }\n");
        if (!health.isEmpty()) {
            s.append("hlog() { podman inspect --format '{{range .State.Health.Log}}{{.Start}} exit code {{.ExitCode}}: "
                    + "{{.Output}}{{\"\\n\"}}{{end}}' -- \"$1\" 2>&1 | tail -n 5; }\n");
        }
        s.append("d=$(( $(date +%s) + ").append(limit).append(" ))\n");
        // the restart counters before the verb: a unit that restarts on its own after it failed
        for (int i = 0; i < units.size(); i++) {
            s.append("st ").append(ShellQuote.quote(units.get(i))).append("; n").append(i)
                    .append("=${NRestarts:-0}; c").append(i).append("=0; h").append(i).append("=\n");
        }
        s.append("err=$(").append(timeout > 0 ? "timeout " + timeout + " " : "").append(systemctl).append(' ')
                .append(verb).append(" -- ").append(list).append(" 2>&1 >/dev/null); rc=$?\n");
        s.append("if [ $rc -eq 124 ]; then echo \"").append(verb).append(" of ").append(names)
                .append(" did not finish within ").append(timeout).append(" s (wait_timeout)\" >&2; for u in ")
                .append(list).append("; do why \"$u\" >&2; done; exit 1; fi\n");
        s.append("while :; do pending=; bad=; msgs=; pm=\n");
        for (int i = 0; i < units.size(); i++) {
            String u = ShellQuote.quote(units.get(i));
            String shown = units.get(i);
            s.append("u=").append(u).append("; st \"$u\"; ")
                    // a start after a stop flushes the counter: count from there
                    .append("if [ \"${NRestarts:-0}\" -lt \"$n").append(i).append("\" ] 2>/dev/null; then n").append(i).append("=0; fi; ")
                    .append("if [ \"${NRestarts:-0}\" -gt \"$n").append(i).append("\" ] 2>/dev/null; then bad=\"$bad $u\"; ")
                    .append("msgs=\"${msgs}").append(shown).append(" restarted on its own $((NRestarts - n").append(i)
                    .append(")) time(s) since ").append(verb).append(" (its process exited; now $ActiveState/$SubState)\n\"; ")
                    .append("else case \"$ActiveState\" in ")
                    .append("failed) bad=\"$bad $u\"; msgs=\"${msgs}").append(shown).append(" failed after ").append(verb)
                    .append(" (Result=$Result)\n\" ;; ")
                    .append("activating) if [ \"$SubState\" = auto-restart ]; then bad=\"$bad $u\"; msgs=\"${msgs}")
                    .append(shown).append(" is restarting after a failure (activating/auto-restart, Result=$Result)\n\"; ")
                    .append("else pending=\"$pending $u\"; fi; c").append(i).append("=0 ;; ")
                    .append("inactive) if [ $rc -ne 0 ]; then bad=\"$bad $u\"; msgs=\"${msgs}").append(shown)
                    .append(" is inactive after ").append(verb).append(" (the start job failed)\n\"; fi ;; ")
                    .append("active) if [ \"$Type\" != oneshot ] && [ $c").append(i).append(" -lt ").append(SETTLE_POLLS)
                    .append(" ]; then c").append(i).append("=$((c").append(i).append(" + 1)); pending=\"$pending $u\"; ");
            String container = health.get(units.get(i));
            if (container != null) {
                String c = ShellQuote.quote(container);
                s.append("elif [ -z \"$h").append(i).append("\" ]; then hs=$(podman inspect --format '{{.State.Health.Status}}' -- ")
                        .append(c).append(" 2>/dev/null); case \"$hs\" in healthy) h").append(i).append("=1 ;; ")
                        // no status: a oneshot is no container's unit; else the container is gone (restarting)
                        .append("'') if [ \"$Type\" = oneshot ]; then h").append(i).append("=1; else pending=\"$pending $u\"; fi ;; ")
                        .append("unhealthy) bad=\"$bad $u\"; msgs=\"${msgs}").append(shown).append(": its container ")
                        .append(container).append(" is unhealthy; podman's health log:\n$(hlog ").append(c).append(")\n\" ;; ")
                        .append("*) pending=\"$pending $u\" ;; esac; ");
            }
            s.append("fi ;; *) pending=\"$pending $u\"; c").append(i).append("=0 ;; esac; fi\n");
            // what the wait is on, for the progress line: "waiting for web.service: activating"
            s.append("case \"$pending \" in *\" $u \"*) pm=\"$pm, $u: $ActiveState\" ;; esac\n");
        }
        // reported when it changes only (a poll is 0.2 s)
        s.append("if [ -n \"$pm\" ] && [ \"$pm\" != \"$lp\" ]; then ").append(dev.drover.connection.Shell.PROGRESS_FUNCTION)
                .append(" \"waiting for ${pm#, }\" 2>/dev/null; lp=$pm; fi\n");
        s.append("if [ -n \"$bad\" ]; then { if [ -n \"$err\" ]; then printf '%s\\n' \"$err\" | grep -v '^See '; fi; "
                + "printf '%s' \"$msgs\"; for u in $bad; do why \"$u\"; done; } >&2; exit 1; fi\n");
        s.append("[ -z \"$pending\" ] && exit 0\n");
        s.append("if [ $(date +%s) -ge $d ]; then { echo \"still not up ").append(limit)
                .append(" s after ").append(verb).append(timeout > 0 ? " (wait_timeout)" : "")
                .append(":$pending\"; for u in $pending; do st \"$u\"; echo \"$u is $ActiveState/$SubState\"; why \"$u\"; done; } >&2; exit 1; fi\n");
        s.append("sleep 0.2; done");
        return s.toString();
    }
}
