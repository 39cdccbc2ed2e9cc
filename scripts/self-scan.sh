#!/usr/bin/env bash
# Our own analyzer on our own tree: every C source of the tool's lenses
# (common, cli, analyzer, harness, report), with the flags the build used
# (BUILD_DIR/compile_commands.json), must give no finding.
#
#   scripts/self-scan.sh MODCERT BUILD_DIR
#
# A negative control runs first: the same invocation on a sample module with
# a seeded race must report it, so a silent scan cannot pass.
set -euo pipefail
modcert=${1:?usage: self-scan.sh MODCERT BUILD_DIR}
build=${2:?usage: self-scan.sh MODCERT BUILD_DIR}
cd "$(dirname "$0")/.."

control=sample-modules/unsafe/mod_hitcount.c
set +e
"$modcert" scan -p "$build" "$control" >/dev/null 2>&1
rc=$?
set -e
if [ $rc -ne 1 ]; then
    echo "self-scan: negative control $control gave exit $rc, expected 1 (findings)" >&2
    exit 1
fi

mapfile -t files < <(git ls-files -- 'common/*.c' 'cli/*.c' 'analyzer/*.c' \
    'harness/*.c' 'report/*.c')
echo "self-scan: ${#files[@]} files"
"$modcert" scan -j2 -p "$build" "${files[@]}"
