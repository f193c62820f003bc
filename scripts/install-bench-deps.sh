#!/usr/bin/env bash
# Installs the Debian packages the benchmark's peer scripts run on: NumPy always; PyTorch (CPU
# build, Debian 12 has 1.13) with --torch. The C++ build does not need either; the benchmark
# skips a peer with a line saying why when its package is missing.
# Packages already present are skipped so a warm machine pays nothing.
set -euo pipefail

packages=(python3 python3-numpy)
if [[ "${1:-}" == "--torch" ]]; then
    packages+=(python3-torch)
fi

# shellcheck source=scripts/lib/apt-install-missing.sh
source "$(dirname "$0")/lib/apt-install-missing.sh"
install_missing install-bench-deps "${packages[@]}"
