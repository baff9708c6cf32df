/*
 * test_signer.c - the software signer and DNSSEC signature verification:
 * every supported algorithm signs and verifies, tampering is caught, key
 * files must be private, and an RFC 8032 vector verifies.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <ztk/dnssec.h>
#include <ztk/error.h>
#include <ztk/keystore.h>

#include "tap.h"

static char dir[] = "/tmp/ztk-test-signer-XXXXXX";

static EVP_PKEY *make_key(uint8_t alg)
{
	switch (alg) {
	case 8: case 10: return EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	case 13: return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "prime256v1");
	case 14: return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "secp384r1");
	case 15: return EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	case 16: return EVP_PKEY_Q_keygen(NULL, NULL, "ED448");
	default: return NULL;
	}
}

static void write_pem(EVP_PKEY *pk, const char *path, mode_t mode)
{
	FILE *f = fopen(path, "w");
	if (f == NULL)
		abort();
	PEM_write_PrivateKey(f, pk, NULL, NULL, 0, NULL, NULL);
	fclose(f);
	chmod(path, mode);
}

static void test_alg(uint8_t alg)
{
	char path[128], why[512] = "";
	snprintf(path, sizeof(path), "%s/k%u.pem", dir, alg);
	EVP_PKEY *pk = make_key(alg);
	ok(pk != NULL, "alg %u: OpenSSL made a key", alg);
	write_pem(pk, path, 0600);
	EVP_PKEY_free(pk);

	ztk_signer *s = NULL;
	int rc = ztk_soft_signer_new(path, alg, &s, why, sizeof(why));
	is_int(rc, 0, "alg %u: soft signer loads (%s)", alg, why);
	if (rc != 0)
		return;
	is_int(ztk_signer_alg(s), alg, "alg %u: signer reports its algorithm",
		alg);
	uint8_t pub[1024], dnskey[1100], sig[1024];
	size_t publen = sizeof(pub), siglen = sizeof(sig);
	is_int(ztk_signer_pubkey(s, pub, &publen), 0, "alg %u: public key",
		alg);
	int dl = ztk_dnskey_rdata(257, alg, pub, publen, dnskey, sizeof(dnskey));
	ok(dl > 4, "alg %u: DNSKEY RDATA built", alg);

	static const uint8_t msg[] = "\x00\x30\x08\x02\x00\x00\x0e\x10"
		"some canonical RRset octets";
	rc = ztk_signer_sign(s, msg, sizeof(msg), sig, &siglen);
	is_int(rc, 0, "alg %u: signs", alg);
	const struct ztk_alg_info *ai = ztk_alg_by_number(alg);
	if (ai->sig_len)
		is_int(siglen, ai->sig_len, "alg %u: signature is %u octets",
			alg, ai->sig_len);
	else
		is_int(siglen, 256, "alg %u: RSA-2048 signature is 256 octets",
			alg);
	is_int(ztk_dnssec_verify(dnskey, (size_t)dl, msg, sizeof(msg), sig,
		siglen), 0, "alg %u: signature verifies", alg);

	uint8_t bad[sizeof(msg)];
	memcpy(bad, msg, sizeof(msg));
	bad[9] ^= 1;
	is_int(ztk_dnssec_verify(dnskey, (size_t)dl, bad, sizeof(bad), sig,
		siglen), 1, "alg %u: a changed message does not verify", alg);
	/* A second signer sharing the key (one per thread) signs for the
	 * same DNSKEY, also after the first is gone. */
	ztk_signer *d = NULL;
	is_int(ztk_soft_signer_dup(s, &d), 0, "alg %u: signer duplicated", alg);
	uint8_t dsig[1024], dpub[1024];
	size_t dsiglen = sizeof(dsig), dpublen = sizeof(dpub);
	ok(d != NULL && ztk_signer_alg(d) == alg &&
		ztk_signer_pubkey(d, dpub, &dpublen) == 0 && dpublen == publen &&
		memcmp(dpub, pub, publen) == 0,
		"alg %u: the duplicate has the same algorithm and key", alg);
	ztk_signer_free(s);
	s = d;
	is_int(ztk_signer_sign(d, msg, sizeof(msg), dsig, &dsiglen), 0,
		"alg %u: the duplicate signs", alg);
	is_int(ztk_dnssec_verify(dnskey, (size_t)dl, msg, sizeof(msg), dsig,
		dsiglen), 0, "alg %u: its signature verifies", alg);
	sig[siglen / 2] ^= 0x40;
	is_int(ztk_dnssec_verify(dnskey, (size_t)dl, msg, sizeof(msg), sig,
		siglen), 1, "alg %u: a changed signature does not verify", alg);
	is_int(ztk_dnssec_verify(dnskey, (size_t)dl, msg, sizeof(msg), sig,
		siglen - 1), 1, "alg %u: a short signature does not verify",
		alg);
	ztk_signer_free(s);

	/* ECDSA signatures are randomised; EdDSA ones are deterministic. */
	if (alg == 15 || alg == 16) {
		uint8_t s1[200], s2[200];
		size_t l1 = sizeof(s1), l2 = sizeof(s2);
		ztk_soft_signer_new(path, alg, &s, why, sizeof(why));
		ztk_signer_sign(s, msg, sizeof(msg), s1, &l1);
		ztk_signer_sign(s, msg, sizeof(msg), s2, &l2);
		ok(l1 == l2 && memcmp(s1, s2, l1) == 0,
			"alg %u: EdDSA signs deterministically", alg);
		ztk_signer_free(s);
	}
	unlink(path);
}

static int unhex(const char *h, uint8_t *out)
{
	int n = 0;
	for (; h[0] && h[1]; h += 2)
		sscanf(h, "%2hhx", &out[n++]);
	return n;
}

int main(void)
{
	if (mkdtemp(dir) == NULL)
		return 1;
	static const uint8_t algs[] = { 8, 10, 13, 14, 15, 16 };
	for (size_t i = 0; i < sizeof(algs); i++)
		test_alg(algs[i]);

	/* Refusals. */
	char path[128], why[512] = "";
	ztk_signer *s = NULL;
	snprintf(path, sizeof(path), "%s/open.pem", dir);
	EVP_PKEY *pk = make_key(13);
	write_pem(pk, path, 0644);
	is_int(ztk_soft_signer_new(path, 13, &s, why, sizeof(why)), ZTK_EACCES,
		"a world-readable key file is refused");
	ok(strstr(why, "chmod 600") != NULL, "and the message says what to do");
	chmod(path, 0600);
	is_int(ztk_soft_signer_new(path, 5, &s, why, sizeof(why)), ZTK_EPOLICY,
		"RSASHA1 is refused");
	ok(strstr(why, "RFC 8624") != NULL, "with RFC 8624 as the reason");
	is_int(ztk_soft_signer_new(path, 15, &s, why, sizeof(why)), ZTK_EINVAL,
		"a P-256 key is not an Ed25519 key");
	is_int(ztk_soft_signer_new(path, 14, &s, why, sizeof(why)), ZTK_EINVAL,
		"a P-256 key is not a P-384 key");
	ok(s == NULL, "no signer on failure");
	ztk_signer *d = (ztk_signer *)1;
	is_int(ztk_soft_signer_dup(NULL, &d), ZTK_EINVAL,
		"no duplicate of no signer");
	ok(d == NULL, "and none made");
	EVP_PKEY_free(pk);
	unlink(path);
	snprintf(path, sizeof(path), "%s/missing.pem", dir);
	is_int(ztk_soft_signer_new(path, 13, &s, why, sizeof(why)), ZTK_EACCES,
		"a missing file is an error");

	/* RFC 8032 7.1 TEST 2: Ed25519, one-octet message. */
	uint8_t pub[32], sig[64], dnskey[64];
	unhex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
		pub);
	unhex("92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
		"085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
		sig);
	int dl = ztk_dnskey_rdata(257, 15, pub, 32, dnskey, sizeof(dnskey));
	static const uint8_t m72[1] = { 0x72 };
	is_int(ztk_dnssec_verify(dnskey, (size_t)dl, m72, 1, sig, 64), 0,
		"RFC 8032 TEST 2 verifies");
	static const uint8_t m73[1] = { 0x73 };
	is_int(ztk_dnssec_verify(dnskey, (size_t)dl, m73, 1, sig, 64), 1,
		"RFC 8032 TEST 2 with another message does not");
	dnskey[3] = 5;
	ok(ztk_dnssec_verify(dnskey, (size_t)dl, m72, 1, sig, 64) < 0,
		"an Ed25519 key labelled RSASHA1 is an error, not a verdict");
	is_int(ztk_dnssec_verify(dnskey, 3, m72, 1, sig, 64), ZTK_EMALF,
		"short DNSKEY RDATA is malformed");

	rmdir(dir);
	return done_testing();
}
