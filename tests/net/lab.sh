#!/bin/bash
# lab.sh - a private, signed DNS hierarchy on loopback addresses only.
#
#   lab.sh start DIR    build keys and zones in DIR, start the servers
#   lab.sh stop DIR     stop every process started for DIR, and wait
#
# Everything listens on $ZTK_LAB_NET.N port 53 (ZTK_LAB_NET defaults to
# 127.53.0, so 127.53.0.0/24); we must be root.  The hierarchy:
#
#   .              knotd  .1   private root, ztk-sign, P-256 KSK+ZSK, NSEC
#   test.          nsd    .2   ztk-sign, Ed25519 CSK, NSEC
#   children       knotd  .10  ("ns-a.test.") and nsd .11 ("ns-b.test.")
#   dead.test.     python .99  reads UDP, never accepts TCP, never answers
#   recursor       unbound .53 iterates from our root, does not validate
#
# The scenarios, one child zone each (see scenario list in README):
#   alg8 alg10 alg13 alg14 alg15 alg16 (good chains), nsec3, insecure (NSEC
#   proof in test.), child.optout (NSEC3 opt-out proof in optout.test.),
#   dsmismatch, expired, zskonly, big (TXT RRset > 1232 octets), dead,
#   x -> y.x (4 levels), serial (two servers, two serials), dnskey (two
#   servers, two DNSKEY RRsets); secure with a warning: sha1 (SHA-1 DS
#   only), ksknods (a KSK without DS), prepub (a DS for a key not yet
#   published), lame (one of two servers never answers).
#
# DIR receives, besides the servers' files:
#   anchor.ds anchor.dnskey   the root's KSK as DS and as DNSKEY record
#   anchor.bind               the same as BIND trust-anchors (delv -a)
#   root.hints                NS and A of our root (ztk-chain --root-hints)
#   unbound-host.conf         unbound-host -C: iterate from root.hints
#   lab.env                   shell variables: addresses of every server
#
# Tools: ztk-sign from $ZTK_BUILD/bin (default build/bin), dnssec-keygen,
# dnssec-signzone, dnssec-dsfromkey, knotd, nsd, unbound, kdig, python3.
# Nothing here sends a packet anywhere but to the addresses above.
set -eu

NET=${ZTK_LAB_NET:-127.53.0}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
B=${ZTK_BUILD:-build}
case $B in /*) ;; *) B=$REPO/$B ;; esac
ZTK_SIGN=$B/bin/ztk-sign

die() { echo "lab.sh: $*" >&2; exit 3; }

ROOT_A=$NET.1 TLD_A=$NET.2 KA=$NET.10 NB=$NET.11 DEAD=$NET.99 REC=$NET.53

# --- keys -----------------------------------------------------------------

# pem NAME KIND: a PEM private key for ztk-sign (KIND: p256 p384 ed25519
# ed448 rsa), mode 0600 as ztk-sign demands.
pem() {
	local f=$D/keys/$1.pem
	case $2 in
	p256) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$f" ;;
	p384) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$f" ;;
	ed25519) openssl genpkey -algorithm ED25519 -out "$f" ;;
	ed448) openssl genpkey -algorithm ED448 -out "$f" ;;
	rsa) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$f" ;;
	esac 2>/dev/null
	chmod 600 "$f"
	echo "$f"
}

# --- zones ----------------------------------------------------------------

# header ORIGIN SERIAL NS...: SOA and apex NS of a zone, TTLs short.
header() {
	local o=$1 s=$2 n
	shift 2
	printf '$ORIGIN %s\n$TTL 300\n' "$o"
	printf '@ SOA ns.test. hostmaster.test. %s 3600 600 86400 300\n' "$s"
	for n; do printf '@ NS %s\n' "$n"; done
}

# leaf ORIGIN [NS]: an ordinary child zone: apex, www A/AAAA, a TXT, and
# a wildcard (*.wc) for answers synthesised from it.
leaf() {
	header "$1." 1 "${2:-ns-a.test.}"
	printf 'www A 192.0.2.1\nwww AAAA 2001:db8::1\ntxt TXT "%s"\n' "$1"
	printf '*.wc TXT "wildcard"\n'
}

# ds SIGNED ORIGIN: the SHA-256 DS of the SEP keys in a signed zone file.
ds() { dnssec-dsfromkey -2 -f "$1" "$2"; }

# zsign ORIGIN OUT ZTK-SIGN-OPTIONS...: sign $Z/ORIGIN.zone with ztk-sign.
zsign() {
	local o=$1 out=$2
	shift 2
	"$ZTK_SIGN" -q -f -j 1 "$@" -o "$Z/$out" "$Z/$o.zone"
}

# bsign ORIGIN ALG BITS: BIND keys (dnssec-keygen) and dnssec-signzone,
# which verifies its output; the DS comes from dsset-ORIGIN. in $D/dsset.
bsign() {
	local o=$1 a=$2 b=$3 kd=$D/keys/$1
	mkdir -p "$kd"
	dnssec-keygen -q -K "$kd" -a "$a" ${b:+-b $b} -f KSK "$o" >/dev/null
	dnssec-keygen -q -K "$kd" -a "$a" ${b:+-b $b} "$o" >/dev/null
	dnssec-signzone -q -S -K "$kd" -d "$D/dsset" -o "$o" \
		-f "$Z/$o.signed" "$Z/$o.zone" >/dev/null
}

make_zones() {
	local k1 k2 past
	mkdir -p "$D/keys" "$D/dsset" "$Z"

	# 4 levels: y.x.test. (nsd) under x.test. (knotd) under test.
	leaf y.x.test ns-b.test. >"$Z/y.x.test.zone"
	zsign y.x.test y.x.test.signed --csk "$(pem y p256)"
	{ leaf x.test; printf 'y NS ns-b.test.\n'; ds "$Z/y.x.test.signed" y.x.test; } >"$Z/x.test.zone"
	zsign x.test x.test.signed --csk "$(pem x p256)"

	# good chains, one per algorithm; 10, 14, 16 by dnssec-signzone
	leaf alg8.test >"$Z/alg8.test.zone"
	zsign alg8.test alg8.test.signed --ksk "$(pem alg8k rsa)" --zsk "$(pem alg8z rsa)"
	leaf alg13.test >"$Z/alg13.test.zone"
	zsign alg13.test alg13.test.signed --ksk "$(pem alg13k p256)" --zsk "$(pem alg13z p256)"
	leaf alg15.test >"$Z/alg15.test.zone"
	zsign alg15.test alg15.test.signed --csk "$(pem alg15 ed25519)"
	leaf alg10.test ns-b.test. >"$Z/alg10.test.zone"
	bsign alg10.test RSASHA512 2048
	leaf alg14.test ns-b.test. >"$Z/alg14.test.zone"
	bsign alg14.test ECDSAP384SHA384 ""
	leaf alg16.test ns-b.test. >"$Z/alg16.test.zone"
	bsign alg16.test ED448 ""

	leaf nsec3.test >"$Z/nsec3.test.zone"
	zsign nsec3.test nsec3.test.signed --csk "$(pem nsec3 p256)" --nsec3

	# insecure.test.: unsigned; test.'s NSEC proves it has no DS
	leaf insecure.test ns-b.test. >"$Z/insecure.test.zone"
	# child.optout.test.: unsigned; optout.test.'s opt-out NSEC3 covers it
	leaf child.optout.test ns-b.test. >"$Z/child.optout.test.zone"
	{ leaf optout.test; printf 'child NS ns-b.test.\n'; } >"$Z/optout.test.zone"
	zsign optout.test optout.test.signed --csk "$(pem optout p256)" --opt-out

	# dsmismatch.test.: test. publishes the DS of a key the child never had
	leaf dsmismatch.test >"$Z/dsmismatch.test.zone"
	zsign dsmismatch.test dsmismatch.test.signed --csk "$(pem dsm p256)"
	zsign dsmismatch.test dsmismatch.other --csk "$(pem dsm-other p256)"

	# expired.test.: signed 20 days ago for 10 days
	past=$(date -u -d '20 days ago' +%Y%m%d%H%M%S)
	leaf expired.test >"$Z/expired.test.zone"
	zsign expired.test expired.test.signed --csk "$(pem expired p256)" \
		--now "$past" --validity 10d --jitter 0

	# zskonly.test.: the DS names the KSK, but only the ZSK signs the
	# DNSKEY RRset: dnssec-signzone given the KSK's public half only
	k1=$D/keys/zskonly
	mkdir -p "$k1"
	k2=$(dnssec-keygen -q -K "$k1" -a ECDSAP256SHA256 -f KSK zskonly.test)
	dnssec-dsfromkey -2 "$k1/$k2.key" >"$D/dsset/dsset-zskonly.test."
	rm "$k1/$k2.private"
	past=$(dnssec-keygen -q -K "$k1" -a ECDSAP256SHA256 zskonly.test)
	{ leaf zskonly.test ns-b.test.; cat "$k1/$k2.key" "$k1/$past.key"; } >"$Z/zskonly.test.zone"
	dnssec-signzone -q -P -K "$k1" -d "$D/dsset" -o zskonly.test \
		-f "$Z/zskonly.test.signed" "$Z/zskonly.test.zone" "$k1/$past.key" >/dev/null 2>&1

	# big.test.: a TXT RRset of about 2600 octets, truncated over UDP
	{
		leaf big.test
		for k1 in 1 2 3 4 5 6 7 8 9 10; do
			printf 'big TXT "%s-%0200d"\n' "$k1" 0
		done
	} >"$Z/big.test.zone"
	zsign big.test big.test.signed --csk "$(pem big p256)"

	# dead.test.: signed and delegated, but its only server never answers
	leaf dead.test ns-dead.test. >"$Z/dead.test.zone"
	zsign dead.test dead.test.signed --csk "$(pem dead p256)"

	# serial.test.: one key, serial 1 on ns-a, serial 2 on ns-b
	k1=$(pem serial p256)
	{ header serial.test. 1 ns-a.test. ns-b.test.; printf 'www A 192.0.2.1\n'; } >"$Z/serial.test.zone"
	zsign serial.test serial.test.signed-a --csk "$k1" --serial keep
	sed 's/hostmaster.test. 1 /hostmaster.test. 2 /' "$Z/serial.test.zone" >"$Z/serial.test.zone2"
	"$ZTK_SIGN" -q -f -j 1 --csk "$k1" --serial keep -z serial.test \
		-o "$Z/serial.test.signed-b" "$Z/serial.test.zone2"

	# dnskey.test.: ns-a publishes one key, ns-b that key and a second ZSK
	k1=$(pem dnskey p256)
	{ header dnskey.test. 1 ns-a.test. ns-b.test.; printf 'www A 192.0.2.1\n'; } >"$Z/dnskey.test.zone"
	zsign dnskey.test dnskey.test.signed-a --csk "$k1"
	zsign dnskey.test dnskey.test.signed-b --csk "$k1" --zsk "$(pem dnskey-zsk p256)"

	# Secure, but with something about to break (ztk-chain warns):
	# sha1.test.: the parent's only DS is SHA-1 (RFC 8624: MUST NOT)
	leaf sha1.test >"$Z/sha1.test.zone"
	zsign sha1.test sha1.test.signed --csk "$(pem sha1 p256)"
	# ksknods.test.: two KSKs published, the parent has the DS of one
	leaf ksknods.test >"$Z/ksknods.test.zone"
	zsign ksknods.test ksknods.test.signed --ksk "$(pem ksknods-1 p256)" \
		--ksk "$(pem ksknods-2 p256)" --zsk "$(pem ksknods-z p256)"
	# prepub.test.: a DS for the key and one for a key not published yet
	leaf prepub.test >"$Z/prepub.test.zone"
	zsign prepub.test prepub.test.signed --csk "$(pem prepub p256)"
	zsign prepub.test prepub.next --csk "$(pem prepub-next p256)"
	# lame.test.: two servers, one of them never answers
	{ header lame.test. 1 ns-a.test. ns-dead.test.; printf 'www A 192.0.2.1\n'; } >"$Z/lame.test.zone"
	zsign lame.test lame.test.signed --csk "$(pem lame p256)"

	# test.: every child above
	{
		header test. 1 ns.test.
		printf 'ns A %s\nns-a A %s\nns-b A %s\nns-dead A %s\n' \
			"$TLD_A" "$KA" "$NB" "$DEAD"
		printf 'www A 192.0.2.1\n'
		for k1 in alg8 alg13 alg15 nsec3 optout dsmismatch expired big x; do
			printf '%s NS ns-a.test.\n' "$k1"
		done
		for k1 in alg10 alg14 alg16 zskonly insecure; do
			printf '%s NS ns-b.test.\n' "$k1"
		done
		printf 'dead NS ns-dead.test.\nserial NS ns-a.test.\nserial NS ns-b.test.\n'
		printf 'dnskey NS ns-a.test.\ndnskey NS ns-b.test.\n'
		printf 'sha1 NS ns-a.test.\nksknods NS ns-a.test.\nprepub NS ns-a.test.\n'
		printf 'lame NS ns-a.test.\nlame NS ns-dead.test.\n'
		dnssec-dsfromkey -1 -f "$Z/sha1.test.signed" sha1.test
		ds "$Z/ksknods.test.signed" ksknods.test | head -1
		ds "$Z/prepub.test.signed" prepub.test
		ds "$Z/prepub.next" prepub.test
		ds "$Z/lame.test.signed" lame.test
		for k1 in alg8 alg13 alg15 nsec3 optout expired big x dead; do
			ds "$Z/$k1.test.signed" "$k1.test"
		done
		ds "$Z/serial.test.signed-a" serial.test
		ds "$Z/dnskey.test.signed-a" dnskey.test
		ds "$Z/dsmismatch.other" dsmismatch.test
		cat "$D/dsset/dsset-alg10.test." "$D/dsset/dsset-alg14.test." \
			"$D/dsset/dsset-alg16.test." "$D/dsset/dsset-zskonly.test."
	} >"$Z/test.zone"
	zsign test test.signed --csk "$(pem test ed25519)"

	# the root
	{
		header . 1 ns.lab-root.
		printf 'ns.lab-root. A %s\ntest. NS ns.test.\nns.test. A %s\n' "$ROOT_A" "$TLD_A"
		ds "$Z/test.signed" test
	} >"$Z/root.zone"
	"$ZTK_SIGN" -q -f -j 1 --ksk "$(pem rootk p256)" --zsk "$(pem rootz p256)" \
		-z . -o "$Z/root.signed" "$Z/root.zone"

	# anchors and hints
	ds "$Z/root.signed" . >"$D/anchor.ds"
	awk '$4 == "DNSKEY" && $5 == 257' "$Z/root.signed" >"$D/anchor.dnskey"
	[ -s "$D/anchor.dnskey" ] || awk '$3 == "DNSKEY" && $4 == 257' "$Z/root.signed" >"$D/anchor.dnskey"
	awk '{ n = NF; for (i = 1; i <= NF; i++) if ($i == "DNSKEY") break;
	       k = ""; for (j = i + 4; j <= n; j++) k = k $j;
	       printf "trust-anchors {\n\t. static-key %s %s %s \"%s\";\n};\n", $(i+1), $(i+2), $(i+3), k }' \
		"$D/anchor.dnskey" >"$D/anchor.bind"
	printf '. 3600000 NS ns.lab-root.\nns.lab-root. 3600000 A %s\n' "$ROOT_A" >"$D/root.hints"
}

# --- servers --------------------------------------------------------------

# knot_conf NAME ADDR ZONE=FILE...: a knotd instance serving signed files
# as they are (no signing, no journal, no zone file rewrite).
knot_conf() {
	local n=$1 a=$2 z
	shift 2
	mkdir -p "$D/$n"
	cat <<EOF
server:
    rundir: "$D/$n"
    pidfile: "$D/run/$n.pid"
    listen: $a@53
    background-workers: 1
    tcp-workers: 1
    udp-workers: 1
log:
  - target: "$D/$n.log"
    any: info
database:
    storage: "$D/$n"
control:
    listen: "$D/$n/knot.sock"
template:
  - id: default
    storage: "$Z"
    semantic-checks: off
    journal-content: none
    zonefile-sync: -1
    zonefile-load: whole
zone:
EOF
	for z; do
		printf '  - domain: "%s"\n    file: "%s"\n' "${z%%=*}" "${z#*=}"
	done
}

# nsd_conf NAME ADDR ZONE=FILE...
nsd_conf() {
	local n=$1 a=$2 z
	shift 2
	mkdir -p "$D/$n"
	cat <<EOF
server:
    ip-address: $a
    port: 53
    do-ip6: no
    server-count: 1
    username: ""
    chroot: ""
    database: ""
    zonesdir: "$Z"
    pidfile: "$D/run/$n.pid"
    logfile: "$D/$n.log"
    xfrdfile: "$D/$n/xfrd.state"
    zonelistfile: "$D/$n/zone.list"
    xfrdir: "$D/$n"
    verbosity: 1
    # Debian's nsd has response rate limiting on (200 qps per /24): off,
    # every client here is us, and many names at once must not be dropped.
    rrl-ratelimit: 0
    rrl-whitelist-ratelimit: 0
remote-control:
    control-enable: no
EOF
	for z; do
		printf 'zone:\n    name: "%s"\n    zonefile: "%s"\n' "${z%%=*}" "${z#*=}"
	done
}

unbound_conf() {
	cat <<EOF
server:
    interface: $REC
    port: 53
    outgoing-interface: $REC
    do-ip6: no
    do-daemonize: yes
    num-threads: 1
    username: ""
    chroot: ""
    directory: "$D"
    pidfile: "$D/run/unbound.pid"
    logfile: "$D/unbound.log"
    use-syslog: no
    verbosity: 1
    access-control: 127.0.0.0/8 allow
    root-hints: "$D/root.hints"
    do-not-query-localhost: no
    module-config: "iterator"
    local-zone: "test." nodefault
    qname-minimisation: no
    discard-timeout: 0
    infra-cache-max-rtt: 1000
    so-reuseport: no
remote-control:
    control-enable: no
EOF
}

# ready ADDR ZONE [+rec]: wait (10 s at most: the machine may be busy)
# until ADDR answers ZONE's SOA.
ready() {
	local i=0
	while [ $i -lt 200 ]; do
		kdig +retry=0 +timeout=1 "${3:-+norec}" @"$1" "$2" SOA 2>/dev/null |
			grep -q 'status: NOERROR' && return 0
		sleep 0.05
		i=$((i + 1))
	done
	die "$1 does not serve $2 (see the logs in $D)"
}

# check_port53: refuse to start over a listener we cannot share.  A
# package's own daemon on 0.0.0.0:53 is stopped first.  (Debian's postinst
# starts knot, nsd and unbound where services may start; in this container
# policy-rc.d exits 101, so it does not: they stay stopped.)
check_port53() {
	local l
	l=$(ss -Hlnup 'sport = :53' 2>/dev/null; ss -Hlntp 'sport = :53' 2>/dev/null) || true
	[ -n "$l" ] || return 0
	for svc in knot:knotd nsd:nsd unbound:unbound named:named; do
		if printf '%s\n' "$l" | grep -Eq "(0\.0\.0\.0|\*|\[::\]):53 .*\"${svc#*:}\"" &&
			[ -x "/etc/init.d/${svc%%:*}" ]; then
			echo "lab.sh: stopping the package's ${svc%%:*} (it holds port 53)" >&2
			service "${svc%%:*}" stop >/dev/null 2>&1 || true
		fi
	done
	l=$(ss -Hlnu 'sport = :53' 2>/dev/null |
		grep -Eo "(0\.0\.0\.0|\*|\[::\]|${NET//./\\.}\.[0-9]+):53 ") || true
	if [ -n "$l" ]; then
		die "port 53 is taken on our addresses: $(printf '%s' "$l" | tr -s "\n " " ")(another lab? lab.sh stop DIR, or set ZTK_LAB_NET)"
	fi
}

start() {
	[ "$(id -u)" -eq 0 ] || die "must run as root (binds port 53)"
	for t in knotd nsd unbound kdig dnssec-signzone dnssec-keygen dnssec-dsfromkey python3; do
		command -v "$t" >/dev/null || die "$t not installed (scripts/install-deps.sh)"
	done
	[ -x "$ZTK_SIGN" ] || die "ztk-sign not built: $ZTK_SIGN"
	[ ! -d "$D/run" ] || [ -z "$(ls "$D/run")" ] || die "$D: a lab is running there (lab.sh stop $D)"
	check_port53
	mkdir -p "$D/run"
	# A start that fails half-way leaves nothing running.
	trap 'rc=$?; [ $rc -eq 0 ] || { [ -z "$zones_done" ] && tail -5 "$D/make.log" >&2; stop; }; exit $rc' EXIT
	# Warnings (the expired zone is expired on purpose) go to make.log.
	zones_done=
	make_zones 2>"$D/make.log"
	zones_done=1

	knot_conf knot-root "$ROOT_A" .=root.signed >"$D/knot-root.conf"
	nsd_conf nsd-tld "$TLD_A" test.=test.signed >"$D/nsd-tld.conf"
	knot_conf knot-a "$KA" x.test.=x.test.signed \
		alg8.test.=alg8.test.signed alg13.test.=alg13.test.signed \
		alg15.test.=alg15.test.signed nsec3.test.=nsec3.test.signed \
		optout.test.=optout.test.signed dsmismatch.test.=dsmismatch.test.signed \
		expired.test.=expired.test.signed big.test.=big.test.signed \
		serial.test.=serial.test.signed-a dnskey.test.=dnskey.test.signed-a \
		sha1.test.=sha1.test.signed ksknods.test.=ksknods.test.signed \
		prepub.test.=prepub.test.signed lame.test.=lame.test.signed \
		>"$D/knot-a.conf"
	nsd_conf nsd-b "$NB" y.x.test.=y.x.test.signed \
		alg10.test.=alg10.test.signed alg14.test.=alg14.test.signed \
		alg16.test.=alg16.test.signed zskonly.test.=zskonly.test.signed \
		insecure.test.=insecure.test.zone child.optout.test.=child.optout.test.zone \
		serial.test.=serial.test.signed-b dnskey.test.=dnskey.test.signed-b \
		>"$D/nsd-b.conf"
	unbound_conf >"$D/unbound.conf"
	# for unbound-host -C: iterate from our root, trust nothing built in
	cat >"$D/unbound-host.conf" <<EOF
server:
    root-hints: "$D/root.hints"
    do-not-query-localhost: no
    do-ip6: no
    qname-minimisation: no
    local-zone: "test." nodefault
    chroot: ""
    username: ""
EOF

	# No daemon may keep our stdout/stderr (bats waits for them) or fd 3.
	knotd -d -c "$D/knot-root.conf" </dev/null >/dev/null 2>&1 3>&-
	knotd -d -c "$D/knot-a.conf" </dev/null >/dev/null 2>&1 3>&-
	nsd -c "$D/nsd-tld.conf" </dev/null >/dev/null 2>&1 3>&-
	nsd -c "$D/nsd-b.conf" </dev/null >/dev/null 2>&1 3>&-
	python3 "$HERE/blackhole.py" "$DEAD" "$D/run/blackhole.pid" \
		</dev/null >"$D/blackhole.log" 2>&1 3>&- &
	ready "$ROOT_A" .
	ready "$TLD_A" test.
	ready "$KA" x.test.
	ready "$NB" y.x.test.
	unbound -c "$D/unbound.conf" </dev/null >/dev/null 2>&1 3>&-
	ready "$REC" test. +rec
	local i=0
	while [ ! -s "$D/run/blackhole.pid" ]; do
		[ $i -lt 100 ] || die "blackhole did not start: $(cat "$D/blackhole.log")"
		sleep 0.05; i=$((i + 1))
	done
	cat >"$D/lab.env" <<EOF
LAB_DIR=$D
LAB_ROOT=$ROOT_A
LAB_TLD=$TLD_A
LAB_NS_A=$KA
LAB_NS_B=$NB
LAB_DEAD=$DEAD
LAB_RECURSOR=$REC
EOF
}

stop() {
	local f p pids=""
	[ -d "$D/run" ] || return 0
	# Read every pid first: a daemon removes its own pid file as it exits.
	for f in "$D"/run/*.pid; do
		[ -e "$f" ] || continue
		p=$(cat "$f" 2>/dev/null) || true
		rm -f "$f"
		case $p in '' | *[!0-9]*) continue ;; esac
		kill "$p" 2>/dev/null && pids="$pids $p"
	done
	for p in $pids; do
		i=0
		while kill -0 "$p" 2>/dev/null && [ $i -lt 100 ]; do
			sleep 0.05; i=$((i + 1))
		done
		kill -9 "$p" 2>/dev/null || true
	done
	return 0
}

[ $# -eq 2 ] || { echo "usage: lab.sh start|stop DIR" >&2; exit 2; }
mkdir -p "$2"
D=$(cd "$2" && pwd)
Z=$D/zones
case $1 in
start) start ;;
stop) stop ;;
*) echo "usage: lab.sh start|stop DIR" >&2; exit 2 ;;
esac
