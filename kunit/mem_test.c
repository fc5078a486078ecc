// SPDX-License-Identifier: GPL-2.0
/*
 * mem_test.c - KUnit cases for module/mem.c: the default limits (net.xtcp.mem,
 * net.xtcp.max_orphans), the parsing of a net.xtcp.mem write, and the orphan
 * limit's test.
 */
#include <kunit/test.h>
#include <linux/mm.h>

#include "xtcp.h"

/* tcp_mem's rule: pressure a sixteenth of the pages, min 3/4 of it, max 2 * min. */
static void xtcp_mem__defaults_follow_memory(struct kunit *test)
{
	long mem[3];

	xtcp_mem_defaults(1600000, mem);
	KUNIT_EXPECT_EQ(test, mem[1], 100000L);
	KUNIT_EXPECT_EQ(test, mem[0], 75000L);
	KUNIT_EXPECT_EQ(test, mem[2], 150000L);
	/* A tiny machine still gets 128 pages of pressure. */
	xtcp_mem_defaults(16, mem);
	KUNIT_EXPECT_EQ(test, mem[1], 128L);
	KUNIT_EXPECT_EQ(test, mem[0], 96L);
	KUNIT_EXPECT_EQ(test, mem[2], 192L);
	/* And a huge count does not overflow the doubling. */
	xtcp_mem_defaults(ULONG_MAX, mem);
	KUNIT_EXPECT_GT(test, mem[2], 0L);
	KUNIT_EXPECT_LE(test, mem[0], mem[1]);
	KUNIT_EXPECT_LE(test, mem[1], mem[2]);
}

/* One orphan per 256 KiB of memory, at least 128, at most INT_MAX. */
static void xtcp_mem__max_orphans_default(struct kunit *test)
{
	unsigned long gib = 1UL << (30 - PAGE_SHIFT);

	KUNIT_EXPECT_EQ(test, xtcp_max_orphans_default(2 * gib), 8192);
	KUNIT_EXPECT_EQ(test, xtcp_max_orphans_default(24 * gib), 98304);
	KUNIT_EXPECT_EQ(test, xtcp_max_orphans_default(1), 128);
	KUNIT_EXPECT_EQ(test, xtcp_max_orphans_default(ULONG_MAX), INT_MAX);
}

static void xtcp_mem__parse_accepts(struct kunit *test)
{
	long mem[3] = { 0, 0, 0 };

	KUNIT_EXPECT_EQ(test, xtcp_mem_parse("1 2 3", mem), 0);
	KUNIT_EXPECT_EQ(test, mem[0], 1L);
	KUNIT_EXPECT_EQ(test, mem[1], 2L);
	KUNIT_EXPECT_EQ(test, mem[2], 3L);
	/* What `cat` shows (tabs) can be written back; a newline may end it. */
	KUNIT_EXPECT_EQ(test, xtcp_mem_parse("  188046\t250728\t376092\n", mem), 0);
	KUNIT_EXPECT_EQ(test, mem[0], 188046L);
	KUNIT_EXPECT_EQ(test, mem[2], 376092L);
	KUNIT_EXPECT_EQ(test, xtcp_mem_parse("7 7 7", mem), 0);
	KUNIT_EXPECT_EQ(test, mem[1], 7L);
}

/* Refused, and nothing of it stored. */
static void xtcp_mem__parse_refuses(struct kunit *test)
{
	static const char *const bad[] = {
		"", "\n", "1", "1 2", "1 2 3 4", "3 2 1", "1 3 2", "0 1 2", "-1 2 3",
		"a b c", "1 2 3x", "1,2,3", "+1 2 3", "0x10 0x20 0x30", "1 2 3\n4",
		"1 2 99999999999999999999999", "1 2 123456789012345678901234567890",
	};
	long mem[3] = { 11, 22, 33 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		KUNIT_EXPECT_EQ_MSG(test, xtcp_mem_parse(bad[i], mem), -EINVAL, "'%s'", bad[i]);
		KUNIT_EXPECT_EQ(test, mem[0], 11L);
		KUNIT_EXPECT_EQ(test, mem[1], 22L);
		KUNIT_EXPECT_EQ(test, mem[2], 33L);
	}
}

/* More than the limit is too many; each step of @shift halves the limit. */
static void xtcp_mem__orphans_over(struct kunit *test)
{
	KUNIT_EXPECT_FALSE(test, xtcp_orphans_over(100, 100, 0));
	KUNIT_EXPECT_TRUE(test, xtcp_orphans_over(101, 100, 0));
	KUNIT_EXPECT_FALSE(test, xtcp_orphans_over(50, 100, 1));
	KUNIT_EXPECT_TRUE(test, xtcp_orphans_over(51, 100, 1));
	KUNIT_EXPECT_TRUE(test, xtcp_orphans_over(26, 100, 2));
	/* A limit of 0 allows none; the largest count does not wrap. */
	KUNIT_EXPECT_TRUE(test, xtcp_orphans_over(1, 0, 0));
	KUNIT_EXPECT_FALSE(test, xtcp_orphans_over(0, 0, 2));
	KUNIT_EXPECT_TRUE(test, xtcp_orphans_over(UINT_MAX, INT_MAX, 2));
}

static struct kunit_case xtcp_mem_cases[] = {
	KUNIT_CASE(xtcp_mem__defaults_follow_memory),
	KUNIT_CASE(xtcp_mem__max_orphans_default),
	KUNIT_CASE(xtcp_mem__parse_accepts),
	KUNIT_CASE(xtcp_mem__parse_refuses),
	KUNIT_CASE(xtcp_mem__orphans_over),
	{}
};

static struct kunit_suite xtcp_mem_suite = {
	.name = "xtcp_mem",
	.test_cases = xtcp_mem_cases,
};

kunit_test_suites(&xtcp_mem_suite);
