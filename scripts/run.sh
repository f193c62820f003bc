#!/usr/bin/env bash
# Builds REINFORCE Lab and starts it on the default lesson (yes-no-maybe).
# Until the GUI lands this runs the headless experiment and prints what it found.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
out="${OUT_DIR:-$root/out/default-lesson}"
exec "${BUILD_DIR:-$root/build}/reinforce-lab" --headless --preset yes-no-maybe --out "$out" "$@"
