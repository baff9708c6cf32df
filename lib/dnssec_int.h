/*
 * dnssec_int.h - the pieces signing and validation share (not installed):
 * canonical RRsets (RFC 4034 6), RRSIG RDATA, type bitmaps, NSEC3 hashes.
 */
#ifndef ZTK_DNSSEC_INT_H
#define ZTK_DNSSEC_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ztk/rrtype.h>

/* A growable byte buffer (per thread scratch). */
struct gbuf {
	uint8_t *p;
	size_t len, cap;
};
int gbuf_put(struct gbuf *b, const void *p, size_t n);
void gbuf_free(struct gbuf *b);

struct rdref {
	const uint8_t *rd;
	uint16_t len;
	uint32_t ttl;           /* carried along by sorting (ZONEMD needs each
				 * RR's own TTL); unused elsewhere */
};

/*
 * Canonical RDATA set of an RRset: names lowercased where RFC 4034 6.2
 * says, sorted as octet strings, duplicates dropped.  The canonical copies
 * go to scratch (reset here); rds[] is rewritten to point into it and *n
 * shrinks by the duplicates.  0 or ZTK_ENOMEM.
 */
int canon_rdataset(uint16_t type, struct rdref *rds, size_t *n,
	struct gbuf *scratch);

/* Length of the RRSIG RDATA before the signer name. */
#define RRSIG_FIXED 18

/* RRSIG RDATA up to and including the signer name; returns its length. */
size_t rrsig_prefix(uint8_t *out, uint16_t covered, uint8_t alg,
	uint8_t labels, uint32_t orig_ttl, uint32_t expire, uint32_t incept,
	uint16_t keytag, const uint8_t *signer_lc);

/*
 * The octets an RRSIG signs (RFC 4034 3.1.8.1): the RRSIG RDATA prefix,
 * then every RR of the canonical set as owner (lowercase) | type | class |
 * original TTL | RDLENGTH | RDATA.  Appends to out (reset first).
 */
int signed_data(struct gbuf *out, const uint8_t *prefix, size_t plen,
	const uint8_t *owner_lc, size_t olen, uint16_t type, uint16_t rclass,
	uint32_t orig_ttl, const struct rdref *rds, size_t n);

/* RRSIG labels field: labels of owner, not counting root or a leading
 * "*" (RFC 4034 3.1.3). */
uint8_t rrsig_labels(const uint8_t *owner);

/* Is type one the parent holds at a delegation point, so that its bit
 * belongs in the NSEC/NSEC3 bitmap there?  NS, DS and the parent's own
 * NSEC and RRSIG; anything else at the cut (an address, a TXT) is the
 * child's data (RFC 4035 2.3). */
static inline bool type_at_cut(uint16_t t)
{
	return t == ZTK_TYPE_NS || t == ZTK_TYPE_DS || t == ZTK_TYPE_RRSIG ||
		t == ZTK_TYPE_NSEC;
}

/* Type bitmap (RFC 4034 4.1.2) of sorted, unique types; returns length
 * written to out (at most 32 windows * 34 octets). */
size_t type_bitmap(const uint16_t *types, size_t n, uint8_t *out);

/* NSEC3 hash (RFC 5155 5) of a lowercase wire name: 20 octets.  Cheap
 * enough to call per name on a million-name zone (see dnssec_sig.c). */
void nsec3_hash(const uint8_t *name_lc, size_t len, const uint8_t *salt,
	size_t saltlen, uint16_t iterations, uint8_t out[20]);

/*
 * Sort n elements of size octets, each holding a 20-octet hash at offset
 * off, by that hash (memcmp order; equal hashes keep their order).  NSEC3
 * hashes are uniform, so a counting sort on the first two octets leaves
 * buckets of one or two, where qsort's compares cost five times as much
 * on a large zone.  size is at most 256.  Returns 0, ZTK_EINVAL (size) or
 * ZTK_ENOMEM; on an error the array is untouched.
 */
int hash20_sort(void *base, size_t n, size_t size, size_t off);

/* Base32hex (RFC 4648 7), lowercase, no padding, of 20 octets: 32 chars. */
void b32hex20(const uint8_t in[20], char out[33]);

/* FNV-1a over p, continuing from h (0 starts afresh): a cheap, stable
 * spread for expiry jitter and verification samples. */
static inline uint64_t fnv1a(uint64_t h, const uint8_t *p, size_t n)
{
	if (h == 0)
		h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 1099511628211ull;
	}
	return h;
}

/* splitmix64's finaliser: every bit of x spread over the result.  A
 * per-run sample keyed by a random seed and a position costs this, not a
 * pass over a name. */
static inline uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* An RRSIG timestamp (RFC 4034 3.1.5: serial arithmetic, RFC 1982) as
 * Unix seconds, read in the 68-year window around now. */
static inline int64_t rrsig_time(uint32_t t, int64_t now)
{
	return now + (int32_t)(t - (uint32_t)now);
}

/* "2026-11-28T12:00:00Z" */
void fmt_utc(int64_t t, char *buf, size_t len);


/*
 * Verify the RRSIGs over one RRset (RFC 4035 5.3): owner (any case) and
 * type, its RDATA (rds, not changed), the RRSIG RDATA found beside it,
 * the zone whose keys may sign it (signer), candidate keys (DNSKEY
 * RDATA) and the time.  Signatures of other signers, outside their
 * validity at now, or by keys not given are passed over.  key_ok[i]
 * (nkeys entries) tells which keys made a signature that verifies.
 * Returns how many keys did (0: why says what was wrong with the best
 * candidate, one line), or ZTK_ENOMEM.
 */
struct rrset_verify_in {
	const uint8_t *owner, *signer;
	uint16_t type;
	const struct rdref *rds, *sigs, *keys;
	size_t n, nsigs, nkeys;
	int64_t now;
};
int rrset_verify(const struct rrset_verify_in *in, bool *key_ok,
	char *why, size_t whylen);

#endif
