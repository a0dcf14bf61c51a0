#!/usr/bin/env bash
# Measures the display board's CPU when nothing changes: the board runs under Xvfb, connected
# to a seeded queue server, settles (the flash of the last call ends), then its CPU time is
# read from /proc over SECONDS (default 30), with its memory. Further arguments go to the
# board (e.g. --portrait, where the sample message is too long and scrolls).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_build_packages
ensure_display_packages
secs="${1:-30}"
shift || true
board=""
start_seeded_server
trap 'kill $server $board 2>/dev/null || true; rm -rf "$data"' EXIT
xvfb-run -a -s "-screen 0 1920x1080x24 -nolisten tcp" \
    "$bin/display-board" --server "ws://127.0.0.1:$port/ws" --token-file "$data/first-start.txt" --silent "$@" \
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
