# shellcheck shell=bash
# tests/lib/server.sh — start and stop a loopback test server, by pid.
#
# Source it from a bash test script. Generic: works for any server command
# that listens on a TCP port given on its command line (the real httpd, the
# modcert stub, ...), so side-by-side runs use the same helpers.
#
#   mc_server_start NAME LOG CMD [ARG...]
#       Picks a free loopback port, replaces the text @PORT@ in every ARG,
#       starts CMD in the background (stdout+stderr to LOG), and waits until
#       the port accepts connections (MC_SERVER_READY_SECS, default 15).
#       If the server dies because the port was taken meanwhile (another test
#       grabbed it), it retries with another port (up to 5 times).
#       On success sets MC_PORT and MC_PID (and MC_PORT_<NAME>, MC_PID_<NAME>)
#       and returns 0; on failure prints the log's tail and returns 1.
#   mc_server_stop PID
#       SIGTERM to exactly that pid, waits up to MC_SERVER_STOP_SECS
#       (default 10) seconds, then SIGKILL to it and to its direct children
#       (httpd's worker process). Never by name. A test that deadlocks its
#       server on purpose sets MC_SERVER_STOP_SECS=1.
#   mc_server_stop_all
#       Stops every server this shell started (installed as an EXIT trap by
#       the first mc_server_start: servers never outlive the test).
#   mc_free_port
#       Prints a loopback port nobody listens on right now.
#
# Memory/thread-safety: plain bash; the started pids are kept in the shell
# array MC__PIDS of the sourcing script.

MC__PIDS=()
MC__TRAP_SET=0

mc_port_open()
{
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

mc_free_port()
{
    local port i
    for i in $(seq 1 50); do
        port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
        if ! mc_port_open "$port"; then
            echo "$port"
            return 0
        fi
    done
    echo "mc_free_port: no free loopback port found after 50 tries" >&2
    return 1
}

mc__children()
{
    # Direct children of one pid, from /proc (no name matching).
    local f stat rest
    for f in /proc/[0-9]*/stat; do
        { read -r stat <"$f"; } 2>/dev/null || continue
        rest=${stat##*) } # after "pid (comm) ": state ppid ...
        rest=${rest#* }
        if [ "${rest%% *}" = "$1" ]; then
            f=${f#/proc/}
            echo "${f%/stat}"
        fi
    done
}

mc_server_stop()
{
    local pid=$1 i kids
    [ -n "$pid" ] || return 0
    kill -0 "$pid" 2>/dev/null || {
        wait "$pid" 2>/dev/null
        return 0
    }
    kids=$(mc__children "$pid")
    kill -TERM "$pid" 2>/dev/null
    for i in $(seq 1 $((${MC_SERVER_STOP_SECS:-10} * 10))); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        echo "mc_server_stop: pid $pid still running" \
            "${MC_SERVER_STOP_SECS:-10} s after SIGTERM; SIGKILL" >&2
        kill -KILL "$pid" 2>/dev/null
    fi
    wait "$pid" 2>/dev/null
    for i in $kids; do
        kill -KILL "$i" 2>/dev/null
    done
    return 0
}

mc_server_stop_all()
{
    local pid
    for pid in "${MC__PIDS[@]}"; do
        mc_server_stop "$pid"
    done
    MC__PIDS=()
}

mc__wait_ready()
{
    local pid=$1 port=$2 secs=${MC_SERVER_READY_SECS:-15} i
    for i in $(seq 1 $((secs * 20))); do
        if ! kill -0 "$pid" 2>/dev/null; then
            return 2
        fi
        if mc_port_open "$port"; then
            return 0
        fi
        sleep 0.05
    done
    return 1
}

mc_server_start()
{
    local name=$1 log=$2 port pid rc a
    shift 2
    if [ "$MC__TRAP_SET" = 0 ]; then
        trap mc_server_stop_all EXIT
        trap 'mc_server_stop_all; exit 130' INT TERM
        MC__TRAP_SET=1
    fi
    for _ in 1 2 3 4 5; do
        port=$(mc_free_port) || return 1
        local args=()
        for a in "$@"; do
            args+=("${a//@PORT@/$port}")
        done
        "${args[@]}" >"$log" 2>&1 &
        pid=$!
        MC__PIDS+=("$pid")
        mc__wait_ready "$pid" "$port"
        rc=$?
        if [ $rc = 0 ]; then
            # shellcheck disable=SC2034 # results for the caller
            MC_PORT=$port MC_PID=$pid
            printf -v "MC_PORT_${name//[^A-Za-z0-9_]/_}" '%s' "$port"
            printf -v "MC_PID_${name//[^A-Za-z0-9_]/_}" '%s' "$pid"
            return 0
        fi
        mc_server_stop "$pid"
        if [ $rc = 2 ] && grep -qi "address already in use" "$log" \
            ${MC_SERVER_EXTRA_LOG:+"$MC_SERVER_EXTRA_LOG"} 2>/dev/null; then
            continue
        fi
        break
    done
    echo "mc_server_start: server '$name' did not become ready" \
        "(command: $*); last lines of $log:" >&2
    tail -n 20 "$log" >&2
    if [ -n "${MC_SERVER_EXTRA_LOG:-}" ] && [ -f "$MC_SERVER_EXTRA_LOG" ]; then
        echo "--- $MC_SERVER_EXTRA_LOG:" >&2
        tail -n 20 "$MC_SERVER_EXTRA_LOG" >&2
    fi
    return 1
}
