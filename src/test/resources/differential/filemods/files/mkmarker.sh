#!/bin/sh
echo "made by $(basename "$0") with $#" > "$1"
