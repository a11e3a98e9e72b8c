#!/usr/bin/env bash
# The layout invariants on fuzzed inputs (tests/tools/fuzz_layouts.py): what libFuzzer found
# (fuzz/regress/), a fuzzing run's corpus when one is there (fuzz/corpus-render/, not in
# git), and seeded mutants of the goldens' inputs, each rendered as fuzz/fuzz_render.c
# renders it and checked with tests/tools/layout_check.py. Failures must be exactly the
# known defects in fuzz/KNOWN_DEFECTS. PAMPHLET=path overrides ./pamphlet.
set -u
PAMPHLET=${PAMPHLET:-$(cd "$(dirname "$0")/../.." && pwd)/pamphlet}
case $PAMPHLET in /*) ;; *) PAMPHLET=$PWD/$PAMPHLET ;; esac
export PAMPHLET
cd "$(dirname "$0")/../.."
n=150
if [ -n "${ASAN_OPTIONS:-}${TSAN_OPTIONS:-}" ]; then n=30; fi  # (the sanitized runs are slow)
python3 tests/tools/fuzz_layouts.py -j 2 --max 100 --mutants $n
