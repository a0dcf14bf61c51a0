#!/usr/bin/env bash
# Runs the hall on the embedded sample center: the queue server with its SQLite database in
# ./data. Installs what is missing on a Debian machine with Rust.
set -euo pipefail
cd "$(dirname "$0")/.."

. scripts/lib.sh
ensure_commands "cc:gcc libc6-dev" pkg-config:pkg-config
cargo build --release -p queue-server --bin queue-server
DATA="${DATA:-data}"
echo "Starting the queue server (data in $DATA/). Ctrl-C stops it cleanly."
if [ -f "$DATA/first-start.txt" ]; then
    echo "Accounts and device tokens from the first start: $DATA/first-start.txt"
fi
# The kiosk, the display board and the staff consoles are not built yet (issues 3, 4, 5);
# this script starts them beside the server once they are.
exec "$CARGO_TARGET_DIR/release/queue-server" --data "$DATA" "$@"
