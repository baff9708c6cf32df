/*
 * ztk/resolver.h - send one question to a list of servers, get one answer.
 *
 * This is the transport under the toolkit's DNS client: the stub mode asks a
 * recursive server (rd_bit), the iterative walker asks each zone's
 * authoritative servers in turn (no rd_bit) and follows referrals itself.
 * One call is one question; it blocks until an answer, an error or the
 * deadline, and keeps no state between calls (threads may call it at once).
 *
 * What it does (RFC 1035 4.2, RFC 5452, RFC 7766, RFC 6891):
 *   - UDP first, over a fresh socket per try whose source port the kernel
 *     picks at random, with a fresh random query ID; EDNS0 with a 1232-octet
 *     buffer unless told otherwise;
 *   - an answer over UDP counts only if it comes from the server's address
 *     and port, has QR set, opcode QUERY, our ID, and echoes our question
 *     octet for octet (name case included); anything else is ignored and
 *     the wait goes on (an off-path attacker's guess, a late answer to
 *     someone else).  Answers to earlier tries of the same call still count
 *     while their sockets are open (the last few tries);
 *   - a matching answer with TC set is asked again over TCP (two-octet
 *     length prefix, RFC 1035 4.2.2) of the same server; over TCP an answer
 *     that does not match, or is malformed, is an error for that server;
 *   - tries: the server list is walked in order, `tries` rounds, each try
 *     waiting timeout_ms (or what is left of deadline_ms); a server that
 *     refuses (ICMP port unreachable, TCP reset) is dropped for the rest of
 *     the call;
 *   - the RCODE is data: SERVFAIL, REFUSED, NXDOMAIN come back as a parsed
 *     message and return 0, like NOERROR.  The caller decides whether to
 *     ask another server.
 *
 * Not done here: EDNS fallback on FORMERR/BADVERS, DNS cookies, 0x20 case
 * randomisation, DNS over TLS, queries in parallel.
 */
#ifndef ZTK_RESOLVER_H
#define ZTK_RESOLVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <ztk/visibility.h>
#include <ztk/msg.h>

/*
 * A server address: plain data, copied freely.  The family is 4 or 6 (not
 * AF_INET/AF_INET6, so this header needs no socket headers).
 */
struct ztk_server {
	uint8_t family;         /* 4 or 6 */
	uint8_t addr[16];       /* IPv4 in the first 4 octets */
	uint16_t port;          /* host order; 0 means 53 */
	uint32_t scope_id;      /* IPv6 zone (interface index), else 0 */
};

/* Room for ztk_server_print(): "[v6 address%interface]#65535". */
#define ZTK_SERVER_TEXT_MAX 80

/*
 * Parse a server given as an address literal, never a host name (no
 * lookup is made): "192.0.2.1", "192.0.2.1#5353", "192.0.2.1:5353",
 * "2001:db8::1", "2001:db8::1#5353", "[2001:db8::1]:5353",
 * "fe80::1%eth0#53".  The port defaults to 53.
 * Returns 0 or ZTK_ESYNTAX (why gets a one-line reason when not NULL).
 */
ZTK_API int ztk_server_parse(const char *text, struct ztk_server *out,
	char *why, size_t whylen);

/*
 * Fill a server from raw address octets (the RDATA of an A or AAAA glue
 * record: alen 4 or 16) and a port (0 means 53).  Returns 0 or ZTK_EINVAL.
 */
ZTK_API int ztk_server_from_addr(const uint8_t *addr, size_t alen,
	uint16_t port, struct ztk_server *out);

/*
 * Print as "192.0.2.1#53" or "2001:db8::1#53" (BIND's notation, which
 * ztk_server_parse() reads back) into out (ZTK_SERVER_TEXT_MAX octets).
 * Returns the length.
 */
ZTK_API size_t ztk_server_print(const struct ztk_server *server, char *out);

/* Defaults taken for fields left 0. */
#define ZTK_QUERY_TIMEOUT_MS 1500
#define ZTK_QUERY_TRIES 2
#define ZTK_QUERY_DEADLINE_MS 8000

struct ztk_query_opts {
	unsigned timeout_ms;    /* wait per try (UDP, or a whole TCP
	                         * exchange); 0: ZTK_QUERY_TIMEOUT_MS */
	unsigned tries;         /* rounds over the server list; 0:
	                         * ZTK_QUERY_TRIES */
	unsigned deadline_ms;   /* the whole call, TCP retries included;
	                         * 0: ZTK_QUERY_DEADLINE_MS */
	uint16_t qclass;        /* 0: IN */
	uint16_t udp_size;      /* EDNS buffer size; 0: 1232 */
	bool rd_bit;            /* RD: ask for recursion (stub mode) */
	bool do_bit;            /* EDNS DO: ask for RRSIG, NSEC... */
	bool cd_bit;            /* CD: the caller validates itself */
	bool tcp_only;          /* skip UDP, ask over TCP only */
	bool no_edns;           /* no OPT record (do_bit must be false) */
	unsigned max_records;   /* parser cap; 0: ZTK_MSG_MAX_RECORDS */
};

/* How the call went; plain data, filled on success and on failure. */
struct ztk_query_info {
	int server;             /* index of the server that answered, or -1 */
	bool tcp;               /* the answer came over TCP */
	unsigned elapsed_ms;    /* wall time of the whole call */
	unsigned udp_sent;      /* UDP queries sent */
	unsigned tcp_tries;     /* TCP connections attempted */
	unsigned ignored;       /* UDP datagrams ignored (no match, bad) */
	/*
	 * On failure one line saying what happened, for an operator:
	 * "no answer from 127.0.0.1#53, ::1#53 within 3000 ms (2 tries
	 * each)", "malformed answer over TCP from 192.0.2.1#53: answer record
	 * 2: compression pointer at offset 45 points forward to 60".
	 * Empty on success.
	 */
	char reason[256];
};

/*
 * Ask servers[0..nservers-1] for (qname, qtype) as opts says (NULL: all
 * defaults, i.e. no RD, EDNS without DO).  qname is an uncompressed wire
 * name, sent as given.
 *
 * Returns 0 and *msg_out (free with ztk_msg_free()) holding an answer that
 * matched the query, whatever its RCODE; or
 *   ZTK_ETIMEDOUT  no server answered within the tries and the deadline
 *   ZTK_ENET       a network error (no route, refused) on every server
 *                  that did not time out
 *   ZTK_EMALF      an answer over TCP was malformed or did not match the
 *                  query (over UDP such answers are only ignored)
 *   ZTK_ELIMIT     an answer over TCP had more records than the limit
 *   ZTK_EINVAL     bad arguments (no servers, bad qname, do_bit + no_edns)
 *   ZTK_ENOMEM, ZTK_EIO (no randomness)
 * When several servers fail differently, the code is the last failure's
 * that is not a timeout.  info_out (may be NULL) is always filled.
 */
ZTK_API int ztk_resolver_query(const struct ztk_server *servers,
	size_t nservers, const uint8_t *qname, uint16_t qtype,
	const struct ztk_query_opts *opts, struct ztk_msg **msg_out,
	struct ztk_query_info *info_out);

#endif /* ZTK_RESOLVER_H */
