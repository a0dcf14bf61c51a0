#!/usr/bin/env bash
# Renders the display board under Xvfb (software Vulkan) to PNG files, connected to a real
# queue server seeded with a believable hall: landscape with Arabic and English labels,
# Arabic only, English only, portrait, and after losing the server. Usage: scripts/board-screenshots.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_build_packages
ensure_display_packages
out="${1:-out/screens}"
mkdir -p "$out"
start_seeded_server
trap 'kill $server 2>/dev/null || true; rm -rf "$data"' EXIT

shot() { # name, extra args…
    local name=$1; shift
    xvfb-run -a -s "-screen 0 1920x1920x24 -nolisten tcp" \
        "$bin/display-board" --server "ws://127.0.0.1:$port/ws" --token-file "$data/first-start.txt" \
        --silent --logo logos/sample-center.png --screenshot "$out/$name.png" "$@"
    echo "$out/$name.png"
}
shot board-landscape-ar-en --labels ar,en
shot board-landscape-ar --labels ar
shot board-landscape-en --labels en --digits latin
shot board-portrait-ar-en --labels ar,en --portrait
# The server goes away: the board keeps the last calls and says it is reconnecting.
shot board-offline-ar-en --labels ar,en --screenshot-offline &
shooter=$!
sleep 6
kill $server
wait $shooter
