// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp_sock.c - a small socket helper for XTCP's shell selftests (python would
 * take seconds to start in an emulated guest).
 *
 *   xtcp_sock try FAMILY [TYPE [PROTOCOL]]   print "ok" or the errno's name
 *   xtcp_sock hold FAMILY N                  open N stream sockets, print "ready",
 *                                            keep them until killed
 *   xtcp_sock hold-cc FAMILY NAME            a stream socket with TCP_CONGESTION
 *                                            NAME: print "ready" and keep it until
 *                                            killed, or print the errno's name
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

static int bad_args(void)
{
	fputs("usage: xtcp_sock try FAMILY [TYPE [PROTOCOL]] | hold FAMILY N |\n"
	      "                 hold-cc FAMILY NAME\n", stderr);
	return 2;
}

int main(int argc, char **argv)
{
	int family, fd, i, n;

	if (argc < 3)
		return bad_args();
	family = atoi(argv[2]);

	if (!strcmp(argv[1], "try")) {
		int type = argc > 3 ? atoi(argv[3]) : SOCK_STREAM;
		int protocol = argc > 4 ? atoi(argv[4]) : 0;

		fd = socket(family, type, protocol);
		if (fd < 0) {
			printf("%s\n", strerrorname_np(errno));
			return 1;
		}
		close(fd);
		printf("ok\n");
		return 0;
	}

	if (!strcmp(argv[1], "hold-cc") && argc == 4) {
		fd = socket(family, SOCK_STREAM, 0);
		if (fd < 0 || setsockopt(fd, SOL_TCP, TCP_CONGESTION, argv[3], strlen(argv[3]))) {
			printf("%s\n", strerrorname_np(errno));
			return 1;
		}
		printf("ready\n");
		fflush(stdout);
		for (;;)
			pause();
	}

	if (!strcmp(argv[1], "hold") && argc == 4) {
		n = atoi(argv[3]);
		for (i = 0; i < n; i++) {
			if (socket(family, SOCK_STREAM, 0) < 0) {
				printf("%s\n", strerrorname_np(errno));
				return 1;
			}
		}
		printf("ready\n");
		fflush(stdout);
		for (;;)
			pause();
	}
	return bad_args();
}
