/*
 * zone-dump - test tool: load a zone with libztk and print it in canonical
 * order (ztk_zone_print), so tests can check parse -> print -> parse.
 * Usage: zone-dump FILE [ORIGIN]; prints the record count on stderr.
 */
#include <stdio.h>
#include <string.h>
#include <ztk/ztk.h>

int
main(int argc, char **argv)
{
	uint8_t origin[ZTK_DNAME_MAX];
	static const uint8_t root[1] = { 0 };
	struct ztk_zone *z;
	struct ztk_scan_stats st;
	const char *why;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: zone-dump FILE [ORIGIN]\n");
		return 2;
	}
	if (argc == 3 && ztk_dname_parse(argv[2], strlen(argv[2]), root,
	    origin, &why) < 0) {
		fprintf(stderr, "zone-dump: bad origin: %s\n", why);
		return 2;
	}
	int r = ztk_zone_load(argv[1], argc == 3 ? origin : NULL, NULL, &z, &st);
	if (r) {
		fprintf(stderr, "zone-dump: %s\n", ztk_strerror(r));
		return 2;
	}
	if (st.errors) {
		fprintf(stderr, "zone-dump: %u errors\n", st.errors);
		ztk_zone_free(z);
		return 2;
	}
	r = ztk_zone_print(z, stdout);
	fprintf(stderr, "%zu\n", ztk_zone_rr_count(z));
	ztk_zone_free(z);
	return r ? 3 : 0;
}
