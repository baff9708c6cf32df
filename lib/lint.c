/*
 * lint.c - checks over a loaded zone (see ztk/lint.h).  One pass over the
 * nodes in canonical order does the per-name checks; the apex, delegation
 * and CNAME-chain checks look names up in the zone as they go.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ztk/dname.h>
#include <ztk/error.h>
#include <ztk/lint.h>
#include <ztk/dnssec_check.h>
#include <time.h>
#include <ztk/rrtype.h>
#include "rdata.h"
#include "threads.h"
#include "zone_int.h"
#include "util.h"

struct lint {
	const struct ztk_zone *z;
	const struct ztk_lint_opts *o;
	struct ztk_findings *out;
	const struct ztk_zone_rr *rrs;
	const struct ztk_zone_node *nodes;
	size_t nnode;
	const uint8_t *origin;
	uint16_t zclass;
	int err;
	/* per node: named by an NS record of the apex or a delegation (tells
	 * glue from occluded data) */
	struct ns_targets *nst;
	/* last check id looked up in the table, and its index */
	const char *last_check;
	int last_index;
	/* on the second thread: findings are kept here, in the order they
	 * were made, and handed to out afterwards (findings.c is not
	 * thread-safe, and the order must be the one-thread order) */
	bool defer;
	struct pending *pend;
	size_t npend, cappend;
	/* per node: the node its CNAME points to, CNAME_NONE without one
	 * (or when the target is no node, or an NSEC3 one); written by
	 * check_node, read by check_cname_loops */
	uint32_t *cnext;
};

#define CNAME_NONE UINT32_MAX

/* Which nodes some NS record of the apex or of a delegation names; made
 * only when a name below a cut is not named by its own delegation (both
 * lint threads share it). */
struct ns_targets {
	pthread_mutex_t mu;
	bool made;
	uint8_t *is;
};

struct pending {
	const char *check;
	int sev;
	const struct ztk_zone_rr *rr;
	const uint8_t *owner;
	const char *hint;
	char *msg;
};

static void report(struct lint *l, const char *check, int sev,
	const struct ztk_zone_rr *rr, const uint8_t *owner, const char *hint,
	const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/* zone-wide findings name the zone's (first) file */
static const char *
finding_file(const struct lint *l, const struct ztk_zone_rr *rr)
{
	return ztk_zone_rr_count(l->z) ? ztk_zone_file_name(l->z,
		rr ? rr->file_id : 0) : NULL;
}

/* sev < 0: the check's default severity. */
static ZTK_COLD void
report(struct lint *l, const char *check, int sev, const struct ztk_zone_rr *rr,
	const uint8_t *owner, const char *hint, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	if (l->err)
		return;
	/* ids are string literals, and a zone tends to repeat one finding:
	 * remember the last lookup instead of searching the table again */
	if (check != l->last_check) {
		l->last_check = check;
		l->last_index = ztk_lint_check_index(check);
	}
	int i = l->last_index;
	if (l->o && i >= 0 && l->o->disabled[i])
		return;
	if (sev < 0) {
		const struct ztk_check_info *t;
		ztk_lint_checks(&t);
		sev = i >= 0 ? (int)t[i].severity : ZTK_SEV_ERROR;
	}
	if (l->o && l->o->only_upto && sev > (int)l->o->upto)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (l->defer) {
		if (l->npend == l->cappend) {
			size_t nc = l->cappend ? l->cappend * 2 : 256;
			struct pending *np = realloc(l->pend, nc * sizeof *np);
			if (np == NULL) {
				l->err = ZTK_ENOMEM;
				return;
			}
			l->pend = np;
			l->cappend = nc;
		}
		char *m = strdup(msg);
		if (m == NULL) {
			l->err = ZTK_ENOMEM;
			return;
		}
		l->pend[l->npend++] = (struct pending){ check, sev, rr, owner,
			hint, m };
		return;
	}
	l->err = ztk_findings_add(l->out, check, (enum ztk_severity)sev,
		finding_file(l, rr), rr ? rr->line : 0, rr ? rr->col : 0,
		owner, hint, "%s", msg);
}

static const char *
name_text(const uint8_t *name, char *buf)
{
	ztk_dname_print(name, buf);
	return buf;
}

/* A type's name for a message (the buffer lives to the end of the
 * enclosing block, so two threads never share one). */
#define type_text(t) ztk_rrtype_name((t), (char[16]){ 0 })

static const struct ztk_zone_rr *
find_rr(const struct lint *l, const struct ztk_zone_node *n, uint16_t type)
{
	for (uint32_t i = 0; i < n->count; i++)
		if (l->rrs[n->first + i].type == type)
			return &l->rrs[n->first + i];
	return NULL;
}

static bool
has_address(const struct lint *l, const struct ztk_zone_node *n)
{
	return n && (find_rr(l, n, ZTK_TYPE_A) || find_rr(l, n, ZTK_TYPE_AAAA));
}

static int collect_ns_targets(struct lint *l);

/* Is address node n (below a cut) glue, i.e. named by an NS record? */
static bool
is_ns_target(struct lint *l, const struct ztk_zone_node *n)
{
	const struct ztk_zone_node *cut = &l->nodes[n->cut];
	for (uint32_t i = 0; i < cut->count; i++) {
		const struct ztk_zone_rr *rr = &l->rrs[cut->first + i];
		if (rr->type == ZTK_TYPE_NS && ztk_dname_equal(rr->rdata,
		    n->owner))
			return true;   /* the usual case: its own delegation */
	}
	struct ns_targets *t = l->nst;
	pthread_mutex_lock(&t->mu);
	if (!t->made) {
		int r = collect_ns_targets(l);
		if (r && !l->err)
			l->err = r;
		t->made = r == 0;
	}
	pthread_mutex_unlock(&t->mu);
	return t->is && t->is[n - l->nodes];
}

/* The delegation node a name falls under, or NULL. */
static const struct ztk_zone_node *
enclosing_cut(const struct lint *l, const uint8_t *name,
	const struct ztk_zone_node *n)
{
	if (n) {
		if (n->flags & ZTK_NODE_DELEGATION)
			return n;
		if (n->flags & ZTK_NODE_BELOW_CUT)
			return &l->nodes[n->cut];
		return NULL;
	}
	/* not a node: walk up to the closest existing ancestor */
	const uint8_t *p = name;
	while (*p) {
		p += *p + 1;
		if (!ztk_dname_is_subdomain(p, l->origin))
			return NULL;
		n = ztk_zone_find(l->z, p);
		if (n) {
			if (n->flags & ZTK_NODE_DELEGATION)
				return n;
			if (n->flags & ZTK_NODE_BELOW_CUT)
				return &l->nodes[n->cut];
			return NULL;
		}
	}
	return NULL;
}

/* --- apex ------------------------------------------------------------------ */

static void
check_soa_timers(struct lint *l, const struct ztk_zone_rr *soa)
{
	const uint8_t *p = soa->rdata, *end = p + soa->rdlen;
	p += ztk_dname_len(p);
	p += ztk_dname_len(p);
	if (end - p != 20)
		return;
	uint32_t refresh = ztk_get32(p + 4), retry = ztk_get32(p + 8),
		expire = ztk_get32(p + 12), minimum = ztk_get32(p + 16);
	const uint8_t *o = l->origin;
	if (refresh < 1200 || refresh > 43200)
		report(l, "soa-timers", -1, soa, o, "use 1200 to 43200 "
			"seconds (20 minutes to 12 hours)",
			"SOA refresh %u is outside 1200..43200", refresh);
	if (retry < 180 || retry >= refresh)
		report(l, "soa-timers", -1, soa, o, "retry should be shorter "
			"than refresh and at least 180 seconds",
			"SOA retry %u is not in 180..refresh (%u)", retry,
			refresh);
	if (expire < 604800 || expire < refresh + retry)
		report(l, "soa-timers", -1, soa, o, "use 2 to 4 weeks "
			"(1209600 to 2419200) so secondaries survive an outage "
			"of the primary", "SOA expire %u is under one week or "
			"under refresh + retry", expire);
	if (minimum > 86400)
		report(l, "soa-timers", -1, soa, o, "RFC 2308 suggests 1 to 3 "
			"hours; resolvers cap it anyway (BIND at 3 hours)",
			"SOA minimum (negative caching TTL) %u is over one day",
			minimum);
}

static void
check_apex(struct lint *l)
{
	const struct ztk_zone_node *apex = ztk_zone_find(l->z, l->origin);
	const struct ztk_zone_rr *soa = apex ? find_rr(l, apex,
		ZTK_TYPE_SOA) : NULL;
	char ob[ZTK_DNAME_TEXT_MAX];

	if (soa == NULL) {
		report(l, "soa-missing", -1, apex ? &l->rrs[apex->first] : NULL,
			l->origin, "add an SOA record at the apex",
			"zone %s has no SOA record at its apex",
			name_text(l->origin, ob));
		if (apex == NULL) {
			report(l, "ns-apex-missing", -1, NULL, l->origin,
				"add NS records for the zone's name servers",
				"zone %s has no NS records at its apex", ob);
			return;
		}
	} else {
		l->zclass = soa->rclass;
		for (uint32_t i = 1; i < apex->count; i++) {
			const struct ztk_zone_rr *rr = soa + i;
			if (rr >= &l->rrs[apex->first + apex->count] ||
			    rr->type != ZTK_TYPE_SOA)
				break;
			report(l, "soa-multiple", -1, rr, l->origin,
				"keep exactly one SOA record",
				"second SOA record at the apex (first at line "
				"%u)", soa->line);
		}
		check_soa_timers(l, soa);
	}
	if (!find_rr(l, apex, ZTK_TYPE_NS))
		report(l, "ns-apex-missing", -1, soa ? soa : &l->rrs[apex->first],
			l->origin, "add NS records for the zone's name servers",
			"zone %s has no NS records at its apex",
			name_text(l->origin, ob));
}

/* --- targets of NS, MX, SRV ------------------------------------------------ */

static void
check_target(struct lint *l, const struct ztk_zone_node *node,
	const struct ztk_zone_rr *rr, const uint8_t *target, bool is_ns,
	const struct ztk_zone_node *deleg)
{
	char tb[ZTK_DNAME_TEXT_MAX];
	if (target[0] == 0)
		return;   /* "." : null MX (RFC 7505) or SRV "no service" */
	if (!ztk_dname_is_subdomain(target, l->origin))
		return;   /* out of zone: nothing we can know offline */
	const struct ztk_zone_node *tn = ztk_zone_find(l->z, target);
	const struct ztk_zone_node *cut = enclosing_cut(l, target, tn);

	if (cut) {
		/* target inside a delegated zone: needs glue here, for NS */
		if (!is_ns || has_address(l, tn))
			return;
		bool own = deleg && cut == deleg;
		report(l, "glue-missing", own || !deleg ? ZTK_SEV_ERROR :
			ZTK_SEV_WARNING, rr, node->owner,
			"add A/AAAA records for the name server below the cut",
			"name server %s is inside delegated zone %s but has no "
			"glue address", name_text(target, tb),
			name_text(cut->owner, (char[ZTK_DNAME_TEXT_MAX]){0}));
		return;
	}
	if (tn && find_rr(l, tn, ZTK_TYPE_CNAME)) {
		report(l, "target-cname", -1, rr, node->owner,
			"point the record at the canonical name instead",
			"%s target %s is an alias (CNAME); RFC 2181 10.3 "
			"forbids it", type_text(rr->type),
			name_text(target, tb));
		return;
	}
	if (!has_address(l, tn))
		report(l, "target-no-address", is_ns ? ZTK_SEV_ERROR :
			ZTK_SEV_WARNING, rr, node->owner,
			"add A or AAAA records for the target, or fix the name",
			"%s target %s is in this zone but has no A or AAAA "
			"record%s", type_text(rr->type), name_text(target, tb),
			is_ns ? " (BIND refuses to load such a zone)" : "");
}

static const uint8_t *
rdata_target(const struct ztk_zone_rr *rr)
{
	switch (rr->type) {
	case ZTK_TYPE_NS: return rr->rdata;
	case ZTK_TYPE_MX: return rr->rdlen > 2 ? rr->rdata + 2 : NULL;
	case ZTK_TYPE_SRV: return rr->rdlen > 6 ? rr->rdata + 6 : NULL;
	}
	return NULL;
}

/* --- per node -------------------------------------------------------------- */

static void
check_rrsets(struct lint *l, const struct ztk_zone_node *n)
{
	for (uint32_t i = 1; i < n->count; i++) {
		const struct ztk_zone_rr *a = &l->rrs[n->first + i - 1];
		const struct ztk_zone_rr *b = &l->rrs[n->first + i];
		if (a->type != b->type)
			continue;
		/* RRSIG TTLs follow the RRset they cover, not each other */
		if (a->ttl != b->ttl && a->type != ZTK_TYPE_RRSIG)
			report(l, "ttl-mismatch", -1, b, n->owner,
				"give every record of the RRset the same TTL",
				"%s RRset has TTL %u here and %u at line %u: "
				"BIND keeps the first TTL, Knot the last, NSD "
				"and ldns keep each, validns and PowerDNS "
				"refuse the zone", type_text(b->type), b->ttl,
				a->ttl, a->line);
		if (a->rdlen != b->rdlen)
			continue;
		if (memcmp(a->rdata, b->rdata, a->rdlen) == 0) {
			report(l, "duplicate-rr", -1, b, n->owner,
				"remove the second copy",
				"duplicate %s record (also at line %u): BIND, "
				"Knot, NSD and validns merge it, ldns keeps "
				"both, PowerDNS refuses the zone",
				type_text(b->type), a->line);
		} else if (ztk_rdata_has_names(a->type) && a->rdlen <= 1024) {
			uint8_t ca[1024], cb[1024];
			memcpy(ca, a->rdata, a->rdlen);
			memcpy(cb, b->rdata, b->rdlen);
			ztk_rdata_canonicalize(a->type, ca, a->rdlen);
			ztk_rdata_canonicalize(b->type, cb, b->rdlen);
			if (memcmp(ca, cb, a->rdlen) == 0)
				report(l, "duplicate-case", -1, b, n->owner,
					"keep one spelling",
					"%s record equals the one at line %u "
					"except for letter case: BIND keeps the "
					"later spelling, Knot and NSD lowercase "
					"it, ldns keeps both",
					type_text(b->type), a->line);
		}
	}
}

/* The node the (first) CNAME of n points to, as check_cname_loops
 * follows it. */
static uint32_t
cname_next(const struct lint *l, const struct ztk_zone_node *n)
{
	const struct ztk_zone_rr *c = find_rr(l, n, ZTK_TYPE_CNAME);
	if (c == NULL)
		return CNAME_NONE;
	const struct ztk_zone_node *t = ztk_zone_find(l->z, c->rdata);
	if (t == NULL || (t->flags & ZTK_NODE_NSEC3))
		return CNAME_NONE;
	return (uint32_t)(t - l->nodes);
}

static void
check_node(struct lint *l, size_t idx)
{
	const struct ztk_zone_node *n = &l->nodes[idx];
	const struct ztk_zone_rr *first = &l->rrs[n->first];
	char ob[ZTK_DNAME_TEXT_MAX];
	bool apex = n->flags & ZTK_NODE_APEX;

	if (l->cnext)
		l->cnext[idx] = cname_next(l, n);
	if (n->flags & ZTK_NODE_OUT_OF_ZONE) {
		report(l, "out-of-zone", -1, first, n->owner,
			"remove it, or move it to the zone it belongs to",
			"%s is outside zone %s: BIND and Knot drop it, NSD, "
			"validns and PowerDNS refuse the zone, ldns keeps it",
			name_text(n->owner, ob),
			name_text(l->origin, (char[ZTK_DNAME_TEXT_MAX]){0}));
		return;
	}
	if (n->flags & ZTK_NODE_BELOW_DNAME) {
		report(l, "dname-descendants", -1, first, n->owner,
			"remove the names below the DNAME or the DNAME itself",
			"%s is below the DNAME at %s and can never be answered: "
			"Knot and NSD refuse the zone, BIND and ldns keep it",
			name_text(n->owner, ob), name_text(
			l->nodes[n->cut].owner, (char[ZTK_DNAME_TEXT_MAX]){0}));
		return;
	}
	if (n->flags & ZTK_NODE_BELOW_CUT) {
		for (uint32_t i = 0; i < n->count; i++) {
			const struct ztk_zone_rr *rr = &l->rrs[n->first + i];
			bool addr = rr->type == ZTK_TYPE_A ||
				rr->type == ZTK_TYPE_AAAA;
			if (addr && is_ns_target(l, n))
				continue;   /* glue */
			report(l, "occluded-data", -1, rr, n->owner,
				addr ? "remove it, or name it in an NS record "
				"of the delegation" : "move it into the child "
				"zone, or remove it",
				"%s %s is below the delegation at %s and is "
				"not glue: no resolver will see it",
				name_text(n->owner, ob), type_text(rr->type),
				name_text(l->nodes[n->cut].owner,
				(char[ZTK_DNAME_TEXT_MAX]){0}));
			if (!addr)
				break;   /* once per name is enough */
		}
		return;
	}

	unsigned ncname = 0, nother = 0;
	const struct ztk_zone_rr *cname = NULL, *other = NULL;
	bool has_ns = false;
	for (uint32_t i = 0; i < n->count; i++) {
		const struct ztk_zone_rr *rr = &l->rrs[n->first + i];
		const struct ztk_rrtype_desc *d = ztk_rrtype_desc(rr->type);
		if (l->zclass && rr->rclass != l->zclass) {
			char cb[16], zb[16];
			report(l, "class-mismatch", -1, rr, n->owner,
				"use the zone's class for every record",
				"record of class %s in a zone of class %s",
				ztk_rrclass_name(rr->rclass, cb),
				ztk_rrclass_name(l->zclass, zb));
		}
		switch (rr->type) {
		case ZTK_TYPE_CNAME:
			if (ncname++ == 0)
				cname = rr;
			else
				report(l, "cname-multiple", -1, rr, n->owner,
					"keep one CNAME per name",
					"second CNAME at %s (first at line %u)",
					name_text(n->owner, ob), cname->line);
			break;
		case ZTK_TYPE_RRSIG:
		case ZTK_TYPE_NSEC:
			break;   /* RFC 4035 2.5: allowed beside a CNAME */
		default:
			if (nother++ == 0)
				other = rr;
		}
		if (rr->type == ZTK_TYPE_SOA && !apex)
			report(l, "soa-not-apex", -1, rr, n->owner,
				"an SOA belongs only at the zone's apex; is the "
				"origin right?", "SOA record at %s, below the "
				"apex", name_text(n->owner, ob));
		if (rr->type == ZTK_TYPE_NS)
			has_ns = true;
		if ((rr->type == ZTK_TYPE_NS || rr->type == ZTK_TYPE_DS) &&
		    (n->flags & ZTK_NODE_WILDCARD))
			report(l, "wildcard-ns-ds", -1, rr, n->owner,
				"delegate each name explicitly",
				"wildcard %s owns %s; RFC 4592 4.2 forbids it",
				name_text(n->owner, ob), type_text(rr->type));
		if (rr->type == ZTK_TYPE_DS && apex)
			report(l, "ds-apex", -1, rr, n->owner,
				"publish the DS in the parent zone instead",
				"DS record at the apex of %s",
				name_text(n->owner, ob));
		if (rr->type == ZTK_TYPE_NSEC3PARAM && rr->rdlen >= 5) {
			uint16_t iter = ztk_get16(rr->rdata + 2);
			if (iter > 0)
				report(l, "nsec3param-iterations", -1, rr,
					n->owner, "use 0 iterations",
					"NSEC3 with %u extra iterations: RFC "
					"9276 says 0; validators may treat the "
					"zone as insecure or bogus above 100",
					iter);
			if (rr->rdata[4] > 0)
				report(l, "nsec3param-salt", -1, rr, n->owner,
					"use an empty salt (\"-\")",
					"NSEC3 salt of %u octets: RFC 9276 says "
					"a salt adds nothing", rr->rdata[4]);
		}
		if (d && (d->flags & ZTK_TF_OBSOLETE))
			report(l, "obsolete-type", -1, rr, n->owner,
				rr->type == ZTK_TYPE_SPF ? "publish the policy "
				"as TXT only (RFC 7208 3.1)" : "remove it",
				"%s is an obsolete record type",
				type_text(rr->type));
		if (d && (rr->flags & (ZTK_RR_GENERIC | ZTK_RR_GENERIC_TYPE)))
			report(l, "port-generic-known", -1, rr, n->owner,
				"write it in the type's own format",
				"%s written in RFC 3597 generic form: PowerDNS "
				"cannot read it, validns misreads TYPEnnn \\#",
				type_text(rr->type));
		const uint8_t *target = rdata_target(rr);
		if (target && (rr->type != ZTK_TYPE_NS || apex ||
		    (n->flags & ZTK_NODE_DELEGATION)))
			check_target(l, n, rr, target, rr->type == ZTK_TYPE_NS,
				(n->flags & ZTK_NODE_DELEGATION) ? n : NULL);
		if (rr->type == ZTK_TYPE_DS && !apex && !has_ns &&
		    !(n->flags & ZTK_NODE_DELEGATION))
			report(l, "ds-without-ns", -1, rr, n->owner,
				"add the delegation's NS records, or remove the "
				"DS", "DS at %s, which is not a delegation",
				name_text(n->owner, ob));
	}
	if (cname && nother)
		report(l, "cname-and-other", -1, other->line > cname->line ?
			other : cname, n->owner, "a name with a CNAME may hold "
			"nothing else (but RRSIG and NSEC)",
			"%s has a CNAME and %s data", name_text(n->owner, ob),
			type_text(other->type));
	if (cname && apex)
		report(l, "cname-apex", -1, cname, n->owner, "use A/AAAA (or an "
			"ALIAS feature of the provider) at the apex",
			"CNAME at the zone apex %s", name_text(n->owner, ob));
	check_rrsets(l, n);
}

/*
 * Walking the nodes in canonical order visits record data in file order's
 * scatter, and each NS/MX/SRV/CNAME target is a lookup in a large table:
 * cache misses, one after the other.  So the data of the records a few
 * nodes ahead is fetched early, and the lookups of the targets a little
 * less far ahead, once their names are there.  only_cuts: just the NS
 * records of the apex and delegations.
 */
enum { AHEAD_DATA = 16, AHEAD_LOOKUP = 8 };

static void
fetch_ahead(const struct lint *l, size_t i, size_t end, bool only_cuts)
{
	const uint32_t cuts = ZTK_NODE_DELEGATION | ZTK_NODE_APEX;
	if (i + AHEAD_DATA < end) {
		const struct ztk_zone_node *n = &l->nodes[i + AHEAD_DATA];
		if (!only_cuts || (n->flags & cuts))
			for (uint32_t k = 0; k < n->count; k++)
				__builtin_prefetch(l->rrs[n->first + k].rdata);
	}
	if (i + AHEAD_LOOKUP < end) {
		const struct ztk_zone_node *n = &l->nodes[i + AHEAD_LOOKUP];
		if (only_cuts && !(n->flags & cuts))
			return;
		for (uint32_t k = 0; k < n->count; k++) {
			const struct ztk_zone_rr *rr = &l->rrs[n->first + k];
			const uint8_t *t = rr->type == ZTK_TYPE_CNAME ?
				rr->rdata : rdata_target(rr);
			if (t && (!only_cuts || rr->type == ZTK_TYPE_NS))
				ztk_zone_prefetch(l->z, t);
		}
	}
}

/* --- CNAME loops ----------------------------------------------------------- */

/* Where the walk goes from node cur: the index of the node its CNAME
 * points to, or CNAME_NONE. */
static inline uint32_t
cname_step(const struct lint *l, size_t cur)
{
	return l->cnext ? l->cnext[cur] : cname_next(l, &l->nodes[cur]);
}

static void
check_cname_loops(struct lint *l)
{
	/* state: 0 unseen, walk id while on the current walk, ~0 done */
	uint32_t *state = calloc(l->nnode ? l->nnode : 1, sizeof *state);
	if (state == NULL) {
		l->err = ZTK_ENOMEM;
		return;
	}
	for (size_t i = 0; i < l->nnode; i++) {
		if (state[i])
			continue;
		size_t cur = i;
		uint32_t walk = (uint32_t)i + 1;
		for (;;) {
			uint32_t ti = cname_step(l, cur);
			state[cur] = walk;
			if (ti == CNAME_NONE)
				break;
			if (state[ti] == walk) {
				char ob[ZTK_DNAME_TEXT_MAX];
				const struct ztk_zone_rr *c = find_rr(l,
					&l->nodes[cur], ZTK_TYPE_CNAME);
				report(l, "cname-loop", -1, c, l->nodes[cur].owner,
					"break the chain so it ends at a name "
					"with data", "CNAME chain loops: %s "
					"points back into its own chain at %s",
					name_text(l->nodes[cur].owner, ob),
					name_text(l->nodes[ti].owner,
					(char[ZTK_DNAME_TEXT_MAX]){0}));
				break;
			}
			if (state[ti])
				break;   /* joins a chain already checked */
			cur = ti;
		}
		/* mark this walk done so later walks stop at it */
		for (size_t k = i; ; ) {
			state[k] = UINT32_MAX;
			uint32_t t = cname_step(l, k);
			if (t == CNAME_NONE)
				break;
			k = t;
			if (state[k] != walk)
				break;
		}
	}
	free(state);
}

/* --- entry ----------------------------------------------------------------- */

static int
collect_ns_targets(struct lint *l)
{
	uint8_t *is = calloc(l->nnode ? l->nnode : 1, 1);
	if (is == NULL)
		return ZTK_ENOMEM;
	for (size_t i = 0; i < l->nnode; i++) {
		const struct ztk_zone_node *nd = &l->nodes[i];
		fetch_ahead(l, i, l->nnode, true);
		if (!(nd->flags & (ZTK_NODE_DELEGATION | ZTK_NODE_APEX)))
			continue;
		for (uint32_t k = 0; k < nd->count; k++) {
			const struct ztk_zone_rr *rr = &l->rrs[nd->first + k];
			if (rr->type != ZTK_TYPE_NS)
				continue;
			const struct ztk_zone_node *t = ztk_zone_find(l->z,
				rr->rdata);
			if (t && !(t->flags & ZTK_NODE_NSEC3))
				is[t - l->nodes] = 1;
		}
	}
	l->nst->is = is;
	return 0;
}

/*
 * Walking the nodes in canonical order visits record data in file order's
 * scatter, and each NS/MX/SRV/CNAME target is a lookup in a large table:
 * cache misses, one after the other.  So the data of the records a few
 * nodes ahead is fetched early, and the lookups of the targets a little
 * less far ahead, once their names are there.
 */


/* The second thread: the upper part of the nodes. */
struct upper {
	struct lint l;
	size_t from;
};

static void *
upper_main(void *arg)
{
	struct upper *u = arg;
	for (size_t i = u->from; i < u->l.nnode && !u->l.err; i++) {
		fetch_ahead(&u->l, i, u->l.nnode, false);
		check_node(&u->l, i);
	}
	return NULL;
}

/*
 * The per-name checks on two threads when the zone is large enough to
 * gain from it: this thread does the lower part of the nodes, the other
 * the rest, keeping its findings aside; they are added behind this
 * thread's, which is the order one thread would have made them in.  Then
 * the CNAME loop check, over the CNAME targets both found (l->cnext).
 */
static void
lint_nodes(struct lint *l)
{
	struct upper *u = NULL;
	pthread_t th;
	bool threaded = false;
	size_t mid = l->nnode;
	/* every entry is written by check_node, so none is left unset */
	l->cnext = malloc((l->nnode ? l->nnode : 1) * sizeof *l->cnext);
	if (l->nnode >= 50000 && ztk_may_use_threads() &&
	    (u = calloc(1, sizeof *u)) != NULL) {
		mid = l->nnode / 2;
		u->l = *l;
		u->l.defer = true;
		u->from = mid;
		threaded = pthread_create(&th, NULL, upper_main, u) == 0;
		if (!threaded)
			mid = l->nnode;
	}
	for (size_t i = 0; i < mid && !l->err; i++) {
		fetch_ahead(l, i, mid, false);
		check_node(l, i);
	}
	if (threaded) {
		pthread_join(th, NULL);
		for (size_t i = 0; i < u->l.npend; i++) {
			const struct pending *p = &u->l.pend[i];
			if (!l->err && !u->l.err)
				l->err = ztk_findings_add(l->out, p->check,
					(enum ztk_severity)p->sev,
					finding_file(l, p->rr),
					p->rr ? p->rr->line : 0,
					p->rr ? p->rr->col : 0, p->owner,
					p->hint, "%s", p->msg);
			free(p->msg);
		}
		if (!l->err)
			l->err = u->l.err;
		free(u->l.pend);
	}
	free(u);
	if (!l->err)
		check_cname_loops(l);
	free(l->cnext);
	l->cnext = NULL;
}

static bool
lint_enabled_cb(void *ctx, const char *id)
{
	return ztk_lint_enabled(ctx, id);
}

int
ztk_lint_zone(const struct ztk_zone *z, const struct ztk_lint_opts *o,
	struct ztk_findings *out)
{
	struct lint l = { .z = z, .o = o, .out = out };
	l.origin = ztk_zone_origin(z);
	if (l.origin == NULL)
		return ZTK_EINVAL;
	l.rrs = ztk_zone_rrs(z);
	l.nodes = ztk_zone_nodes(z);
	l.nnode = ztk_zone_node_count(z);
	struct ns_targets nst = { .mu = PTHREAD_MUTEX_INITIALIZER };
	l.nst = &nst;
	check_apex(&l);
	lint_nodes(&l);
	if (!l.err) {
		/* opts may be NULL (every check on, defaults). */
		static const struct ztk_lint_opts defaults;
		const struct ztk_lint_opts *lo = o ? o : &defaults;
		struct ztk_dnssec_check_opts co = {
			.now = lo->now ? lo->now : (int64_t)time(NULL),
			.verify = (enum ztk_verify_mode)lo->verify,
			.expire_warn = lo->expire_warn,
			.max_findings = UINT32_MAX,
			.enabled = lint_enabled_cb, .ctx = (void *)lo,
		};
		l.err = ztk_dnssec_check(z, &co, out);
	}
	free(nst.is);
	pthread_mutex_destroy(&nst.mu);
	return l.err;
}
