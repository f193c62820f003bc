#!/usr/bin/env bash
# CTest entry: the NumPy peer and the CPU engine agree on the gradient cloud's statistics within
# Monte Carlo error. Skips (exit 0, "SKIPPED:") where no python3 has NumPy, as on CI machines that
# only ran scripts/install-deps.sh --test.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
source "$root/bench/find_python.sh"
if [[ -z "$python" ]]; then
    echo "SKIPPED: no python3 with NumPy (scripts/install-bench-deps.sh installs it)"
    exit 0
fi
exec "$python" "$root/bench/peers/check_agreement.py" "$@"
