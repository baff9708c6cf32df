/*
 * ztk/ztk.h - everything libztk exports, for programs that want it all.
 */
#ifndef ZTK_ZTK_H
#define ZTK_ZTK_H

#include <ztk/visibility.h>
#include <ztk/error.h>
#include <ztk/dname.h>
#include <ztk/rrtype.h>
#include <ztk/scanner.h>
#include <ztk/zone.h>
#include <ztk/findings.h>
#include <ztk/lint.h>

/* Library version ("0.1.0"). */
ZTK_API const char *ztk_version(void);

#endif /* ZTK_ZTK_H */
