/*
 * rrtype.c - the RR type table: one row per type, rdata fields in wire order
 * (RFC references per row).  Parse, print, "\#" checks and canonical form are
 * all driven from here; see rdata.h.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <ztk/error.h>
#include <ztk/rrtype.h>
#include "rdata.h"
#include "util.h"

#define F(k) { ZTK_F_##k, 0 }
#define FL(k) { ZTK_F_##k, ZTK_FF_LOWER }
#define T(code_, name_, flags_, ...) \
	{ .code = code_, .flags = flags_, .name = name_, \
	  .fields = { __VA_ARGS__ } }

static const struct ztk_rrtype_desc types[] = {
	T(ZTK_TYPE_A, "A", 0, F(IPV4)),                          /* 1035 */
	T(ZTK_TYPE_NS, "NS", 0, FL(NAME)),
	T(ZTK_TYPE_MD, "MD", ZTK_TF_OBSOLETE, FL(NAME)),
	T(ZTK_TYPE_MF, "MF", ZTK_TF_OBSOLETE, FL(NAME)),
	T(ZTK_TYPE_CNAME, "CNAME", 0, FL(NAME)),
	T(ZTK_TYPE_SOA, "SOA", 0, FL(NAME), FL(NAME), F(U32), F(TTL),
		F(TTL), F(TTL), F(TTL)),
	T(ZTK_TYPE_MB, "MB", ZTK_TF_OBSOLETE, FL(NAME)),
	T(ZTK_TYPE_MG, "MG", ZTK_TF_OBSOLETE, FL(NAME)),
	T(ZTK_TYPE_MR, "MR", ZTK_TF_OBSOLETE, FL(NAME)),
	T(ZTK_TYPE_WKS, "WKS", ZTK_TF_OBSOLETE, F(IPV4), F(WKS)),
	T(ZTK_TYPE_PTR, "PTR", 0, FL(NAME)),
	T(ZTK_TYPE_HINFO, "HINFO", 0, F(STR), F(STR)),
	T(ZTK_TYPE_MINFO, "MINFO", 0, FL(NAME), FL(NAME)),
	T(ZTK_TYPE_MX, "MX", 0, F(U16), FL(NAME)),
	T(ZTK_TYPE_TXT, "TXT", 0, F(STRS)),
	T(ZTK_TYPE_RP, "RP", 0, FL(NAME), FL(NAME)),             /* 1183 */
	T(ZTK_TYPE_AFSDB, "AFSDB", 0, F(U16), FL(NAME)),
	T(ZTK_TYPE_X25, "X25", ZTK_TF_OBSOLETE, F(STR)),
	T(ZTK_TYPE_RT, "RT", ZTK_TF_OBSOLETE, F(U16), FL(NAME)),
	T(ZTK_TYPE_SIG, "SIG", ZTK_TF_OBSOLETE, F(TYPE), F(ALG), F(U8),
		F(U32), F(TIME), F(TIME), F(U16), FL(NAME), F(B64)),
	T(ZTK_TYPE_KEY, "KEY", ZTK_TF_OBSOLETE, F(U16), F(U8), F(ALG),
		F(B64)),
	T(ZTK_TYPE_PX, "PX", ZTK_TF_OBSOLETE, F(U16), FL(NAME), FL(NAME)),
	T(ZTK_TYPE_AAAA, "AAAA", 0, F(IPV6)),                    /* 3596 */
	T(ZTK_TYPE_LOC, "LOC", 0, F(LOC)),                       /* 1876 */
	T(ZTK_TYPE_SRV, "SRV", 0, F(U16), F(U16), F(U16), FL(NAME)),
	T(ZTK_TYPE_NAPTR, "NAPTR", 0, F(U16), F(U16), F(STR), F(STR),
		F(STR), FL(NAME)),                               /* 3403 */
	T(ZTK_TYPE_KX, "KX", 0, F(U16), FL(NAME)),               /* 2230 */
	T(ZTK_TYPE_CERT, "CERT", 0, F(CERTTYPE), F(U16), F(ALG), F(B64)),
	T(ZTK_TYPE_DNAME, "DNAME", 0, FL(NAME)),                 /* 6672 */
	T(ZTK_TYPE_APL, "APL", 0, F(APL)),                       /* 3123 */
	T(ZTK_TYPE_DS, "DS", ZTK_TF_DNSSEC, F(U16), F(ALG), F(U8), F(HEX)),
	T(ZTK_TYPE_SSHFP, "SSHFP", 0, F(U8), F(U8), F(HEX)),     /* 4255 */
	T(ZTK_TYPE_IPSECKEY, "IPSECKEY", 0, F(U8), F(IPSECKEY)), /* 4025 */
	T(ZTK_TYPE_RRSIG, "RRSIG", ZTK_TF_DNSSEC, F(TYPE), F(ALG), F(U8),
		F(U32), F(TIME), F(TIME), F(U16), FL(NAME), F(B64)),
	/* RFC 6840 5.1: the NSEC next name is not lowercased */
	T(ZTK_TYPE_NSEC, "NSEC", ZTK_TF_DNSSEC, F(NAME),
		{ ZTK_F_BITMAP, ZTK_FF_OPTIONAL }),
	T(ZTK_TYPE_DNSKEY, "DNSKEY", ZTK_TF_DNSSEC, F(U16), F(U8), F(ALG),
		F(B64)),
	T(ZTK_TYPE_DHCID, "DHCID", 0, F(B64)),                   /* 4701 */
	T(ZTK_TYPE_NSEC3, "NSEC3", ZTK_TF_DNSSEC, F(U8), F(U8), F(U16),
		F(HEX8), F(B32HEX8),                             /* 5155 */
		{ ZTK_F_BITMAP, ZTK_FF_OPTIONAL }),
	T(ZTK_TYPE_NSEC3PARAM, "NSEC3PARAM", ZTK_TF_DNSSEC, F(U8), F(U8),
		F(U16), F(HEX8)),
	T(ZTK_TYPE_TLSA, "TLSA", 0, F(U8), F(U8), F(U8), F(HEX)), /* 6698 */
	T(ZTK_TYPE_SMIMEA, "SMIMEA", 0, F(U8), F(U8), F(U8), F(HEX)),
	T(ZTK_TYPE_HIP, "HIP", 0, F(HIP)),                       /* 8005 */
	T(ZTK_TYPE_CDS, "CDS", ZTK_TF_DNSSEC, F(U16), F(ALG), F(U8),
		F(HEX)),                                         /* 7344 */
	T(ZTK_TYPE_CDNSKEY, "CDNSKEY", ZTK_TF_DNSSEC, F(U16), F(U8), F(ALG),
		F(B64)),
	T(ZTK_TYPE_OPENPGPKEY, "OPENPGPKEY", 0, F(B64)),         /* 7929 */
	T(ZTK_TYPE_CSYNC, "CSYNC", 0, F(U32), F(U16),
		{ ZTK_F_BITMAP, ZTK_FF_OPTIONAL }),                /* 7477 */
	T(ZTK_TYPE_ZONEMD, "ZONEMD", 0, F(U32), F(U8), F(U8), F(HEX)),
	T(ZTK_TYPE_SVCB, "SVCB", 0, F(U16), F(NAME),
		{ ZTK_F_SVCPARAMS, ZTK_FF_OPTIONAL }),                /* 9460 */
	T(ZTK_TYPE_HTTPS, "HTTPS", 0, F(U16), F(NAME),
		{ ZTK_F_SVCPARAMS, ZTK_FF_OPTIONAL }),
	T(ZTK_TYPE_SPF, "SPF", ZTK_TF_OBSOLETE, F(STRS)),         /* 7208 */
	T(ZTK_TYPE_NID, "NID", 0, F(U16), F(ILNP64)),            /* 6742 */
	T(ZTK_TYPE_L32, "L32", 0, F(U16), F(IPV4)),
	T(ZTK_TYPE_L64, "L64", 0, F(U16), F(ILNP64)),
	T(ZTK_TYPE_LP, "LP", 0, F(U16), F(NAME)),
	T(ZTK_TYPE_EUI48, "EUI48", 0, F(EUI48)),                 /* 7043 */
	T(ZTK_TYPE_EUI64, "EUI64", 0, F(EUI64)),
	T(ZTK_TYPE_URI, "URI", 0, F(U16), F(U16), F(TEXT)),      /* 7553 */
	T(ZTK_TYPE_CAA, "CAA", 0, F(U8), F(TAG), F(TEXT)),       /* 8659 */
	T(ZTK_TYPE_TA, "TA", 0, F(U16), F(ALG), F(U8), F(HEX)),
	T(ZTK_TYPE_DLV, "DLV", ZTK_TF_OBSOLETE, F(U16), F(ALG), F(U8),
		F(HEX)),                                         /* 4431 */
};

/* Mnemonics with no rdata table (meta and query types): name only. */
static const struct { uint16_t code; const char *name; } meta_names[] = {
	{ ZTK_TYPE_NULL, "NULL" }, { ZTK_TYPE_ISDN, "ISDN" },
	{ ZTK_TYPE_NSAP, "NSAP" }, { ZTK_TYPE_GPOS, "GPOS" },
	{ ZTK_TYPE_NXT, "NXT" }, { ZTK_TYPE_A6, "A6" },
	{ ZTK_TYPE_OPT, "OPT" }, { ZTK_TYPE_TKEY, "TKEY" },
	{ ZTK_TYPE_TSIG, "TSIG" }, { ZTK_TYPE_IXFR, "IXFR" },
	{ ZTK_TYPE_AXFR, "AXFR" }, { ZTK_TYPE_ANY, "ANY" },
};

/* Direct index for codes up to 511, a short scan above. */
#define DIRECT 512
static const struct ztk_rrtype_desc *by_code[DIRECT];
static const char *name_by_code[DIRECT];

/* Open-addressing hash of mnemonics, case-insensitive. */
#define HSIZE 256
static struct { const char *name; uint16_t code; uint8_t len; } by_name[HSIZE];

static unsigned
name_hash(const char *s, size_t n)
{
	unsigned h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (uint8_t)(s[i] | 0x20)) * 16777619u;
	return h;
}

static void
add_name(const char *name, uint16_t code)
{
	size_t n = strlen(name);
	unsigned h = name_hash(name, n) % HSIZE;
	while (by_name[h].name)
		h = (h + 1) % HSIZE;
	by_name[h].name = name;
	by_name[h].code = code;
	by_name[h].len = (uint8_t)n;
}

/* Built once at load time: the table is constant, the indexes derived. */
__attribute__((constructor)) static void
build_indexes(void)
{
	for (size_t i = 0; i < ZTK_ARRAY_LEN(types); i++) {
		if (types[i].code < DIRECT) {
			by_code[types[i].code] = &types[i];
			name_by_code[types[i].code] = types[i].name;
		}
		add_name(types[i].name, types[i].code);
	}
	for (size_t i = 0; i < ZTK_ARRAY_LEN(meta_names); i++) {
		if (meta_names[i].code < DIRECT)
			name_by_code[meta_names[i].code] = meta_names[i].name;
		add_name(meta_names[i].name, meta_names[i].code);
	}
}

const struct ztk_rrtype_desc *
ztk_rrtype_desc(uint16_t code)
{
	if (code < DIRECT)
		return by_code[code];
	for (size_t i = 0; i < ZTK_ARRAY_LEN(types); i++)
		if (types[i].code == code)
			return &types[i];
	return NULL;
}

int
ztk_rrtype_is_known(uint16_t type)
{
	return ztk_rrtype_desc(type) != NULL;
}

const char *
ztk_rrtype_name(uint16_t type, char *buf)
{
	if (type < DIRECT && name_by_code[type])
		return name_by_code[type];
	const struct ztk_rrtype_desc *d = ztk_rrtype_desc(type);
	if (d)
		return d->name;
	snprintf(buf, 16, "TYPE%u", type);
	return buf;
}

/* "TYPEnnn"/"CLASSnnn": prefix then 1..5 digits, no leading zero. */
static int
generic_number(const char *s, size_t len, const char *prefix, uint16_t *out)
{
	size_t pl = strlen(prefix);
	if (len <= pl || len > pl + 5 || strncasecmp(s, prefix, pl) != 0)
		return -1;
	uint32_t v = 0;
	for (size_t i = pl; i < len; i++) {
		if (!ztk_isdigit((uint8_t)s[i]))
			return -1;
		v = v * 10 + (uint32_t)(s[i] - '0');
	}
	if (v > 65535 || (s[pl] == '0' && len > pl + 1))
		return -1;
	*out = (uint16_t)v;
	return 0;
}

int
ztk_rrtype_from_text(const char *s, size_t len, uint16_t *out)
{
	if (len == 0 || len > 20)
		return ZTK_ESYNTAX;
	unsigned h = name_hash(s, len) % HSIZE;
	while (by_name[h].name) {
		if (by_name[h].len == len &&
		    ztk_caseeq(by_name[h].name, s, len)) {
			*out = by_name[h].code;
			return 0;
		}
		h = (h + 1) % HSIZE;
	}
	return generic_number(s, len, "TYPE", out) == 0 ? 0 : ZTK_ESYNTAX;
}

const char *
ztk_rrclass_name(uint16_t cls, char *buf)
{
	switch (cls) {
	case ZTK_CLASS_IN: return "IN";
	case ZTK_CLASS_CH: return "CH";
	case ZTK_CLASS_HS: return "HS";
	case ZTK_CLASS_CS: return "CS";
	case ZTK_CLASS_NONE: return "NONE";
	case ZTK_CLASS_ANY: return "ANY";
	}
	snprintf(buf, 16, "CLASS%u", cls);
	return buf;
}

int
ztk_rrclass_from_text(const char *s, size_t len, uint16_t *out)
{
	if (len == 2) {
		char a = (char)(s[0] | 0x20), b = (char)(s[1] | 0x20);
		if (a == 'i' && b == 'n') { *out = ZTK_CLASS_IN; return 0; }
		if (a == 'c' && b == 'h') { *out = ZTK_CLASS_CH; return 0; }
		if (a == 'h' && b == 's') { *out = ZTK_CLASS_HS; return 0; }
		if (a == 'c' && b == 's') { *out = ZTK_CLASS_CS; return 0; }
		return ZTK_ESYNTAX;
	}
	return generic_number(s, len, "CLASS", out) == 0 ? 0 : ZTK_ESYNTAX;
}
