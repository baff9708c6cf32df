/*
 * keyenv.c - resolve the key store's location (see keyenv.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "keyenv.h"

#define DEFAULT_MODULE "/usr/lib/softhsm/libsofthsm2.so"
#define DEFAULT_TOKEN "ztk"

static const char *env_nonempty(const char *name)
{
	const char *v = getenv(name);
	return (v != NULL && *v != '\0') ? v : NULL;
}

static int copy(char *dst, size_t len, const char *src, const char *what)
{
	size_t n = strlen(src);
	if (n >= len) {
		cli_error("%s is too long (%zu characters)", what, n);
		return -1;
	}
	memcpy(dst, src, n + 1);
	return 0;
}

static int join(char *dst, size_t len, const char *dir, const char *name)
{
	int n = snprintf(dst, len, "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= len) {
		cli_error("path too long: %s/%s", dir, name);
		return -1;
	}
	return 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

/* Percent-decode [s, s+n) into dst; -1 on a bad escape or overflow. */
static int pct_decode(const char *s, size_t n, char *dst, size_t len)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)s[i];
		if (c == '%') {
			int h, l;
			if (i + 2 >= n)
				return -1;
			h = hexval(s[i + 1]);
			l = hexval(s[i + 2]);
			if (h < 0 || l < 0)
				return -1;
			c = h << 4 | l;
			i += 2;
		}
		if (c == 0 || o + 1 >= len)
			return -1;
		dst[o++] = (char)c;
	}
	dst[o] = '\0';
	return 0;
}

/* RFC 7512: pkcs11:path-attr;path-attr?query-attr&query-attr */
static int parse_uri(struct keyenv *env, const char *uri)
{
	if (strncmp(uri, "pkcs11:", 7) != 0) {
		cli_error("not a pkcs11: URI (RFC 7512): it must start with "
			"\"pkcs11:\"");
		return -1;
	}
	const char *p = uri + 7;
	int in_query = 0;
	while (*p) {
		size_t n = strcspn(p, in_query ? "&" : ";?");
		const char *eq = memchr(p, '=', n);
		if (n > 0) {
			if (eq == NULL) {
				cli_error("pkcs11: URI attribute without '=': "
					"%.*s", (int)n, p);
				return -1;
			}
			size_t klen = (size_t)(eq - p);
			const char *v = eq + 1;
			size_t vlen = n - klen - 1;
			char val[4096];
			if (pct_decode(v, vlen, val, sizeof(val)) != 0) {
				cli_error("pkcs11: URI attribute %.*s has a bad "
					"value", (int)klen, p);
				return -1;
			}
#define KEY(k) (klen == sizeof(k) - 1 && memcmp(p, k, klen) == 0)
			if (KEY("token")) {
				if (copy(env->token, sizeof(env->token), val,
				    "token label") != 0)
					return -1;
			} else if (KEY("module-path")) {
				if (copy(env->module, sizeof(env->module), val,
				    "module path") != 0)
					return -1;
			} else if (KEY("pin-source")) {
				const char *f = val;
				if (strncmp(f, "file:", 5) == 0)
					f += 5;
				if (copy(env->pin_file, sizeof(env->pin_file), f,
				    "PIN file name") != 0)
					return -1;
				env->pin_file_named = true;
			} else if (KEY("pin-value")) {
				cli_error("pkcs11: URI with pin-value refused: a "
					"PIN on the command line is visible to "
					"every user; use pin-source=file:PATH or "
					"ZTK_PIN_FILE");
				return -1;
			}
			/* Other attributes (manufacturer, serial, object,
			 * id, type, slot-*) narrow a search we do not need. */
#undef KEY
		}
		p += n;
		if (*p == '?')
			in_query = 1;
		if (*p)
			p++;
	}
	return 0;
}

int keyenv_resolve(struct keyenv *env)
{
	const char *home = env->opt_home ? env->opt_home
		: env_nonempty("ZTK_HOME");
	if (home != NULL) {
		if (copy(env->home, sizeof(env->home), home, "ZTK_HOME") != 0)
			return -1;
	} else {
		const char *xdg = env_nonempty("XDG_DATA_HOME");
		const char *h = env_nonempty("HOME");
		int n;
		if (xdg != NULL)
			n = snprintf(env->home, sizeof(env->home), "%s/ztk", xdg);
		else if (h != NULL)
			n = snprintf(env->home, sizeof(env->home),
				"%s/.local/share/ztk", h);
		else {
			cli_error("neither ZTK_HOME nor HOME is set: say where "
				"the key store lives with --home or ZTK_HOME");
			return -1;
		}
		if (n < 0 || (size_t)n >= sizeof(env->home)) {
			cli_error("home directory path too long");
			return -1;
		}
	}
	/* Strip trailing slashes so joined paths read cleanly. */
	for (size_t n = strlen(env->home); n > 1 && env->home[n - 1] == '/'; n--)
		env->home[n - 1] = '\0';

	if (copy(env->module, sizeof(env->module), DEFAULT_MODULE, "module") ||
	    copy(env->token, sizeof(env->token), DEFAULT_TOKEN, "token") ||
	    join(env->pin_file, sizeof(env->pin_file), env->home, "pin") ||
	    join(env->db, sizeof(env->db), env->home, "keys.db") ||
	    join(env->softhsm_conf, sizeof(env->softhsm_conf), env->home,
		"softhsm2.conf") ||
	    join(env->tokendir, sizeof(env->tokendir), env->home, "tokens"))
		return -1;

	const char *uri = env->opt_uri ? env->opt_uri
		: env_nonempty("ZTK_PKCS11_URI");
	const char *v;
	if ((v = env_nonempty("ZTK_PKCS11_MODULE")) != NULL &&
	    copy(env->module, sizeof(env->module), v, "ZTK_PKCS11_MODULE"))
		return -1;
	if ((v = env_nonempty("ZTK_TOKEN")) != NULL &&
	    copy(env->token, sizeof(env->token), v, "ZTK_TOKEN"))
		return -1;
	if ((v = env_nonempty("ZTK_PIN_FILE")) != NULL &&
	    copy(env->pin_file, sizeof(env->pin_file), v, "ZTK_PIN_FILE"))
		return -1;
	if ((v = env_nonempty("ZTK_DB")) != NULL &&
	    copy(env->db, sizeof(env->db), v, "ZTK_DB"))
		return -1;
	if (uri != NULL && parse_uri(env, uri) != 0)
		return -1;
	if ((env->opt_module && copy(env->module, sizeof(env->module),
		env->opt_module, "--module")) ||
	    (env->opt_token && copy(env->token, sizeof(env->token),
		env->opt_token, "--token")) ||
	    (env->opt_pin_file && copy(env->pin_file, sizeof(env->pin_file),
		env->opt_pin_file, "--pin-file")) ||
	    (env->opt_db && copy(env->db, sizeof(env->db), env->opt_db,
		"--db")))
		return -1;
	env->default_module = strcmp(env->module, DEFAULT_MODULE) == 0;
	if (env->opt_pin_file != NULL || env_nonempty("ZTK_PIN_FILE") != NULL)
		env->pin_file_named = true;
	return 0;
}

void keyenv_export_softhsm(const struct keyenv *env)
{
	if (!env->default_module || env_nonempty("SOFTHSM2_CONF") != NULL)
		return;
	setenv("SOFTHSM2_CONF", env->softhsm_conf, 1);
}

int keyenv_read_pin(const struct keyenv *env, char *pin, size_t pinlen,
	char *why, size_t whylen)
{
	const char *envpin = getenv("ZTK_PIN");
	if (envpin != NULL && *envpin != '\0' && !env->pin_file_named) {
		size_t n = strlen(envpin);
		if (n >= pinlen) {
			snprintf(why, whylen, "ZTK_PIN is too long");
			return -1;
		}
		memcpy(pin, envpin, n + 1);
		return 0;
	}
	int fd = open(env->pin_file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, whylen, "cannot open PIN file %s: %s%s",
			env->pin_file, strerror(errno),
			errno == ENOENT ? " (run 'ztk-key init', or set "
			"ZTK_PIN_FILE or ZTK_PIN)" : "");
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(why, whylen, "PIN file %s is not a regular file",
			env->pin_file);
		close(fd);
		return -1;
	}
	if ((st.st_mode & 077) != 0) {
		snprintf(why, whylen, "PIN file %s is readable by others "
			"(mode %03o); run 'chmod 600 %s'", env->pin_file,
			(unsigned)(st.st_mode & 0777), env->pin_file);
		close(fd);
		return -1;
	}
	if (st.st_uid != geteuid()) {
		snprintf(why, whylen, "PIN file %s belongs to another user "
			"(uid %u)", env->pin_file, (unsigned)st.st_uid);
		close(fd);
		return -1;
	}
	ssize_t n = read(fd, pin, pinlen - 1);
	close(fd);
	if (n < 0) {
		snprintf(why, whylen, "cannot read PIN file %s: %s",
			env->pin_file, strerror(errno));
		return -1;
	}
	pin[n] = '\0';
	/* One line: the PIN is everything before the first line end. */
	pin[strcspn(pin, "\r\n")] = '\0';
	if (pin[0] == '\0') {
		snprintf(why, whylen, "PIN file %s is empty", env->pin_file);
		return -1;
	}
	return 0;
}

const char *keyenv_user(void)
{
	static char buf[64];
	struct passwd *pw = getpwuid(geteuid());
	if (pw != NULL && pw->pw_name != NULL &&
	    strlen(pw->pw_name) < sizeof(buf)) {
		snprintf(buf, sizeof(buf), "%s", pw->pw_name);
		return buf;
	}
	snprintf(buf, sizeof(buf), "uid:%u", (unsigned)geteuid());
	return buf;
}
