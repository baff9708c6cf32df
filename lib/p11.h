/* p11.h - inside the key store: the loaded module and its raw function
 * list (not installed). */
#ifndef ZTK_P11_H
#define ZTK_P11_H

#include <libp11.h>
#include <p11-kit/pkcs11.h>

#include <ztk/keystore.h>

struct ztk_p11 {
	PKCS11_CTX *ctx;
	PKCS11_SLOT *slots;
	unsigned int nslots;
	PKCS11_SLOT *slot;
	void *dl;                       /* our reference to the module */
	CK_FUNCTION_LIST_PTR f;         /* the same module's function list */
	CK_SLOT_ID slot_id;
	CK_SESSION_HANDLE sess;         /* management session (rw) */
};

/* Private-key and public-key object of a pair, 0 if absent. */
int p11_find_pair(ztk_p11 *p11, CK_SESSION_HANDLE s, const uint8_t *id,
	size_t idlen, CK_OBJECT_HANDLE *priv, CK_OBJECT_HANDLE *pub);

/* Public key field of a pair, read through session sess (a signer's). */
int p11_read_public(ztk_p11 *p11, CK_SESSION_HANDLE sess,
	CK_OBJECT_HANDLE priv, CK_OBJECT_HANDLE pub, uint8_t alg,
	struct ztk_p11_key *out);

/* DER of the curve OID for an EC/EdDSA algorithm (NULL for RSA). */
const uint8_t *p11_curve_oid(uint8_t alg, size_t *len);

#endif
