#!/usr/bin/env bash
# api_conformance.sh — the httpd API of modcert-stub against the real httpd.
#
#   api_conformance.sh STUB MOD_APIPROBE_SO WORKDIR [--forms]
#
# --forms also POSTs nine bodies through ap_parse_form_data (implemented in
# server-stub/more.c, not in api/; CTest passes it).
#
# Loads the same module binary (mod_apiprobe.so: fixed inputs through
# ~250 calls of the API in server-stub/api) into Debian's apache2 and into
# modcert-stub, fetches /probe from each and requires identical output. It
# also compares the error-log lines the module writes (levels, statuses,
# escaping, data dumps), with the time, pid, tid and client port masked.
# Both servers: loopback, free port, private directories under WORKDIR,
# stopped by pid (tests/lib/server.sh).
set -u
stub=$1 so=$2 work=$3 forms=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../../lib/httpd.sh
. "$here/../../lib/httpd.sh"
export TZ=UTC # both servers format local times the same way

fail()
{
    echo "api_conformance: $*" >&2
    exit 1
}

# ap_parse_form_data cases: limits (pairs,bytes), content type, body.
FORMS=(
    "1000,1000|application/x-www-form-urlencoded|a=1&b=2&c=x+y%20z"
    "1,1000|application/x-www-form-urlencoded|a=1&b=2"
    "1000,5|application/x-www-form-urlencoded|abc=defgh"
    "1000,1000|application/x-www-form-urlencoded|noeq&x=1"
    "1000,1000|application/x-www-form-urlencoded|a=%zz&b=%41%4"
    "1000,1000|application/x-www-form-urlencoded|a=1&&b=2&"
    "1000,1000|application/x-www-form-urlencoded; charset=UTF-8|k=v%26w&%3D=x"
    "1000,1000|text/plain|a=1"
    "1000,1000|application/x-www-form-urlencoded|"
)

fetch()
{
    local f
    curl -sS --max-time 20 -o "$2" "http://127.0.0.1:$1/probe?q=1" ||
        fail "GET /probe on port $1 failed"
    [ "$forms" = --forms ] || return 0
    for f in "${FORMS[@]}"; do
        IFS='|' read -r limits ctype body <<<"$f"
        curl -sS --max-time 20 -X POST -H "Content-Type: $ctype" \
            --data-binary "$body" "http://127.0.0.1:$1/probe?$limits" \
            >>"$2" || fail "POST /probe on port $1 failed"
    done
}

# The probe module's error-log lines without time, pid, tid, client port.
probe_log_lines()
{
    grep -F '[apiprobe:' "$1" | sed -E \
        -e 's/^\[[^]]*\] //' -e 's/\[pid [0-9]+(:tid [0-9]+)?\]/[pid]/' \
        -e 's/(client 127\.0\.0\.1):[0-9]+/\1/'
}

[ -x "$stub" ] || fail "modcert-stub not found at '$stub' (not built?)"
[ -f "$so" ] || fail "mod_apiprobe.so not found at '$so' (not built?)"
[ -x "$APACHE2_BIN" ] || fail "apache2 not found at '$APACHE2_BIN'"
rm -rf "$work"
mkdir -p "$work/httpd" "$work/stub/htdocs" || fail "cannot create $work"
# per-directory, per-module LogLevel: debug lines (with file(line)) appear
printf '%s\n' '<Location /probe>' '    SetHandler apiprobe' \
    '    LogLevel warn apiprobe:debug' '</Location>' >"$work/probe.conf"

MC_HTTPD_THREADS=4 mc_httpd_conf "$work/httpd" apiprobe_module "$so" \
    "$work/probe.conf" || fail "cannot write the httpd config"
mc_httpd_start httpd "$work/httpd" || fail "the real httpd did not start"
fetch "$MC_PORT" "$work/httpd.txt"
mc_server_stop "$MC_PID"

{
    echo "ServerRoot \"$work/stub\""
    echo "ServerName 127.0.0.1"
    echo "DocumentRoot \"$work/stub/htdocs\""
    echo "ErrorLog \"$work/stub/error.log\""
    echo "LogLevel warn"
    echo "LoadModule apiprobe_module $(readlink -f "$so")"
    cat "$work/probe.conf"
} >"$work/stub/httpd.conf"
mc_server_start stub "$work/stub/stub.out" "$stub" -f "$work/stub/httpd.conf" \
    -p worker --processes 1 --threads 4 -c "Listen 127.0.0.1:@PORT@" ||
    fail "modcert-stub did not start"
fetch "$MC_PORT" "$work/stub.txt"
mc_server_stop "$MC_PID"

lines=$(wc -l <"$work/httpd.txt")
[ "$lines" -gt 200 ] || fail "httpd gave only $lines lines: $(head -c 300 "$work/httpd.txt")"
if ! diff -u "$work/httpd.txt" "$work/stub.txt" >"$work/api.diff"; then
    echo "api_conformance: stub output differs from httpd (- httpd, + stub):"
    cat "$work/api.diff"
    exit 1
fi
probe_log_lines "$work/httpd/error.log" >"$work/httpd.log.txt"
probe_log_lines "$work/stub/error.log" >"$work/stub.log.txt"
loglines=$(wc -l <"$work/httpd.log.txt")
[ "$loglines" -ge 5 ] || fail "httpd logged only $loglines probe lines"
if ! diff -u "$work/httpd.log.txt" "$work/stub.log.txt" >"$work/log.diff"; then
    echo "api_conformance: error-log lines differ (- httpd, + stub):"
    cat "$work/log.diff"
    exit 1
fi
echo "api_conformance: $lines API results and $loglines error-log lines" \
    "match httpd"
