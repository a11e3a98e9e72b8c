#!/usr/bin/env bash
# Makes the README's fold pictures (docs/fold-*.png) from demo.md: run from the
# repository's root after `make`. Needs poppler-utils (pdftoppm) and ImageMagick (montage).
set -eu
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export SOURCE_DATE_EPOCH=1700000000
P=./pamphlet
D=docs/folds
$P $D/demo.md -l $D/a7.yaml -o "$T/r7.pdf" --booklet "$T/zine8.pdf" --fold zine8 -q
$P $D/demo.md -l $D/a6.yaml -o "$T/r6.pdf" --booklet "$T/2up.pdf" --fold 2up -q
$P $D/demo.md -l $D/a6.yaml -o "$T/r6.pdf" --booklet "$T/cut-stack.pdf" --fold cut-stack -q
$P $D/demo.md -l $D/a6.yaml -o "$T/r6.pdf" --booklet "$T/saddle.pdf" --sheet A5 -q
for f in zine8 2up cut-stack saddle; do pdftoppm -gray -r 40 -f 1 -l 2 -png "$T/$f.pdf" "$T/$f"; done
cp "$T/zine8-1.png" docs/fold-zine8.png
# the front and the back of the first sheet, side by side
for f in 2up cut-stack saddle; do
    montage "$T/$f-1.png" "$T/$f-2.png" -tile 2x1 -geometry +6+0 -background white -bordercolor gray60 \
        -border 1 "docs/fold-$f.png"
done
