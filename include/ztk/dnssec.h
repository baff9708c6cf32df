/*
 * ztk/dnssec.h - DNSSEC algorithms, DNSKEY key tags, DS / CDS digests.
 *
 * Pure functions over wire-form data: no I/O, no key material beyond public
 * keys.  The HSM side lives in keystore.h, the state in keydb.h.
 */
#ifndef ZTK_DNSSEC_H
#define ZTK_DNSSEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ztk/visibility.h>

/* DNSKEY flags (RFC 4034 2.1.1, RFC 5011 7). */
#define ZTK_DNSKEY_ZONE    0x0100
#define ZTK_DNSKEY_REVOKE  0x0080
#define ZTK_DNSKEY_SEP     0x0001

/* DNSSEC algorithm numbers (IANA "DNS Security Algorithm Numbers"). */
enum ztk_alg {
	ZTK_ALG_RSAMD5 = 1,
	ZTK_ALG_DSA = 3,
	ZTK_ALG_RSASHA1 = 5,
	ZTK_ALG_DSA_NSEC3_SHA1 = 6,
	ZTK_ALG_RSASHA1_NSEC3_SHA1 = 7,
	ZTK_ALG_RSASHA256 = 8,
	ZTK_ALG_RSASHA512 = 10,
	ZTK_ALG_ECC_GOST = 12,
	ZTK_ALG_ECDSAP256SHA256 = 13,
	ZTK_ALG_ECDSAP384SHA384 = 14,
	ZTK_ALG_ED25519 = 15,
	ZTK_ALG_ED448 = 16,
};

/* DS digest types (IANA "Delegation Signer (DS) Resource Record Digest
 * Algorithms"). */
enum ztk_digest {
	ZTK_DIGEST_SHA1 = 1,
	ZTK_DIGEST_SHA256 = 2,
	ZTK_DIGEST_GOST = 3,
	ZTK_DIGEST_SHA384 = 4,
};

/* What RFC 8624 section 3.1 says about signing with an algorithm. */
enum ztk_alg_status {
	ZTK_ALG_UNKNOWN = 0,    /* not an algorithm we know */
	ZTK_ALG_MUST_NOT,       /* MUST NOT sign (RSAMD5, DSA, ...) */
	ZTK_ALG_NOT_RECOMMENDED,/* NOT RECOMMENDED (RSASHA1, its NSEC3 alias,
				 * RSASHA512) */
	ZTK_ALG_MAY,            /* MAY (ECDSAP384SHA384, ED448) */
	ZTK_ALG_RECOMMENDED,    /* RECOMMENDED / MUST (8, 13, 15) */
};

struct ztk_alg_info {
	uint8_t number;
	const char *mnemonic;   /* "ECDSAP256SHA256" */
	enum ztk_alg_status status;
	bool supported;         /* ztk can generate, sign and verify with it */
	uint16_t min_bits, max_bits, default_bits; /* key size; fixed for EC */
	uint16_t sig_len;       /* signature length in octets; 0 = by key size */
	const char *why_not;    /* reason we refuse to sign, or NULL */
};

/* Algorithm by number; NULL if unknown. */
ZTK_API const struct ztk_alg_info *ztk_alg_by_number(unsigned number);
/* By mnemonic (case-insensitive) or decimal number; NULL if unknown. */
ZTK_API const struct ztk_alg_info *ztk_alg_by_name(const char *name);

/* Digest type name ("SHA-256") or NULL; parse "SHA-256", "SHA256", "2". */
ZTK_API const char *ztk_digest_name(unsigned type);
ZTK_API int ztk_digest_from_text(const char *text);
/* Digest length in octets, 0 if unknown. */
ZTK_API size_t ztk_digest_len(unsigned type);

/* Key tag of a DNSKEY RDATA (RFC 4034 appendix B, including the RSAMD5
 * special case). */
ZTK_API uint16_t ztk_keytag(const uint8_t *rdata, size_t rdlen);

/*
 * DS RDATA for the DNSKEY (owner in wire form, any case: it is lowercased as
 * RFC 4034 5.1.4 says).  Writes key tag, algorithm, digest type, digest into
 * out (at most 4 + 48 octets); returns its length, or a negative ZTK_E* code
 * (ZTK_ENOTSUP for an unknown digest type, ZTK_EMALF for short RDATA).
 */
ZTK_API int ztk_ds_from_dnskey(const uint8_t *owner, const uint8_t *rdata,
	size_t rdlen, unsigned digest_type, uint8_t *out, size_t outlen);

/*
 * Build DNSKEY RDATA from flags, algorithm and the public key field
 * (RFC 3110 for RSA, RFC 6605 X||Y for ECDSA, RFC 8080 raw key for EdDSA).
 * Returns length or a negative ZTK_E* code.
 */
ZTK_API int ztk_dnskey_rdata(uint16_t flags, uint8_t alg, const uint8_t *pub,
	size_t publen, uint8_t *out, size_t outlen);

/* Key size in bits as dnssec-keygen reports it (RSA modulus length, the
 * curve size for EC and EdDSA); 0 if the RDATA is malformed. */
ZTK_API unsigned ztk_dnskey_bits(const uint8_t *rdata, size_t rdlen);

#endif /* ZTK_DNSSEC_H */
