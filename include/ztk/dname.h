/*
 * ztk/dname.h - domain names.
 *
 * A name is kept in uncompressed wire form (RFC 1035 3.1): a sequence of
 * length-prefixed labels ending with the zero-length root label.  The case of
 * the original text is preserved; every comparison here is case-insensitive
 * for ASCII letters only, as RFC 4343 requires.
 *
 * Limits (RFC 1035 2.3.4): a label holds at most 63 octets, a whole name at
 * most 255 octets of wire form including length octets and the root label.
 */
#ifndef ZTK_DNAME_H
#define ZTK_DNAME_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <ztk/visibility.h>

#define ZTK_DNAME_MAX 255   /* octets of wire form, root label included */
#define ZTK_LABEL_MAX 63    /* octets of one label */
/* Worst case of presentation form: every octet as \DDD plus dots and NUL. */
#define ZTK_DNAME_TEXT_MAX 1024

/*
 * Parse the presentation form of a name (RFC 1035 5.1): escapes \X and \DDD,
 * "@" for the origin, relative names completed with origin.
 *
 * text/len:  the characters (not NUL-terminated, len may be 0 only as error)
 * origin:    wire name appended to relative names; NULL makes a relative
 *            name an error
 * out:       receives the wire form (ZTK_DNAME_MAX octets of room)
 * why_out:   if not NULL, on error receives a static message saying what is
 *            wrong, in words an operator can act on
 *
 * Returns the wire length (1..255) or ZTK_ESYNTAX (bad escape, empty label)
 * or ZTK_ELIMIT (label over 63 octets, name over 255 octets).
 */
ZTK_API int ztk_dname_parse(const char *text, size_t len,
	const uint8_t *origin, uint8_t *out, const char **why_out);

/*
 * Print a wire name in presentation form, always absolute (trailing dot),
 * escaping what must be escaped: ". ; ( ) \" \\ @ $" and spaces as \X, other
 * non-printable octets as \DDD.  out must hold ZTK_DNAME_TEXT_MAX octets.
 * Returns the length written (without the NUL).
 */
ZTK_API size_t ztk_dname_print(const uint8_t *name, char *out);

/*
 * Length of the wire name at p, checked against at most max octets of input:
 * returns 1..255, or ZTK_EMALF if it runs past max, a label is over 63 or the
 * name over 255 octets, or a label has the compression bits set.
 */
ZTK_API int ztk_dname_wire_check(const uint8_t *p, size_t max);

/* Wire length of a well-formed name. */
ZTK_API size_t ztk_dname_len(const uint8_t *name);

/* Number of labels, the root label not counted ("." is 0, "a.b." is 2). */
ZTK_API unsigned ztk_dname_labels(const uint8_t *name);

/* Case-insensitive equality. */
ZTK_API bool ztk_dname_equal(const uint8_t *a, const uint8_t *b);

/* True if name is sub at or below parent (case-insensitive). */
ZTK_API bool ztk_dname_is_subdomain(const uint8_t *sub, const uint8_t *parent);

/* True if the first label is "*" (RFC 4592 wildcard owner). */
ZTK_API bool ztk_dname_is_wildcard(const uint8_t *name);

/*
 * Canonical order of RFC 4034 6.1: labels compared right to left, each as a
 * lowercased octet string, a shorter label first when it is a prefix.
 * Returns <0, 0 or >0.
 */
ZTK_API int ztk_dname_canon_cmp(const uint8_t *a, const uint8_t *b);

/* Lowercase ASCII letters in place (RFC 4034 6.2 canonical form). */
ZTK_API void ztk_dname_to_lower(uint8_t *name);

/*
 * Sort key of a name: a byte string whose memcmp order equals the canonical
 * order of ztk_dname_canon_cmp().  Labels come root first, lowercased, each
 * ended by 0x00; octets 0x00 and 0x01 inside a label are escaped as
 * 0x01 0x01 and 0x01 0x02 so the terminator stays the smallest byte.
 * out needs ZTK_DNAME_KEY_MAX octets.  Returns the key length.
 */
#define ZTK_DNAME_KEY_MAX 512
ZTK_API size_t ztk_dname_key(const uint8_t *name, uint8_t *out);

#endif /* ZTK_DNAME_H */
