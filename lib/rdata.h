/*
 * rdata.h - the data-driven RR type table and the field codecs behind it.
 *
 * Each RR type is a row of struct ztk_rrtype_desc: its code, mnemonic and the
 * list of rdata fields in wire order.  Each field kind has one codec (struct
 * ztk_field_ops) that parses presentation tokens into wire octets and prints
 * wire octets back, checking them as it goes.  Parse, print, the check of
 * RFC 3597 "\#" data and canonical form (RFC 4034 6.2) are all walks over
 * this one table, so adding a type is adding a row.
 */
#ifndef ZTK_RDATA_H
#define ZTK_RDATA_H

#include <stdint.h>
#include <stdbool.h>
#include "lexer.h"
#include "buf.h"

enum ztk_field_kind {
	ZTK_F_NONE = 0,   /* end of the field list */
	ZTK_F_U8,         /* decimal 0..255 */
	ZTK_F_U16,        /* decimal 0..65535 */
	ZTK_F_U32,        /* decimal 0..4294967295 */
	ZTK_F_TTL,        /* u32 as decimal or with units (1h30m), SOA timers */
	ZTK_F_TIME,       /* u32 as YYYYMMDDHHmmSS or decimal (RRSIG) */
	ZTK_F_TYPE,       /* u16 as mnemonic or TYPEnnn (RRSIG type covered) */
	ZTK_F_ALG,        /* u8 DNSSEC algorithm, number or mnemonic */
	ZTK_F_CERTTYPE,   /* u16 CERT type, number or mnemonic (RFC 4398) */
	ZTK_F_NAME,       /* uncompressed domain name */
	ZTK_F_IPV4,       /* 4 octets */
	ZTK_F_IPV6,       /* 16 octets */
	ZTK_F_STR,        /* <character-string>: length octet + up to 255 */
	ZTK_F_STRS,       /* one or more <character-string> to end of rdata */
	ZTK_F_TAG,        /* CAA tag: length octet + alphanumerics, unquoted */
	ZTK_F_TEXT,       /* octets to end of rdata, no length (CAA value, URI) */
	ZTK_F_B64,        /* base64 to end of rdata, blanks allowed */
	ZTK_F_HEX,        /* hex to end of rdata, blanks allowed */
	ZTK_F_HEX8,       /* length octet + hex, "-" for empty (NSEC3 salt) */
	ZTK_F_B32HEX8,    /* length octet + base32hex (NSEC3 next hashed name) */
	ZTK_F_BITMAP,     /* NSEC type bitmap (RFC 4034 4.1.2) to end */
	ZTK_F_EUI48,      /* xx-xx-xx-xx-xx-xx */
	ZTK_F_EUI64,      /* xx-xx-xx-xx-xx-xx-xx-xx */
	ZTK_F_ILNP64,     /* xxxx:xxxx:xxxx:xxxx (RFC 6742) */
	ZTK_F_LOC,        /* whole LOC rdata (RFC 1876) */
	ZTK_F_APL,        /* APL items to end (RFC 3123) */
	ZTK_F_IPSECKEY,   /* gateway type/alg/gateway/key (RFC 4025), to end */
	ZTK_F_HIP,        /* whole HIP rdata (RFC 8005) */
	ZTK_F_SVCPARAMS,  /* SvcParams to end (RFC 9460) */
	ZTK_F_WKS,        /* protocol + bitmap of services (RFC 1035) */
	ZTK_F_KIND_COUNT
};

/* field flags */
#define ZTK_FF_LOWER   0x01  /* name lowercased in canonical form (4034 6.2) */
#define ZTK_FF_OPTIONAL 0x02 /* field may be absent at end of rdata */

struct ztk_field {
	uint8_t kind;
	uint8_t flags;
};

#define ZTK_MAX_FIELDS 10

/* type flags */
#define ZTK_TF_OBSOLETE 0x01   /* parse it, but lint says so */
#define ZTK_TF_DNSSEC   0x02   /* maintained by the signer */
#define ZTK_TF_META     0x04   /* not for zone files (OPT, TSIG...) */

struct ztk_rrtype_desc {
	uint16_t code;
	uint8_t flags;
	const char *name;
	struct ztk_field fields[ZTK_MAX_FIELDS];
};

/* Descriptor of a type, or NULL if the table does not know it. */
const struct ztk_rrtype_desc *ztk_rrtype_desc(uint16_t code);

/*
 * Parser context shared by every field codec.  The codec pulls tokens with
 * rd_next(); when it fails it calls rd_error() with the offending token, which
 * records one message that the scanner turns into a diagnostic.
 */
struct ztk_rdparse {
	struct ztk_lexer *lx;
	const uint8_t *origin;          /* for relative names */
	uint16_t type;
	/* error out */
	const char *check;              /* check id, "syntax" unless set */
	char msg[256];
	uint32_t line, col;
	/* one token of lookahead */
	struct ztk_token ahead;
	bool have_ahead;
	/* the lexer has read the record's closing EOL/EOF, even if it now
	 * waits in ahead (error recovery must not skip another line) */
	bool eol_consumed;
};

/* Ready rp for one record: like "= { .lx, .origin, .type }" but without
 * clearing msg[] (the scanner starts one per record; clearing 328 octets
 * each time was 6% of its time). */
static inline void rd_init(struct ztk_rdparse *rp, struct ztk_lexer *lx,
	const uint8_t *origin, uint16_t type)
{
	rp->lx = lx;
	rp->origin = origin;
	rp->type = type;
	rp->check = NULL;
	rp->msg[0] = '\0';
	rp->line = rp->col = 0;
	rp->have_ahead = false;
	rp->eol_consumed = false;
}

/* Next token of this record; ZTK_TOK_EOL/EOF mark its end. */
int rd_next(struct ztk_rdparse *rp, struct ztk_token *tok);
/* Put the token back (one level). */
void rd_unget(struct ztk_rdparse *rp, const struct ztk_token *tok);
/* True if the record has no more tokens (does not consume). */
bool rd_at_end(struct ztk_rdparse *rp);
/* Record an error at tok; returns ZTK_ESYNTAX for "return rd_error(...)". */
int rd_error(struct ztk_rdparse *rp, const struct ztk_token *tok,
	const char *fmt, ...) __attribute__((format(printf, 3, 4), cold));
/* Next token, which must be a word or quoted string ("what" names it). */
int rd_need(struct ztk_rdparse *rp, struct ztk_token *tok, const char *what);

/* Unescape token text (\X, \DDD) into out; returns length or -1 if bad. */
int rd_unescape(const struct ztk_token *tok, uint8_t *out, size_t cap);

/* Decimal integer of a whole token, up to max; -1 on error. */
int rd_uint(const struct ztk_token *tok, uint64_t max, uint64_t *out);

/*
 * Codec of one field kind.
 *   parse: read tokens from rp, append wire octets to out.  Returns 0 or
 *          ZTK_ESYNTAX after rd_error().
 *   print: read the field at *p (never past end), append presentation text
 *          to out (a space before it is the caller's job), advance *p.
 *          Returns 0, ZTK_EMALF if the octets are not a valid field, or
 *          ZTK_ESPACE/ZTK_ENOMEM from out.
 */
struct ztk_field_ops {
	int (*parse)(struct ztk_rdparse *rp, struct ztk_wbuf *out);
	int (*print)(const uint8_t **p, const uint8_t *end, struct ztk_sbuf *out);
};

extern const struct ztk_field_ops ztk_field_ops[ZTK_F_KIND_COUNT];

/* codecs defined in rdata_special.c */
extern const struct ztk_field_ops ztk_field_loc, ztk_field_apl,
	ztk_field_ipseckey, ztk_field_hip, ztk_field_svcparams, ztk_field_wks;

/* Whole-rdata operations driven by the table. */
int ztk_rdata_parse(struct ztk_rdparse *rp, struct ztk_wbuf *out);
int ztk_rdata_print(uint16_t type, const uint8_t *rd, size_t len,
	struct ztk_sbuf *out);
/* RFC 3597 form "\\# LEN HEX" of any rdata. */
int ztk_rdata_print_generic(const uint8_t *rd, size_t len,
	struct ztk_sbuf *out);
/* Check wire rdata of a type against its descriptor (for "\#" input). */
int ztk_rdata_check(uint16_t type, const uint8_t *rd, size_t len);
/* "\\# LEN HEX" after the "\\#" token (RFC 3597 5), checked for known types. */
int ztk_rdata_parse_generic(struct ztk_rdparse *rp, struct ztk_wbuf *out);
/* Parse rdata text of one type (either form); err gets "line:col: msg". */
int ztk_rdata_from_text(uint16_t type, const char *text, size_t len,
	const uint8_t *origin, struct ztk_wbuf *out, char *err, size_t errlen);
/* Lowercase the embedded names RFC 4034 6.2 lists, in place. */
void ztk_rdata_canonicalize(uint16_t type, uint8_t *rd, size_t len);
/* True if canonical form lowercases a name in this type's rdata. */
bool ztk_rdata_has_names(uint16_t type);

/* encoders (rdata_fields.c) */
int ztk_ipv4_parse(const char *s, size_t len, uint8_t out[4]);
int ztk_ipv6_parse(const char *s, size_t len, uint8_t out[16]);
int ztk_b64_encode(const uint8_t *in, size_t n, struct ztk_sbuf *out);
int ztk_hex_encode(const uint8_t *in, size_t n, struct ztk_sbuf *out, bool upper);
int ztk_b32hex_encode(const uint8_t *in, size_t n, struct ztk_sbuf *out);

#endif /* ZTK_RDATA_H */
