/*
 * p11.c - load a PKCS#11 module, find the token, log in (libp11), and
 * reach the module's raw function list for what libp11 cannot do.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>

#include <ztk/error.h>

#include "p11.h"
#include "util.h"

const char *ztk_p11_rvname(unsigned long rv)
{
	static const struct { unsigned long rv; const char *name; } t[] = {
#define R(x) { x, #x }
		R(CKR_OK), R(CKR_HOST_MEMORY), R(CKR_SLOT_ID_INVALID),
		R(CKR_GENERAL_ERROR), R(CKR_FUNCTION_FAILED),
		R(CKR_ARGUMENTS_BAD), R(CKR_ATTRIBUTE_READ_ONLY),
		R(CKR_ATTRIBUTE_SENSITIVE), R(CKR_ATTRIBUTE_TYPE_INVALID),
		R(CKR_ATTRIBUTE_VALUE_INVALID), R(CKR_DEVICE_ERROR),
		R(CKR_DEVICE_MEMORY), R(CKR_DEVICE_REMOVED),
		R(CKR_DOMAIN_PARAMS_INVALID), R(CKR_KEY_HANDLE_INVALID),
		R(CKR_KEY_SIZE_RANGE), R(CKR_KEY_TYPE_INCONSISTENT),
		R(CKR_KEY_FUNCTION_NOT_PERMITTED), R(CKR_MECHANISM_INVALID),
		R(CKR_MECHANISM_PARAM_INVALID), R(CKR_OBJECT_HANDLE_INVALID),
		R(CKR_OPERATION_ACTIVE), R(CKR_PIN_INCORRECT),
		R(CKR_PIN_INVALID), R(CKR_PIN_LEN_RANGE), R(CKR_PIN_EXPIRED),
		R(CKR_PIN_LOCKED), R(CKR_SESSION_HANDLE_INVALID),
		R(CKR_SESSION_READ_ONLY), R(CKR_TEMPLATE_INCOMPLETE),
		R(CKR_TEMPLATE_INCONSISTENT), R(CKR_TOKEN_NOT_PRESENT),
		R(CKR_TOKEN_NOT_RECOGNIZED), R(CKR_TOKEN_WRITE_PROTECTED),
		R(CKR_USER_ALREADY_LOGGED_IN), R(CKR_USER_NOT_LOGGED_IN),
		R(CKR_USER_PIN_NOT_INITIALIZED), R(CKR_USER_TYPE_INVALID),
		R(CKR_DATA_LEN_RANGE), R(CKR_BUFFER_TOO_SMALL),
		R(CKR_CRYPTOKI_NOT_INITIALIZED),
		R(CKR_CRYPTOKI_ALREADY_INITIALIZED),
#undef R
	};
	for (size_t i = 0; i < ZTK_ARRAY_LEN(t); i++)
		if (t[i].rv == rv)
			return t[i].name;
	return "CKR_(unknown)";
}

const uint8_t *p11_curve_oid(uint8_t alg, size_t *len)
{
	/* DER OBJECT IDENTIFIERs: prime256v1, secp384r1, id-Ed25519,
	 * id-Ed448. */
	static const uint8_t p256[] = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce,
		0x3d, 0x03, 0x01, 0x07 };
	static const uint8_t p384[] = { 0x06, 0x05, 0x2b, 0x81, 0x04, 0x00,
		0x22 };
	static const uint8_t ed25519[] = { 0x06, 0x03, 0x2b, 0x65, 0x70 };
	static const uint8_t ed448[] = { 0x06, 0x03, 0x2b, 0x65, 0x71 };
	switch (alg) {
	case 13: *len = sizeof(p256); return p256;
	case 14: *len = sizeof(p384); return p384;
	case 15: *len = sizeof(ed25519); return ed25519;
	case 16: *len = sizeof(ed448); return ed448;
	default: *len = 0; return NULL;
	}
}

/* Find the module's C_GetFunctionList through our own dlopen reference
 * (the loader hands back the handle libp11 already holds). */
static int raw_functions(ztk_p11 *p11, const char *module, char *why,
	size_t whylen)
{
	p11->dl = dlopen(module, RTLD_NOW | RTLD_LOCAL);
	if (p11->dl == NULL) {
		snprintf(why, whylen, "cannot load PKCS#11 module %s: %s",
			module, dlerror());
		return ZTK_EMODULE;
	}
	CK_C_GetFunctionList get;
	*(void **)&get = dlsym(p11->dl, "C_GetFunctionList");
	if (get == NULL || get(&p11->f) != CKR_OK || p11->f == NULL) {
		snprintf(why, whylen, "%s is not a PKCS#11 module (no "
			"C_GetFunctionList)", module);
		return ZTK_EMODULE;
	}
	return 0;
}

static unsigned long last_ckr(void)
{
	/* libp11 queues the CKR_* value as the reason of its error. */
	unsigned long e, last = 0;
	while ((e = ERR_get_error()) != 0)
		last = e;
	return last ? (unsigned long)ERR_GET_REASON(last) : 0;
}

static int load(ztk_p11 *p11, const char *module, char *why, size_t whylen)
{
	p11->ctx = PKCS11_CTX_new();
	if (p11->ctx == NULL)
		return ZTK_ENOMEM;
	if (PKCS11_CTX_load(p11->ctx, module) != 0) {
		unsigned long rv = last_ckr();
		void *h = dlopen(module, RTLD_NOW | RTLD_LOCAL);
		if (h == NULL)
			snprintf(why, whylen, "cannot load PKCS#11 module %s: "
				"%s; install it or name another with --module "
				"or ZTK_PKCS11_MODULE", module, dlerror());
		else {
			dlclose(h);
			snprintf(why, whylen, "PKCS#11 module %s failed to "
				"initialise (%s); for SoftHSM2 check "
				"SOFTHSM2_CONF and its tokendir", module,
				ztk_p11_rvname(rv));
		}
		PKCS11_CTX_free(p11->ctx);
		p11->ctx = NULL;
		return ZTK_EMODULE;
	}
	if (PKCS11_enumerate_slots(p11->ctx, &p11->slots, &p11->nslots) != 0) {
		snprintf(why, whylen, "PKCS#11 module %s cannot list its slots "
			"(%s)", module, ztk_p11_rvname(last_ckr()));
		return ZTK_EMODULE;
	}
	return raw_functions(p11, module, why, whylen);
}

void ztk_p11_close(ztk_p11 *p11)
{
	if (p11 == NULL)
		return;
	if (p11->f != NULL && p11->sess != 0)
		p11->f->C_CloseSession(p11->sess);
	if (p11->ctx != NULL) {
		if (p11->slots != NULL)
			PKCS11_release_all_slots(p11->ctx, p11->slots,
				p11->nslots);
		PKCS11_CTX_unload(p11->ctx);
		PKCS11_CTX_free(p11->ctx);
	}
	if (p11->dl != NULL)
		dlclose(p11->dl);
	free(p11);
}

static PKCS11_SLOT *find_token(ztk_p11 *p11, const char *label)
{
	for (unsigned i = 0; i < p11->nslots; i++) {
		PKCS11_SLOT *s = &p11->slots[i];
		if (s->token != NULL && s->token->initialized &&
		    s->token->label != NULL && strcmp(s->token->label, label) == 0)
			return s;
	}
	return NULL;
}

static void list_labels(ztk_p11 *p11, char *buf, size_t len)
{
	size_t o = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < p11->nslots && o < len; i++) {
		PKCS11_SLOT *s = &p11->slots[i];
		if (s->token == NULL || !s->token->initialized)
			continue;
		int n = snprintf(buf + o, len - o, "%s'%s'", o ? ", " : "",
			s->token->label ? s->token->label : "");
		if (n < 0)
			break;
		o += (size_t)n;
	}
}

int ztk_p11_open(const struct ztk_p11_conf *conf, ztk_p11 **out, char *why,
	size_t whylen)
{
	*out = NULL;
	ztk_p11 *p11 = calloc(1, sizeof(*p11));
	if (p11 == NULL)
		return ZTK_ENOMEM;
	int rc = load(p11, conf->module, why, whylen);
	if (rc != 0)
		goto fail;
	p11->slot = find_token(p11, conf->token);
	if (p11->slot == NULL) {
		char labels[512];
		list_labels(p11, labels, sizeof(labels));
		snprintf(why, whylen, "no token labelled '%s' in %s (%s%s); "
			"create it with 'ztk-key init' or name another with "
			"--token or ZTK_TOKEN", conf->token, conf->module,
			labels[0] ? "tokens present: " : "no initialised tokens",
			labels);
		rc = ZTK_ETOKEN;
		goto fail;
	}
	p11->slot_id = PKCS11_get_slotid_from_slot(p11->slot);
	if (conf->pin != NULL) {
		if (p11->slot->token->userPinLocked) {
			snprintf(why, whylen, "the user PIN of token '%s' is "
				"locked after too many wrong PINs; the security "
				"officer must reset it", conf->token);
			rc = ZTK_EPIN;
			goto fail;
		}
		if (PKCS11_login(p11->slot, 0, conf->pin) != 0) {
			unsigned long rv = last_ckr();
			snprintf(why, whylen, "login to token '%s' failed: %s "
				"(check the PIN file or ZTK_PIN)", conf->token,
				rv == CKR_PIN_INCORRECT ? "wrong PIN"
				: rv == CKR_PIN_LOCKED ? "PIN locked"
				: ztk_p11_rvname(rv));
			rc = ZTK_EPIN;
			goto fail;
		}
	}
	CK_RV rv = p11->f->C_OpenSession(p11->slot_id,
		CKF_SERIAL_SESSION | CKF_RW_SESSION, NULL, NULL, &p11->sess);
	if (rv != CKR_OK) {
		snprintf(why, whylen, "cannot open a session on token '%s': %s",
			conf->token, ztk_p11_rvname(rv));
		rc = ZTK_EP11;
		goto fail;
	}
	*out = p11;
	return 0;
fail:
	ERR_clear_error();
	ztk_p11_close(p11);
	return rc;
}

int ztk_p11_init_token(const char *module, const char *label,
	const char *so_pin, const char *user_pin, char *why, size_t whylen)
{
	ztk_p11 *p11 = calloc(1, sizeof(*p11));
	if (p11 == NULL)
		return ZTK_ENOMEM;
	int rc = load(p11, module, why, whylen);
	if (rc != 0)
		goto out;
	if (find_token(p11, label) != NULL) {
		snprintf(why, whylen, "token '%s' already exists", label);
		rc = ZTK_EEXIST;
		goto out;
	}
	PKCS11_SLOT *free_slot = NULL;
	for (unsigned i = 0; i < p11->nslots && free_slot == NULL; i++)
		if (p11->slots[i].token != NULL &&
		    !p11->slots[i].token->initialized)
			free_slot = &p11->slots[i];
	if (free_slot == NULL) {
		snprintf(why, whylen, "module %s has no free slot for a new "
			"token", module);
		rc = ZTK_ETOKEN;
		goto out;
	}
	if (PKCS11_init_token(free_slot->token, so_pin, label) != 0) {
		snprintf(why, whylen, "cannot initialise token '%s': %s",
			label, ztk_p11_rvname(last_ckr()));
		rc = ZTK_EP11;
		goto out;
	}
	/* The token moves to a new slot in SoftHSM2: list them again. */
	PKCS11_release_all_slots(p11->ctx, p11->slots, p11->nslots);
	p11->slots = NULL;
	if (PKCS11_enumerate_slots(p11->ctx, &p11->slots, &p11->nslots) != 0 ||
	    (free_slot = find_token(p11, label)) == NULL) {
		snprintf(why, whylen, "token '%s' vanished after "
			"initialisation", label);
		rc = ZTK_EP11;
		goto out;
	}
	if (PKCS11_open_session(free_slot, 1) != 0 ||
	    PKCS11_login(free_slot, 1, so_pin) != 0 ||
	    PKCS11_init_pin(free_slot->token, user_pin) != 0) {
		snprintf(why, whylen, "cannot set the user PIN of token '%s': "
			"%s", label, ztk_p11_rvname(last_ckr()));
		rc = ZTK_EP11;
		goto out;
	}
	PKCS11_logout(free_slot);
out:
	ERR_clear_error();
	ztk_p11_close(p11);
	return rc;
}

int p11_find_pair(ztk_p11 *p11, CK_SESSION_HANDLE s, const uint8_t *id,
	size_t idlen, CK_OBJECT_HANDLE *priv, CK_OBJECT_HANDLE *pub)
{
	CK_OBJECT_CLASS classes[2] = { CKO_PRIVATE_KEY, CKO_PUBLIC_KEY };
	CK_OBJECT_HANDLE *outs[2] = { priv, pub };
	for (int i = 0; i < 2; i++) {
		if (outs[i] == NULL)
			continue;
		*outs[i] = 0;
		CK_ATTRIBUTE tmpl[] = {
			{ CKA_CLASS, &classes[i], sizeof(classes[i]) },
			{ CKA_ID, (void *)id, idlen },
		};
		CK_ULONG n = 0;
		CK_OBJECT_HANDLE h;
		if (p11->f->C_FindObjectsInit(s, tmpl, 2) != CKR_OK)
			return ZTK_EP11;
		CK_RV rv = p11->f->C_FindObjects(s, &h, 1, &n);
		p11->f->C_FindObjectsFinal(s);
		if (rv != CKR_OK)
			return ZTK_EP11;
		if (n == 1)
			*outs[i] = h;
	}
	return (priv != NULL && *priv == 0) ? ZTK_ENOENT : 0;
}
