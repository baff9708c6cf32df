#!/usr/bin/env python3
"""Generate a large, realistic, *valid* master zone file for benchmarking.

Usage: gen-zone.py --names N [--origin example.com.] [--seed S] > file

The output is meant to exercise a zone-file parser the way real zones do
(multi-line SOA, comments, $TTL/$ORIGIN, blank-owner continuation lines,
TTL/class in either order, relative and absolute owners, quoted TXT with
escapes and multiple strings, delegations with glue, wildcards, SRV, CAA)
while still loading cleanly in named-checkzone -i local, kzonecheck,
validns and ldns-read-zone, so that every tool does a full parse instead
of bailing out early on an error.

Invariants that keep the zone valid (each one is something a peer checks):
  * every in-zone NS/MX/SRV target and CNAME target is an address-bearing
    host that is not itself a CNAME and not below a zone cut, so there are
    no CNAME chains/loops and no "has no address records" errors;
  * no owner carries CNAME together with other data;
  * every in-bailiwick delegation NS target gets glue below the cut and
    nothing else lives below a cut;
  * all records of one RRset share the same TTL, and no RRset repeats a
    record (owner names come from a global counter, so they never collide);
  * generated hostnames are LDH-only so check-names stays silent.

Exactly N distinct owner names are produced after the fixed apex block
(apex, its name servers and mail hosts).  Empty non-terminals implied by
SRV and wildcard owners are not counted.  Output is deterministic for a
given --seed (and Python 3 version); default seed is 1.

--portable restricts the output to syntax every installed peer parses:
ldns 1.8.3 rejects class-before-TTL ("IN 3600 A") and validns 0.8 has no
CAA type, so TTL always precedes class and CAA is written as RFC 3597
"TYPE257 \\# len hex".  Without it, both orders and presentation CAA
(with some generic TYPE257 mixed in) are produced.
"""

import argparse
import random
import sys

# Word stems give the names a realistic shape and length; a numeric suffix
# taken from a global counter is what guarantees uniqueness.
STEMS = (
    "www", "mail", "web", "app", "api", "db", "vpn", "ftp", "cdn", "shop",
    "blog", "dev", "stage", "git", "smtp", "imap", "portal", "static", "img",
    "media", "login", "auth", "cloud", "office", "lb", "edge", "node", "srv",
    "host", "files", "backup", "monitor", "intranet", "docs", "status",
    "support", "crm", "erp", "wiki", "jira", "build", "cache", "proxy",
    "gw", "router", "printer", "cam", "sensor", "k8s", "worker",
)
# Labels used for $ORIGIN sub-sections; they carry no numeric suffix so
# they can never collide with a generated name.
SUB_ORIGINS = ("corp", "lab", "eu", "us", "apac", "internal", "partners")
SRV_SERVICES = (
    ("_sip._tcp", 5060), ("_sip._udp", 5060), ("_sips._tcp", 5061),
    ("_xmpp-server._tcp", 5269), ("_xmpp-client._tcp", 5222),
    ("_ldap._tcp", 389), ("_kerberos._udp", 88), ("_imaps._tcp", 993),
    ("_submission._tcp", 587), ("_caldavs._tcp", 443),
)
EXTERNAL_NS = (
    "ns1.provider.net.", "ns2.provider.net.", "a.dns-host.org.",
    "b.dns-host.org.", "ns-1234.awsdns-26.co.uk.", "ns-567.awsdns-07.net.",
)
EXTERNAL_MX = ("mx1.mailhost.net.", "mx2.mailhost.net.",
               "aspmx.l.google.com.", "alt1.aspmx.l.google.com.")
EXTERNAL_CNAME = ("shops.myshopify.com.", "ghs.googlehosted.com.",
                  "example.github.io.", "d111111abcdef8.cloudfront.net.",
                  "proxy-ssl.webflow.com.")
CAA_ISSUERS = ("letsencrypt.org", "digicert.com", "sectigo.com", "pki.goog")
TXT_WORDS = ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf",
             "hotel", "india", "juliet", "kilo", "lima", "mike", "november")
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
# Trailing comments sprinkled on records, as admins leave them.
COMMENTS = ("added by ops", "TODO: remove after migration", "ticket #4711",
            "managed by terraform", "legacy, do not touch", "temporary")
# TTLs a zone admin would actually pick.
TTLS = (60, 300, 600, 900, 1800, 3600, 7200, 14400, 86400)
DEFAULT_TTL = 3600

# How often each kind of owner-name group is produced.  Tuned so the
# average lands near 109 bytes and ~2.45 records per owner name.
KINDS = (
    ("host", 6), ("host6", 34), ("hosttxt", 14), ("mailhost", 11),
    ("txt", 5), ("cname", 9), ("srv", 5), ("caa", 5), ("deleg_in", 6),
    ("deleg_out", 3), ("wildcard", 3),
)

# Names below this many recent address hosts are eligible as CNAME/MX/SRV
# targets.  A bounded window keeps memory flat at 1M+ names.
TARGET_WINDOW = 4096


class Gen:
    def __init__(self, origin, seed, out, portable=False):
        self.portable = portable
        self.origin = origin if origin.endswith(".") else origin + "."
        self.rng = random.Random(seed)
        self.out = out
        self.buf = []
        self.counter = 0            # global suffix counter -> unique names
        self.sub = ""               # "" or "corp" etc. while in a sub-origin
        self.targets = []           # ring of zone-relative address hosts
        self.tpos = 0
        self.names = 0              # owner names produced in the body
        self.records = 0

    # -- output helpers ---------------------------------------------------

    def emit(self, line):
        self.buf.append(line)
        if len(self.buf) >= 8192:
            self.flush()

    def flush(self):
        if self.buf:
            self.out.write("\n".join(self.buf))
            self.out.write("\n")
            self.buf = []

    def fqdn(self, zrel):
        """Zone-relative name ('' = apex) -> absolute name."""
        return f"{zrel}.{self.origin}" if zrel else self.origin

    def owner_text(self, zrel):
        """Spell an owner relative to the current $ORIGIN, sometimes
        absolute, so parsers must handle both forms."""
        if self.rng.random() < 0.08:
            return self.fqdn(zrel)
        if self.sub:
            if zrel == self.sub:
                return "@"   # an empty owner would mean "previous owner"
            # zrel always ends in ".<sub>" while inside a sub-origin section
            return zrel[: -(len(self.sub) + 1)]
        return zrel

    def target_text(self, zrel):
        """Spell a domain-name rdata field: relative only when that is
        unambiguous under the current $ORIGIN, else absolute."""
        if not self.sub and self.rng.random() < 0.6:
            return zrel
        if self.sub and zrel.endswith("." + self.sub) and self.rng.random() < 0.6:
            return zrel[: -(len(self.sub) + 1)]
        return self.fqdn(zrel)

    def ttl_class(self, ttl):
        """TTL/class prefix for one record.  ttl=None means 'inherit $TTL'.
        Every record of an RRset is passed the same ttl, so RRset TTLs stay
        consistent whichever spelling is chosen."""
        r = self.rng.random()
        if ttl is None:
            return "IN " if r < 0.5 else ""
        if r < 0.45:
            return f"{ttl} IN "
        if r < 0.7:
            # RFC 1035 allows class before TTL; ldns 1.8.3 cannot read it.
            return f"{ttl} IN " if self.portable else f"IN {ttl} "
        return f"{ttl} "

    def rr(self, owner, ttl, rtype, rdata, comment=None):
        """owner=None writes a blank-owner continuation line."""
        head = owner if owner is not None else ""
        if comment is None and self.rng.random() < 0.04:
            comment = self.rng.choice(COMMENTS)
        line = f"{head}\t{self.ttl_class(ttl)}{rtype}\t{rdata}"
        if comment:
            line += f" ; {comment}"
        self.emit(line)
        self.records += 1

    def rrset(self, zrel, items):
        """Write records for one owner; later lines use a blank owner most
        of the time (continuation) and sometimes repeat it."""
        owner = self.owner_text(zrel)
        for i, (ttl, rtype, rdata) in enumerate(items):
            if i == 0:
                self.rr(owner, ttl, rtype, rdata)
            elif self.rng.random() < 0.8:
                self.rr(None, ttl, rtype, rdata)
            else:
                self.rr(owner, ttl, rtype, rdata)

    # -- random data ------------------------------------------------------

    def pick_ttl(self):
        # Most records inherit $TTL, as in real zones.
        return None if self.rng.random() < 0.6 else self.rng.choice(TTLS)

    def ipv4(self):
        r = self.rng
        return f"{r.randint(1, 223)}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"

    def ipv6(self):
        r = self.rng
        if r.random() < 0.85:
            return f"2001:db8:{r.randint(0, 0xffff):x}:{r.randint(0, 0xffff):x}::{r.randint(1, 0xffff):x}"
        # Occasionally the uncompressed form, which takes a different path
        # through most AAAA parsers.
        return ":".join(f"{r.randint(0, 0xffff):04x}" for _ in range(8))

    def new_name(self):
        self.counter += 1
        label = f"{self.rng.choice(STEMS)}-{self.counter}"
        return f"{label}.{self.sub}" if self.sub else label

    def add_target(self, zrel):
        if len(self.targets) < TARGET_WINDOW:
            self.targets.append(zrel)
        else:
            self.targets[self.tpos] = zrel
            self.tpos = (self.tpos + 1) % TARGET_WINDOW

    def pick_target(self):
        return self.rng.choice(self.targets)

    def txt_rdata(self):
        r = self.rng
        k = r.random()
        if k < 0.25:
            return f'"v=spf1 ip4:{self.ipv4()} include:_spf.{self.origin[:-1]} ~all"'
        if k < 0.40:
            # Semicolons inside quotes must not be taken as comments.
            return f'"v=DMARC1; p=quarantine; rua=mailto:dmarc@{self.origin[:-1]}"'
        if k < 0.65:
            w = r.sample(TXT_WORDS, 3)
            return f'"{w[0]} says \\"{w[1]} {w[2]}\\"" "second string" "3rd"'
        if k < 0.80:
            # DKIM-style long key split into <=255-octet strings.
            key = "".join(r.choice(B64) for _ in range(300))
            return f'"v=DKIM1; k=rsa; p={key[:200]}" "{key[200:]}"'
        return '"google-site-verification=' + "".join(r.choice(B64[:62]) for _ in range(43)) + '"'

    # -- owner-name groups; each returns the number of owner names made ---

    def g_host(self, want_v6):
        n = self.new_name()
        ttl = self.pick_ttl()
        items = [(ttl, "A", self.ipv4())]
        if self.rng.random() < 0.4:
            a2 = self.ipv4()
            if a2 != items[0][2]:      # identical RRs would be a duplicate
                items.append((ttl, "A", a2))
        if want_v6:
            ttl6 = self.pick_ttl()
            items.append((ttl6, "AAAA", self.ipv6()))
            if self.rng.random() < 0.3:
                b = self.ipv6()
                if b != items[-1][2]:
                    items.append((ttl6, "AAAA", b))
        self.rrset(n, items)
        self.add_target(n)
        return 1

    def g_hosttxt(self):
        n = self.new_name()
        ttl = self.pick_ttl()
        self.rrset(n, [(ttl, "A", self.ipv4()), (ttl, "AAAA", self.ipv6()),
                       (self.pick_ttl(), "TXT", self.txt_rdata())])
        self.add_target(n)
        return 1

    def g_mailhost(self):
        n = self.new_name()
        items = [(self.pick_ttl(), "A", self.ipv4())]
        mttl = self.pick_ttl()
        items.append((mttl, "MX", f"10 {self.target_text(n)}"))
        if self.rng.random() < 0.5:
            items.append((mttl, "MX", f"20 {self.target_text(self.pick_target())}"))
        else:
            items.append((mttl, "MX", f"30 {self.rng.choice(EXTERNAL_MX)}"))
        items.append((self.pick_ttl(), "TXT", f'"v=spf1 mx a:{self.fqdn(n)[:-1]} -all"'))
        self.rrset(n, items)
        self.add_target(n)
        return 1

    def g_txt(self):
        n = self.new_name()
        ttl = self.pick_ttl()
        items = [(ttl, "TXT", self.txt_rdata())]
        if self.rng.random() < 0.4:
            t2 = self.txt_rdata()
            if t2 != items[0][2]:      # fixed-text variants can repeat
                items.append((ttl, "TXT", t2))
        self.rrset(n, items)
        return 1

    def g_cname(self):
        n = self.new_name()
        if self.rng.random() < 0.85:
            t = self.target_text(self.pick_target())
        else:
            t = self.rng.choice(EXTERNAL_CNAME)
        self.rrset(n, [(self.pick_ttl(), "CNAME", t)])
        return 1

    def g_srv(self):
        svc, port = self.rng.choice(SRV_SERVICES)
        base = self.new_name()
        n = f"{svc}.{base}"
        ttl = self.pick_ttl()
        t1 = self.pick_target()
        items = [(ttl, "SRV", f"10 60 {port} {self.target_text(t1)}")]
        if self.rng.random() < 0.6:
            t2 = self.pick_target()
            if t2 != t1:
                items.append((ttl, "SRV", f"20 40 {port} {self.target_text(t2)}"))
        self.rrset(n, items)
        return 1

    def caa(self, flags, tag, value):
        """CAA in presentation form, or as RFC 3597 generic data.  validns
        0.8 has no CAA support but does parse TYPE257 generic records, and
        older real zones carry CAA that way too."""
        if not self.portable and self.rng.random() < 0.8:
            return "CAA", f'{flags} {tag} "{value}"'
        wire = bytes((flags, len(tag))) + tag.encode() + value.encode()
        return "TYPE257", f"\\# {len(wire)} {wire.hex()}"

    def g_caa(self):
        n = self.new_name()
        ttl = self.pick_ttl()
        iss = self.rng.sample(CAA_ISSUERS, 2)
        self.rrset(n, [(self.pick_ttl(), "A", self.ipv4())] + [
            (ttl, *self.caa(0, tag, val)) for tag, val in (
                ("issue", iss[0]), ("issuewild", iss[1]),
                ("iodef", f"mailto:security@{self.origin[:-1]}"))])
        self.add_target(n)
        return 1

    def g_deleg_in(self):
        """Delegation to in-bailiwick servers: NS at the cut, glue below it.
        Sometimes one NS is a sibling host elsewhere in the zone."""
        cut = self.new_name()
        ns1, ns2 = f"ns1.{cut}", f"ns2.{cut}"
        ttl = self.rng.choice((None, 86400, 172800))
        items = [(ttl, "NS", self.target_text(ns1)), (ttl, "NS", self.target_text(ns2))]
        if self.rng.random() < 0.3:
            items.append((ttl, "NS", self.target_text(self.pick_target())))
        self.emit(f"; delegation {self.fqdn(cut)}")
        self.rrset(cut, items)
        self.rrset(ns1, [(ttl, "A", self.ipv4()), (ttl, "AAAA", self.ipv6())])
        self.rrset(ns2, [(ttl, "A", self.ipv4())])
        return 3

    def g_deleg_out(self):
        cut = self.new_name()
        ttl = self.rng.choice((None, 86400))
        a, b = self.rng.sample(EXTERNAL_NS, 2)
        self.rrset(cut, [(ttl, "NS", a), (ttl, "NS", b)])
        return 1

    def g_wildcard(self):
        base = self.new_name()
        w = f"*.{base}"
        ttl = self.pick_ttl()
        items = [(ttl, "A", self.ipv4())]
        if self.rng.random() < 0.5:
            items.append((self.pick_ttl(), "AAAA", self.ipv6()))
        self.rrset(w, items)
        return 1

    # -- zone structure ---------------------------------------------------

    def apex(self):
        o = self.origin
        self.emit(f"; Synthetic benchmark zone for {o} (gen-zone.py, seed-deterministic)")
        self.emit(f"$TTL {DEFAULT_TTL}\t; default TTL for records without one")
        self.emit(f"$ORIGIN {o}")
        self.emit("@\tIN\tSOA\tns1 hostmaster (")
        self.emit("\t\t2024060101\t; serial")
        self.emit("\t\t7200\t\t; refresh (2 hours)")
        self.emit("\t\t3600\t\t; retry (1 hour)")
        self.emit("\t\t1209600\t\t; expire (2 weeks)")
        self.emit("\t\t300 )\t\t; negative-caching TTL")
        self.records += 1
        self.emit("")
        for line in (
            ("\tIN\tNS\tns1", 1), (f"\tIN\tNS\tns2.{o}", 1),
            ("\tIN\tNS\tns3.provider.net.", 1),
            ("\tIN\tMX\t10 mail", 1), ("\tIN\tMX\t20 mail2", 1),
            (f'\tIN\tTXT\t"v=spf1 mx include:_spf.{o[:-1]} -all"', 1),
            ("\tIN\t%s\t%s" % self.caa(0, "issue", "letsencrypt.org"), 1),
            ("\tIN\t%s\t%s" % self.caa(0, "iodef", f"mailto:security@{o[:-1]}"), 1),
        ):
            self.emit(line[0])
            self.records += line[1]
        self.emit("")
        self.emit("; apex name servers and mail exchangers (in-zone, need addresses)")
        for host in ("ns1", "ns2", "mail", "mail2"):
            self.rrset(host, [(None, "A", self.ipv4()), (None, "AAAA", self.ipv6())])
            self.add_target(host)
        self.emit("")

    def body(self, n_names):
        kinds = [k for k, _ in KINDS]
        weights = [w for _, w in KINDS]
        # Put a few $ORIGIN sub-sections at fixed fractions of the body.
        n_sub = min(len(SUB_ORIGINS), max(1, n_names // 20000))
        sub_at = {int(n_names * (i + 1) / (n_sub + 1)): SUB_ORIGINS[i] for i in range(n_sub)}
        sub_len = max(10, n_names // 50 // n_sub)
        sub_end = None
        done = 0
        while done < n_names:
            if sub_end is None:
                hit = [p for p in sub_at if p <= done]
                if hit:
                    label = sub_at.pop(min(hit))
                    self.sub = label
                    self.emit("")
                    self.emit(f"; ---- section under {label}.{self.origin} ----")
                    self.emit(f"$ORIGIN {label}.{self.origin}")
                    sub_end = done + sub_len
                    # The sub-origin name itself gets data, so it is not
                    # just an empty non-terminal.
                    ttl = self.pick_ttl()
                    self.rrset(label, [(ttl, "A", self.ipv4()),
                                       (self.pick_ttl(), "TXT", f'"{label} department"')])
                    self.add_target(label)
                    done += 1
                    continue
            elif done >= sub_end:
                self.sub = ""
                self.emit(f"$ORIGIN {self.origin}")
                self.emit("; ---- back at the zone origin ----")
                self.emit("")
                sub_end = None
            kind = self.rng.choices(kinds, weights)[0]
            if kind == "deleg_in" and n_names - done < 3:
                kind = "host"
            if kind == "host":
                made = self.g_host(False)
            elif kind == "host6":
                made = self.g_host(True)
            else:
                made = getattr(self, "g_" + kind)()
            done += made
        if self.sub:
            self.sub = ""
            self.emit(f"$ORIGIN {self.origin}")
        self.names = done


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--names", type=int, required=True, help="owner names to generate")
    ap.add_argument("--origin", default="example.com.")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--portable", action="store_true",
                    help="only syntax every installed peer parses: TTL before "
                         "class (ldns 1.8.3 rejects 'IN 3600 A') and CAA as "
                         "RFC 3597 TYPE257 (validns 0.8 lacks CAA)")
    ap.add_argument("--stats", action="store_true",
                    help="print name/record counts to stderr")
    a = ap.parse_args()
    if a.names < 1:
        ap.error("--names must be >= 1")
    out = sys.stdout
    g = Gen(a.origin, a.seed, out, a.portable)
    g.apex()
    g.body(a.names)
    g.flush()
    out.flush()
    if a.stats:
        print(f"names={g.names} records={g.records}", file=sys.stderr)


if __name__ == "__main__":
    main()
