#!/usr/bin/env bash
# The layout invariant checker (tests/tools/layout_check.py) passes good layouts and
# notices each kind of damage (tests/tools/test_layout_check.py). PAMPHLET=path overrides
# ./pamphlet (used to render the small documents the test damages).
set -u
PAMPHLET=${PAMPHLET:-$(cd "$(dirname "$0")/../.." && pwd)/pamphlet}
case $PAMPHLET in /*) ;; *) PAMPHLET=$PWD/$PAMPHLET ;; esac
export PAMPHLET
cd "$(dirname "$0")/../.."
if out=$(python3 tests/tools/test_layout_check.py 2>&1) && [ "$(echo "$out" | tail -1)" = OK ]; then  # (none skipped)
    echo "ok   layout_check.py: good layouts pass, each kind of damage is caught ($(echo "$out" | grep -E '^Ran ' | head -1))"
else
    echo "FAIL layout_check.py self-test"; echo "$out" | tail -30 | sed 's/^/     /'; exit 1
fi
