#!/usr/bin/env bash
# Random structured pamphlets (tests/tools/gen_doc.py: headings, paragraphs, figures of
# many shapes, \newpage, lists, quotes, tables, footnotes, code) laid out and checked with
# the layout invariants (tests/tools/gen_check.py). Failures must be exactly the known
# defects listed in tests/generated/KNOWN_DEFECTS: a new failure fails, and so does a
# listed one that no longer happens ("now fixed: remove from the list").
# Seeds: GEN_SEEDS (default 0-499; 0-9 under the sanitizers (ASan, TSan), where a render is ~10x slower).
# Reproduce one seed: tests/tools/gen_check.py --seed N. PAMPHLET=path overrides ./pamphlet.
set -u
PAMPHLET=${PAMPHLET:-$(cd "$(dirname "$0")/../.." && pwd)/pamphlet}
case $PAMPHLET in /*) ;; *) PAMPHLET=$PWD/$PAMPHLET ;; esac
export PAMPHLET
# every shortcut of the paragraph setter (the shaped-word cache, font metrics from HarfBuzz)
# checked against Pango on every item: a difference aborts the run (src/text/words.c)
export PAMPHLET_CHECK_WORDS=1
cd "$(dirname "$0")/../.."
if [ -n "${ASAN_OPTIONS:-}${TSAN_OPTIONS:-}" ]; then export GEN_SEEDS=${GEN_SEEDS:-0-9}; fi
python3 tests/tools/gen_check.py -j 2
rc=$?
# The same blocks in Hebrew, right to left (a third of them in two columns), and the
# English documents set in two columns (page.columns): the paths of the page builder that
# the English one-column documents never take. Their known defects are in the same list
# (keys he: and gen-c:).
python3 tests/tools/gen_check.py -j 2 --script hebrew --seeds "${GEN_SEEDS:-0-199}" || rc=1
python3 tests/tools/gen_check.py -j 2 --columns --seeds "${GEN_SEEDS:-0-299}" || rc=1
# Documents that once made the page builder emit empty pages for ever (seed 992: a page
# of notes with no note to carry, for a figure kept in place; 1304: a figure whose
# caption's notes could follow no split note, queued for ever): each must come to an end.
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
for s in 992 1304; do
    python3 tests/tools/gen_doc.py -o "$d" "$s" >/dev/null || { echo "FAIL gen_doc.py $s"; rc=1; continue; }
    timeout 300 "$PAMPHLET" "$d/gen-$s.md" -l "$d/gen-$s.yaml" -q -o "$d/out.pdf" 2>/dev/null
    e=$?
    if [ "$e" = 0 ]; then echo "ok   seed $s comes to an end"; else echo "FAIL seed $s: exit $e (124: still running after 300 s)"; rc=1; fi
done
# Notes renumbered by the pages, each checked whole: 1304, a figure taken with its
# caption's note held over to the next page's foot (the note was lost: never printed, its
# number given to no note); 1000 and 1484, a note whose text ends with a mark just before
# the next note's number (the check read the mark as that note's number); 992, a note
# held over past a page that the rest of a split note and the notes held over before it
# fill (the check allowed a hold-over only past pages that end with a note going on);
# 1992, a note held over as its page's first note rather than leave a paragraph's first
# line alone at the foot; 2176 and 2548, a note taller than a page that names others
# (kept whole, it ran off the top of a page of notes alone); 2693, a run of headings
# taller than a page (its last heading was broken between its lines).
for s in 992 1000 1304 1484 1992 2176 2548 2693; do
    if python3 tests/tools/gen_check.py --seed "$s" --keep "$d/k$s" >"$d/log" 2>&1; then echo "ok   seed $s"
    else echo "FAIL seed $s:"; cat "$d/log"; rc=1; fi
done
exit $rc
