#!/usr/bin/env bash
# cli_test.sh MODCERT FIXTURE_DIR FIXTURE_SO_DIR WORK_DIR MODULES_DIR
#
# The report/ subcommands end to end: `modcert audit` (fixtures, Debian's
# module binaries, sample modules), `modcert report` (merge exit codes
# 0/1/2, re-rendering, --out-dir, baselines), `modcert keygen`, signing and
# `modcert verify` with each failure reason on stderr.
set -u
modcert=$1 fx=$2 sodir=$3 work=$4 modules=$5
rm -rf "$work" && mkdir -p "$work" || exit 1
fail() { echo "FAIL: $*"; exit 1; }
checks=0
expect_rc() { # expect_rc WANT DESCRIPTION CMD...
    local want=$1 what=$2; shift 2
    "$@" >"$work/out.txt" 2>"$work/err.txt"
    local rc=$?
    [ "$rc" -eq "$want" ] || { cat "$work/err.txt"; fail "$what: exit $rc, want $want"; }
    checks=$((checks + 1))
}
expect_grep() { # expect_grep FILE PATTERN DESCRIPTION
    grep -q -- "$2" "$1" || { cat "$1"; fail "$3"; }
    checks=$((checks + 1))
}

# ---- audit
expect_rc 1 "audit unsafe fixture" "$modcert" audit "$sodir/mod_unsafe_fixture.so"
expect_grep "$work/out.txt" "imports strtok().*\[binary-mt-unsafe-import\]" "strtok import not reported"
expect_grep "$work/out.txt" "5 finding(s)" "unsafe fixture: want 5 findings"
expect_rc 0 "audit clean fixture" "$modcert" audit "$sodir/mod_clean_fixture.so" --format json -o "$work/clean.audit.json"
expect_grep "$work/clean.audit.json" '"findings": \[\]' "clean fixture has findings"
expect_rc 2 "audit of a missing file" "$modcert" audit "$work/nope.so"
expect_grep "$work/err.txt" "$work/nope.so" "missing module not named"
expect_rc 2 "audit usage" "$modcert" audit
printf '# custom list\ntime | use the request time (r->request_time) | site policy\n' >"$work/mt.txt"
expect_rc 1 "audit with --mt-unsafe" "$modcert" audit "$sodir/mod_clean_fixture.so" --mt-unsafe "$work/mt.txt"
expect_grep "$work/out.txt" "imports time().*listed by site policy" "custom MT-unsafe list not used"
expect_grep "$work/out.txt" "fix: use the request time (r->request_time)" "custom fix hint not used"
expect_rc 2 "audit with a missing --libraries file" "$modcert" audit "$sodir/mod_clean_fixture.so" --libraries "$work/none.txt"
expect_grep "$work/err.txt" "$work/none.txt" "missing knowledge file not named"
if [ -e /usr/lib/apache2/modules/mod_log_sql.so ]; then
    expect_rc 1 "audit Debian mod_log_sql" "$modcert" audit /usr/lib/apache2/modules/mod_log_sql.so
    expect_grep "$work/out.txt" "imports localtime()" "mod_log_sql: localtime import not reported"
    expect_grep "$work/out.txt" "module struct log_sql_module" "mod_log_sql: module struct not found"
fi
if [ -e /usr/lib/apache2/modules/mod_authn_yolo.so ]; then
    expect_rc 0 "audit Debian mod_authn_yolo" "$modcert" audit /usr/lib/apache2/modules/mod_authn_yolo.so
fi
if [ -e /usr/lib/apache2/modules/mod_lua.so ]; then
    "$modcert" audit /usr/lib/apache2/modules/mod_lua.so >"$work/lua.txt"
    expect_grep "$work/lua.txt" "imports ap_mpm_query" "mod_lua: ap_mpm_query import not seen"
    expect_grep "$work/lua.txt" "links liblua" "mod_lua: liblua caveat not reported"
fi
for so in "$modules"/*.so; do
    [ -e "$so" ] || continue
    "$modcert" audit "$so" --format json -o "$work/sample.json"
    rc=$?
    [ "$rc" -le 1 ] || fail "audit of sample module $so: exit $rc"
    expect_grep "$work/sample.json" '"schema": "modcert-audit/1"' "audit JSON of $so"
done

# ---- report: merge exit codes and renderings
merge=(--scan "$fx/scan-counter.json" --audit "$fx/audit-counter.json"
       --stress "$fx/stress-counter-winnt.json" --stress "$fx/stress-counter-prefork.json"
       --source-root "$fx" --now 2026-11-26)
expect_rc 1 "merge unsafe: not certified" "$modcert" report "${merge[@]}" -o "$work/counter.json"
expect_rc 0 "merge clean: certified" "$modcert" report --scan "$fx/scan-clean.json" --stress "$fx/stress-clean.json" -o "$work/clean.json"
expect_rc 2 "merge cut short: incomplete" "$modcert" report --scan "$fx/scan-clean.json" --stress "$fx/stress-cut-short.json" -o "$work/cut.json"
expect_grep "$work/cut.json" '"complete": false' "a cut-short run must still write a report marked incomplete"
expect_rc 2 "merge with a bad policy" "$modcert" report "${merge[@]}" --policy "$fx/policy-bad-key.json"
expect_grep "$work/err.txt" "fail_onn" "bad policy key not named"
for fmt in json sarif md html text; do
    expect_rc 0 "re-render as $fmt" "$modcert" report --in "$work/counter.json" --format "$fmt" -o "$work/r.$fmt"
    [ -s "$work/r.$fmt" ] || fail "empty $fmt rendering"
done
expect_grep "$work/r.md" "## modcert: \*\*NOT CERTIFIED\*\*" "markdown verdict line"
expect_rc 0 "out-dir" "$modcert" report --in "$work/counter.json" --out-dir "$work/dir"
for f in report.json report.sarif report.md report.html; do
    [ -s "$work/dir/$f" ] || fail "--out-dir did not write $f"
done
expect_rc 2 "re-render a non-report" "$modcert" report --in "$fx/scan-clean.json" --format md
expect_grep "$work/err.txt" "not a modcert report" "non-report input not explained"

# ---- baseline: accept today's findings, then only new ones fail
expect_rc 2 "baseline needs a reason" "$modcert" report --in "$work/counter.json" --write-baseline "$work/b.json"
expect_rc 0 "write baseline" "$modcert" report --in "$work/counter.json" --write-baseline "$work/b.json" --reason "legacy 2.x" --expires 2099-01-01
expect_rc 0 "merge with the baseline: certified" "$modcert" report "${merge[@]}" --baseline "$work/b.json" -o "$work/accepted.json"
expect_rc 1 "expired baseline stops applying" "$modcert" report "${merge[@]}" --baseline "$work/b.json" --now 2099-01-02 -o "$work/expired.json"
expect_grep "$work/expired.json" '"status": "expired"' "expired acceptance not recorded"

# ---- keygen, sign, verify
expect_rc 0 "keygen" "$modcert" keygen --out "$work/key"
[ "$(stat -c %a "$work/key")" = 600 ] || fail "secret key mode is $(stat -c %a "$work/key"), want 600"
expect_grep "$work/key.pub" "modcert ed25519 public key v1" "public key header"
expect_rc 2 "keygen refuses to overwrite" "$modcert" keygen --out "$work/key"
expect_rc 0 "second keygen" "$modcert" keygen --out "$work/other"
cp "$sodir/mod_clean_fixture.so" "$work/mod_clean.so"
expect_rc 0 "certified report" "$modcert" report --scan "$fx/scan-clean.json" --stress "$fx/stress-clean.json" --module "$work/mod_clean.so" -o "$work/good.json"
expect_rc 0 "sign" "$modcert" report --in "$work/good.json" --sign "$work/key" -o "$work/cert.json"
expect_rc 0 "verify valid" "$modcert" verify --cert "$work/cert.json" --module "$work/mod_clean.so" --pubkey "$work/key.pub"
expect_rc 0 "verify with report" "$modcert" verify --cert "$work/cert.json" --module "$work/mod_clean.so" --pubkey "$work/key.pub" --report "$work/good.json"
cp "$work/mod_clean.so" "$work/tampered.so" && printf 'x' >>"$work/tampered.so"
expect_rc 1 "tampered .so" "$modcert" verify --cert "$work/cert.json" --module "$work/tampered.so" --pubkey "$work/key.pub"
expect_grep "$work/err.txt" "module mismatch" "tampered .so: reason"
sed 's/"certified": true/"certified": false/' "$work/cert.json" >"$work/cert-tampered.json"
cmp -s "$work/cert.json" "$work/cert-tampered.json" && fail "could not tamper the certificate"
expect_rc 1 "tampered certificate" "$modcert" verify --cert "$work/cert-tampered.json" --module "$work/mod_clean.so" --pubkey "$work/key.pub"
expect_grep "$work/err.txt" "tampered certificate" "tampered certificate: reason"
expect_rc 1 "wrong key" "$modcert" verify --cert "$work/cert.json" --module "$work/mod_clean.so" --pubkey "$work/other.pub"
expect_grep "$work/err.txt" "wrong key" "wrong key: reason"
expect_rc 1 "merge failing report" "$modcert" report "${merge[@]}" --module "$work/mod_clean.so" -o "$work/bad.json"
expect_rc 0 "sign failing report" "$modcert" report --in "$work/bad.json" --sign "$work/key" -o "$work/cert-bad.json"
expect_rc 1 "failing verdict" "$modcert" verify --cert "$work/cert-bad.json" --module "$work/mod_clean.so" --pubkey "$work/key.pub"
expect_grep "$work/err.txt" "failing verdict" "failing verdict: reason"
echo '{"schema": "modcert-certificate/1"}' >"$work/cert-malformed.json"
expect_rc 1 "malformed certificate" "$modcert" verify --cert "$work/cert-malformed.json" --module "$work/mod_clean.so" --pubkey "$work/key.pub"
expect_grep "$work/err.txt" "missing" "malformed certificate: reason"
expect_rc 1 "report mismatch" "$modcert" verify --cert "$work/cert.json" --module "$work/mod_clean.so" --pubkey "$work/key.pub" --report "$work/bad.json"
expect_grep "$work/err.txt" "report mismatch" "report mismatch: reason"
expect_rc 2 "verify usage" "$modcert" verify --cert "$work/cert.json"
echo "PASS: $checks checks"
