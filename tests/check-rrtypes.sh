#!/bin/sh
# Check every RR type of lib/rrtype.c (table rows and name-only mnemonics)
# against the IANA "Resource Record (RR) TYPEs" registry entries in
# tests/data/iana-rrtypes.csv: the code (from include/ztk/rrtype.h) and the
# mnemonic must both match.  The registry spells ANY as "*".
# Exit 0 if all match, 1 on any mismatch, 2 if the inputs cannot be read.
cd "$(dirname "$0")/.." || exit 2
csv=tests/data/iana-rrtypes.csv
for f in "$csv" lib/rrtype.c include/ztk/rrtype.h; do
	[ -r "$f" ] || { echo "check-rrtypes: cannot read $f" >&2; exit 2; }
done

# ZTK_TYPE_X N from the enum
codes=$(grep -o 'ZTK_TYPE_[A-Z0-9_]* *= *[0-9]*' include/ztk/rrtype.h |
	sed 's/ *= */ /')
# ZTK_TYPE_X "MNEMONIC" from T(...) rows and { ZTK_TYPE_X, "NAME" } pairs
names=$(grep -o 'ZTK_TYPE_[A-Z0-9_]*, *"[^"]*"' lib/rrtype.c |
	sed 's/, *"/ /; s/"$//')
[ -n "$names" ] || { echo "check-rrtypes: no types found" >&2; exit 2; }

printf '%s\n' "$names" | awk -v csv="$csv" -v codes="$codes" '
BEGIN {
	while ((getline line < csv) > 0) {
		if (line ~ /^value,/ || line == "")
			continue
		split(line, f, ",")
		iana_name[f[1]] = f[2]
		iana_code[f[2]] = f[1]
	}
	n = split(codes, c, "\n")
	for (i = 1; i <= n; i++) {
		split(c[i], kv, " ")
		code[kv[1]] = kv[2]
	}
	bad = 0
}
{
	sym = $1; name = $2; checked++
	if (!(sym in code)) {
		printf "%s: no code in include/ztk/rrtype.h\n", sym
		bad++; next
	}
	v = code[sym]
	want = (name == "ANY") ? "*" : name
	if (!(v in iana_name)) {
		printf "%s (%s): code %s is not in %s\n", name, sym, v, csv
		bad++
	} else if (iana_name[v] != want) {
		printf "%s (%s): code %s is %s in the IANA registry\n",
			name, sym, v, iana_name[v]
		bad++
	}
	if (sym != "ZTK_TYPE_" name) {
		printf "%s: mnemonic \"%s\" does not match its symbol\n",
			sym, name
		bad++
	}
	if ((want in iana_code) && iana_code[want] != v) {
		printf "%s: registry code is %s, ours is %s\n", name,
			iana_code[want], v
		bad++
	}
}
END {
	if (bad) {
		printf "check-rrtypes: %d mismatch(es) in %d types\n", bad,
			checked
		exit 1
	}
	printf "check-rrtypes: %d types match the IANA registry\n", checked
}'
