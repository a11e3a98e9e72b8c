#!/usr/bin/env bash
# test_ahead.sh - shaping ahead (src/text/ahead.c): in a first build a helper thread
# shapes the paragraphs' words into the word cache while the main thread sets the first
# ones. What it shapes must be what the main thread would have shaped: with
# PAMPHLET_AHEAD_WAIT=1 the main thread waits until the helper is done (every word it can
# shape, it shapes) and PAMPHLET_CHECK_WORDS=1 shapes every cached item again whole and
# aborts on a difference, and on a glyph the helper shaped that its font lacks (Pango
# measures those through the font's cairo side, the main thread's alone); the PDF and booklet must be byte-identical to a run without the
# helper (PAMPHLET_NO_AHEAD=1), and the helper must have shaped words. Documents: both
# samples, Spanish, a corpus page with code (tabs), and one made here of what the helper
# must leave to the main thread (tabs, soft hyphens, no-break spaces, a character no font
# has, combining marks, zero-width spaces, Greek and Cyrillic).
# Run from anywhere; PAMPHLET=path overrides ./pamphlet. Exits 0 when all pass.
source "$(dirname "$0")/harness.sh"

cat >"$T/edge.md" <<'EOF'
---
title: Edges
---
# Edges

A soft­hyphen in a long­word, a no-break space before 10 km, a zero​width space,
a character no font has: 󰜀, a combining mark at a word's start: ́a, and é.

Ελληνικά λόγια και русские слова в одном абзаце, with English around them.

	indented with a tab
	if (x)	{ y(); }

Plain words again, the same words again, the same words again.
EOF

# FILE NAME [LAYOUT]: with the helper (waited for, checked) and without, the same files;
# the helper shaped words (stats line "ahead: N paragraphs handed over, M words ...")
same_with_and_without() {
    local f=$1 n=$2 l=${3:-}
    local -a lay=()
    [ -n "$l" ] && lay=(-l "$l")
    PAMPHLET_AHEAD_WAIT=1 PAMPHLET_CHECK_WORDS=1 PAMPHLET_WORDS_STATS=1 \
        "$PAMPHLET" "$f" "${lay[@]}" -o "$T/$n-a.pdf" --booklet "$T/$n-a-b.pdf" -q 2>"$T/$n.stats" || return 1
    PAMPHLET_NO_AHEAD=1 "$PAMPHLET" "$f" "${lay[@]}" -o "$T/$n-n.pdf" --booklet "$T/$n-n-b.pdf" -q || return 1
    cmp "$T/$n-a.pdf" "$T/$n-n.pdf" && cmp "$T/$n-a-b.pdf" "$T/$n-n-b.pdf" || return 1
    local words
    words=$(sed -n 's/^ahead: [0-9]* paragraphs handed over, \([0-9]*\) words shaped ahead$/\1/p' "$T/$n.stats" |
        awk '{ n += $1 } END { print n + 0 }') # (a line for each part of the flow: body, back cover)
    [ -n "$words" ] && [ "$words" -gt 0 ] || { echo "no words shaped ahead:"; cat "$T/$n.stats"; return 1; }
}

check "1917: the same PDF and booklet with the words shaped ahead" same_with_and_without content/1917.md 1917
check "Common Sense: the same with the words shaped ahead" same_with_and_without content/common-sense.md cs
check "Spanish: the same with the words shaped ahead" same_with_and_without content/intl/es-debian.md es
check "a corpus page with code (tabs), two columns: the same" \
    same_with_and_without tests/corpus/nodejs/api__tty.md tty letter-2col
check "tabs, soft hyphens, a missing character, Greek, Cyrillic: the same" same_with_and_without "$T/edge.md" edge

# the helper does not run when told not to, nor in a watch session's later builds (their
# words are in the cache): here, its stats line is absent with PAMPHLET_NO_AHEAD=1
no_helper() {
    PAMPHLET_NO_AHEAD=1 PAMPHLET_WORDS_STATS=1 "$PAMPHLET" content/1917.md -o "$T/x.pdf" -q 2>"$T/x.stats" &&
        ! grep -q "^ahead:" "$T/x.stats"
}
check "PAMPHLET_NO_AHEAD=1: no helper" no_helper

echo "ahead e2e: $npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
