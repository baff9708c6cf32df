/*
 * ztk/iterate.h - the iterative resolver: walk delegations from the top
 * (root hints, or the servers given for the top zone) down to the zone that
 * holds a name, and get its authoritative answer.
 *
 * It sits on ztk_resolver_query() (one question to a server list) and adds
 * what a resolver that trusts nobody needs:
 *   - a per-zone list of servers (addresses, IPv4 and IPv6), learned only
 *     from referrals that pass the bailiwick checks below;
 *   - failover: a server that times out, refuses, answers SERVFAIL or
 *     REFUSED, is not authoritative, or sends a referral that goes up or
 *     sideways (lame) is skipped and the next server of the zone is asked;
 *   - referrals: NS records in the authority section for a name strictly
 *     below the zone asked and at or above the query name; anything else is
 *     lame.  Glue (A/AAAA in the additional section) is used only for names
 *     of that NS RRset that lie inside the zone asked (RFC 8499 in-bailiwick
 *     and sibling glue): out-of-bailiwick addresses are never believed, the
 *     names are resolved from the top instead (glueless delegations,
 *     bounded by max_glueless nested lookups);
 *   - answers: only records owned by the query name (or a CNAME chain
 *     starting there) that lie inside the answering zone are kept as the
 *     answer; nothing from a message is ever cached but the delegations;
 *   - CNAME chains are followed (max_cname hops), each hop resolved afresh
 *     from the closest known zone;
 *   - limits per call: referrals, queries, nested glueless lookups, and one
 *     total deadline for everything done through the handle (reset it with
 *     ztk_iter_set_deadline()).
 *
 * DNSSEC: queries carry DO and CD (the caller validates; see
 * ztk_chain_walk()); the resolver itself believes nothing because of a
 * signature.
 *
 * Parallel queries: ztk_iter_query_many() runs independent questions (each
 * to its own server list) in threads at once, e.g. the DNSKEY RRset of
 * every server of every zone on a chain.
 *
 * A handle is used by one thread at a time (ztk_iter_query_many() makes its
 * own threads and only reads the handle).  Memory is bounded: at most
 * ZTK_ITER_MAX_ZONES delegations are remembered; when that is reached the
 * cache is emptied down to the top zone.
 */
#ifndef ZTK_ITERATE_H
#define ZTK_ITERATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <ztk/visibility.h>
#include <ztk/dname.h>
#include <ztk/msg.h>
#include <ztk/resolver.h>

/* Addresses kept per zone; delegations remembered per handle. */
#define ZTK_ITER_MAX_SERVERS 16
#define ZTK_ITER_MAX_ZONES 256
/* CNAME hops of one answer, plus the first name. */
#define ZTK_ITER_MAX_HOPS 9

struct ztk_iter;

struct ztk_iter_opts {
	unsigned deadline_ms;   /* everything until the next set_deadline;
	                         * 0: 10000 */
	unsigned timeout_ms;    /* wait per try of one server; 0: 800 */
	unsigned tries;         /* rounds over a zone's servers; 0: 2 */
	unsigned max_referrals; /* per name; 0: 32 */
	unsigned max_queries;   /* per ztk_iter_resolve() call, glueless
	                         * lookups included; 0: 200 */
	unsigned max_cname;     /* CNAME hops; 0: 8 */
	unsigned max_glueless;  /* nested lookups of NS names; 0: 3 */
	unsigned max_threads;   /* ztk_iter_query_many() at once; 0: 32 */
	bool no_ipv4;           /* never use IPv4 addresses */
	bool no_ipv6;           /* never use IPv6 addresses */
	uint16_t port;          /* port for learned servers; 0: 53 (tests
	                         * run a hierarchy on another port) */
};

/* 0 and *it_out, or ZTK_ENOMEM.  opts may be NULL (defaults). */
ZTK_API int ztk_iter_new(const struct ztk_iter_opts *opts,
	struct ztk_iter **it_out);
ZTK_API void ztk_iter_free(struct ztk_iter *it);

/* Start the total deadline again from now (opts->deadline_ms). */
ZTK_API void ztk_iter_set_deadline(struct ztk_iter *it);

/* Milliseconds left of the deadline (0 when spent). */
ZTK_API unsigned ztk_iter_remaining_ms(const struct ztk_iter *it);

/*
 * The top of every walk: zone (wire form; "." or any zone when the walk
 * starts lower, e.g. at a private trust anchor) and its servers.  Replaces
 * the top and empties the cache.  0, ZTK_EINVAL (no servers), ZTK_ENOMEM.
 */
ZTK_API int ztk_iter_set_top(struct ztk_iter *it, const uint8_t *zone,
	const struct ztk_server *servers, size_t nservers);

/*
 * The top from a root hints file (the named.cache form of
 * /usr/share/dns/root.hints, read by the zone scanner): the NS names of
 * "." and their A/AAAA records.  0, or ZTK_ESYNTAX/ZTK_EIO/ZTK_ENOENT with
 * a one-line reason (file:line:col where there is one) in why.
 */
ZTK_API int ztk_iter_load_hints(struct ztk_iter *it, const char *path,
	char *why, size_t whylen);

/* The top zone's name (wire form). */
ZTK_API const uint8_t *ztk_iter_top(const struct ztk_iter *it);

/*
 * The servers known for zone (exactly that zone, from the top or a
 * referral): copies up to max into out and returns how many; 0 when the
 * zone is unknown.
 */
ZTK_API size_t ztk_iter_zone_servers(const struct ztk_iter *it,
	const uint8_t *zone, struct ztk_server *out, size_t max);

/*
 * Remember that zone is served by servers (a zone cut the referrals did
 * not show, because one server set serves parent and child: the caller
 * found it from the signer of an answer).  zone must lie below a known
 * zone; 0, ZTK_EINVAL.
 */
ZTK_API int ztk_iter_learn(struct ztk_iter *it, const uint8_t *zone,
	const struct ztk_server *servers, size_t nservers);

/* The deepest known zone at or above name (wire form), never NULL once a
 * top is set. */
ZTK_API const uint8_t *ztk_iter_closest_zone(const struct ztk_iter *it,
	const uint8_t *name);

enum ztk_iter_kind {
	ZTK_ITER_ANSWER = 0,    /* the RRset is in the answer section */
	ZTK_ITER_CNAME,         /* a CNAME hop (qtype was not CNAME) */
	ZTK_ITER_NODATA,        /* the name exists, the type does not */
	ZTK_ITER_NXDOMAIN,      /* the name does not exist */
};

/* One name of an answer: the first, then each CNAME target. */
struct ztk_iter_hop {
	uint8_t qname[ZTK_DNAME_MAX];
	uint8_t zone[ZTK_DNAME_MAX];    /* the zone that answered */
	enum ztk_iter_kind kind;
	struct ztk_msg *msg;            /* the answer, owned by the result */
	struct ztk_server server;       /* who sent it */
};

struct ztk_iter_result {
	struct ztk_iter_hop hops[ZTK_ITER_MAX_HOPS];
	size_t nhops;
	unsigned queries;               /* sent for this call */
	unsigned referrals;
	/* On failure: one line for an operator, naming the zone and servers,
	 * e.g. "no answer from 127.53.0.9#53 (servers of example.) within
	 * 3000 ms".  Empty on success. */
	char reason[512];
};

/*
 * Resolve (qname, qtype) from the closest known zone down, following
 * referrals and (unless qtype is CNAME) CNAME chains.  DS is asked of the
 * parent side: the walk for qname DS stops at the zone above qname.
 * Returns 0 with res->nhops >= 1 (free with ztk_iter_result_clear()); or
 *   ZTK_ETIMEDOUT  the deadline ran out, or every server of a zone timed out
 *   ZTK_ENET       every server of a zone was unreachable, lame or bad
 *   ZTK_ELIMIT     a referral, query, CNAME or glueless limit was hit,
 *                  or a referral loop
 *   ZTK_EINVAL, ZTK_ENOMEM
 * res->reason says what happened in every failure case.
 */
ZTK_API int ztk_iter_resolve(struct ztk_iter *it, const uint8_t *qname,
	uint16_t qtype, struct ztk_iter_result *res);

/* Free the messages of a result (a zeroed result is fine). */
ZTK_API void ztk_iter_result_clear(struct ztk_iter_result *res);

/* One independent question for ztk_iter_query_many(). */
struct ztk_iter_job {
	const struct ztk_server *servers;       /* asked in order (failover) */
	size_t nservers;
	const uint8_t *qname;
	uint16_t qtype;
	/* filled: */
	int rc;                                 /* as ztk_resolver_query() */
	struct ztk_msg *msg;                    /* caller frees */
	struct ztk_query_info info;
};

/*
 * Ask every job's question at once (opts->max_threads threads, each job
 * with DO+CD, within what is left of the deadline) and wait for all.
 * Returns 0 (each job has its own rc), or ZTK_ENOMEM.
 */
ZTK_API int ztk_iter_query_many(struct ztk_iter *it, struct ztk_iter_job *jobs,
	size_t njobs);

#endif /* ZTK_ITERATE_H */
