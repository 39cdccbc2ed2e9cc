#!/usr/bin/env bash
# setup-sarif.sh CACHE_DIR — make Microsoft's SARIF Multitool available:
# `npm install @microsoft/sarif-multitool` into CACHE_DIR unless it is there,
# then print the path of the `sarif-multitool` executable.
# Exit 0: ready. Exit 77: not available (the caller's test is SKIPPED).
set -u
here=$(cd "$(dirname "$0")" && pwd)
exec "$here/setup-npm.sh" "${1:?usage: setup-sarif.sh CACHE_DIR}" \
    @microsoft/sarif-multitool node_modules/.bin/sarif-multitool
