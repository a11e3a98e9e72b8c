#!/usr/bin/env bash
# The gallery: the tenants' handbook (content/tenants/know-your-rights.md, which uses every
# feature: boxes, a pull quote, an aside, a checklist, a table, parallel English/Spanish,
# a contents list, centred and right-set lines, a signature, a back cover) rendered in
# every shipped layout (layouts/*.yaml), with its booklet, with no warning at all (the
# printer margin's included), and each layout through
# the invariant checker (tests/tools/layout_check.py, with the source: nothing outside
# its zone or overlapping but text in its box, every word in order, the tables' words)
# and the contents list's page numbers (tests/tools/toc_check.py).
# PAMPHLET=path overrides ./pamphlet.
set -u
PAMPHLET=${PAMPHLET:-$(cd "$(dirname "$0")/../.." && pwd)/pamphlet}
case $PAMPHLET in /*) ;; *) PAMPHLET=$PWD/$PAMPHLET ;; esac
cd "$(dirname "$0")/../.."
src=content/tenants/know-your-rights.md
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0 n=0
for l in layouts/*.yaml; do
    name=$(basename "$l" .yaml)
    n=$((n + 1))
    if ! "$PAMPHLET" "$src" -l "$l" -o "$tmp/$name.pdf" --booklet "$tmp/$name-booklet.pdf" \
            --dump-layout "$tmp/$name.dump" >/dev/null 2>"$tmp/$name.err"; then
        echo "FAIL $name: the render failed"; sed 's/^/     /' "$tmp/$name.err"; fail=1; continue
    fi
    if [ -s "$tmp/$name.err" ]; then
        echo "FAIL $name: warnings"; sed 's/^/     /' "$tmp/$name.err"; fail=1; continue
    fi
    if ! python3 tests/tools/layout_check.py "$tmp/$name.dump" --source "$src" >"$tmp/$name.chk" 2>&1; then
        echo "FAIL $name: layout invariants broken"; head -20 "$tmp/$name.chk" | sed 's/^/     /'; fail=1; continue
    fi
    # (a layout in columns: the labels are flush with their column; column-gap in inches)
    cols=$(sed -n 's/^  columns: *\([0-9]\).*/\1/p' "$l"); cols=${cols:-1}
    gap=$(sed -n 's/^  column-gap: *\([0-9.]*\)in.*/\1/p' "$l"); gap=$(python3 -c "print(${gap:-0} * 72)")
    if ! python3 tests/tools/toc_check.py "$tmp/$name.dump" --expect 1 --columns "$cols" --gap "$gap" >"$tmp/$name.toc" 2>&1; then
        echo "FAIL $name: the contents list's page numbers"; head -20 "$tmp/$name.toc" | sed 's/^/     /'; fail=1; continue
    fi
    pages=$(grep -c '^page ' "$tmp/$name.dump")
    grep -q '^  box ' "$tmp/$name.dump" || { echo "FAIL $name: no box drawn"; fail=1; continue; }
    echo "ok   $name: $pages pages, no warning, invariants and contents list hold"
done
[ $n -ge 6 ] || { echo "FAIL only $n layouts in layouts/"; fail=1; }
exit $fail
