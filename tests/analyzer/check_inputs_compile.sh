#!/usr/bin/env bash
# check_inputs_compile.sh [FILE...]: every corpus input (or the named ones)
# must compile as a module would, with the flags the README names.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cc=${CLANG:-clang-19}
flags=(-fsyntax-only -I/usr/include/apache2 -I/usr/include/apr-1.0
    -DLINUX -D_REENTRANT -D_GNU_SOURCE)
[ $# -gt 0 ] || set -- $(find "$here/inputs" -name '*.c' | LC_ALL=C sort)
bad=0
for f in "$@"; do
    # scan-flags compiler flags (after "--") apply to the compile too.
    extra=$(head -n 1 "$f" | sed -n 's|^/\* scan-flags: .*-- \(.*\) \*/$|\1|p')
    # shellcheck disable=SC2086
    if ! "$cc" "${flags[@]}" $extra "$f"; then
        echo "does not compile: $f" >&2
        bad=1
    fi
done
exit $bad
