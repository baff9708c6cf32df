/*
 * p11-bare-sign - benchmark baseline: raw PKCS#11 signing, no libztk, no
 * libp11.  dlopen the module, C_Initialize (CKF_OS_LOCKING_OK), log in,
 * find the private key by CKA_ID or CKA_LABEL, then N threads, each with
 * its own session, loop C_SignInit + C_Sign over a fixed message for D
 * seconds.  The work per signature is what lib/signer.c p11_sign does:
 *   EC (P-256)  SHA-256 with OpenSSL, CKM_ECDSA over the 32-octet digest
 *   EdDSA       CKM_EDDSA over the whole message
 *   RSA         SHA-256 with OpenSSL, CKM_RSA_PKCS over the DigestInfo
 * The mechanism follows the key's CKA_KEY_TYPE.
 *
 * usage: p11-bare-sign [-m MODULE] -t TOKEN [-P PINFILE] (-i HEXID | -L LABEL)
 *                      [-n THREADS] [-d SECONDS] [-l MSGLEN] [-S]
 *   -S  experiment, not the baseline: each thread signs with its own
 *       session-object copy of the key (C_CopyObject, CKA_TOKEN false),
 *       which SoftHSM2 keeps in memory instead of re-checking the object
 *       file on every C_SignInit.
 *   MODULE default /usr/lib/softhsm/libsofthsm2.so; PINFILE default
 *   $ZTK_PIN_FILE (the PIN is never taken from the command line).
 * Prints: bare-<mech>[-session-copy] threads=N seconds=S sigs=C rate=R
 *         cpu=U% runq=Q% per_thread=... (see sign-common.h)
 */
#include <dlfcn.h>
#include <getopt.h>

#include <openssl/evp.h>
#include <p11-kit/pkcs11.h>

#include "sign-common.h"

static const char *prog = "p11-bare-sign";

static const uint8_t di_sha256[] = { 0x30, 0x31, 0x30, 0x0d, 0x06, 0x09,
	0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04,
	0x20 };
static const uint8_t oid_p256[] = { 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce,
	0x3d, 0x03, 0x01, 0x07 };

enum kind { K_ECDSA, K_EDDSA, K_RSA };

struct job {
	CK_FUNCTION_LIST_PTR f;
	CK_SESSION_HANDLE sess;
	CK_OBJECT_HANDLE key;
	enum kind kind;
	const uint8_t *msg;
	size_t len;
};

static int sign_once(void *arg)
{
	struct job *j = arg;
	uint8_t in[sizeof(di_sha256) + 32];
	const uint8_t *data = j->msg;
	size_t dlen = j->len;
	CK_MECHANISM mech = { CKM_ECDSA, NULL, 0 };
	if (j->kind == K_EDDSA) {
		mech.mechanism = CKM_EDDSA;
	} else {
		size_t off = 0;
		if (j->kind == K_RSA) {
			memcpy(in, di_sha256, sizeof(di_sha256));
			off = sizeof(di_sha256);
			mech.mechanism = CKM_RSA_PKCS;
		}
		unsigned hl = 0;
		if (EVP_Digest(j->msg, j->len, in + off, &hl, EVP_sha256(), NULL)
		    != 1)
			return -1;
		data = in;
		dlen = off + hl;
	}
	uint8_t sig[512];
	CK_RV rv = j->f->C_SignInit(j->sess, &mech, j->key);
	if (rv != CKR_OK) {
		fprintf(stderr, "%s: C_SignInit: 0x%lx\n", prog, (unsigned long)rv);
		return -1;
	}
	CK_ULONG out = sizeof(sig);
	rv = j->f->C_Sign(j->sess, (CK_BYTE_PTR)data, dlen, sig, &out);
	if (rv != CKR_OK) {
		fprintf(stderr, "%s: C_Sign: 0x%lx\n", prog, (unsigned long)rv);
		return -1;
	}
	return 0;
}

/* The one object of this class matching the template's id or label. */
static CK_OBJECT_HANDLE find_one(CK_FUNCTION_LIST_PTR f, CK_SESSION_HANDLE s,
	CK_OBJECT_CLASS cls, CK_ATTRIBUTE *sel)
{
	CK_ATTRIBUTE tmpl[2] = { { CKA_CLASS, &cls, sizeof(cls) }, *sel };
	CK_OBJECT_HANDLE h[2];
	CK_ULONG n = 0;
	if (f->C_FindObjectsInit(s, tmpl, 2) != CKR_OK)
		return CK_INVALID_HANDLE;
	CK_RV rv = f->C_FindObjects(s, h, 2, &n);
	f->C_FindObjectsFinal(s);
	if (rv != CKR_OK || n == 0)
		return CK_INVALID_HANDLE;
	if (n > 1 && cls == CKO_PRIVATE_KEY) {
		fprintf(stderr, "%s: more than one private key matches\n", prog);
		return CK_INVALID_HANDLE;
	}
	return h[0];
}

/* A slot whose token has this label. */
static int find_slot(CK_FUNCTION_LIST_PTR f, const char *label,
	CK_SLOT_ID *out)
{
	CK_SLOT_ID slots[64];
	CK_ULONG n = 64;
	if (f->C_GetSlotList(CK_TRUE, slots, &n) != CKR_OK)
		return -1;
	size_t ll = strlen(label);
	for (CK_ULONG i = 0; i < n; i++) {
		CK_TOKEN_INFO ti;
		if (f->C_GetTokenInfo(slots[i], &ti) != CKR_OK)
			continue;
		size_t tl = sizeof(ti.label);
		/* Blank padding per the standard; libp11's C_InitToken
		 * leaves NULs after the label. */
		while (tl > 0 && (ti.label[tl - 1] == ' ' ||
		    ti.label[tl - 1] == '\0'))
			tl--;
		if (tl == ll && memcmp(ti.label, label, ll) == 0) {
			*out = slots[i];
			return 0;
		}
	}
	return -1;
}

static void usage(FILE *out)
{
	fprintf(out, "usage: %s [-m MODULE] -t TOKEN [-P PINFILE] "
		"(-i HEXID | -L LABEL)\n"
		"       [-n THREADS] [-d SECONDS] [-l MSGLEN] [-S]\n"
		"PINFILE defaults to $ZTK_PIN_FILE.\n", prog);
}

int main(int argc, char **argv)
{
	const char *module = "/usr/lib/softhsm/libsofthsm2.so";
	const char *token = NULL, *pinfile = getenv("ZTK_PIN_FILE");
	const char *idhex = NULL, *klabel = NULL;
	int threads = 1;
	double seconds = 3;
	size_t msglen = BENCH_MSG_DEFAULT;
	int session_copy = 0;
	int c;
	while ((c = getopt(argc, argv, "m:t:P:i:L:n:d:l:Sh")) != -1) {
		switch (c) {
		case 'm': module = optarg; break;
		case 't': token = optarg; break;
		case 'P': pinfile = optarg; break;
		case 'i': idhex = optarg; break;
		case 'L': klabel = optarg; break;
		case 'n': threads = bench_parse_threads(optarg); break;
		case 'd': seconds = bench_parse_seconds(optarg); break;
		case 'l': msglen = strtoul(optarg, NULL, 10); break;
		case 'S': session_copy = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc || token == NULL || (idhex == NULL) ==
	    (klabel == NULL) || threads < 1 || seconds <= 0 || msglen == 0 ||
	    msglen > BENCH_MSG_MAX) {
		usage(stderr);
		return 2;
	}
	if (pinfile == NULL || *pinfile == '\0') {
		fprintf(stderr, "%s: no PIN file (-P or ZTK_PIN_FILE)\n", prog);
		return 2;
	}
	char pin[256];
	if (bench_read_pin(prog, pinfile, pin, sizeof(pin)) != 0)
		return 2;
	uint8_t id[64];
	int idlen = 0;
	if (idhex != NULL && (idlen = bench_unhex(idhex, id, sizeof(id))) < 0) {
		fprintf(stderr, "%s: -i wants the CKA_ID in hex\n", prog);
		return 2;
	}

	void *dl = dlopen(module, RTLD_NOW | RTLD_LOCAL);
	if (dl == NULL) {
		fprintf(stderr, "%s: %s\n", prog, dlerror());
		return 1;
	}
	CK_C_GetFunctionList gfl;
	*(void **)&gfl = dlsym(dl, "C_GetFunctionList");
	CK_FUNCTION_LIST_PTR f = NULL;
	if (gfl == NULL || gfl(&f) != CKR_OK) {
		fprintf(stderr, "%s: %s is not a PKCS#11 module\n", prog, module);
		return 1;
	}
	CK_C_INITIALIZE_ARGS ia = { .flags = CKF_OS_LOCKING_OK };
	CK_RV rv = f->C_Initialize(&ia);
	if (rv != CKR_OK) {
		fprintf(stderr, "%s: C_Initialize: 0x%lx\n", prog,
			(unsigned long)rv);
		return 1;
	}
	CK_SLOT_ID slot;
	if (find_slot(f, token, &slot) != 0) {
		fprintf(stderr, "%s: no token labelled '%s'\n", prog, token);
		return 1;
	}
	CK_SESSION_HANDLE mgmt;
	if ((rv = f->C_OpenSession(slot, CKF_SERIAL_SESSION, NULL, NULL, &mgmt))
	    != CKR_OK ||
	    (rv = f->C_Login(mgmt, CKU_USER, (CK_UTF8CHAR_PTR)pin, strlen(pin)))
	    != CKR_OK) {
		fprintf(stderr, "%s: open/login: 0x%lx\n", prog,
			(unsigned long)rv);
		return 1;
	}
	memset(pin, 0, sizeof(pin));

	CK_ATTRIBUTE sel = idhex ? (CK_ATTRIBUTE){ CKA_ID, id, (CK_ULONG)idlen }
		: (CK_ATTRIBUTE){ CKA_LABEL, (void *)klabel, strlen(klabel) };
	CK_OBJECT_HANDLE key = find_one(f, mgmt, CKO_PRIVATE_KEY, &sel);
	if (key == CK_INVALID_HANDLE) {
		fprintf(stderr, "%s: no private key with that %s\n", prog,
			idhex ? "CKA_ID" : "CKA_LABEL");
		return 1;
	}
	CK_KEY_TYPE kt;
	uint8_t params[64];
	CK_ATTRIBUTE a[2] = { { CKA_KEY_TYPE, &kt, sizeof(kt) },
		{ CKA_EC_PARAMS, params, sizeof(params) } };
	if (f->C_GetAttributeValue(mgmt, key, a, 1) != CKR_OK) {
		fprintf(stderr, "%s: cannot read CKA_KEY_TYPE\n", prog);
		return 1;
	}
	enum kind kind;
	const char *name;
	if (kt == CKK_RSA) {
		kind = K_RSA;
		name = "bare-rsa-pkcs-sha256";
	} else if (kt == CKK_EC_EDWARDS) {
		kind = K_EDDSA;
		name = "bare-eddsa";
	} else if (kt == CKK_EC) {
		/* The private key may lack CKA_EC_PARAMS in some tokens; the
		 * benchmark only uses P-256, so insist on seeing it. */
		if (f->C_GetAttributeValue(mgmt, key, &a[1], 1) != CKR_OK ||
		    a[1].ulValueLen != sizeof(oid_p256) ||
		    memcmp(params, oid_p256, sizeof(oid_p256)) != 0) {
			fprintf(stderr, "%s: EC key is not on P-256\n", prog);
			return 1;
		}
		kind = K_ECDSA;
		name = "bare-ecdsa-p256-sha256";
	} else {
		fprintf(stderr, "%s: key type 0x%lx not benchmarked\n", prog,
			(unsigned long)kt);
		return 1;
	}

	static uint8_t msg[BENCH_MSG_MAX];
	bench_message(msg, msglen);
	struct job jobs[BENCH_MAX_THREADS];
	void *ctx[BENCH_MAX_THREADS];
	for (int i = 0; i < threads; i++) {
		jobs[i] = (struct job){ .f = f, .key = key, .kind = kind,
			.msg = msg, .len = msglen };
		rv = f->C_OpenSession(slot, CKF_SERIAL_SESSION, NULL, NULL,
			&jobs[i].sess);
		if (rv != CKR_OK) {
			fprintf(stderr, "%s: C_OpenSession: 0x%lx\n", prog,
				(unsigned long)rv);
			return 1;
		}
		if (session_copy) {
			CK_BBOOL no = CK_FALSE;
			CK_ATTRIBUTE t = { CKA_TOKEN, &no, sizeof(no) };
			rv = f->C_CopyObject(jobs[i].sess, key, &t, 1,
				&jobs[i].key);
			if (rv != CKR_OK) {
				fprintf(stderr, "%s: C_CopyObject: 0x%lx\n", prog,
					(unsigned long)rv);
				return 1;
			}
		}
		ctx[i] = &jobs[i];
	}
	char full[96];
	snprintf(full, sizeof(full), "%s%s", name,
		session_copy ? "-session-copy" : "");
	name = full;
	int rc = bench_run(name, sign_once, ctx, threads, seconds);
	for (int i = 0; i < threads; i++)
		f->C_CloseSession(jobs[i].sess);
	f->C_Logout(mgmt);
	f->C_CloseSession(mgmt);
	f->C_Finalize(NULL);
	return rc == 0 ? 0 : 1;
}
