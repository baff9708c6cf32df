/*
 * sig_verify.c - verification with a key set up once (see sig_verify.h).
 * RSA and ECDSA: hash here, then EVP_PKEY_verify on a context initialised
 * once; EdDSA has no separate hash and goes through EVP_DigestVerify with
 * the parsed key.  Anything unusual falls back to ztk_dnssec_verify.
 */
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>

#include <ztk/dnssec.h>
#include <ztk/error.h>
#include <ztk/keystore.h>

#include "pkey.h"
#include "sig_verify.h"

static bool prehashed(uint8_t alg)
{
	return alg == ZTK_ALG_ECDSAP256SHA256 || alg == ZTK_ALG_ECDSAP384SHA384 ||
		alg == ZTK_ALG_RSASHA256 || alg == ZTK_ALG_RSASHA512;
}

static bool is_ec(uint8_t alg)
{
	return alg == ZTK_ALG_ECDSAP256SHA256 || alg == ZTK_ALG_ECDSAP384SHA384;
}

static void setup(struct sig_verifier *v, const uint8_t *dnskey, size_t len)
{
	v->ready = true;
	v->alg = len >= 4 ? dnskey[3] : 0;
	EVP_PKEY *pk = len >= 5 ? pkey_from_dnskey(dnskey, len) : NULL;
	if (pk == NULL) {
		v->failed = true;
		return;
	}
	v->pk = pk;
	if (!prehashed(v->alg))
		return;
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new(pk, NULL);
	bool ok = c != NULL && EVP_PKEY_verify_init(c) == 1 &&
		EVP_PKEY_CTX_set_signature_md(c, pkey_alg_md(v->alg)) == 1;
	if (ok && !is_ec(v->alg))
		ok = EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_PADDING) == 1;
	if (!ok) {
		EVP_PKEY_CTX_free(c);
		v->failed = true;
		ERR_clear_error();
		return;
	}
	v->pctx = c;
}

int sig_verify(struct sig_verifier *v, const uint8_t *dnskey,
	size_t dnskey_len, const uint8_t *msg, size_t len, const uint8_t *sig,
	size_t siglen)
{
	if (!v->ready)
		setup(v, dnskey, dnskey_len);
	if (v->failed)
		return ztk_dnssec_verify(dnskey, dnskey_len, msg, len, sig,
			siglen);
	if (v->pctx == NULL) {  /* EdDSA: the key is what is saved */
		EVP_MD_CTX *m = EVP_MD_CTX_new();
		int rc = ZTK_ENOMEM;
		if (m != NULL) {
			rc = ZTK_ECRYPTO;
			if (EVP_DigestVerifyInit(m, NULL, NULL, NULL, v->pk) == 1)
				rc = EVP_DigestVerify(m, sig, siglen, msg, len) ==
					1 ? 0 : 1;
		}
		EVP_MD_CTX_free(m);
		ERR_clear_error();
		return rc;
	}
	uint8_t md[64];
	size_t mdlen;
	if (pkey_digest(v->alg, msg, len, md, &mdlen) != 0)
		return ZTK_ECRYPTO;
	uint8_t der[8 + 2 * (2 + 1 + 48)];
	if (is_ec(v->alg)) {
		size_t half = v->alg == ZTK_ALG_ECDSAP256SHA256 ? 32 : 48;
		size_t dl = sizeof(der);
		if (siglen != 2 * half ||
		    pkey_ecdsa_raw_to_der(sig, siglen, der, &dl) != 0)
			return 1;
		sig = der;
		siglen = dl;
	}
	int r = EVP_PKEY_verify(v->pctx, sig, siglen, md, mdlen);
	ERR_clear_error();
	return r == 1 ? 0 : 1;
}

void sig_verifier_free(struct sig_verifier *v)
{
	EVP_PKEY_CTX_free(v->pctx);
	EVP_PKEY_free(v->pk);
	memset(v, 0, sizeof(*v));
}
