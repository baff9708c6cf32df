#!/usr/bin/env bats
# ztk-key against a SoftHSM2 token that each test file creates under its
# own temp dir (ZTK_HOME); nothing outside BATS_*TMPDIR is touched.

load helpers

setup_file() {
	export ZTK_KEY="${REPO_ROOT}/${ZTK_BUILD:-build}/bin/ztk-key"
	[[ "${ZTK_BUILD:-build}" == /* ]] && export ZTK_KEY="${ZTK_BUILD}/bin/ztk-key"
	# One shared store for the read-mostly tests.
	export ZTK_HOME="$BATS_FILE_TMPDIR/home"
	unset ZTK_PIN ZTK_PIN_FILE ZTK_TOKEN ZTK_PKCS11_MODULE ZTK_DB \
		ZTK_PKCS11_URI SOFTHSM2_CONF
	"$ZTK_KEY" -q init
	"$ZTK_KEY" -q create --zone example.com --role KSK -a ECDSAP256SHA256
	"$ZTK_KEY" -q create --zone example.com --role ZSK -a ECDSAP256SHA256
}

setup() {
	[[ -x "$ZTK_KEY" ]] || fail "ztk-key not built: $ZTK_KEY"
	cd "$BATS_TEST_TMPDIR" || fail "no temp dir"
}

# A private home for tests that change or break things.
fresh_home() {
	export ZTK_HOME="$BATS_TEST_TMPDIR/home"
	run -0 "$ZTK_KEY" -q init
}

tag_of() { # tag_of ZONE ROLE [N]: key tag of the Nth key with that role
	"$ZTK_KEY" list --json --zone "$1" |
		python3 -c 'import json,sys; d=json.load(sys.stdin); k=[x for x in d["keys"] if x["role"]==sys.argv[1]]; print(k[int(sys.argv[2])]["keyTag"])' "$2" "${3:-0}"
}

@test "init makes a 0600 PIN file, a token and a store, and is idempotent" {
	fresh_home
	[[ "$(stat -c %a "$ZTK_HOME/pin")" == 600 ]]
	[[ "$(stat -c %a "$ZTK_HOME/so-pin")" == 600 ]]
	[[ "$(stat -c %a "$ZTK_HOME/keys.db")" == 600 ]]
	[[ -d "$ZTK_HOME/tokens" ]]
	pin=$(cat "$ZTK_HOME/pin")
	[[ ${#pin} -ge 16 ]]
	run -0 "$ZTK_KEY" init
	assert_output --partial "token 'ztk' ready"
	refute_output --partial "$pin"
	run -0 "$ZTK_KEY" init --json
	[[ "$(jget 'd["tokenCreated"]' <<<"$output")" == False ]]
}

@test "create: every supported algorithm; DS equals dnssec-dsfromkey" {
	fresh_home
	for alg in RSASHA256 RSASHA512 ECDSAP256SHA256 ECDSAP384SHA384 ED25519 ED448; do
		run -0 "$ZTK_KEY" create --zone Example.NET --role KSK -a "$alg" --json
		tag=$(jget 'd["keyTag"]' <<<"$output")
		[[ "$(jget 'd["zone"]' <<<"$output")" == example.net. ]]
		[[ "$(jget 'd["algorithmName"]' <<<"$output")" == "$alg" ]]
		ours=$(jget 'd["ds"]' <<<"$output")
		run -0 "$ZTK_KEY" -q export "$tag" -o "$BATS_TEST_TMPDIR"
		f=$(ls "$BATS_TEST_TMPDIR"/Kexample.net.+*+$(printf %05d "$tag").key)
		theirs=$(dnssec-dsfromkey -a SHA-256 "$f" | awk '{print $4, $5, $6, $7}')
		[[ "$ours" == "$theirs" ]] || fail "$alg: ours '$ours' bind '$theirs'"
	done
	run -0 "$ZTK_KEY" list --zone example.net --json
	[[ "$(jget 'len(d["keys"])' <<<"$output")" == 6 ]]
}

@test "create refuses RFC 8624 must-not algorithms and weak RSA with the reason" {
	run -1 "$ZTK_KEY" create --zone example.com --role ZSK -a RSASHA1
	assert_output --partial "RFC 8624"
	run -1 "$ZTK_KEY" create --zone example.com --role ZSK -a 3
	assert_output --partial "MUST NOT"
	run -1 "$ZTK_KEY" create --zone example.com --role ZSK -a RSASHA256 -b 1024
	assert_output --partial "2048-4096"
	run -2 "$ZTK_KEY" create --zone example.com --role XSK
	assert_output --partial "KSK, ZSK or CSK"
	run -2 "$ZTK_KEY" create --role KSK
	assert_output --partial "--zone"
	run -2 "$ZTK_KEY" create --zone 'a..b' --role KSK
	assert_output --partial "bad zone name"
}

@test "keys are sensitive, non-extractable, sign-only: the token will not hand them out" {
	run -0 "$ZTK_KEY" reconcile
	assert_output --partial "0 problems"
	export SOFTHSM2_CONF="$ZTK_HOME/softhsm2.conf"
	pin=$(cat "$ZTK_HOME/pin")
	# pkcs11-tool with the PIN on stdin-less argv is fine here: a test
	# token.  Reading the private key object must fail.
	run pkcs11-tool --module /usr/lib/softhsm/libsofthsm2.so \
		--token-label ztk --login --pin "$pin" --list-objects --type privkey
	assert_success
	assert_output --partial "never extractable"
	assert_output --partial "sensitive"
	refute_output --regexp "Usage:.*(decrypt|unwrap|derive)"
}

@test "reconcile catches a key the token would hand out (so the check can fail)" {
	fresh_home
	export SOFTHSM2_CONF="$ZTK_HOME/softhsm2.conf"
	pin=$(cat "$ZTK_HOME/pin")
	# A key made outside ztk without CKA_SENSITIVE, marked extractable.
	run -0 pkcs11-tool --module /usr/lib/softhsm/libsofthsm2.so \
		--token-label ztk --login --pin "$pin" --keypairgen \
		--key-type EC:prime256v1 --id 0badc0de --label ztk:leak.example.:ZSK \
		--extractable
	run -1 "$ZTK_KEY" reconcile
	assert_output --partial "orphan-in-token: token object id 0badc0de label 'ztk:leak.example.:ZSK'"
	# Point a store entry at it, as a hand-edited or restored store would.
	python3 - "$ZTK_HOME/keys.db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
cols = [r[1] for r in c.execute("pragma table_info(keys)")]
row = {k: None for k in cols}
row.update(zone="leak.example.", role=2, alg=13, bits=256, keytag=1,
           flags=256, p11_id="0badc0de", label="ztk:leak.example.:ZSK",
           dnskey=bytes([1, 0, 3, 13]) + bytes(64))
for t in ("created", "publish", "active"):
    if t in row:
        row[t] = 1700000000
c.execute("insert into keys(%s) values(%s)" % (",".join(row), ",".join("?" * len(row))), list(row.values()))
c.commit()
PY
	run -1 "$ZTK_KEY" reconcile --zone leak.example
	assert_output --partial "extractable: key 1 of leak.example.: private key is CKA_EXTRACTABLE"
	assert_output --partial "not-sign-only: key 1 of leak.example.: private key may also decrypt unwrap"
	assert_output --partial "public-key-mismatch"
}

@test "list: aligned table, states at --now, JSON" {
	run -0 "$ZTK_KEY" list
	assert_line --index 0 --regexp '^ID +ZONE +ROLE +TAG +ALG +BITS +STATE +PUBLISH +ACTIVE +INACTIVE +DELETE$'
	assert_line --index 1 --regexp '^#1 +example\.com\. +KSK +[0-9]+ +ECDSAP256SHA256 +256 +active '
	run -0 "$ZTK_KEY" list --now 2000-01-01
	assert_line --index 1 --regexp ' generated '
	run -0 "$ZTK_KEY" list --json --zone example.com
	json_valid <<<"$output"
	[[ "$(jget '[k["role"] for k in d["keys"]]' <<<"$output")" == "['KSK', 'ZSK']" ]]
	[[ "$(jget 'd["keys"][1]["flags"]' <<<"$output")" == 256 ]]
	[[ "$(jget 'd["keys"][0]["flags"]' <<<"$output")" == 257 ]]
	[[ "$(jget '"ds" in d["keys"][1]' <<<"$output")" == False ]]
}

@test "show: DNSKEY, DS, timing; by tag or #id; unknown key exits 1" {
	tag=$(tag_of example.com. KSK)
	run -0 "$ZTK_KEY" show "$tag"
	assert_line --regexp "^key $tag of example\.com\.: KSK, ECDSAP256SHA256 \(13\), 256 bits, active$"
	assert_line --regexp "^  DNSKEY +example\.com\. IN DNSKEY 257 3 13 "
	assert_line --regexp "^  DS +example\.com\. IN DS $tag 13 2 [0-9A-F]{64}$"
	run -0 "$ZTK_KEY" show '#1' --json
	[[ "$(jget 'd["keyTag"]' <<<"$output")" == "$tag" ]]
	run -1 "$ZTK_KEY" show 1
	assert_output --partial "no key with tag 1"
	run -2 "$ZTK_KEY" show 70000
	assert_output --partial "key tag (0-65535)"
	run -2 "$ZTK_KEY" show
	assert_output --partial "missing operand"
}

@test "set-time: timing points, RFC 7583 order enforced unless --force" {
	fresh_home
	run -0 "$ZTK_KEY" -q create -z t.example -r ZSK
	tag=$(tag_of t.example. ZSK)
	run -0 "$ZTK_KEY" set-time "$tag" --inactive 2030-01-01T00:00:00Z --delete 20300201000000
	assert_output --partial "inactive=2030-01-01T00:00:00Z delete=2030-02-01T00:00:00Z"
	run -0 "$ZTK_KEY" --now 2030-01-15 list
	assert_line --index 1 --regexp ' retired '
	run -0 "$ZTK_KEY" --now @1900000000 list
	assert_line --index 1 --regexp ' removed '
	run -0 "$ZTK_KEY" set-time "$tag" --ds-publish now --revoke none --json
	[[ "$(jget 'd["dsPublish"] is not None and d["revoke"] is None' <<<"$output")" == True ]]
	run -1 "$ZTK_KEY" set-time "$tag" --delete 2029-12-01
	assert_output --partial "RFC 7583"
	run -0 "$ZTK_KEY" set-time "$tag" --delete 2029-12-01 --force
	run -2 "$ZTK_KEY" set-time "$tag" --active tomorrow
	assert_output --partial 'bad time for --active'
	run -2 "$ZTK_KEY" set-time "$tag"
}

@test "delete: refused while published or signing, then destroys the token object" {
	fresh_home
	run -0 "$ZTK_KEY" -q create -z d.example -r ZSK
	tag=$(tag_of d.example. ZSK)
	id=$("$ZTK_KEY" show --json "$tag" | jget 'd["pkcs11Id"]')
	run -1 "$ZTK_KEY" delete "$tag"
	assert_output --partial "published and signing"
	run -0 "$ZTK_KEY" set-time "$tag" --inactive now --delete now
	run -0 "$ZTK_KEY" delete "$tag"
	assert_output "deleted key $tag of d.example."
	run -1 "$ZTK_KEY" show "$tag"
	export SOFTHSM2_CONF="$ZTK_HOME/softhsm2.conf"
	run pkcs11-tool --module /usr/lib/softhsm/libsofthsm2.so --token-label ztk \
		--login --pin "$(cat "$ZTK_HOME/pin")" --list-objects
	refute_output --partial "$id"
	run -0 "$ZTK_KEY" -q create -z d.example -r KSK
	run -0 "$ZTK_KEY" delete --force "$(tag_of d.example. KSK)"
}

@test "import: BIND key pairs (timing kept) and PEM keys; DS unchanged" {
	fresh_home
	for alg in ECDSAP256SHA256 ED25519 RSASHA256 ECDSAP384SHA384; do
		k=$(dnssec-keygen -q -K "$BATS_TEST_TMPDIR" -a "$alg" -f KSK \
			-P 20260101000000 -A 20260102000000 imp.example)
		run -0 "$ZTK_KEY" import --json "$BATS_TEST_TMPDIR/$k.private"
		[[ "$(jget 'd["role"]' <<<"$output")" == KSK ]]
		[[ "$(jget 'd["publish"]' <<<"$output")" == 2026-01-01T00:00:00Z ]]
		[[ "$(jget 'd["active"]' <<<"$output")" == 2026-01-02T00:00:00Z ]]
		ours=$(jget 'd["ds"]' <<<"$output")
		theirs=$(dnssec-dsfromkey -a SHA-256 "$BATS_TEST_TMPDIR/$k.key" | awk '{print $4, $5, $6, $7}')
		[[ "$ours" == "$theirs" ]] || fail "$alg: '$ours' vs '$theirs'"
	done
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out p256.pem 2>/dev/null
	chmod 600 p256.pem
	run -2 "$ZTK_KEY" import p256.pem
	assert_output --partial "needs --zone and --role"
	run -0 "$ZTK_KEY" import p256.pem --zone pem.example --role ZSK --json
	[[ "$(jget 'd["algorithm"]' <<<"$output")" == 13 ]]
	[[ "$(jget 'd["flags"]' <<<"$output")" == 256 ]]
	run -0 "$ZTK_KEY" reconcile
	assert_output --partial "5 keys in the store, 0 problems"
	k=$(dnssec-keygen -q -K "$BATS_TEST_TMPDIR" -a ED25519 late.example)
	run -1 "$ZTK_KEY" import "$k.private" --publish 2030-01-01 --active 2029-01-01
	assert_output --partial "use --force"
	run -0 "$ZTK_KEY" -q import "$k.private" --publish 2030-01-01 --active 2029-01-01 --force
}

@test "import refuses world-readable key files, mismatched pairs and SHA-1 algorithms" {
	fresh_home
	k=$(dnssec-keygen -q -K "$BATS_TEST_TMPDIR" -a ECDSAP256SHA256 bad.example)
	chmod 644 "$k.private"
	run -2 "$ZTK_KEY" import "$k.private"
	assert_output --partial "readable by others"
	chmod 600 "$k.private"
	k2=$(dnssec-keygen -q -K "$BATS_TEST_TMPDIR" -a ECDSAP256SHA256 bad.example)
	cp "$k2.key" "$k.key"
	run -2 "$ZTK_KEY" import "$k.private"
	assert_output --partial "does not belong"
	if k3=$(dnssec-keygen -q -K "$BATS_TEST_TMPDIR" -a RSASHA1 -b 2048 old.example 2>/dev/null); then
		run -1 "$ZTK_KEY" import "$k3.private"
		assert_output --partial "RFC 8624"
	fi
	run -0 "$ZTK_KEY" list --json
	[[ "$(jget 'len(d["keys"])' <<<"$output")" == 0 ]]
}

@test "export writes BIND K*.key atomically, readable by dnssec-dsfromkey and ztk-lint" {
	tag=$(tag_of example.com. KSK)
	run -0 "$ZTK_KEY" export "$tag" --output-dir "$BATS_TEST_TMPDIR"
	f="$BATS_TEST_TMPDIR/Kexample.com.+013+$(printf %05d "$tag").key"
	assert_output "$f"
	run -0 grep -c '^; Created: [0-9]\{14\} (' "$f"
	run -0 dnssec-dsfromkey -2 "$f"
	assert_output --partial "IN DS $tag 13 2"
	[[ -z "$(ls "$BATS_TEST_TMPDIR" | grep '\.tmp\.')" ]]
	run -3 "$ZTK_KEY" export "$tag" --output-dir /nonexistent/dir
	assert_output --partial "/nonexistent/dir"
}

@test "wrong or missing PIN: exit 3, no PIN in the message, recorded in the audit trail" {
	fresh_home
	ZTK_PIN=not-the-pin run -3 "$ZTK_KEY" check
	assert_output --partial "wrong PIN"
	refute_output --partial "not-the-pin"
	run -0 "$ZTK_KEY" audit --json
	[[ "$(jget 'd["entries"][-1]["event"]' <<<"$output")" == pin-failed ]]
	refute_output --partial "not-the-pin"
	chmod 644 "$ZTK_HOME/pin"
	run -3 "$ZTK_KEY" check
	assert_output --partial "readable by others"
	chmod 600 "$ZTK_HOME/pin"
	ZTK_PIN_FILE=/nonexistent run -3 "$ZTK_KEY" check
	assert_output --partial "/nonexistent"
}

@test "preflight names a missing module, a missing token and a key gone from the token" {
	run -3 "$ZTK_KEY" check --module /nonexistent/libnope.so
	assert_output --partial "cannot load PKCS#11 module /nonexistent/libnope.so"
	run -3 "$ZTK_KEY" check --token nosuch
	assert_output --partial "no token labelled 'nosuch'"
	assert_output --partial "tokens present: 'ztk'"
	fresh_home
	run -0 "$ZTK_KEY" -q create -z p.example -r ZSK
	tag=$(tag_of p.example. ZSK)
	id=$("$ZTK_KEY" show --json "$tag" | jget 'd["pkcs11Id"]')
	export SOFTHSM2_CONF="$ZTK_HOME/softhsm2.conf"
	pkcs11-tool --module /usr/lib/softhsm/libsofthsm2.so --token-label ztk \
		--login --pin "$(cat "$ZTK_HOME/pin")" --delete-object --type privkey --id "$id" >/dev/null
	run -3 "$ZTK_KEY" check --zone p.example
	assert_output --partial "key $tag (ZSK active, id $id) of p.example. is in the store but not in token 'ztk'"
	run -1 "$ZTK_KEY" reconcile --json
	[[ "$(jget 'd["problems"][0]["problem"]' <<<"$output")" == missing-in-token ]]
}

@test "pkcs11: URI names module, token and PIN file; pin-value is refused" {
	run -0 "$ZTK_KEY" check --uri "pkcs11:token=ztk?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=file:$ZTK_HOME/pin"
	# A PIN source named in the URI beats ZTK_PIN.
	ZTK_PIN=wrong run -0 "$ZTK_KEY" check --uri "pkcs11:token=ztk?pin-source=file:$ZTK_HOME/pin"
	run -3 "$ZTK_KEY" check --uri "pkcs11:token=other%20one?pin-source=file:$ZTK_HOME/pin"
	assert_output --partial "no token labelled 'other one'"
	run -2 "$ZTK_KEY" check --uri "pkcs11:token=ztk?pin-value=1234"
	assert_output --partial "pin-value refused"
	run -2 "$ZTK_KEY" check --uri "http://example"
}

@test "audit: every change is recorded; an edited, removed or truncated entry is detected" {
	fresh_home
	run -0 "$ZTK_KEY" -q create -z a.example -r KSK
	tag=$(tag_of a.example. KSK)
	run -0 "$ZTK_KEY" -q set-time "$tag" --inactive 2031-01-01
	run -0 "$ZTK_KEY" -q export "$tag"
	run -0 "$ZTK_KEY" audit
	assert_line --regexp "create +a\.example\. +$tag +ok"
	assert_line --regexp "set-time +a\.example\. +$tag +ok +inactive=2031-01-01T00:00:00Z"
	assert_line --regexp "export +a\.example\. +$tag +ok"
	run -0 "$ZTK_KEY" audit --verify
	assert_output "audit trail intact"
	cp "$ZTK_HOME/keys.db" pristine.db
	python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("update audit set detail=? where seq=3", ("inactive=2099-01-01T00:00:00Z",)); c.commit()' "$ZTK_HOME/keys.db"
	run -1 "$ZTK_KEY" audit --verify
	assert_output --regexp "entry 3"
	run -1 "$ZTK_KEY" audit --verify --json
	[[ "$(jget 'd["firstBad"]' <<<"$output")" == 3 ]]
	cp pristine.db "$ZTK_HOME/keys.db"; rm -f "$ZTK_HOME"/keys.db-wal "$ZTK_HOME"/keys.db-shm
	python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("delete from audit where seq=2"); c.commit()' "$ZTK_HOME/keys.db"
	run -1 "$ZTK_KEY" audit --verify
	assert_output --regexp "entry (2|3)"
	cp pristine.db "$ZTK_HOME/keys.db"; rm -f "$ZTK_HOME"/keys.db-wal "$ZTK_HOME"/keys.db-shm
	python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("delete from audit where seq=(select max(seq) from audit)"); c.commit()' "$ZTK_HOME/keys.db"
	run -1 "$ZTK_KEY" audit --verify
	assert_output --partial "audit trail broken"
}

@test "two concurrent creates leave a consistent store and token" {
	fresh_home
	for i in 1 2 3 4; do
		"$ZTK_KEY" -q create -z c.example -r ZSK >"out$i" 2>&1 &
	done
	wait
	cat out1 out2 out3 out4
	[[ ! -s out1 && ! -s out2 && ! -s out3 && ! -s out4 ]]
	run -0 "$ZTK_KEY" list --json --zone c.example
	[[ "$(jget 'len(d["keys"])' <<<"$output")" == 4 ]]
	[[ "$(jget 'len(set(k["keyTag"] for k in d["keys"]))' <<<"$output")" == 4 ]]
	run -0 "$ZTK_KEY" reconcile
	assert_output --partial "4 keys in the store, 0 problems"
	run -0 "$ZTK_KEY" audit --verify
}

@test "the PIN never appears in argv-visible output, errors or the store" {
	fresh_home
	pin=$(cat "$ZTK_HOME/pin")
	run -0 "$ZTK_KEY" -q create -z s.example -r CSK
	run -0 "$ZTK_KEY" list --json
	refute_output --partial "$pin"
	run -0 "$ZTK_KEY" audit --json
	refute_output --partial "$pin"
	run -1 grep -a -c "$pin" "$ZTK_HOME/keys.db"
}

@test "usage: --help, command help, unknown command, --version, --list-commands" {
	run -0 "$ZTK_KEY" --help
	assert_output --partial "Commands:"
	run -0 "$ZTK_KEY" create --help
	assert_output --partial "--algorithm"
	run -0 "$ZTK_KEY" help set-time
	assert_output --partial "--ds-publish"
	run -2 "$ZTK_KEY" frobnicate
	assert_output --partial 'unknown command "frobnicate"'
	run -2 "$ZTK_KEY"
	run -0 "$ZTK_KEY" --version
	assert_output --regexp '^ztk-key [0-9]+\.[0-9]+\.[0-9]+'
	run -0 "$ZTK_KEY" --list-commands
	assert_line init
	assert_line audit
	run -3 "$ZTK_KEY" --home "$BATS_TEST_TMPDIR/none" list
	assert_output --partial "run 'ztk-key init' first"
}
