# Shared by the scripts: install missing Debian packages, and the cargo target directory.

# ensure_commands CMD:PACKAGE... installs the packages whose command is missing.
ensure_commands() {
    local need=() pair
    for pair in "$@"; do
        command -v "${pair%%:*}" >/dev/null 2>&1 || need+=(${pair#*:})
    done
    if ((${#need[@]})); then
        local sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
    fi
}

# One target directory outside the clone, reused between runs on the same machine.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/tabour/target}"
