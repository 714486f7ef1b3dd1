#!/usr/bin/env python3
"""Draws GrowthBot's Teams icons with the standard library only (zlib + struct, no imaging library).

    python3 manifests/teams/generate-icons.py      # rewrites color.png and outline.png beside it

color.png   192x192, full colour: three rising white bars on GrowthBot green, edge to edge (Teams
            rounds the corners itself), the glyph inside the central 96x96 safe area's proportions.
outline.png 32x32, white on transparent: the same bars; antialiased through alpha only, so every
            pixel is pure white or fully transparent in colour, as Teams requires.
"""
import pathlib
import struct
import zlib

GREEN = (0x1D, 0x6B, 0x4F)
WHITE = (0xFF, 0xFF, 0xFF)
SAMPLES = 4  # 4x4 samples per pixel for smooth edges

# Three bars rising left to right, in glyph units (0..1, y down), with rounded corners.
BARS = [(0.06, 0.62, 0.30, 1.0), (0.38, 0.36, 0.62, 1.0), (0.70, 0.06, 0.94, 1.0)]
RADIUS = 0.07


def inside_bar(x, y):
    for left, top, right, bottom in BARS:
        if left <= x <= right and top <= y <= bottom:
            cx = min(max(x, left + RADIUS), right - RADIUS)
            cy = min(max(y, top + RADIUS), bottom - RADIUS)
            if (x - cx) ** 2 + (y - cy) ** 2 <= RADIUS ** 2:
                return True
    return False


def coverage(size, box_left, box_size):
    """Fraction of each pixel the glyph covers, drawn in the square box at (box_left, box_left)."""
    rows = []
    for py in range(size):
        row = []
        for px in range(size):
            hits = 0
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    x = (px + (sx + 0.5) / SAMPLES - box_left) / box_size
                    y = (py + (sy + 0.5) / SAMPLES - box_left) / box_size
                    if 0 <= x <= 1 and 0 <= y <= 1 and inside_bar(x, y):
                        hits += 1
            row.append(hits / (SAMPLES * SAMPLES))
        rows.append(row)
    return rows


def png(size, pixel_rows):
    """An 8-bit RGBA PNG from rows of (r, g, b, a) tuples."""
    raw = b"".join(b"\x00" + b"".join(struct.pack("4B", *pixel) for pixel in row) for row in pixel_rows)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def color_icon():
    size = 192
    cover = coverage(size, 48, 96)
    rows = []
    for row in cover:
        rows.append([tuple(round(g + (w - g) * c) for g, w in zip(GREEN, WHITE)) + (255,) for c in row])
    return png(size, rows)


def outline_icon():
    size = 32
    cover = coverage(size, 3, 26)
    return png(size, [[WHITE + (round(255 * c),) for c in row] for row in cover])


def main():
    folder = pathlib.Path(__file__).resolve().parent
    (folder / "color.png").write_bytes(color_icon())
    (folder / "outline.png").write_bytes(outline_icon())
    print(f"wrote {folder / 'color.png'} and {folder / 'outline.png'}")


if __name__ == "__main__":
    main()
