// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp_connlat.c - connect latency, one connection after another, with an optional
 * echo exchange on each; and the echo server it talks to.
 *
 * usage: xtcp_connlat --family xtcp|tcp --addr A.B.C.D --port P --count N
 *                     [--interval-ms M] [--timeout-ms T] [--bytes B]
 *        xtcp_connlat --server --family xtcp|tcp --addr A.B.C.D --port P [--backlog N]
 *
 * The client opens N connections to A.B.C.D:P in turn, M ms apart (default 0).
 * Each is a non-blocking connect() given T ms (default 3000) to complete; its
 * latency is the CLOCK_MONOTONIC time from connect() to the socket turning
 * writable with SO_ERROR 0. With B > 0 it then writes B bytes and reads B bytes back,
 * checking them, all within another T ms. A connection succeeds when all of it did.
 * It prints one line, percentiles over the successful connections (0 when none):
 *
 *   connects ok=K fail=F p50_us=X p99_us=Y max_us=Z
 *
 * and a summary of the failures on stderr; it exits 0 whatever the outcome.
 *
 * The server listens on A.B.C.D:P (backlog default 128), prints "listening" once it
 * does, and echoes back whatever each connection sends until it is killed (one
 * thread, epoll, non-blocking sockets).
 *
 * 'xtcp' is the family number in /sys/module/xtcp/parameters/family; the addresses
 * are struct sockaddr_in (AF_INET) for both families. Bad arguments exit 2.
 */
#include <arpa/inet.h>
#include <getopt.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>

#include "xtcp_common.h"

#define PROG		"xtcp_connlat"
#define MAX_BYTES	(64 << 20)
#define ECHO_BUF	65536
#define MAX_EVENTS	64
#define MAX_REASONS	16

struct options {
	int server;
	int family;
	struct sockaddr_in addr;
	unsigned long count;
	unsigned long interval_ms;
	unsigned long timeout_ms;
	unsigned long bytes;
	int backlog;
};

static void print_usage(FILE *f)
{
	fprintf(f,
		"usage: " PROG " --family xtcp|tcp --addr A.B.C.D --port P --count N\n"
		"                    [--interval-ms M] [--timeout-ms T] [--bytes B]\n"
		"       " PROG " --server --family xtcp|tcp --addr A.B.C.D --port P\n"
		"                    [--backlog N]\n");
}

static void bad_args(const char *msg, const char *arg)
{
	fprintf(stderr, PROG ": %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
	print_usage(stderr);
	exit(2);
}

static unsigned long parse_ulong(const char *s, unsigned long lo, unsigned long hi,
				 const char *what)
{
	unsigned long v;
	char *end;

	if (*s < '0' || *s > '9')
		bad_args(what, s);
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		bad_args(what, s);
	return v;
}

static void parse_args(int argc, char **argv, struct options *o)
{
	static const struct option opts[] = {
		{ "server", no_argument, NULL, 'S' },
		{ "family", required_argument, NULL, 'f' },
		{ "addr", required_argument, NULL, 'a' },
		{ "port", required_argument, NULL, 'p' },
		{ "count", required_argument, NULL, 'n' },
		{ "interval-ms", required_argument, NULL, 'i' },
		{ "timeout-ms", required_argument, NULL, 't' },
		{ "bytes", required_argument, NULL, 'b' },
		{ "backlog", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int have_addr = 0, have_port = 0, have_count = 0, client_opt = 0, opt;

	memset(o, 0, sizeof(*o));
	o->family = -1;
	o->timeout_ms = 3000;
	o->backlog = 128;
	o->addr.sin_family = AF_INET;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'S':
			o->server = 1;
			break;
		case 'f':
			if (!strcmp(optarg, "xtcp"))
				o->family = xtcp_family();
			else if (!strcmp(optarg, "tcp"))
				o->family = AF_INET;
			else
				bad_args("--family is xtcp or tcp", optarg);
			break;
		case 'a':
			if (inet_pton(AF_INET, optarg, &o->addr.sin_addr) != 1)
				bad_args("--addr: expected an IPv4 address", optarg);
			have_addr = 1;
			break;
		case 'p':
			o->addr.sin_port = htons(parse_ulong(optarg, 1, 65535,
							     "--port: expected 1..65535"));
			have_port = 1;
			break;
		case 'n':
			o->count = parse_ulong(optarg, 1, 10000000,
					       "--count: expected 1..10000000");
			have_count = 1;
			break;
		case 'i':
			o->interval_ms = parse_ulong(optarg, 0, 3600000,
						     "--interval-ms: expected 0..3600000");
			client_opt = 1;
			break;
		case 't':
			o->timeout_ms = parse_ulong(optarg, 1, 3600000,
						    "--timeout-ms: expected 1..3600000");
			client_opt = 1;
			break;
		case 'b':
			o->bytes = parse_ulong(optarg, 0, MAX_BYTES,
					       "--bytes: expected 0..67108864");
			client_opt = 1;
			break;
		case 'l':
			o->backlog = (int)parse_ulong(optarg, 1, INT_MAX,
						      "--backlog: expected >= 1");
			break;
		case 'h':
			print_usage(stdout);
			exit(0);
		default:
			print_usage(stderr);
			exit(2);
		}
	}
	if (optind < argc)
		bad_args("unexpected argument", argv[optind]);
	if (o->family < 0)
		bad_args("--family is required", NULL);
	if (!have_addr)
		bad_args("--addr is required", NULL);
	if (!have_port)
		bad_args("--port is required", NULL);
	if (o->server && (have_count || client_opt))
		bad_args("--count, --interval-ms, --timeout-ms and --bytes are client options",
			 NULL);
	if (!o->server && !have_count)
		bad_args("--count is required", NULL);
}

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Milliseconds left until @deadline (us), rounded up; 0 once it has passed. */
static int ms_left(long long deadline)
{
	long long left = deadline - now_us();

	return left > 0 ? (int)((left + 999) / 1000) : 0;
}

/* Why connections failed: up to MAX_REASONS distinct (stage, errno) pairs. */
struct reason {
	const char *stage;
	int err;
	unsigned long n;
};

static struct reason reasons[MAX_REASONS];
static unsigned long other_reasons;

static void count_failure(const char *stage, int err)
{
	int i;

	for (i = 0; i < MAX_REASONS && reasons[i].stage; i++) {
		if (reasons[i].stage == stage && reasons[i].err == err) {
			reasons[i].n++;
			return;
		}
	}
	if (i == MAX_REASONS) {
		other_reasons++;
		return;
	}
	reasons[i].stage = stage;
	reasons[i].err = err;
	reasons[i].n = 1;
}

static void print_failures(unsigned long fail)
{
	int i;

	if (!fail)
		return;
	fprintf(stderr, PROG ": %lu connection(s) failed:", fail);
	for (i = 0; i < MAX_REASONS && reasons[i].stage; i++)
		fprintf(stderr, " %s: %s x%lu;", reasons[i].stage,
			reasons[i].err ? strerror(reasons[i].err) : "timed out", reasons[i].n);
	if (other_reasons)
		fprintf(stderr, " other x%lu;", other_reasons);
	fprintf(stderr, "\n");
}

static unsigned char pattern(unsigned long conn, unsigned long i)
{
	return (unsigned char)((i * 7 + conn * 13 + (i >> 8)) & 0xff);
}

/*
 * Write @bytes of connection @conn's pattern and read them back, by @deadline (us).
 * 0, or -1 with *stage and *err set (err 0 for a timeout).
 */
static int echo_exchange(int fd, unsigned long conn, unsigned long bytes,
			 long long deadline, const char **stage, int *err)
{
	static unsigned char out[ECHO_BUF], in[ECHO_BUF];
	unsigned long wrote = 0, got = 0, i;
	struct pollfd pfd = { .fd = fd };
	ssize_t n;
	int ret;

	while (got < bytes) {
		pfd.events = POLLIN | (wrote < bytes ? POLLOUT : 0);
		pfd.revents = 0;
		ret = poll(&pfd, 1, ms_left(deadline));
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret < 0) {
			*stage = "poll";
			*err = errno;
			return -1;
		}
		if (!ret) {
			*stage = wrote < bytes ? "echo write" : "echo read";
			*err = 0;
			return -1;
		}
		if (wrote < bytes && (pfd.revents & (POLLOUT | POLLERR | POLLHUP))) {
			size_t len = bytes - wrote < ECHO_BUF ? bytes - wrote : ECHO_BUF;

			for (i = 0; i < len; i++)
				out[i] = pattern(conn, wrote + i);
			n = send(fd, out, len, MSG_NOSIGNAL);
			if (n < 0 && errno != EAGAIN && errno != EINTR) {
				*stage = "echo write";
				*err = errno;
				return -1;
			}
			if (n > 0)
				wrote += n;
		}
		if (pfd.revents & (POLLIN | POLLERR | POLLHUP)) {
			n = recv(fd, in, sizeof(in), 0);
			if (n < 0 && errno != EAGAIN && errno != EINTR) {
				*stage = "echo read";
				*err = errno;
				return -1;
			}
			if (!n) {
				*stage = "echo read (early EOF)";
				*err = 0;
				return -1;
			}
			if (n > 0 && got + n > wrote) {
				*stage = "echo (more back than sent)";
				*err = 0;
				return -1;
			}
			for (i = 0; n > 0 && i < (unsigned long)n; i++) {
				if (in[i] != pattern(conn, got + i)) {
					*stage = "echo (data differs)";
					*err = 0;
					return -1;
				}
			}
			if (n > 0)
				got += n;
		}
	}
	return 0;
}

/* One connection: its connect latency in us, or -1 (the failure counted). */
static long long one_connection(const struct options *o, unsigned long conn)
{
	const char *stage = NULL;
	struct pollfd pfd;
	long long t0, deadline, lat = -1;
	socklen_t len;
	int fd, err = 0, ret;

	fd = socket(o->family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		count_failure("socket", errno);
		return -1;
	}
	t0 = now_us();
	deadline = t0 + (long long)o->timeout_ms * 1000;
	if (connect(fd, (struct sockaddr *)&o->addr, sizeof(o->addr)) && errno != EINPROGRESS) {
		stage = "connect";
		err = errno;
		goto out;
	}
	for (;;) {
		pfd.fd = fd;
		pfd.events = POLLOUT;
		pfd.revents = 0;
		ret = poll(&pfd, 1, ms_left(deadline));
		if (ret < 0 && errno == EINTR)
			continue;
		if (ret < 0) {
			stage = "poll";
			err = errno;
			goto out;
		}
		if (!ret) {
			stage = "connect";
			err = 0;
			goto out;
		}
		break;
	}
	len = sizeof(err);
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len))
		err = errno;
	if (err) {
		stage = "connect";
		goto out;
	}
	lat = now_us() - t0;
	deadline = now_us() + (long long)o->timeout_ms * 1000;
	if (o->bytes && echo_exchange(fd, conn, o->bytes, deadline, &stage, &err))
		lat = -1;
out:
	close(fd);
	if (lat < 0)
		count_failure(stage, err);
	return lat;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

/* The nearest-rank percentile @p (0..100) of @n sorted values. */
static long long percentile(const long long *v, unsigned long n, unsigned int p)
{
	unsigned long rank;

	if (!n)
		return 0;
	rank = (n * p + 99) / 100;
	if (rank < 1)
		rank = 1;
	return v[rank - 1];
}

static int run_client(const struct options *o)
{
	unsigned long i, ok = 0, fail = 0;
	struct timespec gap;
	long long *lat, l;

	lat = calloc(o->count, sizeof(*lat));
	if (!lat) {
		fprintf(stderr, PROG ": out of memory for %lu latencies\n", o->count);
		return 1;
	}
	gap.tv_sec = o->interval_ms / 1000;
	gap.tv_nsec = (o->interval_ms % 1000) * 1000000;
	for (i = 0; i < o->count; i++) {
		if (i && o->interval_ms)
			nanosleep(&gap, NULL);
		l = one_connection(o, i);
		if (l < 0)
			fail++;
		else
			lat[ok++] = l;
	}
	qsort(lat, ok, sizeof(*lat), cmp_ll);
	printf("connects ok=%lu fail=%lu p50_us=%lld p99_us=%lld max_us=%lld\n", ok, fail,
	       percentile(lat, ok, 50), percentile(lat, ok, 99), ok ? lat[ok - 1] : 0);
	fflush(stdout);
	print_failures(fail);
	free(lat);
	return 0;
}

/* An accepted connection: what was read and is not yet written back. */
struct conn {
	int fd;
	int eof;
	size_t len, off;
	unsigned char buf[ECHO_BUF];
};

static void conn_close(int ep, struct conn *c)
{
	epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	free(c);
}

static int conn_watch(int ep, struct conn *c, unsigned int events)
{
	struct epoll_event ev = { .events = events, .data.ptr = c };

	return epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
}

/* Read and echo until the socket would block; -1 when the connection is done. */
static int conn_serve(int ep, struct conn *c)
{
	ssize_t n;

	for (;;) {
		while (c->off < c->len) {
			n = send(c->fd, c->buf + c->off, c->len - c->off, MSG_NOSIGNAL);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0 && errno == EAGAIN)
				return conn_watch(ep, c, EPOLLOUT);
			if (n < 0)
				return -1;
			c->off += n;
		}
		c->off = 0;
		c->len = 0;
		if (c->eof)
			return -1;
		n = recv(c->fd, c->buf, sizeof(c->buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return conn_watch(ep, c, EPOLLIN);
		if (n < 0)
			return -1;
		if (!n)
			c->eof = 1;
		c->len = n;
	}
}

static void accept_all(int ep, int lfd)
{
	struct epoll_event ev;
	struct conn *c;
	int fd;

	for (;;) {
		fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			/* ECONNABORTED, EMFILE...: say so, keep serving. */
			fprintf(stderr, PROG ": accept: %s\n", strerror(errno));
			if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
			    errno == ENOMEM)
				usleep(10000);
			return;
		}
		c = calloc(1, sizeof(*c));
		if (!c) {
			fprintf(stderr, PROG ": out of memory for a connection\n");
			close(fd);
			continue;
		}
		c->fd = fd;
		ev.events = EPOLLIN;
		ev.data.ptr = c;
		if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev)) {
			fprintf(stderr, PROG ": epoll_ctl: %s\n", strerror(errno));
			close(fd);
			free(c);
			continue;
		}
		if (conn_serve(ep, c))
			conn_close(ep, c);
	}
}

static int run_server(const struct options *o)
{
	struct epoll_event ev, events[MAX_EVENTS];
	int lfd, ep, n, i, one = 1;

	signal(SIGPIPE, SIG_IGN);
	lfd = socket(o->family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (lfd < 0) {
		fprintf(stderr, PROG ": socket(family %d, SOCK_STREAM): %s\n", o->family,
			strerror(errno));
		return 1;
	}
	if (setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)))
		fprintf(stderr, PROG ": SO_REUSEADDR: %s (going on)\n", strerror(errno));
	if (bind(lfd, (struct sockaddr *)&o->addr, sizeof(o->addr))) {
		fprintf(stderr, PROG ": bind: %s\n", strerror(errno));
		return 1;
	}
	if (listen(lfd, o->backlog)) {
		fprintf(stderr, PROG ": listen: %s\n", strerror(errno));
		return 1;
	}
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0) {
		fprintf(stderr, PROG ": epoll_create1: %s\n", strerror(errno));
		return 1;
	}
	ev.events = EPOLLIN;
	ev.data.ptr = NULL;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev)) {
		fprintf(stderr, PROG ": epoll_ctl (listener): %s\n", strerror(errno));
		return 1;
	}
	printf("listening\n");
	fflush(stdout);
	for (;;) {
		n = epoll_wait(ep, events, MAX_EVENTS, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, PROG ": epoll_wait: %s\n", strerror(errno));
			return 1;
		}
		for (i = 0; i < n; i++) {
			struct conn *c = events[i].data.ptr;

			if (!c)
				accept_all(ep, lfd);
			else if (conn_serve(ep, c))
				conn_close(ep, c);
		}
	}
}

int main(int argc, char **argv)
{
	struct options o;

	parse_args(argc, argv, &o);
	return o.server ? run_server(&o) : run_client(&o);
}
