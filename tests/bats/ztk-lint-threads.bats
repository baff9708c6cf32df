#!/usr/bin/env bats
# ztk-lint-threads.bats - a large zone is read and checked on two threads
# (the file cut in two, the names split between the threads); the findings,
# their order and the exit status must be those of one thread
# (ZTK_THREADS=1).

load helpers

setup() {
	ztk_setup
}

# A zone of 60,000 names (enough for both threads) with findings of many
# checks spread over both halves, and a syntax error near the start (one
# in the second half would make the reader fall back to one thread).
big_zone() {
	awk 'BEGIN {
		print "$TTL 3600"
		print "$ORIGIN example.com."
		print "@ SOA ns1 hostmaster ( 1 7200 3600 1209600 300 )"
		print "  NS ns1"
		print "ns1 A 192.0.2.1"
		print "broken A 192.0.2.256"
		for (i = 0; i < 60000; i++) {
			printf "h%d A 192.0.2.%d\n", i, i % 250
			if (i % 97 == 0) printf "h%d A 192.0.2.%d\n", i, i % 250
			if (i % 89 == 0) printf "h%d 60 A 198.51.100.1\n", i
			if (i % 1001 == 0) printf "h%d CNAME h%d\n", i, i + 1
			if (i % 501 == 0) printf "m%d MX 10 nowhere-%d\n", i, i
			if (i % 733 == 0) printf "d%d NS ns.d%d\nx.d%d A 192.0.2.9\n", i, i, i
			if (i % 911 == 0) printf "c%d CNAME c%d\n", i, i
			if (i % 1500 == 0) printf "g%d TYPE1 \\# 4 c0000201\n", i
		}
	}' >"$BATS_TEST_TMPDIR/big.zone"
	cd "$BATS_TEST_TMPDIR"
}

@test "large zone: two threads give the findings and exit status of one" {
	big_zone
	run --separate-stderr -2 env ZTK_THREADS=1 "$ZTK_LINT" --fail-on=info \
		big.zone
	one=$output
	assert_finding big.zone:6:10 error syntax
	[ "$(count_findings duplicate-rr)" -gt 500 ]
	[ "$(count_findings ttl-mismatch)" -gt 500 ]
	[ "$(count_findings cname-loop)" -gt 10 ]
	[ "$(count_findings target-no-address)" -gt 100 ]
	[ "$(count_findings occluded-data)" -gt 50 ]
	[ "$(count_findings port-generic-known)" -gt 10 ]
	run --separate-stderr -2 env ZTK_SPLIT_MIN=1 "$ZTK_LINT" --fail-on=info \
		big.zone
	[ "$output" = "$one" ] || fail "text output differs"
}

@test "large zone: JSON the same with one and two threads" {
	big_zone
	grep -v '^broken' big.zone >clean.zone
	run -1 env ZTK_THREADS=1 "$ZTK_LINT" --json clean.zone
	one=$output
	run -1 env ZTK_SPLIT_MIN=1 "$ZTK_LINT" --json clean.zone
	[ "$output" = "$one" ] || fail "JSON differs"
}

@test "every fixture: the two-thread read gives the one-thread result" {
	local z n=0
	for z in *.zone; do
		run --separate-stderr env ZTK_THREADS=1 "$ZTK_LINT" --fail-on=info \
			--now 2026-01-01 "$z"
		local st=$status out=$output err=$stderr
		run --separate-stderr env ZTK_SPLIT_MIN=1 "$ZTK_LINT" \
			--fail-on=info --now 2026-01-01 "$z"
		[ "$status" = "$st" ] || fail "$z: exit $status, one thread $st"
		[ "$output" = "$out" ] || fail "$z: findings differ"
		[ "${stderr% (*}" = "${err% (*}" ] || fail "$z: stderr differs"
		n=$((n + 1))
	done
	[ "$n" -gt 40 ]
}
