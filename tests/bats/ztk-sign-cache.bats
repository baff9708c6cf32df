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

@test "the cache holds no signature: kept ones are read from the output's text" {
	first_run
	# Every RRSIG's signature of the output, none of them in the cache
	# (which still holds the RRSIGs, up to the signer's name).
	run -0 python3 - out out.ztkcache <<'PY'
import base64, sys
text = open(sys.argv[1]).read().splitlines()
cache = open(sys.argv[2], 'rb').read()
sigs = [base64.b64decode(l.split()[-1]) for l in text if l.split()[3:4] == ['RRSIG']]
assert len(sigs) >= 10, len(sigs)
found = [s for s in sigs if s in cache]
assert not found, '%d of %d signatures in the cache' % (len(found), len(sigs))
assert cache.count(b'\x04test\x07example\x00') >= len(sigs)
print(len(sigs))
PY
	# The changed name's other RRsets keep theirs, whole (first test:
	# the same octets as from the text alone).
	run -0 --separate-stderr sign mixed.zone -o out
	[[ "$(jget 'd["signaturesNew"]' <<<"$output")" == 5 ]]
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
	# (the change time gives it away: touch cannot set it back)
	check "stale (the output was touched or replaced since)"
	echo '; a comment' >>out
	check "stale (the output changed since)"
	# A copy of the output is another file: its text is read again.
	cp -p prev out
	check "stale (the output was touched or replaced since)"
	# One octet of the index (right behind the 160-octet header) flipped:
	# the checksum over header and index catches it.
	printf '\377' | dd of=out.ztkcache bs=1 seek=$((160 + 20)) conv=notrunc 2>/dev/null
	check "checksum does not match"
	# One octet of a node's records flipped: that node's own checksum
	# catches it when it is used, and the node is made again, silently.
	run -0 sign --full mixed.zone -o a
	run -0 sign --full mixed.zone -o b
	cmp a b
	# (in the middle of the records: the apex, first, is checked on
	# opening, see below)
	records_at() { # CACHE: where its node records start (after the index)
		echo $((160 + 32 * 0x$(od -An -j 88 -N 8 -t x1 "$1" | tr -d ' \n')))
	}
	dlen=$(od -An -j 80 -N 8 -t x1 b.ztkcache | tr -d ' \n')
	printf '\377' | dd of=b.ztkcache bs=1 seek=$(($(records_at b.ztkcache) + 0x$dlen / 2)) conv=notrunc 2>/dev/null
	echo 'later A 192.0.2.98' >>mixed.zone
	run -0 sign mixed.zone -o a
	new_a=$(jget 'd["signaturesNew"]' <<<"$output")
	(( $(jget 'd["nodesCopied"]' <<<"$output") > 5 ))
	run -0 --separate-stderr sign mixed.zone -o b
	[[ -z "$stderr" ]] || fail "unexpected: $stderr"
	new_b=$(jget 'd["signaturesNew"]' <<<"$output")
	# (Ed25519 signatures are deterministic: made again, they are the
	# same octets)
	cmp a b || fail "output differs after a damaged node"
	(( new_b > new_a )) || fail "new signatures: $new_a undamaged, $new_b damaged"
	sed -i '$d' mixed.zone
	# A damaged owner in the middle (its first label length made 255)
	# must not hide the apex from the lookup of the last serial: the next
	# serial still follows the last one.
	run -0 sign --full mixed.zone -o b
	last=$(jget 'd["serialAfter"]' <<<"$output")
	mid=$(( 0x$(od -An -j 64 -N 8 -t x1 b.ztkcache | tr -d ' \n') / 2 ))
	off=$(( 0x$(od -An -j $((160 + 32 * mid)) -N 8 -t x1 b.ztkcache | tr -d ' \n') ))
	printf '\377' | dd of=b.ztkcache bs=1 seek=$(($(records_at b.ztkcache) + off + 5)) conv=notrunc 2>/dev/null
	run -0 sign mixed.zone -o b
	(( $(jget 'd["serialBefore"]' <<<"$output") == last )) || fail "serial base: $output"
	(( $(jget 'd["serialAfter"]' <<<"$output") > last )) || fail "serial repeated: $output"
	# The apex node damaged: the whole cache is refused (the last serial
	# lives there, and the new one must not repeat it).
	run -0 sign --full mixed.zone -o b
	printf '\377' | dd of=b.ztkcache bs=1 seek=$(($(records_at b.ztkcache) + 40)) conv=notrunc 2>/dev/null
	run -0 --separate-stderr sign mixed.zone -o b
	[[ "$stderr" == *"not used: its first node is damaged; reading b as text"* ]] ||
		fail "$stderr"
	truncate -s 1000 out.ztkcache
	check "size does not match"
	truncate -s 10 out.ztkcache
	check "cut short"
	printf '\0\0\0\1' | dd of=out.ztkcache bs=1 seek=8 conv=notrunc 2>/dev/null
	check "another format version"
	head -c 4096 /dev/urandom >out.ztkcache
	check "not a ztk signature cache"
	# Without the output the cache means nothing: --previous names one
	# (an output ztk-sign wrote there itself; a copy is another file).
	run -0 sign --full mixed.zone -o p2
	run -0 --separate-stderr sign mixed.zone -o other --previous p2
	[[ -z "$stderr" ]] || fail "p2.ztkcache not used: $stderr"
	(( $(jget 'd["nodesCopied"]' <<<"$output") > 5 ))
	mv p2.ztkcache p2.hidden
	run -0 sign -q mixed.zone -o other2 --previous p2
	cmp other other2
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

# copy_case CHAIN-ARGS EDIT [CHAIN]: sign fully, apply EDIT (a sed script,
# or a line to append after "+"), sign incrementally with the cache and
# again from the text alone; both must give the same octets, verify with
# dnssec-verify, and the cache run must have copied names.  CHAIN: with
# NSEC3, whether the cache run took the previous NSEC3 chain over (kept)
# or built it (built); "-" or none: either.
copy_case() {
	local args=$1 edit=$2 chain=${3:--}
	cp "$FIXTURES/sign/mixed.zone" in.zone
	echo 'many A 192.0.2.41' >>in.zone
	echo 'many AAAA 2001:db8::41' >>in.zone
	echo 'many TXT "two words" "and more"' >>in.zone
	for n in 1 2 3 4 5 6 7 8; do echo "n$n A 192.0.2.$((60 + n))" >>in.zone; done
	rm -f c c.ztkcache t t.ztkcache
	# shellcheck disable=SC2086
	run -0 "$ZTK_SIGN" -q --csk "$K/ed25519.pem" --now "$T0" --full $args in.zone -o c
	# shellcheck disable=SC2086
	run -0 "$ZTK_SIGN" -q --csk "$K/ed25519.pem" --now "$T0" --full $args in.zone -o t
	cmp c t
	case $edit in
	+*) echo "${edit#+}" >>in.zone ;;
	*) sed -i "$edit" in.zone ;;
	esac
	rm t.ztkcache
	# shellcheck disable=SC2086
	run -0 --separate-stderr sign $args in.zone -o c
	[[ -z "$stderr" ]] || fail "unexpected: $stderr"
	copied=$(jget 'd["nodesCopied"]' <<<"$output")
	kept=$(jget 'd["nsec3ChainKept"]' <<<"$output")
	if [[ -z "$args" ]]; then
		[[ "$kept" == False ]] || fail "NSEC run says an NSEC3 chain was kept"
	elif [[ "$chain" != - ]]; then
		[[ "$kept" == "$([[ $chain == kept ]] && echo True || echo False)" ]] ||
			fail "NSEC3 chain: wanted $chain, nsec3ChainKept $kept ($args, $edit)"
	fi
	# shellcheck disable=SC2086
	run -0 sign -q $args in.zone -o t
	[[ "$(jget 'd["nsec3ChainKept"]' <<<"$output")" == False ]] ||
		fail "the text run kept an NSEC3 chain it has no cache for"
	[[ "$(jget 'd["nodesCopied"]' <<<"$output")" == 0 ]]
	cmp c t || { diff c t | head -20; fail "cache and text runs differ ($args, $edit)"; }
	run -0 dnssec-verify -q -z -o test.example c
	(( copied > 3 )) || fail "only $copied names copied ($args, $edit)"
	# The cache that run wrote (its unchanged part copied from the one
	# before) serves the next run as well: only the SOA is signed again.
	# shellcheck disable=SC2086
	run -0 --separate-stderr sign $args in.zone -o c
	[[ -z "$stderr" ]] || fail "unexpected: $stderr"
	[[ "$(jget 'd["signaturesNew"]' <<<"$output")" == 1 ]] ||
		fail "second incremental run ($args, $edit): $output"
	[[ -z "$args" || "$(jget 'd["nsec3ChainKept"]' <<<"$output")" == True ]] ||
		fail "nothing changed, yet the NSEC3 chain was built ($args, $edit)"
	# (which names the verification sample takes varies from run to run)
	(( $(jget 'd["nodesCopied"]' <<<"$output") > 3 )) ||
		fail "second incremental run copied little ($args, $edit): $output"
}

@test "copied names are byte for byte what making them again gives" {
	for chain in "" "--nsec3" "--opt-out"; do
		copy_case "$chain" 's/^n3 A .*/n3 A 192.0.2.99/' kept   # data changed
		copy_case "$chain" '+n4b A 192.0.2.98' built            # a name added
		copy_case "$chain" '/^n5 A /d' built                    # a name removed
		copy_case "$chain" 's/^n6 A /n6 300 A /' kept           # a TTL changed
		copy_case "$chain" 's/^ns.sub A .*/ns.sub A 192.0.2.33/' kept   # glue changed
		copy_case "$chain" 's/^many TXT .*/MANY TXT "two words" "and more"/'  # spelling
	done
}

@test "the NSEC3 chain is taken over only when no name and no type changed" {
	for chain in "--nsec3" "--opt-out"; do
		# Types: one added, one removed; a delegation made, one
		# removed (its glue then authoritative), a DS added to an
		# insecure delegation (opt-out covers it no more) and taken
		# from a secure one; a name below a new empty non-terminal.
		copy_case "$chain" '+n3 TXT "added"' built
		copy_case "$chain" '/^many AAAA /d' built
		copy_case "$chain" '+n7 NS ns.example.net.' built
		copy_case "$chain" '/^sub NS /d' built
		copy_case "$chain" '+sub DS 54321 13 2 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF' built
		copy_case "$chain" '/^secure DS /d' built
		copy_case "$chain" '+x.y.n8 A 192.0.2.7' built
		# Nothing the chain depends on: a glue type added, and a new
		# SOA minimum (every NSEC3 signed again with the new TTL).
		copy_case "$chain" '+ns.sub AAAA 2001:db8::3' kept
		copy_case "$chain" 's/ 1209600 300$/ 1209600 600/' kept
	done
}

# rebuilt_like_e WHAT: f (NSEC3, in.zone) signed again after WHAT was
# done to its cache: silently, the chain built rather than taken over, and
# the output what e's intact cache gave, verified.
rebuilt_like_e() {
	run -0 --separate-stderr sign --nsec3 in.zone -o f
	[[ -z "$stderr" ]] || fail "unexpected: $stderr"
	[[ "$(jget 'd["nsec3ChainKept"]' <<<"$output")" == False ]] ||
		fail "$1 was taken over"
	cmp e f || fail "output differs after $1"
	run -0 dnssec-verify -q -z -o test.example f
}

@test "an NSEC3 chain of other parameters or with a damaged record is built again" {
	cp "$FIXTURES/sign/mixed.zone" in.zone
	run -0 "$ZTK_SIGN" -q --csk "$K/ed25519.pem" --now "$T0" --nsec3 in.zone -o c
	for p in "--salt 0a0b" "--iterations 1" "--opt-out"; do
		# (t: the same, its cache gone, so read as text)
		for o in c2 t; do
			run -0 "$ZTK_SIGN" -q --csk "$K/ed25519.pem" --now "$T0" --nsec3 in.zone -o $o
		done
		rm t.ztkcache
		# shellcheck disable=SC2086
		run -0 --separate-stderr sign --nsec3 $p in.zone -o c2
		[[ "$(jget 'd["nsec3ChainKept"]' <<<"$output")" == False ]] ||
			fail "chain of other parameters kept ($p)"
		(( $(jget 'd["nodesCopied"]' <<<"$output") > 3 )) || fail "nothing copied ($p)"
		# shellcheck disable=SC2086
		run -0 sign -q --nsec3 $p in.zone -o t
		cmp c2 t || fail "output differs from the text run's ($p)"
		run -0 dnssec-verify -q -z -o test.example c2
	done
	# One octet of the last node's records (an NSEC3 owner's) flipped:
	# its checksum catches it, that record is made from the chain built
	# after all, and the output is what an intact cache gives (the
	# node's signature made again at the same time: the same octets).
	run -0 sign --nsec3 --full in.zone -o e
	run -0 sign --nsec3 --full in.zone -o f
	run -0 sign --nsec3 in.zone -o e
	[[ "$(jget 'd["nsec3ChainKept"]' <<<"$output")" == True ]]
	size=$(stat -c %s f.ztkcache)
	printf '\377' | dd of=f.ztkcache bs=1 seek=$((size - 3)) conv=notrunc 2>/dev/null
	rebuilt_like_e "a damaged NSEC3 node"
}

# Caches edited with their checksums made to match again (a damaged one
# is caught by them, above): what only the NSEC3 checks themselves catch.
@test "an NSEC3 record that does not link up is made again; a chain that differs from the names fails the run" {
	edit() { run -0 python3 "$REPO_ROOT/tests/tools/sigcache-edit.py" "$@"; }
	cp "$FIXTURES/sign/mixed.zone" in.zone
	run -0 sign --nsec3 --full in.zone -o e
	run -0 sign --nsec3 --full in.zone -o f
	# (the editor agrees with the library: resealing changes nothing)
	cp f.ztkcache sealed
	edit f.ztkcache reseal
	cmp sealed f.ztkcache || fail "sigcache-edit.py disagrees with lib/sigcache.c"
	run -0 sign --nsec3 in.zone -o e
	[[ "$(jget 'd["nsec3ChainKept"]' <<<"$output")" == True ]]
	# Node 1's next hash one off, its checksum right: the record does not
	# link up with node 2's owner, so the chain is built and that record
	# made from it, silently; the output is what an intact cache gives.
	edit f.ztkcache next-hash 1
	edit f.ztkcache check
	rebuilt_like_e "a record that does not link up"
	# Node 2's owner one character off and node 1's next hash to match:
	# the ring holds, but once the chain is built (here for a damaged
	# last node) it differs from the previous one owner for owner.  The
	# run fails, exit 2, and the previous output and cache stay as
	# they were.
	run -0 sign --nsec3 --full in.zone -o g
	edit g.ztkcache owner 2
	edit g.ztkcache check
	size=$(stat -c %s g.ztkcache)
	printf '\377' | dd of=g.ztkcache bs=1 seek=$((size - 3)) conv=notrunc 2>/dev/null
	cp g g.before
	cp g.ztkcache g.ztkcache.before
	run -2 --separate-stderr sign --nsec3 in.zone -o g
	[[ "$stderr" == *"in.zone: the previous output's NSEC3 chain does not match the zone's names; sign with --full; nothing written"* ]] ||
		fail "$stderr"
	[[ -z "$output" ]] || fail "a summary after a failed run: $output"
	cmp g g.before || fail "the previous output changed"
	cmp g.ztkcache g.ztkcache.before || fail "the previous cache changed"
	[[ ! -e g.ztk-old ]] || fail "a failed run kept a generation"
	[[ -z "$(find . -name '*.tmp.*')" ]] || fail "temp files left: $(ls -a)"
	# --full, as the error says, signs it.
	run -0 sign --nsec3 --full in.zone -o g
	run -0 dnssec-verify -q -z -o test.example g
}

@test "a large zone takes its NSEC3 chain over across many jobs, on one thread and two" {
	# 20 000 names and more: the choice waits for every names' job, and
	# the chain's records are checked as they are taken over, by as many
	# jobs.  Ed25519 is deterministic, so runs compare byte for byte with
	# the text path's.
	python3 "$REPO_ROOT/bench/gen-zone.py" --names 20000 --origin big.example >big.zone
	for i in $(seq 1 2000); do
		echo "h$i.e$((i / 7)).deep.big.example. 300 IN A 192.0.2.$((i % 250 + 1))"
	done >>big.zone
	python3 "$REPO_ROOT/bench/perturb-zone.py" big.zone >data.zone 2>/dev/null
	# Structure changed late in the zone (a name under the last of the
	# deep ones), early (the first), and in the middle.
	cp data.zone late.zone
	echo "x.e285.deep.big.example. 300 IN A 192.0.2.1" >>late.zone
	sed '0,/^gw-3\t/s//gw-3\t300 IN TXT "new type"\ngw-3\t/' data.zone >early.zone
	grep -q 'new type' early.zone || fail "early.zone: no edit"
	sed '/^h1000\.e142\.deep/d' data.zone >middle.zone
	for run in "--nsec3 -j 1:data late" "--nsec3 -j 2:data late early middle" \
		"--opt-out -j 2:data middle"; do
		opts=${run%%:*}
		for edit in ${run#*:}; do
			for o in c t; do
				# shellcheck disable=SC2086
				run -0 sign -q $opts --full big.zone -o $o
			done
			rm t.ztkcache
			# shellcheck disable=SC2086
			run -0 --separate-stderr sign $opts $edit.zone -o c
			[[ -z "$stderr" ]] || fail "unexpected: $stderr"
			kept=$(jget 'd["nsec3ChainKept"]' <<<"$output")
			want=$([[ $edit == data ]] && echo True || echo False)
			[[ "$kept" == "$want" ]] || fail "$opts $edit: nsec3ChainKept $kept"
			(( $(jget 'd["nodesCopied"]' <<<"$output") > 20000 )) ||
				fail "$opts $edit: copied little: $output"
			# shellcheck disable=SC2086
			run -0 sign -q $opts $edit.zone -o t
			cmp c t || fail "$opts $edit: cache and text runs differ"
		done
	done
	# A damaged NSEC3 node in the middle of the previous chain, found
	# while the other thread takes the rest over: that record is made
	# from the chain built after all, the rest copied.
	for o in c t; do
		run -0 sign -q --nsec3 -j 2 --full big.zone -o $o
	done
	rm t.ztkcache
	u64() { echo $((0x$(od -An -j "$2" -N 8 -t x1 "$1" | tr -d ' \n'))); }
	nnames=$(u64 c.ztkcache 64)
	nn3=$(u64 c.ztkcache 72)
	records=$((160 + 32 * $(u64 c.ztkcache 88)))
	mid=$(u64 c.ztkcache $((160 + 32 * (nnames + nn3 / 2))))
	printf '\377' | dd of=c.ztkcache bs=1 seek=$((records + mid + 60)) conv=notrunc 2>/dev/null
	run -0 --separate-stderr sign --nsec3 -j 2 data.zone -o c
	[[ -z "$stderr" ]] || fail "unexpected: $stderr"
	[[ "$(jget 'd["nsec3ChainKept"]' <<<"$output")" == False ]] ||
		fail "a damaged NSEC3 node went unnoticed"
	(( $(jget 'd["nodesCopied"]' <<<"$output") > 40000 )) ||
		fail "the chain was not taken over around the damaged node: $output"
	run -0 sign -q --nsec3 -j 2 data.zone -o t
	cmp c t || fail "a damaged NSEC3 node: cache and text runs differ"
	# (ldns-verify-zone takes seconds on this zone: once)
	run -0 ldns-verify-zone -t "$T1" c
}

@test "nothing is copied when the signatures are due, the keys or the checks change" {
	first_run
	# Due for refresh: every signature is made again (T0 + 28 days).
	late=$(date -u -d "$(date -u -d yesterday +%F) + 28 days" +%Y%m%d000000)
	run -0 --separate-stderr "$ZTK_SIGN" --csk "$K/ed25519.pem" --now "$late" --json mixed.zone -o out
	[[ "$(jget 'd["nodesCopied"]' <<<"$output")" == 0 ]]
	[[ "$(jget 'd["signaturesKept"]' <<<"$output")" == 0 ]]
	restore
	# --verify=all makes everything again, keeping (and checking) each
	# kept signature.
	run -0 --separate-stderr sign --verify=all mixed.zone -o out
	[[ "$(jget 'd["nodesCopied"]' <<<"$output")" == 0 ]]
	(( $(jget 'd["signaturesKept"]' <<<"$output") > 10 ))
	# A second key: no name can be copied (each lacks its signature).
	openssl genpkey -algorithm ED25519 -out "$K/second.pem" 2>/dev/null
	chmod 600 "$K/second.pem"
	run -0 --separate-stderr "$ZTK_SIGN" --csk "$K/ed25519.pem" --zsk "$K/second.pem" --now "$T1" --json mixed.zone -o out
	[[ "$(jget 'd["nodesCopied"]' <<<"$output")" == 0 ]]
	# ... and taking it out again: the names carry its RRSIGs, made again.
	run -0 --separate-stderr sign mixed.zone -o out
	[[ "$(jget 'd["nodesCopied"]' <<<"$output")" == 0 ]]
	run -0 dnssec-verify -q -z -o test.example out
	# With the key set stable again, names are copied again.
	run -0 --separate-stderr sign mixed.zone -o out
	(( $(jget 'd["nodesCopied"]' <<<"$output") > 5 ))
	run -0 dnssec-verify -q -z -o test.example out
}

@test "--verify=none copies every unchanged name (no sample is made again)" {
	# Two previous outputs, each with its own cache, then one change.
	for o in a b; do
		run -0 "$ZTK_SIGN" -q --csk "$K/ed25519.pem" --now "$T0" mixed.zone -o $o
	done
	sed -i 's/^UPPER A 192\.0\.2\.5$/UPPER A 192.0.2.55/' mixed.zone
	run -0 --separate-stderr sign -j 1 mixed.zone -o a
	[[ -z "$stderr" ]] || fail "unexpected: $stderr"
	sampled=$(jget 'd["nodesCopied"]' <<<"$output")
	(( $(jget 'd["verified"]' <<<"$output") > 0 ))
	run -0 --separate-stderr sign -j 1 --verify=none mixed.zone -o b
	[[ -z "$stderr" ]] || fail "unexpected: $stderr"
	[[ "$(jget 'd["verified"]' <<<"$output")" == 0 ]]
	none=$(jget 'd["nodesCopied"]' <<<"$output")
	# Every name but the apex (new serial) and the changed one, glue
	# included; the sampled run may make a few again to verify them.
	names=$(awk '{ print tolower($1) }' b | sort -u | wc -l)
	(( none == names - 2 )) || fail "copied $none of $names names"
	(( none >= sampled )) || fail "copied $none without verification, $sampled with"
	cmp a b
	run -0 dnssec-verify -q -z -o test.example b
}

@test "the replaced output and cache are kept as OUT.ztk-old until the next run takes them" {
	first_run
	# The first run replaced nothing.
	[[ ! -e out.ztk-old && ! -e out.ztkcache.ztk-old ]]
	run -0 sign mixed.zone -o out
	cmp out.ztk-old prev
	cmp out.ztkcache.ztk-old prev.ztkcache
	cp out second
	# The next run takes them (writes over them) and keeps what it
	# replaced instead: only one generation is ever kept.
	echo 'third A 192.0.2.77' >>mixed.zone
	run -0 sign mixed.zone -o out
	cmp out.ztk-old second
	! cmp -s out second || fail "the third run changed nothing"
	[[ "$(ls | grep -c 'ztk-old')" == 2 ]] || fail "$(ls)"
	run -0 dnssec-verify -q -z -o test.example out
	# A run that fails deletes the kept files, keeps nothing new, leaves
	# no temp file, and leaves the output as it was.
	before=$(sha256sum out out.ztkcache)
	echo 'bad A 999.1.1.1' >>mixed.zone
	run -2 sign mixed.zone -o out
	[[ "$(sha256sum out out.ztkcache)" == "$before" ]]
	[[ ! -e out.ztk-old && ! -e out.ztkcache.ztk-old ]]
	[[ -z "$(ls | grep '\.tmp\.')" ]] || fail "left behind: $(ls)"
	# Where the name is taken by something that cannot be deleted, the
	# replaced files are freed at once, as without this.
	sed -i '$d' mixed.zone
	mkdir out.ztk-old
	run -0 --separate-stderr sign mixed.zone -o out
	[[ -z "$stderr" ]] || fail "unexpected: $stderr"
	[[ -d out.ztk-old && ! -e out.ztkcache.ztk-old ]]
	run -0 dnssec-verify -q -z -o test.example out
	# Standard output replaces nothing.
	rmdir out.ztk-old
	run -0 "$ZTK_SIGN" -q --csk "$K/ed25519.pem" --now "$T1" mixed.zone -o -
	[[ ! -e out.ztk-old ]]
}

# inode FILE: the file's identity, its inode number and birth time (an
# inode number alone is handed out again as soon as a file is deleted).
inode() {
	local id
	id=$(stat -c '%i %w' "$1") || return 1
	[[ "$id" != *' -' ]] || skip "no birth times on this file system"
	echo "$id"
}

@test "the next run writes its output and cache over the kept files, never over one in use" {
	first_run
	# (a mode of its own, which the files written over must take)
	chmod 640 out
	run -0 sign mixed.zone -o out
	run -0 sign mixed.zone -o out
	# Taken over: the new output and cache are the kept files' inodes,
	# with the contents and mode a fresh file would have (a shorter
	# zone: the rest of the old file is cut off).
	old_out=$(inode out.ztk-old) old_cache=$(inode out.ztkcache.ztk-old)
	# (twin: the same run into new files)
	mkdir twin
	cp -p out twin/
	sed -i '/^new A/d' mixed.zone
	run -0 --separate-stderr sign mixed.zone -o out
	[[ -z "$stderr" ]] || fail "unexpected: $stderr"
	[[ "$(inode out)" == "$old_out" && "$(inode out.ztkcache)" == "$old_cache" ]] ||
		fail "not written over: $(ls -i)"
	[[ "$(stat -c %a out)" == 640 ]]
	run -0 sign mixed.zone -o twin/out
	cmp out twin/out
	[[ -z "$(ls | grep '\.tmp\.')" ]] || fail "left behind: $(ls)"
	# The cache written over is whole: the next run uses it silently.
	echo 'more A 192.0.2.98' >>mixed.zone
	run -0 --separate-stderr sign mixed.zone -o out
	[[ -z "$stderr" ]] || fail "unexpected: $stderr"
	(( $(jget 'd["signaturesKept"]' <<<"$output") > 10 ))
	run -0 dnssec-verify -q -z -o test.example out

	# A kept file with another link is not written over.
	ln out.ztk-old elsewhere
	cp elsewhere elsewhere.copy
	old_out=$(inode out.ztk-old)
	echo 'more2 A 192.0.2.97' >>mixed.zone
	run -0 sign mixed.zone -o out
	[[ "$(inode out)" != "$old_out" ]]
	cmp elsewhere elsewhere.copy

	# Nor one some process holds open.
	cp out.ztk-old held.copy
	old_out=$(inode out.ztk-old)
	(exec 3<out.ztk-old; sleep 30) &
	holder=$!
	sleep 0.2
	echo 'more3 A 192.0.2.96' >>mixed.zone
	run -0 sign mixed.zone -o out
	[[ "$(inode out)" != "$old_out" ]] || { kill $holder; fail "written over a file in use"; }
	cmp "/proc/$holder/fd/3" held.copy || { kill $holder; fail "the held file changed"; }
	kill $holder
	run -0 dnssec-verify -q -z -o test.example out

	# Nor the previous zone this run reads (--previous OUT.ztk-old): it
	# is read, and left as it was.
	cp out.ztk-old prevzone.copy
	echo 'more4 A 192.0.2.95' >>mixed.zone
	run -0 --separate-stderr sign --previous out.ztk-old mixed.zone -o out
	(( $(jget 'd["signaturesKept"]' <<<"$output") > 10 ))
	cmp out.ztk-old prevzone.copy
	run -0 dnssec-verify -q -z -o test.example out

	# Nor what a symlink in its place points to.
	rm -f out.ztk-old
	cp mixed.zone target
	ln -s target out.ztk-old
	run -0 sign mixed.zone -o out
	cmp target mixed.zone
}

# drop FILE OFFSET LEN: the page cache of that part of FILE given back.
drop() {
	python3 -c 'import os, sys; fd = os.open(sys.argv[1], os.O_RDONLY); os.posix_fadvise(fd, int(sys.argv[2]), int(sys.argv[3]), os.POSIX_FADV_DONTNEED)' "$@"
}

@test "a kept file no longer in the page cache is replaced, not written over" {
	command -v fincore >/dev/null || skip "no fincore"
	first_run
	# Written over when a page or two is missing (they are read back).
	# (large enough that a whole piece of its page cache, up to the
	# 256 KiB written at once, is a small part of it)
	pad=$(printf '%0200d' 0)
	for i in $(seq 5000); do echo "pad$i TXT \"$pad\""; done >>mixed.zone
	run -0 sign mixed.zone -o out
	run -0 sign mixed.zone -o out
	size=$(stat -c %s out.ztk-old)
	(( size > 40 * 65536 )) || fail "the zone is too small for this test: $size"
	old_out=$(inode out.ztk-old)
	sync
	drop out.ztk-old $((1 << 20)) $((256 << 10))
	(( $(fincore -b -n -o RES out.ztk-old | tr -d ' ') < size )) || skip "the page cache keeps it here"
	mkdir twin
	cp -p out twin/
	sed -i 's/^pad1 TXT "0/pad1 TXT "1/' mixed.zone
	run -0 --separate-stderr sign mixed.zone -o out
	[[ -z "$stderr" ]] || fail "unexpected: $stderr"
	[[ "$(inode out)" == "$old_out" ]] || fail "not written over"
	run -0 sign mixed.zone -o twin/out
	cmp out twin/out
	rm -r twin
	# Replaced when most of it is missing.
	run -0 sign mixed.zone -o out
	old_out=$(inode out.ztk-old)
	sync
	drop out.ztk-old 0 0
	[[ "$(fincore -b -n -o RES out.ztk-old | tr -d ' ')" == 0 ]] || skip "the page cache keeps it here"
	mkdir twin
	cp -p out twin/
	run -0 --separate-stderr sign mixed.zone -o out
	[[ -z "$stderr" ]] || fail "unexpected: $stderr"
	[[ "$(inode out)" != "$old_out" ]]
	run -0 sign mixed.zone -o twin/out
	cmp out twin/out
}
