/*
 * msg.c - DNS message parser (hostile input) and query builder.
 *
 * The parser reads the message once, front to back.  Owner names and the
 * names inside RDATA of the types listed in ztk/msg.h are written
 * uncompressed into one growable arena; records keep offsets into it until
 * the end, when the arena no longer moves and the offsets become pointers.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <openssl/rand.h>

#include <ztk/dname.h>
#include <ztk/error.h>
#include <ztk/msg.h>
#include <ztk/rrtype.h>
#include "util.h"

/*
 * A legal name has at most 127 labels and needs at most one pointer per
 * label, so more jumps than that is a crafted chain of pointers.
 */
#define MAX_JUMPS 128
/* Arena ceiling: far above what 4096 records of a 64 KiB message expand to. */
#define ARENA_MAX (16u << 20)
/* Smallest record: root owner (1) + type, class, TTL, RDLENGTH (10). */
#define MIN_RR_LEN 11

struct rr_off {
	size_t owner, rdata;
};

struct ztk_msg {
	struct ztk_msg_header hdr;
	struct ztk_msg_edns edns;
	bool has_question;
	bool partial;
	uint8_t qname[ZTK_DNAME_MAX];
	uint16_t qtype, qclass;
	size_t edns_opt_off;
	struct ztk_msg_rr *rrs;
	size_t nrr;
	size_t sec_first[4], sec_count[4];
	uint8_t *data;
	size_t data_len, data_cap;
	uint8_t *wire;
	size_t wire_len;
};

struct parser {
	const uint8_t *p;
	size_t len;
	struct ztk_msg *m;
	char *why;
	size_t whylen;
	char where[48];         /* "answer record 3", prefix of every reason */
	bool ran_out;           /* the error is data ending early */
};

static const char *const section_names[] = {
	"all", "answer", "authority", "additional"
};

static ZTK_COLD __attribute__((format(printf, 3, 4))) int
fail(struct parser *ps, int code, const char *fmt, ...)
{
	if (ps->why && ps->whylen) {
		int n = 0;
		if (ps->where[0])
			n = snprintf(ps->why, ps->whylen, "%s: ", ps->where);
		if (n >= 0 && (size_t)n < ps->whylen) {
			va_list ap;
			va_start(ap, fmt);
			vsnprintf(ps->why + n, ps->whylen - (size_t)n, fmt, ap);
			va_end(ap);
		}
	}
	return code;
}

/* Data ended before a field the counts promise: TC may excuse it. */
static ZTK_COLD int
fail_short(struct parser *ps, size_t at, const char *what)
{
	ps->ran_out = true;
	return fail(ps, ZTK_EMALF, "%s at offset %zu runs past the end of the "
		"message (%zu octets)", what, at, ps->len);
}

static int
arena_reserve(struct parser *ps, size_t n)
{
	struct ztk_msg *m = ps->m;
	if (n <= m->data_cap - m->data_len)
		return 0;
	if (n > ARENA_MAX - m->data_len)
		return fail(ps, ZTK_ELIMIT, "records expand to more than %u "
			"octets", ARENA_MAX);
	size_t cap = m->data_cap ? m->data_cap : 4096;
	while (cap - m->data_len < n)
		cap *= 2;
	if (cap > ARENA_MAX)
		cap = ARENA_MAX;
	uint8_t *d = realloc(m->data, cap);
	if (!d)
		return ZTK_ENOMEM;
	m->data = d;
	m->data_cap = cap;
	return 0;
}

static int
arena_put(struct parser *ps, const void *src, size_t n)
{
	int rc = arena_reserve(ps, n);
	if (rc)
		return rc;
	if (n)
		memcpy(ps->m->data + ps->m->data_len, src, n);
	ps->m->data_len += n;
	return 0;
}

/*
 * Read the name at *pos into out (ZTK_DNAME_MAX octets), uncompressed.
 * Its inline part must end by limit: the end of the message for owner
 * names and QNAME (then running out may be truncation), or of the RDATA it
 * sits in (then it is always malformed); *pos moves past that part.  Every pointer must point strictly before
 * itself, and the labels it leads to must end before it too (a name only
 * ever refers to names written earlier), so the walk always terminates;
 * MAX_JUMPS stops chains of pointers to pointers early.
 * Returns the uncompressed length (1..255) or an error.
 */
static int
read_name(struct parser *ps, size_t *pos, size_t limit, bool in_rdata,
	uint8_t *out, const char *what)
{
	size_t at = *pos, end = limit, n = 0;
	unsigned jumps = 0;
	bool jumped = false;

	for (;;) {
		if (at >= end) {
			if (!jumped && !in_rdata)
				return fail_short(ps, *pos, what);
			if (!jumped)
				return fail(ps, ZTK_EMALF, "%s at offset %zu runs "
					"past the end of its RDATA", what, *pos);
			return fail(ps, ZTK_EMALF, "%s: the name a compression "
				"pointer leads to runs into the pointer at "
				"offset %zu", what, end);
		}
		uint8_t c = ps->p[at];
		if ((c & 0xC0) == 0xC0) {
			if (at + 1 >= end) {
				if (!jumped && !in_rdata)
					return fail_short(ps, at, what);
				return fail(ps, ZTK_EMALF, "%s: compression "
					"pointer at offset %zu is cut off",
					what, at);
			}
			size_t target = ((size_t)(c & 0x3F) << 8) | ps->p[at + 1];
			if (!jumped)
				*pos = at + 2;
			if (target >= at)
				return fail(ps, ZTK_EMALF, "%s: compression "
					"pointer at offset %zu points forward "
					"to %zu", what, at, target);
			if (target < ZTK_MSG_HDR_LEN)
				return fail(ps, ZTK_EMALF, "%s: compression "
					"pointer at offset %zu points into the "
					"header (%zu)", what, at, target);
			if (++jumps > MAX_JUMPS)
				return fail(ps, ZTK_EMALF, "%s: more than %d "
					"compression pointers", what, MAX_JUMPS);
			end = at;
			at = target;
			jumped = true;
			continue;
		}
		if (c & 0xC0)   /* 01 and 10: extended label types (RFC 6891 5) */
			return fail(ps, ZTK_EMALF, "%s: label type 0x%02x at "
				"offset %zu is not supported", what, c & 0xC0,
				at);
		if (c == 0) {
			out[n++] = 0;
			if (!jumped)
				*pos = at + 1;
			return (int)n;
		}
		if (n + 1 + c + 1 > ZTK_DNAME_MAX)
			return fail(ps, ZTK_EMALF, "%s: name longer than %d "
				"octets", what, ZTK_DNAME_MAX);
		if ((size_t)c + 1 > end - at) {
			if (!jumped && !in_rdata)
				return fail_short(ps, at, what);
			return fail(ps, ZTK_EMALF, "%s: label at offset %zu "
				"runs past the end of %s", what, at,
				jumped ? "the name it belongs to" : "its RDATA");
		}
		memcpy(out + n, ps->p + at, (size_t)c + 1);
		n += (size_t)c + 1;
		at += (size_t)c + 1;
	}
}

/*
 * RDATA layouts: 'N' a name (decompressed), 'S' a <character-string>, 'R'
 * the rest (zero or more octets), a byte 1..31 that many fixed octets.
 * The RDATA must hold exactly these fields.  NULL: opaque, copied as is.
 */
static const char *
rdata_layout(uint16_t type)
{
	switch (type) {
	case ZTK_TYPE_NS: case ZTK_TYPE_MD: case ZTK_TYPE_MF:
	case ZTK_TYPE_CNAME: case ZTK_TYPE_MB: case ZTK_TYPE_MG:
	case ZTK_TYPE_MR: case ZTK_TYPE_PTR: case ZTK_TYPE_DNAME:
		return "N";
	case ZTK_TYPE_SOA:
		return "NN\x14";                /* MNAME RNAME, 5 x 32 bits */
	case ZTK_TYPE_MINFO: case ZTK_TYPE_RP:
		return "NN";
	case ZTK_TYPE_MX: case ZTK_TYPE_AFSDB: case ZTK_TYPE_RT:
		return "\x02N";
	case ZTK_TYPE_PX:
		return "\x02NN";
	case ZTK_TYPE_SRV:
		return "\x06N";
	case ZTK_TYPE_NAPTR:
		return "\x04SSSN";
	case ZTK_TYPE_RRSIG: case ZTK_TYPE_SIG:
		return "\x12NR";                /* 18 fixed octets, signer */
	case ZTK_TYPE_NSEC: case ZTK_TYPE_NXT:
		return "NR";
	case ZTK_TYPE_A:
		return "\x04";
	case ZTK_TYPE_AAAA:
		return "\x10";
	case ZTK_TYPE_DS: case ZTK_TYPE_CDS:
	case ZTK_TYPE_DNSKEY: case ZTK_TYPE_CDNSKEY:
		return "\x04R";
	case ZTK_TYPE_NSEC3:
		return "\x04SSR";               /* salt, next hashed owner */
	case ZTK_TYPE_NSEC3PARAM:
		return "\x04S";
	default:
		return NULL;
	}
}

/* Copy the RDATA at [at, end) into the arena, decompressing as laid out. */
static int
read_rdata(struct parser *ps, uint16_t type, size_t at, size_t end)
{
	const char *lay = rdata_layout(type);
	size_t start = ps->m->data_len, rdstart = at;
	char tn[16];
	int rc;

	if (!lay)
		return arena_put(ps, ps->p + at, end - at);
	for (; *lay; lay++) {
		if (*lay == 'N') {
			uint8_t name[ZTK_DNAME_MAX];
			rc = read_name(ps, &at, end, true, name, "name in RDATA");
			if (rc < 0)
				return rc;
			rc = arena_put(ps, name, (size_t)rc);
		} else if (*lay == 'S') {
			if (at >= end || ps->p[at] >= end - at)
				return fail(ps, ZTK_EMALF, "%s RDATA: string at "
					"offset %zu runs past the RDATA length",
					ztk_rrtype_name(type, tn), at);
			size_t n = (size_t)ps->p[at] + 1;
			rc = arena_put(ps, ps->p + at, n);
			at += n;
		} else if (*lay == 'R') {
			rc = arena_put(ps, ps->p + at, end - at);
			at = end;
		} else {
			size_t n = (uint8_t)*lay;
			if (n > end - at)
				return fail(ps, ZTK_EMALF, "%s RDATA of %zu "
					"octets is too short", ztk_rrtype_name(
					type, tn), end - rdstart);
			rc = arena_put(ps, ps->p + at, n);
			at += n;
		}
		if (rc)
			return rc;
	}
	if (at != end)
		return fail(ps, ZTK_EMALF, "%s RDATA has %zu octets after its "
			"last field", ztk_rrtype_name(type, tn), end - at);
	if (ps->m->data_len - start > 65535)
		return fail(ps, ZTK_EMALF, "%s RDATA is longer than 65535 "
			"octets once its names are decompressed",
			ztk_rrtype_name(type, tn));
	return 0;
}

/* The OPT record (RFC 6891 6.1): unique, additional section, root owner. */
static int
read_opt(struct parser *ps, enum ztk_section sec, const uint8_t *owner,
	uint16_t cls, uint32_t ttl, size_t at, size_t end)
{
	struct ztk_msg *m = ps->m;
	if (sec != ZTK_SECTION_ADDITIONAL)
		return fail(ps, ZTK_EMALF, "OPT record outside the additional "
			"section");
	if (m->edns.present)
		return fail(ps, ZTK_EMALF, "more than one OPT record");
	if (owner[0] != 0)
		return fail(ps, ZTK_EMALF, "OPT record not owned by the root");
	for (size_t o = at; o < end;) {
		if (end - o < 4)
			return fail(ps, ZTK_EMALF, "EDNS option header at offset "
				"%zu cut off", o);
		size_t olen = ztk_get16(ps->p + o + 2);
		if (olen > end - o - 4)
			return fail(ps, ZTK_EMALF, "EDNS option %u at offset %zu "
				"runs past the OPT RDATA", ztk_get16(ps->p + o),
				o);
		o += 4 + olen;
	}
	m->edns.present = true;
	m->edns.udp_size = cls;
	m->edns.ext_rcode = (uint8_t)(ttl >> 24);
	m->edns.version = (uint8_t)(ttl >> 16);
	m->edns.flags = (uint16_t)ttl;
	m->edns.options_len = (uint16_t)(end - at);
	m->edns_opt_off = m->data_len;
	return arena_put(ps, ps->p + at, end - at);
}

/* One record at *pos of section sec, its index idx there (0-based). */
static int
read_rr(struct parser *ps, size_t *pos, enum ztk_section sec, size_t idx,
	struct rr_off *off)
{
	struct ztk_msg *m = ps->m;
	uint8_t owner[ZTK_DNAME_MAX];
	size_t at = *pos;
	int rc, olen;

	snprintf(ps->where, sizeof(ps->where), "%s record %zu",
		section_names[sec], idx + 1);
	olen = read_name(ps, &at, ps->len, false, owner, "owner name");
	if (olen < 0)
		return olen;
	if (ps->len - at < 10)
		return fail_short(ps, at, "type, class, TTL and RDLENGTH");
	uint16_t type = ztk_get16(ps->p + at);
	uint16_t cls = ztk_get16(ps->p + at + 2);
	uint32_t ttl = ztk_get32(ps->p + at + 4);
	size_t rdlen = ztk_get16(ps->p + at + 8);
	at += 10;
	if (rdlen > ps->len - at)
		return fail_short(ps, at, "RDATA");
	size_t rdend = at + rdlen;

	if (type == ZTK_TYPE_OPT) {
		rc = read_opt(ps, sec, owner, cls, ttl, at, rdend);
		if (rc)
			return rc;
		*pos = rdend;
		return 1;       /* not a record to expose */
	}
	off->owner = m->data_len;
	if ((rc = arena_put(ps, owner, (size_t)olen)) != 0)
		return rc;
	off->rdata = m->data_len;
	if ((rc = read_rdata(ps, type, at, rdend)) != 0)
		return rc;

	struct ztk_msg_rr *r = &m->rrs[m->nrr];
	memset(r, 0, sizeof(*r));
	r->section = sec;
	r->rr.type = type;
	r->rr.rclass = cls;
	r->rr.ttl = ttl;
	r->rr.rdlen = (uint16_t)(m->data_len - off->rdata);
	r->rr.file = section_names[sec];
	r->rr.line = (uint32_t)idx + 1;
	*pos = rdend;
	return 0;
}

static int
parse(struct parser *ps, unsigned max_records)
{
	struct ztk_msg *m = ps->m;
	const uint8_t *p = ps->p;
	size_t pos = ZTK_MSG_HDR_LEN;
	int rc;

	if (ps->len < ZTK_MSG_HDR_LEN)
		return fail(ps, ZTK_EMALF, "message of %zu octets is shorter "
			"than a header", ps->len);
	uint16_t w = ztk_get16(p + 2);
	m->hdr.id = ztk_get16(p);
	m->hdr.flags = w & (ZTK_MSG_QR | ZTK_MSG_AA | ZTK_MSG_TC | ZTK_MSG_RD |
		ZTK_MSG_RA | ZTK_MSG_Z | ZTK_MSG_AD | ZTK_MSG_CD);
	m->hdr.opcode = (uint8_t)((w >> 11) & 0xF);
	m->hdr.rcode = w & 0xF;
	m->hdr.qdcount = ztk_get16(p + 4);
	m->hdr.ancount = ztk_get16(p + 6);
	m->hdr.nscount = ztk_get16(p + 8);
	m->hdr.arcount = ztk_get16(p + 10);
	bool tc = (m->hdr.flags & ZTK_MSG_TC) != 0;

	if (m->hdr.qdcount > 1)
		return fail(ps, ZTK_EMALF, "QDCOUNT is %u; a message carries "
			"at most one question", m->hdr.qdcount);
	size_t total = (size_t)m->hdr.ancount + m->hdr.nscount +
		m->hdr.arcount;
	if (total > max_records)
		return fail(ps, ZTK_ELIMIT, "header announces %zu records, "
			"more than the limit of %u", total, max_records);

	if (m->hdr.qdcount) {
		snprintf(ps->where, sizeof(ps->where), "question");
		rc = read_name(ps, &pos, ps->len, false, m->qname, "QNAME");
		if (rc >= 0 && ps->len - pos < 4)
			rc = fail_short(ps, pos, "QTYPE and QCLASS");
		if (rc < 0 && tc && ps->ran_out) {
			m->partial = true;      /* cut inside the question */
			return 0;
		}
		if (rc < 0)
			return rc;
		m->qtype = ztk_get16(p + pos);
		m->qclass = ztk_get16(p + pos + 2);
		m->has_question = true;
		pos += 4;
	}

	/* Each record takes at least MIN_RR_LEN octets: no more can fit. */
	size_t room = (ps->len - pos) / MIN_RR_LEN;
	if (total > room && !tc) {
		ps->where[0] = 0;
		return fail(ps, ZTK_EMALF, "header counts %zu records but only "
			"%zu octets follow the question", total, ps->len - pos);
	}
	size_t cap = total < room ? total : room;
	if (cap) {
		m->rrs = calloc(cap, sizeof(*m->rrs));
		if (!m->rrs)
			return ZTK_ENOMEM;
	}
	struct rr_off *offs = cap ? calloc(cap, sizeof(*offs)) : NULL;
	if (cap && !offs)
		return ZTK_ENOMEM;

	const uint16_t counts[4] = { 0, m->hdr.ancount, m->hdr.nscount,
		m->hdr.arcount };
	rc = 0;
	for (int s = 1; s <= 3; s++)
		m->sec_first[s] = 0;
	for (int s = 1; s <= 3 && !rc && !m->partial; s++) {
		m->sec_first[s] = m->nrr;
		for (size_t i = 0; i < counts[s] && !rc; i++) {
			size_t mark = m->data_len;
			/* cap slots full: less than MIN_RR_LEN octets are left */
			if (m->nrr == cap)
				rc = fail_short(ps, pos, "record");
			else
				rc = read_rr(ps, &pos, (enum ztk_section)s, i,
					&offs[m->nrr]);
			if (rc == 1) {         /* the OPT record */
				rc = 0;
			} else if (rc == 0) {
				m->nrr++;
			} else if (tc && ps->ran_out) {
				m->data_len = mark;
				m->partial = true;
				rc = 0;
				break;
			}
		}
		m->sec_count[s] = m->nrr - m->sec_first[s];
	}
	if (!rc) {
		/* the arena is final: offsets become pointers */
		for (size_t i = 0; i < m->nrr; i++) {
			m->rrs[i].rr.owner = m->data + offs[i].owner;
			m->rrs[i].rr.rdata = m->data + offs[i].rdata;
		}
		for (int s = 1; s <= 3; s++)
			if (!m->sec_count[s])
				m->sec_first[s] = m->nrr;
		if (m->edns.present) {
			m->edns.options = m->data + m->edns_opt_off;
			m->hdr.rcode |= (uint16_t)(m->edns.ext_rcode << 4);
		}
	}
	free(offs);
	return rc;
}

int
ztk_msg_parse(const uint8_t *wire, size_t len,
	const struct ztk_msg_parse_opts *opts, struct ztk_msg **msg_out,
	char *why, size_t whylen)
{
	if (why && whylen)
		why[0] = 0;
	if (!msg_out || (!wire && len))
		return ZTK_EINVAL;
	*msg_out = NULL;
	if (len > ZTK_MSG_MAX) {
		if (why && whylen)
			snprintf(why, whylen, "message of %zu octets is longer "
				"than %d", len, ZTK_MSG_MAX);
		return ZTK_EINVAL;
	}
	struct ztk_msg *m = calloc(1, sizeof(*m));
	if (!m)
		return ZTK_ENOMEM;
	m->wire = malloc(len ? len : 1);
	if (!m->wire) {
		free(m);
		return ZTK_ENOMEM;
	}
	if (len)
		memcpy(m->wire, wire, len);
	m->wire_len = len;

	struct parser ps = { .p = m->wire, .len = len, .m = m, .why = why,
		.whylen = whylen };
	unsigned max = opts && opts->max_records ? opts->max_records :
		ZTK_MSG_MAX_RECORDS;
	int rc = parse(&ps, max);
	if (rc) {
		ztk_msg_free(m);
		return rc;
	}
	*msg_out = m;
	return 0;
}

void
ztk_msg_free(struct ztk_msg *msg)
{
	if (!msg)
		return;
	free(msg->rrs);
	free(msg->data);
	free(msg->wire);
	free(msg);
}

const struct ztk_msg_header *
ztk_msg_header(const struct ztk_msg *msg)
{
	return &msg->hdr;
}

const struct ztk_msg_edns *
ztk_msg_edns(const struct ztk_msg *msg)
{
	return &msg->edns;
}

int
ztk_msg_question(const struct ztk_msg *msg, const uint8_t **qname_out,
	uint16_t *qtype_out, uint16_t *qclass_out)
{
	if (!msg->has_question)
		return ZTK_ENOENT;
	if (qname_out)
		*qname_out = msg->qname;
	if (qtype_out)
		*qtype_out = msg->qtype;
	if (qclass_out)
		*qclass_out = msg->qclass;
	return 0;
}

size_t
ztk_msg_rrs(const struct ztk_msg *msg, enum ztk_section section,
	const struct ztk_msg_rr **rrs_out)
{
	size_t first = 0, n = msg->nrr;
	if (section >= ZTK_SECTION_ANSWER && section <= ZTK_SECTION_ADDITIONAL) {
		first = msg->sec_first[section];
		n = msg->sec_count[section];
	} else if (section != ZTK_SECTION_ALL) {
		n = 0;
	}
	if (rrs_out)
		*rrs_out = n ? msg->rrs + first : NULL;
	return n;
}

bool
ztk_msg_is_partial(const struct ztk_msg *msg)
{
	return msg->partial;
}

const uint8_t *
ztk_msg_wire(const struct ztk_msg *msg, size_t *len_out)
{
	if (len_out)
		*len_out = msg->wire_len;
	return msg->wire;
}

const char *
ztk_rcode_name(unsigned rcode, char *buf)
{
	static const char *const names[] = {
		[0] = "NOERROR", [1] = "FORMERR", [2] = "SERVFAIL",
		[3] = "NXDOMAIN", [4] = "NOTIMP", [5] = "REFUSED",
		[6] = "YXDOMAIN", [7] = "YXRRSET", [8] = "NXRRSET",
		[9] = "NOTAUTH", [10] = "NOTZONE", [11] = "DSOTYPENI",
		[16] = "BADVERS", [17] = "BADKEY", [18] = "BADTIME",
		[19] = "BADMODE", [20] = "BADNAME", [21] = "BADALG",
		[22] = "BADTRUNC", [23] = "BADCOOKIE",
	};
	if (rcode < ZTK_ARRAY_LEN(names) && names[rcode])
		return names[rcode];
	snprintf(buf, 16, "RCODE%u", rcode & 0xFFFFu);
	return buf;
}

const char *
ztk_section_name(enum ztk_section section)
{
	if ((unsigned)section < ZTK_ARRAY_LEN(section_names))
		return section_names[section];
	return "?";
}

static int
random_id(uint16_t *id)
{
	uint8_t b[2];
	if (getrandom(b, sizeof(b), 0) != (ssize_t)sizeof(b) &&
	    RAND_bytes(b, (int)sizeof(b)) != 1)
		return ZTK_EIO;
	*id = ztk_get16(b);
	return 0;
}

int
ztk_msg_query(const uint8_t *qname, uint16_t qtype, uint16_t qclass,
	const struct ztk_msg_query_opts *opts, uint8_t *out, size_t cap,
	size_t *len_out)
{
	static const struct ztk_msg_query_opts defaults;
	const struct ztk_msg_query_opts *o = opts ? opts : &defaults;
	uint16_t id, flags = 0;
	int rc;

	if (!qname || !out || !len_out || (o->do_bit && o->no_edns))
		return ZTK_EINVAL;
	int qlen = ztk_dname_wire_check(qname, ZTK_DNAME_MAX);
	if (qlen < 0)
		return ZTK_EINVAL;
	size_t need = ZTK_MSG_HDR_LEN + (size_t)qlen + 4 + (o->no_edns ? 0 : 11);
	if (cap < need)
		return ZTK_ESPACE;
	if ((rc = random_id(&id)) != 0)
		return rc;
	if (o->rd)
		flags |= ZTK_MSG_RD;
	if (o->ad)
		flags |= ZTK_MSG_AD;
	if (o->cd)
		flags |= ZTK_MSG_CD;

	uint8_t *p = out;
	ztk_put16(p, id);
	ztk_put16(p + 2, flags);        /* QR 0, opcode QUERY, RCODE 0 */
	ztk_put16(p + 4, 1);
	ztk_put16(p + 6, 0);
	ztk_put16(p + 8, 0);
	ztk_put16(p + 10, o->no_edns ? 0 : 1);
	p += ZTK_MSG_HDR_LEN;
	memcpy(p, qname, (size_t)qlen);
	p += qlen;
	ztk_put16(p, qtype);
	ztk_put16(p + 2, qclass);
	p += 4;
	if (!o->no_edns) {
		/* RFC 6891 6.1.2: root owner, CLASS = UDP size, TTL = extended
		 * RCODE 0, version 0, DO + Z; no options */
		*p++ = 0;
		ztk_put16(p, ZTK_TYPE_OPT);
		ztk_put16(p + 2, o->udp_size ? o->udp_size : ZTK_EDNS_UDP_SIZE);
		ztk_put32(p + 4, o->do_bit ? ZTK_EDNS_DO : 0);
		ztk_put16(p + 8, 0);
		p += 10;
	}
	*len_out = (size_t)(p - out);
	return 0;
}
