#!/usr/bin/env bash
# Generate the benchmark zones into bench/data/ (gitignored; zone-1m is
# ~110 MB, so it is rebuilt on demand rather than committed).
#
# usage: bench/make-zones.sh [SIZE...]     SIZE in: 10k 100k 1m  (default: all)
#
# The zone-<size>.zone files are generated with --portable so that every
# peer in bench/lint.sh parses the *same* file to the end: ldns 1.8.3
# cannot read class-before-TTL ("IN 3600 A") and validns 0.8 has no CAA
# type, and a tool that stops at line 32 would post a meaningless time.
# zone-10k-full.zone keeps the full syntax mix (both TTL/class orders,
# presentation-format CAA) for parser-coverage testing; BIND and Knot
# accept it, ldns-read-zone and validns do not.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
data="$here/data"
mkdir -p "$data"

names_for() {
	case $1 in
	10k) echo 10000 ;;
	100k) echo 100000 ;;
	1m) echo 1000000 ;;
	*) echo "unknown size '$1' (want 10k, 100k or 1m)" >&2; return 1 ;;
	esac
}

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10k 100k 1m)

for s in "${sizes[@]}"; do
	n=$(names_for "$s")
	out="$data/zone-$s.zone"
	# Write to a temp file first so an interrupted run never leaves a
	# truncated zone that later benchmarks would silently time.
	python3 "$here/gen-zone.py" --names "$n" --seed 1 --portable --stats \
		>"$out.tmp"
	mv "$out.tmp" "$out"
	printf '%-28s %10s bytes\n' "$(basename "$out")" "$(stat -c %s "$out")"
done

python3 "$here/gen-zone.py" --names 10000 --seed 1 --stats >"$data/zone-10k-full.zone.tmp"
mv "$data/zone-10k-full.zone.tmp" "$data/zone-10k-full.zone"
printf '%-28s %10s bytes\n' zone-10k-full.zone "$(stat -c %s "$data/zone-10k-full.zone")"
