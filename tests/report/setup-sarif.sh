#!/usr/bin/env bash
# setup-sarif.sh CACHE_DIR — make Microsoft's SARIF Multitool available.
#
# Installs the npm package @microsoft/sarif-multitool into CACHE_DIR (under
# the build tree) unless it is already there, then prints the path of the
# `sarif-multitool` executable on stdout.
# Exit 0: ready. Exit 77: not available (no npm, registry unreachable or the
# package failed to install) — the caller reports the test as SKIPPED.
set -u
cache=${1:?usage: setup-sarif.sh CACHE_DIR}
bin=$cache/node_modules/.bin/sarif-multitool
if [ -x "$bin" ]; then
    echo "$bin"
    exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
    echo "setup-sarif: npm not found; cannot install @microsoft/sarif-multitool" >&2
    exit 77
fi
mkdir -p "$cache" || exit 77
# A lock so two tests running in parallel do not install twice.
exec 9>"$cache/.install.lock"
flock 9
if [ ! -x "$bin" ]; then
    [ -f "$cache/package.json" ] || echo '{"name":"modcert-sarif-cache","private":true}' >"$cache/package.json"
    if ! timeout 300 npm install --prefix "$cache" --no-audit --no-fund \
        --loglevel=error @microsoft/sarif-multitool >"$cache/npm-install.log" 2>&1; then
        echo "setup-sarif: npm install @microsoft/sarif-multitool failed (registry unreachable?); see $cache/npm-install.log:" >&2
        tail -5 "$cache/npm-install.log" >&2
        exit 77
    fi
fi
if [ ! -x "$bin" ]; then
    echo "setup-sarif: installed, but $bin is missing" >&2
    exit 77
fi
echo "$bin"
