#!/usr/bin/env bash
# Checks that every C++ and CUDA source is formatted as the committed .clang-format says (Debian's
# clang-format). Lists the files that are not and fails; `clang-format -i FILE` fixes one.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib/apt-install-missing.sh
source "$root/scripts/lib/apt-install-missing.sh"
install_missing check-format clang-format
cd "$root"
mapfile -t files < <(git ls-files '*.cpp' '*.hpp' '*.cu' '*.cuh')
unformatted=()
for f in "${files[@]}"; do
    if ! clang-format --dry-run --Werror --style=file "$f" >/dev/null 2>&1; then
        unformatted+=("$f")
    fi
done
if ((${#unformatted[@]} > 0)); then
    echo "check-format: ${#unformatted[@]} of ${#files[@]} files differ from .clang-format:" >&2
    printf '  %s\n' "${unformatted[@]}" >&2
    exit 1
fi
echo "check-format: ${#files[@]} files match .clang-format"
