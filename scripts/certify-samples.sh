#!/usr/bin/env bash
# certify-samples.sh — the main job: `modcert certify` on every bundled
# sample module (sample-modules/manifest.json), each into reports/<name>/
# (report.json/.sarif/.md/.html, the lens outputs under lenses/), with
# bounded load so the whole run takes a few minutes. Then a table:
#
#   module group verdict static binary dynamic confirmed manifest exit seconds
#
# (findings per lens, static/binary findings confirmed at run time, whether
# the static findings are exactly the manifest's expected sites)
# and a self-check: exit 1 if any unsafe module was certified, any safe
# module was not (that is what the tool promises) or a run left no report;
# 2 if the build failed; 0 otherwise.
#
#   scripts/certify-samples.sh [--requests N] [--seconds S] [NAME...]
#   BUILD_DIR=build-x REPORTS_DIR=/tmp/r scripts/certify-samples.sh
# NAMEs select manifest entries (default: all).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
root=$PWD
build=${BUILD_DIR:-build}
reports=${REPORTS_DIR:-$root/reports}
requests=400 seconds=4
names=()
while [ $# -gt 0 ]; do
    case $1 in
    --requests) requests=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    -h | --help) sed -n '2,17p' "$0"; exit 0 ;;
    *) names+=("$1"); shift ;;
    esac
done

manifest=sample-modules/manifest.json
mapfile -t targets < <(jq -r '.modules[].so | sub("\\.so$"; "") | (., . + ".tsan")' "$manifest")
echo "== building modcert and the sample modules in $build/"
cmake --build "$build" --target modcert modcert-stub modcert-stub-tsan "${targets[@]}" >/dev/null || {
    echo "certify-samples: build failed (run: cmake --build $build)" >&2
    exit 2
}
modcert=$root/$build/bin/modcert
mkdir -p "$reports"

selected() {
    [ ${#names[@]} -eq 0 ] && return 0
    local n
    for n in "${names[@]}"; do [ "$n" = "$1" ] && return 0; done
    return 1
}

# certify_one NAME: one module into $reports/NAME; prints its table row.
certify_one() {
    local name=$1 entry out conf rc t0 t1
    entry=$(jq -c --arg n "$name" '.modules[] | select(.name == $n)' "$manifest")
    out=$reports/$name
    mkdir -p "$out"
    conf=$out/config.conf
    jq -r '.config' <<<"$entry" | sed "s|@SAMPLES@|$root/sample-modules|g" >"$conf"
    t0=$(date +%s.%N)
    "$modcert" certify --module "$build/modules/$(jq -r .so <<<"$entry")" \
        --source "sample-modules/$(jq -r .source <<<"$entry")" \
        --config "$conf" --scenario "sample-modules/$(jq -r .scenario <<<"$entry")" \
        --requests "$requests" --seconds "$seconds" --threads 8 --seed 20261126 \
        --out "$out" >"$out/certify.out" 2>"$out/certify.log"
    rc=$?
    t1=$(date +%s.%N)
    row "$name" "$(jq -r .group <<<"$entry")" "$rc" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" "$out/report.json" "$entry"
}

# row NAME GROUP RC SECONDS REPORT ENTRY: one table line, and the self-check.
row() {
    local name=$1 group=$2 rc=$3 secs=$4 rep=$5 entry=$6 verdict counts check=ok
    if [ -s "$rep" ]; then
        verdict=$(jq -r '.verdict.status' "$rep")
        counts=$(jq -r '[([.findings[] | select(.lens=="static" and (.suppressed|not))] | length),
            ([.findings[] | select(.lens=="binary" and (.suppressed|not))] | length),
            ([.findings[] | select(.lens=="dynamic" and (.suppressed|not))] | length),
            ([.findings[] | select(.confirmed and .lens!="dynamic")] | length)] | @tsv' "$rep")
        # the static findings against the manifest's expected sites
        if diff <(jq -r '.expected_findings[] | "\(.check) \(.line) \(.symbol // .callee)"' \
            <<<"$entry" | sort) <(jq -r '.findings[] | select(.lens == "static")
            | "\(.check) \(.line) \(.symbol)"' "$rep" | sort) >/dev/null; then
            counts+=$'\tyes'
        else
            counts+=$'\tNO'
        fi
    else
        verdict=no-report counts=$'-\t-\t-\t-\t-'
    fi
    if [ "$verdict" = no-report ]; then
        check="FAIL: no report (see $(dirname "$rep")/certify.log)"
    elif [ "$group" = unsafe ] && [ "$rc" = 0 ]; then
        check="FAIL: unsafe module certified"
    elif [ "$group" = safe ] && [ "$rc" != 0 ]; then
        check="FAIL: safe module not certified"
    elif [ "$rc" = 2 ]; then
        check="ok (incomplete run)"
    fi
    printf '%-16s %-6s %-14s %s\t%s\t%.1f\t%s\n' "$name" "$group" "$verdict" \
        "$counts" "$rc" "$secs" "$check"
}

start=$(date +%s)
mapfile -t all < <(jq -r '.modules[].name' "$manifest")
table=$reports/summary.tsv
: >"$table"
echo "== certifying sample modules ($requests requests / ${seconds}s per run, winnt + prefork) into $reports/"
printf '%-16s %-6s %-14s %s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' module group verdict static binary \
    dynamic confirmed manifest exit seconds check | tee -a "$table"
for name in "${all[@]}"; do
    selected "$name" || continue
    certify_one "$name" | tee -a "$table"
done
elapsed=$(($(date +%s) - start))
bad=$(grep -c 'FAIL:' "$table")
n=$(($(wc -l <"$table") - 1))
echo "== $n module(s) certified in ${elapsed}s; reports in $reports/<name>/report.{json,sarif,md,html}"
# Every report.sarif through Microsoft's SARIF Multitool (npm; the test
# setup's cache), when it can be installed: error-level results fail.
sarif_check() {
    local tool files e
    tool=$(tests/report/setup-sarif.sh "$root/$build/sarif-cache" 2>/dev/null) || {
        echo "== note: sarif-multitool unavailable (npm unreachable): SARIF not validated"
        return 0
    }
    files=()
    for name in "${all[@]}"; do
        selected "$name" && [ -s "$reports/$name/report.sarif" ] && files+=("$reports/$name/report.sarif")
    done
    [ ${#files[@]} -gt 0 ] || return 0
    rm -f "$reports/sarif-validation.json"
    "$tool" validate "${files[@]}" -o "$reports/sarif-validation.json" >"$reports/sarif-validation.log" 2>&1
    e=$(jq '[.runs[].results[]? | select(.level == "error")] | length' "$reports/sarif-validation.json" 2>/dev/null)
    if [ "${e:-x}" = 0 ]; then
        echo "== SARIF: ${#files[@]} report.sarif file(s) validate with sarif-multitool, no error-level result"
    else
        echo "== SARIF: sarif-multitool found ${e:-?} error-level result(s) (see $reports/sarif-validation.json)"
        bad=$((bad + 1))
    fi
}
sarif_check

if [ "$bad" -gt 0 ]; then
    echo "== SELF-CHECK FAILED: $bad problem(s): wrong verdicts or invalid SARIF (see $reports/<name>/certify.out)"
    exit 1
fi
echo "== self-check passed: every unsafe module rejected, every safe module certified"
exit 0
