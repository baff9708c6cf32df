/*
 * ztk/msg.h - DNS messages: a parser for answers and a builder for queries.
 *
 * The parser treats every message as hostile input (RFC 1035 4.1, RFC 6891
 * 6.1).  It checks every length against the octets that are really there,
 * follows compression pointers only backwards, to at most 128 of them per
 * name, and never past 255 octets of name (labels at most 63 octets), caps
 * the number of records, and checks every RDATA length.  What it hands back
 * is ready for DNSSEC work: owner names and the names inside the RDATA of
 * the types whose names may be compressed (below) come out uncompressed, in
 * the case the server sent, so RFC 4034 6.2 canonical form is one
 * ztk_rdata_canonicalize() away and RDATA is used exactly as signed.
 *
 * Names in RDATA are decompressed for the types of RFC 1035 (NS, MD, MF,
 * CNAME, SOA, MB, MG, MR, PTR, MINFO, MX), those RFC 3597 4 says receivers
 * should decompress (RP, AFSDB, RT, SIG, PX, NXT, NAPTR, SRV), and three
 * whose senders must not compress but may have (DNAME, RFC 6672 2.5; the
 * RRSIG signer, RFC 4034 3.1.7; the NSEC next name, RFC 4034 4.1.1).  The
 * RDATA of those types, and of A, AAAA, DS, CDS, DNSKEY, CDNSKEY, NSEC3 and
 * NSEC3PARAM, must hold exactly its fixed fields, names and strings (a
 * message with an RRSIG shorter than 18 octets, or an A record of 5 octets,
 * is malformed).  Any other type is opaque: its RDATA is copied unchanged,
 * octets that look like compression pointers included (RFC 3597 4).
 *
 * The OPT pseudo-record (RFC 6891) is taken out of the records and exposed
 * as struct ztk_msg_edns; it must be unique, in the additional section,
 * owned by the root, with well-formed options.
 */
#ifndef ZTK_MSG_H
#define ZTK_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <ztk/visibility.h>
#include <ztk/scanner.h>

/* Largest DNS message (RFC 1035 4.2.2: TCP length is 16 bits). */
#define ZTK_MSG_MAX 65535
/* Header length (RFC 1035 4.1.1). */
#define ZTK_MSG_HDR_LEN 12
/* Room a query from ztk_msg_query() can need: header, question, OPT. */
#define ZTK_MSG_QUERY_MAX (ZTK_MSG_HDR_LEN + 255 + 4 + 11)
/* EDNS UDP payload size we advertise (DNS Flag Day 2020 value). */
#define ZTK_EDNS_UDP_SIZE 1232
/* Default cap on answer + authority + additional records of one message. */
#define ZTK_MSG_MAX_RECORDS 4096

/* Header flag bits, at their places in the second 16-bit header word. */
#define ZTK_MSG_QR 0x8000u     /* response */
#define ZTK_MSG_AA 0x0400u     /* authoritative answer */
#define ZTK_MSG_TC 0x0200u     /* truncated */
#define ZTK_MSG_RD 0x0100u     /* recursion desired */
#define ZTK_MSG_RA 0x0080u     /* recursion available */
#define ZTK_MSG_Z  0x0040u     /* reserved, must be zero */
#define ZTK_MSG_AD 0x0020u     /* authentic data (RFC 4035 3.2.3) */
#define ZTK_MSG_CD 0x0010u     /* checking disabled (RFC 4035 3.2.2) */

/* EDNS flag bits (the low 16 bits of the OPT TTL, RFC 6891 6.1.4). */
#define ZTK_EDNS_DO 0x8000u    /* DNSSEC OK (RFC 3225) */

/* RCODEs the toolkit looks at (the IANA "DNS RCODEs" registry). */
enum ztk_rcode {
	ZTK_RCODE_NOERROR = 0, ZTK_RCODE_FORMERR = 1, ZTK_RCODE_SERVFAIL = 2,
	ZTK_RCODE_NXDOMAIN = 3, ZTK_RCODE_NOTIMP = 4, ZTK_RCODE_REFUSED = 5,
	ZTK_RCODE_BADVERS = 16, ZTK_RCODE_BADCOOKIE = 23,
};

enum ztk_section {
	ZTK_SECTION_ALL = 0,        /* only as an argument of ztk_msg_rrs() */
	ZTK_SECTION_ANSWER = 1,
	ZTK_SECTION_AUTHORITY = 2,
	ZTK_SECTION_ADDITIONAL = 3,
};

/* The header as parsed; plain data. */
struct ztk_msg_header {
	uint16_t id;
	uint16_t flags;         /* ZTK_MSG_QR ... ZTK_MSG_CD, nothing else */
	uint8_t opcode;         /* 0 QUERY, 4 NOTIFY, 5 UPDATE, ... */
	uint16_t rcode;         /* 0..4095: header RCODE, plus the OPT's
	                         * extended RCODE << 4 when there is an OPT */
	/* counts as the header states them; OPT counts in arcount */
	uint16_t qdcount, ancount, nscount, arcount;
};

/* The OPT pseudo-record (RFC 6891 6.1.2-6.1.3); plain data. */
struct ztk_msg_edns {
	bool present;           /* false: no OPT, the other fields are zero */
	uint8_t version;        /* EDNS version (0) */
	uint16_t udp_size;      /* requestor's UDP payload size (CLASS) */
	uint16_t flags;         /* ZTK_EDNS_DO and the 15 Z bits */
	uint8_t ext_rcode;      /* upper 8 bits of the 12-bit RCODE */
	const uint8_t *options; /* {code, length, data}..., each checked to fit */
	uint16_t options_len;
};

/*
 * One resource record.  rr is usable as is by the rest of libztk (e.g.
 * ztk_zone_add()): owner and rdata point into the message and live as long
 * as it does; owner is the uncompressed wire name, rdata has its names
 * uncompressed as described above, rdlen is its length after that.
 * rr.ttl is the 32-bit value sent (RFC 2181 8 asks readers to treat values
 * above 2^31-1 as 0; that is the caller's call).  rr.flags is 0, rr.file is
 * the section name ("answer", "authority", "additional"), rr.line the
 * record's 1-based position in its section and rr.col 0, so diagnostics
 * written for zone files point at the record.
 */
struct ztk_msg_rr {
	struct ztk_rr rr;
	enum ztk_section section;
};

/* A parsed message: opaque, immutable, one allocation owner. */
struct ztk_msg;

struct ztk_msg_parse_opts {
	/*
	 * Cap on answer + authority + additional records (the OPT included);
	 * a message whose header counts exceed it is refused with ZTK_ELIMIT
	 * before anything is read.  0: ZTK_MSG_MAX_RECORDS.
	 */
	unsigned max_records;
};

/*
 * Parse wire octets (len at most ZTK_MSG_MAX) into a new message.  The input
 * is copied; the caller may free it at once.  opts may be NULL.
 *
 * A message with TC set may end early (RFC 2181 9: the sender cut it): the
 * records read in full are kept and the rest dropped, without error; the
 * header counts still say what the sender announced.  Without TC, data that
 * ends before the header counts are met is malformed.  Octets after the last
 * record are ignored.
 *
 * Returns 0 and *msg_out (free with ztk_msg_free()), or:
 *   ZTK_EMALF   anything malformed; why says what and at which offset, e.g.
 *               "answer record 2: compression pointer at offset 45 points
 *               forward to 60"
 *   ZTK_ELIMIT  more records than opts->max_records
 *   ZTK_EINVAL  len over ZTK_MSG_MAX, or NULL arguments
 *   ZTK_ENOMEM
 * why (whylen octets, may be NULL/0) receives one line, no newline.
 */
ZTK_API int ztk_msg_parse(const uint8_t *wire, size_t len,
	const struct ztk_msg_parse_opts *opts, struct ztk_msg **msg_out,
	char *why, size_t whylen);

/* Free a message; NULL is a no-op. */
ZTK_API void ztk_msg_free(struct ztk_msg *msg);

/* The header; never NULL. */
ZTK_API const struct ztk_msg_header *ztk_msg_header(const struct ztk_msg *msg);

/* The EDNS data; never NULL (present false when the message has no OPT). */
ZTK_API const struct ztk_msg_edns *ztk_msg_edns(const struct ztk_msg *msg);

/*
 * The question: 0 and qname (uncompressed wire form, case as sent), qtype,
 * qclass (any out pointer may be NULL), or ZTK_ENOENT if QDCOUNT is 0.
 * A message with more than one question is malformed (RFC 9619).
 */
ZTK_API int ztk_msg_question(const struct ztk_msg *msg,
	const uint8_t **qname_out, uint16_t *qtype_out, uint16_t *qclass_out);

/*
 * Records of one section (or of all, in message order, for
 * ZTK_SECTION_ALL): returns their number and points *rrs_out at the first
 * (NULL when there are none).  The OPT record is never among them.
 */
ZTK_API size_t ztk_msg_rrs(const struct ztk_msg *msg, enum ztk_section section,
	const struct ztk_msg_rr **rrs_out);

/* True if the message had TC set and ended before its header counts. */
ZTK_API bool ztk_msg_is_partial(const struct ztk_msg *msg);

/* The message as received (a copy of what ztk_msg_parse() was given). */
ZTK_API const uint8_t *ztk_msg_wire(const struct ztk_msg *msg, size_t *len_out);

/*
 * Mnemonic of an RCODE ("NXDOMAIN", "BADVERS"), or "RCODEnnn" written into
 * buf (16 octets) for one without.  Returns a static string or buf.
 */
ZTK_API const char *ztk_rcode_name(unsigned rcode, char *buf);

/* Section name: "answer", "authority", "additional" ("all" for 0). */
ZTK_API const char *ztk_section_name(enum ztk_section section);

struct ztk_msg_query_opts {
	bool rd;                /* RD: ask the server to recurse */
	bool cd;                /* CD: a validating stub checks itself */
	bool ad;                /* AD in the query: ask for the AD bit in the
	                         * answer (RFC 6840 5.7) */
	bool do_bit;            /* EDNS DO: send DNSSEC records */
	bool no_edns;           /* no OPT record (then do_bit is refused) */
	uint16_t udp_size;      /* EDNS UDP payload size; 0: 1232 */
};

/*
 * Write a query (opcode QUERY, one question, no records but the OPT) into
 * out (cap octets; ZTK_MSG_QUERY_MAX is always enough) with a fresh random
 * ID from getrandom(2) (OpenSSL's RAND_bytes() if that fails).  The ID is
 * in out[0..1], big-endian.  opts may be NULL: no RD, EDNS with UDP size
 * 1232, no DO.  qname must be a valid uncompressed wire name; it is sent
 * exactly as given (case included).
 *
 * Returns 0 and *len_out, or ZTK_EINVAL (bad qname, do_bit with no_edns),
 * ZTK_ESPACE (cap too small), ZTK_EIO (no randomness available).
 */
ZTK_API int ztk_msg_query(const uint8_t *qname, uint16_t qtype,
	uint16_t qclass, const struct ztk_msg_query_opts *opts, uint8_t *out,
	size_t cap, size_t *len_out);

#endif /* ZTK_MSG_H */
