#!/usr/bin/env python3
"""dump_check.py LAYOUT.dump [--widows N] [--orphans N]: page-level rules on a layout dump.

Fails (exit 1, one line per problem) when
- a paragraph's last lines stand alone at the top of a page (fewer than --widows, default 2),
- a paragraph's first lines stand alone at the foot of a page (fewer than --orphans, default 2),
- a heading is the last text on a page,
- a line, image, rule or box lies outside the page's text area (running heads excepted; a
  line's punctuation may hang into the margin as far as the line declares, <= 6 pt; a box
  broken by a page may reach past the text where it is open, <= 6 pt),
- a line is overfull.
"""
import argparse
import re
import sys

PAGE = re.compile(r"^page (\d+) (\w+) ([\d.]+)x([\d.]+) label=(\S*) area=([\d.-]+),([\d.-]+),([\d.-]+),([\d.-]+)")
ITEM = re.compile(r"^  (line|image|rule|box) x=([\d.-]+) y=([\d.-]+) w=([\d.-]+) h=([\d.-]+)(.*)$")
PARA = re.compile(r"para=(\d+):(\d+)/(\d+)")
HANG = re.compile(r"hang=([\d.]+),([\d.]+)")
OPEN = re.compile(r"open=([trbl]+)")
EPS = 0.05


def pages(path):
    page = None
    for line in open(path, encoding="utf-8"):
        m = PAGE.match(line)
        if m:
            if page:
                yield page
            page = {"n": int(m.group(1)), "kind": m.group(2), "area": tuple(map(float, m.group(6, 7, 8, 9))), "items": []}
            continue
        m = ITEM.match(line)
        if m and page is not None:
            kind, x, y, w, h, rest = m.group(1), *map(float, m.group(2, 3, 4, 5)), m.group(6)
            page["items"].append((kind, x, y, w, h, rest))
    if page:
        yield page


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dump")
    ap.add_argument("--widows", type=int, default=2)
    ap.add_argument("--orphans", type=int, default=2)
    a = ap.parse_args()
    problems = []
    for pg in pages(a.dump):
        n = pg["n"]
        ax, ay, aw, ah = pg["area"]
        body = []
        for kind, x, y, w, h, rest in pg["items"]:
            flags = rest.split()
            if kind == "line":
                if "running" in flags:
                    continue
                if "overfull" in flags:
                    problems.append(f"page {n}: overfull line at y={y:.1f}")
                top, bottom = y - 0.7 * h, y  # the baseline inside, and room for capitals above it
                # margin kerning: punctuation may hang past the measure by the amount the
                # line declares (hang=LEFT,RIGHT; its width includes the right one), at most 0.5 em
                hl, hr = map(float, HANG.search(rest).groups()) if HANG.search(rest) else (0.0, 0.0)
                if hl > 6 or hr > 6:
                    problems.append(f"page {n}: line at y={y:.1f} hangs {hl:.1f}/{hr:.1f} pt into the margins")
                if x < ax - EPS or x + w - hr > ax + aw + EPS or top < ay - EPS or bottom > ay + ah + EPS:
                    problems.append(f"page {n}: line at x={x:.2f} y={y:.2f} w={w:.2f} outside the text area {pg['area']}")
                if "note" not in flags and "marker" not in flags:
                    body.append((flags, PARA.search(rest)))
            else:
                # a box broken by a page reaches past the text there (open=t/b), by at most 6 pt
                m = OPEN.search(rest) if kind == "box" else None
                top_past = 6 if m and "t" in m.group(1) else 0
                bottom_past = 6 if m and "b" in m.group(1) else 0
                if x < ax - EPS or x + w > ax + aw + EPS or y < ay - top_past - EPS or y + h > ay + ah + bottom_past + EPS:
                    problems.append(f"page {n}: {kind} at x={x:.2f} y={y:.2f} {w:.2f}x{h:.2f} outside the text area {pg['area']}")
        if pg["kind"] != "body" or not body:
            continue
        paras = [(m, f) for f, m in body if m]
        if paras:
            first, last = paras[0][0], paras[-1][0]
            fp, fi, fn = map(int, first.groups())
            on_page = sum(1 for m, _ in paras if m.group(1) == first.group(1))
            if fi > 1 and fi + on_page - 1 == fn and on_page < a.widows:
                problems.append(f"page {n}: widow: the last {on_page} line(s) of paragraph {fp} at the top")
            lp, li, ln = map(int, last.groups())
            on_page = sum(1 for m, _ in paras if m.group(1) == last.group(1))
            if li < ln and li == on_page and on_page < a.orphans:
                problems.append(f"page {n}: orphan: the first {on_page} line(s) of paragraph {lp} at the foot")
        flags, _ = body[-1]
        if "heading" in flags:
            problems.append(f"page {n}: ends with a heading")
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
