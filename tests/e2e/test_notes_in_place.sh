#!/usr/bin/env bash
# Footnotes numbered by the page when the numbering does not settle (render.c,
# number_notes_by_page): the figures that name notes are then kept in place, so the notes
# are printed in reading order and one renumbering settles them. Numberings that chase
# each other are rare and hard to build, so PAMPHLET_NOTE_PASSES=0 takes that way at once:
# the goldens whose figures float past notes, and a run of the random documents, must
# still pass every layout invariant (notes in the order of their numbers, no figure out of
# order or off the page, no heading ending a page), and terminate.
. "$(dirname "$0")/harness.sh"
export PAMPHLET_NOTE_PASSES=0
for n in notes-by-page caption-notes notes-repeat; do
    check "notes kept in place: golden $n" sh -c "timeout 60 '$PAMPHLET' tests/golden/$n.md -l tests/golden/golden.yaml \
        --no-pdf --dump-layout '$T/$n.dump' 2>/dev/null && python3 tests/tools/layout_check.py '$T/$n.dump' \
        --source tests/golden/$n.md"
done
# the figure of notes-by-page stays after the text before its note: its page holds note 2
check "notes kept in place: the figure's note is numbered second" \
    sh -c "awk '/^page 2 /{p=1} p && /text=\"2[^0-9]/ && /The caption/{f=1} END{exit (f ? 0 : 1)}' '$T/notes-by-page.dump'"
check "notes kept in place: random documents 0-59" \
    sh -c "GEN_SEEDS=0-59 python3 tests/tools/gen_check.py -j 2 >'$T/gen.log' 2>&1 || grep -q '^gen_check: 0 new failure' '$T/gen.log' || { tail -20 '$T/gen.log'; exit 1; }"
echo "$npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
