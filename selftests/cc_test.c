// SPDX-License-Identifier: GPL-2.0
/*
 * cc_test.c - congestion control through the socket API and the sysctls:
 * TCP_CONGESTION, TCP_CC_INFO, net.xtcp.congestion_control and
 * net.xtcp.available_congestion_control, each beside kernel TCP's (the
 * referee: the same calls on AF_INET, and net.ipv4's knobs of the same names).
 *
 * Run by cc.sh with the example controller loaded (xtcp_cc_scalable.ko:
 * "scalable"), so that XTCP has two controllers to choose between. Every test
 * runs in a network namespace of its own (unshare), so the defaults it
 * changes die with it.
 */
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <linux/inet_diag.h>
#include <sched.h>
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "xtcp_common.h"

#define XTCP_CC_DIR	"/proc/sys/net/xtcp/"
#define TCP_CC_DIR	"/proc/sys/net/ipv4/tcp_"
#define NAME_MAX_LEN	16

/* One stack's names for the same things. */
struct stack {
	const char *what;
	int family;
	char knob[96];		/* the default's sysctl */
	char list[96];		/* the available controllers' sysctl */
};

static void stacks(struct stack s[2])
{
	s[0].what = "xtcp";
	s[0].family = xtcp_family();
	snprintf(s[0].knob, sizeof(s[0].knob), XTCP_CC_DIR "congestion_control");
	snprintf(s[0].list, sizeof(s[0].list), XTCP_CC_DIR "available_congestion_control");
	s[1].what = "tcp";
	s[1].family = AF_INET;
	snprintf(s[1].knob, sizeof(s[1].knob), TCP_CC_DIR "congestion_control");
	snprintf(s[1].list, sizeof(s[1].list), TCP_CC_DIR "available_congestion_control");
}

/* The file's text without its last newline; "" if it cannot be read. */
static void read_text(const char *path, char *buf, size_t size)
{
	ssize_t n = xtcp_read_file(path, buf, size);

	if (n <= 0) {
		buf[0] = '\0';
		return;
	}
	if (buf[n - 1] == '\n')
		buf[n - 1] = '\0';
}

/* One write(2) of @text: 0, or the errno of the open or the write. */
static int write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY), err = 0;

	if (fd < 0)
		return errno;
	if (write(fd, text, strlen(text)) < 0)
		err = errno;
	close(fd);
	return err;
}

/* A name from the stack's list that is not its default: the other choice. */
static int other_name(const struct stack *s, char *name)
{
	char list[256], def[64], *tok, *save;

	read_text(s->list, list, sizeof(list));
	read_text(s->knob, def, sizeof(def));
	for (tok = strtok_r(list, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		if (strcmp(tok, def)) {
			snprintf(name, NAME_MAX_LEN, "%s", tok);
			return 0;
		}
	}
	return -1;
}

/* TCP_CONGESTION read with @len bytes of room: the length it says, or -errno. */
static int get_cc(int fd, char *name, socklen_t len)
{
	memset(name, 0x55, NAME_MAX_LEN + 8);
	if (getsockopt(fd, SOL_TCP, TCP_CONGESTION, name, &len))
		return -errno;
	return len;
}

static int set_cc(int fd, const char *name, socklen_t len)
{
	return setsockopt(fd, SOL_TCP, TCP_CONGESTION, name, len) ? errno : 0;
}

/* The name a socket's TCP_CONGESTION reads, NUL-terminated. */
static const char *cc_of(int fd)
{
	static char name[NAME_MAX_LEN + 8];

	if (get_cc(fd, name, NAME_MAX_LEN) < 0)
		return "?";
	name[NAME_MAX_LEN] = '\0';
	return name;
}

/* A listener of @family on 127.0.0.1 (any port); its address in @a. */
static int listener(int family, struct sockaddr_in *a)
{
	socklen_t len = sizeof(*a);
	int fd = socket(family, SOCK_STREAM, 0);

	memset(a, 0, sizeof(*a));
	a->sin_family = AF_INET;
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)a, sizeof(*a)) || listen(fd, 8) ||
	    getsockname(fd, (struct sockaddr *)a, &len))
		return -1;
	return fd;
}

static int connect_to(int family, const struct sockaddr_in *a)
{
	int fd = socket(family, SOCK_STREAM, 0);

	if (fd < 0 || connect(fd, (const struct sockaddr *)a, sizeof(*a)))
		return -1;
	return fd;
}

/* Send @n bytes on @from and read them on @to; 0 when all came in order. */
static int transfer(int from, int to, size_t n)
{
	static char out[65536], in[65536];
	size_t sent = 0, got = 0, off, chunk, i;
	ssize_t w, r;

	for (i = 0; i < sizeof(out); i++)
		out[i] = (char)(i * 7);
	while (got < n) {
		if (sent < n) {
			off = sent % sizeof(out);
			chunk = sizeof(out) - off;
			if (chunk > n - sent)
				chunk = n - sent;
			w = send(from, out + off, chunk, MSG_DONTWAIT);
			if (w > 0)
				sent += w;
			else if (w < 0 && errno != EAGAIN)
				return -1;
		}
		r = recv(to, in, sizeof(in), sent < n ? MSG_DONTWAIT : 0);
		if (r == 0 || (r < 0 && errno != EAGAIN))
			return -1;
		for (i = 0; r > 0 && i < (size_t)r; i++)
			if (in[i] != out[(got + i) % sizeof(out)])
				return -1;
		if (r > 0)
			got += r;
	}
	return 0;
}

FIXTURE(cc) {
	struct stack s[2];
};

FIXTURE_SETUP(cc)
{
	ASSERT_EQ(0, unshare(CLONE_NEWNET)) TH_LOG("unshare: %s", strerror(errno));
	ASSERT_EQ(0, xtcp_lo_up(0));
	stacks(self->s);
}

FIXTURE_TEARDOWN(cc) {}

/*
 * The default is XTCP's NewReno ("reno", TCP's name for its own); the list
 * holds it and the example, space-separated as TCP's; both read with a newline.
 */
TEST_F(cc, defaults_and_list)
{
	char text[256];
	int i;

	read_text(self->s[0].knob, text, sizeof(text));
	EXPECT_STREQ("reno", text);
	read_text(self->s[0].list, text, sizeof(text));
	EXPECT_NE(NULL, strstr(text, "reno")) TH_LOG("list: %s", text);
	EXPECT_NE(NULL, strstr(text, "scalable")) TH_LOG("list: %s", text);
	for (i = 0; i < 2; i++) {
		ssize_t n = xtcp_read_file(self->s[i].knob, text, sizeof(text));

		ASSERT_GT(n, 1) TH_LOG("%s", self->s[i].knob);
		EXPECT_EQ('\n', text[n - 1]) TH_LOG("%s", self->s[i].what);
		n = xtcp_read_file(self->s[i].list, text, sizeof(text));
		ASSERT_GT(n, 1) TH_LOG("%s", self->s[i].list);
		EXPECT_EQ('\n', text[n - 1]) TH_LOG("%s", self->s[i].what);
	}
}

/*
 * Writing the default, as TCP's: a registered name (with or without its
 * newline) is taken; an unknown, empty or overlong one is ENOENT and changes
 * nothing, as does a write of nothing (which succeeds); the list is read-only
 * (EACCES).
 */
TEST_F(cc, default_writes_as_tcp)
{
	static const char *const bad[] = { "nosuch\n", "nosuch", "\n", "\t\n",
					   "renorenorenorenoreno\n" };
	char def[32], now[64], other[NAME_MAX_LEN];
	unsigned int i, j;

	for (i = 0; i < 2; i++) {
		const struct stack *s = &self->s[i];

		read_text(s->knob, def, sizeof(def));
		ASSERT_EQ(0, other_name(s, other)) TH_LOG("%s: one controller only", s->what);
		for (j = 0; j < ARRAY_SIZE(bad); j++) {
			EXPECT_EQ(ENOENT, write_text(s->knob, bad[j]))
				TH_LOG("%s: '%s'", s->what, bad[j]);
			read_text(s->knob, now, sizeof(now));
			EXPECT_STREQ(def, now);
		}
		EXPECT_EQ(0, write_text(s->knob, "")) TH_LOG("%s", s->what);
		read_text(s->knob, now, sizeof(now));
		EXPECT_STREQ(def, now);
		EXPECT_EQ(0, write_text(s->knob, other)) TH_LOG("%s: %s", s->what, other);
		read_text(s->knob, now, sizeof(now));
		EXPECT_STREQ(other, now);
		snprintf(now, sizeof(now), "%s\n", def);
		EXPECT_EQ(0, write_text(s->knob, now));
		read_text(s->knob, now, sizeof(now));
		EXPECT_STREQ(def, now);
		EXPECT_EQ(EACCES, write_text(s->list, "reno\n")) TH_LOG("%s", s->what);
	}
}

/*
 * TCP_CONGESTION, as TCP's: a new socket reads the default; the name is read
 * NUL-padded to 16 bytes or cut to the caller's length; a registered name is
 * taken (up to its NUL, at most 15 characters read), an unknown one is ENOENT
 * and changes nothing, an empty option EINVAL.
 */
TEST_F(cc, sockopt_as_tcp)
{
	char def[64], other[NAME_MAX_LEN], name[NAME_MAX_LEN + 8];
	unsigned int i;

	for (i = 0; i < 2; i++) {
		const struct stack *s = &self->s[i];
		int fd = socket(s->family, SOCK_STREAM, 0);

		ASSERT_LE(0, fd);
		read_text(s->knob, def, sizeof(def));
		ASSERT_EQ(0, other_name(s, other));
		EXPECT_EQ(NAME_MAX_LEN, get_cc(fd, name, 100)) TH_LOG("%s", s->what);
		EXPECT_STREQ(def, name);
		EXPECT_EQ('\0', name[NAME_MAX_LEN - 1]);
		EXPECT_EQ(2, get_cc(fd, name, 2)) TH_LOG("%s", s->what);
		EXPECT_EQ(0, memcmp(name, def, 2));
		EXPECT_EQ(0x55, (unsigned char)name[2]);

		EXPECT_EQ(0, set_cc(fd, other, strlen(other))) TH_LOG("%s: %s", s->what, other);
		EXPECT_STREQ(other, cc_of(fd));
		EXPECT_EQ(ENOENT, set_cc(fd, "nosuch", 6)) TH_LOG("%s", s->what);
		EXPECT_STREQ(other, cc_of(fd));
		EXPECT_EQ(EINVAL, set_cc(fd, "reno", 0)) TH_LOG("%s", s->what);
		/* 15 characters are read: "reno" and 16 more is no name. */
		EXPECT_EQ(ENOENT, set_cc(fd, "renoxxxxxxxxxxxxxxxx", 20)) TH_LOG("%s", s->what);
		/* The NUL ends the name whatever follows it. */
		EXPECT_EQ(0, set_cc(fd, "reno\0garbage", 12)) TH_LOG("%s", s->what);
		EXPECT_STREQ("reno", cc_of(fd));
		/* Again the same: fine. */
		EXPECT_EQ(0, set_cc(fd, "reno", 4)) TH_LOG("%s", s->what);
		close(fd);
	}
}

/*
 * A child takes its listener's controller when TCP_CONGESTION chose it, else
 * the default when it is made (not when the listener was): as TCP.
 */
TEST_F(cc, children_inherit_as_tcp)
{
	char def[32], other[NAME_MAX_LEN], text[64];
	struct sockaddr_in a;
	unsigned int i;

	for (i = 0; i < 2; i++) {
		const struct stack *s = &self->s[i];
		int l, c, child;

		read_text(s->knob, def, sizeof(def));
		ASSERT_EQ(0, other_name(s, other));

		l = listener(s->family, &a);
		ASSERT_LE(0, l) TH_LOG("%s", s->what);
		ASSERT_EQ(0, set_cc(l, other, strlen(other)));
		c = connect_to(s->family, &a);
		ASSERT_LE(0, c);
		child = accept(l, NULL, NULL);
		ASSERT_LE(0, child);
		EXPECT_STREQ(other, cc_of(child)) TH_LOG("%s: the listener's", s->what);
		EXPECT_STREQ(def, cc_of(c)) TH_LOG("%s: the client's", s->what);
		close(child);
		close(c);
		close(l);

		/* No choice on the listener: the default of the moment. */
		l = listener(s->family, &a);
		ASSERT_LE(0, l);
		ASSERT_EQ(0, write_text(s->knob, other));
		c = connect_to(s->family, &a);
		ASSERT_LE(0, c);
		child = accept(l, NULL, NULL);
		ASSERT_LE(0, child);
		EXPECT_STREQ(other, cc_of(child)) TH_LOG("%s: the new default", s->what);
		EXPECT_STREQ(def, cc_of(l)) TH_LOG("%s: the listener keeps its own", s->what);
		snprintf(text, sizeof(text), "%s\n", def);
		EXPECT_EQ(0, write_text(s->knob, text));
		close(child);
		close(c);
		close(l);
	}
}

/*
 * A connection changes controller in the middle of a transfer and goes on:
 * every byte arrives, both ways; TCP_CC_INFO then says what the controller
 * tells of itself: the example's RTT samples in Vegas's layout, nothing (0
 * bytes) from NewReno, which has nothing to tell on TCP either.
 */
TEST_F(cc, change_while_connected)
{
	union tcp_cc_info info;
	struct sockaddr_in a;
	socklen_t len;
	unsigned int i;

	for (i = 0; i < 2; i++) {
		const struct stack *s = &self->s[i];
		int l, c, child;
		char other[NAME_MAX_LEN];

		ASSERT_EQ(0, other_name(s, other));
		l = listener(s->family, &a);
		ASSERT_LE(0, l);
		c = connect_to(s->family, &a);
		ASSERT_LE(0, c);
		child = accept(l, NULL, NULL);
		ASSERT_LE(0, child);
		EXPECT_EQ(0, transfer(c, child, 1 << 20)) TH_LOG("%s", s->what);
		EXPECT_EQ(0, set_cc(c, other, strlen(other))) TH_LOG("%s", s->what);
		EXPECT_EQ(0, set_cc(child, other, strlen(other))) TH_LOG("%s", s->what);
		EXPECT_EQ(0, transfer(c, child, 1 << 20)) TH_LOG("%s: after", s->what);
		EXPECT_EQ(0, transfer(child, c, 1 << 20)) TH_LOG("%s: back", s->what);
		EXPECT_EQ(0, set_cc(c, "reno", 4));
		len = sizeof(info);
		EXPECT_EQ(0, getsockopt(c, SOL_TCP, TCP_CC_INFO, &info, &len));
		EXPECT_EQ(0U, len) TH_LOG("%s: reno's TCP_CC_INFO", s->what);
		if (i == 0) {
			/* The example's own: it sampled the transfer's RTTs. */
			ASSERT_EQ(0, set_cc(c, "scalable", 8));
			EXPECT_EQ(0, transfer(c, child, 1 << 20));
			len = sizeof(info);
			ASSERT_EQ(0, getsockopt(c, SOL_TCP, TCP_CC_INFO, &info, &len));
			EXPECT_EQ(sizeof(info.vegas), len);
			EXPECT_EQ(1U, info.vegas.tcpv_enabled);
			EXPECT_LT(0U, info.vegas.tcpv_rttcnt);
			EXPECT_LT(0U, info.vegas.tcpv_minrtt);
			EXPECT_LE(info.vegas.tcpv_minrtt, info.vegas.tcpv_rtt);
			/* Cut to the caller's length. */
			len = 4;
			ASSERT_EQ(0, getsockopt(c, SOL_TCP, TCP_CC_INFO, &info, &len));
			EXPECT_EQ(4U, len);
		}
		close(child);
		close(c);
		close(l);
	}
}

TEST_HARNESS_MAIN
