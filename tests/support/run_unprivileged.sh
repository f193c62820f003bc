#!/bin/sh
# Runs the rl-tests cases matching FILTER as an unprivileged user. Root passes every permission
# check, so a writer that makes its temporary in the wrong folder, or replaces what it may not,
# can pass as root and fail for everyone else. As root the cases run again as nobody (setpriv,
# util-linux), from a copy of the test program in a folder nobody can read, since the build tree
# may be closed to other users; as anyone else they simply run.
# Usage: run_unprivileged.sh RL_TESTS FILTER
set -u
tests=$1
filter=$2

# doctest passes when no case matches; a filter that matched nothing must not look like a pass.
ran_some() {
    grep -Eq 'test cases: *[1-9][0-9]* \| *[1-9][0-9]* passed' "$1"
}

work=$(mktemp -d "${TMPDIR:-/tmp}/rl-unprivileged-XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
log="$work/log.txt"

if [ "$(id -u)" -ne 0 ]; then
    echo "not root (uid $(id -u)): running the cases as this user"
    "$tests" --test-case="$filter" >"$log" 2>&1
    status=$?
    cat "$log"
    [ "$status" -eq 0 ] && ran_some "$log"
    exit
fi

if ! command -v setpriv >/dev/null 2>&1; then
    echo "SKIPPED: setpriv (util-linux) is not installed, so the cases cannot run as nobody"
    exit 0
fi
as_nobody="setpriv --reuid=nobody --regid=nogroup --clear-groups"
if [ "$($as_nobody id -u 2>/dev/null)" != "65534" ]; then
    echo "SKIPPED: cannot switch to the user nobody (uid 65534) here"
    exit 0
fi

cp "$tests" "$work/rl-tests" || exit 1
mkdir "$work/tmp" || exit 1
chown nobody:nogroup "$work/tmp" || exit 1
chmod 0755 "$work" "$work/rl-tests"
cd "$work" || exit 1
echo "running as $($as_nobody id -un) (uid $($as_nobody id -u)), TMPDIR=$work/tmp"
# Its own TMPDIR: the cases make their folders there, and only nobody can write it.
TMPDIR="$work/tmp" HOME="$work/tmp" $as_nobody "$work/rl-tests" --test-case="$filter" \
    >"$log" 2>&1
status=$?
# A case that cannot run as nobody says SKIPPED: in its own output; that is not this test's skip.
sed 's/SKIPPED:/not run as nobody:/' "$log"
[ "$status" -eq 0 ] && ran_some "$log"
