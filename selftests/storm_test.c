// SPDX-License-Identifier: GPL-2.0
/*
 * storm_test.c - two ends that disagree about the sequence space must not answer
 * each other's ACKs forever (an ACK storm), with the kernel's TCP as the referee.
 *
 * Each test runs in a network namespace of its own, over its loopback. A
 * connection is made; one segment of forged data is injected at the accepting
 * end's RCV.NXT as if the connecting end had sent it. The accepting end takes it
 * and ACKs bytes the other end never sent; that end answers "you are ahead", an
 * ACK whose sequence number the first end now finds below its window, which it
 * answers in turn... RFC 9293 asks for each of those ACKs; RFC 5961 section 7
 * and Linux's tcp_invalid_ratelimit bound them. The test counts the segments on
 * the 4-tuple for two seconds after the injection.
 *
 * Then the namespace's challenge ACK budget: in-window SYNs on an established
 * connection (RFC 5961 4.2) with the per-connection limit off and
 * challenge_ack_limit 10 (TCP: tcp_invalid_ratelimit and tcp_challenge_ack_limit)
 * draw 5 to 14 challenge ACKs a second, whatever the SYNs.
 *
 * Both stacks agree on timestamps (RFC 7323), so the forged segments carry the
 * client's last TSval, as a real desynchronised peer's would: XTCP drops a
 * segment without them (RFC 7323 3.2), which would hide the storm.
 */
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>

#include "kselftest_harness.h"
#include "xtcp_common.h"

#define SA(sin)		((struct sockaddr *)(sin))

/*
 * A segment seen on the loopback: its ports, numbers, flags, payload length and
 * timestamps (when @has_ts).
 */
struct seen {
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	unsigned int len;
	bool has_ts;
	uint32_t tsval, tsecr;
};

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The timestamps option among @len bytes of options at @p, if any. */
static void parse_ts(const unsigned char *p, int len, struct seen *s)
{
	s->has_ts = false;
	while (len > 0) {
		if (p[0] == TCPOPT_EOL)
			return;
		if (p[0] == TCPOPT_NOP) {
			p++;
			len--;
			continue;
		}
		if (len < 2 || p[1] < 2 || p[1] > len)
			return;
		if (p[0] == TCPOPT_TIMESTAMP && p[1] == TCPOLEN_TIMESTAMP) {
			s->has_ts = true;
			s->tsval = get32(p + 2);
			s->tsecr = get32(p + 6);
		}
		len -= p[1];
		p += p[1];
	}
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/*
 * A packet socket on the loopback; capture_next() keeps each segment's outgoing
 * copy (only ETH_P_ALL taps see those).
 */
static int capture_open(void)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ALL),
		.sll_ifindex = (int)if_nametoindex("lo"),
	};
	int fd = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_ALL));

	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The next TCP segment captured within @ms: 1, 0 on timeout, -1 on error. */
static int capture_next(int fd, struct seen *s, int ms)
{
	unsigned char buf[256];
	struct sockaddr_ll from;
	long end = now_ms() + ms;

	for (;;) {
		socklen_t flen = sizeof(from);
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		long left = end - now_ms();
		const struct iphdr *iph = (const void *)buf;
		const struct tcphdr *th;
		ssize_t n;

		if (left <= 0)
			return 0;
		if (poll(&pfd, 1, (int)left) <= 0)
			continue;
		n = recvfrom(fd, buf, sizeof(buf), MSG_TRUNC, (struct sockaddr *)&from, &flen);
		if (n < 0)
			return -1;
		if (from.sll_pkttype != PACKET_OUTGOING ||
		    from.sll_protocol != htons(ETH_P_IP) || n < (ssize_t)sizeof(*iph) ||
		    iph->protocol != IPPROTO_TCP || n < iph->ihl * 4 + (ssize_t)sizeof(*th))
			continue;
		th = (const void *)(buf + iph->ihl * 4);
		s->sport = ntohs(th->source);
		s->dport = ntohs(th->dest);
		s->seq = ntohl(th->seq);
		s->ack = ntohl(th->ack_seq);
		s->flags = buf[iph->ihl * 4 + 13];
		s->len = ntohs(iph->tot_len) - iph->ihl * 4 - th->doff * 4;
		if (n >= iph->ihl * 4 + th->doff * 4)
			parse_ts((const unsigned char *)(th + 1),
				 th->doff * 4 - (int)sizeof(*th), s);
		else
			s->has_ts = false;
		return 1;
	}
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint32_t csum_add(uint32_t sum, const void *p, size_t len)
{
	const unsigned char *b = p;

	for (; len > 1; b += 2, len -= 2)
		sum += (uint32_t)(b[0] << 8 | b[1]);
	if (len)
		sum += (uint32_t)(b[0] << 8);
	return sum;
}

/*
 * Send a TCP segment 127.0.0.1:@sport -> 127.0.0.1:@dport through a raw socket,
 * with the timestamps of @ts (its TSval and TSecr) if it has them.
 */
static int inject(uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack,
		  uint8_t flags, const char *data, size_t len, const struct seen *ts)
{
	unsigned char pkt[sizeof(struct iphdr) + sizeof(struct tcphdr) + 12 + 64] = {};
	struct iphdr *iph = (void *)pkt;
	struct tcphdr *th = (void *)(pkt + sizeof(*iph));
	struct sockaddr_in to = { .sin_family = AF_INET };
	size_t olen = ts && ts->has_ts ? 12 : 0;
	size_t tcplen = sizeof(*th) + olen + len;
	unsigned char *o = (unsigned char *)(th + 1);
	unsigned char pseudo[12];
	uint32_t sum;
	int fd, one = 1;
	ssize_t n;

	if (len > 64)
		return -1;
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	iph->version = 4;
	iph->ihl = 5;
	iph->ttl = 64;
	iph->protocol = IPPROTO_TCP;
	iph->saddr = to.sin_addr.s_addr;
	iph->daddr = to.sin_addr.s_addr;
	iph->tot_len = htons(sizeof(*iph) + tcplen);
	th->source = htons(sport);
	th->dest = htons(dport);
	th->seq = htonl(seq);
	th->ack_seq = htonl(ack);
	th->doff = (sizeof(*th) + olen) / 4;
	pkt[sizeof(*iph) + 13] = flags;
	th->window = htons(65535);
	if (olen) {
		uint32_t v = htonl(ts->tsval), e = htonl(ts->tsecr);

		o[0] = TCPOPT_NOP;
		o[1] = TCPOPT_NOP;
		o[2] = TCPOPT_TIMESTAMP;
		o[3] = TCPOLEN_TIMESTAMP;
		memcpy(o + 4, &v, 4);
		memcpy(o + 8, &e, 4);
	}
	memcpy(o + olen, data, len);
	memcpy(pseudo, &iph->saddr, 4);
	memcpy(pseudo + 4, &iph->daddr, 4);
	pseudo[8] = 0;
	pseudo[9] = IPPROTO_TCP;
	pseudo[10] = tcplen >> 8;
	pseudo[11] = tcplen & 0xff;
	sum = csum_add(0, pseudo, sizeof(pseudo));
	sum = csum_add(sum, th, tcplen);
	th->check = htons(csum_fold(sum));

	fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (fd < 0)
		return -1;
	setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one));
	n = sendto(fd, pkt, sizeof(*iph) + tcplen, 0, SA(&to), sizeof(to));
	close(fd);
	return n == (ssize_t)(sizeof(*iph) + tcplen) ? 0 : -1;
}

/* A connection over 127.0.0.1: *cli connected, *srv accepted; their ports. */
static int make_pair(int fam, int *cli, int *srv, uint16_t *cport, uint16_t *sport)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	socklen_t len = sizeof(addr);
	int lfd = socket(fam, SOCK_STREAM, 0);

	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (lfd < 0 || bind(lfd, SA(&addr), sizeof(addr)) || listen(lfd, 1) ||
	    getsockname(lfd, SA(&addr), &len))
		return -1;
	*sport = ntohs(addr.sin_port);
	*cli = socket(fam, SOCK_STREAM, 0);
	if (*cli < 0 || connect(*cli, SA(&addr), sizeof(addr)))
		return -1;
	*srv = accept(lfd, NULL, NULL);
	close(lfd);
	len = sizeof(addr);
	if (*srv < 0 || getsockname(*cli, SA(&addr), &len))
		return -1;
	*cport = ntohs(addr.sin_port);
	return 0;
}

static void close_with_rst(int fd)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(fd);
}

/* A sysctl of the caller's namespace: @name under /proc/sys/net/. */
static int write_sysctl(const char *name, int val)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/sys/net/%s", name);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "%d\n", val);
	return fclose(f);
}

FIXTURE(storm) {
	int fam;
	int cli, srv, cap;
	uint16_t cport, sport;
};

FIXTURE_VARIANT(storm) {
	bool xtcp;
};

FIXTURE_VARIANT_ADD(storm, tcp) {
	.xtcp = false,
};

FIXTURE_VARIANT_ADD(storm, xtcp) {
	.xtcp = true,
};

FIXTURE_SETUP(storm)
{
	self->cli = -1;
	self->srv = -1;
	self->cap = -1;
	if (variant->xtcp && access("/sys/module/xtcp", F_OK))
		SKIP(_metadata->passed = 0; return, "xtcp module not loaded");
	/* Each test is a process of its own: its namespace, its loopback. */
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, xtcp_lo_up(0));
	self->fam = variant->xtcp ? xtcp_family() : AF_INET;
	self->cap = capture_open();
	ASSERT_LE(0, self->cap);
	ASSERT_EQ(0, make_pair(self->fam, &self->cli, &self->srv, &self->cport,
			       &self->sport));
	alarm(30);
}

FIXTURE_TEARDOWN(storm)
{
	alarm(0);
	if (self->cli >= 0)
		close_with_rst(self->cli);
	if (self->srv >= 0)
		close_with_rst(self->srv);
	if (self->cap >= 0)
		close(self->cap);
}

/* The client's next data segment: where the server's RCV.NXT and SND.NXT are. */
static int client_segment(int cap, uint16_t cport, struct seen *s)
{
	int r;

	while ((r = capture_next(cap, s, 5000)) > 0)
		if (s->sport == cport && s->len)
			return 0;
	return -1;
}

TEST_F(storm, desynchronised_pair_does_not_storm)
{
	struct seen s, c;
	uint32_t rcv_nxt, snd_nxt;
	long skipped = variant->xtcp ? xtcp_counter("TCPACKSkippedSeq") : 0;
	int n = 0, r;
	char buf[64];
	long end;

	ASSERT_EQ(5, send(self->cli, "hello", 5, 0));
	ASSERT_EQ(0, client_segment(self->cap, self->cport, &c));
	ASSERT_EQ(5, recv(self->srv, buf, sizeof(buf), 0));
	rcv_nxt = c.seq + c.len;
	snd_nxt = c.ack;
	/* Let the ACK of "hello" go by. */
	while (capture_next(self->cap, &s, 300) > 0)
		;
	/* Data the client never sent, at the server's RCV.NXT, with its TSval. */
	ASSERT_TRUE(c.has_ts);
	ASSERT_EQ(0, inject(self->cport, self->sport, rcv_nxt, snd_nxt, 0x18, "0123456789",
			    10, &c));
	end = now_ms() + 2000;
	while ((r = capture_next(self->cap, &s, (int)(end - now_ms()))) > 0)
		if ((s.sport == self->cport && s.dport == self->sport) ||
		    (s.sport == self->sport && s.dport == self->cport))
			n++;
	ASSERT_LE(0, r);
	ksft_print_msg("%s: %d segments in 2 s after the injection\n",
		       variant->xtcp ? "xtcp" : "tcp", n);
	/* The injected one, the server's ACK, and a few rate-limited answers. */
	EXPECT_GE(n, 2);
	EXPECT_LE(n, 12);
	if (variant->xtcp)
		EXPECT_LT(skipped, xtcp_counter("TCPACKSkippedSeq"));
}

TEST_F(storm, challenge_ack_budget)
{
	struct seen s, c;
	uint32_t rcv_nxt;
	long before;
	int i, n = 0, r;
	char buf[8];

	if (variant->xtcp) {
		ASSERT_EQ(0, write_sysctl("xtcp/invalid_ratelimit", 0));
		ASSERT_EQ(0, write_sysctl("xtcp/challenge_ack_limit", 10));
	} else {
		ASSERT_EQ(0, write_sysctl("ipv4/tcp_invalid_ratelimit", 0));
		ASSERT_EQ(0, write_sysctl("ipv4/tcp_challenge_ack_limit", 10));
	}
	ASSERT_EQ(1, send(self->cli, "x", 1, 0));
	ASSERT_EQ(0, client_segment(self->cap, self->cport, &c));
	ASSERT_EQ(1, recv(self->srv, buf, sizeof(buf), 0));
	rcv_nxt = c.seq + c.len;
	ASSERT_TRUE(c.has_ts);
	while (capture_next(self->cap, &s, 300) > 0)
		;
	before = variant->xtcp ? xtcp_counter("ChallengeAcks") : 0;
	/* 100 SYNs inside the window, as fast as they go. */
	for (i = 0; i < 100; i++)
		ASSERT_EQ(0, inject(self->cport, self->sport, rcv_nxt + 10 + i, 0, 0x02, "", 0,
				    &c));
	while ((r = capture_next(self->cap, &s, 500)) > 0)
		if (s.sport == self->sport && s.dport == self->cport)
			n++;
	ksft_print_msg("100 SYNs: %d challenge ACKs\n", n);
	/* One second's budget is 5 to 14; the SYNs may straddle two seconds. */
	EXPECT_GE(n, 5);
	EXPECT_LE(n, 29);
	if (variant->xtcp)
		EXPECT_EQ(n, xtcp_counter("ChallengeAcks") - before);
	/* The connection is none the worse. */
	ASSERT_EQ(2, send(self->cli, "ok", 2, 0));
	ASSERT_EQ(2, recv(self->srv, buf, sizeof(buf), 0));
}

TEST_HARNESS_MAIN
