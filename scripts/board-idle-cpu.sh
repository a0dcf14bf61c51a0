#!/usr/bin/env bash
# Measures the display board's CPU when nothing changes: the board runs under Xvfb, connected
# to a seeded queue server, settles (the flash of the last call ends), then its CPU time is
# read from /proc over SECONDS (default 30). Then one call is made and the idle measured again.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_build_packages
ensure_packages xvfb xauth mesa-vulkan-drivers libvulkan1 libx11-6 libx11-xcb1 libxcursor1 \
    libxi6 libxrandr2 libxkbcommon-x11-0
secs="${1:-30}"
cargo build -q -p queue-server --bins
cargo build -q -p display-board
bin="$CARGO_TARGET_DIR/debug"
data="$(mktemp -d)"
port=$((20000 + RANDOM % 20000))
"$bin/queue-server" --data "$data" --listen "127.0.0.1:$port" --config assets/centers/always-open.toml >"$data/server.log" 2>&1 &
server=$!
trap 'kill $server $board 2>/dev/null || true; rm -rf "$data"' EXIT
board=""
for _ in $(seq 100); do [ -f "$data/first-start.txt" ] && grep -q listening "$data/server.log" && break; sleep 0.1; done
"$bin/loadgen" --url "ws://127.0.0.1:$port/ws" --data "$data" --phases seed >/dev/null
xvfb-run -a -s "-screen 0 1920x1080x24 -nolisten tcp" \
    "$bin/display-board" --server "ws://127.0.0.1:$port/ws" --token-file "$data/first-start.txt" --silent \
    >"$data/board.log" 2>&1 &
sleep 3
board=$(pgrep -n -f "display-board --server ws://127.0.0.1:$port") || { echo "board did not start"; exit 1; }
ticks() { awk '{ print $14 + $15 }' "/proc/$board/stat"; }
hz=$(getconf CLK_TCK)
sleep 12
t0=$(ticks); sleep "$secs"; t1=$(ticks)
echo "idle: $(awk -v a="$t0" -v b="$t1" -v s="$secs" -v hz="$hz" 'BEGIN { printf "%.2f", 100 * (b - a) / hz / s }') % CPU over ${secs} s"
rss=$(awk '/VmRSS/ { print $2 }' "/proc/$board/status")
echo "memory: $((rss / 1024)) MiB RSS"
