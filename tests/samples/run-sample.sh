#!/usr/bin/env bash
# run-sample.sh — one sample module in the REAL httpd (Debian's apache2).
#
#   run-sample.sh --apache2 BIN --httpd-modules DIR --built DIR
#                 --samples DIR --name NAME --work DIR --mode MODE
#                 [--modcert BIN] [--connections C] [--requests N]
#                 [--seconds S] [--expect wrong|right] [--scenario FILE]
#
# Starts a private httpd (worker MPM, one process, 64 threads, loopback,
# free port; tests/lib/httpd.sh) with module NAME of sample-modules/
# manifest.json loaded and configured by its snippet, then:
#   --mode seq    sends the module's scenario sequentially (curl) and checks
#                 every response: passes when all checks hold.
#   --mode load   drives the scenario concurrently with `modcert load`
#                 (bounded by --requests and --seconds) on a fresh server;
#                 with --expect wrong it passes only if some response or
#                 relation was wrong (the seeded defect struck), with
#                 --expect right only if every check held.
#   --mode stack  (large-stack module) sets ThreadStackSize 256 KiB and
#                 passes when the request kills the process (no response).
# --scenario replaces the manifest's scenario (negative controls).
# Prints one summary line "RESULT name=... mode=... ..." for
# scripts/run-samples.sh. Exit 0 pass, 1 fail, 2 could not run.
set -u
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/httpd.sh
. "$here/../lib/httpd.sh"
# shellcheck source=../lib/scenario-seq.sh
. "$here/../lib/scenario-seq.sh"

usage()
{
    sed -n '3,7p' "$0" >&2
    exit 2
}

name='' work='' mode='' built='' samples='' modcert=''
expect=right scenario_override=''
conns=32 requests=2000 seconds=8
while [ $# -gt 0 ]; do
    case $1 in
        --apache2) APACHE2_BIN=$2 ;;
        --httpd-modules) APACHE2_MODULES_DIR=$2 ;;
        --built) built=$2 ;;
        --samples) samples=$2 ;;
        --name) name=$2 ;;
        --work) work=$2 ;;
        --mode) mode=$2 ;;
        --modcert) modcert=$2 ;;
        --connections) conns=$2 ;;
        --requests) requests=$2 ;;
        --seconds) seconds=$2 ;;
        --expect) expect=$2 ;;
        --scenario) scenario_override=$2 ;;
        *) echo "run-sample: unknown argument '$1'" >&2 && usage ;;
    esac
    shift 2 || usage
done
[ -n "$name" ] && [ -n "$work" ] && [ -n "$mode" ] && [ -n "$built" ] &&
    [ -n "$samples" ] || usage
export APACHE2_BIN APACHE2_MODULES_DIR
export MC_SAMPLES_DIR=$samples
manifest=$samples/manifest.json

entry=$(jq -ce --arg n "$name" '.modules[] | select(.name == $n)' \
    "$manifest") || {
    echo "run-sample: no module '$name' in $manifest" >&2
    exit 2
}
sym="" so_name="" scenario_rel="" config="" extra_mods=()
eval "$(jq -r '@sh "sym=\(.module_symbol) so_name=\(.so)",
    @sh "scenario_rel=\(.scenario) config=\(.config)",
    "extra_mods=(\(.httpd_modules | @sh))"' <<<"$entry")"
so=$built/$so_name
scenario=${scenario_override:-$samples/$scenario_rel}

rm -rf "$work"
mkdir -p "$work" || exit 2
printf '%s' "$config" >"$work/snippet.conf"

start_server()
{
    mc_httpd_conf "$work/httpd" "$sym" "$so" "$work/snippet.conf" \
        "${extra_mods[@]}" || exit 2
    mc_httpd_start "$name" "$work/httpd" || exit 2
    echo "httpd pid $MC_PID on 127.0.0.1:$MC_PORT with $so_name"
}

run_seq()
{
    start_server
    mc_scenario_seq "http://127.0.0.1:$MC_PORT" "$scenario" "$work/seq"
    local rc=$?
    echo "RESULT name=$name mode=seq requests=$MC_SEQ_SENT" \
        "failed=$MC_SEQ_FAILED"
    [ $rc = 0 ] || exit 1
}

# One bounded concurrent run on a fresh server; sets rc (modcert load's
# exit status) and prints the RESULT line and the first wrong answers.
load_once()
{
    local summary
    start_server
    "$modcert" load --url "http://127.0.0.1:$MC_PORT" --scenario "$scenario" \
        --connections "$conns" --requests "$requests" --seconds "$seconds" \
        --timeout 3000 --json "$work/load.json" >"$work/load.out" 2>&1
    rc=$?
    mc_server_stop "$MC_PID"
    if [ $rc = 2 ] || [ ! -s "$work/load.json" ]; then
        cat "$work/load.out"
        echo "run-sample: modcert load could not run (exit $rc)" >&2
        exit 2
    fi
    summary=$(jq -r '"requests=\(.requests) failed=\(.failed)" +
        " relations_failed=\(.relations_failed) timeouts=\(.timeouts)" +
        " closed=\(.closed) seconds=\(.seconds * 100 | round / 100)"' \
        "$work/load.json")
    echo "RESULT name=$name mode=load expect=$expect $summary"
    jq -r '.relations[] | select(.ok == false)
        | "  relation \(.kind) \(.request).\(.capture): expected"
          + " \(.expected), got \(.got)"' "$work/load.json"
    jq -r '.failures[:3][] | "  wrong: \(.request) seq \(.seq): \(.check)"
        + " expected \(.expected | tostring | .[:70] | @json) got"
        + " \(.got | tostring | .[:70] | @json)"' "$work/load.json"
}

run_load()
{
    local attempt
    if [ -z "$modcert" ] || [ ! -x "$modcert" ]; then
        echo "run-sample: --mode load needs --modcert (the modcert binary)" >&2
        exit 2
    fi
    if [ "$expect" = right ]; then
        load_once
        [ $rc = 0 ] && return 0
        echo "run-sample: $name: wrong answers under load (safe module)"
        exit 1
    fi
    # A race is probabilistic: up to two bounded runs, each on a fresh
    # server, must show at least one wrong answer. Unsafe servers may be
    # deadlocked on purpose, so do not wait long for them to stop.
    export MC_SERVER_STOP_SECS=2
    for attempt in 1 2; do
        load_once
        [ $rc = 1 ] && return 0
        echo "run-sample: $name: attempt $attempt showed no wrong answer"
    done
    echo "run-sample: $name: expected wrong answers under load, saw none"
    exit 1
}

run_stack()
{
    local rc
    MC_HTTPD_EXTRA="ThreadStackSize 262144" start_server
    curl -g -s -S --max-time 10 -o /dev/null \
        "http://127.0.0.1:$MC_PORT/bigreport?3" 2>"$work/curl.err"
    rc=$?
    echo "curl exit $rc: $(cat "$work/curl.err")"
    echo "RESULT name=$name mode=stack curl_exit=$rc"
    # 52: empty reply, 56: connection reset — the process died mid-request.
    if [ $rc = 52 ] || [ $rc = 56 ]; then
        return 0
    fi
    echo "run-sample: $name: expected a crash with a 256 KiB thread stack"
    exit 1
}

case $mode in
    seq) run_seq ;;
    load) run_load ;;
    stack) run_stack ;;
    *) echo "run-sample: --mode must be seq, load or stack" >&2 && exit 2 ;;
esac
exit 0
