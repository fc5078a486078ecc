// SPDX-License-Identifier: GPL-2.0
/*
 * sysctl_test.c - KUnit cases for module/sysctl.c: the defaults and bounds of every
 * net.xtcp knob, and that a refused write changes nothing.
 *
 * Each case builds the knob's real ctl_table entry (xtcp_sysctl_fill()) over a
 * private struct xtcp_sysctl and drives the real handler with kernel buffers, as a
 * write(2) to /proc/sys would.
 */
#include <kunit/test.h>
#include <linux/string.h>

#include "xtcp.h"

/* Write @text to the knob @t as one write(2); returns the handler's result. */
static int xtcp_test_write(struct kunit *test, struct ctl_table *t, const char *text)
{
	size_t len = strlen(text);
	char *buf = kunit_kzalloc(test, len + 1, GFP_KERNEL);
	loff_t pos = 0;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	memcpy(buf, text, len);
	return t->proc_handler(t, 1, buf, &len, &pos);
}

/* Read the knob @t as text into @out (at least 32 bytes). */
static int xtcp_test_read(struct kunit *test, struct ctl_table *t, char *out)
{
	size_t len = 31;
	loff_t pos = 0;
	int err;

	memset(out, 0, 32);
	err = t->proc_handler(t, 0, out, &len, &pos);
	out[len] = '\0';
	return err;
}

static int *xtcp_test_field(struct xtcp_sysctl *s, const struct xtcp_sysctl_desc *d)
{
	return (int *)((char *)s + d->offset);
}

static const struct xtcp_sysctl_desc *xtcp_test_desc(const char *name)
{
	unsigned int i;

	for (i = 0; i < xtcp_sysctl_count; i++)
		if (!strcmp(xtcp_sysctl_descs[i].procname, name))
			return &xtcp_sysctl_descs[i];
	return NULL;
}

/* The defaults and ranges that Documentation/user-guide.rst promises. */
static void xtcp_sysctl__documented_defaults_and_ranges(struct kunit *test)
{
	static const struct {
		const char *name;
		int def, min, max;
	} want[] = {
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
	struct xtcp_sysctl s = xtcp_sysctl_defaults;
	unsigned int i;

	KUNIT_EXPECT_EQ(test, xtcp_sysctl_count, (unsigned int)ARRAY_SIZE(want));
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		const struct xtcp_sysctl_desc *d = xtcp_test_desc(want[i].name);

		KUNIT_ASSERT_NOT_NULL_MSG(test, d, "no knob %s", want[i].name);
		KUNIT_EXPECT_EQ_MSG(test, *xtcp_test_field(&s, d), want[i].def, "%s", d->procname);
		KUNIT_EXPECT_EQ_MSG(test, d->min, want[i].min, "%s", d->procname);
		KUNIT_EXPECT_EQ_MSG(test, d->max, want[i].max, "%s", d->procname);
	}
	/* MSL 30 s: TIME_WAIT lasts 60 s, as on Linux. */
	KUNIT_EXPECT_EQ(test, 2 * s.msl_ms, 60000);
}

static void xtcp_sysctl__defaults_within_bounds(struct kunit *test)
{
	struct xtcp_sysctl s = xtcp_sysctl_defaults;
	unsigned int i;

	for (i = 0; i < xtcp_sysctl_count; i++) {
		const struct xtcp_sysctl_desc *d = &xtcp_sysctl_descs[i];
		int v = *xtcp_test_field(&s, d);

		KUNIT_EXPECT_LE_MSG(test, d->min, v, "%s", d->procname);
		KUNIT_EXPECT_GE_MSG(test, d->max, v, "%s", d->procname);
	}
}

/* Both bounds are accepted; one past either is EINVAL and changes nothing. */
static void xtcp_sysctl__bounds_enforced(struct kunit *test)
{
	unsigned int i;
	char buf[32];

	for (i = 0; i < xtcp_sysctl_count; i++) {
		const struct xtcp_sysctl_desc *d = &xtcp_sysctl_descs[i];
		struct xtcp_sysctl s = xtcp_sysctl_defaults;
		int *field = xtcp_test_field(&s, d);
		int def = *field;
		struct ctl_table t;

		xtcp_sysctl_fill(&t, d, &s);

		snprintf(buf, sizeof(buf), "%d", d->min);
		KUNIT_EXPECT_EQ_MSG(test, xtcp_test_write(test, &t, buf), 0,
				    "%s=%s", d->procname, buf);
		KUNIT_EXPECT_EQ_MSG(test, *field, d->min, "%s", d->procname);

		snprintf(buf, sizeof(buf), "%d\n", d->max);
		KUNIT_EXPECT_EQ_MSG(test, xtcp_test_write(test, &t, buf), 0,
				    "%s=%s", d->procname, buf);
		KUNIT_EXPECT_EQ_MSG(test, *field, d->max, "%s", d->procname);

		*field = def;
		snprintf(buf, sizeof(buf), "%lld", (long long)d->min - 1);
		KUNIT_EXPECT_EQ_MSG(test, xtcp_test_write(test, &t, buf), -EINVAL,
				    "%s=%s", d->procname, buf);
		KUNIT_EXPECT_EQ_MSG(test, *field, def, "%s", d->procname);

		snprintf(buf, sizeof(buf), "%lld", (long long)d->max + 1);
		KUNIT_EXPECT_EQ_MSG(test, xtcp_test_write(test, &t, buf), -EINVAL,
				    "%s=%s", d->procname, buf);
		KUNIT_EXPECT_EQ_MSG(test, *field, def, "%s", d->procname);
	}
}

/* Text that is not one integer is refused whole: nothing of it is stored. */
static void xtcp_sysctl__malformed_refused(struct kunit *test)
{
	static const char *const bad[] = {
		"abc", "3x", "3 4", "3\n4\n", "\n", " ", "99999999999999999999",
		"-99999999999999999999", "3.5", "0x", "--3", "",
	};
	const struct xtcp_sysctl_desc *d = xtcp_test_desc("synack_retries");
	struct xtcp_sysctl s = xtcp_sysctl_defaults;
	struct ctl_table t;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, d);
	xtcp_sysctl_fill(&t, d, &s);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		KUNIT_EXPECT_EQ_MSG(test, xtcp_test_write(test, &t, bad[i]), -EINVAL,
				    "synack_retries=\"%s\"", bad[i]);
		KUNIT_EXPECT_EQ_MSG(test, s.synack_retries, xtcp_sysctl_defaults.synack_retries,
				    "synack_retries=\"%s\" changed the value", bad[i]);
	}
}

/*
 * The rest of a value split over two write(2)s arrives at a non-zero offset: it is
 * refused rather than silently dropped (proc_dointvec ignores it), and the lenient
 * forms sysctl(8) users type are accepted.
 */
static void xtcp_sysctl__one_write_one_value(struct kunit *test)
{
	const struct xtcp_sysctl_desc *d = xtcp_test_desc("syncookies");
	struct xtcp_sysctl s = xtcp_sysctl_defaults;
	char buf[] = "2";
	struct ctl_table t;
	size_t len = 1;
	loff_t pos = 1;

	KUNIT_ASSERT_NOT_NULL(test, d);
	xtcp_sysctl_fill(&t, d, &s);
	KUNIT_EXPECT_EQ(test, t.proc_handler(&t, 1, buf, &len, &pos), -EINVAL);
	KUNIT_EXPECT_EQ(test, s.syncookies, 1);

	KUNIT_EXPECT_EQ(test, xtcp_test_write(test, &t, "  2\n"), 0);
	KUNIT_EXPECT_EQ(test, s.syncookies, 2);
	KUNIT_EXPECT_EQ(test, xtcp_test_write(test, &t, "0x0"), 0);
	KUNIT_EXPECT_EQ(test, s.syncookies, 0);
}

static void xtcp_sysctl__read_back(struct kunit *test)
{
	const struct xtcp_sysctl_desc *d = xtcp_test_desc("msl_ms");
	struct xtcp_sysctl s = xtcp_sysctl_defaults;
	struct ctl_table t;
	char out[32];

	KUNIT_ASSERT_NOT_NULL(test, d);
	xtcp_sysctl_fill(&t, d, &s);
	KUNIT_EXPECT_EQ(test, xtcp_test_read(test, &t, out), 0);
	KUNIT_EXPECT_STREQ(test, out, "30000\n");
	KUNIT_EXPECT_EQ(test, xtcp_test_write(test, &t, "250"), 0);
	KUNIT_EXPECT_EQ(test, xtcp_test_read(test, &t, out), 0);
	KUNIT_EXPECT_STREQ(test, out, "250\n");
	/* The entry writes only its own field. */
	KUNIT_EXPECT_EQ(test, s.fin_timeout_ms, xtcp_sysctl_defaults.fin_timeout_ms);
	KUNIT_EXPECT_EQ(test, s.syncookies, xtcp_sysctl_defaults.syncookies);
}

/* net.xtcp.rmem and wmem: three ordered ints, as tcp_rmem; anything else refused. */
static void xtcp_sysctl__triples(struct kunit *test)
{
	static const char *const bad[] = {
		"1 2", "1 2 3 4", "0 2 3", "3 2 1", "1 3 2", "-1 2 3", "1 2 x",
		"1 2 2147483648", "", "\n", "1,2,3", "+1 2 3",
	};
	struct xtcp_sysctl s = xtcp_sysctl_defaults;
	struct ctl_table t = {
		.procname = "rmem", .data = s.rmem, .maxlen = sizeof(s.rmem),
		.mode = 0644, .proc_handler = xtcp_proc_int_triple,
	};
	char out[32];
	int v[3] = { 7, 7, 7 };
	unsigned int i;

	/* TCP's defaults. */
	KUNIT_EXPECT_EQ(test, s.rmem[0], 4096);
	KUNIT_EXPECT_EQ(test, s.rmem[1], 131072);
	KUNIT_EXPECT_EQ(test, s.rmem[2], 6291456);
	KUNIT_EXPECT_EQ(test, s.wmem[0], 4096);
	KUNIT_EXPECT_EQ(test, s.wmem[1], 16384);
	KUNIT_EXPECT_EQ(test, s.wmem[2], 4194304);

	KUNIT_EXPECT_EQ(test, xtcp_sysctl_parse_triple("1 1 2147483647\n", v), 0);
	KUNIT_EXPECT_EQ(test, v[0], 1);
	KUNIT_EXPECT_EQ(test, v[2], INT_MAX);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		KUNIT_EXPECT_EQ_MSG(test, xtcp_test_write(test, &t, bad[i]), -EINVAL,
				    "rmem=\"%s\"", bad[i]);
		KUNIT_EXPECT_EQ_MSG(test, s.rmem[1], 131072, "rmem=\"%s\" changed it", bad[i]);
	}
	KUNIT_EXPECT_EQ(test, xtcp_test_write(test, &t, "4096\t87380\t1000000\n"), 0);
	KUNIT_EXPECT_EQ(test, s.rmem[0], 4096);
	KUNIT_EXPECT_EQ(test, s.rmem[1], 87380);
	KUNIT_EXPECT_EQ(test, s.rmem[2], 1000000);
	KUNIT_EXPECT_EQ(test, xtcp_test_read(test, &t, out), 0);
	KUNIT_EXPECT_STREQ(test, out, "4096\t87380\t1000000\n");
}

static struct kunit_case xtcp_sysctl_cases[] = {
	KUNIT_CASE(xtcp_sysctl__documented_defaults_and_ranges),
	KUNIT_CASE(xtcp_sysctl__defaults_within_bounds),
	KUNIT_CASE(xtcp_sysctl__bounds_enforced),
	KUNIT_CASE(xtcp_sysctl__malformed_refused),
	KUNIT_CASE(xtcp_sysctl__one_write_one_value),
	KUNIT_CASE(xtcp_sysctl__read_back),
	KUNIT_CASE(xtcp_sysctl__triples),
	{}
};

static struct kunit_suite xtcp_sysctl_suite = {
	.name = "xtcp_sysctl",
	.test_cases = xtcp_sysctl_cases,
};

kunit_test_suites(&xtcp_sysctl_suite);
