#!/bin/sh
# parse -> print -> parse is the identity, on the real root zone and on a
# generated zone; the record count matches BIND's named-checkzone.
set -eu
cd "$(dirname "$0")/.."
B=${ZTK_BUILD:-build}
ROOT=../shared/corpus/root-2026082201.zone
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
for z in "$ROOT" tests/data/roundtrip.zone; do
	[ -f "$z" ] || { echo "missing $z" >&2; exit 1; }
	"$B/tests/zone-dump" "$z" >"$T/1" 2>"$T/n1"
	"$B/tests/zone-dump" "$T/1" >"$T/2" 2>"$T/n2"
	cmp "$T/1" "$T/2" || { echo "round trip differs for $z" >&2; exit 1; }
	cmp "$T/n1" "$T/n2" || { echo "record count changed for $z" >&2; exit 1; }
done
# BIND's count of the root zone (-i local: never look anything up)
if command -v named-checkzone >/dev/null; then
	n=$(named-checkzone -i local -D -o - . "$ROOT" 2>/dev/null | grep -vc '^;')
	ours=$("$B/tests/zone-dump" "$ROOT" 2>&1 >/dev/null)
	[ "$n" = "$ours" ] || { echo "named-checkzone counts $n, ztk $ours" >&2; exit 1; }
	[ "$ours" = 22094 ] || { echo "root zone: $ours records, want 22094" >&2; exit 1; }
fi
echo ok
