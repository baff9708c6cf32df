/*
 * signer.c - the one signing interface, with a PKCS#11 backend (the normal
 * case) and an OpenSSL software backend (PEM keys, for parity with the
 * peers' file-key modes and for tests).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>

#include <ztk/dnssec.h>
#include <ztk/error.h>

#include "p11.h"
#include "pkey.h"
#include "util.h"

struct ztk_signer {
	int (*sign)(ztk_signer *s, const uint8_t *msg, size_t len,
		uint8_t *sig, size_t *siglen);
	void (*free)(ztk_signer *s);
	uint8_t alg;
	uint8_t pub[ZTK_PUBKEY_MAX];
	size_t publen;
	/* PKCS#11 backend */
	CK_FUNCTION_LIST_PTR f;
	CK_SESSION_HANDLE sess;
	CK_OBJECT_HANDLE key;
	/* software backend */
	EVP_PKEY *pk;
	EVP_PKEY_CTX *pctx;     /* sign_init done once: the per-signature
				 * setup of EVP_DigestSign costs ~15 % */
};

/* DER DigestInfo prefixes of RFC 8017 9.2 note 1, for CKM_RSA_PKCS. */
static const uint8_t di_sha1[] = { 0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b,
	0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14 };
static const uint8_t di_sha256[] = { 0x30, 0x31, 0x30, 0x0d, 0x06, 0x09,
	0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04,
	0x20 };
static const uint8_t di_sha512[] = { 0x30, 0x51, 0x30, 0x0d, 0x06, 0x09,
	0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04,
	0x40 };

static bool is_rsa(uint8_t alg)
{
	return alg == ZTK_ALG_RSASHA256 || alg == ZTK_ALG_RSASHA512 ||
		alg == ZTK_ALG_RSASHA1 || alg == ZTK_ALG_RSASHA1_NSEC3_SHA1;
}

static bool is_ed(uint8_t alg)
{
	return alg == ZTK_ALG_ED25519 || alg == ZTK_ALG_ED448;
}

static int p11_sign(ztk_signer *s, const uint8_t *msg, size_t len,
	uint8_t *sig, size_t *siglen)
{
	uint8_t in[19 + 64];
	const uint8_t *data = msg;
	size_t dlen = len;
	CK_MECHANISM mech = { CKM_ECDSA, NULL, 0 };
	if (is_ed(s->alg)) {
		mech.mechanism = CKM_EDDSA;
	} else {
		/* Hash here: OpenSSL is faster than a round trip of the
		 * whole RRset through the token, and the token then does
		 * only what needs the private key. */
		const EVP_MD *md = pkey_alg_md(s->alg);
		size_t off = 0;
		if (is_rsa(s->alg)) {
			const uint8_t *di = s->alg == ZTK_ALG_RSASHA256 ? di_sha256
				: s->alg == ZTK_ALG_RSASHA512 ? di_sha512 : di_sha1;
			off = s->alg == ZTK_ALG_RSASHA256 ? sizeof(di_sha256)
				: s->alg == ZTK_ALG_RSASHA512 ? sizeof(di_sha512)
				: sizeof(di_sha1);
			memcpy(in, di, off);
			mech.mechanism = CKM_RSA_PKCS;
		}
		unsigned hl = 0;
		if (md == EVP_sha256()) {
			SHA256(msg, len, in + off);
			hl = 32;
		} else if (EVP_Digest(msg, len, in + off, &hl, md, NULL) != 1)
			return ZTK_ECRYPTO;
		data = in;
		dlen = off + hl;
	}
	CK_RV rv = s->f->C_SignInit(s->sess, &mech, s->key);
	if (rv != CKR_OK)
		return ZTK_EP11;
	CK_ULONG out = *siglen;
	rv = s->f->C_Sign(s->sess, (CK_BYTE_PTR)data, dlen, sig, &out);
	if (rv != CKR_OK)
		return rv == CKR_BUFFER_TOO_SMALL ? ZTK_ESPACE : ZTK_EP11;
	*siglen = out;
	return 0;
}

static void p11_free(ztk_signer *s)
{
	s->f->C_CloseSession(s->sess);
}

int ztk_p11_signer_new(ztk_p11 *p11, const uint8_t *id, size_t idlen,
	uint8_t alg, ztk_signer **out, char *why, size_t whylen)
{
	*out = NULL;
	ztk_signer *s = calloc(1, sizeof(*s));
	if (s == NULL)
		return ZTK_ENOMEM;
	s->sign = p11_sign;
	s->free = p11_free;
	s->alg = alg;
	s->f = p11->f;
	CK_RV rv = p11->f->C_OpenSession(p11->slot_id, CKF_SERIAL_SESSION,
		NULL, NULL, &s->sess);
	if (rv != CKR_OK) {
		snprintf(why, whylen, "cannot open a signing session: %s",
			ztk_p11_rvname(rv));
		free(s);
		return ZTK_EP11;
	}
	CK_OBJECT_HANDLE pubh = 0;
	int rc = p11_find_pair(p11, s->sess, id, idlen, &s->key, &pubh);
	if (rc != 0) {
		snprintf(why, whylen, "no private key with that id in the token");
		p11->f->C_CloseSession(s->sess);
		free(s);
		return rc;
	}
	/*
	 * Sign with a session copy of the key (CKA_TOKEN false; it stays
	 * sensitive and non-extractable, and dies with the session): SoftHSM2
	 * re-reads a token object's file before every signature, which cost
	 * a quarter to a third of an ECDSA signature (bench/sign.sh -S).
	 * Tokens that refuse the copy are used as they are.
	 */
	CK_BBOOL no = CK_FALSE;
	CK_ATTRIBUTE tmpl = { CKA_TOKEN, &no, sizeof(no) };
	CK_OBJECT_HANDLE copy = 0;
	if (getenv("ZTK_P11_NO_SESSION_COPY") == NULL &&
	    p11->f->C_CopyObject(s->sess, s->key, &tmpl, 1, &copy) == CKR_OK)
		s->key = copy;
	/* The public half through this session too: signers may be made
	 * in several threads at once. */
	struct ztk_p11_key info;
	if (p11_read_public(p11, s->sess, s->key, pubh, alg, &info) == 0 &&
	    info.publen > 0) {
		memcpy(s->pub, info.pub, info.publen);
		s->publen = info.publen;
	}
	*out = s;
	return 0;
}

static int soft_sign(ztk_signer *s, const uint8_t *msg, size_t len,
	uint8_t *sig, size_t *siglen)
{
	int rc = ZTK_ECRYPTO;
	if (s->pctx != NULL) {
		/* RSA and ECDSA: hash here, sign the digest with the context
		 * initialised once. */
		uint8_t md[64];
		size_t mdlen = 0;
		uint8_t der[160];
		bool ec = !is_rsa(s->alg);
		uint8_t *dst = ec ? der : sig;
		size_t n = ec ? sizeof(der) : *siglen;
		if (pkey_digest(s->alg, msg, len, md, &mdlen) != 0)
			return ZTK_ECRYPTO;
		if (EVP_PKEY_sign(s->pctx, dst, &n, md, mdlen) == 1) {
			if (ec) {
				size_t half = s->alg == ZTK_ALG_ECDSAP256SHA256 ?
					32 : 48;
				if (*siglen < 2 * half)
					rc = ZTK_ESPACE;
				else if ((rc = pkey_ecdsa_der_to_raw(der, n, half,
					sig)) == 0)
					*siglen = 2 * half;
			} else {
				*siglen = n;
				rc = 0;
			}
		}
		ERR_clear_error();
		return rc;
	}
	/* EdDSA signs the message itself. */
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	if (ctx == NULL)
		return ZTK_ENOMEM;
	size_t n = *siglen;
	if (EVP_DigestSignInit(ctx, NULL, NULL, NULL, s->pk) == 1 &&
	    EVP_DigestSign(ctx, sig, &n, msg, len) == 1) {
		*siglen = n;
		rc = 0;
	}
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	return rc;
}

static void soft_free(ztk_signer *s)
{
	EVP_PKEY_CTX_free(s->pctx);
	EVP_PKEY_free(s->pk);
}

/* The signing context, made once per signer (EdDSA needs none). */
static int soft_setup(ztk_signer *s)
{
	if (is_ed(s->alg))
		return 0;
	s->pctx = EVP_PKEY_CTX_new(s->pk, NULL);
	bool ok = s->pctx != NULL && EVP_PKEY_sign_init(s->pctx) == 1 &&
		EVP_PKEY_CTX_set_signature_md(s->pctx, pkey_alg_md(s->alg)) == 1;
	if (ok && is_rsa(s->alg))
		ok = EVP_PKEY_CTX_set_rsa_padding(s->pctx, RSA_PKCS1_PADDING)
			== 1;
	return ok ? 0 : -1;
}

int ztk_soft_signer_new(const char *pem_path, uint8_t alg, ztk_signer **out,
	char *why, size_t whylen)
{
	*out = NULL;
	const struct ztk_alg_info *ai = ztk_alg_by_number(alg);
	if (ai == NULL || !ai->supported) {
		snprintf(why, whylen, "cannot sign with algorithm %u%s%s", alg,
			ai && ai->why_not ? ": " : "",
			ai && ai->why_not ? ai->why_not : "");
		return ZTK_EPOLICY;
	}
	if (pkey_check_mode(pem_path, why, whylen) != 0)
		return ZTK_EACCES;
	EVP_PKEY *pk = pkey_load_pem(pem_path, why, whylen);
	if (pk == NULL)
		return ZTK_EINVAL;
	ztk_signer *s = calloc(1, sizeof(*s));
	if (s == NULL) {
		EVP_PKEY_free(pk);
		return ZTK_ENOMEM;
	}
	s->sign = soft_sign;
	s->free = soft_free;
	s->alg = alg;
	s->pk = pk;
	s->publen = sizeof(s->pub);
	if (is_rsa(alg) && EVP_PKEY_get_base_id(pk) == EVP_PKEY_RSA) {
		unsigned bits = (unsigned)EVP_PKEY_get_bits(pk);
		if (bits < ai->min_bits || bits > ai->max_bits) {
			snprintf(why, whylen, "%s: RSA key of %u bits; DNSSEC "
				"keys here are %u-%u bits (RFC 8624, NIST SP "
				"800-57)", pem_path, bits, ai->min_bits,
				ai->max_bits);
			ztk_signer_free(s);
			return ZTK_EPOLICY;
		}
	}
	if (pkey_to_dnspub(pk, alg, s->pub, &s->publen) != 0) {
		snprintf(why, whylen, "%s: the key does not fit %s", pem_path,
			ai->mnemonic);
		ztk_signer_free(s);
		return ZTK_EINVAL;
	}
	if (soft_setup(s) != 0) {
		snprintf(why, whylen, "%s: cannot set up signing", pem_path);
		ztk_signer_free(s);
		return ZTK_ECRYPTO;
	}
	*out = s;
	return 0;
}

int ztk_soft_signer_dup(const ztk_signer *s, ztk_signer **out)
{
	*out = NULL;
	if (s == NULL || s->sign != soft_sign)
		return ZTK_EINVAL;
	ztk_signer *d = calloc(1, sizeof(*d));
	if (d == NULL)
		return ZTK_ENOMEM;
	*d = (ztk_signer){ .sign = soft_sign, .free = soft_free,
		.alg = s->alg, .publen = s->publen, .pk = s->pk };
	memcpy(d->pub, s->pub, s->publen);
	if (EVP_PKEY_up_ref(d->pk) != 1) {
		free(d);
		return ZTK_ECRYPTO;
	}
	if (soft_setup(d) != 0) {
		ztk_signer_free(d);
		return ZTK_ECRYPTO;
	}
	*out = d;
	return 0;
}

int ztk_signer_sign(ztk_signer *s, const uint8_t *msg, size_t len,
	uint8_t *sig, size_t *siglen)
{
	return s->sign(s, msg, len, sig, siglen);
}

uint8_t ztk_signer_alg(const ztk_signer *s)
{
	return s->alg;
}

int ztk_signer_pubkey(const ztk_signer *s, uint8_t *pub, size_t *publen)
{
	if (*publen < s->publen)
		return ZTK_ESPACE;
	memcpy(pub, s->pub, s->publen);
	*publen = s->publen;
	return 0;
}

void ztk_signer_free(ztk_signer *s)
{
	if (s == NULL)
		return;
	s->free(s);
	free(s);
}
