#!/usr/bin/env bash
# bench/stub/run.sh — modcert-stub (winnt, 64 threads) against the real httpd
# (worker MPM, 1 process x 64 threads), same trivial handler module
# (tests/stub/modules/mod_stubbench.c), same wrk load (wrk -t2 -c64 -d10s),
# interleaved rounds (stub, httpd, stub, httpd, ...). Prints the median req/s
# and p99 latency of each server and the ratio stub/httpd. A benchmark, never
# a test: numbers depend on the machine's load (see FIELD-NOTES: compare in
# the same run, as ratios).
#
# Usage: bench/stub/run.sh [BUILD_DIR] [ROUNDS]   (defaults: build, 3)
# Env:   MC_BENCH_DURATION (default 10s), MC_BENCH_CONNS (64), MC_BENCH_THREADS (64),
#        MC_BENCH_CLOSE=1: every request on a new connection ("Connection:
#        close"), which exercises accept and winnt's first read instead of
#        keep-alive.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
rounds=${2:-3}
dur=${MC_BENCH_DURATION:-10s}
conns=${MC_BENCH_CONNS:-64}
hdr=()
[ "${MC_BENCH_CLOSE:-0}" = 1 ] && hdr=(-H "Connection: close")
threads=${MC_BENCH_THREADS:-64}
stub="$build/bin/modcert-stub"
so="$build/tests/stub/modules/mod_stubbench.so"
for f in "$stub" "$so"; do
    [ -e "$f" ] || { echo "run.sh: $f missing (build the tree first)" >&2; exit 2; }
done
command -v wrk >/dev/null || { echo "run.sh: wrk not installed" >&2; exit 2; }

# shellcheck source=../../tests/lib/httpd.sh
. "$root/tests/lib/httpd.sh"
work="$build/bench-stub"
rm -rf "$work"
mkdir -p "$work/stub/htdocs" "$work/httpd"
printf '<Location /hello>\n    SetHandler stubbench\n</Location>\n' >"$work/snippet.conf"

# The real httpd: worker MPM, 1 x $threads (tests/lib/httpd.sh).
MC_HTTPD_THREADS=$threads mc_httpd_conf "$work/httpd" stubbench_module "$so" \
    "$work/snippet.conf"
mc_httpd_start httpd "$work/httpd" >/dev/null || exit 1
httpd_port=$MC_PORT

# The stub: winnt, $threads threads, same keep-alive settings as httpd's.
cat >"$work/stub/httpd.conf" <<CONF
ServerRoot "$work/stub"
ServerName 127.0.0.1
ErrorLog "$work/stub/error.log"
LogLevel warn
DocumentRoot "$work/stub/htdocs"
Timeout 20
KeepAlive On
MaxKeepAliveRequests 0
KeepAliveTimeout 5
ThreadsPerChild $threads
LoadModule stubbench_module $so
$(cat "$work/snippet.conf")
CONF
mc_server_start stub "$work/stub/stdout.log" "$stub" -f "$work/stub/httpd.conf" \
    -p winnt -c "Listen 127.0.0.1:@PORT@" >/dev/null || exit 1
stub_port=$MC_PORT

# wrk output -> "req_per_sec p99_ms"
measure()
{
    wrk -t2 -c"$conns" -d"$dur" "${hdr[@]}" --latency \
        "http://127.0.0.1:$1/hello" |
        awk '/Requests\/sec:/ {rps=$2}
             /^ +99%/ {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000}
                       else if (v ~ /ms$/) {sub(/ms$/,"",v)}
                       else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}
                       p99=v}
             END {printf "%.0f %.3f\n", rps, p99}'
}

median()
{
    sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'
}

# warm both up briefly
wrk -t2 -c"$conns" -d1s "http://127.0.0.1:$stub_port/hello" >/dev/null
wrk -t2 -c"$conns" -d1s "http://127.0.0.1:$httpd_port/hello" >/dev/null

: >"$work/stub.txt"
: >"$work/httpd.txt"
for i in $(seq 1 "$rounds"); do
    s=$(measure "$stub_port")
    h=$(measure "$httpd_port")
    echo "round $i: stub ${s% *} req/s p99 ${s#* } ms | httpd ${h% *} req/s p99 ${h#* } ms"
    echo "$s" >>"$work/stub.txt"
    echo "$h" >>"$work/httpd.txt"
done
mc_server_stop_all

s_rps=$(cut -d' ' -f1 "$work/stub.txt" | median)
s_p99=$(cut -d' ' -f2 "$work/stub.txt" | median)
h_rps=$(cut -d' ' -f1 "$work/httpd.txt" | median)
h_p99=$(cut -d' ' -f2 "$work/httpd.txt" | median)
echo "stub  (winnt, 1 x $threads threads): $s_rps req/s, p99 $s_p99 ms"
echo "httpd (worker, 1 x $threads threads): $h_rps req/s, p99 $h_p99 ms"
awk -v s="$s_rps" -v h="$h_rps" -v sp="$s_p99" -v hp="$h_p99" 'BEGIN {
    printf "ratio stub/httpd: %.2f req/s (target >= 1.00), p99 %.2f (lower is better)\n", s/h, sp/hp }'
