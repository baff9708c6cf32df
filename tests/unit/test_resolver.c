/*
 * test_resolver.c - ztk_resolver_query() against tiny responders running in
 * threads of this test, on 127.0.0.1 and ::1 only (random ports, UDP and
 * TCP on the same port number).  Each responder misbehaves in one way: a
 * wrong ID first, an answer from another port, TC to force TCP, silence,
 * SERVFAIL, garbage.  Time is measured only to check that the deadline is
 * honoured (with slack for a loaded machine or valgrind), never for speed.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <ztk/dname.h>
#include <ztk/error.h>
#include <ztk/msg.h>
#include <ztk/resolver.h>
#include <ztk/rrtype.h>
#include "tap.h"

enum behave {
	GOOD,                   /* answer at once, UDP and TCP */
	WRONG_ID_FIRST,         /* an answer with another ID, then the right */
	WRONG_ID_ONLY,          /* answers with another ID only */
	OTHER_PORT_FIRST,       /* an answer from another port, then right */
	OTHER_PORT_ONLY,        /* answers only from another port */
	WRONG_QUESTION_FIRST,   /* the question changed, then right */
	NOT_QR_FIRST,           /* QR clear, then right */
	GARBAGE_FIRST,          /* a malformed answer with our ID, then right */
	TRUNCATE,               /* TC over UDP, 200 records over TCP */
	SILENT,                 /* reads queries, never answers */
	SERVFAIL,               /* RCODE 2 */
	TCP_BAD_ID,             /* TC over UDP, wrong ID over TCP */
};

struct responder {
	int family;
	int udp, tcp, other;
	uint16_t port;
	enum behave how;
	int stop[2];
	pthread_t th;
	atomic_uint udp_q, tcp_q;
	atomic_uint last_flags;         /* header flags of the last query */
	atomic_uint last_edns;          /* EDNS flags | 0x10000 if OPT */
};

static int64_t
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- answers ---------------------------------------------------------- */

struct wb {
	uint8_t b[8192];
	size_t n;
};

static void
put(struct wb *w, const void *p, size_t n)
{
	memcpy(w->b + w->n, p, n);
	w->n += n;
}

static void
u16(struct wb *w, unsigned v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	put(w, b, 2);
}

/*
 * An answer to query q: nans A records 192.0.2.first+i, an OPT echoing DO.
 * qtype_delta changes the echoed QTYPE (a wrong question).
 */
static void
answer(struct wb *w, const struct ztk_msg *q, uint16_t id, unsigned flags,
	unsigned nans, unsigned first, unsigned qtype_delta)
{
	const uint8_t *qn;
	uint16_t qt, qc;
	ztk_msg_question(q, &qn, &qt, &qc);
	w->n = 0;
	u16(w, id);
	u16(w, flags | (ztk_msg_header(q)->flags & ZTK_MSG_RD));
	u16(w, 1);
	u16(w, nans);
	u16(w, 0);
	u16(w, 1);
	put(w, qn, ztk_dname_len(qn));
	u16(w, qt + qtype_delta);
	u16(w, qc);
	for (unsigned i = 0; i < nans; i++) {
		u16(w, 0xC00C);
		u16(w, ZTK_TYPE_A);
		u16(w, ZTK_CLASS_IN);
		u16(w, 0);
		u16(w, 60);
		u16(w, 4);
		uint8_t a[4] = { 192, 0, 2, (uint8_t)(first + i) };
		put(w, a, 4);
	}
	put(w, "", 1);
	u16(w, ZTK_TYPE_OPT);
	u16(w, 1232);
	u16(w, 0);
	u16(w, ztk_msg_edns(q)->flags & ZTK_EDNS_DO);
	u16(w, 0);
}

#define RESP (ZTK_MSG_QR | ZTK_MSG_AA)

static void
on_udp(struct responder *r)
{
	uint8_t buf[4096];
	struct sockaddr_storage from;
	socklen_t fl = sizeof(from);
	ssize_t n = recvfrom(r->udp, buf, sizeof(buf), 0,
		(struct sockaddr *)&from, &fl);
	if (n <= 0)
		return;
	struct ztk_msg *q;
	if (ztk_msg_parse(buf, (size_t)n, NULL, &q, NULL, 0))
		return;
	r->udp_q++;
	r->last_flags = ztk_msg_header(q)->flags;
	r->last_edns = ztk_msg_edns(q)->flags |
		(ztk_msg_edns(q)->present ? 0x10000u : 0);
	uint16_t id = ztk_msg_header(q)->id;
	struct wb w;
	const struct sockaddr *to = (const struct sockaddr *)&from;

	switch (r->how) {
	case WRONG_ID_FIRST:
	case WRONG_ID_ONLY:
		answer(&w, q, id ^ 0x5555, RESP, 1, 66, 0);
		sendto(r->udp, w.b, w.n, 0, to, fl);
		break;
	case OTHER_PORT_FIRST:
	case OTHER_PORT_ONLY:
		answer(&w, q, id, RESP, 1, 66, 0);
		sendto(r->other, w.b, w.n, 0, to, fl);
		break;
	case WRONG_QUESTION_FIRST:
		answer(&w, q, id, RESP, 1, 66, 1);
		sendto(r->udp, w.b, w.n, 0, to, fl);
		break;
	case NOT_QR_FIRST:
		answer(&w, q, id, ZTK_MSG_AA, 1, 66, 0);
		sendto(r->udp, w.b, w.n, 0, to, fl);
		break;
	case GARBAGE_FIRST:
		answer(&w, q, id, RESP, 1, 66, 0);
		/* the answer's owner (before 14 octets of record and 11 of
		 * OPT) becomes a pointer forward */
		w.b[w.n - 11 - 16] = 0xC0;
		w.b[w.n - 11 - 15] = 0xFF;
		sendto(r->udp, w.b, w.n, 0, to, fl);
		break;
	default:
		break;
	}
	switch (r->how) {
	case SILENT:
	case OTHER_PORT_ONLY:
	case WRONG_ID_ONLY:
		break;
	case TRUNCATE:
	case TCP_BAD_ID:
		answer(&w, q, id, RESP | ZTK_MSG_TC, 0, 0, 0);
		sendto(r->udp, w.b, w.n, 0, to, fl);
		break;
	case SERVFAIL:
		answer(&w, q, id, RESP | ZTK_RCODE_SERVFAIL, 0, 0, 0);
		sendto(r->udp, w.b, w.n, 0, to, fl);
		break;
	default:
		answer(&w, q, id, RESP, 1, 1, 0);
		sendto(r->udp, w.b, w.n, 0, to, fl);
		break;
	}
	ztk_msg_free(q);
}

static bool
read_all(int fd, uint8_t *p, size_t n)
{
	while (n) {
		ssize_t k = read(fd, p, n);
		if (k <= 0)
			return false;
		p += k;
		n -= (size_t)k;
	}
	return true;
}

static void
on_tcp(struct responder *r)
{
	int fd = accept(r->tcp, NULL, NULL);
	if (fd < 0)
		return;
	struct timeval tv = { .tv_sec = 5 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	uint8_t lb[2], buf[4096];
	struct ztk_msg *q = NULL;
	if (!read_all(fd, lb, 2))
		goto out;
	size_t len = (size_t)(lb[0] << 8 | lb[1]);
	if (len > sizeof(buf) || !read_all(fd, buf, len))
		goto out;
	if (ztk_msg_parse(buf, len, NULL, &q, NULL, 0))
		goto out;
	r->tcp_q++;
	uint16_t id = ztk_msg_header(q)->id;
	struct wb w;
	if (r->how == TCP_BAD_ID)
		answer(&w, q, id ^ 1, RESP, 1, 1, 0);
	else if (r->how == SERVFAIL)
		answer(&w, q, id, RESP | ZTK_RCODE_SERVFAIL, 0, 0, 0);
	else
		answer(&w, q, id, RESP, r->how == TRUNCATE ? 200 : 1, 1, 0);
	uint8_t out[2 + sizeof(w.b)];
	out[0] = (uint8_t)(w.n >> 8);
	out[1] = (uint8_t)w.n;
	memcpy(out + 2, w.b, w.n);
	if (write(fd, out, w.n + 2) < 0)
		goto out;
out:
	ztk_msg_free(q);
	close(fd);
}

static void *
run(void *arg)
{
	struct responder *r = arg;
	for (;;) {
		/* a SILENT responder never accepts: the kernel completes the
		 * handshake and the client waits for an answer in vain */
		struct pollfd p[3] = {
			{ .fd = r->stop[0], .events = POLLIN },
			{ .fd = r->udp, .events = POLLIN },
			{ .fd = r->how == SILENT ? -1 : r->tcp, .events = POLLIN },
		};
		if (poll(p, 3, -1) < 0 && errno != EINTR)
			break;
		if (p[0].revents)
			break;
		if (p[1].revents & POLLIN)
			on_udp(r);
		if (p[2].revents & POLLIN)
			on_tcp(r);
	}
	return NULL;
}

static socklen_t
loopback(int family, uint16_t port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		struct sockaddr_in *s = (struct sockaddr_in *)ss;
		s->sin_family = AF_INET;
		s->sin_port = htons(port);
		s->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		return sizeof(*s);
	}
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	s6->sin6_family = AF_INET6;
	s6->sin6_port = htons(port);
	s6->sin6_addr = in6addr_loopback;
	return sizeof(*s6);
}

static uint16_t
bound_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	getsockname(fd, (struct sockaddr *)&ss, &sl);
	return ntohs(ss.ss_family == AF_INET ?
		((struct sockaddr_in *)&ss)->sin_port :
		((struct sockaddr_in6 *)&ss)->sin6_port);
}

/* UDP and TCP on one random loopback port, plus a UDP socket on another. */
static int
responder_start(struct responder *r, int family, enum behave how)
{
	memset(r, 0, sizeof(*r));
	r->family = family;
	r->how = how;
	for (int attempt = 0; attempt < 50; attempt++) {
		struct sockaddr_storage ss;
		socklen_t sl = loopback(family, 0, &ss);
		r->udp = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (r->udp < 0 || bind(r->udp, (struct sockaddr *)&ss, sl)) {
			if (r->udp >= 0)
				close(r->udp);
			return -1;
		}
		r->port = bound_port(r->udp);
		sl = loopback(family, r->port, &ss);
		r->tcp = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		int one = 1;
		setsockopt(r->tcp, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(r->tcp, (struct sockaddr *)&ss, sl) == 0 &&
		    listen(r->tcp, 8) == 0)
			break;
		close(r->udp);
		close(r->tcp);
		r->udp = r->tcp = -1;
	}
	if (r->udp < 0)
		return -1;
	struct sockaddr_storage ss;
	socklen_t sl = loopback(family, 0, &ss);
	r->other = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (r->other < 0 || bind(r->other, (struct sockaddr *)&ss, sl) ||
	    pipe(r->stop) || pthread_create(&r->th, NULL, run, r))
		return -1;
	return 0;
}

static void
responder_stop(struct responder *r)
{
	if (write(r->stop[1], "x", 1) != 1)
		return;
	pthread_join(r->th, NULL);
	close(r->stop[0]);
	close(r->stop[1]);
	close(r->udp);
	close(r->tcp);
	close(r->other);
}

static struct ztk_server
server_of(const struct responder *r)
{
	struct ztk_server s;
	uint8_t a[16];
	if (r->family == AF_INET) {
		memcpy(a, "\x7f\0\0\1", 4);
		ztk_server_from_addr(a, 4, r->port, &s);
	} else {
		memset(a, 0, 16);
		a[15] = 1;
		ztk_server_from_addr(a, 16, r->port, &s);
	}
	return s;
}

/* ---- the tests -------------------------------------------------------- */

static const uint8_t qname[] = "\3www\7example\4test";

static int
query(const struct ztk_server *s, size_t n, const struct ztk_query_opts *o,
	struct ztk_msg **m, struct ztk_query_info *info)
{
	return ztk_resolver_query(s, n, qname, ZTK_TYPE_A, o, m, info);
}

/* first answer record's last address octet, or -1 */
static int
first_a(const struct ztk_msg *m)
{
	const struct ztk_msg_rr *r;
	if (!m || ztk_msg_rrs(m, ZTK_SECTION_ANSWER, &r) == 0 ||
	    r[0].rr.type != ZTK_TYPE_A || r[0].rr.rdlen != 4)
		return -1;
	return r[0].rr.rdata[3];
}

/* A responder behaving as how answers with 192.0.2.1 and what else. */
static void
expect_answer(int family, enum behave how, const char *what,
	bool want_ignored)
{
	struct responder r;
	if (responder_start(&r, family, how)) {
		ok(0, "%s: responder starts", what);
		return;
	}
	struct ztk_server s = server_of(&r);
	struct ztk_query_opts o = { .timeout_ms = 2000, .deadline_ms = 5000,
		.rd_bit = true, .do_bit = true, .cd_bit = true };
	struct ztk_msg *m;
	struct ztk_query_info info;
	int rc = query(&s, 1, &o, &m, &info);
	is_int(rc, 0, "%s: answered (%s)", what, info.reason);
	is_int(first_a(m), 1, "%s: the right answer", what);
	is_int(info.server, 0, "%s: info.server", what);
	ok(!info.tcp, "%s: over UDP", what);
	if (want_ignored)
		ok(info.ignored >= 1, "%s: the bad answer was ignored (%u)",
			what, info.ignored);
	if (m) {
		const struct ztk_msg_header *h = ztk_msg_header(m);
		is_int(h->rcode, 0, "%s: NOERROR", what);
		ok(ztk_msg_edns(m)->present && (ztk_msg_edns(m)->flags &
			ZTK_EDNS_DO), "%s: EDNS with DO echoed", what);
	}
	ztk_msg_free(m);
	responder_stop(&r);
}

static void
test_good(int family, const char *fam)
{
	char what[64];
	struct responder r;
	snprintf(what, sizeof(what), "%s good", fam);
	if (responder_start(&r, family, GOOD)) {
		ok(0, "%s: responder starts", what);
		return;
	}
	struct ztk_server s = server_of(&r);
	struct ztk_query_opts o = { .timeout_ms = 2000, .rd_bit = true,
		.do_bit = true, .cd_bit = true };
	struct ztk_msg *m;
	struct ztk_query_info info;
	is_int(query(&s, 1, &o, &m, &info), 0, "%s: answered (%s)", what,
		info.reason);
	is_int(first_a(m), 1, "%s: A 192.0.2.1", what);
	is_int(info.udp_sent, 1, "%s: one UDP query", what);
	is_str(info.reason, "", "%s: no reason on success", what);
	is_int(r.last_flags, ZTK_MSG_RD | ZTK_MSG_CD, "%s: query had RD CD",
		what);
	is_int(r.last_edns, 0x10000u | ZTK_EDNS_DO, "%s: query had EDNS DO",
		what);
	ztk_msg_free(m);

	o = (struct ztk_query_opts){ .timeout_ms = 2000, .no_edns = true };
	is_int(query(&s, 1, &o, &m, &info), 0, "%s: no EDNS, no RD", what);
	is_int(r.last_flags, 0, "%s: query without RD", what);
	is_int(r.last_edns, 0, "%s: query without OPT", what);
	ztk_msg_free(m);

	o = (struct ztk_query_opts){ .timeout_ms = 2000, .tcp_only = true };
	is_int(query(&s, 1, &o, &m, &info), 0, "%s: TCP only (%s)", what,
		info.reason);
	ok(info.tcp, "%s: info.tcp", what);
	is_int(first_a(m), 1, "%s: A over TCP", what);
	is_int(r.tcp_q, 1, "%s: one TCP query", what);
	is_int(info.udp_sent, 0, "%s: no UDP with tcp_only", what);
	ztk_msg_free(m);
	responder_stop(&r);
}

static void
test_truncate(int family, const char *fam)
{
	struct responder r;
	if (responder_start(&r, family, TRUNCATE)) {
		ok(0, "%s TC: responder starts", fam);
		return;
	}
	struct ztk_server s = server_of(&r);
	struct ztk_query_opts o = { .timeout_ms = 2000, .do_bit = true };
	struct ztk_msg *m;
	struct ztk_query_info info;
	is_int(query(&s, 1, &o, &m, &info), 0, "%s TC: answered (%s)", fam,
		info.reason);
	ok(info.tcp, "%s TC: the answer came over TCP", fam);
	is_int(ztk_msg_rrs(m, ZTK_SECTION_ANSWER, NULL), 200,
		"%s TC: 200 records over TCP", fam);
	ok(!(ztk_msg_header(m)->flags & ZTK_MSG_TC), "%s TC: no TC over TCP",
		fam);
	is_int(r.udp_q, 1, "%s TC: one UDP query", fam);
	is_int(r.tcp_q, 1, "%s TC: one TCP query", fam);
	ztk_msg_free(m);
	responder_stop(&r);
}

static void
test_silent(void)
{
	struct responder r;
	if (responder_start(&r, AF_INET, SILENT)) {
		ok(0, "silent: responder starts");
		return;
	}
	struct ztk_server s = server_of(&r);
	struct ztk_msg *m = (struct ztk_msg *)1;
	struct ztk_query_info info;
	char st[ZTK_SERVER_TEXT_MAX], want[128];
	ztk_server_print(&s, st);

	/* the deadline cuts 100 tries of 200 ms short */
	struct ztk_query_opts o = { .timeout_ms = 200, .tries = 100,
		.deadline_ms = 600 };
	int64_t t0 = now_ms();
	int rc = query(&s, 1, &o, &m, &info);
	int64_t el = now_ms() - t0;
	is_int(rc, ZTK_ETIMEDOUT, "silent: ZTK_ETIMEDOUT");
	ok(m == NULL, "silent: no message");
	ok(el >= 590 && el <= 600 + 400, "silent: returned at the deadline "
		"(%lld ms for 600)", (long long)el);
	snprintf(want, sizeof(want), "no answer from %s within ", st);
	ok(strstr(info.reason, want) != NULL, "silent: reason \"%s\"",
		info.reason);
	ok(r.udp_q >= 2 && r.udp_q <= 4, "silent: about 3 tries sent (%u)",
		(unsigned)r.udp_q);
	is_int(info.server, -1, "silent: info.server -1");

	/* tries: 3 of 100 ms, deadline far away */
	unsigned before = r.udp_q;
	o = (struct ztk_query_opts){ .timeout_ms = 100, .tries = 3,
		.deadline_ms = 10000 };
	t0 = now_ms();
	rc = query(&s, 1, &o, &m, &info);
	el = now_ms() - t0;
	is_int(rc, ZTK_ETIMEDOUT, "silent, 3 tries: ZTK_ETIMEDOUT");
	is_int(r.udp_q - before, 3, "silent, 3 tries: 3 queries");
	is_int(info.udp_sent, 3, "silent, 3 tries: info.udp_sent");
	ok(el >= 290 && el < 10000, "silent, 3 tries: gave up after the "
		"tries, not the deadline (%lld ms)", (long long)el);

	/* over TCP: connection accepted by the kernel, no answer */
	o = (struct ztk_query_opts){ .timeout_ms = 300, .tries = 5,
		.deadline_ms = 500, .tcp_only = true };
	t0 = now_ms();
	rc = query(&s, 1, &o, &m, &info);
	el = now_ms() - t0;
	is_int(rc, ZTK_ETIMEDOUT, "silent over TCP: ZTK_ETIMEDOUT (%s)",
		info.reason);
	ok(el >= 490 && el <= 500 + 400, "silent over TCP: returned at the "
		"deadline (%lld ms for 500)", (long long)el);
	ok(strstr(info.reason, want) != NULL, "silent over TCP: reason "
		"\"%s\"", info.reason);
	responder_stop(&r);
}

static void
test_other_port_only(void)
{
	struct responder r;
	if (responder_start(&r, AF_INET, OTHER_PORT_ONLY)) {
		ok(0, "other port: responder starts");
		return;
	}
	struct ztk_server s = server_of(&r);
	struct ztk_msg *m;
	struct ztk_query_info info;
	struct ztk_query_opts o = { .timeout_ms = 300, .tries = 1 };
	is_int(query(&s, 1, &o, &m, &info), ZTK_ETIMEDOUT,
		"answers only from another port: ignored, timed out (%s)",
		info.reason);
	is_int(r.udp_q, 1, "other port: the query arrived");
	responder_stop(&r);

	if (responder_start(&r, AF_INET, WRONG_ID_ONLY)) {
		ok(0, "wrong ID only: responder starts");
		return;
	}
	s = server_of(&r);
	is_int(query(&s, 1, &o, &m, &info), ZTK_ETIMEDOUT,
		"answers with a wrong ID only: ignored, timed out");
	is_int(info.ignored, 1, "wrong ID only: one answer ignored");
	ok(strstr(info.reason, "(1 answer ignored, last: answer from ") &&
		strstr(info.reason, "not matching the query: ID "),
		"wrong ID only: reason \"%s\"", info.reason);
	responder_stop(&r);
}

static void
test_servfail(void)
{
	struct responder r;
	if (responder_start(&r, AF_INET, SERVFAIL)) {
		ok(0, "servfail: responder starts");
		return;
	}
	struct ztk_server s = server_of(&r);
	struct ztk_msg *m;
	struct ztk_query_info info;
	struct ztk_query_opts o = { .timeout_ms = 2000 };
	is_int(query(&s, 1, &o, &m, &info), 0, "SERVFAIL is an answer");
	if (m) {
		is_int(ztk_msg_header(m)->rcode, ZTK_RCODE_SERVFAIL,
			"RCODE SERVFAIL handed to the caller");
		is_int(r.udp_q, 1, "SERVFAIL: not retried");
	}
	ztk_msg_free(m);
	responder_stop(&r);
}

static void
test_tcp_bad_id(void)
{
	struct responder r;
	if (responder_start(&r, AF_INET, TCP_BAD_ID)) {
		ok(0, "TCP bad ID: responder starts");
		return;
	}
	struct ztk_server s = server_of(&r);
	struct ztk_msg *m;
	struct ztk_query_info info;
	struct ztk_query_opts o = { .timeout_ms = 2000, .tries = 1 };
	is_int(query(&s, 1, &o, &m, &info), ZTK_EMALF,
		"wrong ID over TCP is an error");
	ok(strstr(info.reason, "does not match the query: ID") != NULL,
		"TCP bad ID: reason \"%s\"", info.reason);
	ok(m == NULL, "TCP bad ID: no message");
	responder_stop(&r);
}

/* A port nobody listens on (bound, noted, closed: loopback only). */
static uint16_t
closed_port(int family)
{
	struct sockaddr_storage ss;
	socklen_t sl = loopback(family, 0, &ss);
	int fd = socket(family, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&ss, sl))
		return 0;
	uint16_t p = bound_port(fd);
	close(fd);
	return p;
}

static void
test_several_servers(bool v6)
{
	struct responder silent, good;
	if (responder_start(&silent, AF_INET, SILENT) ||
	    responder_start(&good, v6 ? AF_INET6 : AF_INET, GOOD)) {
		ok(0, "several: responders start");
		return;
	}
	struct ztk_server s[3];
	s[0] = server_of(&silent);
	s[1] = server_of(&good);
	struct ztk_msg *m;
	struct ztk_query_info info;
	struct ztk_query_opts o = { .timeout_ms = 200, .deadline_ms = 3000 };
	int64_t t0 = now_ms();
	is_int(query(s, 2, &o, &m, &info), 0, "silent then good: answered");
	int64_t el = now_ms() - t0;
	is_int(info.server, 1, "silent then good: the second answered");
	ok(el >= 190, "silent then good: the first had its timeout (%lld ms)",
		(long long)el);
	is_int(silent.udp_q, 1, "silent then good: one query to the first");
	ztk_msg_free(m);

	/* a closed port refuses (ICMP): skipped without waiting */
	uint16_t cp = closed_port(AF_INET);
	ztk_server_from_addr((const uint8_t *)"\x7f\0\0\1", 4, cp, &s[0]);
	o = (struct ztk_query_opts){ .timeout_ms = 3000, .deadline_ms = 8000 };
	t0 = now_ms();
	is_int(query(s, 2, &o, &m, &info), 0, "refused then good: answered "
		"(%s)", info.reason);
	el = now_ms() - t0;
	is_int(info.server, 1, "refused then good: the second answered");
	ok(el < 2500, "refused then good: no timeout spent on the refusal "
		"(%lld ms)", (long long)el);
	ztk_msg_free(m);

	/* refused alone: ZTK_ENET, dropped after the first refusal */
	o = (struct ztk_query_opts){ .timeout_ms = 3000, .tries = 3 };
	is_int(query(s, 1, &o, &m, &info), ZTK_ENET, "refused alone: "
		"ZTK_ENET");
	ok(strstr(info.reason, "refused the query") != NULL, "refused alone: reason "
		"\"%s\"", info.reason);
	is_int(info.udp_sent, 1, "refused alone: not asked again");

	/* silent and refused: the refusal names the code, both are said */
	s[1] = server_of(&silent);
	o = (struct ztk_query_opts){ .timeout_ms = 200, .tries = 1 };
	is_int(query(s, 2, &o, &m, &info), ZTK_ENET, "refused + silent: "
		"ZTK_ENET");
	ok(strstr(info.reason, "refused") && strstr(info.reason, "no answer "
		"from"), "refused + silent: reason \"%s\"", info.reason);
	responder_stop(&silent);
	responder_stop(&good);
}

static void
test_args(void)
{
	struct ztk_server s;
	struct ztk_msg *m;
	struct ztk_query_info info;
	ztk_server_parse("127.0.0.1#1", &s, NULL, 0);
	is_int(query(&s, 0, NULL, &m, &info), ZTK_EINVAL, "no servers");
	ok(info.reason[0] != 0, "no servers: a reason");
	struct ztk_query_opts o = { .do_bit = true, .no_edns = true };
	is_int(query(&s, 1, &o, &m, &info), ZTK_EINVAL, "DO without EDNS");
	uint8_t bad[300];
	memset(bad, 0, sizeof(bad));
	bad[0] = 64;                    /* a 64-octet label */
	memset(bad + 1, 'a', 64);
	is_int(ztk_resolver_query(&s, 1, bad, 1, NULL, &m, NULL), ZTK_EINVAL,
		"bad qname");
	struct ztk_server z = { 0 };
	is_int(query(&z, 1, NULL, &m, &info), ZTK_EINVAL, "server without "
		"family");
}

static void
server_rt(const char *in, const char *want)
{
	struct ztk_server s;
	char why[128], out[ZTK_SERVER_TEXT_MAX];
	int rc = ztk_server_parse(in, &s, why, sizeof(why));
	is_int(rc, 0, "parse %s (%s)", in, why);
	if (rc)
		return;
	ztk_server_print(&s, out);
	is_str(out, want, "print %s", in);
	struct ztk_server s2;
	ztk_server_parse(out, &s2, why, sizeof(why));
	ok(memcmp(&s, &s2, sizeof(s)) == 0, "reparse %s", out);
}

static void
test_server_text(void)
{
	char why[128];
	struct ztk_server s;
	server_rt("127.0.0.1", "127.0.0.1#53");
	server_rt("127.0.0.1#5353", "127.0.0.1#5353");
	server_rt("127.0.0.1:5353", "127.0.0.1#5353");
	server_rt("::1", "::1#53");
	server_rt("::1#5300", "::1#5300");
	server_rt("[::1]:5300", "::1#5300");
	server_rt("[::1]#5300", "::1#5300");
	server_rt("[::1]", "::1#53");
	server_rt("2001:db8::53", "2001:db8::53#53");
	server_rt("fe80::1%lo#53", "fe80::1%lo#53");
	server_rt("fe80::1%1", "fe80::1%lo#53");
	static const char *const bad[] = { "", "localhost", "127.0.0.1#0",
		"127.0.0.1#65536", "127.0.0.1#", "127.0.0.1#5x", "[::1", "[::1]x",
		"1.2.3", "127.0.0.1%lo", "fe80::1%nosuchif0", "1.2.3.4:5:6",
		"::1#99999999999999999999" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		is_int(ztk_server_parse(bad[i], &s, why, sizeof(why)),
			ZTK_ESYNTAX, "\"%s\" refused", bad[i]);
	}
	ok(strstr(why, "not an IPv4 or IPv6 address") != NULL, "reason: %s",
		why);
	uint8_t a[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	is_int(ztk_server_from_addr(a, 16, 0, &s), 0, "from AAAA RDATA");
	char out[ZTK_SERVER_TEXT_MAX];
	ztk_server_print(&s, out);
	is_str(out, "2001:db8::1#53", "AAAA glue, port 53");
	is_int(ztk_server_from_addr(a, 5, 0, &s), ZTK_EINVAL, "5 octets");
}

static bool
have_ipv6_loopback(void)
{
	struct sockaddr_storage ss;
	socklen_t sl = loopback(AF_INET6, 0, &ss);
	int fd = socket(AF_INET6, SOCK_DGRAM, 0);
	bool okay = fd >= 0 && bind(fd, (struct sockaddr *)&ss, sl) == 0;
	if (fd >= 0)
		close(fd);
	return okay;
}

int
main(void)
{
	bool v6 = have_ipv6_loopback();
	test_server_text();
	test_args();
	test_good(AF_INET, "IPv4");
	if (v6)
		test_good(AF_INET6, "IPv6");
	else
		printf("# IPv6 loopback missing: IPv6 tests skipped\n");
	expect_answer(AF_INET, WRONG_ID_FIRST, "wrong ID first", true);
	expect_answer(AF_INET, OTHER_PORT_FIRST, "other port first", false);
	expect_answer(AF_INET, WRONG_QUESTION_FIRST, "wrong question first",
		true);
	expect_answer(AF_INET, NOT_QR_FIRST, "QR clear first", true);
	expect_answer(AF_INET, GARBAGE_FIRST, "malformed first", true);
	if (v6)
		expect_answer(AF_INET6, WRONG_ID_FIRST, "IPv6 wrong ID first",
			true);
	test_truncate(AF_INET, "IPv4");
	if (v6)
		test_truncate(AF_INET6, "IPv6");
	test_silent();
	test_other_port_only();
	test_servfail();
	test_tcp_bad_id();
	test_several_servers(v6);
	return done_testing();
}
