#!/usr/bin/env bash
# CTest entry: the .deb that packaging/CMakeLists.txt describes is packed from this build,
# unpacked into a temporary root, and the program run from there finds the presets the package
# installed, not the source tree's. Skips (exit 0, "SKIPPED:") where cpack or dpkg-deb is missing,
# as on a system that is not Debian's; the validators come with scripts/install-deps.sh --test.
# Usage: check_deb.sh CPACK BUILD_DIR VERSION
set -euo pipefail
export LC_ALL=C
source_root=$(cd "$(dirname "$0")/../.." && pwd)
cpack=$1 build=$2 version=$3
app_id=io.github.reinforce_lab.ReinforceLab

if [[ ! -x "$cpack" ]]; then
    echo "SKIPPED: no cpack at $cpack"
    exit 0
fi
if ! command -v dpkg-deb >/dev/null; then
    echo "SKIPPED: no dpkg-deb (not a Debian system)"
    exit 0
fi

fail() {
    echo "FAILED: $*" >&2
    exit 1
}

missing=()
for tool in dpkg-shlibdeps:dpkg-dev xmllint:libxml2-utils appstreamcli:appstream \
            desktop-file-validate:desktop-file-utils; do
    command -v "${tool%%:*}" >/dev/null || missing+=("${tool%%:*} (Debian package ${tool#*:})")
done
((${#missing[@]} == 0)) || fail "missing ${missing[*]}; scripts/install-deps.sh --test installs them"

# Resolved, because the program names its folder as /proc/self/exe gives it, links resolved.
tmp=$(cd "$(mktemp -d "${TMPDIR:-/tmp}/rl-deb-XXXXXX")" && pwd -P)
trap 'rm -rf "$tmp"' EXIT

# Into the temporary folder, package and staging alike, so the build folder keeps no package.
# The suite's build is done, so cpack's install step only copies.
if ! (cd "$build" && "$cpack" -G DEB -B "$tmp/pack") >"$tmp/cpack.log" 2>&1; then
    cat "$tmp/cpack.log" >&2
    fail "cpack -G DEB in $build"
fi
debs=("$tmp"/pack/*.deb)
[[ ${#debs[@]} -eq 1 && -f ${debs[0]} ]] || fail "expected one .deb in $tmp/pack"
deb=${debs[0]}
echo "package: $(basename "$deb")"

[[ $(dpkg-deb -f "$deb" Package) == reinforce-lab ]] || fail "Package is not reinforce-lab"
[[ $(dpkg-deb -f "$deb" Version) == "$version" ]] || fail "Version is not $version"
[[ $(dpkg-deb -f "$deb" Section) == science ]] || fail "Section is not science"
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for package in libglfw3 fonts-dejavu-core libgl1-mesa-dri; do
    grep -Eq "(^|, )$package( |,|\$)" <<<"$depends" || fail "Depends does not name $package"
done
# The CUDA runtime is linked statically; a CUDA package here would not install without NVIDIA's
# repository.
if grep -qi cuda <<<"$depends"; then fail "Depends names a CUDA package"; fi

root=$tmp/root
dpkg-deb -x "$deb" "$root"
prefix=$root/usr
for file in bin/reinforce-lab \
            share/applications/$app_id.desktop \
            share/icons/hicolor/scalable/apps/$app_id.svg \
            share/metainfo/$app_id.metainfo.xml \
            share/man/man1/reinforce-lab.1 \
            share/doc/reinforce-lab/LICENSE; do
    [[ -s $prefix/$file ]] || fail "the package has no /usr/$file"
done
for shader in "$source_root"/shaders/*; do
    [[ -s $prefix/share/reinforce-lab/shaders/$(basename "$shader") ]] ||
        fail "the package has no shader $(basename "$shader")"
done
preset_names() {
    local file
    for file in "$1"/*.json; do
        if [[ -e $file ]]; then basename "$file" .json; fi
    done | sort
}
expected_presets=$(preset_names "$source_root/assets/presets")
[[ -n $expected_presets ]] || fail "no presets in $source_root/assets/presets"
installed_presets=$(preset_names "$prefix/share/reinforce-lab/presets")
[[ $installed_presets == "$expected_presets" ]] ||
    fail "installed presets differ from assets/presets: $installed_presets"
expected_episodes=$(preset_names "$source_root/assets/presets/episodes")
installed_episodes=$(preset_names "$prefix/share/reinforce-lab/presets/episodes")
[[ $installed_episodes == "$expected_episodes" ]] ||
    fail "installed episode presets differ from assets/presets/episodes: $installed_episodes"

desktop-file-validate "$prefix/share/applications/$app_id.desktop" ||
    fail "desktop-file-validate"
grep -qx "Exec=reinforce-lab" "$prefix/share/applications/$app_id.desktop" ||
    fail "the desktop file does not start reinforce-lab"
grep -qx "Icon=$app_id" "$prefix/share/applications/$app_id.desktop" ||
    fail "the desktop file's Icon is not the installed icon's name"
xmllint --noout "$prefix/share/metainfo/$app_id.metainfo.xml" \
    "$prefix/share/icons/hicolor/scalable/apps/$app_id.svg" || fail "xmllint"
# The tree rather than the file alone: it also checks that the launchable desktop file is there.
appstreamcli validate-tree --no-net "$root" || fail "appstreamcli validate-tree"

# As a person who installed it would run it: no RL_ASSET_DIR, no display, from a folder outside
# the source tree.
cd "$tmp"
installed() {
    env -u RL_ASSET_DIR -u DISPLAY -u WAYLAND_DISPLAY "$prefix/bin/reinforce-lab" "$@"
}
[[ $(installed --version) == *"$version"* ]] || fail "--version does not say $version"
installed --list-presets >"$tmp/list.txt" || { cat "$tmp/list.txt"; fail "--list-presets"; }
# The window's lessons, then a line, then the episodes.
listed=$(sed '/^episodes /,$d' "$tmp/list.txt" | awk '{print $1}' | sort)
[[ $listed == "$expected_presets" ]] || { cat "$tmp/list.txt"; fail "--list-presets"; }
listed_episodes=$(sed '1,/^episodes /d' "$tmp/list.txt" | awk '{print $1}' | sort)
[[ $listed_episodes == "$expected_episodes" ]] || { cat "$tmp/list.txt"; fail "--list-presets"; }
echo "--list-presets: $(wc -l <"$tmp/list.txt") presets"

if ! installed --headless --preset yes-no-maybe --set steps=5 --set runs=8 --set M=64 \
        --engine cpu --out "$tmp/out" >"$tmp/headless.log" 2>&1; then
    cat "$tmp/headless.log" >&2
    fail "the headless run"
fi
for csv in summary.csv snr.csv; do
    (($(wc -l <"$tmp/out/$csv") >= 2)) || fail "the headless run wrote no rows to $csv"
done

# The presets it found are the package's: an unknown name's message says where it looked.
status=0
installed --headless --preset no-such-lesson --out "$tmp/out2" 2>"$tmp/unknown.txt" || status=$?
((status == 2)) || fail "an unknown preset exited $status, not 2"
grep -qF "$prefix/share/reinforce-lab/presets (assets found via installed beside the program)" \
    "$tmp/unknown.txt" || { cat "$tmp/unknown.txt"; fail "the presets were not the package's"; }
echo "OK: $(basename "$deb") unpacks and runs from $prefix"
