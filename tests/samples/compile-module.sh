#!/usr/bin/env bash
# compile-module.sh [--expect-fail] CC OUT.so SOURCE.c -- APXS_FLAGS...
#
# Compiles one httpd module source exactly as the corpus is built (apxs'
# flags, -Werror, -shared) outside CMake. On failure prints
#   compile-module: SOURCE: does not compile (N errors); first: ...
# naming the module file. With --expect-fail the test passes only when the
# compile fails AND the message names the source file (the bad-input case
# of issue 2); otherwise it passes when the module compiles.
set -u
expect_fail=0
if [ "${1:-}" = --expect-fail ]; then
    expect_fail=1
    shift
fi
cc=$1 out=$2 src=$3
shift 3
[ "${1:-}" = -- ] && shift
log=$out.log
if "$cc" "$@" -Werror -shared -o "$out" "$src" >"$log" 2>&1; then
    echo "compile-module: $src: compiled to $out"
    [ $expect_fail = 0 ]
    exit
fi
n=$(grep -c 'error:' "$log")
msg="compile-module: $src: does not compile ($n errors); first: $(grep -m1 'error:' "$log")"
echo "$msg"
if [ $expect_fail = 1 ]; then
    base=$(basename "$src")
    [[ $msg == *"$base"*"$base"* ]] || {
        echo "compile-module: the compiler's message does not name $base"
        exit 1
    }
    exit 0
fi
exit 1
