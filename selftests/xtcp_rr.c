// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp_rr.c - the request/response benchmark's two ends (as netperf's TCP_RR):
 * one connection, TCP_NODELAY on both ends, the client writes a request of N
 * bytes (default 1) and waits for a response of as many, over and over.
 *
 *   xtcp_rr server --family xtcp|tcp --addr A --port P
 *   xtcp_rr client --family xtcp|tcp --addr A --port P [--size N] [--seconds S]
 *
 * The server prints "listening", accepts one connection and answers every
 * request until the client closes. The client runs for S seconds (default 5)
 * and prints
 *
 *   ok transactions=N seconds=T rate=R
 *
 * (R transactions per second), or "FAIL error=..." and exits with 1. Each
 * response is checked: it must echo its request.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "xtcp_common.h"

#define RR_MAX_SIZE	65536

static void die(const char *what)
{
	printf("FAIL error=\"%s: %s\"\n", what, strerror(errno));
	exit(1);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Exactly @len bytes; false at the end of the stream. */
static bool read_all(int fd, char *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		n = read(fd, buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("read");
		if (!n)
			return false;
		got += n;
	}
	return true;
}

static void write_all(int fd, const char *buf, size_t len)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = write(fd, buf + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("write");
		done += n;
	}
}

static void nodelay(int fd)
{
	int one = 1;

	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)))
		die("setsockopt(TCP_NODELAY)");
}

static void usage(void)
{
	fprintf(stderr, "usage: xtcp_rr server|client --family xtcp|tcp --addr A --port P\n"
			"                [--size N] [--seconds S]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "family",	required_argument,	NULL, 'f' },
		{ "addr",	required_argument,	NULL, 'a' },
		{ "port",	required_argument,	NULL, 'p' },
		{ "size",	required_argument,	NULL, 's' },
		{ "seconds",	required_argument,	NULL, 't' },
		{}
	};
	struct sockaddr_in sin = { .sin_family = AF_INET };
	static char req[RR_MAX_SIZE], resp[RR_MAX_SIZE];
	long size = 1, n = 0, i;
	double seconds = 5, start, el;
	bool server;
	int fam = -1, fd, lfd, c, one = 1;

	if (argc < 2)
		usage();
	server = !strcmp(argv[1], "server");
	if (!server && strcmp(argv[1], "client"))
		usage();
	optind = 2;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			fam = !strcmp(optarg, "xtcp") ? xtcp_family() :
			      !strcmp(optarg, "tcp") ? AF_INET : -1;
			break;
		case 'a':
			if (inet_pton(AF_INET, optarg, &sin.sin_addr) != 1)
				usage();
			break;
		case 'p':
			sin.sin_port = htons(atoi(optarg));
			break;
		case 's':
			size = atol(optarg);
			break;
		case 't':
			seconds = atof(optarg);
			break;
		default:
			usage();
		}
	}
	if (fam < 0 || !sin.sin_port || size < 1 || size > RR_MAX_SIZE || seconds <= 0)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (server) {
		lfd = socket(fam, SOCK_STREAM, 0);
		if (lfd < 0)
			die("socket");
		setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) || listen(lfd, 1))
			die("bind/listen");
		printf("listening\n");
		fd = accept(lfd, NULL, NULL);
		if (fd < 0)
			die("accept");
		close(lfd);
		nodelay(fd);
		while (read_all(fd, req, size))
			write_all(fd, req, size);
		close(fd);
		return 0;
	}

	fd = socket(fam, SOCK_STREAM, 0);
	if (fd < 0)
		die("socket");
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)))
		die("connect");
	nodelay(fd);
	start = now_s();
	do {
		for (i = 0; i < size; i++)
			req[i] = (char)(n + i);
		write_all(fd, req, size);
		if (!read_all(fd, resp, size)) {
			errno = ECONNRESET;
			die("read (the server ended the stream)");
		}
		if (memcmp(req, resp, size)) {
			printf("FAIL error=\"response %ld does not echo its request\"\n", n);
			return 1;
		}
		n++;
		el = now_s() - start;
	} while (el < seconds);
	printf("ok transactions=%ld seconds=%.3f rate=%.0f\n", n, el, n / el);
	close(fd);
	return 0;
}
