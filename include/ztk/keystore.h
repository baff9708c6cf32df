/*
 * ztk/keystore.h - private keys in a PKCS#11 token, and the signer
 * interface that hides where a key lives.
 *
 * Module, token and login go through libp11.  Key generation, import and
 * signing use the raw PKCS#11 function list of the same module, because
 * libp11 0.4 cannot generate EC or EdDSA keys, cannot sign with EdDSA, and
 * funnels every signature through one shared session; a signer here owns
 * its own session, so each thread signs without a lock.
 *
 * Private keys made or imported here are CKA_TOKEN, CKA_PRIVATE,
 * CKA_SENSITIVE, not CKA_EXTRACTABLE, and may only sign.
 */
#ifndef ZTK_KEYSTORE_H
#define ZTK_KEYSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ztk/visibility.h>

typedef struct ztk_p11 ztk_p11;
typedef struct ztk_signer ztk_signer;

struct ztk_p11_conf {
	const char *module;     /* path of the PKCS#11 module */
	const char *token;      /* token label */
	const char *pin;        /* user PIN; NULL: do not log in */
};

/*
 * Load the module, find the token by label and log in.  Fails fast with a
 * one-line reason in why that says what to do:
 *   ZTK_EMODULE  module missing or not a PKCS#11 module
 *   ZTK_ETOKEN   no token with that label (the labels present are listed)
 *   ZTK_EPIN     PIN wrong, or locked
 */
ZTK_API int ztk_p11_open(const struct ztk_p11_conf *conf, ztk_p11 **out,
	char *why, size_t whylen);
ZTK_API void ztk_p11_close(ztk_p11 *p11);

/*
 * Initialise a token with this label in the first free slot (SoftHSM2
 * style), set its SO PIN and user PIN.  Loads the module itself; the
 * token must not exist yet (ZTK_EEXIST).
 */
ZTK_API int ztk_p11_init_token(const char *module, const char *label,
	const char *so_pin, const char *user_pin, char *why, size_t whylen);

#define ZTK_P11_ID_MAX 32
#define ZTK_PUBKEY_MAX 1024

/* A key pair in the token as ztk sees it. */
struct ztk_p11_key {
	uint8_t id[ZTK_P11_ID_MAX];     /* CKA_ID */
	size_t idlen;
	char label[128];                /* CKA_LABEL */
	uint8_t alg;                    /* DNSSEC algorithm; 0 if unknown */
	unsigned bits;
	uint8_t pub[ZTK_PUBKEY_MAX];    /* DNSKEY public key field */
	size_t publen;
	/* Attributes of the private key object, for reconcile. */
	bool has_private, has_public;
	bool sensitive, extractable, always_sensitive, never_extractable;
	bool can_sign, can_decrypt, can_unwrap, can_derive;
};

/*
 * Generate a key pair in the token for a DNSSEC algorithm (bits is used for
 * RSA only; 0 = the algorithm's default).  Refuses (ZTK_EPOLICY, reason in
 * why) what RFC 8624 says must not sign, and RSA sizes outside 2048-4096.
 * A random CKA_ID is chosen; label is set on both objects.
 */
ZTK_API int ztk_p11_generate(ztk_p11 *p11, uint8_t alg, unsigned bits,
	const char *label, struct ztk_p11_key *out, char *why, size_t whylen);

/*
 * Import a private key from a file into the token as a non-extractable
 * key: a BIND K*.private file (its K*.key beside it gives the algorithm and
 * is checked to match), or a PEM private key (alg says which DNSSEC
 * algorithm it is for: needed for RSA, checked for EC/EdDSA).
 */
ZTK_API int ztk_p11_import(ztk_p11 *p11, const char *path, uint8_t alg,
	const char *label, struct ztk_p11_key *out, char *why, size_t whylen);

/*
 * What a BIND key pair says about itself, without touching a token: the
 * owner (wire form) and DNSKEY RDATA from K*.key, and the Created,
 * Publish, Activate, Inactive and Delete times of K*.private (Unix
 * seconds, 0 = absent).  The private key is parsed and checked against
 * the DNSKEY, then wiped.
 */
ZTK_API int ztk_bind_key_meta(const char *private_path, uint8_t *owner,
	uint8_t *dnskey, size_t *dnskey_len, int64_t times[5], char *why,
	size_t whylen);

/* Relabel both objects of the pair with this CKA_ID. */
ZTK_API int ztk_p11_set_label(ztk_p11 *p11, const uint8_t *id, size_t idlen,
	const char *label);

/* Look a pair up by CKA_ID: ZTK_ENOENT if no private key has it. */
ZTK_API int ztk_p11_find(ztk_p11 *p11, const uint8_t *id, size_t idlen,
	struct ztk_p11_key *out);

/* Destroy both objects of the pair (ZTK_ENOENT if none). */
ZTK_API int ztk_p11_destroy(ztk_p11 *p11, const uint8_t *id, size_t idlen);

/* Every key pair (grouped by CKA_ID) in the token. */
ZTK_API int ztk_p11_enumerate(ztk_p11 *p11,
	int (*cb)(void *ctx, const struct ztk_p11_key *key), void *ctx);

/* Try to read CKA_VALUE (or CKA_PRIVATE_EXPONENT) of the private key: 0 if
 * the token refused, as it must; 1 if it handed out key material. */
ZTK_API int ztk_p11_probe_extract(ztk_p11 *p11, const uint8_t *id,
	size_t idlen);

/*
 * Signers.  A signer makes DNSSEC signatures (RRSIG signature field
 * format: r||s for ECDSA, raw for EdDSA, PKCS#1 v1.5 for RSA) over the
 * whole message; it hashes with OpenSSL where the mechanism allows, so the
 * token only does the private-key operation.  One signer per thread.
 */
ZTK_API int ztk_p11_signer_new(ztk_p11 *p11, const uint8_t *id, size_t idlen,
	uint8_t alg, ztk_signer **out, char *why, size_t whylen);
/* Software key from a PEM file (must be mode 0600 or stricter). */
ZTK_API int ztk_soft_signer_new(const char *pem_path, uint8_t alg,
	ztk_signer **out, char *why, size_t whylen);
/* Another signer over the same software key, for another thread: the key
 * is decoded once (OpenSSL 3's PEM decoding costs about half a millisecond
 * a key) and shared.  ZTK_EINVAL for a signer of another kind. */
ZTK_API int ztk_soft_signer_dup(const ztk_signer *s, ztk_signer **out);

ZTK_API int ztk_signer_sign(ztk_signer *s, const uint8_t *msg, size_t len,
	uint8_t *sig, size_t *siglen);
ZTK_API uint8_t ztk_signer_alg(const ztk_signer *s);
/* The public key field of the signer's DNSKEY. */
ZTK_API int ztk_signer_pubkey(const ztk_signer *s, uint8_t *pub,
	size_t *publen);
ZTK_API void ztk_signer_free(ztk_signer *s);

/* Verify a DNSSEC signature over msg with a DNSKEY RDATA: 0 valid, 1
 * invalid, negative on error (unsupported algorithm, bad key). */
ZTK_API int ztk_dnssec_verify(const uint8_t *dnskey, size_t dnskey_len,
	const uint8_t *msg, size_t len, const uint8_t *sig, size_t siglen);

/* "CKR_PIN_INCORRECT" for a PKCS#11 return value. */
ZTK_API const char *ztk_p11_rvname(unsigned long rv);

#endif /* ZTK_KEYSTORE_H */
