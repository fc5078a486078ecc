// SPDX-License-Identifier: GPL-2.0
/*
 * pacing_test.c - KUnit cases for module/pacing.c: TCP's pacing rate (a
 * window per RTT, 200% in slow start below half of ssthresh, 120% after,
 * the flight if larger than the window, no limit without an RTT) and the
 * wait between departures XTCP's own pacing keeps.
 */
#include <kunit/test.h>

#include "xtcp.h"

static void xtcp_pacing__rate(struct kunit *test)
{
	/* 10 segments of 1000 bytes per 10 ms: 1 MB/s, doubled in slow start. */
	KUNIT_EXPECT_EQ(test, xtcp_pacing_rate(1000, 10, XTCP_INFINITE_SSTHRESH, 0, 10000,
					       200, 120), 2000000ULL);
	/* At half of ssthresh and above: congestion avoidance's 120%. */
	KUNIT_EXPECT_EQ(test, xtcp_pacing_rate(1000, 10, 20, 0, 10000, 200, 120), 1200000ULL);
	KUNIT_EXPECT_EQ(test, xtcp_pacing_rate(1000, 9, 20, 0, 10000, 200, 120), 1800000ULL);
	KUNIT_EXPECT_EQ(test, xtcp_pacing_rate(1000, 10, 5, 0, 10000, 200, 120), 1200000ULL);
	/* A flight larger than the window (an undo, a probe) counts. */
	KUNIT_EXPECT_EQ(test, xtcp_pacing_rate(1000, 10, 5, 20, 10000, 200, 120), 2400000ULL);
	/* The ratios are the sysctls'. */
	KUNIT_EXPECT_EQ(test, xtcp_pacing_rate(1000, 10, 5, 0, 10000, 200, 100), 1000000ULL);
	KUNIT_EXPECT_EQ(test, xtcp_pacing_rate(1000, 10, 5, 0, 10000, 200, 0), 0ULL);
	/* No RTT yet: no limit. */
	KUNIT_EXPECT_EQ(test, xtcp_pacing_rate(1000, 10, 5, 0, 0, 200, 120), U64_MAX);
}

static void xtcp_pacing__rate_extremes(struct kunit *test)
{
	/* The largest MSS, ratio and window over 1 us: no overflow, no wrap. */
	KUNIT_EXPECT_EQ(test, xtcp_pacing_rate(65535, XTCP_MAX_CWND, XTCP_INFINITE_SSTHRESH,
					       U32_MAX, 1, 1000, 1000),
			65535ULL * 1000000 * 10 * XTCP_MAX_CWND);
	/* An RTT of 4295 s: still a rate, if a small one. */
	KUNIT_EXPECT_EQ(test, xtcp_pacing_rate(1000, 1, 2, 0, U32_MAX, 200, 120), 0ULL);
	KUNIT_EXPECT_EQ(test, xtcp_pacing_rate(65535, 1000, 2, 0, U32_MAX, 200, 120),
			18310ULL);
}

static void xtcp_pacing__delay(struct kunit *test)
{
	/* 1500 bytes at 1.5 MB/s: a millisecond. */
	KUNIT_EXPECT_EQ(test, xtcp_pacing_delay_ns(1500, 1500000), 1000000ULL);
	KUNIT_EXPECT_EQ(test, xtcp_pacing_delay_ns(64000, 1000000000), 64000ULL);
	/* No rate, or no limit: no wait. */
	KUNIT_EXPECT_EQ(test, xtcp_pacing_delay_ns(1500, 0), 0ULL);
	KUNIT_EXPECT_EQ(test, xtcp_pacing_delay_ns(1500, ~0UL), 0ULL);
	/* At most a second, however slow. */
	KUNIT_EXPECT_EQ(test, xtcp_pacing_delay_ns(65535, 1), (u64)NSEC_PER_SEC);
	KUNIT_EXPECT_EQ(test, xtcp_pacing_delay_ns(1000, 1000), (u64)NSEC_PER_SEC);
	KUNIT_EXPECT_EQ(test, xtcp_pacing_delay_ns(999, 1000), 999000000ULL);
}

static struct kunit_case xtcp_pacing_cases[] = {
	KUNIT_CASE(xtcp_pacing__rate),
	KUNIT_CASE(xtcp_pacing__rate_extremes),
	KUNIT_CASE(xtcp_pacing__delay),
	{}
};

static struct kunit_suite xtcp_pacing_suite = {
	.name = "xtcp_pacing",
	.test_cases = xtcp_pacing_cases,
};

kunit_test_suites(&xtcp_pacing_suite);
