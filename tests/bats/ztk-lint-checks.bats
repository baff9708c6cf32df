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
