/*
 * sign-common.h - what bench/p11-bare-sign.c and bench/sign-bench.c share,
 * so that both measure the same thing the same way: the message, the PIN
 * file reader and the timed thread harness.  Header-only (static
 * functions); neither tool links anything of the other.
 *
 * Harness: every thread gets its own context (a session or a signer, made
 * before the clock starts), signs a few warm-up messages, waits on a
 * barrier, then signs until its own deadline (D seconds after the barrier
 * released it).  The rate reported is the sum over threads of
 * signatures / that thread's elapsed time.  Where the time went, as
 * shares of the threads' wall time in the timed loop:
 *   cpu=   running (CLOCK_THREAD_CPUTIME_ID)
 *   runq=  runnable but waiting for a core (/proc/thread-self/schedstat):
 *          something else on the machine had it, so the run is disturbed
 * and what is left is time blocked, e.g. on a lock in the token.
 */
#ifndef ZTK_BENCH_SIGN_COMMON_H
#define ZTK_BENCH_SIGN_COMMON_H

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BENCH_MAX_THREADS 64
#define BENCH_MSG_MAX 4096
#define BENCH_MSG_DEFAULT 200   /* about one RRSIG's signed data for a
				 * small RRset: RRSIG RDATA prefix plus a
				 * few canonical RRs */
#define BENCH_WARMUP 16

/*
 * A fixed message of len octets: an RRSIG RDATA prefix (type A, alg 13,
 * 2 labels, TTL 3600, expiry/inception, key tag, signer "example.com.")
 * followed by canonical A records of "www.example.com.", then filler.
 * The content does not matter for speed; it only has to be the same in
 * both tools.
 */
static void bench_message(uint8_t *msg, size_t len)
{
	static const uint8_t rrsig[] = { 0x00, 0x01, 0x0d, 0x02, 0x00, 0x00,
		0x0e, 0x10, 0x6a, 0x00, 0x00, 0x00, 0x69, 0x00, 0x00, 0x00,
		0x12, 0x34, 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o',
		'm', 0 };
	static const uint8_t owner[] = { 3, 'w', 'w', 'w', 7, 'e', 'x', 'a',
		'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0, 0x00, 0x01, 0x00, 0x01,
		0x00, 0x00, 0x0e, 0x10, 0x00, 0x04 };
	size_t o = 0;
	for (size_t i = 0; i < sizeof(rrsig) && o < len; i++)
		msg[o++] = rrsig[i];
	for (unsigned rr = 0; o < len; rr++) {
		for (size_t i = 0; i < sizeof(owner) && o < len; i++)
			msg[o++] = owner[i];
		const uint8_t a[4] = { 192, 0, 2, (uint8_t)(rr + 1) };
		for (size_t i = 0; i < 4 && o < len; i++)
			msg[o++] = a[i];
	}
}

/*
 * Read a PIN from a file that only its owner may read (like ztk's own
 * PIN files); the trailing newline is dropped.  0 or -1 (message printed).
 */
static int bench_read_pin(const char *prog, const char *path, char *pin,
	size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		fprintf(stderr, "%s: cannot open PIN file %s: %s\n", prog, path,
			strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (st.st_mode & 077) != 0) {
		fprintf(stderr, "%s: PIN file %s must be a regular file of mode "
			"0600 or stricter\n", prog, path);
		close(fd);
		return -1;
	}
	ssize_t n = read(fd, pin, len - 1);
	close(fd);
	if (n <= 0) {
		fprintf(stderr, "%s: PIN file %s is empty or unreadable\n", prog,
			path);
		return -1;
	}
	while (n > 0 && (pin[n - 1] == '\n' || pin[n - 1] == '\r'))
		n--;
	pin[n] = '\0';
	return n > 0 ? 0 : -1;
}

static double bench_clock(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double bench_now(void)
{
	return bench_clock(CLOCK_MONOTONIC);
}

/* Seconds this thread has spent runnable on a run queue; -1 if unknown. */
static double bench_runq_wait(void)
{
	FILE *f = fopen("/proc/thread-self/schedstat", "r");
	unsigned long long run, wait;
	int n = 0;
	if (f != NULL) {
		n = fscanf(f, "%llu %llu", &run, &wait);
		fclose(f);
	}
	return n == 2 ? (double)wait / 1e9 : -1;
}

/* One signature with the thread's context; 0 or an error code. */
typedef int (*bench_sign_fn)(void *ctx);

struct bench_thread {
	pthread_t tid;
	pthread_barrier_t *start;
	bench_sign_fn sign;
	void *ctx;
	double seconds;
	unsigned long count;
	double elapsed;
	double cpu;
	double runq;            /* -1 if unknown */
	int err;
};

static void *bench_thread_main(void *arg)
{
	struct bench_thread *t = arg;
	for (int i = 0; i < BENCH_WARMUP && t->err == 0; i++)
		t->err = t->sign(t->ctx);
	pthread_barrier_wait(t->start);
	if (t->err != 0)
		return NULL;
	double q0 = bench_runq_wait();
	double c0 = bench_clock(CLOCK_THREAD_CPUTIME_ID);
	double t0 = bench_now(), deadline = t0 + t->seconds, t1 = t0;
	unsigned long n = 0;
	do {
		int rc = t->sign(t->ctx);
		if (rc != 0) {
			t->err = rc;
			break;
		}
		n++;
		t1 = bench_now();
	} while (t1 < deadline);
	t->count = n;
	t->elapsed = t1 - t0;
	t->cpu = bench_clock(CLOCK_THREAD_CPUTIME_ID) - c0;
	double q1 = bench_runq_wait();
	t->runq = q0 >= 0 && q1 >= 0 ? q1 - q0 : -1;
	return NULL;
}

/*
 * Run n threads (ctx[i] for thread i) for seconds each.  Prints one
 * result line:
 *   <name> threads=N seconds=S sigs=C rate=R cpu=U% runq=Q% per_thread=...
 * (runq=? where schedstat is unavailable).
 * Returns 0, or the first thread's error code.
 */
static int bench_run(const char *name, bench_sign_fn sign, void **ctx,
	int n, double seconds)
{
	struct bench_thread t[BENCH_MAX_THREADS];
	pthread_barrier_t start;
	pthread_barrier_init(&start, NULL, (unsigned)n);
	for (int i = 0; i < n; i++) {
		t[i] = (struct bench_thread){ .start = &start, .sign = sign,
			.ctx = ctx[i], .seconds = seconds };
		if (pthread_create(&t[i].tid, NULL, bench_thread_main, &t[i])
		    != 0) {
			fprintf(stderr, "%s: cannot start thread %d\n", name, i);
			exit(1);
		}
	}
	for (int i = 0; i < n; i++)
		pthread_join(t[i].tid, NULL);
	pthread_barrier_destroy(&start);
	double rate = 0, longest = 0, cpu = 0, wall = 0, runq = 0;
	unsigned long sigs = 0;
	int err = 0;
	for (int i = 0; i < n; i++) {
		if (t[i].err != 0 && err == 0)
			err = t[i].err;
		if (t[i].elapsed > 0)
			rate += (double)t[i].count / t[i].elapsed;
		if (t[i].elapsed > longest)
			longest = t[i].elapsed;
		sigs += t[i].count;
		cpu += t[i].cpu;
		runq = runq < 0 || t[i].runq < 0 ? -1 : runq + t[i].runq;
		wall += t[i].elapsed;
	}
	if (err != 0)
		return err;
	printf("%s threads=%d seconds=%.3f sigs=%lu rate=%.1f cpu=%.0f%% ",
		name, n, longest, sigs, rate, wall > 0 ? 100 * cpu / wall : 0);
	if (runq >= 0 && wall > 0)
		printf("runq=%.0f%% ", 100 * runq / wall);
	else
		printf("runq=? ");
	printf("per_thread=");
	for (int i = 0; i < n; i++)
		printf("%s%.1f", i ? "," : "", (double)t[i].count /
			t[i].elapsed);
	printf("\n");
	return 0;
}

/* Hex CKA_ID to bytes; length or -1. */
static int bench_unhex(const char *s, uint8_t *out, size_t max)
{
	size_t n = strlen(s);
	if (n == 0 || n % 2 != 0 || n / 2 > max ||
	    strspn(s, "0123456789abcdefABCDEF") != n)
		return -1;
	for (size_t i = 0; i < n / 2; i++) {
		unsigned v;
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (uint8_t)v;
	}
	return (int)(n / 2);
}

static int bench_parse_threads(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < 1 || v > BENCH_MAX_THREADS)
		return -1;
	return (int)v;
}

static double bench_parse_seconds(const char *s)
{
	char *end;
	double v = strtod(s, &end);
	if (*s == '\0' || *end != '\0' || !(v > 0) || v > 3600)
		return -1;
	return v;
}

#endif
