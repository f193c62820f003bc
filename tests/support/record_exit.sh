#!/bin/sh
# record_exit.sh FILE PROGRAM ARGS...: runs PROGRAM and writes its exit code to FILE. The tests
# start the app under xvfb-run, whose own clean-up can fail after the app ended well (exit 5,
# "problem while cleaning up temporary directory"); FILE holds what the app itself returned.
file=$1
shift
"$@"
code=$?
echo "$code" > "$file"
exit "$code"
