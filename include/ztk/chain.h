/*
 * ztk/chain.h - the chain of trust, one zone at a time: does a trusted DS
 * or DNSKEY set (a trust anchor, or the parent's DS RRset) lead to the
 * zone's keys, and does the zone then validate (RFC 4035 5)?
 *
 * This half works on zones in memory (zone files, for CI);
 * ztk/chain_walk.h fetches the same data live and judges it with these
 * same functions.
 */
#ifndef ZTK_CHAIN_H
#define ZTK_CHAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ztk/dname.h>
#include <ztk/findings.h>
#include <ztk/visibility.h>
#include <ztk/zone.h>

enum ztk_verdict {
	ZTK_SECURE = 0,
	ZTK_INSECURE,           /* proven unsigned: no DS at a secure parent */
	ZTK_BOGUS,              /* should validate and does not */
	ZTK_INDETERMINATE,      /* no trust anchor covers it, or no data */
};

/* "secure", "insecure", "bogus", "indeterminate". */
ZTK_API const char *ztk_verdict_name(enum ztk_verdict v);

/* A trusted record: DS or DNSKEY RDATA for an owner. */
struct ztk_trust {
	uint8_t owner[ZTK_DNAME_MAX];
	uint16_t type;          /* 43 DS or 48 DNSKEY */
	uint16_t len;
	uint8_t rdata[1100];
};

/*
 * Read trust anchors: DS or DNSKEY records in zone file syntax (TTL and
 * class optional, like /usr/share/dns/root.key and root.ds), or a BIND
 * trust-anchors { NAME static-key|initial-key|static-ds|initial-ds ... };
 * block.  *out is malloc'd (free()).  A one-line reason with file:line on
 * failure.
 */
ZTK_API int ztk_trust_load(const char *path, struct ztk_trust **out,
	size_t *n, char *why, size_t whylen);

struct ztk_chain_level {
	char zone[ZTK_DNAME_TEXT_MAX];
	enum ztk_verdict verdict;
	char reason[600];               /* why it is not secure; "" if it is */
	char hint[300];                 /* what to do about it */
	uint16_t matched[16];           /* key tags the trusted set leads to */
	size_t nmatched;
	uint16_t published[32];         /* SEP key tags in the DNSKEY RRset */
	size_t npublished;
	int64_t earliest_expiry;        /* of the zone's signatures; 0 none */
	size_t errors, warnings;        /* DNSSEC findings inside the zone */
	bool sha1_only;                 /* every matching DS uses SHA-1 */
	bool ksk_without_ds;            /* a published SEP key has no DS */
};

struct ztk_chain_opts {
	int64_t now;
	int64_t expire_warn;            /* 0: 7 days */
	/* Also check every signature and the whole denial chain of the zone
	 * (CI with zone files); otherwise only the link: trusted set ->
	 * DNSKEY RRset -> its self-signature. */
	bool whole_zone;
};

/*
 * Judge zone z (finished) given the trusted set for its apex (DS records
 * from the parent or an anchor, or DNSKEY anchors; those for other owners
 * are ignored).  ntrusted == 0 means the parent proved there is no DS:
 * the zone is insecure.  With o->whole_zone, findings about the zone's
 * own signatures and denial chain go to f (may be NULL) and any error
 * makes the zone bogus.  0, or ZTK_ENOMEM.
 */
ZTK_API int ztk_chain_zone(const struct ztk_zone *z,
	const struct ztk_trust *trusted, size_t ntrusted,
	const struct ztk_chain_opts *o, struct ztk_chain_level *out,
	struct ztk_findings *f);

/*
 * The answer: is the RRset (name, type) of zone z signed by one of the
 * zone's DNSKEYs with a signature valid at o->now (RFC 4035 5.3)?  Call it
 * once ztk_chain_zone has found the zone's keys secure.  ZTK_SECURE, or
 * ZTK_BOGUS with the reason in why; ZTK_INDETERMINATE when the RRset is
 * not in the zone (the denial chain is then judged by a whole-zone run).
 */
ZTK_API enum ztk_verdict ztk_chain_rrset(const struct ztk_zone *z,
	const uint8_t *name, uint16_t type, const struct ztk_chain_opts *o,
	char *why, size_t whylen);

/*
 * The DS records a parent zone holds for child (appended to out as
 * ztk_trust, up to max); returns how many, and sets *delegated when the
 * parent delegates child at all.
 */
ZTK_API size_t ztk_chain_ds_of(const struct ztk_zone *parent,
	const uint8_t *child, struct ztk_trust *out, size_t max,
	bool *delegated);

#endif /* ZTK_CHAIN_H */
