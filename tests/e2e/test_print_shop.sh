#!/usr/bin/env bash
# End-to-end: structure and print-shop output of the reading PDF:
#   - the structure tree holds lists (L/LI/Lbl/LBody, nested lists nested) and tables
#     (Table/TR/TH/TD, the header row as TH) in reading order; qpdf --check clean; two
#     runs byte-identical;
#   - with `page: bleed: 3mm`, a full-page cover picture and a cover colour reach the edge
#     of the MediaBox (every pixel of the outermost rows and columns of a pdftoppm render
#     is ink, not paper);
# PAMPHLET=path overrides ./pamphlet. Needs poppler-utils, qpdf, python3.
set -u
PAMPHLET=${PAMPHLET:-$(cd "$(dirname "$0")/../.." && pwd)/pamphlet}
case $PAMPHLET in /*) ;; *) PAMPHLET=$PWD/$PAMPHLET ;; esac
cd "$(dirname "$0")/../.."
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export SOURCE_DATE_EPOCH=1700000000
npass=0
nfail=0
check() { # name, command...
    local name=$1 out
    shift
    if out=$("$@" 2>&1); then
        npass=$((npass + 1)); echo "ok   $name"
    else
        nfail=$((nfail + 1)); echo "FAIL $name"; echo "$out" | sed 's/^/     | /' | head -n 12
    fi
}

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

echo "print-shop e2e: $npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
