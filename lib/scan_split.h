/*
 * scan_split.h - scanning one large zone file on two threads (internal).
 *
 * The file is cut at a line boundary near its middle.  A second thread
 * scans the part after the cut, starting from the $ORIGIN and $TTL it
 * finds by looking back from the cut; the first thread scans up to the cut
 * and then checks that it arrived there between records, with the same
 * origin and $TTL and no class other than IN pending.  The second part is
 * kept only if that holds and it ran to the end without a single event
 * (error, warning or note) and without $INCLUDE.  Otherwise its records are
 * to be dropped, and the first thread goes on over the rest of the file
 * alone, exactly as ztk_scan_file would.  Either way every event reaches
 * opts->on_event in file order, from one thread.
 */
#ifndef ZTK_SCAN_SPLIT_H
#define ZTK_SCAN_SPLIT_H

#include <stdbool.h>
#include <ztk/scanner.h>

/*
 * Like ztk_scan_file(path, opts, stats).  Records before the cut go to
 * opts->on_rr(opts->ctx), records after it to on_rr2(ctx2), each part in
 * file order, called from another thread.  *used2 says whether ctx2's
 * records stand (false: drop them; then every record went to opts->ctx).
 * The line numbers handed to on_rr2 count from the cut: add
 * *line_offset2 to each (the first thread learns it only at the cut, and
 * counting the lines up to it would cost the second thread a pass over
 * half the file).
 * The file is scanned on one thread when it is under min_split octets,
 * not a regular file, or ztk_may_use_threads() says no.
 */
int ztk_scan_file_split(const char *path, const struct ztk_scan_opts *opts,
	int (*on_rr2)(void *ctx, const struct ztk_rr *rr), void *ctx2,
	size_t min_split, struct ztk_scan_stats *stats, bool *used2,
	uint32_t *line_offset2);

#endif
