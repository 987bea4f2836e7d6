// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * omx_init_peers: load a static peer table into the omx driver, for
 * fabrics where discovery is not wanted or not enough.
 *
 * File: one peer per line, "MAC HOSTNAME" (HOSTNAME as the peer's board
 * announces it, e.g. node1:0); "#" starts a comment, blank lines are
 * skipped.  The whole file is checked first and every bad line reported
 * with its number; then the driver loads it in one call, all or nothing.
 *
 * Output (stable, parsed by tests):
 *   omx_init_peers: loaded 3 peer(s) from FILE on board 0, 5 in the table
 *   omx_init_peers: FILE:4: bad MAC address "zz": ...
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "omx_lib.h"
#include "omx_tool.h"

static const char *me = "omx_init_peers";

struct peer_line {
	struct omx_peer_entry entry;
	unsigned int line;
};

struct peer_file {
	const char *name;
	struct peer_line *peers;
	size_t nr, cap;
	unsigned int errors;
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: omx_init_peers [-b BOARD] [-c] [-n] [FILE]\n"
		"Load a static peer table: FILE has one \"MAC HOSTNAME\" line per peer,\n"
		"e.g. \"02:00:00:00:00:01 node1:0\"; # comments and blank lines are allowed.\n"
		"FILE \"-\" is standard input.  Nothing is loaded if any line is bad.\n"
		"  -b, --board BOARD  local board the peers are reached through (default 0)\n"
		"  -c, --clear        without FILE: remove every peer; with FILE: replace the\n"
		"                     table by FILE (peers not in it are removed)\n"
		"  -n, --check        only check FILE, do not load it (no driver needed)\n"
		"  -h, --help         show this help\n"
		"Loading and clearing need CAP_NET_ADMIN.\n");
}

static void bad_line(struct peer_file *f, unsigned int line, const char *fmt,
		     const char *arg)
{
	fprintf(stderr, "%s: %s:%u: ", me, f->name, line);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	f->errors++;
}

static int parse_mac(const char *s, __u8 mac[6])
{
	unsigned int i, v;
	char *end;

	for (i = 0; i < 6; i++) {
		if (!isxdigit((unsigned char)s[0]) || !isxdigit((unsigned char)s[1]))
			return -1;
		v = (unsigned int)strtoul((char[3]){ s[0], s[1], 0 }, &end, 16);
		mac[i] = (__u8)v;
		s += 2;
		if (i < 5 && *s++ != ':')
			return -1;
	}
	return *s ? -1 : 0;
}

static int add_peer(struct peer_file *f, const struct peer_line *p)
{
	struct peer_line *grown;

	if (f->nr == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 64;
		grown = realloc(f->peers, f->cap * sizeof(*grown));
		if (!grown)
			return -1;
		f->peers = grown;
	}
	f->peers[f->nr++] = *p;
	return 0;
}

/* One line, comment already cut: add it to @f or report why not. */
static int parse_line(struct peer_file *f, char *text, unsigned int line,
		      __u32 board)
{
	char *mac, *name, *extra, *save;
	struct peer_line p;
	size_t i;

	mac = strtok_r(text, " \t\r\n", &save);
	if (!mac)
		return 0;
	name = strtok_r(NULL, " \t\r\n", &save);
	extra = strtok_r(NULL, " \t\r\n", &save);

	memset(&p, 0, sizeof(p));
	p.line = line;
	p.entry.board_index = board;
	if (parse_mac(mac, p.entry.mac)) {
		bad_line(f, line, "bad MAC address \"%s\": write six hex bytes like 02:00:00:00:00:01", mac);
		return 0;
	}
	if ((p.entry.mac[0] & 1) || !(p.entry.mac[0] | p.entry.mac[1] | p.entry.mac[2] |
				      p.entry.mac[3] | p.entry.mac[4] | p.entry.mac[5])) {
		bad_line(f, line, "MAC address %s is not a board's: it is zero or a group address", mac);
		return 0;
	}
	if (!name) {
		bad_line(f, line, "%s: no hostname: write \"MAC HOSTNAME\", e.g. \"02:00:00:00:00:01 node1:0\"", mac);
		return 0;
	}
	if (extra) {
		bad_line(f, line, "unexpected \"%s\" after the hostname (use # for comments)", extra);
		return 0;
	}
	if (!omx_tool_hostname_ok(name)) {
		bad_line(f, line, "bad hostname \"%s\": at most 79 printable characters", name);
		return 0;
	}
	snprintf(p.entry.hostname, sizeof(p.entry.hostname), "%s", name);

	for (i = 0; i < f->nr; i++) {
		if (!memcmp(f->peers[i].entry.mac, p.entry.mac, 6)) {
			fprintf(stderr, "%s: %s:%u: MAC address %s already on line %u\n",
				me, f->name, line, mac, f->peers[i].line);
			f->errors++;
			return 0;
		}
		if (!strcmp(f->peers[i].entry.hostname, p.entry.hostname)) {
			fprintf(stderr, "%s: %s:%u: hostname %s already on line %u\n",
				me, f->name, line, name, f->peers[i].line);
			f->errors++;
			return 0;
		}
	}
	return add_peer(f, &p);
}

/* Read and check the whole file; -1 if unreadable or out of memory. */
static int read_file(struct peer_file *f, __u32 board)
{
	FILE *in = stdin;
	char *text = NULL, *hash;
	size_t size = 0;
	unsigned int line = 0;
	ssize_t len;
	int ret = 0;

	if (strcmp(f->name, "-")) {
		in = fopen(f->name, "r");
		if (!in) {
			fprintf(stderr, "%s: cannot open %s: %s\n", me, f->name, strerror(errno));
			return -1;
		}
	} else {
		f->name = "<stdin>";
	}
	while ((len = getline(&text, &size, in)) >= 0) {
		line++;
		if (memchr(text, '\0', (size_t)len)) {
			bad_line(f, line, "%sNUL byte in the line: not a text file?", "");
			continue;
		}
		hash = strchr(text, '#');
		if (hash)
			*hash = '\0';
		if (parse_line(f, text, line, board)) {
			fprintf(stderr, "%s: out of memory\n", me);
			ret = -1;
			break;
		}
	}
	if (!ret && ferror(in)) {
		fprintf(stderr, "%s: cannot read %s: %s\n", me, f->name, strerror(errno));
		ret = -1;
	}
	free(text);
	if (in != stdin)
		fclose(in);
	return ret;
}

static void explain_load_error(struct omx_lib_dev *dev, int err,
			       const struct peer_file *f, __u32 board)
{
	struct omx_peer_table_info table;

	if (err != ENOSPC) {
		omx_tool_perror(me, "cannot load the peers", err, board);
		return;
	}
	if (omx_lib_get_peer_table_info(dev, &table) == OMX_LIB_SUCCESS)
		fprintf(stderr, "%s: peer table full: %zu peer(s) from %s do not fit (%u of %u slots used); nothing loaded. Use -c to replace the table, or reload omx with a larger peers= parameter\n",
			me, f->nr, f->name, table.count, table.max);
	else
		fprintf(stderr, "%s: peer table full: nothing loaded\n", me);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "board", required_argument, NULL, 'b' },
		{ "clear", no_argument, NULL, 'c' },
		{ "check", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct peer_file file = { 0 };
	struct omx_peer_table_info table;
	struct omx_cmd_set_peers req;
	struct omx_peer_entry *entries = NULL;
	struct omx_lib_dev dev;
	int clear = 0, check_only = 0, c, ret = 1;
	__u32 board = 0, all = OMX_PEERS_ALL_BOARDS;
	size_t i;

	while ((c = getopt_long(argc, argv, "b:cnh", options, NULL)) != -1) {
		switch (c) {
		case 'b':
			if (omx_tool_board_arg(me, optarg, &board))
				return 2;
			break;
		case 'c':
			clear = 1;
			break;
		case 'n':
			check_only = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (argc - optind > 1 || (argc == optind && (!clear || check_only))) {
		usage(stderr);
		return 2;
	}

	if (argc - optind == 1) {
		file.name = argv[optind];
		if (read_file(&file, board))
			goto out;
		if (file.errors) {
			fprintf(stderr, "%s: %u bad line(s) in %s: nothing loaded\n",
				me, file.errors, file.name);
			goto out;
		}
		if (!file.nr) {
			fprintf(stderr, "%s: %s lists no peer: nothing loaded\n", me, file.name);
			goto out;
		}
		if (check_only) {
			printf("%s: %s: %zu peer(s), no error\n", me, file.name, file.nr);
			ret = 0;
			goto out;
		}
	}

	if (omx_tool_open(&dev))
		goto out;

	if (!file.name) {
		if (ioctl(dev.fd, OMX_CMD_CLEAR_PEERS, &all) < 0) {
			omx_tool_perror(me, "cannot clear the peer table", errno, board);
			goto out_close;
		}
		printf("%s: peer table cleared\n", me);
		ret = 0;
		goto out_close;
	}

	entries = calloc(file.nr, sizeof(*entries));
	if (!entries) {
		fprintf(stderr, "%s: out of memory\n", me);
		goto out_close;
	}
	for (i = 0; i < file.nr; i++)
		entries[i] = file.peers[i].entry;
	memset(&req, 0, sizeof(req));
	req.nr_peers = (__u32)file.nr;
	req.flags = clear ? OMX_SET_PEERS_REPLACE : 0;
	req.peers = (__u64)(unsigned long)entries;
	if (ioctl(dev.fd, OMX_CMD_SET_PEERS, &req) < 0) {
		explain_load_error(&dev, errno, &file, board);
		goto out_close;
	}
	if (omx_lib_get_peer_table_info(&dev, &table) != OMX_LIB_SUCCESS)
		table.count = 0;
	printf("%s: loaded %zu peer(s) from %s on board %u%s, %u in the table\n",
	       me, file.nr, file.name, board, clear ? " in place of the old table" : "",
	       table.count);
	ret = 0;

out_close:
	omx_lib_close(&dev);
out:
	free(entries);
	free(file.peers);
	return ret;
}
