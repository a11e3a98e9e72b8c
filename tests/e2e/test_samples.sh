#!/usr/bin/env bash
# End-to-end: render both sample pamphlets and check the PDFs with poppler and qpdf:
# page count in range, fonts embedded, every source word in order, cover JPEG embedded as
# it is, metadata, outline, page labels, qpdf clean, byte-identical reruns, and the layout
# invariants of tests/tools/layout_check.py on each layout dump (nothing off the page or
# overlapping, every word, figure and note in place, no widow, orphan or heading at a
# page's foot). PAMPHLET=path overrides ./pamphlet.
set -u
PAMPHLET=${PAMPHLET:-$(cd "$(dirname "$0")/../.." && pwd)/pamphlet}
case $PAMPHLET in /*) ;; *) PAMPHLET=$PWD/$PAMPHLET ;; esac
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() { # name, command...
    local name=$1; shift
    if out=$("$@" 2>&1); then echo "ok   $name"; else echo "FAIL $name"; echo "$out" | sed 's/^/     /' | head -20; fail=1; fi
}

pages_between() { # pdf lo hi
    local n; n=$(pdfinfo "$1" | awk '/^Pages:/ {print $2}')
    [ "$n" -ge "$2" ] && [ "$n" -le "$3" ] || { echo "$1 has $n pages, expected $2..$3"; return 1; }
}
fonts_embedded() {
    local bad; bad=$(pdffonts "$1" | awk 'NR > 2 && $(NF-4) != "yes"')
    [ -z "$bad" ] || { echo "not embedded:"; echo "$bad"; return 1; }
    pdffonts "$1" | awk 'NR > 2' | grep -q . || { echo "no fonts"; return 1; }
}
metadata() { # pdf title author
    local info; info=$(pdfinfo "$1")
    echo "$info" | grep -q "^Title: *$2\$" || { echo "title is not '$2'"; echo "$info"; return 1; }
    echo "$info" | grep -q "^Author: *$3\$" || { echo "author is not '$3'"; return 1; }
    if echo "$info" | grep -q "^CreationDate"; then echo "creation date present without SOURCE_DATE_EPOCH"; return 1; fi
}
outline_and_labels() { # pdf first-heading
    qpdf --qdf --object-streams=disable "$1" "$tmp/qdf.pdf" || return 1
    grep -aq "/Outlines" "$tmp/qdf.pdf" || { echo "no outline"; return 1; }
    grep -aq "/Title ($2)" "$tmp/qdf.pdf" || { echo "no bookmark '$2'"; return 1; }
    grep -aq "/PageLabels" "$tmp/qdf.pdf" || { echo "no page labels"; return 1; }
}
qpdf_clean() { qpdf --check "$1" >/dev/null 2>&1 || { qpdf --check "$1" 2>&1 | tail -5; return 1; }; }
cover_jpeg() { # pdf width height source.jpg
    pdfimages -list "$1" | awk -v w="$2" -v h="$3" 'NR > 2 && $1 == 1 && $4 == w && $5 == h && $9 == "jpeg" {f = 1} END {exit !f}' ||
        { echo "no ${2}x${3} JPEG on page 1:"; pdfimages -list "$1"; return 1; }
    pdfimages -f 1 -l 1 -j "$1" "$tmp/img" && cmp -s "$(ls "$tmp"/img-*.jpg | head -1)" "$4" ||
        { echo "the embedded JPEG is not the original file byte for byte"; return 1; }
}
identical() { # md layout
    "$PAMPHLET" "$1" -l "$2" -o "$tmp/a.pdf" -q && "$PAMPHLET" "$1" -l "$2" -o "$tmp/b.pdf" -q && cmp "$tmp/a.pdf" "$tmp/b.pdf"
}
layout_checks() { python3 tests/tools/layout_check.py "$1" --source "$2"; }
words_fail_when_missing() { # the word check must notice a word that is not there
    { cat content/1917.md; printf '\nZyzzogeton appears nowhere.\n'; } > "$tmp/extra.md"
    if python3 tests/e2e/pdf_words.py "$tmp/extra.md" "$1" >/dev/null; then echo "pdf_words.py accepted a missing word"; return 1; fi
}

for layout in a5 half-letter; do
    "$PAMPHLET" content/1917.md -l "layouts/$layout.yaml" -o "$tmp/1917-$layout.pdf" --dump-layout "$tmp/1917-$layout.dump" 2>"$tmp/warn-1917" ||
        { echo "FAIL render 1917 ($layout)"; cat "$tmp/warn-1917"; fail=1; continue; }
    check "1917 ($layout): page count" pages_between "$tmp/1917-$layout.pdf" 16 28
    check "1917 ($layout): every word in order" python3 tests/e2e/pdf_words.py content/1917.md "$tmp/1917-$layout.pdf"
    check "1917 ($layout): layout invariants (layout_check.py)" layout_checks "$tmp/1917-$layout.dump" content/1917.md
done
f=$tmp/1917-a5.pdf
check "1917: fonts embedded" fonts_embedded "$f"
check "1917: metadata" metadata "$f" "1917" "Speak Out Now/Revolutionary Workers Group"
check "1917: outline and page labels" outline_and_labels "$f" "Russia at the Turn of the Century"
check "1917: qpdf --check" qpdf_clean "$f"
check "1917: no warnings" test ! -s "$tmp/warn-1917"
check "1917: byte-identical reruns" identical content/1917.md layouts/a5.yaml
check "word check notices a missing word" words_fail_when_missing "$f"

for layout in a5 half-letter; do
    "$PAMPHLET" content/common-sense.md -l "layouts/$layout.yaml" -o "$tmp/cs-$layout.pdf" --dump-layout "$tmp/cs-$layout.dump" 2>"$tmp/warn-cs" ||
        { echo "FAIL render common-sense ($layout)"; cat "$tmp/warn-cs"; fail=1; continue; }
    check "common-sense ($layout): page count" pages_between "$tmp/cs-$layout.pdf" 40 70
    check "common-sense ($layout): every word in order" python3 tests/e2e/pdf_words.py content/common-sense.md "$tmp/cs-$layout.pdf"
    check "common-sense ($layout): layout invariants (layout_check.py)" layout_checks "$tmp/cs-$layout.dump" content/common-sense.md
done
f=$tmp/cs-a5.pdf
check "common-sense: fonts embedded" fonts_embedded "$f"
check "common-sense: metadata" metadata "$f" "Common Sense" "Thomas Paine"
check "common-sense: outline and page labels" outline_and_labels "$f" "Introduction"
check "common-sense: cover JPEG embedded as is" cover_jpeg "$f" 1410 2250 content/images/common-sense-cover.jpg
check "common-sense: qpdf --check" qpdf_clean "$f"
check "common-sense: byte-identical reruns" identical content/common-sense.md layouts/a5.yaml
SOURCE_DATE_EPOCH=1700000000 "$PAMPHLET" content/1917.md -o "$tmp/d.pdf" -q
check "SOURCE_DATE_EPOCH sets the creation date" sh -c "pdfinfo '$tmp/d.pdf' | grep -q 'CreationDate: *Tue Nov 14 22:13:20 2023'"
exit $fail
