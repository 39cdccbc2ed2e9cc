#!/usr/bin/env bash
# api_tsan.sh — the httpd API of modcert-stub under ThreadSanitizer, in the
# real host: mod_apiprobe (TSan-instrumented) served by modcert-stub-tsan
# with 8 threads while 4 clients send 10 requests each (every request runs
# ~400 API calls, logs, regexes, expressions). Passes when every request
# succeeds and TSan reports nothing.
#
#   api_tsan.sh STUB_TSAN MOD_APIPROBE_TSAN_SO WORKDIR
#
# Loopback only, free port, private directory, server stopped by pid.
set -u
stub=$1 so=$2 work=$3
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../../lib/server.sh
. "$here/../../lib/server.sh"

fail()
{
    echo "api_tsan: $*" >&2
    exit 1
}

[ -x "$stub" ] || fail "modcert-stub-tsan not found at '$stub' (not built?)"
[ -f "$so" ] || fail "mod_apiprobe.tsan.so not found at '$so' (not built?)"
rm -rf "$work"
mkdir -p "$work/htdocs" || fail "cannot create $work"
{
    echo "ServerRoot \"$work\""
    echo "ServerName 127.0.0.1"
    echo "DocumentRoot \"$work/htdocs\""
    echo "ErrorLog \"$work/error.log\""
    echo "LogLevel warn"
    echo "LoadModule apiprobe_module $(readlink -f "$so")"
    printf '<Location /probe>\n    SetHandler apiprobe\n</Location>\n'
} >"$work/httpd.conf"

export TSAN_OPTIONS="halt_on_error=0 exitcode=66 report_signal_unsafe=0 log_path=$work/tsan"
MC_SERVER_READY_SECS=60 mc_server_start stub "$work/stub.out" "$stub" \
    -f "$work/httpd.conf" -p winnt --threads 8 \
    -c "Listen 127.0.0.1:@PORT@" || fail "modcert-stub-tsan did not start"
port=$MC_PORT
# one request alone first: libc initialises some state lazily on first use
# (zone data, locale tables) under locks TSan cannot see
curl -s --max-time 60 -o /dev/null "http://127.0.0.1:$port/probe?light" ||
    fail "warm-up request failed"
for c in 1 2 3 4; do
    for i in $(seq 1 10); do
        curl -s --max-time 60 -o /dev/null -w '%{http_code}\n' \
            "http://127.0.0.1:$port/probe?light"
    done >"$work/client$c.txt" &
done
wait_clients()
{
    local j
    for j in $(jobs -p); do
        [ "$j" = "$MC_PID" ] || wait "$j"
    done
}
wait_clients
MC_SERVER_STOP_SECS=30 mc_server_stop "$MC_PID"
ok=$(cat "$work"/client*.txt | grep -c '^200$')
[ "$ok" = 40 ] || fail "only $ok of 40 requests answered 200 (see $work)"
if grep -l "ThreadSanitizer" "$work"/tsan* "$work/stub.out" 2>/dev/null; then
    grep -h -A30 "WARNING: ThreadSanitizer" "$work"/tsan* "$work/stub.out" \
        2>/dev/null | head -60
    fail "TSan reported races (above)"
fi
echo "api_tsan: 40 requests (~16,000 API calls) under TSan, no report"
