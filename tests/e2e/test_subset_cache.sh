#!/usr/bin/env bash
# test_subset_cache.sh - font subsets kept in the cache folder between runs
# (src/output/subset_cache.c): a second run of the same document subsets no font and
# writes the same bytes as the first and as a run that keeps none
# (PAMPHLET_NO_SUBSET_CACHE=1); a kept subset that was damaged is made again, the output
# still the same. The cache folder is one of the test's own (XDG_CACHE_HOME).
# Run from anywhere; PAMPHLET=path overrides ./pamphlet. Exits 0 when all pass.
source "$(dirname "$0")/harness.sh"
export XDG_CACHE_HOME=$T/cache

# RUN N: content/1917.md with its booklet as $T/N.pdf, $T/N-b.pdf; the subset counts in $T/N.counts
run() {
    PAMPHLET_TIMING=1 "$PAMPHLET" content/1917.md -o "$T/$1.pdf" --booklet "$T/$1-b.pdf" 2>&1 >/dev/null |
        sed -n 's/^direct: fonts subset \([0-9]*\), kept [0-9]*, read from the cache folder \([0-9]*\);.*/\1 \2/p' >"$T/$1.counts"
}
same() { cmp "$T/$1.pdf" "$T/$2.pdf" && cmp "$T/$1-b.pdf" "$T/$2-b.pdf"; }
counts() { # N MADE READ
    [ "$(cat "$T/$1.counts")" = "$2 $3" ] || { echo "subset, read: $(cat "$T/$1.counts"), expected $2 $3"; return 1; }
}

run cold
n=$(cut -d' ' -f1 "$T/cold.counts")
check "a first run subsets its fonts ($n) and keeps them" \
    bash -c "[ '${n:-0}' -gt 0 ] && [ \$(ls '$XDG_CACHE_HOME/pamphlet/subsets' | wc -l) -eq '${n:-0}' ]"
run warm
check "a second run reads them all and subsets none" counts warm 0 "$n"
check "the same PDF and booklet" same cold warm
PAMPHLET_NO_SUBSET_CACHE=1 run none
check "the same as a run that keeps no subsets" same cold none

one=$(ls "$XDG_CACHE_HOME"/pamphlet/subsets/* | head -n 1)
printf 'X' | dd of="$one" bs=1 seek=40 conv=notrunc status=none
run mended
check "a damaged subset is made again, the rest read" counts mended 1 $((n - 1))
check "the same PDF and booklet after the mend" same cold mended
run again
check "and kept again" counts again 0 "$n"

echo "subset cache e2e: $npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
