# helpers.bash - shared setup for the ztk-lint bats tests.
#
# Load it with `load helpers` from a .bats file in this directory.
# ZTK_BUILD selects the build directory (default "build", relative to the
# repository root, or an absolute path).

bats_require_minimum_version 1.5.0

BATS_LIB_DIR=${BATS_LIB_DIR:-/usr/lib/bats}
if [[ ! -f "$BATS_LIB_DIR/bats-support/load.bash" ||
      ! -f "$BATS_LIB_DIR/bats-assert/load.bash" ]]; then
	echo "bats-support/bats-assert not found under $BATS_LIB_DIR" \
		"(install bats-support and bats-assert)" >&2
	exit 1
fi
load "$BATS_LIB_DIR/bats-support/load"
load "$BATS_LIB_DIR/bats-assert/load"

REPO_ROOT="$(cd "${BATS_TEST_DIRNAME}/../.." && pwd)"
if [[ "${ZTK_BUILD:-build}" == /* ]]; then
	ZTK_LINT="${ZTK_BUILD}/bin/ztk-lint"
else
	ZTK_LINT="${BATS_TEST_DIRNAME}/../../${ZTK_BUILD:-build}/bin/ztk-lint"
fi
FIXTURES="${BATS_TEST_DIRNAME}/fixtures"
CORPUS_ROOT_ZONE="${BATS_TEST_DIRNAME}/../../../shared/corpus/root-2026082201.zone"

# Every test starts in the fixtures directory, so findings read
# "name.zone:LINE:COL: ..." with a short, predictable file name.
ztk_setup() {
	if [[ ! -x "$ZTK_LINT" ]]; then
		fail "ztk-lint not built: $ZTK_LINT (run make, or set ZTK_BUILD)"
	fi
	cd "$FIXTURES" || fail "no fixtures directory $FIXTURES"
}

# assert_finding LOC SEVERITY CHECK
# Some line of $output (stdout when run with --separate-stderr) must be
# exactly "LOC: SEVERITY: <message> [CHECK]".
assert_finding() {
	local loc=$1 sev=$2 id=$3 l
	for l in "${lines[@]}"; do
		if [[ "$l" == "$loc: $sev: "*" [$id]" ]]; then
			return 0
		fi
	done
	batslib_print_kv_single_or_multi 8 \
		'expected' "$loc: $sev: ... [$id]" \
		'output' "$output" |
		batslib_decorate 'no such finding' |
		fail
}

# count_findings CHECK: how many lines of $output end in " [CHECK]".
count_findings() {
	local l n=0
	for l in "${lines[@]}"; do
		[[ "$l" == *" [$1]" ]] && n=$((n + 1))
	done
	echo "$n"
}

# ztk_check_ids: every check id from --list-checks, one a line.
ztk_check_ids() {
	"$ZTK_LINT" --list-checks | awk '{ print $1 }'
}

# json_valid: stdin must be valid JSON.
json_valid() {
	python3 -m json.tool >/dev/null
}

# jget EXPR: evaluate a Python expression over the JSON document on stdin,
# bound to the name d; prints the result.
jget() {
	python3 -c 'import json, sys; d = json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"
}
