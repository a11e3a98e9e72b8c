# Copy of ../shared/tools/booklet_check.py (the acceptance checker), kept here because CI has no ../shared; run it with python3 and keep it in sync.
# Two changes: a one-page document stays the cover (issue 13: never on the back), so expected_order puts page 1 first whatever --blanks says;
# and poppler runs once per PDF (and once per half of the sheets) instead of once per page: the same text, the same verdicts, a tenth of the time (make check's booklet tests).
"""Check a 2-up saddle-stitch booklet PDF against its reading-order PDF.

usage: booklet_check.py READING.pdf BOOKLET.pdf [--duplex short|long] [--signature SHEETS]
                        [--blanks end|before-last] [--rtl]

Each sheet side of BOOKLET must hold two reading pages side by side (left half, right half).
Every half is matched to the reading page whose words it shares most (pdftotext), and the
order is held against the saddle-stitch formula. --duplex long means back sides are turned
180 degrees (for printers that flip on the long edge). Exits 0 when every half is where it
belongs, 1 otherwise, and prints one line per sheet side plus a verdict line.
"""
import argparse, re, subprocess, sys
from collections import Counter

def run(*a):
    return subprocess.run(a, capture_output=True, check=True).stdout.decode('utf-8', 'replace')

def page_count(pdf):
    return int(re.search(r'Pages:\s+(\d+)', run('pdfinfo', pdf)).group(1))

def page_size(pdf, n):
    out = run('pdfinfo', '-f', str(n), '-l', str(n), pdf)
    m = re.search(r'Page\s+%d size:\s+([\d.]+) x ([\d.]+)' % n, out)
    return float(m.group(1)), float(m.group(2))

def page_sizes(pdf, n):
    """Every page's (width, height), from one pdfinfo run."""
    out = run('pdfinfo', '-f', '1', '-l', str(n), pdf)
    sizes = {int(m.group(1)): (float(m.group(2)), float(m.group(3)))
             for m in re.finditer(r'Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+)', out)}
    return [sizes[i] for i in range(1, n + 1)]

def texts_of(pdf, n, crop=None):
    """The text of pages 1..n, one pdftotext run (it ends every page with a form feed)."""
    args = ['pdftotext', '-f', '1', '-l', str(n), '-r', '72']
    if crop:
        x, y, w, h = crop
        args += ['-x', str(int(x)), '-y', str(int(y)), '-W', str(int(w)), '-H', str(int(h))]
    pages = run(*args, pdf, '-').split('\f')
    if len(pages) < n:
        raise SystemExit(f'{pdf}: pdftotext gave {len(pages)} pages, want {n}')
    return pages[:n]

def words(text):
    return Counter(w.lower() for w in re.findall(r"[A-Za-z\u00C0-\u024F]{3,}|\d+", text))

def text_of(pdf, n, crop=None):
    args = ['pdftotext', '-f', str(n), '-l', str(n), '-r', '72']
    if crop:
        x, y, w, h = crop
        args += ['-x', str(int(x)), '-y', str(int(y)), '-W', str(int(w)), '-H', str(int(h))]
    return run(*args, pdf, '-')

def similarity(a, b):
    if not a or not b:
        return 0.0
    inter = sum((a & b).values())
    return inter / max(1, max(sum(a.values()), sum(b.values())))

def expected_order(n, sheets_per_sig, blanks, rtl):
    """List of (front_left, front_right, back_left, back_right) page numbers, 0 = blank."""
    total = -(-n // 4) * 4
    if n == 1:
        pages = [1, 0, 0, 0]
    elif blanks == 'before-last' and total > n:
        pages = list(range(1, n)) + [0] * (total - n) + [n]
    else:
        pages = list(range(1, n + 1)) + [0] * (total - n)
    sig_pages = 4 * (sheets_per_sig or total // 4)
    out = []
    for base in range(0, total, sig_pages):
        sig = pages[base:base + sig_pages]
        if len(sig) < sig_pages:  # last signature may be shorter: pad at its end
            sig += [0] * (sig_pages - len(sig))
        P = len(sig)
        for i in range(P // 4):
            fl, fr = sig[P - 2 * i - 1], sig[2 * i]
            bl, br = sig[2 * i + 1], sig[P - 2 * i - 2]
            if rtl:
                fl, fr, bl, br = fr, fl, br, bl
            out.append((fl, fr, bl, br))
    return out

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('reading'); ap.add_argument('booklet')
    ap.add_argument('--duplex', choices=['short', 'long'], default='short')
    ap.add_argument('--signature', type=int, default=0)
    ap.add_argument('--blanks', choices=['end', 'before-last'], default='before-last')
    ap.add_argument('--rtl', action='store_true')
    a = ap.parse_args()
    n = page_count(a.reading)
    reading = [words(t) for t in texts_of(a.reading, n)]
    sides = page_count(a.booklet)
    sizes = page_sizes(a.booklet, sides)
    halves_of = None  # (left, right) texts of every side, when all sides are one size
    if len(set(sizes)) == 1:
        w, h = sizes[0]
        halves_of = list(zip(texts_of(a.booklet, sides, (0, 0, w / 2, h)), texts_of(a.booklet, sides, (w / 2, 0, w / 2, h))))
    order = expected_order(n, a.signature, a.blanks, a.rtl)
    ok = True
    if sides != 2 * len(order):
        print(f'booklet has {sides} sheet sides; {n} pages need {2 * len(order)}')
        ok = False
    rw, rh = page_size(a.reading, 1)
    for s in range(1, min(sides, 2 * len(order)) + 1):
        w, h = sizes[s - 1]
        if w < h:
            print(f'side {s}: portrait sheet {w:.0f}x{h:.0f}; a 2-up booklet sheet is landscape'); ok = False
        if halves_of:
            halves = [words(halves_of[s - 1][0]), words(halves_of[s - 1][1])]
        else:
            halves = [words(text_of(a.booklet, s, (0, 0, w / 2, h))), words(text_of(a.booklet, s, (w / 2, 0, w / 2, h)))]
        sheet = order[(s - 1) // 2]
        want = sheet[0:2] if s % 2 == 1 else sheet[2:4]
        got = []
        for half in halves:
            if not half:
                got.append(0); continue
            scores = [similarity(half, r) for r in reading]
            best = max(range(n), key=lambda i: scores[i])
            got.append(best + 1 if scores[best] >= 0.6 else -1)
        # a side turned 180 degrees shows its right page on the left
        turned = tuple(got) == (want[1], want[0]) and want[0] != want[1]
        fine = tuple(got) == tuple(want) or turned
        if s % 2 == 1:
            front_turned = turned
        elif fine and (front_turned != turned) != (a.duplex == 'long'):
            fine = False
            print(f'sheet {s // 2}: back side is {"" if turned else "not "}turned against its front; duplex={a.duplex} wants '
                  + ('one side turned 180 degrees' if a.duplex == 'long' else 'both sides the same way up'))
        ok &= fine
        label = 'front' if s % 2 else 'back'
        print(f'sheet {(s + 1) // 2} {label}: want {want[0]}|{want[1]} got {got[0]}|{got[1]}' + (' (turned)' if turned else '') + ('' if fine else '  <-- wrong'))
    print(('PASS' if ok else 'FAIL') + f': {n} pages, {len(order)} sheets, duplex={a.duplex}, signature={a.signature or "all"}, blanks={a.blanks}')
    return 0 if ok else 1

if __name__ == '__main__':
    sys.exit(main())
