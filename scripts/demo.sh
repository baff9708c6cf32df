#!/bin/sh
# The main job on the embedded default: build ztk, lint the example zone,
# make a SoftHSM2 token and keys under a project-local state directory
# (.ztk/, or $ZTK_HOME), sign the zone with the HSM keys and have BIND,
# ldns and Knot verify it, print the DS for the parent and prove it equals
# BIND's, and prove the chain of trust from that DS down to an answer.
# Safe to run again: existing token and keys are reused.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
make -s -j"$(nproc 2>/dev/null || echo 2)"
export ZTK_HOME="${ZTK_HOME:-$PWD/.ztk}"
ZONE=example.com
B=build/bin

echo "== ztk-lint examples/$ZONE.zone"
$B/ztk-lint -v examples/$ZONE.zone
echo "== the same zone with a mistake (CNAME beside other data)"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
{ cat examples/$ZONE.zone; echo 'ftp TXT "oops"'; } > "$T/bad.zone"
$B/ztk-lint "$T/bad.zone" || echo "(exit status $?: findings, as expected)"

echo "== ztk-key init (SoftHSM2 token and key store in $ZTK_HOME)"
$B/ztk-key init
if [ "$($B/ztk-key list --zone $ZONE --json | grep -c '"role":"KSK"')" -eq 0 ]; then
	echo "== ztk-key create: a KSK and a ZSK inside the token"
	$B/ztk-key create --zone $ZONE --role KSK --algorithm ECDSAP256SHA256
	$B/ztk-key create --zone $ZONE --role ZSK --algorithm ECDSAP256SHA256
fi
$B/ztk-key list --zone $ZONE
echo "== preflight: module, token, PIN, every live key present"
$B/ztk-key check --zone $ZONE

echo "== ztk-sign: sign with the token's keys (NSEC3, ZONEMD), output in $ZTK_HOME"
$B/ztk-sign --nsec3 --zonemd sha384 -o "$ZTK_HOME/$ZONE.signed" examples/$ZONE.zone
echo "== the signed zone, checked by ztk-lint and by the peers"
$B/ztk-lint -v "$ZTK_HOME/$ZONE.signed"
dnssec-verify -q -o $ZONE "$ZTK_HOME/$ZONE.signed" && echo "dnssec-verify: ok"
ldns-verify-zone "$ZTK_HOME/$ZONE.signed"
kzonecheck -o $ZONE -d on "$ZTK_HOME/$ZONE.signed" && echo "kzonecheck: ok"
echo "== re-sign: unchanged RRsets keep their signatures"
$B/ztk-sign --nsec3 --zonemd sha384 -o "$ZTK_HOME/$ZONE.signed" examples/$ZONE.zone

echo "== DS for the parent (ztk-ds --store $ZONE)"
$B/ztk-ds --store $ZONE | tee "$T/ds.ztk"
echo "== the same DS from BIND's dnssec-dsfromkey on the exported key"
for tag in $($B/ztk-key list --zone $ZONE --json |
	python3 -c 'import json,sys; print(" ".join(str(k["keyTag"]) for k in json.load(sys.stdin)["keys"] if k["role"] in ("KSK","CSK") and k["state"] in ("published","active")))'); do
	f=$($B/ztk-key -q export "$tag" --output-dir "$T" >/dev/null; ls "$T"/K$ZONE.+*+"$(printf %05d "$tag")".key)
	dnssec-dsfromkey -a SHA-256 "$f"
done | tee "$T/ds.bind"
if diff -b "$T/ds.ztk" "$T/ds.bind" >/dev/null; then
	echo "DS records agree with dnssec-dsfromkey"
else
	echo "DS records differ from dnssec-dsfromkey" >&2
	diff -b "$T/ds.ztk" "$T/ds.bind" >&2 || true
	exit 1
fi
echo "== ztk-chain: the chain of trust from that DS down to www.$ZONE A"
$B/ztk-ds --store $ZONE >"$T/parent.ds"
$B/ztk-chain --parent-ds "$T/parent.ds" --zone "$ZTK_HOME/$ZONE.signed" www.$ZONE A
echo "== audit trail"
$B/ztk-key audit --verify
