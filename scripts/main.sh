#!/usr/bin/env bash
# The main job, from a fresh clone: installs missing Debian packages, builds
# modcert, and runs it over the bundled sample modules.
#
# Today the main job is the sample-module conformance run in the real httpd
# (scripts/run-samples.sh); `modcert certify` replaces it once it exists.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset default >/dev/null
cmake --build --preset default -j"$(nproc)"
if build/bin/modcert --help 2>/dev/null | grep -q '^  certify'; then
    exec scripts/certify-samples.sh "$@"
fi
exec scripts/run-samples.sh "$@"
