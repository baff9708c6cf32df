/*
 * ztk/visibility.h - symbol export control.
 *
 * libztk is built with -fvisibility=hidden; only declarations marked ZTK_API
 * are exported from the shared library.  The ztk_ prefix therefore always
 * means "public and stable".
 */
#ifndef ZTK_VISIBILITY_H
#define ZTK_VISIBILITY_H

#if defined(__GNUC__) || defined(__clang__)
#define ZTK_API __attribute__((visibility("default")))
#else
#define ZTK_API
#endif

#endif /* ZTK_VISIBILITY_H */
