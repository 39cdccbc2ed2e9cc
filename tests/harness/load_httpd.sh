#!/usr/bin/env bash
# harness_load_httpd: `modcert load` against the REAL httpd (private config,
# free loopback port, stopped by pid): a static file over keep-alive with
# reconnects every 5 requests (MaxKeepAliveRequests), HEAD, 404 and POST,
# setup/final phases all pass (exit 0); the same run with a
# wrong body expectation fails exactly the affected requests (exit 1).
# (Relations are covered by test_load against tiny_httpd: a static file
# has no values to relate.)
#   load_httpd.sh MODCERT_BIN WORK_DIR
# No `set -e`: the EXIT trap of tests/lib/server.sh must run undisturbed.
set -uo pipefail
MODCERT=$1
WORK=$2
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/httpd.sh
. "$here/../lib/httpd.sh"

fail() { echo "FAIL: $*" >&2; exit 1; }
jget() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."): d = d.get(k, 0) if isinstance(d, dict) else 0
print(json.dumps(d))' "$1" "$2"; }

dir=$WORK/load_httpd
rm -rf "$dir"
mkdir -p "$dir" || fail "cannot create $dir"
cat >"$dir/snippet.conf" <<'CONF'
TypesConfig /dev/null
AddType text/plain .txt
MaxKeepAliveRequests 5
CONF
export MC_HTTPD_THREADS=16 # 8 client connections; a small server starts fast
mc_httpd_conf "$dir" mime_module "$APACHE2_MODULES_DIR/mod_mime.so" \
    "$dir/snippet.conf" || fail "mc_httpd_conf"
printf 'hello from modcert\n' >"$dir/htdocs/index.txt"
chmod -R a+rX "$dir"
mc_httpd_start load_httpd "$dir" || fail "httpd did not start"

write_scenario() { # FILE EXPECTED_BODY
    cat >"$1" <<JSON
{"name": "httpd-static",
 "setup": [{"id": "first", "path": "/index.txt",
            "expect": {"status": 200, "body": "hello from modcert\n"}}],
 "load": [
  {"id": "get", "path": "/index.txt?t={token}", "weight": 4,
   "expect": {"status": 200, "body": "$2",
              "headers": {"Content-Type": "re:^text/plain",
                          "content-length": "19", "X-Powered-By": null}},
   "capture": {"who": "from ([a-z]+)"}},
  {"id": "head", "method": "HEAD", "path": "/index.txt",
   "expect": {"status": 200, "headers": {"Content-Length": "19"}}},
  {"id": "missing", "path": "/nope-{seq}", "expect": {"status": 404,
   "body": "re:<title>404 Not Found</title>"}},
  {"id": "post", "method": "POST", "path": "/index.txt",
   "headers": {"Content-Type": "text/plain"}, "body": "t={token}",
   "expect": {"status": 200}}],
 "final": [{"id": "last", "path": "/index.txt",
            "capture": {"who": "from ([a-z]+)"}}]}
JSON
}
write_scenario "$dir/good.json" 'hello from modcert\n'

rc=0
"$MODCERT" load --url "http://127.0.0.1:$MC_PORT" --scenario "$dir/good.json" \
    -n 600 -d 30 -c 8 --seed 7 --json "$dir/good.out.json" >"$dir/good.txt" || rc=$?
cat "$dir/good.txt"
[ "$rc" = 0 ] || fail "good run exited $rc"
[ "$(jget "$dir/good.out.json" requests)" = 600 ] || fail "requests != 600"
[ "$(jget "$dir/good.out.json" failed)" = 0 ] || fail "failures in the good run"
[ "$(jget "$dir/good.out.json" setup_requests)" = 1 ] || fail "setup not run"
[ "$(jget "$dir/good.out.json" final_requests)" = 1 ] || fail "final not run"
s200=$(jget "$dir/good.out.json" status.200)
s404=$(jget "$dir/good.out.json" status.404)
[ $((s200 + s404)) = 600 ] || fail "status counts $s200 + $s404 != 600"
[ "$s404" -gt 0 ] || fail "no 404 in the mix"

write_scenario "$dir/wrong.json" 'hello from WRONG\n'
rc=0
"$MODCERT" load --url "http://127.0.0.1:$MC_PORT" --scenario "$dir/wrong.json" \
    -n 300 -d 30 -c 8 --seed 7 --json "$dir/wrong.out.json" >"$dir/wrong.txt" || rc=$?
cat "$dir/wrong.txt"
[ "$rc" = 1 ] || fail "wrong run exited $rc, expected 1"
failed=$(jget "$dir/wrong.out.json" failed)
body=$(jget "$dir/wrong.out.json" failed_by_check.body)
[ "$failed" -gt 0 ] && [ "$failed" = "$body" ] || fail "failed=$failed body=$body"
python3 - "$dir/wrong.out.json" <<'PY' || fail "failure records"
import json, sys
d = json.load(open(sys.argv[1]))
for f in d["failures"]:
    assert f["request"] == "get" and f["check"] == "body", f
    assert f["expected"] == "hello from WRONG\\n" and f["got"] == "hello from modcert\\n", f
PY
mc_server_stop "$MC_PID"
echo "PASS: modcert load against httpd"
exit 0
