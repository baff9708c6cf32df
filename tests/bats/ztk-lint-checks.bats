#!/usr/bin/env bats
# ztk-lint-checks.bats - one trigger fixture per lint check (fixtures/ID.zone),
# the shared clean base zone (fixtures/good.zone), --disable and --fail-on.

load helpers

setup() {
	ztk_setup
}

# trigger_test ID EXIT LOC SEVERITY
# fixtures/ID.zone makes ztk-lint exit with EXIT and print a finding
# "LOC: SEVERITY: ... [ID]" on stdout, with a summary line on stderr.
# Warnings and infos must not fail the default run but must fail at the
# matching --fail-on level (and infos not at --fail-on=warning).
trigger_test() {
	local id=$1 want=$2 loc=$3 sev=$4 f="$1.zone"
	run --separate-stderr -"$want" "$ZTK_LINT" "$f"
	assert_finding "$loc" "$sev" "$id"
	[[ "$stderr" =~ ^"$f: "[0-9]+" records, " ]] ||
		fail "no summary line on stderr: $stderr"
	case $sev in
	error)
		run -"$want" "$ZTK_LINT" --fail-on=info "$f"
		;;
	warning)
		run -1 "$ZTK_LINT" --fail-on=warning "$f"
		assert_output --partial "[$id]"
		run -1 "$ZTK_LINT" --fail-on=info "$f"
		;;
	info)
		run -0 "$ZTK_LINT" --fail-on=warning "$f"
		run -1 "$ZTK_LINT" --fail-on=info "$f"
		assert_output --partial "[$id]"
		;;
	esac
}

# disable_test ID EXIT_BEFORE EXIT_AFTER [FAIL_ON]
# With --disable ID the finding is gone and the exit status moves from
# EXIT_BEFORE to EXIT_AFTER (at --fail-on=FAIL_ON, default error).
disable_test() {
	local id=$1 before=$2 after=$3 level=${4:-error} f="$1.zone"
	run --separate-stderr -"$before" "$ZTK_LINT" --fail-on="$level" "$f"
	assert_output --partial "[$id]"
	run --separate-stderr -"$after" "$ZTK_LINT" --fail-on="$level" \
		--disable "$id" "$f"
	refute_output --partial "[$id]"
}

# --- the clean base zone ------------------------------------------------------

@test "good.zone: clean, exit 0, no output at all" {
	run --separate-stderr -0 "$ZTK_LINT" good.zone
	assert_output ''
	[ -z "$stderr" ] || fail "unexpected stderr: $stderr"
}

@test "good.zone: clean even at --fail-on=info with every check enabled" {
	run -0 "$ZTK_LINT" --fail-on=info --enable=all good.zone
	assert_output ''
}

@test "good.zone: -v prints only the summary line (9 records)" {
	run --separate-stderr -0 "$ZTK_LINT" -v good.zone
	assert_output ''
	[[ "$stderr" == "good.zone: 9 records, 0 errors, 0 warnings, 0 info ("*" s)" ]] ||
		fail "bad summary: $stderr"
}

@test "every check in --list-checks has a trigger fixture and a test here" {
	local id missing=()
	run -0 ztk_check_ids
	[ "${#lines[@]}" -ge 30 ] || fail "too few checks: ${#lines[@]}"
	for id in "${lines[@]}"; do
		[ "$id" = io ] && continue
		[ -f "$id.zone" ] || missing+=("fixtures/$id.zone")
		head -n 1 "$id.zone" 2>/dev/null | grep -q "^; .*triggers $id" ||
			missing+=("comment line in fixtures/$id.zone")
		grep -q "^@test \"$id: triggered" "$BATS_TEST_FILENAME" ||
			missing+=("test for $id")
	done
	[ "${#missing[@]}" -eq 0 ] || fail "missing: ${missing[*]}"
}

@test "trigger fixtures stay tiny (at most 12 non-comment lines)" {
	# the trigger is the point, not noise
	local id n
	run -0 ztk_check_ids
	[ "${#lines[@]}" -ge 30 ] || fail "too few checks: ${#lines[@]}"
	for id in "${lines[@]}"; do
		[ "$id" = io ] && continue
		n=$(grep -cv '^;' "$id.zone")
		[ "$n" -le 12 ] || fail "$id.zone has $n non-comment lines"
	done
}

# --- io -------------------------------------------------------------------------

@test "io: triggered by a missing file (exit 2, error names the file)" {
	run --separate-stderr -2 "$ZTK_LINT" no-such-file.zone
	assert_output ''
	[ "$stderr" = "ztk-lint: cannot read no-such-file.zone: No such file or directory" ] ||
		fail "stderr: $stderr"
}

@test "io: triggered by a directory given as the zone file" {
	run --separate-stderr -2 "$ZTK_LINT" .
	[[ "$stderr" == "ztk-lint: cannot read .: "* ]] || fail "stderr: $stderr"
}

@test "io: --disable io still exits 2 and still names the missing file" {
	run --separate-stderr -2 "$ZTK_LINT" --disable io no-such-file.zone
	assert_output ''
	[[ "$stderr" == *no-such-file.zone* ]] ||
		fail "the error no longer names the file: $stderr"
}

# --- raised while reading -------------------------------------------------------

@test "syntax: triggered (bad IPv4 at 7:16, exit 2)" {
	trigger_test syntax 2 syntax.zone:7:16 error
}

@test "syntax: --disable hides the finding; the file is still unreadable (exit 2)" {
	disable_test syntax 2 2
}

@test "syntax: an exit 2 must say why even with --disable syntax" {
	run --separate-stderr -2 "$ZTK_LINT" --disable syntax syntax.zone
	[ -n "$output$stderr" ] || fail "exit 2 with no output at all"
}

@test "txt-string-too-long: triggered (256 octets with an escape, 8:16, exit 2)" {
	trigger_test txt-string-too-long 2 txt-string-too-long.zone:8:16 error
}

@test "txt-string-too-long: 256 plain letters, no escapes (8:16, exit 2)" {
	run --separate-stderr -2 "$ZTK_LINT" txt-string-too-long-plain.zone
	assert_finding txt-string-too-long-plain.zone:8:16 error txt-string-too-long
	refute_output --partial '[syntax]'
}

@test "txt-string-too-long: exactly 255 octets is fine" {
	run -0 "$ZTK_LINT" txt-string-255.zone
	assert_output ''
}

@test "txt-string-too-long: --disable hides it; the record is still rejected (exit 2)" {
	disable_test txt-string-too-long 2 2
}

@test "ttl-missing: triggered (record without TTL at 4:1, warning)" {
	trigger_test ttl-missing 0 ttl-missing.zone:4:1 warning
}

@test "ttl-missing: reported once per file, not for every record" {
	run -0 "$ZTK_LINT" ttl-missing.zone
	[ "$(count_findings ttl-missing)" -eq 1 ]
}

@test "ttl-missing: --disable" {
	disable_test ttl-missing 1 0 warning
}

@test "ttl-too-large: triggered (TTL 2147483648 at 7:9, warning)" {
	trigger_test ttl-too-large 0 ttl-too-large.zone:7:9 warning
}

@test "ttl-too-large: 2147483647 is still fine" {
	sed 's/2147483648/2147483647/' ttl-too-large.zone >"$BATS_TEST_TMPDIR/max.zone"
	run -0 "$ZTK_LINT" --fail-on=info "$BATS_TEST_TMPDIR/max.zone"
	assert_output ''
}

@test "ttl-too-large: --disable" {
	disable_test ttl-too-large 1 0 warning
}

@test "port-generate: triggered (\$GENERATE at 7:1, info)" {
	trigger_test port-generate 0 port-generate.zone:7:1 info
}

@test "port-generate: --disable" {
	disable_test port-generate 1 0 info
}

@test "port-include-path: triggered (relative \$INCLUDE file name at 8:10, info)" {
	# given as ./NAME: the including file's directory is spelled out
	run --separate-stderr -0 "$ZTK_LINT" ./port-include-path.zone
	assert_finding ./port-include-path.zone:8:10 info port-include-path
	[[ "$stderr" == "./port-include-path.zone: 4 records, "* ]] ||
		fail "stderr: $stderr"
	run -0 "$ZTK_LINT" --fail-on=warning ./port-include-path.zone
	run -1 "$ZTK_LINT" --fail-on=info ./port-include-path.zone
	assert_output --partial '[port-include-path]'
}

@test "port-include-path: triggered with an absolute zone file path" {
	run -0 "$ZTK_LINT" "$FIXTURES/port-include-path.zone"
	assert_finding "$FIXTURES/port-include-path.zone:8:10" info port-include-path
}

@test "port-include-path: triggered however the zone file path is spelled (bare name)" {
	trigger_test port-include-path 0 port-include-path.zone:8:10 info
}

@test "port-include-path: an absolute \$INCLUDE path is fine" {
	sed "s|^\\\$INCLUDE .*|\$INCLUDE $FIXTURES/include-child.inc|" \
		port-include-path.zone >"$BATS_TEST_TMPDIR/abs.zone"
	grep -q "^.INCLUDE /" "$BATS_TEST_TMPDIR/abs.zone"
	run -0 "$ZTK_LINT" --fail-on=info "$BATS_TEST_TMPDIR/abs.zone"
	assert_output ''
}

@test "port-include-path: --disable" {
	run -1 "$ZTK_LINT" --fail-on=info ./port-include-path.zone
	assert_output --partial '[port-include-path]'
	run -0 "$ZTK_LINT" --fail-on=info --disable port-include-path \
		./port-include-path.zone
	assert_output ''
}

# --- zone structure -------------------------------------------------------------

@test "out-of-zone: triggered (other.org. at 7:1)" {
	trigger_test out-of-zone 1 out-of-zone.zone:7:1 error
}

@test "out-of-zone: --disable" {
	disable_test out-of-zone 1 0
}

@test "soa-missing: triggered (reported at the first apex record, 4:1)" {
	trigger_test soa-missing 1 soa-missing.zone:4:1 error
}

@test "soa-missing: --disable" {
	disable_test soa-missing 1 0
}

@test "soa-multiple: triggered (second SOA at 7:1)" {
	trigger_test soa-multiple 1 soa-multiple.zone:7:1 error
	assert_output --partial 'first at line 4'
}

@test "soa-multiple: --disable" {
	disable_test soa-multiple 1 0
}

@test "soa-not-apex: triggered (SOA at sub, 7:1)" {
	trigger_test soa-not-apex 1 soa-not-apex.zone:7:1 error
}

@test "soa-not-apex: --disable" {
	disable_test soa-not-apex 1 0
}

@test "soa-timers: triggered (refresh 50000 in the SOA at 4:1, warning)" {
	trigger_test soa-timers 0 soa-timers.zone:4:1 warning
	assert_output --partial 'refresh 50000'
}

@test "soa-timers: --disable" {
	disable_test soa-timers 1 0 warning
}

@test "ns-apex-missing: triggered (reported at the SOA, 4:1)" {
	trigger_test ns-apex-missing 1 ns-apex-missing.zone:4:1 error
}

@test "ns-apex-missing: --disable" {
	disable_test ns-apex-missing 1 0
}

@test "class-mismatch: triggered (CH record at 7:1)" {
	trigger_test class-mismatch 1 class-mismatch.zone:7:1 error
}

@test "class-mismatch: --disable" {
	disable_test class-mismatch 1 0
}

@test "cname-and-other: triggered (TXT beside CNAME, 8:1)" {
	trigger_test cname-and-other 1 cname-and-other.zone:8:1 error
}

@test "cname-and-other: --disable" {
	disable_test cname-and-other 1 0
}

@test "cname-apex: triggered (CNAME at the apex, 7:1)" {
	trigger_test cname-apex 1 cname-apex.zone:7:1 error
}

@test "cname-apex: --disable (cname-and-other still fails the run)" {
	disable_test cname-apex 1 1
	assert_output --partial '[cname-and-other]'
	run -0 "$ZTK_LINT" --disable cname-apex,cname-and-other cname-apex.zone
	assert_output ''
}

@test "cname-multiple: triggered (second CNAME at 8:1)" {
	trigger_test cname-multiple 1 cname-multiple.zone:8:1 error
}

@test "cname-multiple: --disable" {
	disable_test cname-multiple 1 0
}

@test "cname-loop: triggered (a -> b -> a, reported at 8:1)" {
	trigger_test cname-loop 1 cname-loop.zone:8:1 error
	[ "$(count_findings cname-loop)" -eq 1 ]
}

@test "cname-loop: --disable" {
	disable_test cname-loop 1 0
}

@test "dname-descendants: triggered (x.d below DNAME d, 8:1)" {
	trigger_test dname-descendants 1 dname-descendants.zone:8:1 error
}

@test "dname-descendants: --disable" {
	disable_test dname-descendants 1 0
}

@test "target-cname: triggered (MX target is a CNAME, 7:1)" {
	trigger_test target-cname 1 target-cname.zone:7:1 error
}

@test "target-cname: --disable" {
	disable_test target-cname 1 0
}

@test "target-no-address: triggered (NS target without address, 7:1)" {
	trigger_test target-no-address 1 target-no-address.zone:7:1 error
}

@test "target-no-address: --disable" {
	disable_test target-no-address 1 0
}

@test "glue-missing: triggered (delegation without glue, 7:1)" {
	trigger_test glue-missing 1 glue-missing.zone:7:1 error
}

@test "glue-missing: --disable" {
	disable_test glue-missing 1 0
}

@test "occluded-data: triggered (www.sub below the cut, 9:1, warning)" {
	trigger_test occluded-data 0 occluded-data.zone:9:1 warning
	# the glue ns.sub at line 8 is not occluded data
	refute_output --partial 'occluded-data.zone:8:'
}

@test "occluded-data: an address named by another delegation's NS is glue" {
	printf '%s\n' '$TTL 300' '$ORIGIN example.com.' \
		'@ SOA ns1 h 1 7200 3600 1209600 300' '@ NS ns1' 'ns1 A 192.0.2.1' \
		'a NS ns.b' 'b NS ns1.other.net.' 'ns.b A 192.0.2.2' \
		'x.b A 192.0.2.3' >"$BATS_TEST_TMPDIR/g.zone"
	run -1 "$ZTK_LINT" --fail-on=warning "$BATS_TEST_TMPDIR/g.zone"
	[ "$(count_findings occluded-data)" -eq 1 ] || fail "$output"
	assert_finding "$BATS_TEST_TMPDIR/g.zone:9:1" warning occluded-data
}

@test "occluded-data: --disable" {
	disable_test occluded-data 1 0 warning
}

@test "ttl-mismatch: triggered (second A with another TTL, 8:1, warning)" {
	trigger_test ttl-mismatch 0 ttl-mismatch.zone:8:1 warning
}

@test "ttl-mismatch: --disable" {
	disable_test ttl-mismatch 1 0 warning
}

@test "duplicate-rr: triggered (same A twice, 8:1, warning)" {
	trigger_test duplicate-rr 0 duplicate-rr.zone:8:1 warning
	assert_output --partial 'also at line 7'
}

@test "duplicate-rr: --disable" {
	disable_test duplicate-rr 1 0 warning
}

@test "duplicate-case: triggered (MX equal but for case, 8:1, warning)" {
	trigger_test duplicate-case 0 duplicate-case.zone:8:1 warning
	refute_output --partial '[duplicate-rr]'
}

@test "duplicate-case: --disable" {
	disable_test duplicate-case 1 0 warning
}

@test "wildcard-ns-ds: triggered (NS owned by *, 7:1)" {
	trigger_test wildcard-ns-ds 1 wildcard-ns-ds.zone:7:1 error
}

@test "wildcard-ns-ds: --disable" {
	disable_test wildcard-ns-ds 1 0
}

@test "ds-apex: triggered (DS at the apex, 7:1)" {
	trigger_test ds-apex 1 ds-apex.zone:7:1 error
}

@test "ds-apex: --disable" {
	disable_test ds-apex 1 0
}

@test "ds-without-ns: triggered (DS at a non-delegation, 7:1)" {
	trigger_test ds-without-ns 1 ds-without-ns.zone:7:1 error
}

@test "ds-without-ns: --disable" {
	disable_test ds-without-ns 1 0
}

@test "nsec3param-iterations: triggered (10 iterations, 7:1, warning)" {
	trigger_test nsec3param-iterations 0 nsec3param-iterations.zone:7:1 warning
	refute_output --partial '[nsec3param-salt]'
}

@test "nsec3param-iterations: --disable" {
	disable_test nsec3param-iterations 1 0 warning
}

@test "nsec3param-salt: triggered (4-octet salt, 7:1, warning)" {
	trigger_test nsec3param-salt 0 nsec3param-salt.zone:7:1 warning
	refute_output --partial '[nsec3param-iterations]'
}

@test "nsec3param-salt: --disable" {
	disable_test nsec3param-salt 1 0 warning
}

@test "obsolete-type: triggered (SPF record, 7:1, info)" {
	trigger_test obsolete-type 0 obsolete-type.zone:7:1 info
}

@test "obsolete-type: --disable" {
	disable_test obsolete-type 1 0 info
}

@test "port-generic-known: triggered (A in RFC 3597 form, 7:1, info)" {
	trigger_test port-generic-known 0 port-generic-known.zone:7:1 info
}

@test "port-generic-known: --disable" {
	disable_test port-generic-known 1 0 info
}

# --- severities and levels ------------------------------------------------------

@test "--fail-on=warning: a warning fails, an info does not" {
	run -0 "$ZTK_LINT" duplicate-rr.zone
	run -1 "$ZTK_LINT" --fail-on=warning duplicate-rr.zone
	run -0 "$ZTK_LINT" --fail-on=warning obsolete-type.zone
}

@test "--fail-on=info: an info fails" {
	run -0 "$ZTK_LINT" obsolete-type.zone
	run -1 "$ZTK_LINT" --fail-on=info obsolete-type.zone
}

@test "--fail-on=error is the default" {
	run -0 "$ZTK_LINT" --fail-on=error duplicate-rr.zone
	run -1 "$ZTK_LINT" --fail-on=error out-of-zone.zone
}

@test "--disable=all silences every zone check; --enable turns one back on" {
	run -0 "$ZTK_LINT" --fail-on=info --disable=all cname-apex.zone
	assert_output ''
	run -1 "$ZTK_LINT" --fail-on=info --disable=all --enable=cname-apex cname-apex.zone
	assert_finding cname-apex.zone:7:1 error cname-apex
	refute_output --partial '[cname-and-other]'
}

@test "-d takes a comma list" {
	run -1 "$ZTK_LINT" cname-apex.zone
	run -0 "$ZTK_LINT" -d cname-apex,cname-and-other cname-apex.zone
	assert_output ''
}

# --- DNSSEC (lib/dnssec_check.c, the same code that checks ztk-sign's output) --
#
# The signed fixtures were made with ztk-sign (or ldns-signzone) and a
# throwaway Ed25519 key, with signatures valid from 2026-01-01 to
# 2080-01-01, then edited by hand as their comments say.  Tests of checks
# that depend on the time pass --now, so they never change as real time
# passes; the others use trigger_test (the real time) and keep working
# until late 2079, when dnssec-expiring starts to warn.

# refute_other_dnssec ID: $output has no finding of any dnssec- check but ID.
refute_other_dnssec() {
	local id
	for id in $("$ZTK_LINT" --list-checks | awk '$1 ~ /^dnssec-/ { print $1 }'); do
		[ "$id" = "$1" ] && continue
		refute_output --partial "[$id]"
	done
}

@test "dnssec-: an unsigned zone gets no DNSSEC finding (good.zone has no RRSIG)" {
	run -0 "$ZTK_LINT" --fail-on=info --now 2026-06-01 good.zone
	assert_output ''
}

@test "dnssec-expiring.zone: correctly signed, clean at --fail-on=info in 2026" {
	# the base every other signed fixture was edited from; dnssec-verify
	# -z accepts it as fully signed
	run -0 "$ZTK_LINT" --fail-on=info --now 2026-06-01 dnssec-expiring.zone
	assert_output ''
	run -0 "$ZTK_LINT" --fail-on=info --now 2079-12-24 dnssec-expiring.zone
	assert_output ''
}

@test "dnssec-unsigned: triggered (apex NS without RRSIG, 7:1)" {
	trigger_test dnssec-unsigned 1 dnssec-unsigned.zone:7:1 error
	assert_output --partial 'example.com. NS has no valid signature by algorithm 15 (ED25519)'
	[ "$(count_findings dnssec-unsigned)" -eq 1 ]
	refute_other_dnssec dnssec-unsigned
}

@test "dnssec-unsigned: --disable" {
	disable_test dnssec-unsigned 1 0
}

@test "dnssec-expired: triggered (RRSIG SOA that expired in 2025, 8:1, with --now)" {
	run --separate-stderr -1 "$ZTK_LINT" --now 2026-06-01 dnssec-expired.zone
	assert_finding dnssec-expired.zone:8:1 error dnssec-expired
	assert_output --partial 'RRSIG example.com. SOA by key 39220/15 expired at 2025-02-01T00:00:00Z'
	[ "$(count_findings dnssec-expired)" -eq 1 ]
	# the current RRSIG beside it still signs the SOA
	refute_other_dnssec dnssec-expired
	[[ "$stderr" =~ ^"dnssec-expired.zone: 9 records, 1 error, " ]] ||
		fail "stderr: $stderr"
}

@test "dnssec-expired: the 2025 signature was fine in January 2025" {
	# then the current signatures (from 2026) were not yet valid instead
	run -1 "$ZTK_LINT" --now 2025-01-15 dnssec-expired.zone
	refute_output --partial '[dnssec-expired]'
	assert_output --partial '[dnssec-not-yet-valid]'
}

@test "dnssec-expired: every signature of a zone past 2080-01-01" {
	run -1 "$ZTK_LINT" --now 2080-01-02 dnssec-expiring.zone
	[ "$(count_findings dnssec-expired)" -eq 4 ]
	assert_finding dnssec-expiring.zone:7:1 error dnssec-expired
	assert_output --partial 'RRSIG example.com. DNSKEY by key 39220/15 expired at 2080-01-01T00:00:00Z'
}

@test "dnssec-expired: --disable" {
	run -1 "$ZTK_LINT" --now 2026-06-01 dnssec-expired.zone
	run -0 "$ZTK_LINT" --now 2026-06-01 --disable dnssec-expired dnssec-expired.zone
	assert_output ''
}

@test "dnssec-not-yet-valid: triggered (RRSIG SOA with inception 2079, 9:1, with --now)" {
	run --separate-stderr -1 "$ZTK_LINT" --now 2026-06-01 dnssec-not-yet-valid.zone
	assert_finding dnssec-not-yet-valid.zone:9:1 error dnssec-not-yet-valid
	assert_output --partial 'RRSIG example.com. SOA by key 39220/15 is not valid before 2079-01-01T00:00:00Z'
	[ "$(count_findings dnssec-not-yet-valid)" -eq 1 ]
	refute_other_dnssec dnssec-not-yet-valid
}

@test "dnssec-not-yet-valid: from its inception on, the signature is fine" {
	run -0 "$ZTK_LINT" --fail-on=info --now 2079-06-01 dnssec-not-yet-valid.zone
	assert_output ''
}

@test "dnssec-not-yet-valid: --disable" {
	run -0 "$ZTK_LINT" --now 2026-06-01 --disable dnssec-not-yet-valid \
		dnssec-not-yet-valid.zone
	assert_output ''
}

@test "dnssec-expiring: triggered (--now 2079-12-28, expiry 2080-01-01, 6:1, warning)" {
	run --separate-stderr -0 "$ZTK_LINT" --now 2079-12-28 dnssec-expiring.zone
	assert_finding dnssec-expiring.zone:6:1 warning dnssec-expiring
	assert_finding dnssec-expiring.zone:8:1 warning dnssec-expiring
	assert_finding dnssec-expiring.zone:10:1 warning dnssec-expiring
	assert_finding dnssec-expiring.zone:12:1 warning dnssec-expiring
	[ "$(count_findings dnssec-expiring)" -eq 4 ]
	assert_output --partial 'the signatures of example.com. SOA expire at 2080-01-01T00:00:00Z'
	refute_other_dnssec dnssec-expiring
	[[ "$stderr" =~ ^"dnssec-expiring.zone: 8 records, 0 errors, 4 warnings, " ]] ||
		fail "stderr: $stderr"
	run -1 "$ZTK_LINT" --now 2079-12-28 --fail-on=warning dnssec-expiring.zone
	assert_output --partial '[dnssec-expiring]'
}

@test "dnssec-expiring: --now as YYYYMMDDHHMMSS, ISO 8601 and @unix are the same time" {
	local t
	for t in 20791228000000 2079-12-28T00:00:00Z 2079-12-28 @3470947200; do
		run -0 "$ZTK_LINT" --now "$t" dnssec-expiring.zone
		[ "$(count_findings dnssec-expiring)" -eq 4 ] || fail "--now $t: $output"
	done
}

@test "dnssec-expiring: --expire-warn sets the window (default 7d; 0 never warns)" {
	# 12 days before the expiry
	run -0 "$ZTK_LINT" --fail-on=info --now 2079-12-20 dnssec-expiring.zone
	assert_output ''
	run -0 "$ZTK_LINT" --now 2079-12-20 --expire-warn 14d dnssec-expiring.zone
	[ "$(count_findings dnssec-expiring)" -eq 4 ]
	run -0 "$ZTK_LINT" --now 2079-12-20 --expire-warn=300h dnssec-expiring.zone
	[ "$(count_findings dnssec-expiring)" -eq 4 ]
	run -0 "$ZTK_LINT" --fail-on=info --now 2079-12-28 --expire-warn 1d \
		dnssec-expiring.zone
	assert_output ''
	run -0 "$ZTK_LINT" --fail-on=info --now 2079-12-31T12:00:00Z \
		--expire-warn 0 dnssec-expiring.zone
	assert_output ''
}

@test "dnssec-expiring: --disable" {
	run -1 "$ZTK_LINT" --now 2079-12-28 --fail-on=warning dnssec-expiring.zone
	run -0 "$ZTK_LINT" --now 2079-12-28 --fail-on=info \
		--disable dnssec-expiring dnssec-expiring.zone
	assert_output ''
}

@test "dnssec-bad-signature: triggered (one digit of the SOA signature changed, 7:1)" {
	trigger_test dnssec-bad-signature 1 dnssec-bad-signature.zone:7:1 error
	assert_output --partial 'RRSIG example.com. SOA by key 39220/15 does not verify'
	[ "$(count_findings dnssec-bad-signature)" -eq 1 ]
	# the SOA is left without a valid signature, but that is said once,
	# precisely: no dnssec-unsigned on top
	refute_output --partial '[dnssec-unsigned]'
	refute_output --partial '[dnssec-expired]'
	refute_output --partial '[dnssec-dnskey-not-ksk]'
	refute_output --partial '[dnssec-nsec-chain]'
	refute_output --partial '[dnssec-nsec-bitmap]'
}

@test "dnssec-bad-signature: --disable" {
	# with the precise finding off, the RRset shows up as unsigned
	run -1 "$ZTK_LINT" --disable dnssec-bad-signature dnssec-bad-signature.zone
	refute_output --partial '[dnssec-bad-signature]'
	assert_finding dnssec-bad-signature.zone:6:1 error dnssec-unsigned
	run -0 "$ZTK_LINT" --disable dnssec-bad-signature,dnssec-unsigned \
		dnssec-bad-signature.zone
	assert_output ''
}

@test "--verify none does not report the bad signature that --verify all reports" {
	run -1 "$ZTK_LINT" --verify all dnssec-bad-signature.zone
	assert_finding dnssec-bad-signature.zone:7:1 error dnssec-bad-signature
	run -1 "$ZTK_LINT" dnssec-bad-signature.zone
	assert_finding dnssec-bad-signature.zone:7:1 error dnssec-bad-signature
	# not verified, the signature counts as present
	run -0 "$ZTK_LINT" --fail-on=info --verify none dnssec-bad-signature.zone
	assert_output ''
	run -0 "$ZTK_LINT" --fail-on=info --verify=none dnssec-bad-signature.zone
	assert_output ''
}

@test "--verify none still checks times, coverage and chains" {
	run -1 "$ZTK_LINT" --verify none --now 2026-06-01 dnssec-expired.zone
	assert_finding dnssec-expired.zone:8:1 error dnssec-expired
	run -1 "$ZTK_LINT" --verify none dnssec-unsigned.zone
	assert_finding dnssec-unsigned.zone:7:1 error dnssec-unsigned
	run -1 "$ZTK_LINT" --verify none dnssec-nsec-chain.zone
	assert_finding dnssec-nsec-chain.zone:13:1 error dnssec-nsec-chain
}

@test "--verify sample always verifies the DNSKEY RRset's signatures" {
	# one base64 digit of the RRSIG over the DNSKEY RRset changed
	sed '/RRSIG[[:space:]]*DNSKEY/s|Yt/CzTRF|Yt/CzTRG|' dnssec-expiring.zone \
		>"$BATS_TEST_TMPDIR/badkey.zone"
	run -1 "$ZTK_LINT" --verify sample "$BATS_TEST_TMPDIR/badkey.zone"
	assert_finding "$BATS_TEST_TMPDIR/badkey.zone:11:1" error dnssec-bad-signature
	run -1 "$ZTK_LINT" --verify all "$BATS_TEST_TMPDIR/badkey.zone"
	assert_finding "$BATS_TEST_TMPDIR/badkey.zone:11:1" error dnssec-bad-signature
	run -0 "$ZTK_LINT" --verify none "$BATS_TEST_TMPDIR/badkey.zone"
	assert_output ''
}

@test "--now, --expire-warn, --verify: bad values are usage errors (exit 2)" {
	run --separate-stderr -2 "$ZTK_LINT" --verify some dnssec-expiring.zone
	[[ "$stderr" == *'--verify takes all, sample or none, not "some"'* ]] ||
		fail "stderr: $stderr"
	run --separate-stderr -2 "$ZTK_LINT" --now yesterday dnssec-expiring.zone
	[[ "$stderr" == *'--now takes '*'not "yesterday"'* ]] || fail "stderr: $stderr"
	run --separate-stderr -2 "$ZTK_LINT" --expire-warn soon dnssec-expiring.zone
	[[ "$stderr" == *'--expire-warn takes a duration'* ]] || fail "stderr: $stderr"
	assert_output ''
}

@test "dnssec-dnskey-not-ksk: triggered (DNSKEY RRset signed by a ZSK only, 10:1)" {
	trigger_test dnssec-dnskey-not-ksk 1 dnssec-dnskey-not-ksk.zone:10:1 error
	assert_output --partial 'the DNSKEY RRset of example.com. has no valid signature by a key with the SEP flag'
	refute_other_dnssec dnssec-dnskey-not-ksk
}

@test "dnssec-dnskey-not-ksk: --disable" {
	disable_test dnssec-dnskey-not-ksk 1 0
}

@test "dnssec-signed-glue: triggered (RRSIG over the delegation's NS, 16:1)" {
	trigger_test dnssec-signed-glue 1 dnssec-signed-glue.zone:16:1 error
	assert_output --partial 'RRSIG over sub.example.com. NS at a delegation'
	[ "$(count_findings dnssec-signed-glue)" -eq 1 ]
	refute_other_dnssec dnssec-signed-glue
	refute_output --partial '[occluded-data]'
}

@test "dnssec-signed-glue: --disable" {
	disable_test dnssec-signed-glue 1 0
}

@test "dnssec-nsec-chain: triggered (apex NSEC points to a deleted name, 13:1)" {
	trigger_test dnssec-nsec-chain 1 dnssec-nsec-chain.zone:13:1 error
	assert_output --partial 'the NSEC of example.com. points to a.example.com., but the next name is b.example.com.'
	[ "$(count_findings dnssec-nsec-chain)" -eq 1 ]
	refute_other_dnssec dnssec-nsec-chain
}

@test "dnssec-nsec-chain: a name without NSEC" {
	grep -v '^b\.example\.com\.[[:space:]].*NSEC' dnssec-nsec-chain.zone \
		>"$BATS_TEST_TMPDIR/nonsec.zone"
	run -1 "$ZTK_LINT" "$BATS_TEST_TMPDIR/nonsec.zone"
	assert_output --partial 'b.example.com. has no NSEC record'
}

@test "dnssec-nsec-chain: a signed zone with neither NSEC nor NSEC3PARAM" {
	grep -v 'NSEC' dnssec-expiring.zone >"$BATS_TEST_TMPDIR/nochain.zone"
	run -1 "$ZTK_LINT" "$BATS_TEST_TMPDIR/nochain.zone"
	# reported at the SOA (6:1), the record that stands for the zone
	assert_finding "$BATS_TEST_TMPDIR/nochain.zone:6:1" error dnssec-nsec-chain
	assert_output --partial 'the zone has neither NSEC records nor an NSEC3PARAM'
}

@test "dnssec-nsec-chain: --disable" {
	disable_test dnssec-nsec-chain 1 0
}

@test "dnssec-nsec-bitmap: triggered (apex NSEC lists a deleted TXT, 12:1)" {
	trigger_test dnssec-nsec-bitmap 1 dnssec-nsec-bitmap.zone:12:1 error
	assert_output --partial 'the NSEC type bitmap of example.com. does not match the types at the name'
	refute_other_dnssec dnssec-nsec-bitmap
}

@test "dnssec-nsec-bitmap: --disable" {
	disable_test dnssec-nsec-bitmap 1 0
}

@test "dnssec-nsec3-chain: triggered (the NSEC3 points to a deleted hash, 16:1)" {
	trigger_test dnssec-nsec3-chain 1 dnssec-nsec3-chain.zone:16:1 error
	assert_output --partial 'points to mifdndt3nff3od53o7tla1hrff95jkuk, but the next hashed name is onib9mgub9h0rml3cdf5bgrj59dkjhvk'
	[ "$(count_findings dnssec-nsec3-chain)" -eq 1 ]
	refute_other_dnssec dnssec-nsec3-chain
}

@test "dnssec-nsec3-chain: --disable" {
	disable_test dnssec-nsec3-chain 1 0
}

@test "dnssec-nsec3-bitmap: triggered (apex NSEC3 lists a deleted TXT, 15:1)" {
	trigger_test dnssec-nsec3-bitmap 1 dnssec-nsec3-bitmap.zone:15:1 error
	assert_output --partial 'the NSEC3 type bitmap for example.com. does not match the types at the name'
	refute_other_dnssec dnssec-nsec3-bitmap
}

@test "dnssec-nsec3-bitmap: --disable" {
	disable_test dnssec-nsec3-bitmap 1 0
}

@test "dnssec-nsec3-param: triggered (NSEC3 with 10 iterations, NSEC3PARAM 0, 17:1)" {
	trigger_test dnssec-nsec3-param 1 dnssec-nsec3-param.zone:17:1 error
	assert_output --partial 'the NSEC3 at onib9mgub9h0rml3cdf5bgrj59dkjhvk.example.com. has other parameters than the NSEC3PARAM'
	refute_other_dnssec dnssec-nsec3-param
	# only NSEC3PARAM is judged by RFC 9276
	refute_output --partial '[nsec3param-iterations]'
}

@test "dnssec-nsec3-param: --disable" {
	disable_test dnssec-nsec3-param 1 0
}

@test "dnssec-no-dnskey: triggered (RRSIGs but no DNSKEY, at the SOA, 6:1)" {
	trigger_test dnssec-no-dnskey 1 dnssec-no-dnskey.zone:6:1 error
	assert_output --partial 'the zone has signatures but no DNSKEY RRset at its apex'
	# nothing can be verified without keys: no other DNSSEC finding
	refute_other_dnssec dnssec-no-dnskey
}

@test "dnssec-no-dnskey: --disable" {
	disable_test dnssec-no-dnskey 1 0
}

@test "dnssec-zonemd: triggered (digest stale after an edit, unsigned zone, 8:1)" {
	trigger_test dnssec-zonemd 1 dnssec-zonemd.zone:8:1 error
	assert_output --partial "the ZONEMD of example.com. does not match the zone's contents (RFC 8976)"
	refute_other_dnssec dnssec-zonemd
}

@test "dnssec-zonemd: the digest matches the zone before the edit" {
	sed 's/192\.0\.2\.2/192.0.2.1/' dnssec-zonemd.zone >"$BATS_TEST_TMPDIR/zonemd.zone"
	run -0 "$ZTK_LINT" --fail-on=info "$BATS_TEST_TMPDIR/zonemd.zone"
	assert_output ''
}

@test "dnssec-zonemd: a ZONEMD whose serial is not the SOA's" {
	sed 's/hostmaster\.example\.com\. 1 /hostmaster.example.com. 2 /' \
		dnssec-zonemd.zone >"$BATS_TEST_TMPDIR/serial.zone"
	run -1 "$ZTK_LINT" "$BATS_TEST_TMPDIR/serial.zone"
	assert_finding "$BATS_TEST_TMPDIR/serial.zone:8:1" error dnssec-zonemd
	assert_output --partial 'the ZONEMD of example.com. has serial 1, the SOA another'
}

@test "dnssec-zonemd: --disable" {
	disable_test dnssec-zonemd 1 0
}

@test "dnssec-timing: triggered (14-day signatures, SOA expire 28 days, 9:1, warning)" {
	run --separate-stderr -0 "$ZTK_LINT" --now 2026-01-05 dnssec-timing.zone
	assert_finding dnssec-timing.zone:9:1 warning dnssec-timing
	assert_output --partial '4 signatures are valid for as little as 14.0 days, less than SOA expire (28.0 days) plus the longest TTL (3600 s)'
	[ "$(count_findings dnssec-timing)" -eq 1 ]
	refute_other_dnssec dnssec-timing
	[[ "$stderr" =~ ^"dnssec-timing.zone: 8 records, 0 errors, 1 warning, " ]] ||
		fail "stderr: $stderr"
	run -1 "$ZTK_LINT" --now 2026-01-05 --fail-on=warning dnssec-timing.zone
	assert_output --partial '[dnssec-timing]'
}

@test "dnssec-timing: an SOA expire of 7 days is fine with 14-day signatures" {
	sed 's/ 2419200 300$/ 604800 300/' dnssec-timing.zone >"$BATS_TEST_TMPDIR/t.zone"
	grep -q ' 604800 300$' "$BATS_TEST_TMPDIR/t.zone"
	# the SOA changed, so its signature no longer verifies; only the
	# timing is of interest here
	run "$ZTK_LINT" --now 2026-01-05 --verify none --fail-on=info \
		"$BATS_TEST_TMPDIR/t.zone"
	assert_success
	assert_output ''
}

@test "dnssec-timing: --disable" {
	run -0 "$ZTK_LINT" --now 2026-01-05 --fail-on=info --disable dnssec-timing \
		dnssec-timing.zone
	assert_output ''
}

@test "dnssec-: --disable=all --enable=ID reports that check alone" {
	run -1 "$ZTK_LINT" --disable=all --enable=dnssec-unsigned dnssec-bad-signature.zone
	assert_finding dnssec-bad-signature.zone:6:1 error dnssec-unsigned
	refute_output --partial '[dnssec-bad-signature]'
}

# lint_signed ARGS...: sign fixtures/sign/mixed.zone with ztk-sign ARGS and
# fresh P-256 keys (\$k/ksk.pem, \$k/zsk.pem) and check that ztk-lint finds
# nothing of the dnssec- kind in the result, with every signature verified.
lint_signed() {
	local sign="${ZTK_LINT%/ztk-lint}/ztk-sign" k="$BATS_TEST_TMPDIR"
	[[ -x "$sign" ]] || fail "ztk-sign not built: $sign"
	if [[ ! -f "$k/ksk.pem" ]]; then
		openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
			-out "$k/ksk.pem" 2>/dev/null
		openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
			-out "$k/zsk.pem" 2>/dev/null
		chmod 600 "$k"/*.pem
		cp sign/mixed.zone "$k/mixed.zone"
	fi
	run "$sign" -q "$@" -o "$k/mixed.signed" "$k/mixed.zone"
	[ "$status" -eq 0 ] || fail "ztk-sign $*: exit $status: $output"
	# mixed.zone has data below a delegation on purpose
	# (x.y.z.deep.ins): occluded-data is its one finding
	run -0 "$ZTK_LINT" --fail-on=warning --disable occluded-data \
		"$k/mixed.signed"
	assert_output ''
	run -0 "$ZTK_LINT" --enable=all --verify all "$k/mixed.signed"
	refute_output --partial '[dnssec-'
	[ "$(count_findings occluded-data)" -eq 1 ] || fail "ztk-sign $*: $output"
}

@test "ztk-sign's output has no dnssec- finding: NSEC, CSK" {
	lint_signed --csk "$BATS_TEST_TMPDIR/ksk.pem"
}

@test "ztk-sign's output has no dnssec- finding: NSEC, KSK+ZSK, ZONEMD sha384" {
	lint_signed --ksk "$BATS_TEST_TMPDIR/ksk.pem" --zsk "$BATS_TEST_TMPDIR/zsk.pem" \
		--zonemd sha384
	grep -q 'ZONEMD' "$BATS_TEST_TMPDIR/mixed.signed"
}

@test "ztk-sign's output has no dnssec- finding: NSEC3, ZONEMD sha384" {
	lint_signed --csk "$BATS_TEST_TMPDIR/ksk.pem" --nsec3 --zonemd sha384
	grep -q 'NSEC3PARAM' "$BATS_TEST_TMPDIR/mixed.signed"
	grep -q 'ZONEMD' "$BATS_TEST_TMPDIR/mixed.signed"
}

@test "ztk-sign's output has no dnssec- finding: NSEC3 opt-out, KSK+ZSK, ZONEMD sha512" {
	lint_signed --ksk "$BATS_TEST_TMPDIR/ksk.pem" --zsk "$BATS_TEST_TMPDIR/zsk.pem" \
		--nsec3 --opt-out --zonemd sha512
}

@test "root zone: ZONEMD stale, only the stripped RRSIGs missing, SOA and DNSKEY verify" {
	[ -f "$CORPUS_ROOT_ZONE" ] || skip "corpus zone absent: $CORPUS_ROOT_ZONE"
	local z=$CORPUS_ROOT_ZONE l n=0 owner type
	run --separate-stderr -1 "$ZTK_LINT" --now 2026-08-25 "$z"
	[ "$(count_findings dnssec-zonemd)" -eq 1 ]
	assert_finding "$z:21:1" error dnssec-zonemd
	refute_output --partial '[dnssec-bad-signature]'
	refute_output --partial '[dnssec-expired]'
	refute_output --partial '[dnssec-not-yet-valid]'
	refute_output --partial '[dnssec-expiring]'
	refute_output --partial '[dnssec-dnskey-not-ksk]'
	refute_output --partial '[dnssec-nsec-chain]'
	refute_output --partial '[dnssec-nsec-bitmap]'
	refute_output --partial '[dnssec-timing]'
	# dnssec-unsigned: the DS and NSEC RRsets of the TLDs, the apex NS,
	# NSEC and ZONEMD (the archive stripped their RRSIGs), nothing else
	for l in "${lines[@]}"; do
		[[ "$l" == *" [dnssec-"* ]] || continue
		[[ "$l" == *" [dnssec-zonemd]" ]] && continue
		[[ "$l" =~ :\ error:\ ([^ ]+)\ ([A-Z0-9]+)\ has\ no\ valid\ signature\ by\ algorithm\ 8\ \(RSASHA256\)\ \[dnssec-unsigned\]$ ]] ||
			fail "unexpected: $l"
		owner=${BASH_REMATCH[1]} type=${BASH_REMATCH[2]}
		if [ "$owner" = . ]; then
			[[ "$type" =~ ^(NS|NSEC|ZONEMD)$ ]] || fail "apex: $l"
		else
			[[ "$owner" =~ ^[a-z0-9-]+\.$ ]] || fail "not a TLD: $l"
			[[ "$type" =~ ^(DS|NSEC)$ ]] || fail "TLD: $l"
		fi
		n=$((n + 1))
	done
	# 1350 DS RRsets, 1438 NSEC of TLDs, and NS, NSEC, ZONEMD at the apex
	[ "$n" -eq 2791 ] || fail "$n dnssec-unsigned findings"
}

@test "root zone: after 2026-09-10 the apex SOA and DNSKEY signatures are expired" {
	[ -f "$CORPUS_ROOT_ZONE" ] || skip "corpus zone absent: $CORPUS_ROOT_ZONE"
	local z=$CORPUS_ROOT_ZONE
	run -1 "$ZTK_LINT" --now 2026-09-20 "$z"
	[ "$(count_findings dnssec-expired)" -eq 2 ]
	assert_finding "$z:2:1" error dnssec-expired
	assert_output --partial 'RRSIG . SOA by key 57780/8 expired at 2026-09-04T17:00:00Z'
	assert_finding "$z:20:1" error dnssec-expired
	assert_output --partial 'RRSIG . DNSKEY by key 20326/8 expired at 2026-09-10T00:00:00Z'
	refute_output --partial '[dnssec-bad-signature]'
	[ "$(count_findings dnssec-zonemd)" -eq 1 ]
}
