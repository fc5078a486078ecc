// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp_pkt.c - inject crafted TCP segments and capture them, for XTCP's selftests and demo.
 *
 *   xtcp_pkt send    --src A:P --dst A:P --flags FLAGS [segment options]
 *   xtcp_pkt capture --if IFNAME [--port P] [--count N] [--timeout MS] [--relative]
 *   xtcp_pkt expect  --if IFNAME --src A:P --dst A:P (--flags FLAGS [...] | --no-send)
 *
 * send builds one IPv4 + TCP segment (the TCP checksum right unless --bad-csum) and sends
 * it through a raw IP_HDRINCL socket. capture prints one line per segment seen on an
 * interface; expect sends a segment and prints the first one coming back on its 4-tuple.
 * Every line has the fields
 *
 *   t=SECONDS.MICROS src=A.B.C.D:P dst=A.B.C.D:P flags=SA seq=N ack=N win=N len=N opts=...
 *
 * in that order; `xtcp_pkt --help` has the details (the usage text is below). Exit status:
 * 0 success, 1 runtime failure (no or too few segments before the timeout, a socket error),
 * 2 bad usage.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static const char usage_text[] =
"usage: xtcp_pkt send    --src ADDR:PORT --dst ADDR:PORT --flags FLAGS [SEGMENT OPTIONS]\n"
"       xtcp_pkt capture --if IFNAME [--port P] [--count N] [--timeout MS] [--proto 6|253]\n"
"                        [--relative]\n"
"       xtcp_pkt expect  --if IFNAME --src ADDR:PORT --dst ADDR:PORT --flags FLAGS\n"
"                        [SEGMENT OPTIONS] [--count N] [--timeout MS] [--ack-after MS]\n"
"       xtcp_pkt expect  --if IFNAME --src ADDR:PORT --dst ADDR:PORT --no-send\n"
"                        [--count N] [--timeout MS] [--proto 6|253]\n"
"\n"
"send     sends one IPv4 + TCP segment through a raw socket (IP_HDRINCL).\n"
"capture  prints the segments seen on IFNAME, until N of them or MS milliseconds (or\n"
"         SIGINT/SIGTERM). It writes \"ready\" to stderr once it is capturing: nothing sent\n"
"         after that is missed.\n"
"expect   starts capturing on IFNAME, sends the segment SRC -> DST, then prints the first\n"
"         N (default 1) segments DST -> SRC. With --no-send it sends nothing (and writes\n"
"         \"ready\" to stderr once capturing).\n"
"\n"
"segment options (send, expect):\n"
"  --src ADDR:PORT    source; address 0.0.0.0 takes the one routing picks for DST\n"
"  --dst ADDR:PORT    destination\n"
"  --flags FLAGS      letters of SAFRPUEW (SYN ACK FIN RST PSH URG ECE CWR), or none or .\n"
"  --seq N, --ack N   sequence and acknowledgment numbers, 0-4294967295 (default 0)\n"
"  --win N            window field, 0-65535 (default 65535)\n"
"  --urg N            urgent pointer, 0-65535 (default 0)\n"
"  --mss N            add an MSS option (0-65535)\n"
"  --sackok           add a SACK-permitted option\n"
"  --ts VAL:ECR       add a timestamps option\n"
"  --ws N             add a window scale option (shift count 0-255)\n"
"  --raw-opt HEX      option bytes appended after the ones above, e.g. 020405b4, or a\n"
"                     malformed 0205; all options are padded to 4 bytes with EOL (0),\n"
"                     40 bytes at most\n"
"  --doff WORDS       data offset field, 0-15 (default: the real header length)\n"
"  --data STRING      payload; or --len N: N bytes of 'x' (default: no payload)\n"
"  --proto 6|253      IP protocol (default 6; 253 is XTCP's isolated mode)\n"
"  --csum-proto N     protocol in the checksum's pseudo-header (default 6, whatever --proto\n"
"                     is: XTCP's segments are TCP's, whichever IP protocol carries them)\n"
"  --bad-csum         send a wrong TCP checksum\n"
"  --tos N            the IP header's TOS byte, 0-255 (default 0): its low two bits are\n"
"                     the ECN field (1 ECT(1), 2 ECT(0), 3 CE)\n"
"  --repeat N         send only: N segments (default 1), one after the other\n"
"  --seq-step N       send only: add N to the sequence number after each (default 0)\n"
"\n"
"capture options (capture, expect):\n"
"  --if IFNAME        interface to capture on\n"
"  --proto 6|253      IP protocol of the segments (default 6)\n"
"  --port P           capture only: segments from or to port P (default any)\n"
"  --count N          stop after N segments (capture: no limit; expect: 1)\n"
"  --timeout MS       stop after MS milliseconds (capture: none; expect: 5000)\n"
"  --relative         capture only: seq and ack relative to the ISN of their direction\n"
"  --csum             capture only: end each line with csum=ok|bad (the TCP checksum\n"
"                     over the pseudo-header of protocol 6), csum=partial (left to a\n"
"                     device or GSO still: not summed yet) or csum=cut (captured in part)\n"
"  --ecn              end each line with ecn=not|ect1|ect0|ce: the IP header's ECN field\n"
"                     (after csum= if both)\n"
"  --no-send          expect only: send nothing, wait for segments DST -> SRC\n"
"  --ack-after MS     expect only, with a SYN: when the first answer is a SYN-ACK\n"
"                     acknowledging it, complete the handshake MS milliseconds after it\n"
"                     came: an ACK with --seq + 1, its ISN + 1, --win and, if both carry\n"
"                     timestamps, TSval --ts's VAL + 1 echoing its TSval. One process:\n"
"                     the delay is MS, whatever starting a second one costs\n"
"\n"
"Output, one line per segment (stdout, line-buffered):\n"
"  t=SECONDS.MICROS src=A.B.C.D:P dst=A.B.C.D:P flags=F seq=N ack=N win=N len=N opts=O\n"
"  t    time since the capture started\n"
"  flags  the set ones of S A F R P U E W in that order, . if none\n"
"  win  the raw window field (not scaled); len  the payload length in bytes\n"
"  opts comma-separated: mss:N ws:N sackok ts:VAL:ECR sack:L-R[:L-R...] opt:KIND[:HEX]\n"
"       (unknown kind), bad:KIND:LEN (known kind, wrong length), bad:KIND[:LEN] (length\n"
"       missing, below 2 or past the header: the last one), baddoff:N (data offset below 5\n"
"       or past the packet); NOP and EOL are not shown; - if none\n"
"  --relative: a SYN sets the ISN of its direction (a SYN-ACK also the other one's if\n"
"  unknown); otherwise the first number seen of a direction is its base. ack is relative\n"
"  when the ACK flag is set, as are SACK blocks.\n"
"On a loopback interface each segment is printed once (its outgoing copy).\n"
"\n"
"Exit status: 0 success; 1 runtime failure: fewer than --count segments (capture without\n"
"--count: none) before the timeout or a signal, socket errors; 2 bad usage.\n";

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define __printf(a, b)		__attribute__((format(printf, a, b)))
#define __noreturn		__attribute__((noreturn))

#define EXIT_USAGE		2

#define IP_HDR_LEN		20
#define TCP_HDR_LEN		20
#define TCP_MAX_OPT_LEN		40
#define IP_MAX_LEN		65535

/* Bytes of each captured packet that are kept: the largest IP and TCP headers fit. */
#define SNAPLEN			256
/* Room for the capture queue, so that a burst (or 64 KB GSO packets on lo) is not lost. */
#define CAPTURE_RCVBUF		(32 << 20)
#define EXPECT_TIMEOUT_MS	5000
#define MAX_CONNS		1024

#define IPPROTO_XTCP_ISOLATED	253

#define TCPF_FIN		0x01
#define TCPF_SYN		0x02
#define TCPF_RST		0x04
#define TCPF_PSH		0x08
#define TCPF_ACK		0x10
#define TCPF_URG		0x20
#define TCPF_ECE		0x40
#define TCPF_CWR		0x80

#define TCPOPT_EOL		0
#define TCPOPT_NOP		1
#define TCPOPT_MSS		2
#define TCPOPT_WS		3
#define TCPOPT_SACKOK		4
#define TCPOPT_SACK		5
#define TCPOPT_TS		8

/* The flag letters, in the order they are printed. */
static const struct {
	char letter;
	uint8_t bit;
} flag_letters[] = {
	{ 'S', TCPF_SYN }, { 'A', TCPF_ACK }, { 'F', TCPF_FIN }, { 'R', TCPF_RST },
	{ 'P', TCPF_PSH }, { 'U', TCPF_URG }, { 'E', TCPF_ECE }, { 'W', TCPF_CWR },
};

enum cmd {
	CMD_SEND = 1,
	CMD_CAPTURE = 2,
	CMD_EXPECT = 4,
};

#define CMD_SEG		(CMD_SEND | CMD_EXPECT)
#define CMD_CAP		(CMD_CAPTURE | CMD_EXPECT)
#define CMD_ALL		(CMD_SEND | CMD_CAPTURE | CMD_EXPECT)

enum opt_id {
	O_SRC, O_DST, O_FLAGS, O_SEQ, O_ACK, O_WIN, O_URG, O_MSS, O_SACKOK, O_TS, O_WS,
	O_RAW_OPT, O_DOFF, O_DATA, O_LEN, O_PROTO, O_CSUM_PROTO, O_BAD_CSUM,
	O_IF, O_PORT, O_COUNT, O_TIMEOUT, O_RELATIVE, O_NO_SEND, O_REPEAT, O_SEQ_STEP,
	O_CSUM, O_ACK_AFTER, O_TOS, O_ECN, O_NR
};

static const struct opt_def {
	const char *name;
	bool has_arg;
	unsigned int cmds;	/* the commands that take it */
	bool segment;		/* describes the segment to send: not with --no-send */
} opt_defs[O_NR] = {
	[O_SRC]		= { "src",		true,	CMD_SEG,	false },
	[O_DST]		= { "dst",		true,	CMD_SEG,	false },
	[O_FLAGS]	= { "flags",		true,	CMD_SEG,	true },
	[O_SEQ]		= { "seq",		true,	CMD_SEG,	true },
	[O_ACK]		= { "ack",		true,	CMD_SEG,	true },
	[O_WIN]		= { "win",		true,	CMD_SEG,	true },
	[O_URG]		= { "urg",		true,	CMD_SEG,	true },
	[O_MSS]		= { "mss",		true,	CMD_SEG,	true },
	[O_SACKOK]	= { "sackok",		false,	CMD_SEG,	true },
	[O_TS]		= { "ts",		true,	CMD_SEG,	true },
	[O_WS]		= { "ws",		true,	CMD_SEG,	true },
	[O_RAW_OPT]	= { "raw-opt",		true,	CMD_SEG,	true },
	[O_DOFF]	= { "doff",		true,	CMD_SEG,	true },
	[O_DATA]	= { "data",		true,	CMD_SEG,	true },
	[O_LEN]		= { "len",		true,	CMD_SEG,	true },
	[O_PROTO]	= { "proto",		true,	CMD_ALL,	false },
	[O_CSUM_PROTO]	= { "csum-proto",	true,	CMD_SEG,	true },
	[O_BAD_CSUM]	= { "bad-csum",		false,	CMD_SEG,	true },
	[O_IF]		= { "if",		true,	CMD_CAP,	false },
	[O_PORT]	= { "port",		true,	CMD_CAPTURE,	false },
	[O_COUNT]	= { "count",		true,	CMD_CAP,	false },
	[O_TIMEOUT]	= { "timeout",		true,	CMD_CAP,	false },
	[O_RELATIVE]	= { "relative",		false,	CMD_CAPTURE,	false },
	[O_NO_SEND]	= { "no-send",		false,	CMD_EXPECT,	false },
	[O_REPEAT]	= { "repeat",		true,	CMD_SEND,	true },
	[O_SEQ_STEP]	= { "seq-step",		true,	CMD_SEND,	true },
	[O_CSUM]	= { "csum",		false,	CMD_CAPTURE,	false },
	[O_ACK_AFTER]	= { "ack-after",	true,	CMD_EXPECT,	true },
	[O_TOS]		= { "tos",		true,	CMD_SEG,	true },
	[O_ECN]		= { "ecn",		false,	CMD_CAP,	false },
};

struct endpoint {
	struct in_addr addr;	/* network order */
	uint16_t port;		/* host order */
};

struct cfg {
	enum cmd cmd;
	const char *cmd_name;
	bool given[O_NR];

	/* the segment to send */
	struct endpoint src, dst;
	uint8_t flags;
	uint32_t seq, ack;
	uint16_t win, urg;
	uint16_t mss;
	uint8_t ws;
	uint32_t ts_val, ts_ecr;
	uint8_t raw_opt[TCP_MAX_OPT_LEN];
	size_t raw_opt_len;
	uint8_t doff;
	const char *data;	/* NULL: data_len bytes of 'x' */
	size_t data_len;
	uint8_t proto, csum_proto;
	uint8_t tos;
	uint8_t opt[TCP_MAX_OPT_LEN];	/* the options, built from the above */
	size_t opt_len;

	/* capturing */
	const char *ifname;
	int ifindex;
	int port;		/* -1: any */
	unsigned long count;	/* 0: no limit */
	long timeout_ms;	/* -1: none */

	/* send --repeat */
	unsigned long repeat;	/* segments to send (default 1) */
	uint32_t seq_step;	/* added to seq between them */

	/* expect --ack-after */
	long ack_after_ms;
};

/* A captured segment, pointing into the receive buffer. */
struct seg {
	long long t_us;		/* since the capture started */
	const uint8_t *th;
	struct in_addr saddr, daddr;
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint16_t win;
	uint8_t flags;
	uint8_t doff;
	const uint8_t *opt;
	int opt_len;		/* -1: bad data offset */
	unsigned int len;	/* payload bytes */
	uint8_t tos;		/* the IP header's TOS byte (ECN: its low 2 bits) */
	const char *csum;	/* capture: "ok", "bad", "partial" or "cut" */
};

struct capture {
	int fd;
	int ifindex;
	bool loopback;		/* keep only the outgoing copy of each packet */
	uint8_t proto;
	int port;
	unsigned int snaplen;	/* bytes kept: SNAPLEN, or all of buf for --csum */
	struct timespec start_real, start_mono;
	uint8_t buf[2048];
};

/* The ISN of each direction of a connection, for --relative. */
struct conn {
	struct in_addr addr[2];
	uint16_t port[2];
	uint32_t isn[2];	/* isn[i]: of the segments sent by end i */
	bool known[2];
};

static struct conn conns[MAX_CONNS];
static unsigned int nr_conns, next_evict;
static volatile sig_atomic_t stop_signal;

static __noreturn __printf(1, 2) void usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("xtcp_pkt: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nrun 'xtcp_pkt --help' for the usage\n", stderr);
	exit(EXIT_USAGE);
}

static __noreturn __printf(1, 2) void fail(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("xtcp_pkt: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EXIT_FAILURE);
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/* --- arguments ------------------------------------------------------------------------- */

static unsigned long long parse_uint(const char *opt, const char *s, unsigned long long min,
				     unsigned long long max)
{
	unsigned long long v;
	char *end;

	if (!isdigit((unsigned char)*s))
		usage_error("--%s: '%s' is not a decimal number", opt, s);
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end)
		usage_error("--%s: '%s' is not a decimal number", opt, s);
	if (errno == ERANGE || v < min || v > max)
		usage_error("--%s: %s is out of range (%llu-%llu)", opt, s, min, max);
	return v;
}

static void parse_endpoint(const char *opt, const char *s, struct endpoint *ep)
{
	const char *colon = strrchr(s, ':');
	char addr[INET_ADDRSTRLEN];
	size_t len;

	if (!colon || colon == s || !colon[1])
		usage_error("--%s: '%s' is not ADDR:PORT (e.g. 127.0.0.1:9000)", opt, s);
	len = colon - s;
	if (len >= sizeof(addr))
		usage_error("--%s: '%.*s' is not an IPv4 address", opt, (int)len, s);
	memcpy(addr, s, len);
	addr[len] = '\0';
	if (inet_pton(AF_INET, addr, &ep->addr) != 1)
		usage_error("--%s: '%s' is not an IPv4 address", opt, addr);
	if (!isdigit((unsigned char)colon[1]))
		usage_error("--%s: port '%s' is not a decimal number", opt, colon + 1);
	ep->port = parse_uint(opt, colon + 1, 0, 65535);
}

static uint8_t parse_flags(const char *s)
{
	uint8_t flags = 0;
	const char *p;
	size_t i;

	if (!strcmp(s, "none") || !strcmp(s, "."))
		return 0;
	if (!*s)
		usage_error("--flags: empty (letters of SAFRPUEW, or none)");
	for (p = s; *p; p++) {
		for (i = 0; i < ARRAY_SIZE(flag_letters); i++)
			if (flag_letters[i].letter == toupper((unsigned char)*p))
				break;
		if (i == ARRAY_SIZE(flag_letters))
			usage_error("--flags: unknown flag '%c' in '%s' (SAFRPUEW or none)", *p, s);
		if (flags & flag_letters[i].bit)
			usage_error("--flags: '%c' given twice in '%s'", *p, s);
		flags |= flag_letters[i].bit;
	}
	return flags;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static size_t parse_hex(const char *opt, const char *s, uint8_t *out, size_t max)
{
	size_t len = strlen(s), i;

	if (!len || len % 2)
		usage_error("--%s: '%s' is not an even number of hex digits", opt, s);
	if (len / 2 > max)
		usage_error("--%s: %zu bytes, more than %zu", opt, len / 2, max);
	for (i = 0; i < len; i += 2) {
		int hi = hex_digit(s[i]), lo = hex_digit(s[i + 1]);

		if (hi < 0 || lo < 0)
			usage_error("--%s: '%s' is not hex digits", opt, s);
		out[i / 2] = hi << 4 | lo;
	}
	return len / 2;
}

static void parse_ts(const char *s, struct cfg *c)
{
	const char *colon = strchr(s, ':');
	char val[16];
	size_t len;

	if (!colon || colon == s)
		usage_error("--ts: '%s' is not VAL:ECR", s);
	len = colon - s;
	if (len >= sizeof(val))
		usage_error("--ts: %.*s is out of range (0-4294967295)", (int)len, s);
	memcpy(val, s, len);
	val[len] = '\0';
	c->ts_val = parse_uint("ts", val, 0, UINT32_MAX);
	c->ts_ecr = parse_uint("ts", colon + 1, 0, UINT32_MAX);
}

static void set_option(struct cfg *c, enum opt_id id, const char *v)
{
	const char *name = opt_defs[id].name;

	switch (id) {
	case O_SRC:
		parse_endpoint(name, v, &c->src);
		break;
	case O_DST:
		parse_endpoint(name, v, &c->dst);
		break;
	case O_FLAGS:
		c->flags = parse_flags(v);
		break;
	case O_SEQ:
		c->seq = parse_uint(name, v, 0, UINT32_MAX);
		break;
	case O_ACK:
		c->ack = parse_uint(name, v, 0, UINT32_MAX);
		break;
	case O_WIN:
		c->win = parse_uint(name, v, 0, 65535);
		break;
	case O_URG:
		c->urg = parse_uint(name, v, 0, 65535);
		break;
	case O_MSS:
		c->mss = parse_uint(name, v, 0, 65535);
		break;
	case O_TS:
		parse_ts(v, c);
		break;
	case O_WS:
		c->ws = parse_uint(name, v, 0, 255);
		break;
	case O_RAW_OPT:
		c->raw_opt_len = parse_hex(name, v, c->raw_opt, TCP_MAX_OPT_LEN);
		break;
	case O_DOFF:
		c->doff = parse_uint(name, v, 0, 15);
		break;
	case O_DATA:
		c->data = v;
		c->data_len = strlen(v);
		break;
	case O_LEN:
		c->data = NULL;
		c->data_len = parse_uint(name, v, 0, IP_MAX_LEN);
		break;
	case O_PROTO:
		c->proto = parse_uint(name, v, 0, 255);
		if (c->proto != IPPROTO_TCP && c->proto != IPPROTO_XTCP_ISOLATED)
			usage_error("--proto: %s is neither 6 (TCP) nor 253 (isolated)", v);
		break;
	case O_CSUM_PROTO:
		c->csum_proto = parse_uint(name, v, 0, 255);
		break;
	case O_IF:
		if (!*v || strlen(v) >= IFNAMSIZ)
			usage_error("--if: '%s' is not an interface name", v);
		c->ifname = v;
		c->ifindex = if_nametoindex(v);
		if (!c->ifindex)
			usage_error("--if: no interface '%s' here", v);
		break;
	case O_PORT:
		c->port = parse_uint(name, v, 0, 65535);
		break;
	case O_COUNT:
		c->count = parse_uint(name, v, 1, UINT32_MAX);
		break;
	case O_TIMEOUT:
		c->timeout_ms = parse_uint(name, v, 0, INT32_MAX);
		break;
	case O_REPEAT:
		c->repeat = parse_uint(name, v, 1, 1000000);
		break;
	case O_SEQ_STEP:
		c->seq_step = parse_uint(name, v, 0, UINT32_MAX);
		break;
	case O_ACK_AFTER:
		c->ack_after_ms = parse_uint(name, v, 0, 60000);
		break;
	case O_TOS:
		c->tos = parse_uint(name, v, 0, 255);
		break;
	case O_SACKOK:
	case O_BAD_CSUM:
	case O_RELATIVE:
	case O_NO_SEND:
	case O_CSUM:
	case O_ECN:
	case O_NR:
		break;
	}
}

/* The TCP options of the segment to send, padded to 4 bytes; false if over 40 bytes. */
static bool build_options(struct cfg *c)
{
	uint8_t buf[64], *p = buf;
	size_t len;

	if (c->given[O_MSS]) {
		*p++ = TCPOPT_MSS;
		*p++ = 4;
		put16(p, c->mss);
		p += 2;
	}
	if (c->given[O_SACKOK] && c->given[O_TS]) {
		/* Linux's layout: SACK-permitted takes the place of the timestamps' NOPs. */
		*p++ = TCPOPT_SACKOK;
		*p++ = 2;
	} else if (c->given[O_TS]) {
		*p++ = TCPOPT_NOP;
		*p++ = TCPOPT_NOP;
	} else if (c->given[O_SACKOK]) {
		*p++ = TCPOPT_NOP;
		*p++ = TCPOPT_NOP;
		*p++ = TCPOPT_SACKOK;
		*p++ = 2;
	}
	if (c->given[O_TS]) {
		*p++ = TCPOPT_TS;
		*p++ = 10;
		put32(p, c->ts_val);
		put32(p + 4, c->ts_ecr);
		p += 8;
	}
	if (c->given[O_WS]) {
		*p++ = TCPOPT_NOP;
		*p++ = TCPOPT_WS;
		*p++ = 3;
		*p++ = c->ws;
	}
	len = p - buf;
	if (len + c->raw_opt_len > TCP_MAX_OPT_LEN) {
		c->opt_len = len + c->raw_opt_len;
		return false;
	}
	memcpy(p, c->raw_opt, c->raw_opt_len);
	len += c->raw_opt_len;
	while (len % 4)
		buf[len++] = TCPOPT_EOL;
	memcpy(c->opt, buf, len);
	c->opt_len = len;
	return true;
}

static void parse_args(int argc, char **argv, struct cfg *c)
{
	size_t max_data;
	int i, id;

	memset(c, 0, sizeof(*c));
	c->win = 65535;
	c->proto = IPPROTO_TCP;
	c->port = -1;
	c->timeout_ms = -1;

	if (argc < 2) {
		fputs(usage_text, stderr);
		exit(EXIT_USAGE);
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		fputs(usage_text, stdout);
		exit(EXIT_SUCCESS);
	}
	c->cmd_name = argv[1];
	if (!strcmp(argv[1], "send"))
		c->cmd = CMD_SEND;
	else if (!strcmp(argv[1], "capture"))
		c->cmd = CMD_CAPTURE;
	else if (!strcmp(argv[1], "expect"))
		c->cmd = CMD_EXPECT;
	else
		usage_error("unknown command '%s' (send, capture or expect)", argv[1]);

	for (i = 2; i < argc; i++) {
		const char *arg = argv[i], *name, *eq, *val = NULL;
		size_t name_len;

		if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
			fputs(usage_text, stdout);
			exit(EXIT_SUCCESS);
		}
		if (strncmp(arg, "--", 2) || !arg[2])
			usage_error("unexpected argument '%s'", arg);
		name = arg + 2;
		eq = strchr(name, '=');
		name_len = eq ? (size_t)(eq - name) : strlen(name);
		for (id = 0; id < O_NR; id++)
			if (strlen(opt_defs[id].name) == name_len &&
			    !strncmp(opt_defs[id].name, name, name_len))
				break;
		if (id == O_NR)
			usage_error("unknown option '--%.*s'", (int)name_len, name);
		if (!(opt_defs[id].cmds & c->cmd))
			usage_error("--%s is not an option of %s", opt_defs[id].name, c->cmd_name);
		if (c->given[id])
			usage_error("--%s given twice", opt_defs[id].name);
		if (opt_defs[id].has_arg) {
			if (eq)
				val = eq + 1;
			else if (i + 1 < argc)
				val = argv[++i];
			else
				usage_error("--%s needs a value", opt_defs[id].name);
		} else if (eq) {
			usage_error("--%s takes no value", opt_defs[id].name);
		}
		c->given[id] = true;
		set_option(c, id, val);
	}

	if (c->cmd & CMD_CAP && !c->given[O_IF])
		usage_error("%s needs --if IFNAME", c->cmd_name);
	if (c->cmd & CMD_SEG && (!c->given[O_SRC] || !c->given[O_DST]))
		usage_error("%s needs --src ADDR:PORT and --dst ADDR:PORT", c->cmd_name);
	if (c->given[O_NO_SEND]) {
		for (id = 0; id < O_NR; id++)
			if (opt_defs[id].segment && c->given[id])
				usage_error("--no-send sends nothing: --%s makes no sense with it",
					    opt_defs[id].name);
	} else if (c->cmd & CMD_SEG && !c->given[O_FLAGS]) {
		usage_error("%s needs --flags FLAGS (letters of SAFRPUEW, or none)", c->cmd_name);
	}
	if (c->given[O_DATA] && c->given[O_LEN])
		usage_error("--data and --len both give the payload: use one");
	if (c->given[O_ACK_AFTER] && (!(c->flags & TCPF_SYN) || c->flags & TCPF_ACK))
		usage_error("--ack-after completes a handshake: --flags must have S and not A");
	if (!c->given[O_CSUM_PROTO])
		c->csum_proto = IPPROTO_TCP;
	if (c->cmd == CMD_EXPECT) {
		if (!c->given[O_COUNT])
			c->count = 1;
		if (!c->given[O_TIMEOUT])
			c->timeout_ms = EXPECT_TIMEOUT_MS;
	}
	if (c->cmd & CMD_SEG && !c->given[O_NO_SEND]) {
		if (!build_options(c))
			usage_error("the TCP options take %zu bytes, more than %d", c->opt_len,
				    TCP_MAX_OPT_LEN);
		max_data = IP_MAX_LEN - IP_HDR_LEN - TCP_HDR_LEN - c->opt_len;
		if (c->data_len > max_data)
			usage_error("%zu payload bytes, more than an IPv4 packet's room (%zu)",
				    c->data_len, max_data);
	}
}

/* --- sending ---------------------------------------------------------------------------- */

static uint64_t csum_add(uint64_t sum, const uint8_t *p, size_t len)
{
	for (; len > 1; p += 2, len -= 2)
		sum += get16(p);
	if (len)
		sum += (uint16_t)(p[0] << 8);
	return sum;
}

static uint16_t csum_fold(uint64_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* --src 0.0.0.0: the source address the routing table picks for the destination. */
static void resolve_src(struct cfg *c)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_addr = c->dst.addr,
		.sin_port = htons(c->dst.port ? c->dst.port : 9),
	};
	socklen_t len = sizeof(sin);
	char dst[INET_ADDRSTRLEN];
	int fd;

	if (c->src.addr.s_addr != htonl(INADDR_ANY))
		return;
	inet_ntop(AF_INET, &c->dst.addr, dst, sizeof(dst));
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		fail("socket(AF_INET, SOCK_DGRAM): %m");
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) ||
	    getsockname(fd, (struct sockaddr *)&sin, &len))
		fail("no source address for %s: %m", dst);
	close(fd);
	c->src.addr = sin.sin_addr;
}

/* Build the IPv4 + TCP segment into pkt (IP_MAX_LEN bytes); returns its length. */
static size_t build_segment(const struct cfg *c, uint8_t *pkt)
{
	size_t th_len = TCP_HDR_LEN + c->opt_len;
	size_t tcp_len = th_len + c->data_len;
	size_t len = IP_HDR_LEN + tcp_len;
	uint8_t *th = pkt + IP_HDR_LEN, pseudo[12];
	uint16_t id, csum;

	if (getrandom(&id, sizeof(id), 0) != sizeof(id))
		id = (uint16_t)getpid();
	memset(pkt, 0, IP_HDR_LEN + TCP_HDR_LEN);
	pkt[0] = 0x45;				/* version 4, 5 words */
	pkt[1] = c->tos;
	put16(pkt + 2, len);
	put16(pkt + 4, id);
	put16(pkt + 6, 0x4000);			/* DF, as TCP sends */
	pkt[8] = 64;				/* TTL */
	pkt[9] = c->proto;
	memcpy(pkt + 12, &c->src.addr, 4);
	memcpy(pkt + 16, &c->dst.addr, 4);
	put16(pkt + 10, csum_fold(csum_add(0, pkt, IP_HDR_LEN)));

	put16(th, c->src.port);
	put16(th + 2, c->dst.port);
	put32(th + 4, c->seq);
	put32(th + 8, c->ack);
	th[12] = (c->given[O_DOFF] ? c->doff : th_len / 4) << 4;
	th[13] = c->flags;
	put16(th + 14, c->win);
	put16(th + 18, c->urg);
	memcpy(th + TCP_HDR_LEN, c->opt, c->opt_len);
	if (c->data)
		memcpy(th + th_len, c->data, c->data_len);
	else
		memset(th + th_len, 'x', c->data_len);

	memcpy(pseudo, &c->src.addr, 4);
	memcpy(pseudo + 4, &c->dst.addr, 4);
	pseudo[8] = 0;
	pseudo[9] = c->csum_proto;
	put16(pseudo + 10, tcp_len);
	csum = csum_fold(csum_add(csum_add(0, pseudo, sizeof(pseudo)), th, tcp_len));
	/* Any change but to its other form of zero (0 <-> 0xffff) breaks the sum. */
	if (c->given[O_BAD_CSUM])
		csum ^= 0xbad0;
	put16(th + 16, csum);
	return len;
}

static void send_segment(const struct cfg *c, const uint8_t *pkt, size_t len)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr = c->dst.addr };
	char dst[INET_ADDRSTRLEN];
	int fd, one = 1;
	ssize_t n;

	fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (fd < 0)
		fail("socket(AF_INET, SOCK_RAW, IPPROTO_RAW): %m (needs CAP_NET_RAW)");
	if (setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one)))
		fail("setsockopt(IP_HDRINCL): %m");
	n = sendto(fd, pkt, len, 0, (struct sockaddr *)&sin, sizeof(sin));
	if (n < 0) {
		inet_ntop(AF_INET, &c->dst.addr, dst, sizeof(dst));
		fail("sending %zu bytes to %s: %m", len, dst);
	}
	if ((size_t)n != len)
		fail("sent %zd bytes of %zu", n, len);
	close(fd);
}

/* --- capturing -------------------------------------------------------------------------- */

static void on_signal(int sig)
{
	stop_signal = sig;
}

/* Block the stop signals; they are taken only while waiting in ppoll(). */
static void setup_signals(sigset_t *wait_mask)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t block;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, wait_mask);
	sigdelset(wait_mask, SIGINT);
	sigdelset(wait_mask, SIGTERM);
	sigdelset(wait_mask, SIGHUP);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

enum { JMP_NEXT, JMP_ACCEPT, JMP_DROP };

static void bpf_emit(struct sock_filter *prog, unsigned int *n, uint16_t code, uint32_t k,
		     uint8_t jt, uint8_t jf)
{
	prog[*n] = (struct sock_filter){ .code = code, .jt = jt, .jf = jf, .k = k };
	(*n)++;
}

/*
 * The kernel-side filter: IPv4 packets of our protocol, first fragments only, from or to
 * the port, and on a loopback interface only the outgoing copy; it keeps cap->snaplen bytes.
 * It only saves the queue: every test is made again on what is read.
 */
static void capture_filter(const struct capture *cap)
{
	struct sock_filter prog[32];
	struct sock_fprog fprog;
	unsigned int n = 0, i, accept, drop;

	bpf_emit(prog, &n, BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_PROTOCOL, 0, 0);
	bpf_emit(prog, &n, BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IP, JMP_NEXT, JMP_DROP);
	if (cap->loopback) {
		bpf_emit(prog, &n, BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_PKTTYPE, 0, 0);
		bpf_emit(prog, &n, BPF_JMP | BPF_JEQ | BPF_K, PACKET_OUTGOING, JMP_NEXT, JMP_DROP);
	}
	bpf_emit(prog, &n, BPF_LD | BPF_B | BPF_ABS, 9, 0, 0);
	bpf_emit(prog, &n, BPF_JMP | BPF_JEQ | BPF_K, cap->proto, JMP_NEXT, JMP_DROP);
	bpf_emit(prog, &n, BPF_LD | BPF_H | BPF_ABS, 6, 0, 0);
	bpf_emit(prog, &n, BPF_JMP | BPF_JSET | BPF_K, 0x1fff, JMP_DROP, JMP_NEXT);
	if (cap->port >= 0) {
		bpf_emit(prog, &n, BPF_LDX | BPF_B | BPF_MSH, 0, 0, 0);
		bpf_emit(prog, &n, BPF_LD | BPF_H | BPF_IND, 0, 0, 0);
		bpf_emit(prog, &n, BPF_JMP | BPF_JEQ | BPF_K, cap->port, JMP_ACCEPT, JMP_NEXT);
		bpf_emit(prog, &n, BPF_LD | BPF_H | BPF_IND, 2, 0, 0);
		bpf_emit(prog, &n, BPF_JMP | BPF_JEQ | BPF_K, cap->port, JMP_ACCEPT, JMP_DROP);
	}
	accept = n;
	bpf_emit(prog, &n, BPF_RET | BPF_K, cap->snaplen, 0, 0);
	drop = n;
	bpf_emit(prog, &n, BPF_RET | BPF_K, 0, 0, 0);
	/* Resolve the labels into relative jumps. */
	for (i = 0; i < n; i++) {
		if (BPF_CLASS(prog[i].code) != BPF_JMP)
			continue;
		prog[i].jt = prog[i].jt == JMP_NEXT ? 0 :
			     (prog[i].jt == JMP_ACCEPT ? accept : drop) - i - 1;
		prog[i].jf = prog[i].jf == JMP_NEXT ? 0 :
			     (prog[i].jf == JMP_ACCEPT ? accept : drop) - i - 1;
	}
	fprog.len = n;
	fprog.filter = prog;
	if (setsockopt(cap->fd, SOL_SOCKET, SO_ATTACH_FILTER, &fprog, sizeof(fprog)))
		fail("setsockopt(SO_ATTACH_FILTER): %m");
}

static void capture_open(struct capture *cap, const struct cfg *c, int port)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ALL),
		.sll_ifindex = c->ifindex,
	};
	struct ifreq ifr = { 0 };
	int one = 1, size = CAPTURE_RCVBUF;

	cap->ifindex = c->ifindex;
	cap->proto = c->proto;
	cap->port = port;
	/* A checksum needs the whole segment; a longer packet reads as cut. */
	cap->snaplen = c->given[O_CSUM] ? sizeof(cap->buf) : SNAPLEN;
	/* Protocol 0: nothing is queued before bind() names the interface. */
	cap->fd = socket(AF_PACKET, SOCK_DGRAM, 0);
	if (cap->fd < 0)
		fail("socket(AF_PACKET, SOCK_DGRAM): %m (needs CAP_NET_RAW)");
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", c->ifname);
	if (ioctl(cap->fd, SIOCGIFFLAGS, &ifr))
		fail("interface %s: %m", c->ifname);
	cap->loopback = ifr.ifr_flags & IFF_LOOPBACK;
	if (setsockopt(cap->fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) &&
	    setsockopt(cap->fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)))
		fail("setsockopt(SO_RCVBUF): %m");
	if (setsockopt(cap->fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one)))
		fail("setsockopt(PACKET_AUXDATA): %m");
	if (setsockopt(cap->fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof(one)))
		fail("setsockopt(SO_TIMESTAMPNS): %m");
	capture_filter(cap);
	clock_gettime(CLOCK_REALTIME, &cap->start_real);
	clock_gettime(CLOCK_MONOTONIC, &cap->start_mono);
	if (bind(cap->fd, (struct sockaddr *)&sll, sizeof(sll)))
		fail("binding the capture to %s: %m", c->ifname);
}

static long long ts_diff_us(const struct timespec *a, const struct timespec *b)
{
	return (a->tv_sec - b->tv_sec) * 1000000LL + (a->tv_nsec - b->tv_nsec) / 1000;
}

/* Parse a received IPv4 packet; false if it is no TCP-format segment we capture. */
static bool parse_packet(const struct capture *cap, const uint8_t *p, size_t caplen,
			 size_t origlen, struct seg *s)
{
	size_t ihl, ip_len, tcp_len;
	const uint8_t *th;

	if (caplen < IP_HDR_LEN || p[0] >> 4 != 4)
		return false;
	ihl = (p[0] & 0x0f) * 4;
	if (ihl < IP_HDR_LEN || p[9] != cap->proto || get16(p + 6) & 0x1fff)
		return false;
	ip_len = get16(p + 2);
	/* IPv4 BIG TCP (GSO packets past 64 KB) leaves tot_len 0. */
	if (!ip_len && origlen > IP_MAX_LEN)
		ip_len = origlen;
	if (ip_len > origlen)
		ip_len = origlen;
	if (ip_len < ihl + TCP_HDR_LEN || caplen < ihl + TCP_HDR_LEN)
		return false;
	th = p + ihl;
	s->th = th;
	s->tos = p[1];
	memcpy(&s->saddr, p + 12, 4);
	memcpy(&s->daddr, p + 16, 4);
	s->sport = get16(th);
	s->dport = get16(th + 2);
	if (cap->port >= 0 && s->sport != cap->port && s->dport != cap->port)
		return false;
	s->seq = get32(th + 4);
	s->ack = get32(th + 8);
	s->doff = th[12] >> 4;
	s->flags = th[13];
	s->win = get16(th + 14);
	tcp_len = ip_len - ihl;
	if (s->doff < 5 || s->doff * 4U > tcp_len || ihl + s->doff * 4U > caplen) {
		s->opt = NULL;
		s->opt_len = -1;
		s->len = tcp_len - TCP_HDR_LEN;
	} else {
		s->opt = th + TCP_HDR_LEN;
		s->opt_len = s->doff * 4 - TCP_HDR_LEN;
		s->len = tcp_len - s->doff * 4;
	}
	return true;
}

/*
 * The next captured segment received before the deadline (NULL: none), waiting for it.
 * Returns true with a segment, false on timeout or a stop signal.
 */
/*
 * The verdict on a captured segment's TCP checksum: a copy the kernel had not
 * summed yet (TP_STATUS_CSUMNOTREADY: the device or GSO was still to do it)
 * cannot be judged, nor one captured in part.
 */
static const char *segment_csum(const struct seg *s, bool cut, uint32_t status)
{
	size_t tcp_len = (size_t)s->doff * 4 + s->len;
	uint8_t pseudo[12];

	if (cut)
		return "cut";
	if (status & TP_STATUS_CSUMNOTREADY)
		return "partial";
	if (s->opt_len < 0)
		return "bad";
	memcpy(pseudo, &s->saddr, 4);
	memcpy(pseudo + 4, &s->daddr, 4);
	pseudo[8] = 0;
	pseudo[9] = IPPROTO_TCP;
	put16(pseudo + 10, tcp_len);
	return csum_fold(csum_add(csum_add(0, pseudo, sizeof(pseudo)), s->th, tcp_len)) ?
	       "bad" : "ok";
}

static bool capture_next(struct capture *cap, struct seg *s, const struct timespec *deadline,
			 const sigset_t *wait_mask)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct tpacket_auxdata)) +
			 CMSG_SPACE(sizeof(struct timespec))];
		struct cmsghdr align;
	} control;
	struct pollfd pfd = { .fd = cap->fd, .events = POLLIN };
	struct timespec now, left, kts;
	bool have_ts;
	struct sockaddr_ll sll;
	struct iovec iov;
	struct msghdr msg;
	struct cmsghdr *cm;
	size_t origlen;
	uint32_t status;
	long long user_us;
	ssize_t n;

	for (;;) {
		if (stop_signal)
			return false;
		iov.iov_base = cap->buf;
		iov.iov_len = sizeof(cap->buf);
		memset(&msg, 0, sizeof(msg));
		msg.msg_name = &sll;
		msg.msg_namelen = sizeof(sll);
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_control = control.buf;
		msg.msg_controllen = sizeof(control.buf);
		n = recvmsg(cap->fd, &msg, MSG_DONTWAIT);
		if (n < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
				fail("capture: %m");
			clock_gettime(CLOCK_MONOTONIC, &now);
			if (deadline) {
				long long us = ts_diff_us(deadline, &now);

				if (us <= 0)
					return false;
				left.tv_sec = us / 1000000;
				left.tv_nsec = us % 1000000 * 1000;
			}
			if (ppoll(&pfd, 1, deadline ? &left : NULL, wait_mask) < 0 &&
			    errno != EINTR)
				fail("poll: %m");
			continue;
		}
		if (sll.sll_ifindex != cap->ifindex || sll.sll_protocol != htons(ETH_P_IP))
			continue;
		if (cap->loopback && sll.sll_pkttype != PACKET_OUTGOING)
			continue;
		origlen = n;
		status = 0;
		have_ts = false;
		for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
			if (cm->cmsg_level == SOL_PACKET && cm->cmsg_type == PACKET_AUXDATA) {
				struct tpacket_auxdata aux;

				memcpy(&aux, CMSG_DATA(cm), sizeof(aux));
				origlen = aux.tp_len;
				status = aux.tp_status;
			} else if (cm->cmsg_level == SOL_SOCKET &&
				   cm->cmsg_type == SCM_TIMESTAMPNS) {
				memcpy(&kts, CMSG_DATA(cm), sizeof(kts));
				have_ts = true;
			}
		}
		if (!parse_packet(cap, cap->buf, n, origlen, s))
			continue;
		s->csum = segment_csum(s, (size_t)n < origlen, status);
		/*
		 * The kernel's receive time, unless the wall clock stepped since the start: then
		 * the time of reading it.
		 */
		clock_gettime(CLOCK_MONOTONIC, &now);
		user_us = ts_diff_us(&now, &cap->start_mono);
		s->t_us = have_ts ? ts_diff_us(&kts, &cap->start_real) : user_us;
		if (s->t_us < -10000 || s->t_us > user_us + 10000)
			s->t_us = user_us;
		else if (s->t_us < 0)
			s->t_us = 0;
		/* Still queued but come after the deadline: the wait is over all the same. */
		if (deadline && s->t_us > ts_diff_us(deadline, &cap->start_mono))
			return false;
		return true;
	}
}

/* Append to a string buffer, which keeps what fits. */
static __printf(4, 5) void bprintf(char *buf, size_t size, size_t *pos, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*pos >= size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *pos, size - *pos, fmt, ap);
	va_end(ap);
	if (n > 0)
		*pos += n;
}

/* The options of a segment as printed; SACK blocks relative to sack_base. */
static void format_options(const struct seg *s, uint32_t sack_base, char *buf, size_t size)
{
	const uint8_t *p = s->opt;
	size_t pos = 0;
	int left = s->opt_len, i;

	buf[0] = '\0';
	if (s->opt_len < 0) {
		snprintf(buf, size, "baddoff:%u", s->doff);
		return;
	}
	while (left > 0) {
		uint8_t kind = p[0], len;
		const char *sep = pos ? "," : "";

		if (kind == TCPOPT_EOL)
			break;
		if (kind == TCPOPT_NOP) {
			p++;
			left--;
			continue;
		}
		if (left < 2) {
			bprintf(buf, size, &pos, "%sbad:%u", sep, kind);
			break;
		}
		len = p[1];
		if (len < 2 || len > left) {
			bprintf(buf, size, &pos, "%sbad:%u:%u", sep, kind, len);
			break;
		}
		if (kind == TCPOPT_MSS && len == 4) {
			bprintf(buf, size, &pos, "%smss:%u", sep, get16(p + 2));
		} else if (kind == TCPOPT_WS && len == 3) {
			bprintf(buf, size, &pos, "%sws:%u", sep, p[2]);
		} else if (kind == TCPOPT_SACKOK && len == 2) {
			bprintf(buf, size, &pos, "%ssackok", sep);
		} else if (kind == TCPOPT_TS && len == 10) {
			bprintf(buf, size, &pos, "%sts:%u:%u", sep, get32(p + 2), get32(p + 6));
		} else if (kind == TCPOPT_SACK && len >= 10 && (len - 2) % 8 == 0) {
			bprintf(buf, size, &pos, "%ssack", sep);
			for (i = 2; i < len; i += 8)
				bprintf(buf, size, &pos, ":%u-%u", get32(p + i) - sack_base,
					get32(p + i + 4) - sack_base);
		} else if (kind == TCPOPT_MSS || kind == TCPOPT_WS || kind == TCPOPT_SACKOK ||
			   kind == TCPOPT_TS || kind == TCPOPT_SACK) {
			/* A known kind with a wrong length: skipped, as Linux's parser does. */
			bprintf(buf, size, &pos, "%sbad:%u:%u", sep, kind, len);
		} else {
			bprintf(buf, size, &pos, "%sopt:%u", sep, kind);
			if (len > 2)
				bprintf(buf, size, &pos, ":");
			for (i = 2; i < len; i++)
				bprintf(buf, size, &pos, "%02x", p[i]);
		}
		p += len;
		left -= len;
	}
	if (!buf[0])
		snprintf(buf, size, "-");
}

static struct conn *conn_find(const struct seg *s, int *dir)
{
	struct conn *c;
	unsigned int i;

	for (i = 0; i < nr_conns; i++) {
		c = &conns[i];
		if (c->addr[0].s_addr == s->saddr.s_addr && c->port[0] == s->sport &&
		    c->addr[1].s_addr == s->daddr.s_addr && c->port[1] == s->dport) {
			*dir = 0;
			return c;
		}
		if (c->addr[1].s_addr == s->saddr.s_addr && c->port[1] == s->sport &&
		    c->addr[0].s_addr == s->daddr.s_addr && c->port[0] == s->dport) {
			*dir = 1;
			return c;
		}
	}
	if (nr_conns < MAX_CONNS)
		c = &conns[nr_conns++];
	else
		c = &conns[next_evict++ % MAX_CONNS];
	memset(c, 0, sizeof(*c));
	c->addr[0] = s->saddr;
	c->port[0] = s->sport;
	c->addr[1] = s->daddr;
	c->port[1] = s->dport;
	*dir = 0;
	return c;
}

/* --relative: seq, ack and the SACK base of a segment, relative to the ISNs. */
static void relativize(const struct seg *s, uint32_t *seq, uint32_t *ack, uint32_t *sack_base)
{
	int d, r;
	struct conn *c = conn_find(s, &d);

	r = !d;
	if (s->flags & TCPF_SYN) {
		c->isn[d] = s->seq;
		c->known[d] = true;
		if (!(s->flags & TCPF_ACK)) {
			/* A new connection: the other direction's ISN is yet to come. */
			c->known[r] = false;
		} else if (!c->known[r]) {
			c->isn[r] = s->ack - 1;
			c->known[r] = true;
		}
	} else {
		if (!c->known[d]) {
			c->isn[d] = s->seq;
			c->known[d] = true;
		}
		if (s->flags & TCPF_ACK && !c->known[r]) {
			c->isn[r] = s->ack;
			c->known[r] = true;
		}
	}
	*seq = s->seq - c->isn[d];
	*ack = s->flags & TCPF_ACK ? s->ack - c->isn[r] : s->ack;
	*sack_base = c->known[r] ? c->isn[r] : 0;
}

static void print_segment(const struct seg *s, bool relative, bool csum, bool ecn)
{
	static const char *const ecn_names[4] = { "not", "ect1", "ect0", "ce" };
	char src[INET_ADDRSTRLEN], dst[INET_ADDRSTRLEN], flags[16], opts[512];
	uint32_t seq = s->seq, ack = s->ack, sack_base = 0;
	size_t i, n = 0;

	if (relative)
		relativize(s, &seq, &ack, &sack_base);
	inet_ntop(AF_INET, &s->saddr, src, sizeof(src));
	inet_ntop(AF_INET, &s->daddr, dst, sizeof(dst));
	for (i = 0; i < ARRAY_SIZE(flag_letters); i++)
		if (s->flags & flag_letters[i].bit)
			flags[n++] = flag_letters[i].letter;
	if (!n)
		flags[n++] = '.';
	flags[n] = '\0';
	format_options(s, sack_base, opts, sizeof(opts));
	printf("t=%lld.%06lld src=%s:%u dst=%s:%u flags=%s seq=%u ack=%u win=%u len=%u opts=%s",
	       s->t_us / 1000000, s->t_us % 1000000, src, s->sport, dst, s->dport, flags, seq, ack,
	       s->win, s->len, opts);
	if (csum)
		printf(" csum=%s", s->csum);
	if (ecn)
		printf(" ecn=%s", ecn_names[s->tos & 3]);
	putchar('\n');
}

static void deadline_after(struct timespec *deadline, long ms)
{
	clock_gettime(CLOCK_MONOTONIC, deadline);
	deadline->tv_sec += ms / 1000;
	deadline->tv_nsec += ms % 1000 * 1000000;
	if (deadline->tv_nsec >= 1000000000) {
		deadline->tv_sec++;
		deadline->tv_nsec -= 1000000000;
	}
}

/* Warn about packets the kernel had to drop for lack of room in the capture queue. */
static void capture_close(struct capture *cap)
{
	struct tpacket_stats st;
	socklen_t len = sizeof(st);

	if (!getsockopt(cap->fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) && st.tp_drops)
		fprintf(stderr, "xtcp_pkt: warning: the capture queue dropped %u packets\n",
			st.tp_drops);
	close(cap->fd);
	if (fflush(stdout) || ferror(stdout))
		fail("writing the output: %m");
}

/* --- commands --------------------------------------------------------------------------- */

static int cmd_send(struct cfg *c)
{
	static uint8_t pkt[IP_MAX_LEN];
	unsigned long i, n = c->repeat ? c->repeat : 1;

	resolve_src(c);
	for (i = 0; i < n; i++) {
		send_segment(c, pkt, build_segment(c, pkt));
		c->seq += c->seq_step;
	}
	return EXIT_SUCCESS;
}

static int cmd_capture(struct cfg *c)
{
	static struct capture cap;
	struct timespec deadline;
	unsigned long seen = 0;
	sigset_t wait_mask;
	struct seg s;

	setup_signals(&wait_mask);
	capture_open(&cap, c, c->port);
	if (c->timeout_ms >= 0)
		deadline_after(&deadline, c->timeout_ms);
	fputs("ready\n", stderr);
	while (!c->count || seen < c->count) {
		if (!capture_next(&cap, &s, c->timeout_ms >= 0 ? &deadline : NULL, &wait_mask))
			break;
		print_segment(&s, c->given[O_RELATIVE], c->given[O_CSUM], c->given[O_ECN]);
		seen++;
	}
	capture_close(&cap);
	if (c->count && seen < c->count) {
		fprintf(stderr, "xtcp_pkt: %lu of %lu segments captured\n", seen, c->count);
		return EXIT_FAILURE;
	}
	if (!seen) {
		fprintf(stderr, "xtcp_pkt: no segment captured\n");
		return EXIT_FAILURE;
	}
	return EXIT_SUCCESS;
}

/* The TSval of a captured segment's timestamps option; false if it has none (or bad options). */
static bool seg_tsval(const struct seg *s, uint32_t *val)
{
	int i = 0;

	while (s->opt_len > 0 && i < s->opt_len) {
		uint8_t kind = s->opt[i], len;

		if (kind == TCPOPT_EOL)
			break;
		if (kind == TCPOPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= s->opt_len)
			break;
		len = s->opt[i + 1];
		if (len < 2 || i + len > s->opt_len)
			break;
		if (kind == TCPOPT_TS && len == 10) {
			*val = get32(s->opt + i + 2);
			return true;
		}
		i += len;
	}
	return false;
}

/*
 * expect --ack-after: the ACK that completes the handshake SYN-ACK s answered, sent
 * ack_after_ms after s came (its capture time), not after this process got to it.
 */
static void send_handshake_ack(struct cfg *c, const struct capture *cap, const struct seg *s,
			       uint8_t *pkt)
{
	struct timespec when = cap->start_mono;
	long long at_us = s->t_us + c->ack_after_ms * 1000LL;
	uint32_t tsval;
	size_t len;

	when.tv_sec += at_us / 1000000;
	when.tv_nsec += (at_us % 1000000) * 1000;
	if (when.tv_nsec >= 1000000000L) {
		when.tv_sec++;
		when.tv_nsec -= 1000000000L;
	}
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &when, NULL) == EINTR &&
	       !stop_signal)
		;
	c->flags = TCPF_ACK;
	c->tos = 0;
	c->seq++;
	c->ack = s->seq + 1;
	c->given[O_MSS] = false;
	c->given[O_SACKOK] = false;
	c->given[O_WS] = false;
	c->given[O_DOFF] = false;
	c->raw_opt_len = 0;
	c->data = NULL;
	c->data_len = 0;
	if (c->given[O_TS] && seg_tsval(s, &tsval)) {
		c->ts_ecr = tsval;
		c->ts_val++;
	} else {
		c->given[O_TS] = false;
	}
	build_options(c);
	len = build_segment(c, pkt);
	send_segment(c, pkt, len);
}

static int cmd_expect(struct cfg *c)
{
	static uint8_t pkt[IP_MAX_LEN];
	static struct capture cap;
	char src[INET_ADDRSTRLEN], dst[INET_ADDRSTRLEN];
	bool skip_own = false;
	struct timespec deadline;
	unsigned long seen = 0;
	sigset_t wait_mask;
	size_t len = 0;
	struct seg s;

	setup_signals(&wait_mask);
	resolve_src(c);
	if (!c->given[O_NO_SEND]) {
		len = build_segment(c, pkt);
		/* With SRC == DST, our own segment is on the 4-tuple: not the answer. */
		skip_own = c->src.addr.s_addr == c->dst.addr.s_addr && c->src.port == c->dst.port;
	}
	/* Capture first, so that no answer comes before we listen. */
	capture_open(&cap, c, c->src.port);
	deadline_after(&deadline, c->timeout_ms);
	if (c->given[O_NO_SEND])
		fputs("ready\n", stderr);
	else
		send_segment(c, pkt, len);
	while (seen < c->count) {
		if (!capture_next(&cap, &s, &deadline, &wait_mask))
			break;
		if (s.saddr.s_addr != c->dst.addr.s_addr || s.sport != c->dst.port ||
		    s.daddr.s_addr != c->src.addr.s_addr || s.dport != c->src.port)
			continue;
		if (skip_own && !memcmp(s.th, pkt + IP_HDR_LEN, TCP_HDR_LEN)) {
			skip_own = false;
			continue;
		}
		print_segment(&s, false, false, c->given[O_ECN]);
		if (!seen && c->given[O_ACK_AFTER] &&
		    (s.flags & (TCPF_SYN | TCPF_ACK | TCPF_RST)) == (TCPF_SYN | TCPF_ACK) &&
		    s.ack == c->seq + 1)
			send_handshake_ack(c, &cap, &s, pkt);
		seen++;
	}
	capture_close(&cap);
	if (seen < c->count) {
		inet_ntop(AF_INET, &c->dst.addr, dst, sizeof(dst));
		inet_ntop(AF_INET, &c->src.addr, src, sizeof(src));
		fprintf(stderr, "xtcp_pkt: %lu of %lu segments from %s:%u to %s:%u within %ld ms\n",
			seen, c->count, dst, c->dst.port, src, c->src.port, c->timeout_ms);
		return EXIT_FAILURE;
	}
	return EXIT_SUCCESS;
}

int main(int argc, char **argv)
{
	struct cfg c;

	parse_args(argc, argv, &c);
	setvbuf(stdout, NULL, _IOLBF, 0);
	switch (c.cmd) {
	case CMD_SEND:
		return cmd_send(&c);
	case CMD_CAPTURE:
		return cmd_capture(&c);
	case CMD_EXPECT:
		return cmd_expect(&c);
	}
	return EXIT_USAGE;
}
