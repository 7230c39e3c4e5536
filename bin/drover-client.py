# drover's light thin client: hands a `drover run …` to the resident drover of this process's
# identity, relays its output, prompts and Ctrl-C, and exits with the run's exit code. The same
# protocol as the JVM thin client (src/main/java/dev/drover/daemon/Client.java, Wire.java,
# Identity.java), in Python because an interpreter starts in ~15 ms where a JVM takes 70-110 ms.
#
#   /usr/bin/python3 -I -S drover-client.py JAR JAVA JAVA_VERSION -- ARGS...
#
# bin/drover runs it (README, "The resident drover"); JAVA is the java bin/drover would start (its
# java.home is the directory above the real path's bin/) and JAVA_VERSION that Java's version as its
# `release` file says (java.version).
# Exit codes: the run's; 213 when the daemon did not take the command line (busy, another
# version: drover then runs it itself); 214 when no daemon of the identity computed here is up
# (bin/drover then asks the JVM thin client, whose identity is the daemon's by construction).
# Only standard modules that load fast (no site, no hashlib/socket/signal wrappers).
import os
import sys
import _socket
import _signal
import struct
import pwd

try:
    from _sha2 import sha256  # Python 3.12+
except ImportError:
    try:
        from _sha256 import sha256
    except ImportError:
        from hashlib import sha256

WIRE_VERSION = 1  # Wire.VERSION
REQUEST, ANSWER, INTERRUPT = b'Q', b'A', b'I'
STDOUT, STDERR, PROMPT, EXIT, REFUSED = ord('O'), ord('E'), ord('P'), ord('X'), ord('R')
SECRET, TERMINAL, TERMINAL_HIDDEN = 0, 1, 2
# Identity.IGNORED
IGNORED = {"_", "SHLVL", "OLDPWD", "HYPERFINE_RANDOMIZED_ENVIRONMENT_OFFSET", "DROVER_DAEMON_DEBUG"}
NOT_SERVED, NO_DAEMON, ERROR, INTERRUPTED = 213, 214, 1, 99


def debug(why):
    if "DROVER_DAEMON_DEBUG" in os.environ:
        os.write(2, ("drover daemon (light client): %s\n" % why).encode("utf-8", "replace"))


def environment():
    """The environment as this process was started with it (Python may add LC_CTYPE to os.environ)."""
    env = {}
    try:
        with open("/proc/self/environ", "rb") as f:
            raw = f.read()
    except OSError:
        raw = b"\0".join(k + b"=" + v for k, v in os.environb.items())
    for entry in raw.split(b"\0"):
        if b"=" in entry:
            k, v = entry.split(b"=", 1)
            env[k.decode("utf-8", "replace")] = v.decode("utf-8", "replace")
    return env


def umask():
    try:
        with open("/proc/self/status", "rb") as f:
            for line in f:
                if line.startswith(b"Umask:"):
                    return line[6:].strip().decode()
    except OSError:
        pass
    return "?"


def utf16_key(s):
    return s.encode("utf-16-be")  # Java's TreeMap orders Strings by UTF-16 code units


def identity(jar, java_home, java_version, env, user):
    """Identity.key(): the daemon's socket name for this process."""
    st = os.stat(jar)
    process = "\0".join(["wire %d" % WIRE_VERSION, jar, str(st.st_size), str(st.st_mtime_ns // 1000000),
                         java_home, java_version, user.pw_name, os.getcwd(), umask()]) + "\0"
    parts = [process]
    for k in sorted(env, key=utf16_key):
        if k not in IGNORED:
            parts.append(k + "=" + env[k] + "\0")
    return sha256("".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:24]


def daemon_dir(env, user):
    """Identity.dir()."""
    own = env.get("DROVER_DAEMON_DIR")
    if own:
        return own
    run = env.get("XDG_RUNTIME_DIR")
    if run and os.path.isdir(run) and os.access(run, os.W_OK):
        return os.path.join(run, "drover")
    cache = env.get("XDG_CACHE_HOME") or os.path.join(user.pw_dir, ".cache")
    return os.path.join(cache, "drover", "daemon")


def send(sock, kind, payload):
    sock.sendall(kind + struct.pack(">i", len(payload)) + payload)


def recv_exactly(sock, n):
    buf = bytearray()
    while len(buf) < n:
        try:
            chunk = sock.recv(min(n - len(buf), 1 << 16))
        except OSError:
            return None  # reset: the daemon is gone
        if not chunk:
            return None
        buf += chunk
    return bytes(buf)


BROKEN = set()  # our fds whose reader went away (drover run … | head)


def write_all(fd, data):
    """Writes all of data; after a failure (a closed pipe) the fd's output is dropped and the run
    goes on, as in a drover process of its own, never a reason to run it again."""
    if fd in BROKEN:
        return
    view = memoryview(data)
    try:
        while view:
            n = os.write(fd, view)
            view = view[n:]
    except OSError:
        BROKEN.add(fd)


def java_utf(s):
    b = s.encode("utf-8")
    return struct.pack(">H", len(b)) + b


def request(key, args, console):
    out = [struct.pack(">i", WIRE_VERSION), java_utf(key), struct.pack(">q", os.getpid()),
           b"\1" if console else b"\0", struct.pack(">i", len(args))]
    for a in args:
        b = os.fsencode(a)
        out.append(struct.pack(">i", len(b)) + b)
    return b"".join(out)


def stdin_line():
    line = sys.stdin.buffer.readline()
    return line.decode("utf-8", "replace").rstrip("\r\n") if line else None


def read_line(prompt, hidden, to_terminal):
    """Prompter.askHere / askOnTerminal: None when nobody can answer."""
    if to_terminal:
        if hidden:
            try:
                import getpass
                return getpass.getpass(prompt)
            except (EOFError, OSError):
                return None
        write_all(1, prompt.encode("utf-8"))
        return stdin_line()
    write_all(2, prompt.encode("utf-8"))
    line = stdin_line()
    write_all(2, b"\n")
    return line


def answer(sock, payload, console):
    kind, prompt = payload[0], payload[1:].decode("utf-8", "replace")
    if kind == SECRET:
        a = read_line(prompt, True, console)
    elif console:
        a = read_line(prompt, kind == TERMINAL_HIDDEN, True)
    else:
        a = None
    send(sock, ANSWER, b"\0" if a is None else b"\1" + a.encode("utf-8"))


def main(argv):
    if len(argv) < 4 or argv[3] != "--":
        os.write(2, b"usage: drover-client.py JAR JAVA JAVA_VERSION -- ARGS...\n")
        return 5
    jar, java, java_version, args = argv[0], argv[1], argv[2], argv[4:]
    java_home = os.path.dirname(os.path.dirname(os.path.realpath(java)))
    env = environment()
    user = pwd.getpwuid(os.getuid())
    try:
        key = identity(os.path.realpath(jar), java_home, java_version, env, user)
    except OSError as e:
        debug("no identity: %s" % e)
        return NO_DAEMON
    path = os.path.join(daemon_dir(env, user), key + ".sock")
    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        sock.connect(path)
    except OSError as e:
        debug("no resident drover at %s: %s" % (path, e))
        return NO_DAEMON
    console = os.isatty(0) and os.isatty(1)
    try:
        send(sock, REQUEST, request(key, args, console))
    except OSError as e:
        debug("the resident drover did not take the request: %s" % e)
        return NOT_SERVED
    interrupts = [0]

    def on_sigint(signum, frame):
        try:
            send(sock, INTERRUPT, b"")
        except OSError:
            pass  # the daemon is gone: nothing left to stop
        interrupts[0] += 1
        if interrupts[0] >= 2:
            os._exit(INTERRUPTED)

    _signal.signal(_signal.SIGINT, on_sigint)
    started = False
    while True:
        head = recv_exactly(sock, 5)
        kind, length = (head[0], struct.unpack(">i", head[1:])[0]) if head else (None, 0)
        if length < 0 or length > 64 << 20:
            write_all(2, b"ERROR! bad frame from the resident drover\n")
            return ERROR
        payload = recv_exactly(sock, length) if head and length else b""
        if head is None or payload is None:
            if not started:
                return NOT_SERVED
            log = path[:-len(".sock")] + ".log"
            write_all(2, ("ERROR! the resident drover ended during the run (its log: %s)\n" % log)
                      .encode("utf-8", "replace"))
            return ERROR
        if kind == REFUSED:
            debug("the resident drover refused: %s" % payload.decode("utf-8", "replace"))
            return NOT_SERVED
        if kind == EXIT:
            return struct.unpack(">i", payload)[0]
        started = True
        if kind == STDOUT:
            write_all(1, payload)
        elif kind == STDERR:
            write_all(2, payload)
        elif kind == PROMPT:
            try:
                answer(sock, payload, console)
            except OSError:
                pass  # the daemon is gone: the next read says so


if __name__ == "__main__":
    os._exit(main(sys.argv[1:]))
