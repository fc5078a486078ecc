// SPDX-License-Identifier: GPL-2.0
/*
 * sysctl_test.c - net.xtcp.*: defaults, range checks through write(2), and
 * isolation between network namespaces. Every test runs in a namespace of its own
 * (unshare), so the values it changes die with it.
 */
#include <limits.h>
#include <sched.h>
#include <stdbool.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "xtcp_common.h"

struct knob {
	const char *name;
	int def, min, max;
};

/* The documented table (Documentation/user-guide.rst). */
static const struct knob knobs[] = {
	{ "synack_retries", 5, 0, 255 },
	{ "syn_retries", 6, 1, 127 },
	{ "msl_ms", 30000, 1, 600000 },
	{ "syncookies", 1, 0, 2 },
	{ "max_syn_backlog", 1024, 1, 1 << 20 },
	{ "max_tw_buckets", 65536, 0, 1 << 24 },
	{ "fin_timeout_ms", 60000, 1, 3600000 },
	{ "challenge_ack_limit", 1000, 0, INT_MAX },
	{ "invalid_ratelimit", 500, 0, 60000 },
	{ "window_scaling", 1, 0, 1 },
	{ "timestamps", 1, 0, 1 },
	{ "limit_output_bytes", 1048576, 0, INT_MAX },
	{ "sack", 1, 0, 1 },
	{ "ecn", 2, 0, 2 },
	{ "pacing_ss_ratio", 200, 0, 1000 },
	{ "pacing_ca_ratio", 120, 0, 1000 },
};

static int read_triple(const char *name, long val[3]);

static void knob_path(char *path, size_t size, const char *name)
{
	snprintf(path, size, "%s/%s", XTCP_SYSCTL_DIR, name);
}

/* The knob's value; -1000000000 if it cannot be read. */
static long read_knob_fd(int fd)
{
	char buf[64];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return -1000000000;
	buf[n] = '\0';
	return strtol(buf, NULL, 0);
}

static long read_knob(const char *name)
{
	char path[256];
	long v;
	int fd;

	knob_path(path, sizeof(path), name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1000000000;
	v = read_knob_fd(fd);
	close(fd);
	return v;
}

/* One write(2) of @text: 0, or the errno it failed with. */
static int write_knob(const char *name, const char *text)
{
	char path[256];
	ssize_t n;
	int fd, err = 0;

	knob_path(path, sizeof(path), name);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return errno;
	n = write(fd, text, strlen(text));
	if (n < 0)
		err = errno;
	else if ((size_t)n != strlen(text))
		err = -1;	/* a short write: part of the text was ignored */
	close(fd);
	return err;
}

FIXTURE(knobs) {};

FIXTURE_SETUP(knobs)
{
	ASSERT_EQ(0, unshare(CLONE_NEWNET)) TH_LOG("unshare: %s", strerror(errno));
}

FIXTURE_TEARDOWN(knobs) {}

TEST_F(knobs, all_present_with_defaults)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(knobs); i++)
		EXPECT_EQ(knobs[i].def, read_knob(knobs[i].name)) TH_LOG("%s", knobs[i].name);
}

TEST_F(knobs, bounds_accepted)
{
	char text[32];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(knobs); i++) {
		const struct knob *k = &knobs[i];

		snprintf(text, sizeof(text), "%d\n", k->min);
		EXPECT_EQ(0, write_knob(k->name, text)) TH_LOG("%s=%d", k->name, k->min);
		EXPECT_EQ(k->min, read_knob(k->name));
		snprintf(text, sizeof(text), "%d\n", k->max);
		EXPECT_EQ(0, write_knob(k->name, text)) TH_LOG("%s=%d", k->name, k->max);
		EXPECT_EQ(k->max, read_knob(k->name));
	}
}

/* Out of range: EINVAL, and the value stays what it was. */
TEST_F(knobs, out_of_range_refused)
{
	char text[32];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(knobs); i++) {
		const struct knob *k = &knobs[i];
		const long long bad[] = { (long long)k->min - 1, (long long)k->max + 1,
					  -2147483648LL, 2147483647LL, 4294967296LL };
		unsigned int j;

		for (j = 0; j < ARRAY_SIZE(bad); j++) {
			if (bad[j] >= k->min && bad[j] <= k->max)
				continue;
			snprintf(text, sizeof(text), "%lld\n", bad[j]);
			EXPECT_EQ(EINVAL, write_knob(k->name, text))
				TH_LOG("%s=%lld", k->name, bad[j]);
			EXPECT_EQ(k->def, read_knob(k->name))
				TH_LOG("%s=%lld changed it", k->name, bad[j]);
		}
	}
}

/* Not one integer: EINVAL, and nothing of it is stored. */
TEST_F(knobs, malformed_refused)
{
	static const char *const bad[] = { "abc\n", "3x\n", "3 4\n", "3\n4\n", "\n", "1.5\n",
					   "- 3\n", "0x\n", "99999999999999999999\n" };
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(knobs); i++) {
		for (j = 0; j < ARRAY_SIZE(bad); j++) {
			EXPECT_EQ(EINVAL, write_knob(knobs[i].name, bad[j]))
				TH_LOG("%s='%s'", knobs[i].name, bad[j]);
			EXPECT_EQ(knobs[i].def, read_knob(knobs[i].name));
		}
	}
}

/*
 * net.xtcp.rmem and net.xtcp.wmem (bytes: min, default, max), as tcp_rmem and
 * tcp_wmem, per namespace: TCP's defaults; three ordered numbers of at least 1
 * and at most INT_MAX in one write; anything else is EINVAL and changes
 * nothing. (TCP takes them unordered; XTCP refuses a default above the max.)
 */
TEST_F(knobs, buffer_triples)
{
	static const char *const bad[] = {
		"1 2\n", "1 2 3 4\n", "3 2 1\n", "0 1 2\n", "-1 2 3\n", "a b c\n",
		"\n", "1,2,3\n", "+1 2 3\n", "1 2 2147483648\n",
	};
	static const struct {
		const char *name;
		long def[3];
	} t[] = {
		{ "rmem", { 4096, 131072, 6291456 } },
		{ "wmem", { 4096, 16384, 4194304 } },
	};
	unsigned int i, j;
	long v[3];

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		ASSERT_EQ(0, read_triple(t[i].name, v)) TH_LOG("%s", t[i].name);
		EXPECT_TRUE(v[0] == t[i].def[0] && v[1] == t[i].def[1] && v[2] == t[i].def[2])
			TH_LOG("%s = %ld %ld %ld", t[i].name, v[0], v[1], v[2]);
		for (j = 0; j < ARRAY_SIZE(bad); j++) {
			EXPECT_EQ(EINVAL, write_knob(t[i].name, bad[j]))
				TH_LOG("%s='%s'", t[i].name, bad[j]);
			ASSERT_EQ(0, read_triple(t[i].name, v));
			EXPECT_EQ(t[i].def[1], v[1]) TH_LOG("%s='%s'", t[i].name, bad[j]);
		}
		ASSERT_EQ(0, write_knob(t[i].name, "8192\t65536 2147483647\n"));
		ASSERT_EQ(0, read_triple(t[i].name, v));
		EXPECT_TRUE(v[0] == 8192 && v[1] == 65536 && v[2] == 2147483647)
			TH_LOG("%s = %ld %ld %ld", t[i].name, v[0], v[1], v[2]);
	}
}

/*
 * A new namespace starts from the defaults; changing one namespace leaves the
 * others alone, the parent (still readable through a file opened before the child
 * was made) included.
 */
TEST_F(knobs, namespaces_isolated)
{
	char path[256];
	int parent_fd, status;
	pid_t pid;

	ASSERT_EQ(0, write_knob("synack_retries", "7"));
	ASSERT_EQ(0, write_knob("msl_ms", "1000"));
	knob_path(path, sizeof(path), "synack_retries");
	parent_fd = open(path, O_RDONLY);
	ASSERT_LE(0, parent_fd);

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		bool ok = !unshare(CLONE_NEWNET) &&
			  read_knob("synack_retries") == 5 && read_knob("msl_ms") == 30000 &&
			  !write_knob("synack_retries", "9") &&
			  read_knob("synack_retries") == 9 &&
			  /* the parent's namespace, through the older file */
			  read_knob_fd(parent_fd) == 7;
		_exit(ok ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	EXPECT_EQ(7, read_knob("synack_retries"));
	EXPECT_EQ(7, read_knob_fd(parent_fd));
	EXPECT_EQ(1000, read_knob("msl_ms"));
	close(parent_fd);
}

/*
 * The global knobs, net.xtcp.mem (pages: min, pressure, max) and
 * net.xtcp.max_orphans, as tcp_mem and tcp_max_orphans: in the initial
 * namespace only. These cases run there and put back what they change.
 */
static int read_triple(const char *name, long mem[3])
{
	char path[256], buf[128];
	ssize_t n;
	int fd;

	knob_path(path, sizeof(path), name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return sscanf(buf, "%ld %ld %ld", &mem[0], &mem[1], &mem[2]) == 3 ? 0 : -1;
}

FIXTURE(global) {
	long mem[3];
	long max_orphans;
};

FIXTURE_SETUP(global)
{
	ASSERT_EQ(0, read_triple("mem", self->mem));
	self->max_orphans = read_knob("max_orphans");
	ASSERT_LE(0, self->max_orphans);
}

FIXTURE_TEARDOWN(global)
{
	char text[96];

	snprintf(text, sizeof(text), "%ld %ld %ld\n", self->mem[0], self->mem[1], self->mem[2]);
	EXPECT_EQ(0, write_knob("mem", text));
	snprintf(text, sizeof(text), "%ld\n", self->max_orphans);
	EXPECT_EQ(0, write_knob("max_orphans", text));
}

/* Sized from the memory, as tcp_mem: ordered, and above TCP's floor of 128 pages. */
TEST_F(global, mem_defaults)
{
	EXPECT_LE(96, self->mem[0]);
	EXPECT_LE(self->mem[0], self->mem[1]);
	EXPECT_LE(self->mem[1], self->mem[2]);
	EXPECT_LE(128, self->max_orphans);
}

/* Three ordered numbers of at least 1, in one write; anything else changes nothing. */
TEST_F(global, mem_writes)
{
	static const char *const bad[] = {
		"1 2\n", "1 2 3 4\n", "3 2 1\n", "1 3 2\n", "0 1 2\n", "-1 2 3\n", "a b c\n",
		"1 2 3x\n", "\n", "1,2,3\n", "+1 2 3\n", "1 2 99999999999999999999999\n",
	};
	long mem[3];
	unsigned int i;

	ASSERT_EQ(0, write_knob("mem", "100\t200 300\n"));
	ASSERT_EQ(0, read_triple("mem", mem));
	EXPECT_EQ(100, mem[0]);
	EXPECT_EQ(200, mem[1]);
	EXPECT_EQ(300, mem[2]);
	ASSERT_EQ(0, write_knob("mem", "5 5 5"));
	ASSERT_EQ(0, read_triple("mem", mem));
	EXPECT_EQ(5, mem[2]);
	ASSERT_EQ(0, write_knob("mem", "100 200 300"));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(EINVAL, write_knob("mem", bad[i])) TH_LOG("mem='%s'", bad[i]);
		ASSERT_EQ(0, read_triple("mem", mem));
		EXPECT_TRUE(mem[0] == 100 && mem[1] == 200 && mem[2] == 300)
			TH_LOG("mem='%s' left %ld %ld %ld", bad[i], mem[0], mem[1], mem[2]);
	}
}

TEST_F(global, max_orphans_bounds)
{
	static const char *const bad[] = { "-1\n", "2147483648\n", "3 4\n", "x\n" };
	unsigned int i;

	EXPECT_EQ(0, write_knob("max_orphans", "0"));
	EXPECT_EQ(0, read_knob("max_orphans"));
	EXPECT_EQ(0, write_knob("max_orphans", "2147483647"));
	EXPECT_EQ(2147483647, read_knob("max_orphans"));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(EINVAL, write_knob("max_orphans", bad[i])) TH_LOG("'%s'", bad[i]);
		EXPECT_EQ(2147483647, read_knob("max_orphans"));
	}
}

/* A container's namespace has its own knobs, but not the global ones to raise. */
TEST_F(global, only_in_initial_namespace)
{
	char path[256];
	int status;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		bool ok = !unshare(CLONE_NEWNET);

		knob_path(path, sizeof(path), "mem");
		ok = ok && access(path, F_OK) && errno == ENOENT;
		knob_path(path, sizeof(path), "max_orphans");
		ok = ok && access(path, F_OK) && errno == ENOENT;
		ok = ok && read_knob("msl_ms") == 30000;
		_exit(ok ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

TEST_HARNESS_MAIN
