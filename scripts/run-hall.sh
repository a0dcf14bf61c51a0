#!/usr/bin/env bash
# Runs the hall on the embedded sample center: the queue server (SQLite database in ./data)
# and, on a machine with a display, a ticket kiosk (receipts printed to a file, or to the
# printer in $KIOSK_PRINTER, e.g. tcp://192.168.1.50:9100) and the hall's display board.
# Installs what is missing on a Debian machine with Rust. Ctrl-C stops everything cleanly.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_build_packages

# The dev profile (dependencies optimized, see Cargo.toml) shares its build with the tests; a
# cold release build of bevy takes over twenty minutes on two cores.
cargo build -p queue-server --bin queue-server -p display-board --bin display-board -p kiosk --bin kiosk
bin="$CARGO_TARGET_DIR/debug"
DATA="${DATA:-data}"
echo "Starting the queue server (data in $DATA/)."
"$bin/queue-server" --data "$DATA" "$@" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null' EXIT INT TERM
for _ in $(seq 100); do [ -f "$DATA/first-start.txt" ] && break; sleep 0.1; done
echo "Accounts and device tokens: $DATA/first-start.txt"
echo "Staff consoles: http://127.0.0.1:8740/clerk (clerks) and http://127.0.0.1:8740/manager (manager)"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    echo "Opening the display board."
    "$bin/display-board" --token-file "$DATA/first-start.txt" --logo logos/sample-center.png &
    printer="${KIOSK_PRINTER:-file:$DATA/last-receipt.bin}"
    echo "Opening the kiosk (receipts: $printer; settings and technician PIN: $DATA/kiosk-1.json)."
    "$bin/kiosk" --settings "$DATA/kiosk-1.json" --token-file "$DATA/first-start.txt" \
        --printer "$printer" --windowed &
else
    echo "No display: the board and kiosk are not opened (set DISPLAY, or see"
    echo "scripts/board-screenshots.sh and scripts/kiosk-screenshots.sh)."
fi
wait $server
