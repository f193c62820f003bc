# Sourced by the install scripts: install_missing NAME PACKAGE... installs, with apt-get, those
# of the Debian packages that are not installed yet, so a warm machine pays nothing. NAME prefixes
# the messages.
install_missing() {
    local name=$1
    shift
    local missing=() p
    for p in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
            missing+=("$p")
        fi
    done
    if ((${#missing[@]} == 0)); then
        echo "$name: all packages present"
        return
    fi
    echo "$name: installing ${missing[*]}"
    local sudo_cmd=()
    if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
    "${sudo_cmd[@]}" apt-get update -q
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends \
        "${missing[@]}"
}
