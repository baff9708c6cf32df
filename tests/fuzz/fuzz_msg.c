/*
 * fuzz_msg - libFuzzer harness for the DNS message parser: arbitrary bytes
 * as an answer off the wire, parsed as is and again with TC flipped (the
 * path that keeps a cut message's whole records).  Any crash, leak or
 * undefined behaviour is a bug, and so is a parsed message that breaks the
 * promises of ztk/msg.h (checked below; a broken promise traps).
 *
 * Seeds: tests/fuzz/corpus-msg/, written by test_msg with ZTK_MSG_CORPUS
 * set, plus any crash input found since, kept as a regression seed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <ztk/dname.h>
#include <ztk/error.h>
#include <ztk/msg.h>
#include <ztk/rrtype.h>

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

static char text[5 * 65536];

static void
check_msg(const struct ztk_msg *m, size_t len)
{
	const struct ztk_msg_header *h = ztk_msg_header(m);
	const struct ztk_msg_edns *e = ztk_msg_edns(m);
	const struct ztk_msg_rr *all, *sec;
	const uint8_t *qn;
	size_t n = ztk_msg_rrs(m, ZTK_SECTION_ALL, &all), sum = 0;

	CHECK(h->qdcount <= 1);
	CHECK(n <= (size_t)h->ancount + h->nscount + h->arcount);
	CHECK(n <= ZTK_MSG_MAX_RECORDS);
	if (ztk_msg_question(m, &qn, NULL, NULL) == 0)
		CHECK(ztk_dname_wire_check(qn, ZTK_DNAME_MAX) > 0);
	for (int s = ZTK_SECTION_ANSWER; s <= ZTK_SECTION_ADDITIONAL; s++) {
		size_t k = ztk_msg_rrs(m, (enum ztk_section)s, &sec);
		CHECK(k == 0 || (sec >= all && sec + k <= all + n));
		for (size_t i = 0; i < k; i++)
			CHECK(sec[i].section == (enum ztk_section)s);
		sum += k;
	}
	CHECK(sum == n);
	for (size_t i = 0; i < n; i++) {
		const struct ztk_rr *rr = &all[i].rr;
		int ol = ztk_dname_wire_check(rr->owner, ZTK_DNAME_MAX);
		CHECK(ol > 0 && (size_t)ol == ztk_dname_len(rr->owner));
		CHECK(rr->type != ZTK_TYPE_OPT);
		switch (rr->type) {
		case ZTK_TYPE_NS: case ZTK_TYPE_CNAME: case ZTK_TYPE_PTR:
		case ZTK_TYPE_DNAME:
			/* one uncompressed name filling the RDATA */
			CHECK(ztk_dname_wire_check(rr->rdata, rr->rdlen) ==
				(int)rr->rdlen);
			break;
		case ZTK_TYPE_A:
			CHECK(rr->rdlen == 4);
			break;
		case ZTK_TYPE_AAAA:
			CHECK(rr->rdlen == 16);
			break;
		case ZTK_TYPE_RRSIG:
			CHECK(rr->rdlen > 18 && ztk_dname_wire_check(
				rr->rdata + 18, rr->rdlen - 18u) > 0);
			break;
		default:
			break;
		}
		/* the printer must cope with whatever the parser let through */
		ztk_rdata_to_text(rr->type, rr->rdata, rr->rdlen, text,
			sizeof(text));
	}
	if (e->present) {
		size_t o = 0;
		while (o + 4 <= e->options_len)
			o += 4 + (size_t)((e->options[o + 2] << 8) |
				e->options[o + 3]);
		CHECK(o == e->options_len);
		CHECK((h->rcode >> 4) == e->ext_rcode);
	}
	size_t wl;
	ztk_msg_wire(m, &wl);
	CHECK(wl == len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ztk_msg *m;
	char why[256];

	if (size > ZTK_MSG_MAX)
		return 0;
	int rc = ztk_msg_parse(data, size, NULL, &m, why, sizeof(why));
	if (rc == 0) {
		check_msg(m, size);
		/* a query for the same question must build and parse back */
		const uint8_t *qn;
		uint16_t qt, qc;
		if (ztk_msg_question(m, &qn, &qt, &qc) == 0) {
			uint8_t q[ZTK_MSG_QUERY_MAX];
			size_t ql;
			struct ztk_msg *qm;
			struct ztk_msg_query_opts o = { .do_bit = true };
			CHECK(ztk_msg_query(qn, qt, qc, &o, q, sizeof(q), &ql) == 0);
			CHECK(ztk_msg_parse(q, ql, NULL, &qm, NULL, 0) == 0);
			ztk_msg_free(qm);
		}
		ztk_msg_free(m);
	} else {
		CHECK(rc == ZTK_ENOMEM || why[0] != 0);   /* always a reason */
	}

	/* the same octets with TC flipped */
	if (size >= ZTK_MSG_HDR_LEN) {
		uint8_t *copy = malloc(size);
		if (!copy)
			return 0;
		memcpy(copy, data, size);
		copy[2] ^= (uint8_t)(ZTK_MSG_TC >> 8);
		if (ztk_msg_parse(copy, size, NULL, &m, why, sizeof(why)) == 0) {
			check_msg(m, size);
			ztk_msg_free(m);
		}
		free(copy);
	}
	return 0;
}
