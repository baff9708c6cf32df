/*
 * keyctx.h - open the key state store and the token the same way in every
 * binary, with the preflight checks that fail before any work is done.
 */
#ifndef ZTK_KEYCTX_H
#define ZTK_KEYCTX_H

#include <stdbool.h>
#include <stdint.h>

#include <ztk/keydb.h>
#include <ztk/keystore.h>

#include "keyenv.h"

struct keyctx {
	struct keyenv env;
	const char *command;    /* "ztk-key create", for the audit trail */
	ztk_keydb *db;
	ztk_p11 *p11;
	int lock_fd;            /* HOME/token.lock while the token is open */
};

/* Open the store (it must exist unless create).  Returns 0 or an exit
 * status after printing one line. */
int keyctx_open_db(struct keyctx *kc, bool create);

/*
 * Read the PIN, load the module, find the token, log in.  A wrong PIN is
 * recorded in the audit trail.  Returns 0 or an exit status.
 *
 * Processes that change the token (write) hold HOME/token.lock
 * exclusively, readers share it: SoftHSM2 reads a token directory that
 * another process is writing as "no token" or CKR_GENERAL_ERROR.
 */
int keyctx_open_token(struct keyctx *kc, bool write);

/* Preflight for a zone: every key of the zone in the store that is
 * published or active at now must be in the token.  Returns 0 or an exit
 * status after naming each missing key. */
int keyctx_preflight_zone(struct keyctx *kc, const char *zone, int64_t now);

/* Append an audit entry (outside or inside a transaction). */
int keyctx_audit(struct keyctx *kc, const char *event, const char *zone,
	int keytag, const char *outcome, const char *detail);

void keyctx_close(struct keyctx *kc);

/* Hex of a CKA_ID and back (0 / -1). */
void keyctx_hex(const uint8_t *id, size_t len, char *out);
int keyctx_unhex(const char *hex, uint8_t *id, size_t *len);

#endif
