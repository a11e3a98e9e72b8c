#!/usr/bin/env bash
# test_covers.sh - designed covers and the back cover's QR code (issue 12):
#   - the QR code of url: read back from the rendered back cover (zbarimg, Debian's
#     zbar-tools) in the reading PDF and on the booklet's first sheet, and its modules in
#     the layout dump the same as zbarimg's reading of a code libqrencode made alone
#     (qrencode is not needed: the dump's matrix is decoded as an image);
#   - the QR code's place from the layout (top-left), its quiet zone clear;
#   - url: with no back cover is a warning naming the front matter's line;
#   - a full-page cover picture is cropped to the page (clip = the page), a framed one
#     with image-fit: fill to the text width x image-height; the colour field covers the
#     page; the logo sits in its box at its corner; the issue line is on the cover.
# PAMPHLET=path runs another build (default ./pamphlet). Needs python3, poppler-utils,
# zbar-tools.
set -u
PAMPHLET=${PAMPHLET:-$(cd "$(dirname "$0")/../.." && pwd)/pamphlet}
case $PAMPHLET in /*) ;; *) PAMPHLET=$PWD/$PAMPHLET ;; esac
cd "$(dirname "$0")/../.."
T=$(mktemp -d "${TMPDIR:-/tmp}/pm-covers.XXXXXX")
trap 'rm -rf "$T"' EXIT
export SOURCE_DATE_EPOCH=1700000000
pass=0
fail=0
ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; [ -n "${2:-}" ] && sed 's/^/     | /' "$2" | head -20; fail=$((fail + 1)); }
command -v zbarimg >/dev/null || { echo "FAIL zbarimg is not installed (zbar-tools: tools/install-deps.sh test)"; exit 1; }
URL=https://tenants.example.org/join
QR=tests/golden/qr-back-cover.md

# ---- the QR code read back from the page
"$PAMPHLET" $QR -l tests/golden/golden.yaml -o "$T/qr.pdf" --booklet "$T/qr-booklet.pdf" \
    --dump-layout "$T/qr.dump" -q 2>"$T/qr.err" || bad "render $QR" "$T/qr.err"
last=$(pdfinfo "$T/qr.pdf" | awk '/^Pages:/ {print $2}')
pdftoppm -r 150 -f "$last" -l "$last" -png "$T/qr.pdf" "$T/back"
got=$(zbarimg -q --raw "$T"/back-*.png 2>/dev/null)
if [ "$got" = "$URL" ]; then ok "the back cover's QR code reads $URL"
else echo "$got" >"$T/got"; bad "the back cover's QR code reads '$got', not $URL" "$T/got"; fi
pdftoppm -r 150 -f 1 -l 1 -png "$T/qr-booklet.pdf" "$T/sheet"
got=$(zbarimg -q --raw "$T"/sheet-*.png 2>/dev/null)
if [ "$got" = "$URL" ]; then ok "on the booklet's first sheet too"
else bad "the booklet's first sheet: the QR code reads '$got'"; fi
# the dump's module matrix, drawn as a PNG with its quiet zone, reads the same
python3 - "$T/qr.dump" "$T/matrix.png" <<'PY' 2>"$T/m.err" || bad "the dump's QR matrix" "$T/m.err"
import struct, sys, zlib
rows = [l.split()[1] for l in open(sys.argv[1]) if l.startswith("    row ")]
n, s, q = len(rows), 8, 4
assert n and all(len(r) == n for r in rows), "the rows are not square"
side = (n + 2 * q) * s
pix = bytearray()
for y in range(side):
    pix.append(0)
    for x in range(side):
        r, c = y // s - q, x // s - q
        dark = 0 <= r < n and 0 <= c < n and rows[r][c] == "#"
        pix.append(0 if dark else 255)
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)) \
    + chunk(b"IDAT", zlib.compress(bytes(pix))) + chunk(b"IEND", b"")
open(sys.argv[2], "wb").write(png)
PY
got=$(zbarimg -q --raw "$T/matrix.png" 2>/dev/null)
if [ "$got" = "$URL" ]; then ok "the dump's module matrix reads $URL"
else bad "the dump's module matrix reads '$got'"; fi

# ---- the QR code where the layout puts it
printf 'extends: %s/tests/golden/golden.yaml\nback-cover:\n  qr: {size: 30mm, position: top-left}\n' "$PWD" >"$T/qr-top.yaml"
"$PAMPHLET" $QR -l "$T/qr-top.yaml" -o "$T/qr-top.pdf" --dump-layout "$T/qr-top.dump" -q 2>"$T/top.err" ||
    bad "render with qr at the top left" "$T/top.err"
if python3 - "$T/qr-top.dump" <<'PY'
import re, sys
page = area = None
for l in open(sys.argv[1]):
    m = re.match(r"page \d+ (\w+) .* area=([\d.]+),([\d.]+),([\d.]+),([\d.]+)", l)
    if m:
        page, area = m.group(1), tuple(map(float, m.group(2, 3, 4, 5)))
    m = re.match(r"  qr x=(\S+) y=(\S+) w=(\S+) h=(\S+) modules=(\d+)", l)
    if m:
        x, y, w, h = map(float, m.group(1, 2, 3, 4))
        ok = page == "back" and abs(x - area[0]) < 0.01 and abs(y - area[1]) < 0.01 and abs(w - 30 * 72 / 25.4) < 0.01
        sys.exit(0 if ok else 1)
sys.exit(1)
PY
then ok "back-cover.qr {size: 30mm, position: top-left}: at the text area's top left, 30 mm"
else bad "the QR code is not 30 mm at the top left" "$T/qr-top.dump"; fi
python3 tests/tools/layout_check.py "$T/qr-top.dump" --source $QR >"$T/lc.out" 2>&1 &&
    ok "its quiet zone clear, the text under it (layout_check)" || bad "layout_check" "$T/lc.out"
pdftoppm -r 150 -f 2 -l 2 -png "$T/qr-top.pdf" "$T/top"
got=$(zbarimg -q --raw "$T"/top-*.png 2>/dev/null)
[ "$got" = "$URL" ] && ok "and reads $URL" || bad "the top-left QR code reads '$got'"

# ---- url: and no back cover
printf -- '---\ntitle: No back\nurl: https://example.org\n---\nText.\n' >"$T/noback.md"
"$PAMPHLET" "$T/noback.md" -o "$T/noback.pdf" 2>"$T/noback.err"
if grep -q "noback\.md:3: warning: url: goes on the back cover as a QR code, and this pamphlet has none" "$T/noback.err"
then ok "url: without a back cover: a warning at its line"; else bad "url: without a back cover" "$T/noback.err"; fi

# ---- cover geometry
check_cover() { # name md layout python-condition-on(items, page)
    "$PAMPHLET" "$2" -l "$3" --no-pdf --dump-layout "$T/c.dump" -q 2>"$T/c.err" || { bad "$1: render" "$T/c.err"; return; }
    if python3 - "$T/c.dump" "$4" <<'PY'
import re, sys
items, page = [], None
for l in open(sys.argv[1]):
    m = re.match(r"page 1 cover ([\d.]+)x([\d.]+) .* area=([\d.]+),([\d.]+),([\d.]+),([\d.]+)", l)
    if m:
        page = tuple(map(float, m.groups()))
        continue
    if l.startswith("page 2"):
        break
    m = re.match(r"  (\w+) x=(\S+) y=(\S+) w=(\S+)(?: h=(\S+))?(.*)", l)
    if m and page:
        items.append((m.group(1), float(m.group(2)), float(m.group(3)), float(m.group(4)),
                      float(m.group(5) or 0), m.group(6)))
W, H, tx, ty, tw, th = page
def near(a, b):
    return abs(a - b) < 0.01
sys.exit(0 if eval(sys.argv[2]) else 1)
PY
    then ok "$1"; else bad "$1" "$T/c.dump"; fi
}
G=tests/golden
check_cover "full-page picture: cropped to fill the page (clip = the page)" $G/cover-full.md $G/cover-full.yaml \
    'any(k == "image" and "clip=0.0000,0.0000,%.4f,%.4f" % (W, H) in r and x <= 0 and y <= 0 and x + w >= W - 0.01 and y + h >= H - 0.01 for k, x, y, w, h, r in items)'
check_cover "full-page picture: the tint band is under the title" $G/cover-full.md $G/cover-full.yaml \
    '[k for k, *_ in items][:3] == ["image", "fill", "fill"] and any(k == "line" and "cover" in r for k, *_, r in items)'
check_cover "framed picture, image-fit: fill: the text width x image-height, cropped; the title under it" \
    $G/cover-framed.md $G/cover-framed.yaml \
    'any(k == "image" and re.search(r"clip=%.4f,\S+,%.4f,%.4f" % (tx, tw, 0.4 * H), r) for k, x, y, w, h, r in items) and (lambda c: all(i[2] > c[1] + c[3] for i in items[2:] if i[0] == "line"))([float(v) for v in re.search(r"clip=(\S+)", next(i for i in items if i[0] == "image")[5]).group(1).split(",")])'
check_cover "colour field over the whole page, logo at the bottom right in its box" $G/cover-field.md $G/cover-field.yaml \
    'items[0][0] == "fill" and items[0][1:5] == (0.0, 0.0, W, H) and any(k == "image" and "logo" in r and near(x + w, tx + tw) and near(y + h, ty + th) and w <= 25 * 72 / 25.4 + 0.01 and h <= 12 * 72 / 25.4 + 0.01 for k, x, y, w, h, r in items)'

echo "covers: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
