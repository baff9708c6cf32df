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

/* DER INTEGER of an unsigned big-endian number; returns octets written. */
static size_t der_int(const uint8_t *p, size_t n, uint8_t *out)
{
	while (n > 1 && *p == 0)
		p++, n--;
	size_t o = 0;
	out[o++] = 0x02;
	bool pad = (*p & 0x80) != 0;
	out[o++] = (uint8_t)(n + pad);
	if (pad)
		out[o++] = 0;
	memcpy(out + o, p, n);
	return o + n;
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
	switch (v->alg) {
	case ZTK_ALG_ECDSAP256SHA256: case ZTK_ALG_RSASHA256:
		SHA256(msg, len, md);
		mdlen = 32;
		break;
	case ZTK_ALG_ECDSAP384SHA384:
		SHA384(msg, len, md);
		mdlen = 48;
		break;
	default:
		SHA512(msg, len, md);
		mdlen = 64;
		break;
	}
	uint8_t der[8 + 2 * (2 + 1 + 48)];
	if (is_ec(v->alg)) {
		size_t half = v->alg == ZTK_ALG_ECDSAP256SHA256 ? 32 : 48;
		if (siglen != 2 * half)
			return 1;
		size_t o = 2;
		o += der_int(sig, half, der + o);
		o += der_int(sig + half, half, der + o);
		der[0] = 0x30;
		der[1] = (uint8_t)(o - 2);
		sig = der;
		siglen = o;
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
