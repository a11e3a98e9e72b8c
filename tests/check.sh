#!/usr/bin/env bash
# All of `make check`, in stages: the test suite; the same suite built with Address- and
# UndefinedBehaviorSanitizer; the same suite under ThreadSanitizer; the fuzzing
# reproducers; valgrind over a whole render.
# Ends with one line "N passed, N failed" over all of them (each test of a suite counts).
#
# The stages run in two lanes at once: most of a test is one process at a time (a render,
# then poppler and Python checking it), so one lane leaves a core idle; measured on the
# 2-core CI machine, the stages one after the other took 21 minutes at 0.97 cores busy.
#   lane 1: the test suite, then ThreadSanitizer's, then valgrind (both the plain build)
#   lane 2: ASan/UBSan's suite, then the fuzzing reproducers (both build-asan/)
# Each lane writes its own log; lane 1's is shown as it runs, lane 2's when it ends.
# CHECK_LANES=1 runs everything in one lane, in the order above.
set -u
cd "$(dirname "$0")/.."
dir=$(mktemp -d "${TMPDIR:-/tmp}/pm-check.XXXXXX")
trap 'rm -rf "$dir"' EXIT

# suite lane name command...: a test suite that ends with "N passed, N failed"; appends
# "passed failed ok name" to the lane's results
suite() {
    local lane=$1 name=$2
    shift 2
    local log=$dir/suite.$lane t0=$SECONDS
    echo "########## $name"
    "$@" 2>&1 | tee "$log"
    local rc=${PIPESTATUS[0]}
    local counts p=0 f=0
    counts=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
    if [ -n "$counts" ]; then
        p=${counts%% passed*}
        f=${counts#*, }
        f=${f%% failed}
    elif [ "$rc" -ne 0 ]; then
        f=1
    fi
    echo "$p $f $([ "$rc" -eq 0 ] && echo ok || echo FAILED) $name" >>"$dir/results.$lane"
    echo "########## $name: $((SECONDS - t0)) s"
}
# stage lane name command...: one check
stage() {
    local lane=$1 name=$2
    shift 2
    local t0=$SECONDS
    echo "########## $name"
    if "$@"; then
        echo "1 0 ok $name" >>"$dir/results.$lane"
    else
        echo "0 1 FAILED $name" >>"$dir/results.$lane"
    fi
    echo "########## $name: $((SECONDS - t0)) s"
}

lane1() {
    suite 1 "test suite" tests/run.sh
    suite 1 "test suite under ThreadSanitizer" make --no-print-directory check-tsan
    stage 1 "valgrind: 1917 render" make --no-print-directory valgrind
}
lane2() {
    suite 2 "test suite under ASan and UBSan" make --no-print-directory check-asan
    stage 2 "fuzzing reproducers (fuzz/regress)" make --no-print-directory fuzz-regress
}

t0=$SECONDS
if [ "${CHECK_LANES:-2}" = 1 ]; then
    lane1
    lane2
else
    lane2 >"$dir/lane2.log" 2>&1 &
    pid=$!
    lane1
    wait "$pid"
    cat "$dir/lane2.log"
fi
echo
echo "########## make check: $((SECONDS - t0)) s"
passed=0
failed=0
bad=0
while read -r p f ok name; do
    passed=$((passed + p))
    failed=$((failed + f))
    if [ "$ok" != ok ]; then
        echo "failed: $name"
        bad=1
    fi
done < <(cat "$dir/results.1" "$dir/results.2" 2>/dev/null)
[ -s "$dir/results.1" ] && [ -s "$dir/results.2" ] || { echo "failed: a lane recorded no results"; bad=1; failed=$((failed + 1)); }
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$bad" -eq 0 ]
