#!/usr/bin/env bash
# drover's start-up cost, per library and per JVM option, in the real jar.
#
#   bench/startup.sh [--runs N] [--skip-libs] [--skip-e2e]
#
# 1. Per library: bench/Startup.java (compiled now into a temp dir, not part of the jar) runs in
#    `java -cp target/drover.jar:TMP` and times each step (picocli, logback, snakeyaml-engine,
#    drover's playbook parse, jinjava Templar.create(), first render, JSch classes + key) in one
#    JVM, in sequence; and each library alone in its own JVM (its total minus an empty JVM's).
#    Under: default CDS, -Xshare:off, an AppCDS dynamic archive, C1 only, SerialGC.
# 2. End to end: `java -jar target/drover.jar run` of a small playbook (bench/playbook.yml on
#    localhost via the local connection, rerun state: nothing changes) and `--version`, with the
#    same JVM options, an AppCDS archive trained on a --check run, and combinations.
# Medians of N runs (default 7) with min–max, since the machine may be busy.
set -euo pipefail
RUNS=7
DO_LIBS=1
DO_E2E=1
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) RUNS="$2"; shift 2 ;;
        --skip-libs) DO_LIBS=0; shift ;;
        --skip-e2e) DO_E2E=0; shift ;;
        -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown option $1" >&2; exit 5 ;;
    esac
done
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "--runs wants a positive number" >&2; exit 5; }

REPO=$(cd "$(dirname "$0")/.." && pwd)
JAR="$REPO/target/drover.jar"
[ -f "$JAR" ] || (cd "$REPO" && mvn -B -q package -DskipTests) >&2
TMP=$(mktemp -d /tmp/drover-startup.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM
cd "$REPO"
log() { echo "[startup] $*" >&2; }

javac -nowarn -cp "$JAR" -d "$TMP/classes" bench/Startup.java
jar cf "$TMP/startup.jar" -C "$TMP/classes" .   # CDS refuses directories on the class path
ssh-keygen -q -t ed25519 -N '' -f "$TMP/key"
CP="$JAR:$TMP/startup.jar"

# stats: reads numbers, prints "median (min-max)"
stats() { sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) { print "-"; exit } m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%d (%d-%d)", m, a[1], a[NR] }'; }
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) { print 0; exit } print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
now_ns() { date +%s%N; }

STEPS=(picocli logback yaml playbook jinjava render render2 jsch)
# startup_run OPTS...: one JVM over all steps; prints "jvm=.. picocli=.. ... total=.."
startup_run() {
    java "$@" -Dt0="$(now_ns)" -Dkey="$TMP/key" -cp "$CP" Startup "${STEPS[@]}"
}

declare -A JVM_OPTS
VARIANTS=(default xshare-off appcds c1 serialgc appcds+c1+serial)
JVM_OPTS[default]="-Xshare:auto"
JVM_OPTS[xshare-off]="-Xshare:off"
JVM_OPTS[appcds]="-XX:SharedArchiveFile=$TMP/startup.jsa -Xshare:auto"
JVM_OPTS[c1]="-XX:TieredStopAtLevel=1"
JVM_OPTS[serialgc]="-XX:+UseSerialGC"
JVM_OPTS[appcds+c1+serial]="-XX:SharedArchiveFile=$TMP/startup.jsa -Xshare:auto -XX:TieredStopAtLevel=1 -XX:+UseSerialGC"

if [ "$DO_LIBS" = 1 ]; then
    log "training an AppCDS archive on Startup"
    java -XX:ArchiveClassesAtExit="$TMP/startup.jsa" -Dkey="$TMP/key" -cp "$CP" Startup "${STEPS[@]}" >/dev/null 2>"$TMP/train.log" \
        && [ -s "$TMP/startup.jsa" ] || { log "training failed:"; cat "$TMP/train.log" >&2; }
    echo
    echo "== per library, in sequence in one JVM (ms; median (min-max) of $RUNS; load $(cut -d' ' -f1-3 /proc/loadavg))"
    printf '%-18s' variant; for s in jvm "${STEPS[@]}" total; do printf '%16s' "$s"; done; echo
    for v in "${VARIANTS[@]}"; do
        : > "$TMP/seq-$v"
        for _ in $(seq 1 "$RUNS"); do
            # shellcheck disable=SC2086
            startup_run ${JVM_OPTS[$v]} >> "$TMP/seq-$v" 2>>"$TMP/err" || log "$v: run failed: $(tail -3 "$TMP/err")"
        done
        printf '%-18s' "$v"
        for s in jvm "${STEPS[@]}" total; do
            printf '%16s' "$(grep -o "\(^\| \)$s=[0-9-]*" "$TMP/seq-$v" | sed 's/.*=//' | stats)"
        done
        echo
    done
    echo
    echo "== the same runs, process CPU time per step (ms, all threads incl. JIT/GC; jvm = CPU used before main)"
    printf '%-18s' variant; for s in jvm "${STEPS[@]}" total; do printf '%16s' "$s"; done; echo
    for v in "${VARIANTS[@]}"; do
        printf '%-18s' "$v"
        for s in jvm "${STEPS[@]}" total; do
            printf '%16s' "$(grep -o "cpu\.$s=[0-9-]*" "$TMP/seq-$v" | sed 's/.*=//' | stats)"
        done
        echo
    done

    echo
    echo "== per library, alone in its own JVM (ms: total minus an empty JVM's total; default CDS and AppCDS)"
    ALONE=(none picocli logback yaml "jinjava render" jsch "${STEPS[*]}")
    printf '%-44s %18s %18s\n' "steps" "default" "appcds"
    declare -A BASE
    for v in default appcds; do
        for a in "${ALONE[@]}"; do
            : > "$TMP/alone"
            for _ in $(seq 1 "$RUNS"); do
                # shellcheck disable=SC2086
                java ${JVM_OPTS[$v]} -Dt0="$(now_ns)" -Dkey="$TMP/key" -cp "$CP" Startup $a 2>>"$TMP/err" \
                    | grep -o 'total=[0-9]*' | cut -d= -f2 >> "$TMP/alone" || true
            done
            m=$(median < "$TMP/alone")
            [ "$a" = none ] && BASE[$v]=$m
            echo "$m $(stats < "$TMP/alone")" > "$TMP/alone-$v-${a// /_}"
        done
    done
    for a in "${ALONE[@]}"; do
        line=$(printf '%-44s' "$a")
        for v in default appcds; do
            read -r m s < <(cat "$TMP/alone-$v-${a// /_}")
            rest=$(cut -d' ' -f2- "$TMP/alone-$v-${a// /_}")
            if [ "$a" = none ]; then cell="$rest"; else cell="+$(awk -v m="$m" -v b="${BASE[$v]}" 'BEGIN { printf "%d", m - b }') ms"; fi
            line+=$(printf ' %18s' "$cell")
        done
        echo "$line"
    done
fi

if [ "$DO_E2E" = 1 ]; then
    # a small playbook end to end, on localhost through the local connection, rerun state
    mkdir -p "$TMP/pb"
    cp -r bench/playbook.yml bench/templates "$TMP/pb/"
    printf 'lab01 ansible_connection=local root=%s/root\n' "$TMP" > "$TMP/inv.ini"
    java -jar "$JAR" run -i "$TMP/inv.ini" "$TMP/pb/playbook.yml" > "$TMP/first.log" 2>&1 || { log "drover run failed:"; tail "$TMP/first.log" >&2; exit 1; }
    log "training the drover AppCDS archive on a --check run"
    java -XX:ArchiveClassesAtExit="$TMP/drover.jsa" -jar "$JAR" run --check -i "$TMP/inv.ini" "$TMP/pb/playbook.yml" >/dev/null 2>"$TMP/train2.log" || true
    ls -la "$TMP/drover.jsa" >&2 || log "no archive written: $(tail -3 "$TMP/train2.log")"
    E2E=(default xshare-off appcds c1 serialgc appcds+c1 appcds+c1+serial)
    declare -A E_OPTS
    E_OPTS[default]=""
    E_OPTS[xshare-off]="-Xshare:off"
    E_OPTS[appcds]="-XX:SharedArchiveFile=$TMP/drover.jsa -Xshare:auto"
    E_OPTS[c1]="-XX:TieredStopAtLevel=1"
    E_OPTS[serialgc]="-XX:+UseSerialGC"
    E_OPTS[appcds+c1]="-XX:SharedArchiveFile=$TMP/drover.jsa -Xshare:auto -XX:TieredStopAtLevel=1"
    E_OPTS[appcds+serial]="-XX:SharedArchiveFile=$TMP/drover.jsa -Xshare:auto -XX:+UseSerialGC"
    E_OPTS[appcds+c1+serial]="-XX:SharedArchiveFile=$TMP/drover.jsa -Xshare:auto -XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
    echo
    echo "== drover end to end (ms wall, median (min-max) of $RUNS, interleaved; CPU ms = user+sys; load $(cut -d' ' -f1-3 /proc/loadavg))"
    printf '%-18s %22s %22s %14s %22s %10s\n' variant "--version" "run (22 steps, local)" "run CPU ms" "run --check" "RSS MB"
    for v in "${E2E[@]}"; do : > "$TMP/e-$v-ver"; : > "$TMP/e-$v-run"; : > "$TMP/e-$v-chk"; : > "$TMP/e-$v-cpu"; : > "$TMP/e-$v-rss"; done
    for _ in $(seq 1 "$RUNS"); do
        for v in "${E2E[@]}"; do   # interleaved so that load changes hit every variant alike
            # shellcheck disable=SC2086
            { t=$(now_ns); java ${E_OPTS[$v]} -jar "$JAR" --version >/dev/null; echo $(( ($(now_ns) - t) / 1000000 )) >> "$TMP/e-$v-ver"; }
            t=$(now_ns)
            # shellcheck disable=SC2086
            /usr/bin/time -f '%U %S %M' -o "$TMP/time" java ${E_OPTS[$v]} -jar "$JAR" run -i "$TMP/inv.ini" "$TMP/pb/playbook.yml" > "$TMP/run.log" 2>&1 \
                || log "$v: run failed: $(tail -3 "$TMP/run.log")"
            echo $(( ($(now_ns) - t) / 1000000 )) >> "$TMP/e-$v-run"
            awk '{ printf "%d\n", ($1 + $2) * 1000 }' "$TMP/time" >> "$TMP/e-$v-cpu"
            awk '{ printf "%d\n", $3 / 1024 }' "$TMP/time" >> "$TMP/e-$v-rss"
            t=$(now_ns)
            # shellcheck disable=SC2086
            java ${E_OPTS[$v]} -jar "$JAR" run --check -i "$TMP/inv.ini" "$TMP/pb/playbook.yml" > /dev/null 2>&1 || true
            echo $(( ($(now_ns) - t) / 1000000 )) >> "$TMP/e-$v-chk"
        done
    done
    for v in "${E2E[@]}"; do
        printf '%-18s %22s %22s %14s %22s %10s\n' "$v" "$(stats < "$TMP/e-$v-ver")" "$(stats < "$TMP/e-$v-run")" \
            "$(median < "$TMP/e-$v-cpu")" "$(stats < "$TMP/e-$v-chk")" "$(median < "$TMP/e-$v-rss")"
    done
    echo "archive: $(du -h "$TMP/drover.jsa" 2>/dev/null | cut -f1) ($TMP/drover.jsa, removed on exit)"
fi
