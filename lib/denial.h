/*
 * denial.h - proofs of non-existence from NSEC and NSEC3 records (RFC 4035
 * 5.4, RFC 5155 8, RFC 7129), as a validator reads them from an answer's
 * authority section.  Not installed: ztk_chain_walk() uses it.
 *
 * The records handed in must already have had their signatures verified;
 * this only reasons about what they say.  Every function fills why with a
 * one-line reason when the proof fails.
 */
#ifndef ZTK_DENIAL_H
#define ZTK_DENIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <ztk/scanner.h>

struct denial {
	const uint8_t *zone;            /* the signing zone (lowercase) */
	const struct ztk_rr *const *rr; /* its NSEC or NSEC3 records */
	size_t n;
};

/* True if the type bitmap (RFC 4034 4.1.2) holds type. */
bool bitmap_has(const uint8_t *bm, size_t len, uint16_t type);

/* qname exists but has no qtype (nor CNAME), directly or through a
 * wildcard (RFC 4035 3.1.3.4 / RFC 5155 7.2.5). */
bool denial_nodata(const struct denial *d, const uint8_t *qname,
	uint16_t qtype, char *why, size_t whylen);

/* qname does not exist and no wildcard could have made it (RFC 4035
 * 3.1.3.2 / RFC 5155 7.2.2). */
bool denial_nxdomain(const struct denial *d, const uint8_t *qname,
	char *why, size_t whylen);

/* A wildcard expanded to qname from a signature with sig_labels labels:
 * the next closer name must not exist (RFC 4035 5.3.4, RFC 5155 8.8). */
bool denial_wildcard(const struct denial *d, const uint8_t *qname,
	unsigned sig_labels, char *why, size_t whylen);

enum denial_ds {
	DENIAL_DS_NONE = 0,     /* proven: a delegation without DS */
	DENIAL_DS_OPTOUT,       /* an opt-out span covers it (RFC 5155 6) */
	DENIAL_DS_UNPROVEN,
};

/* The parent proves child has no DS (RFC 4035 5.2, RFC 5155 8.9/8.6). */
enum denial_ds denial_no_ds(const struct denial *d, const uint8_t *child,
	char *why, size_t whylen);

#endif
