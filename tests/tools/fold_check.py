#!/usr/bin/env python3
"""Check an imposed PDF of any fold against its reading-order PDF: sibling of booklet_check.py.

usage: fold_check.py READING.pdf IMPOSED.pdf --fold saddle|zine8|2up|cut-stack
                     [--duplex short|long] [--signature SHEETS] [--blanks end|before-last]
                     [--rtl] [--sides both|front|back] [--slots COLSxROWS]

Every sheet side is cut into a grid of cells (saddle 2 x 1, 2up 2 x 2, zine8 4 x 2,
cut-stack 2 * COLS x ROWS, where COLS x ROWS booklet sides fit on the sheet). The words of
each cell are matched to the reading page they share most with (pdftotext, as
booklet_check.py does), and the cell's rotation is read from where the words found once on
both the cell and the page lie (a page with words must show which way up it is). Both are held against the folds as the README defines them:

- the booklet: pad to a multiple of 4 (blanks before the last page or at the end; a single
  page stays the cover), signatures of 4k pages padded at their end; folded sheet i of a
  signature of P pages is [P-2i | 2i+1] outside, [2i+2 | P-2i-1] inside; --rtl swaps;
- saddle: folded sheet m on printed sheet m;
- 2up: folded sheet m twice on sheet m, one above the other;
- cut-stack: S = COLS x ROWS slots; with M printed sheets, slot j (row by row) of sheet m
  holds folded sheet j * M + m (empty past the last), mirrored left to right on the back;
- zine8: one side, top row turned 180 degrees: 5 4 3 2 over 6 7 8 1 (mirrored for --rtl),
  8 pages at most, blanks as above;
- duplex: a landscape sheet with --duplex long, or a portrait one with --duplex short, has
  one side turned 180 degrees: the back, or the front when the back is empty.
--sides front / back: the file holds only the fronts / backs. Exits 0 when every cell is
right, 1 otherwise; prints one line per side and a verdict.
"""
import argparse, re, subprocess, sys
from collections import Counter

WORD = re.compile(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">([^<]*)</word>')


def run(*a):
    return subprocess.run(a, capture_output=True, check=True).stdout.decode('utf-8', 'replace')


def page_sizes(pdf):
    """Every page's width and height, from one pdfinfo run."""
    n = int(re.search(r'Pages:\s+(\d+)', run('pdfinfo', pdf)).group(1))
    out = run('pdfinfo', '-f', '1', '-l', str(n), pdf)
    return [(float(w), float(h)) for w, h in re.findall(r'Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)', out)]


def all_boxes(pdf):
    """Per page, its words with their boxes, in pdftotext's reading order (one run)."""
    out = run('pdftotext', '-bbox', pdf, '-')
    return [[(float(a), float(b), float(c), float(d), t) for a, b, c, d, t in WORD.findall(page)]
            for page in re.findall(r'<page [^>]*>(.*?)</page>', out, re.S)]


def counter(words):
    c = Counter()
    for *_, t in words:
        for w in re.findall(r"[A-Za-z\u00C0-\u024F]{3,}|\d+", t):
            c[w.lower()] += 1
    return c


def similarity(a, b):
    if not a or not b:
        return 0.0
    return sum((a & b).values()) / max(1, max(sum(a.values()), sum(b.values())))


def rotation(cell, page):
    """Degrees clockwise the page is turned in the cell, from where the words found once on
    both lie (None when fewer than 3 such words tell)."""
    def once(words):
        c = Counter(t for *_, t in words)
        return {t: ((x0 + x1) / 2, (y0 + y1) / 2) for x0, y0, x1, y1, t in words if c[t] == 1}
    a, b = once(page), once(cell)
    common = [t for t in a if t in b]
    if len(common) < 3:
        return None
    mean = lambda pts, i: sum(p[i] for p in pts) / len(pts)
    pa, pb = [a[t] for t in common], [b[t] for t in common]
    ax, ay, bx, by = mean(pa, 0), mean(pa, 1), mean(pb, 0), mean(pb, 1)
    cov = lambda i, j, mi, mj: sum((p[i] - mi) * (q[j] - mj) for p, q in zip(pb, pa))
    xx, yy, xy, yx = cov(0, 0, bx, ax), cov(1, 1, by, ay), cov(0, 1, bx, ay), cov(1, 0, by, ax)
    scores = {0: xx + yy, 180: -xx - yy, 90: yx - xy, 270: xy - yx}
    best = max(scores, key=scores.get)
    return best if scores[best] > 0 else None


def booklet(n, sig_sheets, blanks, rtl, multiple=4):
    """Folded sheets (fl, fr, bl, br) of the saddle booklet."""
    total = -(-n // multiple) * multiple
    if n == 1:
        pages = [1] + [0] * (total - 1)
    elif blanks == 'before-last' and total > n:
        pages = list(range(1, n)) + [0] * (total - n) + [n]
    else:
        pages = list(range(1, n + 1)) + [0] * (total - n)
    sig = 4 * (sig_sheets or total // 4)
    out = []
    for base in range(0, total, sig):
        s = pages[base:base + sig]
        s += [0] * (sig - len(s))
        for i in range(sig // 4):
            fl, fr, bl, br = s[sig - 2 * i - 1], s[2 * i], s[2 * i + 1], s[sig - 2 * i - 2]
            out.append((fr, fl, br, bl) if rtl else (fl, fr, bl, br))
    return out, pages


def expected(a, n, W, H, pw, ph):
    """Sides as (label, grid cols, grid rows, {(col, row): (page, rotation)})."""
    sides = []
    if a.fold == 'zine8':
        if n > 8:
            return None
        _, pages = booklet(n, 0, a.blanks, False, 8)
        bottom, top = [6, 7, 8, 1], [5, 4, 3, 2]
        cells = {}
        for i in range(4):
            col = 3 - i if a.rtl else i
            cells[(col, 1)] = (pages[bottom[i] - 1], 0)
            cells[(col, 0)] = (pages[top[i] - 1], 180)
        return [('sheet 1', 4, 2, cells)]
    if a.fold == 'cut-stack':
        if a.slots:
            cols, rows = map(int, a.slots.split('x'))
        else:
            cols, rows = max(1, int((W + 0.5) // (2 * pw))), max(1, int((H + 0.5) // ph))
    else:
        cols, rows = 1, 2 if a.fold == '2up' else 1
    folded, _ = booklet(n, a.signature, a.blanks, a.rtl)
    S = cols * rows
    per = 1 if a.fold == '2up' else S
    M = -(-len(folded) // per)
    turn = (a.duplex == 'long') == (W >= H)
    for m in range(M):
        front, back = {}, {}
        for j in range(S):
            k = m if a.fold == '2up' else j * M + m
            fl, fr, bl, br = folded[k] if k < len(folded) else (0, 0, 0, 0)
            col, row = j % cols, j // cols
            front[(2 * col, row)], front[(2 * col + 1, row)] = (fl, 0), (fr, 0)
            bc = cols - 1 - col
            back[(2 * bc, row)], back[(2 * bc + 1, row)] = (bl, 0), (br, 0)
        if turn:
            empty = lambda c: not any(p for p, _ in c.values())
            t = front if empty(back) and not empty(front) else back
            turned = {(2 * cols - 1 - x, rows - 1 - y): (p, 180) for (x, y), (p, _) in t.items()}
            t.clear()
            t.update(turned)
        if a.sides != 'back':
            sides.append((f'sheet {m + 1} front', 2 * cols, rows, front))
        if a.sides != 'front':
            sides.append((f'sheet {m + 1} back', 2 * cols, rows, back))
    return sides


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('reading'); ap.add_argument('imposed')
    ap.add_argument('--fold', choices=['saddle', 'zine8', '2up', 'cut-stack'], required=True)
    ap.add_argument('--duplex', choices=['short', 'long'], default='short')
    ap.add_argument('--signature', type=int, default=0)
    ap.add_argument('--blanks', choices=['end', 'before-last'], default='before-last')
    ap.add_argument('--rtl', action='store_true')
    ap.add_argument('--sides', choices=['both', 'front', 'back'], default='both')
    ap.add_argument('--slots')
    a = ap.parse_args()
    rsizes, isizes = page_sizes(a.reading), page_sizes(a.imposed)
    rboxes, iboxes = all_boxes(a.reading), all_boxes(a.imposed)
    n, nsides = len(rsizes), len(isizes)
    reading = [counter(b) for b in rboxes]
    pw, ph = rsizes[0]
    W, H = isizes[0]
    want = expected(a, n, W, H, pw, ph)
    if want is None:
        print(f'FAIL: a zine8 holds 8 pages, the reading PDF has {n}')
        return 1
    ok = True
    if nsides != len(want):
        print(f'imposed PDF has {nsides} sides; {n} pages need {len(want)}')
        ok = False
    checked = 0
    for s, (label, gc, gr, cells) in enumerate(want[:nsides], 1):
        w, h = isizes[s - 1]
        if abs(w - W) > 1 or abs(h - H) > 1:
            print(f'side {s}: {w:.0f} x {h:.0f}, not the {W:.0f} x {H:.0f} of side 1'); ok = False
        words = iboxes[s - 1]
        got_line, bad = [], False
        for row in range(gr):
            for col in range(gc):
                x0, x1, y0, y1 = col * w / gc, (col + 1) * w / gc, row * h / gr, (row + 1) * h / gr
                inside = [b for b in words if x0 <= (b[0] + b[2]) / 2 < x1 and y0 <= (b[1] + b[3]) / 2 < y1]
                c = counter(inside)
                page, rot = cells[(col, row)]
                if not c:
                    got, grot = 0, None
                else:
                    scores = [similarity(c, r) for r in reading]
                    best = max(range(n), key=lambda i: scores[i])
                    got = best + 1 if scores[best] >= 0.6 else -1
                    grot = rotation(inside, rboxes[best]) if got > 0 else None
                fine = got == page and (page == 0 or grot == rot or (grot is None and len(inside) < 6))
                bad |= not fine
                checked += 1
                got_line.append(f'{got}' + ('' if grot in (None, 0) else f'@{grot}') +
                                ('' if fine else f'(want {page}' + ('' if rot == 0 else f'@{rot}') + ')'))
        ok &= not bad
        print(f'{label}: ' + ' '.join(got_line) + ('  <-- wrong' if bad else ''))
    print(('PASS' if ok else 'FAIL') + f': {n} pages, fold={a.fold}, {len(want)} sides, {checked} cells, '
          f'duplex={a.duplex}, signature={a.signature or "all"}, blanks={a.blanks}, sides={a.sides}'
          + (', rtl' if a.rtl else ''))
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
