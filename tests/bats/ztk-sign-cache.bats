#!/usr/bin/env bats
# ztk-sign's signature cache (OUT.ztkcache): written with every output,
# used by the next incremental run, and refused with a note (the previous
# output then read as text) when missing, stale, damaged or of another
# version.  Ed25519 signatures are deterministic, so with --now fixed the
# cache path and the text path must give byte-identical outputs.

load helpers

setup_file() {
	export ZTK_SIGN="${REPO_ROOT}/${ZTK_BUILD:-build}/bin/ztk-sign"
	[[ "${ZTK_BUILD:-build}" == /* ]] && export ZTK_SIGN="${ZTK_BUILD}/bin/ztk-sign"
	export K="$BATS_FILE_TMPDIR/keys"
	mkdir -p "$K"
	openssl genpkey -algorithm ED25519 -out "$K/ed25519.pem" 2>/dev/null
	chmod 600 "$K"/*.pem
}

setup() {
	[[ -x "$ZTK_SIGN" ]] || fail "ztk-sign not built: $ZTK_SIGN"
	cd "$BATS_TEST_TMPDIR" || fail "no temp dir"
	cp "$FIXTURES/sign/mixed.zone" .
	# Fixed times (so runs can be compared byte for byte) that
	# dnssec-verify, which checks against the clock, accepts.
	T0=$(date -u -d yesterday +%Y%m%d000000)
	T1=$(date -u +%Y%m%d000000)
}

# sign ARGS...: at a fixed time with the Ed25519 CSK; JSON summary on stdout.
sign() { "$ZTK_SIGN" --csk "$K/ed25519.pem" --now "$T1" --json "$@"; }

# A first output and its cache, then a changed input (one A record, one
# new name) to sign incrementally.
first_run() {
	run -0 "$ZTK_SIGN" -q --csk "$K/ed25519.pem" --now "$T0" mixed.zone -o out
	[[ -s out.ztkcache ]] || fail "no cache written"
	cp out prev
	cp out.ztkcache prev.ztkcache
	sed -i 's/^UPPER A 192\.0\.2\.5$/UPPER A 192.0.2.55/' mixed.zone
	echo 'new A 192.0.2.99' >>mixed.zone
}

# restore: the previous output and its cache as the first run left them.
restore() { cp prev out; cp prev.ztkcache out.ztkcache; }

@test "the cache is used silently and gives what reading the text gives" {
	first_run
	[[ "$(stat -c %a out.ztkcache)" == "$(stat -c %a out)" ]]
	run -0 --separate-stderr sign mixed.zone -o out
	[[ -z "$stderr" ]] || fail "unexpected: $stderr"
	counts=$(jget '(d["signaturesNew"], d["signaturesKept"])' <<<"$output")
	# The A RRset, the new name's A and NSEC, its predecessor's NSEC, SOA.
	[[ "$(jget 'd["signaturesNew"]' <<<"$output")" == 5 ]]
	[[ "$(jget 'd["signaturesKept"]' <<<"$output")" -gt 10 ]]
	cp out with-cache
	restore
	rm out.ztkcache
	run -0 --separate-stderr sign mixed.zone -o out
	[[ "$stderr" == *"signature cache out.ztkcache not used: it is missing; reading out as text"* ]] ||
		fail "no note: $stderr"
	[[ "$(jget '(d["signaturesNew"], d["signaturesKept"])' <<<"$output")" == "$counts" ]]
	cmp with-cache out
	# Each run leaves a fresh cache that describes its output.
	[[ -s out.ztkcache ]]
	run -0 --separate-stderr sign mixed.zone -o out
	[[ -z "$stderr" ]] || fail "unexpected: $stderr"
	[[ "$(jget 'd["signaturesNew"]' <<<"$output")" == 1 ]]
	run -0 dnssec-verify -q -z -o test.example out
}

@test "a stale, damaged, cut short or foreign cache: a note, then the text" {
	first_run
	run -0 sign mixed.zone -o out
	cp out want
	check() { # reason-substring: the run notes it and makes the same zone
		run -0 --separate-stderr sign mixed.zone -o out
		[[ "$stderr" == *"not used: "*"$1"*"; reading out as text"* ]] ||
			fail "wanted a note about '$1': $stderr"
		cmp want out || fail "output differs after '$1'"
		restore
	}
	restore
	# The output edited in place: same size, same time, other bytes.
	touch -r out stamp
	sed -i '0,/^\(UPPER[^\t]*\t\)3600/s//\13601/' out
	touch -r stamp out
	[[ "$(stat -c %s out)" == "$(stat -c %s prev)" ]]
	check "stale (the output's content differs)"
	echo '; a comment' >>out
	check "stale (the output changed since)"
	# One octet of the records flipped: the checksum catches it.
	printf '\377' | dd of=out.ztkcache bs=1 seek=400 conv=notrunc 2>/dev/null
	check "checksum does not match"
	truncate -s 1000 out.ztkcache
	check "size does not match"
	truncate -s 10 out.ztkcache
	check "cut short"
	printf '\0\0\0\2' | dd of=out.ztkcache bs=1 seek=8 conv=notrunc 2>/dev/null
	check "another format version"
	head -c 4096 /dev/urandom >out.ztkcache
	check "not a ztk signature cache"
	# Without the output the cache means nothing: --previous names one.
	run -0 --separate-stderr sign mixed.zone -o other --previous prev
	[[ -z "$stderr" ]] || fail "prev.ztkcache not used: $stderr"
	cmp want other
	# -q silences the note, not the fallback.
	rm out.ztkcache
	run -0 --separate-stderr sign -q mixed.zone -o out
	[[ -z "$stderr" ]]
	cmp want out
}

@test "the streamed output is what the library prints (-o -), NSEC, NSEC3, ZONEMD" {
	for args in "" "--nsec3" "--opt-out" "--zonemd sha384"; do
		rm -f file    # its serial would be the floor of the next
		# shellcheck disable=SC2086
		run -0 sign --full $args mixed.zone -o file
		# shellcheck disable=SC2086
		"$ZTK_SIGN" -q --csk "$K/ed25519.pem" --now "$T1" --full $args mixed.zone -o - >stdout
		cmp file stdout || fail "differs with '$args'"
	done
	# The root zone: a large apex, many delegations with glue.
	run -0 sign --full --origin . "$CORPUS_ROOT_ZONE" -o root.signed
	"$ZTK_SIGN" -q --csk "$K/ed25519.pem" --now "$T1" --full --origin . "$CORPUS_ROOT_ZONE" -o - >root.stdout
	cmp root.signed root.stdout
}

@test "a failed run leaves the previous output and its cache as they were" {
	first_run
	before=$(sha256sum out out.ztkcache)
	echo 'bad A 999.1.1.1' >>mixed.zone
	run -2 sign mixed.zone -o out
	[[ "$(sha256sum out out.ztkcache)" == "$before" ]]
	ls out.tmp.* out.ztkcache.tmp.* 2>/dev/null && fail "temp files left" || true
	# A cache that cannot be written (no room for it) is a warning.
	sed -i '$d' mixed.zone
	mkdir -p dir && cp out dir/out && mkdir dir/out.ztkcache
	run -0 --separate-stderr sign mixed.zone -o dir/out
	[[ "$stderr" == *"warning: no signature cache"* ]] || fail "$stderr"
	run -0 dnssec-verify -q -z -o test.example dir/out
}
