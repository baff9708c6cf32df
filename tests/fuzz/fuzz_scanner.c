/*
 * fuzz_scanner - libFuzzer harness for the zone scanner and zone model:
 * arbitrary bytes as a zone file, loaded, linted and printed.  Any crash,
 * leak or undefined behaviour is a bug.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ztk/ztk.h>

static int
add(void *ctx, const struct ztk_rr *rr)
{
	return ztk_zone_add(ctx, rr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t origin[] = "\7example\3com";
	struct ztk_zone *z;
	if (ztk_zone_new(origin, &z))
		return 0;
	struct ztk_scan_opts o = { .origin = origin, .on_rr = add, .ctx = z,
		.no_include = true, .max_generate = 256 };
	ztk_scan_buffer("fuzz", (const char *)data, size, &o, NULL);
	if (ztk_zone_finish(z) == 0) {
		struct ztk_findings *f;
		if (ztk_findings_new(&f) == 0) {
			ztk_lint_zone(z, NULL, f);
			ztk_findings_free(f);
		}
		FILE *null = fopen("/dev/null", "w");
		if (null) {
			ztk_zone_print(z, null);
			fclose(null);
		}
	}
	ztk_zone_free(z);
	return 0;
}
