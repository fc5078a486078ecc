// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp_xfer.c - bulk transfer both ways over one stream connection, verified byte
 * for byte; the worker of transfer.sh.
 *
 * usage: xtcp_xfer server|client --family tcp|xtcp --addr A.B.C.D --port P
 *                  [--bytes N] [--seed S] [--timeout SECONDS] [--cc NAME]
 *                  [--max-pacing-rate BYTES_PER_SECOND]
 *
 * The server listens on A.B.C.D:P (and prints "listening" once it does), accepts
 * one connection; the client connects to A.B.C.D:P. Then each side, at the same
 * time, sends N bytes of its pseudo-random stream (the server's is seeded with S,
 * the client's with S+1) from one thread, and receives and checks N bytes of the
 * peer's stream in the other; then it shuts down its write side, waits for the
 * peer's EOF and closes. Each prints one result line:
 *
 *   ok bytes_sent=N bytes_received=N seconds=T first_bad_offset=-1 pacing_rate=R
 *      max_pacing_rate=M
 *   FAIL bytes_sent=... bytes_received=... seconds=... first_bad_offset=O error="..."
 *
 * and exits 0 or 1. --timeout (default 300 s) ends a hung run with a FAIL line.
 * --cc chooses the congestion controller (TCP_CONGESTION; the server's, on its
 * listener, passes to the connection); --max-pacing-rate sets SO_MAX_PACING_RATE
 * the same way. An ok line ends with TCP_INFO's tcpi_pacing_rate and
 * tcpi_max_pacing_rate at the end of the transfer (bytes per second; ~0, that
 * is 18446744073709551615, for none).
 * 'xtcp' is the family number in /sys/module/xtcp/parameters/family; the addresses
 * are struct sockaddr_in (AF_INET) for both families.
 */
#include <arpa/inet.h>
#include <endian.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

#include "xtcp_common.h"

#define CHUNK	(256 * 1024)

/* A deterministic byte stream: xorshift64 words, each stored little-endian. */
struct stream {
	uint64_t state;
	uint64_t word;		/* what is left of the current word, low byte next */
	unsigned int left;	/* bytes left in word */
};

static void stream_init(struct stream *s, uint64_t seed)
{
	/* splitmix64 of the seed: nearby seeds give unrelated streams, never 0. */
	uint64_t z = seed + 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	s->state = z ? z : 0x2545f4914f6cdd1dULL;
	s->word = 0;
	s->left = 0;
}

static uint64_t stream_next(struct stream *s)
{
	uint64_t x = s->state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	s->state = x;
	return x;
}

/* The stream's next len bytes. */
static void stream_fill(struct stream *s, unsigned char *buf, size_t len)
{
	uint64_t w;

	while (len && s->left) {
		*buf++ = (unsigned char)s->word;
		s->word >>= 8;
		s->left--;
		len--;
	}
	while (len >= 8) {
		w = htole64(stream_next(s));
		memcpy(buf, &w, 8);
		buf += 8;
		len -= 8;
	}
	if (len) {
		s->word = stream_next(s);
		s->left = 8;
		while (len--) {
			*buf++ = (unsigned char)s->word;
			s->word >>= 8;
			s->left--;
		}
	}
}

struct xfer {
	int fd;
	uint64_t bytes;
	uint64_t seed_out, seed_in;
	/* Progress, also read by the SIGALRM handler. */
	uint64_t sent, received;
	/* The sender's outcome: 0, or the errno and the call that failed. */
	int send_err;
	const char *send_what;
};

static struct xfer xf;
static unsigned int timeout_s = 300;
/* The kernel's struct tcp_info, past what glibc's declares, up to the pacing rates. */
static struct {
	struct tcp_info base;
	uint64_t pacing_rate, max_pacing_rate;
} info_end;			/* TCP_INFO before close(), for the ok line */
static struct timespec t_start;
static bool started;

static double elapsed(void)
{
	struct timespec now;

	if (!started)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t_start.tv_sec) +
	       (double)(now.tv_nsec - t_start.tv_nsec) / 1e9;
}

static void result(bool ok, long long bad, const char *what, int err)
{
	uint64_t sent = __atomic_load_n(&xf.sent, __ATOMIC_RELAXED);
	uint64_t received = __atomic_load_n(&xf.received, __ATOMIC_RELAXED);

	printf("%s bytes_sent=%" PRIu64 " bytes_received=%" PRIu64
	       " seconds=%.3f first_bad_offset=%lld",
	       ok ? "ok" : "FAIL", sent, received, elapsed(), bad);
	if (ok)
		printf(" pacing_rate=%llu max_pacing_rate=%llu",
		       (unsigned long long)info_end.pacing_rate,
		       (unsigned long long)info_end.max_pacing_rate);
	if (!ok) {
		if (err)
			printf(" error=\"%s: %s\"", what, strerror(err));
		else
			printf(" error=\"%s\"", what);
	}
	printf("\n");
	fflush(stdout);
}

static void fail(long long bad, const char *what, int err)
{
	result(false, bad, what, err);
	exit(1);
}

/* Async-signal-safe: a decimal number into buf, returns its end. */
static char *put_u64(char *buf, uint64_t v)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*buf++ = tmp[--n];
	return buf;
}

static char *put_str(char *buf, const char *s)
{
	while (*s)
		*buf++ = *s++;
	return buf;
}

static void on_alarm(int sig)
{
	char msg[256], *p = msg;

	p = put_str(p, "FAIL bytes_sent=");
	p = put_u64(p, __atomic_load_n(&xf.sent, __ATOMIC_RELAXED));
	p = put_str(p, " bytes_received=");
	p = put_u64(p, __atomic_load_n(&xf.received, __ATOMIC_RELAXED));
	p = put_str(p, " seconds=");
	p = put_u64(p, timeout_s);
	p = put_str(p, " first_bad_offset=-1 error=\"timed out after ");
	p = put_u64(p, timeout_s);
	p = put_str(p, " s\"\n");
	if (write(STDOUT_FILENO, msg, p - msg) < 0)
		_exit(1);
	_exit(1);
}

/* Write all of buf; 0, or -1 with errno. */
static int write_all(int fd, const unsigned char *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, buf, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= n;
		__atomic_fetch_add(&xf.sent, (uint64_t)n, __ATOMIC_RELAXED);
	}
	return 0;
}

static void *sender(void *arg)
{
	unsigned char *buf = malloc(CHUNK);
	struct stream s;
	uint64_t left = xf.bytes;
	size_t n;

	if (!buf) {
		xf.send_err = ENOMEM;
		xf.send_what = "malloc";
		return NULL;
	}
	stream_init(&s, xf.seed_out);
	while (left) {
		n = left < CHUNK ? left : CHUNK;
		stream_fill(&s, buf, n);
		if (write_all(xf.fd, buf, n)) {
			xf.send_err = errno;
			xf.send_what = "write";
			goto out;
		}
		left -= n;
	}
	if (shutdown(xf.fd, SHUT_WR)) {
		xf.send_err = errno;
		xf.send_what = "shutdown";
	}
out:
	free(buf);
	return NULL;
}

/* Receive and check the peer's xf.bytes, then its EOF; exits on any failure. */
static void receiver(void)
{
	unsigned char *buf = malloc(CHUNK), *want = malloc(CHUNK);
	uint64_t got = 0;
	struct stream s;
	size_t i, room;
	ssize_t n;

	if (!buf || !want)
		fail(-1, "malloc", ENOMEM);
	stream_init(&s, xf.seed_in);
	for (;;) {
		/* One byte past the end too: the peer must close there, not send more. */
		room = xf.bytes - got < CHUNK ? xf.bytes - got : CHUNK;
		n = read(xf.fd, buf, room ? room : 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fail(-1, "read", errno);
		}
		if (!n)
			break;
		if (!room)
			fail((long long)got, "more data than expected after the last byte", 0);
		stream_fill(&s, want, n);
		if (memcmp(buf, want, n)) {
			for (i = 0; buf[i] == want[i]; i++)
				;
			fail((long long)(got + i), "received data differ from the peer's", 0);
		}
		got += n;
		__atomic_store_n(&xf.received, got, __ATOMIC_RELAXED);
	}
	if (got < xf.bytes)
		fail((long long)got, "EOF before all the data", 0);
	free(buf);
	free(want);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: xtcp_xfer server|client --family tcp|xtcp --addr A.B.C.D --port P\n"
		"                 [--bytes N] [--seed S] [--timeout SECONDS] [--ip-nops N]\n"
		"                 [--cc NAME] [--max-pacing-rate BYTES_PER_SECOND]\n"
		"  --ip-nops N  client: IP_OPTIONS of N NOP bytes (a multiple of 4, at most 40)\n"
		"               in every IP header\n");
	exit(2);
}

static uint64_t parse_u64(const char *s, const char *what)
{
	unsigned long long v;
	unsigned int shift = 0;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *s == '-')
		goto bad;
	if (*end == 'K')
		shift = 10;
	else if (*end == 'M')
		shift = 20;
	else if (*end == 'G')
		shift = 30;
	if (shift)
		end++;
	if (*end || v > (ULLONG_MAX >> shift))
		goto bad;
	return v << shift;
bad:
	fprintf(stderr, "xtcp_xfer: bad %s '%s'\n", what, s);
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "family", required_argument, NULL, 'f' },
		{ "addr", required_argument, NULL, 'a' },
		{ "port", required_argument, NULL, 'p' },
		{ "bytes", required_argument, NULL, 'b' },
		{ "seed", required_argument, NULL, 's' },
		{ "timeout", required_argument, NULL, 't' },
		{ "ip-nops", required_argument, NULL, 'o' },
		{ "cc", required_argument, NULL, 'c' },
		{ "max-pacing-rate", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long max_pacing_rate = 0;
	socklen_t info_len = sizeof(info_end);
	const char *family = NULL, *addr = NULL, *role, *cc = NULL;
	struct sockaddr_in sin = { .sin_family = AF_INET };
	uint64_t bytes = 16 << 20, seed = 1, port = 0, ip_nops = 0;
	struct sigaction sa = { .sa_handler = on_alarm };
	bool server;
	pthread_t thread;
	int fam, fd, c, one = 1, err;

	if (argc < 2)
		usage();
	role = argv[1];
	if (!strcmp(role, "server"))
		server = true;
	else if (!strcmp(role, "client"))
		server = false;
	else
		usage();
	while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			family = optarg;
			break;
		case 'a':
			addr = optarg;
			break;
		case 'p':
			port = parse_u64(optarg, "port");
			break;
		case 'b':
			bytes = parse_u64(optarg, "byte count");
			break;
		case 's':
			seed = parse_u64(optarg, "seed");
			break;
		case 't':
			timeout_s = (unsigned int)parse_u64(optarg, "timeout");
			break;
		case 'c':
			cc = optarg;
			break;
		case 'r':
			max_pacing_rate = parse_u64(optarg, "pacing rate");
			if (!max_pacing_rate)
				usage();
			break;
		case 'o':
			ip_nops = parse_u64(optarg, "IP option length");
			if (ip_nops % 4 || ip_nops > 40)
				usage();
			break;
		default:
			usage();
		}
	}
	if (optind != argc - 1 || !family || !addr || !port || port > 65535)
		usage();
	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1) {
		fprintf(stderr, "xtcp_xfer: bad IPv4 address '%s'\n", addr);
		exit(2);
	}
	sin.sin_port = htons((uint16_t)port);

	if (!strcmp(family, "tcp")) {
		fam = AF_INET;
	} else if (!strcmp(family, "xtcp")) {
		if (access(XTCP_FAMILY_PARAM, R_OK)) {
			fprintf(stderr, "xtcp_xfer: the xtcp module is not loaded (no %s)\n",
				XTCP_FAMILY_PARAM);
			exit(1);
		}
		fam = xtcp_family();
	} else {
		usage();
	}

	/* Failed calls report EPIPE, not a silent death; the alarm ends a hang. */
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	if (timeout_s)
		alarm(timeout_s);

	xf.bytes = bytes;
	xf.seed_out = server ? seed : seed + 1;
	xf.seed_in = server ? seed + 1 : seed;

	fd = socket(fam, SOCK_STREAM, 0);
	if (fd < 0)
		fail(-1, "socket", errno);
	if (cc && setsockopt(fd, SOL_TCP, TCP_CONGESTION, cc, strlen(cc)))
		fail(-1, "setsockopt(TCP_CONGESTION)", errno);
	if (max_pacing_rate && setsockopt(fd, SOL_SOCKET, SO_MAX_PACING_RATE, &max_pacing_rate,
					  sizeof(max_pacing_rate)))
		fail(-1, "setsockopt(SO_MAX_PACING_RATE)", errno);
	if (server) {
		int lfd = fd;

		/* Best effort: a family without SO_REUSEADDR still gets its fresh port. */
		setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(lfd, (struct sockaddr *)&sin, sizeof(sin)))
			fail(-1, "bind", errno);
		if (listen(lfd, 1))
			fail(-1, "listen", errno);
		printf("listening\n");
		fflush(stdout);
		do
			fd = accept(lfd, NULL, NULL);
		while (fd < 0 && errno == EINTR);
		if (fd < 0)
			fail(-1, "accept", errno);
		clock_gettime(CLOCK_MONOTONIC, &t_start);
		started = true;
		close(lfd);
	} else {
		clock_gettime(CLOCK_MONOTONIC, &t_start);
		started = true;
		if (ip_nops) {
			unsigned char nops[40];

			memset(nops, 1, sizeof(nops));	/* IPOPT_NOOP */
			if (setsockopt(fd, IPPROTO_IP, IP_OPTIONS, nops, ip_nops))
				fail(-1, "setsockopt(IP_OPTIONS)", errno);
		}
		/* A signal during connect leaves it going on: EINTR is a failure here. */
		if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)))
			fail(-1, "connect", errno);
	}

	xf.fd = fd;
	err = pthread_create(&thread, NULL, sender, NULL);
	if (err)
		fail(-1, "pthread_create", err);
	receiver();
	pthread_join(thread, NULL);
	if (xf.send_err)
		fail(-1, xf.send_what, xf.send_err);
	if (getsockopt(fd, SOL_TCP, TCP_INFO, &info_end, &info_len))
		fail(-1, "getsockopt(TCP_INFO)", errno);
	if (close(fd))
		fail(-1, "close", errno);
	result(true, -1, NULL, 0);
	return 0;
}
