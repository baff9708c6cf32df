/*
 * threads.h - whether libztk may use a second thread for its own work
 * (scanning a large zone file, linting a large zone).  Results never
 * depend on it; ZTK_THREADS=1 in the environment turns it off, e.g. on a
 * machine shared with other jobs.
 */
#ifndef ZTK_THREADS_H
#define ZTK_THREADS_H

#include <stdbool.h>

bool ztk_may_use_threads(void);

#endif
