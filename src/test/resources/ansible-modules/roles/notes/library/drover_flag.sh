#!/bin/sh
# WANT_JSON
# A shell module that takes its arguments as a JSON file (Ansible's WANT_JSON style): creates the
# flag file named by "path", with check mode from _ansible_check_mode.
args=$(cat "$1")
path=$(printf '%s' "$args" | sed -n 's/.*"path": "\([^"]*\)".*/\1/p')
case "$args" in *'"_ansible_check_mode": true'*) check=1 ;; *) check=0 ;; esac
if [ -e "$path" ]; then
    printf '{"changed": false, "msg": "flag is up", "path": "%s"}\n' "$path"
else
    [ "$check" = 1 ] || printf '%s\n' "$DROVER_GREETING" > "$path"
    printf '{"changed": true, "msg": "flag raised", "path": "%s"}\n' "$path"
fi
