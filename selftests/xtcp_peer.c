// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp_peer.c - the application end of XTCP's packet-level scenario tests: a
 * server whose every step is printed, and a bind() probe.
 *
 *   xtcp_peer server --family xtcp|tcp --addr A --port P [--reuse] [--backlog N]
 *                    [--no-accept] [--read N] [--then close|linger0|wait-eof|hold]
 *                    [--hold-listener] [--timeout S]
 *   xtcp_peer bind   --family xtcp|tcp --addr A --port P [--reuse]
 *
 * server listens (SO_REUSEADDR with --reuse) and prints "listening"; with
 * --no-accept it keeps the listener and never accepts, until killed. Otherwise it
 * accepts one connection ("accepted A:P"), reads N bytes if asked ("read TEXT",
 * non-printable bytes as \xNN), then:
 *   close     close() the connection ("closed")
 *   linger0   SO_LINGER {1, 0}, then close(): a RST ("closed")
 *   wait-eof  print every read ("read TEXT") until the end of the stream ("eof"),
 *             then close() ("closed")
 *   hold      keep the connection until killed
 * A failed read prints "recv-error ERRNO_NAME" (e.g. ECONNRESET) and ends the
 * reading; the connection is then closed. With --hold-listener the listener is
 * kept after that ("done") until the process is killed; otherwise the listener is
 * closed and the exit status is 0. After --timeout seconds (default 60) the
 * server prints "timeout" and exits with 1. A failing socket call prints
 * "CALL-error ERRNO_NAME" and exits with 1.
 *
 * bind makes a socket, binds it and prints "ok" or the errno's name (EADDRINUSE);
 * it exits 0 either way.
 *
 * Every line is written at once (stdout is line-buffered), so a test can wait for
 * it in the output file.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "xtcp_common.h"

enum then_action {
	THEN_CLOSE,
	THEN_LINGER0,
	THEN_WAIT_EOF,
	THEN_HOLD,
};

struct peer_cfg {
	int family;
	struct sockaddr_in addr;
	bool have_addr, have_port, reuse, no_accept, hold_listener;
	int backlog;
	long read_n;
	enum then_action then;
	unsigned int timeout;
};

static void __attribute__((noreturn)) usage(void)
{
	fputs("usage: xtcp_peer server --family xtcp|tcp --addr A --port P [--reuse]\n"
	      "                        [--backlog N] [--no-accept] [--read N]\n"
	      "                        [--then close|linger0|wait-eof|hold] [--hold-listener]\n"
	      "                        [--timeout S]\n"
	      "       xtcp_peer bind   --family xtcp|tcp --addr A --port P [--reuse]\n",
	      stderr);
	exit(2);
}

static void on_alarm(int sig)
{
	static const char msg[] = "timeout\n";

	/* Only async-signal-safe calls here. */
	if (write(STDOUT_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(1);
	_exit(1);
}

static void __attribute__((noreturn)) fail_call(const char *call)
{
	printf("%s-error %s\n", call, strerrorname_np(errno) ?: "unknown");
	exit(1);
}

/* Wait for a signal (SIGTERM ends the process, SIGALRM the timeout). */
static void __attribute__((noreturn)) hold_forever(void)
{
	for (;;)
		pause();
}

static long parse_num(const char *s, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		usage();
	return v;
}

static void parse_args(int argc, char **argv, struct peer_cfg *c)
{
	static const struct option opts[] = {
		{ "family",		required_argument,	NULL, 'f' },
		{ "addr",		required_argument,	NULL, 'a' },
		{ "port",		required_argument,	NULL, 'p' },
		{ "reuse",		no_argument,		NULL, 'r' },
		{ "backlog",		required_argument,	NULL, 'b' },
		{ "no-accept",		no_argument,		NULL, 'n' },
		{ "read",		required_argument,	NULL, 'R' },
		{ "then",		required_argument,	NULL, 't' },
		{ "hold-listener",	no_argument,		NULL, 'H' },
		{ "timeout",		required_argument,	NULL, 'T' },
		{ NULL,			0,			NULL, 0 },
	};
	int opt;

	memset(c, 0, sizeof(*c));
	c->family = -1;
	c->addr.sin_family = AF_INET;
	c->backlog = 16;
	c->then = THEN_CLOSE;
	c->timeout = 60;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			if (!strcmp(optarg, "xtcp"))
				c->family = xtcp_family();
			else if (!strcmp(optarg, "tcp"))
				c->family = AF_INET;
			else
				usage();
			break;
		case 'a':
			if (inet_pton(AF_INET, optarg, &c->addr.sin_addr) != 1)
				usage();
			c->have_addr = true;
			break;
		case 'p':
			c->addr.sin_port = htons(parse_num(optarg, 0, 65535));
			c->have_port = true;
			break;
		case 'r':
			c->reuse = true;
			break;
		case 'b':
			c->backlog = parse_num(optarg, 0, 65535);
			break;
		case 'n':
			c->no_accept = true;
			break;
		case 'R':
			c->read_n = parse_num(optarg, 1, 65536);
			break;
		case 't':
			if (!strcmp(optarg, "close"))
				c->then = THEN_CLOSE;
			else if (!strcmp(optarg, "linger0"))
				c->then = THEN_LINGER0;
			else if (!strcmp(optarg, "wait-eof"))
				c->then = THEN_WAIT_EOF;
			else if (!strcmp(optarg, "hold"))
				c->then = THEN_HOLD;
			else
				usage();
			break;
		case 'H':
			c->hold_listener = true;
			break;
		case 'T':
			c->timeout = parse_num(optarg, 1, 86400);
			break;
		default:
			usage();
		}
	}
	if (optind != argc || c->family < 0 || !c->have_addr || !c->have_port)
		usage();
}

/* A socket of the configured family, SO_REUSEADDR if asked, bound; -1 and errno. */
static int bound_socket(const struct peer_cfg *c, const char **failed)
{
	int fd, one = 1;

	*failed = "socket";
	fd = socket(c->family, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	*failed = "setsockopt";
	if (c->reuse && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)))
		goto err;
	*failed = "bind";
	if (bind(fd, (const struct sockaddr *)&c->addr, sizeof(c->addr)))
		goto err;
	return fd;
err:
	one = errno;
	close(fd);
	errno = one;
	return -1;
}

/* "read TEXT", with bytes that are not printable as \xNN. */
static void print_read(const unsigned char *buf, size_t n)
{
	size_t i;

	fputs("read ", stdout);
	for (i = 0; i < n; i++) {
		if (buf[i] >= 0x21 && buf[i] < 0x7f && buf[i] != '\\')
			putchar(buf[i]);
		else
			printf("\\x%02x", buf[i]);
	}
	putchar('\n');
}

/* Read exactly @n bytes and print them; false after printing an error or EOF. */
static bool read_exactly(int fd, long n)
{
	unsigned char buf[65536];
	long got = 0;
	ssize_t r;

	while (got < n) {
		r = recv(fd, buf + got, n - got, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			printf("recv-error %s\n", strerrorname_np(errno) ?: "unknown");
			return false;
		}
		if (!r) {
			if (got)
				print_read(buf, got);
			puts("eof");
			return false;
		}
		got += r;
	}
	print_read(buf, got);
	return true;
}

/* Print what arrives until the end of the stream or an error. */
static void read_to_eof(int fd)
{
	unsigned char buf[4096];
	ssize_t r;

	for (;;) {
		r = recv(fd, buf, sizeof(buf), 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			printf("recv-error %s\n", strerrorname_np(errno) ?: "unknown");
			return;
		}
		if (!r) {
			puts("eof");
			return;
		}
		print_read(buf, r);
	}
}

static int cmd_server(const struct peer_cfg *c)
{
	struct sockaddr_in peer;
	socklen_t len = sizeof(peer);
	char addr[INET_ADDRSTRLEN];
	const char *failed;
	int lfd, fd;

	signal(SIGALRM, on_alarm);
	alarm(c->timeout);

	lfd = bound_socket(c, &failed);
	if (lfd < 0)
		fail_call(failed);
	if (listen(lfd, c->backlog))
		fail_call("listen");
	puts("listening");
	if (c->no_accept)
		hold_forever();

	do {
		fd = accept(lfd, (struct sockaddr *)&peer, &len);
	} while (fd < 0 && errno == EINTR);
	if (fd < 0)
		fail_call("accept");
	inet_ntop(AF_INET, &peer.sin_addr, addr, sizeof(addr));
	printf("accepted %s:%u\n", addr, ntohs(peer.sin_port));

	if (!c->read_n || read_exactly(fd, c->read_n)) {
		switch (c->then) {
		case THEN_CLOSE:
			break;
		case THEN_LINGER0: {
			struct linger lg = { .l_onoff = 1, .l_linger = 0 };

			if (setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)))
				fail_call("setsockopt");
			break;
		}
		case THEN_WAIT_EOF:
			read_to_eof(fd);
			break;
		case THEN_HOLD:
			hold_forever();
		}
	}
	if (close(fd))
		fail_call("close");
	puts("closed");

	if (c->hold_listener) {
		puts("done");
		hold_forever();
	}
	close(lfd);
	return 0;
}

static int cmd_bind(const struct peer_cfg *c)
{
	const char *failed;
	int fd;

	fd = bound_socket(c, &failed);
	if (fd < 0) {
		puts(strerrorname_np(errno) ?: "unknown");
		return 0;
	}
	close(fd);
	puts("ok");
	return 0;
}

int main(int argc, char **argv)
{
	struct peer_cfg c;
	const char *cmd;

	if (argc < 2)
		usage();
	cmd = argv[1];
	setvbuf(stdout, NULL, _IOLBF, 0);
	parse_args(argc - 1, argv + 1, &c);
	if (!strcmp(cmd, "server"))
		return cmd_server(&c);
	if (!strcmp(cmd, "bind"))
		return cmd_bind(&c);
	usage();
}
