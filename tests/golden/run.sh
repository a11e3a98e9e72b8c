#!/usr/bin/env bash
# Golden layout tests: each tests/golden/NAME.md is laid out (with NAME.yaml if present,
# else golden.yaml) and its layout dump compared with NAME.expected; the warnings printed
# are compared with NAME.warnings (none may be printed when there is no such file). A
# mismatch prints a unified diff. A contents list must show the pages its headings are on
# (../tools/toc_check.py).
# Each NAME.md opens with front matter whose first line is a YAML comment saying what the
# test checks ("# checks: ..."; the content parser ignores it); a test without one fails.
# An .expected file whose first line is KNOWNBAD is a parked known failure (reported, not
# failed). Every layout must also pass the layout invariants (tests/tools/layout_check.py
# with its source: nothing off the page or overlapping, every word and figure, ...).
# Regenerate with: UPDATE=1 tests/golden/run.sh   (then review the diff!)
# PAMPHLET=path runs another build of the program (default ./pamphlet).
set -u
# every shortcut of the paragraph setter checked against Pango (src/text/words.c, shape.c)
export PAMPHLET_CHECK_WORDS=1
bin=${PAMPHLET:-$(cd "$(dirname "$0")/../.." && pwd)/pamphlet}
case $bin in /*) ;; *) bin=$PWD/$bin ;; esac
cd "$(dirname "$0")"
fail=0
for md in *.md; do
    name=${md%.md}
    layout=golden.yaml
    [ -f "$name.yaml" ] && layout=$name.yaml
    if ! sed -n '1p' "$md" | grep -qx -- '---' || ! sed -n '2p' "$md" | grep -q '^# checks: .'; then
        echo "FAIL $name: $md must open with front matter whose first line is '# checks: what it checks'"
        fail=1
        continue
    fi
    got=$(mktemp)
    warn=$(mktemp)
    "$bin" "$md" -l "$layout" --no-pdf --dump-layout - >"$got" 2>"$warn"
    rc=$?
    if [ "${UPDATE:-}" = 1 ]; then
        cp "$got" "$name.expected"
        [ -s "$warn" ] && cp "$warn" "$name.warnings" || rm -f "$name.warnings"
        echo "updated $name"
    elif [ $rc -ne 0 ]; then
        echo "FAIL $name: exit $rc"; cat "$warn"; fail=1
    elif head -1 "$name.expected" 2>/dev/null | grep -q '^KNOWNBAD'; then
        echo "KNOWNBAD $name (parked)"
    elif ! diff -u "$name.expected" "$got" >"$got.diff"; then
        echo "FAIL $name: layout differs from $name.expected"; head -40 "$got.diff"; fail=1
    elif [ -f "$name.warnings" ] && ! diff -u "$name.warnings" "$warn"; then
        echo "FAIL $name: warnings differ from $name.warnings"; fail=1
    elif [ ! -f "$name.warnings" ] && [ -s "$warn" ]; then
        echo "FAIL $name: warnings, and no $name.warnings expects any:"; cat "$warn"; fail=1
    elif ! python3 ../tools/layout_check.py "$got" --source "$md"; then
        echo "FAIL $name: layout invariants broken (tests/tools/layout_check.py)"; fail=1
    elif ! python3 ../tools/toc_check.py "$got" --expect "$(grep -cE '^\[\[toc\]\]$|^toc: true$' "$md")"; then
        echo "FAIL $name: the contents list's page numbers are wrong"; fail=1
    else
        echo "ok   $name"
    fi
    rm -f "$got" "$got.diff" "$warn"
done
exit $fail
