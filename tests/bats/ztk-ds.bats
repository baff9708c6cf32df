#!/usr/bin/env bats
# ztk-ds.bats - DS, CDS and CDNSKEY records and the parent-side check.
#
# The DS lines are compared byte for byte with dnssec-dsfromkey (BIND 9.18)
# and, after normalising whitespace, TTL and case, with ldns-key2ds, for keys
# dnssec-keygen makes at test time in every algorithm it offers, and for the
# root zone's KSKs (the corpus zone, read in place) against
# /usr/share/dns/root.ds.  Nothing here touches the network.

load helpers

if [[ "${ZTK_BUILD:-build}" == /* ]]; then
	ZTK_DS="${ZTK_BUILD}/bin/ztk-ds"
else
	ZTK_DS="${BATS_TEST_DIRNAME}/../../${ZTK_BUILD:-build}/bin/ztk-ds"
fi
DSFIX="${FIXTURES}/ds"

# dnssec-keygen's algorithm names for the numbers we test.
ALGS="RSASHA256 RSASHA512 ECDSAP256SHA256 ECDSAP384SHA384 ED25519 ED448"

setup_file() {
	# One KSK per algorithm (and a ZSK), made once for the whole file.
	command -v dnssec-keygen >/dev/null || return 0
	local d="$BATS_FILE_TMPDIR/keys" a
	mkdir -p "$d"
	for a in $ALGS; do
		dnssec-keygen -q -K "$d" -a "$a" -f KSK example.com \
			>"$d/ksk-$a.name" 2>/dev/null || rm -f "$d/ksk-$a.name"
	done
	dnssec-keygen -q -K "$d" -a ECDSAP256SHA256 example.com \
		>"$d/zsk.name" 2>/dev/null || rm -f "$d/zsk.name"
	dnssec-keygen -q -K "$d" -a RSASHA1 -b 2048 -f KSK example.com \
		>"$d/ksk-RSASHA1.name" 2>/dev/null || rm -f "$d/ksk-RSASHA1.name"
}

setup() {
	[[ -x "$ZTK_DS" ]] || fail "ztk-ds not built: $ZTK_DS (run make, or set ZTK_BUILD)"
	cd "$DSFIX" || fail "no fixtures directory $DSFIX"
	KEYS="$BATS_FILE_TMPDIR/keys"
}

need() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null || skip "$c not installed"
	done
}

# The K*.key file of a key made in setup_file: keyfile ksk-ED25519
keyfile() {
	[[ -f "$KEYS/$1.name" ]] || skip "dnssec-keygen could not make $1"
	echo "$KEYS/$(cat "$KEYS/$1.name").key"
}

# A zone file with the given key files' records and a $TTL (which
# dnssec-dsfromkey -f needs).
keyzone() {
	local out=$1 f
	shift
	echo '$TTL 3600' >"$out"
	for f in "$@"; do
		grep -v '^;' "$f" >>"$out"
	done
}

# ldns-key2ds and ztk-ds/BIND lines reduced to "owner tag alg type HEX".
norm_ldns() { awk '$4 == "DS" { print tolower($1), $5, $6, $7, toupper($8) }'; }
norm_bind() { awk '$3 == "DS" { print tolower($1), $4, $5, $6, $7 }'; }

# --- help, version, usage ----------------------------------------------------

@test "--help: exit 0, usage on stdout, nothing on stderr" {
	run --separate-stderr -0 "$ZTK_DS" --help
	[[ "${lines[0]}" == "Usage: ztk-ds "* ]] || fail "first line: ${lines[0]}"
	assert_output --partial '--check-parent=DSFILE'
	assert_output --partial 'Exit status:'
	[ -z "$stderr" ] || fail "stderr: $stderr"
	local long=$output
	run -0 "$ZTK_DS" -h
	assert_output "$long"
}

@test "--version: one line with the program name" {
	run --separate-stderr -0 "$ZTK_DS" --version
	[ "${#lines[@]}" -eq 1 ]
	assert_output --regexp '^ztk-ds [0-9]+\.[0-9]+\.[0-9]+'
}

@test "unknown option: exit 2, one line on stderr naming it" {
	run --separate-stderr -2 "$ZTK_DS" --bogus child-same.zone
	assert_output ''
	[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ] || fail "stderr: $stderr"
	[[ "$stderr" == "ztk-ds: "*--bogus* ]] || fail "stderr: $stderr"
}

@test "no operand, three operands, --store with a FILE: exit 2" {
	run --separate-stderr -2 "$ZTK_DS"
	[[ "$stderr" == "ztk-ds: expected FILE [ORIGIN]"* ]] || fail "$stderr"
	run --separate-stderr -2 "$ZTK_DS" zsk.key example.com. extra
	[[ "$stderr" == ztk-ds:* ]]
	run --separate-stderr -2 "$ZTK_DS" --store example.com zsk.key
	[[ "$stderr" == "ztk-ds: --store reads no FILE"* ]] || fail "$stderr"
	run --separate-stderr -2 "$ZTK_DS" --origin example.com. zsk.key example.com.
	[[ "$stderr" == "ztk-ds: origin given twice"* ]] || fail "$stderr"
}

@test "bad option values: exit 2 with a message" {
	local a
	for a in --digest=MD5 --digest=GOST -aSHA-512 --ttl=-1 --ttl=abc \
	    --ttl=2147483648 --now=yesterday --now=20261399000000; do
		run --separate-stderr -2 "$ZTK_DS" "$a" child-nocds.zone
		[[ "$stderr" == ztk-ds:* ]] || fail "$a: stderr: $stderr"
		assert_output ''
	done
}

@test "--check-parent does not mix with --delete, --cds, --cdnskey, --ttl" {
	local a
	for a in --delete --cds --cdnskey --ttl=60; do
		run --separate-stderr -2 "$ZTK_DS" --check-parent parent.ds "$a" child-same.zone
		[[ "$stderr" == "ztk-ds: --check-parent does not go with"* ]] ||
			fail "$a: $stderr"
	done
}

@test "missing file: exit 2, one line naming it" {
	run --separate-stderr -2 "$ZTK_DS" no-such.key
	assert_output ''
	[ "$stderr" = "ztk-ds: cannot read no-such.key: No such file or directory" ] ||
		fail "stderr: $stderr"
}

# --- the output format --------------------------------------------------------

@test "DS line: exactly dnssec-dsfromkey's format (no TTL, uppercase hex)" {
	run --separate-stderr -0 "$ZTK_DS" child-nocds.zone
	assert_output 'example.com. IN DS 3613 15 2 3AA5AB37EFCE57F737FC1627013FEE07BDF241BD10F3B1964AB55C78E79A304B'
	[ -z "$stderr" ] || fail "stderr: $stderr"
}

@test "--ttl puts the TTL after the owner" {
	run -0 "$ZTK_DS" --ttl 300 child-nocds.zone
	assert_output 'example.com. 300 IN DS 3613 15 2 3AA5AB37EFCE57F737FC1627013FEE07BDF241BD10F3B1964AB55C78E79A304B'
	run -0 "$ZTK_DS" -T 0 child-nocds.zone
	assert_output --partial 'example.com. 0 IN DS 3613 '
}

@test "the owner is printed as ORIGIN is written, like dnssec-dsfromkey" {
	run -0 "$ZTK_DS" child-nocds.zone Example.COM
	assert_output --regexp '^Example\.COM\. IN DS 3613 15 2 '
}

@test "a zone with its SOA, NS, KSK and ZSK: DS of the KSK only, silently" {
	run --separate-stderr -0 "$ZTK_DS" child-same.zone
	[ "${#lines[@]}" -eq 1 ] || fail "output: $output"
	assert_output --regexp '^example\.com\. IN DS 3613 15 2 '
	[ -z "$stderr" ] || fail "stderr: $stderr"
}

@test "standard input: '-' reads the records, errors name <stdin>" {
	run -0 "$ZTK_DS" child-nocds.zone
	local want=$output
	run -0 "$ZTK_DS" - <child-nocds.zone
	assert_output "$want"
	run --separate-stderr -2 "$ZTK_DS" - <bad-base64.key
	[[ "$stderr" == "ztk-ds: <stdin>:2:"* ]] || fail "stderr: $stderr"
}

# --- byte for byte against BIND and ldns --------------------------------------

@test "every algorithm: key file alone, same DS as dnssec-dsfromkey and ldns-key2ds" {
	need dnssec-keygen dnssec-dsfromkey ldns-key2ds
	local a f n=0
	for a in $ALGS; do
		[[ -f "$KEYS/ksk-$a.name" ]] || continue
		f=$(keyfile "ksk-$a")
		run --separate-stderr -0 "$ZTK_DS" "$f"
		[ -z "$stderr" ] || fail "$a: stderr: $stderr"
		local ours=$output
		run --separate-stderr -0 dnssec-dsfromkey -a SHA-256 "$f"
		[ "$ours" = "$output" ] || fail "$a: ztk-ds: $ours; BIND: $output"
		run --separate-stderr -0 "$ZTK_DS" -a SHA-384 "$f"
		ours=$output
		run --separate-stderr -0 dnssec-dsfromkey -a SHA-384 "$f"
		[ "$ours" = "$output" ] || fail "$a SHA-384: ztk-ds: $ours; BIND: $output"
		# ldns: tabs, a TTL, lowercase hex
		diff <("$ZTK_DS" "$f" | norm_bind) \
			<(ldns-key2ds -n -2 "$f" 2>/dev/null | norm_ldns) ||
			fail "$a: differs from ldns-key2ds -2"
		diff <("$ZTK_DS" -a SHA-384 "$f" | norm_bind) \
			<(ldns-key2ds -n -4 "$f" 2>/dev/null | norm_ldns) ||
			fail "$a: differs from ldns-key2ds -4"
		[ -n "$("$ZTK_DS" "$f" | norm_bind)" ] || fail "$a: nothing compared"
		n=$((n + 1))
	done
	[ "$n" -ge 5 ] || fail "only $n algorithms could be generated"
}

@test "all keys in one zone: same lines, same order as dnssec-dsfromkey -f" {
	need dnssec-keygen dnssec-dsfromkey
	local files=() a
	for a in $ALGS; do
		[[ -f "$KEYS/ksk-$a.name" ]] && files+=("$(keyfile "ksk-$a")")
	done
	files+=("$(keyfile zsk)")
	keyzone "$BATS_TEST_TMPDIR/all.zone" "${files[@]}"
	cd "$BATS_TEST_TMPDIR"
	diff <("$ZTK_DS" all.zone example.com) \
		<(dnssec-dsfromkey -a SHA-256 -f all.zone example.com)
	diff <("$ZTK_DS" -a SHA-384 -a SHA-256 all.zone example.com) \
		<(dnssec-dsfromkey -a SHA-384 -a SHA-256 -f all.zone example.com)
	diff <("$ZTK_DS" --allow-zsk all.zone example.com) \
		<(dnssec-dsfromkey -A -f all.zone example.com)
	diff <("$ZTK_DS" --cds all.zone example.com) \
		<(dnssec-dsfromkey -C -f all.zone example.com)
	diff <("$ZTK_DS" --ttl 300 all.zone example.com) \
		<(dnssec-dsfromkey -T 300 -f all.zone example.com)
	[ "$("$ZTK_DS" all.zone example.com | wc -l)" -eq "$((${#files[@]} - 1))" ]
}

@test "root zone KSKs (corpus, read in place) give /usr/share/dns/root.ds exactly" {
	[ -f "$CORPUS_ROOT_ZONE" ] || skip "corpus zone absent: $CORPUS_ROOT_ZONE"
	[ -f /usr/share/dns/root.ds ] || skip "dns-root-data not installed"
	# --now inside the window of its DNSKEY signatures, so no warning
	run --separate-stderr -0 "$ZTK_DS" --now 2026-08-25 "$CORPUS_ROOT_ZONE" .
	assert_output "$(cat /usr/share/dns/root.ds)"
	assert_output --partial ' 20326 8 2 '
	assert_output --partial ' 38696 8 2 '
	[ -z "$stderr" ] || fail "stderr: $stderr"
	# and the first DNSKEY's owner is the apex without ORIGIN, too
	run -0 "$ZTK_DS" --now 2026-08-25 "$CORPUS_ROOT_ZONE"
	assert_output "$(cat /usr/share/dns/root.ds)"
}

@test "root zone KSKs: the same as dnssec-dsfromkey -f on the corpus zone" {
	[ -f "$CORPUS_ROOT_ZONE" ] || skip "corpus zone absent: $CORPUS_ROOT_ZONE"
	need dnssec-dsfromkey
	diff <("$ZTK_DS" -a SHA-256 -a SHA-384 "$CORPUS_ROOT_ZONE" .) \
		<(dnssec-dsfromkey -a SHA-256 -a SHA-384 -f "$CORPUS_ROOT_ZONE" .)
}

# --- refusals -----------------------------------------------------------------

@test "a ZSK alone: refused loudly (exit 1); ldns prints nothing, BIND a DS" {
	run --separate-stderr -1 "$ZTK_DS" zsk.key
	assert_output ''
	[[ "$stderr" == "ztk-ds: zsk.key:2:1: key 35216 is a ZSK (flags 256, no SEP bit): refusing"* ]] ||
		fail "stderr: $stderr"
	[[ "$stderr" == *--allow-zsk* ]] || fail "no hint: $stderr"
	if command -v ldns-key2ds >/dev/null; then
		# what the peers do with the same file
		run -0 ldns-key2ds -n -2 zsk.key
		assert_output ''
		run -0 dnssec-dsfromkey -a SHA-256 zsk.key
		assert_output --regexp '^example\.com\. IN DS 35216 15 2 '
	fi
}

@test "--allow-zsk: the ZSK's DS, the same as dnssec-dsfromkey's" {
	run --separate-stderr -0 "$ZTK_DS" --allow-zsk zsk.key
	assert_output --regexp '^example\.com\. IN DS 35216 15 2 [0-9A-F]{64}$'
	[ -z "$stderr" ] || fail "stderr: $stderr"
	if command -v dnssec-dsfromkey >/dev/null; then
		local ours=$output
		run -0 dnssec-dsfromkey -a SHA-256 zsk.key
		assert_output "$ours"
	fi
}

@test "generated ZSK key file: refused; with --allow-zsk equal to BIND" {
	need dnssec-keygen dnssec-dsfromkey
	local f
	f=$(keyfile zsk)
	run --separate-stderr -1 "$ZTK_DS" "$f"
	[[ "$stderr" == *"is a ZSK (flags 256, no SEP bit)"* ]] || fail "$stderr"
	diff <("$ZTK_DS" --allow-zsk "$f") <(dnssec-dsfromkey -a SHA-256 "$f")
}

@test "revoked keys are skipped with a note; -q drops the note" {
	run --separate-stderr -0 "$ZTK_DS" revoked.zone
	assert_output --regexp '^example\.com\. IN DS 3613 15 2 '
	[ "${#lines[@]}" -eq 1 ]
	[[ "$stderr" == "ztk-ds: revoked.zone:2:1: note: skipping revoked key 35345 (flags 385, RFC 5011)" ]] ||
		fail "stderr: $stderr"
	run --separate-stderr -0 "$ZTK_DS" -q revoked.zone
	[ -z "$stderr" ] || fail "stderr: $stderr"
	run --separate-stderr -1 "$ZTK_DS" revoked-only.zone
	assert_output ''
	[[ "$stderr" == *"no usable key-signing key"* ]] || fail "stderr: $stderr"
}

@test "SHA-1: refused without --allow-sha1 (exit 1), citing RFC 8624" {
	run --separate-stderr -1 "$ZTK_DS" -a SHA-1 child-nocds.zone
	assert_output ''
	[[ "$stderr" == "ztk-ds: refusing SHA-1 DS records: RFC 8624 3.3"* ]] || fail "$stderr"
	[[ "$stderr" == *--allow-sha1* ]] || fail "$stderr"
	run --separate-stderr -1 "$ZTK_DS" -a SHA-256 -a 1 child-nocds.zone
	assert_output ''
}

@test "SHA-1 with --allow-sha1: a warning citing RFC 8624, and BIND's digest" {
	run --separate-stderr -0 "$ZTK_DS" --allow-sha1 -a SHA-1 child-nocds.zone
	assert_output --regexp '^example\.com\. IN DS 3613 15 1 [0-9A-F]{40}$'
	[[ "$stderr" == "ztk-ds: warning: SHA-1 DS records: RFC 8624 3.3 says MUST NOT"* ]] ||
		fail "stderr: $stderr"
	if command -v dnssec-dsfromkey >/dev/null; then
		local ours=$output
		# (BIND 9.18 says "DS digest type 0 is deprecated" on stderr)
		run --separate-stderr -0 dnssec-dsfromkey -a SHA-1 -f child-nocds.zone example.com
		assert_output "$ours"
	fi
}

@test "RSASHA1 key: DS made, warning that RFC 8624 advises against it" {
	need dnssec-keygen dnssec-dsfromkey
	local f
	f=$(keyfile ksk-RSASHA1)
	run --separate-stderr -0 "$ZTK_DS" "$f"
	[[ "$stderr" == *"algorithm RSASHA1: RFC 8624 3.1: NOT RECOMMENDED"* ]] ||
		fail "stderr: $stderr"
	local ours=$output
	run -0 dnssec-dsfromkey -a SHA-256 "$f"
	assert_output "$ours"
	diff <("$ZTK_DS" --allow-sha1 -a SHA-1 "$f" 2>/dev/null) \
		<(dnssec-dsfromkey -a SHA-1 "$f" 2>/dev/null)
}

@test "RSAMD5 key: warned as MUST NOT (RFC 8624)" {
	run --separate-stderr -0 "$ZTK_DS" rsamd5.key
	assert_output --regexp '^example\.com\. IN DS [0-9]+ 1 2 [0-9A-F]{64}$'
	[[ "$stderr" == "ztk-ds: warning: key "*", algorithm RSAMD5: RFC 8624 3.1: MUST NOT"* ]] ||
		fail "stderr: $stderr"
}

# --- CDS, CDNSKEY, delete ------------------------------------------------------

@test "--cds / --cdnskey: CDS as dnssec-dsfromkey -C, CDNSKEY = the DNSKEY" {
	run --separate-stderr -0 "$ZTK_DS" --cds --cdnskey child-nocds.zone
	[ "${#lines[@]}" -eq 2 ] || fail "output: $output"
	[ "${lines[0]}" = 'example.com. IN CDS 3613 15 2 3AA5AB37EFCE57F737FC1627013FEE07BDF241BD10F3B1964AB55C78E79A304B' ]
	[ "${lines[1]}" = 'example.com. IN CDNSKEY 257 3 15 l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=' ]
	run -0 "$ZTK_DS" --cdnskey child-nocds.zone
	[ "${#lines[@]}" -eq 1 ]
	[[ "${lines[0]}" == *" CDNSKEY "* ]]
	if command -v dnssec-dsfromkey >/dev/null; then
		diff <("$ZTK_DS" --cds child-nocds.zone) \
			<(dnssec-dsfromkey -C -f child-nocds.zone example.com)
	fi
}

@test "CDS/CDNSKEY and delete output read back by ztk-lint without an error" {
	local z=$BATS_TEST_TMPDIR/cds.zone what
	for what in "--cds --cdnskey child-nocds.zone" "--delete example.com"; do
		{
			printf '$TTL 3600\n'
			printf 'example.com. IN SOA ns1.example.com. h.example.com. 1 7200 3600 1209600 3600\n'
			printf 'example.com. IN NS ns1.example.com.\nns1.example.com. IN A 192.0.2.1\n'
			# shellcheck disable=SC2086
			"$ZTK_DS" $what
		} >"$z"
		run --separate-stderr -0 "$ZTK_LINT" -q "$z"
		assert_output ''
		run -0 grep -c ' IN C' "$z"
		assert_output 2
	done
}

@test "--delete: the RFC 8078 forms, both by default" {
	run --separate-stderr -0 "$ZTK_DS" --delete example.com
	assert_output "example.com. IN CDS 0 0 0 00
example.com. IN CDNSKEY 0 3 0 AA=="
	[ -z "$stderr" ] || fail "stderr: $stderr"
	run -0 "$ZTK_DS" --delete --cds example.com.
	assert_output 'example.com. IN CDS 0 0 0 00'
	run -0 "$ZTK_DS" --delete --cdnskey --ttl 60 example.com.
	assert_output 'example.com. 60 IN CDNSKEY 0 3 0 AA=='
	run -0 "$ZTK_DS" --delete --origin example.net
	assert_output --partial 'example.net. IN CDS 0 0 0 00'
	run --separate-stderr -2 "$ZTK_DS" --delete
	[[ "$stderr" == "ztk-ds: --delete needs the zone name"* ]] || fail "$stderr"
	run --separate-stderr -2 "$ZTK_DS" --delete child-same.zone example.com
	[[ "$stderr" == "ztk-ds: with --delete, give only the zone name"* ]] || fail "$stderr"
}

# --- JSON ---------------------------------------------------------------------

@test "--json: registrar array, digest in uppercase hex like the text" {
	run -0 "$ZTK_DS" --json -a SHA-256 -a SHA-384 child-nocds.zone
	json_valid <<<"$output"
	run -0 jget '[sorted(x.keys()) for x in d]' <<<"$output"
	assert_output "[['algorithm', 'digest', 'digestType', 'keyTag', 'owner'], ['algorithm', 'digest', 'digestType', 'keyTag', 'owner']]"
	run -0 "$ZTK_DS" --json child-nocds.zone
	run -0 jget '(d[0]["owner"], d[0]["keyTag"], d[0]["algorithm"], d[0]["digestType"], d[0]["digest"])' <<<"$output"
	assert_output "('example.com.', 3613, 15, 2, '3AA5AB37EFCE57F737FC1627013FEE07BDF241BD10F3B1964AB55C78E79A304B')"
}

@test "--json with every generated key: the same DS as the text" {
	need dnssec-keygen
	local files=() a
	for a in $ALGS; do
		[[ -f "$KEYS/ksk-$a.name" ]] && files+=("$(keyfile "ksk-$a")")
	done
	keyzone "$BATS_TEST_TMPDIR/all.zone" "${files[@]}"
	diff <("$ZTK_DS" --json "$BATS_TEST_TMPDIR/all.zone" | python3 -c '
import json, sys
for x in json.load(sys.stdin):
    print(x["owner"], "IN DS", x["keyTag"], x["algorithm"], x["digestType"], x["digest"])') \
		<("$ZTK_DS" "$BATS_TEST_TMPDIR/all.zone")
}

@test "--json --cds --cdnskey and --json --delete" {
	run -0 "$ZTK_DS" --json --cds --cdnskey child-nocds.zone
	run -0 jget '[(x["type"], x.get("keyTag"), x.get("flags"), x.get("publicKey")) for x in d]' <<<"$output"
	assert_output "[('CDS', 3613, None, None), ('CDNSKEY', None, 257, 'l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=')]"
	run -0 "$ZTK_DS" --json --delete example.com
	run -0 jget '[(x["type"], x.get("digest"), x.get("protocol"), x.get("publicKey")) for x in d]' <<<"$output"
	assert_output "[('CDS', '00', None, None), ('CDNSKEY', None, 3, 'AA==')]"
}

# --- bad input ------------------------------------------------------------------

@test "bad base64: exit 2, file:line:col from the scanner" {
	run --separate-stderr -2 "$ZTK_DS" bad-base64.key
	assert_output ''
	[[ "$stderr" == "ztk-ds: bad-base64.key:2:38: "* ]] || fail "stderr: $stderr"
	[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ] || fail "stderr: $stderr"
}

@test "malformed key for its algorithm, protocol not 3: exit 2 with file:line:col" {
	run --separate-stderr -2 "$ZTK_DS" bad-length.key
	[ "$stderr" = "ztk-ds: bad-length.key:3:1: bad DNSKEY record: the public key is malformed for algorithm 15 (ED25519)" ] ||
		fail "stderr: $stderr"
	run --separate-stderr -2 "$ZTK_DS" bad-protocol.key
	[ "$stderr" = "ztk-ds: bad-protocol.key:1:1: bad DNSKEY record: protocol is 2, not 3 (RFC 4034 2.1.2)" ] ||
		fail "stderr: $stderr"
}

@test "DNSKEYs of two owners: exit 2 asking for ORIGIN; with ORIGIN fine" {
	run --separate-stderr -2 "$ZTK_DS" two-owners.zone
	[[ "$stderr" == "ztk-ds: two-owners.zone:2:1: records for example.org. here, for example.com. at line 1: name the zone"* ]] ||
		fail "stderr: $stderr"
	run -0 "$ZTK_DS" two-owners.zone example.org
	assert_output --regexp '^example\.org\. IN DS 35217 15 2 '
}

@test "no DNSKEY in the file: exit 2" {
	run --separate-stderr -2 "$ZTK_DS" ../good.zone
	[ "$stderr" = "ztk-ds: ../good.zone: no DNSKEY record" ] || fail "stderr: $stderr"
	run --separate-stderr -2 "$ZTK_DS" child-same.zone example.net
	[ "$stderr" = "ztk-ds: child-same.zone: no DNSKEY record for example.net." ] ||
		fail "stderr: $stderr"
}

# --- the parent-side check ------------------------------------------------------

@test "check: CDS equal to the parent's DS: safe, nothing to do (exit 0)" {
	run --separate-stderr -0 "$ZTK_DS" --check-parent parent.ds child-same.zone
	assert_line 'note: the proposal equals the current DS RRset: nothing to do [unchanged]'
	assert_line --regexp '^ok: DS 3613 15 2 matches the published SEP key 3613, .* \[ds-match\]$'
	assert_line --partial '[current-ds-match]'
	assert_line --partial 'signatures not verified'
	[ "${lines[-1]}" = 'verdict: safe: the parent may replace the 1 DS record of example.com. by the 1 proposed (signatures not verified)' ] ||
		fail "last line: ${lines[-1]}"
	[ -z "$stderr" ] || fail "stderr: $stderr"
}

@test "check: KSK rollover (new KSK published, CDS points to it): safe" {
	run -0 "$ZTK_DS" --check-parent parent.ds child-rollover.zone
	assert_line 'note: adds DS 35217 15 2 [ds-added]'
	assert_line 'note: removes DS 3613 15 2 [ds-removed]'
	assert_line --partial 'verdict: safe:'
}

@test "check: RFC 8078 delete is flagged insecure (exit 1)" {
	run -1 "$ZTK_DS" --check-parent parent.ds child-delete.zone
	assert_line --partial '[delete]'
	assert_line 'verdict: insecure: removing the DS RRset of example.com. turns DNSSEC validation off for the zone'
	run -1 "$ZTK_DS" --prefer-cdnskey --check-parent parent.ds child-delete.zone
	assert_line --partial 'the CDNSKEY RRset is the RFC 8078 delete record'
}

@test "check: an algorithm of the DNSKEY RRset left without DS: unsafe" {
	run -1 "$ZTK_DS" --check-parent parent.ds child-alg.zone
	assert_line 'unsafe: algorithm 13 (ECDSAP256SHA256) is in the DNSKEY RRset but no proposed DS matches a key of it [alg-uncovered]'
	assert_line 'verdict: unsafe: 1 problem; keep the current DS RRset of example.com.'
}

@test "check: CDS for an unpublished key: no SEP match, unsafe" {
	run -1 "$ZTK_DS" --check-parent parent.ds child-nokey.zone
	assert_line --partial '[no-sep-match]'
	assert_line --partial '[ds-no-key]'
	assert_line --partial '[alg-no-key]'
	assert_line --regexp '^verdict: unsafe: 3 problems'
}

@test "check: current DS matches nothing: cannot authenticate, unsafe" {
	run -1 "$ZTK_DS" --check-parent parent-dangling.zone child-same.zone
	assert_line --partial '[current-ds-dangling]'
	assert_line 'note: removes DS 9713 16 2 [ds-removed]'
}

@test "check: no current DS (initial DS): a warning, still safe" {
	run -0 "$ZTK_DS" --check-parent parent-none.ds child-same.zone
	assert_line --partial 'warning: the parent has no DS for the child'
	assert_line --partial 'verdict: safe: the parent may replace the 0 DS records'
}

@test "check: no CDS/CDNSKEY: the DS of the SEP keys is checked" {
	run -0 "$ZTK_DS" --check-parent parent.ds child-nocds.zone
	assert_line --partial 'checking the DS RRset made from 1 SEP key'
	assert_line --partial '[unchanged]'
	# digests for CDNSKEY/SEP keys come from -a, as with dnssec-cds
	run -0 "$ZTK_DS" -a SHA-384 --check-parent parent.ds child-nocds.zone
	assert_line 'note: adds DS 3613 15 4 [ds-added]'
}

@test "check -q: only problems and the verdict" {
	run -1 "$ZTK_DS" -q --check-parent parent.ds child-alg.zone
	assert_output 'unsafe: algorithm 13 (ECDSAP256SHA256) is in the DNSKEY RRset but no proposed DS matches a key of it [alg-uncovered]
verdict: unsafe: 1 problem; keep the current DS RRset of example.com.'
	run -0 "$ZTK_DS" -q --check-parent parent.ds child-same.zone
	[ "${#lines[@]}" -eq 1 ] || fail "output: $output"
}

@test "check --json: verdict, checks, current and new DS" {
	run -0 "$ZTK_DS" --json --check-parent parent.ds child-rollover.zone
	json_valid <<<"$output"
	run -0 jget '(d["owner"], d["verdict"], d["source"], d["signaturesVerified"], d["unsafe"], [x["keyTag"] for x in d["currentDS"]], [x["keyTag"] for x in d["newDS"]])' <<<"$output"
	assert_output "('example.com.', 'safe', 'CDS', False, 0, [3613], [35217])"
	run -1 "$ZTK_DS" --json --check-parent parent.ds child-delete.zone
	run -0 jget '(d["verdict"], d["newDS"], [c["id"] for c in d["checks"] if c["level"] == "unsafe"])' <<<"$output"
	assert_output "('insecure', [], ['delete'])"
}

@test "check: the parent file's errors carry file:line:col; missing file exit 2" {
	printf 'example.com. IN DS 3613 15 2 XYZ\n' >"$BATS_TEST_TMPDIR/bad.ds"
	run --separate-stderr -2 "$ZTK_DS" --check-parent "$BATS_TEST_TMPDIR/bad.ds" child-same.zone
	[[ "$stderr" == "ztk-ds: $BATS_TEST_TMPDIR/bad.ds:1:"* ]] || fail "stderr: $stderr"
	run --separate-stderr -2 "$ZTK_DS" --check-parent no-such.ds child-same.zone
	[ "$stderr" = "ztk-ds: cannot read no-such.ds: No such file or directory" ] || fail "$stderr"
}

# --- the key store ----------------------------------------------------------------

# Build a little helper against libztk that fills a key store through the
# public keydb.h API (ztk-key would need an HSM).
mkstore() {
	need cc
	local build lib=
	build=$(cd "$(dirname "$ZTK_DS")/.." && pwd)
	lib=$build/libztk.a
	[ -f "$lib" ] || skip "no $lib"
	local src=$BATS_TEST_TMPDIR/mkstore.c
	cat >"$src" <<'EOF'
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ztk/ztk.h>
#include <ztk/dnssec.h>
#include <ztk/keydb.h>
/* mkstore DB < lines "ROLE PUBLISH DELETE owner TTL IN DNSKEY ..." */
static struct ztk_key_rec rec;
static int
on_rr(void *ctx, const struct ztk_rr *rr)
{
	char z[ZTK_DNAME_TEXT_MAX];
	(void)ctx;
	ztk_dname_print(rr->owner, z);
	snprintf(rec.zone, sizeof rec.zone, "%s", z);
	memcpy(rec.dnskey, rr->rdata, rr->rdlen);
	rec.dnskey_len = rr->rdlen;
	rec.flags = (uint16_t)(rr->rdata[0] << 8 | rr->rdata[1]);
	rec.alg = rr->rdata[3];
	rec.keytag = ztk_keytag(rr->rdata, rr->rdlen);
	rec.bits = (uint16_t)ztk_dnskey_bits(rr->rdata, rr->rdlen);
	return 0;
}
int
main(int argc, char **argv)
{
	char line[4096], why[512], role[8];
	long long pub, del;
	int n, i = 0;
	ztk_keydb *db;
	if (argc != 2 || ztk_keydb_open(argv[1], &db, why, sizeof why)) {
		fprintf(stderr, "mkstore: %s\n", argc == 2 ? why : "usage");
		return 2;
	}
	while (fgets(line, sizeof line, stdin)) {
		if (sscanf(line, "%7s %lld %lld %n", role, &pub, &del, &n) != 3)
			continue;
		memset(&rec, 0, sizeof rec);
		struct ztk_scan_opts o = { .on_rr = on_rr };
		if (ztk_scan_buffer("stdin", line + n, strlen(line + n), &o,
		    NULL) || rec.dnskey_len == 0)
			return 2;
		rec.role = ztk_role_from_text(role);
		snprintf(rec.p11_id, sizeof rec.p11_id, "%04x", ++i);
		snprintf(rec.label, sizeof rec.label, "key%d", i);
		rec.t[ZTK_T_CREATED] = 1;
		rec.t[ZTK_T_PUBLISH] = pub;
		rec.t[ZTK_T_DELETE] = del;
		if (ztk_keydb_insert(db, &rec)) {
			fprintf(stderr, "mkstore: %s\n", ztk_keydb_errmsg(db));
			return 2;
		}
	}
	ztk_keydb_close(db);
	return 0;
}
EOF
	local san=
	ldd "$ZTK_DS" 2>/dev/null | grep -q libasan && san="-fsanitize=address,undefined"
	cc -std=c17 $san -I"$REPO_ROOT/include" -o "$BATS_TEST_TMPDIR/mkstore" "$src" \
		"$lib" -lp11 -lcrypto -lsqlite3 -ldl -lm -lpthread ||
		fail "cannot build the key store helper"
	mkdir -p "$BATS_TEST_TMPDIR/home"
	"$BATS_TEST_TMPDIR/mkstore" "$BATS_TEST_TMPDIR/home/keys.db" <<EOF
KSK 1 0 example.com. 3600 IN DNSKEY 257 3 15 l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4=
ZSK 1 0 example.com. 3600 IN DNSKEY 256 3 15 zPnZ/QwEe7S8C5SPz2OfS5RR40ATk2/rYnE9xHIEijs=
KSK 1 1000 example.com. 3600 IN DNSKEY 257 3 15 zPnZ/QwEe7S8C5SPz2OfS5RR40ATk2/rYnE9xHIEijs=
CSK 0 0 example.org. 3600 IN DNSKEY 257 3 13 GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edbkrSqQpF64cYbcB7wNcP+e+MAnLr+Wi9xMWyQLc8NAA==
EOF
}

@test "--store: the zone's KSKs and CSKs that are not deleted" {
	mkstore
	local db=$BATS_TEST_TMPDIR/home/keys.db
	run --separate-stderr -0 "$ZTK_DS" --db "$db" --store example.com
	assert_output 'example.com. IN DS 3613 15 2 3AA5AB37EFCE57F737FC1627013FEE07BDF241BD10F3B1964AB55C78E79A304B'
	# before the second KSK's delete time it is still there
	run -0 "$ZTK_DS" --db "$db" --store example.com --now 999
	[ "${#lines[@]}" -eq 2 ] || fail "output: $output"
	assert_line --regexp '^example\.com\. IN DS 35217 15 2 '
	run -0 "$ZTK_DS" --db "$db" --store example.com --now 19700101001640
	[ "${#lines[@]}" -eq 1 ] || fail "1000 s after the epoch: $output"
	# --allow-zsk adds the ZSK; ZTK_HOME and --home find the same store
	run -0 env ZTK_HOME="$BATS_TEST_TMPDIR/home" "$ZTK_DS" --store example.com --allow-zsk
	assert_line --regexp '^example\.com\. IN DS 35216 15 2 '
	run -0 "$ZTK_DS" --home "$BATS_TEST_TMPDIR/home" --store EXAMPLE.ORG --json
	run -0 jget '[(x["owner"], x["keyTag"]) for x in d]' <<<"$output"
	assert_output "[('example.org.', 55648)]"
}

@test "--store: the same DS as the zone file holding the same key" {
	mkstore
	diff <("$ZTK_DS" --db "$BATS_TEST_TMPDIR/home/keys.db" --store example.com --cds --cdnskey) \
		<("$ZTK_DS" --cds --cdnskey child-nocds.zone)
}

@test "--store: unknown zone exit 1, missing store exit 3" {
	mkstore
	run --separate-stderr -1 "$ZTK_DS" --db "$BATS_TEST_TMPDIR/home/keys.db" --store example.net
	[ "$stderr" = "ztk-ds: no key for example.net. in the key store" ] || fail "$stderr"
	run --separate-stderr -3 "$ZTK_DS" --db "$BATS_TEST_TMPDIR/none.db" --store example.com
	[[ "$stderr" == "ztk-ds: no key store at $BATS_TEST_TMPDIR/none.db: No such file or directory"* ]] ||
		fail "$stderr"
	[ ! -e "$BATS_TEST_TMPDIR/none.db" ] || fail "a store was created"
	run --separate-stderr -3 env ZTK_HOME="$BATS_TEST_TMPDIR/nohome" "$ZTK_DS" --store example.com
	[[ "$stderr" == "ztk-ds: no key store at $BATS_TEST_TMPDIR/nohome/keys.db"* ]] || fail "$stderr"
}

@test "--store --check-parent: the stored KSKs against the parent's DS" {
	mkstore
	run -0 "$ZTK_DS" --db "$BATS_TEST_TMPDIR/home/keys.db" --store example.com \
		--check-parent parent.ds
	assert_line --partial 'made from 1 key-signing key'
	assert_line --partial '[unchanged]'
	assert_line --partial 'verdict: safe:'
	run -1 "$ZTK_DS" --db "$BATS_TEST_TMPDIR/home/keys.db" --store example.com \
		--check-parent parent-dangling.zone
	assert_line --partial '[current-ds-dangling]'
	run -0 "$ZTK_DS" --db "$BATS_TEST_TMPDIR/home/keys.db" --store example.com --delete
	assert_output --partial 'example.com. IN CDS 0 0 0 00'
}

# --- memory -----------------------------------------------------------------------

@test "valgrind: no leak or error in generation, the check, and error paths" {
	need valgrind
	ldd "$ZTK_DS" 2>/dev/null | grep -q libasan && skip "sanitizer build (ASan checks leaks there)"
	local vg=(valgrind -q --leak-check=full --errors-for-leak-kinds=all --error-exitcode=99)
	run "${vg[@]}" "$ZTK_DS" -a SHA-256 -a SHA-384 --cds --cdnskey --json child-same.zone
	[ "$status" -eq 0 ] || fail "status $status: $output"
	run "${vg[@]}" "$ZTK_DS" --check-parent parent.ds child-rollover.zone
	[ "$status" -eq 0 ] || fail "status $status: $output"
	run "${vg[@]}" "$ZTK_DS" --json --check-parent parent.ds child-nokey.zone
	[ "$status" -eq 1 ] || fail "status $status: $output"
	run "${vg[@]}" "$ZTK_DS" bad-base64.key
	[ "$status" -eq 2 ] || fail "status $status: $output"
	run "${vg[@]}" "$ZTK_DS" zsk.key
	[ "$status" -eq 1 ] || fail "status $status: $output"
	run "${vg[@]}" "$ZTK_DS" two-owners.zone
	[ "$status" -eq 2 ] || fail "status $status: $output"
}
