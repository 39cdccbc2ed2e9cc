#!/usr/bin/env bash
# Load-client throughput benchmark (issue 5 target: modcert load >= 0.9x wrk).
# Against ONE private httpd (worker MPM, 64 threads, a small static file),
# runs wrk and `modcert load` with the same connections, threads and
# duration, interleaved A B A B A B, and prints the req/s of each run, the
# medians and the ratio modcert/wrk. A benchmark, not a test.
#
#   bench/load/run.sh [MODCERT_BIN]
#   env: CONNS (64) THREADS (2) SECS (5) ROUNDS (3) PORT (free port)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
MODCERT=${1:-${MODCERT:-$root/build/bin/modcert}}
CONNS=${CONNS:-64} THREADS=${THREADS:-2} SECS=${SECS:-5} ROUNDS=${ROUNDS:-3}
command -v wrk >/dev/null || { echo "run.sh: wrk not found (Debian package wrk)" >&2; exit 2; }
[ -x "$MODCERT" ] || { echo "run.sh: $MODCERT not built (cmake --build build)" >&2; exit 2; }
PORT=${PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
dir=$(mktemp -d /tmp/modcert-bench-load.XXXXXX)
cleanup() { "$here/httpd-private.sh" stop "$dir" || true; rm -rf "$dir"; }
trap cleanup EXIT INT TERM
"$here/httpd-private.sh" start "$dir" "$PORT" >/dev/null
url=http://127.0.0.1:$PORT/index.txt

# warm-up (threads spawned, page cache), not measured
wrk -t"$THREADS" -c"$CONNS" -d1s "$url" >/dev/null

wrk_rps() {
    wrk -t"$THREADS" -c"$CONNS" -d"${SECS}s" "$url" | awk '/^Requests\/sec:/ {print $2}'
}
mc_rps() {
    local out=$dir/mc.json rc=0
    "$MODCERT" load --url "$url" -c "$CONNS" -t "$THREADS" -n 0 -d "$SECS" \
        --quiet --json "$out" || rc=$?
    [ "$rc" = 0 ] || { echo "run.sh: modcert load exited $rc" >&2; exit 1; }
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("%.2f" % d["rps"])' "$out"
}

echo "server: httpd worker MPM, 1 process x 64 threads, GET $url"
echo "clients: $CONNS connections, $THREADS threads, ${SECS}s per run, $ROUNDS rounds (wrk, modcert interleaved)"
w=() m=()
for i in $(seq "$ROUNDS"); do
    a=$(wrk_rps); w+=("$a")
    b=$(mc_rps); m+=("$b")
    printf 'round %d: wrk %10.0f req/s   modcert %10.0f req/s   ratio %.3f\n' "$i" "$a" "$b" \
        "$(python3 -c "print($b/$a)")"
done
python3 - "${w[*]}" "${m[*]}" <<'PY'
import statistics, sys
w = [float(x) for x in sys.argv[1].split()]
m = [float(x) for x in sys.argv[2].split()]
mw, mm = statistics.median(w), statistics.median(m)
print(f"median: wrk {mw:.0f} req/s, modcert {mm:.0f} req/s")
print(f"ratio modcert/wrk (medians): {mm / mw:.3f}")
PY
