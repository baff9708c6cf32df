/*
 * servers.c - --server lists and the /etc/resolv.conf fallback.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "servers.h"

int cli_servers_add(struct cli_servers *s, const char *text)
{
	char why[160];
	if (s->n == CLI_SERVERS_MAX) {
		cli_error("at most %d --server options", CLI_SERVERS_MAX);
		return CLI_EXIT_USAGE;
	}
	if (ztk_server_parse(text, &s->v[s->n], why, sizeof why) != 0) {
		cli_error("--server \"%s\": %s (give an IPv4 or IPv6 address, "
			"optionally with #PORT)", text, why);
		return CLI_EXIT_USAGE;
	}
	s->n++;
	return 0;
}

int cli_servers_default(struct cli_servers *s, const char *path)
{
	if (s->n > 0)
		return 0;
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		cli_error("no --server given and %s cannot be read: name the "
			"server to ask with --server ADDRESS", path);
		return CLI_EXIT_ENV;
	}
	char line[512];
	while (fgets(line, sizeof line, f) != NULL && s->n < CLI_SERVERS_MAX) {
		char word[16], addr[128];
		/* "nameserver ADDRESS"; other lines and comments pass */
		if (sscanf(line, "%15s %127s", word, addr) != 2 ||
		    strcmp(word, "nameserver") != 0)
			continue;
		char why[160];
		if (ztk_server_parse(addr, &s->v[s->n], why, sizeof why) == 0)
			s->n++;
	}
	fclose(f);
	if (s->n == 0) {
		cli_error("no --server given and %s names no nameserver: name "
			"the server to ask with --server ADDRESS", path);
		return CLI_EXIT_ENV;
	}
	return 0;
}

const char *cli_servers_text(const struct cli_servers *s, char *buf,
	size_t len)
{
	size_t o = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < s->n && o + ZTK_SERVER_TEXT_MAX + 3 < len; i++) {
		char t[ZTK_SERVER_TEXT_MAX];
		ztk_server_print(&s->v[i], t);
		o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? ", " : "", t);
	}
	return buf;
}
