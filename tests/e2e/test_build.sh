#!/usr/bin/env bash
# test_build.sh - the Makefile's library checks and pkg-config use.
#
# A library pkg-config does not know, or a header the compiler cannot find, stops make
# before anything is compiled, with one message naming the Debian package (the library
# when none is known) and tools/install-deps.sh; and pkg-config runs a fixed number of
# times per make, not once per object (its flags are evaluated once, :=). Uses make -n
# and a scratch build folder: nothing is compiled, build/ is not touched. About a second.
set -u
cd "$(dirname "$0")/../.."
T=$(mktemp -d "${TMPDIR:-/tmp}/pm-build.XXXXXX")
trap 'rm -rf "$T"' EXIT
npass=0
nfail=0
pass() { npass=$((npass + 1)); echo "ok   $*"; }
fail() { nfail=$((nfail + 1)); echo "FAIL $*"; }
# make as if started by hand, not as a child of another make (tests/run.sh under make check)
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory BUILD="$T/build" "$@"; }

# a .pc file missing: refused at once, its Debian package named
if mk pamphlet PKGS="pangocairo pm-no-such-lib fontconfig" DEB_OF="pm-no-such-lib=libpm-no-such-dev" \
    >"$T/out" 2>"$T/err"; then
    fail "a missing .pc file: make succeeded"
elif grep -q "missing libraries: libpm-no-such-dev (no pm-no-such-lib.pc); run tools/install-deps.sh" "$T/err" &&
    [ "$(wc -l <"$T/err")" = 1 ] && [ ! -s "$T/out" ] && [ ! -e "$T/build" ]; then
    pass "a missing .pc file: one message naming the package and tools/install-deps.sh, nothing compiled"
else
    fail "a missing .pc file: $(head -c 300 "$T/err")"
fi

# a header of a library without a .pc file missing
if mk pamphlet HDRS="hyphen.h pm-no-such.h" DEB_OF="pm-no-such.h=libpm-hdr-dev" >"$T/out" 2>"$T/err"; then
    fail "a missing header: make succeeded"
elif grep -q "missing libraries: libpm-hdr-dev (no pm-no-such.h); run tools/install-deps.sh" "$T/err" &&
    [ "$(wc -l <"$T/err")" = 1 ] && [ ! -s "$T/out" ]; then
    pass "a missing header: one message naming the package and tools/install-deps.sh"
else
    fail "a missing header: $(head -c 300 "$T/err")"
fi

# clean needs no libraries at all
if mk -n clean PKGS="pm-no-such-lib" >/dev/null 2>&1; then pass "make clean without the libraries"
else fail "make clean fails when a library is missing"; fi

# pkg-config once per make: a wrapper counts its calls while make -n expands every
# compile and link command of the program and the unit tests
mkdir -p "$T/bin"
real=$(command -v pkg-config)
printf '#!/bin/sh\necho "$*" >>"%s/calls"\nexec "%s" "$@"\n' "$T" "$real" >"$T/bin/pkg-config"
chmod +x "$T/bin/pkg-config"
: >"$T/calls"
if PATH="$T/bin:$PATH" mk -n pamphlet tests >"$T/out" 2>"$T/err"; then
    ncc=$(grep -c -- ' -c -o ' "$T/out")
    ncalls=$(wc -l <"$T/calls")
    if [ "$ncc" -ge 20 ] && [ "$ncalls" -le 3 ] && grep -q -- '-I/usr/include/pango-1.0' "$T/out"; then
        pass "pkg-config ran $ncalls times for $ncc compiles"
    else
        fail "pkg-config ran $ncalls times for $ncc compiles (want at most 3)"
    fi
else
    fail "make -n pamphlet tests: $(head -c 300 "$T/err")"
fi

echo "build: $npass passed, $nfail failed"
[ "$nfail" = 0 ]
