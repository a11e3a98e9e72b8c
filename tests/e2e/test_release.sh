#!/usr/bin/env bash
# A run that writes only PDFs releases the lines of body paragraphs as the pages that show
# them are drawn (src/layout/chunks.c); a run that also writes a layout dump keeps them all,
# and every other test of the layout reads dumps. This one checks that releasing changes
# nothing: random documents (tests/tools/gen_doc.py) and real READMEs of the corpus, each
# written twice, reading PDF and booklet, with and without --dump-layout; the PDFs must be
# byte-identical. Under the sanitizers (make check-asan, check-tsan) the same runs check
# that nothing reads a released line.
# Seeds: RELEASE_SEEDS (default 0-59; 0-7 under the sanitizers).
set -u
. "$(dirname "$0")/harness.sh"
seeds=${RELEASE_SEEDS:-0-59}
if [ -n "${ASAN_OPTIONS:-}${TSAN_OPTIONS:-}" ]; then seeds=${RELEASE_SEEDS:-0-7}; fi
docs=(
    "tests/corpus/libqpdf-dev/README.md layouts/letter-2col.yaml"
    "tests/corpus/googletest/README.md layouts/half-letter.yaml"
    "tests/corpus/man-db/NEWS.md layouts/a5.yaml"
    "tests/corpus/python3-pip/html__topics__vcs-support.md layouts/zine-a6.yaml"
)
for s in $(seq "${seeds%-*}" "${seeds#*-}"); do
    check "gen_doc.py seed $s" python3 tests/tools/gen_doc.py -o "$T" "$s" || continue
    docs+=("$T/gen-$s.md $T/gen-$s.yaml")
done
# both runs of a document: the same exit status, and the same bytes when they wrote
same() { # source layout
    local ra rk
    "$PAMPHLET" "$1" -l "$2" -q -o "$T/r.pdf" --booklet "$T/rb.pdf" 2>/dev/null
    ra=$?
    "$PAMPHLET" "$1" -l "$2" -q -o "$T/k.pdf" --booklet "$T/kb.pdf" --dump-layout "$T/k.dump" 2>/dev/null
    rk=$?
    if [ "$ra" != "$rk" ]; then echo "exit $ra with the lines released, $rk with them kept"; return 1; fi
    [ "$ra" = 0 ] || return 0
    cmp "$T/r.pdf" "$T/k.pdf" && cmp "$T/rb.pdf" "$T/kb.pdf"
}
for d in "${docs[@]}"; do
    set -- $d
    check "${1#"$T"/} (${2##*/}): the same PDF and booklet with the lines released" same "$1" "$2"
done
echo "release e2e: $npass passed, $nfail failed"
[ "$nfail" = 0 ]
