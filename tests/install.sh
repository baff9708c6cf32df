#!/bin/sh
# make install puts every artefact in place, and the shared library exports
# nothing but the ztk_ API.
set -eu
cd "$(dirname "$0")/.."
B=${ZTK_BUILD:-build}
D=$(mktemp -d)
trap 'rm -rf "$D"' EXIT
make -s BUILD="$B" install PREFIX=/usr DESTDIR="$D" >/dev/null
for f in bin/ztk-lint lib/libztk.a lib/libztk.so.0 lib/pkgconfig/ztk.pc \
	include/ztk/ztk.h share/man/man1/ztk-lint.1 \
	share/bash-completion/completions/ztk-lint \
	share/zsh/site-functions/_ztk-lint; do
	[ -e "$D/usr/$f" ] || { echo "not installed: $f" >&2; exit 1; }
done
leaked=$(nm -D --defined-only "$D/usr/lib/libztk.so.0" | awk '{print $3}' | grep -v '^ztk_' || true)
[ -z "$leaked" ] || { echo "exported without ztk_ prefix: $leaked" >&2; exit 1; }
grep -q '^Version: ' "$D/usr/lib/pkgconfig/ztk.pc"
echo ok
