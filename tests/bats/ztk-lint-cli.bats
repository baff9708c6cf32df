#!/usr/bin/env bats
# ztk-lint-cli.bats - the command line: help, version, usage errors, stdin,
# output formats (text, JSON, SARIF), --max-errors, -q, and the zone file
# syntax the scanner must get right (error positions, recovery, $INCLUDE,
# $GENERATE, parentheses, TTL/class order, TTL units).

load helpers

setup() {
	ztk_setup
}

# --- help, version, usage -------------------------------------------------------

@test "--help: exit 0, usage on stdout, nothing on stderr" {
	run --separate-stderr -0 "$ZTK_LINT" --help
	[[ "${lines[0]}" == "Usage: ztk-lint "* ]] || fail "first line: ${lines[0]}"
	assert_output --partial '--fail-on=LEVEL'
	assert_output --partial 'Exit status:'
	[ -z "$stderr" ] || fail "stderr: $stderr"
}

@test "-h is --help" {
	run -0 "$ZTK_LINT" --help
	local long=$output
	[[ "$long" == "Usage: ztk-lint "* ]] || fail "--help: $long"
	run -0 "$ZTK_LINT" -h
	assert_output "$long"
}

@test "--help wins over a missing file operand" {
	run -0 "$ZTK_LINT" --help no-such-file.zone
	[[ "${lines[0]}" == "Usage: ztk-lint "* ]]
}

@test "--version: exit 0, one line with the program name and a version" {
	run --separate-stderr -0 "$ZTK_LINT" --version
	[ "${#lines[@]}" -eq 1 ] || fail "lines: ${#lines[@]}"
	assert_output --regexp '^ztk-lint [0-9]+\.[0-9]+\.[0-9]+'
	run -0 "$ZTK_LINT" -V
	assert_output --regexp '^ztk-lint [0-9]+\.[0-9]+\.[0-9]+'
}

@test "unknown option: exit 2, one line on stderr naming it, nothing on stdout" {
	run --separate-stderr -2 "$ZTK_LINT" --bogus-option good.zone
	assert_output ''
	[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ] || fail "stderr: $stderr"
	[[ "$stderr" == *--bogus-option* ]] || fail "stderr: $stderr"
}

@test "unknown short option: exit 2" {
	run --separate-stderr -2 "$ZTK_LINT" -Z good.zone
	[[ "$stderr" == *Z* ]] || fail "stderr: $stderr"
}

@test "no operand, or three operands: exit 2" {
	run --separate-stderr -2 "$ZTK_LINT"
	[ -n "$stderr" ]
	run --separate-stderr -2 "$ZTK_LINT" good.zone example.com. extra
	[ -n "$stderr" ]
}

@test "missing file: exit 2, one-line error naming the file" {
	run --separate-stderr -2 "$ZTK_LINT" does-not-exist.zone
	assert_output ''
	[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ] || fail "stderr: $stderr"
	[[ "$stderr" == *does-not-exist.zone* ]] || fail "stderr: $stderr"
}

@test "bad option values: exit 2 with a message" {
	local a
	for a in --fail-on=fatal --format=xml --color=sometimes --max-errors=0 \
	    --max-errors=lots; do
		run --separate-stderr -2 "$ZTK_LINT" "$a" good.zone
		[[ "$stderr" == ztk-lint:* ]] || fail "$a: stderr: $stderr"
	done
}

@test "--enable / --disable with an unknown check id: exit 2 naming it" {
	run --separate-stderr -2 "$ZTK_LINT" --enable=no-such-check good.zone
	[[ "$stderr" == *'"no-such-check"'* ]] || fail "stderr: $stderr"
	run --separate-stderr -2 "$ZTK_LINT" --disable=ttl-missing,no-such-check good.zone
	[[ "$stderr" == *'"no-such-check"'* ]] || fail "stderr: $stderr"
	run --separate-stderr -2 "$ZTK_LINT" -d no-such-check good.zone
}

@test "origin given both as --origin and as operand: exit 2" {
	run --separate-stderr -2 "$ZTK_LINT" -o example.org. - example.org. <stdin.zone
}

@test "a bad origin: exit 2" {
	run --separate-stderr -2 "$ZTK_LINT" - 'bad..origin' <stdin.zone
	[[ "$stderr" == *bad..origin* ]] || fail "stderr: $stderr"
}

# --- stdin ----------------------------------------------------------------------

@test "stdin '-' with an origin operand: clean, 4 records" {
	run --separate-stderr -0 "$ZTK_LINT" -v - example.org. <stdin.zone
	assert_output ''
	[[ "$stderr" == *": 4 records, 0 errors, 0 warnings, 0 info"* ]] ||
		fail "stderr: $stderr"
}

@test "stdin from a pipe, origin with -o, shown in --json" {
	run -0 bash -c 'cat stdin.zone | "$1" --json -o example.org. -' _ "$ZTK_LINT"
	[ "$(printf '%s' "$output" | jget 'd["origin"]')" = example.org. ]
	[ "$(printf '%s' "$output" | jget 'd["records"]')" = 4 ]
}

@test "stdin without an origin: relative names are syntax errors at <stdin>:L:C" {
	run --separate-stderr -2 "$ZTK_LINT" - <stdin.zone
	assert_finding '<stdin>:4:1' error syntax
	assert_finding '<stdin>:7:1' error syntax
}

# --- text output ----------------------------------------------------------------

@test "text: every finding line is file:line:col: severity: message [check]" {
	run --separate-stderr -1 "$ZTK_LINT" --no-hints mixed.zone
	[ "${#lines[@]}" -eq 3 ] || fail "$output"
	local l
	for l in "${lines[@]}"; do
		[[ "$l" =~ ^mixed\.zone:[0-9]+:[0-9]+:\ (error|warning|info):\ .+\ \[[a-z0-9-]+\]$ ]] ||
			fail "bad line: $l"
	done
	assert_finding mixed.zone:7:1 error out-of-zone
	assert_finding mixed.zone:9:1 warning duplicate-rr
	assert_finding mixed.zone:10:1 info obsolete-type
	[[ "$stderr" == "mixed.zone: 6 records, 1 error, 1 warning, 1 info ("* ]] ||
		fail "stderr: $stderr"
}

@test "text: findings come sorted by line" {
	run --separate-stderr -1 "$ZTK_LINT" --no-hints mixed.zone
	assert_line --index 0 --partial 'mixed.zone:7:1:'
	assert_line --index 1 --partial 'mixed.zone:9:1:'
	assert_line --index 2 --partial 'mixed.zone:10:1:'
}

@test "text: hints are indented lines; --no-hints drops them" {
	run -1 "$ZTK_LINT" mixed.zone
	assert_line '    hint: remove the second copy'
	run -1 "$ZTK_LINT" --no-hints mixed.zone
	refute_output --partial 'hint:'
}

@test "--color=always colours the severity, --color=never does not" {
	run -1 "$ZTK_LINT" --color=always mixed.zone
	assert_output --partial $'\e['
	run -1 "$ZTK_LINT" --color=never mixed.zone
	refute_output --partial $'\e['
	run -1 "$ZTK_LINT" mixed.zone    # not a terminal: auto is off
	refute_output --partial $'\e['
}

@test "-q: only findings at or above --fail-on, no hints, no summary" {
	run --separate-stderr -1 "$ZTK_LINT" -q mixed.zone
	[ "${#lines[@]}" -eq 1 ] || fail "$output"
	assert_finding mixed.zone:7:1 error out-of-zone
	[ -z "$stderr" ] || fail "stderr: $stderr"
	run --separate-stderr -1 "$ZTK_LINT" -q --fail-on=warning mixed.zone
	[ "${#lines[@]}" -eq 2 ] || fail "$output"
	refute_output --partial '[obsolete-type]'
}

@test "-q drops only what it would not show: --fail-on=info and --json keep all" {
	run --separate-stderr -1 "$ZTK_LINT" -q --fail-on=info mixed.zone
	[ "${#lines[@]}" -eq 3 ] || fail "$output"
	assert_output --partial '[obsolete-type]'
	# -q does not thin out machine-readable output
	run --separate-stderr -1 "$ZTK_LINT" -q --json mixed.zone
	[ "$(jget 'd["summary"]["info"]' <<<"$output")" = 1 ]
	[ "$(jget 'd["summary"]["warnings"]' <<<"$output")" = 1 ]
}

@test "-q: a warning below --fail-on prints nothing at all" {
	run --separate-stderr -0 "$ZTK_LINT" -q duplicate-rr.zone
	assert_output ''
	[ -z "$stderr" ] || fail "stderr: $stderr"
	run -0 "$ZTK_LINT" duplicate-rr.zone
	assert_output --partial '[duplicate-rr]'
}

# --- JSON -----------------------------------------------------------------------

@test "--json: valid JSON; summary counts match the findings" {
	run --separate-stderr -1 "$ZTK_LINT" --json mixed.zone
	printf '%s' "$output" | json_valid
	local j=$output
	[ "$(jget 'd["summary"]["errors"]' <<<"$j")" = 1 ]
	[ "$(jget 'd["summary"]["warnings"]' <<<"$j")" = 1 ]
	[ "$(jget 'd["summary"]["info"]' <<<"$j")" = 1 ]
	for s in error warning info; do
		local n k
		n=$(jget "sum(f['severity'] == '$s' for f in d['findings'])" <<<"$j")
		k=$s; [ "$s" != info ] && k=${s}s
		[ "$n" = "$(jget "d['summary']['$k']" <<<"$j")" ] ||
			fail "$s: $n findings vs summary"
	done
	[ "$(jget 'd["records"]' <<<"$j")" = 6 ]
	[ "$(jget 'd["exit"]' <<<"$j")" = 1 ]
	[ "$(jget 'd["file"]' <<<"$j")" = mixed.zone ]
	[ "$(jget 'd["origin"]' <<<"$j")" = example.com. ]
	[ -z "$stderr" ] || fail "--json printed on stderr: $stderr"
}

@test "--json: each finding has check, severity, file, line, column" {
	run -1 "$ZTK_LINT" --json mixed.zone
	run -0 jget '[(f["check"], f["severity"], f["file"], f["line"], f["column"]) for f in d["findings"]]' <<<"$output"
	assert_output "[('out-of-zone', 'error', 'mixed.zone', 7, 1), ('duplicate-rr', 'warning', 'mixed.zone', 9, 1), ('obsolete-type', 'info', 'mixed.zone', 10, 1)]"
}

@test "--json: a clean zone has no findings and exit 0" {
	run -0 "$ZTK_LINT" --json good.zone
	run -0 jget '(d["findings"], d["summary"], d["exit"], d["records"])' <<<"$output"
	assert_output "([], {'errors': 0, 'warnings': 0, 'info': 0}, 0, 9)"
}

@test "--json: a syntax error keeps its exit 2 and position" {
	run -2 "$ZTK_LINT" --json syntax.zone
	run -0 jget '(d["exit"], [(f["check"], f["line"], f["column"]) for f in d["findings"]])' <<<"$output"
	assert_output "(2, [('syntax', 7, 16)])"
}

@test "--format=json is --json" {
	run -1 "$ZTK_LINT" --json mixed.zone
	local a=$output
	printf '%s' "$a" | json_valid
	run -1 "$ZTK_LINT" --format=json mixed.zone
	assert_output "$a"
}

# --- SARIF ----------------------------------------------------------------------

@test "--sarif: valid JSON, version 2.1.0, results match the findings" {
	run --separate-stderr -1 "$ZTK_LINT" --sarif mixed.zone
	printf '%s' "$output" | json_valid
	local j=$output
	[ "$(jget 'd["version"]' <<<"$j")" = 2.1.0 ]
	run -0 jget '[(r["ruleId"], r["level"], r["locations"][0]["physicalLocation"]["region"]["startLine"], r["locations"][0]["physicalLocation"]["region"]["startColumn"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) for r in d["runs"][0]["results"]]' <<<"$j"
	assert_output "[('out-of-zone', 'error', 7, 1, 'mixed.zone'), ('duplicate-rr', 'warning', 9, 1, 'mixed.zone'), ('obsolete-type', 'note', 10, 1, 'mixed.zone')]"
}

@test "--sarif: one rule per check; every ruleIndex points at its ruleId" {
	run -1 "$ZTK_LINT" --sarif mixed.zone
	local j=$output n
	n=$(ztk_check_ids | wc -l)
	[ "$(jget 'len(d["runs"][0]["tool"]["driver"]["rules"])' <<<"$j")" = "$n" ]
	[ "$(jget 'all(d["runs"][0]["tool"]["driver"]["rules"][r["ruleIndex"]]["id"] == r["ruleId"] for r in d["runs"][0]["results"])' <<<"$j")" = True ]
	[ "$(jget 'd["runs"][0]["tool"]["driver"]["name"]' <<<"$j")" = ztk-lint ]
}

@test "--sarif: a clean zone has an empty results list" {
	run -0 "$ZTK_LINT" --format=sarif good.zone
	[ "$(jget 'd["runs"][0]["results"]' <<<"$output")" = '[]' ]
}

# --- --list-checks --------------------------------------------------------------

@test "--list-checks: one check a line: id, severity, summary" {
	run --separate-stderr -0 "$ZTK_LINT" --list-checks
	[ "${#lines[@]}" -ge 30 ]
	local l
	for l in "${lines[@]}"; do
		[[ "$l" =~ ^[a-z0-9-]+\ +(error|warning|info)\ +[^\ ].*$ ]] || fail "bad line: $l"
	done
	assert_line --regexp '^syntax +error '
	assert_line --regexp '^io +error '
}

@test "--list-checks --json: valid JSON with the same ids, all enabled" {
	run -0 "$ZTK_LINT" --list-checks --json
	printf '%s' "$output" | json_valid
	local j=$output
	[ "$(jget '"\n".join(c["id"] for c in d)' <<<"$j")" = "$(ztk_check_ids)" ]
	[ "$(jget 'all(c["enabled"] and c["severity"] in ("error", "warning", "info") for c in d)' <<<"$j")" = True ]
}

@test "--list-checks --json shows --disable" {
	run -0 "$ZTK_LINT" --list-checks --json --disable=ttl-missing,cname-loop
	run -0 jget 'sorted(c["id"] for c in d if not c["enabled"])' <<<"$output"
	assert_output "['cname-loop', 'ttl-missing']"
}

# --- syntax errors: position and recovery ---------------------------------------

@test "syntax error: bad IPv4 10.0.0.256 reported at its exact line and column" {
	run --separate-stderr -2 "$ZTK_LINT" syntax.zone
	assert_output 'syntax.zone:7:16: error: bad IPv4 address "10.0.0.256" [syntax]'
}

@test "syntax errors: the scanner goes on and reports every bad line" {
	run --separate-stderr -2 "$ZTK_LINT" -v many-errors.zone
	assert_finding many-errors.zone:7:16 error syntax
	assert_finding many-errors.zone:8:17 error syntax
	assert_finding many-errors.zone:10:12 error syntax
	assert_finding many-errors.zone:11:16 error syntax
	[ "$(count_findings syntax)" -eq 4 ]
	# the good record between the bad ones (line 9) was still read
	[[ "$stderr" == "many-errors.zone: 4 records, 4 errors,"* ]] || fail "stderr: $stderr"
}

@test "--max-errors=2 stops reading after the second error" {
	run --separate-stderr -2 "$ZTK_LINT" --max-errors=2 many-errors.zone
	assert_finding many-errors.zone:7:16 error syntax
	assert_finding many-errors.zone:8:17 error syntax
	refute_output --partial 'many-errors.zone:10:'
	refute_output --partial 'many-errors.zone:11:'
	assert_output --partial 'too many errors'
}

@test "--max-errors=1 stops at the first error" {
	run --separate-stderr -2 "$ZTK_LINT" --max-errors=1 many-errors.zone
	assert_finding many-errors.zone:7:16 error syntax
	refute_output --partial 'many-errors.zone:8:'
}

@test "syntax error inside parentheses: reported at the bad token's own line" {
	run --separate-stderr -2 "$ZTK_LINT" parens-error.zone
	assert_finding parens-error.zone:9:17 error syntax
	refute_output --partial 'parens-error.zone:5:'
}

@test "syntax error inside parentheses: recovery skips the rest of the record" {
	run --separate-stderr -2 "$ZTK_LINT" parens-error.zone
	[ "$(count_findings syntax)" -eq 1 ] || fail "$output"
}

# --- $INCLUDE -------------------------------------------------------------------

@test "\$INCLUDE with an origin: the child's names are relative to it" {
	run --separate-stderr -0 "$ZTK_LINT" include-origin.zone
	assert_finding include-child.inc:4:1 warning occluded-data
	assert_output --partial 'host.sub.example.com. A is below the delegation at sub.example.com.'
}

@test "\$INCLUDE: the child path is taken from the including file's directory" {
	cd /
	run --separate-stderr -0 "$ZTK_LINT" "$FIXTURES/include-origin.zone"
	assert_finding "$FIXTURES/include-child.inc:4:1" warning occluded-data
}

@test "\$INCLUDE without an origin: the child is read with the parent's origin" {
	run --separate-stderr -0 "$ZTK_LINT" -v --json port-include-path.zone
	[ "$(jget 'd["records"]' <<<"$output")" = 4 ]
	[ "$(jget '[f["check"] for f in d["findings"] if f["severity"] != "info"]' <<<"$output")" = '[]' ]
}

@test "\$INCLUDE of a missing file: exit 2, reported at the file name token" {
	printf '%s\n' '; include of a missing file' '$ORIGIN example.com.' \
		'$INCLUDE no-such-child.inc' >"$BATS_TEST_TMPDIR/inc.zone"
	run --separate-stderr -2 "$ZTK_LINT" "$BATS_TEST_TMPDIR/inc.zone"
	assert_line --partial "$BATS_TEST_TMPDIR/inc.zone:3:10: error: cannot read \$INCLUDE file $BATS_TEST_TMPDIR/no-such-child.inc: "
}

# --- $GENERATE ------------------------------------------------------------------

@test "\$GENERATE 1-3 makes three records" {
	run --separate-stderr -0 "$ZTK_LINT" -v --disable=port-generate port-generate.zone
	assert_output ''
	[[ "$stderr" == "port-generate.zone: 6 records, 0 errors, 0 warnings, 0 info"* ]] ||
		fail "stderr: $stderr"
}

@test "\$GENERATE substitutes \$ in owner and rdata (host2 A 192.0.2.2)" {
	run --separate-stderr -0 "$ZTK_LINT" generate-dup.zone
	assert_finding generate-dup.zone:9:1 warning duplicate-rr
	assert_output --partial 'also at line 8'
	assert_finding generate-dup.zone:8:1 info port-generate
	[ "$(count_findings duplicate-rr)" -eq 1 ]
}

# --- parentheses, class/TTL order, TTL units ------------------------------------

@test "parentheses across lines with comments, class and TTL in either order" {
	run --separate-stderr -0 "$ZTK_LINT" -v --fail-on=info parens.zone
	assert_output ''
	[[ "$stderr" == "parens.zone: 6 records, 0 errors, 0 warnings, 0 info"* ]] ||
		fail "stderr: $stderr"
}

@test "TTL and class in either order, with or without units: one RRset, one TTL" {
	run --separate-stderr -0 "$ZTK_LINT" -v --fail-on=info ttl-units-equal.zone
	assert_output ''
	[[ "$stderr" == "ttl-units-equal.zone: 8 records, 0 errors,"* ]] ||
		fail "stderr: $stderr"
}

@test "TTL units: 1h30m is 5400 and 1w2d is 777600" {
	run --separate-stderr -0 "$ZTK_LINT" --no-hints ttl-units.zone
	assert_line 'ttl-units.zone:9:1: warning: A RRset has TTL 5401 here and 5400 at line 8: BIND keeps the first TTL, Knot the last, NSD and ldns keep each, validns and PowerDNS refuse the zone [ttl-mismatch]'
	assert_finding ttl-units.zone:11:1 warning ttl-mismatch
	assert_output --partial 'TTL 777601 here and 777600 at line 10'
}

@test "a bad TTL unit is a syntax error at the TTL" {
	printf '%s\n' '$ORIGIN example.com.' '$TTL 3600' \
		'@ IN SOA ns1 hostmaster 1 7200 900 1209600 3600' \
		'@ 1q IN NS ns1' >"$BATS_TEST_TMPDIR/badttl.zone"
	run --separate-stderr -2 "$ZTK_LINT" "$BATS_TEST_TMPDIR/badttl.zone"
	assert_finding "$BATS_TEST_TMPDIR/badttl.zone:4:3" error syntax
}
