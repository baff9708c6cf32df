#!/usr/bin/env bats
# ztk-chain online, against delv, on the loopback hierarchy of
# tests/net/lab.sh (knotd and nsd authoritative servers, an unbound
# recursor that does not validate).  delv validates by itself (+cdflag)
# from the same trust anchor; for every scenario both verdicts must be the
# one the scenario was built for.  Only 127.53.0.0/24 is ever queried:
# ztk-chain gets --server or --root-hints of the lab, delv the recursor.

load helpers

setup_file() {
	local b="${ZTK_BUILD:-build}"
	[[ "$b" == /* ]] || b="$REPO_ROOT/$b"
	export ZTK_CHAIN="$b/bin/ztk-chain"
	export LAB="$BATS_FILE_TMPDIR/lab" LAB_SKIP="" LAB_ERR=""
	local t missing=""
	for t in knotd nsd unbound unbound-host delv kdig; do
		command -v "$t" >/dev/null || missing="$missing $t"
	done
	if [[ -n "$missing" ]]; then
		sh "$REPO_ROOT/scripts/install-deps.sh" >/dev/null 2>&1 || true
		missing=""
		for t in knotd nsd unbound unbound-host delv kdig; do
			command -v "$t" >/dev/null || missing="$missing $t"
		done
	fi
	if [[ -n "$missing" ]]; then
		export LAB_SKIP="cannot install:$missing"
		return 0
	fi
	# Do not fail here: teardown_file must still run to stop what started.
	if ! ZTK_BUILD="$b" bash "$REPO_ROOT/tests/net/lab.sh" start "$LAB" \
		>"$BATS_FILE_TMPDIR/lab.out" 2>&1; then
		export LAB_ERR="lab.sh start failed: $(cat "$BATS_FILE_TMPDIR/lab.out")"
	fi
}

teardown_file() {
	[[ -z "${LAB:-}" ]] || bash "$REPO_ROOT/tests/net/lab.sh" stop "$LAB"
}

setup() {
	[[ -z "$LAB_SKIP" ]] || skip "$LAB_SKIP"
	[[ -z "$LAB_ERR" ]] || fail "$LAB_ERR"
	[[ -x "$ZTK_CHAIN" ]] || fail "ztk-chain not built: $ZTK_CHAIN"
	# shellcheck disable=SC1091
	. "$LAB/lab.env"
	cd "$BATS_TEST_TMPDIR" || fail "no temp dir"
}

# delv_verdict NAME TYPE: delv's judgement through the lab's recursor,
# as secure, insecure, bogus or indeterminate (no answer at all).
delv_verdict() {
	local out
	out=$(timeout 30 delv @"$LAB_RECURSOR" -a "$LAB/anchor.bind" +root=. \
		+cdflag "$1" "$2" 2>&1)
	echo "$out" >"$BATS_TEST_TMPDIR/delv.out"
	if grep -q '^; fully validated' <<<"$out" ||
		grep -q '^; negative response, fully validated' <<<"$out"; then
		echo secure
	elif grep -q '^; unsigned answer' <<<"$out" ||
		grep -q '^; negative response, unsigned answer' <<<"$out"; then
		echo insecure
	elif grep -Eq 'resolution failed: (broken trust chain|no valid (RRSIG|DS|KEY)|insecurity proof failed)' <<<"$out"; then
		echo bogus
	else
		echo indeterminate
	fi
}

# ubh_verdict NAME TYPE: unbound-host's (libunbound walking from the
# lab's root hints and validating from the DS anchor), in the same words.
ubh_verdict() {
	local out
	out=$(timeout 30 unbound-host -C "$LAB/unbound-host.conf" -f "$LAB/anchor.ds" \
		-v -t "$2" "$1" 2>&1)
	echo "$out" >"$BATS_TEST_TMPDIR/ubh.out"
	case $out in
	*'(BOGUS'*) echo bogus ;;
	*'(secure)'*) echo secure ;;
	*'(insecure)'*) echo insecure ;;
	*) echo indeterminate ;;
	esac
}

# chain ARGS...: ztk-chain online from the lab's root with the DS anchor.
chain() {
	"$ZTK_CHAIN" --server "$LAB_ROOT" --anchor "$LAB/anchor.ds" \
		--timeout 5s "$@"
}

# agree NAME TYPE VERDICT STATUS [UBH]: delv, unbound-host (unless UBH
# says otherwise; "-": not asked) and ztk-chain all give VERDICT; ztk-chain exits STATUS,
# and its --json verdict is VERDICT.  Leaves the text run of ztk-chain in
# $output for further assertions.
agree() {
	local name=$1 type=$2 want=$3 code=$4 dv uv jv
	dv=$(delv_verdict "$name" "$type")
	[[ "$dv" == "$want" ]] ||
		fail "delv says $dv for $name $type, expected $want: $(cat "$BATS_TEST_TMPDIR/delv.out")"
	if [[ "${5:-}" != - ]]; then
		uv=$(ubh_verdict "$name" "$type")
		[[ "$uv" == "${5:-$want}" ]] ||
			fail "unbound-host says $uv for $name $type, expected ${5:-$want}: $(cat "$BATS_TEST_TMPDIR/ubh.out")"
	fi
	run --separate-stderr chain --json "$name" "$type"
	[[ $status -eq $code ]] ||
		fail "ztk-chain --json $name $type: exit $status, expected $code (delv: $dv): $output $stderr"
	jv=$(jget 'd["verdict"]' <<<"$output") || fail "not JSON: $output"
	[[ "$jv" == "$want" ]] || fail "ztk-chain --json verdict $jv, delv $dv: $output"
	echo "$output" >"$BATS_TEST_TMPDIR/chain.json"
	run --separate-stderr chain "$name" "$type"
	[[ $status -eq $code ]] || fail "ztk-chain $name $type: exit $status, expected $code: $output $stderr"
}

# level ZONE KEY: the KEY of ZONE's entry in the last --json run.
level() {
	jget "[l['$2'] for l in d['levels'] if l['zone'] == '$1'][0]" \
		<"$BATS_TEST_TMPDIR/chain.json"
}

# dstag SIGNED ORIGIN: the key tag of the first SEP key of a signed zone,
# as dnssec-dsfromkey computes it.
dstag() { dnssec-dsfromkey -2 -f "$1" "$2" 2>/dev/null | awk '{ print $4; exit }'; }

@test "the lab: every server answers for its zones, authoritatively, on loopback only" {
	run -0 kdig +norec @"$LAB_ROOT" . SOA
	assert_output --partial 'Flags: qr aa'
	run -0 kdig +norec @"$LAB_TLD" test. DNSKEY
	assert_output --partial 'Flags: qr aa'
	run -0 kdig +norec @"$LAB_NS_A" x.test. SOA
	assert_output --partial 'Flags: qr aa'
	run -0 kdig +norec @"$LAB_NS_B" y.x.test. SOA
	assert_output --partial 'Flags: qr aa'
	# the recursor iterates from our root, never from the real one
	run -0 grep -E '^ *root-hints: "'"$LAB"'/root.hints"' "$LAB/unbound.conf"
	run -1 grep -E 'forward-zone|stub-zone' "$LAB/unbound.conf"
	run -0 kdig @"$LAB_RECURSOR" www.y.x.test. A +short
	assert_output '192.0.2.1'
}

@test "ztk-chain sends to lab addresses only (every connect and sendto, traced)" {
	command -v strace >/dev/null || fail "strace not installed (scripts/install-deps.sh)"
	printf 'www.y.x.test A\nbig.big.test TXT\nwww.insecure.test A\nwww.dead.test A\n' >names
	# LeakSanitizer cannot run under ptrace; leaks have a test of their own
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	run strace -f -e trace=connect,sendto,sendmsg,sendmmsg -o trace \
		"$ZTK_CHAIN" --root-hints "$LAB/root.hints" --anchor "$LAB/anchor.ds" \
		--timeout 2s --names-from names
	[[ $status -eq 3 ]] || fail "exit $status: $output"
	local net=${LAB_ROOT%.*}
	# something was sent, to the lab's servers (the dead one included)
	grep -q "inet_addr(\"$LAB_ROOT\")" trace || fail "no query to the root: $(head trace)"
	grep -q "inet_addr(\"$LAB_DEAD\")" trace || fail "no query to the dead server"
	# and nowhere else: no other IPv4 address, no IPv6 but ::1
	run grep -E 'AF_INET' trace
	run grep -vE "inet_addr\(\"${net//./\\.}\.[0-9]+\"\)|inet_pton\(AF_INET6, \"::1\"" <<<"$output"
	[[ -z "$output" ]] || fail "sent elsewhere: $output"
}

@test "algorithm 8 (RSASHA256, ztk-sign KSK+ZSK): secure for delv and ztk-chain" {
	agree www.alg8.test A secure 0
	[[ "$(level alg8.test. verdict)" == secure ]]
}

@test "algorithm 10 (RSASHA512, dnssec-signzone): secure for delv and ztk-chain" {
	agree www.alg10.test A secure 0
	[[ "$(level alg10.test. verdict)" == secure ]]
}

@test "algorithm 13 (ECDSAP256SHA256, ztk-sign KSK+ZSK): secure for delv and ztk-chain" {
	agree www.alg13.test A secure 0
	[[ "$(level alg13.test. verdict)" == secure ]]
}

@test "algorithm 14 (ECDSAP384SHA384, dnssec-signzone): secure for delv and ztk-chain" {
	agree www.alg14.test A secure 0
	[[ "$(level alg14.test. verdict)" == secure ]]
}

@test "algorithm 15 (ED25519, ztk-sign CSK): secure for delv and ztk-chain" {
	agree www.alg15.test A secure 0
	[[ "$(level alg15.test. verdict)" == secure ]]
}

@test "algorithm 16 (ED448, dnssec-signzone): secure for delv and ztk-chain" {
	# Debian 12's libunbound has no Ed448: an unsupported algorithm makes
	# the zone insecure for it (RFC 4035 5.2), not bogus.
	agree www.alg16.test A secure 0 insecure
	[[ "$(level alg16.test. verdict)" == secure ]]
}

@test "NSEC3 zone: a present name is secure for both" {
	agree www.nsec3.test A secure 0
	[[ "$(level nsec3.test. verdict)" == secure ]]
}

@test "NSEC3 zone: NXDOMAIN proven, secure for both" {
	agree nx.nsec3.test A secure 0
}

@test "NSEC zone: NXDOMAIN proven, secure for both" {
	agree nx.alg13.test A secure 0
}

@test "NSEC zone: NODATA proven, secure for both" {
	agree www.alg13.test MX secure 0
}

@test "NSEC zone: an answer from a wildcard, with the NSEC proof, secure for both" {
	agree foo.wc.alg13.test TXT secure 0
}

@test "NSEC3 zone: an answer from a wildcard, with the NSEC3 proof, secure for both" {
	agree foo.wc.nsec3.test TXT secure 0
}

@test "insecure delegation proven by NSEC: insecure for both; exit 0 only with --allow-insecure" {
	agree www.insecure.test A insecure 1
	assert_output --partial 'insecure.test.'
	[[ "$(level insecure.test. verdict)" == insecure ]]
	[[ "$(level test. verdict)" == secure ]]
	run -0 chain --allow-insecure www.insecure.test A
}

@test "insecure delegation proven by NSEC3 opt-out: insecure for both" {
	agree www.child.optout.test A insecure 1
	assert_output --partial 'child.optout.test.'
	[[ "$(level child.optout.test. verdict)" == insecure ]]
	[[ "$(level optout.test. verdict)" == secure ]]
	run -0 chain --allow-insecure www.child.optout.test A
}

@test "DS mismatch: bogus for both; the reason names the DS and the published keys" {
	agree www.dsmismatch.test A bogus 1
	local ds pub
	ds=$(dstag "$LAB/zones/dsmismatch.other" dsmismatch.test)
	pub=$(dstag "$LAB/zones/dsmismatch.test.signed" dsmismatch.test)
	[[ -n "$ds" && -n "$pub" && "$ds" != "$pub" ]] || fail "tags $ds $pub"
	assert_output --regexp "DS $ds/13/2 .*matches no DNSKEY of dsmismatch\.test\. \(it publishes $pub/13\)"
	[[ "$(level dsmismatch.test. verdict)" == bogus ]]
	[[ "$(level test. verdict)" == secure ]]
	level dsmismatch.test. reason | grep -q "$ds/13/2"
}

@test "signatures expired 10 days ago: bogus for both, the reason says expired" {
	agree www.expired.test A bogus 1
	assert_output --regexp 'expired\.test\.'
	assert_output --regexp 'expired'
	[[ "$(level expired.test. verdict)" == bogus ]]
	level expired.test. reason | grep -q 'expired'
}

@test "DNSKEY RRset signed only by the ZSK: bogus for both, naming the DS's key" {
	agree www.zskonly.test A bogus 1
	local ksk
	ksk=$(awk '{ print $4 }' "$LAB/dsset/dsset-zskonly.test.")
	assert_output --partial 'zskonly.test.'
	[[ "$(level zskonly.test. verdict)" == bogus ]]
	level zskonly.test. reason | grep -q "$ksk"
	# the setup is what it says: one RRSIG over DNSKEY, not by the KSK
	run -0 kdig +norec +dnssec @"$LAB_NS_B" zskonly.test. DNSKEY
	[[ $(grep -c 'RRSIG.*DNSKEY' <<<"$output") -eq 1 ]]
	run -1 grep -E "RRSIG.*DNSKEY.* $ksk zskonly" <<<"$output"
}

@test "an answer bigger than 1232 octets: truncated over UDP, secure for both over TCP" {
	run -0 kdig +norec +dnssec +ignore +bufsize=1232 @"$LAB_NS_A" big.big.test. TXT
	assert_output --partial 'Flags: qr aa tc'
	agree big.big.test TXT secure 0
}

@test "a 4-level chain (. test. x.test. y.x.test.): secure for both, every level in the report" {
	agree www.y.x.test A secure 0
	local z
	for z in . test. x.test. y.x.test.; do
		[[ "$(level "$z" verdict)" == secure ]] || fail "level $z: $(cat "$BATS_TEST_TMPDIR/chain.json")"
	done
	assert_output --partial 'y.x.test.'
}

@test "the walk from --root-hints gives the same verdicts as from --server" {
	run -0 "$ZTK_CHAIN" --root-hints "$LAB/root.hints" --anchor "$LAB/anchor.ds" \
		--timeout 5s www.y.x.test A
	run -1 "$ZTK_CHAIN" --root-hints "$LAB/root.hints" --anchor "$LAB/anchor.ds" \
		--timeout 5s www.dsmismatch.test A
}

@test "the anchor as DS, as DNSKEY and as a BIND trust-anchors block: same verdict" {
	local a
	for a in anchor.ds anchor.dnskey anchor.bind; do
		run -0 "$ZTK_CHAIN" --server "$LAB_ROOT" --anchor "$LAB/$a" --timeout 5s www.alg13.test A
	done
}

@test "a wrong trust anchor: bogus at the root for both" {
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out k.pem 2>/dev/null
	chmod 600 k.pem
	printf '. SOA a. b. 1 1 1 1 1\n. NS a.\n' >r.zone
	"$(dirname "$ZTK_CHAIN")/ztk-sign" -q -f --csk k.pem -z . -o r.signed r.zone
	dnssec-dsfromkey -2 -f r.signed . >wrong.ds
	awk '$3 == "DNSKEY" || $4 == "DNSKEY"' r.signed | awk '{ for (i = 1; i <= NF; i++) if ($i == "DNSKEY") break;
	       k = ""; for (j = i + 4; j <= NF; j++) k = k $j;
	       printf "trust-anchors {\n\t. static-key %s %s %s \"%s\";\n};\n", $(i+1), $(i+2), $(i+3), k }' >wrong.bind
	run timeout 30 delv @"$LAB_RECURSOR" -a wrong.bind +root=. +cdflag www.alg13.test A
	assert_output --regexp 'resolution failed: (broken trust chain|no valid)'
	run --separate-stderr "$ZTK_CHAIN" --server "$LAB_ROOT" --anchor wrong.ds --timeout 5s --json www.alg13.test A
	[[ $status -eq 1 ]] || fail "exit $status: $output $stderr"
	[[ "$(jget 'd["verdict"]' <<<"$output")" == bogus ]]
	[[ "$(jget 'd["levels"][0]["zone"]' <<<"$output")" == . ]]
	[[ "$(jget 'd["levels"][0]["verdict"]' <<<"$output")" == bogus ]]
}

@test "--now past every signature of the lab: the live answers are bogus from the root down" {
	# the lab signs for 30 days (a few days less with jitter)
	run -0 chain www.alg13.test A
	run --separate-stderr chain --json --now "$(date -u -d '+40 days' +%Y%m%d%H%M%S)" www.alg13.test A
	[[ $status -eq 1 ]] || fail "exit $status: $output $stderr"
	[[ "$(jget 'd["verdict"]' <<<"$output")" == bogus ]]
	[[ "$(jget 'd["levels"][0]["zone"]' <<<"$output")" == . ]]
	[[ "$(jget 'd["levels"][0]["verdict"]' <<<"$output")" == bogus ]]
	jget 'd["levels"][0]["reason"]' <<<"$output" | grep -q expired
}

@test "two servers of serial.test. disagree on the SOA serial: secure for both, ztk-chain warns" {
	# the setup: two serials
	[[ "$(kdig +norec +short @"$LAB_NS_A" serial.test. SOA | awk '{ print $3 }')" != \
	   "$(kdig +norec +short @"$LAB_NS_B" serial.test. SOA | awk '{ print $3 }')" ]]
	agree www.serial.test A secure 0
	assert_output --partial 'serial'
	assert_output --partial "$LAB_NS_A"
	assert_output --partial "$LAB_NS_B"
}

@test "two servers of dnskey.test. publish different DNSKEY RRsets: secure for both, ztk-chain warns" {
	# the setup: one key on ns-a, two on ns-b, the DS for the common one
	[[ $(kdig +norec +short @"$LAB_NS_A" dnskey.test. DNSKEY | wc -l) -eq 1 ]]
	[[ $(kdig +norec +short @"$LAB_NS_B" dnskey.test. DNSKEY | wc -l) -eq 2 ]]
	agree www.dnskey.test A secure 0
	assert_output --partial 'DNSKEY'
	assert_output --partial "$LAB_NS_A"
	assert_output --partial "$LAB_NS_B"
}

@test "the parent's only DS is SHA-1: secure for both, ztk-chain warns" {
	agree www.sha1.test A secure 0
	assert_output --regexp 'warning: .*SHA-1'
}

@test "a KSK without DS at the parent: secure for both, ztk-chain warns" {
	agree www.ksknods.test A secure 0
	# the setup: two KSKs published, one DS at the parent
	[[ $(dnssec-dsfromkey -2 -f "$LAB/zones/ksknods.test.signed" ksknods.test | wc -l) -eq 2 ]]
	[[ $(awk '$1 == "ksknods.test." && $3 == "DS"' "$LAB/zones/test.zone" | wc -l) -eq 1 ]]
	assert_output --regexp 'warning: ksknods\.test\. .*KSK without DS'
	[[ "$(level ksknods.test. kskWithoutDs)" == True ]]
}

@test "a DS for a key not published yet: secure for both, ztk-chain warns naming the DS" {
	agree www.prepub.test A secure 0
	local next
	next=$(dstag "$LAB/zones/prepub.next" prepub.test)
	assert_output --regexp "warning: .*[^0-9]$next[^0-9]"
}

@test "one of two servers never answers: secure for both, ztk-chain warns naming it" {
	# unbound-host waits for the dead server far longer than the others
	agree www.lame.test A secure 0 -
	assert_output --regexp "warning: .*$LAB_DEAD"
}

@test "a server that never answers (--server): exit 3 within --timeout, one line naming it" {
	SECONDS=0
	run --separate-stderr "$ZTK_CHAIN" --server "$LAB_DEAD" --anchor "$LAB/anchor.ds" \
		--timeout 2s www.test A
	local took=$SECONDS
	[[ $status -eq 3 ]] || fail "exit $status: $output $stderr"
	[[ $took -le 10 ]] || fail "took $took s with --timeout 2s"
	[[ ${#stderr_lines[@]} -eq 1 ]] || fail "stderr: $stderr"
	[[ "${stderr_lines[0]}" == ztk-chain:*"$LAB_DEAD"* ]] || fail "stderr: $stderr"
}

@test "a delegation to a server that never answers: indeterminate for both, exit 3 naming it" {
	[[ "$(delv_verdict www.dead.test A)" == indeterminate ]] ||
		fail "delv: $(cat "$BATS_TEST_TMPDIR/delv.out")"
	SECONDS=0
	run --separate-stderr chain --timeout 2s --json www.dead.test A
	local took=$SECONDS
	[[ $status -eq 3 ]] || fail "exit $status: $output $stderr"
	[[ $took -le 10 ]] || fail "took $took s with --timeout 2s"
	[[ "$(jget 'd["verdict"]' <<<"$output")" == indeterminate ]]
	[[ "$output$stderr" == *"$LAB_DEAD"* ]] || fail "no server named: $output $stderr"
}

@test "--nagios: OK, WARNING, CRITICAL and UNKNOWN with one status line each" {
	run -0 chain --nagios www.y.x.test A
	[[ ${#lines[@]} -eq 1 ]] || fail "$output"
	assert_output --regexp '^DNSSEC OK - '
	# every signature of the lab expires within 40 days: a warning
	run -1 chain --nagios --expire-warn 40d www.y.x.test A
	[[ ${#lines[@]} -eq 1 ]] || fail "$output"
	assert_output --regexp '^DNSSEC WARNING - .*expir'
	run -0 chain --expire-warn 40d www.y.x.test A
	assert_output --regexp 'warning: .*expir'
	run -2 chain --nagios www.dsmismatch.test A
	[[ ${#lines[@]} -eq 1 ]] || fail "$output"
	assert_output --regexp '^DNSSEC CRITICAL - .*dsmismatch\.test\.'
	# the status line on stdout; the error also goes to stderr
	run -3 --separate-stderr chain --nagios --timeout 2s www.dead.test A
	[[ ${#lines[@]} -eq 1 ]] || fail "$output"
	assert_output --regexp "^DNSSEC UNKNOWN - www\.dead\.test\.: .*$LAB_DEAD"
}

@test "--prometheus writes the text exposition: verdict, expiry and DS match per zone" {
	run -0 chain --prometheus chain.prom www.y.x.test A
	[[ -s chain.prom ]] || fail "no chain.prom"
	# written atomically: nothing but the file itself is left behind
	run -0 ls -A
	assert_output 'chain.prom'
	# every line: "# HELP|TYPE metric ..." or "metric{labels} value"
	[[ $(grep -cvE '^(# (HELP|TYPE) [a-z_]+ .*|[a-z_]+(\{[^}]*\})? -?[0-9.e+-]+)$' chain.prom) -eq 0 ]] ||
		fail "not text exposition: $(cat chain.prom)"
	local z v
	for z in . test. x.test. y.x.test.; do
		grep -qxF "ztk_chain_verdict{name=\"www.y.x.test.\",zone=\"$z\",verdict=\"secure\"} 1" chain.prom ||
			fail "zone $z not secure: $(cat chain.prom)"
		grep -qxF "ztk_chain_ds_match{name=\"www.y.x.test.\",zone=\"$z\"} 1" chain.prom ||
			fail "zone $z: no DS match: $(cat chain.prom)"
		# the lab signs for 30 days (ztk-sign) or 30 days (dnssec-signzone)
		v=$(grep -F "ztk_chain_signature_expiry_seconds{name=\"www.y.x.test.\",zone=\"$z\"}" chain.prom | awk '{ print $2 }')
		[[ -n "$v" && $v -gt 0 && $v -le $((31 * 86400)) ]] || fail "zone $z expiry '$v'"
	done
	grep -qE '^# TYPE ztk_chain_verdict gauge$' chain.prom
	# a bogus chain is written too, and says where
	run -1 chain --prometheus bad.prom www.dsmismatch.test A
	grep -qxF 'ztk_chain_verdict{name="www.dsmismatch.test.",zone="dsmismatch.test.",verdict="bogus"} 1' bad.prom ||
		fail "$(cat bad.prom)"
	grep -qxF 'ztk_chain_ds_match{name="www.dsmismatch.test.",zone="dsmismatch.test."} 0' bad.prom ||
		fail "$(cat bad.prom)"
}

@test "--names-from: several names in one run, each with its own verdict" {
	printf 'www.alg13.test A\nwww.y.x.test A\nwww.dsmismatch.test A\nwww.insecure.test A\n' >names
	run --separate-stderr chain --names-from names
	[[ $status -eq 1 ]] || fail "exit $status: $output $stderr"
	# the text report: each name, then its verdict
	run -0 awk '/^www\./ { n = $1 } /^verdict: / { print n, $2 }' <<<"$output"
	assert_output "$(printf 'www.alg13.test. secure\nwww.y.x.test. secure\nwww.dsmismatch.test. bogus\nwww.insecure.test. insecure')"
	# --json: one object a line, in the order of the file
	run --separate-stderr chain --json --names-from names
	[[ $status -eq 1 ]] || fail "exit $status: $output $stderr"
	run -0 python3 -c 'import json, sys
for l in sys.stdin: d = json.loads(l); print(d["name"], d["verdict"])' <<<"$output"
	assert_output "$(printf 'www.alg13.test. secure\nwww.y.x.test. secure\nwww.dsmismatch.test. bogus\nwww.insecure.test. insecure')"
	printf 'www.alg13.test A\nwww.y.x.test A\nbig.big.test TXT\nnx.nsec3.test A\n' >good
	run -0 chain --names-from good
	# Nagios reads the first line as the status: it must be the worst one
	run -2 --separate-stderr chain --nagios --names-from names
	[[ "${lines[0]}" == "DNSSEC CRITICAL - "* ]] || fail "first line: ${lines[0]}; all: $output"
}

@test "offline ztk-chain on the lab's own zone files agrees with delv and the online walk" {
	local z=$LAB/zones
	run -0 "$ZTK_CHAIN" --anchor "$LAB/anchor.ds" --zone "$z/root.signed" --zone "$z/test.signed" \
		--zone "$z/x.test.signed" --zone "$z/y.x.test.signed" www.y.x.test A
	run -1 "$ZTK_CHAIN" --anchor "$LAB/anchor.ds" --zone "$z/root.signed" --zone "$z/test.signed" \
		--zone "$z/dsmismatch.test.signed" www.dsmismatch.test A
	assert_output --partial 'matches no DNSKEY of dsmismatch.test.'
	run -1 "$ZTK_CHAIN" --anchor "$LAB/anchor.ds" --zone "$z/root.signed" --zone "$z/test.signed" \
		--zone "$z/expired.test.signed" www.expired.test A
	assert_output --partial 'expired'
	run -1 "$ZTK_CHAIN" --anchor "$LAB/anchor.ds" --zone "$z/root.signed" --zone "$z/test.signed" \
		--zone "$z/zskonly.test.signed" www.zskonly.test A
	assert_output --partial 'bogus'
	for n in alg8 alg10 alg14 alg15 alg16 nsec3; do
		run -0 "$ZTK_CHAIN" --anchor "$LAB/anchor.ds" --zone "$z/root.signed" --zone "$z/test.signed" \
			--zone "$z/$n.test.signed" "www.$n.test" A
	done
}

@test "the online walk has no leak or invalid access (valgrind; in the sanitizer build, ASan)" {
	local names=$BATS_TEST_TMPDIR/names
	printf 'www.y.x.test A\nwww.dsmismatch.test A\nbig.big.test TXT\nfoo.wc.nsec3.test TXT\nwww.dead.test A\n' >"$names"
	if ldd "$ZTK_CHAIN" | grep -q libasan; then
		# ASan and LSan (tests/all.sh sets detect_leaks=1) abort on a problem
		run --separate-stderr chain --timeout 2s --names-from "$names"
		[[ $status -eq 3 ]] || fail "exit $status: $stderr"
		[[ "$stderr" != *Sanitizer* ]] || fail "$stderr"
	else
		command -v valgrind >/dev/null || fail "valgrind not installed"
		run --separate-stderr valgrind -q --leak-check=full \
			--show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
			--error-exitcode=99 --suppressions="$REPO_ROOT/tests/valgrind.supp" \
			"$ZTK_CHAIN" --server "$LAB_ROOT" --anchor "$LAB/anchor.ds" --timeout 2s \
			--names-from "$names"
		[[ $status -eq 3 ]] || fail "exit $status (99: valgrind found errors): $stderr"
	fi
}
