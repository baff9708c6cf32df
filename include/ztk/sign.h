/*
 * ztk/sign.h - sign a zone: RRSIGs over canonical RRsets (RFC 4034/4035),
 * NSEC or NSEC3 (RFC 5155, RFC 9276 defaults) chains, SOA serial.
 *
 * ztk_sign_zone() reads a finished zone and builds a new, finished zone
 * holding the signed result; nothing is written anywhere, so the caller
 * can check it (ztk_dnssec_check) before a single byte reaches a file.
 * Signing runs on opts->threads threads; every key brings one signer per
 * thread (one PKCS#11 session each), so threads never share a session.
 */
#ifndef ZTK_SIGN_H
#define ZTK_SIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ztk/keystore.h>
#include <ztk/sigcache.h>
#include <ztk/visibility.h>
#include <ztk/zone.h>

enum ztk_serial_policy {
	ZTK_SERIAL_KEEP = 0,    /* as in the input */
	ZTK_SERIAL_INCREMENT,   /* input + 1 (RFC 1982) */
	ZTK_SERIAL_UNIXTIME,    /* now, or input + 1 if that is not newer */
	ZTK_SERIAL_DATE,        /* YYYYMMDDnn, or input + 1 if not newer */
};

enum ztk_verify_mode {
	ZTK_VERIFY_NONE = 0,
	ZTK_VERIFY_SAMPLE,      /* every DNSKEY/CDS/CDNSKEY signature and a
				 * random share of the rest */
	ZTK_VERIFY_ALL,
};

#define ZTK_SIGN_MAX_THREADS 64

struct ztk_sign_key {
	const uint8_t *dnskey;  /* DNSKEY RDATA as published */
	uint16_t dnskey_len;
	bool publish;           /* the DNSKEY goes into the zone */
	bool sign_keyset;       /* signs DNSKEY, CDS, CDNSKEY (KSK, CSK) */
	bool sign_zone;         /* signs everything else (ZSK, CSK) */
	ztk_signer **signers;   /* one per thread; NULL: publish only */
};

struct ztk_sign_opts {
	int64_t now;                    /* Unix seconds */
	uint32_t inception_offset;      /* backdating; 0 = 3600 */
	uint32_t validity;              /* 0 = 30 days (outlives the usual SOA
					 * expire of 2-4 weeks, RFC 6781 4.4.2) */
	uint32_t jitter;                /* expiry spread; 0 = validity / 16 */
	bool no_jitter;                 /* exact expiry for every RRset */
	bool nsec3;
	bool optout;
	uint16_t iterations;            /* RFC 9276: 0 */
	const uint8_t *salt;            /* RFC 9276: none */
	uint8_t salt_len;
	enum ztk_serial_policy serial;
	enum ztk_verify_mode verify;
	unsigned sample_permille;       /* SAMPLE share; 0 = 10 (1 %) */
	unsigned threads;               /* 0 = 1 */
	uint32_t dnskey_ttl;            /* 0 = input DNSKEY TTL, else SOA TTL */
	/* Incremental signing: the previous signed zone (finished).  An
	 * RRSIG of it is kept when its RRset is unchanged (same RDATA set and
	 * TTL), its key still signs, and it is valid beyond now + refresh. */
	const struct ztk_zone *previous;
	/* The same previous output as a signature cache (ztk/sigcache.h),
	 * used when previous is NULL: nothing to parse again. */
	const struct ztk_sigcache *previous_cache;
	uint32_t refresh;               /* 0 = validity / 4 */
	/* The last published serial (e.g. of the previous output when
	 * --full ignores its signatures): the new one is never older. */
	bool have_serial_floor;
	uint32_t serial_floor;
	unsigned zonemd_alg;            /* add a ZONEMD (RFC 8976, SIMPLE) with
					 * 1 = SHA-384 or 2 = SHA-512; 0 none */
	bool keep_input_dnskeys;        /* multi-signer: publish the input's
					 * DNSKEYs beside ours (default: drop
					 * them, they belong to old keys) */
	const struct ztk_sign_key *keys;
	size_t nkeys;
	/*
	 * Output sink (optional): the signed zone handed over while signing
	 * runs, in order, as text exactly as ztk_zone_print() prints the
	 * returned zone, and each node to cache_out (if not NULL) for the
	 * next run's signature cache.  Called from any of the signing
	 * threads, but never from two at once, and always in output order
	 * (so is cache_out fed, independently of the sink); a non-zero
	 * return stops signing and is returned.  Not called with
	 * zonemd_alg (the digest needs the finished zone): then use
	 * ztk_sign_emit() on the returned zone.
	 */
	int (*sink)(void *ctx, const char *text, size_t tlen);
	/*
	 * With previous_cache: octets [off, off + len) of the previous output
	 * (open as fd) go to the output unchanged.  Without it (NULL) every
	 * node is made again.  When it is used, the returned zone holds only
	 * the nodes made again (see ztk_sign_stats.nodes_copied), and
	 * ztk_dnssec_check wants .partial.
	 */
	int (*sink_copy)(void *ctx, int fd, uint64_t off, uint64_t len);
	void *sink_ctx;
	struct ztk_sigcache_writer *cache_out;
	/* Called now and then from the main thread; may be NULL. */
	void (*progress)(void *ctx, uint64_t done, uint64_t total);
	void *ctx;
};

struct ztk_sign_stats {
	uint64_t rrsets_signed;
	uint64_t signatures;            /* made */
	uint64_t kept;                  /* taken over from opts->previous */
	uint64_t verified;              /* checked right after making */
	uint64_t denial_records;        /* NSEC or NSEC3 */
	uint64_t nodes_copied;          /* unchanged, text copied whole */
	uint64_t dropped_out_of_zone;
	uint64_t dropped_zonemd;        /* input ZONEMD at the apex: stale
					 * once signed, not recomputed yet */
	uint32_t serial_before, serial_after;
	int64_t earliest_expiry;
	int64_t latest_expiry;
	/* The previous output's NSEC3 chain taken over: no name came or
	 * went, none changed its types, the parameters are the same. */
	bool nsec3_chain_kept;
};

/*
 * Sign.  On success *out is the signed zone (free with ztk_zone_free).
 * Errors: ZTK_EINVAL (no SOA at the apex, no key that signs), ZTK_ENOMEM,
 * ZTK_EP11/ZTK_ECRYPTO (a signer failed), ZTK_ECRYPTO also when a fresh
 * signature does not verify (a faulty HSM or a key mix-up); why says
 * which RRset and key.
 */
ZTK_API int ztk_sign_zone(const struct ztk_zone *in,
	const struct ztk_sign_opts *opts, struct ztk_zone **out,
	struct ztk_sign_stats *stats, char *why, size_t whylen);

/*
 * Hand a finished signed zone to a sink (and a cache writer, if not NULL)
 * as ztk_sign_zone would have while signing (for runs with ZONEMD).  0,
 * ZTK_ENOMEM or the sink's code.
 */
ZTK_API int ztk_sign_emit(const struct ztk_zone *z,
	int (*sink)(void *ctx, const char *text, size_t tlen), void *ctx,
	struct ztk_sigcache_writer *cache_out);

/* Next serial under a policy (RFC 1982: never backwards). */
ZTK_API uint32_t ztk_serial_next(uint32_t current,
	enum ztk_serial_policy policy, int64_t now);

#endif /* ZTK_SIGN_H */
