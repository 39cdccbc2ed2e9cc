#!/usr/bin/env bash
# Load-client throughput benchmark (issue 5 target: modcert load >= 0.9x wrk).
# Against ONE private httpd (worker MPM, 64 threads, a small static file),
# runs wrk and `modcert load` with the same connections, threads and
# duration, interleaved A B A B A B, and prints the req/s of each run, the
# medians and the ratio modcert/wrk. It also prints each client's own CPU
# time per request (user+sys): client and server share the cores, so a
# client that burns less CPU per request leaves more to the server, and
# this figure is far less sensitive to other load on the machine than req/s.
# A benchmark, not a test.
#
#   bench/load/run.sh [MODCERT_BIN]
#   env: CONNS (64) THREADS (2) SECS (5) ROUNDS (3) PORT (free port)
#        URL: load this already running server instead (e.g. modcert-stub
#             with a module); then no httpd is started
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
MODCERT=${1:-${MODCERT:-$root/build/bin/modcert}}
CONNS=${CONNS:-64} THREADS=${THREADS:-2} SECS=${SECS:-5} ROUNDS=${ROUNDS:-3}
command -v wrk >/dev/null || { echo "run.sh: wrk not found (Debian package wrk)" >&2; exit 2; }
[ -x "$MODCERT" ] || { echo "run.sh: $MODCERT not built (cmake --build build)" >&2; exit 2; }
PORT=${PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
dir=$(mktemp -d /tmp/modcert-bench-load.XXXXXX)
cleanup() { [ -n "${URL:-}" ] || "$here/httpd-private.sh" stop "$dir" || true; rm -rf "$dir"; }
trap cleanup EXIT INT TERM
if [ -n "${URL:-}" ]; then
    url=$URL
    server="the server at $url"
else
    "$here/httpd-private.sh" start "$dir" "$PORT" >/dev/null
    url=http://127.0.0.1:$PORT/index.txt
    server="httpd worker MPM, 1 process x 64 threads, GET $url"
fi

# warm-up (threads spawned, page cache), not measured
wrk -t"$THREADS" -c"$CONNS" -d1s "$url" >/dev/null

# Each prints "REQ_PER_S CPU_US_PER_REQUEST".
cpu_us() { # time-file requests
    python3 -c 'import sys; u, s = map(float, open(sys.argv[1]).read().split()[-2:]); print("%.1f" % ((u + s) / float(sys.argv[2]) * 1e6))' "$1" "$2"
}
wrk_run() {
    /usr/bin/time -f "%U %S" -o "$dir/t" wrk -t"$THREADS" -c"$CONNS" -d"${SECS}s" "$url" > "$dir/w"
    local rps n
    rps=$(awk '/^Requests\/sec:/ {print $2}' "$dir/w")
    n=$(awk '/requests in/ {print $1}' "$dir/w")
    echo "$rps $(cpu_us "$dir/t" "$n")"
}
mc_run() {
    local out=$dir/mc.json rc=0
    /usr/bin/time -f "%U %S" -o "$dir/t" "$MODCERT" load --url "$url" -c "$CONNS" \
        -t "$THREADS" -n 0 -d "$SECS" --quiet --json "$out" || rc=$?
    [ "$rc" = 0 ] || { echo "run.sh: modcert load exited $rc" >&2; exit 1; }
    local rps n
    rps=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("%.2f" % d["rps"])' "$out")
    n=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["requests"])' "$out")
    echo "$rps $(cpu_us "$dir/t" "$n")"
}

echo "server: $server"
echo "clients: $CONNS connections, $THREADS threads, ${SECS}s per run, $ROUNDS rounds (wrk, modcert interleaved)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
w=() m=() wc=() mcpu=()
for i in $(seq "$ROUNDS"); do
    read -r a ac < <(wrk_run); w+=("$a"); wc+=("$ac")
    read -r b bc < <(mc_run); m+=("$b"); mcpu+=("$bc")
    printf 'round %d: wrk %8.0f req/s (%5.1f us cpu/req)   modcert %8.0f req/s (%5.1f us cpu/req)   ratio %.3f\n' \
        "$i" "$a" "$ac" "$b" "$bc" "$(python3 -c "print($b/$a)")"
done
python3 - "${w[*]}" "${m[*]}" "${wc[*]}" "${mcpu[*]}" <<'PY'
import statistics, sys
w, m, wc, mc = ([float(x) for x in a.split()] for a in sys.argv[1:5])
mw, mm = statistics.median(w), statistics.median(m)
cw, cm = statistics.median(wc), statistics.median(mc)
print(f"median: wrk {mw:.0f} req/s, modcert {mm:.0f} req/s")
print(f"client cpu per request (median): wrk {cw:.1f} us, modcert {cm:.1f} us")
print(f"ratio modcert/wrk (medians): {mm / mw:.3f}")
print(f"ratio modcert/wrk (median of per-round ratios): "
      f"{statistics.median(b / a for a, b in zip(w, m)):.3f}")
PY
