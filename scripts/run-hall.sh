#!/usr/bin/env bash
# Runs the hall on the embedded sample center: the queue server (SQLite database in ./data)
# and, on a machine with a display, a ticket kiosk (receipts printed to a file, or to the
# printer in $KIOSK_PRINTER, e.g. tcp://192.168.1.50:9100) and the hall's display board.
# Installs what is missing on a Debian machine with Rust, then runs `cargo xtask hall`
# (xtask/src/hall.rs). Arguments go to the server. Ctrl-C stops everything cleanly.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_build_packages
exec cargo xtask hall "$@"
