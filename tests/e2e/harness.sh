# harness.sh - what the print tests (test_print*.sh) share: the program under test
# (PAMPHLET=path, default ./pamphlet), the repository root as the current folder, a
# temporary folder $T removed at exit, a fixed SOURCE_DATE_EPOCH, and check NAME COMMAND...
# counting npass and nfail (the output of a failed command shown). Sourced, not run.
set -u
PAMPHLET=${PAMPHLET:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/pamphlet}
case $PAMPHLET in /*) ;; *) PAMPHLET=$PWD/$PAMPHLET ;; esac
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export SOURCE_DATE_EPOCH=1700000000
npass=0
nfail=0
check() { # name, command...
    local name=$1 out
    shift
    if out=$("$@" 2>&1); then
        npass=$((npass + 1)); echo "ok   $name"
    else
        nfail=$((nfail + 1)); echo "FAIL $name"; echo "$out" | sed 's/^/     | /' | head -n 12
    fi
}
