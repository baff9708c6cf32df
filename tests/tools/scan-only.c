/*
 * scan-only - benchmark tool: run the zone scanner over a file with a
 * callback that does nothing, and print octets per second (one core).
 * Usage: scan-only FILE ORIGIN
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <ztk/ztk.h>

static int
count(void *ctx, const struct ztk_rr *rr)
{
	(void)rr;
	(*(unsigned long *)ctx)++;
	return 0;
}

int
main(int argc, char **argv)
{
	static const uint8_t root[1] = { 0 };
	uint8_t origin[ZTK_DNAME_MAX];
	const char *why;
	unsigned long n = 0;
	struct ztk_scan_stats st;
	struct timespec t0, t1;

	if (argc != 3 || ztk_dname_parse(argv[2], strlen(argv[2]), root,
	    origin, &why) < 0) {
		fprintf(stderr, "usage: scan-only FILE ORIGIN\n");
		return 2;
	}
	struct ztk_scan_opts o = { .origin = origin, .on_rr = count, .ctx = &n };
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int r = ztk_scan_file(argv[1], &o, &st);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double s = (double)(t1.tv_sec - t0.tv_sec) +
		(double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%lu records, %llu octets, %.3f s, %.0f MB/s, %u errors\n", n,
		(unsigned long long)st.bytes, s, (double)st.bytes / s / 1e6,
		st.errors);
	return r ? 1 : 0;
}
