/*
 * ztk/dscheck.h - is it safe for the parent to replace a child's DS RRset?
 *
 * The parent side of RFC 7344 (CDS, CDNSKEY) and RFC 8078 (their delete
 * form): given the parent's current DS RRset and the child's apex DNSKEY,
 * CDS and CDNSKEY RRsets, decide whether the DS RRset the child asks for
 * keeps the delegation secure.  Pure functions over wire-form RDATA: no
 * I/O, no clock, no key material beyond public keys.
 *
 * What is checked (each outcome is an item of the report, with a stable id;
 * `man ztk-ds` describes every id):
 *
 *  - the proposal: the CDS RRset if there is one, else DS made from the
 *    CDNSKEY RRset with the digest types of the options, else DS made from
 *    the caller's keys or the child's own SEP keys (what `ztk-ds` would
 *    print);
 *  - an RFC 8078 delete record asks for an insecure delegation (verdict
 *    INSECURE); mixed with other records it is contradictory (UNSAFE);
 *  - which published DNSKEY each proposed DS matches (digest recomputed),
 *    and whether that key has the SEP bit and is not revoked (RFC 5011);
 *  - every algorithm of the child's (non-revoked) zone keys keeps a DS, and
 *    every algorithm in the proposal has a published key (RFC 4035 2.2,
 *    RFC 6840 5.11);
 *  - every digest type in the proposal covers the same keys (a validator
 *    may ignore all but its favourite digest type, RFC 4509 3);
 *  - at least one proposed DS matches a published SEP key;
 *  - at least one current DS matches a published key, so the child's CDS
 *    could be authenticated through the current chain (RFC 7344 4.1); no
 *    current DS at all is an initial DS, which needs out-of-band checks
 *    (RFC 8078 3);
 *  - SHA-1 digests (RFC 8624 3.3) and algorithms RFC 8624 3.1 forbids.
 *
 * Signatures, when the caller sets `verify` and hands over the RRSIGs of
 * the child's apex (RFC 7344 4.1, as dnssec-cds(1) does):
 *  - a key the current DS RRset points to signs the DNSKEY RRset (else the
 *    chain is broken today and nothing the child says can be trusted);
 *  - the CDS (or CDNSKEY) RRset the proposal comes from is signed by a key
 *    the current DS RRset points to;
 *  - for every algorithm of the proposal, a key a proposed DS points to
 *    signs the DNSKEY RRset, so validators that follow the new DS succeed.
 * Without `verify`, report->signatures_verified is false and a SAFE
 * verdict means "safe if the signatures are good".
 */
#ifndef ZTK_DSCHECK_H
#define ZTK_DSCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ztk/visibility.h>

/* One RDATA in wire form, borrowed from the caller (or, in a report,
 * owned by the report). */
struct ztk_rdata_ref {
	const uint8_t *data;
	uint16_t len;
};

struct ztk_dscheck_input {
	/* Apex of the child zone, wire form (any case). */
	const uint8_t *owner;
	/* The child's DNSKEY RRset as published; CDS and CDNSKEY RRsets
	 * (either may be empty); the parent's current DS RRset (may be
	 * empty: an insecure delegation). */
	const struct ztk_rdata_ref *dnskey;
	size_t n_dnskey;
	const struct ztk_rdata_ref *cds;
	size_t n_cds;
	const struct ztk_rdata_ref *cdnskey;
	size_t n_cdnskey;
	const struct ztk_rdata_ref *ds;
	size_t n_ds;
	/* Keys to make the proposal from when there is neither a CDS nor a
	 * CDNSKEY RRset (a key store's KSKs, published or about to be);
	 * none: the SEP keys of the DNSKEY RRset.  Revoked keys and keys
	 * without the zone bit are left out either way. */
	const struct ztk_rdata_ref *keys;
	size_t n_keys;
	/* The RRSIG RDATA at the child's apex (those over DNSKEY, CDS and
	 * CDNSKEY are used, the rest ignored), checked at time now when
	 * verify is set. */
	const struct ztk_rdata_ref *rrsig;
	size_t n_rrsig;
	bool verify;
	int64_t now;
};

struct ztk_dscheck_opts {
	/* Digest types used to turn CDNSKEY records (or SEP keys) into DS
	 * records, like dnssec-cds -a; none: SHA-256 only. */
	const uint8_t *digests;
	size_t n_digests;
	/* Take the CDNSKEY RRset even when there is a CDS RRset
	 * (dnssec-cds -D). */
	bool prefer_cdnskey;
};

enum ztk_dscheck_level {
	ZTK_DSC_OK = 0,         /* a condition that holds */
	ZTK_DSC_NOTE,           /* information: what was compared, changes */
	ZTK_DSC_WARNING,        /* odd but not breaking */
	ZTK_DSC_UNSAFE,         /* the replacement could break the chain */
};

enum ztk_dscheck_verdict {
	ZTK_DSC_SAFE = 0,       /* no UNSAFE item (signatures not verified) */
	ZTK_DSC_BREAKS,         /* at least one UNSAFE item */
	ZTK_DSC_INSECURE,       /* an RFC 8078 delete: the zone goes insecure */
};

enum ztk_dscheck_source {
	ZTK_DSC_FROM_CDS = 0,
	ZTK_DSC_FROM_CDNSKEY,
	ZTK_DSC_FROM_DNSKEY,    /* no CDS/CDNSKEY: DS made from SEP keys */
};

struct ztk_dscheck_item {
	enum ztk_dscheck_level level;
	const char *id;         /* stable id, e.g. "alg-uncovered" (static) */
	int keytag;             /* the key or DS concerned, -1 if none */
	int alg;                /* its algorithm, -1 if none */
	char message[256];      /* one line, no trailing period */
};

struct ztk_dscheck_report {
	enum ztk_dscheck_verdict verdict;
	enum ztk_dscheck_source source;
	bool signatures_verified;       /* input->verify */
	size_t n_unsafe, n_warnings;
	/* In the order the checks ran. */
	struct ztk_dscheck_item *items;
	size_t n_items;
	/* The proposed DS RRset in canonical RDATA order, duplicates
	 * removed; empty for a delete.  Owned by the report. */
	struct ztk_rdata_ref *new_ds;
	size_t n_new_ds;
};

/*
 * Run the checks.  The verdict is data: the return value is 0, or
 * ZTK_EINVAL (NULL owner or input), ZTK_ENOMEM, ZTK_ELIMIT (more than
 * 4096 records in one RRset).  *out receives a report to release with
 * ztk_dscheck_free, or NULL on error.
 */
ZTK_API int ztk_dscheck_run(const struct ztk_dscheck_input *in,
	const struct ztk_dscheck_opts *opts, struct ztk_dscheck_report **out);

/* Release a report; NULL is a no-op. */
ZTK_API void ztk_dscheck_free(struct ztk_dscheck_report *report);

/*
 * Does the DS (or CDS) RDATA ds match the DNSKEY RDATA key at owner?  Key
 * tag, algorithm and the recomputed digest must all agree.  Returns 1 or 0,
 * or ZTK_ENOTSUP when the digest type is one ztk cannot compute,
 * ZTK_EMALF for RDATA too short to be a DS or DNSKEY.
 */
ZTK_API int ztk_ds_match(const uint8_t *owner, const uint8_t *ds,
	size_t dslen, const uint8_t *key, size_t keylen);

/* RFC 8078 4 delete forms: CDS "0 0 0 00" and CDNSKEY "0 3 0 AA==". */
ZTK_API bool ztk_cds_is_delete(const uint8_t *rdata, size_t len);
ZTK_API bool ztk_cdnskey_is_delete(const uint8_t *rdata, size_t len);

/*
 * Sort RDATA into the canonical order of RFC 4034 6.3 (as unsigned octet
 * strings, a shorter one first when it is a prefix) and drop duplicates,
 * in place.  Returns the new count.  This is the order BIND prints an
 * RRset in, so DS made in this key order diff cleanly against
 * dnssec-dsfromkey -f.
 */
ZTK_API size_t ztk_dscheck_canon(struct ztk_rdata_ref *v, size_t n);

/*
 * Which keys sign an RRset: for owner's RRset of type (set[0..n)), the
 * RRSIG RDATA rrsig[0..nsig) (others than over type are skipped) and
 * candidate DNSKEY RDATA keys[0..nkeys) of zone (the signer name the
 * RRSIGs must carry; NULL: owner, as at an apex), ok[i] tells whether
 * keys[i] made a signature that verifies and is valid at now (RFC 4035
 * 5.3; a labels field below the owner's count is a wildcard expansion,
 * 5.3.2).  Returns how many keys did; when none, why gets one line about
 * the best candidate ("... expired at ...").  Negative: ZTK_EINVAL,
 * ZTK_ENOMEM.
 */
ZTK_API int ztk_rrset_signers(const uint8_t *owner, const uint8_t *zone,
	uint16_t type,
	const struct ztk_rdata_ref *set, size_t n,
	const struct ztk_rdata_ref *rrsig, size_t nsig,
	const struct ztk_rdata_ref *keys, size_t nkeys, int64_t now,
	bool *ok, char *why, size_t whylen);

#endif /* ZTK_DSCHECK_H */
