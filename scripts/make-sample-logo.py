#!/usr/bin/env python3
"""Draws assets/logos/sample-center.png: a plain emblem standing in for a center's logo
(a green disc, a white ring, a white building with three columns). Sample art, not an
official emblem. Pure Python (zlib), so it needs nothing installed."""
import math, struct, zlib, pathlib

N = 256
GREEN, WHITE, CLEAR = (18, 121, 88, 255), (245, 247, 250, 255), (0, 0, 0, 0)

def pixel(x, y):
    cx = cy = (N - 1) / 2
    r = math.hypot(x - cx, y - cy)
    if r > 126:
        return CLEAR
    if 112 <= r <= 120:
        return WHITE
    if r > 120:
        return GREEN
    # A building: pediment, three columns, base.
    if 70 <= y <= 92 and abs(x - cx) <= (y - 70) * 2.6:
        return WHITE
    if 96 <= y <= 160 and any(abs(x - c) <= 9 for c in (cx - 38, cx, cx + 38)):
        return WHITE
    if 164 <= y <= 178 and abs(x - cx) <= 62:
        return WHITE
    return GREEN

rows = b"".join(b"\x00" + bytes(c for x in range(N) for c in pixel(x, y)) for y in range(N))
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", N, N, 8, 6, 0, 0, 0)) \
    + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")
out = pathlib.Path(__file__).resolve().parent.parent / "assets/logos/sample-center.png"
out.write_bytes(png)
print(out, len(png), "bytes")
