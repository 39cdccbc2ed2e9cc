#!/usr/bin/env bash
# speed.sh [MODCERT] [BUILD_DIR] [ROUNDS]
#
# Analysis speed against the compiler's own parse. Corpus: translation units
# that include the httpd headers: the sample modules, the analyzer's
# annotated inputs (tests/analyzer/inputs, the first MAX_INPUTS) and the
# server-stub sources (with the flags of BUILD_DIR/compile_commands.json).
# All go into one compilation database; then, interleaved for ROUNDS rounds
# (default 3):
#   A  clang-19 -fsyntax-only, one process per TU, same flags, sequential
#   B  modcert scan -j1 -p DB
#   C  modcert scan -j2 -p DB
# prints the medians, B/A (target <= 1.2), B/C (-j2 speed-up) and modcert's
# peak RSS (/usr/bin/time -v). Run on an otherwise quiet machine.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
modcert=${1:-$top/build/bin/modcert}
build=${2:-$top/build}
rounds=${3:-3}
clang=${CLANG:-clang-19}
die() { echo "speed: $*" >&2; exit 2; }
command -v jq >/dev/null || die "jq not found (scripts/install-deps.sh)"
[ -x /usr/bin/time ] || die "/usr/bin/time not found (Debian package 'time')"
[ -x "$modcert" ] || die "'$modcert' is not executable (build first)"
[ -r "$build/compile_commands.json" ] ||
    die "'$build/compile_commands.json' not found (configure $build first)"

work=$(mktemp -d) || die "mktemp failed"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/db"

inc_httpd=$(apxs -q INCLUDEDIR 2>/dev/null || echo /usr/include/apache2)
inc_apr=$(apr-1-config --includedir 2>/dev/null || echo /usr/include/apr-1.0)

# Module-shaped sources with the httpd flags: every sample module, and the
# first MAX_INPUTS (default 60) corpus inputs in name order (the ones that
# announce an input error, expect-exit 2, are skipped).
max_inputs=${MAX_INPUTS:-60}
{
    find "$top/sample-modules" -name '*.c' | LC_ALL=C sort
    find "$top/tests/analyzer/inputs" -name '*.c' | LC_ALL=C sort |
        while IFS= read -r f; do grep -q 'expect-exit: 2' "$f" || echo "$f"; done |
        head -n "$max_inputs"
} | while IFS= read -r f; do
    jq -n --arg f "$f" --arg d "$top" --arg cc "$clang" --arg i1 "$inc_httpd" \
        --arg i2 "$inc_apr" '{directory: $d, file: $f,
        arguments: [$cc, "-I" + $i1, "-I" + $i2, "-DLINUX", "-D_REENTRANT",
                    "-D_GNU_SOURCE", "-c", $f]}'
done >"$work/modules.jsonl"
# server-stub sources with their own flags, once each (the non-sanitizer
# build), dependency-file and output options dropped, -c kept.
jq -c --arg top "$top/server-stub/" '[.[] | select(.file | startswith($top))
    | select(.file | endswith(".c"))
    | select((.command // (.arguments | join(" "))) | contains("-fsanitize") | not)]
    | group_by(.file) | map(.[0]) | .[]
    | {directory, file, arguments: ((.arguments // (.command | split(" ")))
        | reduce .[] as $a ({out: [], skip: false};
            if .skip then .skip = false
            elif ($a == "-o" or $a == "-MF" or $a == "-MT" or $a == "-MQ") then .skip = true
            elif ($a == "-MD" or $a == "-MMD" or $a == "") then .
            else .out += [$a] end) | .out)}' \
    "$build/compile_commands.json" >"$work/stub.jsonl"
jq -s . "$work/modules.jsonl" "$work/stub.jsonl" >"$work/db/compile_commands.json"
ntu=$(jq length "$work/db/compile_commands.json")
nstub=$(wc -l <"$work/stub.jsonl")
[ "$ntu" -ge 50 ] || die "only $ntu translation units (need >= 50)"

# One clang command line per TU: -c replaced by -fsyntax-only.
jq -r '.[] | [.directory, (.arguments | map(if . == "-c" then "-fsyntax-only" else . end)
        | .[1:] | @sh)] | @tsv' "$work/db/compile_commands.json" >"$work/clang.lines"

now() { date +%s.%N; }
run_clang() {
    local d args
    while IFS=$'\t' read -r d args; do
        eval "(cd \"\$d\" && \"\$clang\" $args)" || echo "clang failed in $d" >&2
    done <"$work/clang.lines"
}
run_modcert() { # jobs round
    /usr/bin/time -v -o "$work/time.$1.$2" "$modcert" scan -j "$1" \
        --format json -p "$work/db" >"$work/scan.$1.json" 2>"$work/scan.$1.err"
    local rc=$?
    if [ "$rc" -gt 1 ]; then
        echo "speed: modcert scan -j$1 exited $rc (incomplete):" >&2
        head -n 5 "$work/scan.$1.err" >&2
    fi
}
timeit() { local t0; t0=$(now); "$@"; awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.3f\n", b - a }'; }

echo "corpus: $ntu TUs ($nstub server-stub, $((ntu - nstub)) module-shaped), $rounds interleaved rounds"
: >"$work/A"; : >"$work/B"; : >"$work/C"
for ((r = 1; r <= rounds; r++)); do
    timeit run_clang >>"$work/A"
    timeit run_modcert 1 "$r" >>"$work/B"
    timeit run_modcert 2 "$r" >>"$work/C"
    echo "round $r: clang $(tail -n 1 "$work/A")s  -j1 $(tail -n 1 "$work/B")s  -j2 $(tail -n 1 "$work/C")s"
done
median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
rss() { grep -h 'Maximum resident' "$work"/time."$1".* | awk '{ print $NF }' | sort -n | tail -n 1; }
a=$(median "$work/A"); b=$(median "$work/B"); c=$(median "$work/C")
nfind=$(jq '.findings | length' "$work/scan.1.json" 2>/dev/null || echo "?")
awk -v a="$a" -v b="$b" -v c="$c" -v r1="$(rss 1)" -v r2="$(rss 2)" -v n="$nfind" 'BEGIN {
    printf "clang-19 -fsyntax-only (1 process/TU): median %.2f s\n", a
    printf "modcert scan -j1:                      median %.2f s   ratio %.2fx clang (target <= 1.2)\n", b, b / a
    printf "modcert scan -j2:                      median %.2f s   speed-up %.2fx over -j1\n", c, b / c
    printf "modcert peak RSS: -j1 %.1f MB, -j2 %.1f MB; findings reported: %s\n", r1 / 1024, r2 / 1024, n
}'
