/*
 * sign.c - the zone signer.
 *
 * Plan of a run:
 *   1. classify the input's nodes: authoritative (signed, in the chain),
 *      below a cut (glue, copied unsigned), out of zone (dropped); old
 *      RRSIG, NSEC, NSEC3 and NSEC3PARAM records are dropped, the DNSKEY
 *      RRset is rebuilt from the keys (plus foreign DNSKEYs of the input);
 *   2. for NSEC3, hash every authoritative name and empty non-terminal and
 *      sort the hashes (beside the names' jobs), or, on an incremental run
 *      where no name came or went and none changed its types, take the
 *      previous output's chain as it is (see n3_settle);
 *   3. cut the work into jobs of JOB_NODES nodes (or NSEC3 entries) that
 *      threads take in turn; a job writes its records into its own arena;
 *   4. the main thread adds every job's records, in order, to a new zone.
 * Signing is the cost: a job hashes canonical RRsets with OpenSSL and asks
 * its thread's signer for each signature.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/rand.h>

#include <ztk/dname.h>
#include <ztk/dnssec.h>
#include <ztk/error.h>
#include <ztk/rrtype.h>
#include <ztk/scanner.h>
#include <ztk/sign.h>
#include <ztk/zonemd.h>

#include "arena.h"
#include "dnssec_int.h"
#include "sig_verify.h"
#include "sigcache_int.h"
#include "sign_out.h"
#include "threads.h"
#include "util.h"

#define JOB_NODES 512
/* at most this many names a run have their kept signatures verified */
#define KEPT_SAMPLE_NAMES 128


/*
 * One node of a job's output, in order: made by the job (its text and
 * cache record in the job's buffers), or copied unchanged from the
 * previous output (old: its position in the signature cache).
 */
struct piece {
	size_t old;                     /* SIZE_MAX: made by the job */
	uint64_t old_off;               /* its text in the previous output */
	size_t text_at, text_len;       /* in job.text (made) */
	size_t node_at, node_len;       /* in job.cache; 0: none (glue) */
};

struct job {
	size_t first, last;     /* auth node indexes, or NSEC3 entries */
	bool nsec3;             /* a job of the NSEC3 chain */
	struct ztk_arena arena;
	struct orr *rrs;
	size_t n, cap;
	int rc;
	struct ztk_sbuf text;   /* streamed output (opts->sink) */
	struct gbuf cache;
	struct piece *pieces;
	size_t npieces, piece_cap;
	atomic_bool done;       /* records complete: the streams may take
				 * them (see pump) */
	atomic_uint left;       /* streams not yet done with it */
};

/* One way a finished job's output goes, job after job (see pump). */
enum { ST_TEXT, ST_CACHE, ST_MAX };
struct stream {
	pthread_mutex_t lock;   /* held by the thread moving it */
	atomic_size_t next;     /* the first job it has not taken */
	uint64_t pos;           /* octets of text before that job */
	uint64_t ns;            /* time spent moving it (ZTK_SIGN_TIMING) */
	int rc;
};

struct n3entry {
	uint8_t hash[20];
	const uint8_t *owner;   /* the name hashed (for messages) */
	uint16_t *types;        /* bitmap types, sorted */
	uint16_t ntypes;
};

struct run {
	const struct ztk_zone *in;
	const struct ztk_sign_opts *o;
	const struct ztk_zone_node *nodes;
	const struct ztk_zone_rr *rrs;
	size_t apex;                    /* node index of the apex */
	uint32_t *auth;                 /* authoritative node indexes */
	size_t nauth;
	uint8_t origin_lc[ZTK_DNAME_MAX];
	size_t origin_len;
	uint32_t soa_ttl, nsec_ttl, dnskey_ttl;
	uint8_t *soa_rdata;             /* with the new serial */
	uint16_t soa_rdlen;
	struct rdref *dnskeys;          /* the DNSKEY RRset to publish */
	size_t ndnskeys;
	uint8_t n3param[4 + 255];
	size_t n3param_len;
	struct n3entry *n3;
	size_t nn3;
	struct ztk_arena n3arena, n3arena2;     /* NSEC3 entries' types */
	/* The previous output's NSEC3 chain, taken over when no name came
	 * or went and no name's types changed (see n3_settle).  n3_defer:
	 * possible (its first NSEC3 record has this run's parameters), so
	 * the choice waits for the names' jobs, which count the names they
	 * find there as they are (n3_matched) and flag anything else
	 * (n3_changed). */
	bool n3_defer;
	atomic_int n3_changed;
	atomic_int n3_taken;            /* a thread has made the choice */
	atomic_size_t n3_matched;
	bool n3_kept;                   /* taken over: nn3 cache nodes */
	size_t n3_cbase;                /* its first node in the cache */
	int n3_rc;
	/* A record of it that cannot be taken over after all (damaged):
	 * the chain built once (n3_rescue), into n3b. */
	pthread_mutex_t n3_rescue_lock;
	bool n3_rescued;
	int n3_rescue_rc;
	struct n3entry *n3b;
	size_t nn3b;
	uint32_t incept, expire_base, jitter;
	uint64_t sample_seed;
	unsigned sample_permille;
	/* Kept signatures re-verified: a name (or signature) is in the sample
	 * when the top half of mix64(seed ^ position) is below this. */
	uint32_t kept_thresh;
	/* Jobs: the ordinary names' (jobs[0, nj_nodes)), then the NSEC3
	 * owners' (n3jobs), which exist only once the chain is built: with
	 * more than one thread that happens on the main thread while the
	 * others sign the names (n3_pending set until then, and njobs counts
	 * only the first kind). */
	struct job *jobs, *n3jobs;
	size_t nj_nodes;
	atomic_size_t njobs;
	atomic_int n3_pending;
	atomic_size_t next_job;
	atomic_size_t done_jobs;
	atomic_int failed;
	atomic_ullong sigs, rrsets, verified, denial, zonemd_dropped, kept;
	uint32_t refresh;
	/* Incremental runs: the previous output's cache when unchanged
	 * nodes may be copied from it whole (see fast_node). */
	const struct ztk_sigcache *pc;
	uint64_t zone_mask;             /* keys that sign the zone's data */
	uint16_t *tags;                 /* key tag of every key */
	atomic_ullong copied;
	struct stream st[ST_MAX];
	unsigned nstreams;              /* text, and cache if written */
	struct ztk_zone *z;             /* the returned zone (text stream) */
	bool timing;                    /* ZTK_SIGN_TIMING */
	atomic_ullong jobs_ns;          /* time spent signing jobs (timing) */
	/* A thread with nothing to do sleeps until a job is done or a
	 * stream let go (events counts both). */
	pthread_mutex_t idle_lock;
	pthread_cond_t idle_cv;
	atomic_ullong events;
	atomic_uint idlers;
	uint32_t serial_base;           /* input's, or the previous output's */
	pthread_mutex_t why_lock;
	char *why;
	size_t whylen;
};

/* The previous output's records of one name, from a zone or a cache. */
struct pview {
	struct ztk_sigcache_rr *v;
	size_t cap, n;
	uint8_t last[ZTK_DNAME_MAX];    /* the name looked up last */
	size_t lastlen;
	bool found;
	/* From a cache: where the node's text lies in the previous output,
	 * and whether its whole RRSIGs were read from it (see whole_sig). */
	bool sigs_read;
	uint64_t text_off;
	uint32_t text_len;
	/* the cache node the fast path matched last (cache_match) */
	const uint8_t *hint_owner;
	size_t hint_idx;
	bool hint_nsec3;
};

struct worker {
	struct run *r;
	unsigned tid;
	struct gbuf scratch, data;
	struct rdref *rds;
	size_t rdcap;
	/* the previous zone's copy of the RRset being signed */
	struct pview pv;
	struct gbuf pscratch;
	struct rdref *prds;
	size_t prdcap;
	/* the whole RRSIGs of the node pv holds, read from its text (in the
	 * arena of job sigs_job) */
	struct gbuf ptext;
	struct pview whole;             /* (only v, cap and n used) */
	const struct job *sigs_job;
	/* keys this thread has verified a fresh signature of: the first one
	 * of every key is always checked, however small the sample */
	uint64_t checked_once;
	uint64_t kept_once;     /* the same for kept signatures */
	bool verify_kept;       /* verify every kept signature of this node */
	/* where the job stands in the cache's two sections */
	size_t cur[2];
	bool cur_set[2];
	int64_t min_exp, max_exp;       /* of the signatures copied */
	/* counts of the names copied, added to the run's once per job (an
	 * atomic add per name makes the threads fight over its line) */
	uint64_t kept, rrsets, denial, copied;
	size_t n3_matched;              /* (see run.n3_matched) */
	struct sig_verifier vk[64];     /* per key, set up on first use */
};

static void fail_why(struct run *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fail_why(struct run *r, const char *fmt, ...)
{
	pthread_mutex_lock(&r->why_lock);
	if (!atomic_load(&r->failed)) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(r->why, r->whylen, fmt, ap);
		va_end(ap);
		atomic_store(&r->failed, 1);
	}
	pthread_mutex_unlock(&r->why_lock);
}

uint32_t ztk_serial_next(uint32_t cur, enum ztk_serial_policy p, int64_t now)
{
	uint32_t want;
	switch (p) {
	case ZTK_SERIAL_KEEP:
		return cur;
	case ZTK_SERIAL_INCREMENT:
		return cur + 1;
	case ZTK_SERIAL_UNIXTIME:
		want = (uint32_t)now;
		break;
	case ZTK_SERIAL_DATE: {
		time_t t = (time_t)now;
		struct tm tm;
		gmtime_r(&t, &tm);
		want = (uint32_t)((tm.tm_year + 1900) * 1000000u +
			(unsigned)(tm.tm_mon + 1) * 10000u +
			(unsigned)tm.tm_mday * 100u);
		/* Same day: the next nn of the day. */
		if (cur >= want && cur < want + 99)
			return cur + 1;
		break;
	}
	default:
		return cur + 1;
	}
	/* RFC 1982: want is newer than cur iff 0 < want - cur < 2^31. */
	uint32_t d = want - cur;
	return (d != 0 && d < 0x80000000u) ? want : cur + 1;
}

/* --- records of a job ---------------------------------------------------- */

static int emit(struct job *j, const uint8_t *owner, uint16_t type,
	uint32_t ttl, const uint8_t *rdata, uint16_t rdlen)
{
	if (j->n == j->cap) {
		size_t nc = j->cap ? j->cap * 2 : 4096;
		struct orr *nr = realloc(j->rrs, nc * sizeof(*nr));
		if (nr == NULL)
			return ZTK_ENOMEM;
		j->rrs = nr;
		j->cap = nc;
	}
	j->rrs[j->n++] = (struct orr){ owner, rdata, ttl, type, rdlen };
	return 0;
}

static bool dropped_type(uint16_t t)
{
	return t == ZTK_TYPE_RRSIG || t == ZTK_TYPE_NSEC ||
		t == ZTK_TYPE_NSEC3 || t == ZTK_TYPE_NSEC3PARAM;
}

/* The previous signed zone comes from a signature cache (its RRSIGs
 * without signatures, see whole_sig), not from a zone read as text. */
static bool prev_from_cache(const struct ztk_sign_opts *o)
{
	return o->previous == NULL && o->previous_cache != NULL;
}

/* Room for n records in pv. */
static bool pview_reserve(struct pview *pv, size_t n)
{
	if (n <= pv->cap)
		return true;
	size_t nc = n < 64 ? 64 : n * 2;
	struct ztk_sigcache_rr *p = realloc(pv->v, nc * sizeof(*p));
	if (p == NULL)
		return false;
	pv->v = p;
	pv->cap = nc;
	return true;
}

/* Look owner up in the previous output (zone or cache) into pv. */
static bool prev_lookup(const struct ztk_sign_opts *o, struct pview *pv,
	const uint8_t *owner, bool nsec3)
{
	size_t ol = ztk_dname_len(owner);
	if (pv->lastlen == ol && memcmp(pv->last, owner, ol) == 0)
		return pv->found;
	memcpy(pv->last, owner, ol);
	pv->lastlen = ol;
	pv->found = false;
	pv->n = 0;
	pv->sigs_read = false;
	pv->text_len = 0;
	if (prev_from_cache(o)) {
		/* The node the fast path matched last is most often the one
		 * asked for (a name with a change): no search then. */
		struct sc_node nd;
		bool hit = pv->hint_owner != NULL && pv->hint_nsec3 == nsec3 &&
			ztk_dname_len(pv->hint_owner) == ol &&
			memcmp(pv->hint_owner, owner, ol) == 0 &&
			sigcache_node(o->previous_cache, pv->hint_idx, &nd);
		if (!hit && !sigcache_find_node(o->previous_cache, owner, nsec3,
			&nd))
			return false;
		if (!pview_reserve(pv, nd.count)) {
			pv->lastlen = 0;
			return false;   /* re-sign rather than fail */
		}
		pv->n = sigcache_decode(&nd, pv->v, pv->cap);
		pv->text_off = nd.text_off;
		pv->text_len = nd.text_len;
		return pv->found = true;
	}
	if (o->previous == NULL)
		return false;
	const struct ztk_zone_node *pn = ztk_zone_find(o->previous, owner);
	if (pn == NULL)
		return false;
	if (!pview_reserve(pv, pn->count)) {
		pv->lastlen = 0;
		return false;   /* re-sign rather than fail */
	}
	const struct ztk_zone_rr *prr = ztk_zone_rrs(o->previous);
	for (size_t i = 0; i < pn->count; i++) {
		const struct ztk_zone_rr *x = &prr[pn->first + i];
		pv->v[i] = (struct ztk_sigcache_rr){ x->rdata, x->ttl, x->type,
			x->rdlen };
	}
	pv->n = pn->count;
	return pv->found = true;
}

/*
 * Is the RRset unchanged since the previous signed zone?  Same TTL, same
 * canonical RDATA set.  rds/n are already canonical.
 */
static bool same_as_before(struct worker *w, uint16_t type, uint32_t ttl,
	const struct rdref *rds, size_t n)
{
	size_t m = 0;
	for (size_t i = 0; i < w->pv.n; i++) {
		const struct ztk_sigcache_rr *x = &w->pv.v[i];
		if (x->type != type)
			continue;
		if (x->ttl != ttl)
			return false;
		if (m == w->prdcap) {
			size_t nc = w->prdcap ? w->prdcap * 2 : 64;
			struct rdref *p = realloc(w->prds, nc * sizeof(*p));
			if (p == NULL)
				return false;
			w->prds = p;
			w->prdcap = nc;
		}
		w->prds[m].rd = x->rdata;
		w->prds[m++].len = x->rdlen;
	}
	if (m == 0 || canon_rdataset(type, w->prds, &m, &w->pscratch) != 0 ||
	    m != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (rds[i].len != w->prds[i].len ||
		    memcmp(rds[i].rd, w->prds[i].rd, rds[i].len) != 0)
			return false;
	return true;
}

/* An RRSIG of the previous zone that may stand for (type, key) now. */
static const struct ztk_sigcache_rr *reusable_sig(struct run *r,
	const struct pview *pv, uint16_t type, uint8_t alg, uint16_t tag,
	uint8_t labels, uint32_t ttl)
{
	const struct ztk_sigcache_rr *best = NULL;
	int64_t best_exp = 0, now = r->o->now;
	for (size_t i = 0; i < pv->n; i++) {
		const struct ztk_sigcache_rr *x = &pv->v[i];
		if (x->type != ZTK_TYPE_RRSIG || x->rdlen <= RRSIG_FIXED ||
		    ztk_get16(x->rdata) != type)
			continue;
		const uint8_t *rd = x->rdata;
		if (rd[2] != alg || rd[3] != labels || ztk_get32(rd + 4) != ttl ||
		    ztk_get16(rd + 16) != tag)
			continue;
		/* The signer as we write it (lower case) decides at once. */
		if (!((size_t)x->rdlen - RRSIG_FIXED >= r->origin_len &&
		      ztk_same_octets(rd + RRSIG_FIXED, r->origin_lc,
			r->origin_len))) {
			int sl = ztk_dname_wire_check(rd + RRSIG_FIXED,
				x->rdlen - RRSIG_FIXED);
			if (sl <= 0 || !ztk_dname_equal(rd + RRSIG_FIXED,
				r->origin_lc))
				continue;
		}
		/* RFC 1982 times, read relative to now. */
		int64_t exp = rrsig_time(ztk_get32(rd + 8), now);
		int64_t inc = rrsig_time(ztk_get32(rd + 12), now);
		if (inc > now || exp - now < (int64_t)r->refresh)
			continue;
		if (best == NULL || exp > best_exp) {
			best = x;
			best_exp = exp;
		}
	}
	return best;
}

/* Every RRSIG of the node's text in the previous output, whole, into
 * w->whole (their RDATA in j's arena).  The text is what this program
 * printed and the cache checked to be unchanged since (its identity). */
struct sig_scan {
	struct worker *w;
	struct job *j;
	const uint8_t *owner;
};

static int sig_scan_rr(void *ctx, const struct ztk_rr *rr)
{
	struct sig_scan *ss = ctx;
	struct worker *w = ss->w;
	if (rr->type != ZTK_TYPE_RRSIG || !ztk_dname_equal(rr->owner,
		ss->owner))
		return 0;
	uint8_t *rd = ztk_arena_dup(&ss->j->arena, rr->rdata, rr->rdlen);
	if (rd == NULL || !pview_reserve(&w->whole, w->whole.n + 1))
		return ZTK_ENOMEM;
	w->whole.v[w->whole.n++] = (struct ztk_sigcache_rr){ rd, rr->ttl,
		rr->type, rr->rdlen };
	return 0;
}

static void read_sigs(struct worker *w, struct job *j, const uint8_t *owner)
{
	const struct pview *pv = &w->pv;
	int fd = sigcache_output_fd(w->r->o->previous_cache);
	if (fd < 0 || pv->text_len == 0)
		return;
	w->ptext.len = 0;
	if (gbuf_put(&w->ptext, NULL, pv->text_len) != 0)
		return;
	for (size_t got = 0; got < pv->text_len;) {
		ssize_t k = pread(fd, w->ptext.p + got, pv->text_len - got,
			(off_t)(pv->text_off + got));
		if (k <= 0)
			return;
		got += (size_t)k;
	}
	struct sig_scan ss = { w, j, owner };
	struct ztk_scan_opts so = { .origin = w->r->origin_lc,
		.no_include = true, .max_errors = 1, .on_rr = sig_scan_rr,
		.ctx = &ss };
	(void)ztk_scan_buffer("previous output", (const char *)w->ptext.p,
		pv->text_len, &so, NULL);
}

/*
 * The kept RRSIG old whole: as it is when it came from a zone, else (a
 * cache keeps it without the signature) the RRSIG of the node's text that
 * it begins; NULL if there is none (the RRset is then signed again).
 */
static const struct ztk_sigcache_rr *whole_sig(struct worker *w,
	struct job *j, const uint8_t *owner, const struct ztk_sigcache_rr *old)
{
	struct pview *pv = &w->pv;
	if (!prev_from_cache(w->r->o))
		return old;
	if (!pv->sigs_read || w->sigs_job != j) {
		pv->sigs_read = true;
		w->sigs_job = j;
		w->whole.n = 0;
		read_sigs(w, j, owner);
	}
	for (size_t i = 0; i < w->whole.n; i++) {
		const struct ztk_sigcache_rr *f = &w->whole.v[i];
		if (f->ttl == old->ttl && f->rdlen > old->rdlen &&
		    memcmp(f->rdata, old->rdata, old->rdlen) == 0)
			return f;
	}
	return NULL;
}

/* Verify with the thread's verifier for key k. */
static int verify_with(struct worker *w, size_t k, const uint8_t *msg,
	size_t len, const uint8_t *sig, size_t siglen)
{
	const struct ztk_sign_key *key = &w->r->o->keys[k];
	if (k >= 64)
		return ztk_dnssec_verify(key->dnskey, key->dnskey_len, msg, len,
			sig, siglen);
	return sig_verify(&w->vk[k], key->dnskey, key->dnskey_len, msg, len,
		sig, siglen);
}

static int sign_rrset(struct worker *w, struct job *j, const uint8_t *owner,
	const uint8_t *owner_lc, size_t olen, uint16_t type, uint32_t ttl,
	struct rdref *rds, size_t n)
{
	struct run *r = w->r;
	const struct ztk_sign_opts *o = r->o;
	int rc = canon_rdataset(type, rds, &n, &w->scratch);
	if (rc)
		return rc;
	bool keyset = type == ZTK_TYPE_DNSKEY || type == ZTK_TYPE_CDS ||
		type == ZTK_TYPE_CDNSKEY;
	uint8_t tb[2] = { (uint8_t)(type >> 8), (uint8_t)type };
	uint64_t h = fnv1a(fnv1a(0, owner_lc, olen), tb, 2);
	uint32_t expire = r->expire_base - (r->jitter ? (uint32_t)(h %
		((uint64_t)r->jitter + 1)) : 0);
	uint8_t labels = rrsig_labels(owner_lc);
	bool any = false;
	bool prev = (o->previous != NULL || o->previous_cache != NULL) &&
		prev_lookup(o, &w->pv, owner, type == ZTK_TYPE_NSEC3) &&
		same_as_before(w, type, ttl, rds, n);
	for (size_t k = 0; k < o->nkeys; k++) {
		const struct ztk_sign_key *key = &o->keys[k];
		if (key->signers == NULL ||
		    !(keyset ? key->sign_keyset : key->sign_zone))
			continue;
		uint8_t alg = key->dnskey[3];
		uint16_t tag = r->tags[k];
		const struct ztk_sigcache_rr *old = prev ? reusable_sig(r,
			&w->pv, type, alg, tag, labels, ttl) : NULL;
		if (old != NULL)
			old = whole_sig(w, j, owner, old);
		if (old != NULL) {
			/* Kept signatures were made and checked by an earlier
			 * run: what can have gone wrong since is a key mix-up
			 * (the first of every key shows it) or damage, which
			 * spoils a share; a tenth of the fresh sample. */
			bool first = k < 64 && !(w->kept_once & (1ull << k));
			bool check = o->verify == ZTK_VERIFY_ALL ||
				w->verify_kept ||
				(o->verify == ZTK_VERIFY_SAMPLE && (keyset ||
				 first || (mix64(h ^ r->sample_seed ^
				 ((uint64_t)tag << 48)) >> 32) < r->kept_thresh));
			if (check && k < 64)
				w->kept_once |= 1ull << k;
			size_t plen = RRSIG_FIXED + ztk_dname_len(old->rdata +
				RRSIG_FIXED);
			if (check) {
				if ((rc = signed_data(&w->data, old->rdata, plen,
					owner_lc, olen, type, ZTK_CLASS_IN, ttl,
					rds, n)) != 0)
					return rc;
				if (verify_with(w, k, w->data.p, w->data.len,
					old->rdata + plen, old->rdlen - plen) != 0)
					old = NULL;     /* re-sign a bad one */
				else
					atomic_fetch_add(&r->verified, 1);
			}
		}
		if (old != NULL) {
			if ((rc = emit(j, owner, ZTK_TYPE_RRSIG, ttl, old->rdata,
				old->rdlen)) != 0)
				return rc;
			atomic_fetch_add(&r->kept, 1);
			any = true;
			continue;
		}
		uint8_t prefix[RRSIG_FIXED + ZTK_DNAME_MAX];
		size_t plen = rrsig_prefix(prefix, type, alg, labels, ttl,
			expire, r->incept, tag, r->origin_lc);
		if ((rc = signed_data(&w->data, prefix, plen, owner_lc, olen,
			type, ZTK_CLASS_IN, ttl, rds, n)) != 0)
			return rc;
		uint8_t sig[1024];
		size_t siglen = sizeof(sig);
		rc = ztk_signer_sign(key->signers[w->tid], w->data.p,
			w->data.len, sig, &siglen);
		if (rc != 0) {
			char name[ZTK_DNAME_TEXT_MAX], tn[16];
			ztk_dname_print(owner, name);
			fail_why(r, "signing %s %s with key %u failed: %s", name,
				ztk_rrtype_name(type, tn), tag,
				ztk_strerror(rc));
			return rc;
		}
		bool first = k < 64 && !(w->checked_once & (1ull << k));
		bool check = o->verify == ZTK_VERIFY_ALL ||
			(o->verify == ZTK_VERIFY_SAMPLE && (keyset || first)) ||
			(o->verify == ZTK_VERIFY_SAMPLE &&
			 (fnv1a(h ^ r->sample_seed, (const uint8_t *)&tag,
			  sizeof(tag)) % 1000) < r->sample_permille);
		if (check) {
			if (verify_with(w, k, w->data.p, w->data.len, sig,
				siglen) != 0) {
				char name[ZTK_DNAME_TEXT_MAX], tn[16];
				ztk_dname_print(owner, name);
				fail_why(r, "a fresh signature of %s %s by key %u "
					"does not verify: the HSM is faulty or "
					"the key does not match its DNSKEY", name,
					ztk_rrtype_name(type, tn), tag);
				return ZTK_ECRYPTO;
			}
			atomic_fetch_add(&r->verified, 1);
			if (k < 64)
				w->checked_once |= 1ull << k;
		}
		uint8_t *rd = ztk_arena_alloc(&j->arena, plen + siglen, 1);
		if (rd == NULL)
			return ZTK_ENOMEM;
		memcpy(rd, prefix, plen);
		memcpy(rd + plen, sig, siglen);
		if ((rc = emit(j, owner, ZTK_TYPE_RRSIG, ttl, rd,
			(uint16_t)(plen + siglen))) != 0)
			return rc;
		atomic_fetch_add(&r->sigs, 1);
		any = true;
	}
	if (any)
		atomic_fetch_add(&r->rrsets, 1);
	return 0;
}

/* Emit one RRset and sign it if asked. */
static int put_rrset(struct worker *w, struct job *j, const uint8_t *owner,
	const uint8_t *owner_lc, size_t olen, uint16_t type, uint32_t ttl,
	struct rdref *rds, size_t n, bool sign)
{
	int rc;
	for (size_t i = 0; i < n; i++)
		if ((rc = emit(j, owner, type, ttl, rds[i].rd, rds[i].len)))
			return rc;
	return sign ? sign_rrset(w, j, owner, owner_lc, olen, type, ttl, rds,
		n) : 0;
}

static int want_rds(struct worker *w, size_t n)
{
	if (n <= w->rdcap)
		return 0;
	size_t nc = n < 64 ? 64 : n * 2;
	struct rdref *p = realloc(w->rds, nc * sizeof(*p));
	if (p == NULL)
		return ZTK_ENOMEM;
	w->rds = p;
	w->rdcap = nc;
	return 0;
}

/*
 * Types the node will have in the output (sorted, without RRSIG/NSEC/
 * NSEC3): its data types, plus DNSKEY and NSEC3PARAM at the apex.
 */
static size_t output_types(const struct run *r, size_t ni, uint16_t *out)
{
	const struct ztk_zone_node *nd = &r->nodes[ni];
	size_t n = 0;
	bool apex = ni == r->apex;
	uint16_t extra[3];
	size_t ne = 0;
	if (apex && r->ndnskeys)
		extra[ne++] = ZTK_TYPE_DNSKEY;
	if (apex && r->o->nsec3)
		extra[ne++] = ZTK_TYPE_NSEC3PARAM;
	if (apex && r->o->zonemd_alg)
		extra[ne++] = ZTK_TYPE_ZONEMD;
	size_t e = 0;
	for (uint32_t i = 0; i < nd->count; i++) {
		uint16_t t = r->rrs[nd->first + i].type;
		if (dropped_type(t) || (apex && (t == ZTK_TYPE_DNSKEY ||
			t == ZTK_TYPE_ZONEMD)))
			continue;
		while (e < ne && extra[e] < t)
			out[n++] = extra[e++];
		if (e < ne && extra[e] == t)
			e++;
		if (n == 0 || out[n - 1] != t)
			out[n++] = t;
	}
	while (e < ne)
		out[n++] = extra[e++];
	return n;
}

/*
 * Types of the node's NSEC or NSEC3 bitmap (RRSIG/NSEC/NSEC3 aside): its
 * output types, but at a delegation point only the parent's own
 * (type_at_cut: NS and DS).
 */
static size_t node_types(const struct run *r, size_t ni, uint16_t *out)
{
	size_t n = output_types(r, ni, out);
	if (!(r->nodes[ni].flags & ZTK_NODE_DELEGATION) || ni == r->apex)
		return n;
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (type_at_cut(out[i]))
			out[k++] = out[i];
	return k;
}

static bool has_type(const uint16_t *t, size_t n, uint16_t want)
{
	for (size_t i = 0; i < n; i++)
		if (t[i] == want)
			return true;
	return false;
}

/* Insert a type into a sorted list (no duplicates). */
static size_t add_type(uint16_t *t, size_t n, uint16_t v)
{
	size_t i = 0;
	while (i < n && t[i] < v)
		i++;
	if (i < n && t[i] == v)
		return n;
	memmove(t + i + 1, t + i, (n - i) * sizeof(*t));
	t[i] = v;
	return n + 1;
}

static int node_done(struct run *r, struct job *j, size_t from, int kind);

#define NSEC_RDATA_MAX (ZTK_DNAME_MAX + 32 * 34)

/* The NSEC of auth node ai: to the next authoritative name (RFC 4034 4,
 * RFC 4035 2.3), with the types the node will have.  Returns its length. */
static size_t nsec_rdata(const struct run *r, size_t ai, uint8_t *rd)
{
	const uint8_t *next = r->nodes[r->auth[(ai + 1) % r->nauth]].owner;
	uint16_t types[1024];
	size_t nt = node_types(r, r->auth[ai], types);
	nt = add_type(types, nt, ZTK_TYPE_RRSIG);
	nt = add_type(types, nt, ZTK_TYPE_NSEC);
	size_t nlen = ztk_dname_len(next);
	/* RFC 6840 5.1: the next name is not lowercased; keep it as is. */
	memcpy(rd, next, nlen);
	return nlen + type_bitmap(types, nt, rd + nlen);
}

static int node_records(struct worker *w, struct job *j, size_t ai)
{
	struct run *r = w->r;
	size_t ni = r->auth[ai];
	const struct ztk_zone_node *nd = &r->nodes[ni];
	bool apex = ni == r->apex;
	bool deleg = (nd->flags & ZTK_NODE_DELEGATION) && !apex;
	uint8_t owner_lc[ZTK_DNAME_MAX];
	size_t olen = ztk_dname_len(nd->owner);
	memcpy(owner_lc, nd->owner, olen);
	ztk_dname_to_lower(owner_lc);
	int rc;

	if (apex) {
		struct rdref soa = { r->soa_rdata, r->soa_rdlen };
		if ((rc = put_rrset(w, j, nd->owner, owner_lc, olen,
			ZTK_TYPE_SOA, r->soa_ttl, &soa, 1, true)))
			return rc;
		if (r->ndnskeys) {
			if ((rc = want_rds(w, r->ndnskeys)))
				return rc;
			memcpy(w->rds, r->dnskeys, r->ndnskeys * sizeof(*w->rds));
			if ((rc = put_rrset(w, j, nd->owner, owner_lc, olen,
				ZTK_TYPE_DNSKEY, r->dnskey_ttl, w->rds,
				r->ndnskeys, true)))
				return rc;
		}
		if (r->o->nsec3) {
			struct rdref p = { r->n3param, (uint16_t)r->n3param_len };
			if ((rc = put_rrset(w, j, nd->owner, owner_lc, olen,
				ZTK_TYPE_NSEC3PARAM, r->nsec_ttl, &p, 1, true)))
				return rc;
		}
	}
	for (uint32_t i = 0; i < nd->count;) {
		const struct ztk_zone_rr *rr = &r->rrs[nd->first + i];
		uint16_t t = rr->type;
		uint32_t k = i;
		while (k < nd->count && r->rrs[nd->first + k].type == t)
			k++;
		size_t cnt = k - i;
		/* A ZONEMD from the input would be stale once signed. */
		bool skip = dropped_type(t) || (apex && (t == ZTK_TYPE_SOA ||
			t == ZTK_TYPE_DNSKEY || t == ZTK_TYPE_ZONEMD));
		if (apex && t == ZTK_TYPE_ZONEMD)
			atomic_fetch_add(&r->zonemd_dropped, k - i);
		if (!skip) {
			if ((rc = want_rds(w, cnt)))
				return rc;
			for (size_t x = 0; x < cnt; x++) {
				w->rds[x].rd = r->rrs[nd->first + i + x].rdata;
				w->rds[x].len = r->rrs[nd->first + i + x].rdlen;
			}
			/* At a cut only the DS RRset is ours to sign. */
			bool sign = !deleg || t == ZTK_TYPE_DS;
			if ((rc = put_rrset(w, j, nd->owner, owner_lc, olen, t,
				rr->ttl, w->rds, cnt, sign)))
				return rc;
		}
		i = k;
	}
	if (r->o->nsec3)
		return 0;

	uint8_t *rd = ztk_arena_alloc(&j->arena, NSEC_RDATA_MAX, 1);
	if (rd == NULL)
		return ZTK_ENOMEM;
	struct rdref ref = { rd, (uint16_t)nsec_rdata(r, ai, rd) };
	atomic_fetch_add(&r->denial, 1);
	return put_rrset(w, j, nd->owner, owner_lc, olen, ZTK_TYPE_NSEC,
		r->nsec_ttl, &ref, 1, true);
}

static size_t nsec3_rdata(const struct run *r, const struct n3entry *e,
	const struct n3entry *nx, uint8_t *rd);

/* --- copying unchanged nodes ---------------------------------------------
 *
 * An incremental run with the previous output's signature cache copies a
 * node's text from the previous output instead of making it again when
 * the node would come out byte for byte the same: every record it would
 * have (the input's, its NSEC or NSEC3) is in the cached node in the same
 * order, with the same TTL and RDATA and the same owner spelling, and its
 * RRSIGs are exactly one per signed RRset and signing key, each one that
 * the signer would keep (valid beyond the refresh window).  The cached
 * node's records are what was printed (the cache is written from the same
 * stream, and names the output by identity), so the copy is what printing
 * would give.  Glue after a name is compared and copied with it, or the
 * whole name is made again (the zone check needs the cut beside its
 * glue).  The apex (its SOA serial changes) and a sample of the rest are
 * made the slow way: that sample (and the first node of every thread) has
 * every kept signature verified again.
 */

/* What copying one name (and the glue after it) would take over. */
struct fast {
	struct piece pc[8];             /* the name, then its glue */
	size_t n;
	uint64_t kept, rrsets, denial;
	int64_t min_exp, max_exp;
};

/* An empty f; pc[] is left as it is (only pc[0..n) is read): clearing
 * its 384 octets for every name showed in the profile. */
static void fast_init(struct fast *f)
{
	f->n = 0;
	f->kept = f->rrsets = f->denial = 0;
	f->min_exp = INT64_MAX;
	f->max_exp = 0;
}

static bool add_fast_piece(struct fast *f, size_t idx, const struct sc_node *cn)
{
	if (f->n == sizeof(f->pc) / sizeof(f->pc[0]))
		return false;           /* much glue: made the slow way */
	f->pc[f->n++] = (struct piece){ .old = idx, .old_off = cn->text_off,
		.text_len = cn->text_len };
	return true;
}

static int add_piece(struct job *j, const struct piece *p)
{
	if (j->npieces == j->piece_cap) {
		size_t nc = j->piece_cap ? j->piece_cap * 2 : 1024;
		struct piece *np = realloc(j->pieces, nc * sizeof(*np));
		if (np == NULL)
			return ZTK_ENOMEM;
		j->pieces = np;
		j->piece_cap = nc;
	}
	j->pieces[j->npieces++] = *p;
	return 0;
}

/* The cached node owning owner (exact spelling), walking the section in
 * step with the job; it starts near guess, the position the node had in
 * the section if no name came or went. */
static bool cache_match(struct worker *w, const uint8_t *owner, bool nsec3,
	size_t guess, struct sc_node *out, size_t *idx)
{
	const struct ztk_sigcache *c = w->r->pc;
	size_t b, e;
	sigcache_section(c, nsec3, &b, &e);
	size_t *cur = &w->cur[nsec3];
	if (!w->cur_set[nsec3]) {
		*cur = sigcache_lower_bound_near(c, nsec3, owner, guess);
		w->cur_set[nsec3] = true;
	}
	size_t ol = ztk_dname_len(owner);
	while (*cur < e) {
		/* mostly the very same octets: no label-wise compare then */
		if (sigcache_owner_is(c, *cur, owner, ol)) {
			*idx = (*cur)++;
			if (!sigcache_node(c, *idx, out))
				return false;
			w->pv.hint_owner = out->owner;
			w->pv.hint_idx = *idx;
			w->pv.hint_nsec3 = nsec3;
			return true;
		}
		const uint8_t *o = sigcache_owner(c, *cur);
		int cmp = o == NULL ? -1 : ztk_dname_canon_cmp(o, owner);
		if (cmp < 0) {
			(*cur)++;
			continue;
		}
		if (cmp == 0)
			(*cur)++;       /* the name spelled otherwise: made again */
		return false;
	}
	return false;
}

/* Route a share of the candidates the slow way, kept signatures verified:
 * the first of every thread, and the kept-signature sample.  pos tells
 * the candidates of a run apart (auth index, or past them NSEC3 entry);
 * with --verify=none there is nothing to check and everything unchanged
 * is copied. */
static bool sampled(struct worker *w, uint64_t pos)
{
	struct run *r = w->r;
	if (r->o->verify == ZTK_VERIFY_NONE)
		return false;
	if ((w->kept_once & r->zone_mask) != r->zone_mask ||
	    (mix64(r->sample_seed ^ 0x5a5a5a5a5a5a5a5aull ^ pos) >> 32) <
	    r->kept_thresh) {
		w->verify_kept = true;
		return true;
	}
	return false;
}

/* Records of the cached node into w->pv (its buffer reused). */
static bool load_cached(struct worker *w, const struct sc_node *cn)
{
	struct pview *pv = &w->pv;
	if (!pview_reserve(pv, cn->count))
		return false;
	pv->n = sigcache_decode(cn, pv->v, pv->cap);
	pv->lastlen = 0;        /* not a lookup result */
	return true;
}

/* Next cached record that is not an RRSIG, from *p on. */
static const struct ztk_sigcache_rr *next_data(const struct pview *pv,
	size_t *p)
{
	while (*p < pv->n && pv->v[*p].type == ZTK_TYPE_RRSIG)
		(*p)++;
	return *p < pv->n ? &pv->v[(*p)++] : NULL;
}

static bool same_rr(const struct ztk_sigcache_rr *x, uint16_t type,
	uint32_t ttl, const uint8_t *rd, uint16_t rdlen)
{
	return x != NULL && x->type == type && x->ttl == ttl &&
		x->rdlen == rdlen && ztk_same_octets(x->rdata, rd, rdlen);
}

/* Does every signing key of the role have a keepable RRSIG over type? */
static bool sigs_keepable(struct worker *w, uint16_t type, uint32_t ttl,
	uint8_t labels, size_t *want)
{
	struct run *r = w->r;
	bool keyset = type == ZTK_TYPE_DNSKEY || type == ZTK_TYPE_CDS ||
		type == ZTK_TYPE_CDNSKEY;
	for (size_t k = 0; k < r->o->nkeys; k++) {
		const struct ztk_sign_key *key = &r->o->keys[k];
		if (key->signers == NULL ||
		    !(keyset ? key->sign_keyset : key->sign_zone))
			continue;
		if (reusable_sig(r, &w->pv, type, key->dnskey[3], r->tags[k],
			labels, ttl) == NULL)
			return false;
		(*want)++;
	}
	return true;
}

/* All RRSIGs of the cached node accounted for; their expiry range into
 * f. */
static bool sigs_all_wanted(struct worker *w, size_t want, struct fast *f)
{
	size_t have = 0;
	int64_t lo = INT64_MAX, hi = 0;
	for (size_t i = 0; i < w->pv.n; i++) {
		const struct ztk_sigcache_rr *x = &w->pv.v[i];
		if (x->type != ZTK_TYPE_RRSIG)
			continue;
		have++;
		int64_t e = rrsig_time(ztk_get32(x->rdata + 8), w->r->o->now);
		if (e < lo)
			lo = e;
		if (e > hi)
			hi = e;
	}
	if (have != want)
		return false;
	if (lo < f->min_exp)
		f->min_exp = lo;
	if (hi > f->max_exp)
		f->max_exp = hi;
	return true;
}

/* A glue (or occluded) node as the previous output had it: the same
 * records with their own TTLs, no signature. */
static bool fast_glue(struct worker *w, size_t ni, struct fast *f)
{
	struct run *r = w->r;
	struct sc_node cn;
	size_t idx, p = 0;
	const struct ztk_zone_node *nd = &r->nodes[ni];
	if (!cache_match(w, nd->owner, false, ni, &cn, &idx) ||
	    !load_cached(w, &cn))
		return false;
	for (uint32_t k = 0; k < nd->count; k++) {
		const struct ztk_zone_rr *rr = &r->rrs[nd->first + k];
		if (dropped_type(rr->type))
			continue;
		if (p >= w->pv.n || !same_rr(&w->pv.v[p++], rr->type, rr->ttl,
			rr->rdata, rr->rdlen))
			return false;
	}
	if (p != w->pv.n)
		return false;
	return add_fast_piece(f, idx, &cn);
}

static bool fast_node(struct worker *w, size_t ai, struct fast *f)
{
	struct run *r = w->r;
	size_t ni = r->auth[ai];
	const struct ztk_zone_node *nd = &r->nodes[ni];
	if (ni == r->apex)
		return false;
	struct sc_node cn;
	size_t idx;
	if (!cache_match(w, nd->owner, false, ni, &cn, &idx))
		return false;
	if (sampled(w, ai) || !load_cached(w, &cn))
		return false;
	bool deleg = (nd->flags & ZTK_NODE_DELEGATION) != 0;
	uint8_t labels = rrsig_labels(nd->owner);      /* (case is no matter) */
	uint8_t nsec[NSEC_RDATA_MAX];
	size_t nsec_len = r->o->nsec3 ? 0 : nsec_rdata(r, ai, nsec);
	bool nsec_done = r->o->nsec3;
	size_t p = 0, want = 0, sets = 0;
	for (uint32_t i = 0; i < nd->count;) {
		const struct ztk_zone_rr *rr = &r->rrs[nd->first + i];
		uint16_t t = rr->type;
		uint32_t k = i;
		while (k < nd->count && r->rrs[nd->first + k].type == t)
			k++;
		if (!nsec_done && t > ZTK_TYPE_NSEC) {
			if (!same_rr(next_data(&w->pv, &p), ZTK_TYPE_NSEC,
				r->nsec_ttl, nsec, (uint16_t)nsec_len))
				return false;
			nsec_done = true;
		}
		if (!dropped_type(t)) {
			for (uint32_t x = i; x < k; x++) {
				const struct ztk_zone_rr *y = &r->rrs[nd->first + x];
				if (!same_rr(next_data(&w->pv, &p), t, rr->ttl,
					y->rdata, y->rdlen))
					return false;
			}
			if (!deleg || t == ZTK_TYPE_DS) {
				if (!sigs_keepable(w, t, rr->ttl, labels, &want))
					return false;
				sets++;
			}
		}
		i = k;
	}
	if (!nsec_done && !same_rr(next_data(&w->pv, &p), ZTK_TYPE_NSEC,
		r->nsec_ttl, nsec, (uint16_t)nsec_len))
		return false;
	if (!r->o->nsec3) {
		if (!sigs_keepable(w, ZTK_TYPE_NSEC, r->nsec_ttl, labels, &want))
			return false;
		sets++;
	}
	if (next_data(&w->pv, &p) != NULL || !sigs_all_wanted(w, want, f))
		return false;
	f->kept += want;
	f->rrsets += sets;
	f->denial += !r->o->nsec3;
	if (!add_fast_piece(f, idx, &cn))
		return false;
	/* Glue and occluded data after it: each as it was, or the whole
	 * name is made again (the zone check needs the cut beside them). */
	size_t end = ai + 1 < r->nauth ? r->auth[ai + 1]
		: ztk_zone_node_count(r->in);
	for (size_t x = ni + 1; x < end; x++) {
		const struct ztk_zone_node *g = &r->nodes[x];
		if ((g->flags & ZTK_NODE_BELOW_CUT) &&
		    !(g->flags & ZTK_NODE_OUT_OF_ZONE) && !fast_glue(w, x, f))
			return false;
	}
	return true;
}

static bool fast_nsec3(struct worker *w, size_t ei, const uint8_t *owner,
	const uint8_t *rd, size_t rl, struct fast *f)
{
	struct run *r = w->r;
	struct sc_node cn;
	size_t idx;
	if (!cache_match(w, owner, true, ei, &cn, &idx) ||
	    sampled(w, (uint64_t)r->nauth + ei) || !load_cached(w, &cn))
		return false;
	size_t p = 0, want = 0;
	if (!same_rr(next_data(&w->pv, &p), ZTK_TYPE_NSEC3, r->nsec_ttl, rd,
		(uint16_t)rl) || next_data(&w->pv, &p) != NULL ||
	    !sigs_keepable(w, ZTK_TYPE_NSEC3, r->nsec_ttl,
		rrsig_labels(owner), &want) || !sigs_all_wanted(w, want, f))
		return false;
	f->kept += want;
	f->rrsets++;
	f->denial++;
	return add_fast_piece(f, idx, &cn);
}

/* Take over what fast_node or fast_nsec3 found unchanged. */
static int commit_fast(struct worker *w, struct job *j, const struct fast *f)
{
	w->kept += f->kept;
	w->rrsets += f->rrsets;
	w->denial += f->denial;
	w->copied += f->n;
	if (f->min_exp < w->min_exp)
		w->min_exp = f->min_exp;
	if (f->max_exp > w->max_exp)
		w->max_exp = f->max_exp;
	int rc = 0;
	for (size_t i = 0; i < f->n && rc == 0; i++)
		rc = add_piece(j, &f->pc[i]);
	return rc;
}

/*
 * Names are walked in canonical order, but their owners and records lie
 * where the zone file had them: mostly another order, so each name would
 * wait on memory once or twice.  Ask for a name a few steps ahead (on an
 * incremental run comparing records is most of a worker's time).
 */
enum { AHEAD = 8 };

/* An NSEC3 record (owner in lower case) made and signed: both copied
 * into the job first (they may lie in w->pv's buffer or the previous
 * cache, and looking up the kept signatures reuses w->pv). */
static int make_nsec3(struct worker *w, struct job *j, const uint8_t *ob,
	size_t olen, const uint8_t *rb, size_t rl)
{
	struct run *r = w->r;
	uint8_t *owner = ztk_arena_dup(&j->arena, ob, olen);
	uint8_t *rd = ztk_arena_dup(&j->arena, rb, rl);
	if (owner == NULL || rd == NULL)
		return ZTK_ENOMEM;
	struct rdref ref = { rd, (uint16_t)rl };
	atomic_fetch_add(&r->denial, 1);
	size_t from = j->n;
	int rc = put_rrset(w, j, owner, owner, olen, ZTK_TYPE_NSEC3,
		r->nsec_ttl, &ref, 1, true);
	w->verify_kept = false;
	return rc ? rc : node_done(r, j, from, SC_KIND_NSEC3);
}

/* NSEC3 owner ei of the chain v[0, n). */
static int do_nsec3_of(struct worker *w, struct job *j,
	const struct n3entry *v, size_t n, size_t ei)
{
	struct run *r = w->r;
	const struct n3entry *e = &v[ei];
	const struct n3entry *nx = &v[(ei + 1) % n];
	/* Entries are in hash order, their type lists where their names
	 * were collected: one wait on memory each unless asked ahead (as in
	 * do_node). */
	if (ei + AHEAD < n)
		__builtin_prefetch(v[ei + AHEAD].types);
	char label[33];
	b32hex20(e->hash, label);
	size_t olen = 1 + 32 + r->origin_len;
	uint8_t ob[1 + 32 + ZTK_DNAME_MAX];
	uint8_t rb[6 + 255 + 21 + 32 * 34];
	ob[0] = 32;
	memcpy(ob + 1, label, 32);
	memcpy(ob + 33, r->origin_lc, r->origin_len);
	size_t rl = nsec3_rdata(r, e, nx, rb);
	struct fast f;
	fast_init(&f);
	if (r->pc != NULL && fast_nsec3(w, ei, ob, rb, rl, &f))
		return commit_fast(w, j, &f);
	return make_nsec3(w, j, ob, olen, rb, rl);
}

static int do_nsec3(struct worker *w, struct job *j, size_t ei)
{
	return do_nsec3_of(w, j, w->r->n3, w->r->nn3, ei);
}

static size_t nsec3_rdata(const struct run *r, const struct n3entry *e,
	const struct n3entry *nx, uint8_t *rd)
{
	size_t o = 0;
	rd[o++] = 1;                            /* SHA-1 */
	rd[o++] = r->o->optout ? 1 : 0;
	rd[o++] = (uint8_t)(r->o->iterations >> 8);
	rd[o++] = (uint8_t)r->o->iterations;
	rd[o++] = r->o->salt_len;
	if (r->o->salt_len)
		memcpy(rd + o, r->o->salt, r->o->salt_len);
	o += r->o->salt_len;
	rd[o++] = 20;
	memcpy(rd + o, nx->hash, 20);
	o += 20;
	o += type_bitmap(e->types, e->ntypes, rd + o);
	return o;
}

static bool streaming(const struct run *r)
{
	return r->o->sink != NULL && !r->o->zonemd_alg;
}

/* j->rrs[from..) are one node's records: into zone order, and printed and
 * encoded when streaming. */
static int node_done(struct run *r, struct job *j, size_t from, int kind)
{
	if (!streaming(r) || from == j->n)
		return 0;
	struct piece p = { .old = SIZE_MAX, .text_at = j->text.len,
		.node_at = j->cache.len };
	int rc = sign_out_node(&j->rrs[from], j->n - from, kind, &j->text,
		r->o->cache_out != NULL ? &j->cache : NULL);
	p.text_len = j->text.len - p.text_at;
	p.node_len = j->cache.len - p.node_at;
	return rc ? rc : add_piece(j, &p);
}

/* --- the NSEC3 chain kept from the previous output -------------------------
 *
 * The NSEC3 chain depends on nothing but the authoritative names, their
 * types and the NSEC3 parameters.  When every name of the output is in
 * the previous output spelled the same and with the same types, and none
 * of its names is gone, the previous output's chain is this run's: its
 * NSEC3 records are taken over as they are (copied, or signed again when
 * due or sampled), and nothing is hashed or sorted.  That is the common
 * re-sign (signatures refreshed, data changed, no name added or removed),
 * and the chain's build is a fifth of such a run's work at 100k names.
 *
 * The names' jobs find out on the way: a name copied whole has been
 * compared record by record (fast_node); a name made again is looked up
 * (n3_note_made).  Anything else, and the chain is built as on any other
 * run (n3_settle).  Each NSEC3 record taken over is checked as it is
 * (do_nsec3_kept): its node undamaged, one NSEC3 record with this run's
 * parameters at a lower-case hashed owner, its next hash the next node's
 * owner.  One that is not (a damaged node, which its checksum shows) is
 * made from the chain built after all, once (n3_rescue); the two chains
 * must then agree owner for owner.  Checking as it goes, rather than in
 * a pass beside the names, keeps the previous chain's pages out of memory
 * until the names' are given back.
 */

/* Is x an NSEC3 record with this run's parameters? */
static bool n3_record_ok(const struct run *r, const struct ztk_sigcache_rr *x)
{
	size_t pl = r->n3param_len;     /* alg, flags, iterations, salt */
	return x->type == ZTK_TYPE_NSEC3 && x->rdlen >= pl + 21 &&
		x->rdata[0] == 1 && x->rdata[1] == (r->o->optout ? 1 : 0) &&
		ztk_same_octets(x->rdata + 2, r->n3param + 2, pl - 2) &&
		x->rdata[pl] == 20;
}

/* Can NSEC3 record x of cache node i (the section is [b, e)) be taken
 * over: this run's parameters, and the next node's owner, octet for
 * octet, what this run would write for its next hash?  (So every owner
 * is checked, as the one after another: a record whose owner is not as
 * written here comes to light at its predecessor, which n3_rescue then
 * catches.) */
static bool n3_fits(const struct run *r, size_t i, size_t b, size_t e,
	const struct ztk_sigcache_rr *x)
{
	if (!n3_record_ok(r, x))
		return false;
	uint8_t next[1 + 32 + ZTK_DNAME_MAX];
	char label[33];
	b32hex20(x->rdata + r->n3param_len + 1, label);
	next[0] = 32;
	memcpy(next + 1, label, 32);
	memcpy(next + 33, r->origin_lc, r->origin_len);
	return sigcache_owner_is(r->pc, i + 1 < e ? i + 1 : b, next,
		33 + r->origin_len);
}

/* The one record of records v[0, n) that is not an RRSIG (NULL: none,
 * or more than one). */
static const struct ztk_sigcache_rr *n3_only(const struct ztk_sigcache_rr *v,
	size_t n)
{
	const struct ztk_sigcache_rr *d = NULL;
	for (size_t k = 0; k < n; k++) {
		if (v[k].type == ZTK_TYPE_RRSIG)
			continue;
		if (d != NULL)
			return NULL;
		d = &v[k];
	}
	return d;
}

/* Is cache node i (of the NSEC3 section [b, e)) one the chain can be
 * taken over with?  (Asked of the first before the names' jobs.) */
static bool n3_node_ok(const struct run *r, size_t i, size_t b, size_t e)
{
	struct sc_node cn;
	struct ztk_sigcache_rr v[16];   /* the NSEC3 and one RRSIG a key */
	if (!sigcache_node(r->pc, i, &cn) || cn.count > 16)
		return false;
	size_t n = sigcache_decode(&cn, v, 16);
	const struct ztk_sigcache_rr *x = n3_only(v, n);
	return x != NULL && n3_fits(r, i, b, e, x);
}

/* Cache node of owner (exactly so spelled) in the ordinary names. */
static bool n3_cached_exact(const struct run *r, const uint8_t *owner,
	size_t guess, size_t *idx)
{
	size_t b, e;
	sigcache_section(r->pc, false, &b, &e);
	size_t i = sigcache_lower_bound_near(r->pc, false, owner, guess);
	if (i >= e || !sigcache_owner_is(r->pc, i, owner, ztk_dname_len(owner)))
		return false;
	*idx = i;
	return true;
}

/* Are the records pv holds (a cached node) of exactly the types want[0,
 * nw) (sorted, unique), RRSIGs aside?  The cache holds a node's records
 * sorted by type, as the output does, so one walk along both will do (a
 * node out of order only counts as changed: the chain is built). */
static bool n3_same_types(const struct pview *pv, const uint16_t *want,
	size_t nw)
{
	size_t k = 0;
	for (size_t i = 0; i < pv->n; i++) {
		uint16_t t = pv->v[i].type;
		if (t == ZTK_TYPE_RRSIG || (k > 0 && t == want[k - 1]))
			continue;
		if (k == nw || t != want[k])
			return false;
		k++;
	}
	return k == nw;
}

/* A name about to be made again (new, changed or sampled): is it in the
 * previous output with the types it will have, and its glue there too? */
static void n3_note_made(struct worker *w, size_t ai)
{
	struct run *r = w->r;
	if (atomic_load_explicit(&r->n3_changed, memory_order_relaxed))
		return;
	size_t ni = r->auth[ai];
	const struct ztk_zone_node *nd = &r->nodes[ni];
	uint16_t types[1024];
	struct sc_node cn;
	size_t idx, n = 1;
	if (!n3_cached_exact(r, nd->owner, ni, &idx) ||
	    !sigcache_node(r->pc, idx, &cn) || !load_cached(w, &cn) ||
	    !n3_same_types(&w->pv, types, output_types(r, ni, types)))
		goto changed;
	/* Glue and occluded names are in the output (so in the cache) when
	 * they have a record that is not dropped. */
	size_t end = ai + 1 < r->nauth ? r->auth[ai + 1]
		: ztk_zone_node_count(r->in);
	for (size_t x = ni + 1; x < end; x++) {
		const struct ztk_zone_node *g = &r->nodes[x];
		if (!(g->flags & ZTK_NODE_BELOW_CUT) ||
		    (g->flags & ZTK_NODE_OUT_OF_ZONE))
			continue;
		bool some = false;
		for (uint32_t k = 0; k < g->count && !some; k++)
			some = !dropped_type(r->rrs[g->first + k].type);
		if (!some)
			continue;
		if (!n3_cached_exact(r, g->owner, x, &idx))
			goto changed;
		n++;
	}
	w->n3_matched += n;
	return;
changed:
	atomic_store(&r->n3_changed, 1);
}

static int build_nsec3(struct run *r, bool may_split, struct n3entry **out,
	size_t *nout);

/*
 * The chain built after all, for a record of the kept one that cannot be
 * taken over (a damaged node, or one this run would not have written):
 * once a run, by the first thread to need it, while the others go on.
 * It must be the previous chain owner for owner (the names are the same),
 * or the records already taken over could be wrong: then the run fails.
 */
static int n3_rescue(struct run *r)
{
	pthread_mutex_lock(&r->n3_rescue_lock);
	if (!r->n3_rescued) {
		r->n3_rescued = true;
		int rc = build_nsec3(r, false, &r->n3b, &r->nn3b);
		bool differs = rc == 0 && r->nn3b != r->nn3;
		/* Every intact node's owner as this run writes it (a
		 * damaged one is, or will be, made from this chain). */
		uint8_t want[1 + 32 + ZTK_DNAME_MAX];
		want[0] = 32;
		memcpy(want + 33, r->origin_lc, r->origin_len);
		for (size_t i = 0; i < r->nn3b && rc == 0 && !differs; i++) {
			struct sc_node cn;
			char label[33];
			b32hex20(r->n3b[i].hash, label);
			memcpy(want + 1, label, 32);
			differs = sigcache_node(r->pc, r->n3_cbase + i, &cn) &&
				!sigcache_owner_is(r->pc, r->n3_cbase + i, want,
				33 + r->origin_len);
		}
		if (differs) {
			fail_why(r, "the previous output's NSEC3 chain does not "
				"match the zone's names; sign with --full");
			rc = ZTK_EINVAL;
		}
		r->n3_rescue_rc = rc;
	}
	int rc = r->n3_rescue_rc;
	pthread_mutex_unlock(&r->n3_rescue_lock);
	return rc;
}

/* NSEC3 owner ei of a kept chain: cache node n3_cbase + ei as it was,
 * copied, or its record signed again with this run's TTL; made from the
 * built chain if it cannot be taken over (see n3_rescue). */
static int do_nsec3_kept(struct worker *w, struct job *j, size_t ei)
{
	struct run *r = w->r;
	size_t idx = r->n3_cbase + ei;
	struct sc_node cn;
	const struct ztk_sigcache_rr *x = NULL;
	if (sigcache_node(r->pc, idx, &cn)) {
		if (!load_cached(w, &cn))
			return ZTK_ENOMEM;
		x = n3_only(w->pv.v, w->pv.n);
	}
	if (x == NULL || !n3_fits(r, idx, r->n3_cbase, r->n3_cbase + r->nn3,
	    x)) {
		int rc = n3_rescue(r);
		return rc ? rc : do_nsec3_of(w, j, r->n3b, r->nn3b, ei);
	}
	/* (Owners are in lower case: n3_fits checks each one, as the next
	 * of another.) */
	size_t olen = ztk_dname_len(cn.owner);
	struct fast f;
	fast_init(&f);
	size_t want = 0;
	if (x->ttl == r->nsec_ttl && !sampled(w, (uint64_t)r->nauth + ei) &&
	    sigs_keepable(w, ZTK_TYPE_NSEC3, r->nsec_ttl,
		rrsig_labels(cn.owner), &want) &&
	    sigs_all_wanted(w, want, &f) && add_fast_piece(&f, idx, &cn)) {
		f.kept += want;
		f.rrsets++;
		f.denial++;
		return commit_fast(w, j, &f);
	}
	return make_nsec3(w, j, cn.owner, olen, x->rdata, x->rdlen);
}

static int do_node(struct worker *w, struct job *j, size_t ai)
{
	struct run *r = w->r;
	size_t from = j->n;
	/* (Here, not in a function of its own: GCC takes a function that
	 * only prefetches for one without effect, and drops its calls.) */
	if (ai + AHEAD < r->nauth) {
		const struct ztk_zone_node *ahead = &r->nodes[r->auth[ai + AHEAD]];
		__builtin_prefetch(ahead->owner);
		for (uint32_t k = 0; k < ahead->count && k < 4; k++)
			__builtin_prefetch(r->rrs[ahead->first + k].rdata);
	}
	struct fast f;
	fast_init(&f);
	if (r->pc != NULL && fast_node(w, ai, &f)) {
		w->n3_matched += f.n;   /* the name and its glue, unchanged */
		return commit_fast(w, j, &f);
	}
	if (r->n3_defer)
		n3_note_made(w, ai);
	int rc = node_records(w, j, ai);
	w->verify_kept = false;
	if (rc == 0)
		rc = node_done(r, j, from, SC_KIND_NAME);
	/* Glue and occluded data up to the next authoritative name: copied
	 * as they are, never signed (RFC 4035 2.2). */
	size_t end = ai + 1 < r->nauth ? r->auth[ai + 1]
		: ztk_zone_node_count(r->in);
	for (size_t ni = r->auth[ai] + 1; ni < end && rc == 0; ni++) {
		const struct ztk_zone_node *nd = &r->nodes[ni];
		if (!(nd->flags & ZTK_NODE_BELOW_CUT) ||
		    (nd->flags & ZTK_NODE_OUT_OF_ZONE))
			continue;
		from = j->n;
		for (uint32_t k = 0; k < nd->count && rc == 0; k++) {
			const struct ztk_zone_rr *rr = &r->rrs[nd->first + k];
			if (!dropped_type(rr->type))
				rc = emit(j, nd->owner, rr->type, rr->ttl,
					rr->rdata, rr->rdlen);
		}
		/* In the cache too, so that the next run can copy it. */
		if (rc == 0)
			rc = node_done(r, j, from, SC_KIND_NAME);
	}
	return rc;
}

/* The worker's counts of copied names into the run's. */
static void flush_counts(struct worker *w)
{
	struct run *r = w->r;
	atomic_fetch_add(&r->kept, w->kept);
	atomic_fetch_add(&r->rrsets, w->rrsets);
	atomic_fetch_add(&r->denial, w->denial);
	atomic_fetch_add(&r->copied, w->copied);
	atomic_fetch_add(&r->n3_matched, w->n3_matched);
	w->kept = w->rrsets = w->denial = w->copied = 0;
	w->n3_matched = 0;
}

static void run_jobs(struct worker *w, bool main_thread);
static void n3_settle(struct run *r, bool names_done);

static void *worker_main(void *arg)
{
	run_jobs(arg, false);
	return NULL;
}

/* --- preparation ----------------------------------------------------------- */

/*
 * The NSEC3 chain's entries are collected, hashed and sorted in up to two
 * parts of the authoritative names at once, then merged: on a large zone
 * this is most of an incremental run's preparation, and it would leave a
 * core idle.
 */
struct n3part {
	struct run *r;
	size_t from, to;                /* auth indexes */
	struct n3entry *v;
	size_t n, cap;
	struct ztk_arena *arena;        /* the entries' type lists */
	int rc;
};

static int add_n3(struct n3part *p, const uint8_t *owner,
	const uint16_t *types, size_t nt)
{
	if (p->n == p->cap) {
		size_t nc = p->cap ? p->cap * 2 : 1024;
		struct n3entry *v = realloc(p->v, nc * sizeof(*v));
		if (v == NULL)
			return ZTK_ENOMEM;
		p->v = v;
		p->cap = nc;
	}
	struct n3entry *e = &p->v[p->n++];
	e->owner = owner;       /* hashed once all are collected */
	e->ntypes = (uint16_t)nt;
	e->types = NULL;
	if (nt) {
		e->types = ztk_arena_alloc(p->arena, nt * sizeof(*types),
			_Alignof(uint16_t));
		if (e->types == NULL)
			return ZTK_ENOMEM;
		memcpy(e->types, types, nt * sizeof(*types));
	}
	return 0;
}

/* Every authoritative name of the part and the empty non-terminals above
 * them, as entries (not yet hashed). */
static int collect_n3(struct n3part *p)
{
	struct run *r = p->r;
	uint16_t types[1024];
	/* The names above the current one that exist, deepest last: in
	 * canonical order a name's descendants follow it, so the names
	 * between the current one and the deepest of these are empty
	 * non-terminals, with no lookup (a lookup per name costs a scattered
	 * read or three: a third of a second at 1M names).  A part starts
	 * with none and looks its first name's ancestors up. */
	const uint8_t *above[ZTK_DNAME_MAX / 2 + 1];
	size_t nabove = 0;
	for (size_t ai = p->from; ai < p->to; ai++) {
		size_t ni = r->auth[ai];
		const struct ztk_zone_node *nd = &r->nodes[ni];
		bool apex = ni == r->apex;
		while (nabove > 0 &&
		    !ztk_dname_is_subdomain(nd->owner, above[nabove - 1]))
			nabove--;
		bool deleg = (nd->flags & ZTK_NODE_DELEGATION) && !apex;
		size_t nt = node_types(r, ni, types);
		bool ds = has_type(types, nt, ZTK_TYPE_DS);
		/* Opt-out (RFC 5155 6): insecure delegations need no NSEC3. */
		if (!(deleg && !ds && r->o->optout)) {
			if (!deleg || ds)
				nt = add_type(types, nt, ZTK_TYPE_RRSIG);
			int rc = add_n3(p, nd->owner, types, nt);
			if (rc)
				return rc;
		}
		/* Empty non-terminals between this name and the apex. */
		const uint8_t *q = nd->owner;
		while (!apex) {
			q += 1 + q[0];
			size_t ql = ztk_dname_len(q);
			if (ql <= r->origin_len)
				break;
			if (nabove > 0 ? ql == ztk_dname_len(above[nabove - 1]) &&
			    ztk_dname_is_subdomain(q, above[nabove - 1]) :
			    ztk_zone_find(r->in, q) != NULL)
				break;
			/* Owner text of an ENT points into the node's name. */
			int rc = add_n3(p, q, NULL, 0);
			if (rc)
				return rc;
		}
		if (nabove < sizeof(above) / sizeof(above[0]))
			above[nabove++] = nd->owner;
	}
	return 0;
}

/* Collect, hash and sort one part. */
static void *n3part_main(void *arg)
{
	struct n3part *p = arg;
	const struct ztk_sign_opts *o = p->r->o;
	p->rc = collect_n3(p);
	for (size_t i = 0; i < p->n && p->rc == 0; i++) {
		struct n3entry *e = &p->v[i];
		uint8_t lc[ZTK_DNAME_MAX];
		size_t len = ztk_dname_len(e->owner);
		memcpy(lc, e->owner, len);
		ztk_dname_to_lower(lc);
		nsec3_hash(lc, len, o->salt, o->salt_len,
			o->iterations, e->hash);
	}
	if (p->rc == 0)
		p->rc = hash20_sort(p->v, p->n, sizeof(*p->v),
			offsetof(struct n3entry, hash));
	return NULL;
}

/* The second sorted part merged into the first, from the back, in the
 * first's array grown to hold both: no third array of every entry. */
static int n3_merge(struct n3part *pt)
{
	size_t i = pt[0].n, j = pt[1].n, k = i + j;
	if (j == 0)
		return 0;
	if (k > pt[0].cap) {
		struct n3entry *v = realloc(pt[0].v, k * sizeof(*v));
		if (v == NULL)
			return ZTK_ENOMEM;
		pt[0].v = v;
		pt[0].cap = k;
	}
	struct n3entry *v = pt[0].v;
	const struct n3entry *w = pt[1].v;
	while (j > 0) {
		if (i > 0 && memcmp(v[i - 1].hash, w[j - 1].hash, 20) > 0)
			v[--k] = v[--i];
		else
			v[--k] = w[--j];
	}
	pt[0].n += pt[1].n;
	return 0;
}

/* Every authoritative name and empty non-terminal, hashed and sorted,
 * into *out (*nout entries). */
static int build_nsec3(struct run *r, bool may_split, struct n3entry **out,
	size_t *nout)
{
	struct n3part pt[2] = {
		{ .r = r, .from = 0, .to = r->nauth, .arena = &r->n3arena },
		{ .r = r, .from = r->nauth, .to = r->nauth,
		  .arena = &r->n3arena2 },
	};
	pthread_t th;
	bool two = may_split && r->nauth >= 20000 && r->o->threads > 1 &&
		ztk_may_use_threads();
	if (two) {
		pt[0].to = pt[1].from = r->nauth / 2;
		/* Room for the names and some empty non-terminals, taken
		 * here: grown on the thread, the array would come from that
		 * thread's malloc arena, which keeps what it once held. */
		for (int k = 0; k < 2; k++) {
			size_t want = (pt[k].to - pt[k].from) / 4 * 5 + 1024;
			if ((pt[k].v = malloc(want * sizeof(*pt[k].v))) != NULL)
				pt[k].cap = want;
		}
		two = pthread_create(&th, NULL, n3part_main, &pt[1]) == 0;
		if (!two)
			pt[0].to = pt[1].from = r->nauth;
	}
	n3part_main(&pt[0]);
	if (two)
		pthread_join(th, NULL);
	int rc = pt[0].rc ? pt[0].rc : pt[1].rc;
	if (rc == 0)
		rc = n3_merge(pt);
	free(pt[1].v);
	struct n3entry *v = pt[0].v;
	size_t nv = 0;
	/* The same ENT is reached from several names: keep one. */
	for (size_t i = 0; i < pt[0].n && rc == 0; i++) {
		const struct n3entry *e = &v[i];
		size_t w = nv;
		if (w > 0 && memcmp(v[w - 1].hash, e->hash, 20) == 0) {
			uint8_t a[ZTK_DNAME_MAX], b[ZTK_DNAME_MAX];
			size_t la = ztk_dname_len(v[w - 1].owner);
			size_t lb = ztk_dname_len(e->owner);
			memcpy(a, v[w - 1].owner, la);
			memcpy(b, e->owner, lb);
			ztk_dname_to_lower(a);
			ztk_dname_to_lower(b);
			if (la == lb && memcmp(a, b, la) == 0)
				continue;
			char na[ZTK_DNAME_TEXT_MAX], nb[ZTK_DNAME_TEXT_MAX];
			ztk_dname_print(a, na);
			ztk_dname_print(b, nb);
			/* (under the lock: other threads may be signing) */
			fail_why(r, "NSEC3 hash collision between %s and %s: "
				"choose a salt", na, nb);
			rc = ZTK_EINVAL;
			break;
		}
		if (w != i)
			v[w] = *e;
		nv++;
	}
	*out = v;
	*nout = nv;
	return rc;
}

static int prepare(struct run *r, struct ztk_zone *out_zone)
{
	const struct ztk_sign_opts *o = r->o;
	size_t nn = ztk_zone_node_count(r->in);
	(void)out_zone;
	r->apex = SIZE_MAX;
	r->auth = malloc((nn ? nn : 1) * sizeof(*r->auth));
	r->tags = malloc((o->nkeys ? o->nkeys : 1) * sizeof(*r->tags));
	if (r->auth == NULL || r->tags == NULL)
		return ZTK_ENOMEM;
	for (size_t k = 0; k < o->nkeys; k++)
		r->tags[k] = ztk_keytag(o->keys[k].dnskey, o->keys[k].dnskey_len);
	for (size_t i = 0; i < nn; i++) {
		uint32_t f = r->nodes[i].flags;
		if (f & ZTK_NODE_APEX)
			r->apex = i;
		if (f & (ZTK_NODE_OUT_OF_ZONE | ZTK_NODE_BELOW_CUT))
			continue;
		r->auth[r->nauth++] = (uint32_t)i;
	}
	const struct ztk_zone_rr *soa = NULL;
	if (r->apex != SIZE_MAX) {
		const struct ztk_zone_node *a = &r->nodes[r->apex];
		for (uint32_t i = 0; i < a->count; i++)
			if (r->rrs[a->first + i].type == ZTK_TYPE_SOA)
				soa = &r->rrs[a->first + i];
	}
	if (soa == NULL || soa->rdlen < 22) {
		snprintf(r->why, r->whylen, "the zone has no SOA record at its "
			"apex");
		return ZTK_EINVAL;
	}
	r->soa_ttl = soa->ttl;
	uint32_t minimum = ztk_get32(soa->rdata + soa->rdlen - 4);
	/* RFC 9077: denial TTL is the lesser of SOA TTL and MINIMUM. */
	r->nsec_ttl = minimum < soa->ttl ? minimum : soa->ttl;
	r->soa_rdata = ztk_arena_dup(&r->n3arena, soa->rdata, soa->rdlen);
	if (r->soa_rdata == NULL)
		return ZTK_ENOMEM;
	r->soa_rdlen = soa->rdlen;
	uint8_t *serial = r->soa_rdata + soa->rdlen - 20;
	uint32_t before = ztk_get32(serial);
	/* Re-signing the same input must not repeat the last serial: start
	 * from the previous output's when it is newer (RFC 1982). */
	if ((o->previous != NULL || o->previous_cache != NULL) &&
	    o->serial != ZTK_SERIAL_KEEP) {
		struct pview pv = { 0 };
		if (prev_lookup(o, &pv, ztk_zone_origin(r->in), false))
			for (size_t i = 0; i < pv.n; i++) {
				const struct ztk_sigcache_rr *x = &pv.v[i];
				if (x->type != ZTK_TYPE_SOA || x->rdlen < 22)
					continue;
				uint32_t ps = ztk_get32(x->rdata + x->rdlen - 20);
				if ((int32_t)(ps - before) > 0)
					before = ps;
			}
		free(pv.v);
	}
	if (o->have_serial_floor && o->serial != ZTK_SERIAL_KEEP &&
	    (int32_t)(o->serial_floor - before) > 0)
		before = o->serial_floor;
	r->serial_base = before;
	ztk_put32(serial, ztk_serial_next(before, o->serial, o->now));

	/* DNSKEY RRset: the keys to publish, plus the input's DNSKEYs when
	 * asked (multi-signer); duplicates are dropped by canon_rdataset. */
	const struct ztk_zone_node *a = &r->nodes[r->apex];
	size_t cap = o->nkeys + a->count;
	r->dnskeys = calloc(cap ? cap : 1, sizeof(*r->dnskeys));
	if (r->dnskeys == NULL)
		return ZTK_ENOMEM;
	uint32_t in_ttl = 0;
	for (uint32_t i = 0; i < a->count; i++) {
		const struct ztk_zone_rr *rr = &r->rrs[a->first + i];
		if (rr->type != ZTK_TYPE_DNSKEY)
			continue;
		in_ttl = rr->ttl;
		if (o->keep_input_dnskeys)
			r->dnskeys[r->ndnskeys++] = (struct rdref){ rr->rdata,
				rr->rdlen };
	}
	bool signs = false;
	for (size_t k = 0; k < o->nkeys; k++) {
		if (o->keys[k].publish)
			r->dnskeys[r->ndnskeys++] = (struct rdref){
				o->keys[k].dnskey, o->keys[k].dnskey_len };
		signs |= o->keys[k].signers != NULL && o->keys[k].sign_zone;
	}
	if (!signs) {
		snprintf(r->why, r->whylen, "no active key signs the zone's "
			"data (a ZSK or CSK)");
		return ZTK_EINVAL;
	}
	/* RFC 6840 5.11: every algorithm of the published DNSKEY RRset must
	 * sign every RRset; refuse a key set that cannot, before any work. */
	for (size_t k = 0; k < o->nkeys; k++) {
		const struct ztk_sign_key *pk = &o->keys[k];
		if (!pk->publish || (pk->dnskey[1] & ZTK_DNSKEY_REVOKE))
			continue;
		uint8_t alg = pk->dnskey[3];
		bool keyset = false, zone = false;
		for (size_t x = 0; x < o->nkeys; x++) {
			const struct ztk_sign_key *sk = &o->keys[x];
			if (sk->dnskey[3] != alg || sk->signers == NULL)
				continue;
			keyset |= sk->sign_keyset;
			zone |= sk->sign_zone;
		}
		if (!keyset || !zone) {
			const struct ztk_alg_info *ai = ztk_alg_by_number(alg);
			snprintf(r->why, r->whylen, "algorithm %u (%s) is in the "
				"DNSKEY RRset but no active key of it signs %s; "
				"every algorithm must sign every RRset (RFC 6840 "
				"5.11): add a %s of that algorithm or stop "
				"publishing it", alg, ai ? ai->mnemonic : "?",
				keyset ? "the zone's data" : "the DNSKEY RRset",
				keyset ? "ZSK" : "KSK");
			return ZTK_EINVAL;
		}
	}
	r->dnskey_ttl = o->dnskey_ttl ? o->dnskey_ttl
		: in_ttl ? in_ttl : r->soa_ttl;

	r->origin_len = ztk_dname_len(ztk_zone_origin(r->in));
	memcpy(r->origin_lc, ztk_zone_origin(r->in), r->origin_len);
	ztk_dname_to_lower(r->origin_lc);

	uint32_t validity = o->validity ? o->validity : 30 * 86400;
	uint32_t backdate = o->inception_offset ? o->inception_offset : 3600;
	r->incept = (uint32_t)(o->now - backdate);
	r->expire_base = (uint32_t)(o->now + validity);
	r->jitter = o->no_jitter ? 0 : o->jitter ? o->jitter : validity / 16;
	r->refresh = o->refresh ? o->refresh : validity / 4;
	if (r->jitter >= validity)
		r->jitter = validity / 2;
	r->sample_permille = o->sample_permille ? o->sample_permille : 10;
	if (RAND_bytes((uint8_t *)&r->sample_seed, sizeof(r->sample_seed)) != 1)
		r->sample_seed = (uint64_t)o->now;

	/* Copying unchanged nodes needs the cache (with the previous output
	 * open), streamed output, and keys told apart by algorithm and tag
	 * (their RRSIGs are matched that way).  --verify=all makes
	 * everything the slow way, so that every kept signature is checked. */
	if (prev_from_cache(o) &&
	    streaming(r) && o->sink_copy != NULL && o->verify != ZTK_VERIFY_ALL &&
	    o->nkeys <= 64) {
		r->pc = o->previous_cache;
		for (size_t k = 0; k < o->nkeys; k++) {
			const struct ztk_sign_key *sk = &o->keys[k];
			if (sk->signers == NULL)
				continue;
			if (sk->sign_zone)
				r->zone_mask |= 1ull << k;
			for (size_t x = 0; x < k; x++)
				if (o->keys[x].signers != NULL &&
				    o->keys[x].dnskey[3] == sk->dnskey[3] &&
				    r->tags[x] == r->tags[k])
					r->pc = NULL;
		}
	}
	if (o->nsec3) {
		r->n3param[0] = 1;
		r->n3param[1] = 0;      /* flags: opt-out lives in NSEC3 only */
		r->n3param[2] = (uint8_t)(o->iterations >> 8);
		r->n3param[3] = (uint8_t)o->iterations;
		r->n3param[4] = o->salt_len;
		if (o->salt_len)
			memcpy(r->n3param + 5, o->salt, o->salt_len);
		r->n3param_len = 5u + o->salt_len;
	}
	/* Kept signatures are re-verified at a tenth of the fresh share, but
	 * for no more than KEPT_SAMPLE_NAMES names a run: what the sample is
	 * for, a steady share of bad signatures, shows in a number of checks,
	 * not in a fraction of the zone (128 names carry 200-300 signatures,
	 * which miss one bad signature in twenty with a chance of 1 in 30 000
	 * or less, as the fresh sample of a 10 000-name zone does).  The
	 * NSEC3 chain is built later: each name counts twice then, as it has
	 * an NSEC3 owner too (empty non-terminals are left out). */
	uint64_t names = (uint64_t)r->nauth * (o->nsec3 ? 2 : 1);
	uint64_t share = ((uint64_t)r->sample_permille << 32) / 10000;
	uint64_t most = names ? ((uint64_t)KEPT_SAMPLE_NAMES << 32) / names
		: share;
	share = share < most ? share : most;
	r->kept_thresh = share > UINT32_MAX ? UINT32_MAX : (uint32_t)share;
	return 0;
}

static int add_out(struct ztk_zone *z, const struct orr *x);

/* Hand a finished zone to a sink (and a cache writer), 512 nodes at a
 * time. */
int ztk_sign_emit(const struct ztk_zone *z,
	int (*sink)(void *ctx, const char *text, size_t tlen), void *ctx,
	struct ztk_sigcache_writer *cw)
{
	const struct ztk_zone_rr *rrs = ztk_zone_rrs(z);
	const struct ztk_zone_node *lists[2] = { ztk_zone_nodes(z),
		ztk_zone_nsec3_nodes(z) };
	size_t counts[2] = { ztk_zone_node_count(z), ztk_zone_nsec3_count(z) };
	struct ztk_sbuf text = { 0 };
	struct gbuf cache = { 0 };
	struct orr *v = NULL;
	size_t cap = 0;
	uint64_t pos = 0;
	int rc = 0;
	if (cw != NULL)
		(void)sigcache_writer_reserve(cw, (uint64_t)counts[0] + counts[1]);
	for (int l = 0; l < 2 && rc == 0; l++)
		for (size_t i = 0; i < counts[l] && rc == 0; i++) {
			const struct ztk_zone_node *nd = &lists[l][i];
			if (nd->count > cap) {
				size_t nc = nd->count * 2;
				struct orr *p = realloc(v, nc * sizeof(*p));
				if (p == NULL) {
					rc = ZTK_ENOMEM;
					break;
				}
				v = p;
				cap = nc;
			}
			for (uint32_t k = 0; k < nd->count; k++) {
				const struct ztk_zone_rr *x = &rrs[nd->first + k];
				v[k] = (struct orr){ nd->owner, x->rdata, x->ttl,
					x->type, x->rdlen };
			}
			int kind = l == 1 ? SC_KIND_NSEC3
				: (nd->flags & ZTK_NODE_OUT_OF_ZONE) ? SC_KIND_NONE
				: SC_KIND_NAME;
			size_t t0 = text.len;
			cache.len = 0;
			rc = sign_out_node(v, nd->count, kind, &text,
				cw != NULL ? &cache : NULL);
			if (rc == 0 && cache.len)
				rc = sigcache_writer_put(cw, cache.p, cache.len,
					pos + t0, (uint32_t)(text.len - t0));
			bool last = l == 1 && i + 1 == counts[1];
			if (rc == 0 && (i % JOB_NODES == JOB_NODES - 1 || last ||
			    (l == 0 && i + 1 == counts[0]))) {
				if (text.len)
					rc = sink(ctx, text.buf, text.len);
				pos += text.len;
				text.len = 0;
				if (text.cap)
					text.buf[0] = '\0';
			}
		}
	free(v);
	ztk_sbuf_clear(&text);
	gbuf_free(&cache);
	return rc;
}

/*
 * RFC 8976: the digest covers the signed zone, so it comes last; the
 * ZONEMD RRset is then signed and both join a copy of the zone (a finished
 * zone takes no more records).
 */
static int add_zonemd(struct run *r, struct ztk_zone **zp, struct worker *w)
{
	struct ztk_zone *z = *zp;
	uint8_t rd[6 + 64];
	size_t dl = 64;
	int rc = ztk_zonemd_compute(z, r->o->zonemd_alg, rd + 6, &dl);
	if (rc)
		return rc;
	ztk_put32(rd, ztk_get32(r->soa_rdata + r->soa_rdlen - 20));
	rd[4] = ZTK_ZONEMD_SCHEME_SIMPLE;
	rd[5] = (uint8_t)r->o->zonemd_alg;
	struct job j = { .arena = { .chunk_size = 64 * 1024 } };
	const uint8_t *owner = r->nodes[r->apex].owner;
	struct rdref ref = { rd, (uint16_t)(6 + dl), 0 };
	rc = put_rrset(w, &j, owner, r->origin_lc, r->origin_len,
		ZTK_TYPE_ZONEMD, r->soa_ttl, &ref, 1, true);
	struct ztk_zone *z2 = NULL;
	if (rc == 0)
		rc = ztk_zone_new(ztk_zone_origin(z), &z2);
	const struct ztk_zone_rr *rrs = ztk_zone_rrs(z);
	const struct ztk_zone_node *lists[2] = { ztk_zone_nodes(z),
		ztk_zone_nsec3_nodes(z) };
	size_t counts[2] = { ztk_zone_node_count(z), ztk_zone_nsec3_count(z) };
	for (int l = 0; l < 2 && rc == 0; l++)
		for (size_t i = 0; i < counts[l] && rc == 0; i++) {
			const struct ztk_zone_node *nd = &lists[l][i];
			for (uint32_t k = 0; k < nd->count && rc == 0; k++) {
				const struct ztk_zone_rr *x = &rrs[nd->first + k];
				struct orr o = { nd->owner, x->rdata, x->ttl,
					x->type, x->rdlen };
				rc = add_out(z2, &o);
			}
		}
	for (size_t k = 0; k < j.n && rc == 0; k++)
		rc = add_out(z2, &j.rrs[k]);
	if (rc == 0)
		rc = ztk_zone_finish(z2);
	ztk_arena_free(&j.arena);
	free(j.rrs);
	if (rc) {
		ztk_zone_free(z2);
		return rc;
	}
	ztk_zone_free(z);
	*zp = z2;
	return 0;
}

static int add_out(struct ztk_zone *z, const struct orr *x)
{
	struct ztk_rr rr = { .owner = x->owner, .rdata = x->rdata,
		.ttl = x->ttl, .type = x->type, .rclass = ZTK_CLASS_IN,
		.rdlen = x->rdlen, .file = "signed" };
	return ztk_zone_add(z, &rr);
}

/* The previous signatures of a drained job (and all before it) are not
 * looked at again: give their pages back while the new zone grows.  Every
 * RELEASE_JOBS jobs (about a megabyte of cache) and at the end, not after
 * each: giving pages back stops the other threads for a TLB flush, and
 * finding where to stop is a search in the index (2-4% of an incremental
 * run's time when done for every job). */
#define RELEASE_JOBS 16
static void release_cache(struct run *r, const struct job *j)
{
	if (j->last < (j->nsec3 ? r->nn3 : r->nauth) &&
	    (j->first / JOB_NODES + 1) % RELEASE_JOBS != 0)
		return;
	if (!j->nsec3) {
		sigcache_release_before(r->o->previous_cache, j->last < r->nauth ?
			r->nodes[r->auth[j->last]].owner : NULL, false);
		return;
	}
	if (j->last >= r->nn3) {
		sigcache_release_before(r->o->previous_cache, NULL, true);
		return;
	}
	if (r->n3_kept) {
		const uint8_t *o = sigcache_owner(r->pc, r->n3_cbase + j->last);
		if (o != NULL)
			sigcache_release_before(r->o->previous_cache, o, true);
		return;
	}
	uint8_t owner[1 + 32 + ZTK_DNAME_MAX];
	char label[33];
	b32hex20(r->n3[j->last].hash, label);
	owner[0] = 32;
	memcpy(owner + 1, label, 32);
	memcpy(owner + 33, r->origin_lc, r->origin_len);
	sigcache_release_before(r->o->previous_cache, owner, true);
}

/*
 * A finished job's output goes two ways, each in job order: its text to
 * the sink (and its records into the returned zone), and its nodes to
 * the next run's cache.  The two are separate streams, each taken by
 * whichever thread finds it free: on an incremental run handing over is
 * most of the work (copying the unchanged text and cache), and one thread
 * doing both would leave the other core idle at the end.
 */

/* The stream is done with job j: its part of the job's memory goes, and
 * once every stream is, the rest, and the old signatures before it. */
static void job_put(struct run *r, struct job *j)
{
	if (atomic_fetch_sub_explicit(&j->left, 1, memory_order_acq_rel) != 1)
		return;
	free(j->pieces);
	j->pieces = NULL;
	j->npieces = j->piece_cap = 0;
	/* Kept RRSIGs point into the cache until copied into the zone. */
	if (prev_from_cache(r->o))
		release_cache(r, j);
	ztk_arena_free(&j->arena);
	free(j->rrs);
	j->rrs = NULL;
}

/* Pieces [i, k) of j that are copied from one stretch of the previous
 * output; returns k and the stretch's length. */
static size_t copy_run(const struct job *j, size_t i, uint64_t *len)
{
	const struct piece *p = &j->pieces[i];
	size_t k = i + 1;
	*len = p->text_len;
	while (k < j->npieces && j->pieces[k].old == j->pieces[k - 1].old + 1 &&
	    j->pieces[k].old_off == p->old_off + *len) {
		*len += j->pieces[k].text_len;
		k++;
	}
	return k;
}

/* Text stream: runs of nodes the job made as one piece of text, runs of
 * unchanged nodes as one copy from the previous output; then the records
 * the job made into the returned zone. */
static int text_job(struct run *r, struct job *j, uint64_t *pos)
{
	const struct ztk_sign_opts *o = r->o;
	int rc = 0;
	for (size_t i = 0; i < j->npieces && rc == 0 && streaming(r);) {
		const struct piece *p = &j->pieces[i];
		size_t k = i + 1;
		uint64_t len = p->text_len;
		if (p->old == SIZE_MAX) {
			for (; k < j->npieces && j->pieces[k].old == SIZE_MAX; k++)
				len += j->pieces[k].text_len;
			if (len)
				rc = o->sink(o->sink_ctx, j->text.buf + p->text_at,
					(size_t)len);
		} else {
			k = copy_run(j, i, &len);
			rc = o->sink_copy(o->sink_ctx, sigcache_output_fd(r->pc),
				p->old_off, len);
		}
		*pos += len;
		i = k;
	}
	if (rc != 0)
		fail_why(r, "writing the signed zone failed: %s",
			ztk_strerror(rc));
	ztk_sbuf_clear(&j->text);
	for (size_t k = 0; k < j->n && rc == 0; k++)
		rc = add_out(r->z, &j->rrs[k]);
	if (rc != 0)
		fail_why(r, "building the signed zone failed: %s",
			ztk_strerror(rc));
	return rc;
}

/* Cache stream: each node made, each run of unchanged nodes copied from
 * the old cache.  A failure here only costs the next run its cache (the
 * writer remembers it; ztk-sign warns), so it does not stop signing. */
static void cache_job(struct run *r, struct job *j, uint64_t *pos)
{
	struct ztk_sigcache_writer *cw = r->o->cache_out;
	for (size_t i = 0; i < j->npieces;) {
		const struct piece *p = &j->pieces[i];
		if (p->old == SIZE_MAX) {
			if (p->node_len)
				sigcache_writer_put(cw, j->cache.p + p->node_at,
					p->node_len, *pos, (uint32_t)p->text_len);
			*pos += p->text_len;
			i++;
			continue;
		}
		uint64_t len;
		size_t k = copy_run(j, i, &len);
		sigcache_writer_copy(cw, r->pc, p->old, k - i,
			(int64_t)*pos - (int64_t)p->old_off);
		*pos += len;
		i = k;
	}
	gbuf_free(&j->cache);
}

/* Job i of the run (see struct run). */
static inline struct job *job_at(struct run *r, size_t i)
{
	return i < r->nj_nodes ? &r->jobs[i] : &r->n3jobs[i - r->nj_nodes];
}

static inline size_t jobs_now(struct run *r)
{
	return atomic_load_explicit(&r->njobs, memory_order_acquire);
}

/* Something another thread may be waiting for has happened. */
static void notify(struct run *r)
{
	atomic_fetch_add(&r->events, 1);
	if (atomic_load(&r->idlers) == 0)
		return;
	pthread_mutex_lock(&r->idle_lock);
	pthread_cond_broadcast(&r->idle_cv);
	pthread_mutex_unlock(&r->idle_lock);
}

/* Sleep until notify() (or a millisecond, to be safe) unless something
 * happened since seen. */
static void idle_wait(struct run *r, uint64_t seen)
{
	pthread_mutex_lock(&r->idle_lock);
	atomic_fetch_add(&r->idlers, 1);
	if (atomic_load(&r->events) == seen) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 1000000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&r->idle_cv, &r->idle_lock, &ts);
	}
	atomic_fetch_sub(&r->idlers, 1);
	pthread_mutex_unlock(&r->idle_lock);
}

/* Take stream s if no other thread has it and move it over every finished
 * job in turn; true if it moved. */
static bool pump(struct run *r, unsigned s)
{
	struct stream *sm = &r->st[s];
	/* (the cache's index is laid out once the NSEC3 owners are known) */
	if ((s == ST_CACHE && atomic_load_explicit(&r->n3_pending,
	    memory_order_acquire)) ||
	    atomic_load_explicit(&sm->next, memory_order_acquire) >=
	    jobs_now(r) || pthread_mutex_trylock(&sm->lock) != 0)
		return false;
	bool moved = false;
	struct timespec a, b;
	if (r->timing)
		clock_gettime(CLOCK_MONOTONIC, &a);
	size_t next = atomic_load_explicit(&sm->next, memory_order_relaxed);
	while (next < jobs_now(r) && !atomic_load(&r->failed)) {
		struct job *j = job_at(r, next);
		if (!atomic_load_explicit(&j->done, memory_order_acquire))
			break;
		if (s == ST_TEXT) {
			int rc = text_job(r, j, &sm->pos);
			if (rc != 0) {
				sm->rc = rc;
				break;
			}
		} else {
			cache_job(r, j, &sm->pos);
		}
		job_put(r, j);
		atomic_store_explicit(&sm->next, ++next, memory_order_release);
		moved = true;
	}
	if (r->timing) {
		clock_gettime(CLOCK_MONOTONIC, &b);
		sm->ns += (uint64_t)((b.tv_sec - a.tv_sec) * 1000000000ll +
			(b.tv_nsec - a.tv_nsec));
	}
	pthread_mutex_unlock(&sm->lock);
	if (moved)
		notify(r);
	return moved;
}

static bool streams_done(struct run *r)
{
	if (atomic_load_explicit(&r->n3_pending, memory_order_acquire))
		return false;
	for (unsigned s = 0; s < r->nstreams; s++)
		if (atomic_load_explicit(&r->st[s].next, memory_order_acquire) <
		    jobs_now(r))
			return false;
	return true;
}

/*
 * Every thread's loop: move the streams over what is finished (they are
 * the longest chain of work on an incremental run, so they go first),
 * else sign the next job; with no job left, help the streams to the end.
 */
static void run_jobs(struct worker *w, bool main_thread)
{
	struct run *r = w->r;
	const struct ztk_sign_opts *o = r->o;
	bool jobs_left = true;
	size_t held = SIZE_MAX;         /* a job taken before it existed */
	while (!atomic_load(&r->failed)) {
		uint64_t seen = atomic_load(&r->events);
		bool moved = false;
		for (unsigned s = 0; s < r->nstreams; s++)
			moved |= pump(r, s);
		/* The NSEC3 chain, once the names' jobs are done (or one has
		 * seen that it must be built: then at once, beside them). */
		if (r->n3_defer && atomic_load_explicit(&r->n3_pending,
		    memory_order_acquire) && !atomic_load(&r->n3_taken)) {
			bool done = atomic_load(&r->done_jobs) == r->nj_nodes;
			if (done || atomic_load(&r->n3_changed))
				n3_settle(r, done);
		}
		if (!jobs_left) {
			if (streams_done(r))
				break;
			/* the rest waits on a job or a stream another thread
			 * has */
			if (!moved)
				idle_wait(r, seen);
			continue;
		}
		size_t ji = held != SIZE_MAX ? held :
			atomic_fetch_add(&r->next_job, 1);
		held = SIZE_MAX;
		if (ji >= jobs_now(r)) {
			/* Past the names' jobs while the NSEC3 chain is still
			 * being built: the job is this thread's once it
			 * exists (pending is cleared after njobs is set). */
			if (atomic_load_explicit(&r->n3_pending,
			    memory_order_acquire)) {
				held = ji;
				if (!moved)
					idle_wait(r, seen);
				continue;
			}
			if (ji >= jobs_now(r)) {
				jobs_left = false;
				continue;
			}
		}
		struct job *j = job_at(r, ji);
		struct timespec a, b;
		if (r->timing)
			clock_gettime(CLOCK_MONOTONIC, &a);
		w->cur_set[0] = w->cur_set[1] = false;
		for (size_t i = j->first; i < j->last && j->rc == 0; i++)
			j->rc = !j->nsec3 ? do_node(w, j, i) : r->n3_kept ?
				do_nsec3_kept(w, j, i) : do_nsec3(w, j, i);
		flush_counts(w);
		if (r->timing) {
			clock_gettime(CLOCK_MONOTONIC, &b);
			atomic_fetch_add(&r->jobs_ns, (uint64_t)((b.tv_sec -
				a.tv_sec) * 1000000000ll + (b.tv_nsec - a.tv_nsec)));
		}
		if (j->rc != 0)
			fail_why(r, "signing failed: %s", ztk_strerror(j->rc));
		atomic_store_explicit(&j->done, true, memory_order_release);
		atomic_fetch_add(&r->done_jobs, 1);
		notify(r);
		if (main_thread && o->progress != NULL)
			o->progress(o->ctx, atomic_load(&r->done_jobs),
				jobs_now(r));
	}
}

/* ZTK_SIGN_TIMING set: the signer's own phases on stderr (for bench/). */
static void sign_phase(const char *what)
{
	static int on = -1;
	static struct timespec t0;
	if (on < 0) {
		on = getenv("ZTK_SIGN_TIMING") != NULL;
		clock_gettime(CLOCK_MONOTONIC, &t0);
	}
	if (!on)
		return;
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	fprintf(stderr, "ztk-sign: timing:   %-12s %.3f s\n", what,
		(double)(t.tv_sec - t0.tv_sec) +
		(double)(t.tv_nsec - t0.tv_nsec) / 1e9);
}

/* Jobs of JOB_NODES of count names (or NSEC3 entries), zeroed: NULL if
 * out of memory; *n is their number. */
static struct job *new_jobs(size_t count, bool nsec3, unsigned nstreams,
	size_t *n)
{
	*n = (count + JOB_NODES - 1) / JOB_NODES;
	struct job *v = calloc(*n ? *n : 1, sizeof(*v));
	for (size_t i = 0; v != NULL && i < *n; i++) {
		struct job *j = &v[i];
		atomic_init(&j->left, nstreams);
		j->nsec3 = nsec3;
		j->first = i * JOB_NODES;
		j->last = (i + 1) * JOB_NODES < count ? (i + 1) * JOB_NODES
			: count;
		j->arena.chunk_size = 256 * 1024;
	}
	return v;
}

/* The NSEC3 owners' jobs, once the chain is built, made visible to the
 * signing threads; the cache's index laid out for every node. */
static int add_nsec3_jobs(struct run *r)
{
	size_t n;
	if ((r->n3jobs = new_jobs(r->nn3, true, r->nstreams, &n)) == NULL)
		return ZTK_ENOMEM;
	/* One cache entry per output node at most: every input node, and
	 * the NSEC3 owners. */
	if (streaming(r) && r->o->cache_out != NULL)
		(void)sigcache_writer_reserve(r->o->cache_out,
			(uint64_t)ztk_zone_node_count(r->in) + r->nn3);
	atomic_store_explicit(&r->njobs, r->nj_nodes + n, memory_order_release);
	return 0;
}

/*
 * The NSEC3 chain of a run that could take it over (n3_defer), on the
 * first thread to get here: the previous output's when the names' jobs
 * are all done and found every name of the output there as it is now,
 * and no name gone (the cache holds no name they did not match); else
 * built (on two threads when the names' jobs are done, so that the other
 * core has work).  Then its jobs.  (Its records are checked as they are
 * taken over: do_nsec3_kept.)
 */
static void n3_settle(struct run *r, bool names_done)
{
	int no = 0;
	if (!atomic_compare_exchange_strong(&r->n3_taken, &no, 1))
		return;
	size_t b, e;
	sigcache_section(r->pc, false, &b, &e);
	int rc = 0;
	if (names_done && !atomic_load(&r->n3_changed) &&
	    atomic_load(&r->n3_matched) == e - b) {
		sigcache_section(r->pc, true, &b, &e);
		r->n3_cbase = b;
		r->nn3 = e - b;
		r->n3_kept = true;
		sign_phase("nsec3 kept");
	} else {
		rc = build_nsec3(r, names_done, &r->n3, &r->nn3);
		sign_phase("nsec3 built");
	}
	if (rc == 0)
		rc = add_nsec3_jobs(r);
	if (rc != 0) {
		r->n3_rc = rc;
		atomic_store(&r->failed, 1);
	}
	atomic_store_explicit(&r->n3_pending, 0, memory_order_release);
	notify(r);
}

int ztk_sign_zone(const struct ztk_zone *in, const struct ztk_sign_opts *o,
	struct ztk_zone **out, struct ztk_sign_stats *st, char *why,
	size_t whylen)
{
	*out = NULL;
	static struct ztk_sign_stats dummy;
	if (st == NULL)
		st = &dummy;
	memset(st, 0, sizeof(*st));
	why[0] = '\0';
	struct run r = { .in = in, .o = o, .nodes = ztk_zone_nodes(in),
		.rrs = ztk_zone_rrs(in), .why = why, .whylen = whylen };
	pthread_mutex_init(&r.why_lock, NULL);
	pthread_mutex_init(&r.n3_rescue_lock, NULL);
	for (unsigned s = 0; s < ST_MAX; s++)
		pthread_mutex_init(&r.st[s].lock, NULL);
	pthread_mutex_init(&r.idle_lock, NULL);
	pthread_cond_init(&r.idle_cv, NULL);
	r.timing = getenv("ZTK_SIGN_TIMING") != NULL;
	struct ztk_zone *z = NULL;
	unsigned nthreads = o->threads ? o->threads : 1;
	if (nthreads > ZTK_SIGN_MAX_THREADS)
		nthreads = ZTK_SIGN_MAX_THREADS;
	sign_phase("start");
	int build_rc = 0;
	int rc = prepare(&r, NULL);
	sign_phase("prepared");
	if (rc)
		goto out;
	/* With NSEC3 on more than one thread, the chain is built on this
	 * thread while the others sign the names (it is independent of
	 * them); alone, first.  When the previous output's chain might be
	 * taken over (n3_defer), the names' jobs decide (n3_settle). */
	if (o->nsec3 && r.pc != NULL) {
		size_t b, e;
		sigcache_section(r.pc, true, &b, &e);
		r.n3_defer = b < e && n3_node_ok(&r, b, b, e);
	}
	bool overlap = o->nsec3 && nthreads > 1 && ztk_may_use_threads() &&
		!r.n3_defer;
	if (o->nsec3 && !overlap && !r.n3_defer &&
	    (rc = build_nsec3(&r, true, &r.n3, &r.nn3)) != 0)
		goto out;
	r.nstreams = streaming(&r) && o->cache_out != NULL ? 2 : 1;
	if ((r.jobs = new_jobs(r.nauth, false, r.nstreams, &r.nj_nodes)) ==
	    NULL) {
		rc = ZTK_ENOMEM;
		goto out;
	}
	rc = ztk_zone_new(ztk_zone_origin(in), &z);
	if (rc)
		goto out;
	r.z = z;
	if (overlap || r.n3_defer) {
		atomic_store(&r.njobs, r.nj_nodes);
		atomic_store(&r.n3_pending, 1);
	} else if ((rc = add_nsec3_jobs(&r)) != 0) {
		goto out;
	}

	struct worker ws[ZTK_SIGN_MAX_THREADS];
	pthread_t th[ZTK_SIGN_MAX_THREADS];
	memset(ws, 0, sizeof(ws));
	unsigned started = 0;
	for (unsigned t = 0; t < nthreads; t++) {
		ws[t].r = &r;
		ws[t].tid = t;
		ws[t].min_exp = INT64_MAX;
		if (t > 0 && pthread_create(&th[t], NULL, worker_main, &ws[t]))
			break;
		started = t + 1;
	}
	if (overlap) {
		int brc = build_nsec3(&r, started < 2, &r.n3, &r.nn3);
		sign_phase("nsec3 built");
		if (brc == 0)
			brc = add_nsec3_jobs(&r);
		if (brc != 0) {
			build_rc = brc;
			atomic_store(&r.failed, 1);
		}
		atomic_store_explicit(&r.n3_pending, 0, memory_order_release);
		notify(&r);
	}
	/* The main thread signs and hands over like the others, and reports
	 * progress between its jobs. */
	run_jobs(&ws[0], true);
	sign_phase("jobs taken");
	for (unsigned t = 1; t < started; t++)
		pthread_join(th[t], NULL);
	sign_phase("joined");
	if (r.timing)
		fprintf(stderr, "ztk-sign: timing:   %-12s %.3f s (sum)\n",
			"jobs", (double)atomic_load(&r.jobs_ns) / 1e9);
	if (r.timing)
		for (unsigned s = 0; s < r.nstreams; s++)
			fprintf(stderr, "ztk-sign: timing:   %-12s %.3f s (sum)\n",
				s == ST_TEXT ? "text stream" : "cache stream",
				(double)r.st[s].ns / 1e9);
	int64_t copied_min = INT64_MAX, copied_max = 0;
	for (unsigned t = 0; t < started; t++) {
		if (ws[t].min_exp < copied_min)
			copied_min = ws[t].min_exp;
		if (ws[t].max_exp > copied_max)
			copied_max = ws[t].max_exp;
		gbuf_free(&ws[t].scratch);
		gbuf_free(&ws[t].data);
		gbuf_free(&ws[t].pscratch);
		gbuf_free(&ws[t].ptext);
		free(ws[t].whole.v);
		ws[t].whole = (struct pview){ 0 };
		free(ws[t].rds);
		free(ws[t].prds);
		free(ws[t].pv.v);
		ws[t].pv = (struct pview){ 0 };
		for (size_t k = 0; k < 64; k++)
			sig_verifier_free(&ws[t].vk[k]);
		ws[t].rds = ws[t].prds = NULL;
		ws[t].rdcap = ws[t].prdcap = 0;
	}
	if (atomic_load(&r.failed) || !streams_done(&r)) {
		rc = r.st[ST_TEXT].rc ? r.st[ST_TEXT].rc : ZTK_ECRYPTO;
		for (size_t i = 0; i < jobs_now(&r); i++)
			if (job_at(&r, i)->rc != 0)
				rc = job_at(&r, i)->rc;
		if (build_rc != 0)
			rc = build_rc;
		if (r.n3_rc != 0)
			rc = r.n3_rc;
		if (r.n3_rescue_rc != 0)
			rc = r.n3_rescue_rc;
		goto out;
	}
	sign_phase("drained");
	if (rc == 0)
		rc = ztk_zone_finish(z);
	sign_phase("zone done");
	if (rc == 0 && o->zonemd_alg) {
		rc = add_zonemd(&r, &z, &ws[0]);
		gbuf_free(&ws[0].scratch);
		gbuf_free(&ws[0].data);
		gbuf_free(&ws[0].pscratch);
		free(ws[0].rds);
		free(ws[0].prds);
		free(ws[0].pv.v);
		for (size_t k = 0; k < 64; k++)
			sig_verifier_free(&ws[0].vk[k]);
	}
	if (rc)
		goto out;

	st->rrsets_signed = atomic_load(&r.rrsets);
	st->signatures = atomic_load(&r.sigs);
	st->kept = atomic_load(&r.kept);
	st->verified = atomic_load(&r.verified);
	st->denial_records = atomic_load(&r.denial);
	st->dropped_zonemd = atomic_load(&r.zonemd_dropped);
	st->serial_before = r.serial_base;
	st->serial_after = ztk_get32(r.soa_rdata + r.soa_rdlen - 20);
	/* Kept signatures may expire before new ones: look at them all. */
	st->nodes_copied = atomic_load(&r.copied);
	st->nsec3_chain_kept = r.n3_kept && !r.n3_rescued;
	st->earliest_expiry = copied_min;
	st->latest_expiry = copied_max;
	{
		const struct ztk_zone_rr *zr = ztk_zone_rrs(z);
		for (size_t i = 0; i < ztk_zone_rr_count(z); i++) {
			if (zr[i].type != ZTK_TYPE_RRSIG || zr[i].rdlen < 12)
				continue;
			int64_t e = rrsig_time(ztk_get32(zr[i].rdata + 8),
				o->now);
			if (e < st->earliest_expiry)
				st->earliest_expiry = e;
			if (e > st->latest_expiry)
				st->latest_expiry = e;
		}
	}
	for (size_t i = 0; i < ztk_zone_node_count(in); i++)
		if (r.nodes[i].flags & ZTK_NODE_OUT_OF_ZONE)
			st->dropped_out_of_zone += r.nodes[i].count;
	*out = z;
	z = NULL;
out:
	if (r.jobs != NULL)
		for (size_t i = 0; i < jobs_now(&r); i++) {
			struct job *j = job_at(&r, i);
			ztk_arena_free(&j->arena);
			free(j->rrs);
			ztk_sbuf_clear(&j->text);
			gbuf_free(&j->cache);
			free(j->pieces);
		}
	free(r.jobs);
	free(r.n3jobs);
	free(r.auth);
	free(r.tags);
	free(r.dnskeys);
	free(r.n3);
	free(r.n3b);
	ztk_arena_free(&r.n3arena);
	ztk_arena_free(&r.n3arena2);
	pthread_mutex_destroy(&r.why_lock);
	pthread_mutex_destroy(&r.n3_rescue_lock);
	for (unsigned s = 0; s < ST_MAX; s++)
		pthread_mutex_destroy(&r.st[s].lock);
	pthread_mutex_destroy(&r.idle_lock);
	pthread_cond_destroy(&r.idle_cv);
	ztk_zone_free(z);
	if (rc != 0 && why[0] == '\0')
		snprintf(why, whylen, "%s", ztk_strerror(rc));
	return rc;
}
