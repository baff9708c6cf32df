/*
 * keyctx.c - shared opening of store and token (see keyctx.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <time.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include <ztk/error.h>

#include "cli.h"
#include "keyctx.h"

int keyctx_open_db(struct keyctx *kc, bool create)
{
	char why[512] = "";
	if (!create && access(kc->env.db, F_OK) != 0) {
		cli_error("no key store at %s; run 'ztk-key init' first (or "
			"set ZTK_HOME / --home)", kc->env.db);
		return CLI_EXIT_ENV;
	}
	int rc = ztk_keydb_open(kc->env.db, &kc->db, why, sizeof(why));
	if (rc != 0) {
		cli_error("%s", why[0] ? why : ztk_strerror(rc));
		return CLI_EXIT_ENV;
	}
	return 0;
}

int keyctx_audit(struct keyctx *kc, const char *event, const char *zone,
	int keytag, const char *outcome, const char *detail)
{
	if (kc->db == NULL)
		return 0;
	struct ztk_audit_entry e = {
		.user = keyenv_user(), .command = kc->command, .event = event,
		.zone = zone ? zone : "", .keytag = keytag,
		.outcome = outcome, .detail = detail ? detail : "",
	};
	int rc = ztk_keydb_audit(kc->db, &e);
	if (rc != 0)
		cli_error("cannot append to the audit trail: %s",
			ztk_keydb_errmsg(kc->db));
	return rc;
}

/* Wait up to 60 s for the token lock, then give up with a clear line. */
static int lock_token(struct keyctx *kc, bool write)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/token.lock", kc->env.home);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		/* A read-only or foreign home: go on without the lock. */
		kc->lock_fd = -1;
		return 0;
	}
	for (int i = 0; i < 600; i++) {
		if (flock(fd, (write ? LOCK_EX : LOCK_SH) | LOCK_NB) == 0) {
			kc->lock_fd = fd;
			return 0;
		}
		if (errno != EWOULDBLOCK)
			break;
		struct timespec ts = { 0, 100 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	close(fd);
	cli_error("token lock %s is held by another ztk process for over a "
		"minute; is one stuck?", path);
	return CLI_EXIT_ENV;
}

int keyctx_open_token(struct keyctx *kc, bool write)
{
	char pin[256], why[1024] = "";
	int lrc = lock_token(kc, write);
	if (lrc != 0)
		return lrc;
	keyenv_export_softhsm(&kc->env);
	if (keyenv_read_pin(&kc->env, pin, sizeof(pin), why, sizeof(why)) != 0) {
		cli_error("%s", why);
		return CLI_EXIT_ENV;
	}
	struct ztk_p11_conf conf = { .module = kc->env.module,
		.token = kc->env.token, .pin = pin };
	int rc = ztk_p11_open(&conf, &kc->p11, why, sizeof(why));
	OPENSSL_cleanse(pin, sizeof(pin));
	if (rc != 0) {
		if (rc == ZTK_EPIN)
			keyctx_audit(kc, "pin-failed", NULL, -1, "failed", why);
		cli_error("%s", why);
		return CLI_EXIT_ENV;
	}
	return 0;
}

struct preflight {
	struct keyctx *kc;
	int64_t now;
	int missing;
};

static int preflight_one(void *ctx, const struct ztk_key_rec *r)
{
	struct preflight *pf = ctx;
	const int64_t *t = r->t;
	bool published = t[ZTK_T_PUBLISH] && t[ZTK_T_PUBLISH] <= pf->now &&
		!(t[ZTK_T_DELETE] && t[ZTK_T_DELETE] <= pf->now);
	bool active = t[ZTK_T_ACTIVE] && t[ZTK_T_ACTIVE] <= pf->now &&
		!(t[ZTK_T_INACTIVE] && t[ZTK_T_INACTIVE] <= pf->now);
	if (!published && !active)
		return 0;
	uint8_t id[ZTK_P11_ID_MAX];
	size_t idlen;
	struct ztk_p11_key k;
	if (keyctx_unhex(r->p11_id, id, &idlen) != 0 ||
	    ztk_p11_find(pf->kc->p11, id, idlen, &k) != 0) {
		cli_error("key %u (%s %s, id %s) of %s is in the store but not "
			"in token '%s'; restore the token from backup, or "
			"remove the key with 'ztk-key delete --force %u --zone "
			"%s'", r->keytag, ztk_role_name(r->role),
			active ? "active" : "published", r->p11_id, r->zone,
			pf->kc->env.token, r->keytag, r->zone);
		pf->missing++;
	}
	return 0;
}

int keyctx_preflight_zone(struct keyctx *kc, const char *zone, int64_t now)
{
	struct preflight pf = { .kc = kc, .now = now };
	if (ztk_keydb_list(kc->db, zone, preflight_one, &pf) < 0) {
		cli_error("cannot read the key store: %s",
			ztk_keydb_errmsg(kc->db));
		return CLI_EXIT_ENV;
	}
	return pf.missing ? CLI_EXIT_ENV : 0;
}

void keyctx_close(struct keyctx *kc)
{
	ztk_p11_close(kc->p11);
	kc->p11 = NULL;
	if (kc->lock_fd >= 0) {
		close(kc->lock_fd);
		kc->lock_fd = -1;
	}
	ztk_keydb_close(kc->db);
	kc->db = NULL;
}

void keyctx_hex(const uint8_t *id, size_t len, char *out)
{
	static const char hx[] = "0123456789abcdef";
	for (size_t i = 0; i < len; i++) {
		out[2 * i] = hx[id[i] >> 4];
		out[2 * i + 1] = hx[id[i] & 15];
	}
	out[2 * len] = '\0';
}

int keyctx_unhex(const char *hex, uint8_t *id, size_t *len)
{
	size_t n = strlen(hex);
	if (n % 2 != 0 || n / 2 > ZTK_P11_ID_MAX)
		return -1;
	for (size_t i = 0; i < n / 2; i++) {
		int v = 0;
		for (int j = 0; j < 2; j++) {
			char c = hex[2 * i + (size_t)j];
			int d = (c >= '0' && c <= '9') ? c - '0'
				: (c >= 'a' && c <= 'f') ? c - 'a' + 10
				: (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
			if (d < 0)
				return -1;
			v = v << 4 | d;
		}
		id[i] = (uint8_t)v;
	}
	*len = n / 2;
	return 0;
}
