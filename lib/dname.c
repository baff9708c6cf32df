/* dname.c - domain names in wire form (see ztk/dname.h). */
#include <string.h>
#include <ztk/dname.h>
#include <ztk/error.h>
#include "util.h"

/* Octets with a meaning in presentation names: label ends, escapes. */
static const uint8_t name_stop[256] = { ['.'] = 1, ['\\'] = 1 };

int
ztk_dname_parse(const char *text, size_t len, const uint8_t *origin,
	uint8_t *out, const char **why_out)
{
	const char *why = NULL;
	const char *p = text, *end = text + len;
	size_t w = 0;          /* octets written to out */
	size_t lab = 0;        /* offset of the current label's length octet */
	int ret;

	if (len == 0) {
		why = "empty domain name";
		ret = ZTK_ESYNTAX;
		goto fail;
	}
	if (len == 1 && p[0] == '@') {
		if (origin == NULL) {
			why = "\"@\" used but no origin is known";
			ret = ZTK_ESYNTAX;
			goto fail;
		}
		size_t ol = ztk_dname_len(origin);
		memcpy(out, origin, ol);
		return (int)ol;
	}
	if (len == 1 && p[0] == '.') {
		out[0] = 0;
		return 1;
	}
	out[0] = 0;
	w = 1;
	while (p < end) {
		/* a run of plain octets at once, when it fits the limits
		 * (otherwise the octet-wise path below reports them) */
		const char *q = p;
		while (q < end && !name_stop[(uint8_t)*q])
			q++;
		size_t n = (size_t)(q - p);
		if (n && w - lab - 1 + n <= ZTK_LABEL_MAX &&
		    w + n <= ZTK_DNAME_MAX - 1) {
			memcpy(out + w, p, n);
			w += n;
			out[lab] = (uint8_t)(out[lab] + n);
			p = q;
			if (p == end)
				break;
		}
		uint8_t c = (uint8_t)*p++;
		if (c == '.') {
			if (w - lab - 1 == 0) {
				why = "empty label in domain name";
				ret = ZTK_ESYNTAX;
				goto fail;
			}
			if (p == end) {
				/* absolute name: close with the root label */
				out[w++] = 0;
				return (int)w;
			}
			lab = w;
			out[w++] = 0;
			if (w > ZTK_DNAME_MAX)
				goto toolong;
			continue;
		}
		if (c == '\\') {
			if (p == end) {
				why = "backslash at end of domain name";
				ret = ZTK_ESYNTAX;
				goto fail;
			}
			if (ztk_isdigit((uint8_t)*p)) {
				if (end - p < 3 || !ztk_isdigit((uint8_t)p[1]) ||
				    !ztk_isdigit((uint8_t)p[2])) {
					why = "\\DDD escape needs exactly three digits";
					ret = ZTK_ESYNTAX;
					goto fail;
				}
				unsigned v = (unsigned)(p[0] - '0') * 100 +
					(unsigned)(p[1] - '0') * 10 +
					(unsigned)(p[2] - '0');
				if (v > 255) {
					why = "\\DDD escape above 255";
					ret = ZTK_ESYNTAX;
					goto fail;
				}
				c = (uint8_t)v;
				p += 3;
			} else {
				c = (uint8_t)*p++;
			}
		}
		if (w - lab - 1 >= ZTK_LABEL_MAX) {
			why = "label longer than 63 octets";
			ret = ZTK_ELIMIT;
			goto fail;
		}
		if (w >= ZTK_DNAME_MAX - 1)
			goto toolong;
		out[w++] = c;
		out[lab]++;
	}
	/* relative name: append the origin */
	if (origin == NULL) {
		why = "relative domain name but no origin is known";
		ret = ZTK_ESYNTAX;
		goto fail;
	}
	{
		size_t ol = ztk_dname_len(origin);
		if (w + ol > ZTK_DNAME_MAX)
			goto toolong;
		memcpy(out + w, origin, ol);
		return (int)(w + ol);
	}
toolong:
	why = "domain name longer than 255 octets";
	ret = ZTK_ELIMIT;
fail:
	if (why_out)
		*why_out = why;
	return ret;
}

size_t
ztk_dname_print(const uint8_t *name, char *out)
{
	char *o = out;
	if (*name == 0) {
		*o++ = '.';
		*o = 0;
		return 1;
	}
	while (*name) {
		uint8_t l = *name++;
		for (uint8_t i = 0; i < l; i++) {
			uint8_t c = name[i];
			switch (c) {
			case '.': case ';': case '(': case ')': case '"':
			case '\\': case '@': case '$': case ' ':
				*o++ = '\\';
				*o++ = (char)c;
				break;
			default:
				if (c < 0x21 || c > 0x7e) {
					*o++ = '\\';
					*o++ = (char)('0' + c / 100);
					*o++ = (char)('0' + c / 10 % 10);
					*o++ = (char)('0' + c % 10);
				} else {
					*o++ = (char)c;
				}
			}
		}
		*o++ = '.';
		name += l;
	}
	*o = 0;
	return (size_t)(o - out);
}

int
ztk_dname_wire_check(const uint8_t *p, size_t max)
{
	size_t n = 0;
	for (;;) {
		if (n >= max)
			return ZTK_EMALF;
		uint8_t l = p[n];
		if (l > ZTK_LABEL_MAX)
			return ZTK_EMALF;
		n += 1u + l;
		if (n > ZTK_DNAME_MAX)
			return ZTK_EMALF;
		if (l == 0)
			return (int)n;
	}
}

size_t
ztk_dname_len(const uint8_t *name)
{
	const uint8_t *p = name;
	while (*p)
		p += *p + 1;
	return (size_t)(p - name) + 1;
}

unsigned
ztk_dname_labels(const uint8_t *name)
{
	unsigned n = 0;
	while (*name) {
		name += *name + 1;
		n++;
	}
	return n;
}

static bool
label_equal(const uint8_t *a, const uint8_t *b)
{
	if (*a != *b)
		return false;
	for (uint8_t i = 1; i <= *a; i++)
		if (ztk_tolower(a[i]) != ztk_tolower(b[i]))
			return false;
	return true;
}

bool
ztk_dname_equal(const uint8_t *a, const uint8_t *b)
{
	for (;;) {
		if (!label_equal(a, b))
			return false;
		if (*a == 0)
			return true;
		a += *a + 1;
		b += *b + 1;
	}
}

bool
ztk_dname_is_subdomain(const uint8_t *sub, const uint8_t *parent)
{
	unsigned ls = ztk_dname_labels(sub), lp = ztk_dname_labels(parent);
	if (ls < lp)
		return false;
	while (ls > lp) {
		sub += *sub + 1;
		ls--;
	}
	return ztk_dname_equal(sub, parent);
}

bool
ztk_dname_is_wildcard(const uint8_t *name)
{
	return name[0] == 1 && name[1] == '*';
}

void
ztk_dname_to_lower(uint8_t *name)
{
	while (*name) {
		uint8_t l = *name++;
		for (uint8_t i = 0; i < l; i++)
			name[i] = ztk_tolower(name[i]);
		name += l;
	}
}

size_t
ztk_dname_key(const uint8_t *name, uint8_t *out)
{
	const uint8_t *labels[128];
	unsigned n = 0;
	size_t w = 0;

	while (*name) {
		labels[n++] = name;
		name += *name + 1;
	}
	while (n > 0) {
		const uint8_t *l = labels[--n];
		for (uint8_t i = 1; i <= l[0]; i++) {
			uint8_t c = ztk_tolower(l[i]);
			if (ZTK_UNLIKELY(c <= 1)) {
				out[w++] = 1;
				out[w++] = (uint8_t)(c + 1);
			} else {
				out[w++] = c;
			}
		}
		out[w++] = 0;
	}
	return w;
}

int
ztk_dname_canon_cmp(const uint8_t *a, const uint8_t *b)
{
	uint8_t ka[ZTK_DNAME_KEY_MAX], kb[ZTK_DNAME_KEY_MAX];
	size_t la = ztk_dname_key(a, ka), lb = ztk_dname_key(b, kb);
	int c = memcmp(ka, kb, la < lb ? la : lb);
	if (c != 0)
		return c;
	return (la > lb) - (la < lb);
}
