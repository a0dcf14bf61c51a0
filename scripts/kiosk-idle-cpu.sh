#!/usr/bin/env bash
# Measures the kiosk's CPU while nobody touches it: the kiosk runs under Xvfb on its welcome
# screen, connected to a seeded queue server, while another kiosk (kiosk-2, through `kiosk
# receipt`) takes a ticket every 2 s, so the hall keeps changing. Its CPU time is read from
# /proc over SECONDS (default 30), with its memory. Usage: scripts/kiosk-idle-cpu.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_build_packages
ensure_display_packages
secs="${1:-30}"
kiosk=""
traffic=""
start_seeded_server
cargo build -q --workspace --bins
trap 'kill $server $kiosk $traffic 2>/dev/null || true; rm -rf "$data"' EXIT
xvfb-run -a -s "-screen 0 1080x1920x24 -nolisten tcp" \
    "$bin/kiosk" --settings "$data/kiosk.json" --server "ws://127.0.0.1:$port/ws" \
    --token-file "$data/first-start.txt" --printer "file:$data/receipt.bin" \
    >"$data/kiosk.log" 2>&1 &
for _ in $(seq 50); do
    kiosk=$(pgrep -n -f "^$bin/kiosk --settings $data/kiosk.json" || true)
    [ -n "$kiosk" ] && break
    sleep 0.2
done
[ -n "$kiosk" ] || { echo "kiosk did not start"; cat "$data/kiosk.log"; exit 1; }
(
    while true; do
        "$bin/kiosk" receipt --server "ws://127.0.0.1:$port/ws" --token-file "$data/first-start.txt" \
            --device kiosk-2 --service CIT-BIRTH --out "$data/other.bin" >/dev/null 2>&1 \
            && echo issued >>"$data/issued"
        sleep 2
    done
) &
traffic=$!
ticks() { awk '{ print $14 + $15 }' "/proc/$kiosk/stat"; }
hz=$(getconf CLK_TCK)
sleep 10
: >"$data/issued"
t0=$(ticks); sleep "$secs"; t1=$(ticks)
issued=$(wc -l <"$data/issued")
echo "idle: $(awk -v a="$t0" -v b="$t1" -v s="$secs" -v hz="$hz" 'BEGIN { printf "%.2f", 100 * (b - a) / hz / s }') % CPU over ${secs} s (welcome screen; another kiosk took $issued tickets meanwhile)"
rss=$(awk '/VmRSS/ { print $2 }' "/proc/$kiosk/status")
echo "memory: $((rss / 1024)) MiB RSS"
