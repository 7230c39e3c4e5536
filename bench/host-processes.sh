#!/bin/sh
# The processes the host side of a run costs: bench/playbook.yml on one local "host" (a fresh root,
# then a rerun), under strace; counts what runs under the host's shell (not the JVM's own).
# Needs strace and python3. Usage: bench/host-processes.sh   (after mvn -B -q package -DskipTests)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/root"
printf 'h1 ansible_connection=local root=%s\n' "$work/root" > "$work/inv.ini"
cd "$here"
DROVER_DAEMON=0 ../bin/drover run -i "$work/inv.ini" playbook.yml >/dev/null # trains the AOT cache; then a fresh root
rm -rf "$work/root" && mkdir "$work/root"
for run in first rerun; do
    DROVER_DAEMON=0 strace -f -qq -e trace=execve,clone,clone3,fork,vfork -o "$work/trace" \
        ../bin/drover run -i "$work/inv.ini" playbook.yml >/dev/null
    printf '%s: ' "$run"
    python3 "$here/host-processes.py" "$work/trace"
done
