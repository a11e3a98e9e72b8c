#!/usr/bin/env bash
# test_install.sh - end-to-end test of `make install` / `make uninstall` (mk/install.mk).
#
# Installs with PREFIX=<a temporary folder> (the program built in a build folder of its
# own, so build/ and ./pamphlet are not touched), then, from another folder and with
# PAMPHLET_DATADIR unset, renders a small pamphlet with `-l a5`, `-l half-letter` and a
# booklet, and checks the PDFs (page size, fonts embedded). Checks the man page renders
# with groff without warnings and documents every option of `pamphlet --help`. Then a
# packager's staged install (DESTDIR) of the same PREFIX: same files, same binary, which
# runs from the staging tree with PAMPHLET_DATADIR. Finally `make uninstall` for both:
# nothing of ours is left, a file the user added is kept.
#
# Run from anywhere: tests/e2e/test_install.sh. Prints one line per check; exits 0 when
# all pass. Needs: make, cc, pdfinfo, pdffonts, groff. Takes about 10-20 s (one compile).
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
T=$(mktemp -d "${TMPDIR:-/tmp}/pm-install.XXXXXX")
IB=build-test-install.$$
trap 'rm -rf "$T" "$ROOT/$IB"' EXIT
PFX=$T/pfx
STAGE=$T/stage

npass=0
nfail=0
pass() { npass=$((npass + 1)); echo "ok   $*"; }
fail() { nfail=$((nfail + 1)); echo "FAIL $*"; }
check() { # name, command...: the command's output is shown if it fails
    local name=$1 out
    shift
    if out=$("$@" 2>&1); then pass "$name"; else fail "$name"; printf '%s\n' "$out" | head -20 | sed 's/^/     /'; fi
}

for tool in make cc pdfinfo pdffonts groff; do
    command -v "$tool" >/dev/null || { echo "FAIL missing tool: $tool"; exit 1; }
done

# make as if started by hand, not as a child of another make (tests/run.sh under make check)
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory -C "$ROOT" -j2 INSTALL_BUILD="$IB" "$@"; }

# ---- install with PREFIX ----
if ! out=$(mk install PREFIX="$PFX" 2>&1); then
    fail "make install PREFIX=$PFX"
    printf '%s\n' "$out" | tail -20 | sed 's/^/     /'
    echo "$npass passed, $nfail failed"
    exit 1
fi
pass "make install PREFIX=..."

installed_files() { # root: every file we install, relative to root
    (cd "$1" && find . -type f | sort)
}
expected_files() {
    {
        echo "./bin/pamphlet"
        echo "./share/man/man1/pamphlet.1"
        for f in "$ROOT"/layouts/*.yaml; do echo "./share/pamphlet/layouts/${f##*/}"; done
        for f in "$ROOT"/fonts/*.otf "$ROOT"/fonts/*.ttf "$ROOT"/fonts/LICENSE*; do
            [ -e "$f" ] && echo "./share/pamphlet/fonts/${f##*/}"
        done
    } | sort
}
same_files() { # root
    diff <(expected_files) <(installed_files "$1")
}
check "installed files: program, layouts, fonts, licence, man page" same_files "$PFX"
check "program is executable" test -x "$PFX/bin/pamphlet"

# ---- run it from another folder, finding its data in PREFIX/share/pamphlet ----
W=$T/work
mkdir -p "$W/images" "$T/home"
cp tests/data/images/photo.jpg "$W/images/photo.jpg"
cat > "$W/leaflet.md" <<'EOF'
---
title: "Tenants Together"
author: "The Elm Street Tenants' Association"
date: "Spring"
---
# Why we meet

Every month the rent goes up and the repairs do not get done. Alone, each of us is a
complaint the landlord can ignore; together we are an association he has to answer. This
leaflet says what we want, how we decide, and how you can take part.

![Our first meeting, in the laundry room.](images/photo.jpg){width=70%}

# What we want

- repairs done within a fortnight of being reported;
- no rent rise above inflation;
- a written answer to every letter.

> An injury to one is an injury to all.

# Contact us

Meetings are on the first Tuesday of the month, at seven, in the laundry room.
EOF
# the installed program, run as a user would: not from the repository, no PAMPHLET_DATADIR,
# HOME pointing at an empty folder (its fontconfig cache goes there)
run() { (cd "$W" && env -u PAMPHLET_DATADIR -u XDG_CACHE_HOME HOME="$T/home" "$@"); }

pdf_size() { # pdf w h (points, rounded)
    local got
    got=$(pdfinfo "$1" | awk '/^Page size:/ {printf "%.0f %.0f", $3, $5}')
    [ "$got" = "$2 $3" ] || { echo "$1: page size $got, expected $2 $3"; return 1; }
}
fonts_ok() { # pdf: fonts embedded, and they are the shipped Libertine / Biolinum
    local list
    list=$(pdffonts "$1" | awk 'NR > 2')
    [ -n "$list" ] || { echo "no fonts in $1"; return 1; }
    echo "$list" | awk '$(NF-4) != "yes" {bad = 1} END {exit bad}' || { echo "not embedded:"; echo "$list"; return 1; }
    echo "$list" | grep -q "LinLibertineO" || { echo "no Linux Libertine O:"; echo "$list"; return 1; }
}
render() { # layout pdf [more options]
    local layout=$1 pdf=$2
    shift 2
    run "$PFX/bin/pamphlet" leaflet.md -l "$layout" -o "$pdf" "$@"
}
check "installed program: --version" run "$PFX/bin/pamphlet" --version
check "from another folder: -l a5" render a5 a5.pdf
check "  a5 PDF: A5 pages" pdf_size "$W/a5.pdf" 420 595
check "  a5 PDF: shipped fonts embedded" fonts_ok "$W/a5.pdf"
check "from another folder: -l half-letter" render half-letter hl.pdf
check "  half-letter PDF: 5.5 x 8.5 in pages" pdf_size "$W/hl.pdf" 396 612
check "  half-letter PDF: shipped fonts embedded" fonts_ok "$W/hl.pdf"
check "from another folder: -l a5.yaml --booklet" render a5.yaml a5b.pdf --booklet booklet.pdf -q
check "  booklet PDF: A4 sheets" pdf_size "$W/booklet.pdf" 842 595
check "from another folder: no -l (a5 by default)" run "$PFX/bin/pamphlet" leaflet.md -o default.pdf -q
check "  default is A5" pdf_size "$W/default.pdf" 420 595
missing_layout() { # a name that is not shipped: exit status 3, no PDF
    local out rc
    out=$(render no-such-layout x.pdf 2>&1)
    rc=$?
    [ "$rc" -eq 3 ] || { echo "exit status $rc, expected 3: $out"; return 1; }
    [ ! -e "$W/x.pdf" ] || { echo "a PDF was written"; return 1; }
}
check "unknown layout name: exit 3" missing_layout

# ---- the man page ----
MAN=$PFX/share/man/man1/pamphlet.1
man_clean() {
    local warn
    warn=$(groff -man -Tutf8 -ww -z "$MAN" 2>&1)
    [ -z "$warn" ] || { echo "$warn"; return 1; }
}
man_sections() {
    local text s
    text=$(groff -man -Tascii -P-cbou "$MAN" 2>/dev/null)
    for s in NAME SYNOPSIS DESCRIPTION OPTIONS LAYOUTS FILES ENVIRONMENT "EXIT STATUS" EXAMPLES "SEE ALSO"; do
        echo "$text" | grep -q "^$s\$" || { echo "no section $s"; return 1; }
    done
    for s in SOURCE_DATE_EPOCH PAMPHLET_DATADIR XDG_CACHE_HOME "pamphlet impose" "--watch"; do
        echo "$text" | grep -qe "$s" || { echo "does not mention $s"; return 1; }
    done
}
man_options() { # every long option of --help is documented
    local text opt missing=""
    text=$(groff -man -Tascii -P-cbou "$MAN" 2>/dev/null)
    for opt in $("$PFX/bin/pamphlet" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u); do
        echo "$text" | grep -qe "$opt" || missing="$missing $opt"
    done
    [ -z "$missing" ] || { echo "not in the man page:$missing"; return 1; }
}
check "man page: groff -man renders it without warnings" man_clean
check "man page: sections and environment" man_sections
check "man page: every option of --help" man_options
if command -v man >/dev/null; then
    check "man page: man -l" bash -c "MANWIDTH=80 man -l '$MAN' 2>&1 >/dev/null | grep . && exit 1; MANWIDTH=80 man -l '$MAN' | grep -q 'pamphlet impose'"
fi

# ---- a packager's staged install: DESTDIR ----
check "make install PREFIX=... DESTDIR=..." mk install PREFIX="$PFX" DESTDIR="$STAGE"
check "staged files are the same" same_files "$STAGE$PFX"
check "staged program is the installed one (DESTDIR not compiled in)" cmp "$PFX/bin/pamphlet" "$STAGE$PFX/bin/pamphlet"
staged_run() {
    (cd "$W" && HOME="$T/home" PAMPHLET_DATADIR="$STAGE$PFX/share/pamphlet" \
        "$STAGE$PFX/bin/pamphlet" leaflet.md -l half-letter -o staged.pdf -q) && pdf_size "$W/staged.pdf" 396 612
}
check "staged program runs with PAMPHLET_DATADIR" staged_run

# ---- uninstall ----
check "make uninstall PREFIX=..." mk uninstall PREFIX="$PFX"
nothing_left() { # root
    local left
    left=$(cd "$1" && find . -type f)
    [ -z "$left" ] || { echo "left behind:"; echo "$left"; return 1; }
    [ ! -e "$1/share/pamphlet" ] || { echo "$1/share/pamphlet is still there"; return 1; }
}
check "uninstall: nothing left" nothing_left "$PFX"
echo "mine" > "$STAGE$PFX/share/pamphlet/layouts/mine.yaml"
check "make uninstall PREFIX=... DESTDIR=..." mk uninstall PREFIX="$PFX" DESTDIR="$STAGE"
only_mine() {
    local left
    left=$(cd "$STAGE$PFX" && find . -type f)
    [ "$left" = "./share/pamphlet/layouts/mine.yaml" ] || { echo "left: $left"; return 1; }
}
check "uninstall keeps a layout the user added, removes the rest" only_mine

echo "$npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
