#!/usr/bin/env python3
"""16-bit (and 8-bit) PNG files written independently of SharpFlow's encoder, with the samples they hold.

Regenerate with Debian's Python (only the standard library: zlib, struct, base64):
    /usr/bin/python3 tools/golden/generate-png16.py > tests/SharpFlow.Tests/Golden/png16_samples.json

Each case is a PNG built byte by byte here (IHDR, optional tRNS, IDAT split in two chunks, IEND; every row filtered
with a filter type chosen in turn from 0..4, and Adam7 interlacing for some) and the samples the file stores, in the
file's own channels, row-major. The C# test decodes the files with decode_png and compares.
"""
import base64
import json
import struct
import zlib

ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}


def chunk(kind, body):
    return struct.pack('>I', len(body)) + kind + body + struct.pack('>I', zlib.crc32(kind + body) & 0xFFFFFFFF)


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def filter_row(kind, row, prev, bpp):
    out = bytearray([kind])
    for i, x in enumerate(row):
        a = row[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        predictor = [0, a, b, (a + b) // 2, paeth(a, b, c)][kind]
        out.append((x - predictor) & 0xFF)
    return out


def sample_bytes(samples, depth):
    return b''.join(struct.pack('>H', s) if depth == 16 else bytes([s]) for s in samples)


def png(width, height, depth, color_type, samples, interlace=False, trns=None):
    channels = CHANNELS[color_type]
    bpp = channels * depth // 8
    passes = ADAM7 if interlace else [(0, 0, 1, 1)]
    raw = bytearray()
    kind = 0
    for (x0, y0, dx, dy) in passes:
        xs = list(range(x0, width, dx))
        ys = list(range(y0, height, dy))
        if not xs or not ys:
            continue
        prev = bytes(len(xs) * bpp)
        for y in ys:
            row = b''.join(sample_bytes(samples[(y * width + x) * channels:(y * width + x + 1) * channels], depth) for x in xs)
            raw += filter_row(kind, row, prev, bpp)
            kind = (kind + 1) % 5
            prev = row
    data = zlib.compress(bytes(raw), 9)
    half = len(data) // 2
    out = b'\x89PNG\r\n\x1a\n'
    out += chunk(b'IHDR', struct.pack('>IIBBBBB', width, height, depth, color_type, 0, 0, 1 if interlace else 0))
    if trns is not None:
        out += chunk(b'tRNS', b''.join(struct.pack('>H', t) for t in trns))
    out += chunk(b'IDAT', data[:half]) + chunk(b'IDAT', data[half:]) + chunk(b'IEND', b'')
    return out


def pattern(width, height, channels, depth, seed):
    top = (1 << depth) - 1
    values = []
    for y in range(height):
        for x in range(width):
            for c in range(channels):
                v = (x * 7919 + y * 104729 + c * 15485863 + seed * 32452843) ^ (x * y * 2654435761)
                values.append(v % (top + 1))
    # the extremes appear too
    values[0] = 0
    values[-1] = top
    return values


cases = []


def add(name, width, height, depth, color_type, interlace=False, trns=None, samples=None):
    channels = CHANNELS[color_type]
    samples = samples if samples is not None else pattern(width, height, channels, depth, len(cases) + 1)
    data = png(width, height, depth, color_type, samples, interlace, trns)
    case = {'name': name, 'width': width, 'height': height, 'depth': depth, 'color_type': color_type,
            'channels': channels, 'interlace': interlace, 'png': base64.b64encode(data).decode('ascii'), 'samples': samples}
    if trns is not None:
        case['trns'] = trns
    cases.append(case)


add('rgb16', 13, 9, 16, 2)
add('rgba16', 11, 7, 16, 6)
add('gray16', 17, 5, 16, 0)
add('gray_alpha16', 6, 10, 16, 4)
add('rgba16_adam7', 19, 13, 16, 6, interlace=True)
add('gray16_adam7_tiny', 3, 2, 16, 0, interlace=True)
# A grey key colour made transparent by tRNS: every third pixel holds the key.
key_gray = [1234 if i % 3 == 0 else (i * 977) % 65536 for i in range(9 * 4)]
add('gray16_trns', 9, 4, 16, 0, trns=[1234], samples=key_gray)
key_rgb = []
for i in range(8 * 3):
    key_rgb += [100, 200, 300] if i % 4 == 1 else [(i * 3001) % 65536, (i * 17) % 65536, 300]
add('rgb16_trns', 8, 3, 16, 2, trns=[100, 200, 300], samples=key_rgb)
add('rgb8', 10, 6, 8, 2)
add('gray8_trns', 5, 4, 8, 0, trns=[7], samples=[7 if i % 2 else i * 12 for i in range(20)])
add('gray_alpha8_adam7', 9, 9, 8, 4, interlace=True)

print(json.dumps({'generator': 'tools/golden/generate-png16.py', 'cases': cases}, indent=1))
