/*
 * chain_walk.c - the live chain of trust (see include/ztk/chain_walk.h).
 *
 * What the servers send is put into small in-memory zones (the zone's
 * DNSKEY RRset and the records to check), so the offline checks of
 * lib/chain.c judge live data with the same code and the same words.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <ztk/chain_walk.h>
#include <ztk/dnssec.h>
#include <ztk/error.h>
#include <ztk/rrtype.h>
#include <ztk/zone.h>
#include "denial.h"
#include "dnssec_int.h"
#include "util.h"

struct wlevel {
	uint8_t zone[ZTK_DNAME_MAX];
	struct ztk_server s[ZTK_ITER_MAX_SERVERS];
	size_t ns;
	size_t dnskey_job, soa_job;     /* first of ns jobs each */
	long ds_job;                    /* -1 for the top */
	const struct ztk_msg *keys;     /* the DNSKEY answer used */
};

/* --- the cache across walks --------------------------------------------- */

struct centry {
	uint8_t zone[ZTK_DNAME_MAX];
	uint8_t parent[1 + ZTK_DNAME_MAX];      /* [0] 1 if it has one, then
	                                         * its name */
	struct ztk_server s[ZTK_ITER_MAX_SERVERS];
	size_t ns;
	struct ztk_msg *msg[2 * ZTK_ITER_MAX_SERVERS + 1];
	size_t nmsg;
	int64_t expires;                /* monotonic ms; 0: free slot */
};

struct ztk_walk_cache {
	struct centry e[ZTK_WALK_CACHE_ZONES];
	size_t next;                    /* slot to reuse next (oldest) */
};

int ztk_walk_cache_new(struct ztk_walk_cache **cache_out)
{
	*cache_out = calloc(1, sizeof(**cache_out));
	return *cache_out ? 0 : ZTK_ENOMEM;
}

static void centry_clear(struct centry *e)
{
	for (size_t i = 0; i < e->nmsg; i++)
		ztk_msg_free(e->msg[i]);
	memset(e, 0, sizeof(*e));
}

void ztk_walk_cache_free(struct ztk_walk_cache *cache)
{
	if (cache == NULL)
		return;
	for (size_t i = 0; i < ZTK_WALK_CACHE_ZONES; i++)
		centry_clear(&cache->e[i]);
	free(cache);
}

struct walkctx {
	struct ztk_walk_report *out;
	struct wlevel lv[ZTK_WALK_MAX_LEVELS];
	size_t n;
	const struct ztk_walk_opts *o;
	struct ztk_chain_opts co;
	enum ztk_verdict answer_worst;  /* of the answers themselves */
};

static void warn(struct ztk_walk_report *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void warn(struct ztk_walk_report *out, const char *fmt, ...)
{
	if (out->nwarnings == ZTK_WALK_MAX_WARNINGS)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(out->warnings[out->nwarnings++], sizeof(out->warnings[0]),
		fmt, ap);
	va_end(ap);
}

static void pn(const uint8_t *name, char *out200)
{
	char t[ZTK_DNAME_TEXT_MAX];
	ztk_dname_print(name, t);
	snprintf(out200, 200, "%.199s", t);
}

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The signer name of an RRSIG RDATA, or NULL. */
static const uint8_t *rrsig_signer(const struct ztk_rr *r)
{
	if (r->type != ZTK_TYPE_RRSIG || r->rdlen <= RRSIG_FIXED ||
	    ztk_dname_wire_check(r->rdata + RRSIG_FIXED,
		r->rdlen - RRSIG_FIXED) <= 0)
		return NULL;
	return r->rdata + RRSIG_FIXED;
}

/* A usable authoritative answer holding type at owner. */
static bool has_rrset(const struct ztk_msg *m, const uint8_t *owner,
	uint16_t type)
{
	const struct ztk_msg_rr *an;
	size_t n = ztk_msg_rrs(m, ZTK_SECTION_ANSWER, &an);
	for (size_t i = 0; i < n; i++)
		if (an[i].rr.type == type && ztk_dname_equal(an[i].rr.owner, owner))
			return true;
	return false;
}

/*
 * Is (owner, type) in section sec of m signed by the DNSKEY RRset of zone
 * found in keys (already trusted)?  Signatures by another signer are not
 * considered.  *sig_labels gets the RRSIG labels field (for wildcards).
 */
static enum ztk_verdict check_rrset(struct walkctx *w, const uint8_t *zone,
	const struct ztk_msg *keys, const struct ztk_msg *m,
	enum ztk_section sec, const uint8_t *owner, uint16_t type,
	unsigned *sig_labels, char *why, size_t whylen)
{
	struct ztk_zone *z;
	if (ztk_zone_new(zone, &z) != 0) {
		snprintf(why, whylen, "out of memory");
		return ZTK_INDETERMINATE;
	}
	const struct ztk_msg_rr *kr;
	size_t nk = ztk_msg_rrs(keys, ZTK_SECTION_ANSWER, &kr);
	int rc = 0;
	for (size_t i = 0; i < nk && rc == 0; i++)
		if (kr[i].rr.type == ZTK_TYPE_DNSKEY &&
		    ztk_dname_equal(kr[i].rr.owner, zone))
			rc = ztk_zone_add(z, &kr[i].rr);
	const struct ztk_msg_rr *rr;
	size_t n = ztk_msg_rrs(m, sec, &rr);
	unsigned ol = ztk_dname_labels(owner), labels = ol;
	for (size_t i = 0; i < n; i++) {
		const uint8_t *sg = rrsig_signer(&rr[i].rr);
		if (sg && ztk_dname_equal(rr[i].rr.owner, owner) &&
		    ztk_get16(rr[i].rr.rdata) == type && ztk_dname_equal(sg, zone)
		    && rr[i].rr.rdata[3] < labels)
			labels = rr[i].rr.rdata[3];
	}
	*sig_labels = labels;
	/* A wildcard expansion is checked under the wildcard's own name,
	 * the name its signature was made for (RFC 4035 5.3.2). */
	uint8_t wname[ZTK_DNAME_MAX];
	const uint8_t *as = owner;
	if (labels < ol) {
		const uint8_t *sfx = owner;
		for (unsigned k = ol; k > labels; k--)
			sfx += 1 + *sfx;
		size_t sl = ztk_dname_len(sfx);
		if (sl + 2 <= ZTK_DNAME_MAX) {
			wname[0] = 1;
			wname[1] = '*';
			memcpy(wname + 2, sfx, sl);
			as = wname;
		}
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (!ztk_dname_equal(rr[i].rr.owner, owner))
			continue;
		const uint8_t *sg = rrsig_signer(&rr[i].rr);
		bool mine = rr[i].rr.type == type ||
			(sg && ztk_get16(rr[i].rr.rdata) == type &&
			 ztk_dname_equal(sg, zone) &&
			 (as == owner || rr[i].rr.rdata[3] == labels));
		if (!mine)
			continue;
		struct ztk_rr copy = rr[i].rr;
		copy.owner = as;
		rc = ztk_zone_add(z, &copy);
	}
	if (rc == 0)
		rc = ztk_zone_finish(z);
	enum ztk_verdict v = ZTK_INDETERMINATE;
	if (rc == 0)
		v = ztk_chain_rrset(z, as, type, &w->co, why, whylen);
	else
		snprintf(why, whylen, "%s", ztk_strerror(rc));
	ztk_zone_free(z);
	return v;
}

/*
 * The NSEC/NSEC3 records of m's authority section that the zone's keys
 * sign; pointers into m (at most max).  Unsigned or badly signed ones are
 * left out, and the first failure is described in why.
 */
static size_t verified_denial(struct walkctx *w, const uint8_t *zone,
	const struct ztk_msg *keys, const struct ztk_msg *m,
	const struct ztk_rr **out, size_t max, char *why, size_t whylen)
{
	const struct ztk_msg_rr *au;
	size_t n = ztk_msg_rrs(m, ZTK_SECTION_AUTHORITY, &au), k = 0;
	for (size_t i = 0; i < n && k < max; i++) {
		uint16_t t = au[i].rr.type;
		if ((t != ZTK_TYPE_NSEC && t != ZTK_TYPE_NSEC3) ||
		    !ztk_dname_is_subdomain(au[i].rr.owner, zone))
			continue;
		unsigned labels;
		char w2[600];
		if (check_rrset(w, zone, keys, m, ZTK_SECTION_AUTHORITY,
			au[i].rr.owner, t, &labels, w2, sizeof(w2)) == ZTK_SECURE)
			out[k++] = &au[i].rr;
		else if (why[0] == '\0')
			snprintf(why, whylen, "%.500s", w2);
	}
	return k;
}

static bool same_servers(const struct centry *e, const struct wlevel *l)
{
	if (e->ns != l->ns)
		return false;
	for (size_t k = 0; k < l->ns; k++)
		if (e->s[k].family != l->s[k].family || e->s[k].port !=
		    l->s[k].port || memcmp(e->s[k].addr, l->s[k].addr, 16) != 0)
			return false;
	return true;
}

static struct centry *cache_find(struct ztk_walk_cache *c,
	const struct walkctx *w, size_t i, int parent)
{
	const struct wlevel *l = &w->lv[i];
	int64_t now = mono_ms();
	for (size_t k = 0; k < ZTK_WALK_CACHE_ZONES; k++) {
		struct centry *e = &c->e[k];
		if (e->expires == 0)
			continue;
		if (e->expires <= now) {
			centry_clear(e);
			continue;
		}
		bool top = parent < 0;
		if (ztk_dname_equal(e->zone, l->zone) && same_servers(e, l) &&
		    (top ? e->parent[0] == 0 && e->nmsg == 2 * l->ns :
		     e->parent[0] != 0 && e->nmsg == 2 * l->ns + 1 &&
		     ztk_dname_equal(e->parent + 1, w->lv[parent].zone)))
			return e;
	}
	return NULL;
}

/* Keep level i's answers (all must have come, fresh) for later walks;
 * the messages move into the cache. */
static void cache_store(struct ztk_walk_cache *c, const struct walkctx *w,
	size_t i, int parent, struct ztk_iter_job *jobs, bool *cached)
{
	const struct wlevel *l = &w->lv[i];
	size_t n = 2 * l->ns + (l->ds_job >= 0);
	struct ztk_iter_job *js[2 * ZTK_ITER_MAX_SERVERS + 1];
	for (size_t k = 0; k < 2 * l->ns; k++)
		js[k] = &jobs[l->dnskey_job + k];
	if (l->ds_job >= 0)
		js[2 * l->ns] = &jobs[l->ds_job];
	uint32_t ttl = 300;
	for (size_t k = 0; k < n; k++) {
		size_t idx = (size_t)(js[k] - jobs);
		if (cached[idx] || js[k]->rc != 0 || js[k]->msg == NULL)
			return;
		const struct ztk_msg_rr *rr;
		size_t m = ztk_msg_rrs(js[k]->msg, ZTK_SECTION_ALL, &rr);
		for (size_t r = 0; r < m; r++)
			if (rr[r].rr.ttl < ttl)
				ttl = rr[r].rr.ttl;
	}
	if (ttl == 0)
		return;
	struct centry *e = &c->e[c->next];
	c->next = (c->next + 1) % ZTK_WALK_CACHE_ZONES;
	centry_clear(e);
	memcpy(e->zone, l->zone, ztk_dname_len(l->zone));
	if (parent >= 0) {
		/* parent[0] marks "has one"; the name follows */
		e->parent[0] = 1;
		memcpy(e->parent + 1, w->lv[parent].zone,
			ztk_dname_len(w->lv[parent].zone));
	}
	memcpy(e->s, l->s, sizeof(e->s));
	e->ns = l->ns;
	for (size_t k = 0; k < n; k++) {
		size_t idx = (size_t)(js[k] - jobs);
		e->msg[k] = js[k]->msg;
		cached[idx] = true;     /* not freed by the walk */
	}
	e->nmsg = n;
	e->expires = mono_ms() + (int64_t)ttl * 1000;
}

/* --- finding the zones --------------------------------------------------- */

static long add_level(struct walkctx *w, struct ztk_iter *it,
	const uint8_t *zone)
{
	for (size_t i = 0; i < w->n; i++)
		if (ztk_dname_equal(w->lv[i].zone, zone))
			return (long)i;
	if (w->n == ZTK_WALK_MAX_LEVELS)
		return -1;
	struct wlevel *l = &w->lv[w->n];
	memset(l, 0, sizeof(*l));
	memcpy(l->zone, zone, ztk_dname_len(zone));
	ztk_dname_to_lower(l->zone);
	l->ns = ztk_iter_zone_servers(it, zone, l->s, ZTK_ITER_MAX_SERVERS);
	if (l->ns == 0)
		return -1;
	return (long)w->n++;
}

/* The zone an answer really comes from: the signer of its records (one
 * server set may serve parent and child, so no referral showed the cut). */
static const uint8_t *answer_zone(const struct ztk_iter_hop *h)
{
	const struct ztk_msg_rr *rr;
	size_t n = ztk_msg_rrs(h->msg, ZTK_SECTION_ALL, &rr);
	const uint8_t *best = NULL;
	for (size_t i = 0; i < n; i++) {
		const uint8_t *sg = NULL;
		if (rr[i].section == ZTK_SECTION_ANSWER &&
		    ztk_dname_equal(rr[i].rr.owner, h->qname))
			sg = rrsig_signer(&rr[i].rr);
		else if (rr[i].section == ZTK_SECTION_AUTHORITY &&
		    rr[i].rr.type == ZTK_TYPE_SOA)
			sg = rr[i].rr.owner;
		if (sg && ztk_dname_is_subdomain(sg, h->zone) &&
		    ztk_dname_is_subdomain(h->qname, sg) &&
		    (best == NULL || ztk_dname_labels(sg) > ztk_dname_labels(best)))
			best = sg;
	}
	return best;
}

/* --- judging one level --------------------------------------------------- */

static const struct ztk_msg *pick_keys(struct walkctx *w, size_t i,
	struct ztk_iter_job *jobs)
{
	struct wlevel *l = &w->lv[i];
	for (size_t k = 0; k < l->ns; k++) {
		struct ztk_iter_job *j = &jobs[l->dnskey_job + k];
		if (j->rc == 0 && ztk_msg_header(j->msg)->rcode == 0 &&
		    (ztk_msg_header(j->msg)->flags & ZTK_MSG_AA) &&
		    has_rrset(j->msg, l->zone, ZTK_TYPE_DNSKEY))
			return j->msg;
	}
	return NULL;
}

/* Sorted DNSKEY RDATA of an answer, concatenated with lengths, for
 * comparing servers. */
static size_t key_fingerprint(const struct ztk_msg *m, const uint8_t *zone,
	uint64_t *sum)
{
	const struct ztk_msg_rr *an;
	size_t n = ztk_msg_rrs(m, ZTK_SECTION_ANSWER, &an), k = 0;
	uint64_t x = 0;
	for (size_t i = 0; i < n; i++)
		if (an[i].rr.type == ZTK_TYPE_DNSKEY &&
		    ztk_dname_equal(an[i].rr.owner, zone)) {
			/* order-free: sum of per-record hashes */
			x += fnv1a(0, an[i].rr.rdata, an[i].rr.rdlen);
			k++;
		}
	*sum = x;
	return k;
}

static bool soa_serial(const struct ztk_msg *m, const uint8_t *zone,
	uint32_t *serial)
{
	const struct ztk_msg_rr *an;
	size_t n = ztk_msg_rrs(m, ZTK_SECTION_ANSWER, &an);
	for (size_t i = 0; i < n; i++) {
		const struct ztk_rr *r = &an[i].rr;
		if (r->type != ZTK_TYPE_SOA || !ztk_dname_equal(r->owner, zone))
			continue;
		int a = ztk_dname_wire_check(r->rdata, r->rdlen);
		if (a <= 0)
			return false;
		int b = ztk_dname_wire_check(r->rdata + a, r->rdlen - (size_t)a);
		if (b <= 0 || (size_t)(a + b + 20) > r->rdlen)
			return false;
		*serial = ztk_get32(r->rdata + a + b);
		return true;
	}
	return false;
}

/* Do the servers of a level agree?  Warnings name those that do not. */
static void compare_servers(struct walkctx *w, size_t i,
	struct ztk_iter_job *jobs)
{
	struct wlevel *l = &w->lv[i];
	struct ztk_walk_level *ol = &w->out->levels[i];
	char zn[200];
	pn(l->zone, zn);
	uint64_t ref = 0;
	size_t refn = 0;
	int refi = -1;
	bool have_serial = false;
	uint32_t serial0 = 0;
	int serial_i = -1;
	for (size_t k = 0; k < l->ns; k++) {
		struct ztk_iter_job *dj = &jobs[l->dnskey_job + k];
		struct ztk_iter_job *sj = &jobs[l->soa_job + k];
		char st[ZTK_SERVER_TEXT_MAX];
		ztk_server_print(&l->s[k], st);
		if (dj->rc != 0) {
			warn(w->out, "server %s of %s did not answer: %.200s", st,
				zn, dj->info.reason);
			continue;
		}
		ol->nanswered++;
		uint64_t sum;
		size_t cnt = key_fingerprint(dj->msg, l->zone, &sum);
		if (refi < 0) {
			ref = sum, refn = cnt, refi = (int)k;
		} else if (cnt != refn || sum != ref) {
			char rs[ZTK_SERVER_TEXT_MAX];
			ztk_server_print(&l->s[refi], rs);
			warn(w->out, "servers of %s disagree on the DNSKEY RRset: "
				"%s sends %zu key%s, %s sends %zu", zn, rs, refn,
				refn == 1 ? "" : "s", st, cnt);
		}
		uint32_t s;
		if (sj->rc == 0 && soa_serial(sj->msg, l->zone, &s)) {
			if (!have_serial) {
				have_serial = true;
				serial0 = s;
				serial_i = (int)k;
			} else if (s != serial0) {
				char rs[ZTK_SERVER_TEXT_MAX];
				ztk_server_print(&l->s[serial_i], rs);
				warn(w->out, "servers of %s disagree on the SOA "
					"serial: %s has %u, %s has %u", zn, rs,
					serial0, st, s);
			}
		}
	}
	ol->have_serial = have_serial;
	ol->serial = serial0;
}

/* Warnings about the zone's keys and DS beyond struct ztk_chain_level. */
static void key_warnings(struct walkctx *w, size_t i,
	const struct ztk_trust *ds, size_t nds)
{
	struct wlevel *l = &w->lv[i];
	struct ztk_walk_level *ol = &w->out->levels[i];
	char zn[200];
	pn(l->zone, zn);
	const struct ztk_msg_rr *an;
	size_t n = ztk_msg_rrs(l->keys, ZTK_SECTION_ANSWER, &an);
	for (size_t k = 0; k < n; k++) {
		if (an[k].rr.type != ZTK_TYPE_DNSKEY || an[k].rr.rdlen < 4)
			continue;
		const struct ztk_alg_info *ai = ztk_alg_by_number(
			an[k].rr.rdata[3]);
		if (ai && ai->status == ZTK_ALG_MUST_NOT)
			warn(w->out, "%s publishes key %u with algorithm %s, "
				"which RFC 8624 says must not be used", zn,
				ztk_keytag(an[k].rr.rdata, an[k].rr.rdlen),
				ai->mnemonic);
	}
	if (ol->lv.verdict != ZTK_SECURE)
		return;
	for (size_t d = 0; d < nds; d++) {
		if (ds[d].type != ZTK_TYPE_DS || ds[d].len < 4)
			continue;
		uint16_t tag = ztk_get16(ds[d].rdata);
		uint8_t alg = ds[d].rdata[2];
		bool found = false;
		for (size_t k = 0; k < n && !found; k++)
			found = an[k].rr.type == ZTK_TYPE_DNSKEY &&
				an[k].rr.rdlen >= 4 && an[k].rr.rdata[3] == alg &&
				ztk_keytag(an[k].rr.rdata, an[k].rr.rdlen) == tag;
		if (!found)
			warn(w->out, "DS %u/%u/%u for %s points to a key the "
				"zone does not publish (yet): publish it before "
				"the other keys go", tag, alg, ds[d].rdata[3], zn);
		const struct ztk_alg_info *ai = ztk_alg_by_number(alg);
		if (ai && ai->status == ZTK_ALG_MUST_NOT)
			warn(w->out, "DS %u/%u/%u for %s uses algorithm %s, which "
				"RFC 8624 says must not be used", tag, alg,
				ds[d].rdata[3], zn, ai->mnemonic);
	}
}

static void set_level(struct ztk_walk_level *ol, enum ztk_verdict v,
	const char *reason, const char *hint)
{
	ol->lv.verdict = v;
	snprintf(ol->lv.reason, sizeof(ol->lv.reason), "%.590s", reason);
	snprintf(ol->lv.hint, sizeof(ol->lv.hint), "%.290s", hint ? hint : "");
}

/* The DS of level i from its parent's answer: 0 and the set (possibly
 * empty when absence is proven), or 1 with the level judged already. */
static int ds_of(struct walkctx *w, size_t i, int parent,
	struct ztk_iter_job *jobs, struct ztk_trust *ds, size_t *nds)
{
	struct wlevel *l = &w->lv[i], *p = &w->lv[parent];
	struct ztk_walk_level *ol = &w->out->levels[i];
	struct ztk_iter_job *j = &jobs[l->ds_job];
	char zn[200], pz[200], why[600] = "", r[1400];
	pn(l->zone, zn);
	pn(p->zone, pz);
	*nds = 0;
	if (j->rc != 0) {
		snprintf(r, sizeof(r), "the DS query for %s at %s failed: %.400s",
			zn, pz, j->info.reason);
		set_level(ol, ZTK_INDETERMINATE, r, "check that the parent's "
			"servers answer");
		w->out->unreachable = true;
		return 1;
	}
	const struct ztk_msg_header *h = ztk_msg_header(j->msg);
	if (h->rcode == 0 && has_rrset(j->msg, l->zone, ZTK_TYPE_DS)) {
		unsigned labels;
		if (check_rrset(w, p->zone, p->keys, j->msg, ZTK_SECTION_ANSWER,
			l->zone, ZTK_TYPE_DS, &labels, why, sizeof(why)) !=
		    ZTK_SECURE) {
			snprintf(r, sizeof(r), "the DS RRset of %s in %s does not "
				"validate: %.500s", zn, pz, why);
			set_level(ol, ZTK_BOGUS, r, "re-sign the parent zone");
			return 1;
		}
		const struct ztk_msg_rr *an;
		size_t n = ztk_msg_rrs(j->msg, ZTK_SECTION_ANSWER, &an);
		for (size_t k = 0; k < n && *nds < 32; k++) {
			const struct ztk_rr *x = &an[k].rr;
			if (x->type != ZTK_TYPE_DS ||
			    !ztk_dname_equal(x->owner, l->zone) ||
			    x->rdlen > sizeof(ds->rdata))
				continue;
			struct ztk_trust *t = &ds[(*nds)++];
			memset(t, 0, sizeof(*t));
			memcpy(t->owner, l->zone, ztk_dname_len(l->zone));
			t->type = ZTK_TYPE_DS;
			t->len = x->rdlen;
			memcpy(t->rdata, x->rdata, x->rdlen);
		}
		return 0;
	}
	if (h->rcode != 0) {
		char rb[16];
		snprintf(r, sizeof(r), "%s answered %s to the DS query for %s",
			pz, ztk_rcode_name(h->rcode, rb), zn);
		set_level(ol, ZTK_BOGUS, r, "the parent must delegate the zone");
		return 1;
	}
	const struct ztk_rr *proof[64];
	size_t np = verified_denial(w, p->zone, p->keys, j->msg, proof, 64, why,
		sizeof(why));
	struct denial d = { .zone = p->zone, .rr = proof, .n = np };
	char dw[400] = "";
	enum denial_ds dd = denial_no_ds(&d, l->zone, dw, sizeof(dw));
	if (dd == DENIAL_DS_UNPROVEN) {
		snprintf(r, sizeof(r), "%s has no DS for %s and does not prove "
			"it: %.300s%s%.200s", pz, zn, dw, why[0] ? "; " : "", why);
		set_level(ol, ZTK_BOGUS, r, "the parent must sign NSEC or NSEC3 "
			"records for its delegations");
		return 1;
	}
	snprintf(ol->source, sizeof(ol->source),
		"no DS in %.200s, proven by %s", pz, dd == DENIAL_DS_OPTOUT ?
		"an NSEC3 opt-out span" : np && proof[0]->type == ZTK_TYPE_NSEC3
		? "NSEC3" : "NSEC");
	return 0;
}

/* Judge level i (its parent already judged). */
static int judge_level(struct walkctx *w, size_t i, int parent,
	const struct ztk_trust *trust, size_t ntrust, const char *tsource,
	struct ztk_iter_job *jobs)
{
	struct wlevel *l = &w->lv[i];
	struct ztk_walk_level *ol = &w->out->levels[i];
	char zn[200], r[900];
	pn(l->zone, zn);
	ztk_dname_print(l->zone, ol->lv.zone);
	ol->parent = parent;
	ol->nservers = l->ns;
	ol->ds_match = -1;
	size_t so = 0;
	for (size_t k = 0; k < l->ns && so + ZTK_SERVER_TEXT_MAX + 3 <
	     sizeof(ol->servers); k++) {
		char st[ZTK_SERVER_TEXT_MAX];
		ztk_server_print(&l->s[k], st);
		so += (size_t)snprintf(ol->servers + so, sizeof(ol->servers) - so,
			"%s%s", k ? ", " : "", st);
	}
	compare_servers(w, i, jobs);
	l->keys = pick_keys(w, i, jobs);

	struct ztk_trust ds[32];
	size_t nds = 0;
	const struct ztk_trust *set = trust;
	size_t nset = ntrust;
	if (parent < 0) {
		snprintf(ol->source, sizeof(ol->source), "%.290s", tsource);
	} else {
		char pz[200];
		pn(w->lv[parent].zone, pz);
		snprintf(ol->source, sizeof(ol->source), "DS in %.200s", pz);
		enum ztk_verdict pv = w->out->levels[parent].lv.verdict;
		if (pv != ZTK_SECURE) {
			snprintf(r, sizeof(r), "its parent %s is %s", pz,
				ztk_verdict_name(pv));
			set_level(ol, pv, r, NULL);
			return 0;
		}
		if (ds_of(w, i, parent, jobs, ds, &nds) != 0)
			return 0;
		set = ds;
		nset = nds;
	}
	if (l->keys == NULL) {
		struct ztk_iter_job *j = &jobs[l->dnskey_job];
		if (nset == 0) {
			/* proven insecure: no keys needed */
			snprintf(r, sizeof(r), "the parent has no DS for %s: "
				"validators treat it as unsigned", zn);
			set_level(ol, ZTK_INSECURE, r, NULL);
			return 0;
		}
		char rb[16];
		snprintf(r, sizeof(r), "no server of %s sent its DNSKEY RRset "
			"(%.400s)", zn, j->rc ? j->info.reason :
			ztk_rcode_name(ztk_msg_header(j->msg)->rcode, rb));
		if (j->rc != 0) {
			set_level(ol, ZTK_INDETERMINATE, r, "check that the "
				"zone's servers answer");
			w->out->unreachable = true;
		} else {
			set_level(ol, ZTK_BOGUS, r, "publish the DNSKEY RRset the "
				"DS at the parent points to");
		}
		return 0;
	}
	struct ztk_zone *z;
	if (ztk_zone_new(l->zone, &z) != 0)
		return ZTK_ENOMEM;
	const struct ztk_msg_rr *an;
	size_t n = ztk_msg_rrs(l->keys, ZTK_SECTION_ANSWER, &an);
	int rc = 0;
	for (size_t k = 0; k < n && rc == 0; k++) {
		const uint8_t *sg = rrsig_signer(&an[k].rr);
		if (ztk_dname_equal(an[k].rr.owner, l->zone) &&
		    (an[k].rr.type == ZTK_TYPE_DNSKEY || (sg &&
		     ztk_get16(an[k].rr.rdata) == ZTK_TYPE_DNSKEY &&
		     ztk_dname_equal(sg, l->zone))))
			rc = ztk_zone_add(z, &an[k].rr);
	}
	if (rc == 0)
		rc = ztk_zone_finish(z);
	char keep_source[300];
	memcpy(keep_source, ol->source, sizeof(keep_source));
	if (rc == 0)
		rc = ztk_chain_zone(z, set, nset, &w->co, &ol->lv, NULL);
	memcpy(ol->source, keep_source, sizeof(keep_source));
	ztk_zone_free(z);
	if (rc)
		return rc;
	if (nset > 0 && set[0].type == ZTK_TYPE_DS)
		ol->ds_match = ol->lv.nmatched > 0;
	if (parent < 0 && ol->lv.verdict == ZTK_INSECURE) {
		snprintf(r, sizeof(r), "the trust anchor holds nothing for %s",
			zn);
		set_level(ol, ZTK_INDETERMINATE, r, "give the zone's own anchor "
			"with --anchor");
	}
	key_warnings(w, i, set, nset);
	return 0;
}

/* --- the answer ---------------------------------------------------------- */

static void judge_answer(struct walkctx *w, const struct ztk_iter_hop *h,
	long li, uint16_t qtype, size_t *ao)
{
	struct ztk_walk_report *out = w->out;
	struct wlevel *l = &w->lv[li];
	struct ztk_walk_level *ol = &out->levels[li];
	char qn[200], tb[16], why[600] = "", r[900];
	pn(h->qname, qn);
	const char *tn = ztk_rrtype_name(qtype, tb);
	const char *what = h->kind == ZTK_ITER_ANSWER ? "present"
		: h->kind == ZTK_ITER_CNAME ? "CNAME"
		: h->kind == ZTK_ITER_NODATA ? "no such type (NODATA)"
		: "no such name (NXDOMAIN)";
	enum ztk_verdict v = ol->lv.verdict;
	if (v == ZTK_SECURE) {
		unsigned labels = 0;
		const struct ztk_rr *proof[64];
		size_t np = verified_denial(w, l->zone, l->keys, h->msg, proof, 64,
			why, sizeof(why));
		struct denial d = { .zone = l->zone, .rr = proof, .n = np };
		bool ok = true;
		char dw[400] = "";
		if (h->kind == ZTK_ITER_ANSWER || h->kind == ZTK_ITER_CNAME) {
			uint16_t t = h->kind == ZTK_ITER_CNAME ? ZTK_TYPE_CNAME
				: qtype;
			why[0] = '\0';
			v = check_rrset(w, l->zone, l->keys, h->msg,
				ZTK_SECTION_ANSWER, h->qname, t, &labels, why,
				sizeof(why));
			ok = v == ZTK_SECURE;
			if (ok && labels < ztk_dname_labels(h->qname))
				ok = denial_wildcard(&d, h->qname, labels, why,
					sizeof(why));
		} else if (h->kind == ZTK_ITER_NODATA && qtype == ZTK_TYPE_DS) {
			/* no DS: proven (secure), or an opt-out span that
			 * only says the delegation is insecure (RFC 5155 9.2) */
			enum denial_ds dd = denial_no_ds(&d, h->qname, dw,
				sizeof(dw));
			ok = dd != DENIAL_DS_UNPROVEN ||
				denial_nodata(&d, h->qname, qtype, dw, sizeof(dw));
			if (dd == DENIAL_DS_OPTOUT)
				v = ZTK_INSECURE;
		} else if (h->kind == ZTK_ITER_NODATA) {
			ok = denial_nodata(&d, h->qname, qtype, dw, sizeof(dw));
		} else {
			ok = denial_nxdomain(&d, h->qname, dw, sizeof(dw));
		}
		if (!ok) {
			v = ZTK_BOGUS;
			if (dw[0])
				snprintf(r, sizeof(r), "%.380s%s%.400s", dw,
					why[0] ? "; " : "", why);
			else
				snprintf(r, sizeof(r), "%.600s", why);
			set_level(ol, ZTK_BOGUS, r, "re-sign the zone (the answer "
				"or its proof of non-existence does not validate)");
		}
		/* the answer's own signatures count for the expiry too */
		const struct ztk_msg_rr *rr;
		size_t n = ztk_msg_rrs(h->msg, ZTK_SECTION_ALL, &rr);
		for (size_t k = 0; k < n; k++)
			if (rr[k].rr.type == ZTK_TYPE_RRSIG && rr[k].rr.rdlen >= 12)
			{
				int64_t e = rrsig_time(ztk_get32(rr[k].rr.rdata + 8),
					w->o->now);
				if (ol->lv.earliest_expiry == 0 ||
				    e < ol->lv.earliest_expiry)
					ol->lv.earliest_expiry = e;
			}
	}
	char cn[200] = "";
	if (h->kind == ZTK_ITER_CNAME) {
		const struct ztk_msg_rr *an;
		size_t n = ztk_msg_rrs(h->msg, ZTK_SECTION_ANSWER, &an);
		for (size_t k = 0; k < n; k++)
			if (an[k].rr.type == ZTK_TYPE_CNAME &&
			    ztk_dname_equal(an[k].rr.owner, h->qname))
				pn(an[k].rr.rdata, cn);
	}
	if (v > w->answer_worst)
		w->answer_worst = v;
	size_t cap = sizeof(out->answer);
	if (*ao < cap)
		*ao += (size_t)snprintf(out->answer + *ao, cap - *ao,
			"%s%s %s: %s%s%s, %s", *ao ? "; " : "", qn,
			h->kind == ZTK_ITER_CNAME ? "CNAME" : tn, what,
			cn[0] ? " to " : "", cn, ztk_verdict_name(v));
	if (*ao > cap)
		*ao = cap;
}

/* The signer of what a DS answer holds: the RRSIG over the DS RRset, or
 * over the NSEC, NSEC3 or SOA of a denial. */
static const uint8_t *ds_signer(const struct ztk_msg *m)
{
	const struct ztk_msg_rr *rr;
	size_t n = ztk_msg_rrs(m, ZTK_SECTION_ALL, &rr);
	for (size_t i = 0; i < n; i++) {
		const uint8_t *sg = rrsig_signer(&rr[i].rr);
		uint16_t t = sg ? ztk_get16(rr[i].rr.rdata) : 0;
		if (t == ZTK_TYPE_DS || t == ZTK_TYPE_NSEC ||
		    t == ZTK_TYPE_NSEC3 || t == ZTK_TYPE_SOA)
			return sg;
	}
	return NULL;
}

/* Zones between a parent and a child that signed the child's DS: one
 * server set serves both, so no referral showed them.  Learned with the
 * parent's servers; true if any was new. */
static bool hidden_cuts(struct walkctx *w, struct ztk_iter *it,
	const struct ztk_iter_job *jobs, const int *parents)
{
	bool learned = false;
	for (size_t i = 0; i < w->n; i++) {
		const struct wlevel *l = &w->lv[i];
		if (l->ds_job < 0 || jobs[l->ds_job].rc != 0 ||
		    parents[i] < 0)
			continue;
		const uint8_t *sg = ds_signer(jobs[l->ds_job].msg);
		const struct wlevel *p = &w->lv[parents[i]];
		if (sg == NULL || ztk_dname_equal(sg, p->zone) ||
		    ztk_dname_equal(sg, l->zone) ||
		    !ztk_dname_is_subdomain(sg, p->zone) ||
		    !ztk_dname_is_subdomain(l->zone, sg))
			continue;
		uint8_t lc[ZTK_DNAME_MAX];
		memcpy(lc, sg, ztk_dname_len(sg));
		ztk_dname_to_lower(lc);
		struct ztk_server s1;
		if (ztk_iter_zone_servers(it, lc, &s1, 1) == 0 &&
		    ztk_iter_learn(it, lc, p->s, p->ns) == 0)
			learned = true;
	}
	return learned;
}

int ztk_chain_walk(struct ztk_iter *it, const struct ztk_trust *trust,
	size_t ntrust, const uint8_t *qname, uint16_t qtype,
	const struct ztk_walk_opts *opts, struct ztk_walk_report *out)
{
	int64_t t0 = mono_ms();
	memset(out, 0, sizeof(*out));
	out->target = -1;
	out->verdict = ZTK_INDETERMINATE;
	if (ntrust == 0 || !ztk_dname_is_subdomain(qname, trust[0].owner)) {
		snprintf(out->error, sizeof(out->error), "the name is not below "
			"the trust anchor");
		return ZTK_EINVAL;
	}
	struct walkctx *w = calloc(1, sizeof(*w));
	if (w == NULL)
		return ZTK_ENOMEM;
	w->out = out;
	w->o = opts;
	w->co.now = opts->now;
	w->co.expire_warn = opts->expire_warn;
	int rc = 0;
	struct ztk_iter_job *jobs = NULL;
	size_t nj = 0;
	bool *cached = NULL;
	struct ztk_iter_result res;
	rc = ztk_iter_resolve(it, qname, qtype, &res);
	out->queries = res.queries;
	if (rc != 0) {
		snprintf(out->error, sizeof(out->error), "%s", res.reason);
		out->unreachable = rc != ZTK_ENOMEM;
		rc = rc == ZTK_ENOMEM ? rc : 0;
		goto done;
	}
	/* hidden cuts first: a zone the answer's signer names */
	for (size_t hi = 0; hi < res.nhops; hi++) {
		const uint8_t *az = answer_zone(&res.hops[hi]);
		if (az && !ztk_dname_equal(az, res.hops[hi].zone)) {
			struct ztk_server s[ZTK_ITER_MAX_SERVERS];
			size_t ns = ztk_iter_zone_servers(it, res.hops[hi].zone, s,
				ZTK_ITER_MAX_SERVERS);
			if (ns && ztk_iter_learn(it, az, s, ns) == 0)
				memcpy(res.hops[hi].zone, az, ztk_dname_len(az));
			ztk_dname_to_lower(res.hops[hi].zone);
		}
	}
	/* the zones of every hop, from the anchor down */
	const uint8_t *top = trust[0].owner;
	long hop_level[ZTK_ITER_MAX_HOPS];
	int parents[ZTK_WALK_MAX_LEVELS];
	/* a zone cut that no referral showed turns up as the signer of a
	 * DS answer; then the zones are planned and asked again */
	for (int round = 0;; round++) {
	w->n = 0;
	for (size_t hi = 0; hi < res.nhops; hi++) {
		const uint8_t *hz = res.hops[hi].zone;
		hop_level[hi] = -1;
		if (!ztk_dname_is_subdomain(hz, top))
			continue;       /* a CNAME out of the anchor's tree */
		unsigned tl = ztk_dname_labels(top), zl = ztk_dname_labels(hz);
		for (unsigned n = tl; n <= zl; n++) {
			const uint8_t *sfx = hz;
			for (unsigned k = zl; k > n; k--)
				sfx += 1 + *sfx;
			uint8_t lc[ZTK_DNAME_MAX];
			memcpy(lc, sfx, ztk_dname_len(sfx));
			ztk_dname_to_lower(lc);
			struct ztk_server s1;
			if (ztk_iter_zone_servers(it, lc, &s1, 1) == 0)
				continue;
			long li = add_level(w, it, lc);
			if (n == zl)
				hop_level[hi] = li;
		}
	}
	if (w->n == 0 || !ztk_dname_equal(w->lv[0].zone, top)) {
		char tn[200];
		pn(top, tn);
		snprintf(out->error, sizeof(out->error), "no servers known for "
			"the trust anchor's zone %s (give them with --server)", tn);
		out->unreachable = true;
		goto done;
	}
	/* ask everything at once: DNSKEY and SOA of every server of every
	 * zone, DS of every zone but the top at its parent */
	nj = 0;
	for (size_t i = 0; i < w->n; i++)
		nj += 2 * w->lv[i].ns + 1;
	jobs = calloc(nj, sizeof(*jobs));
	if (jobs == NULL) {
		rc = ZTK_ENOMEM;
		goto done;
	}
	nj = 0;
	for (size_t i = 0; i < w->n; i++) {
		struct wlevel *l = &w->lv[i];
		parents[i] = -1;
		for (size_t k = 0; k < i; k++)
			if (ztk_dname_is_subdomain(l->zone, w->lv[k].zone) &&
			    (parents[i] < 0 || ztk_dname_labels(w->lv[k].zone) >
			     ztk_dname_labels(w->lv[parents[i]].zone)))
				parents[i] = (int)k;
		l->dnskey_job = nj;
		for (size_t k = 0; k < l->ns; k++)
			jobs[nj++] = (struct ztk_iter_job){ .servers = &l->s[k],
				.nservers = 1, .qname = l->zone,
				.qtype = ZTK_TYPE_DNSKEY };
		l->soa_job = nj;
		for (size_t k = 0; k < l->ns; k++)
			jobs[nj++] = (struct ztk_iter_job){ .servers = &l->s[k],
				.nservers = 1, .qname = l->zone,
				.qtype = ZTK_TYPE_SOA };
		l->ds_job = -1;
		if (parents[i] >= 0) {
			struct wlevel *p = &w->lv[parents[i]];
			l->ds_job = (long)nj;
			jobs[nj++] = (struct ztk_iter_job){ .servers = p->s,
				.nservers = p->ns, .qname = l->zone,
				.qtype = ZTK_TYPE_DS };
		}
	}
	/* what the cache holds for a level (same zone, parent and servers)
	 * is not asked again */
	cached = calloc(nj ? nj : 1, sizeof(*cached));
	struct ztk_iter_job *ask = calloc(nj ? nj : 1, sizeof(*ask));
	size_t *from = calloc(nj ? nj : 1, sizeof(*from));
	if (cached == NULL || ask == NULL || from == NULL) {
		free(cached);
		free(ask);
		free(from);
		rc = ZTK_ENOMEM;
		goto done;
	}
	for (size_t i = 0; opts->cache && i < w->n; i++) {
		struct centry *e = cache_find(opts->cache, w, i, parents[i]);
		if (e == NULL)
			continue;
		struct wlevel *l = &w->lv[i];
		for (size_t k = 0; k < 2 * l->ns; k++) {
			jobs[l->dnskey_job + k].rc = 0;
			jobs[l->dnskey_job + k].msg = e->msg[k];
			cached[l->dnskey_job + k] = true;
		}
		if (l->ds_job >= 0) {
			jobs[l->ds_job].rc = 0;
			jobs[l->ds_job].msg = e->msg[2 * l->ns];
			cached[l->ds_job] = true;
		}
	}
	size_t na = 0;
	for (size_t i = 0; i < nj; i++)
		if (!cached[i]) {
			from[na] = i;
			ask[na++] = jobs[i];
		}
	rc = ztk_iter_query_many(it, ask, na);
	for (size_t i = 0; i < na; i++)
		jobs[from[i]] = ask[i];
	free(ask);
	free(from);
	if (rc != 0)
		goto done;
	out->queries += (unsigned)na;
	if (round == 3 || !hidden_cuts(w, it, jobs, parents))
		break;
	for (size_t i = 0; i < nj; i++)
		if (!cached[i])
			ztk_msg_free(jobs[i].msg);
	free(jobs);
	jobs = NULL;
	free(cached);
	cached = NULL;
	nj = 0;
	}
	out->nlevels = w->n;
	char tsrc[300];
	snprintf(tsrc, sizeof(tsrc), "%.290s", opts->anchor_name ?
		opts->anchor_name : "the trust anchor");
	out->verdict = ZTK_SECURE;
	for (size_t i = 0; i < w->n; i++) {
		if ((rc = judge_level(w, i, parents[i], trust, ntrust, tsrc,
			jobs)) != 0)
			goto done;
	}
	size_t ao = 0;
	for (size_t hi = 0; hi < res.nhops; hi++) {
		if (hop_level[hi] < 0)
			continue;
		judge_answer(w, &res.hops[hi], hop_level[hi],
			res.hops[hi].kind == ZTK_ITER_CNAME ? ZTK_TYPE_CNAME : qtype,
			&ao);
		out->target = (int)hop_level[hi];
	}
	for (size_t i = 0; i < w->n; i++)
		if (out->levels[i].lv.verdict > out->verdict)
			out->verdict = out->levels[i].lv.verdict;
	if (w->answer_worst > out->verdict)
		out->verdict = w->answer_worst;
	if (out->unreachable && out->error[0] == '\0') {
		for (size_t i = 0; i < w->n; i++)
			if (out->levels[i].lv.verdict == ZTK_INDETERMINATE) {
				snprintf(out->error, sizeof(out->error), "%s",
					out->levels[i].lv.reason);
				break;
			}
	}
	for (size_t i = 0; opts->cache && i < w->n; i++)
		cache_store(opts->cache, w, i, parents[i], jobs, cached);
done:
	for (size_t i = 0; cached && i < nj; i++)
		if (cached[i])
			jobs[i].msg = NULL;     /* the cache's */
	free(cached);
	if (jobs)
		for (size_t i = 0; i < nj; i++)
			ztk_msg_free(jobs[i].msg);
	free(jobs);
	ztk_iter_result_clear(&res);
	free(w);
	out->elapsed_ms = (unsigned)(mono_ms() - t0);
	return rc;
}
