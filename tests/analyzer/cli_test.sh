#!/usr/bin/env bash
# cli_test.sh MODCERT WORKDIR
#
# The scan front door beyond single inputs, on real corpus inputs:
#  1. text format: one `file:line:col: warning|error: ... [check]` line per
#     JSON finding, at the same positions, each followed by a note line;
#  2. -o FILE writes the same report as stdout;
#  3. -p BUILD_DIR and --compile-commands FILE (a database with the httpd
#     flags and relative file names) give the same findings as scanning the
#     files directly;
#  4. determinism: -j 1 and -j 2 give the same JSON over many files (all
#     but the timing fields).
set -uo pipefail

die() { echo "cli_test: $*" >&2; exit 2; }
[ $# -eq 2 ] || die "usage: cli_test.sh MODCERT WORKDIR"
modcert=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$2
here=$(cd "$(dirname "$0")" && pwd)
command -v jq >/dev/null || die "jq not found (scripts/install-deps.sh installs it)"
rm -rf "$work" && mkdir -p "$work" || die "cannot create $work"

failures=0
fail() { echo "  FAIL: $*"; failures=$((failures + 1)); }
# The report minus its timing fields (they differ run to run).
stable() { jq -S 'walk(if type == "object" then del(.analysis_seconds, .parse_seconds) else . end)' "$1"; }
key() { jq -r '.findings[] | "\(.file | split("/") | last):\(.line):\(.check):\(.symbol)"' "$1" | sort; }

inputs=(race/global_hash_set.c calls/gmtime_localtime.c locks/leak_rwlock.c
    staticbuf/static_local_buffer.c config/server_conf_write.c)
mkdir -p "$work/src"
for i in "${inputs[@]}"; do cp "$here/inputs/$i" "$work/src/"; done
cd "$work/src" || die "cannot enter $work/src"
files=(*.c)

echo "== 1. text format vs JSON"
"$modcert" scan --format json "${files[@]}" >"$work/direct.json" 2>"$work/direct.err"
rc=$?
[ "$rc" = 1 ] || fail "direct JSON scan exited $rc, expected 1"
"$modcert" scan "${files[@]}" >"$work/text.out" 2>"$work/text.err"
rc=$?
[ "$rc" = 1 ] || fail "text scan exited $rc, expected 1"
cat "$work/text.out" "$work/text.err" >"$work/text.all"
jq -r '.findings[] | "\(.file):\(.line):\(.column):\(.check)"' "$work/direct.json" |
    sort >"$work/json.pos"
sed -n 's/^\(.*\):\([0-9]*\):\([0-9]*\): \(warning\|error\): .* \[\([a-z-]*\)\]$/\1:\2:\3:\5/p' \
    "$work/text.all" | sort >"$work/text.pos"
njson=$(wc -l <"$work/json.pos")
[ "$njson" -gt 5 ] || fail "only $njson findings in the JSON report"
if ! diff "$work/json.pos" "$work/text.pos" >"$work/pos.diff"; then
    fail "text diagnostics and JSON findings differ (< json, > text):"
    head -n 20 "$work/pos.diff"
fi
nnote=$(grep -cE '^[^ ]+:[0-9]+:[0-9]+: note: ' "$work/text.all")
[ "$nnote" -ge "$njson" ] || fail "$nnote note lines for $njson findings"

echo "== 2. -o FILE"
"$modcert" scan --format json -o "$work/o.json" "${files[@]}" >"$work/o.stdout" 2>/dev/null
cmp -s <(stable "$work/o.json") <(stable "$work/direct.json") ||
    fail "-o FILE differs from the report on stdout"

echo "== 3. compile databases"
mkdir -p "$work/db"
jq -n --arg d "$work/src" '[$ARGS.positional[] | {directory: $d, file: .,
        arguments: ["clang-19", "-I/usr/include/apache2", "-I/usr/include/apr-1.0",
                    "-DLINUX", "-D_REENTRANT", "-D_GNU_SOURCE", "-c", .]}]' \
    --args "${files[@]}" >"$work/db/compile_commands.json"
key "$work/direct.json" >"$work/direct.keys"
"$modcert" scan --format json -p "$work/db" >"$work/p.json" 2>"$work/p.err"
rc=$?
[ "$rc" = 1 ] || { fail "-p scan exited $rc, expected 1"; head -n 5 "$work/p.err"; }
key "$work/p.json" | diff "$work/direct.keys" - >/dev/null ||
    fail "-p BUILD_DIR findings differ from a direct scan"
cp "$work/db/compile_commands.json" "$work/other-name.json"
"$modcert" scan --format json --compile-commands "$work/other-name.json" \
    >"$work/cc.json" 2>"$work/cc.err"
rc=$?
[ "$rc" = 1 ] || { fail "--compile-commands scan exited $rc, expected 1"; head -n 5 "$work/cc.err"; }
key "$work/cc.json" | diff "$work/direct.keys" - >/dev/null ||
    fail "--compile-commands findings differ from a direct scan"

echo "== 4. -j 1 vs -j 2 over many files"
cd "$here/inputs" || die "no inputs"
many=($(printf "%s\n" race/*.c | awk 'NR % 3 == 1'))
"$modcert" scan --format json -j 1 "${many[@]}" >"$work/j1.json" 2>/dev/null
"$modcert" scan --format json -j 2 "${many[@]}" >"$work/j2.json" 2>/dev/null
[ "$(jq ".findings | length" "$work/j1.json")" -gt 5 ] ||
    fail "too few findings over ${#many[@]} files"
cmp -s <(stable "$work/j1.json") <(stable "$work/j2.json") ||
    fail "-j 1 and -j 2 reports differ (beyond timings)"

if [ "$failures" -gt 0 ]; then
    echo "FAIL: $failures check(s) failed"
    exit 1
fi
echo "PASS: text = JSON ($njson findings), -o, -p, --compile-commands, -j1 = -j2"
