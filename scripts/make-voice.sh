#!/usr/bin/env bash
# Generates the placeholder voice pack in assets/voice/ with espeak-ng (Modern Standard Arabic
# and English) and sox. A human-recorded pack replaces these files one for one: same names,
# mono 16-bit PCM WAV, one sample rate for all (see docs/voice.md). The clip list and the
# texts come from `display-board voice-list`.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ensure_build_packages
ensure_packages espeak-ng sox

cargo build -q -p display-board --bin display-board
board="$CARGO_TARGET_DIR/debug/display-board"
out=assets/voice
rate=22050
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

count=0
while IFS=$'\t' read -r name lang text _says; do
    file="$out/$name.wav"
    mkdir -p "$(dirname "$file")"
    if [ "$name" = chime ]; then
        # Two soft tones, high then low, as halls use before a call.
        sox -R -n -r $rate -c 1 -b 16 "$tmp/hi.wav" synth 0.28 sine 880 fade q 0.01 0.28 0.2 gain -9
        sox -R -n -r $rate -c 1 -b 16 "$tmp/lo.wav" synth 0.55 sine 660 fade q 0.01 0.55 0.45 gain -9
        sox -R "$tmp/hi.wav" "$tmp/lo.wav" "$file"
    else
        voice=$([ "$lang" = ar ] && echo ar || echo en-us)
        speed=$([ "$lang" = ar ] && echo 125 || echo 150)
        espeak-ng -v "$voice" -s "$speed" -w "$tmp/raw.wav" "$text"
        # Same format for every clip; trim the silence espeak leaves at both ends; even level.
        sox -R "$tmp/raw.wav" -r $rate -c 1 -b 16 "$file" \
            silence 1 0.02 0.5% reverse silence 1 0.02 0.5% reverse norm -3
    fi
    count=$((count + 1))
done < <("$board" voice-list)
echo "wrote $count clips to $out/"
