#!/usr/bin/env python3
"""Draws docs/icon.png, the NuGet packages' icon: a 128x128 picture of three layers of a small network
(dark blue background, white nodes, light edges). Standard library only; rerun to regenerate."""
import struct, zlib, math, pathlib

W = H = 128
bg, edge, node = (23, 42, 84), (120, 160, 220), (255, 255, 255)
px = [[bg for _ in range(W)] for _ in range(H)]
layers = [[(28, y) for y in (34, 64, 94)], [(64, y) for y in (24, 52, 76, 104)], [(100, y) for y in (44, 84)]]

def line(a, b):
    (x0, y0), (x1, y1) = a, b
    n = int(max(abs(x1 - x0), abs(y1 - y0)) * 2)
    for i in range(n + 1):
        t = i / n
        x, y = x0 + (x1 - x0) * t, y0 + (y1 - y0) * t
        for dx in (0, 1):
            px[int(y)][int(x) + dx] = edge

for left, right in zip(layers, layers[1:]):
    for a in left:
        for b in right:
            line(a, b)
for layer in layers:
    for cx, cy in layer:
        for y in range(cy - 8, cy + 9):
            for x in range(cx - 8, cx + 9):
                if math.hypot(x - cx, y - cy) <= 7.5:
                    px[y][x] = node

def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

raw = b"".join(b"\0" + bytes(c for p in row for c in p) for row in px)
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", W, H, 8, 2, 0, 0, 0)) \
    + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
out = pathlib.Path(__file__).resolve().parents[2] / "docs" / "icon.png"
out.write_bytes(png)
print(f"wrote {out.name}, {len(png)} bytes")
