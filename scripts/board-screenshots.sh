#!/usr/bin/env bash
# Renders the display board under Xvfb (software Vulkan) to PNG files, connected to a real
# queue server seeded with a believable hall: landscape with Arabic and English labels,
# Arabic only, English only, portrait, and after losing the server. Usage: scripts/board-screenshots.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_build_packages
# Xvfb, and the run-time libraries of bevy on X11 with Mesa's software Vulkan (PLATFORM.md).
ensure_packages xvfb xauth mesa-vulkan-drivers libvulkan1 libx11-6 libx11-xcb1 libxcursor1 \
    libxi6 libxrandr2 libxkbcommon-x11-0

out="${1:-out/screens}"
mkdir -p "$out"
cargo build -q -p queue-server --bins
cargo build -q -p display-board
bin="$CARGO_TARGET_DIR/debug"
data="$(mktemp -d)"
port=$((20000 + RANDOM % 20000))
"$bin/queue-server" --data "$data" --listen "127.0.0.1:$port" --config assets/centers/always-open.toml >"$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 100); do [ -f "$data/first-start.txt" ] && grep -q listening "$data/server.log" && break; sleep 0.1; done
"$bin/loadgen" --url "ws://127.0.0.1:$port/ws" --data "$data" --phases seed >/dev/null

shot() { # name, extra args…
    local name=$1; shift
    xvfb-run -a -s "-screen 0 1920x1920x24 -nolisten tcp" \
        "$bin/display-board" --server "ws://127.0.0.1:$port/ws" --token-file "$data/first-start.txt" \
        --silent --screenshot "$out/$name.png" "$@"
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
