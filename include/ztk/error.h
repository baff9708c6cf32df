/*
 * ztk/error.h - error codes of libztk.
 *
 * Every library call that can fail returns int: 0 on success or one of the
 * negative ZTK_E* codes below.  Verdicts (lint findings, bogus chains) are
 * never errors: they are data returned through the call's own structures.
 *
 * The list is one X-macro so that the enum, the symbolic names and the
 * messages can never drift apart.  A released code never changes its number:
 * append new codes at the end.
 */
#ifndef ZTK_ERROR_H
#define ZTK_ERROR_H

#include <ztk/visibility.h>

/* X(name, number, message) */
#define ZTK_ERRORS(X) \
	X(ZTK_OK,        0,  "success") \
	X(ZTK_ENOMEM,   -1,  "out of memory") \
	X(ZTK_EINVAL,   -2,  "invalid argument") \
	X(ZTK_EIO,      -3,  "input/output error") \
	X(ZTK_ENOENT,   -4,  "no such file or object") \
	X(ZTK_ESYNTAX,  -5,  "syntax error") \
	X(ZTK_ERANGE,   -6,  "value out of range") \
	X(ZTK_ELIMIT,   -7,  "limit exceeded") \
	X(ZTK_ENOTSUP,  -8,  "not supported") \
	X(ZTK_EMALF,    -9,  "malformed data") \
	X(ZTK_ECANCEL,  -10, "cancelled by callback") \
	X(ZTK_EACCES,   -11, "permission denied") \
	X(ZTK_EEXIST,   -12, "already exists") \
	X(ZTK_ESPACE,   -13, "no space left in buffer") \
	X(ZTK_EMODULE,  -14, "PKCS#11 module cannot be loaded") \
	X(ZTK_ETOKEN,   -15, "PKCS#11 token not found") \
	X(ZTK_EPIN,     -16, "PIN incorrect or locked") \
	X(ZTK_EP11,     -17, "PKCS#11 operation failed") \
	X(ZTK_ECRYPTO,  -18, "cryptographic operation failed") \
	X(ZTK_EDB,      -19, "key state database error") \
	X(ZTK_EBUSY,    -20, "key state database busy") \
	X(ZTK_EPOLICY,  -21, "refused by policy") \
	X(ZTK_ETIMEDOUT, -22, "timed out") \
	X(ZTK_ENET,     -23, "network error")

enum ztk_error {
#define ZTK_X_ENUM(name, num, msg) name = num,
	ZTK_ERRORS(ZTK_X_ENUM)
#undef ZTK_X_ENUM
};

/* Human-readable message for a code; never NULL, "unknown error" if unknown. */
ZTK_API const char *ztk_strerror(int code);

/* Symbolic name ("ZTK_ENOMEM") for a code; never NULL, "ZTK_E?" if unknown. */
ZTK_API const char *ztk_errname(int code);

#endif /* ZTK_ERROR_H */
