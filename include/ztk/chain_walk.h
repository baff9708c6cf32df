/*
 * ztk/chain_walk.h - the chain of trust, live: from a trust anchor down to
 * an answer over DNS, each step validated as RFC 4035 section 5 says.
 *
 * ztk_chain_walk() resolves the name with the iterative resolver (which
 * learns every zone cut on the way), then asks, all at once, every server
 * of every zone on the path for its DNSKEY RRset and SOA, and each parent
 * for the child's DS.  Then, from the top down:
 *   - the top zone's DNSKEY RRset must be signed by a key the anchor names;
 *   - below a secure zone, the DS RRset must be signed by the parent's
 *     keys and match a DNSKEY of the child that signs the child's DNSKEY
 *     RRset (ztk_chain_zone(), the same code as the offline mode); a DS
 *     that is not there must be proven absent by the parent's NSEC or NSEC3
 *     records (opt-out included), which makes the child insecure; no proof
 *     makes it bogus;
 *   - the answer must be signed by the zone's keys (a wildcard expansion
 *     also needs the proof that the name itself does not exist), or a
 *     NODATA/NXDOMAIN must be proven by NSEC/NSEC3 (wildcards included);
 *   - CNAME hops are validated each in its own zone.
 * Signatures count only when valid at opts->now.  A zone below an insecure
 * or bogus one takes its verdict (RFC 4035 4.3).
 */
#ifndef ZTK_CHAIN_WALK_H
#define ZTK_CHAIN_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <ztk/chain.h>
#include <ztk/iterate.h>
#include <ztk/visibility.h>

#define ZTK_WALK_MAX_LEVELS 24
#define ZTK_WALK_MAX_WARNINGS 32

struct ztk_walk_level {
	struct ztk_chain_level lv;      /* zone, verdict, reason, hint, keys */
	char source[300];               /* where its trusted set came from */
	int parent;                     /* index of the level above, or -1 */
	size_t nservers;                /* servers asked */
	size_t nanswered;               /* of them, answered the DNSKEY query */
	uint32_t serial;                /* SOA serial (first server's) */
	bool have_serial;
	int ds_match;                   /* 1 a DS matches a key, 0 none does,
	                                 * -1 no DS (top zone or insecure) */
	char servers[400];              /* "127.53.0.2#53, ::1#5300" */
};

struct ztk_walk_report {
	struct ztk_walk_level levels[ZTK_WALK_MAX_LEVELS];
	size_t nlevels;
	int target;                     /* level that holds the answer, -1 */
	enum ztk_verdict verdict;       /* the worst on the path */
	char answer[600];               /* "www.example. A: present (1)" */
	/* what is about to break beyond what struct ztk_chain_level says:
	 * servers that disagree or do not answer, a DS whose key is not
	 * published, RFC 8624 MUST NOT algorithms */
	char warnings[ZTK_WALK_MAX_WARNINGS][300];
	size_t nwarnings;
	/* Could not reach an answer (exit status 3 in ztk-chain): the walk
	 * stopped; error says where, naming the servers. */
	bool unreachable;
	char error[512];
	unsigned queries;               /* sent for this walk */
	unsigned elapsed_ms;
};

/*
 * What a walk fetched per zone (the DNSKEY and SOA answers of each server,
 * the DS answer of its parent), kept for the walks of the next names so
 * that many names under the same zones (ztk-chain --names-from) neither
 * ask the same questions again nor trip the servers' rate limits.  Only a
 * zone whose every question was answered is kept, for the smallest TTL of
 * its answers (at most 300 s), and at most ZTK_WALK_CACHE_ZONES zones (the
 * oldest goes first): memory stays flat in the number of names.  Verdicts
 * are not kept; every walk judges again.
 */
#define ZTK_WALK_CACHE_ZONES 64
struct ztk_walk_cache;
ZTK_API int ztk_walk_cache_new(struct ztk_walk_cache **cache_out);
ZTK_API void ztk_walk_cache_free(struct ztk_walk_cache *cache);

struct ztk_walk_opts {
	struct ztk_walk_cache *cache;   /* NULL: fetch everything */
	int64_t now;                    /* validation time (Unix seconds) */
	const char *anchor_name;        /* for "trust from ..." (NULL: "the
	                                 * trust anchor") */
	int64_t expire_warn;            /* as struct ztk_chain_opts */
};

/*
 * Walk from the trust anchors (all for one owner: the top of the walk,
 * which must be the iterator's top zone or above qname on its path) down
 * to (qname, qtype) over it.  out is filled in every case.  Returns 0
 * (verdicts are data: see out), ZTK_EINVAL (qname not below the anchor,
 * no anchors), or ZTK_ENOMEM.
 */
ZTK_API int ztk_chain_walk(struct ztk_iter *it, const struct ztk_trust *trust,
	size_t ntrust, const uint8_t *qname, uint16_t qtype,
	const struct ztk_walk_opts *opts, struct ztk_walk_report *out);

#endif /* ZTK_CHAIN_WALK_H */
