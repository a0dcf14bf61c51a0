#!/usr/bin/env bash
# Screenshots of every tab of the manager's console (/manager), in Arabic and in English, with
# a seeded hall (tickets waiting and served, counters calling, serving and paused, a board
# message, a device waiting to pair), taken in headless Chromium by the browser test
# `screenshots_of_every_tab` (tests/tests/manager_web.rs).
#   scripts/manager-screenshots.sh OUT_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:?usage: scripts/manager-screenshots.sh OUT_DIR}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

. scripts/lib.sh
ensure_build_packages
ensure_packages chromium chromium-driver

TABOUR_SCREENSHOTS="$out" cargo test -q -p system-tests --test manager_web screenshots_of_every_tab -- --exact --ignored
ls -1 "$out"/manager-*.png
