#!/usr/bin/env bash
# test_fonts.sh - fonts added and fallen back on (issues 10 and 14):
#   - a weight the family lacks (weight: light) is a warning naming the role, the family
#     and the faces it has;
#   - --fonts DIR adds to the shipped fonts (the body stays Linux Libertine), is searched
#     with its subfolders, and may hold only a collection (.ttc);
#   - a role's fallback list sets the characters its family lacks (Arabic from a .ttc);
#   - colour emoji (a bitmap font, Debian's fonts-noto-color-emoji) are set and drawn at
#     the text's size, not the 109 px of the font's bitmaps;
#   - --preflight names the folders searched and the face and file of every font used;
#   - characters no font of the layout has are set in a font installed on the machine
#     (the emoji, in Debian's fonts-noto-color-emoji), each system font named in a
#     warning with its characters; one no installed font has (U+F0000, private use) is left out,
#     with a warning, and leaves no gap;
#   - bold text in such a font is bold: in the family's bold face when the system has one
#     (NanumGothic Bold, fonts-nanum), else the regular face emboldened (Droid Sans
#     Fallback); one warning per family all the same.
# PAMPHLET=path runs another build (default ./pamphlet). Needs python3, poppler-utils.
set -u
PAMPHLET=${PAMPHLET:-$(cd "$(dirname "$0")/../.." && pwd)/pamphlet}
case $PAMPHLET in /*) ;; *) PAMPHLET=$PWD/$PAMPHLET ;; esac
cd "$(dirname "$0")/../.."
T=$(mktemp -d "${TMPDIR:-/tmp}/pm-fonts.XXXXXX")
trap 'rm -rf "$T"' EXIT
NOTO=/usr/share/fonts/truetype/noto
pass=0
fail=0
ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; [ -n "${2:-}" ] && sed 's/^/     | /' "$2" | head -20; fail=$((fail + 1)); }

# ---- a weight the family lacks
cat >"$T/light.yaml" <<'Y'
extends: a5
fonts:
  body: {family: "Linux Libertine O", size: 10pt, leading: 13pt, weight: light}
Y
printf -- '---\ntitle: Fonts\n---\n\nA paragraph.\n' >"$T/plain.md"
"$PAMPHLET" "$T/plain.md" -l "$T/light.yaml" -o "$T/light.pdf" 2>"$T/light.err"
if grep -qE "^$T/light\.yaml:3: warning: fonts\.body: 'Linux Libertine O' has no face of weight 300; it is set in weight 400 \(the faces it has: .*Regular \(400\).*Bold \(700\)" "$T/light.err"; then
    ok "weight: light with no light face: a warning naming the role, the family and its faces"
else bad "weight: light with no light face: no warning" "$T/light.err"; fi

# ---- a style the family lacks: the face it is set in named, without Pango's size
cat >"$T/bi.yaml" <<'Y'
extends: a5
fonts:
  body: {family: "Linux Biolinum O", size: 9.77pt, leading: 13pt}
Y
printf -- '---\ntitle: Fonts\n---\n\nSome ***bold italic*** words.\n' >"$T/bi.md"
"$PAMPHLET" "$T/bi.md" -l "$T/bi.yaml" -o "$T/bi.pdf" 2>"$T/bi.err"
if grep -qE "^$T/bi\.md:5: warning: 'Linux Biolinum O' has no bold italic face; this text is set in Linux Biolinum O Italic$" "$T/bi.err"; then
    ok "bold italic the family lacks: a warning naming the face used (no fractional size)"
else bad "bold italic the family lacks: warning" "$T/bi.err"; fi

# ---- --fonts adds, recursively, a collection; a fallback list
mkdir -p "$T/extra/deep/er"
python3 tests/tools/make_ttc.py "$T/extra/deep/er/arabic.ttc" "$NOTO/NotoSansArabic-Regular.ttf" "$NOTO/NotoSansArabic-Bold.ttf"
cat >"$T/fb.yaml" <<'Y'
extends: a5
fonts:
  body: {family: "Linux Libertine O", size: 10pt, leading: 13pt, fallback: [Noto Sans Arabic]}
Y
printf -- '---\ntitle: Fonts\n---\n\nThe word سلام (peace) and the emoji 🎉✊ here, the mark \xf3\xb0\x80\x80 there.\n' >"$T/mixed.md"
"$PAMPHLET" "$T/mixed.md" -l "$T/fb.yaml" --fonts "$T/extra" -o "$T/mixed.pdf" --dump-layout "$T/mixed.dump" 2>"$T/mixed.err"
rc=$?
if [ $rc -eq 0 ] && grep -q 'run font="Linux Libertine O 10".*text="The word ' "$T/mixed.dump" &&
   grep -q 'run font="Noto Sans Arabic 10"' "$T/mixed.dump"; then
    ok "--fonts adds a folder's subfolders and a .ttc to the shipped fonts; the fallback sets the Arabic"
else bad "--fonts with a .ttc in a subfolder and a fallback (exit $rc)" "$T/mixed.err"; fi
if grep -qE "^$T/mixed\.md:5: warning: 2 characters no font of the layout has are set in the system font 'Noto Color Emoji' \(/.*/NotoColorEmoji\.ttf\) \(2 times\): '🎉' U\+1F389 1× \(line 5\), '✊'" "$T/mixed.err" &&
   grep -q "add it to the layout, .*fallback: \[Noto Color Emoji\]" "$T/mixed.err" &&
   grep -q 'run font="Noto Color Emoji 10".*text="🎉✊"' "$T/mixed.dump"; then
    ok "characters no font of the layout has: set in a system font, named in a warning with a hint to add it"
else bad "the system font fallen back on" "$T/mixed.err"; fi
if grep -qE "1 character no font has is left out of the PDF \(1 time\): '.' U\+F0000 1× \(line 5\)" "$T/mixed.err" &&
   grep -q "fallback: \[Noto Sans\]" "$T/mixed.err"; then
    ok "a character no installed font has: one warning, with its count and line, a hint with the layout key"
else bad "the missing-glyph summary" "$T/mixed.err"; fi
# no gap: "mark" and " there." with only the space between them
python3 - "$T/mixed.dump" <<'P' && ok "a character left out leaves no gap" || bad "a gap where a character was left out"
import re, sys
sys.path.insert(0, "tests/tools")
from layout_check import parse_dump
for pg in parse_dump(open(sys.argv[1]).read()):
    for it in pg.items:
        for a, b in zip(it.runs, it.runs[1:]):
            if a.text.endswith("mark ") and b.text.startswith("\U000f0000"):
                sys.exit(0 if b.x1 - b.x0 < 0.01 else 1)
        for r in it.runs:
            if "mark \U000f0000 there" in r.text:
                sys.exit(0)
sys.exit(1)
P

# ---- colour emoji at the text's size
if [ -f "$NOTO/NotoColorEmoji.ttf" ]; then
    mkdir -p "$T/emoji/sub"
    ln -s "$NOTO/NotoColorEmoji.ttf" "$T/emoji/sub/"
    printf -- '---\ntitle: Emoji\n---\n\nWe won 🎉 the rent strike and the landlord agreed.\n' >"$T/emoji.md"
    "$PAMPHLET" "$T/emoji.md" --fonts "$T/emoji" -o "$T/emoji.pdf" --dump-layout "$T/emoji.dump" 2>"$T/emoji.err"
    pdftoppm -r 72 -gray -f 2 -l 2 "$T/emoji.pdf" "$T/emoji"
    python3 - "$T/emoji.dump" "$T"/emoji-*2.pgm <<'P' && ok "colour emoji are set and drawn at the text's size" || bad "colour emoji size" "$T/emoji.err"
import sys
sys.path.insert(0, "tests/tools")
from layout_check import parse_dump
pages = parse_dump(open(sys.argv[1]).read())
line = next(it for it in pages[1].items if it.kind == "line" and any("🎉" in r.text for r in it.runs))
run = next(r for r in line.runs if "🎉" in r.text)
if not (5 < run.x1 - run.x0 < 15):  # 10 pt text: an advance of about 1.2 em
    print("emoji advance %.1f pt" % (run.x1 - run.x0)); sys.exit(1)
data = open(sys.argv[2], "rb").read()
parts = data.split(b"\n", 3)  # P5, size, maxval, pixels
w, h = map(int, parts[1].split())
px = parts[3]
x0, x1 = int(line.x + run.x0), int(line.x + run.x1) + 1
ink = [y for y in range(h) for x in range(x0, x1) if px[y * w + x] < 200]
top, bottom = min(ink), max(ink)
# the ink within the line: from about an em above the baseline to a quarter em below
if top < line.y - 14 or bottom > line.y + 5 or bottom - top > 16:
    print("emoji ink from y=%d to y=%d, baseline %.1f" % (top, bottom, line.y)); sys.exit(1)
P
else
    bad "fonts-noto-color-emoji is not installed (tools/install-deps.sh test installs it)"
fi

# ---- bold in a system font: its bold face, or emboldened
printf -- '---\ntitle: Bold\n---\n\n# 中文标题 Heading\n\nPlain 中文 and **bold 中文** and 한국어 **한국어 굵게**.\n' >"$T/bold.md"
"$PAMPHLET" "$T/bold.md" -o "$T/bold.pdf" --dump-layout "$T/bold.dump" 2>"$T/bold.err"
if grep -q 'font="Droid Sans Fallback Bold 14".*text="中文标题 "' "$T/bold.dump" &&
   grep -q 'font="Droid Sans Fallback 10".*text="中文 "' "$T/bold.dump" &&
   grep -q 'font="Droid Sans Fallback Bold 10".*text="中文"' "$T/bold.dump" &&
   grep -q 'font="NanumGothic 10".*text="한국어 "' "$T/bold.dump" &&
   grep -q 'font="NanumGothic Bold 10".*text="한국어 굵게"' "$T/bold.dump" &&
   pdffonts "$T/bold.pdf" | grep -q "+NanumGothicBold " &&
   [ "$(grep -c "set in the system font" "$T/bold.err")" = 2 ]; then
    ok "bold text in a system font: the family's bold face (NanumGothic Bold), or emboldened (Droid Sans Fallback); a warning a family"
else bad "bold text in a system font is not bold" "$T/bold.dump"; cat "$T/bold.err" | head -5; fi

# ---- preflight names the fonts
"$PAMPHLET" "$T/mixed.md" -l "$T/fb.yaml" --fonts "$T/extra" --preflight >"$T/pre.out" 2>&1
if grep -qE "fonts from: +.*fonts, $T/extra" "$T/pre.out" && grep -qE "Noto Sans Arabic 10 +$T/extra/deep/er/arabic.ttc" "$T/pre.out" &&
   grep -qE "Linux Libertine O 10 +.*LinLibertine_R.otf" "$T/pre.out"; then
    ok "--preflight names the folders searched and each font used with its file"
else bad "--preflight font report" "$T/pre.out"; fi

echo "fonts: $pass passed, $fail failed"
[ $fail -eq 0 ]
