#!/usr/bin/env bash
# End-to-end: fitting a pamphlet to a page count (issue 13; layout/fit.c). --pages fit on
# both samples and the half-letter 1917 gives a multiple of four with no blank page in the
# booklet, the report names what was changed, the layout keeps every invariant (no widow,
# orphan or heading at a foot: tests/tools/layout_check.py) and the word spacing keeps
# issue 4's targets (tests/tools/spacing.py: loose <= 0.5 %, p95 <= 0.33 em); a count out
# of reach is said, in lines, and the natural layout kept; a last page of a few lines is
# pulled back without being asked, and kept with --pages none; bad values are usage
# errors. PAMPHLET=path overrides ./pamphlet.
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
pages() { pdfinfo "$1" | awk '/^Pages:/ {print $2}'; }

# fit: a multiple of four, no blanks, the adjustments named, invariants and spacing kept
fit_case() { # name, source, layout
    local name=$1 src=$2 layout=$3 out=$tmp/$1
    "$PAMPHLET" "$src" -l "$layout" --pages fit -o "$out.pdf" --booklet "$out-b.pdf" \
        --dump-layout "$out.dump" >"$out.err" 2>&1 || { cat "$out.err"; return 1; }
    local n; n=$(pages "$out.pdf")
    [ $((n % 4)) -eq 0 ] || { echo "$n pages, not a multiple of 4"; cat "$out.err"; return 1; }
    grep -q "0 blank pages added" "$out.err" || { echo "the booklet has blanks:"; cat "$out.err"; return 1; }
    grep -q "pages made $n" "$out.err" || { echo "no report of the fit:"; cat "$out.err"; return 1; }
    python3 tests/tools/layout_check.py "$out.dump" --source "$src" || return 1
    python3 tests/tools/spacing.py "$out.pdf" | python3 -c '
import sys
kv = dict(x.split("=") for x in sys.stdin.read().split())
loose, p95 = float(kv["loose_share"]), float(kv["p95_gap_em"])
sys.exit(0 if loose <= 0.005 and p95 <= 0.33 else "loose %.4f, p95 %.3f em" % (loose, p95))'
}
check "1917 (a5) --pages fit: a multiple of four, no blank page, invariants and spacing kept" \
    fit_case 1917 content/1917.md layouts/a5.yaml
# (under the sanitizers 1917 only: the same code, several times slower)
if [ -z "${ASAN_OPTIONS:-}${TSAN_OPTIONS:-}" ]; then
    check "Common Sense (a5) --pages fit" fit_case common-sense content/common-sense.md layouts/a5.yaml
    check "1917 (half-letter) --pages fit" fit_case 1917-hl content/1917.md layouts/half-letter.yaml
fi

# the same input fitted twice: the same bytes
same_twice() {
    "$PAMPHLET" content/1917.md --pages fit -q -o "$tmp/a.pdf" && "$PAMPHLET" content/1917.md --pages fit -q -o "$tmp/b.pdf" &&
        cmp "$tmp/a.pdf" "$tmp/b.pdf"
}
check "--pages fit: byte-identical reruns" same_twice

# a count out of reach: said in lines, the natural layout kept, exit 0
out_of_reach() {
    "$PAMPHLET" content/1917.md --pages 12 -o "$tmp/far.pdf" 2>"$tmp/far.err" || return 1
    grep -q "12 cannot be reached: [0-9]* lines too many" "$tmp/far.err" || { cat "$tmp/far.err"; return 1; }
    [ "$(pages "$tmp/far.pdf")" -eq 22 ] || { echo "not the natural 22 pages"; return 1; }
}
check "--pages 12 (out of reach): the miss in lines, the natural layout kept" out_of_reach

# --preflight: the natural count and what --pages fit would reach
preflight_fit() {
    "$PAMPHLET" content/1917.md --preflight >"$tmp/pf.out" 2>&1 || return 1
    grep -q "pages: *22 of" "$tmp/pf.out" && grep -q -- "--pages fit: .*22 pages can be made [0-9]*" "$tmp/pf.out" ||
        { cat "$tmp/pf.out"; return 1; }
}
check "--preflight: the natural count and whether --pages fit reaches a multiple of four" preflight_fit

# a runt: a last page of one line is pulled back without asking; --pages none keeps it
runt_doc() { # lines-worth of text: a document whose last page has a line or two
    python3 - "$1" <<'EOF'
import sys
words = ("the union met again on tuesday and the tenants of every block came with their "
         "letters and their questions about the rent the repairs and the landlord").split()
paras = []
for i in range(int(sys.argv[1])):
    paras.append(" ".join(words[(i * 7 + k) % len(words)] for k in range(60 + (i % 5) * 9)).capitalize() + ".")
print("---\ntitle: A runt\n---\n" + "\n\n".join(paras))
EOF
}
runt_case() {
    local n
    for n in $(seq 10 60); do
        runt_doc $n >"$tmp/runt.md"
        "$PAMPHLET" "$tmp/runt.md" --pages none --no-pdf --dump-layout "$tmp/runt.dump" -q || return 1
        # the last page's lines
        local last; last=$(awk '/^page /{n=0} /^  line / && !/running/{n++} END{print n}' "$tmp/runt.dump")
        [ "$last" -ge 1 ] && [ "$last" -le 2 ] && break
    done
    [ "$last" -le 2 ] || { echo "no runt document found"; return 1; }
    local before; before=$(grep -c '^page ' "$tmp/runt.dump")
    "$PAMPHLET" "$tmp/runt.md" --no-pdf --dump-layout "$tmp/pulled.dump" 2>"$tmp/runt.err" || return 1
    local after; after=$(grep -c '^page ' "$tmp/pulled.dump")
    [ "$after" -eq $((before - 1)) ] || { echo "$before pages, then $after: not pulled back"; cat "$tmp/runt.err"; return 1; }
    grep -q "pages made $after" "$tmp/runt.err" || { cat "$tmp/runt.err"; return 1; }
    python3 tests/tools/layout_check.py "$tmp/pulled.dump" --source "$tmp/runt.md"
}
check "a last page of a line or two is pulled back; --pages none keeps it" runt_case

usage() {
    local v rc
    for v in 0 -4 abc 4x; do
        "$PAMPHLET" content/1917.md --pages "$v" --no-pdf 2>"$tmp/u.err"; rc=$?
        [ $rc -eq 2 ] || { echo "--pages $v: exit $rc"; return 1; }
        grep -q -- "--pages '$v'" "$tmp/u.err" || { cat "$tmp/u.err"; return 1; }
    done
}
check "--pages with a bad value: exit 2 naming it" usage

[ $fail -eq 0 ] && echo "fit e2e: all passed"
exit $fail
