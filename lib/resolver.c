/*
 * resolver.c - one question to a list of servers: UDP with TCP fallback,
 * strict matching, tries and a deadline (see ztk/resolver.h).
 *
 * All sockets are non-blocking and every wait is a poll() bounded by the
 * end of the current try, itself bounded by the call's deadline, so the
 * call never outlives deadline_ms by more than the scheduler's slack.
 */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
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
#include "util.h"

/* UDP tries of one call whose answers still count (older ones are closed). */
#define MAX_OUTSTANDING 8

struct attempt {
	int fd;
	uint16_t id;
	size_t server;
};

struct qctx {
	const struct ztk_server *servers;
	size_t n;
	const uint8_t *qname;
	size_t qlen;
	uint16_t qtype, qclass;
	struct ztk_msg_query_opts qopts;
	struct ztk_msg_parse_opts popts;
	unsigned timeout_ms;
	int64_t start, deadline;
	struct attempt out[MAX_OUTSTANDING];
	size_t nout;
	uint8_t *buf;                   /* ZTK_MSG_MAX + 2 octets */
	bool *dead;                     /* refused: skip for the rest */
	bool *timed_out;                /* at least one try went unanswered */
	int hard_code;                  /* last failure that is no timeout */
	char hard[256];
	char ignored_why[160];
	struct ztk_query_info *info;
};

static int64_t
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
server_text(const struct qctx *c, size_t si, char *out)
{
	ztk_server_print(&c->servers[si], out);
}

static ZTK_COLD __attribute__((format(printf, 3, 4))) int
hard_fail(struct qctx *c, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->hard, sizeof(c->hard), fmt, ap);
	va_end(ap);
	c->hard_code = code;
	return code;
}

static ZTK_COLD __attribute__((format(printf, 2, 3))) void
ignore(struct qctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->ignored_why, sizeof(c->ignored_why), fmt, ap);
	va_end(ap);
	c->info->ignored++;
}

static socklen_t
to_sockaddr(const struct ztk_server *s, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	uint16_t port = htons(s->port ? s->port : 53);
	if (s->family == 4) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;
		sin->sin_family = AF_INET;
		sin->sin_port = port;
		memcpy(&sin->sin_addr, s->addr, 4);
		return sizeof(*sin);
	}
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = port;
	sin6->sin6_scope_id = s->scope_id;
	memcpy(&sin6->sin6_addr, s->addr, 16);
	return sizeof(*sin6);
}

/* Did this datagram come from the server's address and port? */
static bool
same_peer(const struct ztk_server *s, const struct sockaddr_storage *ss)
{
	uint16_t port = htons(s->port ? s->port : 53);
	if (s->family == 4 && ss->ss_family == AF_INET) {
		const struct sockaddr_in *sin = (const void *)ss;
		return sin->sin_port == port &&
			memcmp(&sin->sin_addr, s->addr, 4) == 0;
	}
	if (s->family == 6 && ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const void *)ss;
		return sin6->sin6_port == port &&
			memcmp(&sin6->sin6_addr, s->addr, 16) == 0;
	}
	return false;
}

/*
 * Does the answer belong to our query (RFC 5452 9.1)?  NULL if so, else
 * what differs, in buf.
 */
static const char *
mismatch(const struct qctx *c, const struct ztk_msg *m, uint16_t id,
	char *buf, size_t len)
{
	const struct ztk_msg_header *h = ztk_msg_header(m);
	const uint8_t *qn;
	uint16_t qt, qc;

	if (h->id != id) {
		snprintf(buf, len, "ID %u instead of %u", h->id, id);
		return buf;
	}
	if (!(h->flags & ZTK_MSG_QR))
		return "QR bit not set";
	if (h->opcode != 0) {
		snprintf(buf, len, "opcode %u instead of QUERY", h->opcode);
		return buf;
	}
	if (ztk_msg_question(m, &qn, &qt, &qc) != 0)
		return "no question section";
	if (qt != c->qtype || qc != c->qclass || ztk_dname_len(qn) != c->qlen ||
	    memcmp(qn, c->qname, c->qlen) != 0)
		return "question section differs from the query";
	return NULL;
}

static void
close_attempt(struct qctx *c, size_t i)
{
	close(c->out[i].fd);
	memmove(&c->out[i], &c->out[i + 1],
		(c->nout - i - 1) * sizeof(c->out[0]));
	c->nout--;
}

/* Is errno one that says the server (or the way to it) refuses? */
static bool
refusal(int e)
{
	return e == ECONNREFUSED || e == EHOSTUNREACH || e == ENETUNREACH ||
		e == EADDRNOTAVAIL || e == EAFNOSUPPORT || e == EPROTO ||
		e == ECONNRESET || e == EACCES || e == EPERM;
}

/* Wait for events on one fd until end_ms: 1 ready, 0 timed out, <0 errno. */
static int
wait_fd(int fd, short events, int64_t end_ms)
{
	for (;;) {
		int64_t left = end_ms - now_ms();
		if (left <= 0)
			return 0;
		struct pollfd pfd = { .fd = fd, .events = events };
		int r = poll(&pfd, 1, left > INT32_MAX ? INT32_MAX : (int)left);
		if (r > 0)
			return 1;
		if (r < 0 && errno != EINTR)
			return -errno;
	}
}

/*
 * One exchange over TCP with server si, ending by end_ms.  0 and *msg_out,
 * or an error (recorded as the hard failure unless it is a timeout).
 */
static int
tcp_query(struct qctx *c, size_t si, int64_t end_ms, struct ztk_msg **msg_out)
{
	char st[ZTK_SERVER_TEXT_MAX], why[200], mb[48];
	struct sockaddr_storage ss;
	socklen_t sl = to_sockaddr(&c->servers[si], &ss);
	uint8_t q[2 + ZTK_MSG_QUERY_MAX];
	size_t qlen, got;
	int rc, e, fd = -1;

	server_text(c, si, st);
	c->info->tcp_tries++;
	rc = ztk_msg_query(c->qname, c->qtype, c->qclass, &c->qopts, q + 2,
		sizeof(q) - 2, &qlen);
	if (rc)
		return rc;
	ztk_put16(q, (uint16_t)qlen);
	uint16_t id = ztk_get16(q + 2);

	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		e = errno;
		return hard_fail(c, ZTK_ENET, "cannot open a TCP socket for %s: "
			"%s", st, strerror(e));
	}
	if (connect(fd, (struct sockaddr *)&ss, sl) != 0 && errno != EINPROGRESS) {
		e = errno;
		goto neterr;
	}
	rc = wait_fd(fd, POLLOUT, end_ms);
	if (rc <= 0)
		goto wait_failed;
	socklen_t el = sizeof(e);
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &el) != 0)
		e = errno;
	if (e)
		goto neterr;

	for (size_t sent = 0; sent < qlen + 2;) {
		ssize_t k = send(fd, q + sent, qlen + 2 - sent, MSG_NOSIGNAL);
		if (k > 0) {
			sent += (size_t)k;
			continue;
		}
		if (k < 0 && errno != EAGAIN && errno != EINTR) {
			e = errno;
			goto neterr;
		}
		if ((rc = wait_fd(fd, POLLOUT, end_ms)) <= 0)
			goto wait_failed;
	}

	/* two-octet length, then the message (RFC 1035 4.2.2) */
	size_t want = 2;
	bool have_len = false;
	for (got = 0; got < want;) {
		ssize_t k = recv(fd, c->buf + got, want - got, 0);
		if (k > 0) {
			got += (size_t)k;
			if (got == want && !have_len) {
				want = ztk_get16(c->buf);
				have_len = true;
				got = 0;
				if (want == 0) {
					close(fd);
					return hard_fail(c, ZTK_EMALF, "malformed "
						"answer over TCP from %s: "
						"length 0", st);
				}
			}
			continue;
		}
		if (k == 0) {
			close(fd);
			return hard_fail(c, ZTK_ENET, "%s closed the TCP "
				"connection before a whole answer", st);
		}
		if (errno != EAGAIN && errno != EINTR) {
			e = errno;
			goto neterr;
		}
		if ((rc = wait_fd(fd, POLLIN, end_ms)) <= 0)
			goto wait_failed;
	}
	close(fd);

	struct ztk_msg *m;
	rc = ztk_msg_parse(c->buf, want, &c->popts, &m, why, sizeof(why));
	if (rc == ZTK_ENOMEM)
		return rc;
	if (rc)
		return hard_fail(c, rc, "malformed answer over TCP from %s: %s",
			st, why);
	const char *bad = mismatch(c, m, id, mb, sizeof(mb));
	if (bad) {
		ztk_msg_free(m);
		return hard_fail(c, ZTK_EMALF, "answer over TCP from %s does "
			"not match the query: %s", st, bad);
	}
	*msg_out = m;
	return 0;

wait_failed:
	close(fd);
	if (rc < 0)
		return hard_fail(c, ZTK_ENET, "TCP exchange with %s failed: %s",
			st, strerror(-rc));
	c->timed_out[si] = true;
	return ZTK_ETIMEDOUT;
neterr:
	close(fd);
	if (refusal(e))
		c->dead[si] = true;
	return hard_fail(c, ZTK_ENET, "TCP connection to %s failed: %s", st,
		strerror(e));
}

/* Send one UDP query to server si; returns the fd or an error. */
static int
udp_start(struct qctx *c, size_t si)
{
	char st[ZTK_SERVER_TEXT_MAX];
	struct sockaddr_storage ss, any;
	socklen_t sl = to_sockaddr(&c->servers[si], &ss);
	uint8_t q[ZTK_MSG_QUERY_MAX];
	size_t qlen;
	int rc, e;

	rc = ztk_msg_query(c->qname, c->qtype, c->qclass, &c->qopts, q,
		sizeof(q), &qlen);
	if (rc)
		return rc;
	server_text(c, si, st);
	int fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		0);
	if (fd < 0) {
		e = errno;
		if (refusal(e))
			c->dead[si] = true;
		return hard_fail(c, ZTK_ENET, "cannot open a UDP socket for %s: "
			"%s", st, strerror(e));
	}
	/* Port 0: the kernel picks a random ephemeral source port.  The
	 * connect() makes it deliver only datagrams from the server and
	 * report ICMP unreachables to us. */
	memset(&any, 0, sizeof(any));
	any.ss_family = ss.ss_family;
	if (bind(fd, (struct sockaddr *)&any, sl) != 0 ||
	    connect(fd, (struct sockaddr *)&ss, sl) != 0 ||
	    send(fd, q, qlen, 0) != (ssize_t)qlen) {
		e = errno;
		close(fd);
		if (refusal(e))
			c->dead[si] = true;
		return hard_fail(c, ZTK_ENET, "cannot send a query to %s: %s",
			st, strerror(e));
	}
	c->info->udp_sent++;
	if (c->nout == MAX_OUTSTANDING)
		close_attempt(c, 0);
	c->out[c->nout++] = (struct attempt){ .fd = fd,
		.id = ztk_get16(q), .server = si };
	return fd;
}

/* udp_read() results besides fatal errors (<0) */
enum { READ_NOTHING = 0, READ_ANSWER = 1, READ_FAILED = 2 };

/*
 * Read one datagram of attempt i.  READ_ANSWER with *msg_out (an answer
 * that matches), READ_NOTHING if it was ignored or nothing was there,
 * READ_FAILED if the attempt failed (and is closed), or a fatal error
 * (ZTK_ENOMEM, ZTK_EIO).  A matching answer with TC set is asked again over
 * TCP; the result of that exchange is the result of this read.
 */
static int
udp_read(struct qctx *c, size_t i, struct ztk_msg **msg_out, bool *tcp_out)
{
	struct attempt a = c->out[i];
	struct sockaddr_storage from;
	socklen_t fl = sizeof(from);
	char st[ZTK_SERVER_TEXT_MAX], why[200], mb[48];

	server_text(c, a.server, st);
	memset(&from, 0, sizeof(from));
	ssize_t k = recvfrom(a.fd, c->buf, ZTK_MSG_MAX, MSG_TRUNC,
		(struct sockaddr *)&from, &fl);
	if (k < 0) {
		int e = errno;
		if (e == EAGAIN || e == EINTR)
			return READ_NOTHING;
		close_attempt(c, i);
		if (refusal(e))
			c->dead[a.server] = true;
		if (e == ECONNREFUSED)
			hard_fail(c, ZTK_ENET, "%s refused the query (ICMP port "
				"unreachable)", st);
		else
			hard_fail(c, ZTK_ENET, "query to %s failed: %s", st,
				strerror(e));
		return READ_FAILED;
	}
	if (!same_peer(&c->servers[a.server], &from)) {
		ignore(c, "answer for %s from another address or port", st);
		return READ_NOTHING;
	}
	if (k > ZTK_MSG_MAX) {
		ignore(c, "answer from %s longer than %d octets", st,
			ZTK_MSG_MAX);
		return READ_NOTHING;
	}
	struct ztk_msg *m;
	int rc = ztk_msg_parse(c->buf, (size_t)k, &c->popts, &m, why,
		sizeof(why));
	if (rc == ZTK_ENOMEM)
		return rc;
	if (rc) {
		ignore(c, "malformed answer from %s: %s", st, why);
		return READ_NOTHING;
	}
	const char *bad = mismatch(c, m, a.id, mb, sizeof(mb));
	if (bad) {
		ignore(c, "answer from %s not matching the query: %s", st, bad);
		ztk_msg_free(m);
		return READ_NOTHING;
	}
	if (!(ztk_msg_header(m)->flags & ZTK_MSG_TC)) {
		*msg_out = m;
		c->info->server = (int)a.server;
		return READ_ANSWER;
	}
	/* Truncated (RFC 7766 5): ask the same server again over TCP. */
	ztk_msg_free(m);
	close_attempt(c, i);
	int64_t end = now_ms() + c->timeout_ms;
	if (end > c->deadline)
		end = c->deadline;
	rc = tcp_query(c, a.server, end, msg_out);
	if (rc == 0) {
		c->info->server = (int)a.server;
		*tcp_out = true;
		return READ_ANSWER;
	}
	return rc == ZTK_ENOMEM || rc == ZTK_EIO ? rc : READ_FAILED;
}

/*
 * Wait for answers to every open attempt until try_end, or until the
 * current one (fd cur) fails.  1 answer in *msg_out, 0 no answer, <0 a
 * fatal error (memory, randomness, poll) with info->reason set.
 */
static int
udp_wait(struct qctx *c, int cur, int64_t try_end, struct ztk_msg **msg_out,
	bool *tcp_out)
{
	for (;;) {
		int64_t left = try_end - now_ms();
		if (left <= 0 || c->nout == 0)
			return 0;
		struct pollfd pfd[MAX_OUTSTANDING];
		for (size_t i = 0; i < c->nout; i++)
			pfd[i] = (struct pollfd){ .fd = c->out[i].fd,
				.events = POLLIN };
		size_t np = c->nout;
		int r = poll(pfd, np, left > INT32_MAX ? INT32_MAX : (int)left);
		if (r < 0 && errno != EINTR) {
			int e = errno;
			snprintf(c->info->reason, sizeof(c->info->reason),
				"poll failed: %s", strerror(e));
			return ZTK_EIO;
		}
		if (r <= 0)
			continue;
		/* Walk backwards: udp_read may close (remove) attempt i. */
		for (size_t j = np; j-- > 0;) {
			if (!(pfd[j].revents & (POLLIN | POLLERR | POLLHUP)))
				continue;
			bool is_cur = c->out[j].fd == cur;
			int rc = udp_read(c, j, msg_out, tcp_out);
			if (rc == READ_ANSWER || rc < 0)
				return rc;
			if (rc == READ_FAILED && is_cur)
				return 0;
		}
	}
}

/* Compose the failure reason and code once every try is spent. */
static int
finish_failure(struct qctx *c, unsigned elapsed)
{
	char *r = c->info->reason;
	size_t cap = sizeof(c->info->reason), len = 0;
	int code = c->hard_code ? c->hard_code : ZTK_ETIMEDOUT;
	size_t nt = 0;

	for (size_t i = 0; i < c->n; i++)
		nt += c->timed_out[i];
	if (c->hard_code)
		len = (size_t)snprintf(r, cap, "%s", c->hard);
	if (nt && len < cap) {
		len += (size_t)snprintf(r + len, cap - len, "%sno answer from ",
			len ? "; " : "");
		size_t shown = 0;
		for (size_t i = 0; i < c->n && len < cap; i++) {
			if (!c->timed_out[i])
				continue;
			if (shown == 4) {
				len += (size_t)snprintf(r + len, cap - len,
					" and %zu more", nt - shown);
				break;
			}
			char st[ZTK_SERVER_TEXT_MAX];
			server_text(c, i, st);
			len += (size_t)snprintf(r + len, cap - len, "%s%s",
				shown ? ", " : "", st);
			shown++;
		}
		if (len < cap)
			len += (size_t)snprintf(r + len, cap - len,
				" within %u ms", elapsed);
	}
	if (!c->hard_code && !nt && len < cap)
		len += (size_t)snprintf(r + len, cap - len, "no server could be "
			"asked within %u ms", elapsed);
	if (c->info->ignored && len < cap)
		snprintf(r + len, cap - len, " (%u answer%s ignored, last: %s)",
			c->info->ignored, c->info->ignored == 1 ? "" : "s",
			c->ignored_why);
	return code;
}

int
ztk_resolver_query(const struct ztk_server *servers, size_t nservers,
	const uint8_t *qname, uint16_t qtype, const struct ztk_query_opts *opts,
	struct ztk_msg **msg_out, struct ztk_query_info *info_out)
{
	static const struct ztk_query_opts defaults;
	const struct ztk_query_opts *o = opts ? opts : &defaults;
	struct ztk_query_info info_local;
	struct ztk_query_info *info = info_out ? info_out : &info_local;
	struct ztk_msg *m = NULL;
	bool tcp = false;
	int rc = 0, qlen;

	memset(info, 0, sizeof(*info));
	info->server = -1;
	if (msg_out)
		*msg_out = NULL;
	if (!servers || !nservers || !qname || !msg_out ||
	    (o->do_bit && o->no_edns) ||
	    (qlen = ztk_dname_wire_check(qname, ZTK_DNAME_MAX)) < 0) {
		snprintf(info->reason, sizeof(info->reason), "invalid query "
			"arguments");
		return ZTK_EINVAL;
	}
	for (size_t i = 0; i < nservers; i++) {
		if (servers[i].family != 4 && servers[i].family != 6) {
			snprintf(info->reason, sizeof(info->reason), "server "
				"%zu has no address family", i);
			return ZTK_EINVAL;
		}
	}

	struct qctx c = {
		.servers = servers, .n = nservers, .qname = qname,
		.qlen = (size_t)qlen, .qtype = qtype,
		.qclass = o->qclass ? o->qclass : ZTK_CLASS_IN,
		.qopts = { .rd = o->rd_bit, .cd = o->cd_bit,
			.do_bit = o->do_bit, .no_edns = o->no_edns,
			.udp_size = o->udp_size },
		.popts = { .max_records = o->max_records },
		.timeout_ms = o->timeout_ms ? o->timeout_ms : ZTK_QUERY_TIMEOUT_MS,
		.info = info,
	};
	unsigned tries = o->tries ? o->tries : ZTK_QUERY_TRIES;
	c.start = now_ms();
	c.deadline = c.start + (o->deadline_ms ? o->deadline_ms :
		ZTK_QUERY_DEADLINE_MS);
	c.buf = malloc(ZTK_MSG_MAX + 2);
	c.dead = calloc(nservers, sizeof(bool));
	c.timed_out = calloc(nservers, sizeof(bool));
	if (!c.buf || !c.dead || !c.timed_out) {
		rc = ZTK_ENOMEM;
		snprintf(info->reason, sizeof(info->reason), "out of memory");
		goto out;
	}

	for (unsigned t = 0; t < tries && !m; t++) {
		size_t alive = 0;
		for (size_t si = 0; si < nservers && !m; si++) {
			if (c.dead[si])
				continue;
			alive++;
			int64_t now = now_ms();
			if (now >= c.deadline)
				goto spent;
			int64_t try_end = now + c.timeout_ms;
			if (try_end > c.deadline)
				try_end = c.deadline;
			if (o->tcp_only) {
				rc = tcp_query(&c, si, try_end, &m);
				if (rc == 0) {
					info->server = (int)si;
					tcp = true;
				} else if (rc == ZTK_ENOMEM || rc == ZTK_EIO) {
					goto out;
				}
				rc = 0;
				continue;
			}
			int fd = udp_start(&c, si);
			if (fd == ZTK_ENOMEM || fd == ZTK_EIO) {
				rc = fd;
				goto out;
			}
			if (fd < 0)
				continue;
			rc = udp_wait(&c, fd, try_end, &m, &tcp);
			if (rc < 0)
				goto out;
			if (rc <= 0 && !c.dead[si] && now_ms() >= try_end) {
				/* this try ran out of time (an earlier try's
				 * socket may still answer in the next wait) */
				c.timed_out[si] = true;
			}
			rc = 0;
		}
		if (!alive)
			break;
	}
spent:
	if (!m) {
		unsigned el = (unsigned)(now_ms() - c.start);
		rc = finish_failure(&c, el);
	}
out:
	for (size_t i = 0; i < c.nout; i++)
		close(c.out[i].fd);
	free(c.buf);
	free(c.dead);
	free(c.timed_out);
	info->elapsed_ms = (unsigned)(now_ms() - c.start);
	if (m) {
		info->tcp = tcp;
		info->reason[0] = 0;
		*msg_out = m;
		return 0;
	}
	if (!info->reason[0])
		snprintf(info->reason, sizeof(info->reason), "%s",
			ztk_strerror(rc));
	return rc;
}

int
ztk_server_parse(const char *text, struct ztk_server *out, char *why,
	size_t whylen)
{
	char host[ZTK_SERVER_TEXT_MAX];
	const char *port = NULL;
	size_t len;

	if (why && whylen)
		why[0] = 0;
	if (!text || !out)
		return ZTK_EINVAL;
	memset(out, 0, sizeof(*out));
	len = strlen(text);
	if (len == 0 || len >= sizeof(host))
		goto bad;
	memcpy(host, text, len + 1);

	char *hash = strchr(host, '#');
	if (host[0] == '[') {                   /* [v6]:port, [v6]#port */
		char *close_br = strchr(host, ']');
		if (!close_br)
			goto bad;
		if (close_br[1] == ':' || close_br[1] == '#')
			port = close_br + 2;
		else if (close_br[1] != 0)
			goto bad;
		*close_br = 0;
		memmove(host, host + 1, strlen(host + 1) + 1);
	} else if (hash) {                      /* BIND style addr#port */
		*hash = 0;
		port = hash + 1;
	} else {
		char *colon = strchr(host, ':');
		if (colon && !strchr(colon + 1, ':')) {  /* v4:port */
			*colon = 0;
			port = colon + 1;
		}
	}

	out->port = 53;
	if (port) {
		unsigned long v = 0;
		if (!*port)
			goto bad;
		for (const char *p = port; *p; p++) {
			if (!ztk_isdigit((uint8_t)*p) || v > 65535)
				goto bad;
			v = v * 10 + (unsigned long)(*p - '0');
		}
		if (v == 0 || v > 65535)
			goto bad;
		out->port = (uint16_t)v;
	}

	char *pct = strchr(host, '%');
	if (pct)
		*pct = 0;
	if (inet_pton(AF_INET, host, out->addr) == 1 && !pct) {
		out->family = 4;
		return 0;
	}
	if (inet_pton(AF_INET6, host, out->addr) == 1) {
		out->family = 6;
		if (pct) {
			const char *z = pct + 1;
			unsigned long v = 0;
			bool numeric = *z != 0;
			for (const char *p = z; *p; p++)
				if (!ztk_isdigit((uint8_t)*p))
					numeric = false;
			if (numeric) {
				for (const char *p = z; *p && v <= UINT32_MAX;
				     p++)
					v = v * 10 + (unsigned long)(*p - '0');
				if (v > UINT32_MAX)
					goto bad;
				out->scope_id = (uint32_t)v;
			} else if (!*z || !(out->scope_id = if_nametoindex(z))) {
				goto bad;
			}
		}
		return 0;
	}
bad:
	memset(out, 0, sizeof(*out));
	if (why && whylen)
		snprintf(why, whylen, "\"%s\" is not an IPv4 or IPv6 address "
			"with an optional #port", text ? text : "");
	return ZTK_ESYNTAX;
}

int
ztk_server_from_addr(const uint8_t *addr, size_t alen, uint16_t port,
	struct ztk_server *out)
{
	if (!addr || !out || (alen != 4 && alen != 16))
		return ZTK_EINVAL;
	memset(out, 0, sizeof(*out));
	out->family = alen == 4 ? 4 : 6;
	memcpy(out->addr, addr, alen);
	out->port = port ? port : 53;
	return 0;
}

size_t
ztk_server_print(const struct ztk_server *s, char *out)
{
	char a[INET6_ADDRSTRLEN], z[IF_NAMESIZE + 12] = "";
	if (!inet_ntop(s->family == 4 ? AF_INET : AF_INET6, s->addr, a,
	    sizeof(a)))
		snprintf(a, sizeof(a), "?");
	if (s->family == 6 && s->scope_id) {
		char ifn[IF_NAMESIZE];
		if (if_indextoname(s->scope_id, ifn))
			snprintf(z, sizeof(z), "%%%s", ifn);
		else
			snprintf(z, sizeof(z), "%%%u", s->scope_id);
	}
	int n = snprintf(out, ZTK_SERVER_TEXT_MAX, "%s%s#%u", a, z,
		s->port ? s->port : 53);
	return n < 0 ? 0 : (size_t)n < ZTK_SERVER_TEXT_MAX ? (size_t)n :
		ZTK_SERVER_TEXT_MAX - 1;
}
