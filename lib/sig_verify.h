/*
 * sig_verify.h - verify many signatures of one DNSKEY: the key is parsed
 * and the verification context set up once, not for every signature as
 * ztk_dnssec_verify() does (for ECDSA P-256 that setup costs about as
 * much as the verification itself).  One per key per thread.  Not
 * installed.
 */
#ifndef ZTK_SIG_VERIFY_H
#define ZTK_SIG_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sig_verifier {
	void *pk;               /* EVP_PKEY */
	void *pctx;             /* EVP_PKEY_CTX, verify_init done (RSA, ECDSA) */
	uint8_t alg;
	bool ready, failed;
};

/* 0 = good, 1 = bad signature, < 0 = error (as ztk_dnssec_verify). */
int sig_verify(struct sig_verifier *v, const uint8_t *dnskey,
	size_t dnskey_len, const uint8_t *msg, size_t len, const uint8_t *sig,
	size_t siglen);

void sig_verifier_free(struct sig_verifier *v);

#endif
