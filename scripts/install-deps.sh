#!/usr/bin/env bash
# Install every Debian package that modcert's build, tests and benchmarks
# need. Idempotent: when everything is present it does nothing (no apt-get
# update, no network). Safe to run as root on a bare Debian 12 machine.
#
#   scripts/install-deps.sh            install what is missing
#   scripts/install-deps.sh --check    only list what is missing (exit 1 if any)
set -euo pipefail

# Build and analysis toolchain.
PKGS_BUILD=(
    build-essential cmake ninja-build pkg-config git
    clang-19 libclang-19-dev libclang-rt-19-dev llvm-19
    clang-format clang-tidy cppcheck
)
# httpd ABI and runtime, libraries the toolkit links.
PKGS_LIBS=(
    apache2 apache2-dev libapr1-dev libaprutil1-dev
    libjansson-dev libhttp-parser-dev libexpat1-dev libelf-dev
    libsodium-dev libcmocka-dev libpcre2-dev
)
# Detectors, load tools and peers.
PKGS_TOOLS=(
    valgrind wrk hyperfine curl procps psmisc gdb jq time chromium python3 nodejs
)
# Third-party module binaries the stub must load unchanged.
PKGS_MODULES=(
    libapache2-mod-authn-yolo libapache2-mod-removeip libapache2-mod-xforward
    libapache2-mod-auth-plain libapache2-mod-form libapache2-mod-mime-xattr
    libapache2-mod-upload-progress libapache2-mod-log-sql
    libapache2-mod-authz-unixgroup libapache2-mod-intercept-form-submit
    libapache2-mod-lisp
    libapache2-mod-rpaf libapache2-mod-xsendfile libapache2-mod-bw libapache2-mod-encoding libapache2-mod-log-slow libapache2-mod-auth-tkt libapache2-mod-authnz-external libapache2-mod-geoip libapache2-mod-auth-cas libapache2-mod-fcgid libapache2-mod-security2 libapache2-mod-ldap-userdir libapache2-mod-dnssd libapache2-mod-perl2 libapache2-mod-auth-gssapi libapache2-mod-jk libapache2-mod-uwsgi libapache2-mod-auth-openidc libapache2-mod-vhost-ldap
)
ALL=("${PKGS_BUILD[@]}" "${PKGS_LIBS[@]}" "${PKGS_TOOLS[@]}" "${PKGS_MODULES[@]}")

missing=()
for p in "${ALL[@]}"; do
    if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != "install ok installed" ]; then
        missing+=("$p")
    fi
done

if [ "${1:-}" = "--check" ]; then
    if [ ${#missing[@]} -eq 0 ]; then echo "install-deps: all packages present"; exit 0; fi
    echo "install-deps: missing: ${missing[*]}"; exit 1
fi

if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all ${#ALL[@]} packages present"
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    SUDO=sudo
    command -v sudo >/dev/null || {
        echo "install-deps: missing packages (${missing[*]}) and not root; run as root" >&2
        exit 1
    }
else
    SUDO=
fi

echo "install-deps: installing ${#missing[@]} package(s): ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Installing apache2 or module packages must not start the system service:
# our tests run their own httpd from a private config. policy-rc.d exit 101
# tells invoke-rc.d "not allowed"; we restore whatever was there before.
policy=/usr/sbin/policy-rc.d
saved=""
if [ -e "$policy" ]; then saved=$(mktemp); $SUDO cp -p "$policy" "$saved"; fi
restore_policy() {
    if [ -n "$saved" ]; then $SUDO mv -f "$saved" "$policy"; else $SUDO rm -f "$policy"; fi
}
trap restore_policy EXIT
printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
$SUDO chmod 755 "$policy"

$SUDO apt-get update -qq
if ! $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/modcert-apt.log 2>&1; then
    echo "install-deps: apt-get install failed; last lines of /tmp/modcert-apt.log:" >&2
    tail -20 /tmp/modcert-apt.log >&2
    exit 1
fi
# Debian enables installed module packages in the system config; we never use
# the system config, but keep the system service stopped if something started it.
if command -v apache2ctl >/dev/null && pgrep -x apache2 >/dev/null 2>&1; then
    $SUDO apache2ctl -k stop >/dev/null 2>&1 || true
fi
echo "install-deps: done"
