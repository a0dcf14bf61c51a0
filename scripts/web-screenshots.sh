#!/usr/bin/env bash
# Captures every web page in Arabic and English, in headless Chromium, against a real queue
# server seeded with a believable hall (three colleagues at work, tickets of every service):
# clerk sign-in, the counter chooser, the clerk at work (a called ticket, the waiting list, the
# finish and transfer dialogs), the ticket page waiting / called / done (mobile and desktop),
# an unknown ticket. The capture itself is the ignored test `screenshots_of_every_page`
# (tests/tests/web.rs). Usage: scripts/web-screenshots.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_build_packages
ensure_browser_packages
out="${1:-out/web}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
cargo build -q -p queue-server --bin queue-server
WEB_SCREENSHOTS="$out" cargo test -q -p system-tests --test web -- --ignored --exact screenshots_of_every_page
ls "$out"/*.png
