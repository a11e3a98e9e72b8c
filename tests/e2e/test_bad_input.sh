#!/usr/bin/env bash
# test_bad_input.sh - bad input gets a clear error and loses nothing.
#
# A table of runs of pamphlet on bad (or awkward) input: broken and misspelt layouts,
# bad units and numbers, YAML bombs, extends: chains that go nowhere or in a circle, bad
# front matter, invalid UTF-8, binary garbage, empty files, a 10 MB paragraph, missing,
# truncated, unsupported and enormous images, a missing font, folders and unwritable
# places given as files, bad command lines; and awkward input that must still render,
# with a warning: a character no font has, a word wider than the line, a rotated phone
# photo, a CMYK JPEG, PNGs with 16 bits, palettes and alpha, a low-resolution photo; and
# outputs that would overwrite an input (the content, a layout of the chain, an image, a
# font, the PDF given to `impose`: by name, hard link, symbolic link or --png's page
# names) or another output, each refused with exit 2 and the input left as it was.
#
# Each row gives the expected exit status and regular expressions (grep -E) the standard
# error must match, with FILE:LINE:COL where the place is known. For every row a reading
# PDF and a booklet from an earlier good run are in place before the run: a failed run
# must leave both byte-for-byte as they were (cmp) and no temporary file behind; a good
# run must replace them with a valid PDF. Every line on standard error must be in the one
# diagnostic form (FILE:LINE:COL: error|warning: ..., "  hint: ...", or the usage
# message). One line per row; exit 1 if any row failed.
#
# PAMPHLET=path runs another build (default ./pamphlet). Needs python3, poppler-utils.
set -u
PAMPHLET=${PAMPHLET:-$(cd "$(dirname "$0")/../.." && pwd)/pamphlet}
case $PAMPHLET in /*) ;; *) PAMPHLET=$PWD/$PAMPHLET ;; esac
cd "$(dirname "$0")/../.."
[ -x "$PAMPHLET" ] || { echo "FAIL no $PAMPHLET: run make first"; exit 1; }
T=$(mktemp -d "${TMPDIR:-/tmp}/pm-bad.XXXXXX")
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
export SOURCE_DATE_EPOCH=1700000000
B=tests/data/bad
GOOD=tests/golden/lists.md
npass=0
nfail=0

# the outputs of an earlier good run, which a failed run must not touch
"$PAMPHLET" "$GOOD" -o "$T/good.pdf" --booklet "$T/good-booklet.pdf" -q >/dev/null 2>"$T/good.err" ||
    { echo "FAIL cannot render $GOOD: $(cat "$T/good.err")"; exit 1; }

# ---- generated inputs ---------------------------------------------------------------------
G=$T/gen
mkdir -p "$G/folder.md" "$G/outdir"
printf -- '---\ntitle: Bad bytes\n---\nFine.\n\nSix ok\377 and the rest.\n' >"$G/bad-utf8.md"
: >"$G/empty.md"
printf '\n\n   \n\t\n' >"$G/blank.md"
python3 - "$G" <<'EOF'
import random, sys
g = sys.argv[1]
r = random.Random(1917)
open(f"{g}/garbage.md", "wb").write(bytes(r.randrange(256) for _ in range(4096)))
syl = ["ka", "lo", "mi", "ne", "ru", "sa", "te", "vo", "zu", "pi", "da", "fe", "go", "hu", "ji", "we"]
def para(nbytes):
    words, n = [], 0
    while n < nbytes:
        w = "".join(r.choice(syl) for _ in range(r.randint(1, 4)))
        words.append(w)
        n += len(w) + 1
    # one paragraph: twelve words a line, no blank line anywhere
    return "\n".join(" ".join(words[i:i + 12]) for i in range(0, len(words), 12)) + "\n"
open(f"{g}/big.md", "w").write("---\ntitle: Ten megabytes\n---\n" + para(10 << 20))
open(f"{g}/long-para.md", "w").write("---\ntitle: A long paragraph\n---\n" + para(256 << 10))
# a layout of 20001 YAML nodes, and a front matter with an alias
open(f"{g}/many-nodes.yaml", "w").write("extends: a5\nx:\n" + "".join(f"  - {i}\n" for i in range(20001)))
open(f"{g}/alias-fm.md", "w").write("---\ntitle: &t Title\nsubtitle: *t\n---\nText.\n")
open(f"{g}/bom-crlf.md", "wb").write(b"\xef\xbb\xbf---\r\ntitle: BOM and CRLF\r\n---\r\nA line.\r\nAnother.\r\n")
open(f"{g}/deep-quotes.md", "w").write("---\ntitle: Deep\n---\nText.\n\n" + ">" * 100000 + " x\n")
open(f"{g}/deep-lists.md", "w").write("---\ntitle: Deep\n---\nText.\n\n" + "- " * 50000 + "x\n")
open(f"{g}/deep-emphasis.md", "w").write("---\ntitle: Deep\n---\nText.\n\nx " + "*a **b " * 30000 + "** b*" * 30000 + "\n")
# twenty pages of text, then a figure whose file is missing: the error comes while the
# first pages are already being written
open(f"{g}/late-missing-image.md", "w").write("---\ntitle: Late\n---\n" + "\n".join(para(2000) + "\n" for _ in range(60))
    + "\n![The last picture.](no-such-photo.jpg)\n")
open(f"{g}/image-folder.md", "w").write("---\ntitle: Folder\n---\nText.\n\n![A folder, not a picture.](.)\n")
EOF
truncate -s 17M "$G/huge.md"         # sparse: refused from its size, never read
truncate -s 2M "$G/huge.yaml"
cp "$T/good.pdf" "$G/a-pdf.md"       # the PDF given instead of the Markdown

# ---- checks -------------------------------------------------------------------------------

# every line of standard error in the diagnostic form
diag_form() {
    # (getopt's own messages start with the program's path)
    grep -Ev "^[^ ][^:]*(:[0-9]+(:[0-9]+)?)?: (error|warning|note): |^  hint: |^([^ ]*/)?pamphlet: |^Try 'pamphlet --help'\.$" "$1" |
        head -n 3
}

# extra checks a row may name (run after the row's own checks, with $D the row's folder)
check_words_rejoined() { # the overlong word: every letter there, in order
    python3 - "$D/out.pdf" "$1" <<'EOF'
import re, subprocess, sys
text = subprocess.run(["pdftotext", sys.argv[1], "-"], capture_output=True, text=True).stdout
flat = re.sub(r"\s+", "", text)
sys.exit(0 if sys.argv[2] in flat else 1)
EOF
}

check_hangs_at_edges() { # margin kerning only where punctuation ends a line visually
    python3 - "$D/dump" <<'EOF'
import re, sys
lines, cur = [], None
for l in open(sys.argv[1], encoding="utf-8"):
    if l.startswith("  line "):
        m = re.search(r" hang=([0-9.]+),([0-9.]+)", l)
        cur = [float(m.group(2)) if m else 0.0, []]
        lines.append(cur)
    elif l.startswith("    run ") and cur is not None:
        cur[1].append(re.search(r' text="(.*)"$', l.rstrip("\n")).group(1))
hung = [runs for hang, runs in lines if hang > 0]
# runs are in visual order: the last is the right end, where a hang must be punctuation
ok = hung and all(runs and runs[-1][-1:] in ",." for runs in hung)
sys.exit(0 if ok else 1)
EOF
}

# row NAME STATUS [REGEX...] -- ARGS...
#   ARGS get "-o OUT --booklet BOOKLET" unless they name OUT or BOOKLET themselves.
#   STATUS 0 rows: the outputs are replaced by valid PDFs; others: left untouched.
#   ROW_SETUP="commands" makes the row's input files in $D (the row's folder) before the
#   run; ROW_CHECK="function args" runs after, ROW_MAX_SECONDS bounds the run's time.
#   ARGS naming -o themselves get no -o either (`impose IN -o OUT`).
row() {
    local name=$1 want=$2
    shift 2
    local pats=()
    while [ $# -gt 0 ] && [ "$1" != -- ]; do pats+=("$1"); shift; done
    shift
    nrow=$((nrow + 1))
    local D=$T/row$nrow
    mkdir -p "$D"
    cp "$T/good.pdf" "$D/out.pdf"
    cp "$T/good-booklet.pdf" "$D/out-booklet.pdf"
    local args=() named=0 a
    for a in "$@"; do
        case $a in
            OUT) args+=("$D/out.pdf"); named=1 ;;
            BOOKLET) args+=("$D/out-booklet.pdf"); named=1 ;;
            DIR/*) args+=("$D/${a#DIR/}") ;;
            -o) args+=("$a"); named=1 ;;
            *) args+=("$a") ;;
        esac
    done
    [ $named = 1 ] || args+=(-o "$D/out.pdf" --booklet "$D/out-booklet.pdf")
    local why=() secs
    if [ -n "${ROW_SETUP:-}" ]; then
        local setup_out
        setup_out=$(D=$D eval "$ROW_SETUP" 2>&1) || why+=("ROW_SETUP failed: $setup_out")
    fi
    local t0 t1 rc
    t0=$(date +%s.%N)
    timeout 300 "$PAMPHLET" "${args[@]}" >"$D/stdout" 2>"$D/stderr"
    rc=$?
    t1=$(date +%s.%N)
    secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
    [ "$rc" = "$want" ] || why+=("exit $rc, expected $want")
    for a in "${pats[@]+"${pats[@]}"}"; do
        grep -Eq -- "$a" "$D/stderr" || why+=("no message matching /$a/")
    done
    local odd
    odd=$(diag_form "$D/stderr")
    [ -z "$odd" ] || why+=("not in the diagnostic form: $odd")
    if [ "$want" = 0 ]; then
        for a in out.pdf out-booklet.pdf; do
            if cmp -s "$D/$a" "$T/good.pdf" || cmp -s "$D/$a" "$T/good-booklet.pdf"; then why+=("$a not replaced")
            elif ! pdfinfo "$D/$a" >/dev/null 2>&1; then why+=("$a is not a valid PDF"); fi
        done
    else
        cmp -s "$D/out.pdf" "$T/good.pdf" || why+=("the previous PDF changed")
        cmp -s "$D/out-booklet.pdf" "$T/good-booklet.pdf" || why+=("the previous booklet changed")
    fi
    if ls -A "$D" | grep -q '\.tmp-'; then why+=("a temporary file was left: $(ls -A "$D" | grep '\.tmp-' | head -1)"); fi
    if [ -n "${ROW_MAX_SECONDS:-}" ] && awk -v s="$secs" -v m="$ROW_MAX_SECONDS" 'BEGIN { exit !(s > m) }'; then
        why+=("took $secs s, more than $ROW_MAX_SECONDS s")
    fi
    if [ -n "${ROW_CHECK:-}" ] && [ ${#why[@]} = 0 ]; then
        local out
        out=$(D=$D eval "$ROW_CHECK" 2>&1) || why+=("$ROW_CHECK: $(tail -n 3 <<<"$out" | tr '\n' ' ')")
    fi
    if [ ${#why[@]} = 0 ]; then
        npass=$((npass + 1))
        echo "ok   $name (exit $rc, ${secs}s)"
    elif [ -n "${ROW_KNOWN_BAD:-}" ]; then
        nknown=$((nknown + 1))
        echo "KNOWNBAD $name: $(IFS=';'; echo "${why[*]}" | head -c 200) ($ROW_KNOWN_BAD)"
    else
        nfail=$((nfail + 1))
        echo "FAIL $name: $(IFS=';'; echo "${why[*]}")"
        sed 's/^/     | /' "$D/stderr" | head -n 6
    fi
    ROW_SETUP=
    ROW_CHECK=
    ROW_MAX_SECONDS=
    ROW_KNOWN_BAD=
}
ROW_SETUP=
ROW_CHECK=
ROW_MAX_SECONDS=
ROW_KNOWN_BAD= # set to a reason: a failure of the next row is reported as KNOWNBAD, not failed
nknown=0
nrow=0
L="-l layouts/a5.yaml"

# ---- layouts ------------------------------------------------------------------------------
row "broken YAML in a layout" 1 "^$B/broken\.yaml:5:6: error: YAML: did not find expected ',' or '\}'" -- "$GOOD" -l $B/broken.yaml
row "unknown layout key, with a suggestion" 1 "^$B/unknown-key\.yaml:3:3: error: unknown layout key 'page\.margns'" \
    "^  hint: did you mean 'margins'\?" -- "$GOOD" -l $B/unknown-key.yaml
row "margins too small for the running head's and foot's offsets: a warning for each at the margin set, with what makes room" 0 \
    "^$B/running-off-page\.yaml:4:18: warning: header: the running head reaches [0-9.]+ pt above the page's top edge" \
    "hint: make page\.margins\.top larger or header\.offset smaller" \
    "^$B/running-off-page\.yaml:4:31: warning: footer: the running foot reaches [0-9.]+ pt below the page's bottom edge" \
    -- "$GOOD" -l $B/running-off-page.yaml
row "footnotes the text would lose: a reference no note answers, a label defined twice, a note nothing names: a warning each, at its line" 0 \
    "^$B/notes-lost\.md:5: warning: '\[\^c\]' names no footnote; it is printed as it is" \
    "hint: define the note in a paragraph of its own: '\[\^c\]: the note's text'" \
    "^$B/notes-lost\.md:9: warning: footnote '\[\^a\]' is defined a second time; this text is left out \(the note is the definition on line 7\)" \
    "^$B/notes-lost\.md:11: warning: footnote '\[\^b\]' is named nowhere in the text; it is left out" \
    -- $B/notes-lost.md
row "a header offset too large for the margin: the warning points at the offset" 0 \
    "^$B/running-offset\.yaml:4:11: warning: header: the running head reaches [0-9.]+ pt above the page's top edge" \
    -- "$GOOD" -l $B/running-offset.yaml
row "cover key with a bad value, with a suggestion" 1 "^$B/bad-cover\.yaml:3:10: error: cover\.title: 'overr' is not one of: above, below, over" \
    "did you mean 'over'" -- "$GOOD" -l $B/bad-cover.yaml
row "cover colour that is not one" 1 "^$B/bad-cover-colour\.yaml:4:15: error: cover\.background: 'rouge' is not a colour" "hint: or none, for no colour" \
    -- "$GOOD" -l $B/bad-cover-colour.yaml
row "a QR code too small to print" 1 "^$B/small-qr\.yaml:3:14: error: back-cover\.qr\.size: '5mm' is out of range" -- "$GOOD" -l $B/small-qr.yaml
row "bad unit" 1 "^$B/bad-unit\.yaml:3:18: error: page\.margins\.top: '15 furlongs': unknown unit" -- "$GOOD" -l $B/bad-unit.yaml
row "number far out of range (1e300)" 1 "^$B/huge-number\.yaml:3:11: error: paragraph\.widows: 1e300 is out of range \(1 to 10\)" \
    -- "$GOOD" -l $B/huge-number.yaml
row "a font size in em that comes to 900 pt" 1 "^$B/huge-em\.yaml:3:16: error: fonts\.body: comes to size 900\.0 pt" -- "$GOOD" -l $B/huge-em.yaml
row "YAML anchors and aliases refused (no billion laughs)" 1 "^$B/alias\.yaml:1:7: error: YAML anchors \(&p\) are not supported" \
    -- "$GOOD" -l $B/alias.yaml
row "YAML nesting capped" 1 "^$B/deep\.yaml:1:[0-9]+: error: YAML: nested deeper than 32 levels" -- "$GOOD" -l $B/deep.yaml
row "YAML node count capped" 1 "many-nodes\.yaml:[0-9]+:[0-9]+: error: YAML: more than 20000 nodes" -- "$GOOD" -l "$G/many-nodes.yaml"
row "a key twice" 1 "^$B/dup-key\.yaml:3:1: error: key 'page' appears twice \(first on line 1\)" -- "$GOOD" -l $B/dup-key.yaml
row "a layout that is a list" 1 "^$B/not-a-map\.yaml:1:1: error: a layout must be a mapping" -- "$GOOD" -l $B/not-a-map.yaml
row "extends a file that is not there" 3 "^$B/extends-missing\.yaml:1:10: error: extends: cannot find layout 'no-such-layout\.yaml'" \
    -- "$GOOD" -l $B/extends-missing.yaml
row "extends in a circle" 1 "^$B/cycle-b\.yaml:1:10: error: extends: 'cycle-a\.yaml' is already in this chain" \
    -- "$GOOD" -l $B/cycle-a.yaml
row "a font family the fonts folder does not have" 1 "^$B/no-font\.yaml:4: error: fonts\.body: font family 'Comic Sans MS' is not in" \
    "^  hint: families available: .*Linux Libertine O" -- "$GOOD" -l $B/no-font.yaml
row "layout file over 1 MiB" 1 "huge\.yaml: error: layout file is 2097152 bytes; the limit is 1048576" -- "$GOOD" -l "$G/huge.yaml"
row "a style's colour that is not one" 1 "^$B/bad-style\.yaml:3:15: error: styles\.box\.tint: '#12345' is not a colour" \
    -- "$GOOD" -l $B/bad-style.yaml
row "a style's misspelt key, with a suggestion" 1 "^$B/style-key\.yaml:4:5: error: unknown layout key 'styles\.box\.bordr'" \
    "^  hint: did you mean 'border'\?" -- "$GOOD" -l $B/style-key.yaml
row "a layout name that does not exist" 3 "^no-such-layout: error: cannot find this layout" -- "$GOOD" -l no-such-layout
row "a misspelt layout name: the nearest shipped one named" 3 "^a6: error: cannot find this layout" \
    "^  hint: did you mean 'a5'\? The shipped layouts: a5, " -- "$GOOD" -l a6
row "a layout name ending in .yaml: looked for as such, not as .yaml.yaml" 3 \
    "^no-such-layout\.yaml: error: cannot find this layout \(not a file, and no layouts/no-such-layout\.yaml in " \
    -- "$GOOD" -l no-such-layout.yaml
row "a layout the front matter names that is not there: the front matter's line named" 3 \
    "^$B/fm-layout-missing\.md:3: error: cannot find the layout 'no-such-layout\.yaml' \(not a file beside the content, and no layouts/no-such-layout\.yaml in " \
    -- $B/fm-layout-missing.md

# ---- content ------------------------------------------------------------------------------
row "unknown front matter key, with a suggestion" 1 "^$B/unknown-fm-key\.md:3:1: error: unknown front matter key 'titel'" \
    "^  hint: did you mean 'title'\?" -- $B/unknown-fm-key.md $L
row "url: twice (url: and qr:)" 1 "^$B/two-urls\.md:4:1: error: 'qr': the front matter already gave url: or qr:" -- $B/two-urls.md $L
row "url: too long for a QR code" 1 "^$B/long-url\.md:3: error: url: cannot be made into a QR code \(too long" -- $B/long-url.md $L
row "'toc:' in the front matter that is not true or false" 1 "^$B/toc-fm\.md:3:6: error: toc: 'perhaps' is not true or false" \
    -- $B/toc-fm.md $L
row "classes no style names: warnings at their line and column, with the styles there are" 0 \
    "^$B/unknown-class\.md:6:1: warning: unknown class '\.warning'" \
    "^$B/unknown-class\.md:10:14: warning: unknown class '\.centre'" "^  hint: did you mean '\.center'\?" \
    "^  hint: the layout's styles: box, pullquote, aside, center" -- $B/unknown-class.md $L
row "a title holding ': ' (YAML's 'mapping values'), with the quoting to use" 1 \
    "^$B/colon-title\.md:2:12: error: YAML: mapping values are not allowed" '^  hint: quote a value that contains .: ., as in  title: "Rent: the facts"' \
    -- $B/colon-title.md $L
row "front matter never closed" 1 "^$B/unclosed-fm\.md:1:1: error: front matter is not closed" -- $B/unclosed-fm.md $L
row "broken YAML in the front matter" 1 "^$B/broken-fm\.md:4:1: error: YAML: " -- $B/broken-fm.md $L
row "YAML alias in the front matter" 1 "alias-fm\.md:2:8: error: YAML anchors \(&t\) are not supported" -- "$G/alias-fm.md" $L
row "invalid UTF-8" 1 "bad-utf8\.md:6:7: error: invalid UTF-8 \(byte 0xFF\); save the file as UTF-8" -- "$G/bad-utf8.md" $L
row "empty file" 1 "empty\.md:1: error: the file is empty; there is nothing to set" -- "$G/empty.md" $L
row "only blank lines" 1 "blank\.md:1: error: the file is empty" -- "$G/blank.md" $L
row "binary garbage" 1 "garbage\.md:[0-9]+:[0-9]+: error: (invalid UTF-8|the file contains NUL bytes)" -- "$G/garbage.md" $L
row "a PDF given as the Markdown" 1 "a-pdf\.md:[0-9]+:[0-9]+: error: (invalid UTF-8|the file contains NUL bytes)" -- "$G/a-pdf.md" $L
ROW_MAX_SECONDS=60
row "10 MB single paragraph refused, quickly" 1 "big\.md:4: error: this paragraph is 1048[0-9]{4} bytes long; one paragraph may be at most 1048576 bytes" \
    "^  hint: are blank lines missing between paragraphs\?" -- "$G/big.md" $L
row "block quotes nested 100000 deep" 1 "deep-quotes\.md:6: error: block quotes, lists and divs are nested more than 12 deep" -- "$G/deep-quotes.md" $L
ROW_MAX_SECONDS=20
row "lists nested 50000 deep" 1 "deep-lists\.md:6: error: block quotes, lists and divs are nested more than 12 deep" -- "$G/deep-lists.md" $L
ROW_MAX_SECONDS=20
row "emphasis nested 60000 deep" 1 "deep-emphasis\.md:6: error: emphasis, links and other inline markup are nested more than 32 deep" \
    -- "$G/deep-emphasis.md" $L
ROW_MAX_SECONDS=60
row "content over 16 MiB refused before reading" 1 "huge\.md: error: content file is 17825792 bytes; the limit is 16777216" -- "$G/huge.md" $L
ROW_MAX_SECONDS=60 ROW_CHECK='python3 tests/e2e/pdf_words.py "$G/long-para.md" "$D/out.pdf"'
row "a 256 KiB paragraph renders, every word in order" 0 -- "$G/long-para.md" $L
row "byte order mark and CRLF line ends" 0 -- "$G/bom-crlf.md" $L
row "a folder as the Markdown" 3 "folder\.md: error: cannot read content file: it is a folder" -- "$G/folder.md" $L
row "a Markdown file that is not there" 3 "no-such\.md: error: cannot open content file: No such file or directory" -- "$G/no-such.md" $L

# ---- images -------------------------------------------------------------------------------
row "missing image: its path and the line naming it (a mistake in the content: exit 1)" 1 "^$B/missing-image\.md:6: error: $B/no-such-photo\.jpg: cannot open image: No such file" \
    -- $B/missing-image.md $L
row "a missing image after twenty pages: nothing written" 1 "late-missing-image\.md:[0-9]+: error: .*no-such-photo\.jpg: cannot open image" \
    -- "$G/late-missing-image.md" $L
row "missing logo image: the front matter line" 1 "^$B/missing-logo\.md:3: error: $B/no-such-logo\.png: cannot open image" \
    -- $B/missing-logo.md $L
row "missing cover image: the front matter line" 1 "^$B/missing-cover\.md:3: error: $B/no-such-cover\.jpg: cannot open image" \
    -- $B/missing-cover.md $L
row "a GIF named .png" 1 "^$B/gif-image\.md:6: error: .*not-a-png\.png: GIF images are not supported; supported formats are JPEG and PNG" \
    -- $B/gif-image.md $L
row "truncated JPEG" 1 "^$B/truncated-jpeg\.md:6: error: .*truncated\.jpg: truncated JPEG" -- $B/truncated-jpeg.md $L
ROW_MAX_SECONDS=20
row "a PNG claiming 20000 x 20000, refused before decoding" 1 \
    "^$B/huge-png\.md:6: error: .*huge\.png: image is 20000 x 20000 pixels \(400 megapixels\); the limit is 100" -- $B/huge-png.md $L
row "a figure with no image path" 1 "^$B/empty-image-path\.md:6: error: figure has no image path" -- $B/empty-image-path.md $L
row "a folder as an image" 3 "image-folder\.md:6: error: .*: cannot read image: Is a directory" -- "$G/image-folder.md" $L
ROW_CHECK='python3 tests/e2e/placed_image.py "$D/dump" "$D/out.pdf" orient-6 0.25,0.25=red 0.75,0.25=blue 0.5,0.75=white'
row "a rotated phone photo (EXIF 6) stands upright" 0 "^$B/rotated\.md:6: warning: image '\.\./images/orient-6\.jpg' is [0-9]+ dpi" \
    -- $B/rotated.md $L --dump-layout DIR/dump
# The file (Adobe-inverted YCCK) goes into the PDF as DeviceCMYK with its /Decode; poppler
# shows 100 % cyan + yellow as a press green and cyan + magenta as a press blue (its
# negative would be black where these are colours).
ROW_CHECK='python3 tests/e2e/placed_image.py "$D/dump" "$D/out.pdf" cmyk 0.25,0.25=red 0.75,0.25=0/166/80 0.25,0.75=46/49/145 0.75,0.75=white'
row "a CMYK JPEG, colours right (not its negative)" 0 -- $B/cmyk.md $L --dump-layout DIR/dump
ROW_CHECK='python3 tests/e2e/placed_image.py "$D/dump" "$D/out.pdf" rgba16 0.25,0.25=red 0.75,0.25=lightgreen 0.25,0.75=white &&
    python3 tests/e2e/placed_image.py "$D/dump" "$D/out.pdf" palette-trns 0.25,0.25=red 0.75,0.25=lime 0.25,0.75=white &&
    python3 tests/e2e/placed_image.py "$D/dump" "$D/out.pdf" gray-alpha 0.25,0.25=54/54/54'
row "16-bit, palette and alpha PNGs" 0 -- $B/png-kinds.md $L --dump-layout DIR/dump
row "a low-resolution photo warns" 0 \
    "^$B/low-dpi\.md:6: warning: image '\.\./images/photo\.jpg' is [0-9]+ dpi at its printed size \([0-9]+ x [0-9]+ mm\); below 150 dpi" \
    -- $B/low-dpi.md $L
row "a low-resolution cover image warns" 0 \
    "^$B/low-dpi-cover\.md:3: warning: cover image '\.\./images/photo\.jpg' is [0-9]+ dpi at its printed size \([0-9]+ x [0-9]+ mm\); below 150 dpi" \
    -- $B/low-dpi-cover.md $L

# ---- text ---------------------------------------------------------------------------------
row "characters no font of the layout has: set in a system font, one warning naming it, each character, its count and first line, and the layout key" 0 \
    "^$B/missing-glyph\.md:6: warning: 2 characters no font of the layout has are set in the system font 'Droid Sans Fallback' \([^)]*\) \(2 times\): '中' U\+4E2D 1× \(line 6\), '文'" \
    "hint: add it to the layout, .*fonts: \{body: \{fallback: \[Droid Sans Fallback\]\}\}" -- $B/missing-glyph.md $L
ROW_CHECK='python3 tests/e2e/dump_check.py "$D/dump" && check_words_rejoined PNEUMONOULTRAMICROSCOPICSILICOVOLCANOCONIOSISABCDEFGHIJ'
row "a word wider than the line that has no break (in capitals: not hyphenated) is broken with a warning, never clipped" 0 \
    "^$B/overlong-word\.md:6: warning: 'PNEUMONOULTRAMICROSCOPIC.*' is wider than the line" \
    -- $B/overlong-word.md $L --dump-layout DIR/dump
ROW_CHECK='python3 tests/e2e/dump_check.py "$D/dump" && grep -qF "Pneumonoultramicroscopicsilicovolcanoconiosisabcdefghijabcde\-" "$D/dump" && ! grep -q "wider than the line" "$D/stderr"'
row "a capitalised word wider than the line is hyphenated at its syllables, like any word, not cut" 0 \
    -- $B/overlong-capitalised.md $L --dump-layout DIR/dump

ROW_CHECK='pdftotext "$D/out.pdf" - | grep -q "along the way"'
row "right-to-left text (Hebrew) in a line (found by fuzz_render)" 0 -- $B/rtl.md $L
ROW_CHECK='grep -q "^  line .*para=" "$D/dump" && check_hangs_at_edges && python3 tests/e2e/dump_check.py "$D/dump"'
row "a justified paragraph with right-to-left runs: only punctuation at a line's visual end hangs" 0 \
    -- $B/rtl-punctuation.md $L --dump-layout DIR/dump
ROW_CHECK='pdfinfo "$D/out.pdf" | grep -q "^Title: *The first heading with words$" && pdftotext "$D/out.pdf" - | grep -q "Text under it"'
row "empty headings and no title: the cover is blank, the title is the first heading with words (found by fuzz_render)" 0 \
    "^$B/empty-headings\.md:1: warning: no title in the front matter; using the first heading" -- $B/empty-headings.md $L
ROW_CHECK='qpdf --check "$D/out.pdf" >/dev/null 2>&1 && pdftotext "$D/out.pdf" - | grep -q "broken one"'
row "links with a backslash, a parenthesis, a space, accents: the PDF stays valid; a link to no heading is a warning" 0 \
    "^$B/odd-links\.md:7:77: warning: a link to '#links-2', but no heading has that id" "did you mean '#links'" -- $B/odd-links.md $L
ROW_CHECK='grep -q "image .*1917-putilov" "$D/dump"'
row "a figure floated to the next page while the page is being filled (found by fuzz_render)" 0 \
    -- $B/floated-figure.md -l $B/small-page.yaml --dump-layout DIR/dump
ROW_CHECK='python3 tests/e2e/dump_check.py "$D/dump"'
row "quotes and lists nested 11 deep on a small page stay on the page" 0 -- $B/deep-nesting.md -l $B/small-page.yaml --dump-layout DIR/dump

# ---- outputs ------------------------------------------------------------------------------
row "an output folder that does not exist" 3 "^/nonexistent-pm-dir/out\.pdf: error: cannot write output: No such file or directory" \
    -- "$GOOD" $L -o /nonexistent-pm-dir/out.pdf --booklet BOOKLET
row "a folder given as the PDF" 3 "outdir: error: cannot write output: it is a folder" -- "$GOOD" $L -o "$G/outdir" --booklet BOOKLET
row "a folder given as the booklet: the PDF is not replaced either" 3 "outdir: error: cannot write output: it is a folder" \
    -- "$GOOD" $L -o OUT --booklet "$G/outdir"
# (a pipe, not /dev/null: a run as root that renamed its PDF over /dev/null would break it)
mkfifo "$G/pipe.pdf"
row "a pipe given as the PDF" 3 "pipe\.pdf: error: cannot write output: it is not a regular file" -- "$GOOD" $L -o "$G/pipe.pdf" --booklet BOOKLET
if [ "$(id -u)" != 0 ]; then # root writes anywhere
    mkdir -p "$T/ro" && cp "$T/good.pdf" "$T/ro/out.pdf" && chmod a-w "$T/ro"
    row "a read-only folder" 3 "ro/out\.pdf: error: cannot write output: Permission denied" -- "$GOOD" $L -o "$T/ro/out.pdf" --booklet BOOKLET
fi

# ---- outputs that are inputs, or each other -------------------------------------------------
# (compared by device and inode: the same file under another name, a hard link, a symbolic
# link; each row checks the input is byte for byte as it was)
photo_md='---\ntitle: A photo\n---\nText.\n\n![A photo.](%s)\n'
ROW_SETUP='cp "$GOOD" "$D/a.md"' ROW_CHECK='cmp "$D/a.md" "$GOOD"'
row "-o naming the content file: refused, the source kept" 2 "a\.md: error: the PDF \(-o\) would overwrite the content file$" \
    "^  hint: give the PDF a file name of its own" -- DIR/a.md $L -o DIR/a.md --booklet BOOKLET
ROW_SETUP='cp "$GOOD" "$D/a.md"' ROW_CHECK='cmp "$D/a.md" "$GOOD"'
row "--booklet naming the content file" 2 "a\.md: error: the booklet \(--booklet\) would overwrite the content file" \
    -- DIR/a.md $L -o OUT --booklet DIR/a.md
ROW_SETUP='cp "$GOOD" "$D/notes.pdf"' ROW_CHECK='cmp "$D/notes.pdf" "$GOOD"'
row "no -o, and the source named .pdf: the PDF named after it would overwrite it" 2 \
    "notes\.pdf: error: the PDF \(named after the source\) would overwrite the content file" -- DIR/notes.pdf $L --booklet BOOKLET
ROW_SETUP='cp "$GOOD" "$D/a.md"' ROW_CHECK='cmp "$D/a.md" "$GOOD"'
row "--dump-layout naming the content file" 2 "a\.md: error: the layout dump \(--dump-layout\) would overwrite the content file" \
    -- DIR/a.md $L --dump-layout DIR/a.md
row "-o and --booklet naming one file, spelt two ways" 2 \
    "/\./out\.pdf: error: the booklet \(--booklet\) would overwrite the PDF \(-o\): they name the same file" \
    "^  hint: give each output a file name of its own" -- "$GOOD" $L -o OUT --booklet DIR/./out.pdf
row "--spreads naming the reading PDF" 2 "out\.pdf: error: the spreads PNG \(--spreads\) would overwrite the PDF \(-o\)" \
    -- "$GOOD" $L -o OUT --booklet BOOKLET --spreads DIR/out.pdf
ROW_SETUP='cp layouts/a5.yaml "$D/l.yaml" && ln "$D/l.yaml" "$D/l.pdf"' ROW_CHECK='cmp "$D/l.yaml" layouts/a5.yaml'
row "-o naming the layout through a hard link" 2 "l\.pdf: error: the PDF \(-o\) would overwrite the layout, .*/l\.yaml" \
    -- "$GOOD" -l DIR/l.yaml -o DIR/l.pdf --booklet BOOKLET
ROW_SETUP='cp layouts/a5.yaml "$D/base.yaml" && printf "extends: base.yaml\n" >"$D/my.yaml"'
ROW_CHECK='cmp "$D/base.yaml" layouts/a5.yaml'
row "--booklet naming a layout the given one extends" 2 "base\.yaml: error: the booklet \(--booklet\) would overwrite a layout it extends" \
    -- "$GOOD" -l DIR/my.yaml -o OUT --booklet DIR/base.yaml
ROW_SETUP='cp tests/data/images/photo.jpg "$D/" && printf -- "$photo_md" photo.jpg >"$D/p.md" && ln -s photo.jpg "$D/photo.pdf"'
ROW_CHECK='cmp "$D/photo.jpg" tests/data/images/photo.jpg'
row "--booklet naming an image through a symbolic link" 2 "photo\.pdf: error: the booklet \(--booklet\) would overwrite an image, .*photo\.jpg" \
    -- DIR/p.md $L -o OUT --booklet DIR/photo.pdf
ROW_SETUP='mkdir "$D/png" && cp tests/data/images/photo.png "$D/png/page-001.png" && printf -- "$photo_md" png/page-001.png >"$D/p.md"'
ROW_CHECK='cmp "$D/png/page-001.png" tests/data/images/photo.png'
row "--png into a folder holding an image named page-001.png" 2 \
    "png/page-001\.png: error: the page PNGs \(--png\) would overwrite an image" "^  hint: write the page PNGs into another folder" \
    -- DIR/p.md $L --png DIR/png
ROW_SETUP='mkdir "$D/fonts" && ln -s "$PWD"/fonts/* "$D/fonts/"' ROW_CHECK='cmp "$D/fonts/LinLibertine_R.otf" fonts/LinLibertine_R.otf'
row "-o naming a font of the fonts folder (a symbolic link to it)" 2 \
    "LinLibertine_R\.otf: error: the PDF \(-o\) would overwrite a file of the fonts folder" \
    -- "$GOOD" $L --fonts DIR/fonts -o DIR/fonts/LinLibertine_R.otf --booklet BOOKLET
ROW_SETUP='cp "$T/good.pdf" "$D/in.pdf"' ROW_CHECK='cmp "$D/in.pdf" "$T/good.pdf"'
row "impose with -o naming the PDF to impose" 2 "in\.pdf: error: the booklet \(-o\) would overwrite the PDF to impose" \
    -- impose DIR/in.pdf -o DIR/in.pdf

# ---- command line -------------------------------------------------------------------------
row "an unknown option" 2 "(unrecognized|unknown) option '--frobnicate'" "^Try 'pamphlet --help'\.$" -- "$GOOD" --frobnicate
row "a misspelt option: the nearest named" 2 "unknown option '--bookelt'" "^  hint: did you mean '--booklet'\?" -- "$GOOD" --bookelt BOOKLET
row "--dpi out of range" 2 "^pamphlet: (error: )?--dpi '5': give a number from 10 to 1200" -- "$GOOD" --dpi 5
row "--duplex neither short nor long" 2 "^pamphlet: (error: )?--duplex 'sideways': use short or long" -- "$GOOD" --duplex sideways
row "--creep without a unit" 2 "^pamphlet: (error: )?--creep '0\.1': .*(unit|mm, cm, in)" -- "$GOOD" --creep 0.1
row "an unknown --sheet" 2 "--sheet .*unknown paper size" -- "$GOOD" --sheet A9x
row "no Markdown file" 2 "^pamphlet: (error: )?no SOURCE\.md given" -- -o OUT --booklet BOOKLET
row "two Markdown files" 2 "^pamphlet: (error: )?give exactly one SOURCE file" -- "$GOOD" "$GOOD"

# booklet options without --booklet: made nothing, so a warning says so (exit 0, PDF written)
"$PAMPHLET" "$GOOD" $L -o "$T/nob.pdf" --sheet A4 --marks 2>"$T/nob.err"
if [ $? = 0 ] && grep -q "warning: --sheet, --marks: booklet options without --booklet FILE" "$T/nob.err" &&
    [ -z "$(diag_form "$T/nob.err")" ]; then
    npass=$((npass + 1)); echo "ok   booklet options without --booklet warn"
else
    nfail=$((nfail + 1)); echo "FAIL booklet options without --booklet warn: $(head -c 300 "$T/nob.err")"
fi

known=; [ "$nknown" = 0 ] || known=", $nknown known bad (parked, see above)"
echo "bad input: $npass passed, $nfail failed$known"
[ "$nfail" = 0 ]
