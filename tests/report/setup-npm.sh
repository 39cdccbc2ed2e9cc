#!/usr/bin/env bash
# setup-npm.sh CACHE_DIR PACKAGE CHECK_PATH — install an npm package into
# CACHE_DIR (under the build tree) unless CACHE_DIR/CHECK_PATH already
# exists, then print CACHE_DIR/CHECK_PATH on stdout.
# Exit 0: ready. Exit 77: not available (no npm, registry unreachable, or the
# install failed) — the calling test reports SKIPPED, with the reason.
set -u
cache=${1:?usage: setup-npm.sh CACHE_DIR PACKAGE CHECK_PATH}
pkg=${2:?package} check=${3:?check path}
target=$cache/$check
if [ -e "$target" ]; then
    echo "$target"
    exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
    echo "setup-npm: npm not found; cannot install $pkg" >&2
    exit 77
fi
mkdir -p "$cache" || exit 77
exec 9>"$cache/.install.lock"   # parallel tests: install once
flock 9
if [ ! -e "$target" ]; then
    [ -f "$cache/package.json" ] || echo '{"name":"modcert-test-cache","private":true}' >"$cache/package.json"
    if ! timeout 300 npm install --prefix "$cache" --no-audit --no-fund \
        --loglevel=error "$pkg" >"$cache/npm-install.log" 2>&1; then
        echo "setup-npm: npm install $pkg failed (registry unreachable?); see $cache/npm-install.log:" >&2
        tail -5 "$cache/npm-install.log" >&2
        exit 77
    fi
fi
if [ ! -e "$target" ]; then
    echo "setup-npm: installed $pkg, but $target is missing" >&2
    exit 77
fi
echo "$target"
