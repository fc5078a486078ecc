// SPDX-License-Identifier: GPL-2.0
/*
 * cgroup_test.c - cgroup BPF (what systemd's IPAddressDeny= and container
 * runtimes use) applies to XTCP's segments as to TCP's, with the kernel's TCP
 * as the referee.
 *
 * Each test is a process of its own, in a network namespace of its own and a
 * cgroup of its own (on a cgroup2 mount the test makes if there is none). A
 * connection over the loopback is made; then a cgroup_skb program that drops
 * everything is attached to the cgroup's egress (or ingress). Data the
 * accepted socket sends must not arrive while it is attached (an accepted
 * socket belongs to its listener's cgroup, though made in softirq), nor data the
 * connected one sends; once it is detached, the retransmissions get through.
 */
#include <arpa/inet.h>
#include <linux/bpf.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "kselftest_harness.h"
#include "xtcp_common.h"

#define SA(sin)		((struct sockaddr *)(sin))

static int bpf(int cmd, union bpf_attr *attr)
{
	return (int)syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

/* A cgroup_skb program: r0 = 0 (drop); exit. */
static int drop_prog(void)
{
	static const struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	static const char license[] = "GPL";
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_CGROUP_SKB;
	attr.insns = (uintptr_t)insns;
	attr.insn_cnt = ARRAY_SIZE(insns);
	attr.license = (uintptr_t)license;
	return bpf(BPF_PROG_LOAD, &attr);
}

static int prog_attach(int cg, int prog, enum bpf_attach_type type, bool attach)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.target_fd = cg;
	attr.attach_bpf_fd = prog;
	attr.attach_type = type;
	return bpf(attach ? BPF_PROG_ATTACH : BPF_PROG_DETACH, &attr);
}

/* A new cgroup with this process in it; its directory's fd, or -1. */
static int join_new_cgroup(char *dir, size_t size)
{
	const char *root = xtcp_cgroup2_root();
	char procs[160];
	FILE *f;

	if (!root)
		return -1;
	snprintf(dir, size, "%s/xtcp-test-%d", root, getpid());
	if (mkdir(dir, 0755) && errno != EEXIST)
		return -1;
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", dir);
	f = fopen(procs, "w");
	if (!f)
		return -1;
	fprintf(f, "%d\n", getpid());
	if (fclose(f))
		return -1;
	return open(dir, O_RDONLY | O_DIRECTORY);
}

/* Back to the root cgroup, and the test's one removed. */
static void leave_cgroup(const char *dir)
{
	char procs[160];
	const char *root = xtcp_cgroup2_root();
	FILE *f;

	if (!root)
		return;
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", root);
	f = fopen(procs, "w");
	if (f) {
		fprintf(f, "%d\n", getpid());
		fclose(f);
	}
	rmdir(dir);
}

static int make_pair(int fam, int *cli, int *srv)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	socklen_t len = sizeof(addr);
	int lfd = socket(fam, SOCK_STREAM, 0);

	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (lfd < 0 || bind(lfd, SA(&addr), sizeof(addr)) || listen(lfd, 1) ||
	    getsockname(lfd, SA(&addr), &len))
		return -1;
	*cli = socket(fam, SOCK_STREAM, 0);
	if (*cli < 0 || connect(*cli, SA(&addr), sizeof(addr)))
		return -1;
	*srv = accept(lfd, NULL, NULL);
	close(lfd);
	return *srv < 0 ? -1 : 0;
}

/* Bytes readable on @fd within @ms: 1 if some came, 0 if none. */
static int arrives(int fd, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	return poll(&pfd, 1, ms) > 0 && (pfd.revents & POLLIN);
}

FIXTURE(cg) {
	int fam;
	int cg, prog;
	int cli, srv;
	char dir[128];
};

FIXTURE_VARIANT(cg) {
	bool xtcp;
};

FIXTURE_VARIANT_ADD(cg, tcp) {
	.xtcp = false,
};

FIXTURE_VARIANT_ADD(cg, xtcp) {
	.xtcp = true,
};

FIXTURE_SETUP(cg)
{
	self->cg = -1;
	self->prog = -1;
	self->cli = -1;
	self->srv = -1;
	self->dir[0] = '\0';
	if (variant->xtcp && access("/sys/module/xtcp", F_OK))
		SKIP(_metadata->passed = 0; return, "xtcp module not loaded");
	self->prog = drop_prog();
	if (self->prog < 0)
		SKIP(_metadata->passed = 0; return, "no cgroup BPF here: %s", strerror(errno));
	self->cg = join_new_cgroup(self->dir, sizeof(self->dir));
	if (self->cg < 0)
		SKIP(_metadata->passed = 0; return, "no cgroup2 here: %s", strerror(errno));
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, xtcp_lo_up(0));
	self->fam = variant->xtcp ? xtcp_family() : AF_INET;
	ASSERT_EQ(0, make_pair(self->fam, &self->cli, &self->srv));
	alarm(30);
}

FIXTURE_TEARDOWN(cg)
{
	alarm(0);
	if (self->cli >= 0)
		close(self->cli);
	if (self->srv >= 0)
		close(self->srv);
	if (self->prog >= 0)
		close(self->prog);
	if (self->cg >= 0) {
		close(self->cg);
		leave_cgroup(self->dir);
	}
}

/* Egress: the accepted socket's data and the connected one's are both held. */
TEST_F(cg, egress_drop_holds_both_ends)
{
	char buf[16];

	ASSERT_EQ(0, prog_attach(self->cg, self->prog, BPF_CGROUP_INET_EGRESS, true));
	ASSERT_EQ(5, send(self->srv, "hello", 5, 0));
	ASSERT_EQ(3, send(self->cli, "hey", 3, 0));
	EXPECT_EQ(0, arrives(self->cli, 1500))
		TH_LOG("the accepted socket's data went past the cgroup's egress program");
	EXPECT_EQ(0, arrives(self->srv, 500))
		TH_LOG("the connected socket's data went past the cgroup's egress program");
	ASSERT_EQ(0, prog_attach(self->cg, self->prog, BPF_CGROUP_INET_EGRESS, false));
	/* Retransmissions after the detach (an RTO or two, backed off). */
	EXPECT_EQ(1, arrives(self->cli, 10000));
	EXPECT_EQ(5, recv(self->cli, buf, sizeof(buf), 0));
	EXPECT_EQ(1, arrives(self->srv, 10000));
	EXPECT_EQ(3, recv(self->srv, buf, sizeof(buf), 0));
}

/* Ingress: nothing reaches the sockets while the program drops it. */
TEST_F(cg, ingress_drop_holds_delivery)
{
	char buf[16];

	ASSERT_EQ(0, prog_attach(self->cg, self->prog, BPF_CGROUP_INET_INGRESS, true));
	ASSERT_EQ(5, send(self->srv, "hello", 5, 0));
	EXPECT_EQ(0, arrives(self->cli, 1500))
		TH_LOG("data reached a socket past the cgroup's ingress program");
	ASSERT_EQ(0, prog_attach(self->cg, self->prog, BPF_CGROUP_INET_INGRESS, false));
	EXPECT_EQ(1, arrives(self->cli, 10000));
	EXPECT_EQ(5, recv(self->cli, buf, sizeof(buf), 0));
}

TEST_HARNESS_MAIN
