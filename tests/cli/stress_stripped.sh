#!/usr/bin/env bash
# A module shipped stripped (as Debian ships them: dynamic symbols only) is
# stressed like any other, and a relative --workdir works from any cwd.
#   stress_stripped.sh MODCERT MODULES_DIR WORK
set -u
modcert=$1 modules=$2 work=$3
rm -rf "$work" && mkdir -p "$work" || exit 1
cp "$modules/mod_atomichits.so" "$work/mod_stripped.so" || exit 1
strip --strip-all "$work/mod_stripped.so" || exit 1
if nm "$work/mod_stripped.so" 2>&1 | grep -q " T "; then
    echo "FAIL: strip left a symbol table"; exit 1
fi
cd "$work" || exit 1
"$modcert" stress -q --module mod_stripped.so --handler atomichits \
    --detector none --requests 400 --seconds 20 --json r.json --workdir w
rc=$?
[ -s r.json ] || { echo "FAIL: no report written (exit $rc)"; exit 1; }
complete=$(jq -r .complete r.json) requests=$(jq -r .requests r.json)
nfind=$(jq '.findings | length' r.json)
if [ $rc -ne 0 ] || [ "$complete" != true ] || [ "$requests" -lt 400 ] || [ "$nfind" -ne 0 ]; then
    echo "FAIL: exit $rc, complete=$complete, requests=$requests, findings=$nfind"
    jq -r .note r.json
    exit 1
fi
echo "stripped module: $requests requests, complete, no findings"
