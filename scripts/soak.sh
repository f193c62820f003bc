#!/usr/bin/env bash
# Builds REINFORCE Lab and runs its soak: every preset through the live session for MINUTES
# (default 1), failing when resident memory grows 2% or more after the warm-up.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
minutes="${1:-1}"
"$root/scripts/build.sh" >/dev/null
out=$(mktemp -d "${TMPDIR:-/tmp}/reinforce-lab-soak.XXXXXX")
trap 'rm -rf "$out"' EXIT
"${BUILD_DIR:-$root/build}/reinforce-lab" --headless --soak "$minutes" --out "$out"
