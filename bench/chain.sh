#!/usr/bin/env bash
# Benchmark ztk-chain online on the loopback lab (tests/net/lab.sh).
#
# usage: bench/chain.sh [-n RUNS] [NAME [TYPE]]
#   NAME TYPE  what to prove (default www.y.x.test A: the 4-level chain
#              . -> test. -> x.test. -> y.x.test.)
#   -n         timed runs per tool (default 50); the median wall time is shown
# env:
#   ZTK_BUILD  build directory holding bin/ztk-chain and bin/ztk-sign
#
# Tools, each proving NAME TYPE from the lab's root anchor:
#   ztk-chain     walks from --server (the lab root) and validates; a new
#                 process each run, so nothing is cached between runs
#   unbound-host  libunbound walking from the lab's root hints and
#                 validating (-f anchor); also a new process each run
#   delv          validates (+cdflag) through the lab's unbound recursor,
#                 whose cache is warm after the first run: it measures
#                 validation plus a round trip per RRset to a cache
# Every tool runs once before timing (servers and page cache warm).
# Then memory: ztk-chain --names-from with 1k and 10k names (peak RSS of
# GNU time -v), to show it stays flat in the number of names.
#
# The whole script runs in a network namespace of its own (unshare -n,
# loopback only) when it can, so no packet can leave the machine, and the
# lab's 127.53.0.0/24 cannot clash with a lab that tests are running.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
orig_args=("$@")
usage() { sed -n '2,9s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }

runs=50
while [ $# -gt 0 ]; do
	case $1 in
	-n) [ $# -ge 2 ] || { usage >&2; exit 2; }; runs=$2; shift 2 ;;
	-h | --help) usage; exit 0 ;;
	-*) echo "chain.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
	*) break ;;
	esac
done
case $runs in '' | *[!0-9]* | 0) echo "chain.sh: -n wants a positive integer" >&2; exit 2 ;; esac
name=${1:-www.y.x.test} type=${2:-A}

if [ -z "${ZTK_BENCH_NETNS:-}" ] && unshare -n true 2>/dev/null; then
	export ZTK_BENCH_NETNS=1
	exec unshare -n -- bash -c 'ip link set lo up && exec bash "$0" "$@"' \
		"${BASH_SOURCE[0]}" "${orig_args[@]}"
fi
[ -n "${ZTK_BENCH_NETNS:-}" ] || echo "note: unshare -n unavailable; running in the host's network" >&2

b=${ZTK_BUILD:-build}
case $b in /*) ;; *) b=$repo/$b ;; esac
ztk=$b/bin/ztk-chain
[ -x "$ztk" ] || { echo "chain.sh: ztk-chain not built: $ztk" >&2; exit 1; }
for t in delv unbound-host /usr/bin/time; do
	command -v "$t" >/dev/null || { echo "chain.sh: $t missing (scripts/install-deps.sh)" >&2; exit 1; }
done

work=$(mktemp -d)
cleanup() { bash "$repo/tests/net/lab.sh" stop "$work/lab"; rm -rf "$work"; }
trap cleanup EXIT
ZTK_BUILD=$b bash "$repo/tests/net/lab.sh" start "$work/lab" >&2
# shellcheck disable=SC1091
. "$work/lab/lab.env"

ztk_run() { "$ztk" --server "$LAB_ROOT" --anchor "$LAB_DIR/anchor.ds" "$name" "$type"; }
ubh_run() { unbound-host -C "$LAB_DIR/unbound-host.conf" -f "$LAB_DIR/anchor.ds" -v -t "$type" "$name"; }
delv_run() { delv @"$LAB_RECURSOR" -a "$LAB_DIR/anchor.bind" +root=. +cdflag "$name" "$type"; }

# Each must say secure before it is timed: a fast wrong answer is no result.
ztk_run >"$work/o" 2>&1 || { cat "$work/o" >&2; echo "chain.sh: ztk-chain does not say secure" >&2; exit 1; }
ubh_run | grep -q '(secure)' || { echo "chain.sh: unbound-host does not say secure" >&2; exit 1; }
delv_run 2>&1 | grep -q '^; fully validated' || { echo "chain.sh: delv does not say secure" >&2; exit 1; }

# median_ms CMD...: median wall time of $runs runs, in milliseconds.
median_ms() {
	local i t0 t1
	for ((i = 0; i < runs; i++)); do
		t0=$EPOCHREALTIME
		"$@" >/dev/null 2>&1
		t1=$EPOCHREALTIME
		echo "$t0 $t1"
	done | awk '{ print ($2 - $1) * 1000 }' | sort -n |
		awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.2f\n", m }'
}

zt=$(median_ms ztk_run)
ut=$(median_ms ubh_run)
dt=$(median_ms delv_run)
echo "## $name $type, $runs runs each, median wall ms"
echo
echo "| tool | median ms | tool / ztk-chain |"
echo "| --- | ---: | ---: |"
awk -v z="$zt" -v u="$ut" -v d="$dt" 'BEGIN {
	printf "| ztk-chain (walk from the root, new process) | %.2f | 1.00 |\n", z
	printf "| unbound-host (walk from root hints, new process) | %.2f | %.2f |\n", u, u / z
	printf "| delv +cdflag via warm unbound cache | %.2f | %.2f |\n", d, d / z
}'

# Memory: names that exist or are proven absent, across the lab's zones.
mknames() {
	local n=$1 i zones=(alg8 alg10 alg13 alg14 alg15 alg16 nsec3 x y.x big)
	for ((i = 0; i < n; i++)); do
		case $((i % 4)) in
		0) echo "www.${zones[i % ${#zones[@]}]}.test A" ;;
		1) echo "nx$i.${zones[i % ${#zones[@]}]}.test A" ;;
		2) echo "txt.${zones[i % ${#zones[@]}]}.test TXT" ;;
		3) echo "www.${zones[i % ${#zones[@]}]}.test AAAA" ;;
		esac
	done
}
echo
echo "## ztk-chain --names-from: peak RSS"
echo
echo "| names | wall s | peak RSS KiB | exit |"
echo "| ---: | ---: | ---: | ---: |"
for n in 1 1000 10000; do
	mknames "$n" >"$work/names$n"
	set +e
	/usr/bin/time -v "$ztk" --server "$LAB_ROOT" --anchor "$LAB_DIR/anchor.ds" \
		--names-from "$work/names$n" >/dev/null 2>"$work/time$n"
	rc=$?
	set -e
	rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time$n")
	wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { print $2 }' "$work/time$n")
	echo "| $n | $wall | $rss | $rc |"
done
