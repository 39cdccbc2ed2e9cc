#!/usr/bin/env bash
# run-samples.sh — the sample-module conformance run in the REAL httpd.
#
# Builds the sample modules and `modcert`, then for every module of
# sample-modules/manifest.json starts Debian's apache2 privately (worker MPM,
# one process x 64 threads, loopback, free port, config and logs under the
# build tree) with the module loaded, sends its scenario sequentially and
# checks every response; then drives it concurrently with `modcert load`
# (10000 requests or 4 s, 32 connections) on a fresh server. Prints a table:
#
#   module  group  seq ok/sent  load requests  wrong answers  expected  result
#
# "wrong answers" counts responses that failed a check plus relations that
# did not hold (a lost count, a duplicate id). Unsafe modules marked
# shows_in_httpd_load are expected to give some; safe modules none.
#
#   scripts/run-samples.sh                 build/ (preset default)
#   BUILD_DIR=build-x scripts/run-samples.sh
# Exit 0 when every module behaved as the manifest says, 1 otherwise.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
root=$PWD
build=${BUILD_DIR:-build}

scripts/install-deps.sh >/dev/null || exit 1
if [ "$build" = build ]; then
    cmake --preset default >/dev/null || exit 1
else
    cmake -S . -B "$build" -G Ninja -DCMAKE_C_COMPILER=clang-19 >/dev/null ||
        exit 1
fi
mapfile -t targets < <(jq -r '.modules[].so | sub("\\.so$"; "")' \
    sample-modules/manifest.json)
echo "== building ${#targets[@]} sample modules and modcert in $build/"
cmake --build "$build" --target "${targets[@]}" modcert >/dev/null || {
    echo "run-samples: build failed (run: cmake --build $build)" >&2
    exit 1
}

apache2=$(command -v apache2 || echo /usr/sbin/apache2)
work=$root/$build/samples-run
mkdir -p "$work"
common=(--apache2 "$apache2" --httpd-modules /usr/lib/apache2/modules
    --built "$root/$build/modules" --samples "$root/sample-modules"
    --modcert "$root/$build/bin/modcert")
run=tests/samples/run-sample.sh

field()
{
    # field LINE KEY: the value of KEY=... in a RESULT line.
    local v=${1#* $2=}
    [ "$v" != "$1" ] && echo "${v%% *}" || echo "-"
}

row()
{
    # row NAME GROUP SHOWS: runs one module (sequential, then load) and
    # prints its table row.
    local name=$1 group=$2 shows=$3 expect=- seq_rc load_rc r sent failed
    local seq_col load_req=- wrong=- result=ok f rf
    [ "$group" = safe ] && expect=right
    [ "$group" = unsafe ] && [ "$shows" = true ] && expect=wrong
    "$run" "${common[@]}" --name "$name" --mode seq \
        --work "$work/$name-seq" >"$work/$name-seq.log" 2>&1
    seq_rc=$?
    r=$(grep '^RESULT' "$work/$name-seq.log" | tail -n 1)
    sent=$(field "$r" requests)
    failed=$(field "$r" failed)
    seq_col="$((sent - failed))/$sent"
    [ "$sent" = - ] && seq_col="(no run)"
    [ $seq_rc = 0 ] || result="SEQUENTIAL FAILED (see $work/$name-seq.log)"
    if [ "$expect" != - ]; then
        "$run" "${common[@]}" --name "$name" --mode load --expect "$expect" \
            --connections 32 --requests 10000 --seconds 4 \
            --work "$work/$name-load" >"$work/$name-load.log" 2>&1
        load_rc=$?
        r=$(grep '^RESULT' "$work/$name-load.log" | tail -n 1)
        load_req=$(field "$r" requests)
        f=$(field "$r" failed)
        rf=$(field "$r" relations_failed)
        [ "$f" = - ] || wrong=$((f + rf))
        if [ $load_rc != 0 ] && [ "$result" = ok ]; then
            result="UNEXPECTED (see $work/$name-load.log)"
        fi
    fi
    printf '%-16s %-7s %-11s %-13s %-13s %-9s %s\n' "$name" "$group" \
        "$seq_col" "$load_req" "$wrong" "$expect" "$result"
}

# Two modules at a time (two cores); each has its own servers and ports.
mapfile -t mods < <(jq -r '.modules[] | [.name, .group,
    (.shows_in_httpd_load | tostring)] | @tsv' sample-modules/manifest.json)
start=$(date +%s)
rm -f "$work"/*.row
i=0
for m in "${mods[@]}"; do
    IFS=$'\t' read -r name group shows <<<"$m"
    row "$name" "$group" "$shows" >"$work/$(printf '%03d' $i).row" &
    i=$((i + 1))
    while [ "$(jobs -rp | wc -l)" -ge 2 ]; do
        wait -n
    done
done
wait
printf '%-16s %-7s %-11s %-13s %-13s %-9s %s\n' module group "seq ok/sent" \
    "load requests" "wrong answers" expected result
cat "$work"/*.row
status=0
grep -qv ' ok$' "$work"/*.row && status=1
echo "== one wrong answer per unsafe module, as the load client saw it:"
for j in "$work"/*-load/load.json; do
    [ -s "$j" ] || continue
    n=${j%-load/load.json}
    n=${n##*/}
    jq -r --arg n "$n" '([.relations | sort_by(.kind != "equals-count")[]
        | select(.ok == false)
        | "\(.kind) \(.request).\(.capture): expected \(.expected), got \(.got)"]
        + [.failures[] | "\(.request) seq \(.seq): \(.check) expected \(.expected
            | @json) got \(.got | @json)"])[:1][]
        | "  \($n): \(.[:150])"' "$j"
done
echo "== $(($(date +%s) - start)) s; logs and server configs in $work/"
if [ $status = 0 ]; then
    echo "run-samples: every module behaved as its manifest says"
else
    echo "run-samples: some modules did not behave as the manifest says"
fi
exit $status
