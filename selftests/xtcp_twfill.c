// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp_twfill.c - fill a namespace's TIME_WAIT table fast, from one process: the
 * helper of procscale.sh.
 *
 * usage: xtcp_twfill --count N [--port P] [--batch B]
 *
 * An XTCP listener on 127.0.0.1:P (default 23000); then N loopback connections
 * to it, B at a time (default 128): B clients bind() to a 4-tuple of their own
 * and connect(), the server accepts the B connections and closes them first, each
 * client reads the end of the stream and closes. Each server end goes through
 * FIN_WAIT_2 into TIME_WAIT and leaves an entry there; no client end does.
 *
 * The clients' local addresses and ports are chosen, not left to the kernel, so
 * that no two connections share a 4-tuple (a SYN on an entry's 4-tuple would
 * recycle it): ports 10000 to 59999 on 127.0.1.1, then on 127.0.1.2 and so on
 * (every 127/8 address is the loopback's).
 *
 * Prints "done N SECONDS" (the connections made and how long it took) and exits 0,
 * or a line "CALL-error ERRNO_NAME at I" and exits 1. Whether each entry is there
 * is the caller's to check (TimeWaitEntered in /proc/net/xtcp_counters).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "xtcp_common.h"

#define PORT_FIRST	10000
#define PORT_COUNT	50000
#define BATCH_MAX	256

static int fail(const char *call, long i)
{
	printf("%s-error %s at %ld\n", call, strerrorname_np(errno), i);
	return 1;
}

/* The client address and port of connection @i. */
static void client_addr(long i, struct sockaddr_in *sin)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl((127U << 24) | (1U << 8) | (1 + i / PORT_COUNT));
	sin->sin_port = htons(PORT_FIRST + i % PORT_COUNT);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "port", required_argument, NULL, 'p' },
		{ "batch", required_argument, NULL, 'b' },
		{ NULL, 0, NULL, 0 },
	};
	int cli[BATCH_MAX], srv[BATCH_MAX];
	long count = -1, i, b, n;
	int port = 23000, batch = 128;
	int family = xtcp_family();
	struct sockaddr_in addr;
	double start;
	int lfd, opt;
	char c;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			count = atol(optarg);
			break;
		case 'p':
			port = atoi(optarg);
			break;
		case 'b':
			batch = atoi(optarg);
			break;
		default:
			return 2;
		}
	}
	/* 127.0.1.1 to 127.0.1.254. */
	if (count < 0 || count > 254L * PORT_COUNT || batch < 1 || batch > BATCH_MAX) {
		fputs("usage: xtcp_twfill --count N [--port P] [--batch 1..256]\n", stderr);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	addr.sin_port = htons(port);
	lfd = socket(family, SOCK_STREAM, 0);
	if (lfd < 0)
		return fail("socket", -1);
	if (bind(lfd, (struct sockaddr *)&addr, sizeof(addr)))
		return fail("bind", -1);
	if (listen(lfd, BATCH_MAX))
		return fail("listen", -1);

	start = now();
	for (i = 0; i < count; i += n) {
		n = count - i < batch ? count - i : batch;
		for (b = 0; b < n; b++) {
			struct sockaddr_in local;

			client_addr(i + b, &local);
			cli[b] = socket(family, SOCK_STREAM, 0);
			if (cli[b] < 0)
				return fail("socket", i + b);
			if (bind(cli[b], (struct sockaddr *)&local, sizeof(local)))
				return fail("bind", i + b);
			if (connect(cli[b], (struct sockaddr *)&addr, sizeof(addr)))
				return fail("connect", i + b);
		}
		for (b = 0; b < n; b++) {
			srv[b] = accept(lfd, NULL, NULL);
			if (srv[b] < 0)
				return fail("accept", i + b);
		}
		/* The server closes first: its end will be the one in TIME_WAIT. */
		for (b = 0; b < n; b++)
			close(srv[b]);
		for (b = 0; b < n; b++) {
			ssize_t r = read(cli[b], &c, 1);

			if (r) {
				if (r > 0)
					errno = EPROTO;
				return fail("read", i + b);
			}
			close(cli[b]);
		}
	}
	close(lfd);
	printf("done %ld %.1f\n", count, now() - start);
	return 0;
}
