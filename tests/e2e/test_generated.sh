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
