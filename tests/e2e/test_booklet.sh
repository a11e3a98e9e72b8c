#!/usr/bin/env bash
# test_booklet.sh - end-to-end tests of the booklet output (--booklet) and `pamphlet impose`.
#
# Run from the repository root: tests/e2e/test_booklet.sh   (PAMPHLET=path overrides
# ./pamphlet). Prints one line per check; exits 0 when all pass, 1 otherwise. Every booklet
# is held against tests/tools/booklet_check.py (order, blanks, duplex turning, signatures,
# right-to-left). Needs: python3, poppler-utils (pdfinfo, pdftotext, pdftoppm), qpdf, groff.
set -u

PAMPHLET=${PAMPHLET:-./pamphlet}
CHECK="python3 tests/tools/booklet_check.py"
T=$(mktemp -d "${TMPDIR:-/tmp}/pm-booklet.XXXXXX")
trap 'rm -rf "$T"' EXIT
export SOURCE_DATE_EPOCH=1700000000

npass=0
nfail=0
pass() { npass=$((npass + 1)); echo "ok   $*"; }
fail() { nfail=$((nfail + 1)); echo "FAIL $*"; }

for tool in python3 pdfinfo pdftotext pdftoppm qpdf groff; do
    command -v "$tool" >/dev/null || { echo "FAIL missing tool: $tool"; exit 1; }
done
[ -x "$PAMPHLET" ] || { echo "FAIL no $PAMPHLET: run make first"; exit 1; }

pages_of() { pdfinfo "$1" 2>/dev/null | sed -n 's/^Pages: *//p'; }

# booklet_check READING BOOKLET LABEL [checker options]: one line, with the checker's
# output shown on failure
booklet_check() {
    local r=$1 b=$2 label=$3
    shift 3
    local out
    if out=$($CHECK "$r" "$b" "$@" 2>&1); then
        pass "$label: $(tail -n 1 <<<"$out")"
    else
        fail "$label: booklet_check $*"
        awk '!/ got / || /wrong/ { print "     " $0 }' <<<"$out" | tail -n 20
    fi
}

# ---- generated pamphlets of exactly N pages ----------------------------------------------

cat >"$T/L.yaml" <<'EOF'
extends: a5
cover: {enabled: false}
paragraph: {hyphenate: false}
EOF

# A6 and A7 pages, for 2up, cut-stack and zine8 on A4
cat >"$T/L6.yaml" <<'EOF'
extends: a5
page: {size: A6, margins: {top: 10mm, bottom: 12mm, inside: 10mm, outside: 10mm}}
fonts: {body: {family: "Linux Libertine O", size: 8pt, leading: 10pt}}
header: {offset: 4mm}
footer: {offset: 5mm}
cover: {enabled: false}
paragraph: {hyphenate: false}
EOF
cat >"$T/L7.yaml" <<'EOF'
extends: a5
page: {size: A7, margins: {top: 7mm, bottom: 9mm, inside: 7mm, outside: 7mm}}
fonts: {body: {family: "Linux Libertine O", size: 6.5pt, leading: 8pt}}
header: {offset: 3mm}
footer: {offset: 4mm}
cover: {enabled: false}
paragraph: {hyphenate: false}
EOF

# N pages with \newpage between them; each page its own words (letters only, 3+ long)
python3 - "$T" 1 2 3 4 5 6 7 8 9 19 33 50 <<'EOF'
import sys
d = sys.argv[1]
syl = ["ka", "lo", "mi", "ne", "ru", "sa", "te", "vo", "zu", "pi", "da", "fe", "go", "hu", "ji", "we"]
def word(n, k):
    # a word unique to page n: syllables of n, an x, syllables of k
    s, m = "", n
    for _ in range(3):
        s += syl[m % 16]; m //= 16
    s += "x"
    m = k
    for _ in range(2):
        s += syl[m % 16]; m //= 16
    return s
for n in map(int, sys.argv[2:]):
    pages = [" ".join(word(p, k) for k in range(36)) + "." for p in range(1, n + 1)]
    with open(f"{d}/p{n}.md", "w") as f:
        f.write("---\ntitle: Booklet test\n---\n\n" + "\n\n\\newpage\n\n".join(pages) + "\n")
EOF

# render N TAG [pamphlet options] -> $T/rN.pdf (reading) and $T/bN<TAG>.pdf (booklet), the
# how-to in $T/howtoN<TAG>.txt and diagnostics in $T/errN<TAG>.txt
render() {
    local n=$1 tag=$2
    shift 2
    "$PAMPHLET" "$T/p$n.md" -l "$T/L.yaml" -o "$T/r$n.pdf" --booklet "$T/b$n$tag.pdf" "$@" \
        >"$T/howto$n$tag.txt" 2>"$T/err$n$tag.txt" || {
        fail "pamphlet p$n.md $*: exit $?: $(head -n 3 "$T/err$n$tag.txt")"
        return 1
    }
}

# Under the sanitizers (make check-asan, check-tsan: several times slower) the same modes
# run on fewer page counts and one sample: the code paths are the same, the arithmetic is
# checked in full by the plain run.
SAN=; if [ -n "${ASAN_OPTIONS:-}${TSAN_OPTIONS:-}" ]; then SAN=1; fi
counts="1 2 3 4 5 8 19 50"; fcounts="1 2 3 4 5 8 19 33 50"; zcounts="1 2 3 4 5 6 7 8"; samples="1917 common-sense"
smodes=("short before-last 0 left" "long before-last 0 left" "short end 0 left" "long end 0 left"
        "short before-last 0 right" "long end 0 right" "short before-last 2 left" "long before-last 3 left")
sfolds=("2up short left" "2up long right" "cut-stack short left" "cut-stack long right")
if [ -n "$SAN" ]; then
    counts="5 19"; fcounts="8 19"; zcounts="5 8"; samples="1917"
    smodes=("short before-last 0 left" "long end 0 right" "long before-last 3 left"); sfolds=("2up long right" "cut-stack short left")
fi

for n in $counts; do
    if ! render "$n" sb; then continue; fi
    got=$(pages_of "$T/r$n.pdf")
    if [ "$got" = "$n" ]; then pass "p$n.md: reading PDF has $n pages"; else fail "p$n.md: reading PDF has $got pages, want $n"; continue; fi
    booklet_check "$T/r$n.pdf" "$T/b${n}sb.pdf" "$n pages short before-last" --duplex short --blanks before-last
    # the how-to names the blanks added
    blanks=$(( (n + 3) / 4 * 4 - n ))
    if [ "$blanks" = 0 ]; then want="0 blank pages added"; elif [ "$blanks" = 1 ]; then want="1 blank page added before the last page"; else want="$blanks blank pages added before the last page"; fi
    [ "$n" = 1 ] && want="3 blank pages added after the page (it stays the cover)"
    if grep -q "$want" "$T/howto${n}sb.txt"; then pass "$n pages: how-to says '$want'"; else fail "$n pages: how-to lacks '$want': $(head -n 1 "$T/howto${n}sb.txt")"; fi
    if [ "$n" = 5 ] && render "$n" q -q; then
        if [ ! -s "$T/howto${n}q.txt" ] && cmp -s "$T/b${n}q.pdf" "$T/b${n}sb.pdf"; then pass "-q: the same booklet, no how-to"
        else fail "-q: printed '$(head -n 1 "$T/howto${n}q.txt")' or the booklet differs"; fi
    fi
    render "$n" lb --duplex long && booklet_check "$T/r$n.pdf" "$T/b${n}lb.pdf" "$n pages long before-last" --duplex long
    render "$n" se --blanks end && booklet_check "$T/r$n.pdf" "$T/b${n}se.pdf" "$n pages short end" --blanks end
    render "$n" le --duplex long --blanks end && booklet_check "$T/r$n.pdf" "$T/b${n}le.pdf" "$n pages long end" --duplex long --blanks end
    render "$n" rs --binding right && booklet_check "$T/r$n.pdf" "$T/b${n}rs.pdf" "$n pages rtl short" --rtl
    render "$n" rl --binding right --duplex long --blanks end &&
        booklet_check "$T/r$n.pdf" "$T/b${n}rl.pdf" "$n pages rtl long end" --rtl --duplex long --blanks end
done

# signatures
for n in 19 50; do
    render "$n" g2 --signature 2 && booklet_check "$T/r$n.pdf" "$T/b${n}g2.pdf" "$n pages signature 2" --signature 2
    # long duplex: blanks where no sheet of the last signature is left entirely blank (the
    # checker cannot see which way up an empty sheet is: 50 pages with blanks at the end would
    # have one)
    bl=$([ "$n" = 19 ] && echo end || echo before-last)
    render "$n" g2l --signature 2 --duplex long --blanks "$bl" &&
        booklet_check "$T/r$n.pdf" "$T/b${n}g2l.pdf" "$n pages signature 2 long $bl" --signature 2 --duplex long --blanks "$bl"
    render "$n" g2r --signature 2 --binding right && booklet_check "$T/r$n.pdf" "$T/b${n}g2r.pdf" "$n pages signature 2 rtl" --signature 2 --rtl
done
render 50 g1 --signature 1 && booklet_check "$T/r50.pdf" "$T/b50g1.pdf" "50 pages signature 1" --signature 1
render 50 g3 --signature 3 && booklet_check "$T/r50.pdf" "$T/b50g3.pdf" "50 pages signature 3" --signature 3

# ---- the other folds: 2up, cut-stack, zine8 (tests/tools/fold_check.py) -------------------

FOLD_CHECK="python3 tests/tools/fold_check.py"
# fold_check READING IMPOSED LABEL [checker options]
fold_check() {
    local r=$1 b=$2 label=$3
    shift 3
    local out
    if out=$($FOLD_CHECK "$r" "$b" "$@" 2>&1); then
        pass "$label: $(tail -n 1 <<<"$out")"
    else
        fail "$label: fold_check $*"
        grep -E 'wrong|FAIL|need|not the' <<<"$out" | head -n 8 | sed 's/^/     /'
    fi
}

# frender N SIZE TAG [pamphlet options] -> $T/rN-SIZE.pdf (reading, layout L<SIZE>.yaml) and
# $T/fN-TAG.pdf (imposed); how-to in $T/fhowtoN-TAG.txt, diagnostics in $T/ferrN-TAG.txt
frender() {
    local n=$1 size=$2 tag=$3
    shift 3
    "$PAMPHLET" "$T/p$n.md" -l "$T/L$size.yaml" -o "$T/r$n-$size.pdf" --booklet "$T/f$n-$tag.pdf" "$@" \
        >"$T/fhowto$n-$tag.txt" 2>"$T/ferr$n-$tag.txt" || {
        fail "pamphlet p$n.md -l L$size.yaml $*: exit $?: $(head -n 3 "$T/ferr$n-$tag.txt")"
        return 1
    }
}

for n in $fcounts; do
    frender "$n" 6 u --fold 2up && fold_check "$T/r$n-6.pdf" "$T/f$n-u.pdf" "$n A6 pages 2up" --fold 2up
    frender "$n" 6 ul --fold 2up --duplex long --binding right --blanks end &&
        fold_check "$T/r$n-6.pdf" "$T/f$n-ul.pdf" "$n A6 pages 2up long rtl end" --fold 2up --duplex long --rtl --blanks end
    frender "$n" 6 c --fold cut-stack && fold_check "$T/r$n-6.pdf" "$T/f$n-c.pdf" "$n A6 pages cut-stack" --fold cut-stack
    frender "$n" 6 cl --fold cut-stack --duplex long --binding right &&
        fold_check "$T/r$n-6.pdf" "$T/f$n-cl.pdf" "$n A6 pages cut-stack long rtl" --fold cut-stack --duplex long --rtl
    frender "$n" 7 c7 --fold cut-stack --blanks end &&
        fold_check "$T/r$n-7.pdf" "$T/f$n-c7.pdf" "$n A7 pages cut-stack (4 slots) end" --fold cut-stack --blanks end
done
for n in 19 50; do
    frender "$n" 6 ug --fold 2up --signature 2 && fold_check "$T/r$n-6.pdf" "$T/f$n-ug.pdf" "$n A6 pages 2up signature 2" --fold 2up --signature 2
    frender "$n" 7 cg --fold cut-stack --signature 3 --duplex long &&
        fold_check "$T/r$n-7.pdf" "$T/f$n-cg.pdf" "$n A7 pages cut-stack signature 3 long" --fold cut-stack --signature 3 --duplex long
done
# the A6 booklet on A4: two A5 halves, portrait; the how-to says to cut and which piles go where
if [ -s "$T/f19-c.pdf" ]; then
    size=$(pdfinfo "$T/f19-c.pdf" | sed -n 's/^Page size: *\([0-9.]*\) x \([0-9.]*\).*/\1x\2/p')
    if [ "$size" = "595.276x841.89" ]; then pass "cut-stack of A6 pages: portrait A4"; else fail "cut-stack of A6 pages: sheet $size"; fi
    if grep -q "cut the stack along the dashed" "$T/fhowto19-c.txt" && grep -q "top first: top, bottom" "$T/fhowto19-c.txt" &&
        grep -q "The last piece of the stack is blank" "$T/fhowto19-c.txt"; then pass "cut-stack how-to: cut, pile order, the blank piece"
    else fail "cut-stack how-to: $(cat "$T/fhowto19-c.txt")"; fi
fi
if [ -s "$T/f8-u.pdf" ] && grep -q "two booklets" "$T/fhowto8-u.txt" && grep -q "Cut the stack in half along the dashed line" "$T/fhowto8-u.txt" &&
    grep -q "flipping on the SHORT" "$T/fhowto8-u.txt" && grep -q "upside down on purpose" "$T/fhowto8-u.txt"; then
    pass "2up how-to: two booklets, cut, short edge with backs upside down (a portrait sheet)"
else fail "2up how-to: $(cat "$T/fhowto8-u.txt" 2>/dev/null)"; fi

# zine8: up to 8 pages on one side; more is an error that leaves the old file alone
for n in $zcounts; do
    frender "$n" 7 z --fold zine8 && fold_check "$T/r$n-7.pdf" "$T/f$n-z.pdf" "$n A7 pages zine8" --fold zine8
done
frender 5 7 zre --fold zine8 --binding right --blanks end && fold_check "$T/r5-7.pdf" "$T/f5-zre.pdf" "5 A7 pages zine8 rtl end" --fold zine8 --rtl --blanks end
frender 8 7 zr --fold zine8 --binding right && fold_check "$T/r8-7.pdf" "$T/f8-zr.pdf" "8 A7 pages zine8 rtl" --fold zine8 --rtl
if [ -s "$T/f8-z.pdf" ]; then
    if grep -q "one side only" "$T/fhowto8-z.txt" && grep -q "Cut along the dashed line" "$T/fhowto8-z.txt"; then pass "zine8 how-to: one side, cut the slit"; else fail "zine8 how-to: $(cat "$T/fhowto8-z.txt")"; fi
    cp "$T/f8-z.pdf" "$T/f9-z.pdf"
    "$PAMPHLET" "$T/p9.md" -l "$T/L7.yaml" -o "$T/r9-7.pdf" --booklet "$T/f9-z.pdf" --fold zine8 >/dev/null 2>"$T/ferr9.txt"
    rc=$?
    if [ $rc = 2 ] && grep -q "a zine8 holds 8 pages; this one has 9" "$T/ferr9.txt" && grep -q "hint:.*--fold saddle" "$T/ferr9.txt" &&
        cmp -s "$T/f8-z.pdf" "$T/f9-z.pdf"; then pass "zine8 of 9 pages: exit 2, says why and what to do, old file kept"
    else fail "zine8 of 9 pages: exit $rc: $(cat "$T/ferr9.txt")"; fi
    # the sheet as a picture: a dashed slit along the middle half of the long centre line, nothing
    # on the rest of that line
    pdftoppm -gray -r 72 -singlefile "$T/f8-z.pdf" "$T/z8"
    if out=$(python3 - "$T/z8.pgm" <<'EOF'
import re, sys
data = open(sys.argv[1], "rb").read()
m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
w, h = int(m.group(1)), int(m.group(2))
px = data[m.end():]
row = max(range(h // 2 - 2, h // 2 + 3), key=lambda y: sum(px[y * w + x] < 128 for x in range(w)))
dark = [px[row * w + x] < 128 for x in range(w)]
slit = sum(dark[w // 4 + 4: 3 * w // 4 - 4]) / (w // 2 - 8)
outside = sum(dark[:w // 4 - 4]) + sum(dark[3 * w // 4 + 4:])
if not (0.3 < slit < 0.9) or outside:
    print(f"slit row {row}: {slit:.0%} dark in the middle half, {outside} dark pixels outside it"); sys.exit(1)
print(f"row {row}: {slit:.0%} of the middle half dashed, nothing outside it")
EOF
    ); then pass "zine8 slit on the PNG: $out"; else fail "zine8 slit: $out"; fi
fi

# copiers without duplex: the fronts and the backs in two files make the same booklet
if frender 19 6 sf --sides front --duplex long && frender 19 6 sb --sides back --duplex long; then
    qpdf --empty --collate --pages "$T/f19-sf.pdf" "$T/f19-sb.pdf" -- "$T/f19-merged.pdf" 2>/dev/null
    booklet_check "$T/r19-6.pdf" "$T/f19-merged.pdf" "--sides front + back collated (19 pages, long)" --duplex long
    if [ "$(pages_of "$T/f19-sf.pdf")" = 5 ] && [ "$(pages_of "$T/f19-sb.pdf")" = 5 ]; then pass "--sides: 5 fronts, 5 backs"; else fail "--sides: $(pages_of "$T/f19-sf.pdf") fronts, $(pages_of "$T/f19-sb.pdf") backs"; fi
    if grep -q "fronts only" "$T/fhowto19-sf.txt" && grep -q "Turn the stack over along its long edge (top to bottom" "$T/fhowto19-sf.txt" &&
        grep -q -- "--sides back" "$T/fhowto19-sf.txt" && grep -q "backs only" "$T/fhowto19-sb.txt"; then
        pass "--sides how-to: names the long edge and how the stack turns"
    else fail "--sides how-to: $(cat "$T/fhowto19-sf.txt")"; fi
fi
if frender 8 6 usf --fold 2up --sides front && frender 8 6 usb --fold 2up --sides back; then
    qpdf --empty --collate --pages "$T/f8-usf.pdf" "$T/f8-usb.pdf" -- "$T/f8-umerged.pdf" 2>/dev/null
    fold_check "$T/r8-6.pdf" "$T/f8-umerged.pdf" "2up --sides front + back collated" --fold 2up
    fold_check "$T/r8-6.pdf" "$T/f8-usb.pdf" "2up --sides back alone" --fold 2up --sides back
    if grep -q "along its short edge (top to bottom, like a wall calendar)" "$T/fhowto8-usf.txt"; then pass "2up --sides how-to: a portrait sheet's short edge turns top to bottom"; else fail "2up --sides how-to: $(cat "$T/fhowto8-usf.txt")"; fi
fi
"$PAMPHLET" "$T/p8.md" -l "$T/L7.yaml" -o "$T/r8-7.pdf" --booklet "$T/zb.pdf" --fold zine8 --sides back >/dev/null 2>"$T/zb.txt"
rc=$?
if [ $rc = 2 ] && grep -q "one side only" "$T/zb.txt"; then pass "zine8 --sides back: exit 2"; else fail "zine8 --sides back: exit $rc: $(cat "$T/zb.txt")"; fi

# the fold from the layout, and bad values
printf 'extends: %s\nbooklet:\n  fold: cut-stack\n' "$T/L6.yaml" >"$T/LF.yaml"
if "$PAMPHLET" "$T/p8.md" -l "$T/LF.yaml" -o "$T/rF.pdf" --booklet "$T/bF.pdf" -q 2>"$T/eF.txt"; then
    fold_check "$T/rF.pdf" "$T/bF.pdf" "booklet: fold: cut-stack in the layout" --fold cut-stack
    "$PAMPHLET" "$T/p8.md" -l "$T/LF.yaml" -o "$T/rF.pdf" --booklet "$T/bF2.pdf" --fold saddle -q 2>/dev/null &&
        booklet_check "$T/rF.pdf" "$T/bF2.pdf" "--fold saddle overrides the layout's fold"
else fail "layout fold: $(cat "$T/eF.txt")"; fi
printf 'extends: a5\nbooklet:\n  fold: accordion\n' >"$T/LB.yaml"
"$PAMPHLET" "$T/p8.md" -l "$T/LB.yaml" -o "$T/rB.pdf" >/dev/null 2>"$T/eB.txt"
rc=$?
if [ $rc = 1 ] && grep -q "LB.yaml:3:.*fold" "$T/eB.txt" && grep -q "cut-stack" "$T/eB.txt"; then pass "layout fold: accordion: exit 1 at LB.yaml:3"; else fail "layout fold: accordion: exit $rc: $(cat "$T/eB.txt")"; fi
"$PAMPHLET" "$T/p8.md" --fold accordion >/dev/null 2>"$T/eB2.txt"
rc=$?
if [ $rc = 2 ] && grep -q "use saddle, zine8, 2up or cut-stack" "$T/eB2.txt"; then pass "--fold accordion: exit 2"; else fail "--fold accordion: exit $rc: $(cat "$T/eB2.txt")"; fi
"$PAMPHLET" "$T/p8.md" --sides top >/dev/null 2>"$T/eB3.txt"
rc=$?
if [ $rc = 2 ] && grep -q "use front or back" "$T/eB3.txt"; then pass "--sides top: exit 2"; else fail "--sides top: exit $rc: $(cat "$T/eB3.txt")"; fi

# ---- the arithmetic builds without cairo: impose.c, paper.c, marks.c, howto.c include none of it

if ${CC:-cc} -std=gnu11 -fsyntax-only -Isrc src/impose/impose.c src/impose/paper.c src/impose/howto.c src/impose/marks.c 2>"$T/cc.txt"; then
    pass "impose.c, paper.c, marks.c, howto.c compile with no cairo headers"
else fail "impose.c, paper.c or howto.c need more than -Isrc: $(head -n 3 "$T/cc.txt")"; fi

# ---- creep: pages of sheet k move k x 0.5 mm toward the spine ----------------------------

if render 50 c0 && render 50 c5 --creep 0.5mm; then
    if out=$(python3 - "$T/b50c0.pdf" "$T/b50c5.pdf" 0.5 <<'EOF'
import re, subprocess, sys
a, b, creep_mm = sys.argv[1], sys.argv[2], float(sys.argv[3])
def words(pdf, p):
    x = subprocess.run(["pdftotext", "-bbox", "-f", str(p), "-l", str(p), pdf, "-"],
                       capture_output=True, check=True).stdout.decode()
    w = float(re.search(r'<page width="([\d.]+)"', x).group(1))
    return w, [(t, float(x0)) for x0, t in re.findall(r'<word xMin="([\d.]+)"[^>]*>([^<]*)</word>', x)]
sides = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", a], capture_output=True).stdout.decode()).group(1))
tol = 0.05 * 72 / 25.4
worst, checked = 0.0, 0
for s in range(1, sides + 1):
    k = (s - 1) // 2                      # sheet index = nesting depth in one signature
    want = k * creep_mm * 72 / 25.4
    W, wa = words(a, s)
    _, wb = words(b, s)
    if [t for t, _ in wa] != [t for t, _ in wb]:
        print(f"side {s}: different words with and without creep"); sys.exit(1)
    for (t, xa), (_, xb) in zip(wa, wb):
        d = xb - xa
        exp = want if xa < W / 2 else -want   # left page moves right, right page moves left
        worst = max(worst, abs(d - exp))
        checked += 1
        if abs(d - exp) > tol:
            print(f"side {s} word {t}: moved {d:.3f} pt, want {exp:.3f} pt"); sys.exit(1)
print(f"{checked} words on {sides} sides within {worst * 25.4 / 72:.4f} mm of k x {creep_mm} mm")
EOF
    ); then pass "creep 0.5mm on 50 pages: $out"; else fail "creep: $out"; fi
    booklet_check "$T/r50.pdf" "$T/b50c5.pdf" "50 pages with creep" 
fi

# ---- marks: only outside the page areas --------------------------------------------------

if render 8 m0 --sheet A3 && render 8 m1 --sheet A3 --marks; then
    ok=1
    for side in 1 2; do
        pdftoppm -gray -r 72 -f $side -l $side -singlefile "$T/b8m0.pdf" "$T/m0-$side"
        pdftoppm -gray -r 72 -f $side -l $side -singlefile "$T/b8m1.pdf" "$T/m1-$side"
        if out=$(python3 - "$T/m0-$side.pgm" "$T/m1-$side.pgm" "$T/r8.pdf" <<'EOF'
import re, subprocess, sys
def pgm(path):
    data = open(path, "rb").read()
    m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    w, h = int(m.group(1)), int(m.group(2))
    return w, h, data[m.end():]
w, h, a = pgm(sys.argv[1])
_, _, b = pgm(sys.argv[2])
info = subprocess.run(["pdfinfo", sys.argv[3]], capture_output=True).stdout.decode()
pw, ph = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
# at 72 dpi one pixel is one point; the two pages meet at the spine, centred vertically
x0, x1 = w / 2 - pw, w / 2 + pw
y0, y1 = (h - ph) / 2, (h + ph) / 2
inside_diff = outside_diff = 0
for y in range(h):
    row = y * w
    inside_row = y >= y0 and y + 1 <= y1
    for x in range(w):
        if a[row + x] != b[row + x]:
            if inside_row and x >= x0 and x + 1 <= x1:
                inside_diff += 1
            else:
                outside_diff += 1
if inside_diff or not outside_diff:
    print(f"{inside_diff} pixels differ inside the pages, {outside_diff} outside"); sys.exit(1)
print(f"{outside_diff} pixels of marks outside the pages, none inside")
EOF
        ); then pass "marks side $side on A3: $out"; else fail "marks side $side: $out"; ok=0; fi
    done
    booklet_check "$T/r8.pdf" "$T/b8m1.pdf" "8 pages with marks on A3"
fi
# A5 pages fill an A4 sheet: no room for marks, and a warning says so
if render 8 mA4 --marks; then
    if grep -q "no room for fold and crop marks" "$T/err8mA4.txt"; then pass "marks on a full A4 sheet: warning"; else fail "marks on a full A4 sheet: no warning"; fi
fi

# ---- impose a PDF made by another program (groff) ----------------------------------------

python3 - "$T/g.ms" <<'EOF'
import sys
syl = ["ba", "ce", "di", "fo", "gu", "ha", "je", "ki", "lo", "mu", "na", "pe", "qi", "ro", "su", "ty"]
with open(sys.argv[1], "w") as f:
    for p in range(1, 6):
        f.write(".LP\n" + " ".join(syl[p] + syl[p * 3 % 16] + "q" + syl[k % 16] + syl[k // 16] for k in range(60)) + "\n")
        if p < 5:
            f.write(".bp\n")
EOF
if groff -ms -Tpdf "$T/g.ms" >"$T/g.pdf" 2>"$T/groff.err" && [ "$(pages_of "$T/g.pdf")" = 5 ]; then
    pass "groff -ms -Tpdf made a 5-page PDF"
    for mode in "short before-last" "long before-last" "short end" "long end"; do
        set -- $mode
        if "$PAMPHLET" impose "$T/g.pdf" -o "$T/gb-$1-$2.pdf" --duplex "$1" --blanks "$2" >"$T/gh.txt" 2>"$T/ge.txt"; then
            booklet_check "$T/g.pdf" "$T/gb-$1-$2.pdf" "impose groff PDF $1 $2" --duplex "$1" --blanks "$2"
        else
            fail "impose groff PDF $mode: $(cat "$T/ge.txt")"
        fi
    done
    "$PAMPHLET" impose "$T/g.pdf" -o "$T/gb-rtl.pdf" --binding right --signature 1 >/dev/null 2>&1 &&
        booklet_check "$T/g.pdf" "$T/gb-rtl.pdf" "impose groff PDF rtl signature 1" --rtl --signature 1
    if qpdf --check "$T/gb-short-before-last.pdf" >"$T/qpdf.txt" 2>&1; then pass "qpdf --check clean on an imposed PDF"; else fail "qpdf --check on an imposed PDF: $(tail -n 3 "$T/qpdf.txt")"; fi
    "$PAMPHLET" impose "$T/g.pdf" -o "$T/gb-again.pdf" >/dev/null 2>&1
    if cmp -s "$T/gb-short-before-last.pdf" "$T/gb-again.pdf"; then pass "impose twice: byte-identical"; else fail "impose twice: outputs differ"; fi
    # the other folds from another program's PDF (Letter pages: shrunk onto Tabloid)
    for f in zine8 2up cut-stack; do
        for d in short long; do
            if "$PAMPHLET" impose "$T/g.pdf" -o "$T/gf-$f-$d.pdf" --fold "$f" --duplex "$d" >"$T/gh.txt" 2>"$T/ge.txt"; then
                fold_check "$T/g.pdf" "$T/gf-$f-$d.pdf" "impose groff PDF --fold $f --duplex $d" --fold "$f" --duplex "$d"
            else
                fail "impose groff PDF --fold $f: $(cat "$T/ge.txt")"
            fi
            [ "$f" = zine8 ] && break
        done
    done
    if "$PAMPHLET" impose "$T/g.pdf" -o "$T/gf-sb.pdf" --sides back --duplex long >"$T/gh.txt" 2>"$T/ge.txt"; then
        fold_check "$T/g.pdf" "$T/gf-sb.pdf" "impose groff PDF --sides back --duplex long" --fold saddle --sides back --duplex long
        if grep -q "backs only" "$T/gh.txt"; then pass "impose --sides back: how-to says backs only"; else fail "impose --sides back how-to: $(cat "$T/gh.txt")"; fi
    else
        fail "impose groff PDF --sides back: $(cat "$T/ge.txt")"
    fi
else
    fail "groff -ms -Tpdf did not make 5 pages: $(head -n 3 "$T/groff.err")"
fi

# impose errors: clear message naming the file, right exit code, old output untouched
echo "previous" >"$T/keep.pdf"
"$PAMPHLET" impose "$T/missing.pdf" -o "$T/keep.pdf" >/dev/null 2>"$T/e1.txt"
rc=$?
if [ $rc = 3 ] && grep -q "missing.pdf" "$T/e1.txt"; then pass "impose missing file: exit 3, names the file"; else fail "impose missing file: exit $rc: $(cat "$T/e1.txt")"; fi
"$PAMPHLET" impose "$T/L.yaml" -o "$T/keep.pdf" >/dev/null 2>"$T/e2.txt"
rc=$?
if [ $rc = 1 ] && grep -q "L.yaml.*not a PDF" "$T/e2.txt"; then pass "impose non-PDF: exit 1, 'not a PDF'"; else fail "impose non-PDF: exit $rc: $(cat "$T/e2.txt")"; fi
if [ -s "$T/g.pdf" ] && qpdf --encrypt secret secret 256 -- "$T/g.pdf" "$T/enc.pdf" 2>/dev/null; then
    "$PAMPHLET" impose "$T/enc.pdf" -o "$T/keep.pdf" >/dev/null 2>"$T/e3.txt"
    rc=$?
    if [ $rc = 1 ] && grep -q "enc.pdf.*encrypted" "$T/e3.txt"; then pass "impose encrypted PDF: exit 1, 'encrypted'"; else fail "impose encrypted PDF: exit $rc: $(cat "$T/e3.txt")"; fi
fi
head -c 700 "$T/g.pdf" >"$T/cut.pdf" 2>/dev/null
"$PAMPHLET" impose "$T/cut.pdf" -o "$T/keep.pdf" >/dev/null 2>"$T/e4.txt"
rc=$?
if [ $rc = 1 ] && grep -q "cut.pdf" "$T/e4.txt"; then pass "impose damaged PDF: exit 1, names the file"; else fail "impose damaged PDF: exit $rc: $(cat "$T/e4.txt")"; fi
if [ "$(cat "$T/keep.pdf")" = previous ] && ! ls "$T"/.keep.pdf.tmp-* >/dev/null 2>&1; then pass "failed imposes left the old output untouched"; else fail "a failed impose changed the old output or left a temporary file"; fi

# ---- impose places pages by reference (tests/e2e/test_byref.sh checks the bytes) ---------
# every fold and option on the groff PDF: order and way up (fold_check), a clean PDF
if [ -s "$T/g.pdf" ]; then
    while IFS='|' read -r args opts; do
        # shellcheck disable=SC2086
        if "$PAMPHLET" impose "$T/g.pdf" -o "$T/gq.pdf" $args -q 2>"$T/ge.txt" && qpdf --check "$T/gq.pdf" >/dev/null 2>&1; then
            # shellcheck disable=SC2086
            fold_check "$T/g.pdf" "$T/gq.pdf" "impose $args: qpdf --check clean" $opts
        else
            fail "impose $args: $(head -n 2 "$T/ge.txt")"
        fi
    done <<'EOF'
--fold saddle|--fold saddle
--fold saddle --duplex long --binding right|--fold saddle --duplex long --rtl
--fold 2up|--fold 2up
--fold cut-stack --duplex long|--fold cut-stack --duplex long
--fold zine8|--fold zine8
--sides back --creep 0.3mm --signature 1|--fold saddle --sides back --signature 1
--marks --sheet Tabloid|--fold saddle
EOF
    # pages turned with /Rotate (Word and scanners write them): shown as the viewer shows them
    if qpdf --rotate=+90:1-2 --rotate=+180:3 "$T/g.pdf" "$T/grot.pdf" 2>/dev/null &&
        "$PAMPHLET" impose "$T/grot.pdf" -o "$T/gq.pdf" --fold 2up -q 2>"$T/ge.txt"; then
        fold_check "$T/grot.pdf" "$T/gq.pdf" "impose, pages with /Rotate" --fold 2up
    else fail "impose, pages with /Rotate: $(head -n 2 "$T/ge.txt")"; fi
fi

# ---- the samples, every mode --------------------------------------------------------------

for name in $samples; do
    src=content/$name.md
    [ -f "$src" ] || { fail "$src missing"; continue; }
    r="$T/$name.pdf"
    i=0
    for mode in "${smodes[@]}"; do
        set -- $mode
        i=$((i + 1))
        b="$T/$name-b$i.pdf"
        args=(--duplex "$1" --blanks "$2" --binding "$4")  # pamphlet's options
        opts=(--duplex "$1" --blanks "$2")                  # the checker's
        if [ "$3" != 0 ]; then args+=(--signature "$3"); opts+=(--signature "$3"); fi
        if [ "$4" = right ]; then opts+=(--rtl); fi
        if ! "$PAMPHLET" "$src" -l layouts/a5.yaml -o "$r" --booklet "$b" "${args[@]}" >/dev/null 2>"$T/se.txt"; then
            fail "$name $mode: $(head -n 3 "$T/se.txt")"
            continue
        fi
        booklet_check "$r" "$b" "$name duplex $1, blanks $2, signature $3, binding $4" "${opts[@]}"
        fold_check "$r" "$b" "$name saddle, every page's way up too" --fold saddle "${opts[@]}"
    done
    # the other folds on A5 pages (on A3); a zine8 of 22 or more pages is refused
    for mode in "${sfolds[@]}"; do
        set -- $mode
        b="$T/$name-$1-$2-$3.pdf"
        args=(--fold "$1" --duplex "$2" --binding "$3")
        opts=(--fold "$1" --duplex "$2")
        [ "$3" = right ] && opts+=(--rtl)
        if "$PAMPHLET" "$src" -l layouts/a5.yaml -o "$r" --booklet "$b" "${args[@]}" >/dev/null 2>"$T/se.txt"; then
            fold_check "$r" "$b" "$name $mode" "${opts[@]}"
        else
            fail "$name $mode: $(head -n 3 "$T/se.txt")"
        fi
    done
    "$PAMPHLET" "$src" -l layouts/a5.yaml -o "$r" --booklet "$T/$name-z.pdf" --fold zine8 >/dev/null 2>"$T/se.txt"
    rc=$?
    if [ $rc = 2 ] && grep -q "a zine8 holds 8 pages" "$T/se.txt"; then pass "$name as zine8: exit 2, $(head -n 1 "$T/se.txt" | sed 's/.*error: //')"; else fail "$name as zine8: exit $rc"; fi
done

# ---- PDF health and reproducibility -------------------------------------------------------

# without SOURCE_DATE_EPOCH too: the booklet must carry no wall-clock date
if env -u SOURCE_DATE_EPOCH "$PAMPHLET" content/1917.md -l layouts/a5.yaml -o "$T/q.pdf" --booklet "$T/q1.pdf" >/dev/null 2>&1 &&
    sleep 1 &&
    env -u SOURCE_DATE_EPOCH "$PAMPHLET" content/1917.md -l layouts/a5.yaml -o "$T/q.pdf" --booklet "$T/q2.pdf" >/dev/null 2>&1; then
    if qpdf --check "$T/q1.pdf" >"$T/qpdf.txt" 2>&1; then pass "qpdf --check clean on the 1917 booklet"; else fail "qpdf --check on the 1917 booklet: $(tail -n 3 "$T/qpdf.txt")"; fi
    if cmp -s "$T/q1.pdf" "$T/q2.pdf"; then pass "two runs give byte-identical booklets"; else fail "two runs give different booklets"; fi
    title=$(pdfinfo "$T/q1.pdf" | sed -n 's/^Title: *//p')
    if [ "$title" = "$(pdfinfo "$T/q.pdf" | sed -n 's/^Title: *//p')" ] && [ -n "$title" ]; then pass "booklet metadata: title '$title' as in the reading PDF"; else fail "booklet title '$title' differs from the reading PDF's"; fi
else
    fail "1917 booklet did not render"
fi

echo "booklet e2e: $npass passed, $nfail failed"
[ "$nfail" = 0 ]
