#!/usr/bin/env bash
# Builds REINFORCE Lab and opens it on the default lesson (yes-no-maybe). Extra arguments go to
# the program (for example --preset kl-anchor, or --headless --out DIR for no window).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
exec "${BUILD_DIR:-$root/build}/reinforce-lab" --preset yes-no-maybe "$@"
