/*
 * iterate.c - the iterative resolver (see include/ztk/iterate.h): referrals
 * checked against the bailiwick of the zone that sent them, glue believed
 * only inside it, failover over a zone's servers, CNAME chains, limits.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ztk/error.h>
#include <ztk/iterate.h>
#include <ztk/rrtype.h>
#include <ztk/scanner.h>
#include "util.h"

struct zentry {
	uint8_t name[ZTK_DNAME_MAX];    /* lowercase */
	struct ztk_server s[ZTK_ITER_MAX_SERVERS];
	size_t n;
};

struct ztk_iter {
	struct ztk_iter_opts o;
	int64_t deadline;               /* monotonic ms */
	struct zentry *z;               /* z[0] is the top */
	size_t nz;
	/* per ztk_iter_resolve() call */
	unsigned queries, referrals;
};

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int ztk_iter_new(const struct ztk_iter_opts *opts, struct ztk_iter **it_out)
{
	struct ztk_iter *it = calloc(1, sizeof(*it));
	if (it == NULL)
		return ZTK_ENOMEM;
	it->z = calloc(ZTK_ITER_MAX_ZONES, sizeof(*it->z));
	if (it->z == NULL) {
		free(it);
		return ZTK_ENOMEM;
	}
	if (opts)
		it->o = *opts;
	struct ztk_iter_opts *o = &it->o;
	if (!o->deadline_ms) o->deadline_ms = 10000;
	if (!o->timeout_ms) o->timeout_ms = 800;
	if (!o->tries) o->tries = 2;
	if (!o->max_referrals) o->max_referrals = 32;
	if (!o->max_queries) o->max_queries = 200;
	if (!o->max_cname) o->max_cname = 8;
	if (o->max_cname > ZTK_ITER_MAX_HOPS - 1)
		o->max_cname = ZTK_ITER_MAX_HOPS - 1;
	if (!o->max_glueless) o->max_glueless = 3;
	if (!o->max_threads) o->max_threads = 32;
	ztk_iter_set_deadline(it);
	*it_out = it;
	return 0;
}

void ztk_iter_free(struct ztk_iter *it)
{
	if (it == NULL)
		return;
	free(it->z);
	free(it);
}

void ztk_iter_set_deadline(struct ztk_iter *it)
{
	it->deadline = mono_ms() + it->o.deadline_ms;
}

unsigned ztk_iter_remaining_ms(const struct ztk_iter *it)
{
	int64_t left = it->deadline - mono_ms();
	return left > 0 ? (unsigned)left : 0;
}

static bool family_ok(const struct ztk_iter *it, uint8_t family)
{
	return family == 4 ? !it->o.no_ipv4 : family == 6 && !it->o.no_ipv6;
}

int ztk_iter_set_top(struct ztk_iter *it, const uint8_t *zone,
	const struct ztk_server *servers, size_t nservers)
{
	if (ztk_dname_wire_check(zone, ZTK_DNAME_MAX) < 0)
		return ZTK_EINVAL;
	struct zentry *t = &it->z[0];
	memset(t, 0, sizeof(*t));
	memcpy(t->name, zone, ztk_dname_len(zone));
	ztk_dname_to_lower(t->name);
	for (size_t i = 0; i < nservers && t->n < ZTK_ITER_MAX_SERVERS; i++)
		if (family_ok(it, servers[i].family))
			t->s[t->n++] = servers[i];
	it->nz = 1;
	return t->n ? 0 : ZTK_EINVAL;
}

const uint8_t *ztk_iter_top(const struct ztk_iter *it)
{
	return it->z[0].name;
}

static struct zentry *find_zone(const struct ztk_iter *it, const uint8_t *z)
{
	for (size_t i = 0; i < it->nz; i++)
		if (ztk_dname_equal(it->z[i].name, z))
			return &it->z[i];
	return NULL;
}

size_t ztk_iter_zone_servers(const struct ztk_iter *it, const uint8_t *zone,
	struct ztk_server *out, size_t max)
{
	const struct zentry *e = find_zone(it, zone);
	size_t n = 0;
	for (; e && n < e->n && n < max; n++)
		out[n] = e->s[n];
	return n;
}

/* Deepest known zone at or above name; strictly above it when below. */
static const struct zentry *closest(const struct ztk_iter *it,
	const uint8_t *name, bool strictly_above)
{
	const struct zentry *best = &it->z[0];
	unsigned bl = ztk_dname_labels(best->name);
	for (size_t i = 1; i < it->nz; i++) {
		const struct zentry *e = &it->z[i];
		unsigned l = ztk_dname_labels(e->name);
		if (l <= bl || !ztk_dname_is_subdomain(name, e->name))
			continue;
		if (strictly_above && ztk_dname_equal(name, e->name))
			continue;
		best = e;
		bl = l;
	}
	return best;
}

const uint8_t *ztk_iter_closest_zone(const struct ztk_iter *it,
	const uint8_t *name)
{
	return closest(it, name, false)->name;
}

/* Remember a delegation; the cache is bounded (emptied down to the top). */
static struct zentry *remember(struct ztk_iter *it, const uint8_t *zone)
{
	struct zentry *e = find_zone(it, zone);
	if (e == NULL) {
		if (it->nz == ZTK_ITER_MAX_ZONES)
			it->nz = 1;
		e = &it->z[it->nz++];
	}
	memset(e, 0, sizeof(*e));
	memcpy(e->name, zone, ztk_dname_len(zone));
	ztk_dname_to_lower(e->name);
	return e;
}

static void add_server(const struct ztk_iter *it, struct zentry *e,
	const uint8_t *addr, size_t alen);

int ztk_iter_learn(struct ztk_iter *it, const uint8_t *zone,
	const struct ztk_server *servers, size_t nservers)
{
	if (it->nz == 0 || ztk_dname_wire_check(zone, ZTK_DNAME_MAX) < 0 ||
	    !ztk_dname_is_subdomain(zone, it->z[0].name) || nservers == 0)
		return ZTK_EINVAL;
	struct zentry tmp = { 0 };
	for (size_t i = 0; i < nservers && tmp.n < ZTK_ITER_MAX_SERVERS; i++)
		if (family_ok(it, servers[i].family))
			tmp.s[tmp.n++] = servers[i];
	if (tmp.n == 0)
		return ZTK_EINVAL;
	struct zentry *e = remember(it, zone);
	memcpy(tmp.name, e->name, sizeof(tmp.name));
	*e = tmp;
	return 0;
}

static void add_server(const struct ztk_iter *it, struct zentry *e,
	const uint8_t *addr, size_t alen)
{
	struct ztk_server s;
	if (e->n == ZTK_ITER_MAX_SERVERS ||
	    ztk_server_from_addr(addr, alen, it->o.port, &s) != 0 ||
	    !family_ok(it, s.family))
		return;
	for (size_t i = 0; i < e->n; i++)
		if (e->s[i].family == s.family &&
		    memcmp(e->s[i].addr, s.addr, 16) == 0)
			return;
	e->s[e->n++] = s;
}

/* --- root hints ---------------------------------------------------------- */

struct hints {
	uint8_t ns[32][ZTK_DNAME_MAX];
	size_t nns;
	struct { uint8_t owner[ZTK_DNAME_MAX]; uint8_t a[16]; uint8_t len; }
		addr[64];
	size_t naddr;
	char *why;
	size_t whylen;
	int errors;
};

static int on_hint(void *ctx, const struct ztk_rr *rr)
{
	struct hints *h = ctx;
	if (rr->type == ZTK_TYPE_NS && rr->owner[0] == 0 && h->nns < 32 &&
	    ztk_dname_wire_check(rr->rdata, rr->rdlen) > 0) {
		memcpy(h->ns[h->nns], rr->rdata, ztk_dname_len(rr->rdata));
		ztk_dname_to_lower(h->ns[h->nns++]);
	} else if ((rr->type == ZTK_TYPE_A && rr->rdlen == 4) ||
	    (rr->type == ZTK_TYPE_AAAA && rr->rdlen == 16)) {
		if (h->naddr == ZTK_ARRAY_LEN(h->addr))
			return 0;
		memcpy(h->addr[h->naddr].owner, rr->owner,
			ztk_dname_len(rr->owner));
		ztk_dname_to_lower(h->addr[h->naddr].owner);
		memcpy(h->addr[h->naddr].a, rr->rdata, rr->rdlen);
		h->addr[h->naddr++].len = (uint8_t)rr->rdlen;
	}
	return 0;
}

static void on_hint_event(void *ctx, const struct ztk_scan_event *ev)
{
	struct hints *h = ctx;
	if (ev->severity == ZTK_SEV_ERROR && h->errors++ == 0)
		snprintf(h->why, h->whylen, "%s:%u:%u: %s", ev->file, ev->line,
			ev->col, ev->message);
}

int ztk_iter_load_hints(struct ztk_iter *it, const char *path, char *why,
	size_t whylen)
{
	struct hints *h = calloc(1, sizeof(*h));
	if (h == NULL)
		return ZTK_ENOMEM;
	h->why = why;
	h->whylen = whylen;
	static const uint8_t root[1] = { 0 };
	struct ztk_scan_opts so = { .origin = root, .on_rr = on_hint,
		.on_event = on_hint_event, .ctx = h, .no_include = true,
		.ttl_optional = true };
	int rc = ztk_scan_file(path, &so, NULL);
	if (rc == 0 && h->errors)
		rc = ZTK_ESYNTAX;
	if (rc != 0) {
		if (h->errors == 0)
			snprintf(why, whylen, "%s: %s", path, ztk_strerror(rc));
		free(h);
		return rc;
	}
	struct ztk_server s[ZTK_ITER_MAX_SERVERS];
	size_t n = 0;
	for (size_t i = 0; i < h->nns; i++)
		for (size_t k = 0; k < h->naddr && n < ZTK_ITER_MAX_SERVERS; k++)
			if (ztk_dname_equal(h->ns[i], h->addr[k].owner) &&
			    ztk_server_from_addr(h->addr[k].a, h->addr[k].len,
				it->o.port, &s[n]) == 0 &&
			    family_ok(it, s[n].family))
				n++;
	free(h);
	if (n == 0) {
		snprintf(why, whylen, "%s: no NS records for \".\" with an "
			"address%s", path, it->o.no_ipv6 ? " (IPv4)" :
			it->o.no_ipv4 ? " (IPv6)" : "");
		return ZTK_ESYNTAX;
	}
	return ztk_iter_set_top(it, root, s, n);
}

/* --- one zone's answer --------------------------------------------------- */

enum verdict { FINAL, REFERRAL, LAME };

static void servers_text(const struct zentry *e, size_t from, char *out,
	size_t len)
{
	size_t o = 0;
	out[0] = '\0';
	for (size_t i = from; i < e->n && o + ZTK_SERVER_TEXT_MAX + 8 < len;
	     i++) {
		char t[ZTK_SERVER_TEXT_MAX];
		ztk_server_print(&e->s[i], t);
		o += (size_t)snprintf(out + o, len - o, "%s%s", o ? ", " : "", t);
	}
}

static struct ztk_query_opts qopts(const struct ztk_iter *it)
{
	struct ztk_query_opts q = { .timeout_ms = it->o.timeout_ms,
		.tries = it->o.tries, .do_bit = true, .cd_bit = true,
		.deadline_ms = ztk_iter_remaining_ms(it) };
	return q;
}

/*
 * What an answer from zone z to (qname, qtype) is.  FINAL: kind is set;
 * REFERRAL: *cut points at the owner of the NS RRset (inside the message).
 */
static enum verdict classify(const struct ztk_msg *m, const uint8_t *z,
	const uint8_t *qname, uint16_t qtype, enum ztk_iter_kind *kind,
	const uint8_t **cut, char *why, size_t whylen)
{
	const struct ztk_msg_header *h = ztk_msg_header(m);
	bool aa = h->flags & ZTK_MSG_AA;
	char rb[16];
	if (h->rcode != ZTK_RCODE_NOERROR && h->rcode != ZTK_RCODE_NXDOMAIN) {
		snprintf(why, whylen, "answered %s", ztk_rcode_name(h->rcode, rb));
		return LAME;
	}
	const struct ztk_msg_rr *an;
	size_t nan = ztk_msg_rrs(m, ZTK_SECTION_ANSWER, &an);
	bool have_cname = false, have_type = false;
	for (size_t i = 0; i < nan; i++) {
		if (!ztk_dname_equal(an[i].rr.owner, qname))
			continue;
		if (an[i].rr.type == qtype || qtype == ZTK_TYPE_ANY)
			have_type = true;
		else if (an[i].rr.type == ZTK_TYPE_CNAME)
			have_cname = true;
	}
	if (have_type || have_cname || h->rcode == ZTK_RCODE_NXDOMAIN ||
	    (aa && nan == 0)) {
		if (!aa) {
			snprintf(why, whylen, "answered without the AA bit (not "
				"authoritative for %s)", "its zone");
			return LAME;
		}
		*kind = have_type ? ZTK_ITER_ANSWER : have_cname ? ZTK_ITER_CNAME
			: h->rcode == ZTK_RCODE_NXDOMAIN ? ZTK_ITER_NXDOMAIN
			: ZTK_ITER_NODATA;
		return FINAL;
	}
	if (aa) {
		/* an answer for other names only: nothing for us */
		*kind = ZTK_ITER_NODATA;
		return FINAL;
	}
	const struct ztk_msg_rr *au;
	size_t nau = ztk_msg_rrs(m, ZTK_SECTION_AUTHORITY, &au);
	for (size_t i = 0; i < nau; i++) {
		const uint8_t *o = au[i].rr.owner;
		if (au[i].rr.type != ZTK_TYPE_NS)
			continue;
		/* in bailiwick and downwards, towards qname: else lame */
		if (!ztk_dname_is_subdomain(o, z) || ztk_dname_equal(o, z) ||
		    !ztk_dname_is_subdomain(qname, o)) {
			char on[ZTK_DNAME_TEXT_MAX];
			ztk_dname_print(o, on);
			snprintf(why, whylen, "sent a referral to %.200s, which is "
				"not below the zone towards the name (lame)", on);
			return LAME;
		}
		if (qtype == ZTK_TYPE_DS && ztk_dname_equal(o, qname)) {
			snprintf(why, whylen, "referred the DS question to the "
				"child instead of answering it");
			return LAME;
		}
		*cut = o;
		return REFERRAL;
	}
	snprintf(why, whylen, "sent neither an answer nor a referral");
	return LAME;
}

struct walk {
	struct ztk_iter *it;
	struct ztk_iter_result *res;
	unsigned depth;                 /* nested glueless lookups */
};

static int resolve_one(struct walk *w, const uint8_t *qname, uint16_t qtype,
	struct ztk_iter_hop *hop);

/* Addresses of name from its own resolution (A, then AAAA). */
static void glueless(struct walk *w, const uint8_t *name, struct zentry *e)
{
	struct ztk_iter *it = w->it;
	static const uint16_t types[2] = { ZTK_TYPE_A, ZTK_TYPE_AAAA };
	for (int t = 0; t < 2; t++) {
		if ((t == 0 && it->o.no_ipv4) || (t == 1 && it->o.no_ipv6))
			continue;
		struct ztk_iter_hop hop = { 0 };
		char saved[sizeof(w->res->reason)];
		memcpy(saved, w->res->reason, sizeof(saved));
		w->depth++;
		int rc = resolve_one(w, name, types[t], &hop);
		w->depth--;
		memcpy(w->res->reason, saved, sizeof(saved));
		if (rc == 0 && hop.kind == ZTK_ITER_ANSWER) {
			const struct ztk_msg_rr *an;
			size_t n = ztk_msg_rrs(hop.msg, ZTK_SECTION_ANSWER, &an);
			for (size_t i = 0; i < n; i++)
				if (an[i].rr.type == types[t] &&
				    ztk_dname_equal(an[i].rr.owner, name))
					add_server(it, e, an[i].rr.rdata,
						an[i].rr.rdlen);
		}
		ztk_msg_free(hop.msg);
	}
}

/* The delegation to cut sent by zone z in m: servers from in-bailiwick
 * glue, or from resolving the NS names. */
static int follow_referral(struct walk *w, const struct ztk_msg *m,
	const uint8_t *z, const uint8_t *cut_in, const struct zentry **next)
{
	struct ztk_iter *it = w->it;
	uint8_t cut[ZTK_DNAME_MAX], zone[ZTK_DNAME_MAX];
	memcpy(cut, cut_in, ztk_dname_len(cut_in));
	ztk_dname_to_lower(cut);
	memcpy(zone, z, ztk_dname_len(z));
	struct zentry tmp = { 0 };
	memcpy(tmp.name, cut, ztk_dname_len(cut));
	const struct ztk_msg_rr *au, *ad;
	size_t nau = ztk_msg_rrs(m, ZTK_SECTION_AUTHORITY, &au);
	size_t nad = ztk_msg_rrs(m, ZTK_SECTION_ADDITIONAL, &ad);
	const uint8_t *names[16];
	size_t nn = 0;
	for (size_t i = 0; i < nau && nn < 16; i++) {
		if (au[i].rr.type != ZTK_TYPE_NS ||
		    !ztk_dname_equal(au[i].rr.owner, cut))
			continue;
		const uint8_t *t = au[i].rr.rdata;
		names[nn++] = t;
		/* glue only for names the referring zone is authoritative
		 * for: anything else could be an attempt to poison us */
		if (!ztk_dname_is_subdomain(t, zone))
			continue;
		for (size_t k = 0; k < nad; k++) {
			const struct ztk_rr *r = &ad[k].rr;
			if (((r->type == ZTK_TYPE_A && r->rdlen == 4) ||
			     (r->type == ZTK_TYPE_AAAA && r->rdlen == 16)) &&
			    ztk_dname_equal(r->owner, t))
				add_server(it, &tmp, r->rdata, r->rdlen);
		}
	}
	if (nn == 0)
		return ZTK_EMALF;
	for (size_t i = 0; i < nn && tmp.n == 0 && i < 4; i++) {
		/* glueless: the name must not lie below the cut itself (that
		 * would need the glue we do not have) */
		if (ztk_dname_is_subdomain(names[i], cut))
			continue;
		if (w->depth >= it->o.max_glueless) {
			snprintf(w->res->reason, sizeof(w->res->reason),
				"more than %u nested lookups of name server "
				"names", it->o.max_glueless);
			return ZTK_ELIMIT;
		}
		uint8_t nm[ZTK_DNAME_MAX];
		memcpy(nm, names[i], ztk_dname_len(names[i]));
		ztk_dname_to_lower(nm);
		glueless(w, nm, &tmp);
	}
	if (tmp.n == 0) {
		char cn[ZTK_DNAME_TEXT_MAX];
		ztk_dname_print(cut, cn);
		snprintf(w->res->reason, sizeof(w->res->reason), "no usable "
			"address for any name server of %.200s (glue out of "
			"bailiwick or missing, and the names do not resolve)",
			cn);
		return ZTK_ENET;
	}
	struct zentry *e = remember(it, cut);
	*e = tmp;
	*next = e;
	return 0;
}

static int resolve_one(struct walk *w, const uint8_t *qname, uint16_t qtype,
	struct ztk_iter_hop *hop)
{
	struct ztk_iter *it = w->it;
	struct ztk_iter_result *res = w->res;
	const struct zentry *ze = closest(it, qname, qtype == ZTK_TYPE_DS);
	struct ztk_query_opts q;
	unsigned refs = 0;
	for (;;) {
		/* ze may move when the cache is emptied: copy it */
		struct zentry cur = *ze;
		char zn[ZTK_DNAME_TEXT_MAX], lame[400] = "";
		ztk_dname_print(cur.name, zn);
		size_t start = 0;
		int last = ZTK_ENET;
		while (start < cur.n) {
			if (ztk_iter_remaining_ms(it) == 0) {
				char st[300];
				servers_text(&cur, start, st, sizeof(st));
				snprintf(res->reason, sizeof(res->reason), "deadline "
					"of %u ms spent before %.200s answered "
					"(servers of %.60s)", it->o.deadline_ms, st,
					zn);
				return ZTK_ETIMEDOUT;
			}
			if (it->queries >= it->o.max_queries) {
				snprintf(res->reason, sizeof(res->reason), "more "
					"than %u queries for one name",
					it->o.max_queries);
				return ZTK_ELIMIT;
			}
			it->queries++;
			res->queries++;
			q = qopts(it);
			struct ztk_msg *m = NULL;
			struct ztk_query_info info;
			int rc = ztk_resolver_query(cur.s + start, cur.n - start,
				qname, qtype, &q, &m, &info);
			if (rc != 0) {
				if (rc == ZTK_ENOMEM || rc == ZTK_EINVAL)
					return rc;
				/* every remaining server failed */
				snprintf(res->reason, sizeof(res->reason),
					"servers of %.60s: %.200s%s%.200s", zn,
					info.reason, lame[0] ? "; " : "", lame);
				return rc == ZTK_ETIMEDOUT ? ZTK_ETIMEDOUT : ZTK_ENET;
			}
			size_t idx = start + (size_t)info.server;
			enum ztk_iter_kind kind = ZTK_ITER_ANSWER;
			const uint8_t *cut = NULL;
			char why[300];
			enum verdict v = classify(m, cur.name, qname, qtype, &kind,
				&cut, why, sizeof(why));
			if (v == FINAL) {
				memset(hop, 0, sizeof(*hop));
				memcpy(hop->qname, qname, ztk_dname_len(qname));
				memcpy(hop->zone, cur.name, ztk_dname_len(cur.name));
				hop->kind = kind;
				hop->msg = m;
				hop->server = cur.s[idx];
				return 0;
			}
			if (v == REFERRAL) {
				if (++refs > it->o.max_referrals ||
				    ++res->referrals > it->o.max_referrals * 4) {
					ztk_msg_free(m);
					snprintf(res->reason, sizeof(res->reason),
						"more than %u referrals",
						it->o.max_referrals);
					return ZTK_ELIMIT;
				}
				const struct zentry *next = NULL;
				int fr = follow_referral(w, m, cur.name, cut, &next);
				ztk_msg_free(m);
				if (fr == 0) {
					ze = next;
					goto next_zone;
				}
				if (fr == ZTK_ELIMIT || fr == ZTK_ENOMEM)
					return fr;
				/* no address for the child: the next server
				 * of this zone may send better glue */
				snprintf(lame, sizeof(lame), "%.300s",
					res->reason);
				last = fr;
				start = idx + 1;
				continue;
			}
			char st[ZTK_SERVER_TEXT_MAX];
			ztk_server_print(&cur.s[idx], st);
			size_t ll = strlen(lame);
			if (ll + 8 < sizeof(lame))
				snprintf(lame + ll, sizeof(lame) - ll, "%s%s %s",
					ll ? "; " : "", st, why);
			ztk_msg_free(m);
			start = idx + 1;
		}
		snprintf(res->reason, sizeof(res->reason), "no server of %.60s "
			"gave a usable answer%s%.390s", zn, lame[0] ? ": " : "",
			lame);
		return last;
next_zone:;
	}
}

void ztk_iter_result_clear(struct ztk_iter_result *res)
{
	for (size_t i = 0; i < res->nhops; i++)
		ztk_msg_free(res->hops[i].msg);
	res->nhops = 0;
}

/* The CNAME target for owner in m (lowercased into out). */
static bool cname_target(const struct ztk_msg *m, const uint8_t *owner,
	uint8_t *out)
{
	const struct ztk_msg_rr *an;
	size_t n = ztk_msg_rrs(m, ZTK_SECTION_ANSWER, &an);
	for (size_t i = 0; i < n; i++)
		if (an[i].rr.type == ZTK_TYPE_CNAME &&
		    ztk_dname_equal(an[i].rr.owner, owner)) {
			memcpy(out, an[i].rr.rdata, ztk_dname_len(an[i].rr.rdata));
			ztk_dname_to_lower(out);
			return true;
		}
	return false;
}

int ztk_iter_resolve(struct ztk_iter *it, const uint8_t *qname,
	uint16_t qtype, struct ztk_iter_result *res)
{
	memset(res, 0, sizeof(*res));
	if (it->nz == 0 || ztk_dname_wire_check(qname, ZTK_DNAME_MAX) < 0) {
		snprintf(res->reason, sizeof(res->reason), "no top zone, or a "
			"bad name");
		return ZTK_EINVAL;
	}
	it->queries = 0;
	struct walk w = { .it = it, .res = res };
	uint8_t name[ZTK_DNAME_MAX];
	memcpy(name, qname, ztk_dname_len(qname));
	ztk_dname_to_lower(name);
	if (!ztk_dname_is_subdomain(name, it->z[0].name)) {
		char tn[ZTK_DNAME_TEXT_MAX];
		ztk_dname_print(it->z[0].name, tn);
		snprintf(res->reason, sizeof(res->reason), "the name is not "
			"below the top zone %.200s", tn);
		return ZTK_EINVAL;
	}
	for (;;) {
		struct ztk_iter_hop *hop = &res->hops[res->nhops];
		int rc = resolve_one(&w, name, qtype, hop);
		if (rc != 0)
			return rc;
		res->nhops++;
		res->reason[0] = '\0';
		if (hop->kind != ZTK_ITER_CNAME)
			return 0;
		uint8_t next[ZTK_DNAME_MAX];
		if (!cname_target(hop->msg, name, next))
			return 0;
		for (size_t i = 0; i < res->nhops; i++)
			if (ztk_dname_equal(res->hops[i].qname, next)) {
				snprintf(res->reason, sizeof(res->reason),
					"CNAME loop");
				return ZTK_ELIMIT;
			}
		if (res->nhops > it->o.max_cname ||
		    res->nhops == ZTK_ITER_MAX_HOPS) {
			snprintf(res->reason, sizeof(res->reason), "more than %u "
				"CNAME hops", it->o.max_cname);
			return ZTK_ELIMIT;
		}
		if (!ztk_dname_is_subdomain(next, it->z[0].name))
			return 0;       /* outside the tree we may walk */
		memcpy(name, next, sizeof(next));
	}
}

/* --- independent questions at once --------------------------------------- */

struct many {
	struct ztk_iter_job *jobs;
	size_t n;
	atomic_size_t next;
	struct ztk_query_opts q;
};

static void *many_worker(void *arg)
{
	struct many *mc = arg;
	for (;;) {
		size_t i = atomic_fetch_add(&mc->next, 1);
		if (i >= mc->n)
			return NULL;
		struct ztk_iter_job *j = &mc->jobs[i];
		j->msg = NULL;
		j->rc = ztk_resolver_query(j->servers, j->nservers, j->qname,
			j->qtype, &mc->q, &j->msg, &j->info);
	}
}

int ztk_iter_query_many(struct ztk_iter *it, struct ztk_iter_job *jobs,
	size_t njobs)
{
	struct many mc = { .jobs = jobs, .n = njobs, .q = qopts(it) };
	atomic_init(&mc.next, 0);
	for (size_t i = 0; i < njobs; i++) {
		jobs[i].rc = ZTK_ETIMEDOUT;
		jobs[i].msg = NULL;
		memset(&jobs[i].info, 0, sizeof(jobs[i].info));
	}
	if (njobs == 0)
		return 0;
	if (mc.q.deadline_ms == 0) {
		for (size_t i = 0; i < njobs; i++)
			snprintf(jobs[i].info.reason, sizeof(jobs[i].info.reason),
				"deadline spent");
		return 0;
	}
	size_t nt = njobs < it->o.max_threads ? njobs : it->o.max_threads;
	pthread_t th[64];
	if (nt > ZTK_ARRAY_LEN(th))
		nt = ZTK_ARRAY_LEN(th);
	size_t started = 0;
	/* the calling thread works too, so one job needs no thread */
	for (size_t i = 1; i < nt; i++) {
		if (pthread_create(&th[started], NULL, many_worker, &mc) != 0)
			break;
		started++;
	}
	many_worker(&mc);
	for (size_t i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	return 0;
}
