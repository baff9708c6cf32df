#!/usr/bin/env bats
# ztk-lint-corpus.bats - a real, signed zone: the root zone of 2026-08-22,
# kept outside the repository in ../shared/corpus.  Compared with BIND's
# named-checkzone (always with -i local: no checks that go to the network).

load helpers

# The archive stripped the RRSIGs of every RRset but the apex SOA and
# DNSKEY, which makes its ZONEMD stale too, and its signatures expired on
# 2026-09-10; the DNSSEC checks say so (tested in ztk-lint-checks.bats).
# Here the zone's structure is judged, at a time its signatures are valid.
NODNSSEC=(--now 2026-08-25 --disable=dnssec-unsigned,dnssec-zonemd)

setup() {
	ztk_setup
	[ -f "$CORPUS_ROOT_ZONE" ] ||
		skip "corpus zone absent: $CORPUS_ROOT_ZONE"
}

@test "root zone: lints clean (exit 0, no findings) but for what the archive stripped" {
	run --separate-stderr -0 "$ZTK_LINT" "${NODNSSEC[@]}" "$CORPUS_ROOT_ZONE"
	assert_output ''
	[ -z "$stderr" ] || fail "stderr: $stderr"
}

@test "root zone: -v summary says 22094 records" {
	run --separate-stderr -0 "$ZTK_LINT" "${NODNSSEC[@]}" -v "$CORPUS_ROOT_ZONE"
	assert_output ''
	[[ "$stderr" == "$CORPUS_ROOT_ZONE: 22094 records, 0 errors, 0 warnings, 0 info ("* ]] ||
		fail "stderr: $stderr"
}

@test "root zone: --json agrees (22094 records, origin '.', exit 0)" {
	run -0 "$ZTK_LINT" "${NODNSSEC[@]}" --json "$CORPUS_ROOT_ZONE"
	run -0 jget '(d["records"], d["origin"], d["exit"], d["findings"])' <<<"$output"
	assert_output "(22094, '.', 0, [])"
}

@test "root zone: clean even at --fail-on=info" {
	run -0 "$ZTK_LINT" "${NODNSSEC[@]}" --fail-on=info "$CORPUS_ROOT_ZONE"
	assert_output ''
}

@test "root zone: from stdin with origin '.' gives the same count" {
	run --separate-stderr -0 "$ZTK_LINT" "${NODNSSEC[@]}" -v - . <"$CORPUS_ROOT_ZONE"
	[[ "$stderr" == *": 22094 records, 0 errors,"* ]] || fail "stderr: $stderr"
}

@test "root zone: record count equals named-checkzone's" {
	command -v named-checkzone >/dev/null || skip "named-checkzone not installed"
	run -0 named-checkzone -i local . "$CORPUS_ROOT_ZONE"
	assert_output --partial 'loaded serial 2026082201'
	local bind
	bind=$(named-checkzone -i local -D -o - . "$CORPUS_ROOT_ZONE" 2>/dev/null |
		grep -vc -e '^;' -e '^$')
	[ "$bind" -gt 0 ] || fail "named-checkzone dumped no records"
	run --separate-stderr -0 "$ZTK_LINT" "${NODNSSEC[@]}" --json "$CORPUS_ROOT_ZONE"
	local ours
	ours=$(jget 'd["records"]' <<<"$output")
	[ "$ours" = "$bind" ] || fail "ztk-lint: $ours records, named-checkzone: $bind"
}
