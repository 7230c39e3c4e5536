#!/bin/sh
# An old-style module: its arguments come as a key=value file, shell-quoted (sourcing it reads them).
. "$1"
if [ -e "$path" ]; then
    echo '{"changed": false}'
elif [ "$_ansible_check_mode" = True ]; then
    echo '{"changed": true, "msg": "would create"}'
else
    echo "$word" > "$path"
    echo '{"changed": true}'
fi
