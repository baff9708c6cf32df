/* pkey.h - DNSSEC public keys and signatures as OpenSSL sees them, and
 * private key files of the peers (not installed). */
#ifndef ZTK_PKEY_H
#define ZTK_PKEY_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

/* EVP_PKEY (public only) from DNSKEY RDATA; NULL if unsupported/bad. */
EVP_PKEY *pkey_from_dnskey(const uint8_t *rdata, size_t len);

/* DNSKEY public key field of pk for algorithm alg; ZTK_EINVAL when the key
 * type does not fit the algorithm. */
int pkey_to_dnspub(EVP_PKEY *pk, uint8_t alg, uint8_t *pub, size_t *publen);

/* The digest an algorithm signs with (NULL for EdDSA). */
const EVP_MD *pkey_alg_md(uint8_t alg);

/* Digest of msg as algorithm alg signs it, into md (64 octets); 0, or
 * ZTK_ECRYPTO (EdDSA has no separate digest). */
int pkey_digest(uint8_t alg, const uint8_t *msg, size_t len, uint8_t *md,
	size_t *mdlen);

/* Key pair from a BIND K*.private file (K*.key beside it must hold the
 * matching DNSKEY).  *alg is set; timing fields found are returned in
 * times[] (Created, Publish, Activate, Inactive, Delete as Unix seconds,
 * 0 = absent) when times is not NULL. */
EVP_PKEY *pkey_load_bind(const char *path, uint8_t *alg, int64_t times[5],
	char *why, size_t whylen);

/* Private key from a PEM file. */
EVP_PKEY *pkey_load_pem(const char *path, char *why, size_t whylen);

/* Check that a private key file is not readable by group or others. */
int pkey_check_mode(const char *path, char *why, size_t whylen);

/* ECDSA: DER ECDSA-Sig-Value <-> r||s of fixed width. */
int pkey_ecdsa_der_to_raw(const uint8_t *der, size_t derlen, size_t half,
	uint8_t *out);
int pkey_ecdsa_raw_to_der(const uint8_t *raw, size_t rawlen, uint8_t *out,
	size_t *outlen);

#endif
