/*
 * test_zone.c - ztk_zone_finish gives the same zone on one thread and on
 * two (the radix sort's buckets shared out, the records copied into node
 * order from both halves of the order, the hash table filled from both),
 * in canonical order; and a two-thread load (the second half's records
 * kept in place, rrs2) gives the zone a one-thread load gives, with equal
 * names in both halves, names differing only in case, $INCLUDE and errors
 * in the second half.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <ztk/ztk.h>
#include "tap.h"

static const uint8_t example[] = "\7example\3com";

/* Everything a zone holds, as text, for comparing two zones. */
struct text {
	char *s;
	size_t n, cap;
};

__attribute__((format(printf, 2, 3))) static void
put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	for (;;) {
		va_start(ap, fmt);
		int k = vsnprintf(t->s + t->n, t->cap - t->n, fmt, ap);
		va_end(ap);
		if (k >= 0 && (size_t)k < t->cap - t->n) {
			t->n += (size_t)k;
			return;
		}
		t->cap = t->cap ? t->cap * 2 : 1 << 20;
		if ((t->s = realloc(t->s, t->cap)) == NULL)
			abort();
	}
}

static void
put_hex(struct text *t, const uint8_t *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	if (t->cap - t->n < 2 * n + 1) {
		while (t->cap - t->n < 2 * n + 1)
			t->cap = t->cap ? t->cap * 2 : 1 << 20;
		if ((t->s = realloc(t->s, t->cap)) == NULL)
			abort();
	}
	for (size_t i = 0; i < n; i++) {
		t->s[t->n++] = hex[p[i] >> 4];
		t->s[t->n++] = hex[p[i] & 15];
	}
}

static void
snapshot(const struct ztk_zone *z, struct text *t)
{
	const struct ztk_zone_node *nodes = ztk_zone_nodes(z);
	const struct ztk_zone_rr *rrs = ztk_zone_rrs(z);
	size_t total = ztk_zone_node_count(z) + ztk_zone_nsec3_count(z);
	put(t, "nodes %zu nsec3 %zu rrs %zu\n", ztk_zone_node_count(z),
		ztk_zone_nsec3_count(z), ztk_zone_rr_count(z));
	for (size_t n = 0; n < total; n++) {
		const struct ztk_zone_node *nd = &nodes[n];
		put(t, "node %zu ", n);
		put_hex(t, nd->owner, ztk_dname_len(nd->owner));
		put(t, " first %u count %u flags %x cut %u\n", nd->first,
			nd->count, nd->flags, nd->cut);
		for (uint32_t i = 0; i < nd->count; i++) {
			const struct ztk_zone_rr *rr = &rrs[nd->first + i];
			put(t, " rr node %u type %u class %u ttl %u %s:%u:%u "
				"flags %x ", rr->node, rr->type, rr->rclass,
				rr->ttl, ztk_zone_file_name(z, rr->file_id),
				rr->line, rr->col, rr->flags);
			put_hex(t, rr->rdata, rr->rdlen);
			put(t, "\n");
		}
	}
}

/* The zone's ordinary nodes are in strictly increasing canonical order,
 * every record names its node, and every owner is found, in any case. */
static void
check_shape(const struct ztk_zone *z, const char *what)
{
	const struct ztk_zone_node *nodes = ztk_zone_nodes(z);
	const struct ztk_zone_rr *rrs = ztk_zone_rrs(z);
	size_t nn = ztk_zone_node_count(z), total = nn + ztk_zone_nsec3_count(z);
	bool order = true, back = true, found = true;
	uint8_t prev[ZTK_DNAME_KEY_MAX], key[ZTK_DNAME_KEY_MAX];
	size_t pl = 0;
	for (size_t n = 0; n < total; n++) {
		size_t kl = ztk_dname_key(nodes[n].owner, key);
		if (n && n < nn) {
			size_t m = pl < kl ? pl : kl;
			int c = memcmp(prev, key, m);
			if (c > 0 || (c == 0 && pl >= kl))
				order = false;
		}
		memcpy(prev, key, kl);
		pl = kl;
		for (uint32_t i = 0; i < nodes[n].count; i++)
			if (rrs[nodes[n].first + i].node != n)
				back = false;
		uint8_t up[ZTK_DNAME_MAX];
		size_t ol = ztk_dname_len(nodes[n].owner);
		memcpy(up, nodes[n].owner, ol);
		for (size_t i = 0; i < ol; i++)
			if (up[i] >= 'a' && up[i] <= 'z')
				up[i] -= 32;
		if (ztk_zone_find(z, nodes[n].owner) != &nodes[n] ||
		    ztk_zone_find(z, up) != &nodes[n])
			found = false;
	}
	ok(order, "%s: nodes in strictly increasing canonical order", what);
	ok(back, "%s: every record names its node", what);
	ok(found, "%s: every owner is found, in either case", what);
}

/* --- zones built record by record ----------------------------------------- */

/* every name added to the built zone, in add order, with its type */
static struct added {
	uint8_t owner[ZTK_DNAME_MAX];
	uint8_t key[ZTK_DNAME_KEY_MAX];
	size_t kl, at;
	bool nsec3;
} *added;
static size_t nadded, capadded;

static void
add(struct ztk_zone *z, const char *name, uint16_t type, const void *rd,
	uint16_t rdlen, uint32_t line)
{
	struct ztk_rr rr = { 0 };
	uint8_t owner[ZTK_DNAME_MAX];
	const char *why;
	if (ztk_dname_parse(name, strlen(name), example, owner, &why) <= 0)
		abort();
	if (nadded == capadded) {
		capadded = capadded ? capadded * 2 : 1024;
		if ((added = realloc(added, capadded * sizeof *added)) == NULL)
			abort();
	}
	struct added *a = &added[nadded];
	memcpy(a->owner, owner, ztk_dname_len(owner));
	a->kl = ztk_dname_key(owner, a->key);
	a->at = nadded++;
	a->nsec3 = type == ZTK_TYPE_NSEC3;
	rr.owner = owner;
	rr.type = type;
	rr.rclass = ZTK_CLASS_IN;
	rr.ttl = 300 + line % 7;
	rr.rdata = rd;
	rr.rdlen = rdlen;
	rr.file = "built";
	rr.line = line;
	rr.col = 1;
	if (ztk_zone_add(z, &rr) != 0)
		abort();
}

enum { NBUILT = 70000 };

/* Names in a scattered order: equal names in runs far apart (and in
 * another case), long shared prefixes (the sort's abbreviated keys tie),
 * several labels, a delegation with glue, a DNAME with names below it,
 * NSEC3-like owners, and many records at one name (qsort in a node). */
static struct ztk_zone *
built_zone(bool origin_known)
{
	struct ztk_zone *z;
	if (ztk_zone_new(origin_known ? example : NULL, &z))
		abort();
	nadded = 0;
	uint32_t line = 1;
	static const uint8_t soa[] = "\3ns1\0\4host\0\0\0\0\1\0\0\0\2\0\0\0\3"
		"\0\0\0\4\0\0\0\5";
	add(z, "@", ZTK_TYPE_SOA, soa, sizeof soa - 1, line++);
	add(z, "@", ZTK_TYPE_NS, "\3ns1\7example\3com", 17, line++);
	uint64_t x = 12345;
	char name[200];
	for (int i = 0; i < NBUILT; i++) {
		x = x * 6364136223846793005u + 1442695040888963407u;
		unsigned v = (unsigned)(x >> 33) % 100000;
		uint8_t a[4] = { 192, 0, (uint8_t)(v >> 8), (uint8_t)v };
		switch (i % 9) {
		case 0:   /* again later, and in upper case */
			snprintf(name, sizeof name, "%s-%u", i % 2 ? "HOST" :
				"host", v % 5000);
			break;
		case 1:
			snprintf(name, sizeof name, "averyveryverylonglabel"
				"sharingitsstart-%u", v);
			break;
		case 2:
			snprintf(name, sizeof name, "x%u.y%u.multi", v % 97,
				v % 1000);
			break;
		case 3:
			snprintf(name, sizeof name, "sub-%u", v % 50);
			add(z, name, ZTK_TYPE_NS, "\3ns1\7example\3com", 17,
				line++);
			snprintf(name, sizeof name, "ns.sub-%u", v % 50);
			break;
		case 4:
			snprintf(name, sizeof name, "d-%u", v % 20);
			add(z, name, ZTK_TYPE_DNAME, "\1t\0", 3, line++);
			snprintf(name, sizeof name, "under.d-%u", v % 20);
			break;
		case 5:
			snprintf(name, sizeof name, "h%08x", (unsigned)(x >> 20));
			add(z, name, ZTK_TYPE_NSEC3, "\1\0\0\0\0\0", 6, line++);
			continue;
		case 6:
			snprintf(name, sizeof name, "big");
			break;
		default:
			snprintf(name, sizeof name, "n%u-%d", v, i);
		}
		add(z, name, ZTK_TYPE_A, a, 4, line++);
		if (i % 3 == 0)
			add(z, name, ZTK_TYPE_TXT, "\2hi", 3, line++);
	}
	return z;
}

/* The canonical order by an independent sort: distinct names by key,
 * each spelled as first added; NSEC3 owners apart. */
static int
added_cmp(const void *pa, const void *pb)
{
	const struct added *a = pa, *b = pb;
	size_t m = a->kl < b->kl ? a->kl : b->kl;
	int c = memcmp(a->key, b->key, m);
	if (c == 0)
		c = (a->kl > b->kl) - (a->kl < b->kl);
	return c ? c : (a->at > b->at) - (a->at < b->at);
}

static void
check_against_qsort(const struct ztk_zone *z)
{
	qsort(added, nadded, sizeof *added, added_cmp);
	const struct ztk_zone_node *nodes = ztk_zone_nodes(z);
	size_t nn = ztk_zone_node_count(z), k = 0, n3 = 0;
	bool same = true;
	for (size_t i = 0; i < nadded; i++) {
		if (i && added[i].kl == added[i - 1].kl &&
		    memcmp(added[i].key, added[i - 1].key, added[i].kl) == 0)
			continue;   /* the same name again */
		if (added[i].nsec3) {
			n3++;
			continue;
		}
		size_t ol = ztk_dname_len(added[i].owner);
		if (k >= nn || ztk_dname_len(nodes[k].owner) != ol ||
		    memcmp(nodes[k].owner, added[i].owner, ol) != 0)
			same = false;
		k++;
	}
	ok(same && k == nn, "built: the nodes are the distinct names in the "
		"order qsort gives, spelled as first added (%zu of %zu)", k, nn);
	is_int(ztk_zone_nsec3_count(z), n3, "built: NSEC3 owners");
}

static void
test_built(void)
{
	for (int known = 1; known >= 0; known--) {
		struct text one = { 0 }, two = { 0 };
		setenv("ZTK_THREADS", "1", 1);
		struct ztk_zone *z = built_zone(known);
		is_int(ztk_zone_finish(z), 0, "built (origin %s): one thread",
			known ? "given" : "from the SOA");
		snapshot(z, &one);
		ztk_zone_free(z);
		unsetenv("ZTK_THREADS");
		z = built_zone(known);
		is_int(ztk_zone_finish(z), 0, "built: two threads");
		snapshot(z, &two);
		check_shape(z, "built");
		if (known)
			check_against_qsort(z);
		ok(ztk_zone_nsec3_count(z) > 1000, "built: NSEC3 owners apart "
			"(%zu)", ztk_zone_nsec3_count(z));
		const struct ztk_zone_node *big = ztk_zone_find(z,
			(const uint8_t *)"\3big\7example\3com");
		ok(big && big->count > 16, "built: one name with many records");
		ok(two.n == one.n && memcmp(one.s, two.s, one.n) == 0,
			"built: two threads give the one-thread zone");
		ztk_zone_free(z);
		free(one.s);
		free(two.s);
	}
}

/* --- zones loaded from a file --------------------------------------------- */

static char dir[] = "/tmp/test_zone.XXXXXX";

enum { NFILE = 60000 };

/* kind 0: plain; 1: names of the first half again in the second, some in
 * another case; 2: that and a $INCLUDE in the second half; 3: that and a
 * syntax error in the second half */
static const char *
write_file(int kind)
{
	static char path[96];
	char inc[96];
	snprintf(path, sizeof path, "%s/z%d.zone", dir, kind);
	snprintf(inc, sizeof inc, "%s/inc.zone", dir);
	FILE *f = fopen(inc, "w");
	if (f == NULL)
		abort();
	fputs("host-7 A 10.0.0.7\nHOST-8 AAAA 2001:db8::8\nincl TXT \"i\"\n",
		f);
	fclose(f);
	if ((f = fopen(path, "w")) == NULL)
		abort();
	fputs("$TTL 3600\n$ORIGIN example.com.\n@ SOA ns1 h ( 1 7200 3600 "
		"1209600 300 )\n  NS ns1\nns1 A 192.0.2.53\n", f);
	for (int i = 0; i < NFILE; i++) {
		int j = (int)((unsigned)i * 7919u % NFILE);
		fprintf(f, "host-%d A 192.0.2.%d\n", j, j % 250);
		if (i % 4 == 0)
			fprintf(f, "\tAAAA 2001:db8::%x\n", j);
		if (kind >= 1 && i >= NFILE / 2 && i % 10 == 0)
			fprintf(f, "%s-%d TXT \"again %d\"\n", i % 20 ? "host" :
				"HOST", (int)((unsigned)(i - NFILE / 2) * 7919u %
				NFILE), i);
		if (kind >= 2 && i == NFILE * 3 / 4)
			fprintf(f, "$INCLUDE %s\n", inc);
		if (kind >= 3 && i == NFILE * 4 / 5)
			fputs("broken A 1.2.3.999\n", f);
	}
	fclose(f);
	return path;
}

static void
test_loaded(void)
{
	static const char *names[] = { "plain", "equal names in both halves",
		"$INCLUDE in the second half", "error in the second half" };
	setenv("ZTK_SPLIT_MIN", "1", 1);
	for (int kind = 0; kind < 4; kind++) {
		const char *path = write_file(kind);
		struct text one = { 0 }, two = { 0 };
		struct ztk_scan_stats s1, s2;
		struct ztk_zone *z = NULL;
		setenv("ZTK_THREADS", "1", 1);
		int r1 = ztk_zone_load(path, NULL, NULL, &z, &s1);
		if (z)
			snapshot(z, &one);
		ztk_zone_free(z);
		unsetenv("ZTK_THREADS");
		z = NULL;
		int r2 = ztk_zone_load(path, NULL, NULL, &z, &s2);
		is_int(r2, r1, "%s: same result", names[kind]);
		is_int(s2.records, s1.records, "%s: same records read (%llu)",
			names[kind], (unsigned long long)s1.records);
		is_int(s2.errors, s1.errors, "%s: same errors (%u)",
			names[kind], s1.errors);
		ok(z != NULL, "%s: loaded", names[kind]);
		if (z) {
			snapshot(z, &two);
			check_shape(z, names[kind]);
			if (kind == 1) {
				const struct ztk_zone_node *n = ztk_zone_find(z,
					(const uint8_t *)"\6host-0\7example\3com");
				ok(n && n->count >= 2, "%s: host-0 holds "
					"records of both halves", names[kind]);
			}
		}
		ok(two.n == one.n && memcmp(one.s, two.s, one.n) == 0,
			"%s: two threads give the one-thread zone",
			names[kind]);
		ztk_zone_free(z);
		free(one.s);
		free(two.s);
		unlink(path);
	}
	unsetenv("ZTK_SPLIT_MIN");
	char inc[96];
	snprintf(inc, sizeof inc, "%s/inc.zone", dir);
	unlink(inc);
}

int
main(void)
{
	if (mkdtemp(dir) == NULL)
		abort();
	test_built();
	test_loaded();
	rmdir(dir);
	return done_testing();
}
