#!/bin/sh
# WANT_JSON
args=$(cat "$1")
path=$(printf '%s' "$args" | sed -n 's/.*"path": "\([^"]*\)".*/\1/p')
case "$args" in *'"_ansible_check_mode": true'*) check=1 ;; *) check=0 ;; esac
if [ -e "$path" ]; then
    echo '{"changed": false}'
else
    [ "$check" = 1 ] || : > "$path"
    echo '{"changed": true}'
fi
