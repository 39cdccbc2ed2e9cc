#!/usr/bin/env bash
# The main job, from a fresh clone: installs missing Debian packages, builds
# modcert, and certifies every bundled sample module
# (scripts/certify-samples.sh: reports, verdicts, SARIF validation).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset default >/dev/null
cmake --build --preset default -j"$(nproc)"
exec scripts/certify-samples.sh "$@"
