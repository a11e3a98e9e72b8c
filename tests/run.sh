#!/usr/bin/env bash
# Runs every test: the source checks (the include rule), unit tests (cmocka), golden
# layout tests, end-to-end scripts.
# Ends with one line "N passed, N failed". Exit status 0 only if nothing failed.
#   PAMPHLET=path  the program under test (default ./pamphlet)
#   BUILD=dir      where the unit tests were built (default build: $BUILD/tests/test_*)
# e.g. the sanitizer build: PAMPHLET=build-asan/pamphlet BUILD=build-asan tests/run.sh
# (PAMPHLET relative to the current folder, BUILD to the repository's root).
set -u
if [ -n "${PAMPHLET:-}" ]; then
    case $PAMPHLET in /*) ;; *) PAMPHLET=$PWD/$PAMPHLET ;; esac
fi
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
PAMPHLET=${PAMPHLET:-$PWD/pamphlet}
export PAMPHLET BUILD
passed=0
failed=0
failures=()
# Under ThreadSanitizer, whether the test that just failed failed because the runtime
# could not start in one of its processes ("ThreadSanitizer failed to allocate ... errno:
# 12": its shadow memory at fixed addresses, now and then refused on this kernel even
# without address randomisation, see mk/sanitize.mk) and for nothing else: those logs are
# removed (a log with a report stays, and check-tsan fails on it).
tsan_could_not_start() {
    [ -n "${TSAN_OPTIONS:-}" ] || return 1
    local dir f found=1
    dir=$(sed -n 's/.*log_path=\([^:]*\).*/\1/p' <<<"$TSAN_OPTIONS")
    [ -n "$dir" ] || return 1
    for f in "${dir%/*}"/*; do
        [ -e "$f" ] || continue
        if grep -q "ThreadSanitizer failed to allocate" "$f" && ! grep -q "ThreadSanitizer: " "$f"; then
            rm -f "$f"
            found=0
        fi
    done
    return $found
}
run() { # name, command...
    local name=$1; shift
    echo "=== $name"
    local t0=$SECONDS ok=0
    if "$@"; then ok=1
    elif tsan_could_not_start; then
        echo "--- $name: ThreadSanitizer could not start in one of its runs; once more"
        "$@" && ok=1
    fi
    if [ $ok = 1 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("$name"); fi
    echo "--- $name: $((SECONDS - t0)) s"
}
run "source: include rule (tests/tools/check_includes.py)" python3 tests/tools/check_includes.py
run "source: the include checker's self-test" python3 tests/tools/test_check_includes.py
for t in "$BUILD"/tests/test_*; do
    [ -x "$t" ] && run "unit: ${t##*/}" "$t"
done
# (not under ThreadSanitizer: a layout dump has no drawing thread; the samples' tests
# cover the hyphenation loader's)
if [ -z "${TSAN_OPTIONS:-}" ]; then run "golden layout tests" tests/golden/run.sh; fi
# Under ThreadSanitizer only the scripts that drive the program's threads (the reading
# PDF's writer thread, watch mode's rebuilds, writers stopped by errors, booklets) run: the
# content-heavy ones (the corpus, random documents, fuzz mutants, the gallery, other
# scripts, fonts) take the same threaded path as the samples and run in full in the plain
# and ASan suites. This keeps make check within CI's 20 minutes.
# Under either sanitizer, the scripts that test the Makefile (make install from a staging
# tree, make's library checks) do not run: they build and run their own plain program.
tsan_skip=" test_corpus.sh test_generated.sh test_fuzz_layouts.sh test_gallery.sh test_intl.sh test_fonts.sh test_layout_check.sh test_fit.sh "
san_skip=" test_install.sh test_build.sh "
for t in tests/e2e/test_*.sh; do
    if [ -n "${TSAN_OPTIONS:-}" ] && [[ $tsan_skip == *" ${t##*/} "* ]]; then
        echo "=== e2e: ${t##*/}: not under ThreadSanitizer (see tests/run.sh)"
        continue
    fi
    if [ -n "${ASAN_OPTIONS:-}${TSAN_OPTIONS:-}" ] && [[ $san_skip == *" ${t##*/} "* ]]; then
        echo "=== e2e: ${t##*/}: not under the sanitizers (see tests/run.sh)"
        continue
    fi
    [ -x "$t" ] && run "e2e: ${t##*/}" "$t"
done
echo
for f in "${failures[@]+"${failures[@]}"}"; do echo "failed: $f"; done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
