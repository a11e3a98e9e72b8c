#!/usr/bin/env bash
# test_watch.sh - end-to-end test of `pamphlet SOURCE.md --watch`: a session of edits.
#
# Copies content/1917.md, its images and a layout that extends a copy of layouts/a5.yaml
# into a temporary folder, starts the program in watch mode with a reading PDF and a
# booklet, and then, waiting each time for the rebuild to finish:
#   a plain write to the source       -> both PDFs rebuilt, the new word in the text
#   an editor's save (temp + rename)  -> rebuilt
#   broken front matter               -> an error naming doc.md and its line; both PDFs
#                                        byte for byte as before; still watching
#   the fix                           -> rebuilt, with the fixed text
#   an unknown key in the base layout -> an error naming base.yaml and its line; PDFs kept
#   the fix, and a real layout change -> rebuilt, the page size changed
#   a photo replaced (rename)         -> rebuilt
#   SIGTERM                           -> exit status 0, no temporary files left behind
# and a second session (a short text, with --spreads):
#   a figure added that is an output  -> refused (exit 2's message: the spreads PNG would
#   (the spreads PNG of the run before)  overwrite an image); the image and the PDF kept
# and a third (1917 with a booklet, so that a rebuild takes a while):
#   two saves a few ms apart, six times -> the PDF ends with the second save's text (the
#   with different gaps                   second lands while the first one's rebuild runs)
#   a photo truncated, then written     -> the PDF ends with the new photo, the last
#   a few ms later, four times            rebuild succeeded
# The waits are for events (a new line in the program's log), with a generous time-out so
# a slow machine (or the sanitizer build) does not fail; nothing here measures speed
# (that is bench/watchlat.c, in make bench).
#
# Run from anywhere: tests/e2e/test_watch.sh; PAMPHLET=path overrides ./pamphlet.
# Prints one line per check; exits 0 when all pass. Needs pdftotext, pdfinfo, python3.
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
PAMPHLET=${PAMPHLET:-./pamphlet}
case $PAMPHLET in /*) ;; *) PAMPHLET=$ROOT/$PAMPHLET ;; esac
T=$(mktemp -d "${TMPDIR:-/tmp}/pm-watch.XXXXXX")
PID=
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$T"' EXIT
TIMEOUT=${WATCH_TEST_TIMEOUT:-60} # seconds to wait for one rebuild

npass=0
nfail=0
pass() { npass=$((npass + 1)); echo "ok   $*"; }
fail() { nfail=$((nfail + 1)); echo "FAIL $*"; }

for tool in pdftotext pdfinfo python3; do
    command -v "$tool" >/dev/null || { echo "FAIL missing tool: $tool"; exit 1; }
done

mkdir -p "$T/images"
cp content/1917.md "$T/doc.md"
cp content/images/*.jpg "$T/images/"
cp layouts/a5.yaml "$T/base.yaml"
printf 'extends: base.yaml\n' >"$T/my.yaml"
LOG=$T/log

# lines of the log matching a pattern (0 before the program has made its log)
count() { local n; n=$(grep -c -- "$1" "$LOG" 2>/dev/null); echo "${n:-0}"; }
# wait until more than N lines match the pattern; 1 if the time-out comes first or the
# program has died
wait_for() { # pattern N
    local i=0 limit=$((TIMEOUT * 20))
    while [ "$(count "$1")" -le "$2" ]; do
        kill -0 "$PID" 2>/dev/null || return 1
        i=$((i + 1))
        [ $i -ge $limit ] && return 1
        sleep 0.05
    done
    return 0
}
sum() { cksum <"$1" 2>/dev/null; }
text_has() { pdftotext "$T/out.pdf" - 2>/dev/null | tr -s ' \n' ' ' | grep -q -- "$1"; }
# replace text in a file, in one write (or, with "rename" last, as editors save: a new
# file renamed over it)
edit() { # file from to [from to ...] [rename]
    python3 - "$@" <<'EOF'
import os, sys
path, args = sys.argv[1], sys.argv[2:]
rename = len(args) % 2 == 1 and args.pop() == "rename"
s = open(path, encoding="utf-8").read()
for old, new in zip(args[::2], args[1::2]):
    assert old in s, f"{old!r} not in {path}"
    s = s.replace(old, new, 1)
if rename:
    tmp = path + ".swp"
    with open(tmp, "w", encoding="utf-8") as f: f.write(s)
    os.rename(tmp, path)
else:
    with open(path, "r+", encoding="utf-8") as f:
        f.seek(0); f.write(s); f.truncate()
EOF
}

"$PAMPHLET" "$T/doc.md" -l "$T/my.yaml" -o "$T/out.pdf" --booklet "$T/out-b.pdf" --watch \
    >/dev/null 2>"$LOG" &
PID=$!
if wait_for "wrote" 0 && [ -s "$T/out.pdf" ] && [ -s "$T/out-b.pdf" ]; then
    pass "watch: the first PDF and booklet"
else
    fail "watch: no first PDF: $(tail -n 3 "$LOG")"
    exit 1
fi

# 1. a plain write
r=$(count rebuilt)
a=$(sum "$T/out.pdf")
b=$(sum "$T/out-b.pdf")
edit "$T/doc.md" "The Revolution Under Siege" "The Marmalade Under Siege"
if wait_for rebuilt "$r" && [ "$(sum "$T/out.pdf")" != "$a" ] && [ "$(sum "$T/out-b.pdf")" != "$b" ] &&
    text_has "Marmalade Under Siege" &&
    pdftotext "$T/out-b.pdf" - 2>/dev/null | tr -s ' \n' ' ' | grep -q "Marmalade Under Siege"; then
    pass "watch: a write to the source rebuilds both PDFs (the booklet imposed from the new one)"
else
    fail "watch: a write to the source: $(tail -n 2 "$LOG")"
fi

# 2. an editor's save: a new file renamed over the source
r=$(count rebuilt)
edit "$T/doc.md" "Marmalade Under" "Porridge Under" rename
if wait_for rebuilt "$r" && text_has "Porridge Under Siege"; then
    pass "watch: a save by rename rebuilds"
else
    fail "watch: a save by rename: $(tail -n 2 "$LOG")"
fi

# 3. a broken edit: the front matter's YAML does not parse
e=$(count "not updated")
a=$(sum "$T/out.pdf")
b=$(sum "$T/out-b.pdf")
edit "$T/doc.md" "title:" "title: [unclosed,"
if wait_for "not updated" "$e"; then
    pass "watch: a broken edit is reported"
    if grep -q "doc.md:[0-9][0-9]*:.*error" "$LOG"; then pass "watch: the error names doc.md and its line"
    else fail "watch: no doc.md:LINE error in: $(grep -i error "$LOG" | tail -n 2)"; fi
    if [ "$(sum "$T/out.pdf")" = "$a" ] && [ "$(sum "$T/out-b.pdf")" = "$b" ]; then
        pass "watch: after the broken edit both PDFs are as they were"
    else
        fail "watch: the broken edit changed a PDF"
    fi
else
    fail "watch: a broken edit was not reported (or the program died): $(tail -n 3 "$LOG")"
fi

# 4. the fix, with a new word so the rebuilt PDF can be told apart
r=$(count rebuilt)
edit "$T/doc.md" "title: [unclosed," "title:" "Porridge Under" "Custard Under"
if wait_for rebuilt "$r" && text_has "Custard Under Siege"; then
    pass "watch: after the fix it rebuilds again"
else
    fail "watch: no rebuild after the fix: $(tail -n 3 "$LOG")"
fi

# 5. a broken layout, in the file the given layout extends
e=$(count "not updated")
a=$(sum "$T/out.pdf")
printf 'paper_colour: pink\n' >>"$T/base.yaml"
line=$(wc -l <"$T/base.yaml")
if wait_for "not updated" "$e" && grep -q "base.yaml:$line:.*error" "$LOG" && [ "$(sum "$T/out.pdf")" = "$a" ]; then
    pass "watch: an error in the extended layout names base.yaml:$line, the PDF is kept"
else
    fail "watch: a broken base layout: $(grep base.yaml "$LOG" | tail -n 2)"
fi

# 6. the layout fixed and changed: A5 -> A6 pages
r=$(count rebuilt)
python3 - "$T/base.yaml" <<'EOF'
import sys
p = sys.argv[1]
s = open(p).read().replace("paper_colour: pink\n", "").replace("size: A5", "size: A6", 1)
open(p, "w").write(s)
EOF
if wait_for rebuilt "$r" && pdfinfo "$T/out.pdf" | grep -q "Page size: *297\.6[0-9]* x 419\.5"; then
    pass "watch: a change to the extended layout rebuilds (A6 pages)"
else
    fail "watch: layout change: $(pdfinfo "$T/out.pdf" | grep 'Page size'); $(tail -n 2 "$LOG")"
fi

# 7. a photo replaced the way a file manager does it (copy, then rename over)
r=$(count rebuilt)
a=$(sum "$T/out.pdf")
img=$(ls "$T/images/" | head -n 1)
other=$(ls "$T/images/" | sed -n 2p)
cp "$T/images/$other" "$T/images/new.tmp" && mv "$T/images/new.tmp" "$T/images/$img"
if wait_for rebuilt "$r" && [ "$(sum "$T/out.pdf")" != "$a" ]; then
    pass "watch: a replaced photo rebuilds"
else
    fail "watch: a replaced photo: $(tail -n 2 "$LOG")"
fi

# 8. stopped with SIGTERM: a clean exit, nothing half-written left behind
kill -TERM "$PID"
wait "$PID"
rc=$?
PID=
if [ $rc = 0 ]; then pass "watch: SIGTERM ends it with status 0"; else fail "watch: SIGTERM: exit status $rc"; fi
if ls -a "$T" | grep -q "tmp"; then fail "watch: temporary files left: $(ls -a "$T" | grep tmp)"
else pass "watch: no temporary files left"; fi
if [ "$(count "not updated")" = 2 ]; then pass "watch: exactly the two broken edits were refused"
else fail "watch: $(count "not updated") refusals in the log, want 2"; fi

# 9. a second session: a figure added later whose file is one of the outputs (the spreads
#    PNG the first run wrote) is refused on that rebuild, and nothing is overwritten
LOG=$T/log2
cp tests/golden/lists.md "$T/small.md"
"$PAMPHLET" "$T/small.md" -l layouts/a5.yaml -o "$T/small.pdf" --spreads "$T/spreads.png" --dpi 20 --watch \
    >/dev/null 2>"$LOG" &
PID=$!
if wait_for "wrote" 0 && [ -s "$T/spreads.png" ]; then
    a=$(sum "$T/small.pdf")
    b=$(sum "$T/spreads.png")
    printf '\n![The spreads.](spreads.png)\n' >>"$T/small.md"
    if wait_for "not updated" 0 && grep -q "spreads.png: error: the spreads PNG (--spreads) would overwrite an image" "$LOG" &&
        [ "$(sum "$T/spreads.png")" = "$b" ] && [ "$(sum "$T/small.pdf")" = "$a" ]; then
        pass "watch: an image added later that is an output is refused; the image and the PDF kept"
    else
        fail "watch: an image added later that is an output: $(tail -n 3 "$LOG")"
    fi
    kill -TERM "$PID"
    wait "$PID"
    PID=
else
    fail "watch: the second session did not start: $(tail -n 3 "$LOG")"
fi

# 10. a third session: saves that land while a rebuild runs must not be lost
LOG=$T/log3
cp content/1917.md "$T/race.md"
"$PAMPHLET" "$T/race.md" -l layouts/a5.yaml -o "$T/race.pdf" --booklet "$T/race-b.pdf" --watch \
    >/dev/null 2>"$LOG" &
PID=$!
race_has() { pdftotext "$T/race.pdf" - 2>/dev/null | tr -s ' \n' ' ' | grep -q -- "$1"; }
# wait (at most 15 s) until the reading PDF holds a word
# (waiting for the end state, not for a quiet log: on a loaded machine under a sanitizer a
# rebuild can take seconds, and a log quiet for a moment is not a finished rebuild)
wait_text() {
    local i=0
    until race_has "$1"; do
        kill -0 "$PID" 2>/dev/null || return 1
        i=$((i + 1))
        [ $i -ge 600 ] && return 1
        sleep 0.1
    done
}
has_photo() { # the reading PDF holds this JPEG's bytes
    rm -rf "$T/imgs"
    mkdir -p "$T/imgs"
    pdfimages -j "$T/race.pdf" "$T/imgs/i" 2>/dev/null
    local f
    for f in "$T"/imgs/i-*; do cmp -s "$f" "$1" && return 0; done
    return 1
}
# (under the sanitizers, where a rebuild takes several times longer, fewer gaps)
gaps="0.005 0.015 0.03 0.05 0.08 0.12"; photo_gaps="0.012 0.02 0.035 0.06"
if [ -n "${ASAN_OPTIONS:-}${TSAN_OPTIONS:-}" ]; then gaps="0.005 0.03 0.12"; photo_gaps="0.012 0.06"; fi
if wait_for "wrote" 0; then
    prev="The Revolution Under Siege"
    lost=""
    for gap in $gaps; do
        w1="Lentil${gap#0.}" w2="Barley${gap#0.}"
        # both saves from one process, so that the gap is the gap
        python3 - "$T/race.md" "$prev" "The $w1 Under Siege" "The $w2 Under Siege" "$gap" <<'EOF'
import sys, time
path, old, new1, new2, gap = sys.argv[1:]
s = open(path, encoding="utf-8").read()
assert old in s
open(path, "w", encoding="utf-8").write(s.replace(old, new1, 1))
time.sleep(float(gap))
open(path, "w", encoding="utf-8").write(s.replace(old, new2, 1))
EOF
        wait_text "The $w2 Under Siege" || lost="$lost $gap"
        prev="The $w2 Under Siege"
    done
    if [ -z "$lost" ]; then pass "watch: a save that lands during a rebuild is rebuilt (gaps $gaps s)"
    else fail "watch: the second save was lost with the gaps (s):$lost; $(tail -n 2 "$LOG")"; fi

    # a photo rewritten in two steps: emptied (and closed), then written a moment later;
    # four times, with different gaps, each time with another picture
    img=$(ls "$T/images/" | head -n 1)
    cp tests/data/images/photo.jpg "$T/images/new-1.jpg"
    cp tests/data/images/rgb.jpg "$T/images/new-2.jpg"
    cp tests/data/images/progressive.jpg "$T/images/new-3.jpg"
    cp tests/data/images/gray.jpg "$T/images/new-4.jpg"
    bad=""
    k=0
    for gap in $photo_gaps; do
        k=$((k + 1))
        r=$(count rebuilt)
        python3 - "$T/images/$img" "$T/images/new-$k.jpg" "$gap" <<'EOF'
import sys, time
dest, src, gap = sys.argv[1:]
open(dest, "wb").close()
time.sleep(float(gap))
open(dest, "wb").write(open(src, "rb").read())
EOF
        i=0
        found=0
        while :; do # until a rebuild after this one's put the new photo in the PDF (a minute at most)
            if [ "$(count rebuilt)" -gt "$r" ] && has_photo "$T/images/new-$k.jpg"; then
                found=1
                break
            fi
            kill -0 "$PID" 2>/dev/null || break
            i=$((i + 1))
            [ $i -ge 300 ] && break
            sleep 0.2
        done
        last=$(grep -E "rebuilt|not updated" "$LOG" | tail -n 1)
        [ $found = 1 ] || bad="$bad $gap (not the new photo; last: $last)"
    done
    if [ -z "$bad" ]; then pass "watch: a photo emptied and then written ends in a PDF with the new photo (gaps $photo_gaps s)"
    else fail "watch: a photo written in two steps, gaps (s):$bad"; fi
    kill -TERM "$PID"
    wait "$PID"
    PID=
else
    fail "watch: the third session did not start: $(tail -n 3 "$LOG")"
fi

echo "watch e2e: $npass passed, $nfail failed"
[ $nfail = 0 ]
