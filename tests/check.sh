#!/usr/bin/env bash
# All of `make check`, in stages: the test suite; the same suite built with Address- and
# UndefinedBehaviorSanitizer; the same suite under ThreadSanitizer; the fuzzing
# reproducers; valgrind over a whole render.
# Ends with one line "N passed, N failed" over all of them (each test of a suite counts).
set -u
cd "$(dirname "$0")/.."
passed=0
failed=0
failures=()
log=$(mktemp)
trap 'rm -f "$log"' EXIT

suite() { # name, command...: a test suite that ends with "N passed, N failed"
    local name=$1; shift
    echo "########## $name"
    local t0=$SECONDS
    "$@" 2>&1 | tee "$log"
    local rc=${PIPESTATUS[0]}
    local counts
    counts=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
    if [ -n "$counts" ]; then
        passed=$((passed + ${counts%% passed*}))
        local f=${counts#*, }
        failed=$((failed + ${f%% failed}))
    fi
    if [ "$rc" -ne 0 ]; then
        [ -z "$counts" ] && failed=$((failed + 1))
        failures+=("$name")
    fi
    echo "########## $name: $((SECONDS - t0)) s"
}
stage() { # name, command...: one check
    local name=$1; shift
    echo "########## $name"
    local t0=$SECONDS
    if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("$name"); fi
    echo "########## $name: $((SECONDS - t0)) s"
}

suite "test suite" tests/run.sh
suite "test suite under ASan and UBSan" make --no-print-directory check-asan
suite "test suite under ThreadSanitizer" make --no-print-directory check-tsan
stage "fuzzing reproducers (fuzz/regress)" make --no-print-directory fuzz-regress
stage "valgrind: 1917 render" make --no-print-directory valgrind
echo
for f in "${failures[@]+"${failures[@]}"}"; do echo "failed: $f"; done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ ${#failures[@]} -eq 0 ]
