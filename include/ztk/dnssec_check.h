/*
 * ztk/dnssec_check.h - check a signed zone: signature coverage and
 * validity, the signatures themselves, the NSEC or NSEC3 chain.
 *
 * The same code checks ztk-sign's output before it is written and a zone
 * handed to ztk-lint.  Problems become findings with these check ids:
 *   dnssec-unsigned          RRset without a valid signature by some
 *                            algorithm of the DNSKEY RRset (RFC 6840 5.11)
 *   dnssec-expired           signature past its expiration at now
 *   dnssec-not-yet-valid     signature before its inception at now
 *   dnssec-expiring          signature expiring within expire_warn
 *   dnssec-bad-signature     signature that does not verify
 *   dnssec-dnskey-not-ksk    DNSKEY RRset not signed by a SEP key
 *   dnssec-signed-glue       RRSIG on glue or on a delegation's NS
 *   dnssec-nsec-chain        NSEC missing, or next name wrong
 *   dnssec-nsec-bitmap       NSEC bitmap differs from the name's types
 *   dnssec-nsec3-chain       NSEC3 missing, out of order, or next wrong
 *   dnssec-nsec3-bitmap      NSEC3 bitmap differs from the name's types
 *   dnssec-nsec3-param       NSEC3 parameters differ from NSEC3PARAM
 *   dnssec-no-dnskey         the zone has RRSIGs but no DNSKEY RRset
 *   dnssec-zonemd            ZONEMD does not match the zone (RFC 8976)
 *   dnssec-timing            signature validity shorter than SOA expire
 *                            plus the longest TTL (RFC 6781 4.4.2)
 */
#ifndef ZTK_DNSSEC_CHECK_H
#define ZTK_DNSSEC_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include <ztk/findings.h>
#include <ztk/sign.h>
#include <ztk/visibility.h>
#include <ztk/zone.h>

struct ztk_dnssec_check_opts {
	int64_t now;
	enum ztk_verify_mode verify;    /* NONE: structure and times only */
	unsigned sample_permille;       /* for SAMPLE; 0 = 10 */
	int64_t expire_warn;            /* seconds; 0 = 7 days; <0 none */
	unsigned max_findings;          /* per check id; 0 = 100 */
	/* The zone holds only part of a signed zone (the nodes an
	 * incremental ztk_sign_zone made again; the rest was copied from a
	 * checked output): judge the signatures and glue of what is there,
	 * leave out what needs the whole zone (the NSEC/NSEC3 chain, ZONEMD). */
	bool partial;
	/* Report a check id only if this says yes (NULL: all). */
	bool (*enabled)(void *ctx, const char *id);
	void *ctx;
};

/* Check ids in the order above (for ztk-lint's table). */
ZTK_API size_t ztk_dnssec_check_ids(const char *const **ids);

/*
 * Check z (finished); findings are added to f.  Returns 0 (whatever was
 * found: see f), or ZTK_ENOMEM.  A zone without any DNSSEC record yields
 * nothing.
 */
ZTK_API int ztk_dnssec_check(const struct ztk_zone *z,
	const struct ztk_dnssec_check_opts *o, struct ztk_findings *f);

#endif /* ZTK_DNSSEC_CHECK_H */
