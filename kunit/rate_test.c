// SPDX-License-Identifier: GPL-2.0
/*
 * rate_test.c - KUnit cases for module/rate.c: the delivery rate over an RTT
 * and the busy time of TCP_INFO.
 */
#include <kunit/test.h>

#include "xtcp.h"

/* A sample spans at least the RTT; the first ACK only starts the interval. */
static void xtcp_rate__delivery(struct kunit *test)
{
	struct xtcp_rate r = {};

	xtcp_rate_busy(&r, true, 0, 1000);
	xtcp_rate_acked(&r, 5000, 1000, 10000);
	KUNIT_EXPECT_EQ(test, r.rate, 0ULL);
	/* 5 ms later: shorter than the 10 ms RTT, no sample yet. */
	xtcp_rate_acked(&r, 55000, 6000, 10000);
	KUNIT_EXPECT_EQ(test, r.rate, 0ULL);
	/* 100000 bytes in 10 ms: 10 MB/s. */
	xtcp_rate_acked(&r, 105000, 11000, 10000);
	KUNIT_EXPECT_EQ(test, r.rate, 10000000ULL);
	/* The next interval starts there; SND.UNA wraps on the way. */
	r.start_una = 0xffff0000;
	xtcp_rate_acked(&r, 0x00010000, 31000, 10000);
	KUNIT_EXPECT_EQ(test, r.rate, 0x20000ULL * 1000000 / 20000);
	/* Without an RTT, a millisecond at least. */
	xtcp_rate_acked(&r, 0x00010000 + 500, 31500, 0);
	KUNIT_EXPECT_EQ(test, r.rate, 0x20000ULL * 1000000 / 20000);
	xtcp_rate_acked(&r, 0x00010000 + 1000, 32000, 0);
	KUNIT_EXPECT_EQ(test, r.rate, 1000000ULL);
}

/* Idle time counts neither as busy time nor in a delivery-rate interval. */
static void xtcp_rate__busy_and_idle(struct kunit *test)
{
	struct xtcp_rate r = {};

	KUNIT_EXPECT_EQ(test, xtcp_rate_busy_us(&r, 5000), 0ULL);
	xtcp_rate_busy(&r, true, 0, 1000);
	xtcp_rate_busy(&r, true, 0, 2000);		/* still the same period */
	KUNIT_EXPECT_EQ(test, xtcp_rate_busy_us(&r, 4000), 3000ULL);
	xtcp_rate_acked(&r, 100, 1500, 1000000);
	/* Idle before a full interval: what was delivered is the sample. */
	xtcp_rate_busy(&r, false, 3100, 4500);
	KUNIT_EXPECT_EQ(test, r.rate, 1000000ULL);
	KUNIT_EXPECT_EQ(test, xtcp_rate_busy_us(&r, 90000), 3500ULL);
	/* Idle again: no interval ran, the sample stands. */
	xtcp_rate_busy(&r, false, 3100, 5000);
	KUNIT_EXPECT_EQ(test, r.rate, 1000000ULL);
	r.rate = 0;
	/* An ACK after a second of idling starts an interval, not a sample. */
	xtcp_rate_busy(&r, true, 0, 1005000);
	xtcp_rate_acked(&r, 200, 1006000, 1000);
	KUNIT_EXPECT_EQ(test, r.rate, 0ULL);
	xtcp_rate_acked(&r, 2200, 1008000, 1000);
	KUNIT_EXPECT_EQ(test, r.rate, 1000000ULL);
	KUNIT_EXPECT_EQ(test, xtcp_rate_busy_us(&r, 1010000), 8500ULL);
}

static struct kunit_case xtcp_rate_cases[] = {
	KUNIT_CASE(xtcp_rate__delivery),
	KUNIT_CASE(xtcp_rate__busy_and_idle),
	{}
};

static struct kunit_suite xtcp_rate_suite = {
	.name = "xtcp_rate",
	.test_cases = xtcp_rate_cases,
};

kunit_test_suites(&xtcp_rate_suite);
