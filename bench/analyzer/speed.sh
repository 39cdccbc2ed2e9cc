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
# announce an input error, expect-exit 2, or need extra compiler flags are
# skipped).
max_inputs=${MAX_INPUTS:-60}
{
    find "$top/sample-modules" -name '*.c' | LC_ALL=C sort
    find "$top/tests/analyzer/inputs" -name '*.c' | LC_ALL=C sort |
        while IFS= read -r f; do
            # skip inputs that announce an input error or need extra flags
            grep -q 'expect-exit: 2' "$f" || head -n 1 "$f" | grep -q 'scan-flags: .*--' ||
                echo "$f"
        done |
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

# The clang side as one script: one process per TU, sequential.
{
    echo 'set -u'
    while IFS=$'\t' read -r d args; do
        printf 'cd %q && %q %s || echo "clang failed in %s" >&2\n' "$d" "$clang" "$args" "$d"
    done <"$work/clang.lines"
} >"$work/clang.sh"

# timed NAME ROUND CMD...: wall, user and system seconds and peak RSS of CMD
# (and its children) into $work/time.NAME.ROUND.
timed() {
    local name=$1 round=$2
    shift 2
    /usr/bin/time -f '%e %U %S %M' -o "$work/time.$name.$round" "$@"
}
run_modcert() { # jobs round
    timed "j$1" "$2" "$modcert" scan -j "$1" --format json -p "$work/db" \
        >"$work/scan.$1.json" 2>"$work/scan.$1.err"
    local rc=$?
    if [ "$rc" -gt 1 ]; then
        echo "speed: modcert scan -j$1 exited $rc (incomplete):" >&2
        head -n 5 "$work/scan.$1.err" >&2
    fi
}

# round_field wall|cpu NAME ROUND: one round's wall or user+system seconds
round_field() {
    tail -n 1 "$work/time.$2.$3" | awk -v w="$1" '{
        if (w == "wall") print $1; else printf "%.2f", $2 + $3 }'
}

echo "corpus: $ntu TUs ($nstub server-stub, $((ntu - nstub)) module-shaped), $rounds interleaved rounds"
for ((r = 1; r <= rounds; r++)); do
    timed clang "$r" bash "$work/clang.sh"
    run_modcert 1 "$r"
    run_modcert 2 "$r"
    printf 'round %d: wall clang %ss  -j1 %ss  -j2 %ss   cpu (user+sys) clang %ss  -j1 %ss  -j2 %ss\n' \
        "$r" "$(round_field wall clang "$r")" "$(round_field wall j1 "$r")" \
        "$(round_field wall j2 "$r")" "$(round_field cpu clang "$r")" \
        "$(round_field cpu j1 "$r")" "$(round_field cpu j2 "$r")"
done
# median FIELD NAME: the median over the rounds of field 1 (wall), or of
# user+system CPU (field "cpu"), or the maximum RSS in KiB (field "rss").
median() {
    local what=$1 name=$2
    # the last line (GNU time puts "Command exited with..." before it)
    for f in "$work"/time."$name".*; do tail -n 1 "$f"; done | awk -v w="$what" '{
        if (w == "wall") print $1; else if (w == "cpu") print $2 + $3; else print $4 }' |
        sort -n | awk -v w="$what" '{ v[NR] = $1 } END {
            if (w == "rss") { print v[NR]; exit }
            print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
nfind=$(jq '.findings | length' "$work/scan.1.json" 2>/dev/null || echo "?")
awk -v a="$(median wall clang)" -v b="$(median wall j1)" -v c="$(median wall j2)" \
    -v ac="$(median cpu clang)" -v bc="$(median cpu j1)" -v cc="$(median cpu j2)" \
    -v r1="$(median rss j1)" -v r2="$(median rss j2)" -v n="$nfind" \
    -v load="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN {
    printf "                                       wall (median)     CPU user+sys (median)\n"
    printf "clang-19 -fsyntax-only (1 process/TU): %8.2f s          %8.2f s\n", a, ac
    printf "modcert scan -j1:                      %8.2f s %5.2fx   %8.2f s %5.2fx clang  (target <= 1.2)\n", b, b / a, bc, bc / ac
    printf "modcert scan -j2:                      %8.2f s          %8.2f s\n", c, cc
    printf "-j2 speed-up over -j1 (wall): %.2fx; -j2 CPU overhead: %+.0f%%\n", b / c, 100 * (cc / bc - 1)
    printf "modcert peak RSS: -j1 %.1f MB, -j2 %.1f MB; findings reported: %s\n", r1 / 1024, r2 / 1024, n
    printf "load average at the end: %s (2 cores; wall figures are only meaningful when it is low)\n", load
}'
