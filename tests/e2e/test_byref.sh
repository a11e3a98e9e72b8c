#!/usr/bin/env bash
# test_byref.sh - the booklets are imposed by reference: each reading page is placed on
# the sheet as a Form XObject of its own content stream, so colours, images and fonts stay
# byte for byte (a K-only `0 g` page stays without `rg`), `impose` places pages by their
# TrimBox, and two runs write the same bytes.
#
# Run from the repository root (PAMPHLET=path overrides ./pamphlet). One line per check;
# exits 0 when all pass. Needs: python3, qpdf, poppler-utils (pdftoppm, pdffonts, pdfinfo).
set -u

PAMPHLET=${PAMPHLET:-./pamphlet}
CHECK="python3 tests/tools/byref_check.py"
T=$(mktemp -d "${TMPDIR:-/tmp}/pm-byref.XXXXXX")
trap 'rm -rf "$T"' EXIT
export SOURCE_DATE_EPOCH=1700000000

npass=0
nfail=0
pass() { npass=$((npass + 1)); echo "ok   $*"; }
fail() { nfail=$((nfail + 1)); echo "FAIL $*"; }
for tool in python3 qpdf pdftoppm pdffonts pdfinfo; do
    command -v "$tool" >/dev/null || { echo "FAIL missing tool: $tool"; exit 1; }
done
[ -x "$PAMPHLET" ] || { echo "FAIL no $PAMPHLET: run make first"; exit 1; }

# check LABEL byref_check-args...: one line
check() {
    local label=$1 out
    shift
    if out=$($CHECK "$@" 2>&1); then pass "$label: $out"; else fail "$label: $out"; fi
}

# mkpdf OUT.pdf MEDIABOX TRIMBOX|- CONTENT...: a PDF of one page per CONTENT (a content
# stream, with the font /F1 = Helvetica), written here with a correct cross-reference table
mkpdf() {
    python3 - "$@" <<'EOF'
import sys
sys.path.insert(0, "tests/e2e")
from mini_pdf import write_pdf
out, media, trim, contents = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
n = len(contents)
objs = ["<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [%s] /Count %d >>" % (" ".join("%d 0 R" % (4 + 2 * i) for i in range(n)), n),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
for i, c in enumerate(contents):
    box = "" if trim == "-" else " /TrimBox [%s]" % trim
    objs.append("<< /Type /Page /Parent 2 0 R /MediaBox [%s]%s /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>"
                % (media, box, 5 + 2 * i))
    objs.append("<< /Length %d >>\nstream\n%s\nendstream" % (len(c) + 1, c))
write_pdf(out, objs)
EOF
}

# ---- the reading PDF's pages, fonts and images: the same bytes in the booklet ------------
for name in 1917 common-sense; do
    if "$PAMPHLET" content/$name.md -l layouts/a5.yaml -o "$T/$name.pdf" --booklet "$T/$name-b.pdf" -q 2>"$T/e.txt"; then
        check "$name --booklet by reference" same "$T/$name.pdf" "$T/$name-b.pdf"
        "$PAMPHLET" content/$name.md -l layouts/a5.yaml -o "$T/$name.pdf" --booklet "$T/$name-c.pdf" --fold 2up --sheet A3 -q 2>/dev/null &&
            check "$name --fold 2up: each page one Form however many cells show it" same "$T/$name.pdf" "$T/$name-c.pdf"
    else
        fail "$name: $(head -n 3 "$T/e.txt")"
    fi
done

# --booklet with --no-pdf: the reading PDF is made for the booklet and left nowhere; the
# same booklet as with -o
mkdir "$T/only"
before=$(ls -A content | tr '\n' ' ')
if "$PAMPHLET" content/1917.md -l layouts/a5.yaml --no-pdf --booklet "$T/only/b.pdf" -q 2>"$T/e.txt"; then
    left=$(cd "$T/only" && ls -A | tr '\n' ' ')
    if [ "$left" = "b.pdf " ] && [ "$(ls -A content | tr '\n' ' ')" = "$before" ]; then pass "--booklet --no-pdf: no reading PDF or temporary left"
    else fail "--booklet --no-pdf left: $left; content/ now: $(ls -A content | tr '\n' ' ')"; fi
    if cmp -s "$T/only/b.pdf" "$T/1917-b.pdf"; then pass "--booklet --no-pdf: the same bytes as with -o"; else fail "--booklet --no-pdf differs from the booklet made with -o"; fi
else
    fail "--booklet --no-pdf: $(head -n 3 "$T/e.txt")"
fi

# ---- a K-only page stays K-only ----------------------------------------------------------
mkpdf "$T/k.pdf" "0 0 420 595" - "0 g BT /F1 24 Tf 72 500 Td (Black only) Tj ET" \
    "0 G 2 w 72 72 m 300 300 l S 0 g 100 400 50 50 re f" "0 g BT /F1 12 Tf 72 300 Td (three) Tj ET"
if "$PAMPHLET" impose "$T/k.pdf" -o "$T/kb.pdf" -q 2>"$T/e.txt" && qpdf --check "$T/kb.pdf" >/dev/null 2>&1; then
    check "impose of a DeviceGray page: its operators kept" ops "$T/kb.pdf" --has g --not rg --not RG --not k --not sc --not scn
    check "impose of a DeviceGray page: its content stream kept" same "$T/k.pdf" "$T/kb.pdf" --base14
    "$PAMPHLET" impose "$T/k.pdf" -o "$T/kbm.pdf" --marks --sheet A3 --fold 2up -q 2>/dev/null
    if qpdf --qdf --object-streams=disable "$T/kbm.pdf" "$T/kbm.qdf" 2>/dev/null && grep -aq " m .* l" "$T/kbm.qdf" &&
        ! grep -aqE "(^| )(rg|RG|k|K|sc|scn)( |$)" "$T/kbm.qdf"; then
        pass "impose --marks --fold 2up of a DeviceGray PDF: marks and cut lines in gray, no colour operator anywhere"
    else fail "impose --marks of a DeviceGray PDF: a colour operator or no marks in $(grep -acE '(rg|RG)' "$T/kbm.qdf") lines"; fi
else
    fail "impose of a DeviceGray PDF: $(head -n 3 "$T/e.txt")"
fi

# two pages sharing one content stream (tools merge identical streams) with fonts of their
# own: each page's Form keeps its own resources
python3 - "$T/shared.pdf" <<'EOF'
import sys
sys.path.insert(0, "tests/e2e")
from mini_pdf import write_pdf
c = "BT /F1 24 Tf 72 500 Td (Same words) Tj ET"
objs = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [4 0 R 5 0 R] /Count 2 >>",
        "<< /Length %d >>\nstream\n%s\nendstream" % (len(c) + 1, c),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 595] /Resources << /Font << /F1 6 0 R >> >> /Contents 3 0 R >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 595] /Resources << /Font << /F1 7 0 R >> >> /Contents 3 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", "<< /Type /Font /Subtype /Type1 /BaseFont /Courier >>"]
write_pdf(sys.argv[1], objs)
EOF
if "$PAMPHLET" impose "$T/shared.pdf" -o "$T/sharedb.pdf" -q 2>"$T/e.txt" &&
    fonts=$(pdffonts "$T/sharedb.pdf" 2>/dev/null | awk 'NR > 2 { print $1 }' | sort | tr '\n' ' ') &&
    [ "$fonts" = "Courier Helvetica " ]; then
    pass "impose, two pages sharing a content stream: each keeps its own font ($fonts)"
else fail "impose, two pages sharing a content stream: fonts '${fonts:-}' $(head -n 2 "$T/e.txt")"; fi

# ---- impose places by TrimBox ------------------------------------------------------------
# MediaBox 500 x 700 with a black bleed all round; TrimBox 420 x 595 (A5) white with a black
# 20 pt square in its top-left corner. Placed by the TrimBox, each A5 fills half an A4 sheet
# at full size, the bleed clipped away: the sheet is white but for the squares.
page="0 g 0 0 500 700 re f 1 g 40 50 420 595 re f 0 g 40 625 20 20 re f"
mkpdf "$T/trim.pdf" "0 0 500 700" "40 50 460 645" "$page" "$page" "$page" "$page"
if "$PAMPHLET" impose "$T/trim.pdf" -o "$T/trimb.pdf" -q 2>"$T/e.txt"; then
    check "impose by TrimBox: the Forms' box" bbox "$T/trimb.pdf" 40 50 460 645
    size=$(pdfinfo "$T/trimb.pdf" | sed -n 's/^Page size: *\([0-9.]*\) x \([0-9.]*\).*/\1x\2/p')
    if [ "$size" = "841.89x595.276" ] && ! grep -q "scaled" "$T/e.txt"; then pass "impose by TrimBox: A5 trim on A4, not scaled"; else fail "impose by TrimBox: sheet $size, $(cat "$T/e.txt")"; fi
    pdftoppm -r 40 -gray -f 1 -l 1 -singlefile "$T/trimb.pdf" "$T/trim"
    if out=$(python3 - "$T/trim.pgm" <<'EOF'
import re, sys
data = open(sys.argv[1], "rb").read()
m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
w, h = int(m.group(1)), int(m.group(2))
px = data[m.end():]
dark = sum(p < 128 for p in px) / (w * h)
s = 40 / 72  # pixels per point
def at(x, y):
    return px[int(y * s) * w + int(x * s)] < 128
# front of a 4-page saddle: page 4 left, page 1 right; each square at its trim's top-left
ok = at(10, 10) and at(421 + 10, 10) and not at(10, 40) and not at(421 + 40, 10) and dark < 0.01
print(f"{dark:.2%} of the sheet dark, squares at the trims' corners: {ok}")
sys.exit(0 if ok else 1)
EOF
    ); then pass "impose by TrimBox on the PNG: $out"; else fail "impose by TrimBox on the PNG: $out"; fi
else
    fail "impose by TrimBox: $(head -n 3 "$T/e.txt")"
fi

# ---- two runs, the same bytes ------------------------------------------------------------
# (under the sanitizers one mode: byte-identity is not what they check)
modes=("" "--fold 2up --sheet A3 --marks" "--fold cut-stack --sheet A3 --duplex long" "--sides back --creep 0.2mm")
if [ -n "${ASAN_OPTIONS:-}${TSAN_OPTIONS:-}" ]; then modes=("--fold 2up --sheet A3 --marks"); fi
for args in "${modes[@]}"; do
    # shellcheck disable=SC2086
    env -u SOURCE_DATE_EPOCH "$PAMPHLET" content/1917.md -l layouts/a5.yaml -o "$T/x.pdf" --booklet "$T/x1.pdf" $args -q 2>/dev/null
    sleep 1
    # shellcheck disable=SC2086
    env -u SOURCE_DATE_EPOCH "$PAMPHLET" content/1917.md -l layouts/a5.yaml -o "$T/x.pdf" --booklet "$T/x2.pdf" $args -q 2>/dev/null
    if [ -s "$T/x1.pdf" ] && cmp -s "$T/x1.pdf" "$T/x2.pdf"; then pass "--booklet $args: two runs byte-identical"; else fail "--booklet $args: two runs differ"; fi
    rm -f "$T/x1.pdf" "$T/x2.pdf"
done
"$PAMPHLET" impose "$T/trim.pdf" -o "$T/i1.pdf" --fold zine8 -q 2>/dev/null
"$PAMPHLET" impose "$T/trim.pdf" -o "$T/i2.pdf" --fold zine8 -q 2>/dev/null
if [ -s "$T/i1.pdf" ] && cmp -s "$T/i1.pdf" "$T/i2.pdf"; then pass "impose --fold zine8: two runs byte-identical"; else fail "impose zine8: two runs differ"; fi

echo "byref e2e: $npass passed, $nfail failed"
[ "$nfail" = 0 ]
