#!/bin/sh
# A module that takes its arguments inline (module_common's JSON-args placeholder, substituted
# before the module is sent).
args='<<INCLUDE_ANSIBLE_MODULE_JSON_ARGS>>'
case "$args" in
    *'"word": "hello"'*) echo '{"changed": false, "msg": "got hello"}' ;;
    *) echo '{"failed": true, "msg": "no hello in the arguments"}' ;;
esac
