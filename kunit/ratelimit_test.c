// SPDX-License-Identifier: GPL-2.0
/*
 * ratelimit_test.c - KUnit cases for module/ratelimit.c: the per-second budget of
 * challenge ACKs, the per-connection interval of out-of-window ACKs, and the
 * 15-bit clock of a TIME_WAIT entry's.
 */
#include <kunit/test.h>

#include "xtcp.h"

/* How many takes one second's budget allows (taking until it says no). */
static unsigned int drain(struct xtcp_budget *b, u32 second, u32 limit)
{
	unsigned int n = 0;

	while (n < 10 * limit + 10 && xtcp_budget_take(b, second, limit))
		n++;
	return n;
}

/* Each second allows between half the limit and 1.5 times it, never more. */
static void xtcp_budget__between_half_and_one_and_a_half(struct kunit *test)
{
	struct xtcp_budget b = { .second = 0 };
	unsigned int n, lo = ~0U, hi = 0;
	u32 s;

	atomic_set(&b.left, 0);
	for (s = 1; s <= 200; s++) {
		n = drain(&b, s, 100);
		lo = min(lo, n);
		hi = max(hi, n);
		KUNIT_EXPECT_GE(test, n, 50U);
		KUNIT_EXPECT_LT(test, n, 150U);
		/* Spent: nothing more this second. */
		KUNIT_EXPECT_FALSE(test, xtcp_budget_take(&b, s, 100));
	}
	/* Random: 200 draws below 100 do not all land on one value. */
	KUNIT_EXPECT_LT(test, lo, hi);
}

/* A limit of 0 lets nothing through; 1 lets one or two a second through. */
static void xtcp_budget__small_limits(struct kunit *test)
{
	struct xtcp_budget b = { .second = 0 };
	unsigned int n;
	u32 s;

	atomic_set(&b.left, 0);
	KUNIT_EXPECT_EQ(test, drain(&b, 7, 0), 0U);
	for (s = 10; s < 50; s++) {
		n = drain(&b, s, 1);
		KUNIT_EXPECT_GE(test, n, 1U);
		KUNIT_EXPECT_LE(test, n, 1U);
	}
	/* The largest limit does not overflow the count. */
	KUNIT_EXPECT_TRUE(test, xtcp_budget_take(&b, 99, INT_MAX));
	KUNIT_EXPECT_GT(test, atomic_read(&b.left), INT_MAX / 2 - 2);
}

/* One reply per interval; the first always goes; 0 is no limit. */
static void xtcp_interval__one_per_interval(struct kunit *test)
{
	u32 last = 0;

	KUNIT_EXPECT_FALSE(test, xtcp_interval_limited(&last, 1000, 125));
	KUNIT_EXPECT_EQ(test, last, 1000U);
	KUNIT_EXPECT_TRUE(test, xtcp_interval_limited(&last, 1000, 125));
	KUNIT_EXPECT_TRUE(test, xtcp_interval_limited(&last, 1124, 125));
	/* Held back replies do not move the mark. */
	KUNIT_EXPECT_EQ(test, last, 1000U);
	KUNIT_EXPECT_FALSE(test, xtcp_interval_limited(&last, 1125, 125));
	KUNIT_EXPECT_EQ(test, last, 1125U);
	/* No limit. */
	KUNIT_EXPECT_FALSE(test, xtcp_interval_limited(&last, 1126, 0));
	KUNIT_EXPECT_FALSE(test, xtcp_interval_limited(&last, 1126, 0));
}

/* Across the wrap of jiffies, and a mark in the future, nothing is held forever. */
static void xtcp_interval__wraps(struct kunit *test)
{
	u32 last = 0;

	KUNIT_EXPECT_FALSE(test, xtcp_interval_limited(&last, 0xffffff00U, 500));
	KUNIT_EXPECT_TRUE(test, xtcp_interval_limited(&last, 0x00000010U, 500));
	KUNIT_EXPECT_FALSE(test, xtcp_interval_limited(&last, 0x00000100U, 500));
	/* A mark ahead of now (a wrapped clock): the reply goes. */
	last = 5000;
	KUNIT_EXPECT_FALSE(test, xtcp_interval_limited(&last, 4000, 500));
	/* Time 0 is a time like another: the mark is never left at "never". */
	last = 0;
	KUNIT_EXPECT_FALSE(test, xtcp_interval_limited(&last, 0, 500));
	KUNIT_EXPECT_NE(test, last, 0U);
	KUNIT_EXPECT_TRUE(test, xtcp_interval_limited(&last, 1, 500));
}

/* The 15-bit clock of a TIME_WAIT entry: one reply per interval, 0 never. */
static void xtcp_stamp__one_per_interval(struct kunit *test)
{
	u16 stamp = 0, last;

	/* Never sent: it goes, and the stamp is set (8 ms units, never 0). */
	KUNIT_EXPECT_FALSE(test, xtcp_stamp_limited(0, 1000, 500, &stamp));
	KUNIT_EXPECT_EQ(test, stamp, (u16)(1000 >> 3));
	last = stamp;
	KUNIT_EXPECT_TRUE(test, xtcp_stamp_limited(last, 1000, 500, &stamp));
	KUNIT_EXPECT_TRUE(test, xtcp_stamp_limited(last, 1480, 500, &stamp));
	KUNIT_EXPECT_EQ(test, stamp, last);
	KUNIT_EXPECT_FALSE(test, xtcp_stamp_limited(last, 1504, 500, &stamp));
	KUNIT_EXPECT_EQ(test, stamp, (u16)(1504 >> 3));
	/* No limit. */
	KUNIT_EXPECT_FALSE(test, xtcp_stamp_limited(last, 1000, 0, &stamp));
	/* Time 0 (and every wrap of it) stamps 1, not "never". */
	KUNIT_EXPECT_FALSE(test, xtcp_stamp_limited(0, 0, 500, &stamp));
	KUNIT_EXPECT_EQ(test, stamp, (u16)1);
	KUNIT_EXPECT_FALSE(test, xtcp_stamp_limited(0, 1U << 18, 500, &stamp));
	KUNIT_EXPECT_EQ(test, stamp, (u16)1);
	/* The largest interval, 60 s, fits in the 262 s of the clock. */
	KUNIT_EXPECT_FALSE(test, xtcp_stamp_limited(0, 5000, 60000, &stamp));
	last = stamp;
	KUNIT_EXPECT_TRUE(test, xtcp_stamp_limited(last, 64000, 60000, &stamp));
	KUNIT_EXPECT_FALSE(test, xtcp_stamp_limited(last, 65008, 60000, &stamp));
}

/* Across the clock's wrap (2^18 ms) and the millisecond clock's (2^32). */
static void xtcp_stamp__wraps(struct kunit *test)
{
	u16 stamp = 0, last;

	KUNIT_EXPECT_FALSE(test, xtcp_stamp_limited(0, (1U << 18) - 100, 500, &stamp));
	last = stamp;
	KUNIT_EXPECT_TRUE(test, xtcp_stamp_limited(last, (1U << 18) + 300, 500, &stamp));
	KUNIT_EXPECT_FALSE(test, xtcp_stamp_limited(last, (1U << 18) + 408, 500, &stamp));
	KUNIT_EXPECT_FALSE(test, xtcp_stamp_limited(0, 0xffffff00U, 500, &stamp));
	last = stamp;
	KUNIT_EXPECT_TRUE(test, xtcp_stamp_limited(last, 0x00000080U, 500, &stamp));
	KUNIT_EXPECT_FALSE(test, xtcp_stamp_limited(last, 0x00000200U, 500, &stamp));
	/* A whole wrap later, within the interval: held back once (documented). */
	KUNIT_EXPECT_FALSE(test, xtcp_stamp_limited(0, 8000, 500, &stamp));
	last = stamp;
	KUNIT_EXPECT_TRUE(test, xtcp_stamp_limited(last, 8000 + (1U << 18), 500, &stamp));
}

static struct kunit_case xtcp_ratelimit_cases[] = {
	KUNIT_CASE(xtcp_budget__between_half_and_one_and_a_half),
	KUNIT_CASE(xtcp_budget__small_limits),
	KUNIT_CASE(xtcp_interval__one_per_interval),
	KUNIT_CASE(xtcp_interval__wraps),
	KUNIT_CASE(xtcp_stamp__one_per_interval),
	KUNIT_CASE(xtcp_stamp__wraps),
	{}
};

static struct kunit_suite xtcp_ratelimit_suite = {
	.name = "xtcp_ratelimit",
	.test_cases = xtcp_ratelimit_cases,
};

kunit_test_suites(&xtcp_ratelimit_suite);
