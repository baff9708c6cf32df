/*
 * test_denial.c - what NSEC and NSEC3 records prove (lib/denial.c): the
 * NXDOMAIN, NODATA, wildcard, empty non-terminal and no-DS proofs of
 * RFC 4035 and RFC 5155, each with the record that makes it hold and a
 * set without it (or with a lie in it) that must not prove anything.
 * NSEC records are written as zone file text; NSEC3 chains are built here
 * from real hashes of the names of a small zone.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ztk/dname.h>
#include <ztk/error.h>
#include <ztk/rrtype.h>
#include <ztk/scanner.h>
#include "denial.h"
#include "dnssec_int.h"
#include "tap.h"

/* Records kept from the scanner (owners and RDATA copied). */
struct set {
	struct ztk_rr rr[32];
	uint8_t own[32][ZTK_DNAME_MAX];
	uint8_t rd[32][600];
	const struct ztk_rr *p[32];
	size_t n;
};

static int keep(void *ctx, const struct ztk_rr *r)
{
	struct set *s = ctx;
	if (s->n == 32)
		return 1;
	memcpy(s->own[s->n], r->owner, ztk_dname_len(r->owner));
	memcpy(s->rd[s->n], r->rdata, r->rdlen);
	s->rr[s->n] = *r;
	s->rr[s->n].owner = s->own[s->n];
	s->rr[s->n].rdata = s->rd[s->n];
	s->p[s->n] = &s->rr[s->n];
	s->n++;
	return 0;
}

static void load(struct set *s, const char *text)
{
	memset(s, 0, sizeof(*s));
	static const uint8_t root[1] = { 0 };
	struct ztk_scan_opts o = { .origin = root, .on_rr = keep, .ctx = s,
		.ttl_optional = true, .default_ttl = 300 };
	if (ztk_scan_buffer("t", text, strlen(text), &o, NULL) != 0)
		abort();
}

static void name(const char *t, uint8_t *out)
{
	static const uint8_t root[1] = { 0 };
	const char *why;
	if (ztk_dname_parse(t, strlen(t), root, out, &why) < 0)
		abort();
}

static struct denial mk(struct set *s, const uint8_t *zone)
{
	struct denial d = { .zone = zone, .rr = s->p, .n = s->n };
	return d;
}

/* --- NSEC3: a chain over the given names, opt-out flag as asked ---------- */

struct n3name {
	const char *name;
	uint16_t types[6];
	size_t nt;
};

static int hcmp(const void *a, const void *b)
{
	return memcmp(a, b, 20);
}

static void n3_chain(struct set *s, const uint8_t *zone,
	const struct n3name *names, size_t n, uint8_t flags)
{
	memset(s, 0, sizeof(*s));
	uint8_t h[16][21];
	for (size_t i = 0; i < n; i++) {
		uint8_t w[ZTK_DNAME_MAX];
		name(names[i].name, w);
		ztk_dname_to_lower(w);
		nsec3_hash(w, ztk_dname_len(w), NULL, 0, 0, h[i]);
		h[i][20] = (uint8_t)i;
	}
	qsort(h, n, sizeof(h[0]), hcmp);
	for (size_t i = 0; i < n; i++) {
		const struct n3name *nm = &names[h[i][20]];
		char lab[33];
		b32hex20(h[i], lab);
		uint8_t *o = s->own[i];
		o[0] = 32;
		memcpy(o + 1, lab, 32);
		memcpy(o + 33, zone, ztk_dname_len(zone));
		uint8_t *r = s->rd[i];
		r[0] = 1;
		r[1] = flags;
		r[2] = r[3] = 0;
		r[4] = 0;
		r[5] = 20;
		memcpy(r + 6, h[(i + 1) % n], 20);
		size_t bl = type_bitmap(nm->types, nm->nt, r + 26);
		s->rr[i] = (struct ztk_rr){ .owner = o, .rdata = r,
			.type = ZTK_TYPE_NSEC3, .rclass = ZTK_CLASS_IN,
			.rdlen = (uint16_t)(26 + bl) };
		s->p[i] = &s->rr[i];
	}
	s->n = n;
}

/* hash20_sort: elements with a hash at an offset and an id to check
 * that equal hashes keep their order. */
struct h20 {
	uint32_t id;
	uint8_t hash[20];
	uint8_t pad[9];
};

static int h20_cmp(const void *a, const void *b)
{
	const struct h20 *x = a, *y = b;
	int c = memcmp(x->hash, y->hash, 20);
	return c ? c : (x->id > y->id) - (x->id < y->id);
}

static void test_hash20_sort(void)
{
	size_t n = 50000;
	/* calloc: the padding at the end of each element is compared too */
	struct h20 *v = calloc(n, sizeof(*v)), *w = calloc(n, sizeof(*w));
	uint64_t x = 88172645463325252ull;
	for (size_t i = 0; i < n; i++) {
		v[i].id = (uint32_t)i;
		for (size_t k = 0; k < 20; k++) {
			x ^= x << 13; x ^= x >> 7; x ^= x << 17;
			v[i].hash[k] = (uint8_t)x;
		}
		if (i % 7 == 0)   /* crowded buckets: the first octets agree */
			memset(v[i].hash, 0xab, 3);
		if (i % 11 == 0 && i > 0)   /* equal hashes */
			memcpy(v[i].hash, v[i - 1].hash, 20);
		memset(v[i].pad, (int)i, sizeof(v[i].pad));
	}
	memcpy(w, v, n * sizeof(*v));
	qsort(w, n, sizeof(*w), h20_cmp);
	is_int(hash20_sort(v, n, sizeof(*v), offsetof(struct h20, hash)), 0,
		"hash20_sort: 50000 elements");
	ok(memcmp(v, w, n * sizeof(*v)) == 0, "hash20_sort: the order of "
		"qsort by hash, equal hashes in their first order, whole "
		"elements moved");
	is_int(hash20_sort(v, 1, sizeof(*v), offsetof(struct h20, hash)), 0,
		"hash20_sort: one element");
	is_int(hash20_sort(v, 0, sizeof(*v), 0), 0, "hash20_sort: none");
	is_int(hash20_sort(v, n, 300, 0), ZTK_EINVAL,
		"hash20_sort: elements over 256 octets are refused");
	ok(memcmp(v, w, n * sizeof(*v)) == 0, "hash20_sort: a refusal leaves "
		"the array alone");
	free(v);
	free(w);
}

int main(void)
{
	struct set s;
	char why[400];
	uint8_t zone[ZTK_DNAME_MAX], q[ZTK_DNAME_MAX];
	name("example.", zone);

	/* --- NSEC ------------------------------------------------------- */
	static const char full[] =
		"example. NSEC a.example. NS SOA RRSIG NSEC DNSKEY\n"
		"a.example. NSEC d.example. A RRSIG NSEC\n"
		"d.example. NSEC sub.e.example. A MX RRSIG NSEC\n"
		"sub.e.example. NSEC insec.example. TXT RRSIG NSEC\n"
		"insec.example. NSEC *.w.example. NS RRSIG NSEC\n"
		"*.w.example. NSEC z.example. A RRSIG NSEC\n"
		"z.example. NSEC example. A RRSIG NSEC\n";
	load(&s, full);
	struct denial d = mk(&s, zone);

	name("b.example.", q);
	ok(denial_nxdomain(&d, q, why, sizeof(why)), "NSEC: b.example. does "
		"not exist and *.example. neither");
	name("e.example.", q);
	ok(!denial_nxdomain(&d, q, why, sizeof(why)) && strstr(why, "exists"),
		"NSEC: an NXDOMAIN for the empty non-terminal e.example. is "
		"refused: %s", why);
	ok(denial_nodata(&d, q, ZTK_TYPE_A, why, sizeof(why)), "NSEC: the "
		"empty non-terminal has no A (NODATA)");
	name("a.example.", q);
	ok(denial_nodata(&d, q, ZTK_TYPE_MX, why, sizeof(why)), "NSEC: "
		"a.example. has no MX");
	ok(!denial_nodata(&d, q, ZTK_TYPE_A, why, sizeof(why)) &&
		strstr(why, "lists A"), "NSEC: a NODATA for a.example. A "
		"contradicts its NSEC: %s", why);
	ok(!denial_nxdomain(&d, q, why, sizeof(why)), "NSEC: an NXDOMAIN for "
		"a name with its own NSEC is refused");
	name("x.w.example.", q);
	ok(denial_wildcard(&d, q, 2, why, sizeof(why)), "NSEC: a wildcard "
		"expansion at x.w.example. is backed by the NSEC covering it");
	ok(denial_nodata(&d, q, ZTK_TYPE_MX, why, sizeof(why)), "NSEC: "
		"wildcard NODATA (x.w.example. MX via *.w.example.)");
	ok(!denial_nodata(&d, q, ZTK_TYPE_A, why, sizeof(why)), "NSEC: but "
		"not for a type the wildcard has");
	name("insec.example.", q);
	is_int(denial_no_ds(&d, q, why, sizeof(why)), DENIAL_DS_NONE, "NSEC: "
		"insec.example. is a delegation without DS");
	name("below.insec.example.", q);
	ok(!denial_nxdomain(&d, q, why, sizeof(why)), "NSEC: the delegation's "
		"NSEC says nothing about names below the cut");
	name("a.example.", q);
	is_int(denial_no_ds(&d, q, why, sizeof(why)), DENIAL_DS_UNPROVEN,
		"NSEC: a.example. is no delegation: no proof of an insecure one");
	name("example.", q);
	is_int(denial_no_ds(&d, q, why, sizeof(why)), DENIAL_DS_UNPROVEN,
		"NSEC: the child's apex NSEC (SOA set) cannot deny the DS");

	/* only the covering NSEC, not the wildcard one */
	load(&s, "a.example. NSEC d.example. A RRSIG NSEC\n");
	d = mk(&s, zone);
	name("b.example.", q);
	ok(!denial_nxdomain(&d, q, why, sizeof(why)) && strstr(why,
		"wildcard"), "NSEC: without the wildcard proof the NXDOMAIN "
		"fails: %s", why);
	name("zz.example.", q);
	ok(!denial_nxdomain(&d, q, why, sizeof(why)), "NSEC: a name outside "
		"the span is not covered");
	load(&s, "d.example. NSEC example. A RRSIG NSEC\n");
	d = mk(&s, zone);
	name("zz.example.", q);
	ok(!denial_nxdomain(&d, q, why, sizeof(why)) && strstr(why,
		"wildcard"), "NSEC: the last NSEC wraps to the apex and covers "
		"zz.example. (still no wildcard proof)");
	d.n = 0;
	ok(!denial_nodata(&d, q, ZTK_TYPE_A, why, sizeof(why)) && strstr(why,
		"no NSEC or NSEC3"), "no records at all prove nothing: %s", why);

	/* --- NSEC3 ------------------------------------------------------ */
	static const struct n3name names[] = {
		{ "example.", { ZTK_TYPE_NS, ZTK_TYPE_SOA, ZTK_TYPE_RRSIG,
			ZTK_TYPE_DNSKEY, ZTK_TYPE_NSEC3PARAM }, 5 },
		{ "a.example.", { ZTK_TYPE_A, ZTK_TYPE_RRSIG }, 2 },
		{ "e.example.", { 0 }, 0 },     /* empty non-terminal */
		{ "sub.e.example.", { ZTK_TYPE_TXT, ZTK_TYPE_RRSIG }, 2 },
		{ "signed.example.", { ZTK_TYPE_NS, ZTK_TYPE_DS,
			ZTK_TYPE_RRSIG }, 3 },
		{ "nods.example.", { ZTK_TYPE_NS }, 1 },
		{ "w.example.", { 0 }, 0 },
		{ "*.w.example.", { ZTK_TYPE_A, ZTK_TYPE_RRSIG }, 2 },
	};
	n3_chain(&s, zone, names, 8, 0);
	d = mk(&s, zone);
	name("b.example.", q);
	ok(denial_nxdomain(&d, q, why, sizeof(why)), "NSEC3: b.example. does "
		"not exist (closest encloser example., next closer and "
		"*.example. covered): %s", why);
	name("x.y.a.example.", q);
	ok(denial_nxdomain(&d, q, why, sizeof(why)), "NSEC3: a deeper name: "
		"closest encloser a.example.");
	name("a.example.", q);
	ok(!denial_nxdomain(&d, q, why, sizeof(why)) && strstr(why, "exists"),
		"NSEC3: an NXDOMAIN for a.example. is refused: %s", why);
	ok(denial_nodata(&d, q, ZTK_TYPE_MX, why, sizeof(why)), "NSEC3: "
		"a.example. has no MX");
	ok(!denial_nodata(&d, q, ZTK_TYPE_A, why, sizeof(why)), "NSEC3: but "
		"it has A");
	name("e.example.", q);
	ok(denial_nodata(&d, q, ZTK_TYPE_A, why, sizeof(why)), "NSEC3: the "
		"empty non-terminal has no A");
	name("x.w.example.", q);
	ok(denial_wildcard(&d, q, 2, why, sizeof(why)), "NSEC3: a wildcard "
		"expansion at x.w.example.: the next closer name is covered");
	ok(denial_nodata(&d, q, ZTK_TYPE_MX, why, sizeof(why)), "NSEC3: "
		"wildcard NODATA");
	name("a.example.", q);
	ok(!denial_wildcard(&d, q, 1, why, sizeof(why)), "NSEC3: an existing "
		"name cannot have come from a wildcard");
	name("nods.example.", q);
	is_int(denial_no_ds(&d, q, why, sizeof(why)), DENIAL_DS_NONE, "NSEC3: "
		"nods.example. is a delegation without DS");
	name("signed.example.", q);
	is_int(denial_no_ds(&d, q, why, sizeof(why)), DENIAL_DS_UNPROVEN,
		"NSEC3: signed.example. has DS in its bitmap: refused");
	name("unlisted.example.", q);
	is_int(denial_no_ds(&d, q, why, sizeof(why)), DENIAL_DS_UNPROVEN,
		"NSEC3: a name covered without opt-out is not an insecure "
		"delegation");
	n3_chain(&s, zone, names, 8, 1);
	d = mk(&s, zone);
	is_int(denial_no_ds(&d, q, why, sizeof(why)), DENIAL_DS_OPTOUT,
		"NSEC3: covered by an opt-out span: insecure (RFC 5155 6)");
	/* the chain without the apex's record */
	n3_chain(&s, zone, names + 1, 7, 0);
	d = mk(&s, zone);
	name("b.x.a.example.", q);
	ok(denial_nxdomain(&d, q, why, sizeof(why)), "NSEC3: a.example. as "
		"closest encloser");
	name("b.example.", q);
	ok(!denial_nxdomain(&d, q, why, sizeof(why)) && strstr(why,
		"closest encloser"), "NSEC3: without the record matching the "
		"closest encloser (the apex) there is no proof: %s", why);
	s.n = 1;
	d.n = 1;
	ok(!denial_nxdomain(&d, q, why, sizeof(why)), "NSEC3: one record of "
		"the chain proves no NXDOMAIN: %s", why);
	/* bitmap */
	uint8_t bm[64];
	uint16_t ts[3] = { ZTK_TYPE_A, ZTK_TYPE_MX, ZTK_TYPE_CAA };
	size_t bl = type_bitmap(ts, 3, bm);
	ok(bitmap_has(bm, bl, ZTK_TYPE_A) && bitmap_has(bm, bl, ZTK_TYPE_CAA)
		&& !bitmap_has(bm, bl, ZTK_TYPE_AAAA) &&
		!bitmap_has(bm, bl, ZTK_TYPE_TXT), "type bitmaps read back");
	bm[1] = 40;
	ok(!bitmap_has(bm, bl, ZTK_TYPE_A), "a window length over 32 is "
		"refused");
	test_hash20_sort();
	return done_testing();
}
