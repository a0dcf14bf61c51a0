#!/usr/bin/env bash
# Runs every test of the workspace. Installs what is missing on a Debian machine with Rust.
set -euo pipefail
cd "$(dirname "$0")/.."

. scripts/lib.sh
ensure_build_packages
ensure_emupos
ensure_ocr
ensure_browser_packages
ensure_nats
ensure_postgres
ensure_smpp_peer
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
set +e
cargo test --workspace --locked 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# cargo prints one "test result" line per test binary, the last often a doc-test run with
# nothing in it; end with the total.
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed;?$/) p += $i; if ($(i+1) ~ /^failed;?$/) f += $i } }
     END { printf "summary: %d passed, %d failed\n", p, f }' "$log"
exit "$status"
