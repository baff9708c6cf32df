/*
 * sign-bench - raw signing through libztk's key store: ztk_p11_open once,
 * then one ztk_p11_signer_new per thread and a ztk_signer_sign loop for D
 * seconds over the same fixed message as bench/p11-bare-sign.  With -k, a
 * software signer (ztk_soft_signer_new on a PEM key of mode 0600) per
 * thread instead, for comparison with `openssl speed`.
 *
 * usage: sign-bench -a ALG [-m MODULE] -t TOKEN [-P PINFILE] -i HEXID
 *                   [-n THREADS] [-d SECONDS] [-l MSGLEN]
 *        sign-bench -a ALG -k KEY.pem [-n THREADS] [-d SECONDS] [-l MSGLEN]
 *   ALG is a DNSSEC algorithm mnemonic or number (ECDSAP256SHA256, ED25519,
 *   RSASHA256, ...).  MODULE default /usr/lib/softhsm/libsofthsm2.so;
 *   PINFILE default $ZTK_PIN_FILE (the PIN is never taken from argv).
 * Before timing, each signer's first signature is checked with
 * ztk_dnssec_verify against the signer's own DNSKEY.
 * Prints: ztk-p11-<ALG>|ztk-soft-<ALG> threads=N seconds=S sigs=C rate=R
 *         cpu=U% runq=Q% per_thread=... (see sign-common.h)
 */
#include <getopt.h>

#include <ztk/dnssec.h>
#include <ztk/error.h>
#include <ztk/keystore.h>

#include "sign-common.h"

static const char *prog = "sign-bench";

struct job {
	ztk_signer *s;
	const uint8_t *msg;
	size_t len;
};

static int sign_once(void *arg)
{
	struct job *j = arg;
	uint8_t sig[512];
	size_t siglen = sizeof(sig);
	int rc = ztk_signer_sign(j->s, j->msg, j->len, sig, &siglen);
	if (rc != 0)
		fprintf(stderr, "%s: ztk_signer_sign: %s\n", prog,
			ztk_strerror(rc));
	return rc;
}

/* Sign once and verify with the signer's public key: 0 if valid. */
static int self_check(ztk_signer *s, const uint8_t *msg, size_t len)
{
	uint8_t rdata[4 + ZTK_PUBKEY_MAX], sig[512];
	size_t publen = ZTK_PUBKEY_MAX, siglen = sizeof(sig);
	rdata[0] = 0x01;        /* flags 256: zone key */
	rdata[1] = 0x00;
	rdata[2] = 3;
	rdata[3] = ztk_signer_alg(s);
	if (ztk_signer_pubkey(s, rdata + 4, &publen) != 0 || publen == 0 ||
	    ztk_signer_sign(s, msg, len, sig, &siglen) != 0)
		return -1;
	return ztk_dnssec_verify(rdata, 4 + publen, msg, len, sig, siglen) == 0
		? 0 : -1;
}

static void usage(FILE *out)
{
	fprintf(out, "usage: %s -a ALG [-m MODULE] -t TOKEN [-P PINFILE] "
		"-i HEXID [-n THREADS] [-d SECONDS] [-l MSGLEN]\n"
		"       %s -a ALG -k KEY.pem [-n THREADS] [-d SECONDS] "
		"[-l MSGLEN]\n"
		"PINFILE defaults to $ZTK_PIN_FILE.\n", prog, prog);
}

int main(int argc, char **argv)
{
	const char *module = "/usr/lib/softhsm/libsofthsm2.so";
	const char *token = NULL, *pinfile = getenv("ZTK_PIN_FILE");
	const char *idhex = NULL, *pem = NULL, *algname = NULL;
	int threads = 1;
	double seconds = 3;
	size_t msglen = BENCH_MSG_DEFAULT;
	int c;
	while ((c = getopt(argc, argv, "a:m:t:P:i:k:n:d:l:h")) != -1) {
		switch (c) {
		case 'a': algname = optarg; break;
		case 'm': module = optarg; break;
		case 't': token = optarg; break;
		case 'P': pinfile = optarg; break;
		case 'i': idhex = optarg; break;
		case 'k': pem = optarg; break;
		case 'n': threads = bench_parse_threads(optarg); break;
		case 'd': seconds = bench_parse_seconds(optarg); break;
		case 'l': msglen = strtoul(optarg, NULL, 10); break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	bool soft = pem != NULL;
	if (optind != argc || algname == NULL || threads < 1 || seconds <= 0 ||
	    msglen == 0 || msglen > BENCH_MSG_MAX ||
	    (!soft && (token == NULL || idhex == NULL)) ||
	    (soft && (token != NULL || idhex != NULL))) {
		usage(stderr);
		return 2;
	}
	const struct ztk_alg_info *ai = ztk_alg_by_name(algname);
	if (ai == NULL) {
		fprintf(stderr, "%s: unknown algorithm '%s'\n", prog, algname);
		return 2;
	}
	uint8_t alg = (uint8_t)ai->number;

	static uint8_t msg[BENCH_MSG_MAX];
	bench_message(msg, msglen);
	char why[1024] = "";
	ztk_p11 *p11 = NULL;
	uint8_t id[ZTK_P11_ID_MAX];
	int idlen = 0;
	if (!soft) {
		if (pinfile == NULL || *pinfile == '\0') {
			fprintf(stderr, "%s: no PIN file (-P or ZTK_PIN_FILE)\n",
				prog);
			return 2;
		}
		if ((idlen = bench_unhex(idhex, id, sizeof(id))) < 0) {
			fprintf(stderr, "%s: -i wants the CKA_ID in hex\n", prog);
			return 2;
		}
		char pin[256];
		if (bench_read_pin(prog, pinfile, pin, sizeof(pin)) != 0)
			return 2;
		struct ztk_p11_conf conf = { .module = module, .token = token,
			.pin = pin };
		int rc = ztk_p11_open(&conf, &p11, why, sizeof(why));
		memset(pin, 0, sizeof(pin));
		if (rc != 0) {
			fprintf(stderr, "%s: %s\n", prog, why);
			return 1;
		}
	}

	struct job jobs[BENCH_MAX_THREADS];
	void *ctx[BENCH_MAX_THREADS];
	for (int i = 0; i < threads; i++) {
		jobs[i] = (struct job){ .msg = msg, .len = msglen };
		int rc = soft
			? ztk_soft_signer_new(pem, alg, &jobs[i].s, why,
				sizeof(why))
			: ztk_p11_signer_new(p11, id, (size_t)idlen, alg,
				&jobs[i].s, why, sizeof(why));
		if (rc != 0) {
			fprintf(stderr, "%s: signer: %s (%s)\n", prog, why,
				ztk_strerror(rc));
			return 1;
		}
		if (self_check(jobs[i].s, msg, msglen) != 0) {
			fprintf(stderr, "%s: the signer's signature does not "
				"verify with its own DNSKEY\n", prog);
			return 1;
		}
		ctx[i] = &jobs[i];
	}
	char name[64];
	snprintf(name, sizeof(name), "ztk-%s-%s", soft ? "soft" : "p11",
		ai->mnemonic);
	int rc = bench_run(name, sign_once, ctx, threads, seconds);
	for (int i = 0; i < threads; i++)
		ztk_signer_free(jobs[i].s);
	ztk_p11_close(p11);
	return rc == 0 ? 0 : 1;
}
