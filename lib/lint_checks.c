/*
 * lint_checks.c - the table of every lint check.  Ids are stable: tools,
 * CI configurations and SARIF consumers refer to them.  The man page
 * ztk-lint(1) documents each with an example (tests/bats checks that).
 */
#include <string.h>
#include <ztk/lint.h>
#include "util.h"

#define E ZTK_SEV_ERROR
#define W ZTK_SEV_WARNING
#define I ZTK_SEV_INFO

static const struct ztk_check_info checks[] = {
	/* raised while reading */
	{ "syntax", E, "the file cannot be read as a zone file", "RFC 1035 5" },
	{ "io", E, "a file cannot be opened or read", NULL },
	{ "txt-string-too-long", E, "a character-string over 255 octets",
		"RFC 1035 3.3" },
	{ "ttl-missing", W, "record without TTL and no $TTL: servers pick "
		"different TTLs", "RFC 2308 4" },
	{ "ttl-too-large", W, "TTL above 2^31-1: servers disagree on its "
		"meaning", "RFC 2181 8" },
	{ "port-generate", I, "$GENERATE is not understood by every server",
		NULL },
	{ "port-include-path", I, "relative $INCLUDE paths are resolved "
		"differently by different servers", "RFC 1035 5.1" },
	/* zone structure */
	{ "out-of-zone", E, "record owner is not at or below the origin",
		"RFC 1034 4.2" },
	{ "soa-missing", E, "no SOA record at the apex", "RFC 1035 5.2" },
	{ "soa-multiple", E, "more than one SOA record", "RFC 1035 5.2" },
	{ "soa-not-apex", E, "SOA record below the apex", "RFC 1035 5.2" },
	{ "soa-timers", W, "SOA timers outside the recommended ranges",
		"RFC 1912 2.2" },
	{ "ns-apex-missing", E, "no NS records at the apex", "RFC 1034 4.2.1" },
	{ "class-mismatch", E, "record class differs from the zone's",
		"RFC 1035 5.2" },
	{ "cname-and-other", E, "CNAME together with other data at a name",
		"RFC 2181 10.1" },
	{ "cname-apex", E, "CNAME at the zone apex", "RFC 2181 10.1" },
	{ "cname-multiple", E, "more than one CNAME at a name",
		"RFC 2181 10.1" },
	{ "cname-loop", E, "CNAME chain inside the zone loops",
		"RFC 1034 3.6.2" },
	{ "dname-descendants", E, "names below a DNAME (occluded data)",
		"RFC 6672 2.4" },
	{ "target-cname", E, "NS, MX or SRV target is an alias (CNAME)",
		"RFC 2181 10.3" },
	{ "target-no-address", E, "in-zone NS, MX or SRV target has no A or "
		"AAAA", "RFC 1034 4.2.2" },
	{ "glue-missing", E, "in-bailiwick delegation without glue address",
		"RFC 9471 2" },
	{ "occluded-data", W, "data below a delegation that no resolver will "
		"see", "RFC 1034 4.2.1" },
	{ "ttl-mismatch", W, "TTLs differ inside an RRset", "RFC 2181 5.2" },
	{ "duplicate-rr", W, "the same record twice", "RFC 2181 5" },
	{ "duplicate-case", W, "records equal except for letter case",
		"RFC 4343" },
	{ "wildcard-ns-ds", E, "wildcard owning NS or DS", "RFC 4592 4.2" },
	{ "ds-apex", E, "DS at the zone apex (it belongs in the parent)",
		"RFC 4035 2.4" },
	{ "ds-without-ns", E, "DS at a name that is not a delegation",
		"RFC 4035 2.4" },
	{ "nsec3param-iterations", W, "NSEC3 iterations above 0",
		"RFC 9276 3.1" },
	{ "nsec3param-salt", W, "NSEC3 salt is not empty", "RFC 9276 3.1" },
	{ "obsolete-type", I, "record type that is obsolete or deprecated",
		NULL },
	{ "port-generic-known", I, "RFC 3597 form used for a type with a "
		"presentation format", "RFC 3597 5" },
	/* DNSSEC state (lib/dnssec_check.c; same code as ztk-sign's check) */
	{ "dnssec-unsigned", E, "RRset without a valid signature by some "
		"algorithm of the DNSKEY RRset", "RFC 6840 5.11" },
	{ "dnssec-expired", E, "signature past its expiration", "RFC 4035 5.3.1" },
	{ "dnssec-not-yet-valid", E, "signature before its inception",
		"RFC 4035 5.3.1" },
	{ "dnssec-expiring", W, "signatures expiring within --expire-warn",
		NULL },
	{ "dnssec-bad-signature", E, "signature that does not verify",
		"RFC 4035 5.3.3" },
	{ "dnssec-dnskey-not-ksk", E, "DNSKEY RRset not signed by a key with "
		"the SEP flag", "RFC 6781 3.1" },
	{ "dnssec-signed-glue", E, "RRSIG over glue or a delegation's NS",
		"RFC 4035 2.2" },
	{ "dnssec-nsec-chain", E, "NSEC missing or pointing to the wrong name",
		"RFC 4034 4.1.1" },
	{ "dnssec-nsec-bitmap", E, "NSEC type bitmap differs from the types "
		"at the name", "RFC 4034 4.1.2" },
	{ "dnssec-nsec3-chain", E, "NSEC3 missing, or next hashed name wrong",
		"RFC 5155 7.1" },
	{ "dnssec-nsec3-bitmap", E, "NSEC3 type bitmap differs from the types "
		"at the name", "RFC 5155 3.2.1" },
	{ "dnssec-nsec3-param", E, "NSEC3 parameters differ from NSEC3PARAM",
		"RFC 5155 4" },
	{ "dnssec-no-dnskey", E, "signatures but no DNSKEY RRset at the apex",
		"RFC 4035 2.1" },
	{ "dnssec-zonemd", E, "ZONEMD does not match the zone", "RFC 8976 4" },
	{ "dnssec-timing", W, "signature validity shorter than SOA expire plus "
		"the longest TTL", "RFC 6781 4.4.2" },
};

size_t
ztk_lint_checks(const struct ztk_check_info **table_out)
{
	*table_out = checks;
	return ZTK_ARRAY_LEN(checks);
}

int
ztk_lint_check_index(const char *id)
{
	for (size_t i = 0; i < ZTK_ARRAY_LEN(checks); i++)
		if (strcmp(checks[i].id, id) == 0)
			return (int)i;
	return -1;
}

bool
ztk_lint_enabled(const struct ztk_lint_opts *o, const char *id)
{
	int i = ztk_lint_check_index(id);
	return o == NULL || i < 0 || !o->disabled[i];
}

_Static_assert(ZTK_ARRAY_LEN(checks) <= ZTK_LINT_MAX_CHECKS,
	"raise ZTK_LINT_MAX_CHECKS");
