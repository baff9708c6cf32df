/*
 * test_iterate.c - the iterative resolver against a small hierarchy of
 * authoritative responders in threads of this test, on 127.77.0.N (all of
 * 127/8 is loopback) and one random port, UDP only.  Each responder serves
 * zones from a table like a tiny authoritative server: referrals with glue
 * from its own zone, AA answers, NODATA, NXDOMAIN.  Some misbehave: silent,
 * REFUSED, answers without AA, referrals up or sideways, glue for names
 * outside their zone, referrals to a zone they do not hold (a loop), a
 * poisoning attempt in the authority section.  A barrier responder checks
 * that ztk_iter_query_many() really asks at once (it answers nothing until
 * every question has arrived), without measuring any time.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <ztk/dname.h>
#include <ztk/error.h>
#include <ztk/iterate.h>
#include <ztk/msg.h>
#include <ztk/rrtype.h>
#include "tap.h"

/* --- zone tables --------------------------------------------------------- */

struct rec {
	const char *owner;
	uint16_t type;
	const char *data;       /* A/AAAA address, or a name */
};

struct zone {
	const char *origin;
	const struct rec *recs;
};

enum behave { AUTH, SILENT, REFUSE, NO_AA, UP_REFERRAL, POISON, BARRIER };

struct srv {
	int id;                 /* 127.77.0.id; 0: ::1 */
	const struct zone *zones[4];
	enum behave how;
	/* extra additional records put into every referral (hostile glue) */
	const struct rec *extra;
	int fd, stop[2];
	pthread_t th;
	atomic_uint queries;
	unsigned barrier;       /* BARRIER: answer after this many */
};

static uint16_t port;

static void parse(const char *text, uint8_t *out)
{
	static const uint8_t root[1] = { 0 };
	const char *why;
	if (ztk_dname_parse(text, strlen(text), root, out, &why) < 0)
		abort();
	ztk_dname_to_lower(out);
}

struct wb {
	uint8_t b[4096];
	size_t n;
	unsigned count;
};

static void put(struct wb *w, const void *p, size_t n)
{
	if (w->n + n > sizeof(w->b))
		abort();
	memcpy(w->b + w->n, p, n);
	w->n += n;
}

static void u16(struct wb *w, unsigned v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	put(w, b, 2);
}

static void add_rr(struct wb *w, const struct rec *r)
{
	uint8_t on[ZTK_DNAME_MAX], rd[ZTK_DNAME_MAX];
	size_t rl;
	parse(r->owner, on);
	if (r->type == ZTK_TYPE_A) {
		inet_pton(AF_INET, r->data, rd);
		rl = 4;
	} else if (r->type == ZTK_TYPE_AAAA) {
		inet_pton(AF_INET6, r->data, rd);
		rl = 16;
	} else {
		parse(r->data, rd);
		rl = ztk_dname_len(rd);
	}
	put(w, on, ztk_dname_len(on));
	u16(w, r->type);
	u16(w, ZTK_CLASS_IN);
	u16(w, 0);
	u16(w, 300);
	u16(w, (unsigned)rl);
	put(w, rd, rl);
	w->count++;
}

static bool name_eq(const char *text, const uint8_t *wire)
{
	uint8_t n[ZTK_DNAME_MAX];
	parse(text, n);
	return ztk_dname_equal(n, wire);
}

static bool name_under(const uint8_t *wire, const char *text)
{
	uint8_t n[ZTK_DNAME_MAX];
	parse(text, n);
	return ztk_dname_is_subdomain(wire, n);
}

/* The answer of server s to q, like an authoritative server would. */
static size_t respond(struct srv *s, const struct ztk_msg *q, uint8_t *out)
{
	const uint8_t *qn;
	uint16_t qt;
	ztk_msg_question(q, &qn, &qt, NULL);
	struct wb an = { 0 }, ns = { 0 }, ar = { 0 };
	unsigned flags = ZTK_MSG_QR | ZTK_MSG_AA, rcode = 0;
	const struct zone *z = NULL;
	for (int i = 0; i < 4 && s->zones[i]; i++)
		if (name_under(qn, s->zones[i]->origin) && (z == NULL ||
		    strlen(s->zones[i]->origin) > strlen(z->origin)))
			z = s->zones[i];
	if (z == NULL || s->how == REFUSE) {
		flags &= ~ZTK_MSG_AA;
		rcode = ZTK_RCODE_REFUSED;
		goto send;
	}
	if (s->how == UP_REFERRAL) {
		/* lame: points back at the root */
		struct rec up = { ".", ZTK_TYPE_NS, "a.root." };
		add_rr(&ns, &up);
		flags &= ~ZTK_MSG_AA;
		goto send;
	}
	/* the deepest delegation at or above qname (not the apex) */
	const char *cut = NULL;
	for (const struct rec *r = z->recs; r->owner; r++)
		if (r->type == ZTK_TYPE_NS && strcmp(r->owner, z->origin) != 0 &&
		    name_under(qn, r->owner) && !(qt == ZTK_TYPE_DS &&
		    name_eq(r->owner, qn)) && (cut == NULL ||
		    strlen(r->owner) > strlen(cut)))
			cut = r->owner;
	if (cut) {
		flags &= ~ZTK_MSG_AA;
		for (const struct rec *r = z->recs; r->owner; r++)
			if (r->type == ZTK_TYPE_NS && strcmp(r->owner, cut) == 0) {
				add_rr(&ns, r);
				for (const struct rec *g = z->recs; g->owner; g++)
					if ((g->type == ZTK_TYPE_A ||
					     g->type == ZTK_TYPE_AAAA) &&
					    strcmp(g->owner, r->data) == 0)
						add_rr(&ar, g);
			}
		for (const struct rec *r = s->extra; r && r->owner; r++)
			add_rr(r->type == ZTK_TYPE_NS ? &ns : &ar, r);
		goto send;
	}
	bool exists = false;
	for (const struct rec *r = z->recs; r->owner; r++) {
		if (!name_eq(r->owner, qn))
			continue;
		exists = true;
		if (r->type == qt || (r->type == ZTK_TYPE_CNAME &&
		    qt != ZTK_TYPE_CNAME))
			add_rr(&an, r);
	}
	if (s->how == POISON) {
		/* a bogus delegation of an unrelated name with glue */
		struct rec p1 = { "victim.", ZTK_TYPE_NS, "ns.victim." };
		struct rec p2 = { "ns.victim.", ZTK_TYPE_A, "127.77.0.66" };
		add_rr(&ns, &p1);
		add_rr(&ar, &p2);
	}
	if (!exists) {
		rcode = ZTK_RCODE_NXDOMAIN;
		/* an ENT under the zone is not modelled: names exist or not */
	}
	if (s->how == NO_AA)
		flags &= ~ZTK_MSG_AA;
send:;
	struct wb w = { 0 };
	u16(&w, ztk_msg_header(q)->id);
	u16(&w, flags | rcode);
	u16(&w, 1);
	u16(&w, an.count);
	u16(&w, ns.count);
	u16(&w, ar.count);
	put(&w, qn, ztk_dname_len(qn));
	u16(&w, qt);
	u16(&w, ZTK_CLASS_IN);
	put(&w, an.b, an.n);
	put(&w, ns.b, ns.n);
	put(&w, ar.b, ar.n);
	memcpy(out, w.b, w.n);
	return w.n;
}

struct pending {
	struct sockaddr_storage from;
	uint8_t q[512];
	size_t n;
};

static void *serve(void *arg)
{
	struct srv *s = arg;
	struct pending held[16];
	unsigned nheld = 0;
	for (;;) {
		struct pollfd p[2] = { { .fd = s->stop[0], .events = POLLIN },
			{ .fd = s->fd, .events = POLLIN } };
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			return NULL;
		if (p[0].revents)
			return NULL;
		if (!(p[1].revents & POLLIN))
			continue;
		uint8_t buf[512], out[4096];
		struct sockaddr_storage from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(s->fd, buf, sizeof(buf), 0,
			(struct sockaddr *)&from, &fl);
		if (n <= 0)
			continue;
		s->queries++;
		if (s->how == SILENT)
			continue;
		if (s->how == BARRIER) {
			if (nheld < 16) {
				held[nheld].from = from;
				memcpy(held[nheld].q, buf, (size_t)n);
				held[nheld++].n = (size_t)n;
			}
			if (nheld < s->barrier)
				continue;
			for (unsigned i = 0; i < nheld; i++) {
				struct ztk_msg *q;
				if (ztk_msg_parse(held[i].q, held[i].n, NULL, &q,
					NULL, 0))
					continue;
				size_t len = respond(s, q, out);
				sendto(s->fd, out, len, 0, (struct sockaddr *)
					&held[i].from, held[i].from.ss_family ==
					AF_INET ? sizeof(struct sockaddr_in) :
					sizeof(struct sockaddr_in6));
				ztk_msg_free(q);
			}
			nheld = 0;
			continue;
		}
		struct ztk_msg *q;
		if (ztk_msg_parse(buf, (size_t)n, NULL, &q, NULL, 0))
			continue;
		size_t len = respond(s, q, out);
		sendto(s->fd, out, len, 0, (struct sockaddr *)&from, fl);
		ztk_msg_free(q);
	}
}

static int bind_at(int id, uint16_t want)
{
	if (id == 0) {
		int fd6 = socket(AF_INET6, SOCK_DGRAM, 0);
		struct sockaddr_in6 a6 = { .sin6_family = AF_INET6,
			.sin6_port = htons(want), .sin6_addr = IN6ADDR_LOOPBACK_INIT };
		if (fd6 < 0 || bind(fd6, (struct sockaddr *)&a6, sizeof(a6)) != 0) {
			if (fd6 >= 0)
				close(fd6);
			return -1;
		}
		return fd6;
	}
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(want) };
	a.sin_addr.s_addr = htonl(0x7f4d0000u | (unsigned)id);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static bool start_v6(struct srv *s)
{
	s->fd = bind_at(0, port);
	if (s->fd < 0 || pipe(s->stop) != 0)
		return false;
	s->queries = 0;
	pthread_create(&s->th, NULL, serve, s);
	return true;
}

static void start(struct srv *s)
{
	s->fd = bind_at(s->id, port);
	if (s->fd < 0 || pipe(s->stop) != 0) {
		fprintf(stderr, "cannot bind 127.77.0.%d#%u\n", s->id, port);
		exit(99);
	}
	s->queries = 0;
	pthread_create(&s->th, NULL, serve, s);
}

static void stop(struct srv *s)
{
	if (write(s->stop[1], "x", 1) < 0)
		abort();
	pthread_join(s->th, NULL);
	close(s->fd);
	close(s->stop[0]);
	close(s->stop[1]);
}

/* A free port on 127.77.0.1 (the others share it). */
static uint16_t pick_port(void)
{
	int fd = bind_at(1, 0);
	struct sockaddr_in a;
	socklen_t l = sizeof(a);
	getsockname(fd, (struct sockaddr *)&a, &l);
	close(fd);
	return ntohs(a.sin_port);
}

static struct ztk_server addr(int id)
{
	struct ztk_server s;
	uint8_t a[4] = { 127, 77, 0, (uint8_t)id };
	ztk_server_from_addr(a, 4, port, &s);
	return s;
}

/* --- the hierarchy ------------------------------------------------------- */

static const struct rec root_recs[] = {
	{ ".", ZTK_TYPE_NS, "a.root." },
	{ "a.root.", ZTK_TYPE_A, "127.77.0.1" },
	{ "tld.", ZTK_TYPE_NS, "ns1.tld." },
	{ "tld.", ZTK_TYPE_NS, "ns2.tld." },
	{ "ns1.tld.", ZTK_TYPE_A, "127.77.0.2" },
	{ "ns2.tld.", ZTK_TYPE_A, "127.77.0.3" },
	{ "other.", ZTK_TYPE_NS, "ns.other." },
	{ "ns.other.", ZTK_TYPE_A, "127.77.0.5" },
	{ "lame.", ZTK_TYPE_NS, "ns.lame." },
	{ "ns.lame.", ZTK_TYPE_A, "127.77.0.7" },
	{ "loop.", ZTK_TYPE_NS, "ns.loop." },
	{ "ns.loop.", ZTK_TYPE_A, "127.77.0.8" },
	{ "dead.", ZTK_TYPE_NS, "ns.dead." },
	{ "ns.dead.", ZTK_TYPE_A, "127.77.0.9" },
	{ "poison.", ZTK_TYPE_NS, "ns.poison." },
	{ "ns.poison.", ZTK_TYPE_A, "127.77.0.10" },
	{ "six.", ZTK_TYPE_NS, "ns.six." },
	{ "ns.six.", ZTK_TYPE_AAAA, "::1" },
	{ NULL, 0, NULL },
};
static const struct zone root_zone = { ".", root_recs };

static const struct rec tld_recs[] = {
	{ "tld.", ZTK_TYPE_NS, "ns1.tld." },
	{ "www.tld.", ZTK_TYPE_A, "192.0.2.1" },
	{ "www.tld.", ZTK_TYPE_AAAA, "2001:db8::1" },
	{ "alias.tld.", ZTK_TYPE_CNAME, "web.other." },
	{ "loop1.tld.", ZTK_TYPE_CNAME, "loop2.tld." },
	{ "loop2.tld.", ZTK_TYPE_CNAME, "loop1.tld." },
	/* glue for ns.other. is outside tld.: must be ignored */
	{ "child.tld.", ZTK_TYPE_NS, "ns.other." },
	{ "ns.other.", ZTK_TYPE_A, "127.77.0.66" },
	{ "sub.tld.", ZTK_TYPE_NS, "ns.sub.tld." },
	{ "ns.sub.tld.", ZTK_TYPE_A, "127.77.0.4" },
	{ NULL, 0, NULL },
};
static const struct zone tld_zone = { "tld.", tld_recs };

static const struct rec sub_recs[] = {
	{ "sub.tld.", ZTK_TYPE_NS, "ns.sub.tld." },
	{ "host.sub.tld.", ZTK_TYPE_A, "192.0.2.4" },
	{ NULL, 0, NULL },
};
static const struct zone sub_zone = { "sub.tld.", sub_recs };

static const struct rec other_recs[] = {
	{ "other.", ZTK_TYPE_NS, "ns.other." },
	{ "ns.other.", ZTK_TYPE_A, "127.77.0.5" },
	{ "web.other.", ZTK_TYPE_A, "192.0.2.5" },
	{ NULL, 0, NULL },
};
static const struct zone other_zone = { "other.", other_recs };

/* child.tld. is served by ns.other. = 127.77.0.5 */
static const struct rec child_recs[] = {
	{ "child.tld.", ZTK_TYPE_NS, "ns.other." },
	{ "www.child.tld.", ZTK_TYPE_A, "192.0.2.6" },
	{ NULL, 0, NULL },
};
static const struct zone child_zone = { "child.tld.", child_recs };

static const struct rec lame_recs[] = {
	{ "lame.", ZTK_TYPE_NS, "ns.lame." },
	{ "www.lame.", ZTK_TYPE_A, "192.0.2.7" },
	{ NULL, 0, NULL },
};
static const struct zone lame_zone = { "lame.", lame_recs };

/* loop. refers down to deep.loop. at itself: the server then answers
 * for deep.loop. with the same referral (it does not hold deep.loop.) */
static const struct rec loop_recs[] = {
	{ "loop.", ZTK_TYPE_NS, "ns.loop." },
	{ "deep.loop.", ZTK_TYPE_NS, "ns.loop." },
	{ "ns.loop.", ZTK_TYPE_A, "127.77.0.8" },
	{ NULL, 0, NULL },
};
static const struct zone loop_zone = { "loop.", loop_recs };

static const struct rec poison_recs[] = {
	{ "poison.", ZTK_TYPE_NS, "ns.poison." },
	{ "www.poison.", ZTK_TYPE_A, "192.0.2.10" },
	{ NULL, 0, NULL },
};
static const struct zone poison_zone = { "poison.", poison_recs };

/* six. is served on ::1 only (AAAA glue) */
static const struct rec six_recs[] = {
	{ "six.", ZTK_TYPE_NS, "ns.six." },
	{ "www.six.", ZTK_TYPE_A, "192.0.2.60" },
	{ NULL, 0, NULL },
};
static const struct zone six_zone = { "six.", six_recs };

/* a hostile extra in tld.'s referrals: a delegation of the root itself
 * and an address for a.root. */
static const struct rec hostile_extra[] = {
	{ "a.root.", ZTK_TYPE_A, "127.77.0.66" },
	{ NULL, 0, NULL },
};

static struct srv S[] = {
	{ .id = 1, .zones = { &root_zone } },
	{ .id = 2, .zones = { &tld_zone }, .extra = hostile_extra },
	{ .id = 3, .zones = { &tld_zone } },
	{ .id = 4, .zones = { &sub_zone } },
	{ .id = 5, .zones = { &other_zone, &child_zone } },
	{ .id = 7, .zones = { &lame_zone }, .how = UP_REFERRAL },
	{ .id = 8, .zones = { &loop_zone } },
	{ .id = 9, .zones = { &lame_zone }, .how = SILENT },
	{ .id = 10, .zones = { &poison_zone }, .how = POISON },
	{ .id = 66, .zones = { &root_zone }, .how = REFUSE },
};
#define NS_ (sizeof(S) / sizeof(S[0]))

static struct srv *srv(int id)
{
	for (size_t i = 0; i < NS_; i++)
		if (S[i].id == id)
			return &S[i];
	abort();
}

static struct ztk_iter *new_iter(unsigned deadline_ms)
{
	struct ztk_iter_opts o = { .deadline_ms = deadline_ms,
		.timeout_ms = 200, .tries = 1, .no_ipv6 = true, .port = port };
	struct ztk_iter *it;
	if (ztk_iter_new(&o, &it) != 0)
		abort();
	struct ztk_server r = addr(1);
	static const uint8_t root[1] = { 0 };
	ztk_iter_set_top(it, root, &r, 1);
	return it;
}

static int resolve(struct ztk_iter *it, const char *name, uint16_t type,
	struct ztk_iter_result *res)
{
	uint8_t n[ZTK_DNAME_MAX];
	parse(name, n);
	return ztk_iter_resolve(it, n, type, res);
}

/* The first answer record of type in the last hop, as text. */
static const char *first_addr(const struct ztk_iter_result *res, char *buf)
{
	buf[0] = '\0';
	if (res->nhops == 0)
		return buf;
	const struct ztk_msg_rr *an;
	size_t n = ztk_msg_rrs(res->hops[res->nhops - 1].msg,
		ZTK_SECTION_ANSWER, &an);
	for (size_t i = 0; i < n; i++)
		if (an[i].rr.type == ZTK_TYPE_A) {
			inet_ntop(AF_INET, an[i].rr.rdata, buf, 64);
			break;
		}
	return buf;
}

static bool knows(struct ztk_iter *it, const char *zone, int id)
{
	uint8_t z[ZTK_DNAME_MAX];
	parse(zone, z);
	struct ztk_server s[ZTK_ITER_MAX_SERVERS];
	size_t n = ztk_iter_zone_servers(it, z, s, ZTK_ITER_MAX_SERVERS);
	for (size_t i = 0; i < n; i++)
		if (s[i].addr[3] == id && s[i].addr[0] == 127)
			return true;
	return false;
}

static void zone_is(const struct ztk_iter_hop *h, const char *want,
	const char *what)
{
	char t[ZTK_DNAME_TEXT_MAX];
	ztk_dname_print(h->zone, t);
	if (!ok(strcmp(t, want) == 0, "%s: answered by zone %s", what, want))
		printf("#   got %s\n", t);
}

int main(void)
{
	port = pick_port();
	for (size_t i = 0; i < NS_; i++)
		start(&S[i]);
	char buf[64];
	struct ztk_iter_result res;
	int rc;

	/* 1. referral with in-bailiwick glue, then the answer */
	struct ztk_iter *it = new_iter(5000);
	rc = resolve(it, "www.tld.", ZTK_TYPE_A, &res);
	is_int(rc, 0, "www.tld. A resolves (%s)", res.reason);
	is_int(res.nhops, 1, "one hop");
	is_int(res.hops[0].kind, ZTK_ITER_ANSWER, "an answer");
	zone_is(&res.hops[0], "tld.", "www.tld. A");
	is_str(first_addr(&res, buf), "192.0.2.1", "the address of www.tld.");
	is_int(res.referrals, 1, "one referral");
	ok(knows(it, "tld.", 2) && knows(it, "tld.", 3), "both servers of tld. "
		"learned from glue");
	ok(!knows(it, ".", 66), "the out-of-zone address for a.root. in tld.'s "
		"referral did not replace the root's server");
	ztk_iter_result_clear(&res);

	/* 2. NXDOMAIN and NODATA are answers too */
	rc = resolve(it, "nope.tld.", ZTK_TYPE_A, &res);
	is_int(rc, 0, "nope.tld. resolves");
	is_int(res.hops[0].kind, ZTK_ITER_NXDOMAIN, "as NXDOMAIN");
	ztk_iter_result_clear(&res);
	rc = resolve(it, "www.tld.", ZTK_TYPE_MX, &res);
	is_int(rc, 0, "www.tld. MX resolves");
	is_int(res.hops[0].kind, ZTK_ITER_NODATA, "as NODATA");
	ztk_iter_result_clear(&res);

	/* 3. glue outside the referring zone is ignored: ns.other. is looked
	 * up from the root instead (glueless), 127.77.0.66 is never asked */
	unsigned q66 = srv(66)->queries;
	rc = resolve(it, "www.child.tld.", ZTK_TYPE_A, &res);
	is_int(rc, 0, "www.child.tld. resolves through a glueless delegation "
		"(%s)", res.reason);
	is_str(first_addr(&res, buf), "192.0.2.6", "with the child's address");
	zone_is(&res.hops[0], "child.tld.", "www.child.tld. A");
	is_int(srv(66)->queries, q66, "the out-of-bailiwick glue address got "
		"no query");
	ok(knows(it, "child.tld.", 5) && !knows(it, "child.tld.", 66),
		"child.tld. is served by ns.other.'s real address only");
	ok(knows(it, "other.", 5), "other. was learned on the way");
	ztk_iter_result_clear(&res);

	/* 4. DS is asked of the parent, even when the child is known */
	rc = resolve(it, "child.tld.", ZTK_TYPE_DS, &res);
	is_int(rc, 0, "child.tld. DS resolves");
	zone_is(&res.hops[0], "tld.", "child.tld. DS");
	ztk_iter_result_clear(&res);

	/* 5. a CNAME into another zone is followed */
	rc = resolve(it, "alias.tld.", ZTK_TYPE_A, &res);
	is_int(rc, 0, "alias.tld. A resolves");
	is_int(res.nhops, 2, "in two hops");
	is_int(res.hops[0].kind, ZTK_ITER_CNAME, "the first is the CNAME");
	zone_is(&res.hops[1], "other.", "the CNAME target");
	is_str(first_addr(&res, buf), "192.0.2.5", "with the target's address");
	ztk_iter_result_clear(&res);
	rc = resolve(it, "alias.tld.", ZTK_TYPE_CNAME, &res);
	is_int(res.nhops, 1, "a CNAME question is not followed");
	ztk_iter_result_clear(&res);

	/* 6. a CNAME loop is a limit */
	rc = resolve(it, "loop1.tld.", ZTK_TYPE_A, &res);
	is_int(rc, ZTK_ELIMIT, "a CNAME loop stops");
	ok(strstr(res.reason, "CNAME loop") != NULL, "and says so: %s",
		res.reason);
	ztk_iter_result_clear(&res);

	/* 7. deeper delegation, glue in the child's own zone */
	rc = resolve(it, "host.sub.tld.", ZTK_TYPE_A, &res);
	is_int(rc, 0, "host.sub.tld. resolves");
	zone_is(&res.hops[0], "sub.tld.", "host.sub.tld.");
	ztk_iter_result_clear(&res);
	ztk_iter_free(it);

	/* 8. failover: the first server of tld. is silent, the second
	 * answers; a lame (upward-referring) server is an error naming it */
	srv(2)->how = SILENT;
	it = new_iter(5000);
	rc = resolve(it, "www.tld.", ZTK_TYPE_A, &res);
	is_int(rc, 0, "www.tld. resolves with one silent server (%s)",
		res.reason);
	ok(srv(2)->queries > 0 && srv(3)->queries > 0, "both servers were asked");
	ztk_iter_result_clear(&res);
	srv(2)->how = AUTH;
	srv(3)->how = REFUSE;
	srv(2)->how = NO_AA;
	rc = resolve(it, "www.tld.", ZTK_TYPE_A, &res);
	is_int(rc, ZTK_ENET, "no authoritative server left for tld.");
	ok(strstr(res.reason, "REFUSED") || strstr(res.reason, "AA"),
		"the reason says why: %s", res.reason);
	ztk_iter_result_clear(&res);
	srv(2)->how = AUTH;
	srv(3)->how = AUTH;
	rc = resolve(it, "www.lame.", ZTK_TYPE_A, &res);
	is_int(rc, ZTK_ENET, "a zone whose only server refers upwards fails");
	ok(strstr(res.reason, "127.77.0.7") != NULL && strstr(res.reason,
		"lame") != NULL, "naming the lame server: %s", res.reason);
	ztk_iter_result_clear(&res);

	/* 9. a referral to a zone the server itself does not hold, over and
	 * over: stops at the referral limit, not in a loop */
	rc = resolve(it, "www.deep.loop.", ZTK_TYPE_A, &res);
	is_int(rc, ZTK_ENET, "a server referring to the zone it was asked as "
		"that zone is lame, not a loop (%s)", res.reason);
	ok(strstr(res.reason, "lame") != NULL, "and called lame");
	ok(res.queries < 20, "after few queries (%u)", res.queries);
	ztk_iter_result_clear(&res);

	/* 10. poisoning: an answer with a delegation of an unrelated name
	 * and glue for it; nothing of it is remembered */
	rc = resolve(it, "www.poison.", ZTK_TYPE_A, &res);
	is_int(rc, 0, "www.poison. resolves");
	ok(!knows(it, "victim.", 66), "the unrelated delegation was not "
		"remembered");
	ztk_iter_result_clear(&res);
	ztk_iter_free(it);

	/* 11. the deadline: the only server of dead. never answers */
	it = new_iter(600);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = resolve(it, "www.dead.", ZTK_TYPE_A, &res);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) /
		1000000;
	is_int(rc, ZTK_ETIMEDOUT, "a silent zone times out");
	ok(strstr(res.reason, "127.77.0.9") != NULL, "naming the server: %s",
		res.reason);
	ok(ms < 600 + 2000, "within the deadline (with slack for a loaded "
		"machine): %ld ms", ms);
	ztk_iter_result_clear(&res);
	ztk_iter_free(it);

	/* 12. limits: one referral allowed is not enough for sub.tld. */
	struct ztk_iter_opts lo = { .timeout_ms = 200, .tries = 1,
		.no_ipv6 = true, .port = port, .max_referrals = 1 };
	ztk_iter_new(&lo, &it);
	struct ztk_server r1 = addr(1);
	static const uint8_t root[1] = { 0 };
	ztk_iter_set_top(it, root, &r1, 1);
	rc = resolve(it, "host.sub.tld.", ZTK_TYPE_A, &res);
	is_int(rc, ZTK_ELIMIT, "the referral limit holds");
	ztk_iter_result_clear(&res);
	/* a name outside the top */
	uint8_t top2[ZTK_DNAME_MAX];
	parse("tld.", top2);
	struct ztk_server r2 = addr(2);
	ztk_iter_set_top(it, top2, &r2, 1);
	rc = resolve(it, "www.other.", ZTK_TYPE_A, &res);
	is_int(rc, ZTK_EINVAL, "a name outside the top zone is refused");
	rc = resolve(it, "www.tld.", ZTK_TYPE_A, &res);
	is_int(rc, 0, "a walk may start below the root");
	ztk_iter_result_clear(&res);
	ztk_iter_free(it);

	/* 13. independent questions go out at once: the barrier server
	 * answers none of 6 until all 6 have arrived (one at a time, the
	 * first would wait in vain) */
	struct srv bar = { .id = 20, .zones = { &tld_zone }, .how = BARRIER,
		.barrier = 6 };
	start(&bar);
	struct ztk_iter_opts bo = { .deadline_ms = 8000, .timeout_ms = 4000,
		.tries = 1, .no_ipv6 = true, .port = port };
	ztk_iter_new(&bo, &it);
	struct ztk_server bs = addr(20);
	struct ztk_iter_job jobs[6];
	uint8_t qn[ZTK_DNAME_MAX];
	parse("www.tld.", qn);
	for (int i = 0; i < 6; i++)
		jobs[i] = (struct ztk_iter_job){ .servers = &bs, .nservers = 1,
			.qname = qn, .qtype = i % 2 ? ZTK_TYPE_A : ZTK_TYPE_AAAA };
	ztk_iter_query_many(it, jobs, 6);
	int good = 0;
	for (int i = 0; i < 6; i++) {
		good += jobs[i].rc == 0;
		ztk_msg_free(jobs[i].msg);
	}
	is_int(good, 6, "all 6 parallel questions were answered");
	ztk_iter_free(it);
	stop(&bar);

	/* 14. root hints through the zone scanner */
	char hp[] = "/tmp/ztk-hints-XXXXXX";
	int hf = mkstemp(hp);
	const char *hints = ".  3600000 NS A.ROOT.\nA.ROOT. 3600000 A 127.77.0.1\n"
		"A.ROOT. 3600000 AAAA ::1\nB.ROOT. 3600000 A 127.77.0.66\n";
	if (write(hf, hints, strlen(hints)) < 0)
		abort();
	close(hf);
	struct ztk_iter_opts ho = { .no_ipv6 = true, .port = port,
		.timeout_ms = 200 };
	ztk_iter_new(&ho, &it);
	char why[300] = "";
	rc = ztk_iter_load_hints(it, hp, why, sizeof(why));
	is_int(rc, 0, "root hints load (%s)", why);
	ok(knows(it, ".", 1) && !knows(it, ".", 66), "only addresses of the "
		"root's NS names are used");
	rc = resolve(it, "www.tld.", ZTK_TYPE_A, &res);
	is_int(rc, 0, "and the walk starts from them");
	ztk_iter_result_clear(&res);
	hf = open(hp, O_WRONLY | O_TRUNC);
	if (write(hf, "bad line here\n", 14) < 0)
		abort();
	close(hf);
	rc = ztk_iter_load_hints(it, hp, why, sizeof(why));
	ok(rc != 0 && strstr(why, ":1:") != NULL, "a bad hints file names "
		"file:line: %s", why);
	unlink(hp);
	ztk_iter_free(it);

	/* 15. IPv6: six. has only an AAAA glue address, ::1 */
	struct srv six = { .id = 0, .zones = { &six_zone } };
	if (start_v6(&six)) {
		struct ztk_iter_opts o6 = { .timeout_ms = 300, .tries = 1,
			.port = port };
		ztk_iter_new(&o6, &it);
		ztk_iter_set_top(it, root, &r1, 1);
		rc = resolve(it, "www.six.", ZTK_TYPE_A, &res);
		is_int(rc, 0, "a zone served over IPv6 only resolves (%s)",
			res.reason);
		ok(rc == 0 && res.hops[0].server.family == 6, "and was answered "
			"over IPv6");
		ok(six.queries > 0, "by the server on ::1");
		ztk_iter_result_clear(&res);
		ztk_iter_free(it);
		o6.no_ipv6 = true;
		ztk_iter_new(&o6, &it);
		ztk_iter_set_top(it, root, &r1, 1);
		rc = resolve(it, "www.six.", ZTK_TYPE_A, &res);
		is_int(rc, ZTK_ENET, "without IPv6 it has no usable address");
		ok(strstr(res.reason, "no usable address") != NULL, "and says so: "
			"%s", res.reason);
		ztk_iter_result_clear(&res);
		ztk_iter_free(it);
		stop(&six);
	} else {
		printf("# no ::1 on this machine: IPv6 checks skipped\n");
	}

	for (size_t i = 0; i < NS_; i++)
		stop(&S[i]);
	return done_testing();
}
