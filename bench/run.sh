#!/usr/bin/env bash
# Times bench/playbook.yml with drover, ansible-playbook and ansible-playbook + mitogen side by side on
# N lab hosts.
#
#   bench/run.sh [--hosts 1,10] [--runs N] [--no-ansible] [--no-mitogen] [--no-resident] [--facts] [--ping] [--phases]
#                [--plain-java] [--user U] [--keep]
#
# drover is measured twice: "drover", a process of its own for every run (DROVER_DAEMON=0: what a
# first run, CI and scripts get), and "resident", the same command line served by the resident drover
# (DROVER_DAEMON=1; started and warmed by unmeasured runs on the same hosts, so it holds their SSH
# sessions, as after a user's previous run). The resident's CPU is the client's plus the daemon's, its
# RSS the daemon's.
# mitogen: Debian's ansible-mitogen (apt-get install ansible-mitogen), its mitogen_linear strategy,
# what Ansible users pick for speed; left out with a note when it is not installed.
# Lab hosts: one OpenSSH sshd (own config, generated host and client keys in a temp dir) listening
# on 127.0.0.1 … 127.0.0.N at one port (sshd listens on 16 addresses at most: beyond 16 hosts, labNN
# uses 127.0.0.((NN-1) % 16 + 1); each host still gets its own SSH connection from drover, while
# ansible's ControlMaster, keyed by address, would share one); each inventory host labNN has its own root directory
# (host var `root`), so N hosts share this machine. Each measurement is a first run on fresh roots,
# then a rerun that should change nothing; --runs N repeats it and reports medians.
# Wall-clock from the shell, drover's peak RSS from /usr/bin/time -v (or /proc if that is missing).
# --facts adds the playbook with gather_facts: true; --ping a one-task `ping` playbook (the
# issue's "one-task ping", start-up and connection alone); --phases adds drover's time per phase (start-up,
# parse, template warm-up, connect, tasks) from bench/Phases.java, compiled into the temp dir.
# drover runs through its launcher bin/drover (AppCDS archive + C1, as users run it; the archive is
# trained before any timing); --plain-java times `java -jar target/drover.jar` instead.
# Both tools log in as the lab user (--user, default drover-bench: created when missing, with bash
# and Debian's default dot files, like an account on a fresh server). Not root: root's ~/.bashrc on
# this machine runs `pyenv init`, ≈ 150 ms of CPU for every SSH session (bash sources it for
# commands run by sshd), which a lab host should not have; `--user root` measures with it.
# The table also gives drover's CPU time and the lab's during drover's runs and the resident's
# (sshd sessions, shells and the processes they run, all on this machine: a real fleet spends it on
# its own hosts).
# Prints a table on stdout; run as root (sshd on loopback, the lab user). Cleans up on exit.
set -euo pipefail

HOSTS_LIST="1,10"
RUNS=1
WITH_ANSIBLE=1
WITH_MITOGEN=1
WITH_RESIDENT=1
MITOGEN_STRATEGIES=/usr/lib/python3/dist-packages/ansible_mitogen/plugins/strategy
WITH_FACTS=0
WITH_PING=0
WITH_PHASES=0
KEEP=0
PLAIN_JAVA=0
LAB_USER=drover-bench
TOOL_TIMEOUT=${BENCH_TIMEOUT:-1200}   # seconds, per tool run

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }
while [ $# -gt 0 ]; do
    case "$1" in
        --hosts) HOSTS_LIST="$2"; shift 2 ;;
        --hosts=*) HOSTS_LIST="${1#*=}"; shift ;;
        --runs) RUNS="$2"; shift 2 ;;
        --runs=*) RUNS="${1#*=}"; shift ;;
        --no-ansible) WITH_ANSIBLE=0; WITH_MITOGEN=0; shift ;;
        --no-mitogen) WITH_MITOGEN=0; shift ;;
        --no-resident) WITH_RESIDENT=0; shift ;;
        --facts) WITH_FACTS=1; shift ;;
        --ping) WITH_PING=1; shift ;;
        --phases) WITH_PHASES=1; shift ;;
        --keep) KEEP=1; shift ;;
        --plain-java) PLAIN_JAVA=1; shift ;;
        --user) LAB_USER="$2"; shift 2 ;;
        --user=*) LAB_USER="${1#*=}"; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "bench/run.sh: unknown option $1" >&2; usage >&2; exit 5 ;;
    esac
done
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "--runs wants a positive number" >&2; exit 5; }
IFS=',' read -r -a HOSTS <<< "$HOSTS_LIST"
MAXN=0
for n in "${HOSTS[@]}"; do
    [[ "$n" =~ ^[1-9][0-9]*$ && "$n" -le 250 ]] || { echo "--hosts wants numbers 1..250, got '$n'" >&2; exit 5; }
    [ "$n" -gt "$MAXN" ] && MAXN=$n
done
NADDR=$(( MAXN < 16 ? MAXN : 16 ))   # sshd's MAX_LISTEN_SOCKS is 16
[ "$(id -u)" = 0 ] || { echo "bench/run.sh: run as root (sshd with root logins on loopback)" >&2; exit 1; }

REPO=$(cd "$(dirname "$0")/.." && pwd)
JAR="$REPO/target/drover.jar"
PLAYBOOK_DIR="$REPO/bench"
log() { echo "[bench] $*" >&2; }

if [ ! -f "$JAR" ]; then
    log "building $JAR"
    (cd "$REPO" && mvn -B -q package -DskipTests) >&2
fi
if [ "$PLAIN_JAVA" = 1 ]; then
    DROVER=(java -jar "$JAR")
else
    DROVER=("$REPO/bin/drover")
    "$REPO/bin/drover" --version >/dev/null || { log "bin/drover --version failed"; exit 1; }   # trains the archive now
fi
if [ "$WITH_ANSIBLE" = 1 ] && ! command -v ansible-playbook >/dev/null; then
    log "ansible-playbook not found: running drover only (apt-get install ansible-core)"
    WITH_ANSIBLE=0
    WITH_MITOGEN=0
fi
if [ "$WITH_MITOGEN" = 1 ] && [ ! -f "$MITOGEN_STRATEGIES/mitogen_linear.py" ]; then
    log "ansible-mitogen not found: no mitogen column (apt-get install ansible-mitogen)"
    WITH_MITOGEN=0
fi
TIME_BIN=""
if [ -x /usr/bin/time ] && /usr/bin/time -v true 2>/dev/null; then
    TIME_BIN=/usr/bin/time
else
    log "/usr/bin/time missing (apt-get install time): peak RSS read from /proc instead"
fi

if ! id "$LAB_USER" >/dev/null 2>&1; then
    log "creating the lab user $LAB_USER"
    useradd -m -s /bin/bash "$LAB_USER"
fi
# ours: unlocked (sshd refuses a locked account) but without a password; another user is left as it is
[ "$LAB_USER" = drover-bench ] && usermod -p '*' "$LAB_USER"
WORK=$(mktemp -d /tmp/bench.XXXXXX)
chmod 755 "$WORK"
SSHD_PID=""
cleanup() {
    local rc=$?
    [ -d "${WORK:-}/daemon" ] && env DROVER_DAEMON=1 DROVER_DAEMON_DIR="$WORK/daemon" "${DROVER[@]}" daemon stop > /dev/null 2>&1
    if [ -n "$SSHD_PID" ] && kill -0 "$SSHD_PID" 2>/dev/null; then
        kill "$SSHD_PID" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$SSHD_PID" 2>/dev/null || break; sleep 0.1; done
    fi
    if [ "$KEEP" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- the lab: one sshd on 127.0.0.1..N ---------------------------------------------------------
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
PORT=$(free_port)
ssh-keygen -q -t ed25519 -N '' -f "$WORK/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$WORK/client_key"
cp "$WORK/client_key.pub" "$WORK/authorized_keys"
{
    echo "Port $PORT"
    for i in $(seq 1 "$NADDR"); do echo "ListenAddress 127.0.0.$i"; done
    echo "HostKey $WORK/host_key"
    echo "PidFile $WORK/sshd.pid"
    echo "AuthorizedKeysFile $WORK/authorized_keys"
    echo "UsePAM no"
    echo "StrictModes no"
    echo "PermitRootLogin prohibit-password"
    echo "PasswordAuthentication no"
    echo "KbdInteractiveAuthentication no"
    echo "MaxSessions 200"
    echo "MaxStartups 200:30:400"
    echo "Subsystem sftp internal-sftp"
    echo "LogLevel ERROR"
} > "$WORK/sshd_config"
HOSTKEY_PUB=$(cut -d' ' -f1,2 "$WORK/host_key.pub")
for i in $(seq 1 "$NADDR"); do echo "[127.0.0.$i]:$PORT $HOSTKEY_PUB"; done > "$WORK/known_hosts"
mkdir -p /run/sshd
/usr/sbin/sshd -f "$WORK/sshd_config" -E "$WORK/sshd.log"
for _ in $(seq 1 100); do [ -s "$WORK/sshd.pid" ] && break; sleep 0.05; done
SSHD_PID=$(cat "$WORK/sshd.pid" 2>/dev/null || true)
[ -n "$SSHD_PID" ] || { log "sshd did not start:"; cat "$WORK/sshd.log" >&2; exit 1; }
ok=0
for _ in $(seq 1 100); do
    if ssh -i "$WORK/client_key" -p "$PORT" -o BatchMode=yes -o UserKnownHostsFile="$WORK/known_hosts" \
        -o StrictHostKeyChecking=yes -o ConnectTimeout=2 "$LAB_USER@127.0.0.$NADDR" true 2>/dev/null; then ok=1; break; fi
    sleep 0.1
done
[ "$ok" = 1 ] || { log "cannot ssh to the lab sshd:"; cat "$WORK/sshd.log" >&2; exit 1; }
log "sshd pid $SSHD_PID on 127.0.0.1..$NADDR port $PORT"

# ---- playbooks ----------------------------------------------------------------------------------
mkdir -p "$WORK/pb"
cp -r "$PLAYBOOK_DIR/playbook.yml" "$PLAYBOOK_DIR/templates" "$WORK/pb/"
sed 's/^  gather_facts: false/  gather_facts: true/' "$PLAYBOOK_DIR/playbook.yml" > "$WORK/pb/playbook-facts.yml"
grep -q '^  gather_facts: true' "$WORK/pb/playbook-facts.yml" || { log "facts variant not made"; exit 1; }
printf -- '- name: One task\n  hosts: all\n  gather_facts: false\n  tasks:\n    - ping:\n' > "$WORK/pb/ping.yml"
STEPS=$(grep -c '^    - name:' "$PLAYBOOK_DIR/playbook.yml")

# inventory N TOOL RUNDIR: labNN hosts, each with its own root under RUNDIR
inventory() {
    local n=$1 dir=$2 i
    {
        echo "[lab]"
        for i in $(seq 1 "$n"); do
            printf 'lab%02d ansible_host=127.0.0.%d root=%s/lab%02d\n' "$i" $(( (i - 1) % NADDR + 1 )) "$dir" "$i"
        done
        echo
        echo "[lab:vars]"
        echo "ansible_port=$PORT"
        echo "ansible_user=$LAB_USER"
        echo "ansible_ssh_private_key_file=$WORK/client_key"
        echo "drover_known_hosts=$WORK/known_hosts"
        echo "ansible_ssh_common_args='-o UserKnownHostsFile=$WORK/known_hosts -o StrictHostKeyChecking=yes'"
        echo "ansible_python_interpreter=/usr/bin/python3"
    } > "$dir.ini"
}

export ANSIBLE_PIPELINING=1 ANSIBLE_HOST_KEY_CHECKING=True ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0
export ANSIBLE_LOCAL_TEMP="$WORK/ansible-local" ANSIBLE_REMOTE_TMP="$WORK/ansible-remote"
mkdir -p "$WORK/ansible-remote" "$WORK/roots"
chown "$LAB_USER" "$WORK/ansible-remote" "$WORK/roots"
printf "[defaults]\n" > "$WORK/ansible.cfg"
export ANSIBLE_SSH_CONTROL_PATH_DIR="$WORK/cp" ANSIBLE_CONFIG="$WORK/ansible.cfg"
export NO_COLOR=1

# lab_ticks: the CPU clock ticks the lab hosts have spent so far (sshd, its sessions, their shells and
# what they run): user + system time of sshd and of each live process under it, plus what each of
# them reaped. Every tick is counted once, by the process while it lives, then by the one that
# reaped it; so the difference over a run is the lab's CPU in it, sessions kept open (the resident
# drover's) included.
lab_ticks() {
    # a process that ends between the glob and its read makes cat fail: not an error here
    { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v root="$SSHD_PID" '
        { pid = $1; line = $0; sub(/^.*\) /, "", line); split(line, f, " ")
          parent[pid] = f[2]; ticks[pid] = f[12] + f[13] + f[14] + f[15] }
        END { for (p in ticks) { q = p; for (d = 0; d < 64 && q != root && q > 1; d++) q = parent[q]
                                 if (q == root) s += ticks[p] }
              print s + 0 }'
}

# timed LABEL CMD...: runs CMD, sets T_WALL (s), T_RSS (MB), T_RC, T_CHANGED (sum over the recap), T_FAILED
timed() {
    local label=$1; shift
    local out="$WORK/out/$label" t0 t1 h0
    mkdir -p "$WORK/out"
    h0=$(lab_ticks)
    # the resident drover's CPU (not a child of the timed command): its own utime + stime (DAEMON_PID:
    # a global set by the caller)
    local dpid d0=0
    dpid=${DAEMON_PID:-}
    [ -n "$dpid" ] && d0=$(awk '{ print $14 + $15 }' "/proc/$dpid/stat" 2>/dev/null || echo 0)
    t0=$(date +%s%N)
    set +e
    if [ -n "$TIME_BIN" ]; then
        timeout "$TOOL_TIMEOUT" "$TIME_BIN" -v -o "$out.time" "$@" > "$out.log" 2>&1
        T_RC=$?
    else
        timeout "$TOOL_TIMEOUT" "$@" > "$out.log" 2>&1 &
        local pid=$! peak=0 cur
        while kill -0 "$pid" 2>/dev/null; do   # bounded by the timeout above
            for p in $(pgrep -P "$pid" 2>/dev/null) "$pid"; do
                cur=$(awk '/^VmHWM:/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)
                [ "${cur:-0}" -gt "$peak" ] && peak=$cur
            done
            sleep 0.02
        done
        wait "$pid"; T_RC=$?
        echo "Maximum resident set size (kbytes): $peak" > "$out.time"
    fi
    set -e
    t1=$(date +%s%N)
    T_WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
    sleep 0.2   # the lab's sshd reaps its session processes
    T_HOSTCPU=$(awk -v a="$h0" -v b="$(lab_ticks)" -v tck="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", (b - a) / tck }')
    T_CPU=$(awk -F': ' '/User time|System time/ { s += $2 } END { if (NR) printf "%.1f", s; else print "?" }' \
        "$out.time" 2>/dev/null || echo "?")
    if [ -n "$dpid" ]; then
        T_CPU=$(awk -v c="$T_CPU" -v before="$d0" -v tck="$(getconf CLK_TCK)" \
            '{ printf "%.1f", c + ($14 + $15 - before) / tck }' "/proc/$dpid/stat" 2>/dev/null || echo "$T_CPU")
        T_DRSS=$(awk '/^VmRSS:/ { printf "%d", $2 / 1024 }' "/proc/$dpid/status" 2>/dev/null || echo "?")
    fi
    T_RSS=$(awk '/Maximum resident set size/ { printf "%d", $NF / 1024 }' "$out.time" 2>/dev/null || echo "?")
    T_CHANGED=$(awk '/ok=[0-9]+ +changed=/ { for (i = 1; i <= NF; i++) if ($i ~ /^changed=/) { split($i, a, "="); s += a[2] } } END { print s + 0 }' "$out.log")
    T_FAILED=$(awk '/ok=[0-9]+ +changed=/ { for (i = 1; i <= NF; i++) if ($i ~ /^(failed|unreachable)=/) { split($i, a, "="); s += a[2] } } END { print s + 0 }' "$out.log")
    if [ "$T_RC" != 0 ] || [ "$T_FAILED" != 0 ]; then
        log "$label: exit $T_RC, failed/unreachable $T_FAILED — tail of $out.log:"
        tail -n 15 "$out.log" >&2
    fi
}

median() { tr ' ' '\n' | { grep -E '^[0-9.]+$' || true; } | sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

declare -A RES   # RES[key] = space-separated values over runs
add() { RES[$1]="${RES[$1]:-} $2"; }

# The resident drover (README: "The resident drover"): started by a first, unmeasured run, with the
# same environment as the measured ones (DROVER_DAEMON=1, its socket directory in the work dir).
# warm_resident N FORK PLAYBOOK: one unmeasured run on scratch roots of the same hosts, so the daemon
# is up and holds their SSH sessions (as after a user's previous run: kept DROVER_SSH_PERSIST = 60 s).
resident_pid() {
    env DROVER_DAEMON=1 DROVER_DAEMON_DIR="$WORK/daemon" "${DROVER[@]}" daemon status 2>/dev/null \
        | sed -n 's/^(serves this shell) drover daemon pid \([0-9]*\).*/\1/p' | head -1
}
resident_served() {   # runs served so far by the daemon of this shell's identity
    env DROVER_DAEMON=1 DROVER_DAEMON_DIR="$WORK/daemon" "${DROVER[@]}" daemon status 2>/dev/null \
        | sed -n 's/^(serves this shell) .*runs served \([0-9]*\).*/\1/p' | head -1
}
warm_resident() {
    local n=$1 fork=$2 pb=$3 wdir="$WORK/roots/resident-warm-h$1"
    rm -rf "$wdir"; mkdir -p "$wdir"; chown "$LAB_USER" "$wdir"
    inventory "$n" "$wdir"
    env DROVER_DAEMON=1 DROVER_DAEMON_DIR="$WORK/daemon" "${DROVER[@]}" run -f "$fork" -i "$wdir.ini" "$pb" > "$WORK/out/resident-warm-h$n.log" 2>&1 || true
    for _ in $(seq 1 100); do [ -n "$(resident_pid)" ] && break; sleep 0.1; done
    if [ -z "$(resident_pid)" ]; then log "the resident drover did not come up"; return; fi
    # a served run, so the sessions are the daemon's
    env DROVER_DAEMON=1 DROVER_DAEMON_DIR="$WORK/daemon" "${DROVER[@]}" run -f "$fork" -i "$wdir.ini" "$pb" >> "$WORK/out/resident-warm-h$n.log" 2>&1 || true
}

# measure N VARIANT TOOL RUN#: first run on fresh roots, then a rerun
measure() {
    local n=$1 variant=$2 tool=$3 r=$4 pb="$WORK/pb/playbook.yml" dir
    [ "$variant" = facts ] && pb="$WORK/pb/playbook-facts.yml"
    [ "$variant" = ping ] && pb="$WORK/pb/ping.yml"
    dir="$WORK/roots/$tool-$variant-h$n-r$r"
    mkdir -p "$WORK/roots"
    rm -rf "$dir"; mkdir -p "$dir"; chown "$LAB_USER" "$dir"
    inventory "$n" "$dir"
    local fork=$(( n > 5 ? n : 5 )) phase
    [ "$tool" = resident ] && warm_resident "$n" "$fork" "$pb"
    for phase in first rerun; do
        local label="$tool-$variant-h$n-r$r-$phase"
        if [ "$tool" = drover ]; then
            DAEMON_PID=""
            timed "$label" env DROVER_DAEMON=0 "${DROVER[@]}" run -f "$fork" -i "$dir.ini" "$pb"
        elif [ "$tool" = resident ]; then
            # not `DAEMON_PID=… timed …`: a prefix assignment on a function call is exported to the
            # commands it runs, so drover would see another environment than the warm-up's (another
            # daemon identity: not served)
            DAEMON_PID=$(resident_pid)
            local before after
            before=$(resident_served)
            timed "$label" env DROVER_DAEMON=1 DROVER_DAEMON_DIR="$WORK/daemon" \
                "${DROVER[@]}" run -f "$fork" -i "$dir.ini" "$pb"
            after=$(resident_served)
            DAEMON_PID=""
            T_RSS=${T_DRSS:-?}
            if [ -z "$before" ] || [ "${after:-0}" -ne $(( before + 1 )) ]; then
                log "$label: NOT served by the resident drover (runs served ${before:-none} -> ${after:-none}): a cold run"
                T_WALL="?"
            fi
        elif [ "$tool" = mitogen ]; then
            timed "$label" env ANSIBLE_STRATEGY_PLUGINS="$MITOGEN_STRATEGIES" ANSIBLE_STRATEGY=mitogen_linear \
                ansible-playbook -f "$fork" -i "$dir.ini" "$pb"
        else
            timed "$label" ansible-playbook -f "$fork" -i "$dir.ini" "$pb"
        fi
        local k="$n|$variant|$phase|$tool"
        add "$k|wall" "$T_WALL"; add "$k|rss" "$T_RSS"; add "$k|cpu" "$T_CPU"; add "$k|hostcpu" "$T_HOSTCPU"; add "$k|changed" "$T_CHANGED"; add "$k|rc" "$T_RC"
        log "$(printf '%-8s %-6s %2d host(s) run %d %-5s %7ss  rss %4s MB  changed %3s  rc %s' \
            "$tool" "$variant" "$n" "$r" "$phase" "$T_WALL" "$T_RSS" "$T_CHANGED" "$T_RC")"
    done
}

VARIANTS=(nofacts)
[ "$WITH_FACTS" = 1 ] && VARIANTS+=(facts)
[ "$WITH_PING" = 1 ] && VARIANTS+=(ping)
TOOLS=(drover)
[ "$WITH_RESIDENT" = 1 ] && TOOLS+=(resident)
[ "$WITH_ANSIBLE" = 1 ] && TOOLS+=(ansible)
[ "$WITH_MITOGEN" = 1 ] && TOOLS+=(mitogen)

for n in "${HOSTS[@]}"; do
    for variant in "${VARIANTS[@]}"; do
        for r in $(seq 1 "$RUNS"); do
            for tool in "${TOOLS[@]}"; do
                measure "$n" "$variant" "$tool" "$r"
            done
        done
    done
done

# ---- the table ----------------------------------------------------------------------------------
# ratio A D: how many times faster D is than A ("-" when either is missing)
ratio() { awk -v a="$1" -v d="$2" 'BEGIN { if (a != "-" && d != "-" && d > 0) printf "%.1fx", a / d; else print "-" }'; }
sum2() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-") print "-"; else printf "%.2f", a + b }'; }
echo
echo "drover vs ansible-playbook vs ansible-playbook + mitogen: bench/playbook.yml ($STEPS steps), loopback sshd, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "drover via ${DROVER[*]##*/} on $("${DROVER[@]}" --version 2>/dev/null | grep -m1 '^java ' || echo "java ?"); $(ansible-playbook --version 2>/dev/null | head -1 || true); median of $RUNS run(s)"
fmt='%-6s %-6s %-13s %10s %10s %9s %9s %9s %9s %10s %9s %9s %10s %12s %10s %10s %10s %12s\n'
printf "$fmt" hosts play run "ansible s" "mitogen s" "drover s" "vs ans." "vs mit." "resident s" "vs ans." "vs mit." \
    "drover RSS" "changed a/m/d" "drover CPU" "lab CPU" "res. CPU" "res. lab CPU"
printf "$fmt" ----- ----- ----- --------- --------- -------- ------- ------- ---------- ------- ------- \
    ---------- ------------- ---------- ------- -------- ------------
for n in "${HOSTS[@]}"; do
    for variant in "${VARIANTS[@]}"; do
        declare -A TOT=()
        for phase in first rerun; do
            declare -A W=() CH=()
            for tool in drover resident ansible mitogen; do
                k="$n|$variant|$phase|$tool"
                W[$tool]=$(echo "${RES[$k|wall]:-}" | median)
                CH[$tool]=$(echo "${RES[$k|changed]:-}" | median)
                TOT[$tool]=$(sum2 "${TOT[$tool]:-0}" "${W[$tool]}")
            done
            d="$n|$variant|$phase|drover"
            drss=$(echo "${RES[$d|rss]:-}" | median)
            dcpu=$(echo "${RES[$d|cpu]:-}" | median)
            dhost=$(echo "${RES[$d|hostcpu]:-}" | median)
            rcpu=$(echo "${RES[$n|$variant|$phase|resident|cpu]:-}" | median)
            rhost=$(echo "${RES[$n|$variant|$phase|resident|hostcpu]:-}" | median)
            case "$variant" in facts) fact=facts ;; ping) fact=ping ;; *) fact=steps ;; esac
            printf "$fmt" "$n" "$fact" "$phase" "${W[ansible]}" "${W[mitogen]}" "${W[drover]}" \
                "$(ratio "${W[ansible]}" "${W[drover]}")" "$(ratio "${W[mitogen]}" "${W[drover]}")" "${W[resident]}" \
                "$(ratio "${W[ansible]}" "${W[resident]}")" "$(ratio "${W[mitogen]}" "${W[resident]}")" "${drss} MB" \
                "${CH[ansible]}/${CH[mitogen]}/${CH[drover]}" "${dcpu} s" "${dhost} s" "${rcpu} s" "${rhost} s"
        done
        printf "$fmt" "$n" "$fact" "first + rerun" "${TOT[ansible]}" "${TOT[mitogen]}" "${TOT[drover]}" \
            "$(ratio "${TOT[ansible]}" "${TOT[drover]}")" "$(ratio "${TOT[mitogen]}" "${TOT[drover]}")" "${TOT[resident]}" \
            "$(ratio "${TOT[ansible]}" "${TOT[resident]}")" "$(ratio "${TOT[mitogen]}" "${TOT[resident]}")" "" "" "" "" "" ""
        unset TOT
    done
done
# ---- drover's phases ---------------------------------------------------------------------------
if [ "$WITH_PHASES" = 1 ]; then
    mkdir -p "$WORK/phases/classes"
    javac -nowarn -cp "$JAR" -d "$WORK/phases/classes" "$PLAYBOOK_DIR/Phases.java"
    jar cf "$WORK/phases/phases.jar" -C "$WORK/phases/classes" .
    COLS=()
    for n in "${HOSTS[@]}"; do
        fork=$(( n > 5 ? n : 5 ))
        for r in $(seq 1 "$RUNS"); do
            dir="$WORK/roots/phases-h$n-r$r"
            rm -rf "$dir"; mkdir -p "$dir"; chown "$LAB_USER" "$dir"
            inventory "$n" "$dir"
            for phase in first rerun; do
                timeout "$TOOL_TIMEOUT" java -Dt0="$(date +%s%N)" -cp "$JAR:$WORK/phases/phases.jar" Phases \
                    -f "$fork" -i "$dir.ini" "$WORK/pb/playbook.yml" > "$WORK/out/phases-h$n-$phase-r$r" 2>&1 \
                    || { log "phases h$n $phase: failed"; tail -5 "$WORK/out/phases-h$n-$phase-r$r" >&2; }
            done
        done
        COLS+=("h$n-first" "h$n-rerun")
    done
    echo
    echo "drover's phases (ms, median of $RUNS; in-process timestamps, bench/Phases.java; load $(cut -d' ' -f1-3 /proc/loadavg))"
    printf '%-44s' phase
    for c in "${COLS[@]}"; do printf '%14s' "$c"; done; echo
    for key in jvm:"JVM start to main" log_setup:"logback init (+ tap on connection logs)" picocli:"picocli: build + parse args" \
        parse_playbook:"load + validate playbook (cold)" parse_inventory:"load inventory" \
        wait_warmup:"wait for jinjava warm-up thread" run_setup:"Runner setup (re-parse, warm)" \
        start_to_first_task:"play start to first task" first_task:"first task (connect + shell + cold code)" \
        connect_median:"  of which ssh connect, median per host" connect_max:"  ssh connect, slowest host" \
        other_tasks:"all other tasks + handler" other_task_median:"  median task" \
        commands:"shell commands run (all hosts)" command_ms_sum:"  their round trips, summed (ms)" \
        close:"close connections" total:"total, process start to exit"; do
        k=${key%%:*}; label=${key#*:}
        printf '%-44s' "$label"
        for c in "${COLS[@]}"; do
            n=${c%%-*}; n=${n#h}; phase=${c#*-}
            v=$(cat "$WORK"/out/phases-h$n-$phase-r* 2>/dev/null | awk -F= -v k="$k" '$1 == k { print $2 + 0 }' | median)
            printf '%14s' "$v"
        done
        echo
    done
    echo "per task (ms, first run of run 1; 1st host count):"
    grep '^task\.' "$WORK/out/phases-h${HOSTS[0]}-first-r1" | sed 's/^task\./  /' | column -t -s'=' 2>/dev/null \
        || grep '^task\.' "$WORK/out/phases-h${HOSTS[0]}-first-r1"
fi

bad=$(for k in "${!RES[@]}"; do [[ "$k" == *"|rc" ]] && echo "${RES[$k]}"; done | tr ' ' '\n' | grep -cv '^0\?$' || true)
if [ "$bad" != 0 ]; then echo "WARNING: $bad run(s) exited non-zero (see the log lines above)"; exit 1; fi
