#!/usr/bin/env bats
# ztk-ds-signed.bats - ztk-ds on signed input: the signature checks of
# --check-parent (RFC 7344 4.1) against dnssec-cds as the oracle, the
# warning when no key-signing key signs the DNSKEY RRset, and the live
# input (--query) from a knotd this file starts on 127.0.0.1 (a free high
# port) and stops again.  No packet leaves loopback.
#
# The child zone child.test. has an old KSK (K1, whose DS the parent
# holds), a new KSK (K2, which its CDS names) and a ZSK, signed by
# dnssec-signzone in four ways:
#   both.signed     K1 and K2 sign DNSKEY and CDS: a clean KSK rollover
#   standby.signed  K2 published but not signing: its DS would break
#   new.signed      only K2 signs: the current DS already leads nowhere
#   cdsnew.signed   both.signed minus K1's signature over the CDS RRset

load helpers

if [[ "${ZTK_BUILD:-build}" == /* ]]; then
	ZTK_DS="${ZTK_BUILD}/bin/ztk-ds"
else
	ZTK_DS="${BATS_TEST_DIRNAME}/../../${ZTK_BUILD:-build}/bin/ztk-ds"
fi

setup_file() {
	command -v dnssec-signzone >/dev/null || return 0
	local d="$BATS_FILE_TMPDIR" k1 k2 z
	mkdir -p "$d/sign" "$d/pub"
	k1=$(dnssec-keygen -q -K "$d/sign" -a ECDSAP256SHA256 -f KSK child.test)
	k2=$(dnssec-keygen -q -K "$d/pub" -a ECDSAP256SHA256 -f KSK child.test)
	z=$(dnssec-keygen -q -K "$d/sign" -a ECDSAP256SHA256 child.test)
	{
		printf '$TTL 300\n@ SOA ns1 hostmaster 1 3600 600 86400 300\n'
		printf '@ NS ns1\nns1 A 192.0.2.1\nwww A 192.0.2.80\n'
		grep -hv '^;' "$d/sign/$k1.key" "$d/pub/$k2.key" "$d/sign/$z.key"
		dnssec-dsfromkey -C -a SHA-256 "$d/pub/$k2.key"
	} >"$d/child.zone"
	dnssec-dsfromkey -a SHA-256 "$d/sign/$k1.key" >"$d/parent.ds"
	local sz="dnssec-signzone -O full -o child.test -d $d"
	$sz -K "$d/sign" -f "$d/standby.signed" "$d/child.zone" "$k1" "$z" \
		>/dev/null 2>&1
	cp "$d/pub/"* "$d/sign/"
	$sz -K "$d/sign" -f "$d/both.signed" "$d/child.zone" "$k1" "$k2" "$z" \
		>/dev/null 2>&1
	$sz -K "$d/sign" -f "$d/new.signed" "$d/child.zone" "$k2" "$z" \
		>/dev/null 2>&1
	local t1=${k1##*+}
	t1=$((10#$t1))
	awk -v t="$t1" '!($4 == "RRSIG" && $5 == "CDS" && $11 == t)' \
		"$d/both.signed" >"$d/cdsnew.signed"
	echo "$t1" >"$d/k1.tag"
	echo "$((10#${k2##*+}))" >"$d/k2.tag"
	start_knotd "$d"
}

teardown_file() {
	local pid
	pid=$(cat "$BATS_FILE_TMPDIR/knot/knotd.pid" 2>/dev/null) || return 0
	kill "$pid" 2>/dev/null
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.2
	done
	kill -9 "$pid" 2>/dev/null || true
}

# knotd serving both.signed as child.test. on 127.0.0.1 and a free port;
# the port goes to knot/port, once knotd answers.
start_knotd() {
	command -v knotd >/dev/null || return 0
	local k="$1/knot" port
	mkdir -p "$k"
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	cp "$1/both.signed" "$k/child.test.zone"
	cat >"$k/knot.conf" <<-EOF
	server:
	    rundir: "$k"
	    listen: 127.0.0.1@$port
	database:
	    storage: "$k"
	log:
	  - target: "$k/knot.log"
	    any: info
	template:
	  - id: default
	    storage: "$k"
	zone:
	  - domain: child.test
	    file: "$k/child.test.zone"
	EOF
	knotd -c "$k/knot.conf" </dev/null >>"$k/knot.log" 2>&1 &
	echo $! >"$k/knotd.pid"
	for _ in $(seq 50); do
		if kdig @127.0.0.1 -p "$port" +timeout=1 +retry=0 +short \
			child.test SOA 2>/dev/null | grep -q hostmaster; then
			echo "$port" >"$k/port"
			return 0
		fi
		sleep 0.1
	done
}

setup() {
	[[ -x "$ZTK_DS" ]] || fail "ztk-ds not built: $ZTK_DS (run make, or set ZTK_BUILD)"
	command -v dnssec-signzone >/dev/null || skip "BIND's dnssec tools not installed"
	D="$BATS_FILE_TMPDIR"
	cd "$D" || fail "no $D"
	K1=$(cat k1.tag)
	K2=$(cat k2.tag)
}

# dnssec-cds as the oracle: 0 when it accepts the child's CDS.  -s: the
# signatures must be newer than two hours ago (its default, the DS file's
# mtime, is after dnssec-signzone's backdated inception).
oracle() {
	dnssec-cds -s -7200 -f "$1" -d parent.ds child.test
}

knot_port() {
	[[ -f knot/port ]] || skip "knotd could not be started (see knot/knot.log)"
	cat knot/port
}

@test "signed rollover (both KSKs sign): safe with signatures verified, as dnssec-cds" {
	run --separate-stderr oracle both.signed
	assert_success
	local bind_ds=$output
	run -0 "$ZTK_DS" --check-parent parent.ds both.signed
	assert_line "ok: the DNSKEY RRset is signed by key $K1, which the current DS RRset points to [current-chain-valid]"
	assert_line 'ok: the CDS RRset is signed by a key the current DS RRset points to [cds-authenticated]'
	assert_line --partial 'signs the DNSKEY RRset [new-ds-signing]'
	assert_line --partial '(signatures verified)'
	refute_output --partial 'signatures-unverified'
	# the new DS set is the one dnssec-cds would install
	run -0 "$ZTK_DS" --json --check-parent parent.ds both.signed
	json_valid <<<"$output"
	[ "$(jq -r .signaturesVerified <<<"$output")" = true ]
	[ "$(jq -r .verdict <<<"$output")" = safe ]
	local ours
	ours=$(jq -r '.newDS[] | "\(.keyTag) \(.algorithm) \(.digestType) \(.digest)"' <<<"$output")
	[ "$ours" = "$(awk '{ print $4, $5, $6, $7 }' <<<"$bind_ds")" ] ||
		fail "ours: $ours / dnssec-cds: $bind_ds"
}

@test "new KSK published but not signing: its DS is refused, as dnssec-cds" {
	run oracle standby.signed
	assert_failure
	assert_output --partial 'with new DS records'
	run -1 "$ZTK_DS" -q --check-parent parent.ds standby.signed
	assert_line --partial "it is signed only by key"
	assert_line --partial 'validators that follow the new DS would find the zone bogus [new-ds-not-signing]'
	refute_output --partial 'current-chain-bogus'
	refute_output --partial 'cds-unauthenticated'
	assert_line --partial 'verdict: unsafe: 1 problem;'
}

@test "only the new KSK signs: the current chain is broken, as dnssec-cds" {
	run oracle new.signed
	assert_failure
	assert_output --partial 'could not validate child DNSKEY RRset for'
	run -1 "$ZTK_DS" -q --check-parent parent.ds new.signed
	assert_line --partial "no key the current DS RRset points to ($K1) signs the DNSKEY RRset"
	assert_line --partial '[current-chain-bogus]'
	assert_line --partial '[cds-unauthenticated]'
	refute_output --partial 'new-ds-not-signing'
}

@test "CDS not signed by the key the current DS points to: refused, as dnssec-cds" {
	run oracle cdsnew.signed
	assert_failure
	assert_output --partial 'could not validate child CDS RRset'
	run -1 "$ZTK_DS" -q --check-parent parent.ds cdsnew.signed
	assert_line --partial "the CDS RRset is not signed by a key the current DS RRset points to ($K1; it is signed by"
	assert_line --partial 'RFC 7344 4.1 says the parent must not act on it [cds-unauthenticated]'
	refute_output --partial 'current-chain-bogus'
	assert_line --partial 'verdict: unsafe: 1 problem;'
}

@test "--now after the signatures expire: every signature check fails and says when" {
	run -1 "$ZTK_DS" -q --now now+40d --check-parent parent.ds both.signed
	assert_line --regexp '^unsafe: .*expired at 20[0-9-]+T[0-9:]+Z.*\[current-chain-bogus\]$'
	assert_line --partial '[cds-unauthenticated]'
	assert_line --partial '[new-ds-not-signing]'
	# and inside the window all is well again
	run -0 "$ZTK_DS" -q --now now+1d --check-parent parent.ds both.signed
}

@test "unsigned input: the check says signatures were not verified" {
	grep -v RRSIG both.signed >unsigned.zone
	run -0 "$ZTK_DS" --json --check-parent parent.ds unsigned.zone
	[ "$(jq -r .signaturesVerified <<<"$output")" = false ]
	assert_output --partial '"id":"signatures-unverified"'
	run -0 "$ZTK_DS" --check-parent parent.ds unsigned.zone
	assert_line --partial '(signatures not verified)'
}

@test "DS from a signed zone: quiet while a KSK signs, a warning per key when none does" {
	run --separate-stderr -0 "$ZTK_DS" both.signed child.test
	[ -z "$stderr" ] || fail "stderr: $stderr"
	# standby: K1 signs, K2 does not yet: a double-DS rollover, no word
	run --separate-stderr -0 "$ZTK_DS" standby.signed child.test
	[ -z "$stderr" ] || fail "stderr: $stderr"
	assert_line --partial " DS $K2 13 2 "
	run --separate-stderr -0 "$ZTK_DS" --now now+40d both.signed child.test
	assert_line --partial " DS $K1 13 2 "
	[[ "$stderr" == *"warning: key $K1 does not sign the DNSKEY RRset (the signature of child.test. DNSKEY by key $K1 expired at "* ]] ||
		fail "stderr: $stderr"
	[[ "$stderr" == *"warning: key $K2 does not sign"* ]] || fail "stderr: $stderr"
}

@test "root zone at a time its signatures are expired: the warning names the expiry" {
	[ -f "$CORPUS_ROOT_ZONE" ] || skip "corpus zone absent: $CORPUS_ROOT_ZONE"
	run --separate-stderr -0 "$ZTK_DS" --now 2026-09-20 "$CORPUS_ROOT_ZONE" .
	assert_output "$(cat /usr/share/dns/root.ds)"
	[[ "$stderr" == *"key 20326 does not sign the DNSKEY RRset (the signature of . DNSKEY by key 20326 expired at 2026-09-10T00:00:00Z)"* ]] ||
		fail "stderr: $stderr"
	[[ "$stderr" == *"key 38696 does not sign the DNSKEY RRset (. DNSKEY has no signature by key 38696)"* ]] ||
		fail "stderr: $stderr"
}

@test "--query: the live DNSKEY RRset gives dnssec-dsfromkey's DS, quietly" {
	local port
	port=$(knot_port)
	run --separate-stderr -0 "$ZTK_DS" --query child.test --server "127.0.0.1#$port"
	[ -z "$stderr" ] || fail "stderr: $stderr"
	assert_output "$(dnssec-dsfromkey -a SHA-256 -f both.signed child.test)"
	run -0 "$ZTK_DS" --json --query child.test. --server "127.0.0.1#$port"
	json_valid <<<"$output"
	[ "$(jq length <<<"$output")" = 2 ]
}

@test "--query --check-parent: the live CDS checked with its signatures" {
	local port
	port=$(knot_port)
	run -0 "$ZTK_DS" --check-parent parent.ds --query child.test --server "127.0.0.1#$port"
	assert_line 'note: proposal: the CDS RRset (1 record) [source]'
	assert_line 'ok: the CDS RRset is signed by a key the current DS RRset points to [cds-authenticated]'
	assert_line --partial '(signatures verified)'
	run -1 "$ZTK_DS" -q --now now+40d --check-parent parent.ds --query child.test \
		--server "127.0.0.1#$port"
	assert_line --partial '[cds-unauthenticated]'
}

@test "--query failures: REFUSED and a closed port exit 3, a missing RRset 1, usage 2" {
	local port closed
	port=$(knot_port)
	run --separate-stderr -3 "$ZTK_DS" --query other.test --server "127.0.0.1#$port"
	[[ "$stderr" == "ztk-ds: 127.0.0.1#$port answered other.test. DNSKEY with REFUSED" ]] ||
		fail "stderr: $stderr"
	run --separate-stderr -1 "$ZTK_DS" --query www.child.test --server "127.0.0.1#$port"
	[[ "$stderr" == "ztk-ds: www.child.test. has no DNSKEY RRset (answer from 127.0.0.1#$port)" ]] ||
		fail "stderr: $stderr"
	closed=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	run --separate-stderr -3 "$ZTK_DS" --query child.test --server "127.0.0.1#$closed"
	[[ "$stderr" == "ztk-ds: cannot get the DNSKEY RRset of child.test.: "*"127.0.0.1#$closed"* ]] ||
		fail "stderr: $stderr"
	run --separate-stderr -2 "$ZTK_DS" --query child.test both.signed
	[[ "$stderr" == *"--query names the zone and reads no FILE"* ]] || fail "stderr: $stderr"
	run --separate-stderr -2 "$ZTK_DS" --server 127.0.0.1 both.signed
	[[ "$stderr" == "ztk-ds: --server goes with --query" ]] || fail "stderr: $stderr"
	run --separate-stderr -2 "$ZTK_DS" --query child.test --server ns1.example
	[[ "$stderr" == "ztk-ds: --server \"ns1.example\": "* ]] || fail "stderr: $stderr"
}
