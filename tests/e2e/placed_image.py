#!/usr/bin/env python3
"""placed_image.py DUMP PDF SRC X,Y=COLOUR...: the picture SRC is on the page the right way up.

Finds the first image whose src contains SRC in the layout dump (--dump-layout), renders
its page of the PDF with pdftoppm, and checks the colour at each point X,Y given as a
fraction of the placed image's width and height from its top-left corner (0.25,0.25 is
the centre of the top-left quadrant). COLOUR is a name (red, lime, blue, white, black,
lightgreen) or R/G/B. Exit 0 when every point is within 60 of the colour in each channel,
1 with the colours found otherwise.
"""
import os
import re
import subprocess
import sys
import tempfile

NAMES = {"red": (255, 0, 0), "lime": (0, 255, 0), "blue": (0, 0, 255), "white": (255, 255, 255),
         "black": (0, 0, 0), "lightgreen": (128, 255, 128)}
DPI = 144


def find_image(dump, src):
    page = None
    for line in open(dump, encoding="utf-8"):
        m = re.match(r"page (\d+) \S+ ([\d.]+)x([\d.]+)", line)
        if m:
            page = int(m.group(1))
            continue
        m = re.match(r"\s*image x=([\d.-]+) y=([\d.-]+) w=([\d.]+) h=([\d.]+) src=(\S+)", line)
        if m and src in m.group(5):
            return page, tuple(float(m.group(i)) for i in range(1, 5))
    return None, None


def read_ppm(path):
    with open(path, "rb") as f:
        data = f.read()
    # P6 <w> <h> <maxval> then one whitespace byte, then the pixels
    m = re.match(rb"P6\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    w, h = int(m.group(1)), int(m.group(2))
    return w, h, data[m.end():]


def main():
    if len(sys.argv) < 5:
        print(__doc__)
        return 2
    dump, pdf, src = sys.argv[1:4]
    page, box = find_image(dump, src)
    if page is None:
        print(f"no image with src '{src}' in {dump}")
        return 1
    x, y, w, h = box
    with tempfile.TemporaryDirectory() as tmp:
        base = os.path.join(tmp, "p")
        subprocess.run(["pdftoppm", "-f", str(page), "-l", str(page), "-r", str(DPI), "-singlefile",
                        pdf, base], check=True)
        # pdftoppm writes PPM (P6) by default
        pw, ph, px = read_ppm(base + ".ppm")
    bad = 0
    for spec in sys.argv[4:]:
        pos, colour = spec.split("=")
        fx, fy = (float(v) for v in pos.split(","))
        want = NAMES.get(colour) or tuple(int(v) for v in colour.split("/"))
        col = round((x + fx * w) * DPI / 72)
        row = round((y + fy * h) * DPI / 72)
        i = (row * pw + col) * 3
        got = tuple(px[i:i + 3])
        ok = all(abs(a - b) <= 60 for a, b in zip(got, want))
        print(f"{'ok  ' if ok else 'BAD '} {src} at {fx:.2f},{fy:.2f} (page {page}, pixel {col},{row}): "
              f"{got}, expected {colour} {want}")
        bad += not ok
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
