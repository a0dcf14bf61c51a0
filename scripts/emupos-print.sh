#!/usr/bin/env bash
# Prints a real ticket on the emupos ESC/POS emulator and leaves its PNG where you can look at
# it. Starts a queue-server (round-the-clock test center) and emupos on free ports, runs
# `kiosk receipt`, stops both.
#
#   scripts/emupos-print.sh [--lang ar|en] [--paper 80|58] [--service CODE] [--paper-out] [--out DIR]
#
# Output in DIR (default out/emupos): emulator-*.png (what the emulated printer printed),
# kiosk.png (the kiosk's own image of the receipt), receipt.log (what the kiosk said).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

lang=ar paper=80 service=CIT-BIRTH paper_out=0 out=out/emupos
while (($#)); do
    case "$1" in
        --lang) lang="$2"; shift 2 ;;
        --paper) paper="$2"; shift 2 ;;
        --service) service="$2"; shift 2 ;;
        --paper-out) paper_out=1; shift ;;
        --out) out="$2"; shift 2 ;;
        *) echo "unknown argument $1" >&2; exit 1 ;;
    esac
done

ensure_build_packages
ensure_emupos
cargo build -q -p queue-server --bin queue-server
cargo build -q -p kiosk
bin="$CARGO_TARGET_DIR/debug"
if ! "$bin/kiosk" receipt --help >/dev/null 2>&1; then
    echo "this kiosk binary has no 'receipt' command yet (kiosk/src/main.rs wires receipt_cmd)" >&2
    exit 1
fi

work="$(mktemp -d)"
pids=()
cleanup() {
    local p
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
server_port="$(free_port)" api_port="$(free_port)" printer_port="$(free_port)"

mkdir -p "$work/data"
"$bin/queue-server" --data "$work/data" --listen "127.0.0.1:$server_port" \
    --config assets/centers/always-open.toml >"$work/server.log" 2>&1 &
pids+=($!)

width=576
profile=epson-tm-t20iii
if [ "$paper" = 58 ]; then
    width=384
    profile=./narrow-58mm.yaml
    cat >"$work/narrow-58mm.yaml" <<YAML
type: printer
name: 58 mm printer
dpi: 203
width_dots: $width
font_a: { width: 12, height: 24 }
font_b: { width: 9, height: 17 }
code_pages: { 0: PC437 }
default_code_page: 0
drawer_sensor_open_level: high
YAML
fi
cat >"$work/emupos.yaml" <<YAML
schema: 1
api: { host: 127.0.0.1, port: $api_port }
devices:
  - id: kiosk
    type: printer
    profile: $profile
    receipts_dir: ./receipts
    connections: [{ tcp: { host: 127.0.0.1, port: $printer_port } }]
YAML
(cd "$work" && exec "$EMUPOS" run --config emupos.yaml >emupos.log 2>&1) &
pids+=($!)

for _ in $(seq 200); do
    [ -f "$work/data/first-start.txt" ] && grep -q listening "$work/server.log" &&
        python3 -c "import socket; socket.create_connection(('127.0.0.1', $api_port), 1)" 2>/dev/null && break
    sleep 0.1
done
if ((paper_out)); then
    "$EMUPOS" --api "http://127.0.0.1:$api_port" fault set kiosk paper-out >/dev/null
fi

mkdir -p "$out"
set +e
"$bin/kiosk" receipt --service "$service" --server "ws://127.0.0.1:$server_port/ws" \
    --token-file "$work/data/first-start.txt" --device kiosk-1 \
    --printer "tcp://127.0.0.1:$printer_port" --lang "$lang" --paper "$paper" \
    --png "$out/kiosk.png" 2>&1 | tee "$out/receipt.log"
status=${PIPESTATUS[0]}
set -e

# The emulator completes a job at the cut; give it a moment to write the PNG.
for _ in $(seq 50); do
    compgen -G "$work/receipts/*.png" >/dev/null && break
    sleep 0.1
done
if compgen -G "$work/receipts/*.png" >/dev/null; then
    for f in "$work"/receipts/*.png; do cp "$f" "$out/emulator-$(basename "$f")"; done
    echo "emulator's receipt: $(ls "$out"/emulator-*.png | tail -1)"
else
    echo "the emulator printed nothing (paper out holds the job until a new roll)"
fi
exit "$status"
