/*
 * keyenv.h - where the key store lives, for every binary that touches keys.
 *
 * Resolution order for each setting: command-line flag, then environment,
 * then the embedded default (a SoftHSM2 token under ZTK_HOME):
 *
 *   home    --home        ZTK_HOME           $XDG_DATA_HOME/ztk or ~/.local/share/ztk
 *   module  --module      ZTK_PKCS11_MODULE  /usr/lib/softhsm/libsofthsm2.so
 *   token   --token       ZTK_TOKEN          "ztk"
 *   PIN     --pin-file    ZTK_PIN_FILE       ZTK_PIN, else HOME/pin
 *   state   --db          ZTK_DB             HOME/keys.db
 *
 * A pkcs11: URI (RFC 7512) given with --uri or ZTK_PKCS11_URI fills in the
 * module (module-path), token (token) and PIN file (pin-source) it names.
 * The PIN itself is never taken from argv: pin-value in a URI is refused.
 */
#ifndef ZTK_KEYENV_H
#define ZTK_KEYENV_H

#include <stdbool.h>
#include <stddef.h>

struct keyenv {
	char home[4096];
	char module[4096];
	char token[256];
	char pin_file[4096];    /* "" when the PIN came from ZTK_PIN */
	char db[4096];
	char softhsm_conf[4096];/* HOME/softhsm2.conf */
	char tokendir[4096];    /* HOME/tokens */
	bool default_module;    /* module is SoftHSM2: we own its config */
	bool pin_file_named;    /* by flag, ZTK_PIN_FILE or a URI: beats ZTK_PIN */
	/* Flags as given (NULL = not given); set before keyenv_resolve. */
	const char *opt_home, *opt_module, *opt_token, *opt_pin_file, *opt_db,
		*opt_uri;
};

/* Fill in everything from flags, environment and defaults.  Returns 0, or
 * -1 after printing a one-line error (bad URI, path too long). */
int keyenv_resolve(struct keyenv *env);

/* Point SoftHSM2 at HOME/softhsm2.conf unless SOFTHSM2_CONF is already set
 * or another module is in use. */
void keyenv_export_softhsm(const struct keyenv *env);

/*
 * Read the PIN: ZTK_PIN if set (and no PIN file was named explicitly),
 * otherwise the PIN file, which must be a regular file owned by us and not
 * readable by group or others.  Returns 0, or -1 with a one-line reason in
 * why that never contains the PIN.
 */
int keyenv_read_pin(const struct keyenv *env, char *pin, size_t pinlen,
	char *why, size_t whylen);

/* The OS user name for the audit trail (never fails; "uid:N" at worst). */
const char *keyenv_user(void);

#endif
