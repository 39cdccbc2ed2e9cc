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
# shellcheck disable=SC2086
ctest --preset default -j"$jobs" ${CTEST_ARGS:-} || status=1

if [ "${MODCERT_SANITIZERS:-1}" = "1" ]; then
    for san in asan tsan; do
        echo "== $san build (build-$san/)"
        cmake --preset "$san" >/dev/null
        cmake --build --preset "$san" -j"$jobs"
        # The sanitizer trees run the tests labelled 'sanitize': unit tests
        # and the tests that drive our own code hardest.
        ctest --preset "$san" -j"$jobs" -L sanitize || status=1
    done
fi
exit $status
