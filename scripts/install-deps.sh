#!/usr/bin/env bash
# Installs the Debian packages the project builds with; with --test also what the tests need.
# Packages already present are skipped so a warm machine pays nothing.
set -euo pipefail

# Mesa's software OpenGL (llvmpipe) makes the window work without a GPU driver; DejaVu is the
# presenter mode's scalable font.
packages=(cmake g++ pkg-config libimgui-dev libglfw3-dev python3-glad doctest-dev libstb-dev
          nlohmann-json3-dev libcli11-dev libgl1-mesa-dri libglx-mesa0 fonts-dejavu-core)
if [[ "${1:-}" == "--test" ]]; then
    packages+=(xvfb xauth imagemagick libxml2-utils)
fi

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done

if ((${#missing[@]} > 0)); then
    echo "install-deps: installing ${missing[*]}"
    sudo_cmd=()
    if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
    "${sudo_cmd[@]}" apt-get update -q
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends \
        "${missing[@]}"
else
    echo "install-deps: all packages present"
fi
