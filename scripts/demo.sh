#!/bin/sh
# The main job on the embedded default.  For now: build ztk and lint the
# example zone (keys, signing, DS and chain checks join as they land).
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
make -s -j"$(nproc 2>/dev/null || echo 2)"
echo "== ztk-lint examples/example.com.zone"
build/bin/ztk-lint -v examples/example.com.zone
echo "== the same zone with a mistake (CNAME beside other data)"
T=$(mktemp)
trap 'rm -f "$T"' EXIT
{ cat examples/example.com.zone; echo 'ftp TXT "oops"'; } > "$T"
build/bin/ztk-lint "$T" || echo "(exit status $?: findings, as expected)"
