/*
 * test_rrset_verify.c - ztk_rrset_signers (lib/rrset_verify.c): which keys
 * sign an RRset given as loose RDATA.
 *
 * The records are a zone signed by BIND's dnssec-signzone 9.18 (ECDSA
 * P-256 KSK 53951 and ZSK 7298, signatures valid 2026-01-01 to
 * 2036-01-01), so a second implementation vouches for every "verifies".
 * The wildcard *.w.example.test A checks RFC 4035 5.3.2: the labels field
 * (3) is below the owner's label count when the answer is an expansion.
 */
#include <string.h>
#include <ztk/ztk.h>
#include <ztk/dscheck.h>
#include "tap.h"

static const char zone[] =
	"example.test. 300 IN DNSKEY 256 3 13 jQ6UoU5TmAa0ESN/YV+dPWP3GDEoS//+hBImYlotu+c1HkGXwI9/F+pQ HYLEDWqsw8nsQsLHNAwtVYVs0QC9sw==\n"
	"example.test. 300 IN DNSKEY 257 3 13 8ikbGoksQ8YrTtMk4Q8dsRJTTE10P+K1Piji6MXfCXVWwDEHC7NdsOGU ZEMXuQwn0I8cAe2Nz2D6/A3McSLS/A==\n"
	"example.test. 300 IN RRSIG DNSKEY 13 2 300 20360101000000 20260101000000 7298 example.test. Wxz7WuPi9dmBZbAsAXRxShISw2e8sxqw+TA7vcfwwnr377vUhY8R7Dww KndvbI3D7VwjMZM6ZoAomLQlCct34A==\n"
	"example.test. 300 IN RRSIG DNSKEY 13 2 300 20360101000000 20260101000000 53951 example.test. mRKs3oz7swY6lpxDheMdGrIBI0j+v5WCMpSpE3wNxW7hYxwSU8vIz7Z5 bnAbQjutL+LabKiz4Lr4WFLjD/fbpQ==\n"
	"*.w.example.test. 300 IN A 192.0.2.7\n"
	"*.w.example.test. 300 IN RRSIG A 13 3 300 20360101000000 20260101000000 7298 example.test. 6b0dkEXbGE93uKmyL5tt+8tUZap6QgWphA28GTQG0H6TubmpZSzGR+6F 2+uIPzkinoEyLc4iHNuBVSWMSFYxaQ==\n";

/* 2026-12-01, 2036-06-01, 2025-12-01 */
#define NOW 1796083200LL
#define LATER 2096064000LL
#define EARLIER 1764547200LL

struct recs {
	uint8_t data[8][256];
	struct ztk_rdata_ref ref[8];
	uint16_t type[8];
	size_t n;
};

static int
on_rr(void *ctx, const struct ztk_rr *rr)
{
	struct recs *r = ctx;
	if (r->n == 8 || rr->rdlen > sizeof r->data[0])
		return 1;
	memcpy(r->data[r->n], rr->rdata, rr->rdlen);
	r->ref[r->n] = (struct ztk_rdata_ref){ r->data[r->n], rr->rdlen };
	r->type[r->n] = rr->type;
	r->n++;
	return 0;
}

static void
name(const char *text, uint8_t *out)
{
	static const uint8_t root[1] = { 0 };
	const char *why = NULL;
	if (ztk_dname_parse(text, strlen(text), root, out, &why) < 0)
		printf("# bad name %s: %s\n", text, why ? why : "?");
}

int
main(void)
{
	struct recs r = { .n = 0 };
	struct ztk_scan_opts so = { .on_rr = on_rr, .ctx = &r };
	struct ztk_scan_stats st;
	is_int(ztk_scan_buffer("t", zone, strlen(zone), &so, &st), 0,
		"fixture parses");
	is_int(r.n, 6, "six records");
	const struct ztk_rdata_ref *keys = &r.ref[0], *ksig = &r.ref[2],
		*a = &r.ref[4], *asig = &r.ref[5];
	uint8_t apex[ZTK_DNAME_MAX], owner[ZTK_DNAME_MAX];
	name("example.test.", apex);
	bool okk[2];
	char why[300];

	/* the DNSKEY RRset, signed by both keys */
	is_int(ztk_rrset_signers(apex, NULL, ZTK_TYPE_DNSKEY, keys, 2, ksig, 2, keys,
		2, NOW, okk, why, sizeof why), 2, "DNSKEY RRset: both keys");
	ok(okk[0] && okk[1], "both flagged");
	is_str(why, "", "no reason when it verifies");
	is_int(ztk_rrset_signers(apex, NULL, ZTK_TYPE_DNSKEY, keys, 2, ksig, 2,
		keys + 1, 1, NOW, okk, why, sizeof why), 1, "KSK alone");
	/* the RRset in another order is the same canonical RRset */
	struct ztk_rdata_ref swapped[2] = { keys[1], keys[0] };
	is_int(ztk_rrset_signers(apex, NULL, ZTK_TYPE_DNSKEY, swapped, 2, ksig, 2,
		keys, 2, NOW, okk, why, sizeof why), 2, "order of the RRset "
		"does not matter");
	/* a missing member breaks the signature */
	is_int(ztk_rrset_signers(apex, NULL, ZTK_TYPE_DNSKEY, keys, 1, ksig, 2, keys,
		2, NOW, okk, why, sizeof why), 0, "a DNSKEY removed");
	ok(strstr(why, "does not verify") != NULL, "says: does not verify "
		"(%s)", why);

	/* time */
	is_int(ztk_rrset_signers(apex, NULL, ZTK_TYPE_DNSKEY, keys, 2, ksig, 2, keys,
		2, LATER, okk, why, sizeof why), 0, "after expiry");
	ok(strstr(why, "expired at 2036-01-01T00:00:00Z") != NULL,
		"says when it expired (%s)", why);
	is_int(ztk_rrset_signers(apex, NULL, ZTK_TYPE_DNSKEY, keys, 2, ksig, 2, keys,
		2, EARLIER, okk, why, sizeof why), 0, "before inception");
	ok(strstr(why, "is not valid before 2026-01-01T00:00:00Z") != NULL,
		"says from when it is valid (%s)", why);

	/* wildcards (RFC 4035 5.3.2) */
	name("*.w.example.test.", owner);
	is_int(ztk_rrset_signers(owner, apex, ZTK_TYPE_A, a, 1, asig, 1, keys, 2,
		NOW, okk, why, sizeof why), 1, "the wildcard itself");
	ok(okk[0] && !okk[1], "by the ZSK");
	name("host.w.example.test.", owner);
	is_int(ztk_rrset_signers(owner, apex, ZTK_TYPE_A, a, 1, asig, 1, keys,
		2, NOW, okk, why, sizeof why), 1, "an expansion: host.w");
	name("A.b.W.Example.TEST.", owner);
	is_int(ztk_rrset_signers(owner, apex, ZTK_TYPE_A, a, 1, asig, 1, keys,
		2, NOW, okk, why, sizeof why), 1, "an expansion two labels "
		"deep, any case");
	name("w.example.test.", owner);
	is_int(ztk_rrset_signers(owner, apex, ZTK_TYPE_A, a, 1, asig, 1, keys,
		2, NOW, okk, why, sizeof why), 0, "w.example.test. itself is "
		"not the wildcard");
	name("test.", owner);
	is_int(ztk_rrset_signers(owner, apex, ZTK_TYPE_A, a, 1, asig, 1, keys,
		2, NOW, okk, why, sizeof why), 0, "labels above the owner's");
	ok(strstr(why, "has 3 labels, more than its owner") != NULL, "says so "
		"(%s)", why);
	name("host.w.example.test.", owner);
	is_int(ztk_rrset_signers(owner, NULL, ZTK_TYPE_A, a, 1, asig, 1, keys,
		2, NOW, okk, why, sizeof why), 0, "another signer name: not "
		"the zone's signature");
	ok(strstr(why, "has no signature") != NULL, "says so (%s)", why);

	/* tampering and mismatches */
	uint8_t bad[4];
	memcpy(bad, a->data, 4);
	bad[3] ^= 1;
	struct ztk_rdata_ref tampered = { bad, 4 };
	name("*.w.example.test.", owner);
	is_int(ztk_rrset_signers(owner, apex, ZTK_TYPE_A, &tampered, 1, asig, 1,
		keys, 2, NOW, okk, why, sizeof why), 0, "changed address");
	ok(strstr(why, "by key 7298 does not verify") != NULL, "names the "
		"key (%s)", why);
	is_int(ztk_rrset_signers(owner, apex, ZTK_TYPE_AAAA, a, 1, asig, 1, keys, 2,
		NOW, okk, why, sizeof why), 0, "RRSIG over another type");
	ok(strstr(why, "has no signature") != NULL, "says so (%s)", why);
	is_int(ztk_rrset_signers(apex, NULL, ZTK_TYPE_DNSKEY, keys, 2, ksig, 2,
		a, 1, NOW, okk, why, sizeof why), 0, "no such key");
	is_int(ztk_rrset_signers(NULL, apex, ZTK_TYPE_A, a, 1, asig, 1, keys, 2,
		NOW, okk, why, sizeof why), ZTK_EINVAL, "NULL owner");
	is_int(ztk_rrset_signers(apex, NULL, ZTK_TYPE_A, NULL, 1, asig, 1, keys, 2,
		NOW, okk, why, sizeof why), ZTK_EINVAL, "NULL set");
	return done_testing();
}
