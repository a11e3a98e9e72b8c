#!/usr/bin/env bash
# test_early_objects.sh - the reading PDF's objects made as its pages are drawn
# (src/output/direct.c make_pages, on the drawing thread, for documents up to about a
# hundred pages) must make the same file as objects made all at the end: the structure
# tree (elements closed with their page, the Document's kids and the links' parents at the
# end), links, pictures, outline and the booklet imposed from it. Each document is made
# with PAMPHLET_EARLY_OBJECTS=2 (libqpdf waited for at the first page: every page's
# objects made as it is drawn, which the PAMPHLET_TIMING line must say) and with
# PAMPHLET_EARLY_OBJECTS=0 (none), reading PDF and booklet compared byte for byte; a long
# document left to the end by default, a short one made early. Documents: both samples
# (a cover photo, figures), Arabic (right to left), a corpus page in two columns, and one
# made here with links out and in, a footnote, a list, a table, a PNG with transparency
# and a paragraph over a page break.
# Run from anywhere; PAMPHLET=path overrides ./pamphlet. Exits 0 when all pass.
source "$(dirname "$0")/harness.sh"

python3 - "$T/dot.png" <<'EOF'
import struct, sys, zlib
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
rows = b"".join(b"\0" + bytes(v for x in range(6) for v in (40 * x, 200 - 20 * y, 90, 255 if (x + y) % 3 else 90))
                for y in range(6))
with open(sys.argv[1], "wb") as f:
    f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 6, 6, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
EOF
cp content/images/1917-putilov-works-mass-meeting.jpg "$T/photo.jpg"
long=$(for i in $(seq 1 60); do printf 'words that run on over the page break %d ' "$i"; done)
cat >"$T/mixed.md" <<EOF
---
title: Mixed
author: Tests
---
# First part {#first}

A link [out](https://example.org/a) and one [in](#second), and a note.[^n]

- one item with **bold**
- two items, the second [linking out](https://example.org/b)

| Name | Value |
| ---- | ----- |
| a    | 1     |
| b    | 2     |

![A dot with transparency]($T/dot.png)

$long

# Second part {#second}

![A photo]($T/photo.jpg)

Back to the [first part](#first).

[^n]: The note, with a [link](https://example.org/n).
EOF

# FILE NAME [LAYOUT]: every page's objects made early, and none, the same files
same_early_and_late() {
    local f=$1 n=$2 l=${3:-}
    local -a lay=()
    [ -n "$l" ] && lay=(-l "$l")
    PAMPHLET_EARLY_OBJECTS=2 PAMPHLET_TIMING=1 \
        "$PAMPHLET" "$f" "${lay[@]}" -o "$T/$n-e.pdf" --booklet "$T/$n-e-b.pdf" -q 2>"$T/$n.timing" || return 1
    PAMPHLET_EARLY_OBJECTS=0 "$PAMPHLET" "$f" "${lay[@]}" -o "$T/$n-l.pdf" --booklet "$T/$n-l-b.pdf" -q || return 1
    cmp "$T/$n-e.pdf" "$T/$n-l.pdf" && cmp "$T/$n-e-b.pdf" "$T/$n-l-b.pdf" || return 1
    grep -Eq "objects of ([1-9][0-9]*) of \1 pages made as they were drawn" "$T/$n.timing" ||
        { echo "not every page's objects were made early:"; grep "^direct:" "$T/$n.timing"; return 1; }
}

check "1917: the same PDF and booklet with the objects made as the pages are drawn" \
    same_early_and_late content/1917.md 1917
check "Common Sense (a cover photo): the same" same_early_and_late content/common-sense.md cs
check "Arabic, right to left: the same" same_early_and_late content/intl/ar-protections.md ar
check "a corpus page in two columns: the same" same_early_and_late tests/corpus/nodejs/api__tty.md tty letter-2col
check "links out and in, a note, a list, a table, a PNG, a page break: the same" same_early_and_late "$T/mixed.md" mixed

# by default: a short document's objects made as its pages are drawn once libqpdf is
# there (at least its last page's); a long one's all at the end
by_size() {
    PAMPHLET_TIMING=1 "$PAMPHLET" content/common-sense.md -o "$T/s.pdf" -q 2>"$T/s.timing" || return 1
    grep -Eq "objects of [1-9][0-9]* of 47 pages made as they were drawn" "$T/s.timing" ||
        { echo "short:"; grep "^direct:" "$T/s.timing"; return 1; }
    { printf -- '---\ntitle: Long\n---\n'; for i in 1 2 3 4 5 6 7 8 9; do
        awk 'NR == 1 && /^---$/ { fm = 1; next } fm && /^---$/ { fm = 0; next } !fm' content/common-sense.md; done; } >"$T/long.md"
    PAMPHLET_TIMING=1 "$PAMPHLET" "$T/long.md" -o "$T/l.pdf" -q 2>"$T/l.timing" || return 1
    grep -Eq "objects of 0 of [0-9]+ pages made as they were drawn" "$T/l.timing" ||
        { echo "long:"; grep "^direct:" "$T/l.timing"; return 1; }
}
check "by default: early for a short document, at the end for a long one" by_size

echo "early objects e2e: $npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
