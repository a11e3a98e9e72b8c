#!/usr/bin/env bash
# test_direct.sh - the reading PDF pamphlet writes itself (src/output/direct.c) against the
# one cairo writes (PAMPHLET_WRITER=cairo), and what it is for (issue 16):
#   - the same pages: every page of the samples, an RTL, a CJK and a styled layout rendered
#     by poppler at 50 dpi the same as cairo's, but for glyphs a fraction of a pixel off;
#   - the same text: pdftotext of both gives the same words;
#   - every font embedded as a subset with a ToUnicode map; qpdf --check clean;
#   - a page's content depends on that page alone: after a one-word edit, the pages the
#     edit did not reach keep their content streams byte for byte (cairo's numbered its
#     glyphs by their first use in the document, so an edit renumbered later pages);
#   - a document whose photo turns (EXIF orientation) and a PNG with transparency placed as
#     cairo places them.
# Run from anywhere; PAMPHLET=path overrides ./pamphlet. Exits 0 when all pass.
source "$(dirname "$0")/harness.sh"

# FILE LAYOUT NAME: both writers' PDFs of FILE in LAYOUT as $T/NAME-{direct,cairo}.pdf
both() {
    PAMPHLET_WRITER=direct "$PAMPHLET" "$1" -l "$2" -o "$T/$3-direct.pdf" -q &&
        PAMPHLET_WRITER=cairo "$PAMPHLET" "$1" -l "$2" -o "$T/$3-cairo.pdf" -q
}

# NAME: the pages of both look the same (at most 0.05 % of the pixels differ by > 25 % from
# everything within a pixel of them in the other)
same_pages() {
    rm -f "$T"/d-*.pgm "$T"/c-*.pgm
    pdftoppm -r 50 -gray "$T/$1-direct.pdf" "$T/d" && pdftoppm -r 50 -gray "$T/$1-cairo.pdf" "$T/c" || return 1
    python3 - "$T" <<'EOF'
import glob, os, sys
t = sys.argv[1]
def pgm(p):
    with open(p, "rb") as f:
        data = f.read()
    parts, i = [], 0
    while len(parts) < 4:  # P5 w h max, comments skipped
        while data[i:i + 1].isspace(): i += 1
        if data[i:i + 1] == b"#":
            i = data.index(b"\n", i)
            continue
        j = i
        while not data[j:j + 1].isspace(): j += 1
        parts.append(data[i:j]); i = j
    w, h = int(parts[1]), int(parts[2])
    return w, h, data[i + 1:i + 1 + w * h]
d = sorted(glob.glob(os.path.join(t, "d-*.pgm")))
c = sorted(glob.glob(os.path.join(t, "c-*.pgm")))
assert d and len(d) == len(c), f"{len(d)} pages against cairo's {len(c)}"
worst = 0
for a, b in zip(d, c):
    wa, ha, pa = pgm(a); wb, hb, pb = pgm(b)
    assert (wa, ha) == (wb, hb), f"{os.path.basename(a)}: {wa}x{ha} against {wb}x{hb}"
    # a pixel differs when nothing within one pixel of it in the other page is near its
    # shade: a glyph a fraction of a pixel off (rounded otherwise by the rasteriser) is the
    # same page; a missing or extra mark is not
    def near(p, q, i):
        x, y = i % wa, i // wa
        return any(abs(p[i] - q[yy * wa + xx]) <= 64 for yy in range(max(0, y - 1), min(ha, y + 2))
                   for xx in range(max(0, x - 1), min(wa, x + 2)))
    diff = [i for i, (x, y) in enumerate(zip(pa, pb)) if abs(x - y) > 64]
    bad = [i for i in diff if not near(pa, pb, i) or not near(pb, pa, i)]
    worst = max(worst, len(bad))
    assert len(bad) <= 0.0005 * wa * ha, f"{os.path.basename(a)}: {len(bad)} of {wa * ha} pixels differ, e.g. at {[(i % wa, i // wa) for i in bad[:5]]}"
print(f"{len(d)} pages, at most {worst} pixels apart")
EOF
}

same_text() {
    pdftotext "$T/$1-direct.pdf" "$T/d.txt" && pdftotext "$T/$1-cairo.pdf" "$T/c.txt" &&
        python3 - "$T/d.txt" "$T/c.txt" <<'EOF'
import sys
from collections import Counter
d, c = (open(p, encoding="utf-8").read().split() for p in sys.argv[1:3])
# the same words, each as often (pdftotext orders the cells of a table by their places to
# a hundredth of a point, so its reading order may differ where the layout does not)
extra, missing = Counter(d) - Counter(c), Counter(c) - Counter(d)
assert not extra and not missing, f"words not in cairo's: {list(extra)[:8]}; missing: {list(missing)[:8]}"
same = sum(1 for x, y in zip(d, c) if x == y)
assert same >= 0.98 * len(c), f"only {same} of {len(c)} words in the same place of the text"
print(f"{len(d)} words")
EOF
}

fonts_ok() {
    pdffonts "$T/$1-direct.pdf" | python3 -c "
import sys
rows = sys.stdin.read().splitlines()[2:]
assert rows, 'no fonts'
for r in rows:
    f = r.split()
    assert f[-5:-2] == ['yes', 'yes', 'yes'], 'not embedded, subset, with ToUnicode: ' + r
print(len(rows), 'fonts')" && qpdf --check "$T/$1-direct.pdf" >/dev/null
}

mkdir -p "$T/docs"
while read -r name file layout; do
    if both "$file" "$layout" "$name"; then
        check "$name: the pages look as cairo's (poppler, 50 dpi)" same_pages "$name"
        check "$name: the same words as cairo's (pdftotext)" same_text "$name"
        check "$name: fonts embedded as subsets with ToUnicode, qpdf --check clean" fonts_ok "$name"
    else
        check "$name: both writers ran" false
    fi
done <<EOF
1917 content/1917.md layouts/a5.yaml
common-sense content/common-sense.md layouts/a5.yaml
rights content/tenants/know-your-rights.md layouts/a5-modern.yaml
arabic content/intl/ar-protections.md layouts/a5-rtl.yaml
japanese content/intl/ja-debian.md layouts/a5-cjk.yaml
EOF

# A word changed on Common Sense's 10th page: the pages before keep their content
# streams, and so do the pages after once the layout meets the first run's again.
contents() { # PDF OUT: each page's content stream, uncompressed, one file per page
    qpdf --qdf --object-streams=disable "$1" "$2.qdf" && python3 - "$2.qdf" "$2" <<'EOF'
import re, sys
d = open(sys.argv[1], "rb").read()
objs = {int(m.group(1)): m.group(2) for m in re.finditer(rb"\n(\d+) 0 obj\n(.*?)\nendobj", d, re.S)}
pages = re.findall(rb"%% Contents for page (\d+)\n(?:%%[^\n]*\n)*(\d+) 0 obj", d)
for n, o in pages:
    body = objs[int(o)]
    open(f"{sys.argv[2]}.{int(n):03d}", "wb").write(body[body.index(b"stream\n") + 7:])
print(len(pages))
EOF
}
kept_pages() {
    python3 - <<'EOF' >"$T/edited.md" || return 1
import re
s = open("content/common-sense.md", encoding="utf-8").read()
# a word of the paragraph that opens "Of the Origin and Design of Government" (page 10 or so)
i = s.index("Some writers have so confounded society with government")
s = s[:i] + s[i:].replace("confounded", "confused", 1)
open("/dev/stdout", "w", encoding="utf-8").write(s)
EOF
    cp -r content/images "$T/" 2>/dev/null
    PAMPHLET_WRITER=direct "$PAMPHLET" "$T/edited.md" -l layouts/a5.yaml -o "$T/edited.pdf" -q || return 1
    contents "$T/common-sense-direct.pdf" "$T/a" >/dev/null && contents "$T/edited.pdf" "$T/b" >/dev/null || return 1
    python3 - "$T" <<'EOF'
import glob, os, sys
t = sys.argv[1]
a = sorted(glob.glob(os.path.join(t, "a.[0-9]*"))); b = sorted(glob.glob(os.path.join(t, "b.[0-9]*")))
assert len(a) == len(b), f"{len(a)} pages, then {len(b)}"
changed = [i + 1 for i, (x, y) in enumerate(zip(a, b)) if open(x, "rb").read() != open(y, "rb").read()]
assert 1 <= len(changed) <= 2, f"pages whose content changed: {changed}"
print(f"{len(a)} pages, changed: {changed}")
EOF
}
check "an edited word: only the pages it reaches get new content streams" kept_pages
# the control: the page comparison sees a few words set otherwise (the same words in
# capitals: the text check would not see it)
python3 - "$T/caps.md" <<'EOF2'
import sys
s = open("content/common-sense.md", encoding="utf-8").read()
w = "Some writers have so confounded society with government"
open(sys.argv[1], "w", encoding="utf-8").write(s.replace(w, w.upper(), 1))
EOF2
PAMPHLET_WRITER=direct "$PAMPHLET" "$T/caps.md" -l layouts/a5.yaml -o "$T/caps-direct.pdf" -q
cp "$T/common-sense-cairo.pdf" "$T/caps-cairo.pdf"
differs() { ! same_pages "$1" >/dev/null 2>&1; }
check "a few words in capitals: not the pages cairo drew (the page check can fail)" differs caps

echo "direct e2e: $npass passed, $nfail failed"
[ "$nfail" = 0 ]
