/*
 * test_dnssec.c - lib/dnssec.c (algorithm table, digest types, key tags,
 * DS digests, key sizes) and lib/ds_check.c (the parent-side DS check).
 *
 * Known answers come from the RFCs' own examples (RFC 4034 2.3 and 5.4,
 * RFC 4509 2.3, RFC 6605 6, RFC 8080 6) and from the root zone's KSKs as
 * IANA publishes them (root-anchors.xml; Debian's /usr/share/dns/root.key
 * and root.ds); every DS was checked against dnssec-dsfromkey 9.18 and
 * ldns-key2ds 1.8 as well.
 */
#include <stdlib.h>
#include <string.h>
#include <ztk/ztk.h>
#include <ztk/dnssec.h>
#include <ztk/dscheck.h>
#include "tap.h"

/* --- reading test records ------------------------------------------- */

struct rec {
	uint8_t owner[ZTK_DNAME_MAX];
	uint8_t rdata[2048];
	size_t len;
	int n;
};

static int
on_rr(void *ctx, const struct ztk_rr *rr)
{
	struct rec *r = ctx;
	if (r->n++ == 0) {
		memcpy(r->owner, rr->owner, ztk_dname_len(rr->owner));
		memcpy(r->rdata, rr->rdata, rr->rdlen);
		r->len = rr->rdlen;
	}
	return 0;
}

/* One record from its presentation form ("owner 3600 IN DNSKEY ..."). */
static struct rec
rr(const char *text)
{
	struct rec r;
	memset(&r, 0, sizeof r);
	struct ztk_scan_opts o = { .on_rr = on_rr, .ctx = &r };
	struct ztk_scan_stats st;
	if (ztk_scan_buffer("t", text, strlen(text), &o, &st) != 0 ||
	    st.errors != 0 || r.n != 1) {
		printf("# cannot parse: %s\n", text);
		r.len = 0;
	}
	return r;
}

/* DS RDATA in presentation form ("60485 5 1 2BB1...") of a DNSKEY. */
static const char *
ds_text(const struct rec *key, unsigned dtype, char *buf, size_t len)
{
	uint8_t ds[128];
	int n = ztk_ds_from_dnskey(key->owner, key->rdata, key->len, dtype,
		ds, sizeof ds);
	if (n < 0 || ztk_rdata_to_text(ZTK_TYPE_DS, ds, (size_t)n, buf,
	    len) < 0)
		snprintf(buf, len, "error %d", n);
	return buf;
}

/* --- vectors ----------------------------------------------------------- */

/* RFC 4034 5.4 (and RFC 4509 2.3 for its SHA-256 DS). */
#define RFC4034_DSKEY "dskey.example.com. 86400 IN DNSKEY 256 3 5 " \
	"AQOeiiR0GOMYkDshWoSKz9XzfwJr1AYtsmx3TGkJaNXVbfi/2pHm822aJ5iI9BMzNXxe" \
	"YCmZDRD99WYwYqUSdjMmmAphXdvxegXd/M5+X7OrzKBaMbCVdFLUUh6DhweJBjEVv5f2" \
	"wwjM9XzcnOf+EPbtG9DMBmADjFDc2w/rljwvFw=="
/* RFC 4034 2.3: the key of the RRSIG example in 3.3 (key tag 2642). */
#define RFC4034_EXAMPLE "example.com. 86400 IN DNSKEY 256 3 5 " \
	"AQPSKmynfzW4kyBv015MUG2DeIQ3Cbl+BBZH4b/0PY1kxkmvHjcZc8nokfzj31GajIQK" \
	"Y+5CptLr3buXA10hWqTkF7H6RfoRqXQeogmMHfpftf6zMv1LyBUgia7za6ZEzOJBOzty" \
	"vhjL742iU/TpPSEDhm2SNKLijfUppn1UaNvv4w=="
/* RFC 6605 6.1 and 6.2. */
#define RFC6605_P256 "example.net. 3600 IN DNSKEY 257 3 13 " \
	"GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edbkrSqQpF64cYbcB7wNcP+e+MA" \
	"nLr+Wi9xMWyQLc8NAA=="
#define RFC6605_P384 "example.net. 3600 IN DNSKEY 257 3 14 " \
	"xKYaNhWdGOfJ+nPrL8/arkwf2EY3MDJ+SErKivBVSum1w/egsXvSADtNJhyem5RCOpgQ" \
	"6K8X1DRSEkrbYQ+OB+v8/uX45NBwY8rp65F6Glur8I/mlVNgF6W/qTI37m40"
/* RFC 8080 6.1 (two Ed25519 keys) and 6.2 (Ed448). */
#define RFC8080_ED25519_1 "example.com. 3600 IN DNSKEY 257 3 15 " \
	"l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4="
#define RFC8080_ED25519_2 "example.com. 3600 IN DNSKEY 257 3 15 " \
	"zPnZ/QwEe7S8C5SPz2OfS5RR40ATk2/rYnE9xHIEijs="
#define RFC8080_ED448 "example.com. 3600 IN DNSKEY 257 3 16 " \
	"3kgROaDjrh0H2iuixWBrc8g2EpBBLCdGzHmn+G2MpTPhpj/OiBVHHSfPodx1FYYUcJKm" \
	"1MDpJtIA"
/* The root zone's KSK-2017 and KSK-2024 (IANA root-anchors.xml). */
#define ROOT_KSK_2017 ". 172800 IN DNSKEY 257 3 8 " \
	"AwEAAaz/tAm8yTn4Mfeh5eyI96WSVexTBAvkMgJzkKTOiW1vkIbzxeF3+/4RgWOq7Hrx" \
	"RixHlFlExOLAJr5emLvN7SWXgnLh4+B5xQlNVz8Og8kvArMtNROxVQuCaSnIDdD5LKyW" \
	"bRd2n9WGe2R8PzgCmr3EgVLrjyBxWezF0jLHwVN8efS3rCj/EWgvIWgb9tarpVUDK/b5" \
	"8Da+sqqls3eNbuv7pr+eoZG+SrDK6nWeL3c6H5Apxz7LjVc1uTIdsIXxuOLYA4/ilBmS" \
	"VIzuDWfdRUfhHdY6+cn8HFRm+2hM8AnXGXws9555KrUB5qihylGa8subX2Nn6UwNR1Ak" \
	"UTV74bU="
#define ROOT_KSK_2024 ". 172800 IN DNSKEY 257 3 8 " \
	"AwEAAa96jeuknZlaeSrvyAJj6ZHv28hhOKkx3rLGXVaC6rXTsDc449/cidltpkyGwCJN" \
	"nOAlFNKF2jBosZBU5eeHspaQWOmOElZsjICMQMC3aeHbGiShvZsx4wMYSjH8e7Vrhbu6" \
	"irwCzVBApESjbUdpWWmEnhathWu1jo+siFUiRAAxm9qyJNg/wOZqqzL/dL/q8PkcRU5o" \
	"UKEpUge71M3ej2/7CPqpdVwuMoTvoB+ZOT4YeGyxMvHmbrxlFzGOHOijtzN+u1TQNatX" \
	"2XBuzZNQ1K+s2CXkPIZo7s6JgZyvaBevYtxPvYLw4z9mR7K2vaF18UYH9Z9GNUUeayff" \
	"KC73PYc="

static const struct {
	const char *key;
	unsigned tag, bits, dtype;
	const char *ds;         /* DS RDATA as BIND prints it */
} vectors[] = {
	{ RFC4034_DSKEY, 60485, 1024, 1,
	  "60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118" },
	{ RFC4034_DSKEY, 60485, 1024, 2,
	  "60485 5 2 D4B7D520E7BB5F0F67674A0CCEB1E3E0614B93C4F9E99B8383F6A1E4"
	  "469DA50A" },
	{ RFC4034_EXAMPLE, 2642, 1024, 2,
	  "2642 5 2 B623A93901B8E11B364DB88499A7DAED6ED4767C585949AD4040EA47E0"
	  "B6BD00" },
	{ RFC6605_P256, 55648, 256, 2,
	  "55648 13 2 B4C8C1FE2E7477127B27115656AD6256F424625BF5C1E2770CE6D6E3"
	  "7DF61D17" },
	{ RFC6605_P256, 55648, 256, 4,
	  "55648 13 4 3BE4B980B34443E569255F4A347D4C8E8E18DE755FB8072D7B355C44"
	  "C56B50A61E8050AE636041B9664A04F05AEF2680" },
	{ RFC6605_P384, 10771, 384, 4,
	  "10771 14 4 72D7B62976CE06438E9C0BF319013CF801F09ECC84B8D7E9495F27E3"
	  "05C6A9B0563A9B5F4D288405C3008A946DF983D6" },
	{ RFC6605_P384, 10771, 384, 2,
	  "10771 14 2 FDE87F87D3A32AD8781EB0D79AC02F80D1381CECDA3567C2352B4986"
	  "645C2DD0" },
	{ RFC8080_ED25519_1, 3613, 256, 2,
	  "3613 15 2 3AA5AB37EFCE57F737FC1627013FEE07BDF241BD10F3B1964AB55C78E"
	  "79A304B" },
	{ RFC8080_ED25519_2, 35217, 256, 2,
	  "35217 15 2 401781B934E392DE492EC77AE2E15D70F6575A1C0BC59C5275C04EBE"
	  "80C6614C" },
	{ RFC8080_ED448, 9713, 456, 2,
	  "9713 16 2 6CCF18D5BC5D7FC2FCEB1D59D17321402F2AA8D368048DB93DD811F5C"
	  "B2B19C7" },
	{ ROOT_KSK_2017, 20326, 2048, 2,
	  "20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C"
	  "7F8EC8D" },
	{ ROOT_KSK_2024, 38696, 2048, 2,
	  "38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C"
	  "0FB2B16" },
};

/* --- lib/dnssec.c ------------------------------------------------------ */

static void
test_alg_table(void)
{
	/* RFC 8624 3.1, "DNSSEC Signing" column */
	static const struct {
		unsigned n;
		const char *name;
		enum ztk_alg_status st;
		bool supported;
	} want[] = {
		{ 1, "RSAMD5", ZTK_ALG_MUST_NOT, false },
		{ 3, "DSA", ZTK_ALG_MUST_NOT, false },
		{ 5, "RSASHA1", ZTK_ALG_NOT_RECOMMENDED, false },
		{ 6, "DSA-NSEC3-SHA1", ZTK_ALG_MUST_NOT, false },
		{ 7, "RSASHA1-NSEC3-SHA1", ZTK_ALG_NOT_RECOMMENDED, false },
		{ 8, "RSASHA256", ZTK_ALG_RECOMMENDED, true },
		{ 10, "RSASHA512", ZTK_ALG_NOT_RECOMMENDED, true },
		{ 12, "ECC-GOST", ZTK_ALG_MUST_NOT, false },
		{ 13, "ECDSAP256SHA256", ZTK_ALG_RECOMMENDED, true },
		{ 14, "ECDSAP384SHA384", ZTK_ALG_MAY, true },
		{ 15, "ED25519", ZTK_ALG_RECOMMENDED, true },
		{ 16, "ED448", ZTK_ALG_MAY, true },
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		const struct ztk_alg_info *a = ztk_alg_by_number(want[i].n);
		if (!ok(a != NULL, "algorithm %u is known", want[i].n))
			continue;
		is_int(a->number, want[i].n, "algorithm %u: number",
			want[i].n);
		is_str(a->mnemonic, want[i].name, "algorithm %u: mnemonic",
			want[i].n);
		is_int(a->status, want[i].st, "algorithm %u: RFC 8624 status",
			want[i].n);
		is_int(a->supported, want[i].supported,
			"algorithm %u: supported", want[i].n);
		/* every algorithm we do not sign with says why */
		ok(a->supported || a->why_not != NULL, "algorithm %u: reason "
			"given when unsupported", want[i].n);
		ok(a->status != ZTK_ALG_MUST_NOT || (a->why_not &&
			strstr(a->why_not, "RFC 8624")), "algorithm %u: "
			"MUST NOT cites RFC 8624", want[i].n);
		is_int(ztk_alg_by_name(want[i].name) == a, 1,
			"by name %s", want[i].name);
		if (a->supported)
			ok(a->min_bits <= a->default_bits &&
				a->default_bits <= a->max_bits,
				"algorithm %u: default size within range",
				want[i].n);
	}
	static const unsigned unknown[] = { 0, 2, 4, 9, 11, 17, 23, 252, 253,
		254, 255, 256, 1000 };
	for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++)
		ok(ztk_alg_by_number(unknown[i]) == NULL,
			"algorithm %u is unknown", unknown[i]);
	ok(ztk_alg_by_name("ecdsap256sha256") == ztk_alg_by_number(13),
		"mnemonic is case-insensitive");
	ok(ztk_alg_by_name("13") == ztk_alg_by_number(13), "\"13\" by name");
	ok(ztk_alg_by_name("8") == ztk_alg_by_number(8), "\"8\" by name");
	ok(ztk_alg_by_name("013") == ztk_alg_by_number(13), "\"013\"");
	ok(ztk_alg_by_name("") == NULL, "empty name");
	ok(ztk_alg_by_name(NULL) == NULL, "NULL name");
	ok(ztk_alg_by_name("ECDSA") == NULL, "partial mnemonic");
	ok(ztk_alg_by_name("13x") == NULL, "number with junk");
	ok(ztk_alg_by_name("99999999999") == NULL, "huge number");
	ok(ztk_alg_by_name("269") == NULL, "256 + 13 does not wrap to 13");
	is_int(ztk_alg_by_number(13)->sig_len, 64, "P-256 signature length");
	is_int(ztk_alg_by_number(14)->sig_len, 96, "P-384 signature length");
	is_int(ztk_alg_by_number(15)->sig_len, 64, "Ed25519 sig length");
	is_int(ztk_alg_by_number(16)->sig_len, 114, "Ed448 sig length");
}

static void
test_digest_types(void)
{
	is_str(ztk_digest_name(1), "SHA-1", "name 1");
	is_str(ztk_digest_name(2), "SHA-256", "name 2");
	is_str(ztk_digest_name(4), "SHA-384", "name 4");
	ok(ztk_digest_name(0) == NULL, "no name for 0");
	ok(ztk_digest_name(3) == NULL, "no name for 3 (GOST)");
	ok(ztk_digest_name(5) == NULL, "no name for 5");
	is_int(ztk_digest_len(1), 20, "SHA-1 length");
	is_int(ztk_digest_len(2), 32, "SHA-256 length");
	is_int(ztk_digest_len(4), 48, "SHA-384 length");
	is_int(ztk_digest_len(3), 0, "GOST length unknown");
	is_int(ztk_digest_len(0), 0, "0 length");
	static const struct {
		const char *text;
		int want;
	} t[] = {
		{ "SHA-256", 2 }, { "sha-256", 2 }, { "SHA256", 2 },
		{ "sha256", 2 }, { "2", 2 }, { "SHA-384", 4 }, { "SHA384", 4 },
		{ "4", 4 }, { "SHA-1", 1 }, { "sha1", 1 }, { "1", 1 },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		is_int(ztk_digest_from_text(t[i].text), t[i].want,
			"digest \"%s\"", t[i].text);
	static const char *const bad[] = { "3", "GOST", "SHA-512", "", "0",
		"22", "SHA-2567", "2 " };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ok(ztk_digest_from_text(bad[i]) < 0, "digest \"%s\" refused",
			bad[i]);
	ok(ztk_digest_from_text(NULL) < 0, "digest NULL refused");
}

static void
test_keytags_and_ds(void)
{
	char buf[256], want[256];
	for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
		struct rec k = rr(vectors[i].key);
		if (!ok(k.len > 4, "vector %zu parses", i))
			continue;
		is_int(ztk_keytag(k.rdata, k.len), vectors[i].tag,
			"key tag %u", vectors[i].tag);
		is_int(ztk_dnskey_bits(k.rdata, k.len), vectors[i].bits,
			"key %u: %u bits", vectors[i].tag, vectors[i].bits);
		snprintf(want, sizeof want, "%s", vectors[i].ds);
		is_str(ds_text(&k, vectors[i].dtype, buf, sizeof buf), want,
			"DS %u digest type %u", vectors[i].tag,
			vectors[i].dtype);
	}

	/* RFC 4034 5.1.4: the owner is hashed in canonical (lower) case */
	struct rec lower = rr(RFC4034_DSKEY);
	struct rec upper = rr("DSKEY.Example.COM. 86400 IN DNSKEY 256 3 5 "
		"AQOeiiR0GOMYkDshWoSKz9XzfwJr1AYtsmx3TGkJaNXVbfi/2pHm822aJ5iI9BMz"
		"NXxeYCmZDRD99WYwYqUSdjMmmAphXdvxegXd/M5+X7OrzKBaMbCVdFLUUh6DhweJ"
		"BjEVv5f2wwjM9XzcnOf+EPbtG9DMBmADjFDc2w/rljwvFw==");
	is_str(ds_text(&upper, 1, buf, sizeof buf),
		"60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118",
		"owner case does not change the digest");
	ok(upper.owner[1] == 'D', "the caller's owner is left as it was");

	/* RFC 5011 7: the REVOKE bit changes the tag (20326 -> 20454) */
	struct rec root = rr(ROOT_KSK_2017);
	root.rdata[1] |= ZTK_DNSKEY_REVOKE;
	is_int(ztk_keytag(root.rdata, root.len), 20454, "revoked 20326 "
		"has tag 20454");
	root.rdata[1] &= (uint8_t)~ZTK_DNSKEY_REVOKE;

	/* RFC 4034 B.1: RSAMD5 takes the tag from the modulus */
	const uint8_t md5[] = { 1, 1, 3, 1, 1, 3, 0xaa, 0xbb, 0x12, 0x34,
		0x56 };
	is_int(ztk_keytag(md5, sizeof md5), 0x1234, "RSAMD5 key tag from "
		"the modulus");
	is_int(ztk_keytag(md5, 6), 0, "RSAMD5 too short");
	is_int(ztk_keytag(md5, 3), 0, "RDATA too short");
	/* odd length: the last octet counts as a high byte; the carry out
	 * of 16 bits is added back once (RFC 4034 B) */
	const uint8_t odd[] = { 1, 1, 3, 13, 0xff };
	unsigned sum = 0x0101 + 0x030d + 0xff00;
	is_int(ztk_keytag(odd, sizeof odd), (sum + (sum >> 16)) & 0xffff,
		"odd-length key tag, carry folded");

	/* errors */
	uint8_t ds[128];
	is_int(ztk_ds_from_dnskey(lower.owner, lower.rdata, lower.len, 3, ds,
		sizeof ds), ZTK_ENOTSUP, "GOST digest not supported");
	is_int(ztk_ds_from_dnskey(lower.owner, lower.rdata, lower.len, 0, ds,
		sizeof ds), ZTK_ENOTSUP, "digest type 0 not supported");
	is_int(ztk_ds_from_dnskey(lower.owner, lower.rdata, lower.len, 2, ds,
		35), ZTK_ESPACE, "no room for SHA-256");
	is_int(ztk_ds_from_dnskey(lower.owner, lower.rdata, lower.len, 2, ds,
		36), 36, "exactly room for SHA-256");
	is_int(ztk_ds_from_dnskey(lower.owner, lower.rdata, 3, 2, ds,
		sizeof ds), ZTK_EMALF, "short DNSKEY");
	is_int(ztk_ds_from_dnskey(NULL, lower.rdata, lower.len, 2, ds,
		sizeof ds), ZTK_EMALF, "no owner");
	const uint8_t badname[] = { 70, 'a' };
	is_int(ztk_ds_from_dnskey(badname, lower.rdata, lower.len, 2, ds,
		sizeof ds), ZTK_EMALF, "malformed owner");
}

static void
test_bits_and_rdata(void)
{
	uint8_t rd[300];
	/* RSA with a 3-octet exponent length (RFC 3110 2) */
	uint8_t pub[1 + 2 + 1 + 64];
	pub[0] = 0;
	pub[1] = 0;
	pub[2] = 1;
	pub[3] = 3;
	memset(pub + 4, 0x00, 64);
	pub[4] = 0x00;
	pub[5] = 0x40;  /* first non-zero octet 0x40: 63 * 8 - 1 = 503 bits */
	int n = ztk_dnskey_rdata(257, 8, pub, sizeof pub, rd, sizeof rd);
	is_int(n, 4 + (int)sizeof pub, "DNSKEY RDATA length");
	is_int(ztk_dnskey_bits(rd, (size_t)n), 503, "RSA, long exponent "
		"form, leading zero skipped");
	is_int(rd[0] << 8 | rd[1], 257, "flags written");
	is_int(rd[2], 3, "protocol 3");
	is_int(rd[3], 8, "algorithm written");
	/* exponent running past the end */
	const uint8_t bad_rsa[] = { 1, 1, 3, 8, 9, 1, 2 };
	is_int(ztk_dnskey_bits(bad_rsa, sizeof bad_rsa), 0, "RSA exponent "
		"past the end");
	const uint8_t no_mod[] = { 1, 1, 3, 8, 1, 3 };
	is_int(ztk_dnskey_bits(no_mod, sizeof no_mod), 0, "RSA without "
		"modulus");
	const uint8_t zero_mod[] = { 1, 1, 3, 8, 1, 3, 0, 0 };
	is_int(ztk_dnskey_bits(zero_mod, sizeof zero_mod), 0, "RSA zero "
		"modulus");
	const uint8_t short_len[] = { 1, 1, 3, 8, 0, 1 };
	is_int(ztk_dnskey_bits(short_len, sizeof short_len), 0, "RSA long "
		"exponent length cut short");
	/* EC and EdDSA sizes are fixed */
	struct rec p256 = rr(RFC6605_P256);
	is_int(ztk_dnskey_bits(p256.rdata, p256.len - 1), 0, "P-256 key one "
		"octet short");
	struct rec ed = rr(RFC8080_ED25519_1);
	is_int(ztk_dnskey_bits(ed.rdata, ed.len + 1), 0, "Ed25519 key one "
		"octet long");
	is_int(ztk_dnskey_bits(ed.rdata, 4), 0, "no key at all");
	const uint8_t other[] = { 1, 1, 3, 200, 1, 2, 3 };
	is_int(ztk_dnskey_bits(other, sizeof other), 24, "unknown algorithm: "
		"key length in bits");
	/* round trip of the builder with a parsed key */
	n = ztk_dnskey_rdata(257, 15, ed.rdata + 4, ed.len - 4, rd, sizeof rd);
	is_mem(rd, (size_t)n, ed.rdata, ed.len, "builder equals parsed "
		"Ed25519 DNSKEY");
	is_int(ztk_dnskey_rdata(257, 15, ed.rdata + 4, ed.len - 4, rd, 10),
		ZTK_ESPACE, "builder: no room");
}

/* --- lib/ds_check.c ---------------------------------------------------- */

struct set {
	struct ztk_rdata_ref v[8];
	uint8_t buf[8][600];
	size_t n;
};

static void
set_add(struct set *s, const uint8_t *rd, size_t len)
{
	memcpy(s->buf[s->n], rd, len);
	s->v[s->n].data = s->buf[s->n];
	s->v[s->n].len = (uint16_t)len;
	s->n++;
}

static void
set_key(struct set *s, const char *text)
{
	struct rec k = rr(text);
	set_add(s, k.rdata, k.len);
}

static void
set_ds(struct set *s, const char *keytext, unsigned dtype)
{
	struct rec k = rr(keytext);
	uint8_t ds[64];
	int n = ztk_ds_from_dnskey(k.owner, k.rdata, k.len, dtype, ds,
		sizeof ds);
	if (n > 0)
		set_add(s, ds, (size_t)n);
}

static const struct ztk_dscheck_item *
find(const struct ztk_dscheck_report *r, const char *id)
{
	for (size_t i = 0; r && i < r->n_items; i++)
		if (strcmp(r->items[i].id, id) == 0)
			return &r->items[i];
	return NULL;
}

static struct ztk_dscheck_report *
check(const uint8_t *owner, struct set *key, struct set *cds,
	struct set *cdnskey, struct set *ds)
{
	struct ztk_dscheck_input in = { .owner = owner,
		.dnskey = key->v, .n_dnskey = key->n,
		.cds = cds->v, .n_cds = cds->n,
		.cdnskey = cdnskey->v, .n_cdnskey = cdnskey->n,
		.ds = ds->v, .n_ds = ds->n };
	struct ztk_dscheck_report *r = NULL;
	int e = ztk_dscheck_run(&in, NULL, &r);
	if (e != 0)
		printf("# ztk_dscheck_run: %s\n", ztk_strerror(e));
	return r;
}

/* The Ed25519 keys of RFC 8080 as KSKs of example.com, a ZSK beside. */
#define ZSK "example.com. 3600 IN DNSKEY 256 3 15 " \
	"zPnZ/QwEe7S8C5SPz2OfS5RR40ATk2/rYnE9xHIEijs="
#define KSK_P256 "example.com. 3600 IN DNSKEY 257 3 13 " \
	"GojIhhXUN/u4v54ZQqGSnyhWJwaubCvTmeexv7bR6edbkrSqQpF64cYbcB7wNcP+e+MA" \
	"nLr+Wi9xMWyQLc8NAA=="
#define REVOKED "example.com. 3600 IN DNSKEY 385 3 15 " \
	"l02Woi0iS8Aa25FQkUd9RMzZHJpBoRQwAQEX1SxZJA4="

static void
test_dscheck_helpers(void)
{
	const uint8_t cds_del[] = { 0, 0, 0, 0, 0 };
	const uint8_t key_del[] = { 0, 0, 3, 0, 0 };
	ok(ztk_cds_is_delete(cds_del, 5), "CDS 0 0 0 00 is delete");
	ok(!ztk_cds_is_delete(cds_del, 4), "CDS 0 0 0 (no digest) is not");
	ok(!ztk_cds_is_delete(key_del, 5), "CDNSKEY delete is not a CDS "
		"delete");
	ok(ztk_cdnskey_is_delete(key_del, 5), "CDNSKEY 0 3 0 AA== is delete");
	ok(!ztk_cdnskey_is_delete(cds_del, 5), "protocol 0 is not");
	ok(!ztk_cds_is_delete(NULL, 5), "NULL is not");

	struct rec a = rr(RFC8080_ED25519_1), b = rr(RFC8080_ED25519_2);
	uint8_t ds[64];
	int n = ztk_ds_from_dnskey(a.owner, a.rdata, a.len, 2, ds, sizeof ds);
	is_int(ztk_ds_match(a.owner, ds, (size_t)n, a.rdata, a.len), 1,
		"DS matches its key");
	is_int(ztk_ds_match(a.owner, ds, (size_t)n, b.rdata, b.len), 0,
		"DS does not match another key");
	const uint8_t other_owner[] = "\7example\3net";
	is_int(ztk_ds_match(other_owner, ds, (size_t)n, a.rdata, a.len), 0,
		"DS does not match the key at another owner");
	ds[10] ^= 1;
	is_int(ztk_ds_match(a.owner, ds, (size_t)n, a.rdata, a.len), 0,
		"a changed digest does not match");
	ds[10] ^= 1;
	is_int(ztk_ds_match(a.owner, ds, (size_t)n - 1, a.rdata, a.len), 0,
		"a short digest does not match");
	ds[3] = 3;
	is_int(ztk_ds_match(a.owner, ds, (size_t)n, a.rdata, a.len),
		ZTK_ENOTSUP, "GOST digest: cannot tell");
	is_int(ztk_ds_match(a.owner, ds, 3, a.rdata, a.len), ZTK_EMALF,
		"DS too short");

	struct ztk_rdata_ref v[5];
	const uint8_t x1[] = { 1, 2, 3 }, x2[] = { 1, 2 }, x3[] = { 0, 9 },
		x4[] = { 1, 2, 3 };
	v[0] = (struct ztk_rdata_ref){ x1, 3 };
	v[1] = (struct ztk_rdata_ref){ x2, 2 };
	v[2] = (struct ztk_rdata_ref){ x3, 2 };
	v[3] = (struct ztk_rdata_ref){ x4, 3 };
	v[4] = (struct ztk_rdata_ref){ x2, 2 };
	size_t k = ztk_dscheck_canon(v, 5);
	is_int(k, 3, "canonical order drops duplicates");
	ok(v[0].data[0] == 0 && v[1].len == 2 && v[2].len == 3,
		"canonical order: 0009 < 0102 < 010203 (prefix first)");
	is_int(ztk_dscheck_canon(NULL, 0), 0, "empty set");
}

static void
test_dscheck(void)
{
	struct rec ka = rr(RFC8080_ED25519_1);
	const uint8_t *owner = ka.owner;
	struct set none = { .n = 0 };
	struct ztk_dscheck_report *r;

	/* 1. the CDS repeats the current DS: safe, nothing to do */
	struct set key = { .n = 0 }, cds = { .n = 0 }, ds = { .n = 0 };
	set_key(&key, RFC8080_ED25519_1);
	set_key(&key, ZSK);
	set_ds(&cds, RFC8080_ED25519_1, 2);
	set_ds(&ds, RFC8080_ED25519_1, 2);
	r = check(owner, &key, &cds, &none, &ds);
	ok(r != NULL, "report");
	is_int(r->verdict, ZTK_DSC_SAFE, "same DS: safe");
	is_int(r->source, ZTK_DSC_FROM_CDS, "source CDS");
	ok(find(r, "unchanged") != NULL, "nothing to do");
	ok(find(r, "ds-match") != NULL, "DS matches the SEP key");
	ok(find(r, "alg-covered") != NULL, "algorithm 15 covered");
	ok(find(r, "current-ds-match") != NULL, "current DS authenticates");
	ok(find(r, "signatures-unverified") != NULL, "says signatures are "
		"not verified");
	ok(!r->signatures_verified, "signatures_verified is false");
	is_int(r->n_new_ds, 1, "one proposed DS");
	is_int(r->n_unsafe, 0, "no unsafe item");
	ztk_dscheck_free(r);

	/* 2. KSK rollover: new KSK published, CDS moves to it */
	struct set key2 = { .n = 0 }, cds2 = { .n = 0 };
	set_key(&key2, RFC8080_ED25519_1);
	set_key(&key2, "example.com. 3600 IN DNSKEY 257 3 15 "
		"zPnZ/QwEe7S8C5SPz2OfS5RR40ATk2/rYnE9xHIEijs=");
	set_ds(&cds2, "example.com. 3600 IN DNSKEY 257 3 15 "
		"zPnZ/QwEe7S8C5SPz2OfS5RR40ATk2/rYnE9xHIEijs=", 2);
	r = check(owner, &key2, &cds2, &none, &ds);
	is_int(r->verdict, ZTK_DSC_SAFE, "KSK rollover: safe");
	ok(find(r, "ds-added") && find(r, "ds-removed"), "adds one DS, "
		"removes one");
	ztk_dscheck_free(r);

	/* 3. CDS for a key that is not published */
	struct set cds3 = { .n = 0 };
	set_ds(&cds3, RFC8080_ED448, 2);
	r = check(owner, &key, &cds3, &none, &ds);
	is_int(r->verdict, ZTK_DSC_BREAKS, "CDS for an unpublished key: "
		"unsafe");
	ok(find(r, "ds-no-key") != NULL, "DS matches no key");
	ok(find(r, "no-sep-match") != NULL, "no SEP match");
	ok(find(r, "alg-uncovered") != NULL, "algorithm 15 loses its DS");
	ok(find(r, "alg-no-key") != NULL, "algorithm 16 has no key");
	ztk_dscheck_free(r);

	/* 4. delete */
	struct set del = { .n = 0 };
	const uint8_t cds_del[] = { 0, 0, 0, 0, 0 };
	set_add(&del, cds_del, 5);
	r = check(owner, &key, &del, &none, &ds);
	is_int(r->verdict, ZTK_DSC_INSECURE, "CDS delete: insecure");
	ok(find(r, "delete") != NULL, "delete item");
	is_int(r->n_new_ds, 0, "no proposed DS");
	ok(find(r, "current-ds-match") != NULL, "delete checked against "
		"the current chain too");
	ztk_dscheck_free(r);
	set_ds(&del, RFC8080_ED25519_1, 2);
	r = check(owner, &key, &del, &none, &ds);
	is_int(r->verdict, ZTK_DSC_BREAKS, "delete mixed with a DS: unsafe");
	ok(find(r, "delete-mixed") != NULL, "delete-mixed item");
	ztk_dscheck_free(r);
	struct set kdel = { .n = 0 };
	const uint8_t key_del[] = { 0, 0, 3, 0, 0 };
	set_add(&kdel, key_del, 5);
	r = check(owner, &key, &none, &kdel, &ds);
	is_int(r->verdict, ZTK_DSC_INSECURE, "CDNSKEY delete: insecure");
	is_int(r->source, ZTK_DSC_FROM_CDNSKEY, "source CDNSKEY");
	ztk_dscheck_free(r);

	/* 5. algorithm rollover step the check refuses: 13 still in the
	 * DNSKEY RRset, the CDS has only 15 */
	struct set key5 = { .n = 0 };
	set_key(&key5, RFC8080_ED25519_1);
	set_key(&key5, KSK_P256);
	r = check(owner, &key5, &cds, &none, &ds);
	is_int(r->verdict, ZTK_DSC_BREAKS, "algorithm left without DS: "
		"unsafe");
	const struct ztk_dscheck_item *it = find(r, "alg-uncovered");
	ok(it && it->alg == 13, "algorithm 13 uncovered");
	ztk_dscheck_free(r);

	/* 6. digest types that cover different keys (RFC 4509 3) */
	struct set cds6 = { .n = 0 };
	set_ds(&cds6, RFC8080_ED25519_1, 2);
	set_ds(&cds6, "example.com. 3600 IN DNSKEY 257 3 15 "
		"zPnZ/QwEe7S8C5SPz2OfS5RR40ATk2/rYnE9xHIEijs=", 4);
	r = check(owner, &key2, &cds6, &none, &ds);
	ok(find(r, "digest-coverage") != NULL, "digest coverage differs");
	is_int(r->verdict, ZTK_DSC_BREAKS, "digest coverage: unsafe");
	ztk_dscheck_free(r);
	struct set cds6b = { .n = 0 };
	set_ds(&cds6b, RFC8080_ED25519_1, 2);
	set_ds(&cds6b, RFC8080_ED25519_1, 4);
	r = check(owner, &key, &cds6b, &none, &ds);
	is_int(r->verdict, ZTK_DSC_SAFE, "SHA-256 and SHA-384 of one key: "
		"safe");
	is_int(r->n_new_ds, 2, "two proposed DS");
	ztk_dscheck_free(r);

	/* 7. no current DS: initial DS, a warning only */
	r = check(owner, &key, &cds, &none, &none);
	is_int(r->verdict, ZTK_DSC_SAFE, "initial DS: safe");
	ok(find(r, "no-current-ds") != NULL, "warns about bootstrapping");
	is_int(r->n_warnings, 1, "one warning");
	ztk_dscheck_free(r);

	/* 8. current DS points to nothing: cannot authenticate */
	struct set ds8 = { .n = 0 };
	set_ds(&ds8, RFC8080_ED448, 2);
	r = check(owner, &key, &cds, &none, &ds8);
	ok(find(r, "current-ds-dangling") != NULL, "dangling current DS");
	is_int(r->verdict, ZTK_DSC_BREAKS, "dangling current DS: unsafe");
	ztk_dscheck_free(r);

	/* 9. CDNSKEY only: DS made with SHA-256 */
	struct set ck = { .n = 0 };
	set_key(&ck, RFC8080_ED25519_1);
	r = check(owner, &key, &none, &ck, &ds);
	is_int(r->source, ZTK_DSC_FROM_CDNSKEY, "source CDNSKEY");
	is_int(r->verdict, ZTK_DSC_SAFE, "CDNSKEY of the KSK: safe");
	ok(r->n_new_ds == 1 && r->new_ds[0].len == ds.v[0].len &&
		memcmp(r->new_ds[0].data, ds.v[0].data, ds.v[0].len) == 0,
		"CDNSKEY turned into the SHA-256 DS");
	ztk_dscheck_free(r);

	/* 10. neither CDS nor CDNSKEY: the SEP keys' DS */
	r = check(owner, &key, &none, &none, &ds);
	is_int(r->source, ZTK_DSC_FROM_DNSKEY, "source DNSKEY");
	is_int(r->verdict, ZTK_DSC_SAFE, "SEP keys: safe");
	is_int(r->n_new_ds, 1, "one DS (the ZSK is left out)");
	ztk_dscheck_free(r);

	/* 11. no DNSKEY RRset at all */
	r = check(owner, &none, &cds, &none, &ds);
	is_int(r->verdict, ZTK_DSC_BREAKS, "no DNSKEY: unsafe");
	ok(find(r, "no-dnskey") != NULL, "no-dnskey item");
	ztk_dscheck_free(r);

	/* 12. the DS points to a revoked key, or to the ZSK */
	struct set key12 = { .n = 0 }, cds12 = { .n = 0 };
	set_key(&key12, REVOKED);
	set_key(&key12, ZSK);
	set_ds(&cds12, REVOKED, 2);
	set_ds(&cds12, ZSK, 2);
	r = check(owner, &key12, &cds12, &none, &none);
	ok(find(r, "ds-matches-revoked") != NULL, "revoked key matched");
	ok(find(r, "ds-matches-zsk") != NULL, "ZSK matched");
	ok(find(r, "no-sep-match") != NULL, "no usable SEP key matched");
	is_int(r->verdict, ZTK_DSC_BREAKS, "only a revoked KSK and a ZSK: "
		"unsafe");
	ztk_dscheck_free(r);

	/* 13. SHA-1 only is a warning; CDS and CDNSKEY disagreeing */
	struct set cds13 = { .n = 0 }, ck13 = { .n = 0 };
	set_ds(&cds13, RFC8080_ED25519_1, 1);
	set_key(&ck13, "example.com. 3600 IN DNSKEY 257 3 15 "
		"zPnZ/QwEe7S8C5SPz2OfS5RR40ATk2/rYnE9xHIEijs=");
	r = check(owner, &key, &cds13, &ck13, &ds);
	ok(find(r, "sha1-digest") != NULL, "SHA-1 digest warned");
	ok(find(r, "cds-cdnskey-mismatch") != NULL, "CDS/CDNSKEY mismatch");
	is_int(r->source, ZTK_DSC_FROM_CDS, "CDS preferred");
	ztk_dscheck_free(r);

	/* 14. a CDS whose digest does not match the key it names */
	struct set cds14 = { .n = 0 };
	set_ds(&cds14, RFC8080_ED25519_1, 2);
	cds14.buf[0][20] ^= 0xff;
	r = check(owner, &key, &cds14, &none, &ds);
	ok(find(r, "ds-digest-mismatch") != NULL, "digest mismatch");
	is_int(r->verdict, ZTK_DSC_BREAKS, "digest mismatch: unsafe");
	ztk_dscheck_free(r);

	/* 15. prefer CDNSKEY (dnssec-cds -D), digests from the options */
	struct ztk_dscheck_input in = { .owner = owner, .dnskey = key.v,
		.n_dnskey = key.n, .cds = cds3.v, .n_cds = cds3.n,
		.cdnskey = ck.v, .n_cdnskey = ck.n, .ds = ds.v,
		.n_ds = ds.n };
	const uint8_t dig[] = { 2, 4 };
	struct ztk_dscheck_opts o = { .digests = dig, .n_digests = 2,
		.prefer_cdnskey = true };
	r = NULL;
	is_int(ztk_dscheck_run(&in, &o, &r), 0, "run with options");
	is_int(r->source, ZTK_DSC_FROM_CDNSKEY, "CDNSKEY preferred");
	is_int(r->n_new_ds, 2, "SHA-256 and SHA-384 made");
	is_int(r->verdict, ZTK_DSC_SAFE, "and safe");
	ztk_dscheck_free(r);

	/* 16. caller's keys as the proposal (a key store's KSKs) */
	struct ztk_dscheck_input in16 = { .owner = owner, .dnskey = key.v,
		.n_dnskey = key.n, .ds = ds.v, .n_ds = ds.n, .keys = ck.v,
		.n_keys = ck.n };
	r = NULL;
	is_int(ztk_dscheck_run(&in16, NULL, &r), 0, "run with keys");
	is_int(r->source, ZTK_DSC_FROM_DNSKEY, "source: keys");
	is_int(r->verdict, ZTK_DSC_SAFE, "stored KSK: safe");
	ztk_dscheck_free(r);

	/* argument errors */
	r = (void *)1;
	struct ztk_dscheck_input bad = { .owner = NULL };
	is_int(ztk_dscheck_run(&bad, NULL, &r), ZTK_EINVAL, "NULL owner");
	ok(r == NULL, "no report on error");
	is_int(ztk_dscheck_run(NULL, NULL, &r), ZTK_EINVAL, "NULL input");
	struct ztk_dscheck_input big = { .owner = owner, .dnskey = key.v,
		.n_dnskey = 5000 };
	is_int(ztk_dscheck_run(&big, NULL, &r), ZTK_ELIMIT, "too many keys");
	struct ztk_dscheck_input nul = { .owner = owner, .n_dnskey = 1 };
	is_int(ztk_dscheck_run(&nul, NULL, &r), ZTK_EINVAL, "NULL set");
	ztk_dscheck_free(NULL);
	ok(1, "ztk_dscheck_free(NULL) is a no-op");
}

int
main(void)
{
	test_alg_table();
	test_digest_types();
	test_keytags_and_ds();
	test_bits_and_rdata();
	test_dscheck_helpers();
	test_dscheck();
	return done_testing();
}
