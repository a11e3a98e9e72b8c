#!/usr/bin/env bash
# End-to-end: structure and print-shop output of the reading PDF:
#   - the structure tree holds lists (L/LI/Lbl/LBody, nested lists nested) and tables
#     (Table/TR/TH/TD, the header row as TH) in reading order; qpdf --check clean; two
#     runs byte-identical;
#   - with `page: bleed: 3mm`, a full-page cover picture and a cover colour reach the edge
#     of the MediaBox (every pixel of the outermost rows and columns of a pdftoppm render
#     is ink, not paper);
#   - --print-shop: TrimBox and BleedBox stay as the trim and the bleed, the MediaBox grows
#     round them; crop marks lie outside the bleed on the trim lines' extensions and
#     nothing else of the page shows outside the bleed (a 72 dpi render); without bleed, a
#     warning and BleedBox = TrimBox; --print-shop with --booklet is refused (exit 2);
#   - --pdfx: PDF 1.6, an OutputIntent /GTS_PDFX with a CMYK profile (N 4), Info
#     /GTS_PDFXVersion (PDF/X-4) and /Trapped /False, XMP pdfxid:GTS_PDFXVersion, a TrimBox
#     on every page, /DefaultRGB in every page's resources; Ghostscript renders it with
#     the output intent's profile (-dUsePDFX3Profile) with no error or warning; poppler
#     reads it as PDF/X-4; two runs byte-identical; --pdfx --no-finish refused (exit 2);
#   - booklet marks never inside the copier's unprintable edge: 140 x 200 mm pages on A4
#     with --marks warn and name A3; no ink within 5 mm of the sheet's edge (and there is
#     with --printer-margin 0); on A3 no warning.
# PAMPHLET=path overrides ./pamphlet. Needs poppler-utils, qpdf, python3.
. "$(dirname "$0")/harness.sh" # PAMPHLET, T, check (tests/e2e/harness.sh)

# ---- structure: lists and tables ----
"$PAMPHLET" tests/e2e/data/lists-tables.md -l layouts/a5.yaml -o "$T/lt.pdf" -q || { echo "FAIL cannot render"; exit 1; }
"$PAMPHLET" tests/e2e/data/lists-tables.md -l layouts/a5.yaml -o "$T/lt2.pdf" -q || exit 1
# the elements (and the text of the ones holding some) in reading order, indented as nested
struct_outline() { pdfinfo -struct-text "$1" | grep -E '^ *(L|LI|Lbl|LBody|Table|TR|TH|TD|P|H1)( |$)|^ *"' | sed 's/ (block)//'; }
expect_struct() {
    struct_outline "$T/lt.pdf" >"$T/got.txt"
    cat >"$T/want.txt" <<'W'
  P
    "Lists and tables"
  H1
    "Lists"
  P
    "Before the list."
  L
    LI
      Lbl
        "•"
      LBody
        P
          "First item"
    LI
      Lbl
        "•"
      LBody
        P
          "Second item with a nested list:"
        L
          LI
            Lbl
              "1."
            LBody
              P
                "Nested one"
          LI
            Lbl
              "2."
            LBody
              P
                "Nested two"
    LI
      Lbl
        "•"
      LBody
        P
          "Last item"
  Table
    TR
      TH
        "Name"
      TH
        "Rent"
      TH
        "Notes"
    TR
      TD
        "Ann"
      TD
        "400"
      TD
        "A long note that wraps onto more than one line in this narrow cell of the table"
    TR
      TD
        "Bob"
      TD
        "500"
      TD
        "Short"
W
    # (pdfinfo joins a cell's lines without the space between them: texts without spaces)
    sed -Ei ':a; s/^( *"[^ "]*) /\1/; ta' "$T/got.txt" "$T/want.txt"
    diff "$T/want.txt" <(head -n "$(wc -l <"$T/want.txt")" "$T/got.txt")
}
check "lists and tables: L/LI/Lbl/LBody (nested) and Table/TR/TH/TD in reading order" expect_struct
check "lists and tables: qpdf --check clean" qpdf --check "$T/lt.pdf"
check "lists and tables: two runs byte-identical" cmp "$T/lt.pdf" "$T/lt2.pdf"
kyr_struct() { # the tenants' guide: its lists and its table in the tree
    "$PAMPHLET" content/tenants/know-your-rights.md -l layouts/a5.yaml -o "$T/kyr.pdf" -q || return 1
    local s; s=$(pdfinfo -struct-text "$T/kyr.pdf")
    for e in L LI Lbl LBody Table TR TH TD; do
        echo "$s" | grep -qE "^ *$e( |$)" || { echo "no $e"; return 1; }
    done
}
check "know-your-rights: lists and tables in the structure tree" kyr_struct

# ---- a full-bleed cover ----
edge_inked() { # pdf: the first page's outermost pixels are not paper white
    pdftoppm -r 50 -f 1 -l 1 "$1" "$T/edge" || return 1
    python3 - "$T"/edge-*1.ppm <<'PY'
import sys
d = open(sys.argv[1], 'rb').read()
parts = d.split(maxsplit=4)
w, h = int(parts[1]), int(parts[2])
px = parts[4]
def at(x, y):
    o = 3 * (y * w + x)
    return px[o:o + 3]
# (the last column and row are mostly off the page: 436.5 pt at 50 dpi is 303.2 pixels)
W, H = w - 1, h - 1
border = [(x, 0) for x in range(W)] + [(x, H - 1) for x in range(W)] + \
         [(0, y) for y in range(H)] + [(W - 1, y) for y in range(H)]
white = [p for p in border if min(at(*p)) >= 245]
print(f"{w}x{h}: {len(white)} of {len(border)} edge pixels paper white")
sys.exit(1 if white else 0)
PY
    local rc=$?
    rm -f "$T"/edge-*.ppm
    return $rc
}
"$PAMPHLET" tests/e2e/data/bleed-cover.md -l tests/e2e/data/bleed-cover.yaml -o "$T/cover.pdf" -q || exit 1
"$PAMPHLET" tests/e2e/data/bleed-cover.md -l tests/e2e/data/bleed-colour.yaml -o "$T/colour.pdf" -q || exit 1
check "bleed 3mm: a full-page cover picture reaches the MediaBox edge" edge_inked "$T/cover.pdf"
check "bleed 3mm: a cover colour reaches the MediaBox edge" edge_inked "$T/colour.pdf"
not_edge_inked() { ! edge_inked "$1"; }
sed '/^cover:/d' tests/e2e/data/bleed-cover.md >"$T/nocover.md"
"$PAMPHLET" "$T/nocover.md" -l tests/e2e/data/bleed-cover.yaml -o "$T/nocover.pdf" -q || exit 1
check "bleed 3mm without a cover picture: the edge stays white (the check can fail)" not_edge_inked "$T/nocover.pdf"

# ---- --print-shop ----
"$PAMPHLET" tests/e2e/data/bleed-cover.md -l tests/e2e/data/bleed-cover.yaml -o "$T/shop.pdf" --print-shop -q || exit 1
shop_boxes() { # pdf bleed-pt: boxes as they should be on every page
    pdfinfo -box -f 1 -l 99 "$1" | python3 -c '
import sys, re
b = float(sys.argv[1]); boxes = {}; pages = 0
for line in sys.stdin:
    m = re.match(r"Page +(\d+) +(\w+Box): +(.*)", line)
    if not m: continue
    boxes.setdefault(m[1], {})[m[2]] = [float(v) for v in m[3].split()]
for p, bx in boxes.items():
    t, bl, mb = bx["TrimBox"], bx["BleedBox"], bx["MediaBox"]
    w, h = t[2] - t[0], t[3] - t[1]
    assert abs(w - 419.53) < 0.1 and abs(h - 595.28) < 0.1, f"page {p}: trim {w} x {h}, not A5"
    want = [t[0] - b, t[1] - b, t[2] + b, t[3] + b]
    assert all(abs(x - y) < 0.05 for x, y in zip(bl, want)), f"page {p}: BleedBox {bl}, not trim + {b}"
    room = b + 7 * 72 / 25.4 # (2 mm gap and 5 mm marks)
    assert mb[0] <= t[0] - room and mb[1] <= t[1] - room and mb[2] >= t[2] + room and mb[3] >= t[3] + room, \
        f"page {p}: MediaBox {mb} has no room for marks outside the bleed"
    pages += 1
assert pages >= 2, "no pages"
print(pages, "pages")
' "$2"
}
check "--print-shop, bleed 3mm: TrimBox A5, BleedBox = trim + 3 mm, MediaBox holds the marks" shop_boxes "$T/shop.pdf" 8.504
marks_outside() { # pdf bleed-pt: ink outside the bleed only on the trim lines (the marks), at every corner
    local mb
    mb=$(pdfinfo -box -f 1 -l 1 "$1" | awk '/Page +1 MediaBox/ {print $4, $5, $6, $7}')
    pdftoppm -r 72 -f 1 -l 1 "$1" "$T/marks" || return 1
    python3 - "$T"/marks-*1.ppm "$2" $mb <<'PY'
import sys
d = open(sys.argv[1], 'rb').read()
parts = d.split(maxsplit=4)
w, h, px = int(parts[1]), int(parts[2]), parts[4]
b = float(sys.argv[2]); x0, y0, x1, y1 = map(float, sys.argv[3:7])
# the trim in pixels (1 px = 1 pt): the trim is the MediaBox's original page at 0,0 + b
tx0, ty0 = -x0 + b, y1 - (595.28 + b)  # left and top edges of the trim, from the top left
tx1, ty1 = tx0 + 419.53, ty0 + 595.28
def dark(x, y):
    o = 3 * (y * w + x)
    return min(px[o:o + 3]) < 160
stray, corners = [], set()
for y in range(h):
    for x in range(w):
        inside = tx0 - b - 1 <= x <= tx1 + b + 1 and ty0 - b - 1 <= y <= ty1 + b + 1
        if inside or not dark(x, y): continue
        on_v = min(abs(x - tx0), abs(x - tx1)) < 2
        on_h = min(abs(y - ty0), abs(y - ty1)) < 2
        # a mark starts 2 mm outside the bleed
        far = x < tx0 - b - 4 or x > tx1 + b + 4 or y < ty0 - b - 4 or y > ty1 + b + 4
        if (on_v or on_h) and far:
            corners.add((x < w / 2, y < h / 2))
        else:
            stray.append((x, y))
print(f"{len(corners)} corners marked, {len(stray)} stray dark pixels outside the bleed", stray[:5])
sys.exit(0 if len(corners) == 4 and not stray else 1)
PY
    local rc=$?
    rm -f "$T"/marks-*.ppm
    return $rc
}
check "--print-shop: crop marks at the four corners outside the bleed, nothing else outside it" marks_outside "$T/shop.pdf" 8.504
"$PAMPHLET" tests/e2e/data/bleed-cover.md -l tests/e2e/data/bleed-cover.yaml -o "$T/noshop.pdf" -q || exit 1
no_marks() { ! marks_outside "$1" 8.504 >/dev/null; }
check "without --print-shop: no marks (the check can fail)" no_marks "$T/noshop.pdf"
shop_no_bleed() {
    local err
    err=$("$PAMPHLET" tests/e2e/data/lists-tables.md -l layouts/a5.yaml -o "$T/shop0.pdf" --print-shop 2>&1) || return 1
    echo "$err" | grep -q "no bleed" || { echo "no warning: $err"; return 1; }
    shop_boxes "$T/shop0.pdf" 0 && marks_outside "$T/shop0.pdf" 0
}
check "--print-shop without bleed: a warning, BleedBox = TrimBox, marks at the trim" shop_no_bleed
shop_booklet() {
    "$PAMPHLET" tests/e2e/data/lists-tables.md -l layouts/a5.yaml -o "$T/x.pdf" --print-shop --booklet "$T/xb.pdf" 2>"$T/err"
    [ $? -eq 2 ] && grep -q -- "--print-shop" "$T/err" && grep -q -- "--booklet" "$T/err"
}
check "--print-shop with --booklet: refused, exit 2, naming both" shop_booklet

# ---- --pdfx ----
"$PAMPHLET" content/1917.md -l layouts/a5.yaml -o "$T/x4.pdf" --pdfx -q || { echo "FAIL --pdfx"; exit 1; }
"$PAMPHLET" content/1917.md -l layouts/a5.yaml -o "$T/x4b.pdf" --pdfx -q || exit 1
"$PAMPHLET" content/1917.md -l layouts/a5.yaml -o "$T/plain.pdf" -q || exit 1
pdfx_objects() { # pdf: what PDF/X-4 asks for, in qpdf's JSON
    head -c 8 "$1" | grep -q '%PDF-1.6' || { echo "not PDF 1.6: $(head -c 8 "$1")"; return 1; }
    qpdf --json --json-key=qpdf "$1" >"$T/j.json" || return 1
    python3 - "$T/j.json" <<'PY'
import sys, json
j = json.load(open(sys.argv[1]))["qpdf"][1]
def get(ref):
    if isinstance(ref, str) and ref.endswith(" R"):
        o = j["obj:" + ref]
        return o["value"] if "value" in o else o["stream"]["dict"]
    return ref
trailer = j["trailer"]["value"]
root, info = get(trailer["/Root"]), get(trailer["/Info"])
ois = get(root.get("/OutputIntents", []))
assert ois, "no /OutputIntents"
oi = get(ois[0])
assert oi.get("/S") == "/GTS_PDFX", "output intent /S %s" % oi.get("/S")
prof = get(oi["/DestOutputProfile"])
assert prof.get("/N") == 4, "profile /N %s" % prof.get("/N")
assert info.get("/GTS_PDFXVersion") == "u:PDF/X-4", "GTS_PDFXVersion %s" % info.get("/GTS_PDFXVersion")
assert info.get("/Trapped") == "/False", "Trapped %s" % info.get("/Trapped")
assert info.get("/CreationDate") and info.get("/ModDate"), "no dates"
n = 0
for k, o in j.items():
    v = o.get("value") if isinstance(o, dict) else None
    if isinstance(v, dict) and v.get("/Type") == "/Page":
        n += 1
        assert "/TrimBox" in v, "%s: no TrimBox" % k
        cs = get(get(v["/Resources"]).get("/ColorSpace", {}))
        assert "/DefaultRGB" in cs, "%s: no /DefaultRGB" % k
assert n > 10, "%d pages" % n
print(n, "pages")
PY
}
check "--pdfx: PDF 1.6, OutputIntent GTS_PDFX (CMYK), GTS_PDFXVersion, Trapped, TrimBox and DefaultRGB on every page" pdfx_objects "$T/x4.pdf"
no_pdfx() { ! pdfx_objects "$1" >/dev/null 2>&1; }
check "without --pdfx: none of it (the check can fail)" no_pdfx "$T/plain.pdf"
pdfx_xmp() { pdfinfo -meta "$1" | grep -q '<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>' &&
             pdfinfo "$1" | grep -q 'PDF subtype: *PDF/X-4'; }
check "--pdfx: XMP pdfxid:GTS_PDFXVersion; poppler reads PDF/X-4" pdfx_xmp "$T/x4.pdf"
gs_pdfx() { # Ghostscript renders it through the output intent's profile, with no error or warning
    local out
    out=$(gs -q -dNOPAUSE -dBATCH -dSAFER -dPDFSTOPONERROR -dPDFSTOPONWARNING -dUsePDFX3Profile -sDEVICE=nullpage "$1" 2>&1) || { echo "$out"; return 1; }
    [ -z "$out" ] || { echo "$out"; return 1; }
}
check "--pdfx: Ghostscript with the output intent's profile: no error, no warning" gs_pdfx "$T/x4.pdf"
check "--pdfx: qpdf --check clean" qpdf --check "$T/x4.pdf"
check "--pdfx: two runs byte-identical" cmp "$T/x4.pdf" "$T/x4b.pdf"
pdfx_nofinish() {
    "$PAMPHLET" content/1917.md -l layouts/a5.yaml -o "$T/y.pdf" --pdfx --no-finish 2>"$T/err"
    [ $? -eq 2 ] && grep -q -- "--pdfx" "$T/err" && [ ! -e "$T/y.pdf" ]
}
check "--pdfx --no-finish: refused, exit 2, naming --pdfx, nothing written" pdfx_nofinish

# ---- booklet marks and the printer margin ----
edge_clear() { # pdf mm: no ink within mm of the first sheet side's edge (72 dpi render)
    pdftoppm -r 72 -f 1 -l 1 "$1" "$T/side" || return 1
    python3 - "$T"/side-*1.ppm "$2" <<'PY'
import sys
d = open(sys.argv[1], 'rb').read()
parts = d.split(maxsplit=4)
w, h, px = int(parts[1]), int(parts[2]), parts[4]
m = int(float(sys.argv[2]) * 72 / 25.4) - 1
bad = [(x, y) for y in range(h) for x in range(w)
       if (x < m or y < m or x >= w - 1 - m or y >= h - 1 - m) and min(px[3 * (y * w + x):3 * (y * w + x) + 3]) < 160]
print(f"{len(bad)} dark pixels within {sys.argv[2]} mm of the edge", bad[:4])
sys.exit(1 if bad else 0)
PY
    local rc=$?
    rm -f "$T"/side-*.ppm
    return $rc
}
marks_margin() {
    "$PAMPHLET" tests/e2e/data/lists-tables.md -l tests/e2e/data/page-140x200.yaml -o "$T/m.pdf" \
        --booklet "$T/mb.pdf" --marks --sheet A4 2>"$T/err" || return 1
    grep -q "would reach into the 5.0 mm" "$T/err" && grep -q "(A3) would hold them" "$T/err" ||
        { cat "$T/err"; return 1; }
    edge_clear "$T/mb.pdf" 5
}
check "booklet --marks on a tight sheet: warned (A3 would hold them), no mark within 5 mm of the edge" marks_margin
marks_margin0() {
    "$PAMPHLET" tests/e2e/data/lists-tables.md -l tests/e2e/data/page-140x200.yaml -o "$T/m.pdf" \
        --booklet "$T/mb0.pdf" --marks --sheet A4 --printer-margin 0mm -q || return 1
    ! edge_clear "$T/mb0.pdf" 5 >/dev/null
}
check "the same with --printer-margin 0mm: marks within 5 mm of the edge (the check can fail)" marks_margin0
marks_a3() {
    "$PAMPHLET" tests/e2e/data/lists-tables.md -l tests/e2e/data/page-140x200.yaml -o "$T/m.pdf" \
        --booklet "$T/mb3.pdf" --marks --sheet A3 2>"$T/err" || return 1
    ! grep -q "would reach into" "$T/err" && edge_clear "$T/mb3.pdf" 5
}
check "on A3: no warning, no mark within 5 mm of the edge" marks_a3

echo "print-shop e2e: $npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
