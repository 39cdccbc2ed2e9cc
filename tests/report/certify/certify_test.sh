#!/usr/bin/env bash
# certify_test.sh MODE MODCERT SAMPLES_DIR MODULES_DIR WORK_DIR [SARIF_CACHE]
#
# End-to-end tests of `modcert certify` on the bundled sample modules,
# compared structurally with sample-modules/manifest.json (ids, files, lines,
# functions, symbols, verdict, correlation; never timestamps or durations):
#   unsafe     the counter: exit 1, not certified, static findings exactly the
#              manifest's, each confirmed by a dynamic race on the same line;
#              signed, its certificate fails verify with "failing verdict"
#   safe       the atomic counter: exit 0, certified, no static or dynamic
#              finding; signed, verify passes (also with --report) and fails
#              for a tampered .so
#   binary     the counter's .so alone (no sources): no static lens, helgrind
#              instead of TSan; exit 1, the writable global confirmed by the
#              dynamic race on it
#   missing    a nonexistent module: exit 2, no report
#   interrupt  SIGINT while the stress lens runs: exit 2, report.json parses,
#              "complete": false, verdict incomplete, run.interrupted
#   crash      the stress lens process dies of SIGSEGV mid-run: exit 2,
#              report incomplete, the note names the signal
#   timeout    a lens over its --timeout: exit 2, report incomplete, the note
#              names the time limit
#   sarif      the SARIF of the unsafe and safe runs validates with Microsoft's
#              SARIF Multitool (SKIP, exit 77, when npm is unreachable)
#   schema     their report.json files match docs/report-schema.json (ajv;
#              SKIP when npm is unreachable)
# Load is bounded in requests AND seconds.
set -u
mode=$1 modcert=$2 samples=$3 modules=$4 work=$5 cache=${6:-}
here=$(cd "$(dirname "$0")" && pwd)
fail() { echo "FAIL[$mode]: $*"; exit 1; }
manifest=$samples/manifest.json

entry() { jq -c --arg n "$1" '.modules[] | select(.name == $n)' "$manifest"; }

# certify_sample NAME OUT [EXTRA ARGS...]: runs certify, prints its exit code.
certify_sample() {
    local name=$1 out=$2 e conf
    shift 2
    e=$(entry "$name")
    [ -n "$e" ] || fail "no manifest entry '$name'"
    mkdir -p "$out"
    conf=$out.conf
    jq -r .config <<<"$e" | sed "s|@SAMPLES@|$samples|g" >"$conf"
    "$modcert" certify --module "$modules/$(jq -r .so <<<"$e")" \
        --source "$samples/$(jq -r .source <<<"$e")" --config "$conf" \
        --scenario "$samples/$(jq -r .scenario <<<"$e")" --seed 4242 \
        --threads 8 --out "$out" "$@" >"$out.stdout" 2>"$out.stderr"
    echo $?
}

keys() {
    [ -s "$work/key-$mode" ] || "$modcert" keygen --out "$work/key-$mode" >/dev/null ||
        fail "keygen failed"
}

# The static findings of a report as sorted "check line function symbol"
# lines, and the manifest's expected ones in the same form.
static_sites() {
    jq -r '.findings[] | select(.lens == "static" and (.suppressed | not))
        | "\(.check) \(.line) \(.function) \(.symbol)"' "$1" | sort
}
expected_sites() {
    entry "$1" | jq -r '.expected_findings[]
        | "\(.check) \(.line) \(.function) \(.symbol // .callee)"' | sort
}

check_common() { # REPORT: schema, module identity, every lens ran
    local rep=$1 so=$2
    jq -e '.schema == "modcert-report/1"' "$rep" >/dev/null || fail "schema"
    [ "$(jq -r .module.sha256 "$rep")" = "$(sha256sum "$so" | cut -d' ' -f1)" ] ||
        fail "module.sha256 is not the .so's"
    jq -e '.run.lenses.static.ran and .run.lenses.binary.ran and .run.lenses.dynamic.ran' \
        "$rep" >/dev/null || fail "not every lens ran: $(jq -c .run.lenses "$rep")"
    jq -e '.complete == true' "$rep" >/dev/null || fail "report incomplete: $(jq -c .verdict "$rep")"
    jq -e '(.run.profiles | index("winnt")) and (.run.profiles | index("prefork"))' \
        "$rep" >/dev/null || fail "profiles $(jq -c .run.profiles "$rep"): want winnt + prefork"
    for f in report.json report.sarif report.md report.html; do
        [ -s "$(dirname "$rep")/$f" ] || fail "$f missing"
    done
}

test_unsafe() {
    local out=$work/counter rc rep src
    rm -rf "$out" "$out".* && keys
    rc=$(certify_sample counter "$out" --requests 4000 --seconds 8 --sign "$work/key-$mode")
    [ "$rc" = 1 ] || { cat "$out.stderr"; fail "exit $rc, want 1 (not certified)"; }
    rep=$out/report.json
    check_common "$rep" "$modules/mod_hitcount.so"
    jq -e '.verdict.certified == false and .verdict.status == "not-certified"
        and (.verdict.reasons | length) > 0' "$rep" >/dev/null || fail "verdict $(jq -c .verdict "$rep")"
    diff <(expected_sites counter) <(static_sites "$rep") ||
        fail "static findings differ from the manifest (< manifest, > report)"
    src=$(jq -r .source <<<"$(entry counter)")
    jq -e --arg b "$(basename "$src")" '[.findings[] | select(.lens == "static")
        | (.file | endswith("/" + $b))] | all' "$rep" >/dev/null || fail "static finding outside $src"
    # correlation: every static finding is confirmed by an in-module race on
    # the same line, and those races name the same global
    jq -e '[.findings[] | select(.lens == "static")] | all(.confirmed and (.confirmed_by | length) > 0)' \
        "$rep" >/dev/null || fail "a static finding is not confirmed: $(jq -c '[.findings[] | select(.lens=="static") | {id,confirmed,confirmed_by}]' "$rep")"
    # TSan reports a racing pair once, under either of its two accesses, so
    # a race is required at one of the seeded lines (45 read, 51 write).
    jq -e '[.findings[] | select(.lens == "dynamic" and .check == "dynamic-race"
        and (.line == 45 or .line == 51) and .symbol == "hit_count" and .in_module)
        | (.confirms | length) > 0] | any' "$rep" >/dev/null ||
        fail "no in-module dynamic race on hit_count at line 45 or 51 confirming a static finding"
    jq -e '[.findings[] | select(.lens == "binary" and .check == "binary-writable-global"
        and .symbol == "hit_count")] | length == 1' "$rep" >/dev/null || fail "binary lens: no writable global hit_count"
    jq -e '[.findings[] | select(.lens=="dynamic" and .check=="dynamic-race")] | any(.threaded_only)' \
        "$rep" >/dev/null || fail "no race classified threaded-only by the prefork twin"
    grep -q 'NOT CERTIFIED' "$out.stdout" || fail "summary lacks the verdict"
    "$modcert" verify --cert "$out/certificate.json" --module "$modules/mod_hitcount.so" \
        --pubkey "$work/key-$mode.pub" 2>"$out.verify"
    rc=$?
    [ "$rc" = 1 ] && grep -q 'failing verdict' "$out.verify" ||
        fail "verify of a not-certified module: exit $rc, $(cat "$out.verify")"
    echo "PASS: counter not certified; $(static_sites "$rep" | wc -l) static findings = manifest, all confirmed"
}

test_safe() {
    local out=$work/atomic rc rep so=$modules/mod_atomichits.so
    rm -rf "$out" "$out".* && keys
    rc=$(certify_sample atomic-counter "$out" --requests 400 --seconds 5 --sign "$work/key-$mode")
    rep=$out/report.json
    [ "$rc" = 0 ] || { cat "$out.stdout"; fail "exit $rc, want 0 (certified)"; }
    check_common "$rep" "$so"
    jq -e '.verdict.certified == true and .verdict.status == "certified"' "$rep" >/dev/null ||
        fail "verdict $(jq -c .verdict "$rep")"
    [ -z "$(static_sites "$rep")" ] || fail "static findings on a safe module: $(static_sites "$rep")"
    jq -e '[.findings[] | select(.lens == "dynamic" and .severity != "info")] | length == 0' \
        "$rep" >/dev/null || fail "dynamic findings on a safe module"
    jq -e '[.findings[] | select(.confirmed)] | length == 0' "$rep" >/dev/null ||
        fail "confirmed findings on a safe module"
    grep -q 'CERTIFIED' "$out.stdout" || fail "summary lacks the verdict"
    "$modcert" verify --cert "$out/certificate.json" --module "$so" --pubkey "$work/key-$mode.pub" \
        --report "$rep" || fail "verify of the safe module's certificate failed"
    cp "$so" "$work/tampered.so" && printf 'x' >>"$work/tampered.so"
    "$modcert" verify --cert "$out/certificate.json" --module "$work/tampered.so" \
        --pubkey "$work/key-$mode.pub" 2>"$out.verify"
    [ $? = 1 ] && grep -q 'module mismatch' "$out.verify" || fail "a tampered .so passed verify"
    echo "PASS: atomic-counter certified, signed, verified"
}

test_binary() {
    local out=$work/binary e rc rep
    rm -rf "$out" "$out".* && mkdir -p "$out"
    e=$(entry counter)
    jq -r .config <<<"$e" >"$out.conf"
    "$modcert" certify --module "$modules/mod_hitcount.so" --config "$out.conf" \
        --scenario "$samples/$(jq -r .scenario <<<"$e")" --requests 100 --seconds 5 \
        --seed 4242 --out "$out" >"$out.stdout" 2>"$out.stderr"
    rc=$?
    rep=$out/report.json
    [ "$rc" = 1 ] || { cat "$out.stderr"; fail "exit $rc, want 1"; }
    jq -e '.run.lenses.static.ran == false and .run.detectors == ["helgrind"]
        and .complete == true' "$rep" >/dev/null ||
        fail "lenses $(jq -c '{s: .run.lenses.static, d: .run.detectors}' "$rep")"
    jq -e '[.findings[] | select(.lens == "binary" and .check == "binary-writable-global"
        and .symbol == "hit_count")] | (length == 1 and all(.confirmed))' "$rep" >/dev/null ||
        fail "binary finding on hit_count not confirmed: $(jq -c '[.findings[] | {id, check, symbol, confirmed}]' "$rep")"
    echo "PASS: binary-only counter: helgrind race confirms the writable global"
}

test_missing() {
    local out=$work/missing rc
    rm -rf "$out" "$out".*
    "$modcert" certify --module "$work/no-such-module.so" --out "$out" >"$out.stdout" 2>"$out.stderr"
    rc=$?
    [ "$rc" = 2 ] || fail "nonexistent module: exit $rc, want 2"
    grep -q 'no-such-module.so' "$out.stderr" || fail "the error does not name the module"
    "$modcert" certify --module "$modules/mod_hitcount.so" >/dev/null 2>&1
    [ $? = 2 ] || fail "missing --out: want exit 2"
    echo "PASS: bad input exits 2 naming it"
}

# A report cut short: complete false, status incomplete, and the note.
check_incomplete() {
    local rep=$1
    [ -s "$rep" ] || fail "no report.json after a cut-short run"
    jq -e '.complete == false and .verdict.status == "incomplete" and .verdict.certified == false' \
        "$rep" >/dev/null || fail "cut-short report: $(jq -c '{complete, verdict}' "$rep")"
    jq -e '.schema == "modcert-report/1"' "$rep" >/dev/null || fail "schema"
}

test_interrupt() {
    local out=$work/interrupt e conf pid rc i
    rm -rf "$out" "$out".* && mkdir -p "$out"
    e=$(entry counter)
    conf=$out.conf
    jq -r .config <<<"$e" >"$conf"
    "$modcert" certify --module "$modules/mod_hitcount.so" \
        --source "$samples/$(jq -r .source <<<"$e")" --config "$conf" \
        --scenario "$samples/$(jq -r .scenario <<<"$e")" \
        --requests 100000000 --seconds 60 --out "$out" >"$out.stdout" 2>"$out.stderr" &
    pid=$!
    trap 'kill -KILL $pid 2>/dev/null' EXIT
    for i in $(seq 1 300); do # until the stress lens has been running 2 s
        grep -q 'dynamic lens: modcert stress started' "$out.stderr" && break
        sleep 0.1
    done
    grep -q 'dynamic lens: modcert stress started' "$out.stderr" || fail "stress never started"
    sleep 2
    kill -INT $pid
    wait $pid
    rc=$?
    trap - EXIT
    [ "$rc" = 2 ] || fail "interrupted run: exit $rc, want 2"
    check_incomplete "$out/report.json"
    jq -e '.run.interrupted == true' "$out/report.json" >/dev/null || fail "run.interrupted is not true"
    jq -e '.run.lenses.dynamic.ran == true and .run.lenses.dynamic.complete == false' \
        "$out/report.json" >/dev/null || fail "dynamic lens: $(jq -c .run.lenses.dynamic "$out/report.json")"
    ! pgrep -f "$out/lenses" >/dev/null || fail "a lens process outlived certify"
    echo "PASS: SIGINT during stress leaves an incomplete report and exit 2"
}

test_crash() {
    local out=$work/crash e pid lens rc i
    rm -rf "$out" "$out".* && mkdir -p "$out"
    e=$(entry counter)
    jq -r .config <<<"$e" >"$out.conf"
    "$modcert" certify --module "$modules/mod_hitcount.so" \
        --source "$samples/$(jq -r .source <<<"$e")" --config "$out.conf" \
        --scenario "$samples/$(jq -r .scenario <<<"$e")" \
        --requests 100000000 --seconds 60 --out "$out" >"$out.stdout" 2>"$out.stderr" &
    pid=$!
    trap 'kill -KILL $pid 2>/dev/null' EXIT
    lens=
    for i in $(seq 1 300); do # the stress lens: certify's child running stress
        lens=$(pgrep -P $pid -f ' stress ' | head -1)
        [ -n "$lens" ] && break
        sleep 0.1
    done
    [ -n "$lens" ] || fail "stress lens never started"
    sleep 1
    kill -SEGV "$lens"
    wait $pid
    rc=$?
    trap - EXIT
    [ "$rc" = 2 ] || fail "crashed lens: exit $rc, want 2"
    check_incomplete "$out/report.json"
    jq -e '.run.lenses.dynamic.note | test("signal 11")' "$out/report.json" >/dev/null ||
        fail "the note does not name the crash: $(jq -c .run.lenses.dynamic "$out/report.json")"
    jq -e '.run.interrupted == false' "$out/report.json" >/dev/null || fail "crash reported as interrupt"
    echo "PASS: a crashing lens leaves an incomplete report and exit 2"
}

test_timeout() {
    local out=$work/timeout rc
    rm -rf "$out" "$out".*
    rc=$(certify_sample counter "$out" --requests 100000000 --seconds 60 --timeout 4)
    [ "$rc" = 2 ] || fail "lens over its time limit: exit $rc, want 2"
    check_incomplete "$out/report.json"
    jq -e '.run.lenses.dynamic.note | test("time limit")' "$out/report.json" >/dev/null ||
        fail "the dynamic lens's note does not say why: $(jq -c .run.lenses.dynamic "$out/report.json")"
    echo "PASS: a lens over its time limit is killed; incomplete report, exit 2"
}

test_sarif() {
    local tool n e
    tool=$("$here/../setup-sarif.sh" "$cache") || { echo "SKIP: no sarif-multitool"; exit 77; }
    for d in counter atomic; do
        [ -s "$work/$d/report.sarif" ] || fail "$work/$d/report.sarif missing (run the unsafe/safe tests first)"
    done
    rm -f "$work/sarif.out"
    "$tool" validate "$work/counter/report.sarif" "$work/atomic/report.sarif" \
        -o "$work/sarif.out" >"$work/sarif.log" 2>&1
    grep -q '2 files scanned' "$work/sarif.log" || { cat "$work/sarif.log"; fail "multitool did not scan both files"; }
    e=$(jq '[.runs[].results[]? | select(.level == "error")] | length' "$work/sarif.out")
    [ "$e" = 0 ] || { jq -c '.runs[].results[]? | select(.level == "error") | .message' "$work/sarif.out"; fail "$e error-level result(s)"; }
    n=$(jq '[.runs[].results[]] | length' "$work/counter/report.sarif")
    [ "$n" -ge 7 ] || fail "counter SARIF has $n results"
    echo "PASS: certify's SARIF ($n results for the counter) validates clean"
}

test_schema() {
    local schema=$samples/../docs/report-schema.json
    "$here/../setup-npm.sh" "$cache" ajv@8 node_modules/ajv/dist/2020.js >/dev/null ||
        { echo "SKIP: no ajv"; exit 77; }
    for d in counter atomic; do
        [ -s "$work/$d/report.json" ] || fail "$work/$d/report.json missing (run the unsafe/safe tests first)"
    done
    NODE_PATH=$cache/node_modules node - "$schema" "$work/counter/report.json" \
        "$work/atomic/report.json" <<'JS' || fail "a certify report does not match the schema"
const fs = require("fs");
const Ajv = require("ajv/dist/2020");
const validate = new Ajv({allErrors: true, strict: false})
    .compile(JSON.parse(fs.readFileSync(process.argv[2], "utf8")));
for (const f of process.argv.slice(3)) {
    if (!validate(JSON.parse(fs.readFileSync(f, "utf8")))) {
        console.log(f + ": " + JSON.stringify(validate.errors, null, 1).slice(0, 3000));
        process.exit(1);
    }
}
JS
    echo "PASS: certify's report.json files match docs/report-schema.json"
}

mkdir -p "$work" || exit 1
case $mode in
unsafe | safe | binary | missing | interrupt | crash | timeout | sarif | schema) "test_$mode" ;;
*) echo "usage: $0 unsafe|safe|binary|missing|interrupt|crash|timeout|sarif|schema MODCERT SAMPLES MODULES WORK [CACHE]"; exit 2 ;;
esac
