#!/usr/bin/env bash
# The corpus: real Markdown nobody here wrote (tests/corpus/, listed with its packages and
# licences in tests/corpus/MANIFEST), rendered as a new user would (tests/tools/
# corpus_check.py): no crash; exit 0, or exit 1 with an error naming FILE:LINE; the layout
# invariants on every document that renders, code lines kept as lines among them. Failures
# must be exactly the known defects in tests/corpus/KNOWN_DEFECTS (a new one fails, and so
# does a listed one that no longer happens). One document: tests/tools/corpus_check.py
# --doc PKG/NAME.md. PAMPHLET=path overrides ./pamphlet.
set -u
PAMPHLET=${PAMPHLET:-$(cd "$(dirname "$0")/../.." && pwd)/pamphlet}
case $PAMPHLET in /*) ;; *) PAMPHLET=$PWD/$PAMPHLET ;; esac
export PAMPHLET
# every shortcut of the paragraph setter (the shaped-word cache, font metrics from HarfBuzz)
# checked against Pango on every item: a difference aborts the run (src/text/words.c)
export PAMPHLET_CHECK_WORDS=1
cd "$(dirname "$0")/../.."
every=1
if [ -n "${ASAN_OPTIONS:-}${TSAN_OPTIONS:-}" ]; then every=3; fi  # (the sanitized runs: a third of it)
python3 tests/tools/corpus_check.py -j 2 --every $every
