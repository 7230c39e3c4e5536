#!/usr/bin/env bash
# What a task run through Ansible's own module costs, beside a native module (README, "Ansible's
# own modules"). Three playbooks on localhost (the same persistent-shell protocol as SSH, without
# the network), N tasks each on its own file, first run then rerun:
#   native   — lineinfile (drover's own module)
#   ansible  — community.general.ini_file (packed once per run, piped to the host's python3)
#   ansible1 — one ini_file task (the fixed cost: packing with ansible-core, interpreter discovery)
# Prints wall time (median of --runs) and the shell round trips drover made (its -vvv log counts
# each command sent to the host's shell), per run and per task.
#
#   bench/ansible-modules.sh [--tasks N] [--runs R]
set -euo pipefail
N=10
RUNS=3
while [ $# -gt 0 ]; do
    case "$1" in
        --tasks) N="$2"; shift 2 ;;
        --runs) RUNS="$2"; shift 2 ;;
        *) echo "usage: bench/ansible-modules.sh [--tasks N] [--runs R]" >&2; exit 5 ;;
    esac
done
HERE=$(cd "$(dirname "$0")/.." && pwd)
DROVER="$HERE/bin/drover"
WORK=$(mktemp -d /tmp/drover-bench-ansible.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

playbook() { # name module count
    local f="$WORK/$1.yml"
    printf -- '- hosts: localhost\n  gather_facts: false\n  tasks:\n' > "$f"
    for i in $(seq 1 "$3"); do
        if [ "$2" = native ]; then
            printf '    - lineinfile: {path: "{{ root }}/f%s.txt", line: "port = %s", create: true}\n' "$i" "$i" >> "$f"
        else
            printf '    - community.general.ini_file: {path: "{{ root }}/f%s.ini", section: s, option: port, value: "%s"}\n' "$i" "$i" >> "$f"
        fi
    done
}
playbook native native "$N"
playbook ansible ansible "$N"
playbook ansible1 ansible 1

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

measure() { # name -> "first_ms rerun_ms first_trips rerun_trips"
    local firsts=() reruns=() t1 t2
    for r in $(seq 1 "$RUNS"); do
        rm -rf "$WORK/root" && mkdir -p "$WORK/root"
        t1=$(date +%s%N); "$DROVER" run -vvv -e root="$WORK/root" "$WORK/$1.yml" > "$WORK/$1.first.log" 2>&1; t2=$(date +%s%N)
        firsts+=($(( (t2 - t1) / 1000000 )))
        t1=$(date +%s%N); "$DROVER" run -vvv -e root="$WORK/root" "$WORK/$1.yml" > "$WORK/$1.rerun.log" 2>&1; t2=$(date +%s%N)
        reruns+=($(( (t2 - t1) / 1000000 )))
    done
    local trips1 trips2
    trips1=$(grep -cE ' #[0-9]+: rc=' "$WORK/$1.first.log" || true)
    trips2=$(grep -cE ' #[0-9]+: rc=' "$WORK/$1.rerun.log" || true)
    echo "$(printf '%s\n' "${firsts[@]}" | median) $(printf '%s\n' "${reruns[@]}" | median) $trips1 $trips2"
}

printf '%-9s %6s %10s %10s %12s %12s\n' playbook tasks "first ms" "rerun ms" "first trips" "rerun trips"
for p in native ansible ansible1; do
    n=$N; [ "$p" = ansible1 ] && n=1
    read -r f r t1 t2 <<< "$(measure "$p")"
    printf '%-9s %6s %10s %10s %12s %12s\n' "$p" "$n" "$f" "$r" "$t1" "$t2"
done
