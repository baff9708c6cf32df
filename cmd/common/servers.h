/*
 * servers.h - the DNS servers a binary asks: --server options, or the
 * nameserver lines of /etc/resolv.conf when none is given.
 */
#ifndef ZTK_SERVERS_H
#define ZTK_SERVERS_H

#include <stddef.h>
#include <ztk/resolver.h>

#define CLI_SERVERS_MAX 16

struct cli_servers {
	struct ztk_server v[CLI_SERVERS_MAX];
	size_t n;
};

/* Add one --server argument (an address literal, "#PORT" optional).
 * 0, or CLI_EXIT_USAGE after a message. */
int cli_servers_add(struct cli_servers *s, const char *text);

/* With no --server given, read the nameserver lines of path (normally
 * /etc/resolv.conf).  0, or CLI_EXIT_ENV after a message when there is
 * none. */
int cli_servers_default(struct cli_servers *s, const char *path);

/* "127.0.0.1#53, ::1#53" into buf. */
const char *cli_servers_text(const struct cli_servers *s, char *buf,
	size_t len);

#endif
