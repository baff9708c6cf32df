#!/usr/bin/env bash
# Benchmark ztk-lint against peer zone checkers on the generated zones.
#
# usage: bench/lint.sh [-n RUNS] [--big] [SIZE...]
#   SIZE   10k, 100k, 1m (default: 10k 100k); --big appends 1m
#   -n     runs per tool and zone; the median wall time is reported (default 3)
# env:
#   ZTK_LINT       path to ztk-lint (default: <repo>/build/bin/ztk-lint)
#   ZTK_LINT_ARGS  extra arguments placed before the zone file
#                  (default: "-q --origin example.com")
#
# Output is a Markdown table, so it can be pasted into bench/RESULTS.md.
# "ztk-lint faster" is peer seconds / ztk-lint seconds; "ztk-lint memory"
# is ztk-lint peak RSS / peer peak RSS (below 1.0 means ztk-lint uses less).
set -euo pipefail

# EPOCHREALTIME and awk must agree on '.' as the decimal separator.
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
orig_args=("$@")

usage() { sed -n '2,16s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }

runs=3
big=0
sizes=()
while [ $# -gt 0 ]; do
	case $1 in
	-n) [ $# -ge 2 ] || { usage >&2; exit 2; }; runs=$2; shift 2 ;;
	-n*) runs=${1#-n}; shift ;;
	--big) big=1; shift ;;
	-h | --help) usage; exit 0 ;;
	10k | 100k | 1m) sizes+=("$1"); shift ;;
	*) echo "lint.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
	esac
done
case $runs in '' | *[!0-9]* | 0) echo "lint.sh: -n wants a positive integer" >&2; exit 2 ;; esac
[ ${#sizes[@]} -gt 0 ] || sizes=(10k 100k)
if [ "$big" = 1 ] && [[ " ${sizes[*]} " != *" 1m "* ]]; then sizes+=(1m); fi

# None of these tools should touch the network (named-checkzone -i full
# would resolve out-of-zone names).  Re-running the whole script inside an
# empty network namespace guarantees that, at a one-off cost instead of a
# per-run one that would skew the small-zone timings.
if [ -z "${ZTK_BENCH_NETNS:-}" ] && command -v unshare >/dev/null 2>&1 &&
	unshare -n true 2>/dev/null; then
	export ZTK_BENCH_NETNS=1
	exec unshare -n -- bash "${BASH_SOURCE[0]}" "${orig_args[@]}"
fi
if [ -z "${ZTK_BENCH_NETNS:-}" ]; then
	echo "note: unshare -n unavailable; relying on named-checkzone -i local" >&2
fi

[ -x /usr/bin/time ] || { echo "lint.sh: GNU time (/usr/bin/time) is required" >&2; exit 1; }

ztk=${ZTK_LINT:-}
if [ -z "$ztk" ]; then
	for c in "$repo/build/bin/ztk-lint"; do
		if [ -x "$c" ]; then ztk=$c; break; fi
	done
fi
read -r -a ztk_args <<<"${ZTK_LINT_ARGS--q --origin example.com}"

tools=()
if [ -n "$ztk" ] && [ -x "$ztk" ]; then
	tools+=(ztk-lint)
else
	echo "ztk-lint not built (set ZTK_LINT or build <repo>/../build/bin/ztk-lint); timing peers only" >&2
	ztk=
fi
for t in named-checkzone kzonecheck validns ldns-read-zone; do
	if command -v "$t" >/dev/null 2>&1; then
		tools+=("$t")
	else
		echo "$t not installed; skipping it" >&2
	fi
done

# The origin is passed explicitly wherever a tool accepts it, so no tool
# spends time guessing it from the file name.
tool_argv() {
	local zone=$2
	case $1 in
	ztk-lint) argv=("$ztk" "${ztk_args[@]}" "$zone") ;;
	named-checkzone) argv=(named-checkzone -i local example.com "$zone") ;;
	kzonecheck) argv=(kzonecheck -o example.com "$zone") ;;
	validns) argv=(validns -z example.com "$zone") ;;
	# ldns-read-zone re-prints the zone; that is part of what it does, and
	# the output goes to /dev/null like every other tool's.
	ldns-read-zone) argv=(ldns-read-zone "$zone") ;;
	esac
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

declare -A secs mib status
for size in "${sizes[@]}"; do
	zone="$here/data/zone-$size.zone"
	if [ ! -s "$zone" ]; then
		echo "generating $zone" >&2
		"$here/make-zones.sh" "$size" >&2
	fi
	# Warm the page cache so the first timed tool is not charged for disk I/O.
	cat "$zone" >/dev/null
	for t in "${tools[@]}"; do
		tool_argv "$t" "$zone"
		: >"$tmp/wall"
		: >"$tmp/rss"
		st=ok
		for ((i = 0; i < runs; i++)); do
			rc=0
			# Wall time comes from EPOCHREALTIME rather than GNU time's %e,
			# whose 10 ms resolution is too coarse for the 10k zone; the
			# extra fork/exec of /usr/bin/time is the same for every tool.
			t0=$EPOCHREALTIME
			/usr/bin/time -f '%e %M' -o "$tmp/time" "${argv[@]}" >/dev/null 2>"$tmp/err" || rc=$?
			t1=$EPOCHREALTIME
			if [ "$rc" -ne 0 ]; then
				st="FAIL(rc=$rc)"
				echo "$t failed on $zone (rc=$rc):" >&2
				head -n 5 "$tmp/err" >&2
				break
			fi
			awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", b - a }' >>"$tmp/wall"
			# GNU time prefixes a status line on failure; the format line is last.
			tail -n 1 "$tmp/time" | awk '{ print $2 }' >>"$tmp/rss"
		done
		status[$size,$t]=$st
		if [ "$st" = ok ]; then
			secs[$size,$t]=$(median <"$tmp/wall")
			# Peak RSS barely varies between runs; report the worst one.
			mib[$size,$t]=$(sort -g "$tmp/rss" | tail -n 1 | awk '{ printf "%.1f", $1 / 1024 }')
		fi
		printf '  %-5s %-16s %s\n' "$size" "$t" "${secs[$size,$t]:-$st}" >&2
	done
done

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC'); host: $(uname -sm), ${cpu:-unknown CPU}, $(nproc) cores"
echo "Median wall time of $runs run(s); peak RSS from GNU time %M (max over runs)."
echo
echo "| zone | tool | seconds | peak MiB | ztk-lint faster | ztk-lint memory |"
echo "|---|---|---:|---:|---:|---:|"
for size in "${sizes[@]}"; do
	zs=${secs[$size,ztk-lint]:-}
	zm=${mib[$size,ztk-lint]:-}
	if [ -z "$ztk" ]; then
		echo "| $size | ztk-lint | not yet built | not yet built | | |"
	fi
	for t in "${tools[@]}"; do
		if [ "${status[$size,$t]}" != ok ]; then
			echo "| $size | $t | ${status[$size,$t]} | | | |"
			continue
		fi
		s=${secs[$size,$t]}
		m=${mib[$size,$t]}
		speed='' mem=''
		if [ -n "$zs" ] && [ "$t" != ztk-lint ]; then
			speed=$(awk -v p="$s" -v z="$zs" 'BEGIN { if (z > 0) printf "%.1fx", p / z }')
			mem=$(awk -v p="$m" -v z="$zm" 'BEGIN { if (p > 0) printf "%.2fx", z / p }')
		fi
		printf '| %s | %s | %.3f | %s | %s | %s |\n' "$size" "$t" "$s" "$m" "$speed" "$mem"
	done
done
