#!/usr/bin/env bash
# The sample national network on this machine (docs/network.md): PostgreSQL (a temporary
# cluster), the NATS hub, the central service and its console, two real centers and one real
# van (each queue-server with its own leaf), and tabour-netsim playing the other 339 sites of
# the 342-site register. Stops everything on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_build_packages
ensure_nats
ensure_postgres
cargo test --workspace --no-run >/dev/null
bin="$CARGO_TARGET_DIR/debug"
work="$(mktemp -d /tmp/tabour-network.XXXXXX)"
pids=()
cleanup() {
    trap - EXIT INT TERM
    # Newest first (the generator and the service before the hub), each waited for, so
    # nothing still writes in $work when it is removed.
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[i]}" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    if [ -d "$work/pg" ]; then
        runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$work/pg" -m fast stop >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# PostgreSQL, as the postgres user (initdb refuses root).
chown postgres:postgres "$work"
pg_port="$(free_port)"
runuser -u postgres -- "$PG_BIN/initdb" -D "$work/pg" -U postgres -A trust -E UTF8 >/dev/null
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$work/pg" -o "-p $pg_port -k $work -c listen_addresses=127.0.0.1" -l "$work/pg.log" -w start >/dev/null
pg="host=127.0.0.1 port=$pg_port user=postgres dbname=postgres"

# The hub.
hub_port="$(free_port)"; hub_leaf="$(free_port)"
mkdir -p "$work/hub"
cat >"$work/hub/nats.conf" <<CONF
server_name: hub
listen: 127.0.0.1:$hub_port
jetstream { store_dir: "$work/hub/js", domain: hub }
leafnodes { listen: 127.0.0.1:$hub_leaf }
CONF
"$NATS_SERVER" -c "$work/hub/nats.conf" >"$work/hub/log" 2>&1 & pids+=($!)

# The register: 342 sites; these three have their own leaf.
real=(cai-01 alx-01 van-cai-1)
"$bin/tabour-netsim" --write-register --sites "$work/sites.toml" --leaves "$(IFS=,; echo "${real[*]}")"

port=8741
for code in "${real[@]}"; do
    gov="${code#van-}"; gov="${gov%%-*}"
    leaf_port="$(free_port)"
    mkdir -p "$work/$code"
    cat >"$work/$code/leaf.conf" <<CONF
server_name: $code
listen: 127.0.0.1:$leaf_port
jetstream { store_dir: "$work/$code/js", domain: c-$code }
leafnodes { reconnect: "2s", remotes: [ { url: "nats-leaf://127.0.0.1:$hub_leaf" } ] }
CONF
    "$NATS_SERVER" -c "$work/$code/leaf.conf" >"$work/$code/leaf.log" 2>&1 & pids+=($!)
    { cat assets/centers/heliopolis.toml
      printf '\n[network]\ncenter = "%s"\ngovernorate = "%s"\nleaf_url = "nats://127.0.0.1:%s"\n' "$code" "$gov" "$leaf_port"
    } >"$work/$code/center.toml"
    "$bin/queue-server" --listen "127.0.0.1:$port" --data "$work/$code/data" --config "$work/$code/center.toml" \
        >"$work/$code/server.log" 2>&1 & pids+=($!)
    echo "center $code: http://127.0.0.1:$port/manager (accounts in $work/$code/data/first-start.txt)"
    port=$((port + 1))
done

"$bin/tabour-central" --postgres "$pg" --add-viewer nation | sed 's/^/national console account: /'
"$bin/tabour-central" --postgres "$pg" --add-viewer cairo --governorate cai | sed 's/^/Cairo governorate account: /'
"$bin/tabour-central" --nats "nats://127.0.0.1:$hub_port" --postgres "$pg" --sites "$work/sites.toml" \
    --listen 127.0.0.1:8750 >"$work/central.log" 2>&1 & pids+=($!)
sleep 1
"$bin/tabour-netsim" --nats "nats://127.0.0.1:$hub_port" --sites "$work/sites.toml" --backfill-minutes 180 \
    >"$work/netsim.log" 2>&1 & pids+=($!)
echo "national console: http://127.0.0.1:8750/  (logs in $work; Ctrl-C stops everything)"
wait
