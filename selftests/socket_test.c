// SPDX-License-Identifier: GPL-2.0
/*
 * socket_test.c - creating and closing AF_XTCP sockets, with the kernel's TCP
 * (AF_INET) as the referee for every errno.
 */
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "kselftest_harness.h"
#include "xtcp_common.h"

/* socket() as a result: the fd (closed) or -errno. */
static int try_socket(int family, int type, int protocol)
{
	int fd = socket(family, type, protocol);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

TEST(stream_default_protocol)
{
	int fd = socket(xtcp_family(), SOCK_STREAM, 0);
	int val;
	socklen_t len = sizeof(val);

	ASSERT_LE(0, fd) TH_LOG("socket(AF_XTCP=%d): %s", xtcp_family(), strerror(errno));
	/*
	 * Made through AF_XTCP, an IPv4 socket to the rest of the kernel, as an
	 * MPTCP socket is: cgroup BPF and the LSMs take only inet families.
	 */
	ASSERT_EQ(0, getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &val, &len));
	EXPECT_EQ(AF_INET, val);
	ASSERT_EQ(0, getsockopt(fd, SOL_SOCKET, SO_TYPE, &val, &len));
	EXPECT_EQ(SOCK_STREAM, val);
	/*
	 * XTCP's own protocol, as an MPTCP socket reads IPPROTO_MPTCP: a socket of
	 * protocol IPPROTO_TCP is taken for the kernel TCP's own by BPF and others.
	 */
	ASSERT_EQ(0, getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &val, &len));
	EXPECT_EQ(IPPROTO_XTCP, val);
	EXPECT_EQ(0, close(fd));
}

TEST(stream_tcp_protocol)
{
	int fd = socket(xtcp_family(), SOCK_STREAM, IPPROTO_TCP);
	int val;
	socklen_t len = sizeof(val);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &val, &len));
	EXPECT_EQ(IPPROTO_XTCP, val);
	EXPECT_EQ(0, close(fd));
	/* XTCP's own number is a protocol of the family too. */
	fd = socket(xtcp_family(), SOCK_STREAM, IPPROTO_XTCP);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, close(fd));
}

TEST(nonblock_cloexec_flags)
{
	int fd = socket(xtcp_family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	ASSERT_LE(0, fd);
	EXPECT_TRUE(fcntl(fd, F_GETFL) & O_NONBLOCK);
	EXPECT_TRUE(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(0, close(fd));
}

/*
 * The errno of socket() for types and protocols XTCP does not have. "tcp" is what
 * AF_INET gives, checked on the same kernel; where AF_INET has another protocol for
 * the type (UDP, ICMP, raw), XTCP answers as inet_create() does for a type with no
 * protocol at all (ESOCKTNOSUPPORT), and the referee is not asked.
 */
FIXTURE(create_errno) {};
FIXTURE_SETUP(create_errno) {}
FIXTURE_TEARDOWN(create_errno) {}

FIXTURE_VARIANT(create_errno) {
	int type;
	int protocol;
	int xtcp;		/* 0 or -errno */
	bool same_as_tcp;
};

FIXTURE_VARIANT_ADD(create_errno, stream_udp) {
	.type = SOCK_STREAM, .protocol = IPPROTO_UDP,
	.xtcp = -EPROTONOSUPPORT, .same_as_tcp = true,
};

FIXTURE_VARIANT_ADD(create_errno, stream_raw) {
	.type = SOCK_STREAM, .protocol = IPPROTO_RAW,
	.xtcp = -EPROTONOSUPPORT, .same_as_tcp = true,
};

FIXTURE_VARIANT_ADD(create_errno, stream_udplite) {
	.type = SOCK_STREAM, .protocol = IPPROTO_UDPLITE,
	.xtcp = -EPROTONOSUPPORT, .same_as_tcp = true,
};

FIXTURE_VARIANT_ADD(create_errno, stream_negative_protocol) {
	.type = SOCK_STREAM, .protocol = -1,
	.xtcp = -EINVAL, .same_as_tcp = true,
};

FIXTURE_VARIANT_ADD(create_errno, stream_protocol_past_max) {
	.type = SOCK_STREAM, .protocol = IPPROTO_MAX,
	.xtcp = -EINVAL, .same_as_tcp = true,
};

FIXTURE_VARIANT_ADD(create_errno, seqpacket) {
	.type = SOCK_SEQPACKET, .protocol = 0,
	.xtcp = -ESOCKTNOSUPPORT, .same_as_tcp = true,
};

FIXTURE_VARIANT_ADD(create_errno, rdm) {
	.type = SOCK_RDM, .protocol = 0,
	.xtcp = -ESOCKTNOSUPPORT, .same_as_tcp = true,
};

FIXTURE_VARIANT_ADD(create_errno, packet) {
	/* AF_INET: the socket layer turns (PF_INET, SOCK_PACKET) into PF_PACKET. */
	.type = SOCK_PACKET, .protocol = 0,
	.xtcp = -ESOCKTNOSUPPORT, .same_as_tcp = false,
};

FIXTURE_VARIANT_ADD(create_errno, type_past_max) {
	/* Refused by the socket layer before any family sees it. */
	.type = SOCK_PACKET + 1, .protocol = 0,
	.xtcp = -EINVAL, .same_as_tcp = true,
};

FIXTURE_VARIANT_ADD(create_errno, dgram) {
	.type = SOCK_DGRAM, .protocol = 0,
	.xtcp = -ESOCKTNOSUPPORT, .same_as_tcp = false,	/* AF_INET: UDP */
};

FIXTURE_VARIANT_ADD(create_errno, dgram_tcp) {
	.type = SOCK_DGRAM, .protocol = IPPROTO_TCP,
	.xtcp = -ESOCKTNOSUPPORT, .same_as_tcp = false,	/* AF_INET: has UDP, ICMP */
};

FIXTURE_VARIANT_ADD(create_errno, raw) {
	.type = SOCK_RAW, .protocol = IPPROTO_TCP,
	.xtcp = -ESOCKTNOSUPPORT, .same_as_tcp = false,	/* AF_INET: raw socket */
};

TEST_F(create_errno, matches)
{
	int got = try_socket(xtcp_family(), variant->type, variant->protocol);

	EXPECT_EQ(variant->xtcp, got) TH_LOG("XTCP: %s", got ? strerror(-got) : "a socket");
	if (variant->same_as_tcp) {
		int tcp = try_socket(AF_INET, variant->type, variant->protocol);

		EXPECT_EQ(tcp, got) TH_LOG("TCP gives %s, XTCP %s",
					   tcp ? strerror(-tcp) : "a socket",
					   got ? strerror(-got) : "a socket");
	}
}

/* Unbound and unconnected: the same names and errors as a fresh TCP socket. */
TEST(names_of_a_fresh_socket)
{
	int fams[2] = { AF_INET, xtcp_family() };
	int i;

	for (i = 0; i < 2; i++) {
		struct sockaddr_in sin;
		socklen_t len = sizeof(sin);
		int fd = socket(fams[i], SOCK_STREAM, 0);

		ASSERT_LE(0, fd);
		memset(&sin, 0xa5, sizeof(sin));
		ASSERT_EQ(0, getsockname(fd, (struct sockaddr *)&sin, &len));
		EXPECT_EQ(sizeof(sin), len);
		EXPECT_EQ(AF_INET, sin.sin_family);
		EXPECT_EQ(0, sin.sin_port);
		EXPECT_EQ(htonl(INADDR_ANY), sin.sin_addr.s_addr);
		EXPECT_EQ(-1, getpeername(fd, (struct sockaddr *)&sin, &len));
		EXPECT_EQ(ENOTCONN, errno);
		close(fd);
	}
}

/* Count the lines of /proc/net/xtcp (after its header) that show inode @ino. */
static int proc_lines_with_inode(unsigned long ino, int *total)
{
	char buf[65536], *line, *save;
	int found = 0;

	*total = 0;
	if (xtcp_read_file(XTCP_PROC_SOCKETS, buf, sizeof(buf)) < 0)
		return -1;
	line = strtok_r(buf, "\n", &save);	/* header */
	while ((line = strtok_r(NULL, "\n", &save))) {
		unsigned int st;
		unsigned long inode;
		int n;

		(*total)++;
		n = sscanf(line, "%*d: %*x:%*x %*x:%*x %x %*x:%*x %*x:%*x %*x %*u %*d %lu",
			   &st, &inode);
		if (n == 2 && inode == ino && st == 7)
			found++;
	}
	return found;
}

/*
 * In a namespace of its own the counters start at zero and move by exactly what the
 * test does; /proc/net/xtcp shows each socket (state 07, CLOSE) until it is closed.
 */
TEST(counters_and_proc_follow_sockets)
{
	enum { N = 5 };
	int fds[N], i, total;
	struct stat st;

	ASSERT_EQ(0, unshare(CLONE_NEWNET)) TH_LOG("unshare: %s", strerror(errno));
	EXPECT_EQ(0, xtcp_counter("SocketsCreated"));
	EXPECT_EQ(0, xtcp_counter("SocketsDestroyed"));
	EXPECT_EQ(0, xtcp_counter("CurrEstab"));
	EXPECT_EQ(0, proc_lines_with_inode(0, &total));
	EXPECT_EQ(0, total);

	for (i = 0; i < N; i++) {
		fds[i] = socket(xtcp_family(), SOCK_STREAM, 0);
		ASSERT_LE(0, fds[i]);
	}
	EXPECT_EQ(N, xtcp_counter("SocketsCreated"));
	EXPECT_EQ(0, xtcp_counter("SocketsDestroyed"));
	for (i = 0; i < N; i++) {
		ASSERT_EQ(0, fstat(fds[i], &st));
		EXPECT_EQ(1, proc_lines_with_inode(st.st_ino, &total));
	}
	EXPECT_EQ(N, total);

	for (i = 0; i < N; i++)
		close(fds[i]);
	EXPECT_EQ(N, xtcp_counter("SocketsCreated"));
	/* Sockets are freed after an RCU grace period (SOCK_RCU_FREE). */
	EXPECT_EQ(N, xtcp_wait_counter("SocketsDestroyed", N, 5000));
	EXPECT_EQ(0, proc_lines_with_inode(0, &total));
	EXPECT_EQ(0, total);
}

/* Namespaces do not see each other's sockets or counters. */
TEST(proc_is_per_namespace)
{
	int fd, total;

	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	fd = socket(xtcp_family(), SOCK_STREAM, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	/* The socket lives in the first namespace; this one is empty. */
	EXPECT_EQ(0, xtcp_counter("SocketsCreated"));
	EXPECT_EQ(0, proc_lines_with_inode(0, &total));
	EXPECT_EQ(0, total);
	close(fd);
	EXPECT_EQ(0, xtcp_counter("SocketsDestroyed"));
}

/* Every counter the documentation lists is there, one "Name value" per line. */
TEST(counters_file_format)
{
	static const char *const names[] = {
		"ActiveOpens", "PassiveOpens", "AttemptFails", "EstabResets", "CurrEstab",
		"InSegs", "OutSegs", "RetransSegs", "InErrs", "InCsumErrors", "OutRsts",
		"SynRetrans", "SynAckRetrans", "ListenOverflows", "ListenDrops",
		"SynQueueDrops", "SyncookiesSent", "SyncookiesRecv", "SyncookiesFailed",
		"TimeWaitEntered", "TimeWaitExpired", "TimeWaitOverflow", "TimeWaitRecycled",
		"ChallengeAcks", "InNoSocket", "SocketsCreated", "SocketsDestroyed",
		"TCPAbortOnData", "TCPDeferAcceptDrop", "TCPOFODrop", "OfoPruned",
		"TCPACKSkippedChallenge", "TCPACKSkippedSeq", "TCPAbortOnMemory", "TCPRcvQDrop",
		"TCPMemoryPressures", "TCPACKSkippedTimeWait", "PAWSEstab", "TSOptMissing",
		"PAWSOldAck", "TCPRcvCoalesce", "TSQThrottled", "TCPRenoRecovery",
		"TCPFastRetrans", "TCPDSACKOldSent", "TCPDSACKOfoSent",
		"TCPSACKDiscard", "TCPFullUndo", "TCPSackRecovery", "TCPDSACKRecv",
		"TCPLossProbes", "TCPLossProbeRecovery", "TCPTimeouts", "TCPSACKReorder",
		"TCPLostRetransmit", "TCPDSACKUndo", "TCPHystartDelayDetect", "TCPHystartDelayCwnd",
		"TCPSpuriousRTOs", "TCPECNReductions", "TCPECNCEReceived",
	};
	char buf[8192], *line, *save;
	unsigned int i, lines = 0;

	ASSERT_LT(0, xtcp_read_file(XTCP_PROC_COUNTERS, buf, sizeof(buf)));
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char name[64];
		unsigned long v;
		char extra;
		int n;

		n = sscanf(line, "%63s %lu %c", name, &v, &extra);
		EXPECT_EQ(2, n) TH_LOG("line '%s'", line);
		lines++;
	}
	EXPECT_EQ(ARRAY_SIZE(names), lines);
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		long v = xtcp_counter(names[i]);

		if (v < 0)
			ksft_print_msg("no counter %s\n", names[i]);
		EXPECT_LE(0, v);
	}
}

TEST_HARNESS_MAIN
