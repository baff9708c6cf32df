/*
 * pkey.c - DNSSEC keys and signatures in OpenSSL terms: DNSKEY <-> EVP_PKEY,
 * signature verification, and the private key files of BIND and PEM.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include <ztk/dnssec.h>
#include <ztk/error.h>
#include <ztk/keystore.h>
#include <ztk/dname.h>
#include <ztk/scanner.h>

#include "pkey.h"
#include "util.h"

static bool is_rsa(uint8_t alg)
{
	return alg == ZTK_ALG_RSASHA256 || alg == ZTK_ALG_RSASHA512 ||
		alg == ZTK_ALG_RSASHA1 || alg == ZTK_ALG_RSASHA1_NSEC3_SHA1;
}

static const char *ec_group(uint8_t alg, size_t *half)
{
	switch (alg) {
	case ZTK_ALG_ECDSAP256SHA256: *half = 32; return "prime256v1";
	case ZTK_ALG_ECDSAP384SHA384: *half = 48; return "secp384r1";
	default: *half = 0; return NULL;
	}
}

static int ed_type(uint8_t alg, size_t *len)
{
	switch (alg) {
	case ZTK_ALG_ED25519: *len = 32; return EVP_PKEY_ED25519;
	case ZTK_ALG_ED448: *len = 57; return EVP_PKEY_ED448;
	default: *len = 0; return 0;
	}
}

const EVP_MD *pkey_alg_md(uint8_t alg)
{
	switch (alg) {
	case ZTK_ALG_RSASHA1: case ZTK_ALG_RSASHA1_NSEC3_SHA1:
		return EVP_sha1();
	case ZTK_ALG_RSASHA256: case ZTK_ALG_ECDSAP256SHA256:
		return EVP_sha256();
	case ZTK_ALG_ECDSAP384SHA384: return EVP_sha384();
	case ZTK_ALG_RSASHA512: return EVP_sha512();
	default: return NULL;
	}
}

static EVP_PKEY *fromdata(const char *type, OSSL_PARAM_BLD *bld, int sel)
{
	EVP_PKEY *pk = NULL;
	OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
	if (params == NULL || ctx == NULL || EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &pk, sel, params) != 1)
		pk = NULL;
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	return pk;
}

EVP_PKEY *pkey_from_dnskey(const uint8_t *rdata, size_t len)
{
	if (len < 5)
		return NULL;
	uint8_t alg = rdata[3];
	const uint8_t *k = rdata + 4;
	size_t klen = len - 4, half, edlen;
	const char *group;
	int ed;
	if (is_rsa(alg)) {
		size_t elen = k[0], off = 1;
		if (elen == 0) {
			if (klen < 3)
				return NULL;
			elen = (size_t)k[1] << 8 | k[2];
			off = 3;
		}
		if (elen == 0 || off + elen >= klen)
			return NULL;
		BIGNUM *e = BN_bin2bn(k + off, (int)elen, NULL);
		BIGNUM *n = BN_bin2bn(k + off + elen, (int)(klen - off - elen),
			NULL);
		OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
		EVP_PKEY *pk = NULL;
		if (e && n && bld &&
		    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) &&
		    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e))
			pk = fromdata("RSA", bld, EVP_PKEY_PUBLIC_KEY);
		OSSL_PARAM_BLD_free(bld);
		BN_free(e);
		BN_free(n);
		return pk;
	}
	if ((group = ec_group(alg, &half)) != NULL) {
		if (klen != 2 * half)
			return NULL;
		uint8_t point[1 + 96];
		point[0] = 0x04;
		memcpy(point + 1, k, klen);
		OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
		EVP_PKEY *pk = NULL;
		if (bld && OSSL_PARAM_BLD_push_utf8_string(bld,
			OSSL_PKEY_PARAM_GROUP_NAME, group, 0) &&
		    OSSL_PARAM_BLD_push_octet_string(bld,
			OSSL_PKEY_PARAM_PUB_KEY, point, 1 + klen))
			pk = fromdata("EC", bld, EVP_PKEY_PUBLIC_KEY);
		OSSL_PARAM_BLD_free(bld);
		return pk;
	}
	if ((ed = ed_type(alg, &edlen)) != 0) {
		if (klen != edlen)
			return NULL;
		return EVP_PKEY_new_raw_public_key(ed, NULL, k, klen);
	}
	return NULL;
}

int pkey_to_dnspub(EVP_PKEY *pk, uint8_t alg, uint8_t *pub, size_t *publen)
{
	size_t cap = *publen, half, edlen;
	const char *group;
	int ed;
	if (is_rsa(alg)) {
		if (EVP_PKEY_get_base_id(pk) != EVP_PKEY_RSA)
			return ZTK_EINVAL;
		BIGNUM *n = NULL, *e = NULL;
		int rc = ZTK_ECRYPTO;
		if (EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_N, &n) == 1 &&
		    EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_E, &e) == 1) {
			size_t el = (size_t)BN_num_bytes(e);
			size_t nl = (size_t)BN_num_bytes(n);
			size_t hl = el <= 255 ? 1 : 3;
			if (el > 65535 || hl + el + nl > cap) {
				rc = ZTK_ESPACE;
			} else {
				if (hl == 1)
					pub[0] = (uint8_t)el;
				else {
					pub[0] = 0;
					pub[1] = (uint8_t)(el >> 8);
					pub[2] = (uint8_t)el;
				}
				BN_bn2bin(e, pub + hl);
				BN_bn2bin(n, pub + hl + el);
				*publen = hl + el + nl;
				rc = 0;
			}
		}
		BN_free(n);
		BN_free(e);
		return rc;
	}
	if ((group = ec_group(alg, &half)) != NULL) {
		char gname[64];
		uint8_t point[1 + 96 + 1];
		size_t plen = 0;
		if (EVP_PKEY_get_base_id(pk) != EVP_PKEY_EC ||
		    EVP_PKEY_get_utf8_string_param(pk,
			OSSL_PKEY_PARAM_GROUP_NAME, gname, sizeof(gname),
			NULL) != 1 || strcmp(gname, group) != 0)
			return ZTK_EINVAL;
		if (EVP_PKEY_get_octet_string_param(pk,
			OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point,
			sizeof(point), &plen) != 1 || plen != 1 + 2 * half ||
		    point[0] != 0x04)
			return ZTK_ECRYPTO;
		if (cap < 2 * half)
			return ZTK_ESPACE;
		memcpy(pub, point + 1, 2 * half);
		*publen = 2 * half;
		return 0;
	}
	if ((ed = ed_type(alg, &edlen)) != 0) {
		if (EVP_PKEY_get_base_id(pk) != ed)
			return ZTK_EINVAL;
		if (cap < edlen)
			return ZTK_ESPACE;
		size_t n = cap;
		if (EVP_PKEY_get_raw_public_key(pk, pub, &n) != 1 || n != edlen)
			return ZTK_ECRYPTO;
		*publen = n;
		return 0;
	}
	return ZTK_ENOTSUP;
}

int pkey_ecdsa_der_to_raw(const uint8_t *der, size_t derlen, size_t half,
	uint8_t *out)
{
	/* ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }, short DER
	 * lengths only (r and s are at most 49 octets).  Parsed here rather
	 * than with d2i_ECDSA_SIG: that allocates three objects per
	 * signature. */
	size_t p = 0;
	if (derlen < 8 || der[p++] != 0x30)
		return ZTK_ECRYPTO;
	size_t seqlen = der[p++];
	if (seqlen & 0x80) {
		if (seqlen != 0x81 || p >= derlen)
			return ZTK_ECRYPTO;
		seqlen = der[p++];
	}
	if (p + seqlen != derlen)
		return ZTK_ECRYPTO;
	for (int i = 0; i < 2; i++) {
		if (p + 2 > derlen || der[p] != 0x02)
			return ZTK_ECRYPTO;
		size_t l = der[p + 1];
		p += 2;
		if (l == 0 || l > 0x7f || p + l > derlen)
			return ZTK_ECRYPTO;
		const uint8_t *v = der + p;
		p += l;
		while (l > 0 && *v == 0)
			v++, l--;
		if (l > half)
			return ZTK_ECRYPTO;
		uint8_t *dst = out + (size_t)i * half;
		memset(dst, 0, half - l);
		memcpy(dst + half - l, v, l);
	}
	return p == derlen ? 0 : ZTK_ECRYPTO;
}

/* One DER INTEGER of an unsigned big-endian number (X.690 8.3: leading
 * zeros dropped, a zero octet first when the top bit is set); returns the
 * octets written. */
static size_t der_uint(const uint8_t *p, size_t n, uint8_t *out)
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

int pkey_ecdsa_raw_to_der(const uint8_t *raw, size_t rawlen, uint8_t *out,
	size_t *outlen)
{
	/* No ECDSA_SIG and BIGNUMs: this runs once per verification.  Up
	 * to 60-octet halves every length fits the short DER form. */
	size_t half = rawlen / 2;
	if (half == 0 || rawlen % 2 != 0 || half > 60)
		return ZTK_EINVAL;
	if (*outlen < 2 + 2 * (3 + half))
		return ZTK_ESPACE;
	size_t o = 2;
	o += der_uint(raw, half, out + o);
	o += der_uint(raw + half, half, out + o);
	out[0] = 0x30;
	out[1] = (uint8_t)(o - 2);
	*outlen = o;
	return 0;
}

int pkey_digest(uint8_t alg, const uint8_t *msg, size_t len, uint8_t *md,
	size_t *mdlen)
{
	/* One-shot SHA-2: EVP_Digest allocates a context per call. */
	switch (alg) {
	case ZTK_ALG_ECDSAP256SHA256: case ZTK_ALG_RSASHA256:
		SHA256(msg, len, md);
		*mdlen = 32;
		return 0;
	case ZTK_ALG_ECDSAP384SHA384:
		SHA384(msg, len, md);
		*mdlen = 48;
		return 0;
	case ZTK_ALG_RSASHA512:
		SHA512(msg, len, md);
		*mdlen = 64;
		return 0;
	}
	const EVP_MD *d = pkey_alg_md(alg);
	unsigned n = 0;
	if (d == NULL || EVP_Digest(msg, len, md, &n, d, NULL) != 1)
		return ZTK_ECRYPTO;
	*mdlen = n;
	return 0;
}

int ztk_dnssec_verify(const uint8_t *dnskey, size_t dnskey_len,
	const uint8_t *msg, size_t len, const uint8_t *sig, size_t siglen)
{
	if (dnskey_len < 5)
		return ZTK_EMALF;
	uint8_t alg = dnskey[3];
	EVP_PKEY *pk = pkey_from_dnskey(dnskey, dnskey_len);
	if (pk == NULL)
		return ztk_alg_by_number(alg) && ztk_alg_by_number(alg)->supported
			? ZTK_EMALF : ZTK_ENOTSUP;
	uint8_t der[160];
	size_t half;
	if (ec_group(alg, &half) != NULL) {
		size_t dl = sizeof(der);
		if (siglen != 2 * half ||
		    pkey_ecdsa_raw_to_der(sig, siglen, der, &dl) != 0) {
			EVP_PKEY_free(pk);
			return 1;
		}
		sig = der;
		siglen = dl;
	}
	EVP_MD_CTX *mctx = EVP_MD_CTX_new();
	int rc = ZTK_ENOMEM;
	if (mctx != NULL) {
		rc = ZTK_ECRYPTO;
		if (EVP_DigestVerifyInit(mctx, NULL, pkey_alg_md(alg), NULL,
			pk) == 1) {
			int v = EVP_DigestVerify(mctx, sig, siglen, msg, len);
			rc = v == 1 ? 0 : 1;
		}
	}
	EVP_MD_CTX_free(mctx);
	EVP_PKEY_free(pk);
	ERR_clear_error();
	return rc;
}

int pkey_check_mode(const char *path, char *why, size_t whylen)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return ZTK_EIO;
	}
	if ((st.st_mode & 077) != 0) {
		snprintf(why, whylen, "%s: private key file is readable by "
			"others (mode %03o); run 'chmod 600 %s'", path,
			(unsigned)(st.st_mode & 0777), path);
		return ZTK_EACCES;
	}
	return 0;
}

EVP_PKEY *pkey_load_pem(const char *path, char *why, size_t whylen)
{
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	EVP_PKEY *pk = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	if (pk == NULL)
		snprintf(why, whylen, "%s: not a PEM private key (or it is "
			"encrypted)", path);
	ERR_clear_error();
	return pk;
}

/* --- BIND K*.private files ------------------------------------------ */

struct bind_fields {
	char *name[16];
	char *value[16];
	int n;
};

static const char *field(const struct bind_fields *bf, const char *name)
{
	for (int i = 0; i < bf->n; i++)
		if (strcmp(bf->name[i], name) == 0)
			return bf->value[i];
	return NULL;
}

static BIGNUM *field_bn(const struct bind_fields *bf, const char *name)
{
	const char *v = field(bf, name);
	if (v == NULL)
		return NULL;
	size_t len = strlen(v);
	uint8_t *buf = malloc(len + 1);
	if (buf == NULL)
		return NULL;
	int n = EVP_DecodeBlock(buf, (const unsigned char *)v, (int)len);
	if (n < 0) {
		free(buf);
		return NULL;
	}
	/* EVP_DecodeBlock counts padding as zero octets: drop them. */
	for (size_t i = len; i > 0 && v[i - 1] == '='; i--)
		n--;
	BIGNUM *bn = BN_bin2bn(buf, n, NULL);
	OPENSSL_cleanse(buf, len + 1);
	free(buf);
	return bn;
}

static int64_t bind_time(const char *v)
{
	struct tm tm = { 0 };
	if (v == NULL || strlen(v) < 14)
		return 0;
	if (sscanf(v, "%4d%2d%2d%2d%2d%2d", &tm.tm_year, &tm.tm_mon,
		&tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (int64_t)timegm(&tm);
}

struct first_dnskey {
	uint8_t rdata[ZTK_PUBKEY_MAX + 4];
	size_t len;
	uint8_t owner[255];
	bool found;
};

static int take_dnskey(void *ctx, const struct ztk_rr *rr)
{
	struct first_dnskey *fd = ctx;
	if (rr->type != 48 || fd->found || rr->rdlen > sizeof(fd->rdata))
		return 0;
	memcpy(fd->rdata, rr->rdata, rr->rdlen);
	fd->len = rr->rdlen;
	memcpy(fd->owner, rr->owner, ztk_dname_len(rr->owner));
	fd->found = true;
	return 0;
}

static EVP_PKEY *load_bind(const char *path, uint8_t *alg, int64_t times[5],
	struct first_dnskey *fd, char *why, size_t whylen);

EVP_PKEY *pkey_load_bind(const char *path, uint8_t *alg, int64_t times[5],
	char *why, size_t whylen)
{
	static struct first_dnskey fd;
	return load_bind(path, alg, times, &fd, why, whylen);
}

int ztk_bind_key_meta(const char *private_path, uint8_t *owner,
	uint8_t *dnskey, size_t *dnskey_len, int64_t times[5], char *why,
	size_t whylen)
{
	static struct first_dnskey fd;
	uint8_t alg;
	alg = 0;
	EVP_PKEY *pk = load_bind(private_path, &alg, times, &fd, why, whylen);
	if (pk == NULL) {
		const struct ztk_alg_info *ai = ztk_alg_by_number(alg);
		return ai != NULL && !ai->supported ? ZTK_EPOLICY : ZTK_EINVAL;
	}
	EVP_PKEY_free(pk);
	if (fd.len > *dnskey_len)
		return ZTK_ESPACE;
	memcpy(dnskey, fd.rdata, fd.len);
	*dnskey_len = fd.len;
	memcpy(owner, fd.owner, ztk_dname_len(fd.owner));
	return 0;
}

static EVP_PKEY *load_bind(const char *path, uint8_t *alg, int64_t times[5],
	struct first_dnskey *fdp, char *why, size_t whylen)
{
	size_t plen = strlen(path);
	if (plen < 9 || strcmp(path + plen - 8, ".private") != 0) {
		snprintf(why, whylen, "%s: a BIND private key file name ends "
			"in .private", path);
		return NULL;
	}
	if (pkey_check_mode(path, why, whylen) != 0)
		return NULL;
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	static char text[65536];
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	struct bind_fields bf = { .n = 0 };
	for (char *line = text, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		char *colon = strchr(line, ':');
		if (colon == NULL || bf.n == 16)
			continue;
		*colon = '\0';
		char *v = colon + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		v[strcspn(v, "\r")] = '\0';
		bf.name[bf.n] = line;
		bf.value[bf.n++] = v;
	}
	EVP_PKEY *pk = NULL;
	const char *fmt = field(&bf, "Private-key-format");
	const char *a = field(&bf, "Algorithm");
	if (fmt == NULL || strncmp(fmt, "v1.", 3) != 0 || a == NULL) {
		snprintf(why, whylen, "%s: not a BIND private key file (no "
			"Private-key-format v1.x and Algorithm lines)", path);
		goto out;
	}
	*alg = (uint8_t)strtoul(a, NULL, 10);
	const struct ztk_alg_info *ai = ztk_alg_by_number(*alg);
	if (ai == NULL || !ai->supported) {
		snprintf(why, whylen, "%s: algorithm %s cannot be imported%s%s",
			path, a, ai && ai->why_not ? ": " : "",
			ai && ai->why_not ? ai->why_not : "");
		goto out;
	}
	if (times != NULL) {
		static const char *names[5] = { "Created", "Publish",
			"Activate", "Inactive", "Delete" };
		for (int i = 0; i < 5; i++)
			times[i] = bind_time(field(&bf, names[i]));
	}

	/* The public half comes from K*.key: EC private keys in BIND files
	 * carry only the scalar, and it lets us check the pair matches. */
	char keypath[4096];
	if (plen - 8 + 5 > sizeof(keypath)) {
		snprintf(why, whylen, "%s: name too long", path);
		goto out;
	}
	memcpy(keypath, path, plen - 8);
	memcpy(keypath + plen - 8, ".key", 5);
	struct first_dnskey *fd0 = fdp;
	memset(fd0, 0, sizeof(*fd0));
#define fd (*fd0)
	struct ztk_scan_opts so = { .on_rr = take_dnskey, .ctx = fd0,
		.no_include = true, .ttl_optional = true };
	if (ztk_scan_file(keypath, &so, NULL) != 0 || !fd.found) {
		snprintf(why, whylen, "%s: cannot read the DNSKEY from %s "
			"beside it", path, keypath);
		goto out;
	}
	if (fd.rdata[3] != *alg) {
		snprintf(why, whylen, "%s: algorithm %u does not match the "
			"DNSKEY in %s (%u)", path, *alg, keypath, fd.rdata[3]);
		goto out;
	}

	size_t half, edlen;
	const char *group;
	int ed;
	if (is_rsa(*alg)) {
		static const char *bn_fields[8] = { "Modulus", "PublicExponent",
			"PrivateExponent", "Prime1", "Prime2", "Exponent1",
			"Exponent2", "Coefficient" };
		static const char *params[8] = { OSSL_PKEY_PARAM_RSA_N,
			OSSL_PKEY_PARAM_RSA_E, OSSL_PKEY_PARAM_RSA_D,
			OSSL_PKEY_PARAM_RSA_FACTOR1, OSSL_PKEY_PARAM_RSA_FACTOR2,
			OSSL_PKEY_PARAM_RSA_EXPONENT1,
			OSSL_PKEY_PARAM_RSA_EXPONENT2,
			OSSL_PKEY_PARAM_RSA_COEFFICIENT1 };
		BIGNUM *bn[8] = { 0 };
		OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
		bool ok = bld != NULL;
		for (int i = 0; i < 8 && ok; i++) {
			bn[i] = field_bn(&bf, bn_fields[i]);
			ok = bn[i] != NULL &&
				OSSL_PARAM_BLD_push_BN(bld, params[i], bn[i]);
		}
		if (ok)
			pk = fromdata("RSA", bld, EVP_PKEY_KEYPAIR);
		for (int i = 0; i < 8; i++)
			BN_clear_free(bn[i]);
		OSSL_PARAM_BLD_free(bld);
	} else if ((group = ec_group(*alg, &half)) != NULL) {
		BIGNUM *d = field_bn(&bf, "PrivateKey");
		uint8_t point[1 + 96];
		OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
		if (d && bld && fd.len == 4 + 2 * half) {
			point[0] = 0x04;
			memcpy(point + 1, fd.rdata + 4, 2 * half);
			if (OSSL_PARAM_BLD_push_utf8_string(bld,
				OSSL_PKEY_PARAM_GROUP_NAME, group, 0) &&
			    OSSL_PARAM_BLD_push_BN(bld,
				OSSL_PKEY_PARAM_PRIV_KEY, d) &&
			    OSSL_PARAM_BLD_push_octet_string(bld,
				OSSL_PKEY_PARAM_PUB_KEY, point, 1 + 2 * half))
				pk = fromdata("EC", bld, EVP_PKEY_KEYPAIR);
		}
		BN_clear_free(d);
		OSSL_PARAM_BLD_free(bld);
	} else if ((ed = ed_type(*alg, &edlen)) != 0) {
		const char *v = field(&bf, "PrivateKey");
		uint8_t raw[128];
		if (v != NULL && strlen(v) < 96) {
			int dn = EVP_DecodeBlock(raw, (const unsigned char *)v,
				(int)strlen(v));
			for (size_t i = strlen(v); i > 0 && v[i - 1] == '='; i--)
				dn--;
			if (dn == (int)edlen)
				pk = EVP_PKEY_new_raw_private_key(ed, NULL, raw,
					edlen);
			OPENSSL_cleanse(raw, sizeof(raw));
		}
	}
	if (pk == NULL) {
		snprintf(why, whylen, "%s: the private key fields are missing "
			"or malformed", path);
		goto out;
	}
	/* The EC public point above came from K*.key: make OpenSSL prove
	 * the private scalar belongs to it (RSA and EdDSA derive theirs). */
	EVP_PKEY_CTX *chk = EVP_PKEY_CTX_new_from_pkey(NULL, pk, NULL);
	bool pair_ok = chk != NULL && EVP_PKEY_pairwise_check(chk) == 1;
	EVP_PKEY_CTX_free(chk);
	uint8_t pub[ZTK_PUBKEY_MAX];
	size_t publen = sizeof(pub);
	if (!pair_ok || pkey_to_dnspub(pk, *alg, pub, &publen) != 0 ||
	    publen != fd.len - 4 || memcmp(pub, fd.rdata + 4, publen) != 0) {
		snprintf(why, whylen, "%s: the private key does not belong to "
			"the DNSKEY in %s", path, keypath);
		EVP_PKEY_free(pk);
		pk = NULL;
	}
#undef fd
out:
	OPENSSL_cleanse(text, sizeof(text));
	ERR_clear_error();
	return pk;
}
