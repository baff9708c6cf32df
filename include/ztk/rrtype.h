/*
 * ztk/rrtype.h - RR types and classes, and rdata in presentation form.
 *
 * Type mnemonics follow the IANA "Resource Record (RR) TYPEs" registry; any
 * type is also accepted and printed as TYPEnnn (RFC 3597 5).
 */
#ifndef ZTK_RRTYPE_H
#define ZTK_RRTYPE_H

#include <stddef.h>
#include <stdint.h>
#include <ztk/visibility.h>

enum ztk_rrtype {
	ZTK_TYPE_A = 1, ZTK_TYPE_NS = 2, ZTK_TYPE_MD = 3, ZTK_TYPE_MF = 4,
	ZTK_TYPE_CNAME = 5, ZTK_TYPE_SOA = 6, ZTK_TYPE_MB = 7,
	ZTK_TYPE_MG = 8, ZTK_TYPE_MR = 9, ZTK_TYPE_NULL = 10,
	ZTK_TYPE_WKS = 11, ZTK_TYPE_PTR = 12, ZTK_TYPE_HINFO = 13,
	ZTK_TYPE_MINFO = 14, ZTK_TYPE_MX = 15, ZTK_TYPE_TXT = 16,
	ZTK_TYPE_RP = 17, ZTK_TYPE_AFSDB = 18, ZTK_TYPE_X25 = 19,
	ZTK_TYPE_ISDN = 20, ZTK_TYPE_RT = 21, ZTK_TYPE_NSAP = 22,
	ZTK_TYPE_SIG = 24, ZTK_TYPE_KEY = 25, ZTK_TYPE_PX = 26,
	ZTK_TYPE_GPOS = 27, ZTK_TYPE_AAAA = 28, ZTK_TYPE_LOC = 29,
	ZTK_TYPE_NXT = 30, ZTK_TYPE_SRV = 33, ZTK_TYPE_NAPTR = 35,
	ZTK_TYPE_KX = 36, ZTK_TYPE_CERT = 37, ZTK_TYPE_A6 = 38,
	ZTK_TYPE_DNAME = 39, ZTK_TYPE_OPT = 41, ZTK_TYPE_APL = 42,
	ZTK_TYPE_DS = 43, ZTK_TYPE_SSHFP = 44, ZTK_TYPE_IPSECKEY = 45,
	ZTK_TYPE_RRSIG = 46, ZTK_TYPE_NSEC = 47, ZTK_TYPE_DNSKEY = 48,
	ZTK_TYPE_DHCID = 49, ZTK_TYPE_NSEC3 = 50, ZTK_TYPE_NSEC3PARAM = 51,
	ZTK_TYPE_TLSA = 52, ZTK_TYPE_SMIMEA = 53, ZTK_TYPE_HIP = 55,
	ZTK_TYPE_CDS = 59, ZTK_TYPE_CDNSKEY = 60, ZTK_TYPE_OPENPGPKEY = 61,
	ZTK_TYPE_CSYNC = 62, ZTK_TYPE_ZONEMD = 63, ZTK_TYPE_SVCB = 64,
	ZTK_TYPE_HTTPS = 65, ZTK_TYPE_SPF = 99, ZTK_TYPE_NID = 104,
	ZTK_TYPE_L32 = 105, ZTK_TYPE_L64 = 106, ZTK_TYPE_LP = 107,
	ZTK_TYPE_EUI48 = 108, ZTK_TYPE_EUI64 = 109, ZTK_TYPE_TKEY = 249,
	ZTK_TYPE_TSIG = 250, ZTK_TYPE_IXFR = 251, ZTK_TYPE_AXFR = 252,
	ZTK_TYPE_ANY = 255, ZTK_TYPE_URI = 256, ZTK_TYPE_CAA = 257,
	ZTK_TYPE_TA = 32768, ZTK_TYPE_DLV = 32769,
};

enum ztk_rrclass {
	ZTK_CLASS_IN = 1, ZTK_CLASS_CS = 2, ZTK_CLASS_CH = 3,
	ZTK_CLASS_HS = 4, ZTK_CLASS_NONE = 254, ZTK_CLASS_ANY = 255,
};

/*
 * Mnemonic of a type ("AAAA"), or "TYPEnnn" written into buf (16 octets)
 * for a type without one.  Returns a pointer to a static string or to buf.
 */
ZTK_API const char *ztk_rrtype_name(uint16_t type, char *buf);

/* Type from a mnemonic or TYPEnnn, case-insensitive.  0 or ZTK_ESYNTAX. */
ZTK_API int ztk_rrtype_from_text(const char *s, size_t len, uint16_t *out);

/* True if the type table knows the rdata layout of this type. */
ZTK_API int ztk_rrtype_is_known(uint16_t type);

/* Class mnemonic ("IN") or "CLASSnnn" in buf (16 octets). */
ZTK_API const char *ztk_rrclass_name(uint16_t cls, char *buf);

/* Class from IN/CH/HS/CS/CLASSnnn, case-insensitive.  0 or ZTK_ESYNTAX. */
ZTK_API int ztk_rrclass_from_text(const char *s, size_t len, uint16_t *out);

/*
 * Presentation form of rdata, as a zone file would carry it, into buf of cap
 * octets (NUL-terminated).  A type the table does not know prints in RFC
 * 3597 form "\# len hex".  Returns the length, ZTK_EMALF if the wire data
 * is not valid for the type, ZTK_ESPACE if cap is too small.
 */
ZTK_API int ztk_rdata_to_text(uint16_t type, const uint8_t *rdata,
	size_t rdlen, char *buf, size_t cap);

#endif /* ZTK_RRTYPE_H */
