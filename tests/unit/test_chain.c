/*
 * test_chain.c - one link of the chain of trust, on the real root zone of
 * 2026-08-22 (../shared/corpus, read in place) with the IANA anchors in
 * /usr/share/dns: secure inside the DNSKEY signature's window, bogus
 * after it, bogus with a wrong DS, insecure without DS.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <ztk/chain.h>
#include <ztk/dnssec.h>
#include <ztk/error.h>
#include <ztk/zone.h>

#include "tap.h"

#define ROOT_ZONE "../shared/corpus/root-2026082201.zone"

static int64_t at(int y, int m, int d)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d };
	return (int64_t)timegm(&tm);
}

static const char *find_root_zone(void)
{
	static const char *tries[] = { ROOT_ZONE, "../" ROOT_ZONE,
		"../../" ROOT_ZONE, "/work/shared/corpus/root-2026082201.zone" };
	const char *env = getenv("ZTK_CORPUS_ROOT_ZONE");
	if (env != NULL && access(env, R_OK) == 0)
		return env;
	for (size_t i = 0; i < sizeof(tries) / sizeof(tries[0]); i++)
		if (access(tries[i], R_OK) == 0)
			return tries[i];
	return NULL;
}

int main(void)
{
	char why[600] = "";
	struct ztk_trust *keys = NULL, *ds = NULL;
	size_t nkeys = 0, nds = 0;
	is_int(ztk_trust_load("/usr/share/dns/root.key", &keys, &nkeys, why,
		sizeof(why)), 0, "root.key loads (%s)", why);
	is_int(nkeys, 2, "two DNSKEY anchors in root.key");
	is_int(ztk_trust_load("/usr/share/dns/root.ds", &ds, &nds, why,
		sizeof(why)), 0, "root.ds loads (%s)", why);
	is_int(nds, 2, "two DS anchors in root.ds");

	/* A BIND trust-anchors block with the same DS. */
	char tmp[] = "/tmp/ztk-test-chain-XXXXXX";
	int fd = mkstemp(tmp);
	FILE *f = fdopen(fd, "w");
	fprintf(f, "trust-anchors {\n\t\".\" initial-ds 20326 8 2 "
		"\"E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\";\n};\n");
	fclose(f);
	struct ztk_trust *bind = NULL;
	size_t nbind = 0;
	is_int(ztk_trust_load(tmp, &bind, &nbind, why, sizeof(why)), 0,
		"a BIND trust-anchors block loads (%s)", why);
	ok(nbind == 1 && bind[0].type == 43 && bind[0].len == 36 &&
		memcmp(bind[0].rdata, ds[0].rdata, 36) == 0,
		"and gives the DS of root.ds");
	f = fopen(tmp, "w");
	fprintf(f, ". IN DS 20326 8 2 NOTHEX\n");
	fclose(f);
	free(bind);
	bind = NULL;
	is_int(ztk_trust_load(tmp, &bind, &nbind, why, sizeof(why)) < 0, 1,
		"a broken anchor file is an error");
	ok(strstr(why, ":1:") != NULL, "with file:line (%s)", why);
	unlink(tmp);

	const char *path = find_root_zone();
	if (path == NULL) {
		printf("# skip: corpus root zone not found\n");
		free(keys);
		free(ds);
		return done_testing();
	}
	struct ztk_zone *z = NULL;
	static const uint8_t root[1] = { 0 };
	is_int(ztk_zone_load(path, root, NULL, &z, NULL), 0, "root zone loads");

	struct ztk_chain_level lv;
	struct ztk_chain_opts o = { .now = at(2026, 8, 25) };
	is_int(ztk_chain_zone(z, ds, nds, &o, &lv, NULL), 0, "chain runs");
	is_str(ztk_verdict_name(lv.verdict), "secure",
		"root.ds -> KSK 20326 -> DNSKEY RRset on 2026-08-25 (%s)",
		lv.reason);
	ok(lv.nmatched >= 1 && (lv.matched[0] == 20326 ||
		(lv.nmatched > 1 && lv.matched[1] == 20326)),
		"key 20326 matched (%zu keys)", lv.nmatched);
	is_str(lv.zone, ".", "zone name");
	ztk_chain_zone(z, keys, nkeys, &o, &lv, NULL);
	is_str(ztk_verdict_name(lv.verdict), "secure",
		"root.key DNSKEY anchors work too (%s)", lv.reason);
	ok(lv.ksk_without_ds == false || lv.nmatched >= 1,
		"published SEP keys accounted for");

	o.now = at(2026, 9, 20);
	ztk_chain_zone(z, ds, nds, &o, &lv, NULL);
	is_str(ztk_verdict_name(lv.verdict), "bogus",
		"after the DNSKEY signature expired (2026-09-10): bogus");
	ok(strstr(lv.reason, "expired") != NULL, "and says so: %s", lv.reason);

	o.now = at(2026, 8, 25);
	struct ztk_trust wrong = ds[0];
	wrong.rdata[10] ^= 0xff;
	ztk_chain_zone(z, &wrong, 1, &o, &lv, NULL);
	is_str(ztk_verdict_name(lv.verdict), "bogus", "a wrong DS: bogus");
	ok(strstr(lv.reason, "DS 20326/8/2 at the parent matches no DNSKEY of "
		".") != NULL, "reason names the DS and the zone: %s", lv.reason);
	ok(strstr(lv.reason, "20326/8") != NULL && strstr(lv.hint, "DS") != NULL,
		"lists the published keys and says what to do: %s", lv.hint);

	ztk_chain_zone(z, NULL, 0, &o, &lv, NULL);
	is_str(ztk_verdict_name(lv.verdict), "insecure", "no DS: insecure");
	ok(lv.ksk_without_ds, "a published KSK without DS is flagged");

	struct ztk_trust sha1 = ds[0];
	sha1.rdata[3] = 99;     /* an unknown digest type */
	ztk_chain_zone(z, &sha1, 1, &o, &lv, NULL);
	is_str(ztk_verdict_name(lv.verdict), "insecure",
		"only unsupported DS digests: insecure (RFC 4035 5.2)");

	/* The whole zone: the archive stripped most RRSIGs, so bogus. */
	o.whole_zone = true;
	ztk_chain_zone(z, ds, nds, &o, &lv, NULL);
	is_str(ztk_verdict_name(lv.verdict), "bogus",
		"whole-zone check of the stripped archive: bogus");
	ok(lv.errors > 1000, "with its many unsigned RRsets (%zu)", lv.errors);

	/* The DS of a TLD, from the parent zone file. */
	uint8_t com[5] = { 3, 'c', 'o', 'm', 0 };
	struct ztk_trust comds[8];
	bool deleg = false;
	size_t ncom = ztk_chain_ds_of(z, com, comds, 8, &deleg);
	ok(deleg && ncom >= 1 && comds[0].type == 43, "the root holds DS for "
		"com. (%zu)", ncom);
	uint8_t nx[8] = { 6, 'n', 'o', 's', 'u', 'c', 'h', 0 };
	ncom = ztk_chain_ds_of(z, nx, comds, 8, &deleg);
	ok(!deleg && ncom == 0, "and none for a name it does not delegate");

	ztk_zone_free(z);
	free(keys);
	free(ds);
	free(bind);
	return done_testing();
}
