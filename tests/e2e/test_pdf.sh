#!/usr/bin/env bash
# test_pdf.sh - what the reading PDF holds beyond its text: link annotations over their
# words (tests/e2e/link_rects.py, with qpdf --json and pdftotext -bbox).
# PAMPHLET=path overrides ./pamphlet. Needs qpdf, poppler-utils, python3.
set -u
PAMPHLET=${PAMPHLET:-$(cd "$(dirname "$0")/../.." && pwd)/pamphlet}
case $PAMPHLET in /*) ;; *) PAMPHLET=$PWD/$PAMPHLET ;; esac
cd "$(dirname "$0")/../.."
T=$(mktemp -d "${TMPDIR:-/tmp}/pm-pdf.XXXXXX")
trap 'rm -rf "$T"' EXIT
export SOURCE_DATE_EPOCH=1700000000
D=tests/data/print
npass=0
nfail=0
check() { # name, command...
    local name=$1; shift
    local out
    if out=$("$@" 2>&1); then npass=$((npass + 1)); echo "ok   $name"
    else nfail=$((nfail + 1)); echo "FAIL $name"; echo "$out" | sed 's/^/     /' | head -20; fi
}

# ---- links -----------------------------------------------------------------------------
"$PAMPHLET" "$D/links.md" -o "$T/links.pdf" -q
check "links: each link annotation lies over its words" \
    python3 tests/e2e/link_rects.py "$T/links.pdf" Zebra Quokka Ocelot Wombat Narwhal Axolotl Pangolin
"$PAMPHLET" content/1917.md -l layouts/a5.yaml -o "$T/1917.pdf" -q
check "links: 1917's links lie over their words" \
    python3 tests/e2e/link_rects.py "$T/1917.pdf" "*revolutionaryworkers.org"

echo "pdf e2e: $npass passed, $nfail failed"
[ $nfail = 0 ]
