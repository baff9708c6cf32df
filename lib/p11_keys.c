/*
 * p11_keys.c - key pairs inside the token: generate, import, find, list,
 * destroy.  Raw PKCS#11, because libp11 0.4 knows neither EC nor EdDSA key
 * generation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/rand.h>

#include <ztk/dnssec.h>
#include <ztk/error.h>

#include "p11.h"
#include "pkey.h"
#include "util.h"

#define ATTR(t, p, l) { (t), (void *)(p), (l) }

static CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
static CK_OBJECT_CLASS priv_class = CKO_PRIVATE_KEY,
	pub_class = CKO_PUBLIC_KEY;

/*
 * The attributes every key object of ours carries, generated or imported:
 * one place decides the policy.  The private half is a token object,
 * private, sensitive, never extractable, able to sign and nothing else;
 * the public half can verify only.  They fill t from its start and return
 * the count; the caller appends what the key type needs.  kt, id and label
 * must outlive the template.
 */
#define PRIV_ATTRS 12
#define PUB_ATTRS 9

static CK_ULONG priv_attrs(CK_ATTRIBUTE *t, const CK_KEY_TYPE *kt,
	const struct ztk_p11_key *k, const char *label)
{
	const CK_ATTRIBUTE a[PRIV_ATTRS] = {
		ATTR(CKA_CLASS, &priv_class, sizeof(priv_class)),
		ATTR(CKA_KEY_TYPE, kt, sizeof(*kt)),
		ATTR(CKA_TOKEN, &yes, sizeof(yes)),
		ATTR(CKA_PRIVATE, &yes, sizeof(yes)),
		ATTR(CKA_SENSITIVE, &yes, sizeof(yes)),
		ATTR(CKA_EXTRACTABLE, &no, sizeof(no)),
		ATTR(CKA_SIGN, &yes, sizeof(yes)),
		ATTR(CKA_DECRYPT, &no, sizeof(no)),
		ATTR(CKA_UNWRAP, &no, sizeof(no)),
		ATTR(CKA_DERIVE, &no, sizeof(no)),
		ATTR(CKA_ID, k->id, k->idlen),
		ATTR(CKA_LABEL, label, strlen(label)),
	};
	memcpy(t, a, sizeof(a));
	return PRIV_ATTRS;
}

static CK_ULONG pub_attrs(CK_ATTRIBUTE *t, const CK_KEY_TYPE *kt,
	const struct ztk_p11_key *k, const char *label)
{
	const CK_ATTRIBUTE a[PUB_ATTRS] = {
		ATTR(CKA_CLASS, &pub_class, sizeof(pub_class)),
		ATTR(CKA_KEY_TYPE, kt, sizeof(*kt)),
		ATTR(CKA_TOKEN, &yes, sizeof(yes)),
		ATTR(CKA_PRIVATE, &no, sizeof(no)),
		ATTR(CKA_VERIFY, &yes, sizeof(yes)),
		ATTR(CKA_ENCRYPT, &no, sizeof(no)),
		ATTR(CKA_WRAP, &no, sizeof(no)),
		ATTR(CKA_ID, k->id, k->idlen),
		ATTR(CKA_LABEL, label, strlen(label)),
	};
	memcpy(t, a, sizeof(a));
	return PUB_ATTRS;
}

/* The policy check every way into the token shares. */
static int alg_allowed(uint8_t alg, unsigned *bits, char *why, size_t whylen)
{
	const struct ztk_alg_info *ai = ztk_alg_by_number(alg);
	if (ai == NULL) {
		snprintf(why, whylen, "unknown DNSSEC algorithm %u", alg);
		return ZTK_ENOTSUP;
	}
	if (!ai->supported) {
		snprintf(why, whylen, "refusing %s (%u): %s", ai->mnemonic, alg,
			ai->why_not ? ai->why_not : "not supported");
		return ZTK_EPOLICY;
	}
	if (*bits == 0)
		*bits = ai->default_bits;
	if (*bits < ai->min_bits || *bits > ai->max_bits) {
		if (ai->min_bits == ai->max_bits)
			snprintf(why, whylen, "%s keys are %u bits, not %u",
				ai->mnemonic, ai->min_bits, *bits);
		else
			snprintf(why, whylen, "%s key size must be %u-%u bits, "
				"not %u%s", ai->mnemonic, ai->min_bits,
				ai->max_bits, *bits, *bits < ai->min_bits ?
				" (RFC 8624 and NIST SP 800-57: RSA below "
				"2048 bits is too weak)" : "");
		return ZTK_EPOLICY;
	}
	return 0;
}

static bool is_rsa_alg(uint8_t alg)
{
	return alg == ZTK_ALG_RSASHA256 || alg == ZTK_ALG_RSASHA512;
}

static bool is_ed_alg(uint8_t alg)
{
	return alg == ZTK_ALG_ED25519 || alg == ZTK_ALG_ED448;
}

/* The session attribute reads go through: the management session, or a
 * signer's own (set around p11_read_public). */
static _Thread_local CK_SESSION_HANDLE read_sess;

/* Value of one attribute into buf; returns its length or -1. */
static long get_attr(ztk_p11 *p11, CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE t,
	void *buf, size_t len)
{
	CK_ATTRIBUTE a = { t, buf, len };
	CK_RV rv = p11->f->C_GetAttributeValue(read_sess ? read_sess : p11->sess,
		h, &a, 1);
	if (rv != CKR_OK || a.ulValueLen == CK_UNAVAILABLE_INFORMATION)
		return -1;
	return (long)a.ulValueLen;
}

static bool get_bool(ztk_p11 *p11, CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE t)
{
	CK_BBOOL b = CK_FALSE;
	return get_attr(p11, h, t, &b, sizeof(b)) == sizeof(b) && b == CK_TRUE;
}

/* Strip a DER OCTET STRING wrapper from CKA_EC_POINT if there is one. */
static const uint8_t *unwrap_octets(const uint8_t *p, size_t *len)
{
	if (*len >= 2 && p[0] == 0x04) {
		size_t l = p[1], hdr = 2;
		if (l == 0x81 && *len >= 3) {
			l = p[2];
			hdr = 3;
		} else if (l == 0x82 && *len >= 4) {
			l = (size_t)p[2] << 8 | p[3];
			hdr = 4;
		}
		if (hdr + l == *len) {
			*len = l;
			return p + hdr;
		}
	}
	return p;
}

/* DNSKEY public key field from the token's public (or private) object. */
static int read_pub(ztk_p11 *p11, CK_OBJECT_HANDLE h, uint8_t alg,
	struct ztk_p11_key *out)
{
	out->publen = 0;
	if (is_rsa_alg(alg)) {
		uint8_t n[1024], e[16];
		long nl = get_attr(p11, h, CKA_MODULUS, n, sizeof(n));
		long el = get_attr(p11, h, CKA_PUBLIC_EXPONENT, e, sizeof(e));
		if (nl <= 0 || el <= 0)
			return ZTK_EP11;
		/* Drop leading zero octets: RFC 3110 wants the minimum. */
		const uint8_t *ep = e, *np = n;
		while (el > 1 && *ep == 0)
			ep++, el--;
		while (nl > 1 && *np == 0)
			np++, nl--;
		if ((size_t)(1 + el + nl) > sizeof(out->pub))
			return ZTK_ESPACE;
		out->pub[0] = (uint8_t)el;
		memcpy(out->pub + 1, ep, (size_t)el);
		memcpy(out->pub + 1 + el, np, (size_t)nl);
		out->publen = (size_t)(1 + el + nl);
		return 0;
	}
	uint8_t pt[256];
	long pl = get_attr(p11, h, CKA_EC_POINT, pt, sizeof(pt));
	if (pl <= 0)
		return ZTK_EP11;
	size_t len = (size_t)pl;
	const uint8_t *p = unwrap_octets(pt, &len);
	if (!is_ed_alg(alg)) {
		if (len < 1 || p[0] != 0x04)
			return ZTK_EMALF;  /* compressed points: not in DNSSEC */
		p++, len--;
	}
	memcpy(out->pub, p, len);
	out->publen = len;
	return 0;
}

/* Which DNSSEC algorithm a token key pair is, from its type and curve. */
static uint8_t guess_alg(ztk_p11 *p11, CK_OBJECT_HANDLE h, unsigned *bits)
{
	CK_KEY_TYPE kt;
	if (get_attr(p11, h, CKA_KEY_TYPE, &kt, sizeof(kt)) != sizeof(kt))
		return 0;
	if (kt == CKK_RSA) {
		uint8_t n[1024];
		long nl = get_attr(p11, h, CKA_MODULUS, n, sizeof(n));
		*bits = nl > 0 ? (unsigned)nl * 8 : 0;
		return ZTK_ALG_RSASHA256;  /* RSA fits 8 or 10 alike */
	}
	uint8_t params[64];
	long pl = get_attr(p11, h, CKA_EC_PARAMS, params, sizeof(params));
	/* SoftHSM2 answers with the curve's PrintableString name for Ed448
	 * even when the key was made with the OID (RFC 8410 names). */
	static const struct { const char *name; uint8_t alg; } named[] = {
		{ "edwards25519", ZTK_ALG_ED25519 },
		{ "edwards448", ZTK_ALG_ED448 } };
	for (size_t i = 0; i < ZTK_ARRAY_LEN(named) && pl > 2; i++) {
		size_t nl = strlen(named[i].name);
		if (params[0] == 0x13 && params[1] == nl &&
		    (size_t)pl == nl + 2 && memcmp(params + 2, named[i].name,
			nl) == 0) {
			*bits = ztk_alg_by_number(named[i].alg)->default_bits;
			return named[i].alg;
		}
	}
	for (uint8_t alg = 13; alg <= 16 && pl > 0; alg++) {
		size_t ol;
		const uint8_t *oid = p11_curve_oid(alg, &ol);
		if ((size_t)pl == ol && memcmp(params, oid, ol) == 0) {
			*bits = ztk_alg_by_number(alg)->default_bits;
			return alg;
		}
	}
	return 0;
}

static void fill_info(ztk_p11 *p11, CK_OBJECT_HANDLE priv,
	CK_OBJECT_HANDLE pub, uint8_t alg, struct ztk_p11_key *out)
{
	out->has_private = priv != 0;
	out->has_public = pub != 0;
	if (priv != 0) {
		out->sensitive = get_bool(p11, priv, CKA_SENSITIVE);
		out->extractable = get_bool(p11, priv, CKA_EXTRACTABLE);
		out->always_sensitive = get_bool(p11, priv,
			CKA_ALWAYS_SENSITIVE);
		out->never_extractable = get_bool(p11, priv,
			CKA_NEVER_EXTRACTABLE);
		out->can_sign = get_bool(p11, priv, CKA_SIGN);
		out->can_decrypt = get_bool(p11, priv, CKA_DECRYPT);
		out->can_unwrap = get_bool(p11, priv, CKA_UNWRAP);
		out->can_derive = get_bool(p11, priv, CKA_DERIVE);
	}
	CK_OBJECT_HANDLE any = priv ? priv : pub;
	long ll = get_attr(p11, any, CKA_LABEL, out->label,
		sizeof(out->label) - 1);
	out->label[ll > 0 ? ll : 0] = '\0';
	unsigned bits = 0;
	uint8_t guessed = guess_alg(p11, any, &bits);
	out->alg = alg ? alg : guessed;
	out->bits = bits;
	/* The public object has the point; SoftHSM2 also keeps the RSA
	 * modulus on the private one. */
	if (out->alg != 0 && (pub == 0 || read_pub(p11, pub, out->alg, out)))
		if (priv == 0 || read_pub(p11, priv, out->alg, out))
			out->publen = 0;
}

int p11_read_public(ztk_p11 *p11, CK_SESSION_HANDLE sess,
	CK_OBJECT_HANDLE priv, CK_OBJECT_HANDLE pub, uint8_t alg,
	struct ztk_p11_key *out)
{
	memset(out, 0, sizeof(*out));
	read_sess = sess;
	int rc = 0;
	if (pub == 0 || read_pub(p11, pub, alg, out) != 0)
		rc = read_pub(p11, priv, alg, out);
	read_sess = 0;
	return rc;
}

int ztk_p11_find(ztk_p11 *p11, const uint8_t *id, size_t idlen,
	struct ztk_p11_key *out)
{
	CK_OBJECT_HANDLE priv, pub;
	int rc = p11_find_pair(p11, p11->sess, id, idlen, &priv, &pub);
	if (rc != 0)
		return rc;
	memset(out, 0, sizeof(*out));
	memcpy(out->id, id, idlen);
	out->idlen = idlen;
	fill_info(p11, priv, pub, 0, out);
	return 0;
}

int ztk_p11_probe_extract(ztk_p11 *p11, const uint8_t *id, size_t idlen)
{
	CK_OBJECT_HANDLE priv;
	if (p11_find_pair(p11, p11->sess, id, idlen, &priv, NULL) != 0)
		return ZTK_ENOENT;
	uint8_t buf[1024];
	CK_ATTRIBUTE_TYPE secret[] = { CKA_VALUE, CKA_PRIVATE_EXPONENT,
		CKA_PRIME_1 };
	int leaked = 0;
	for (size_t i = 0; i < ZTK_ARRAY_LEN(secret); i++)
		if (get_attr(p11, priv, secret[i], buf, sizeof(buf)) > 0)
			leaked = 1;
	OPENSSL_cleanse(buf, sizeof(buf));
	return leaked;
}

int ztk_p11_set_label(ztk_p11 *p11, const uint8_t *id, size_t idlen,
	const char *label)
{
	CK_OBJECT_HANDLE priv, pub;
	int rc = p11_find_pair(p11, p11->sess, id, idlen, &priv, &pub);
	if (rc != 0)
		return rc;
	CK_ATTRIBUTE a = ATTR(CKA_LABEL, label, strlen(label));
	CK_OBJECT_HANDLE hs[2] = { priv, pub };
	for (int i = 0; i < 2; i++)
		if (hs[i] != 0 &&
		    p11->f->C_SetAttributeValue(p11->sess, hs[i], &a, 1) != CKR_OK)
			return ZTK_EP11;
	return 0;
}

int ztk_p11_destroy(ztk_p11 *p11, const uint8_t *id, size_t idlen)
{
	CK_OBJECT_HANDLE priv, pub;
	int rc = p11_find_pair(p11, p11->sess, id, idlen, &priv, &pub);
	if (rc == ZTK_ENOENT && pub != 0)
		rc = 0;
	if (rc != 0)
		return rc;
	if (priv != 0 && p11->f->C_DestroyObject(p11->sess, priv) != CKR_OK)
		return ZTK_EP11;
	if (pub != 0 && p11->f->C_DestroyObject(p11->sess, pub) != CKR_OK)
		return ZTK_EP11;
	return 0;
}

int ztk_p11_generate(ztk_p11 *p11, uint8_t alg, unsigned bits,
	const char *label, struct ztk_p11_key *out, char *why, size_t whylen)
{
	int rc = alg_allowed(alg, &bits, why, whylen);
	if (rc != 0)
		return rc;
	memset(out, 0, sizeof(*out));
	out->idlen = 16;
	if (RAND_bytes(out->id, (int)out->idlen) != 1) {
		snprintf(why, whylen, "no randomness for a key id");
		return ZTK_ECRYPTO;
	}
	CK_ULONG modbits = bits;
	static CK_BYTE f4[] = { 0x01, 0x00, 0x01 };
	size_t oidlen = 0;
	const uint8_t *oid = p11_curve_oid(alg, &oidlen);
	CK_KEY_TYPE kt = is_rsa_alg(alg) ? CKK_RSA
		: is_ed_alg(alg) ? CKK_EC_EDWARDS : CKK_EC;
	CK_MECHANISM mech = { is_rsa_alg(alg) ? CKM_RSA_PKCS_KEY_PAIR_GEN
		: is_ed_alg(alg) ? CKM_EC_EDWARDS_KEY_PAIR_GEN
		: CKM_EC_KEY_PAIR_GEN, NULL, 0 };
	CK_ATTRIBUTE pubt[PUB_ATTRS + 2], privt[PRIV_ATTRS];
	CK_ULONG npub = pub_attrs(pubt, &kt, out, label);
	CK_ULONG npriv = priv_attrs(privt, &kt, out, label);
	if (kt == CKK_RSA) {
		pubt[npub++] = (CK_ATTRIBUTE)ATTR(CKA_MODULUS_BITS, &modbits,
			sizeof(modbits));
		pubt[npub++] = (CK_ATTRIBUTE)ATTR(CKA_PUBLIC_EXPONENT, f4,
			sizeof(f4));
	} else {
		pubt[npub++] = (CK_ATTRIBUTE)ATTR(CKA_EC_PARAMS, oid, oidlen);
	}
	CK_OBJECT_HANDLE hpub = 0, hpriv = 0;
	CK_RV rv = p11->f->C_GenerateKeyPair(p11->sess, &mech, pubt, npub,
		privt, npriv, &hpub, &hpriv);
	if (rv != CKR_OK) {
		const struct ztk_alg_info *ai = ztk_alg_by_number(alg);
		snprintf(why, whylen, "the token cannot generate a %s key: %s%s",
			ai->mnemonic, ztk_p11_rvname(rv),
			rv == CKR_MECHANISM_INVALID ||
			rv == CKR_DOMAIN_PARAMS_INVALID ||
			rv == CKR_CURVE_NOT_SUPPORTED ?
			" (the token does not support this algorithm)" : "");
		return ZTK_EP11;
	}
	out->alg = alg;
	out->bits = bits;
	snprintf(out->label, sizeof(out->label), "%s", label);
	fill_info(p11, hpriv, hpub, alg, out);
	if (out->publen == 0) {
		snprintf(why, whylen, "the token made a key but will not show "
			"its public half");
		ztk_p11_destroy(p11, out->id, out->idlen);
		return ZTK_EP11;
	}
	return 0;
}

/* --- import ---------------------------------------------------------- */

static int bn_attr(EVP_PKEY *pk, const char *name, uint8_t *buf,
	size_t cap, CK_ATTRIBUTE *a, CK_ATTRIBUTE_TYPE t)
{
	BIGNUM *bn = NULL;
	if (EVP_PKEY_get_bn_param(pk, name, &bn) != 1)
		return -1;
	int n = BN_num_bytes(bn);
	if (n <= 0 || (size_t)n > cap) {
		BN_clear_free(bn);
		return -1;
	}
	BN_bn2bin(bn, buf);
	BN_clear_free(bn);
	a->type = t;
	a->pValue = buf;
	a->ulValueLen = (CK_ULONG)n;
	return 0;
}

int ztk_p11_import(ztk_p11 *p11, const char *path, uint8_t alg,
	const char *label, struct ztk_p11_key *out, char *why, size_t whylen)
{
	size_t plen = strlen(path);
	bool bind = plen > 8 && strcmp(path + plen - 8, ".private") == 0;
	EVP_PKEY *pk;
	if (bind) {
		pk = pkey_load_bind(path, &alg, NULL, why, whylen);
	} else {
		if (pkey_check_mode(path, why, whylen) != 0)
			return ZTK_EACCES;
		pk = pkey_load_pem(path, why, whylen);
	}
	if (pk == NULL)
		return ZTK_EINVAL;
	int rc;
	if (alg == 0) {
		/* PEM: the key type decides, RSA needs the caller's word. */
		int t = EVP_PKEY_get_base_id(pk);
		if (t == EVP_PKEY_ED25519) alg = ZTK_ALG_ED25519;
		else if (t == EVP_PKEY_ED448) alg = ZTK_ALG_ED448;
		else if (t == EVP_PKEY_EC) {
			char g[64] = "";
			EVP_PKEY_get_utf8_string_param(pk,
				OSSL_PKEY_PARAM_GROUP_NAME, g, sizeof(g), NULL);
			alg = strcmp(g, "prime256v1") == 0 ? 13
				: strcmp(g, "secp384r1") == 0 ? 14 : 0;
		} else if (t == EVP_PKEY_RSA)
			alg = ZTK_ALG_RSASHA256;
	}
	unsigned bits = alg ? (unsigned)EVP_PKEY_get_bits(pk) : 0;
	if (alg == ZTK_ALG_ED448 || alg == ZTK_ALG_ED25519 ||
	    alg == ZTK_ALG_ECDSAP256SHA256 || alg == ZTK_ALG_ECDSAP384SHA384)
		bits = 0;
	if (alg == 0) {
		snprintf(why, whylen, "%s: key type cannot sign DNSSEC", path);
		rc = ZTK_ENOTSUP;
		goto out;
	}
	if ((rc = alg_allowed(alg, &bits, why, whylen)) != 0)
		goto out;
	memset(out, 0, sizeof(*out));
	out->alg = alg;
	out->bits = bits;
	out->publen = sizeof(out->pub);
	if (pkey_to_dnspub(pk, alg, out->pub, &out->publen) != 0) {
		snprintf(why, whylen, "%s: the key does not fit algorithm %u",
			path, alg);
		rc = ZTK_EINVAL;
		goto out;
	}
	out->idlen = 16;
	if (RAND_bytes(out->id, 16) != 1) {
		rc = ZTK_ECRYPTO;
		goto out;
	}
	snprintf(out->label, sizeof(out->label), "%s", label);

	CK_KEY_TYPE kt = is_rsa_alg(alg) ? CKK_RSA
		: is_ed_alg(alg) ? CKK_EC_EDWARDS : CKK_EC;
	size_t oidlen = 0;
	const uint8_t *oid = p11_curve_oid(alg, &oidlen);
	static uint8_t comp[8][1024];
	CK_ATTRIBUTE priv[PRIV_ATTRS + 10];
	CK_ULONG np = priv_attrs(priv, &kt, out, label);
	uint8_t point[3 + 1 + 96], edpub[1 + 96];
	size_t ptlen = 0;
	if (kt == CKK_RSA) {
		static const char *names[8] = { OSSL_PKEY_PARAM_RSA_N,
			OSSL_PKEY_PARAM_RSA_E, OSSL_PKEY_PARAM_RSA_D,
			OSSL_PKEY_PARAM_RSA_FACTOR1, OSSL_PKEY_PARAM_RSA_FACTOR2,
			OSSL_PKEY_PARAM_RSA_EXPONENT1,
			OSSL_PKEY_PARAM_RSA_EXPONENT2,
			OSSL_PKEY_PARAM_RSA_COEFFICIENT1 };
		static const CK_ATTRIBUTE_TYPE types[8] = { CKA_MODULUS,
			CKA_PUBLIC_EXPONENT, CKA_PRIVATE_EXPONENT, CKA_PRIME_1,
			CKA_PRIME_2, CKA_EXPONENT_1, CKA_EXPONENT_2,
			CKA_COEFFICIENT };
		for (int i = 0; i < 8; i++)
			if (bn_attr(pk, names[i], comp[i], sizeof(comp[i]),
				&priv[np++], types[i]) != 0) {
				snprintf(why, whylen, "%s: RSA key lacks its CRT "
					"parameters", path);
				rc = ZTK_EINVAL;
				goto wipe;
			}
	} else {
		priv[np++] = (CK_ATTRIBUTE)ATTR(CKA_EC_PARAMS, oid, oidlen);
		if (is_ed_alg(alg)) {
			size_t l = sizeof(comp[0]);
			if (EVP_PKEY_get_raw_private_key(pk, comp[0], &l) != 1) {
				rc = ZTK_ECRYPTO;
				goto wipe;
			}
			priv[np++] = (CK_ATTRIBUTE)ATTR(CKA_VALUE, comp[0], l);
		} else if (bn_attr(pk, OSSL_PKEY_PARAM_PRIV_KEY, comp[0],
			sizeof(comp[0]), &priv[np++], CKA_VALUE) != 0) {
			rc = ZTK_ECRYPTO;
			goto wipe;
		} else {
			/* EC scalars are fixed width: pad to the curve size. */
			size_t want = alg == 13 ? 32 : 48;
			size_t have = priv[np - 1].ulValueLen;
			if (have < want) {
				memmove(comp[0] + want - have, comp[0], have);
				memset(comp[0], 0, want - have);
				priv[np - 1].ulValueLen = want;
			}
		}
		/* The public object's CKA_EC_POINT: DER OCTET STRING. */
		const uint8_t *raw = out->pub;
		size_t rawlen = out->publen;
		if (!is_ed_alg(alg)) {
			edpub[0] = 0x04;
			memcpy(edpub + 1, out->pub, out->publen);
			raw = edpub;
			rawlen = out->publen + 1;
		}
		point[0] = 0x04;
		point[1] = (uint8_t)rawlen;
		memcpy(point + 2, raw, rawlen);
		ptlen = rawlen + 2;
	}
	CK_OBJECT_HANDLE hpriv = 0, hpub = 0;
	CK_RV rv = p11->f->C_CreateObject(p11->sess, priv, np, &hpriv);
	if (rv != CKR_OK) {
		snprintf(why, whylen, "the token refused the private key: %s",
			ztk_p11_rvname(rv));
		rc = ZTK_EP11;
		goto wipe;
	}
	CK_ATTRIBUTE pubt[PUB_ATTRS + 2];
	CK_ULONG nq = pub_attrs(pubt, &kt, out, label);
	if (kt == CKK_RSA) {
		pubt[nq++] = priv[PRIV_ATTRS];          /* modulus */
		pubt[nq++] = priv[PRIV_ATTRS + 1];      /* public exponent */
	} else {
		pubt[nq++] = (CK_ATTRIBUTE)ATTR(CKA_EC_PARAMS, oid, oidlen);
		pubt[nq++] = (CK_ATTRIBUTE)ATTR(CKA_EC_POINT, point, ptlen);
	}
	rv = p11->f->C_CreateObject(p11->sess, pubt, nq, &hpub);
	if (rv != CKR_OK) {
		p11->f->C_DestroyObject(p11->sess, hpriv);
		snprintf(why, whylen, "the token refused the public key: %s",
			ztk_p11_rvname(rv));
		rc = ZTK_EP11;
		goto wipe;
	}
	fill_info(p11, hpriv, hpub, alg, out);
	out->bits = bits;
	rc = 0;
wipe:
	OPENSSL_cleanse(comp, sizeof(comp));
out:
	EVP_PKEY_free(pk);
	ERR_clear_error();
	return rc;
}

/* --- enumerate -------------------------------------------------------- */

int ztk_p11_enumerate(ztk_p11 *p11,
	int (*cb)(void *ctx, const struct ztk_p11_key *key), void *ctx)
{
	/* Collect CKA_IDs of every key object first: callbacks may use the
	 * session, and a find operation must not be left open. */
	CK_OBJECT_HANDLE hs[1024];
	CK_ULONG n = 0;
	CK_OBJECT_CLASS classes[2] = { CKO_PRIVATE_KEY, CKO_PUBLIC_KEY };
	CK_ULONG total = 0;
	for (int c = 0; c < 2; c++) {
		CK_ATTRIBUTE t = ATTR(CKA_CLASS, &classes[c], sizeof(CK_ULONG));
		if (p11->f->C_FindObjectsInit(p11->sess, &t, 1) != CKR_OK)
			return ZTK_EP11;
		CK_RV rv = p11->f->C_FindObjects(p11->sess, hs + total,
			ZTK_ARRAY_LEN(hs) - total, &n);
		p11->f->C_FindObjectsFinal(p11->sess);
		if (rv != CKR_OK)
			return ZTK_EP11;
		total += n;
	}
	struct ztk_p11_key *seen = calloc(total ? total : 1, sizeof(*seen));
	if (seen == NULL)
		return ZTK_ENOMEM;
	size_t nseen = 0;
	int rc = 0;
	for (CK_ULONG i = 0; i < total; i++) {
		uint8_t id[ZTK_P11_ID_MAX];
		long il = get_attr(p11, hs[i], CKA_ID, id, sizeof(id));
		if (il < 0)
			il = 0;
		bool dup = false;
		for (size_t j = 0; j < nseen && !dup; j++)
			dup = seen[j].idlen == (size_t)il &&
				memcmp(seen[j].id, id, (size_t)il) == 0;
		if (dup)
			continue;
		struct ztk_p11_key *k = &seen[nseen++];
		memcpy(k->id, id, (size_t)il);
		k->idlen = (size_t)il;
	}
	for (size_t j = 0; j < nseen && rc == 0; j++) {
		struct ztk_p11_key *k = &seen[j];
		CK_OBJECT_HANDLE priv = 0, pub = 0;
		p11_find_pair(p11, p11->sess, k->id, k->idlen, &priv, &pub);
		fill_info(p11, priv, pub, 0, k);
		rc = cb(ctx, k);
	}
	free(seen);
	return rc;
}
