#!/usr/bin/env bash
# Installs the Debian packages the project builds with; with --test also what the tests need.
# Packages already present are skipped so a warm machine pays nothing.
set -euo pipefail

# Mesa's software OpenGL (llvmpipe) makes the window work without a GPU driver; DejaVu is the
# presenter mode's scalable font.
packages=(cmake g++ pkg-config libimgui-dev libglfw3-dev python3-glad doctest-dev libstb-dev
          nlohmann-json3-dev libcli11-dev libgl1-mesa-dri libglx-mesa0 fonts-dejavu-core)
# The install-deb test packs a .deb (dpkg-shlibdeps, from dpkg-dev, finds its Depends) and checks
# the desktop file and AppStream metainfo it installs.
if [[ "${1:-}" == "--test" ]]; then
    packages+=(xvfb xauth xdotool imagemagick libxml2-utils dpkg-dev desktop-file-utils appstream)
fi

# shellcheck source=scripts/lib/apt-install-missing.sh
source "$(dirname "$0")/lib/apt-install-missing.sh"
install_missing install-deps "${packages[@]}"
