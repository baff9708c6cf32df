#!/bin/sh
# Install the Debian 12 packages ztk builds and tests with, if any is
# missing.  Needs root (or sudo); quiet when everything is there already.
set -eu
PKGS="build-essential clang libclang-rt-14-dev libssl-dev libp11-dev softhsm2 \
libsqlite3-dev libp11-kit-dev libjansson-dev libcurl4-openssl-dev pkg-config \
bats bats-assert bats-support jq mandoc valgrind python3 iproute2 \
dns-root-data bind9-utils bind9-dnsutils knot-dnsutils knot-dnssecutils \
ldnsutils validns knot nsd unbound unbound-host strace opensc"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "installing:$missing" >&2
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
# shellcheck disable=SC2086
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	--no-install-recommends $missing >/dev/null
