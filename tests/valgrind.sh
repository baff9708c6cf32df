#!/bin/sh
# valgrind.sh - the main paths of every binary under valgrind memcheck:
# no invalid access, no leak (tests/valgrind.supp lists the one SoftHSM2
# leak we cannot fix).  Uses a throwaway ZTK_HOME; never the network.
# Exit 0 clean, 1 otherwise.  ZTK_BUILD picks the build (default build).
set -u
BUILD=${ZTK_BUILD:-build}
root=$(cd "$(dirname "$0")/.." && pwd) || exit 1
cd "$root" || exit 1
B="$root/$BUILD/bin"
command -v valgrind >/dev/null || { echo "valgrind not installed" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export ZTK_HOME="$tmp/home"
unset ZTK_PIN ZTK_PIN_FILE ZTK_TOKEN ZTK_PKCS11_MODULE ZTK_DB ZTK_PKCS11_URI SOFTHSM2_CONF
nerr=0

# vg WANT_STATUS CMD...: run under valgrind; the status must be WANT_STATUS
# and valgrind must report nothing (its own status 99).
vg() {
	want=$1; shift
	valgrind -q --leak-check=full --show-leak-kinds=definite,indirect \
		--errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
		--suppressions="$root/tests/valgrind.supp" "$@" \
		>"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" -ne "$want" ]; then
		echo "valgrind: $* exited $got, want $want" >&2
		tail -20 "$tmp/err" >&2
		nerr=$((nerr + 1))
	fi
}

vg 0 "$B/ztk-lint" -q examples/example.com.zone
vg 1 "$B/ztk-lint" --json tests/bats/fixtures/cname-and-other.zone
# the two-thread read (the file cut in two; lib/scan_split.h)
ZTK_SPLIT_MIN=1 vg 1 "$B/ztk-lint" --fail-on=info tests/bats/fixtures/mixed.zone
vg 0 "$B/ztk-key" -q init
vg 0 "$B/ztk-key" -q create --zone vg.example --role KSK -a ECDSAP256SHA256
vg 0 "$B/ztk-key" -q create --zone vg.example --role ZSK -a ED25519
vg 0 "$B/ztk-key" -q create --zone vg.example --role CSK -a RSASHA256
vg 0 "$B/ztk-key" list
vg 0 "$B/ztk-key" list --json
tag=$("$B/ztk-key" list --json --zone vg.example |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["keys"][0]["keyTag"])')
vg 0 "$B/ztk-key" show "$tag"
vg 0 "$B/ztk-key" -q export "$tag" --output-dir "$tmp"
vg 0 "$B/ztk-key" -q set-time "$tag" --inactive now+1d --delete now+2d
vg 1 "$B/ztk-key" delete "$tag"
vg 0 "$B/ztk-key" reconcile
vg 0 "$B/ztk-key" check --zone vg.example
vg 0 "$B/ztk-key" audit --verify
vg 0 "$B/ztk-key" audit --json
ZTK_PIN=wrong vg 3 "$B/ztk-key" check
sed 's/test\.example\./vgs.example./' tests/bats/fixtures/sign/mixed.zone >"$tmp/vg.zone"
"$B/ztk-key" -q create --zone vgs.example --role CSK >/dev/null
vg 0 "$B/ztk-sign" -q -j 2 --nsec3 --zonemd sha384 "$tmp/vg.zone"
vg 0 "$B/ztk-sign" -q -j 2 --verify all "$tmp/vg.zone"
# incremental with the cache: unchanged names copied from the output
echo 'vgnew A 192.0.2.200' >>"$tmp/vg.zone"
vg 0 "$B/ztk-sign" -q -j 2 "$tmp/vg.zone"
vg 0 "$B/ztk-lint" -q "$tmp/vg.zone.signed"
vg 2 "$B/ztk-sign" -q "$tmp/nonexistent.zone"
if [ -f ../shared/corpus/root-2026082201.zone ]; then
	vg 0 "$B/ztk-chain" --zone ../shared/corpus/root-2026082201.zone --now 2026-08-25 . SOA
	vg 1 "$B/ztk-chain" --json --zone ../shared/corpus/root-2026082201.zone --now 2026-09-20
fi
# the iterative resolver against its loopback responders (threads
# included), the denial proofs, and ztk-chain's live path up to a server
# that refuses (loopback only: a closed port answers with ICMP)
vg 0 "$root/$BUILD/tests/test_iterate"
vg 0 "$root/$BUILD/tests/test_denial"
vg 3 "$B/ztk-chain" --server 127.0.0.1#9 --timeout 2s --json www.example A
if [ -x "$B/ztk-ds" ]; then
	vg 0 "$B/ztk-ds" --store vg.example
	vg 0 "$B/ztk-ds" --json "$tmp"/Kvg.example.+013+*.key
	# signed input: the DNSKEY signatures are verified
	vg 0 "$B/ztk-ds" "$tmp/vg.zone.signed" vgs.example
	"$B/ztk-ds" "$tmp/vg.zone.signed" vgs.example >"$tmp/vgs.ds"
	vg 0 "$B/ztk-ds" --check-parent "$tmp/vgs.ds" "$tmp/vg.zone.signed" vgs.example
fi
[ "$nerr" -eq 0 ] && echo "valgrind: all clean"
[ "$nerr" -eq 0 ]
