#!/usr/bin/env bats
# ztk-sign: every zone signed here must verify with dnssec-verify,
# ldns-verify-zone and kzonecheck; failures must leave no output behind.

load helpers

setup_file() {
	export ZTK_SIGN="${REPO_ROOT}/${ZTK_BUILD:-build}/bin/ztk-sign"
	export ZTK_KEY="${REPO_ROOT}/${ZTK_BUILD:-build}/bin/ztk-key"
	export ZTK_DS="${REPO_ROOT}/${ZTK_BUILD:-build}/bin/ztk-ds"
	export ZTK_LINT="${REPO_ROOT}/${ZTK_BUILD:-build}/bin/ztk-lint"
	if [[ "${ZTK_BUILD:-build}" == /* ]]; then
		export ZTK_SIGN="${ZTK_BUILD}/bin/ztk-sign" \
			ZTK_KEY="${ZTK_BUILD}/bin/ztk-key" ZTK_DS="${ZTK_BUILD}/bin/ztk-ds" \
			ZTK_LINT="${ZTK_BUILD}/bin/ztk-lint"
	fi
	export K="$BATS_FILE_TMPDIR/keys"
	mkdir -p "$K"
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$K/p256-ksk.pem" 2>/dev/null
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$K/p256-zsk.pem" 2>/dev/null
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$K/p384.pem" 2>/dev/null
	openssl genpkey -algorithm ED25519 -out "$K/ed25519.pem" 2>/dev/null
	openssl genpkey -algorithm ED448 -out "$K/ed448.pem" 2>/dev/null
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$K/rsa.pem" 2>/dev/null
	chmod 600 "$K"/*.pem
	unset ZTK_PIN ZTK_PIN_FILE ZTK_TOKEN ZTK_PKCS11_MODULE ZTK_DB \
		ZTK_PKCS11_URI SOFTHSM2_CONF
}

setup() {
	[[ -x "$ZTK_SIGN" ]] || fail "ztk-sign not built: $ZTK_SIGN"
	cd "$BATS_TEST_TMPDIR" || fail "no temp dir"
	cp "$FIXTURES/sign/mixed.zone" .
}

# verify_all FILE ORIGIN [csk]: the three peers must accept the zone.
verify_all() {
	local z=$1 o=$2 zflag=
	[[ "${3:-}" == csk ]] && zflag=-z
	run dnssec-verify -q $zflag -o "$o" "$z"
	[[ $status -eq 0 ]] || fail "dnssec-verify: $output"
	run ldns-verify-zone "$z"
	[[ $status -eq 0 ]] || fail "ldns-verify-zone: $output"
	run kzonecheck -o "$o" -d on "$z"
	[[ $status -eq 0 ]] || fail "kzonecheck: $output"
}

@test "NSEC, KSK+ZSK key files: wildcards, glue, ENTs, CNAMEs verify everywhere" {
	run -0 "$ZTK_SIGN" -q --ksk "$K/p256-ksk.pem" --zsk "$K/p256-zsk.pem" mixed.zone
	[[ -f mixed.zone.signed ]]
	verify_all mixed.zone.signed test.example
	# Glue is not signed, the delegation's NS is not, its DS is.
	run -1 grep -E '^ns\.sub\.test\.example\..*RRSIG' mixed.zone.signed
	run -1 grep -E '^sub\.test\.example\..*RRSIG[[:space:]]+NS ' mixed.zone.signed
	run -0 grep -E '^secure\.test\.example\..*RRSIG[[:space:]]+DS ' mixed.zone.signed
	# The wildcard's RRSIG has one label fewer than its owner.
	run -0 grep -E '^\*\.test\.example\..*RRSIG[[:space:]]+TXT 13 2 ' mixed.zone.signed
	# NSEC at a delegation lists NS (and DS), RRSIG, NSEC only.
	run -0 grep -E '^sub\.test\.example\..*NSEC[[:space:]]+UPPER\.test\.example\. NS RRSIG NSEC$' mixed.zone.signed
}

@test "NSEC3 (RFC 9276 defaults), opt-out, salt and iterations verify everywhere" {
	run -0 "$ZTK_SIGN" -q --csk "$K/p256-ksk.pem" --nsec3 -o n3.signed mixed.zone
	verify_all n3.signed test.example csk
	run -0 grep -E 'NSEC3PARAM[[:space:]]+1 0 0 -$' n3.signed
	full=$(grep -cE '[[:space:]]NSEC3[[:space:]]+1 0 ' n3.signed)
	run -0 "$ZTK_SIGN" -q --csk "$K/p256-ksk.pem" --opt-out -o oo.signed mixed.zone
	verify_all oo.signed test.example csk
	optout=$(grep -cE '[[:space:]]NSEC3[[:space:]]+1 1 ' oo.signed)
	# sub. and deep.ins. are insecure delegations: no NSEC3 of their own.
	[[ $optout -eq $((full - 2)) ]] || fail "opt-out $optout, full $full"
	run -0 "$ZTK_SIGN" --csk "$K/p256-ksk.pem" --nsec3 --salt cafe --iterations 3 -o s.signed mixed.zone
	assert_output --partial "RFC 9276"
	verify_all s.signed test.example csk
	run -0 grep -E 'NSEC3PARAM[[:space:]]+1 0 3 CAFE$' s.signed
}

@test "data beside a delegation's NS stays out of its NSEC and NSEC3 bitmaps (RFC 4035 2.3)" {
	# An address and a TXT at the cut are the child's: unsigned, and
	# their bits clear (every peer rejects a bitmap that shows them).
	printf 'n7 A 192.0.2.7\nn7 NS ns.example.net.\nn7 TXT "child"\n' >>mixed.zone
	for chain in "" --nsec3 --opt-out; do
		# shellcheck disable=SC2086
		run -0 "$ZTK_SIGN" -q --csk "$K/p256-ksk.pem" $chain -o cut.signed mixed.zone
		verify_all cut.signed test.example csk
		run -1 grep -E '^n7\.test\.example\..*RRSIG[[:space:]]+(A|TXT|NS) ' cut.signed
		run -0 "$ZTK_LINT" -q cut.signed
	done
	run -0 "$ZTK_SIGN" -q --csk "$K/p256-ksk.pem" -o cut.signed mixed.zone
	run -0 grep -E '^n7\.test\.example\..*NSEC[[:space:]]+[^ ]+ NS RRSIG NSEC$' cut.signed
	run -0 "$ZTK_SIGN" -q --csk "$K/p256-ksk.pem" --nsec3 -o cut.signed mixed.zone
	hash=$(ldns-nsec3-hash -t 0 n7.test.example)
	hash=${hash%.}
	run -0 grep -iE "^${hash}\.test\.example\..*NSEC3[[:space:]]+1 0 0 - [^ ]+ NS$" cut.signed
}

@test "every algorithm signs and verifies: 8, 10, 13, 14, 15, 16" {
	for spec in rsa:RSASHA256 rsa:RSASHA512 p256-ksk: p384: ed25519: ed448:; do
		key=${spec%%:*} alg=${spec#*:}
		run -0 "$ZTK_SIGN" -q --csk "$K/$key.pem" ${alg:+-a $alg} --nsec3 -o a.signed mixed.zone
		verify_all a.signed test.example csk
	done
}

@test "two algorithms at once: each signs every RRset (RFC 6840 5.11)" {
	run -0 "$ZTK_SIGN" -q --csk "$K/p256-ksk.pem" --csk "$K/ed25519.pem" -o two.signed mixed.zone
	# kzonecheck 3.2 rejects any zone signed with two algorithms, BIND's
	# dnssec-signzone output included ("no valid signature for a
	# record"), so only BIND and ldns judge this one.
	run dnssec-verify -q -z -o test.example two.signed
	[[ $status -eq 0 ]] || fail "dnssec-verify: $output"
	run ldns-verify-zone two.signed
	[[ $status -eq 0 ]] || fail "ldns-verify-zone: $output"
	run -0 grep -cE '^www\.test\.example\..*RRSIG[[:space:]]+CNAME (13|15) ' two.signed
	assert_output 2
}

@test "keys from the store (SoftHSM2): published and active keys, DS for the parent" {
	export ZTK_HOME="$BATS_TEST_TMPDIR/home"
	run -0 "$ZTK_KEY" -q init
	run -0 "$ZTK_KEY" -q create -z test.example -r KSK
	run -0 "$ZTK_KEY" -q create -z test.example -r ZSK
	# A pre-published ZSK: in the DNSKEY RRset, not signing.
	run -0 "$ZTK_KEY" -q create -z test.example -r ZSK --active now+30d
	run -0 "$ZTK_SIGN" --json mixed.zone
	[[ "$(jget 'len(d["keys"])' <<<"$output")" == 3 ]]
	[[ "$(jget 'sorted(k["signing"] for k in d["keys"])' <<<"$output")" == "[False, True, True]" ]]
	verify_all mixed.zone.signed test.example
	run -0 grep -cE '[[:space:]]DNSKEY[[:space:]]+25[67] 3 13 ' mixed.zone.signed
	assert_output 3
	# The DS ztk-ds prints from the store is the DS of the signed zone.
	ours=$("$ZTK_DS" --store test.example)
	theirs=$(dnssec-dsfromkey -2 -f mixed.zone.signed test.example)
	[[ "$(tr -s ' \t' ' ' <<<"$ours")" == "$(tr -s ' \t' ' ' <<<"$theirs")" ]] ||
		fail "ztk-ds '$ours' vs dnssec-dsfromkey '$theirs'"
}

@test "store without keys, or a key gone from the token: exit 3 before any work" {
	export ZTK_HOME="$BATS_TEST_TMPDIR/home"
	run -0 "$ZTK_KEY" -q init
	run -3 "$ZTK_SIGN" mixed.zone
	assert_output --partial "no published or active key for test.example."
	[[ ! -e mixed.zone.signed ]]
	run -0 "$ZTK_KEY" -q create -z test.example -r CSK
	id=$("$ZTK_KEY" list --json | jget 'd["keys"][0]["pkcs11Id"]')
	SOFTHSM2_CONF="$ZTK_HOME/softhsm2.conf" pkcs11-tool --module /usr/lib/softhsm/libsofthsm2.so \
		--token-label ztk --login --pin "$(cat "$ZTK_HOME/pin")" \
		--delete-object --type privkey --id "$id" >/dev/null
	run -3 "$ZTK_SIGN" mixed.zone
	assert_output --partial "is in the store but not in token"
	[[ ! -e mixed.zone.signed ]]
}

@test "the real root zone, re-signed with our keys, verifies" {
	[[ -f "$CORPUS_ROOT_ZONE" ]] || skip "corpus zone absent: $CORPUS_ROOT_ZONE"
	run -0 "$ZTK_SIGN" --csk "$K/p256-ksk.pem" --nsec3 -o root.signed "$CORPUS_ROOT_ZONE"
	assert_output --partial "ZONEMD was dropped"
	verify_all root.signed . csk
	run -0 "$ZTK_SIGN" -q --ksk "$K/p256-ksk.pem" --zsk "$K/p256-zsk.pem" -o root2.signed "$CORPUS_ROOT_ZONE"
	verify_all root2.signed .
	# A KSK of an algorithm no ZSK or CSK has would leave RRsets without
	# that algorithm's signature: refused before anything is written.
	run -2 "$ZTK_SIGN" --ksk "$K/rsa.pem" --zsk "$K/p256-zsk.pem" -o root3.signed "$CORPUS_ROOT_ZONE"
	assert_output --partial "RFC 6840"
	[[ ! -e root3.signed ]]
}

@test "bad input: exit 2 with file:line:col; nothing written, old output untouched" {
	echo 'old output' >mixed.zone.signed
	printf 'bad A 10.0.0.256\n' >>mixed.zone
	run -2 "$ZTK_SIGN" --csk "$K/p256-ksk.pem" mixed.zone
	assert_output --regexp "mixed\.zone:18:[0-9]+: .*10\.0\.0\.256"
	[[ "$(cat mixed.zone.signed)" == "old output" ]]
	run -2 "$ZTK_SIGN" --csk "$K/p256-ksk.pem" nonexistent.zone
	chmod 644 "$K/p256-zsk.pem"
	run -2 "$ZTK_SIGN" --csk "$K/p256-zsk.pem" "$FIXTURES/sign/mixed.zone"
	chmod 600 "$K/p256-zsk.pem"
	assert_output --partial "readable by others"
	printf '$ORIGIN x.example.\n$TTL 300\na A 192.0.2.1\n' >nosoa.zone
	run -2 "$ZTK_SIGN" --csk "$K/p256-ksk.pem" nosoa.zone
	assert_output --partial "no SOA"
	[[ ! -e nosoa.zone.signed ]]
	run -2 "$ZTK_SIGN" --serial sometimes mixed.zone
	run -2 "$ZTK_SIGN" --validity 10m mixed.zone
}

@test "kill -9 while signing leaves the previous output byte-identical" {
	python3 "$REPO_ROOT/bench/gen-zone.py" --names 40000 --origin big.example >big.zone
	run -0 "$ZTK_SIGN" -q --csk "$K/p256-ksk.pem" --threads 1 --serial keep --now 20261128000000 big.zone
	before=$(sha256sum big.zone.signed)
	for delay in 0.2 0.5 0.9; do
		"$ZTK_SIGN" -q --full --csk "$K/p256-ksk.pem" --threads 1 --now 20261129000000 big.zone &
		pid=$!
		sleep "$delay"
		kill -9 "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
		[[ "$(sha256sum big.zone.signed)" == "$before" ]] || fail "changed after kill at ${delay}s"
	done
}

@test "a large NSEC3 chain is the same built in two parts as in one" {
	# Past 20 000 names the chain is collected, hashed and sorted in two
	# halves at once and merged; empty non-terminals shared by both halves
	# must come out once, as on one thread.  Ed25519 is deterministic, so
	# the outputs compare byte for byte.
	python3 "$REPO_ROOT/bench/gen-zone.py" --names 20000 --origin big.example >big.zone
	for i in $(seq 1 3000); do
		echo "h$i.e$((i / 7)).deep.big.example. 300 IN A 192.0.2.$((i % 250 + 1))"
	done >>big.zone
	for mode in --nsec3 --opt-out; do
		for j in 1 2; do
			run -0 "$ZTK_SIGN" -q --full --csk "$K/ed25519.pem" --now 20261128000000 \
				-j $j $mode -o "s$j" big.zone
		done
		cmp s1 s2 || fail "$mode: one thread and two differ"
		# the ENTs (deep., e0.deep. ...) are in the chain
		ents=$(grep -cE '^[0-9a-v]{32}\.big\.example\..*NSEC3[[:space:]]+1 [01] 0 - [0-9a-v]{32}[[:space:]]*$' s2 || true)
		(( ents >= 430 )) || fail "$mode: $ents empty non-terminals in the chain"
	done
	# (small NSEC3 zones are verified by the peers above; on this one
	# ldns-verify-zone alone takes ten seconds)
}

@test "serial policies never go backwards (RFC 1982)" {
	sign_serial() {
		rm -f s.signed
		"$ZTK_SIGN" -q --full --csk "$K/p256-ksk.pem" --now 20261128120000 "$@" -o s.signed mixed.zone &&
			awk '$4 == "SOA" { print $7 }' s.signed
	}
	[[ "$(sign_serial --serial keep)" == 1 ]]
	[[ "$(sign_serial --serial increment)" == 2 ]]
	[[ "$(sign_serial --serial unixtime)" == 1795867200 ]]
	[[ "$(sign_serial --serial date)" == 2026112800 ]]
	sed -i 's/ 1 7200 / 2026112805 7200 /' mixed.zone
	[[ "$(sign_serial --serial date)" == 2026112806 ]]
	# A serial already ahead of the clock is incremented, not set back.
	sed -i 's/ 2026112805 7200 / 1795870000 7200 /' mixed.zone
	[[ "$(sign_serial --serial unixtime)" == 1795870001 ]]
	# RFC 1982: 4000000000 + 2090834496 wraps to 1795867200, which is newer.
	sed -i 's/ 1795870000 7200 / 4000000000 7200 /' mixed.zone
	[[ "$(sign_serial --serial unixtime)" == 1795867200 ]]
}

@test "expiry jitter is deterministic per RRset and spreads expiries; --jitter 0 does not" {
	exp() { awk '$4 == "RRSIG" { print $1, $5, $9 }' "$1" | sort; }
	run -0 "$ZTK_SIGN" -q --csk "$K/p256-ksk.pem" --now 20261128000000 -o j1 mixed.zone
	run -0 "$ZTK_SIGN" -q --csk "$K/p256-ksk.pem" --now 20261128000000 -o j2 mixed.zone
	[[ "$(exp j1)" == "$(exp j2)" ]]
	[[ $(awk '$4 == "RRSIG" { print $9 }' j1 | sort -u | wc -l) -gt 5 ]]
	run -0 "$ZTK_SIGN" -q --csk "$K/p256-ksk.pem" --now 20261128000000 --jitter 0 -o j3 mixed.zone
	run -0 awk '$4 == "RRSIG" { print $9 }' j3
	[[ $(sort -u <<<"$output" | wc -l) -eq 1 ]]
	assert_line --index 0 20261228000000
	# Inception backdated an hour by default.
	run -0 awk '$4 == "RRSIG" { print $10 }' j3
	assert_line --index 0 20261127230000
}

@test "--zonemd adds a ZONEMD that ldns-verify-zone, kzonecheck and ztk-lint accept" {
	for h in sha384 sha512; do
		rm -f zm.signed
		run -0 "$ZTK_SIGN" -q --full --csk "$K/p256-ksk.pem" --nsec3 --zonemd "$h" -o zm.signed mixed.zone
		verify_all zm.signed test.example csk
		run -0 "$REPO_ROOT/${ZTK_BUILD:-build}/bin/ztk-lint" -q zm.signed
		run -0 grep -cE '[[:space:]]ZONEMD[[:space:]]+2 1 ' zm.signed
		# The apex NSEC3 lists ZONEMD.
		run -0 grep -E 'NSEC3[[:space:]]+1 0 0 - [0-9a-v]+ NS SOA RRSIG DNSKEY NSEC3PARAM ZONEMD$' zm.signed
	done
	# A changed record breaks the digest, and ztk-lint says so.
	sed -i 's/192\.0\.2\.5$/192.0.2.6/' zm.signed
	run -1 "$REPO_ROOT/${ZTK_BUILD:-build}/bin/ztk-lint" zm.signed
	assert_output --partial "[dnssec-zonemd]"
	run -2 "$ZTK_SIGN" --zonemd md5 mixed.zone
}

@test "incremental: unchanged RRsets keep their signatures; only what changed is re-signed" {
	sign() { "$ZTK_SIGN" --csk "$K/p256-ksk.pem" --json "$@" mixed.zone; }
	run -0 sign
	[[ "$(jget 'd["signaturesKept"]' <<<"$output")" == 0 ]]
	total=$(jget 'd["signaturesNew"]' <<<"$output")
	cp mixed.zone.signed first.signed
	# Nothing changed: only the SOA (new serial) is signed again.
	run -0 sign
	[[ "$(jget '(d["signaturesNew"], d["signaturesKept"])' <<<"$output")" == "(1, $((total - 1)))" ]]
	[[ "$(jget 'd["serialAfter"]' <<<"$output")" == 3 ]]
	# One A record changed: SOA and that A RRset.
	sed -i 's/^UPPER A 192\.0\.2\.5$/UPPER A 192.0.2.55/' mixed.zone
	run -0 sign
	[[ "$(jget 'd["signaturesNew"]' <<<"$output")" == 2 ]]
	# A new name: its A and NSEC, its predecessor's NSEC, and the SOA.
	echo 'new A 192.0.2.99' >>mixed.zone
	run -0 sign
	[[ "$(jget '(d["signaturesNew"], d["signaturesKept"])' <<<"$output")" == "(4, $((total - 2)))" ]]
	verify_all mixed.zone.signed test.example csk
	# The kept signatures are byte-for-byte those of the first run.
	run -0 grep -c -F -f <(grep -E 'RRSIG[[:space:]]+CNAME' first.signed) mixed.zone.signed
	# --full signs everything but never repeats an older serial.
	serial=$(awk '$4 == "SOA" { print $7 }' mixed.zone.signed)
	run -0 sign --full
	[[ "$(jget 'd["serialAfter"]' <<<"$output")" == $((serial + 1)) ]]
	# Signatures within the refresh window are made again...
	run -0 sign --now now+25d
	[[ "$(jget 'd["signaturesKept"]' <<<"$output")" == 0 ]]
	# ... and --full ignores the previous output.
	run -0 sign --full
	[[ "$(jget 'd["signaturesKept"]' <<<"$output")" == 0 ]]
	verify_all mixed.zone.signed test.example csk
	# A previous output of another key: nothing to keep, all verify.
	run -0 "$ZTK_SIGN" --csk "$K/ed25519.pem" --json mixed.zone
	[[ "$(jget 'd["signaturesKept"]' <<<"$output")" == 0 ]]
	verify_all mixed.zone.signed test.example csk
}

@test "incremental NSEC3: the chain taken over, or built when names change, verifies everywhere" {
	sign() { "$ZTK_SIGN" --csk "$K/p256-ksk.pem" --nsec3 --json "$@" mixed.zone; }
	kept() { jget 'd["nsec3ChainKept"]' <<<"$output"; }
	run -0 sign
	[[ "$(kept)" == False ]]
	total=$(jget 'd["signaturesNew"]' <<<"$output")
	# Nothing changed: the chain is taken over, only the SOA signed.
	run -0 sign
	[[ "$(kept)" == True ]]
	[[ "$(jget '(d["signaturesNew"], d["signaturesKept"])' <<<"$output")" == "(1, $((total - 1)))" ]]
	# Data changed: the chain is the same, the A RRset signed again.
	sed -i 's/^UPPER A 192\.0\.2\.5$/UPPER A 192.0.2.55/' mixed.zone
	run -0 sign
	[[ "$(kept)" == True ]]
	[[ "$(jget 'd["signaturesNew"]' <<<"$output")" == 2 ]]
	verify_all mixed.zone.signed test.example csk
	# A new SOA minimum (the NSEC3 TTL): every NSEC3 record of the
	# chain taken over is signed again with the new TTL (and the SOA and
	# the NSEC3PARAM, whose TTL it is too).
	n3=$(grep -cE '[[:space:]]NSEC3[[:space:]]+1 0 0 ' mixed.zone.signed)
	sed -i 's/ 1209600 300$/ 1209600 600/' mixed.zone
	run -0 sign
	[[ "$(kept)" == True ]]
	[[ "$(jget 'd["signaturesNew"]' <<<"$output")" == $((n3 + 2)) ]]
	run -0 grep -cE '[[:space:]]600[[:space:]]+IN[[:space:]]+NSEC3[[:space:]]+1 0 0 ' mixed.zone.signed
	[[ "$output" == "$n3" ]]
	verify_all mixed.zone.signed test.example csk
	# A new name: the chain is built; its NSEC3, its predecessor's, the
	# name's A and the SOA are new.
	echo 'new A 192.0.2.99' >>mixed.zone
	run -0 sign
	[[ "$(kept)" == False ]]
	[[ "$(jget 'd["signaturesNew"]' <<<"$output")" == 4 ]]
	verify_all mixed.zone.signed test.example csk
}

@test "--verify all and none both produce verifying zones; JSON summary" {
	for v in all none sample; do
		rm -f v.signed
		run -0 "$ZTK_SIGN" --csk "$K/p256-ksk.pem" --verify "$v" --json -o v.signed mixed.zone
		json_valid <<<"$output"
		sigs=$(jget 'd["signaturesNew"]' <<<"$output")
		ver=$(jget 'd["verified"]' <<<"$output")
		case $v in
		all) [[ $ver -eq $sigs ]] ;;
		none) [[ $ver -eq 0 ]] ;;
		sample) [[ $ver -ge 1 && $ver -le $sigs ]] ;;
		esac
		verify_all v.signed test.example csk
	done
}

@test "-o - writes the signed zone to stdout; --help and --version" {
	run -0 --separate-stderr "$ZTK_SIGN" --csk "$K/p256-ksk.pem" -o - mixed.zone
	[[ "$output" == *"IN	RRSIG	SOA 13 2 "* ]]
	run -0 "$ZTK_SIGN" --help
	assert_output --partial "--nsec3"
	run -0 "$ZTK_SIGN" --version
	assert_output --regexp '^ztk-sign [0-9]'
	run -2 "$ZTK_SIGN"
}
