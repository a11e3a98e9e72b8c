#!/usr/bin/env python3
"""link_rects.py PDF WORD... - every link annotation of PDF lies over its words.

For each /Link annotation (from `qpdf --json`), the words that pdftotext -bbox puts on the
same page with their centre inside its /Rect must be non-empty and all among WORDs (the
words of the links' texts, or shell patterns: *@example.org); and every WORD on a page must lie inside some link's /Rect.
Exit 1 with a message naming the first link that is not over its words."""
import fnmatch
import json
import re
import subprocess
import sys


def words_by_page(pdf):
    out = subprocess.run(["pdftotext", "-bbox", pdf, "-"], check=True, capture_output=True, text=True).stdout
    pages, cur = [], None
    for line in out.splitlines():
        m = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', line)
        if m:
            cur = {"h": float(m.group(2)), "words": []}
            pages.append(cur)
            continue
        m = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>', line)
        if m and cur is not None:
            x0, y0, x1, y1 = map(float, m.group(1, 2, 3, 4))
            cur["words"].append(((x0 + x1) / 2, cur["h"] - (y0 + y1) / 2, m.group(5)))
    return pages


def links_by_page(pdf):
    js = json.loads(subprocess.run(["qpdf", "--json=2", pdf], check=True, capture_output=True, text=True).stdout)
    objs = js["qpdf"][1]
    val = lambda ref: objs[f"obj:{ref}"].get("value", objs[f"obj:{ref}"]) if isinstance(ref, str) and ref.endswith(" R") else ref
    out = []
    for pg in js["pages"]:
        page = val(pg["object"])
        annots = val(page.get("/Annots", []))
        links = []
        for a in annots:
            a = val(a)
            if a.get("/Subtype") == "/Link":
                links.append((val(a["/Rect"]), a.get("/A", {}), a.get("/Dest")))
        out.append(links)
    return out


def main():
    pdf, want = sys.argv[1], sys.argv[2:]
    wanted = [w.strip(".,;:") for w in want]
    is_link_word = lambda w: any(fnmatch.fnmatchcase(w.strip(".,;:"), p) for p in wanted)
    pages, links = words_by_page(pdf), links_by_page(pdf)
    nlinks = 0
    for i, (pg, lk) in enumerate(zip(pages, links)):
        covered = set()
        for rect, a, d in lk:
            nlinks += 1
            x0, y0, x1, y1 = rect
            inside = [w for (x, y, w) in pg["words"] if x0 <= x <= x1 and y0 <= y <= y1]
            if not inside:
                sys.exit(f"page {i + 1}: the link {rect} ({a or d}) covers no word")
            stray = [w for w in inside if not is_link_word(w)]
            if stray:
                sys.exit(f"page {i + 1}: the link {rect} ({a or d}) covers {stray}, not a link's words")
            covered.update(w.strip(".,;:") for w in inside)
        for (x, y, w) in pg["words"]:
            if is_link_word(w) and w.strip(".,;:") not in covered:
                sys.exit(f"page {i + 1}: the link word {w!r} at ({x:.1f}, {y:.1f}) lies under no link")
    if not nlinks:
        sys.exit("no link annotations at all")
    print(f"{nlinks} links, each over its words")


main()
