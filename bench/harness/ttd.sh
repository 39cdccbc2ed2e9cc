#!/bin/sh
# bench/harness/ttd.sh [BUILD_DIR] [ARGS...] — time to first detection of
# every unsafe sample module under `modcert stress --detector tsan`
# (median of 5 runs; target < 5 s each) as a Markdown table. Extra ARGS go
# to ttd.py, e.g. `--safe 20000` for the 20,000-request safe-module run,
# `--no-unsafe --safe 20000` for that alone. Heavy: run once, not in loops.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../../build}
[ $# -gt 0 ] && shift
exec nice python3 "$here/ttd.py" --modcert "$build/bin/modcert" \
    --modules "$build/modules" "$@"
