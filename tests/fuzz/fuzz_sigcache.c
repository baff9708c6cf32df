/*
 * fuzz_sigcache - libFuzzer harness for the signature cache reader
 * (ztk/sigcache.h): arbitrary bytes as OUT.ztkcache, checked with the
 * checksum skipped (so that mutations reach the structure checks), every
 * node looked up and, if it passes, used as the previous output of an
 * incremental signing run of a small zone with every kept signature
 * verified.  Any crash, leak or undefined behaviour is a bug.
 *
 * The seeds in corpus-sigcache/ are caches ztk-sign wrote for ZONE below
 * with KEY as CSK at NOW (see the README there), so their signatures pass
 * every test for being kept.  (A cache holds RRSIGs without their
 * signatures, which the signer then reads from the output's text; an image
 * in memory has no output, so those RRsets are signed again here.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ztk/ztk.h>
#include <ztk/dnssec.h>
#include <ztk/keydb.h>
#include <ztk/keystore.h>
#include <ztk/sigcache.h>
#include <ztk/sign.h>

/* A throwaway Ed25519 key made for this harness only. */
static const char key_pem[] =
	"-----BEGIN PRIVATE KEY-----\n"
	"MC4CAQAwBQYDK2VwBCIEIGDZnaREmFxxnu4GhoNiAll/TaJlbNOPowaVm+EYJ5Af\n"
	"-----END PRIVATE KEY-----\n";

static const char zone_text[] =
	"$ORIGIN fuzz.example.\n$TTL 3600\n"
	"@ SOA ns1 host 1 7200 900 1209600 300\n@ NS ns1\n"
	"ns1 A 192.0.2.1\n* TXT \"wild\"\na.b.c A 192.0.2.2\n"
	"www CNAME a.b.c\nsub NS ns.sub\nns.sub A 192.0.2.3\n"
	"secure NS ns.secure\n"
	"secure DS 12345 13 2 0123456789ABCDEF0123456789ABCDEF"
	"0123456789ABCDEF0123456789ABCDEF\nns.secure A 192.0.2.4\n";

#define NOW 1790000000  /* 2026-09-21T14:13:20Z */

static struct ztk_zone *zone;
static ztk_signer *signer;
static struct ztk_sign_key key;
static uint8_t dnskey[ZTK_KEY_DNSKEY_MAX];

static int add(void *ctx, const struct ztk_rr *rr)
{
	return ztk_zone_add(ctx, rr);
}

static int discard(void *ctx, const char *text, size_t tlen)
{
	(void)ctx; (void)text; (void)tlen;
	return 0;
}

/* Copies of unchanged text: in bounds of the output the cache names? */
static int discard_copy(void *ctx, int fd, uint64_t off, uint64_t len)
{
	const struct ztk_sigcache *c = ctx;
	(void)fd;
	if (off > ztk_sigcache_ident(c)->size ||
	    len > ztk_sigcache_ident(c)->size - off)
		abort();
	return 0;
}

static void setup(void)
{
	static const uint8_t origin[] = "\4fuzz\7example";
	char path[] = "/tmp/fuzz_sigcache_key.XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0 || fchmod(fd, 0600) != 0 ||
	    write(fd, key_pem, sizeof(key_pem) - 1) !=
	    (ssize_t)(sizeof(key_pem) - 1))
		abort();
	close(fd);
	char why[256];
	if (ztk_soft_signer_new(path, ZTK_ALG_ED25519, &signer, why,
		sizeof(why)) != 0)
		abort();
	unlink(path);
	uint8_t pub[ZTK_PUBKEY_MAX];
	size_t publen = sizeof(pub);
	ztk_signer_pubkey(signer, pub, &publen);
	int dl = ztk_dnskey_rdata(ZTK_DNSKEY_ZONE | ZTK_DNSKEY_SEP,
		ZTK_ALG_ED25519, pub, publen, dnskey, sizeof(dnskey));
	if (dl < 0)
		abort();
	key = (struct ztk_sign_key){ .dnskey = dnskey,
		.dnskey_len = (uint16_t)dl, .publish = true,
		.sign_keyset = true, .sign_zone = true, .signers = &signer };
	struct ztk_scan_opts o = { .origin = origin, .no_include = true };
	if (ztk_zone_new(origin, &zone) != 0)
		abort();
	o.on_rr = add;
	o.ctx = zone;
	ztk_scan_buffer("fuzz", zone_text, sizeof(zone_text) - 1, &o, NULL);
	if (ztk_zone_finish(zone) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (zone == NULL)
		setup();
	struct ztk_sigcache *c;
	char why[256];
	if (ztk_sigcache_parse(data, size, false, &c, why, sizeof(why)) != 0)
		return 0;
	/* Every name of the zone, found or not, decoded as far as it goes. */
	struct ztk_sigcache_rr rrs[8];
	size_t n;
	const struct ztk_zone_node *nodes = ztk_zone_nodes(zone);
	volatile unsigned sum = 0;
	for (size_t i = 0; i < ztk_zone_node_count(zone); i++)
		if (ztk_sigcache_find(c, nodes[i].owner, rrs, 8, &n))
			for (size_t k = 0; k < n && k < 8; k++)
				for (size_t b = 0; b < rrs[k].rdlen; b++)
					sum += rrs[k].rdata[b];    /* in bounds? */
	/* Every kept signature verified (everything made the slow way), or
	 * the default, where unchanged nodes are copied. */
	struct ztk_sign_opts so = { .now = NOW,
		.verify = size % 2 ? ZTK_VERIFY_ALL : ZTK_VERIFY_SAMPLE,
		.threads = 1, .keys = &key, .nkeys = 1, .previous_cache = c,
		.serial = ZTK_SERIAL_INCREMENT, .sink = discard,
		.sink_copy = discard_copy, .sink_ctx = c };
	struct ztk_zone *out = NULL;
	struct ztk_sign_stats st;
	if (ztk_sign_zone(zone, &so, &out, &st, why, sizeof(why)) == 0)
		ztk_zone_free(out);
	ztk_sigcache_free(c);
	return 0;
}
