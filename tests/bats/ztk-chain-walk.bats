#!/usr/bin/env bats
# ztk-chain online: what the lab of tests/net does not build.  Three nsd
# instances on loopback (ZTK_WALK_NET, or the first of 127.57.0.0/24 ...
# 127.61.0.0/24 where nothing listens yet), started here and stopped after:
#   .1  serves "." and "tld." together: the cut between them shows in no
#       referral, only in the signer of the answers (a hidden zone cut);
#   .2  serves the children of tld.: wild.tld. (wildcard, empty
#       non-terminal, CNAME to other.tld.), other.tld., twoksk.tld. (a
#       second KSK without DS), sha1.tld. (only a SHA-1 DS), preds.tld. (a
#       DS for a key it does not publish yet), split.tld. (also on .3,
#       which publishes one more DNSKEY and another SOA serial), and
#       zones edited after signing: tamper.tld. (a changed A record, an
#       RRSIG removed), nonsec.tld. (no NSEC records left), badds.tld.
#       (tld.'s signature over its DS is broken).
# Zones are signed by ztk-sign, DS made by dnssec-dsfromkey; verdicts are
# checked against unbound-host (libunbound validating from the same
# anchor, walking from the same root hints).  Only those two addresses
# are ever queried.

load helpers

# A /24 of loopback where no socket is bound yet (other suites run labs of
# their own at the same time).
free_net() {
	local n used
	used=$(ss -Hlnu 2>/dev/null; ss -Hlnt 2>/dev/null)
	for n in 57 58 59 60 61; do
		grep -q " 127\.$n\.0\.[0-9]*:" <<<"$used" || { echo "127.$n.0"; return; }
	done
	echo 127.57.0
}

setup_file() {
	# chosen once: every test runs in a process of its own
	export NET=${ZTK_WALK_NET:-$(free_net)}
	local b="${ZTK_BUILD:-build}"
	[[ "$b" == /* ]] || b="$REPO_ROOT/$b"
	export ZTK_CHAIN="$b/bin/ztk-chain" ZTK_SIGN="$b/bin/ztk-sign"
	export W="$BATS_FILE_TMPDIR/w" SKIPWHY=""
	local t
	for t in nsd unbound-host dnssec-dsfromkey openssl; do
		command -v "$t" >/dev/null || { export SKIPWHY="$t missing"; return 0; }
	done
	[[ $(id -u) -eq 0 ]] || { export SKIPWHY="needs root (port 53)"; return 0; }
	mkdir -p "$W/k" "$W/run"
	cd "$W" || return 1
	for k in root tld wild other k1 k2 sha1 p1 p2 z s1 s2 t n b; do
		openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
			-out "k/$k.pem" 2>/dev/null
	done
	chmod 600 k/*.pem
	soa() { printf '$ORIGIN %s\n$TTL 300\n@ SOA ns.tld. h.tld. 1 3600 600 86400 300\n' "$1"; }
	sign() { "$ZTK_SIGN" -q --full "$@"; }
	# children
	{ soa wild.tld.; printf '@ NS ns.kids.tld.\nwww A 192.0.2.1\n*.w A 192.0.2.9\n'
	  printf 'sub.ent TXT "e"\nalias CNAME www.other.tld.\n'; } >wild.zone
	{ soa other.tld.; printf '@ NS ns.kids.tld.\nwww A 192.0.2.2\n'; } >other.zone
	{ soa twoksk.tld.; printf '@ NS ns.kids.tld.\nwww A 192.0.2.3\n'; } >twoksk.zone
	{ soa sha1.tld.; printf '@ NS ns.kids.tld.\nwww A 192.0.2.4\n'; } >sha1.zone
	{ soa preds.tld.; printf '@ NS ns.kids.tld.\nwww A 192.0.2.5\n'; } >preds.zone
	{ soa split.tld.; printf '@ NS ns.kids.tld.\n@ NS ns3.kids.tld.\nwww A 192.0.2.6\n'; } >split.zone
	sign --csk k/wild.pem -o wild.signed wild.zone
	sign --csk k/other.pem -o other.signed other.zone
	sign --ksk k/k1.pem --ksk k/k2.pem --zsk k/z.pem -o twoksk.signed twoksk.zone
	sign --csk k/sha1.pem -o sha1.signed sha1.zone
	sign --csk k/p1.pem -o preds.signed preds.zone
	sign --csk k/p2.pem -o preds-next.signed preds.zone
	sign --csk k/s1.pem -o split.signed split.zone
	{ soa tamper.tld.; printf '@ NS ns.kids.tld.\nwww A 192.0.2.7\nnosig A 192.0.2.8\n'; } >tamper.zone
	sign --csk k/t.pem -o tamper.raw tamper.zone
	awk '$1 == "www.tamper.tld." && $4 == "A" { $5 = "192.0.2.66" }
	     $1 == "nosig.tamper.tld." && $4 == "RRSIG" && $5 == "A" { next }
	     { print }' tamper.raw >tamper.signed
	{ soa nonsec.tld.; printf '@ NS ns.kids.tld.\nwww A 192.0.2.9\n'; } >nonsec.zone
	sign --csk k/n.pem -o nonsec.raw nonsec.zone
	awk '$4 == "NSEC" || ($4 == "RRSIG" && $5 == "NSEC") { next } { print }' \
		nonsec.raw >nonsec.signed
	{ soa badds.tld.; printf '@ NS ns.kids.tld.\nwww A 192.0.2.10\n'; } >badds.zone
	sign --csk k/b.pem -o badds.signed badds.zone
	sed 's/ 1 3600 600/ 7 3600 600/' split.zone >split2.zone
	sign --serial keep --csk k/s1.pem --zsk k/s2.pem -o split2.signed split2.zone
	ds() { dnssec-dsfromkey "$1" -f "$2" "$3" | awk '{ print $1, $3, $4, $5, $6, $7 }'; }
	{
		soa tld.
		printf '@ NS ns.tld.\nns A %s.1\nns.kids A %s.2\nns3.kids A %s.3\n' "$NET" "$NET" "$NET"
		printf 'split NS ns.kids.tld.\nsplit NS ns3.kids.tld.\n'
		ds -2 split.signed split.tld
		for c in tamper nonsec badds; do
			printf '%s NS ns.kids.tld.\n' "$c"
		done
		ds -2 tamper.raw tamper.tld; ds -2 nonsec.raw nonsec.tld
		ds -2 badds.signed badds.tld
		for c in wild other sha1; do printf '%s NS ns.kids.tld.\n' "$c"; done
		printf 'twoksk NS ns.kids.tld.\npreds NS ns.kids.tld.\n'
		ds -2 wild.signed wild.tld; ds -2 other.signed other.tld
		ds -1 sha1.signed sha1.tld
		# only the first KSK of twoksk. (the second is pre-published)
		dnssec-dsfromkey -2 -f twoksk.signed twoksk.tld | head -1 |
			awk '{ print $1, $3, $4, $5, $6, $7 }' >twoksk.ds
		cat twoksk.ds
		# preds.: its current key, and the next one not published yet
		ds -2 preds.signed preds.tld; ds -2 preds-next.signed preds.tld
	} >tld.zone
	sign --csk k/tld.pem -o tld.raw tld.zone
	# break tld.'s signature over the DS of badds.tld.: one base64
	# character of the signature changed
	awk '$1 == "badds.tld." && $4 == "RRSIG" && $5 == "DS" {
		c = substr($NF, 20, 1); $NF = substr($NF, 1, 19) (c == "A" ? "B" : "A") substr($NF, 21) }
	     { print }' tld.raw >tld.signed
	cmp -s tld.raw tld.signed && return 1
	{
		soa .
		printf '@ NS ns.root.\nns.root. A %s.1\ntld. NS ns.tld.\nns.tld. A %s.1\n' "$NET" "$NET"
		ds -2 tld.raw tld
	} >root.zone
	sign --csk k/root.pem -o root.signed root.zone
	dnssec-dsfromkey -2 -f root.signed . >anchor.ds
	printf '. 3600000 NS ns.root.\nns.root. 3600000 A %s.1\n' "$NET" >root.hints
	cat >ubh.conf <<EOF
server:
    root-hints: "$W/root.hints"
    do-not-query-localhost: no
    do-ip6: no
    qname-minimisation: no
    chroot: ""
    username: ""
EOF
	conf() {
		local n=$1 a=$2 z
		shift 2
		mkdir -p "$W/$n"
		printf 'server:\n    ip-address: %s\n    port: 53\n    do-ip6: no\n' "$a"
		printf '    server-count: 1\n    username: ""\n    chroot: ""\n'
		printf '    database: ""\n    zonesdir: "%s"\n    pidfile: "%s/run/%s.pid"\n' "$W" "$W" "$n"
		printf '    logfile: "%s/%s.log"\n    xfrdfile: "%s/%s/xfrd.state"\n' "$W" "$n" "$W" "$n"
		printf '    zonelistfile: "%s/%s/zone.list"\n    xfrdir: "%s/%s"\n' "$W" "$n" "$W" "$n"
		printf '    rrl-ratelimit: 0\nremote-control:\n    control-enable: no\n'
		for z; do
			printf 'zone:\n    name: "%s"\n    zonefile: "%s"\n' "${z%%=*}" "${z#*=}"
		done
	}
	conf top "$NET.1" .=root.signed tld.=tld.signed >top.conf
	conf kids "$NET.2" wild.tld.=wild.signed other.tld.=other.signed \
		twoksk.tld.=twoksk.signed sha1.tld.=sha1.signed \
		preds.tld.=preds.signed split.tld.=split.signed \
		tamper.tld.=tamper.signed nonsec.tld.=nonsec.signed \
		badds.tld.=badds.signed >kids.conf
	conf three "$NET.3" split.tld.=split2.signed >three.conf
	nsd -c top.conf </dev/null >/dev/null 2>&1 3>&- || { export SKIPWHY="nsd failed: $(tail -2 top.log)"; return 0; }
	nsd -c kids.conf </dev/null >/dev/null 2>&1 3>&- || { export SKIPWHY="nsd failed: $(tail -2 kids.log)"; return 0; }
	nsd -c three.conf </dev/null >/dev/null 2>&1 3>&- || { export SKIPWHY="nsd failed: $(tail -2 three.log)"; return 0; }
	local i
	for i in $(seq 50); do
		[[ -s run/top.pid && -s run/kids.pid && -s run/three.pid ]] && break
		sleep 0.1
	done
}

teardown_file() {
	local p n
	for n in top kids three; do
		[[ -s "$W/run/$n.pid" ]] || continue
		p=$(cat "$W/run/$n.pid")
		kill "$p" 2>/dev/null || true
		for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
	done
}

setup() {
	[[ -z "$SKIPWHY" ]] || skip "$SKIPWHY"
	cd "$BATS_TEST_TMPDIR" || fail "no temp dir"
}

chain() {
	"$ZTK_CHAIN" --server "$NET.1" --anchor "$W/anchor.ds" --timeout 5s "$@"
}

ubh() {
	local out
	out=$(timeout 30 unbound-host -C "$W/ubh.conf" -f "$W/anchor.ds" -v \
		-t "$2" "$1" 2>&1)
	case $out in
	*'(BOGUS'*) echo bogus ;;
	*'(secure)'*) echo secure ;;
	*'(insecure)'*) echo insecure ;;
	*) echo "indeterminate: $out" ;;
	esac
}

@test "a zone cut that no referral shows (one server for . and tld.): secure, three levels" {
	run -0 ubh www.wild.tld A
	assert_output secure
	run -0 chain www.wild.tld A
	assert_line --regexp '^\.  secure  '
	assert_line --regexp '^  `- tld\.  secure  \(trust from DS in \., '
	assert_line --regexp '^    `- wild\.tld\.  secure  \(trust from DS in tld\., '
	assert_line 'answer: www.wild.tld. A: present, secure'
}

@test "a wildcard expansion, one and two labels deep: secure with the proof that the name does not exist" {
	for n in x.w.wild.tld a.b.w.wild.tld; do
		run -0 ubh "$n" A
		assert_output secure
		run -0 chain "$n" A
		assert_line "answer: $n. A: present, secure"
	done
}

@test "wildcard NODATA, an empty non-terminal, NXDOMAIN: proven, secure" {
	run -0 ubh x.w.wild.tld MX
	assert_output secure
	run -0 chain x.w.wild.tld MX
	assert_line 'answer: x.w.wild.tld. MX: no such type (NODATA), secure'
	run -0 ubh ent.wild.tld A
	assert_output secure
	run -0 chain ent.wild.tld A
	assert_line 'answer: ent.wild.tld. A: no such type (NODATA), secure'
	run -0 ubh nope.wild.tld A
	assert_output secure
	run -0 chain nope.wild.tld A
	assert_line 'answer: nope.wild.tld. A: no such name (NXDOMAIN), secure'
}

@test "a CNAME into another zone: both hops validated, each in its zone" {
	run -0 ubh alias.wild.tld A
	assert_output secure
	run -0 chain alias.wild.tld A
	assert_line --regexp '^    `- other\.tld\.  secure  '
	assert_output --partial 'alias.wild.tld. CNAME: CNAME to www.other.tld., secure; www.other.tld. A: present, secure'
	run -0 chain --json alias.wild.tld A
	assert_output --partial '"verdict":"secure"'
}

@test "a second KSK without DS at the parent: secure, with a warning" {
	run -0 ubh www.twoksk.tld A
	assert_output secure
	run -0 chain www.twoksk.tld A
	assert_line 'warning: twoksk.tld. publishes a KSK without DS at the parent (fine while it is pre-published)'
	run -0 chain --json www.twoksk.tld A
	assert_output --partial '"kskWithoutDs":true'
}

@test "only a SHA-1 DS: secure, with the RFC 8624 warning" {
	run -0 ubh www.sha1.tld A
	assert_output secure
	run -0 chain www.sha1.tld A
	assert_line 'warning: the only DS matching sha1.tld. use SHA-1 (RFC 8624: publish a SHA-256 DS)'
	run -0 chain --json www.sha1.tld A
	assert_output --partial '"sha1Only":true'
}

@test "a DS whose key is not published yet: secure through the other DS, with a warning" {
	run -0 ubh www.preds.tld A
	assert_output secure
	run -0 chain www.preds.tld A
	assert_output --regexp 'warning: DS [0-9]+/13/2 for preds\.tld\. points to a key the zone does not publish \(yet\)'
	# --nagios makes a warning WARNING (1), with the first warning
	run -1 chain --nagios www.preds.tld A
	assert_output --regexp '^DNSSEC WARNING - preds\.tld\. is secure; DS [0-9]+/13/2'
}

@test "--expire-warn: signatures expiring soon are a warning; after they expire, bogus" {
	run -0 chain --now now+27d www.other.tld A
	assert_output --regexp 'warning: signatures of [a-z.]+ expire at 20'
	run -0 chain --now now+27d --expire-warn 0 www.other.tld A
	refute_output --partial 'warning: signatures'
	run -1 chain --now now+40d www.other.tld A
	assert_output --partial 'expired at'
	assert_line 'verdict: bogus'
}

@test "--prometheus: gauges per zone, written atomically, one HELP/TYPE per family" {
	run -0 chain -q --prometheus m.prom www.twoksk.tld A
	assert_line 'verdict: secure'
	run cat m.prom
	assert_line 'ztk_chain_verdict{name="www.twoksk.tld.",zone="twoksk.tld.",verdict="secure"} 1'
	assert_line 'ztk_chain_ds_match{name="www.twoksk.tld.",zone="twoksk.tld."} 1'
	assert_line --regexp '^ztk_chain_signature_expiry_seconds\{name="www\.twoksk\.tld\.",zone="tld\."\} [0-9]+$'
	assert_line 'ztk_chain_reachable{name="www.twoksk.tld.",type="A"} 1'
	[[ $(grep -c '^# TYPE ztk_chain_verdict gauge$' m.prom) -eq 1 ]]
	[[ -z $(ls -A | grep -v '^m\.prom$') ]]    # no temp file left
	# a name list: one family block each, a series per name and zone
	printf 'www.sha1.tld A\nwww.preds.tld\n' >names
	run -0 chain -q --names-from names --prometheus m.prom
	[[ $(grep -c '^# TYPE ztk_chain_verdict gauge$' m.prom) -eq 1 ]]
	[[ $(grep -c '^ztk_chain_answer_verdict{.*verdict="secure"} 1$' m.prom) -eq 2 ]]
	# a directory in the way is refused, exit 3
	mkdir d.prom
	run -3 chain -q --prometheus d.prom www.sha1.tld A
	assert_output --partial 'prometheus'
}

@test "two servers of one zone with different DNSKEY RRsets and serials: secure, both named in warnings" {
	run -0 ubh www.split.tld A
	assert_output secure
	run -0 chain www.split.tld A
	assert_line --regexp "^warning: servers of split\.tld\. disagree on the DNSKEY RRset: $NET\.[23]#53 sends [12] keys?, $NET\.[23]#53 sends [12]\$"
	assert_line --regexp "^warning: servers of split\.tld\. disagree on the SOA serial: $NET\.[23]#53 has [27], $NET\.[23]#53 has [27]\$"
	run -0 chain --json www.split.tld A
	assert_output --regexp '"zone":"split\.tld\.","servers":"[0-9.]+#53, [0-9.]+#53"'
}

@test "records changed or stripped after signing: bogus, saying which RRset and why" {
	run -0 ubh www.tamper.tld A
	assert_output bogus
	run -1 chain www.tamper.tld A
	assert_output --regexp 'the signature of www\.tamper\.tld\. A by key [0-9]+ does not verify'
	assert_line 'verdict: bogus'
	run -0 ubh nosig.tamper.tld A
	assert_output bogus
	run -1 chain nosig.tamper.tld A
	assert_output --partial 'nosig.tamper.tld. A has no signature by a key of the zone'
	# the zone's keys themselves are fine: its SOA still validates
	run -0 chain tamper.tld SOA
}

@test "an NXDOMAIN without NSEC records: bogus (the denial is not proven)" {
	run -0 ubh nope.nonsec.tld A
	assert_output bogus
	run -1 chain nope.nonsec.tld A
	assert_output --partial 'the NXDOMAIN answer for nope.nonsec.tld. carries no NSEC or NSEC3 proof'
	run -0 chain www.nonsec.tld A
}

@test "the parent's signature over a DS RRset is broken: bogus at the child, naming the parent" {
	run -0 ubh www.badds.tld A
	assert_output bogus
	run -1 chain www.badds.tld A
	assert_output --regexp 'the DS RRset of badds\.tld\. in tld\. does not validate: the signature of badds\.tld\. DS by key [0-9]+ does not verify'
	assert_line --regexp '^    `- badds\.tld\.  bogus  '
}
