package dev.drover.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A test host for {@code linger} and {@code systemd_service scope: user}: a real
 * {@code systemd --user} manager for a test user, on a machine without systemd as PID 1 and
 * without logind (the recipe of ../shared/NOTES.md).
 *
 * <p><b>Stand-in for logind.</b> logind does not run here, so the real {@code loginctl
 * enable-linger} fails ("Failed to connect to bus"). {@link #binDir()} holds a small
 * {@code loginctl} script that does what logind does for linger: {@code enable-linger USER}
 * creates {@code /var/lib/systemd/linger/USER} and starts USER's manager in the background (as
 * logind starts {@code user@UID.service}); {@code disable-linger USER} removes the file, stops the
 * manager and removes {@code /run/user/UID}. Tests put that directory first on the PATH of the
 * playbook they run (a play {@code environment}), and only there: drover itself knows nothing of it.
 *
 * <p>{@link #close()} stops the manager this fixture's stand-in started (by its pid, recorded in
 * {@link #stateDir()}), and removes the linger file and the user's unit files.
 */
public final class UserManagerFixture implements AutoCloseable {
    /** Not drover-test: other suites use that user, and a manager of its own keeps runs apart. */
    public static final String USER = "drover-svc";

    private final String user;
    private final Path dir;
    private int uid;
    private String home;

    private UserManagerFixture(String user, Path dir, int uid, String home) {
        this.user = user;
        this.dir = dir;
        this.uid = uid;
        this.home = home;
    }

    /** Skips (fails under CI=true) without root, systemd, setpriv or sudo; then a fresh host for {@link #USER}. */
    public static UserManagerFixture start() throws IOException, InterruptedException {
        return start(USER);
    }

    /**
     * As {@link #start()} for another test user (created when missing): suites that run at the same
     * time on one machine each keep their own user and manager.
     */
    public static UserManagerFixture start(String user) throws IOException, InterruptedException {
        Requirements.requireRoot();
        Requirements.requireSudo();
        Requirements.require("systemd (/lib/systemd/systemd, systemctl: apt-get install systemd)",
                Files.isExecutable(Path.of("/lib/systemd/systemd")) && Files.isExecutable(Path.of("/usr/bin/systemctl")));
        Requirements.require("setpriv (apt-get install util-linux)", Files.isExecutable(Path.of("/usr/bin/setpriv")));
        SshServerFixture.ensureUser(user);
        return prepare(user);
    }

    /**
     * As {@link #start(String)} for a user that does not exist yet (a playbook under test creates
     * it): the stand-in {@code loginctl} is ready; the uid and home are read once the user exists.
     */
    public static UserManagerFixture forUserToBeCreated(String user) throws IOException, InterruptedException {
        Requirements.requireRoot();
        Requirements.requireSudo();
        Requirements.require("systemd (/lib/systemd/systemd, systemctl: apt-get install systemd)",
                Files.isExecutable(Path.of("/lib/systemd/systemd")) && Files.isExecutable(Path.of("/usr/bin/systemctl")));
        Requirements.require("setpriv (apt-get install util-linux)", Files.isExecutable(Path.of("/usr/bin/setpriv")));
        return prepare(user);
    }

    private static UserManagerFixture prepare(String user) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("drover-usermgr");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        UserManagerFixture f = new UserManagerFixture(user, dir, -1, null);
        f.writeLoginctl();
        f.reset();
        return f;
    }

    /** Reads the user's uid and home when the user exists; false when it does not. */
    private boolean lookUp() throws IOException, InterruptedException {
        if (uid >= 0) {
            return true;
        }
        Process p = new ProcessBuilder("getent", "passwd", user).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0 || out.isEmpty()) {
            return false;
        }
        String[] pw = out.split(":");
        uid = Integer.parseInt(pw[2]);
        home = pw[5];
        return true;
    }

    private void requireUser() {
        try {
            if (!lookUp()) {
                throw new IllegalStateException("user " + user + " does not exist");
            }
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The directory of the stand-in {@code loginctl}: put it first on the playbook's PATH. */
    public String user() {
        return user;
    }

    public Path binDir() {
        return dir.resolve("bin");
    }

    public Path stateDir() {
        return dir;
    }

    public int uid() {
        requireUser();
        return uid;
    }

    public String home() {
        requireUser();
        return home;
    }

    public Path lingerFile() {
        return Path.of("/var/lib/systemd/linger", user);
    }

    /** The pid of the manager the stand-in started, if it runs. */
    public java.util.Optional<ProcessHandle> manager() throws IOException {
        Path pid = dir.resolve("manager-" + user + ".pid");
        if (!Files.exists(pid)) {
            return java.util.Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(Files.readString(pid).trim())).filter(ProcessHandle::isAlive);
    }

    /** {@code systemctl --user ARGS} as the user, against its manager: exit code and output. */
    public String systemctl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("sudo", "-n", "-u", user, "-H", "env",
                "XDG_RUNTIME_DIR=/run/user/" + uid(), "systemctl", "--user"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    /** A fresh host: no manager, no linger, no unit files of the user. */
    public void reset() throws IOException, InterruptedException {
        stopManager();
        Files.deleteIfExists(lingerFile());
        if (lookUp()) {
            deleteTree(Path.of(home, ".config", "systemd"));
            deleteTree(Path.of("/run/user/" + uid));
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            reset();
        } finally {
            deleteTree(dir);
        }
    }

    private void stopManager() throws IOException, InterruptedException {
        java.util.Optional<ProcessHandle> m = manager();
        if (m.isPresent()) {
            ProcessHandle h = m.get();
            h.destroy(); // SIGTERM: a user manager stops its units and exits
            try {
                h.onExit().get(15, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                h.destroyForcibly();
            }
        }
        Files.deleteIfExists(dir.resolve("manager-" + user + ".pid"));
    }

    private void writeLoginctl() throws IOException {
        Path bin = Files.createDirectories(binDir());
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        String script = """
                #!/bin/sh
                # drover's TEST STAND-IN for logind's loginctl (logind does not run on this test host).
                # enable-linger USER: create /var/lib/systemd/linger/USER and start USER's systemd --user
                #   manager in the background, as logind starts user@UID.service (../shared/NOTES.md's recipe);
                # disable-linger USER: remove the file, stop that manager, remove /run/user/UID.
                set -e
                state=@STATE@
                cmd=$1; shift
                [ "$1" = "--" ] && shift
                user=$1
                uid=$(id -u "$user")
                pidfile=$state/manager-$user.pid
                case "$cmd" in
                enable-linger)
                  mkdir -p /var/lib/systemd/linger
                  touch /var/lib/systemd/linger/"$user"
                  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then exit 0; fi
                  home=$(getent passwd "$user" | cut -d: -f6)
                  mkdir -p /run/systemd/system /run/user/"$uid"
                  chown "$user" /run/user/"$uid"; chmod 700 /run/user/"$uid"
                  for h in systemd unified; do
                    d=/sys/fs/cgroup/$h/user.slice/user-$uid.slice/user@$uid.service
                    mkdir -p "$d" && chown -R "$user" "$d" || true
                  done
                  setsid sh -c 'for h in systemd unified; do echo $$ > /sys/fs/cgroup/$h/user.slice/user-'"$uid"'.slice/user@'"$uid"'.service/cgroup.procs 2>/dev/null || true; done
                    exec setpriv --reuid='"$uid"' --regid='"$uid"' --init-groups env -i HOME='"$home"' USER='"$user"' XDG_RUNTIME_DIR=/run/user/'"$uid"' PATH=/usr/bin:/bin /lib/systemd/systemd --user' \\
                    </dev/null >"$state/manager-$user.log" 2>&1 &
                  echo $! > "$pidfile"
                  ;;
                disable-linger)
                  rm -f /var/lib/systemd/linger/"$user"
                  if [ -f "$pidfile" ]; then
                    pid=$(cat "$pidfile"); kill "$pid" 2>/dev/null || true
                    i=0; while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
                    kill -9 "$pid" 2>/dev/null || true
                    rm -f "$pidfile"
                  fi
                  rm -rf /run/user/"$uid"
                  ;;
                *) echo "loginctl stand-in: $cmd is not supported" >&2; exit 1 ;;
                esac
                """.replace("@STATE@", dir.toString());
        Path loginctl = bin.resolve("loginctl");
        Files.writeString(loginctl, script);
        Files.setPosixFilePermissions(loginctl, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path x : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }
}
