// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp_peer.c - the application end of XTCP's packet-level scenario tests: a
 * server and a client whose every step is printed, and a bind() probe.
 *
 *   xtcp_peer server --family xtcp|tcp --addr A --port P [--reuse] [--backlog N]
 *                    [--no-accept] [CONNECTION OPTIONS] [--hold-listener] [--timeout S]
 *   xtcp_peer client --family xtcp|tcp --addr A --port P [--local A:P]
 *                    [CONNECTION OPTIONS] [--timeout S]
 *   xtcp_peer bind   --family xtcp|tcp --addr A --port P [--reuse]
 *
 * CONNECTION OPTIONS: [--keepalive IDLE:INTVL:CNT] [--syncnt N] [--user-timeout MS]
 *                     [--linger2 S] [--cc NAME] [--info] [--read N] [--send TEXT]
 *                     [--then close|linger0|wait-eof|hold|half-close|send-eof|
 *                             stall-read]
 *
 * server listens (SO_REUSEADDR with --reuse) and prints "listening"; with
 * --no-accept it keeps the listener and never accepts, until killed. Otherwise it
 * accepts one connection ("accepted A:P"). client binds to --local if given,
 * connects to A:P and prints "connected" (or "connect-error ERRNO_NAME" and exits
 * with 1). On the connection, --keepalive sets SO_KEEPALIVE and TCP_KEEPIDLE,
 * TCP_KEEPINTVL, TCP_KEEPCNT; --syncnt, --user-timeout and --linger2 set
 * TCP_SYNCNT, TCP_USER_TIMEOUT and TCP_LINGER2, --cc TCP_CONGESTION (a server
 * sets them on its listener: the connection inherits them, as on TCP). With
 * --info, the connection's controller and window are printed before its
 * close() ("info cc=NAME cwnd=N ssthresh=N options=N", from TCP_CONGESTION and TCP_INFO).
 * Then the app reads N bytes if asked ("read TEXT", non-printable bytes as
 * \xNN), then:
 *   close     close() the connection ("closed")
 *   linger0   SO_LINGER {1, 0}, then close(): a RST ("closed")
 *   wait-eof  print every read ("read TEXT") until the end of the stream ("eof"),
 *             then close() ("closed")
 *   hold      keep the connection until killed
 *   half-close  print every read until the end of the stream ("eof"), wait for
 *             SIGUSR1, send --send's TEXT ("sent N"), wait for SIGUSR1 again, then
 *             close() ("closed")
 *   send-eof  send --send's TEXT ("sent N"), then print every read until the end
 *             of the stream or an error, then close() ("closed")
 *   stall-read  shut down sending ("shut"), then read into a page that
 *             userfaultfd holds: the kernel's copy of the first byte waits in
 *             the fault with the socket locked ("stalled"), so that what arrives
 *             meanwhile goes to the socket's backlog. SIGUSR1 fills the page
 *             ("resumed"): the read ends, the backlog runs at release_sock();
 *             then as wait-eof
 * A failed read prints "recv-error ERRNO_NAME" (e.g. ECONNRESET) and ends the
 * reading; the connection is then closed. With --hold-listener the listener is
 * kept after that ("done") until the process is killed; otherwise the listener is
 * closed and the exit status is 0 (a client exits 0 after "closed"). After
 * --timeout seconds (default 60) the app prints "timeout" and exits with 1. A
 * failing socket call prints "CALL-error ERRNO_NAME" and exits with 1.
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
#include <netinet/tcp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "xtcp_common.h"

enum then_action {
	THEN_CLOSE,
	THEN_LINGER0,
	THEN_WAIT_EOF,
	THEN_HOLD,
	THEN_HALF_CLOSE,
	THEN_SEND_EOF,
	THEN_STALL_READ,
};

struct peer_cfg {
	int family;
	struct sockaddr_in addr, local;
	bool have_addr, have_port, have_local, reuse, no_accept, hold_listener;
	int backlog;
	int ka_idle, ka_intvl, ka_cnt;	/* ka_idle 0: no SO_KEEPALIVE */
	int syncnt, user_timeout, linger2;
	bool have_syncnt, have_user_timeout, have_linger2, info;
	const char *send_text, *cc;
	long read_n;
	enum then_action then;
	unsigned int timeout;
};

static void __attribute__((noreturn)) usage(void)
{
	fputs("usage: xtcp_peer server --family xtcp|tcp --addr A --port P [--reuse]\n"
	      "                        [--backlog N] [--no-accept] [CONNECTION OPTIONS]\n"
	      "                        [--hold-listener] [--timeout S]\n"
	      "       xtcp_peer client --family xtcp|tcp --addr A --port P [--local A:P]\n"
	      "                        [CONNECTION OPTIONS] [--timeout S]\n"
	      "       xtcp_peer bind   --family xtcp|tcp --addr A --port P [--reuse]\n"
	      "CONNECTION OPTIONS: [--keepalive IDLE:INTVL:CNT] [--syncnt N]\n"
	      "                    [--user-timeout MS] [--linger2 S] [--cc NAME] [--info]\n"
	      "                    [--read N] [--send TEXT]\n"
	      "                    [--then close|linger0|wait-eof|hold|half-close|send-eof|\n"
	      "                            stall-read]\n",
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

static volatile sig_atomic_t got_usr1;

static void on_usr1(int sig)
{
	got_usr1 = 1;
}

/* Wait for SIGUSR1 (blocked outside of this wait, so none is missed). */
static void wait_usr1(void)
{
	sigset_t none;

	sigemptyset(&none);
	while (!got_usr1)
		sigsuspend(&none);
	got_usr1 = 0;
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
		{ "local",		required_argument,	NULL, 'l' },
		{ "keepalive",		required_argument,	NULL, 'k' },
		{ "send",		required_argument,	NULL, 's' },
		{ "syncnt",		required_argument,	NULL, 'y' },
		{ "user-timeout",	required_argument,	NULL, 'u' },
		{ "linger2",		required_argument,	NULL, 'L' },
		{ "cc",			required_argument,	NULL, 'C' },
		{ "info",		no_argument,		NULL, 'I' },
		{ NULL,			0,			NULL, 0 },
	};
	char *colon;
	int opt;

	memset(c, 0, sizeof(*c));
	c->family = -1;
	c->addr.sin_family = AF_INET;
	c->local.sin_family = AF_INET;
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
			else if (!strcmp(optarg, "half-close"))
				c->then = THEN_HALF_CLOSE;
			else if (!strcmp(optarg, "stall-read"))
				c->then = THEN_STALL_READ;
			else if (!strcmp(optarg, "send-eof"))
				c->then = THEN_SEND_EOF;
			else
				usage();
			break;
		case 'H':
			c->hold_listener = true;
			break;
		case 'T':
			c->timeout = parse_num(optarg, 1, 86400);
			break;
		case 'l':
			colon = strchr(optarg, ':');
			if (!colon)
				usage();
			*colon = '\0';
			if (inet_pton(AF_INET, optarg, &c->local.sin_addr) != 1)
				usage();
			c->local.sin_port = htons(parse_num(colon + 1, 0, 65535));
			c->have_local = true;
			break;
		case 'k':
			if (sscanf(optarg, "%d:%d:%d",
				   &c->ka_idle, &c->ka_intvl, &c->ka_cnt) != 3 ||
			    c->ka_idle < 1 || c->ka_intvl < 1 || c->ka_cnt < 1)
				usage();
			break;
		case 's':
			c->send_text = optarg;
			break;
		case 'y':
			c->syncnt = parse_num(optarg, -1000, 1000);
			c->have_syncnt = true;
			break;
		case 'u':
			c->user_timeout = parse_num(optarg, -1000, 86400000);
			c->have_user_timeout = true;
			break;
		case 'L':
			c->linger2 = parse_num(optarg, -1000, 86400);
			c->have_linger2 = true;
			break;
		case 'C':
			c->cc = optarg;
			break;
		case 'I':
			c->info = true;
			break;
		default:
			usage();
		}
	}
	if (optind != argc || c->family < 0 || !c->have_addr || !c->have_port)
		usage();
	if ((c->then == THEN_HALF_CLOSE || c->then == THEN_SEND_EOF) && !c->send_text)
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

/* SO_KEEPALIVE and its three TCP options, if asked; exits on failure. */
static void set_keepalive(const struct peer_cfg *c, int fd)
{
	int one = 1;

	if (!c->ka_idle)
		return;
	if (setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_TCP, TCP_KEEPIDLE, &c->ka_idle, sizeof(c->ka_idle)) ||
	    setsockopt(fd, SOL_TCP, TCP_KEEPINTVL, &c->ka_intvl, sizeof(c->ka_intvl)) ||
	    setsockopt(fd, SOL_TCP, TCP_KEEPCNT, &c->ka_cnt, sizeof(c->ka_cnt)))
		fail_call("setsockopt");
}

/* TCP_SYNCNT, TCP_USER_TIMEOUT and TCP_LINGER2, if asked; exits on failure. */
static void set_tcp_options(const struct peer_cfg *c, int fd)
{
	if ((c->have_syncnt &&
	     setsockopt(fd, SOL_TCP, TCP_SYNCNT, &c->syncnt, sizeof(c->syncnt))) ||
	    (c->have_user_timeout &&
	     setsockopt(fd, SOL_TCP, TCP_USER_TIMEOUT, &c->user_timeout,
			sizeof(c->user_timeout))) ||
	    (c->have_linger2 &&
	     setsockopt(fd, SOL_TCP, TCP_LINGER2, &c->linger2, sizeof(c->linger2))) ||
	    (c->cc && setsockopt(fd, SOL_TCP, TCP_CONGESTION, c->cc, strlen(c->cc))))
		fail_call("setsockopt");
}

/*
 * "info cc=NAME cwnd=N ssthresh=N options=N": the connection's controller and
 * window, and TCP_INFO's tcpi_options (TCPI_OPT_ECN 8, TCPI_OPT_ECN_SEEN 16...).
 */
static void print_info(int fd)
{
	char name[17] = "";
	struct tcp_info ti;
	socklen_t len = 16;

	if (getsockopt(fd, SOL_TCP, TCP_CONGESTION, name, &len))
		fail_call("getsockopt");
	len = sizeof(ti);
	if (getsockopt(fd, SOL_TCP, TCP_INFO, &ti, &len))
		fail_call("getsockopt");
	printf("info cc=%s cwnd=%u ssthresh=%u options=%u\n", name, ti.tcpi_snd_cwnd,
	       ti.tcpi_snd_ssthresh, ti.tcpi_options);
}

/* Send all of @text; "sent N", or "send-error ERRNO_NAME". */
static void send_all(int fd, const char *text)
{
	size_t len = strlen(text), done = 0;
	ssize_t r;

	while (done < len) {
		r = send(fd, text + done, len - done, MSG_NOSIGNAL);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			printf("send-error %s\n", strerrorname_np(errno) ?: "unknown");
			return;
		}
		done += r;
	}
	printf("sent %zu\n", len);
}

static int uffd = -1;
static char *uffd_page;

/* The fault handler: "stalled" at the fault, the page filled at SIGUSR1. */
static void *uffd_handler(void *arg)
{
	static char fill[65536];
	struct pollfd p = { .fd = uffd, .events = POLLIN };
	struct uffdio_copy copy = {
		.dst = (unsigned long)uffd_page, .src = (unsigned long)fill,
		.len = (unsigned long)sysconf(_SC_PAGESIZE),
	};
	struct uffd_msg msg;

	if (poll(&p, 1, -1) != 1 || read(uffd, &msg, sizeof(msg)) != sizeof(msg) ||
	    msg.event != UFFD_EVENT_PAGEFAULT)
		fail_call("userfaultfd");
	puts("stalled");
	wait_usr1();
	if (ioctl(uffd, UFFDIO_COPY, &copy))
		fail_call("UFFDIO_COPY");
	puts("resumed");
	return arg;
}

/* One read into a page userfaultfd holds until SIGUSR1 (--then stall-read). */
static void stall_read(int fd)
{
	long page = sysconf(_SC_PAGESIZE);
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	pthread_t t;
	ssize_t r;

	uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC);
	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api))
		fail_call("userfaultfd");
	uffd_page = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (uffd_page == MAP_FAILED)
		fail_call("mmap");
	reg.range.start = (unsigned long)uffd_page;
	reg.range.len = page;
	if (ioctl(uffd, UFFDIO_REGISTER, &reg))
		fail_call("UFFDIO_REGISTER");
	if (pthread_create(&t, NULL, uffd_handler, NULL))
		fail_call("pthread_create");
	do {
		r = recv(fd, uffd_page, 1, 0);
	} while (r < 0 && errno == EINTR);
	pthread_join(t, NULL);
	if (r < 0) {
		printf("recv-error %s\n", strerrorname_np(errno) ?: "unknown");
		return;
	}
	print_read((const unsigned char *)uffd_page, r);
}

/* The steps on an accepted or connected socket, up to its close() ("closed"). */
static void run_connection(const struct peer_cfg *c, int fd)
{
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
		case THEN_HALF_CLOSE:
			read_to_eof(fd);
			wait_usr1();
			send_all(fd, c->send_text);
			wait_usr1();
			break;
		case THEN_SEND_EOF:
			send_all(fd, c->send_text);
			read_to_eof(fd);
			break;
		case THEN_STALL_READ:
			if (shutdown(fd, SHUT_WR))
				fail_call("shutdown");
			puts("shut");
			stall_read(fd);
			read_to_eof(fd);
			break;
		}
	}
	if (c->info)
		print_info(fd);
	if (close(fd))
		fail_call("close");
	puts("closed");
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
	set_tcp_options(c, lfd);
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
	set_keepalive(c, fd);

	run_connection(c, fd);

	if (c->hold_listener) {
		puts("done");
		hold_forever();
	}
	close(lfd);
	return 0;
}

static int cmd_client(const struct peer_cfg *c)
{
	int fd, one = 1;

	signal(SIGALRM, on_alarm);
	alarm(c->timeout);

	fd = socket(c->family, SOCK_STREAM, 0);
	if (fd < 0)
		fail_call("socket");
	if (c->have_local) {
		if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)))
			fail_call("setsockopt");
		if (bind(fd, (const struct sockaddr *)&c->local, sizeof(c->local)))
			fail_call("bind");
	}
	set_keepalive(c, fd);
	set_tcp_options(c, fd);
	if (connect(fd, (const struct sockaddr *)&c->addr, sizeof(c->addr)))
		fail_call("connect");
	puts("connected");
	run_connection(c, fd);
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
	sigset_t usr1;

	if (argc < 2)
		usage();
	cmd = argv[1];
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* SIGUSR1 is blocked but in wait_usr1(): none is missed, none interrupts. */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	signal(SIGUSR1, on_usr1);
	parse_args(argc - 1, argv + 1, &c);
	if (!strcmp(cmd, "server"))
		return cmd_server(&c);
	if (!strcmp(cmd, "client"))
		return cmd_client(&c);
	if (!strcmp(cmd, "bind"))
		return cmd_bind(&c);
	usage();
}
