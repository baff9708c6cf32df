/* threads.c - see threads.h. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "threads.h"

bool
ztk_may_use_threads(void)
{
	const char *t = getenv("ZTK_THREADS");
	if (t && strcmp(t, "1") == 0)
		return false;
	return sysconf(_SC_NPROCESSORS_ONLN) >= 2;
}
