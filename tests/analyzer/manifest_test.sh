#!/usr/bin/env bash
# manifest_test.sh MODCERT MANIFEST
#
# Recall and precision of `modcert scan` over the sample-module corpus
# (format: docs/manifest.md). For every module, the scan of its source must
# report exactly its expected_findings, matched by (check, line): recall =
# expected findings reported / expected findings, precision = reported
# findings that are expected / reported findings (a finding on a safe module
# or beyond the manifest is a false positive). Both must be 100%. A module
# whose scan does not complete (exit 2) fails the test.
set -uo pipefail

die() { echo "manifest_test: $*" >&2; exit 2; }
[ $# -eq 2 ] || die "usage: manifest_test.sh MODCERT MANIFEST"
modcert=$1
manifest=$2
command -v jq >/dev/null || die "jq not found (scripts/install-deps.sh installs it)"
[ -r "$manifest" ] || { echo "FAIL: manifest '$manifest' not found"; exit 1; }
jq -e '.modules | type == "array" and length > 0' "$manifest" >/dev/null ||
    { echo "FAIL: '$manifest' has no modules array"; exit 1; }
root=$(cd "$(dirname "$manifest")" && pwd)
tmp=$(mktemp -d) || die "mktemp failed"
trap 'rm -rf "$tmp"' EXIT

n_expected=0
n_reported=0
n_matched=0
broken=0
nmod=$(jq '.modules | length' "$manifest")
for ((i = 0; i < nmod; i++)); do
    jq ".modules[$i]" "$manifest" >"$tmp/mod.json"
    name=$(jq -r .name "$tmp/mod.json")
    group=$(jq -r .group "$tmp/mod.json")
    srcs=()
    while IFS= read -r s; do srcs+=("$root/$s"); done \
        < <(jq -r '.source | if type == "array" then .[] else . end' "$tmp/mod.json")
    timeout 120 "$modcert" scan --format json "${srcs[@]}" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if ! jq -se 'length == 1 and (.[0].findings | type == "array")' \
        "$tmp/out" >/dev/null 2>&1; then
        echo "BROKEN      $name: scan exited $rc without JSON findings"
        head -c 1500 "$tmp/err"
        broken=$((broken + 1))
        continue
    fi
    if [ "$rc" = 2 ]; then
        echo "INCOMPLETE  $name: scan exited 2: $(jq -c .errors "$tmp/out" | head -c 600)"
        broken=$((broken + 1))
    fi
    # expected and reported as "check<TAB>line" plus the detail to print
    jq -r '.expected_findings[]? | [.check, (.line | tostring),
            "\(.function // "?") \(.symbol // "") \(.phase // "") \(.root // "")"] | @tsv' \
        "$tmp/mod.json" >"$tmp/exp"
    jq -r '.findings[] | [.check, (.line | tostring),
            ((.file // "" | split("/") | last) + " \(.function) \(.symbol) \(.phase) path=\(.path | tostring) locks=\(.locks | tostring): \(.message)")] | @tsv' \
        "$tmp/out" >"$tmp/act"
    res=$(awk -F'\t' '
        FILENAME == ARGV[1] { n++; ek[n] = $1 "\t" $2; ed[n] = $3; next }
        { m++; ak[m] = $1 "\t" $2; ad[m] = $3 }
        END {
            hit = 0
            for (i = 1; i <= n; i++) {
                for (j = 1; j <= m; j++)
                    if (!used[j] && ak[j] == ek[i]) { used[j] = 1; break }
                if (j <= m) hit++
                else { split(ek[i], k, "\t"); print "MISSING     " k[1] " line " k[2] " (" ed[i] ")" }
            }
            for (j = 1; j <= m; j++)
                if (!used[j]) { split(ak[j], k, "\t"); print "UNEXPECTED  " k[1] " line " k[2] ": " ad[j] }
            print "COUNTS " n + 0, m + 0, hit + 0
        }' "$tmp/exp" "$tmp/act")
    read -r _ e r h <<<"$(grep '^COUNTS' <<<"$res")"
    n_expected=$((n_expected + e))
    n_reported=$((n_reported + r))
    n_matched=$((n_matched + h))
    if grep -qv '^COUNTS' <<<"$res"; then
        echo "--- $name ($group, ${srcs[*]##*/}): $h/$e expected found, $r reported"
        grep -v '^COUNTS' <<<"$res" | sed 's/^/  /'
    else
        echo "ok          $name ($group): $h/$e expected, $r reported"
    fi
done

pct() { [ "$2" -eq 0 ] && echo 100.0 || awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", 100 * a / b }'; }
recall=$(pct "$n_matched" "$n_expected")
precision=$(pct "$n_matched" "$n_reported")
echo "modules: $nmod  expected: $n_expected  reported: $n_reported  matched: $n_matched"
echo "recall: $recall%  precision: $precision%  incomplete scans: $broken"
if [ "$n_matched" -eq "$n_expected" ] && [ "$n_matched" -eq "$n_reported" ] &&
    [ "$broken" -eq 0 ]; then
    echo "PASS"
    exit 0
fi
echo "FAIL: recall and precision must both be 100% with every scan complete"
exit 1
