#!/usr/bin/env bash
# Fails (exit 1) listing every C source or header of ours that clang-format
# would change. Annotated analyzer inputs under tests/*/inputs/ are exempt:
# their layout is part of what they test (line and column numbers).
#   scripts/check-format.sh          check
#   scripts/check-format.sh --fix    reformat in place
set -euo pipefail
cd "$(dirname "$0")/.."
CF=${CLANG_FORMAT:-clang-format}
command -v "$CF" >/dev/null || { echo "check-format: $CF not found (Debian package clang-format)" >&2; exit 2; }
mapfile -t files < <(git ls-files --cached --others --exclude-standard -- '*.c' '*.h' \
    | grep -vE '^tests/[^/]+/inputs/|^tests/.*/fixtures/' || true)
if [ "${1:-}" = "--fix" ]; then
    [ ${#files[@]} -eq 0 ] || "$CF" -i "${files[@]}"
    exit 0
fi
bad=()
for f in "${files[@]}"; do
    [ -f "$f" ] || continue
    if ! "$CF" --dry-run -Werror "$f" >/dev/null 2>&1; then bad+=("$f"); fi
done
if [ ${#bad[@]} -gt 0 ]; then
    echo "check-format: ${#bad[@]} file(s) not in house style (run scripts/check-format.sh --fix):"
    printf '  %s\n' "${bad[@]}"
    exit 1
fi
echo "check-format: ${#files[@]} files in house style"
