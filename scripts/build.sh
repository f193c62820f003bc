#!/usr/bin/env bash
# Configures and builds into build/ (Release). Shared by the run and test commands.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir="${BUILD_DIR:-$root/build}"
cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release
cmake --build "$build_dir" --parallel "$(nproc)"
