#!/usr/bin/env bash
# compare.sh [MODCERT] [MANIFEST]
#
# Side by side on the sample-module corpus (sample-modules/manifest.json):
# modcert scan, clang-tidy's concurrency-mt-unsafe (posix and glibc function
# sets) and cppcheck --enable=all --library=posix. Every tool's output is
# mapped to (file, line) in the modules' own sources and scored against the
# manifest's expected findings: precision = reported lines that are expected
# / reported lines, recall = expected lines reported / expected lines.
# modcert is also scored strictly, by (file, line, check id, symbol; a
# manifest finding without a symbol matches any). One run;
# prints a table (and writes it to $OUT, default bench-compare.txt here).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
modcert=${1:-$top/build/bin/modcert}
manifest=${2:-$top/sample-modules/manifest.json}
out=${OUT:-$PWD/bench-compare.txt}
die() { echo "compare: $*" >&2; exit 2; }
for t in jq clang-tidy cppcheck; do
    command -v "$t" >/dev/null || die "$t not found (scripts/install-deps.sh)"
done
[ -x "$modcert" ] || die "'$modcert' is not executable (build first)"
[ -r "$manifest" ] || die "manifest '$manifest' not found"
root=$(cd "$(dirname "$manifest")" && pwd)

inc_httpd=$(apxs -q INCLUDEDIR 2>/dev/null || echo /usr/include/apache2)
inc_apr=$(apr-1-config --includedir 2>/dev/null || echo /usr/include/apr-1.0)
flags=(-I"$inc_httpd" -I"$inc_apr" -DLINUX -D_REENTRANT -D_GNU_SOURCE)

tmp=$(mktemp -d) || die "mktemp failed"
trap 'rm -rf "$tmp"' EXIT

# Expected: file<TAB>line<TAB>check<TAB>symbol, one row per manifest finding.
jq -r '.modules[] | (.source | if type == "array" then .[0] else . end) as $s
       | .expected_findings[]? | [($s | split("/") | last), (.line | tostring), .check,
         (.symbol // "" | tostring | if . == "null" then "" else . end)] | @tsv' \
    "$manifest" | sort >"$tmp/expected"
mapfile -t srcs < <(jq -r '.modules[] | .source | if type == "array" then .[] else . end' \
    "$manifest" | sed "s|^|$root/|")
nmod=$(jq '.modules | length' "$manifest")

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# --- modcert: one scan per module (a module is the unit it analyses) ---------
t0=$(now)
: >"$tmp/modcert.raw"
for ((i = 0; i < nmod; i++)); do
    mapfile -t ms < <(jq -r ".modules[$i].source | if type == \"array\" then .[] else . end" \
        "$manifest" | sed "s|^|$root/|")
    "$modcert" scan --format json "${ms[@]}" 2>>"$tmp/modcert.err" |
        jq -r '.findings[]? | [(.file | split("/") | last), (.line | tostring), .check,
                (.symbol // "" | tostring | if . == "null" then "" else . end)] | @tsv' \
            >>"$tmp/modcert.raw"
done
t_modcert=$(elapsed "$t0" "$(now)")
sort "$tmp/modcert.raw" >"$tmp/modcert.strict"
cut -f1,2 "$tmp/modcert.raw" | sort -u >"$tmp/modcert"

# --- clang-tidy concurrency-mt-unsafe, posix and glibc sets ----------------------
for set in posix glibc; do
    t0=$(now)
    for s in "${srcs[@]}"; do
        clang-tidy --quiet --checks='-*,concurrency-mt-unsafe' \
            --config="{CheckOptions: [{key: concurrency-mt-unsafe.FunctionSet, value: $set}]}" \
            "$s" -- "${flags[@]}" 2>/dev/null
    done | sed -n 's|^\([^:]*\):\([0-9]*\):[0-9]*: warning: .*\[concurrency-mt-unsafe\]$|\1\t\2|p' |
        awk -F'\t' '{ n = split($1, p, "/"); print p[n] "\t" $2 }' | sort -u >"$tmp/tidy_$set"
    eval "t_tidy_$set=$(elapsed "$t0" "$(now)")"
done

# --- cppcheck --enable=all --library=posix ---------------------------------------
t0=$(now)
for s in "${srcs[@]}"; do
    cppcheck -q --enable=all --library=posix -DAF_UNIX=1 "${flags[@]}" \
        --template='{file}\t{line}\t{severity}\t{id}\t{message}' "$s" 2>&1
done | awk -F'\t' -v list="$(printf '%s\n' "${srcs[@]}")" '
    BEGIN { n = split(list, L, "\n"); for (i = 1; i <= n; i++) mine[L[i]] = 1 }
    NF >= 5 && ($1 in mine) && $3 != "information" {
        k = split($1, p, "/"); print p[k] "\t" $2 "\t" $4 "\t" $5 }' >"$tmp/cppcheck.raw"
t_cppcheck=$(elapsed "$t0" "$(now)")
cut -f1,2 "$tmp/cppcheck.raw" | sort -u >"$tmp/cppcheck"
awk -F'\t' '$3 ~ /Called$/ || $4 ~ /reentrant|thread/ { print $1 "\t" $2 }' \
    "$tmp/cppcheck.raw" | sort -u >"$tmp/cppcheck_mt"

# --- score ------------------------------------------------------------------------
cut -f1,2 "$tmp/expected" | sort -u >"$tmp/expected_lines"
# Matched rows of a multiset: reported (file,line[,check,symbol]) against
# expected; an expected row with an empty symbol matches any symbol.
matched() { # reported expected
    awk -F'\t' 'FILENAME == ARGV[1] { r[++m] = $0; next }
        { e = $0; n = split(e, f, "\t")
          for (j = 1; j <= m; j++) {
              if (used[j]) continue
              split(r[j], g, "\t")
              ok = 1
              for (k = 1; k <= n; k++)
                  if (f[k] != g[k] && !(k == 4 && f[k] == "")) ok = 0
              if (ok) { used[j] = 1; hit++; break }
          } }
        END { print hit + 0 }' "$1" "$2"
}
score() { # name reported-file expected-file seconds
    local rep tp exp
    rep=$(wc -l <"$2")
    exp=$(wc -l <"$3")
    tp=$(matched "$2" "$3")
    awk -v n="$1" -v r="$rep" -v e="$exp" -v t="$tp" -v s="$4" 'BEGIN {
        p = r ? 100 * t / r : 100; c = e ? 100 * t / e : 100
        printf "%-44s %8d %8d %8d %9.1f%% %8.1f%% %7ss\n", n, r, e, t, p, c, s }'
}
{
    echo "sample corpus: $nmod modules, $(wc -l <"$tmp/expected") expected findings ($(date -u +%FT%TZ))"
    printf "%-44s %8s %8s %8s %10s %9s %8s\n" tool reported expected matched precision recall time
    score "modcert scan (file,line,check,symbol)" "$tmp/modcert.strict" "$tmp/expected" "$t_modcert"
    score "modcert scan (file,line)" "$tmp/modcert" "$tmp/expected_lines" "$t_modcert"
    score "clang-tidy concurrency-mt-unsafe posix" "$tmp/tidy_posix" "$tmp/expected_lines" "$t_tidy_posix"
    score "clang-tidy concurrency-mt-unsafe glibc" "$tmp/tidy_glibc" "$tmp/expected_lines" "$t_tidy_glibc"
    score "cppcheck --enable=all (all findings)" "$tmp/cppcheck" "$tmp/expected_lines" "$t_cppcheck"
    score "cppcheck (reentrancy ids only)" "$tmp/cppcheck_mt" "$tmp/expected_lines" "$t_cppcheck"
    echo "(modcert: one scan per module, no flags; others: one process per file with"
    echo " ${flags[*]}; cppcheck also -DAF_UNIX=1; time = whole corpus, wall)"
    if [ -s "$tmp/modcert.err" ]; then
        echo "modcert stderr (first lines):"; head -n 5 "$tmp/modcert.err"
    fi
} | tee "$out"
