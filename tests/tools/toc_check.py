#!/usr/bin/env python3
"""toc_check.py LAYOUT.dump: the contents list's page numbers are the pages of its headings.

In a layout dump, a contents entry is a line marked `toc` linked to its heading
(`link ... uri=#ID`); its page label is the entry's rightmost linked line, set flush with
the right edge of the text area (of its column with --columns N --gap PT). Fails (exit 1, one line per problem) when a label is not
the label of the page whose `dest name=ID` is the heading, when a label does not end at
the text area's right edge, or when the dump has no contents list but says it should
(--expect N: N entries at least). With no contents list and no --expect, it passes.
"""
import argparse
import re
import sys

PAGE = re.compile(r"^page (\d+) \w+ \S+ label=(\S*) area=([\d.-]+),([\d.-]+),([\d.-]+),([\d.-]+)")
LINE = re.compile(r"^  line x=([\d.-]+) y=([\d.-]+) w=([\d.-]+) .*\btoc\b")
RUN = re.compile(r'^    run .* text="(.*)"$')
LINK = re.compile(r"^  link x=([\d.-]+) y=([\d.-]+) w=([\d.-]+) h=[\d.-]+ uri=#(\S+)")
DEST = re.compile(r"^  dest .* name=(\S+) level=([1-9])")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dump")
    ap.add_argument("--expect", type=int, default=0)
    ap.add_argument("--columns", type=int, default=1, help="the layout's page.columns")
    ap.add_argument("--gap", type=float, default=0.0, help="its column-gap, in points")
    a = ap.parse_args()
    dest_page = {}   # heading id -> label of its page
    entries = {}     # heading id -> (right end, label text, page number of the list)
    label = area = None
    page = 0
    line = None      # the last toc line: (x, w, text)
    for raw in open(a.dump, encoding="utf-8"):
        raw = raw.rstrip("\n")
        m = PAGE.match(raw)
        if m:
            page, label = int(m.group(1)), m.group(2)
            area = tuple(map(float, m.group(3, 4, 5, 6)))
            line = None
            continue
        m = DEST.match(raw)
        if m:
            dest_page.setdefault(m.group(1), label)
            continue
        m = LINE.match(raw)
        if m:
            line = [float(m.group(1)), float(m.group(3)), ""]
            continue
        m = RUN.match(raw)
        if m and line is not None:
            line[2] += m.group(1)
            continue
        m = LINK.match(raw)
        if m and line is not None:
            right = line[0] + line[1]
            old = entries.get(m.group(4))
            if not old or right > old[0]:
                entries[m.group(4)] = (right, line[2], page, area)
            continue
        if raw.startswith("  "):
            line = None
    problems = []
    if len(entries) < a.expect:
        problems.append(f"{len(entries)} contents entries, at least {a.expect} expected")
    for hid, (right, text, page, area) in sorted(entries.items()):
        if hid not in dest_page:
            problems.append(f"page {page}: contents entry for #{hid}, but no such heading")
        elif text != dest_page[hid]:
            problems.append(f"page {page}: contents entry for #{hid} says page {text!r}; the heading is on page {dest_page[hid]!r}")
        # flush right: with the text area, or on a page set in columns, with a column
        colw = (area[2] - (a.columns - 1) * a.gap) / a.columns
        edges = [area[0] + k * (colw + a.gap) + colw for k in range(a.columns)]
        if not any(abs(right - e) <= 0.01 for e in edges):
            problems.append(f"page {page}: the page label of #{hid} ends at {right:.2f}, not at the text area's "
                            f"right edge" + (" or a column's" if a.columns > 1 else ""))
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
