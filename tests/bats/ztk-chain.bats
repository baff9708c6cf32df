#!/usr/bin/env bats
# ztk-chain offline: zone files linked by DS records, from an anchor.
# Verdicts on zones we sign here are checked against delv where delv can
# judge files (it cannot: it needs a server), so against BIND's
# dnssec-verify for each zone and against the DS that dnssec-dsfromkey
# computes; the root zone corpus against the IANA anchors.

load helpers

setup_file() {
	local b="${ZTK_BUILD:-build}"
	[[ "$b" == /* ]] || b="$REPO_ROOT/$b"
	export ZTK_CHAIN="$b/bin/ztk-chain" ZTK_SIGN="$b/bin/ztk-sign"
	export K="$BATS_FILE_TMPDIR/k"
	mkdir -p "$K"
	for n in pk ck ck2; do
		openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
			-out "$K/$n.pem" 2>/dev/null
	done
	chmod 600 "$K"/*.pem
}

setup() {
	[[ -x "$ZTK_CHAIN" ]] || fail "ztk-chain not built: $ZTK_CHAIN"
	cd "$BATS_TEST_TMPDIR" || fail "no temp dir"
}

# A parent (example.) delegating child.example. with the child's DS, both
# signed by ztk-sign; parent.ds is the parent's DS as its own parent has it.
make_pair() {
	local childkey=${1:-ck} dskey=${2:-ck}
	cat >child.zone <<'EOF'
$ORIGIN child.example.
$TTL 3600
@ SOA ns.example.net. h 1 7200 900 1209600 300
@ NS ns.example.net.
www A 192.0.2.80
EOF
	"$ZTK_SIGN" -q --full --csk "$K/$childkey.pem" -o child.signed child.zone
	# The DS the parent publishes: made from the key named by dskey.
	"$ZTK_SIGN" -q --full --csk "$K/$dskey.pem" -o dsfrom.signed child.zone
	dnssec-dsfromkey -2 -f dsfrom.signed child.example >child.ds
	{
		printf '$ORIGIN example.\n$TTL 3600\n'
		printf '@ SOA ns.example.net. h 1 7200 900 1209600 300\n'
		printf '@ NS ns.example.net.\n'
		printf 'child NS ns.example.net.\n'
		awk '{ print "child", $3, $4, $5, $6, $7 }' child.ds
		printf 'insecure NS ns.example.net.\n'
	} >parent.zone
	"$ZTK_SIGN" -q --full --csk "$K/pk.pem" -o parent.signed parent.zone
	dnssec-dsfromkey -2 -f parent.signed example >parent.ds
}

@test "the root zone of 2026-08-22 validates from the IANA anchor inside its window" {
	[[ -f "$CORPUS_ROOT_ZONE" ]] || skip "corpus absent"
	run -0 "$ZTK_CHAIN" --zone "$CORPUS_ROOT_ZONE" --now 2026-08-25 . SOA
	assert_line --regexp '^\.  secure  \(trust from /usr/share/dns/root\.key, key (20326|38696)'
	assert_line 'verdict: secure'
	run -0 "$ZTK_CHAIN" --zone "$CORPUS_ROOT_ZONE" --anchor /usr/share/dns/root.ds --now 2026-08-25 . DNSKEY
	assert_line 'verdict: secure'
}

@test "and is bogus outside it, saying why" {
	[[ -f "$CORPUS_ROOT_ZONE" ]] || skip "corpus absent"
	run -1 "$ZTK_CHAIN" --zone "$CORPUS_ROOT_ZONE" --now 2026-09-20 . SOA
	assert_output --partial "over the DNSKEY RRset of . expired at 2026-09-10T00:00:00Z"
	assert_line 'verdict: bogus'
	run -1 "$ZTK_CHAIN" --zone "$CORPUS_ROOT_ZONE" --now 2026-08-10 . SOA
	assert_output --partial "is not valid before"
	# The whole archive (RRSIGs stripped, ZONEMD stale) is bogus as a zone.
	run -1 "$ZTK_CHAIN" --zone "$CORPUS_ROOT_ZONE" --now 2026-08-25
	assert_output --partial "ZONEMD"
}

@test "a parent/child pair signed by ztk-sign: secure, like dnssec-verify says" {
	make_pair
	run -0 dnssec-verify -q -z -o example parent.signed
	run -0 dnssec-verify -q -z -o child.example child.signed
	run -0 "$ZTK_CHAIN" --anchor parent.ds --zone parent.signed --zone child.signed www.child.example A
	assert_line --regexp '^example\.  secure  \(trust from parent\.ds'
	assert_line --regexp '^  `- child\.example\.  secure  \(trust from DS in example\.'
	assert_line 'answer: www.child.example A: present'
	assert_line 'verdict: secure'
	# The order of --zone does not matter; without NAME whole zones.
	run -0 "$ZTK_CHAIN" --anchor parent.ds --zone child.signed --zone parent.signed
	assert_line 'verdict: secure'
}

@test "a DS that matches no key of the child: bogus, naming both" {
	make_pair ck ck2
	tag=$(awk '{ print $4 }' child.ds)
	run -1 "$ZTK_CHAIN" --anchor parent.ds --zone parent.signed --zone child.signed www.child.example A
	assert_output --regexp "DS $tag/13/2 at the parent matches no DNSKEY of child\.example\. \(it publishes [0-9]+/13\)"
	assert_output --partial "hint: publish the DS of a current KSK at the parent"
	assert_line 'verdict: bogus'
	run -1 --separate-stderr "$ZTK_CHAIN" --json --anchor parent.ds --zone parent.signed --zone child.signed
	[[ "$(jget 'd["verdict"], d["levels"][0]["verdict"], d["levels"][1]["verdict"]' <<<"$output")" == "('bogus', 'secure', 'bogus')" ]]
}

@test "a changed record in the child: bogus with the RRset named" {
	make_pair
	sed -i 's/192\.0\.2\.80$/192.0.2.81/' child.signed
	run -1 "$ZTK_CHAIN" --anchor parent.ds --zone parent.signed --zone child.signed www.child.example A
	assert_output --partial "the signature of www.child.example. A by key"
	assert_output --partial "does not verify"
	run -1 dnssec-verify -q -z -o child.example child.signed
}

@test "no DS at the parent: insecure, exit 1 unless --allow-insecure" {
	make_pair
	sed 's/child\.example\./insecure.example./g' child.zone >ins.zone
	"$ZTK_SIGN" -q --full --csk "$K/ck.pem" -o ins.signed ins.zone
	run -1 "$ZTK_CHAIN" --anchor parent.ds --zone parent.signed --zone ins.signed
	assert_output --partial "the parent has no DS for insecure.example."
	assert_output --partial "hand their DS to the parent"
	assert_line 'verdict: insecure'
	run -0 "$ZTK_CHAIN" --allow-insecure --anchor parent.ds --zone parent.signed --zone ins.signed
}

@test "an anchor that covers nothing loaded: indeterminate, exit 3" {
	make_pair
	run -3 "$ZTK_CHAIN" --zone child.signed www.child.example A
	assert_output --partial "holds no DS or DNSKEY for child.example."
	assert_line 'verdict: indeterminate'
}

@test "--nagios and --json: status lines, codes and a schema" {
	make_pair
	run -0 "$ZTK_CHAIN" --nagios --anchor parent.ds --zone parent.signed --zone child.signed www.child.example A
	assert_output --regexp '^DNSSEC (OK|WARNING) - '
	run -0 "$ZTK_CHAIN" --json --anchor parent.ds --zone parent.signed --zone child.signed www.child.example A
	json_valid <<<"$output"
	[[ "$(jget 'd["levels"][1]["zone"], d["levels"][1]["trustFrom"]' <<<"$output")" == "('child.example.', 'DS in example.')" ]]
	[[ "$(jget 'd["levels"][0]["secondsToExpiry"] > 86400' <<<"$output")" == True ]]
	make_pair ck ck2
	run -2 "$ZTK_CHAIN" --nagios --anchor parent.ds --zone parent.signed --zone child.signed
	assert_output --regexp '^DNSSEC CRITICAL - child\.example\.: DS '
	# Signatures that expire within --expire-warn: a warning.
	make_pair
	run -0 "$ZTK_CHAIN" --expire-warn 60d --anchor parent.ds --zone parent.signed --zone child.signed
	assert_output --partial "warning: signatures of example. expire at"
	run -1 "$ZTK_CHAIN" --nagios --expire-warn 60d --anchor parent.ds --zone parent.signed --zone child.signed
	assert_output --regexp '^DNSSEC WARNING - '
}

@test "trust anchors as a BIND trust-anchors block" {
	make_pair
	awk '{ printf "trust-anchors {\n\t\"%s\" static-ds %s %s %s \"%s\";\n};\n", $1, $4, $5, $6, $7 }' parent.ds >ta.conf
	run -0 "$ZTK_CHAIN" --anchor ta.conf --zone parent.signed --zone child.signed www.child.example A
	assert_line 'verdict: secure'
}

@test "usage: no name, bad input, --help, --version" {
	# (never a NAME without --zone here: that would walk from the real
	# root hints; the live walk is tested on loopback in test_iterate
	# and tests/bats/ztk-chain-online.bats)
	run -2 "$ZTK_CHAIN"
	assert_output --partial "--zone"
	run -2 "$ZTK_CHAIN" --server 127.0.0.1 --zone x.zone www.example A
	assert_output --partial "live walk"
	run -2 "$ZTK_CHAIN" --server not-an-address www.example A
	assert_output --partial "bad --server"
	run -2 "$ZTK_CHAIN" --server 127.0.0.1 --timeout 0 www.example A
	run -2 "$ZTK_CHAIN" --server 127.0.0.1 --names-from /nonexistent
	run -2 "$ZTK_CHAIN" --zone nonexistent.zone
	printf '$ORIGIN x.\n$TTL 1\n@ SOA a b 1 2 3 4 5\nbad A 1.2.3.999\n' >bad.zone
	run -2 "$ZTK_CHAIN" --zone bad.zone
	assert_output --regexp 'bad\.zone:4:[0-9]+: '
	run -2 "$ZTK_CHAIN" --zone bad.zone --anchor /nonexistent
	run -0 "$ZTK_CHAIN" --help
	assert_output --partial "--parent-ds"
	run -0 "$ZTK_CHAIN" --version
	assert_output --regexp '^ztk-chain [0-9]'
}
