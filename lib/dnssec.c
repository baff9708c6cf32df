/*
 * dnssec.c - algorithm table, key tags and DS digests.
 *
 * The algorithm table is the one place that knows RFC 8624's verdicts, so
 * ztk-key, ztk-ds and ztk-sign refuse the same things with the same words.
 */
#include <strings.h>
#include <string.h>

#include <openssl/evp.h>

#include <ztk/dnssec.h>
#include <ztk/error.h>

#include "util.h"

static const struct ztk_alg_info algs[] = {
	{ 1, "RSAMD5", ZTK_ALG_MUST_NOT, false, 0, 0, 0, 0,
	  "RFC 8624 3.1: MUST NOT be used for signing (MD5 is broken)" },
	{ 3, "DSA", ZTK_ALG_MUST_NOT, false, 0, 0, 0, 0,
	  "RFC 8624 3.1: MUST NOT be used for signing (DSA with SHA-1)" },
	{ 5, "RSASHA1", ZTK_ALG_NOT_RECOMMENDED, false, 0, 0, 0, 0,
	  "RFC 8624 3.1: NOT RECOMMENDED for signing (SHA-1 signatures are "
	  "forgeable by chosen-prefix collisions); use ECDSAP256SHA256 (13)" },
	{ 6, "DSA-NSEC3-SHA1", ZTK_ALG_MUST_NOT, false, 0, 0, 0, 0,
	  "RFC 8624 3.1: MUST NOT be used for signing (DSA with SHA-1)" },
	{ 7, "RSASHA1-NSEC3-SHA1", ZTK_ALG_NOT_RECOMMENDED, false, 0, 0, 0, 0,
	  "RFC 8624 3.1: NOT RECOMMENDED for signing (SHA-1 signatures are "
	  "forgeable by chosen-prefix collisions); use ECDSAP256SHA256 (13)" },
	{ 8, "RSASHA256", ZTK_ALG_RECOMMENDED, true, 2048, 4096, 2048, 0, NULL },
	{ 10, "RSASHA512", ZTK_ALG_NOT_RECOMMENDED, true, 2048, 4096, 2048, 0,
	  NULL },
	{ 12, "ECC-GOST", ZTK_ALG_MUST_NOT, false, 0, 0, 0, 0,
	  "RFC 8624 3.1: MUST NOT be used for signing (GOST R 34.10-2001 is "
	  "withdrawn)" },
	{ 13, "ECDSAP256SHA256", ZTK_ALG_RECOMMENDED, true, 256, 256, 256, 64,
	  NULL },
	{ 14, "ECDSAP384SHA384", ZTK_ALG_MAY, true, 384, 384, 384, 96, NULL },
	{ 15, "ED25519", ZTK_ALG_RECOMMENDED, true, 256, 256, 256, 64, NULL },
	{ 16, "ED448", ZTK_ALG_MAY, true, 456, 456, 456, 114, NULL },
};

const struct ztk_alg_info *ztk_alg_by_number(unsigned number)
{
	for (size_t i = 0; i < ZTK_ARRAY_LEN(algs); i++)
		if (algs[i].number == number)
			return &algs[i];
	return NULL;
}

const struct ztk_alg_info *ztk_alg_by_name(const char *name)
{
	if (name == NULL || *name == '\0')
		return NULL;
	if (name[0] >= '0' && name[0] <= '9') {
		unsigned v = 0;
		for (const char *p = name; *p; p++) {
			if (*p < '0' || *p > '9' || v > 255)
				return NULL;
			v = v * 10 + (unsigned)(*p - '0');
		}
		return v <= 255 ? ztk_alg_by_number(v) : NULL;
	}
	for (size_t i = 0; i < ZTK_ARRAY_LEN(algs); i++)
		if (strcasecmp(algs[i].mnemonic, name) == 0)
			return &algs[i];
	return NULL;
}

static const struct {
	unsigned type;
	const char *name, *alt;
	size_t len;
} digests[] = {
	{ ZTK_DIGEST_SHA1, "SHA-1", "SHA1", 20 },
	{ ZTK_DIGEST_SHA256, "SHA-256", "SHA256", 32 },
	{ ZTK_DIGEST_SHA384, "SHA-384", "SHA384", 48 },
};

const char *ztk_digest_name(unsigned type)
{
	for (size_t i = 0; i < ZTK_ARRAY_LEN(digests); i++)
		if (digests[i].type == type)
			return digests[i].name;
	return NULL;
}

int ztk_digest_from_text(const char *text)
{
	if (text == NULL)
		return ZTK_EINVAL;
	for (size_t i = 0; i < ZTK_ARRAY_LEN(digests); i++) {
		if (strcasecmp(text, digests[i].name) == 0 ||
		    strcasecmp(text, digests[i].alt) == 0)
			return (int)digests[i].type;
		if (text[0] == (char)('0' + digests[i].type) && text[1] == '\0')
			return (int)digests[i].type;
	}
	return ZTK_ENOTSUP;
}

size_t ztk_digest_len(unsigned type)
{
	for (size_t i = 0; i < ZTK_ARRAY_LEN(digests); i++)
		if (digests[i].type == type)
			return digests[i].len;
	return 0;
}

uint16_t ztk_keytag(const uint8_t *rdata, size_t rdlen)
{
	if (rdlen < 4)
		return 0;
	if (rdata[3] == ZTK_ALG_RSAMD5) {
		/* RFC 4034 B.1: the most significant 16 of the least
		 * significant 24 bits of the modulus. */
		if (rdlen < 7)
			return 0;
		return (uint16_t)(rdata[rdlen - 3] << 8 | rdata[rdlen - 2]);
	}
	uint32_t ac = 0;
	for (size_t i = 0; i < rdlen; i++)
		ac += (i & 1) ? rdata[i] : (uint32_t)rdata[i] << 8;
	ac += (ac >> 16) & 0xffff;
	return (uint16_t)(ac & 0xffff);
}

static const EVP_MD *digest_md(unsigned type)
{
	switch (type) {
	case ZTK_DIGEST_SHA1: return EVP_sha1();
	case ZTK_DIGEST_SHA256: return EVP_sha256();
	case ZTK_DIGEST_SHA384: return EVP_sha384();
	default: return NULL;
	}
}

/* Length of a wire name within max octets, or 0 if it runs over. */
static size_t wire_name_len(const uint8_t *name, size_t max)
{
	size_t n = 0;
	while (n < max) {
		uint8_t l = name[n];
		if (l > 63)
			return 0;
		n += 1u + l;
		if (l == 0)
			return n <= max ? n : 0;
	}
	return 0;
}

int ztk_ds_from_dnskey(const uint8_t *owner, const uint8_t *rdata,
	size_t rdlen, unsigned digest_type, uint8_t *out, size_t outlen)
{
	const EVP_MD *md = digest_md(digest_type);
	if (md == NULL)
		return ZTK_ENOTSUP;
	if (rdlen < 4 || owner == NULL)
		return ZTK_EMALF;
	size_t dlen = ztk_digest_len(digest_type);
	if (outlen < 4 + dlen)
		return ZTK_ESPACE;
	size_t olen = wire_name_len(owner, 255);
	if (olen == 0)
		return ZTK_EMALF;

	/* RFC 4034 5.1.4: digest = H(canonical owner | DNSKEY RDATA). */
	uint8_t lower[255];
	for (size_t i = 0; i < olen;) {
		uint8_t l = owner[i];
		lower[i++] = l;
		for (uint8_t j = 0; j < l; j++, i++) {
			uint8_t c = owner[i];
			lower[i] = (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c;
		}
	}
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned got = 0;
	int ok = ctx != NULL && EVP_DigestInit_ex(ctx, md, NULL) == 1 &&
		EVP_DigestUpdate(ctx, lower, olen) == 1 &&
		EVP_DigestUpdate(ctx, rdata, rdlen) == 1 &&
		EVP_DigestFinal_ex(ctx, out + 4, &got) == 1;
	EVP_MD_CTX_free(ctx);
	if (!ok || got != dlen)
		return ctx == NULL ? ZTK_ENOMEM : ZTK_ECRYPTO;
	uint16_t tag = ztk_keytag(rdata, rdlen);
	out[0] = (uint8_t)(tag >> 8);
	out[1] = (uint8_t)tag;
	out[2] = rdata[3];
	out[3] = (uint8_t)digest_type;
	return (int)(4 + dlen);
}

int ztk_dnskey_rdata(uint16_t flags, uint8_t alg, const uint8_t *pub,
	size_t publen, uint8_t *out, size_t outlen)
{
	if (publen > 65535 - 4)
		return ZTK_ERANGE;
	if (outlen < 4 + publen)
		return ZTK_ESPACE;
	out[0] = (uint8_t)(flags >> 8);
	out[1] = (uint8_t)flags;
	out[2] = 3;     /* protocol, RFC 4034 2.1.2 */
	out[3] = alg;
	if (publen > 0)
		memcpy(out + 4, pub, publen);
	return (int)(4 + publen);
}

unsigned ztk_dnskey_bits(const uint8_t *rdata, size_t rdlen)
{
	if (rdlen < 5)
		return 0;
	const uint8_t *k = rdata + 4;
	size_t klen = rdlen - 4;
	switch (rdata[3]) {
	case ZTK_ALG_RSAMD5: case ZTK_ALG_RSASHA1:
	case ZTK_ALG_RSASHA1_NSEC3_SHA1: case ZTK_ALG_RSASHA256:
	case ZTK_ALG_RSASHA512: {
		/* RFC 3110 2: exponent length in one octet, or 0 and two. */
		size_t elen = k[0], off = 1;
		if (elen == 0) {
			if (klen < 3)
				return 0;
			elen = (size_t)k[1] << 8 | k[2];
			off = 3;
		}
		if (off + elen >= klen)
			return 0;
		const uint8_t *m = k + off + elen;
		size_t mlen = klen - off - elen;
		while (mlen > 0 && *m == 0)
			m++, mlen--;
		if (mlen == 0)
			return 0;
		unsigned bits = (unsigned)mlen * 8;
		for (uint8_t top = m[0]; !(top & 0x80); top <<= 1)
			bits--;
		return bits;
	}
	case ZTK_ALG_ECDSAP256SHA256: return klen == 64 ? 256 : 0;
	case ZTK_ALG_ECDSAP384SHA384: return klen == 96 ? 384 : 0;
	case ZTK_ALG_ED25519: return klen == 32 ? 256 : 0;
	case ZTK_ALG_ED448: return klen == 57 ? 456 : 0;
	default: return (unsigned)klen * 8;
	}
}
