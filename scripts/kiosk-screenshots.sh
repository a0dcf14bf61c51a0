#!/usr/bin/env bash
# Renders every kiosk screen under Xvfb (software Vulkan) to PNG, in Arabic and in English,
# walking the flow with taps against a real queue server that runs the sample Heliopolis
# center (hours widened to round the clock so the screens do not depend on the time of day;
# CIT-RDO closed by the center, to show a closed service). Receipts print to a file.
# Usage: scripts/kiosk-screenshots.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_build_packages
ensure_display_packages
out="${1:-out/screens}"
mkdir -p "$out"
cargo build -q --workspace --bins
bin="$CARGO_TARGET_DIR/debug"
data="$(mktemp -d)"
port=$((20000 + RANDOM % 20000))
sed -E 's/^hours = \{.*\}$/hours = { days = ["sat", "sun", "mon", "tue", "wed", "thu", "fri"], open = "00:00", close = "24:00" }/' \
    assets/centers/heliopolis.toml >"$data/center.toml"
# Close one service "by the center" (its open flag), keeping its real hours on the card.
python3 - "$data/center.toml" <<'PY'
import re, sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
s = re.sub(r'(code = "CIT-RDO"(?:.|\n)*?)\nopen = true', r'\1\nopen = false', s, count=1)
open(p, "w", encoding="utf-8").write(s)
PY
"$bin/queue-server" --data "$data" --listen "127.0.0.1:$port" --config "$data/center.toml" \
    >"$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 100); do
    [ -f "$data/first-start.txt" ] && grep -q listening "$data/server.log" && break
    sleep 0.1
done
"$bin/loadgen" --url "ws://127.0.0.1:$port/ws" --data "$data" --phases seed >/dev/null

shot() { # name, args…
    local name=$1; shift
    xvfb-run -a -s "-screen 0 1920x1920x24 -nolisten tcp" \
        "$bin/kiosk" --settings "$data/kiosk-$name.json" --server "ws://127.0.0.1:$port/ws" \
        --token-file "$data/first-start.txt" --pin 2468 --printer "${printer:-file:$data/receipt-$name.bin}" \
        --screenshot "$out/$name.png" "$@" >/dev/null
    echo "$out/$name.png"
}
for lang in ar en; do
    shot "kiosk-welcome" --screen welcome
    shot "kiosk-categories-$lang" --screen categories --lang "$lang"
    shot "kiosk-services-$lang" --screen services --lang "$lang" --service CIT-TNT
    shot "kiosk-card-$lang" --screen card --lang "$lang" --service CIT-TNT
    shot "kiosk-card-closed-$lang" --screen card --lang "$lang" --service CIT-RDO
    shot "kiosk-priority-$lang" --screen priority --lang "$lang" --service CIT-TNT
    shot "kiosk-confirm-$lang" --screen confirm --lang "$lang" --service CIT-TNT
    shot "kiosk-ticket-$lang" --screen ticket --lang "$lang" --service CIT-TNT
    shot "kiosk-large-text-card-$lang" --screen card --lang "$lang" --service CIT-TNT --large-text
    shot "kiosk-pin-$lang" --screen pin --lang "$lang"
    shot "kiosk-panel-$lang" --screen panel --lang "$lang"
done
shot "kiosk-welcome-large-text" --screen welcome --large-text
# The printer is unreachable: the ticket stands, on screen with its QR, and the citizen is told.
for lang in ar en; do
    printer=tcp://127.0.0.1:9 shot "kiosk-ticket-printer-offline-$lang" --screen ticket \
        --lang "$lang" --service CIT-TNT
done
# The server goes away while a citizen is on the confirm screen: taking the ticket fails
# honestly and offers a retry (with the same idempotency key).
for lang in ar en; do
    shot "kiosk-offline-$lang" --screen failed --lang "$lang" --service CIT-TNT &
    shooters="${shooters:-} $!"
done
sleep 14
kill $server
wait $server 2>/dev/null || true
for s in $shooters; do wait "$s"; done
