#!/bin/sh
# Run each unit-test program (TAP output); print a one-line summary per file
# and fail if any test failed.
fail=0
for t in "$@"; do
	out=$("$t" 2>&1); rc=$?
	nok=$(printf '%s\n' "$out" | grep -c '^ok ')
	nnot=$(printf '%s\n' "$out" | grep -c '^not ok ')
	if [ $rc -ne 0 ] || [ "$nnot" -ne 0 ]; then
		printf '%s\n' "$out" | grep -A3 '^not ok\|^#' | head -40
		echo "FAIL $(basename "$t"): $nok passed, $nnot failed, exit $rc"
		fail=1
	else
		echo "ok   $(basename "$t"): $nok passed"
	fi
done
exit $fail
