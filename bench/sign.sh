#!/usr/bin/env bash
# Benchmark raw DNSSEC signing: ztk's key store against a bare PKCS#11
# C_Sign loop on the same SoftHSM2 token, and ztk's software signer against
# `openssl speed`.  ECDSA P-256, Ed25519 and RSA-2048; 1 and 2 threads,
# one session (or signer) per thread.
#
# usage: bench/sign.sh [-d SECONDS] [-r REPEATS] [-t "1 2"] [-S] [--retries N]
#                      [--no-openssl]
#   -d   seconds per timed run (default 3)
#   -r   runs per configuration; bare and ztk runs alternate and the median
#        rate is reported (lower middle for an even count; default 1)
#   -t   thread counts (default "1 2")
#   -S   also time the bare loop signing with a per-thread session-object
#        copy of the key (p11-bare-sign -S): an experiment, not a baseline
#   --retries N   redo a run whose threads waited more than 10% of their
#        time for a core (another process had it) up to N times (default 2)
#   --no-openssl  skip `openssl speed`
# env:
#   ZTK_PKCS11_MODULE  PKCS#11 module (default /usr/lib/softhsm/libsofthsm2.so;
#                      the throwaway token is made with softhsm2-util, so
#                      another module only works if it is SoftHSM2 too)
#   CC                 C compiler for the two bench tools (default cc)
#
# Everything (token, PIN file, keys, the compiled tools) lives in a temp
# dir that is removed on exit; nothing touches the network (the script
# re-runs itself under `unshare -n` where it can).  Needs build/libztk.a
# and build/bin/ztk-key (run `make` first).  Output is Markdown tables on
# stdout, every single run on stderr.  Default settings take about 95 s on a
# quiet machine; retried runs add to that.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
orig_args=("$@")

usage() { sed -n '2,30s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }

secs=3
runs=1
threads_list="1 2"
do_openssl=1
session_copy=0
retries=2
max_runq=10
while [ $# -gt 0 ]; do
	case $1 in
	-d) [ $# -ge 2 ] || { usage >&2; exit 2; }; secs=$2; shift 2 ;;
	-r) [ $# -ge 2 ] || { usage >&2; exit 2; }; runs=$2; shift 2 ;;
	-t) [ $# -ge 2 ] || { usage >&2; exit 2; }; threads_list=$2; shift 2 ;;
	-S) session_copy=1; shift ;;
	--retries) [ $# -ge 2 ] || { usage >&2; exit 2; }; retries=$2; shift 2 ;;
	--no-openssl) do_openssl=0; shift ;;
	-h | --help) usage; exit 0 ;;
	*) echo "sign.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
	esac
done
case $secs in '' | *[!0-9]* | 0) echo "sign.sh: -d wants a positive integer" >&2; exit 2 ;; esac
case $runs in '' | *[!0-9]* | 0) echo "sign.sh: -r wants a positive integer" >&2; exit 2 ;; esac
case $retries in '' | *[!0-9]*) echo "sign.sh: --retries wants a number" >&2; exit 2 ;; esac
for n in $threads_list; do
	case $n in '' | *[!0-9]* | 0) echo "sign.sh: -t wants thread counts" >&2; exit 2 ;; esac
done

# Offline for certain: re-run inside an empty network namespace if we can.
if [ -z "${ZTK_BENCH_NETNS:-}" ] && command -v unshare >/dev/null 2>&1 &&
	unshare -n true 2>/dev/null; then
	export ZTK_BENCH_NETNS=1
	exec unshare -n -- bash "${BASH_SOURCE[0]}" "${orig_args[@]}"
fi

module=${ZTK_PKCS11_MODULE:-/usr/lib/softhsm/libsofthsm2.so}
ztk_key=$repo/build/bin/ztk-key
lib=$repo/build/libztk.a
for f in "$ztk_key" "$lib"; do
	[ -e "$f" ] || { echo "sign.sh: $f missing; run 'make' first" >&2; exit 1; }
done
[ -e "$module" ] || { echo "sign.sh: PKCS#11 module $module not found" >&2; exit 1; }
for t in softhsm2-util openssl "${CC:-cc}"; do
	command -v "$t" >/dev/null 2>&1 || { echo "sign.sh: $t is required" >&2; exit 1; }
done

umask 077
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# --- the two tools --------------------------------------------------------
read -r -a p11inc <<<"$(pkg-config --cflags p11-kit-1 2>/dev/null || echo -I/usr/include/p11-kit-1)"
cflags=(-std=c17 -O2 -D_GNU_SOURCE -Wall -Wextra -Wshadow -Wstrict-prototypes
	-Wmissing-prototypes -Wformat=2 -Wno-missing-field-initializers
	-I"$repo/include" "${p11inc[@]}")
mkdir "$tmp/bin"
"${CC:-cc}" "${cflags[@]}" "$here/p11-bare-sign.c" -o "$tmp/bin/p11-bare-sign" \
	-lcrypto -ldl -lpthread
"${CC:-cc}" "${cflags[@]}" "$here/sign-bench.c" -o "$tmp/bin/sign-bench" \
	"$lib" -lp11 -lcrypto -lsqlite3 -ldl -lm -lpthread

# --- throwaway token and keys ---------------------------------------------
mkdir "$tmp/tokens" "$tmp/home" "$tmp/soft"
export SOFTHSM2_CONF=$tmp/softhsm2.conf
printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n' \
	"$tmp/tokens" >"$SOFTHSM2_CONF"
pin=$(openssl rand -hex 16)
so_pin=$(openssl rand -hex 16)
printf '%s\n' "$pin" >"$tmp/pin"
chmod 600 "$tmp/pin"
# softhsm2-util only takes PINs as arguments; both die with the temp token.
softhsm2-util --module "$module" --init-token --free --label bench \
	--pin "$pin" --so-pin "$so_pin" >/dev/null
unset pin so_pin

export ZTK_HOME=$tmp/home ZTK_TOKEN=bench ZTK_PIN_FILE=$tmp/pin
export ZTK_PKCS11_MODULE=$module
"$ztk_key" init -q

algs=(ECDSAP256SHA256 ED25519 RSASHA256)
declare -A id pretty
pretty=([ECDSAP256SHA256]="ECDSA P-256" [ED25519]=Ed25519 [RSASHA256]=RSA-2048)
for a in "${algs[@]}"; do
	json=$("$ztk_key" create --zone bench. --role ZSK -a "$a" --json)
	id[$a]=$(printf '%s\n' "$json" | sed -n 's/.*"pkcs11Id":"\([0-9a-fA-F]*\)".*/\1/p')
	[ -n "${id[$a]}" ] || { echo "sign.sh: no pkcs11Id for $a in: $json" >&2; exit 1; }
done
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
	-out "$tmp/soft/ECDSAP256SHA256.pem" 2>/dev/null
openssl genpkey -algorithm ED25519 -out "$tmp/soft/ED25519.pem" 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
	-out "$tmp/soft/RSASHA256.pem" 2>/dev/null
chmod 600 "$tmp/soft"/*.pem

# --- timed runs ------------------------------------------------------------
# Each tool prints "... rate=R cpu=C% runq=Q% ...": Q is the share of the
# signing threads' time spent waiting for a core, i.e. stolen by something
# else on the machine.  A run with Q above $max_runq% is disturbed and is
# done again (up to $retries times), keeping the least disturbed attempt.
fields() { sed -n 's/.* rate=\([0-9.]*\) cpu=\([0-9]*\)% runq=\([0-9?]*\)%\{0,1\} .*/\1 \2 \3/p'; }
disturbed() { [ "$1" = '?' ] || [ "$1" -gt "$max_runq" ]; }
timed() {
	local out best='' best_q=1000 q try
	for ((try = 0; try <= retries; try++)); do
		out=$("$@")
		echo "  $out" >&2
		read -r _ _ q < <(printf '%s\n' "$out" | fields)
		[ -n "$q" ] || { echo "sign.sh: cannot parse: $out" >&2; exit 1; }
		if [ "$q" = '?' ] || [ "$q" -lt "$best_q" ]; then
			best=$out
			best_q=$q
		fi
		disturbed "$q" || break
		[ "$try" -lt "$retries" ] && echo "  (disturbed: waited ${q}% for a core; again)" >&2
	done
	printf '%s\n' "$best" | fields
}
# Median by rate; prints "rate cpu runq" of that run.
median() { sort -g | awk '{ v[NR] = $0 } END { print v[int((NR + 1) / 2)] }'; }

load0=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A bare ours soft ossl copy bcpu ocpu bq oq sq cq
for a in "${algs[@]}"; do
	for n in $threads_list; do
		: >"$tmp/r.bare" ; : >"$tmp/r.ours" ; : >"$tmp/r.soft" ; : >"$tmp/r.copy"
		for ((i = 0; i < runs; i++)); do
			# Alternate which goes first so drift in machine load
			# does not always favour the same side.
			order=(bare ours)
			((i % 2)) && order=(ours bare)
			[ "$session_copy" = 1 ] && order+=(copy)
			order+=(soft)
			for w in "${order[@]}"; do
				case $w in
				bare) cmd=("$tmp/bin/p11-bare-sign" -m "$module" -t bench -i "${id[$a]}") ;;
				copy) cmd=("$tmp/bin/p11-bare-sign" -S -m "$module" -t bench -i "${id[$a]}") ;;
				ours) cmd=("$tmp/bin/sign-bench" -a "$a" -m "$module" -t bench -i "${id[$a]}") ;;
				soft) cmd=("$tmp/bin/sign-bench" -a "$a" -k "$tmp/soft/$a.pem") ;;
				esac
				timed "${cmd[@]}" -n "$n" -d "$secs" >>"$tmp/r.$w"
			done
		done
		read -r "bare[$a,$n]" "bcpu[$a,$n]" "bq[$a,$n]" < <(median <"$tmp/r.bare")
		read -r "ours[$a,$n]" "ocpu[$a,$n]" "oq[$a,$n]" < <(median <"$tmp/r.ours")
		read -r "soft[$a,$n]" _ "sq[$a,$n]" < <(median <"$tmp/r.soft")
		if [ "$session_copy" = 1 ]; then
			read -r "copy[$a,$n]" _ "cq[$a,$n]" < <(median <"$tmp/r.copy")
		fi
	done
done

# openssl speed: one process per thread (-multi), every algorithm in one
# call; it times verify too, so each call takes 2 x 3 x SECONDS.
if [ "$do_openssl" = 1 ]; then
	for n in $threads_list; do
		multi=()
		[ "$n" -gt 1 ] && multi=(-multi "$n")
		echo "  openssl speed ${multi[*]} -seconds $secs ecdsap256 ed25519 rsa2048" >&2
		openssl speed "${multi[@]}" -seconds "$secs" ecdsap256 ed25519 rsa2048 \
			>"$tmp/ossl" 2>/dev/null
		ossl[ECDSAP256SHA256,$n]=$(awk '/ecdsa \(nistp256\)/ && NF >= 4 { v = $(NF - 1) } END { print v }' "$tmp/ossl")
		ossl[ED25519,$n]=$(awk '/EdDSA \(Ed25519\)/ && NF >= 4 { v = $(NF - 1) } END { print v }' "$tmp/ossl")
		ossl[RSASHA256,$n]=$(awk '/^rsa 2048 bits/ { v = $(NF - 1) } END { print v }' "$tmp/ossl")
	done
fi
load1=$(cut -d' ' -f1-3 /proc/loadavg)

# --- table ------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && b != "" && b > 0) printf "%.0f%%", 100 * a / b }'; }
# A rate, starred if that run stayed disturbed (waited > max_runq% for a core).
fmt() {
	local mark=''
	[ -n "${2:-}" ] && disturbed "$2" && mark='*'
	awk -v a="$1" -v m="$mark" 'BEGIN { if (a != "") printf "%.0f%s", a, m }'
}
blocked() { awk -v c="$1" -v q="$2" 'BEGIN { if (q == "?") printf "?"; else { b = 100 - c - q; printf "%d%%", b < 0 ? 0 : b } }'; }

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
sv=$(softhsm2-util --version 2>/dev/null || true)
echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC'); host: $(uname -sm), ${cpu:-unknown CPU}, $(nproc) cores"
echo "SoftHSM2 ${sv:-?} (file object store); $(openssl version | cut -d' ' -f1-2); $secs s per run, median of $runs;"
echo "load average before $load0, after $load1."
echo "Signatures per second over a 200-octet message; ECDSA and RSA hash it"
echo "with SHA-256 per signature, Ed25519 signs it whole."
echo "Blocked: share of the signing threads' time neither running nor waiting"
echo "for a core (waiting on the token's locks and files)."
echo "\* the run's threads still waited more than ${max_runq}% of their time for a core"
echo "after $retries retries (the machine was busy): that rate is low for reasons"
echo "outside the code."
echo
echo "| algorithm | threads | bare C_Sign | ztk PKCS#11 | ztk / bare | blocked bare / ztk | ztk soft | openssl speed | ztk soft / openssl | ztk PKCS#11 / openssl |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for a in "${algs[@]}"; do
	for n in $threads_list; do
		printf '| %s | %s | %s | %s | %s | %s / %s | %s | %s | %s | %s |\n' \
			"${pretty[$a]}" "$n" \
			"$(fmt "${bare[$a,$n]}" "${bq[$a,$n]}")" \
			"$(fmt "${ours[$a,$n]}" "${oq[$a,$n]}")" \
			"$(ratio "${ours[$a,$n]}" "${bare[$a,$n]}")" \
			"$(blocked "${bcpu[$a,$n]}" "${bq[$a,$n]}")" \
			"$(blocked "${ocpu[$a,$n]}" "${oq[$a,$n]}")" \
			"$(fmt "${soft[$a,$n]}" "${sq[$a,$n]}")" \
			"$(fmt "${ossl[$a,$n]:-}")" \
			"$(ratio "${soft[$a,$n]}" "${ossl[$a,$n]:-}")" \
			"$(ratio "${ours[$a,$n]}" "${ossl[$a,$n]:-}")"
	done
done
# Scaling: rate with the largest thread count over the rate with the first.
# shellcheck disable=SC2086 # a list of numbers, split on purpose
set -- $threads_list
first=$1
last=${!#}
if [ "$first" != "$last" ]; then
	echo
	echo "| algorithm | bare ${last}T/${first}T | ztk PKCS#11 ${last}T/${first}T | ztk soft ${last}T/${first}T | openssl ${last}T/${first}T |"
	echo "|---|---:|---:|---:|---:|"
	sc() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && b != "" && b > 0) printf "%.2fx", a / b }'; }
	for a in "${algs[@]}"; do
		printf '| %s | %s | %s | %s | %s |\n' "${pretty[$a]}" \
			"$(sc "${bare[$a,$last]}" "${bare[$a,$first]}")" \
			"$(sc "${ours[$a,$last]}" "${ours[$a,$first]}")" \
			"$(sc "${soft[$a,$last]}" "${soft[$a,$first]}")" \
			"$(sc "${ossl[$a,$last]:-}" "${ossl[$a,$first]:-}")"
	done
fi
if [ "$session_copy" = 1 ]; then
	echo
	echo "Experiment: the bare loop signing with a per-thread session-object copy"
	echo "of the key (C_CopyObject with CKA_TOKEN false; p11-bare-sign -S)."
	echo
	echo "| algorithm | threads | bare C_Sign | bare, session copy | copy / bare |"
	echo "|---|---:|---:|---:|---:|"
	for a in "${algs[@]}"; do
		for n in $threads_list; do
			printf '| %s | %s | %s | %s | %s |\n' "${pretty[$a]}" "$n" \
				"$(fmt "${bare[$a,$n]}" "${bq[$a,$n]}")" \
				"$(fmt "${copy[$a,$n]}" "${cq[$a,$n]}")" \
				"$(ratio "${copy[$a,$n]}" "${bare[$a,$n]}")"
		done
	done
fi
