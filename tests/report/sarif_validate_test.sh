#!/usr/bin/env bash
# sarif_validate_test.sh MODCERT FIXTURE_DIR FIXTURE_SO_DIR WORK_DIR CACHE_DIR MODULES_DIR SAMPLES_DIR
#
# Renders SARIF for every kind of report we can make without certify
# (fixture merges: unsafe with baseline, clean, cut short; audit-only reports
# of the fixture .so files and of a few of Debian's module binaries; for every
# sample module in MODULES_DIR a report of `modcert scan` of its source in
# SAMPLES_DIR plus its audit, or the audit alone when scan is unavailable) and validates each with Microsoft's SARIF
# Multitool (`sarif-multitool validate FILE -o OUT`): any error-level result
# fails. A deliberately broken SARIF file must produce errors (the validator
# is really checking). Exit 77 (SKIP) when the multitool cannot be installed.
set -u
modcert=$1 fx=$2 sodir=$3 work=$4 cache=$5 modules=$6 samples=${7:-}
here=$(cd "$(dirname "$0")" && pwd)
tool=$("$here/setup-sarif.sh" "$cache") || {
    echo "SKIP: @microsoft/sarif-multitool could not be installed from the npm registry (see above)"
    exit 77
}
rm -rf "$work" && mkdir -p "$work" || exit 1
fail() { echo "FAIL: $*"; exit 1; }
n=0

# One SARIF from a `modcert report` merge; exit 0/1/2 are all fine here.
sarif_from() {
    local name=$1; shift
    "$modcert" report "$@" --now 2026-11-26 --format sarif -o "$work/$name.sarif"
    [ $? -le 2 ] && [ -s "$work/$name.sarif" ] || fail "could not render $name.sarif"
}

audit_sarif() {
    local name=$1 so=$2
    "$modcert" audit "$so" --format json -o "$work/$name.audit.json"
    [ $? -le 1 ] || fail "audit of $so failed"
    sarif_from "$name" --audit "$work/$name.audit.json" --module "$so"
}

sarif_from counter --scan "$fx/scan-counter.json" --audit "$fx/audit-counter.json" \
    --stress "$fx/stress-counter-winnt.json" --stress "$fx/stress-counter-prefork.json" \
    --policy "$fx/policy-baseline.json" --source-root "$fx"
sarif_from clean --scan "$fx/scan-clean.json" --stress "$fx/stress-clean.json"
sarif_from cut-short --scan "$fx/scan-clean.json" --stress "$fx/stress-cut-short.json"
audit_sarif fixture-unsafe "$sodir/mod_unsafe_fixture.so"
audit_sarif fixture-clean "$sodir/mod_clean_fixture.so"
sample_sarif() { # scan + audit of one sample module
    local m=$1 so=$2 src
    src=$(ls "$samples"/*/"$m.c" 2>/dev/null | head -1)
    "$modcert" audit "$so" --format json -o "$work/$m.audit.json" || [ $? -le 1 ] || fail "audit of $so"
    local rc=2
    if [ -n "$src" ]; then
        "$modcert" scan --format json "$src" >"$work/$m.scan.json" 2>/dev/null
        rc=$?
    fi
    if [ "$rc" -le 1 ]; then
        sarif_from "sample-$m" --scan "$work/$m.scan.json" --audit "$work/$m.audit.json" \
            --module "$so" --source "$src" --source-root "$(dirname "$samples")"
    else
        echo "note: modcert scan unavailable for $m; audit only"
        sarif_from "sample-$m" --audit "$work/$m.audit.json" --module "$so"
    fi
}
for so in "$modules"/*.so; do
    [ -e "$so" ] || continue
    case $so in *.tsan.so) continue ;; esac
    sample_sarif "$(basename "$so" .so)" "$so"
done
for m in mod_authn_yolo mod_log_sql mod_lua; do
    so=/usr/lib/apache2/modules/$m.so
    [ -e "$so" ] && audit_sarif "debian-$m" "$so"
done

errors_in() { # count error-level results in a multitool output log
    node -e '
        const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
        let e = 0;
        for (const r of d.runs || [])
            for (const x of r.results || [])
                if (x.level === "error") {
                    e++;
                    const loc = (((x.locations || [])[0] || {}).physicalLocation || {}).artifactLocation || {};
                    console.error("  " + (loc.uri || "?") + ": " + x.ruleId + ": " + JSON.stringify(x.message).slice(0, 300));
                }
        console.log(e);' "$1"
}

# validate OUT FILE... : one multitool run over all files (it starts slowly).
validate() {
    local out=$1; shift
    rm -f "$out"
    "$tool" validate "$@" -o "$out" >"$out.log" 2>&1
    grep -q "$# files scanned" "$out.log" || { cat "$out.log"; fail "multitool did not scan all $# files"; }
    [ -s "$out" ] || fail "multitool wrote no output $out"
    errors_in "$out"
}

files=("$work"/*.sarif)
n=${#files[@]}
e=$(validate "$work/validation.out" "${files[@]}") || exit 1
[ "$e" = 0 ] || fail "$e error-level result(s) from sarif-multitool validate (see above)"

# Negative control: a result without its required message is an error.
node -e '
    const fs = require("fs");
    const d = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
    delete d.runs[0].results[0].message;
    fs.writeFileSync(process.argv[2], JSON.stringify(d, null, 1));' \
    "$work/counter.sarif" "$work/broken.sarif.json"
e=$(validate "$work/broken.out" "$work/broken.sarif.json") || exit 1
[ "$e" -ge 1 ] || fail "the validator accepted a broken SARIF file"
echo "PASS: $n SARIF files validate with no error-level result (broken control: $e error(s))"
