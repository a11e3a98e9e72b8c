#!/usr/bin/env bash
# test_watch_fresh.sh - every watch-mode rebuild gives the same bytes as a fresh run.
#
# Watch mode keeps what it set between rebuilds (the setter's paragraph cache, the page
# builder's trial settings of paragraphs, the image cache); a rebuild that reused anything
# stale would show here. Copies content/common-sense.md (footnotes, a table, a cover
# picture, block quotes) and its images into a temporary folder, starts
# `pamphlet doc.md --watch` with a reading PDF and a booklet, then makes edits one after
# the other: a word in one paragraph, a paragraph added (every later page moves), a
# heading renamed, a paragraph taken out, a word in a footnote, words that no font of the
# layout has (Korean, then Arabic: set in fonts installed on the machine, which the
# session keeps), one that no font has, and back to the original text (everything from the cache). After each rebuild, the program is run afresh on the
# same source into other files, and both PDFs must be byte-identical to the watch
# session's.
#
# Run from anywhere; PAMPHLET=path overrides ./pamphlet. Exits 0 when all pass.
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
PAMPHLET=${PAMPHLET:-./pamphlet}
case $PAMPHLET in /*) ;; *) PAMPHLET=$ROOT/$PAMPHLET ;; esac
T=$(mktemp -d "${TMPDIR:-/tmp}/pm-watchfresh.XXXXXX")
PID=
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$T"' EXIT
TIMEOUT=${WATCH_TEST_TIMEOUT:-90}

npass=0
nfail=0
pass() { npass=$((npass + 1)); echo "ok   $*"; }
fail() { nfail=$((nfail + 1)); echo "FAIL $*"; }

mkdir -p "$T/images" "$T/fresh"
cp content/common-sense.md "$T/doc.md"
cp content/images/* "$T/images/"
LOG=$T/log
count() { local n; n=$(grep -c -- "$1" "$LOG" 2>/dev/null); echo "${n:-0}"; }
wait_for() { # pattern N: more than N lines of the log match
    local i=0 limit=$((TIMEOUT * 20))
    while [ "$(count "$1")" -le "$2" ]; do
        kill -0 "$PID" 2>/dev/null || return 1
        i=$((i + 1))
        [ $i -ge $limit ] && return 1
        sleep 0.05
    done
    return 0
}
edit() { # from to [rename]: the first occurrence, in one write (or a new file renamed over it)
    python3 - "$T/doc.md" "$@" <<'PY'
import os, sys
path, old, new = sys.argv[1:4]
s = open(path, encoding="utf-8").read()
assert old in s, f"{old!r} not in {path}"
s = s.replace(old, new, 1)
if len(sys.argv) > 4:
    with open(path + ".swp", "w", encoding="utf-8") as f: f.write(s)
    os.rename(path + ".swp", path)
else:
    with open(path, "r+", encoding="utf-8") as f:
        f.seek(0); f.write(s); f.truncate()
PY
}
same_as_fresh() { # what
    if ! "$PAMPHLET" "$T/doc.md" -q -o "$T/fresh/out.pdf" --booklet "$T/fresh/out-b.pdf" 2>"$T/fresh/err"; then
        fail "$1: the fresh run failed: $(tail -n 2 "$T/fresh/err")"
    elif cmp -s "$T/out.pdf" "$T/fresh/out.pdf" && cmp -s "$T/out-b.pdf" "$T/fresh/out-b.pdf"; then
        pass "$1: reading PDF and booklet byte-identical to a fresh run"
    else
        fail "$1: the rebuild differs from a fresh run ($(cmp "$T/out.pdf" "$T/fresh/out.pdf" | head -n 1)$(cmp "$T/out-b.pdf" "$T/fresh/out-b.pdf" | head -n 1))"
    fi
}

"$PAMPHLET" "$T/doc.md" -o "$T/out.pdf" --booklet "$T/out-b.pdf" --watch >/dev/null 2>"$LOG" &
PID=$!
if wait_for "wrote" 0 && [ -s "$T/out.pdf" ] && [ -s "$T/out-b.pdf" ]; then
    same_as_fresh "the first build"
else
    fail "no first PDF: $(tail -n 3 "$LOG")"
    exit 1
fi
cp "$T/doc.md" "$T/orig.md"

PARA="In order to gain a clear and just idea of the design and end of government,"
step() { # what from to [rename]
    local what=$1 r
    shift
    r=$(count rebuilt)
    edit "$@"
    if wait_for rebuilt "$r"; then
        same_as_fresh "$what"
    else
        fail "$what: no rebuild: $(tail -n 2 "$LOG")"
    fi
}
step "a word in one paragraph" "confounded society" "confounded the people"
step "a paragraph added" "$PARA" "$(printf 'A new paragraph, long enough to take a few lines of its own and so to move every later line of the text down the pages, one page after another, to the end of the booklet, where the last page may come or go.\n\n%s' "$PARA")" rename
if [ -z "${ASAN_OPTIONS:-}${TSAN_OPTIONS:-}" ]; then # (under the sanitizers: four edits of six)
    step "a heading renamed" "# Of Monarchy and Hereditary Succession" "# Of Monarchy, and of Hereditary Succession"
    step "a paragraph taken out" "$(sed -n '/^Perhaps the sentiments/,/^$/p' "$T/orig.md" | head -n 1)" "" rename
fi
step "a word in a footnote" "a fisherman of Naples" "a poor fisherman of Naples"
# characters no font of the layout has, set in fonts installed on the machine (Debian's
# fonts-nanum, fonts-noto-core), which the session keeps: a fresh run must pick the same
step "a Korean word (a system font)" "confounded the people" "confounded the people (국민)"
step "an Arabic word too (another)" "the people (국민)" "the people (국민، الشعب)"
step "the Korean word taken out" "(국민، الشعب)" "(الشعب)"
# a character no font has at all (left out, with a warning), then an edit on another page:
# the page it was on, kept by its frame, notes its glyphs from the list made with it
step "a character no font has" "(الشعب)" "(الشعب $(printf '\U000F0700'))"
step "then a word on another page (that page kept)" "a poor fisherman of Naples" "a poor old fisherman of Naples"
r=$(count rebuilt)
cp "$T/orig.md" "$T/doc.md.swp" && mv "$T/doc.md.swp" "$T/doc.md"
if wait_for rebuilt "$r"; then same_as_fresh "back to the original text"; else fail "back: no rebuild"; fi

kill "$PID" 2>/dev/null
wait "$PID" 2>/dev/null
PID=
echo "$npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
