#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs missing Debian packages,
# builds the default tree and the ASan+UBSan and TSan trees, and runs every
# test through CTest.
#
#   scripts/test.sh                 everything (what CI runs)
#   MODCERT_SANITIZERS=0 scripts/test.sh   default tree only (quick local loop)
#   CTEST_ARGS="-R stub" scripts/test.sh   extra arguments for the default ctest
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs=$(nproc)

echo "== default build (build/)"
cmake --preset default >/dev/null
cmake --build --preset default -j"$jobs"
status=0
passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# run_ctest ARGS...: runs ctest, adds its counts to the totals.
run_ctest() {
    local rc=0 line total bad
    ctest "$@" 2>&1 | tee "$log" || rc=1
    line=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -1 || true)
    if [ -n "$line" ]; then
        bad=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")
        total=$(sed -E 's/.* failed out of ([0-9]+).*/\1/' <<<"$line")
        failed=$((failed + bad))
        passed=$((passed + total - bad))
    else
        rc=1
    fi
    [ $rc -eq 0 ] || status=1
}
# shellcheck disable=SC2086
run_ctest --preset default -j"$jobs" ${CTEST_ARGS:-}

if [ "${MODCERT_SANITIZERS:-1}" = "1" ]; then
    for san in asan tsan; do
        echo "== $san build (build-$san/)"
        cmake --preset "$san" >/dev/null
        cmake --build --preset "$san" -j"$jobs"
        # The sanitizer trees run the tests labelled 'sanitize': unit tests
        # and the tests that drive our own code hardest.
        run_ctest --preset "$san" -j"$jobs" -L sanitize
    done
fi
echo
echo "all trees: $passed passed, $failed failed"
exit $status
