/*
 * ztk-sign - sign a zone with the key store's keys (PKCS#11) or with PEM
 * key files, check the result completely, then write it atomically.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ztk/ztk.h>
#include <ztk/dnssec.h>
#include <ztk/dnssec_check.h>
#include <ztk/keydb.h>
#include <ztk/keystore.h>
#include <ztk/sigcache.h>
#include <ztk/sign.h>

#include "common/atomic.h"
#include "common/cli.h"
#include "common/keyctx.h"

enum { O_HELP, O_VERSION, O_OUTPUT, O_ORIGIN, O_KSK, O_ZSK, O_CSK, O_ALG,
	O_NSEC3, O_OPTOUT, O_ITER, O_SALT, O_SERIAL, O_VALIDITY, O_INCEPTION,
	O_JITTER, O_VERIFY, O_THREADS, O_DNSKEY_TTL, O_NOW, O_JSON, O_QUIET,
	O_HOME, O_MODULE, O_TOKEN, O_PIN_FILE, O_DB, O_URI, O_KEEP_DNSKEYS,
	O_ZONEMD, O_PREVIOUS, O_FULL, O_REFRESH };

static const struct cli_opt opts[] = {
	{ "help", 'h', false, NULL, "show this help and exit", O_HELP },
	{ "version", 'V', false, NULL, "show the version and exit", O_VERSION },
	{ "output", 'o', true, "FILE", "signed zone (default ZONEFILE.signed; "
		"- for stdout)", O_OUTPUT },
	{ "origin", 'z', true, "NAME", "zone origin (default $ORIGIN or the SOA "
		"owner)", O_ORIGIN },
	{ "ksk", 0, true, "PEM", "sign with this key file as KSK (not the "
		"store)", O_KSK },
	{ "zsk", 0, true, "PEM", "sign with this key file as ZSK", O_ZSK },
	{ "csk", 0, true, "PEM", "sign with this key file as CSK", O_CSK },
	{ "algorithm", 'a', true, "ALG", "algorithm of RSA key files (default "
		"RSASHA256)", O_ALG },
	{ "nsec3", '3', false, NULL, "NSEC3 instead of NSEC (RFC 9276: no "
		"salt, 0 iterations)", O_NSEC3 },
	{ "opt-out", 0, false, NULL, "NSEC3 opt-out for insecure delegations",
		O_OPTOUT },
	{ "iterations", 0, true, "N", "NSEC3 extra iterations (default 0)",
		O_ITER },
	{ "salt", 0, true, "HEX", "NSEC3 salt (default none; - for none)",
		O_SALT },
	{ "serial", 0, true, "POLICY", "keep, increment (default), unixtime or "
		"date", O_SERIAL },
	{ "validity", 0, true, "DURATION", "signature validity (default 30d)",
		O_VALIDITY },
	{ "inception", 0, true, "DURATION", "backdate inception by this "
		"(default 1h)", O_INCEPTION },
	{ "jitter", 0, true, "DURATION", "spread expiries over this (default "
		"validity/16; 0 for none)", O_JITTER },
	{ "verify", 0, true, "MODE", "all, sample (default) or none",
		O_VERIFY },
	{ "threads", 'j', true, "N", "signing threads (default: all cores)",
		O_THREADS },
	{ "full", 'f', false, NULL, "re-sign everything (no incremental "
		"signing)", O_FULL },
	{ "previous", 0, true, "FILE", "previous signed zone to keep signatures "
		"from (default: the output)", O_PREVIOUS },
	{ "refresh", 0, true, "DURATION", "re-sign when less than this is left "
		"(default validity/4)", O_REFRESH },
	{ "zonemd", 0, true, "HASH", "add a ZONEMD (RFC 8976): sha384 or "
		"sha512", O_ZONEMD },
	{ "keep-dnskeys", 0, false, NULL, "publish the input's DNSKEYs beside "
		"ours (multi-signer)", O_KEEP_DNSKEYS },
	{ "dnskey-ttl", 0, true, "TTL", "TTL of the DNSKEY RRset (default: the "
		"input's, else the SOA's)", O_DNSKEY_TTL },
	{ "now", 0, true, "TIME", "sign as if it were TIME (YYYYMMDDHHMMSS, "
		"ISO 8601 or @unix)", O_NOW },
	{ "json", 0, false, NULL, "summary as JSON on stdout", O_JSON },
	{ "quiet", 'q', false, NULL, "no summary, no progress", O_QUIET },
	{ "home", 0, true, "DIR", "key store directory (default $ZTK_HOME)",
		O_HOME },
	{ "module", 0, true, "PATH", "PKCS#11 module (default SoftHSM2)",
		O_MODULE },
	{ "token", 0, true, "LABEL", "token label (default \"ztk\")", O_TOKEN },
	{ "pin-file", 0, true, "FILE", "file holding the user PIN (mode 0600)",
		O_PIN_FILE },
	{ "db", 0, true, "FILE", "key state store (default HOME/keys.db)",
		O_DB },
	{ "uri", 0, true, "URI", "RFC 7512 pkcs11: URI (module, token, PIN "
		"source)", O_URI },
};
#define NOPTS (sizeof(opts) / sizeof(opts[0]))

struct filekey {
	const char *path;
	int role;
};

struct sign_cli {
	struct keyctx kc;
	const char *output, *origin, *alg, *previous;
	bool full;
	struct filekey files[16];
	size_t nfiles;
	struct ztk_sign_opts so;
	uint8_t salt[255];
	bool json, quiet;
	int errors;
	const char *zonefile;
};

static int parse_duration(const char *s, uint32_t *out)
{
	return cli_duration(s, out);
}

static int on_opt(void *ctx, int id, const char *arg)
{
	struct sign_cli *c = ctx;
	unsigned long v;
	uint32_t d;
	switch (id) {
	case O_HELP:
		cli_help(stdout, "[options] ZONEFILE",
			"Sign a zone with the key store's active keys (or PEM "
			"key files), check the\nresult completely, then write it "
			"atomically.", opts, NOPTS);
		return 100;
	case O_VERSION: cli_version(); return 100;
	case O_OUTPUT: c->output = arg; return 0;
	case O_ORIGIN: c->origin = arg; return 0;
	case O_KSK: case O_ZSK: case O_CSK:
		if (c->nfiles == 16) {
			cli_error("at most 16 key files");
			return CLI_EXIT_USAGE;
		}
		c->files[c->nfiles].path = arg;
		c->files[c->nfiles++].role = id == O_KSK ? ZTK_ROLE_KSK
			: id == O_ZSK ? ZTK_ROLE_ZSK : ZTK_ROLE_CSK;
		return 0;
	case O_ALG: c->alg = arg; return 0;
	case O_NSEC3: c->so.nsec3 = true; return 0;
	case O_OPTOUT: c->so.optout = true; c->so.nsec3 = true; return 0;
	case O_ITER:
		if (cli_uint(arg, 65535, &v) != 0) {
			cli_error("bad --iterations \"%s\"", arg);
			return CLI_EXIT_USAGE;
		}
		c->so.iterations = (uint16_t)v;
		return 0;
	case O_SALT: {
		if (strcmp(arg, "-") == 0) {
			c->so.salt_len = 0;
			return 0;
		}
		size_t n = strlen(arg);
		if (n % 2 || n / 2 > 255) {
			cli_error("bad --salt: give up to 255 octets in hex, or -");
			return CLI_EXIT_USAGE;
		}
		for (size_t i = 0; i < n / 2; i++) {
			unsigned b;
			if (sscanf(arg + 2 * i, "%2x", &b) != 1) {
				cli_error("bad --salt: not hex");
				return CLI_EXIT_USAGE;
			}
			c->salt[i] = (uint8_t)b;
		}
		c->so.salt = c->salt;
		c->so.salt_len = (uint8_t)(n / 2);
		return 0;
	}
	case O_SERIAL:
		if (strcmp(arg, "keep") == 0) c->so.serial = ZTK_SERIAL_KEEP;
		else if (strcmp(arg, "increment") == 0)
			c->so.serial = ZTK_SERIAL_INCREMENT;
		else if (strcmp(arg, "unixtime") == 0)
			c->so.serial = ZTK_SERIAL_UNIXTIME;
		else if (strcmp(arg, "date") == 0) c->so.serial = ZTK_SERIAL_DATE;
		else {
			cli_error("bad --serial \"%s\": keep, increment, "
				"unixtime or date", arg);
			return CLI_EXIT_USAGE;
		}
		return 0;
	case O_VALIDITY: case O_INCEPTION: case O_JITTER:
		if (parse_duration(arg, &d) != 0) {
			cli_error("bad duration \"%s\" (e.g. 14d, 1h30m)", arg);
			return CLI_EXIT_USAGE;
		}
		if (id == O_VALIDITY) {
			if (d < 3600) {
				cli_error("--validity %s is under an hour", arg);
				return CLI_EXIT_USAGE;
			}
			c->so.validity = d;
		} else if (id == O_INCEPTION)
			c->so.inception_offset = d ? d : 1;
		else if (d == 0)
			c->so.no_jitter = true;
		else
			c->so.jitter = d;
		return 0;
	case O_VERIFY:
		if (strcmp(arg, "all") == 0) c->so.verify = ZTK_VERIFY_ALL;
		else if (strcmp(arg, "sample") == 0)
			c->so.verify = ZTK_VERIFY_SAMPLE;
		else if (strcmp(arg, "none") == 0) c->so.verify = ZTK_VERIFY_NONE;
		else {
			cli_error("bad --verify \"%s\": all, sample or none", arg);
			return CLI_EXIT_USAGE;
		}
		return 0;
	case O_THREADS:
		if (cli_uint(arg, ZTK_SIGN_MAX_THREADS, &v) != 0 || v == 0) {
			cli_error("bad --threads \"%s\" (1-%d)", arg,
				ZTK_SIGN_MAX_THREADS);
			return CLI_EXIT_USAGE;
		}
		c->so.threads = (unsigned)v;
		return 0;
	case O_DNSKEY_TTL:
		if (parse_duration(arg, &d) != 0) {
			cli_error("bad --dnskey-ttl \"%s\"", arg);
			return CLI_EXIT_USAGE;
		}
		c->so.dnskey_ttl = d;
		return 0;
	case O_NOW: {
		int64_t t;
		if (cli_time(arg, (int64_t)time(NULL), &t) != 0 || t == 0) {
			cli_error("bad --now \"%s\" (YYYYMMDDHHMMSS, "
				"YYYY-MM-DDTHH:MM:SSZ or @unix)", arg);
			return CLI_EXIT_USAGE;
		}
		c->so.now = t;
		return 0;
	}
	case O_KEEP_DNSKEYS: c->so.keep_input_dnskeys = true; return 0;
	case O_FULL: c->full = true; return 0;
	case O_PREVIOUS: c->previous = arg; return 0;
	case O_REFRESH:
		if (parse_duration(arg, &d) != 0 || d == 0) {
			cli_error("bad --refresh \"%s\" (e.g. 7d)", arg);
			return CLI_EXIT_USAGE;
		}
		c->so.refresh = d;
		return 0;
	case O_ZONEMD:
		if (strcmp(arg, "sha384") == 0 || strcmp(arg, "1") == 0)
			c->so.zonemd_alg = 1;
		else if (strcmp(arg, "sha512") == 0 || strcmp(arg, "2") == 0)
			c->so.zonemd_alg = 2;
		else {
			cli_error("bad --zonemd \"%s\": sha384 or sha512", arg);
			return CLI_EXIT_USAGE;
		}
		return 0;
	case O_JSON: c->json = true; return 0;
	case O_QUIET: c->quiet = true; return 0;
	case O_HOME: c->kc.env.opt_home = arg; return 0;
	case O_MODULE: c->kc.env.opt_module = arg; return 0;
	case O_TOKEN: c->kc.env.opt_token = arg; return 0;
	case O_PIN_FILE: c->kc.env.opt_pin_file = arg; return 0;
	case O_DB: c->kc.env.opt_db = arg; return 0;
	case O_URI: c->kc.env.opt_uri = arg; return 0;
	}
	return 0;
}

static void count_event(void *ctx, const struct ztk_scan_event *ev)
{
	int *n = ctx;
	if (ev->severity == ZTK_SEV_ERROR)
		(*n)++;
}

static void on_event(void *ctx, const struct ztk_scan_event *ev)
{
	struct sign_cli *c = ctx;
	if (ev->severity != ZTK_SEV_ERROR)
		return;
	c->errors++;
	if (ev->line)
		fprintf(stderr, "ztk-sign: %s:%u:%u: %s\n", ev->file, ev->line,
			ev->col, ev->message);
	else
		fprintf(stderr, "ztk-sign: %s: %s\n", ev->file ? ev->file : "?",
			ev->message);
}

/* Keys from here on: one entry per key, signers per thread. */
struct keyset {
	struct ztk_sign_key keys[64];
	uint8_t dnskey[64][ZTK_KEY_DNSKEY_MAX];
	uint16_t tags[64];
	int roles[64];
	size_t n;
	unsigned threads;
};

static void free_keys(struct keyset *ks)
{
	for (size_t i = 0; i < ks->n; i++) {
		if (ks->keys[i].signers == NULL)
			continue;
		for (unsigned t = 0; t < ks->threads; t++)
			ztk_signer_free(ks->keys[i].signers[t]);
		free(ks->keys[i].signers);
	}
}

static int file_keys(struct sign_cli *c, struct keyset *ks)
{
	char why[1024];
	for (size_t i = 0; i < c->nfiles; i++) {
		const struct filekey *fk = &c->files[i];
		/* The algorithm follows from the key; RSA needs a word. */
		uint8_t alg = 0;
		static const uint8_t tryalg[] = { 13, 14, 15, 16, 8 };
		ztk_signer *probe = NULL;
		if (c->alg) {
			const struct ztk_alg_info *ai = ztk_alg_by_name(c->alg);
			if (ai == NULL) {
				cli_error("unknown algorithm \"%s\"", c->alg);
				return CLI_EXIT_USAGE;
			}
			if (ai->number != ZTK_ALG_RSASHA256 &&
			    ai->number != ZTK_ALG_RSASHA512) {
				cli_error("-a chooses between RSASHA256 and "
					"RSASHA512 for RSA key files; other "
					"algorithms follow from the key");
				return CLI_EXIT_USAGE;
			}
			alg = ai->number;
		}
		for (size_t a = 0; a < sizeof(tryalg) && probe == NULL; a++) {
			uint8_t want = tryalg[a];
			if (want == 8 && alg == 10)
				want = 10;
			if (ztk_soft_signer_new(fk->path, want, &probe, why,
				sizeof(why)) == 0)
				alg = want;
			else if (strstr(why, "readable by others") ||
				strstr(why, "not a PEM") || strstr(why, ": No ") ||
				strstr(why, "RSA key of"))
				break;
			else
				snprintf(why, sizeof(why), "%s: not a key ztk can "
					"sign with (RSA 2048-4096 bits, ECDSA "
					"P-256 or P-384, Ed25519, Ed448)",
					fk->path);
		}
		if (probe == NULL) {
			cli_error("%s", why);
			return strstr(why, "RSA key of") ? CLI_EXIT_FINDINGS
				: CLI_EXIT_USAGE;
		}
		uint8_t pub[ZTK_PUBKEY_MAX];
		size_t publen = sizeof(pub);
		ztk_signer_pubkey(probe, pub, &publen);
		size_t k = ks->n++;
		uint16_t flags = fk->role == ZTK_ROLE_ZSK ? ZTK_DNSKEY_ZONE
			: ZTK_DNSKEY_ZONE | ZTK_DNSKEY_SEP;
		int dl = ztk_dnskey_rdata(flags, alg, pub, publen, ks->dnskey[k],
			sizeof(ks->dnskey[k]));
		struct ztk_sign_key *sk = &ks->keys[k];
		sk->dnskey = ks->dnskey[k];
		sk->dnskey_len = (uint16_t)dl;
		sk->publish = true;
		sk->sign_keyset = fk->role != ZTK_ROLE_ZSK;
		sk->sign_zone = fk->role != ZTK_ROLE_KSK;
		ks->tags[k] = ztk_keytag(ks->dnskey[k], (size_t)dl);
		ks->roles[k] = fk->role;
		sk->signers = calloc(ks->threads, sizeof(*sk->signers));
		if (sk->signers == NULL) {
			ztk_signer_free(probe);
			return CLI_EXIT_ENV;
		}
		/* The probe signs on the first thread; the others share its
		 * key. */
		sk->signers[0] = probe;
		for (unsigned t = 1; t < ks->threads; t++)
			if (ztk_soft_signer_dup(probe, &sk->signers[t]) != 0) {
				cli_error("%s: cannot set up signing", fk->path);
				return CLI_EXIT_ENV;
			}
	}
	return 0;
}

struct store_walk {
	struct sign_cli *c;
	struct keyset *ks;
	int rc;
};

static int store_key(void *ctx, const struct ztk_key_rec *r)
{
	struct store_walk *sw = ctx;
	struct keyset *ks = sw->ks;
	int64_t now = sw->c->so.now;
	const int64_t *t = r->t;
	bool pub = t[ZTK_T_PUBLISH] && t[ZTK_T_PUBLISH] <= now &&
		!(t[ZTK_T_DELETE] && t[ZTK_T_DELETE] <= now);
	bool act = t[ZTK_T_ACTIVE] && t[ZTK_T_ACTIVE] <= now &&
		!(t[ZTK_T_INACTIVE] && t[ZTK_T_INACTIVE] <= now);
	bool revoked = t[ZTK_T_REVOKE] && t[ZTK_T_REVOKE] <= now;
	if (!pub && !act)
		return 0;
	if (ks->n == 64) {
		cli_error("more than 64 live keys for one zone");
		sw->rc = CLI_EXIT_ENV;
		return 1;
	}
	size_t k = ks->n++;
	memcpy(ks->dnskey[k], r->dnskey, r->dnskey_len);
	if (revoked)
		ks->dnskey[k][1] |= ZTK_DNSKEY_REVOKE;
	struct ztk_sign_key *sk = &ks->keys[k];
	sk->dnskey = ks->dnskey[k];
	sk->dnskey_len = r->dnskey_len;
	sk->publish = pub;
	/* RFC 5011 2.1: a revoked key signs the DNSKEY RRset it is in for as
	 * long as it is published, active or not, so resolvers see the
	 * revocation. */
	sk->sign_keyset = (act && r->role != ZTK_ROLE_ZSK) || (revoked && pub);
	sk->sign_zone = act && r->role != ZTK_ROLE_KSK && !revoked;
	ks->tags[k] = ztk_keytag(ks->dnskey[k], r->dnskey_len);
	ks->roles[k] = r->role;
	if (!sk->sign_keyset && !sk->sign_zone)
		return 0;
	uint8_t id[ZTK_P11_ID_MAX];
	size_t idlen;
	char why[512];
	if (keyctx_unhex(r->p11_id, id, &idlen) != 0) {
		cli_error("key %u has a bad PKCS#11 id in the store", r->keytag);
		sw->rc = CLI_EXIT_ENV;
		return 1;
	}
	sk->signers = calloc(ks->threads, sizeof(*sk->signers));
	if (sk->signers == NULL) {
		sw->rc = CLI_EXIT_ENV;
		return 1;
	}
	for (unsigned th = 0; th < ks->threads; th++)
		if (ztk_p11_signer_new(sw->c->kc.p11, id, idlen, r->alg,
			&sk->signers[th], why, sizeof(why)) != 0) {
			cli_error("key %u of %s: %s", r->keytag, r->zone, why);
			sw->rc = CLI_EXIT_ENV;
			return 1;
		}
	return 0;
}

struct soa_find {
	uint32_t serial;
	bool found;
};

static int soa_rr(void *ctx, const struct ztk_rr *rr)
{
	struct soa_find *sf = ctx;
	if (rr->type != ZTK_TYPE_SOA || rr->rdlen < 22)
		return 0;
	sf->serial = (uint32_t)rr->rdata[rr->rdlen - 20] << 24 |
		(uint32_t)rr->rdata[rr->rdlen - 19] << 16 |
		(uint32_t)rr->rdata[rr->rdlen - 18] << 8 |
		rr->rdata[rr->rdlen - 17];
	sf->found = true;
	return 1;       /* stop: the SOA is all we want */
}

/* The SOA serial of a zone file, reading only as far as its SOA. */
static int read_serial(const char *path, const uint8_t *origin,
	uint32_t *out)
{
	struct soa_find sf = { 0 };
	struct ztk_scan_opts so = { .origin = origin, .on_rr = soa_rr,
		.ctx = &sf, .no_include = true };
	ztk_scan_file(path, &so, NULL);
	if (!sf.found)
		return -1;
	*out = sf.serial;
	return 0;
}

static void progress(void *ctx, uint64_t done, uint64_t total)
{
	(void)ctx;
	fprintf(stderr, "\rztk-sign: signing %3u%%", (unsigned)(done * 100 /
		(total ? total : 1)));
	if (done == total)
		fputs("\r                        \r", stderr);
}

/*
 * The previous output's signature cache, opened in a thread while the
 * zone loads: it checks the cache's header and index, and that the
 * previous output is the file the cache describes.
 */
struct cache_open {
	char path[4200];
	const char *output;
	struct ztk_sigcache *cache;
	int rc;
	char why[256];
};

static void *cache_open_main(void *arg)
{
	struct cache_open *co = arg;
	co->rc = ztk_sigcache_open(co->path, co->output, &co->cache, co->why,
		sizeof(co->why));
	return NULL;
}

/* Where the signed zone goes while it is made: the output's temp file,
 * and the new cache beside it.  The text goes through a buffer of our
 * own (not stdio's), so that unchanged text of the previous output can be
 * read straight into it: one copy into our memory and one out, in writes
 * of SINK_BUF, costs the kernel less than copy_file_range, which on a
 * file system without shared extents copies page by page through a pipe
 * and needs the buffer flushed before every stretch (measured: 79 MB with
 * a change every 70 kB, 17 against 23 ms of system time). */
#define SINK_BUF (256u << 10)
struct out_sink {
	FILE *fp, *cfp;
	int fd;                 /* fileno(fp): stdio's buffer stays empty */
	char *buf;              /* SINK_BUF octets */
	size_t blen;
	struct ztk_sigcache_writer *cw;
	uint64_t since_flush;
};

static int sink_flush(struct out_sink *os)
{
	size_t done = 0;
	while (done < os->blen) {
		ssize_t n = write(os->fd, os->buf + done, os->blen - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return ZTK_EIO;
		done += (size_t)n;
	}
	os->blen = 0;
	return 0;
}

/* Every 2 MB, start writing back what is written so far (without
 * waiting), so that the fsync before the rename has little left to do
 * (with 8 MB it waited 2-3 ms longer at the end of a 100k-name run). */
static int maybe_writeback(struct out_sink *os, size_t len)
{
	os->since_flush += len;
	if (os->since_flush < (2u << 20))
		return 0;
	os->since_flush = 0;
	if (sink_flush(os) != 0)
		return ZTK_EIO;
	(void)sync_file_range(os->fd, 0, 0, SYNC_FILE_RANGE_WRITE);
	return 0;
}

static int sink_chunk(void *ctx, const char *text, size_t tlen)
{
	struct out_sink *os = ctx;
	while (tlen > 0) {
		if (os->blen == SINK_BUF && sink_flush(os) != 0)
			return ZTK_EIO;
		size_t n = SINK_BUF - os->blen < tlen ? SINK_BUF - os->blen
			: tlen;
		memcpy(os->buf + os->blen, text, n);
		os->blen += n;
		text += n;
		tlen -= n;
		if (maybe_writeback(os, n) != 0)
			return ZTK_EIO;
	}
	return 0;
}

/* Unchanged text of the previous output, read straight into the buffer. */
static int sink_copy(void *ctx, int fd, uint64_t off, uint64_t len)
{
	struct out_sink *os = ctx;
	while (len > 0) {
		if (os->blen == SINK_BUF && sink_flush(os) != 0)
			return ZTK_EIO;
		size_t room = SINK_BUF - os->blen;
		ssize_t n = pread(fd, os->buf + os->blen, len < room ?
			(size_t)len : room, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return ZTK_EIO;         /* 0: the file shrank */
		os->blen += (size_t)n;
		off += (uint64_t)n;
		len -= (uint64_t)n;
		if (maybe_writeback(os, (size_t)n) != 0)
			return ZTK_EIO;
	}
	/* (The previous output's pages stay in the page cache: it is kept
	 * as OUT.ztk-old, and the next run writes over them, which costs less
	 * than dropping them here 8 MB at a time.) */
	return 0;
}

static double elapsed(const struct timespec *t0);

/* A helper thread running fn(arg); where none can be started, fn runs
 * on the caller's thread at once. */
struct helper {
	pthread_t th;
	bool started;
};

static void helper_start(struct helper *h, void *(*fn)(void *), void *arg)
{
	h->started = pthread_create(&h->th, NULL, fn, arg) == 0;
	if (!h->started)
		fn(arg);
}

static void helper_join(struct helper *h)
{
	if (h->started)
		pthread_join(h->th, NULL);
	h->started = false;
}

/*
 * The files a run replaces (the previous output and its cache) are kept
 * under these names, hard links made just before the new files are
 * renamed into place.  The next run writes its own output and cache over
 * them (atomic_reuse): a file of tens of megabytes is cheaper to write
 * over, its pages still in the page cache and its blocks allocated, than
 * to make anew, and the old one need not be freed (page cache to give
 * back and blocks to free, which on a file system mounted with discard
 * means waiting for the disk).  A file unfit for that is deleted instead,
 * in the same thread, while the zone loads.
 */
#define OLD_SUFFIX ".ztk-old"

struct old_files {
	char out[4200], cache[4200];    /* OUT.ztk-old, OUT.ztkcache.ztk-old */
	char output[4200], cpath[4200]; /* OUT, OUT.ztkcache */
	bool touch_out, touch_cache;
	struct atomic_reuse rout, rcache;
	struct helper h;
};

static void *old_files_main(void *arg)
{
	struct old_files *of = arg;
	if (of->touch_out)
		(void)atomic_reuse_take(&of->rout, of->out, of->output);
	if (of->touch_cache)
		(void)atomic_reuse_take(&of->rcache, of->cache, of->cpath);
	return NULL;
}

static bool same_file(const char *a, const char *b)
{
	struct stat x, y;
	return a != NULL && b != NULL && stat(a, &x) == 0 && stat(b, &y) == 0
		&& x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

/* Take over (or delete) the files the previous run kept, in a thread;
 * never one this run reads (ztk-sign --previous OUT.ztk-old). */
static void old_files_start(struct old_files *of, const char *output,
	const char *zonefile, const char *previous, const char *prev_cache)
{
	snprintf(of->output, sizeof(of->output), "%s", output);
	snprintf(of->cpath, sizeof(of->cpath), "%s%s", output,
		ZTK_SIGCACHE_SUFFIX);
	snprintf(of->out, sizeof(of->out), "%s%s", output, OLD_SUFFIX);
	snprintf(of->cache, sizeof(of->cache), "%s%s%s", output,
		ZTK_SIGCACHE_SUFFIX, OLD_SUFFIX);
	of->rout.fd = of->rcache.fd = -1;
	of->touch_out = !same_file(of->out, zonefile) &&
		!same_file(of->out, previous) && !same_file(of->out, prev_cache);
	of->touch_cache = !same_file(of->cache, zonefile) &&
		!same_file(of->cache, previous) &&
		!same_file(of->cache, prev_cache);
	helper_start(&of->h, old_files_main, of);
}

/* The thread done, and what it took over but was not used deleted. */
static void old_files_end(struct old_files *of)
{
	helper_join(&of->h);
	atomic_reuse_drop(&of->rout);
	atomic_reuse_drop(&of->rcache);
}

/*
 * The kernel frees a replaced file when its last link and descriptor go:
 * for a signed zone tens of megabytes of page cache and blocks, some 10 ms
 * per 50 MB.  The old cache and the old output each get a thread, so the
 * two are freed at once.
 */
struct release {
	struct helper h;
	struct ztk_sigcache *cache;
	int fd, fd2;
};

static void *release_main(void *arg)
{
	struct release *rl = arg;
	ztk_sigcache_free(rl->cache);
	if (rl->fd >= 0)
		close(rl->fd);
	if (rl->fd2 >= 0)
		close(rl->fd2);
	return NULL;
}

static void release_start(struct release *rl, struct ztk_sigcache *cache,
	int fd, int fd2)
{
	rl->cache = cache;
	rl->fd = fd;
	rl->fd2 = fd2;
	helper_start(&rl->h, release_main, rl);
}

/* Once signed, the input zone (and a previous zone read as text) are no
 * longer needed: freed in a thread while the result is checked and
 * synced (tens of megabytes to give back, a few milliseconds that would
 * otherwise come after the commit, or at exit). */
struct zone_release {
	struct helper h;
	struct ztk_zone *zone, *prev;
};

static void *zone_release_main(void *arg)
{
	struct zone_release *zr = arg;
	ztk_zone_free(zr->zone);
	ztk_zone_free(zr->prev);
	return NULL;
}

/* The new cache's records and index synced in a thread (see main). */
struct cache_sync {
	struct atomic_file *af;
	struct helper h;
	bool ran;               /* atomic_sync was called */
	int rc;
	char why[256];
};

static void *cache_sync_main(void *arg)
{
	struct cache_sync *cs = arg;
	cs->rc = atomic_sync(cs->af, cs->why, sizeof(cs->why));
	return NULL;
}

/* ZTK_SIGN_TIMING=1: the time of each phase on stderr (for bench/). */
static void phase(const char *name, const struct timespec *t0)
{
	static int on = -1;
	if (on < 0)
		on = getenv("ZTK_SIGN_TIMING") != NULL;
	if (on) {
		/* (and the CPU time of every thread so far: where the two
		 * cores are not both busy) */
		struct timespec cpu;
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
		fprintf(stderr, "ztk-sign: timing: %-8s %.3f s cpu %.3f s\n",
			name, elapsed(t0), (double)cpu.tv_sec +
			(double)cpu.tv_nsec / 1e9);
	}
}

static double elapsed(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
		(double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

int main(int argc, char **argv)
{
	cli_prog = "ztk-sign";
	struct sign_cli c;
	memset(&c, 0, sizeof(c));
	c.kc.lock_fd = -1;
	c.so.now = (int64_t)time(NULL);
	c.so.serial = ZTK_SERIAL_INCREMENT;
	c.so.verify = ZTK_VERIFY_SAMPLE;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	c.so.threads = cores > 0 ? (unsigned)(cores < ZTK_SIGN_MAX_THREADS ?
		cores : ZTK_SIGN_MAX_THREADS) : 1;
	int first;
	cli_permute = true;     /* "ztk-sign zone -o out" reads naturally */
	int rc = cli_parse(argc, argv, opts, NOPTS, on_opt, &c, &first);
	if (rc == 100)
		return cli_finish(0);
	if (rc >= 0)
		return rc;
	if (argc - first != 1) {
		cli_error("give one zone file; see --help");
		return CLI_EXIT_USAGE;
	}
	c.zonefile = argv[first];
	if (strcmp(c.zonefile, "-") == 0 && c.output == NULL) {
		cli_error("reading the zone from standard input needs -o FILE "
			"(or -o - for standard output)");
		return CLI_EXIT_USAGE;
	}
	if (c.so.iterations > 0 && c.so.nsec3)
		fprintf(stderr, "ztk-sign: warning: --iterations %u: RFC 9276 "
			"says 0; extra iterations cost resolvers, not "
			"attackers\n", c.so.iterations);
	char outbuf[4200];
	if (c.output == NULL) {
		snprintf(outbuf, sizeof(outbuf), "%s.signed", c.zonefile);
		c.output = outbuf;
	}
	bool to_stdout = strcmp(c.output, "-") == 0;
	if (to_stdout && c.json) {
		cli_error("--json and -o - both want stdout");
		return CLI_EXIT_USAGE;
	}
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct release rel_cache = { .fd = -1 }, rel_out = { .fd = -1 };
	struct zone_release zr = { .h.started = false };

	/* 1. The zone. */
	uint8_t origin[ZTK_DNAME_MAX];
	const uint8_t *op = NULL;
	if (c.origin) {
		const char *why = NULL;
		static const uint8_t root[1] = { 0 };
		if (ztk_dname_parse(c.origin, strlen(c.origin), root, origin,
			&why) < 0) {
			cli_error("bad --origin \"%s\": %s", c.origin,
				why ? why : "invalid");
			return CLI_EXIT_USAGE;
		}
		op = origin;
	}
	/* The previous output, for incremental signing: its cache is
	 * checked in a thread while the zone loads. */
	const char *prev_path = c.previous ? c.previous
		: (!to_stdout && access(c.output, R_OK) == 0) ? c.output : NULL;
	if (c.full)
		prev_path = NULL;
	struct cache_open pc = { .output = prev_path, .rc = ZTK_ENOENT };
	struct old_files old = { .h.started = false, .rout.fd = -1,
		.rcache.fd = -1 };
	if (prev_path != NULL)
		snprintf(pc.path, sizeof(pc.path), "%s%s", prev_path,
			ZTK_SIGCACHE_SUFFIX);
	if (!to_stdout)
		old_files_start(&old, c.output, c.zonefile, prev_path,
			prev_path != NULL ? pc.path : NULL);
	pthread_t pc_thread;
	bool pc_started = false;
	if (prev_path != NULL)
		pc_started = pthread_create(&pc_thread, NULL, cache_open_main,
			&pc) == 0;
	struct ztk_scan_opts sopts = { .on_event = on_event, .ctx = &c };
	struct ztk_zone *zone = NULL;
	rc = ztk_zone_load(c.zonefile, op, &sopts, &zone, NULL);
	phase("load", &t0);
	if (pc_started)
		pthread_join(pc_thread, NULL);
	phase("cache", &t0);
	if (rc != 0 || c.errors) {
		if (c.errors == 0)
			cli_error("%s: %s", c.zonefile, ztk_strerror(rc));
		else
			cli_error("%s: %d error%s; nothing signed", c.zonefile,
				c.errors, c.errors == 1 ? "" : "s");
		ztk_zone_free(zone);
		ztk_sigcache_free(pc.cache);
		old_files_end(&old);
		return rc == ZTK_EIO || rc == ZTK_ENOENT ? CLI_EXIT_USAGE
			: CLI_EXIT_USAGE;
	}
	char zname[ZTK_DNAME_TEXT_MAX];
	uint8_t zlc[ZTK_DNAME_MAX];
	memcpy(zlc, ztk_zone_origin(zone), ztk_dname_len(ztk_zone_origin(zone)));
	ztk_dname_to_lower(zlc);
	ztk_dname_print(zlc, zname);

	/* 2. The keys: files, or the store (preflight before any work). */
	struct keyset *ks = calloc(1, sizeof(*ks));
	if (ks == NULL) {
		ztk_zone_free(zone);
		ztk_sigcache_free(pc.cache);
		old_files_end(&old);
		return CLI_EXIT_ENV;
	}
	ks->threads = c.so.threads;
	if (c.nfiles) {
		rc = file_keys(&c, ks);
	} else {
		if (keyenv_resolve(&c.kc.env) != 0)
			rc = CLI_EXIT_USAGE;
		else if ((rc = keyctx_open_db(&c.kc, false)) == 0 &&
		    (rc = keyctx_open_token(&c.kc, false)) == 0 &&
		    (rc = keyctx_preflight_zone(&c.kc, zname, c.so.now)) == 0) {
			struct store_walk sw = { .c = &c, .ks = ks };
			ztk_keydb_list(c.kc.db, zname, store_key, &sw);
			rc = sw.rc;
			if (rc == 0 && ks->n == 0) {
				cli_error("no published or active key for %s in "
					"the store; create some with 'ztk-key "
					"create --zone %s --role CSK'", zname,
					zname);
				rc = CLI_EXIT_ENV;
			}
		}
	}
	if (rc != 0)
		goto done;
	c.so.keys = ks->keys;
	c.so.nkeys = ks->n;
	if (!c.quiet && !c.json && isatty(2)) {
		c.so.progress = progress;
	}

	/* The previous output, for incremental signing.  Unreadable or of
	 * another zone: say so and sign everything. */
	struct ztk_zone *prev = NULL;
	if (pc.cache != NULL) {
		c.so.previous_cache = pc.cache;
	} else if (prev_path != NULL) {
		if (!c.quiet)
			fprintf(stderr, "ztk-sign: note: signature cache %s not "
				"used: %s; reading %s as text\n", pc.path, pc.why,
				prev_path);
		int perr = 0;
		struct ztk_scan_opts po = { .on_event = count_event,
			.ctx = &perr };
		int pr = ztk_zone_load(prev_path, ztk_zone_origin(zone), &po,
			&prev, NULL);
		if (pr != 0 || prev == NULL || perr > 0) {
			fprintf(stderr, "ztk-sign: warning: the previous signed "
				"zone %s %s; signing everything\n", prev_path,
				perr ? "has syntax errors" : "cannot be read");
			ztk_zone_free(prev);
			prev = NULL;
		} else {
			c.so.previous = prev;
		}
	}
	/* --full still must not publish an older serial than last time. */
	if (prev == NULL && pc.cache == NULL && !to_stdout &&
	    access(c.output, R_OK) == 0) {
		uint32_t ps;
		if (read_serial(c.output, ztk_zone_origin(zone), &ps) == 0) {
			c.so.have_serial_floor = true;
			c.so.serial_floor = ps;
		}
	}

	/* 3. Sign (the text goes to the output's temp file and the new
	 * signature cache as it is made), check, commit. */
	struct ztk_zone *signed_zone = NULL;
	struct ztk_sign_stats st;
	char why[1024];
	struct atomic_file af = { 0 }, cf = { 0 };
	struct out_sink os = { 0 };
	char cpath[4200];
	if (!to_stdout) {
		struct stat ost;
		unsigned cmode = stat(c.output, &ost) == 0 ?
			(unsigned)(ost.st_mode & 07777) : 0644;
		helper_join(&old.h);
		if (atomic_open_reuse(&af, c.output, 0644, &old.rout, why,
			sizeof(why)) != 0) {
			cli_error("%s", why);
			rc = CLI_EXIT_ENV;
			ztk_zone_free(prev);
			ztk_sigcache_free(pc.cache);
			goto done;
		}
		os.fp = af.fp;
		os.fd = fileno(af.fp);
		if ((os.buf = malloc(SINK_BUF)) == NULL) {
			cli_error("out of memory");
			rc = CLI_EXIT_ENV;
			atomic_abort(&af);
			ztk_zone_free(prev);
			ztk_sigcache_free(pc.cache);
			goto done;
		}
		snprintf(cpath, sizeof(cpath), "%s%s", c.output,
			ZTK_SIGCACHE_SUFFIX);
		if (atomic_open_reuse(&cf, cpath, cmode, &old.rcache, why,
			sizeof(why)) != 0 ||
		    ztk_sigcache_writer_new((os.cfp = cf.fp), &os.cw) != 0) {
			if (!c.quiet)
				fprintf(stderr, "ztk-sign: warning: no signature "
					"cache: %s\n", why);
			if (cf.fp != NULL)
				atomic_abort(&cf);
			os.cw = NULL;
		}
		c.so.sink = sink_chunk;
		c.so.sink_copy = sink_copy;
		c.so.sink_ctx = &os;
		c.so.cache_out = os.cw;
	}
	phase("keys", &t0);
	rc = ztk_sign_zone(zone, &c.so, &signed_zone, &st, why, sizeof(why));
	phase("sign", &t0);
	/* (the result holds copies of what it needs of both) */
	zr.zone = zone;
	zr.prev = prev;
	helper_start(&zr.h, zone_release_main, &zr);
	zone = NULL;
	prev = NULL;
	c.so.previous_cache = NULL;     /* pc.cache: released below */
	if (rc == 0 && !to_stdout && c.so.zonemd_alg &&
	    ztk_sign_emit(signed_zone, sink_chunk, &os, os.cw) != 0) {
		snprintf(why, sizeof(why), "cannot write %s", c.output);
		rc = ZTK_EIO;
	}
	if (rc != 0) {
		cli_error("%s: %s; nothing written", c.zonefile, why);
		rc = rc == ZTK_EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_ENV;
		ztk_zone_free(signed_zone);
		goto abort_out;
	}
	struct ztk_findings *f = NULL;
	struct ztk_dnssec_check_opts co = { .now = c.so.now,
		.verify = ZTK_VERIFY_NONE, .expire_warn = -1,
		.partial = st.nodes_copied > 0 };
	if (ztk_findings_new(&f) != 0 || ztk_dnssec_check(signed_zone, &co,
		f) != 0) {
		cli_error("out of memory");
		rc = CLI_EXIT_ENV;
		ztk_findings_free(f);
		ztk_zone_free(signed_zone);
		goto abort_out;
	}
	if (ztk_findings_count_sev(f, ZTK_SEV_ERROR) > 0) {
		ztk_findings_sort(f);
		struct ztk_render_opts ro = { 0 };
		ztk_findings_render(f, ZTK_RENDER_TEXT, &ro, stderr);
		cli_error("the signed zone failed its check; nothing written");
		ztk_findings_free(f);
		ztk_zone_free(signed_zone);
		rc = CLI_EXIT_FINDINGS;
		goto abort_out;
	}
	if (!c.quiet && ztk_findings_count_sev(f, ZTK_SEV_WARNING) > 0) {
		struct ztk_render_opts ro = { 0 };
		ztk_findings_render(f, ZTK_RENDER_TEXT, &ro, stderr);
	}
	ztk_findings_free(f);
	phase("check", &t0);
	if (to_stdout) {
		/* Not streamed: standard output gets the zone as printed by
		 * the library (a test compares it with the streamed file). */
		rc = ztk_zone_print(signed_zone, stdout) == 0 ? 0 : CLI_EXIT_ENV;
		ztk_zone_free(signed_zone);
		if (rc != 0)
			goto done;
	} else {
		ztk_zone_free(signed_zone);
		/* The output about to be replaced is kept as OUT.ztk-old for
		 * the next run to write over (see struct old_files); failing that
		 * (a file system without hard links), it stays open here so
		 * that the rename does not free it on this thread.  The old
		 * cache describes it: unlinked now (a crash before the new one
		 * is in place costs the next run one read of the text), kept
		 * the same way. */
		helper_join(&old.h);
		bool kept = link(c.output, old.out) == 0;
		int old_out = kept ? -1 : open(c.output, O_RDONLY | O_CLOEXEC);
		if (pc.cache != NULL && strcmp(pc.output, c.output) == 0) {
			if (kept)
				(void)link(pc.path, old.cache);
			(void)unlink(pc.path);
		}
		/* Both files wait for the disk at once: the cache's records
		 * and index in a thread while the output is synced. */
		struct cache_sync cs = { .af = &cf };
		if (os.cw != NULL && ztk_sigcache_writer_status(os.cw) == 0) {
			cs.ran = true;
			helper_start(&cs.h, cache_sync_main, &cs);
		}
		int crc_out = sink_flush(&os) != 0 ? -1 : 0;
		if (crc_out != 0)
			snprintf(why, sizeof(why), "cannot write %s: %s",
				c.output, strerror(errno ? errno : EIO));
		else
			crc_out = atomic_sync(&af, why, sizeof(why));
		if (crc_out != 0)
			atomic_abort(&af);      /* no half-written temp file */
		else
			crc_out = atomic_commit_ex(&af, ATOMIC_SYNCED |
				ATOMIC_NO_DIR_SYNC, why, sizeof(why));
		helper_join(&cs.h);
		if (crc_out != 0) {
			release_start(&rel_cache, pc.cache, -1, -1);
			pc.cache = NULL;
			release_start(&rel_out, NULL, old_out, -1);
			cli_error("%s", why);
			rc = CLI_EXIT_ENV;
			if (os.cw != NULL)
				atomic_abort(&cf);
			ztk_sigcache_writer_free(os.cw);
			goto done;
		}
		if (os.cw != NULL) {
			/* The cache names the committed output, so it goes
			 * second: a crash in between leaves a cache that no
			 * longer matches.  Its header (and the index's last
			 * entries) is all that is left to sync; it goes with
			 * the rename (a cache whose header is lost in a crash
			 * fails its checksum: the next run reads the text). */
			struct ztk_sigcache_ident id;
			int crc = cs.rc != 0 ? ZTK_EIO :
				ztk_sigcache_writer_status(os.cw);
			if (crc == 0)
				crc = ztk_sigcache_stat(c.output, &id);
			if (crc == 0)
				crc = ztk_sigcache_writer_finish(os.cw, &id);
			/* why: the reason, for the warning below */
			snprintf(why, sizeof(why), "%s", cs.rc != 0 ? cs.why :
				ztk_strerror(crc));
			if (crc == 0 && atomic_commit_ex(&cf, (cs.ran ?
			    ATOMIC_SYNC_AFTER : 0) | ATOMIC_NO_DIR_SYNC, why,
			    sizeof(why)) != 0)
				crc = ZTK_EIO;
			else if (crc != 0)
				atomic_abort(&cf);
			if (crc != 0 && !c.quiet)
				fprintf(stderr, "ztk-sign: warning: the signature "
					"cache %s was not written (%s); the next "
					"run reads %s as text\n", cpath, why,
					c.output);
			ztk_sigcache_writer_free(os.cw);
			os.cw = NULL;
		}
		/* One directory sync makes both renames durable. */
		atomic_sync_dir(c.output);
		/* Only now are the replaced files let go: freeing their
		 * blocks inside the transaction that the syncs above wait
		 * for would make each of them wait for that too.  The old
		 * output's descriptors (ours and the cache's) close on one
		 * thread while the other frees the old cache. */
		release_start(&rel_out, NULL, old_out,
			ztk_sigcache_take_output(pc.cache));
		release_start(&rel_cache, pc.cache, -1, -1);
		pc.cache = NULL;
	}

	phase("commit", &t0);
	/* 4. Summary. */
	double secs = elapsed(&t0);
	char exp[32];
	time_t et = (time_t)st.earliest_expiry;
	struct tm tm;
	gmtime_r(&et, &tm);
	strftime(exp, sizeof(exp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (c.json) {
		printf("{\"zone\":");
		ztk_json_string(stdout, zname);
		printf(",\"output\":");
		ztk_json_string(stdout, c.output);
		printf(",\"rrsetsSigned\":%llu,\"signaturesNew\":%llu,"
			"\"signaturesKept\":%llu,\"nodesCopied\":%llu,"
			"\"verified\":%llu,"
			"\"denial\":\"%s\","
			"\"denialRecords\":%llu,\"nsec3ChainKept\":%s,"
			"\"serialBefore\":%u,"
			"\"serialAfter\":%u,\"earliestExpiry\":\"%s\",\"keys\":[",
			(unsigned long long)st.rrsets_signed,
			(unsigned long long)st.signatures,
			(unsigned long long)st.kept,
			(unsigned long long)st.nodes_copied,
			(unsigned long long)st.verified,
			c.so.nsec3 ? "NSEC3" : "NSEC",
			(unsigned long long)st.denial_records,
			st.nsec3_chain_kept ? "true" : "false", st.serial_before,
			st.serial_after, exp);
		for (size_t i = 0; i < ks->n; i++)
			printf("%s{\"keyTag\":%u,\"algorithm\":%u,\"role\":\"%s\","
				"\"signing\":%s}", i ? "," : "", ks->tags[i],
				ks->keys[i].dnskey[3], ztk_role_name(ks->roles[i]),
				ks->keys[i].signers ? "true" : "false");
		printf("],\"seconds\":%.3f}\n", secs);
	} else if (!c.quiet) {
		fprintf(stderr, "ztk-sign: %s: %llu RRsets signed, %llu new "
			"signatures, %llu kept (%llu verified), %llu %s records, "
			"serial %u -> %u, earliest expiry %s, keys", zname,
			(unsigned long long)st.rrsets_signed,
			(unsigned long long)st.signatures,
			(unsigned long long)st.kept,
			(unsigned long long)st.verified,
			(unsigned long long)st.denial_records,
			c.so.nsec3 ? "NSEC3" : "NSEC", st.serial_before,
			st.serial_after, exp);
		for (size_t i = 0; i < ks->n; i++)
			fprintf(stderr, " %u/%u %s%s", ks->tags[i],
				ks->keys[i].dnskey[3], ztk_role_name(ks->roles[i]),
				ks->keys[i].signers ? "" : " (published only)");
		fprintf(stderr, "; %.2f s\n", secs);
	}
	if (st.earliest_expiry < (int64_t)time(NULL))
		fprintf(stderr, "ztk-sign: warning: signatures in %s expire "
			"before the current time (--now in the past?): the zone "
			"is bogus as written\n", c.output);
	if (st.dropped_zonemd && !c.quiet && !c.so.zonemd_alg)
		fprintf(stderr, "ztk-sign: warning: the input's ZONEMD was "
			"dropped: it would not match the signed zone; add "
			"--zonemd sha384 for a new one\n");
	if (st.dropped_out_of_zone && !c.quiet)
		fprintf(stderr, "ztk-sign: warning: %llu out-of-zone records "
			"dropped\n", (unsigned long long)st.dropped_out_of_zone);
	goto done;
abort_out:
	if (!to_stdout) {
		atomic_abort(&af);
		if (os.cw != NULL)
			atomic_abort(&cf);
		ztk_sigcache_writer_free(os.cw);
	}
done:
	free(os.buf);
	old_files_end(&old);
	helper_join(&rel_cache.h);
	helper_join(&rel_out.h);
	phase("released", &t0);
	ztk_sigcache_free(pc.cache);
	free_keys(ks);
	free(ks);
	ztk_zone_free(zone);
	helper_join(&zr.h);
	keyctx_close(&c.kc);
	phase("freed", &t0);
	return cli_finish(rc);
}
