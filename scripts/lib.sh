# Shared by the scripts: install missing Debian packages, and the cargo target directory.

# ensure_packages PACKAGE... installs those not installed.
ensure_packages() {
    local need=() p
    for p in "$@"; do
        dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
    done
    if ((${#need[@]})); then
        local sudo=""
        [ "$(id -u)" -eq 0 ] || sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
    fi
}

# What building the workspace needs: a C compiler (bundled SQLite), ALSA headers (rodio).
ensure_build_packages() {
    ensure_packages gcc libc6-dev pkg-config libasound2-dev
}

# One target directory outside the clone, reused between runs on the same machine.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/tabour/target}"
