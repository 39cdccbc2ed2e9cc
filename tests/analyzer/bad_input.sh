#!/usr/bin/env bash
# bad_input.sh MODCERT WORKDIR
#
# `modcert scan` on bad inputs: a file that does not exist, a source with a
# syntax error, a source with a missing header, a broken
# compile_commands.json, a build directory without one. Each case must exit
# 2 (never crash), name the bad input on stderr and in the JSON "errors",
# say "complete": false, and still analyse every good file given with it
# (its known finding must be present). Last, an implicit function
# declaration is not a bad input: it is analysed completely.
set -uo pipefail

die() { echo "bad_input: $*" >&2; exit 2; }
[ $# -eq 2 ] || die "usage: bad_input.sh MODCERT WORKDIR"
modcert=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
work=$2
command -v jq >/dev/null || die "jq not found (scripts/install-deps.sh installs it)"
rm -rf "$work" && mkdir -p "$work" || die "cannot create $work"
cd "$work" || die "cannot enter $work"

# A good module with one known finding, on line GOOD_LINE.
cat >good.c <<'EOF'
#include "httpd.h"
#include "http_config.h"
#include "http_protocol.h"

static long good_hits;

static int good_handler(request_rec *r)
{
    good_hits++;
    return DECLINED;
}

static void good_register_hooks(apr_pool_t *p)
{
    ap_hook_handler(good_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA good_module = {
    STANDARD20_MODULE_STUFF, NULL, NULL, NULL, NULL, NULL, good_register_hooks
};
EOF
GOOD_LINE=9

cat >syntax_error.c <<'EOF'
#include "httpd.h"
#include "http_config.h"

static int broken_handler(request_rec *r)
{
    int x = ;
    return DECLINED
}
EOF

cat >missing_header.c <<'EOF'
#include "httpd.h"
#include "modcert_no_such_header.h"

static int mh_handler(request_rec *r)
{
    return DECLINED;
}
EOF

echo '[ { "directory": "/tmp", "file": "x.c", "command": ' >broken_db.json

mkdir -p db_mixed empty_build
inc="-I/usr/include/apache2 -I/usr/include/apr-1.0 -DLINUX -D_REENTRANT -D_GNU_SOURCE"
cat >db_mixed/compile_commands.json <<EOF
[
  {"directory": "$work", "file": "$work/good.c",
   "command": "clang-19 $inc -c $work/good.c -o good.o"},
  {"directory": "$work", "file": "$work/syntax_error.c",
   "command": "clang-19 $inc -c $work/syntax_error.c -o syntax_error.o"},
  {"directory": "$work", "file": "$work/gone.c",
   "command": "clang-19 $inc -c $work/gone.c -o gone.o"}
]
EOF

failures=0
fail() { echo "  FAIL: $*"; failures=$((failures + 1)); }

# run NAME WANT_GOOD BAD_NAME... -- SCAN_ARGS...
run() {
    local name=$1 want_good=$2
    shift 2
    local bad=()
    while [ "$1" != "--" ]; do bad+=("$1"); shift; done
    shift
    echo "== $name: modcert scan --format json $*"
    timeout 120 "$modcert" scan --format json "$@" >"$name.out" 2>"$name.err"
    local rc=$?
    [ "$rc" = 2 ] || fail "exit $rc, expected 2 (>128 means a crash)"
    if ! jq -se 'length == 1 and (.[0].findings | type == "array")' \
        "$name.out" >/dev/null 2>&1; then
        fail "stdout is not a JSON object with a findings array"
        echo "--- stdout"; head -c 2000 "$name.out"
        echo "--- stderr"; head -c 2000 "$name.err"
        return
    fi
    [ "$(jq -r .complete "$name.out")" = false ] ||
        fail "\"complete\" is not false"
    local b
    for b in "${bad[@]}"; do
        grep -qF "$b" "$name.err" || fail "stderr does not name '$b'"
        jq -e --arg b "$b" '[.errors[]? | tostring | contains($b)] | any' \
            "$name.out" >/dev/null || fail "JSON errors do not name '$b'"
    done
    if [ "$want_good" = yes ]; then
        jq -e --argjson l "$GOOD_LINE" '[.findings[] | select(
                (.file | endswith("good.c")) and .line == $l and
                .check == "global-race")] | length == 1' "$name.out" \
            >/dev/null ||
            fail "the good file was not analysed: no global-race at good.c:$GOOD_LINE"
    fi
    echo "--- stderr (first lines)"; head -n 5 "$name.err"
}

run missing_file yes does_not_exist.c -- good.c does_not_exist.c
run syntax_error yes syntax_error.c -- syntax_error.c good.c
run missing_header yes missing_header.c modcert_no_such_header.h -- \
    good.c missing_header.c
run broken_db no broken_db.json -- --compile-commands broken_db.json
run no_db_in_dir no empty_build -- -p empty_build
run db_mixed yes syntax_error.c gone.c -- -p db_mixed

# The text format names the bad file too and still prints the good finding.
echo "== text format"
timeout 120 "$modcert" scan good.c does_not_exist.c >text.out 2>text.err
rc=$?
[ "$rc" = 2 ] || fail "text: exit $rc, expected 2"
grep -qF does_not_exist.c text.err || fail "text: stderr does not name does_not_exist.c"
# (no `cat | grep -q` here: under pipefail, grep's early exit can fail cat)
grep -qE "good\.c:$GOOD_LINE:[0-9]+: warning: .*\[global-race\]" \
    text.out text.err ||
    { fail "text: no 'good.c:$GOOD_LINE:COL: warning: ... [global-race]' line"
      echo "-- text.out"; cat text.out; echo "-- text.err"; cat text.err; }

# Not bad: an older module that calls a hook registrar whose header it
# never includes (an implicit declaration: clang makes that an error by
# default, apxs' gcc only warns) is analysed completely, like any warning.
cat >implicit_decl.c <<'EOF'
#include "httpd.h"
#include "http_config.h"

static long old_hits;

static int old_fixups(request_rec *r)
{
    old_hits++;
    return DECLINED;
}

static void old_register_hooks(apr_pool_t *p)
{
    ap_hook_fixups(old_fixups, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA old_module = {
    STANDARD20_MODULE_STUFF, NULL, NULL, NULL, NULL, NULL, old_register_hooks
};
EOF
echo "== implicit declaration: a warning, not an error"
timeout 120 "$modcert" scan --format json implicit_decl.c >implicit.out 2>implicit.err
rc=$?
[ "$rc" = 1 ] || fail "implicit: exit $rc, expected 1 (analysed, one finding)"
jq -e '.complete == true and ([.findings[] | select(.check == "global-race"
        and .line == 8 and .root == "fixups")] | length == 1)' implicit.out \
    >/dev/null || fail "implicit: no complete scan with global-race at line 8 from fixups"
head -n 3 implicit.err

if [ "$failures" -gt 0 ]; then
    echo "FAIL: $failures check(s) failed"
    exit 1
fi
echo "PASS: all bad inputs reported, exit 2, good file analysed"
