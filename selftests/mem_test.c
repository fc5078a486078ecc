// SPDX-License-Identifier: GPL-2.0
/*
 * mem_test.c - what a protocol's sockets may hold: the global limit (XTCP's
 * net.xtcp.mem, TCP's tcp_mem), the orphan limit (net.xtcp.max_orphans,
 * tcp_max_orphans) and the memory cgroup's charge, XTCP against TCP.
 *
 * Each case runs in a namespace of its own, over its loopback with an MTU of
 * 1500 (segments as on a LAN). A server that never reads accepts N connections;
 * each client writes what it can without blocking, then closes with its send
 * queue full, an orphan. The protocol's pages are read from its sockstat line
 * (/proc/net/xtcp_sockstat, /proc/net/sockstat's TCP line), the aborts from
 * TCPAbortOnMemory. The limits are global, the initial namespace's: their files
 * are opened before the test leaves it, and put back at the end.
 */
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>

#include "kselftest_harness.h"
#include "xtcp_common.h"

#define SA(sin)		((struct sockaddr *)(sin))
#define MEM_PORT	47000
#define MAX_CONNS	400

/* A listener and its connections: client and accepted ends (-1 once closed). */
struct conns {
	int fam;
	int lfd;
	int cfd[MAX_CONNS], sfd[MAX_CONNS];
	int n;
};

FIXTURE(mem) {
	bool xtcp;
	int mem_fd, orphans_fd;
	char mem[96], orphans[32];
	struct conns c;
};

FIXTURE_VARIANT(mem) {
	bool xtcp;
};

FIXTURE_VARIANT_ADD(mem, tcp) {
	.xtcp = false,
};

FIXTURE_VARIANT_ADD(mem, xtcp) {
	.xtcp = true,
};

static int knob_read(int fd, char *buf, size_t size)
{
	ssize_t n = pread(fd, buf, size - 1, 0);

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

static int knob_write(int fd, const char *text)
{
	return pwrite(fd, text, strlen(text), 0) == (ssize_t)strlen(text) ? 0 : -1;
}

/* A field ("mem", "orphan") of the protocol's sockstat line; -1 if absent. */
static long sockstat(bool xtcp, const char *field)
{
	char buf[4096], *line, key[32];
	const char *prefix = xtcp ? "XTCP:" : "TCP:";

	if (xtcp_read_file(xtcp ? "/proc/net/xtcp_sockstat" : "/proc/net/sockstat",
			   buf, sizeof(buf)) < 0)
		return -1;
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		char *p;

		if (strncmp(line, prefix, strlen(prefix)))
			continue;
		snprintf(key, sizeof(key), " %s ", field);
		p = strstr(line, key);
		return p ? strtol(p + strlen(key), NULL, 10) : -1;
	}
	return -1;
}

/* A TcpExt counter of /proc/net/netstat (TCP), or an XTCP counter. */
static long counter(bool xtcp, const char *name)
{
	char buf[16384], *names, *vals, *save1, *save2, *n, *v;

	if (xtcp)
		return xtcp_counter(name);
	if (xtcp_read_file("/proc/net/netstat", buf, sizeof(buf)) < 0)
		return -1;
	names = strstr(buf, "TcpExt:");
	if (!names)
		return -1;
	vals = strstr(names + 1, "TcpExt:");
	if (!vals)
		return -1;
	*strchr(names, '\n') = '\0';
	v = strchr(vals, '\n');
	if (v)
		*v = '\0';
	n = strtok_r(names, " ", &save1);
	v = strtok_r(vals, " ", &save2);
	while (n && v) {
		if (!strcmp(n, name))
			return strtol(v, NULL, 10);
		n = strtok_r(NULL, " ", &save1);
		v = strtok_r(NULL, " ", &save2);
	}
	return -1;
}

static long mem_available_kb(void)
{
	char buf[4096], *p;

	if (xtcp_read_file("/proc/meminfo", buf, sizeof(buf)) < 0)
		return -1;
	p = strstr(buf, "MemAvailable:");
	return p ? strtol(p + strlen("MemAvailable:"), NULL, 10) : -1;
}

FIXTURE_SETUP(mem)
{
	struct sockaddr_in addr = {
		.sin_family = AF_INET, .sin_port = htons(MEM_PORT),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	const char *dir = variant->xtcp ? XTCP_SYSCTL_DIR : "/proc/sys/net/ipv4";
	char path[128];

	self->xtcp = variant->xtcp;
	self->c.fam = variant->xtcp ? xtcp_family() : AF_INET;
	snprintf(path, sizeof(path), "%s/%s", dir, variant->xtcp ? "mem" : "tcp_mem");
	self->mem_fd = open(path, O_RDWR);
	ASSERT_LE(0, self->mem_fd) TH_LOG("%s: %s", path, strerror(errno));
	snprintf(path, sizeof(path), "%s/%s", dir,
		 variant->xtcp ? "max_orphans" : "tcp_max_orphans");
	self->orphans_fd = open(path, O_RDWR);
	ASSERT_LE(0, self->orphans_fd) TH_LOG("%s: %s", path, strerror(errno));
	ASSERT_EQ(0, knob_read(self->mem_fd, self->mem, sizeof(self->mem)));
	ASSERT_EQ(0, knob_read(self->orphans_fd, self->orphans, sizeof(self->orphans)));

	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, xtcp_lo_up(1500));
	self->c.lfd = socket(self->c.fam, SOCK_STREAM, 0);
	ASSERT_LE(0, self->c.lfd);
	ASSERT_EQ(0, bind(self->c.lfd, SA(&addr), sizeof(addr)));
	ASSERT_EQ(0, listen(self->c.lfd, 1024));
	self->c.n = 0;
}

FIXTURE_TEARDOWN(mem)
{
	int i;

	for (i = 0; i < self->c.n; i++) {
		if (self->c.cfd[i] >= 0)
			close(self->c.cfd[i]);
		close(self->c.sfd[i]);
	}
	close(self->c.lfd);
	EXPECT_EQ(0, knob_write(self->mem_fd, self->mem));
	EXPECT_EQ(0, knob_write(self->orphans_fd, self->orphans));
}

/*
 * One more connection: accepted (never read), the client's writes taken until
 * it would block or @bytes went. Returns the bytes written, or -1.
 */
static long add_conn(struct conns *cs, long bytes)
{
	struct sockaddr_in addr = {
		.sin_family = AF_INET, .sin_port = htons(MEM_PORT),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	static char chunk[16384];
	long sent = 0;
	int c, s, round;

	c = socket(cs->fam, SOCK_STREAM, 0);
	if (c < 0 || connect(c, SA(&addr), sizeof(addr)))
		return -1;
	s = accept(cs->lfd, NULL, NULL);
	if (s < 0)
		return -1;
	cs->cfd[cs->n] = c;
	cs->sfd[cs->n] = s;
	cs->n++;
	fcntl(c, F_SETFL, O_NONBLOCK);
	/*
	 * Until it would block, a few times over: the receiver's window takes what
	 * was queued meanwhile, so that data is left queued at the end.
	 */
	for (round = 0; round < 4 && sent < bytes; round++) {
		long before = sent;

		while (sent < bytes) {
			ssize_t w = send(c, chunk, sizeof(chunk) < (size_t)(bytes - sent) ?
					 sizeof(chunk) : (size_t)(bytes - sent), 0);

			if (w <= 0)
				break;
			sent += w;
		}
		if (round && sent == before)
			break;
		usleep(1000);
	}
	return sent;
}

static long pcpu_reserve_pages(void)
{
	char buf[32];
	long rsv = 256;

	if (xtcp_read_file("/proc/sys/net/core/mem_pcpu_rsv", buf, sizeof(buf)) > 0)
		rsv = strtol(buf, NULL, 10);
	return rsv * sysconf(_SC_NPROCESSORS_CONF);
}

/*
 * 400 connections to a server that never reads, each client writing up to 256
 * KiB, with a hard limit of 512 pages (2 MiB): the protocol never holds more
 * than the limit, give or take what each CPU keeps in reserve (and, for TCP,
 * what it forces: below), and the host's
 * free memory does not fall by more than a few times the limit. Then, the
 * limit lowered under what is held, the clients close with their queues full:
 * they are reset rather than kept (TCPAbortOnMemory). Unlimited, XTCP held
 * 57 MB here.
 */
/* Time limits: 400 connections on the debug kernel under emulation, busy. */
TEST_F_TIMEOUT(mem, hard_limit_holds, 120)
{
	long hard = 512, peak = 0, m, before, after, aborts, sent = 0;
	long slack = pcpu_reserve_pages() + 64;
	int i;

	ASSERT_EQ(0, knob_write(self->mem_fd, "128 256 512"));
	before = mem_available_kb();
	aborts = counter(self->xtcp, "TCPAbortOnMemory");
	ASSERT_LE(0, aborts);
	for (i = 0; i < MAX_CONNS; i++) {
		long w = add_conn(&self->c, 256 * 1024);

		ASSERT_LE(0, w) TH_LOG("connection %d: %s", i, strerror(errno));
		sent += w;
		m = sockstat(self->xtcp, "mem");
		ASSERT_LE(0, m);
		if (m > peak)
			peak = m;
	}
	usleep(300000);
	after = mem_available_kb();
	m = sockstat(self->xtcp, "mem");
	if (m > peak)
		peak = m;
	TH_LOG("%s: %d connections took %ld KiB; peak %ld pages (limit %ld + %ld)",
	       self->xtcp ? "XTCP" : "TCP", MAX_CONNS, sent / 1024, peak, hard, slack);
	TH_LOG("free memory fell %ld KiB; TCPRcvQDrop %ld", before - after,
	       counter(self->xtcp, "TCPRcvQDrop"));
	/*
	 * TCP forces the charge of the first skb of an empty queue (receive or
	 * send: sk_forced_mem_schedule(); up to a 64 KiB GSO skb on the loopback),
	 * so that each connection always moves; XTCP cannot (the kernel does not
	 * export it to modules) and forces none: over the limit, its connections
	 * wait for memory. What the host lost is XTCP's to bound: TCP's is shown.
	 */
	EXPECT_LE(peak, hard + slack + (self->xtcp ? 0 : 24L * MAX_CONNS));
	if (self->xtcp)
		EXPECT_LT(before - after, 40 * 1024);

	/* Memory is short now (the limit lowered under what is held): close. */
	ASSERT_EQ(0, knob_write(self->mem_fd, "16 32 64"));
	for (i = 0; i < self->c.n; i++) {
		close(self->c.cfd[i]);
		self->c.cfd[i] = -1;
	}
	usleep(300000);
	aborts = counter(self->xtcp, "TCPAbortOnMemory") - aborts;
	TH_LOG("closed over the limit: %ld reset (TCPAbortOnMemory), %ld orphans left, %ld pages",
	       aborts, sockstat(self->xtcp, "orphan"), sockstat(self->xtcp, "mem"));
	EXPECT_LT(0, aborts);
}

/*
 * max_orphans 50: of 200 clients closed one after another with data still
 * queued (the server never reads, the clients wrote until they would block),
 * the ones past the limit are reset instead of kept. TCP counts its orphans
 * into a cache every 100 ms: the clients close 5 ms apart, and either may run
 * past the limit by what a cache period sees.
 */
TEST_F_TIMEOUT(mem, orphan_limit, 120)
{
	long aborts, orphans;
	int i, n = 200, max = 50;

	ASSERT_EQ(0, knob_write(self->orphans_fd, "50"));
	aborts = counter(self->xtcp, "TCPAbortOnMemory");
	for (i = 0; i < n; i++)
		ASSERT_LT(0, add_conn(&self->c, 192 * 1024));
	for (i = 0; i < n; i++) {
		close(self->c.cfd[i]);
		self->c.cfd[i] = -1;
		usleep(5000);
	}
	usleep(200000);
	aborts = counter(self->xtcp, "TCPAbortOnMemory") - aborts;
	orphans = sockstat(self->xtcp, "orphan");
	TH_LOG("%s: %d closed, %ld orphans kept, %ld reset", self->xtcp ? "XTCP" : "TCP",
	       n, orphans, aborts);
	EXPECT_LE(orphans, max + 25);
	/*
	 * XTCP's orphans all still hold data (what they wrote past the window fits
	 * in their send buffer); a TCP client may have got all of it into the
	 * server's buffer, its orphan then leaving the count in FIN_WAIT2. A few
	 * may have run out of window probes on a slow machine.
	 */
	if (self->xtcp)
		EXPECT_LE(max - 5, orphans);
	EXPECT_LE(n - max - 25, aborts);
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY), err = 0;

	if (fd < 0)
		return -1;
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		err = -1;
	close(fd);
	return err;
}

/* memory.stat's "sock" (bytes), or -1. */
static long memcg_sock(const char *dir)
{
	char path[160], buf[8192], *p;

	snprintf(path, sizeof(path), "%s/memory.stat", dir);
	if (xtcp_read_file(path, buf, sizeof(buf)) < 0)
		return -1;
	p = strstr(buf, "\nsock ");
	return p ? strtol(p + 6, NULL, 10) : -1;
}

/*
 * In a memory cgroup, 50 connections with 64 KiB each unread on the server's
 * side and the rest queued at the client: their buffers are charged to the
 * cgroup (memory.stat "sock"), the accepted sockets' too, so its limits hold
 * them; once they are closed, the charge goes.
 */
TEST_F_TIMEOUT(mem, memcg_charged, 120)
{
	struct sockaddr_in addr = {
		.sin_family = AF_INET, .sin_port = htons(MEM_PORT + 1),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};
	const char *root = xtcp_cgroup2_root();
	char dir[128], path[160], pid[32];
	long sock, held, left;
	int i, c, s;

	if (!root)
		SKIP(return, "no cgroup2");
	snprintf(path, sizeof(path), "%s/cgroup.subtree_control", root);
	if (write_file(path, "+memory"))
		SKIP(return, "no memory controller: %s", strerror(errno));
	snprintf(dir, sizeof(dir), "%s/xtcp-mem-%d", root, getpid());
	ASSERT_EQ(0, mkdir(dir, 0755));
	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	snprintf(pid, sizeof(pid), "%d\n", getpid());
	ASSERT_EQ(0, write_file(path, pid));
	/* Sockets made from here on are the cgroup's: a listener of its own. */
	close(self->c.lfd);
	self->c.lfd = socket(self->c.fam, SOCK_STREAM, 0);
	ASSERT_LE(0, self->c.lfd);
	ASSERT_EQ(0, bind(self->c.lfd, SA(&addr), sizeof(addr)));
	ASSERT_EQ(0, listen(self->c.lfd, 128));
	/* The accepted sockets' charge alone: clients from outside the cgroup. */
	sock = memcg_sock(dir);
	ASSERT_LE(0, sock);
	for (i = 0; i < 50; i++) {
		static char chunk[65536];
		pid_t p;
		int st;

		p = fork();
		ASSERT_LE(0, p);
		if (!p) {
			/* The client, back in the root cgroup. */
			snprintf(path, sizeof(path), "%s/cgroup.procs", root);
			if (write_file(path, "0\n"))
				_exit(1);
			c = socket(self->c.fam, SOCK_STREAM, 0);
			if (c < 0 || connect(c, SA(&addr), sizeof(addr)))
				_exit(1);
			fcntl(c, F_SETFL, O_NONBLOCK);
			while (send(c, chunk, sizeof(chunk), 0) > 0)
				;
			/* An orphan of the root cgroup now: only the server's side stays. */
			_exit(0);
		}
		s = accept(self->c.lfd, NULL, NULL);
		ASSERT_LE(0, s);
		ASSERT_EQ(p, waitpid(p, &st, 0));
		ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
		self->c.sfd[self->c.n] = s;
		self->c.cfd[self->c.n] = -1;
		self->c.n++;
	}
	usleep(300000);
	held = memcg_sock(dir) - sock;
	TH_LOG("%s: 50 accepted connections with unread data: memory.stat sock %ld KiB",
	       self->xtcp ? "XTCP" : "TCP", held / 1024);
	EXPECT_LE(50L * 32 * 1024, held);
	for (i = 0; i < self->c.n; i++)
		close(self->c.sfd[i]);
	self->c.n = 0;
	for (i = 0; i < 100 && (left = memcg_sock(dir) - sock) > 64 * 1024; i++)
		usleep(20000);
	TH_LOG("after close: %ld KiB", left / 1024);
	EXPECT_GE(64L * 1024, left);
	close(self->c.lfd);
	self->c.lfd = socket(AF_INET, SOCK_STREAM, 0);

	snprintf(path, sizeof(path), "%s/cgroup.procs", root);
	EXPECT_EQ(0, write_file(path, pid));
	usleep(100000);
	rmdir(dir);
}

TEST_HARNESS_MAIN
