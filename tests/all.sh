#!/bin/sh
# Build and run every test: the README's test command and what CI runs.
#   1. install missing Debian packages; the rest runs in a network
#      namespace where only loopback exists
#   2. build with warnings as errors; unit tests, docs sync, round trips,
#      bats CLI tests; then valgrind on the main paths, in the background
#   3. the same suite built with ASan+UBSan (valgrind's result is taken
#      before its bats tests)
#   4. the scanner and DNS message fuzzers side by side, $ZTK_FUZZ_SECONDS
#      each (default 60), then the signature cache fuzzer for half that
# The last line is the summary: "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh || { echo "cannot install dependencies" >&2; exit 3; }
# Everything after this runs in a network namespace of its own, where only
# loopback exists: no test can reach another host even by mistake (a live
# walk from the real root hints, a resolver from /etc/resolv.conf).  The
# servers the tests start listen on 127.0.0.0/8 inside it.
if [ -z "${ZTK_ISOLATED:-}" ]; then
	if unshare -n true 2>/dev/null; then
		echo "== tests run in their own network namespace (loopback only)"
		ZTK_ISOLATED=1 exec unshare -n sh -c \
			'ip link set lo up && exec sh "$0"' "$PWD/tests/all.sh"
	fi
	echo "warning: cannot make a network namespace (unshare -n, needs" \
		"root): the tests run on the host network" >&2
fi
JOBS=$(nproc 2>/dev/null || echo 2)
LOG=$(mktemp -d)
trap 'rm -rf "$LOG"' EXIT
passed=0 failed=0
# when each stage ended, in seconds from the start, so that a slow one
# shows in the CI log
start=$(date +%s)
since() {
	printf ' (at %ss)' $(($(date +%s) - start))
}

# count TAP results of a log, add them to the totals
tally() {
	p=$(grep -c '^ok ' "$1")
	f=$(grep -c '^not ok ' "$1")
	passed=$((passed + p)); failed=$((failed + f))
	echo "  $2: $p passed, $f failed$(since)"
	[ "$f" -eq 0 ] || grep -A4 '^not ok ' "$1" | head -60
}
# a step that is one test: pass or fail by exit status
step() {
	name=$1; shift
	if "$@" >"$LOG/step.log" 2>&1; then
		passed=$((passed + 1)); echo "  $name: ok$(since)"
	else
		failed=$((failed + 1)); echo "  $name: FAILED$(since)"; tail -30 "$LOG/step.log"
	fi
}

# a step that ran in the background: wait for pid $2, its output in $3
background_step() {
	wait "$2"; bg_rc=$?
	step "$1" sh -c 'cat "$1"; exit "$2"' sh "$3" "$bg_rc"
}

# the outcome of the valgrind run started in the background (once)
valgrind_pid=
valgrind_result() {
	[ -n "$valgrind_pid" ] || return 0
	background_step "valgrind (main paths, plain build)" "$valgrind_pid" \
		"$LOG/valgrind.log"
	valgrind_pid=
}

suite() {   # $1 = build dir, $2 = extra make args
	build=$1; shift
	echo "== build $build"
	if ! make -s -j"$JOBS" BUILD="$build" WERROR=1 "$@" all headers >"$LOG/build.log" 2>&1; then
		cat "$LOG/build.log"; failed=$((failed + 1)); return
	fi
	for t in "$build"/tests/test_*; do
		"$t" >"$LOG/unit.log" 2>&1; rc=$?
		tally "$LOG/unit.log" "$(basename "$t")"
		[ $rc -eq 0 ] || [ "$(grep -c '^not ok ' "$LOG/unit.log")" -gt 0 ] ||
			{ failed=$((failed + 1)); echo "  $(basename "$t") exited $rc"; }
	done
	step "style" sh tests/style.sh
	step "docs-sync" env ZTK_BUILD="$build" sh tests/docs-sync.sh
	step "round trip (root zone)" env ZTK_BUILD="$build" sh tests/roundtrip.sh
	step "RR types vs IANA" sh tests/check-rrtypes.sh
	# install what the plain build made (the sanitizer build is for tests)
	[ "$build" != build ] || step "make install" env ZTK_BUILD="$build" sh tests/install.sh
	# valgrind (one core) on the plain build only, as sanitizers cover
	# build-san: started after the plain build's bats tests, it runs while
	# the sanitizer build compiles and runs its unit tests, and is waited
	# for before that build's bats tests.
	[ "$build" != build-san ] || valgrind_result
	ZTK_BUILD="$build" bats --tap tests/bats >"$LOG/bats.log" 2>&1
	tally "$LOG/bats.log" "bats"
	if [ "$build" = build ]; then
		env ZTK_BUILD="$build" sh tests/valgrind.sh >"$LOG/valgrind.log" 2>&1 &
		valgrind_pid=$!
	fi
}

suite build
# fast_unwind_on_malloc=0: leak stacks reach past libcrypto, so the one
# suppression in tests/lsan.supp (a SoftHSM2 leak) can match its caller.
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0 \
LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	suite build-san SAN=1
valgrind_result         # if the sanitizer build failed before its bats

echo "== fuzz (${ZTK_FUZZ_SECONDS:-60} s)"
if make -s -j"$JOBS" BUILD=build fuzz >"$LOG/fuzz-build.log" 2>&1; then
	# The scanner and message fuzzers run side by side, one per core: the
	# same fuzzing time each, half the wall time.
	mkdir -p "$LOG/corpus" && cp tests/fuzz/corpus-scanner/* "$LOG/corpus/"
	mkdir -p "$LOG/corpus-msg" && cp tests/fuzz/corpus-msg/* "$LOG/corpus-msg/"
	build/fuzz/fuzz_scanner -max_total_time="${ZTK_FUZZ_SECONDS:-60}" \
		-max_len=4096 -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$LOG/" "$LOG/corpus" >"$LOG/fuzz-scanner.log" 2>&1 &
	scanner_pid=$!
	build/fuzz/fuzz_msg -max_total_time="${ZTK_FUZZ_SECONDS:-60}" \
		-max_len=65535 -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$LOG/msg-" "$LOG/corpus-msg" >"$LOG/fuzz-msg.log" 2>&1 &
	msg_pid=$!
	background_step fuzz_scanner "$scanner_pid" "$LOG/fuzz-scanner.log"
	background_step fuzz_msg "$msg_pid" "$LOG/fuzz-msg.log"
	# Half the time: the cache reader is small, and CI time adds up.
	mkdir -p "$LOG/corpus-sigcache" && cp tests/fuzz/corpus-sigcache/*.ztkcache "$LOG/corpus-sigcache/"
	step "fuzz_sigcache" build/fuzz/fuzz_sigcache -max_total_time="$(( ${ZTK_FUZZ_SECONDS:-60} / 2 ))" \
		-max_len=8192 -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$LOG/sigcache-" "$LOG/corpus-sigcache"
else
	cat "$LOG/fuzz-build.log"; failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
