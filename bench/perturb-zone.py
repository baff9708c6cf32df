#!/usr/bin/env python3
"""Change the A records of a fraction of a zone's names, for timing
incremental re-signing (bench/sign-zone.sh).

Usage: perturb-zone.py [--fraction F] ZONE > NEW_ZONE

Of the zone's distinct owner names, round(F * names) (default F = 0.01,
i.e. 1%) get their first A record's address replaced.  The names are
spread evenly over the file (every k-th name that has an A record), so
the change touches the whole zone, not one corner of it.  Glue (owners
"ns1.<cut>" / "ns2.<cut>", which gen-zone.py puts below its in-bailiwick
delegations) is left alone: it is not signed, so changing it would make
the re-sign look cheaper than a real 1% change.  Each new address is
unique, from 198.18.0.0/15 (RFC 2544), so no RRset gains a duplicate.

Written for gen-zone.py output (one record per line, apart from the
multi-line SOA; blank owner = previous owner).  Prints
"names=N changed=C" on stderr.
"""

import argparse
import re
import sys

# owner, then optional TTL / class in either order, then the type A.
A_LINE = re.compile(r"^(\S*[ \t]+(?:(?:\d+|IN)[ \t]+){0,2}A[ \t]+)(\S+)")
GLUE = re.compile(r"^ns[12]\.[^.]")


def owners(lines):
    """Yield (line index, owner key or None, is_a_record) for every line."""
    origin = ""
    owner = None
    in_paren = False
    for i, line in enumerate(lines):
        s = line.split(";", 1)[0]   # no ';' inside A/owner text here
        if in_paren:
            if ")" in s:
                in_paren = False
            yield i, None, False
            continue
        if not s.strip():
            yield i, None, False
            continue
        if line.startswith("$"):
            parts = s.split()
            if parts[0].upper() == "$ORIGIN" and len(parts) > 1:
                origin = parts[1]
            yield i, None, False
            continue
        if "(" in s and ")" not in s:
            in_paren = True
        if not line[0].isspace():
            name = s.split()[0]
            if name == "@":
                owner = origin.lower()
            elif name.endswith("."):
                owner = name.lower()
            else:
                owner = (name + "." + origin).lower()
        yield i, owner, A_LINE.match(line) is not None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--fraction", type=float, default=0.01)
    ap.add_argument("zone")
    a = ap.parse_args()
    with open(a.zone, encoding="utf-8") as f:
        lines = f.read().split("\n")

    names = set()
    first_a = {}            # owner -> index of its first A line
    order = []              # eligible owners, in file order
    for i, owner, is_a in owners(lines):
        if owner is None:
            continue
        names.add(owner)
        if is_a and owner not in first_a and not GLUE.match(owner):
            first_a[owner] = i
            order.append(owner)

    want = round(a.fraction * len(names))
    if want > len(order):
        sys.exit(f"perturb-zone.py: only {len(order)} names have A records, {want} wanted")
    if want > 2 ** 17:
        sys.exit("perturb-zone.py: more changes than 198.18.0.0/15 has addresses")
    chosen = set()
    if want:
        stride = len(order) / want
        chosen = {order[int(k * stride)] for k in range(want)}
    n = 0
    for owner in order:
        if owner not in chosen:
            continue
        i = first_a[owner]
        addr = f"198.{18 + (n >> 16)}.{(n >> 8) & 255}.{n & 255}"
        lines[i] = A_LINE.sub(lambda m: m.group(1) + addr, lines[i], count=1)
        n += 1
    sys.stdout.write("\n".join(lines))
    print(f"names={len(names)} changed={n}", file=sys.stderr)


if __name__ == "__main__":
    main()
