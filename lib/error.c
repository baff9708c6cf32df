/* error.c - messages and names for the ZTK_E* codes (see ztk/error.h). */
#include <ztk/error.h>

const char *
ztk_strerror(int code)
{
	switch (code) {
#define ZTK_X_MSG(name, num, msg) case num: return msg;
	ZTK_ERRORS(ZTK_X_MSG)
#undef ZTK_X_MSG
	}
	return "unknown error";
}

const char *
ztk_errname(int code)
{
	switch (code) {
#define ZTK_X_NAME(name, num, msg) case num: return #name;
	ZTK_ERRORS(ZTK_X_NAME)
#undef ZTK_X_NAME
	}
	return "ZTK_E?";
}

#include <ztk/ztk.h>

const char *
ztk_version(void)
{
	return ZTK_VERSION;
}
