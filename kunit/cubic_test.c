// SPDX-License-Identifier: GPL-2.0
/*
 * cubic_test.c - KUnit cases for module/cc_cubic.c against RFC 9438's
 * formulas: the cube root, K, W_cubic(t), the reduction with fast
 * convergence, and the window over round trips (the concave approach to
 * W_max, the plateau, the convex probe beyond, and the Reno-friendly region
 * on a short path).
 */
#include <kunit/test.h>

#include "xtcp.h"

static void xtcp_cubic__cbrt(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xtcp_cbrt(0), 0U);
	KUNIT_EXPECT_EQ(test, xtcp_cbrt(1), 1U);
	KUNIT_EXPECT_EQ(test, xtcp_cbrt(7), 1U);
	KUNIT_EXPECT_EQ(test, xtcp_cbrt(8), 2U);
	KUNIT_EXPECT_EQ(test, xtcp_cbrt(26), 2U);
	KUNIT_EXPECT_EQ(test, xtcp_cbrt(27), 3U);
	KUNIT_EXPECT_EQ(test, xtcp_cbrt(1000000000000000000ULL), 1000000U);
	KUNIT_EXPECT_EQ(test, xtcp_cbrt(999999999999999999ULL), 999999U);
	KUNIT_EXPECT_EQ(test, xtcp_cbrt(U64_MAX), 2642245U);
}

/* K = cbrt((W_max - cwnd) / C), C = 0.4: 100 -> 70 takes cbrt(75) = 4.217 s. */
static void xtcp_cubic__k(struct kunit *test)
{
	u32 k = xtcp_cubic_k(100, 70);

	KUNIT_EXPECT_EQ(test, k, 4318U);	/* 4.2168 s in 2^-10 s */
	KUNIT_EXPECT_EQ(test, xtcp_cubic_k(100, 100), 0U);
	KUNIT_EXPECT_EQ(test, xtcp_cubic_k(100, 150), 0U);
	/* cbrt(2.5) s for one segment; the largest window does not overflow. */
	KUNIT_EXPECT_EQ(test, xtcp_cubic_k(2, 1), 1389U);
	KUNIT_EXPECT_GT(test, xtcp_cubic_k(XTCP_MAX_CWND, 1), 0U);
}

/* W_cubic(t) = C (t - K)^3 + W_max: cwnd_epoch at 0, W_max at K, C s^3 after. */
static void xtcp_cubic__w(struct kunit *test)
{
	u32 k = xtcp_cubic_k(100, 70);

	KUNIT_EXPECT_GE(test, xtcp_cubic_w(0, k, 100), 70U);
	KUNIT_EXPECT_LE(test, xtcp_cubic_w(0, k, 100), 71U);
	KUNIT_EXPECT_EQ(test, xtcp_cubic_w(k, k, 100), 100U);
	/* K + 5 s: 100 + 0.4 * 125. */
	KUNIT_EXPECT_EQ(test, xtcp_cubic_w(k + 5 * 1024, k, 100), 150U);
	/* K + 10 s: 100 + 0.4 * 1000. */
	KUNIT_EXPECT_EQ(test, xtcp_cubic_w(k + 10 * 1024, k, 100), 500U);
	/* Symmetric below: K - 2 s is 100 - 3.2, K - 3 s 100 - 10.8. */
	KUNIT_EXPECT_GE(test, xtcp_cubic_w(k - 2 * 1024, k, 100), 96U);
	KUNIT_EXPECT_LE(test, xtcp_cubic_w(k - 2 * 1024, k, 100), 97U);
	KUNIT_EXPECT_GE(test, xtcp_cubic_w(k - 3 * 1024, k, 100), 89U);
	KUNIT_EXPECT_LE(test, xtcp_cubic_w(k - 3 * 1024, k, 100), 90U);
	/* Far out: bounded, never wrapped. */
	KUNIT_EXPECT_EQ(test, xtcp_cubic_w(U64_MAX, 0, 100), (u32)XTCP_MAX_CWND);
	KUNIT_EXPECT_EQ(test, xtcp_cubic_w(0, U32_MAX, 100), 0U);
}

/* A loss: ssthresh 0.7 cwnd; W_max the window, or less below the last (4.7). */
static void xtcp_cubic__reduction(struct kunit *test)
{
	struct xtcp_cubic c = {};

	KUNIT_EXPECT_EQ(test, xtcp_cubic_ssthresh_of(&c, 100), 70U);
	KUNIT_EXPECT_EQ(test, c.w_max, 100U);
	KUNIT_EXPECT_EQ(test, c.w_last_max, 100U);
	/* Lost again below 100: W_max = 80 * (1 + 0.7) / 2. */
	KUNIT_EXPECT_EQ(test, xtcp_cubic_ssthresh_of(&c, 80), 56U);
	KUNIT_EXPECT_EQ(test, c.w_max, 68U);
	KUNIT_EXPECT_EQ(test, c.w_last_max, 80U);
	/* Kept for an undo. */
	KUNIT_EXPECT_EQ(test, c.undo_w_max, 100U);
	KUNIT_EXPECT_EQ(test, c.undo_w_last_max, 100U);
	/* Above it: all of it. */
	KUNIT_EXPECT_EQ(test, xtcp_cubic_ssthresh_of(&c, 90), 63U);
	KUNIT_EXPECT_EQ(test, c.w_max, 90U);
	/* Never below 2 segments. */
	KUNIT_EXPECT_EQ(test, xtcp_cubic_ssthresh_of(&c, 2), 2U);
	KUNIT_EXPECT_EQ(test, c.epoch_us, 0ULL);
}

/*
 * @rtts round trips of @rtt_us, each acknowledging the window one segment per
 * ACK, from cwnd 70 after a loss at 100; the window at the end.
 */
static u32 cubic_run(u32 rtt_us, u32 rtts)
{
	struct xtcp_cubic c = {};
	struct xtcp_ca ca = { .cwnd = 100, .ssthresh = 1 };
	u64 now = 1000000;
	u32 r, i, w;

	ca.cwnd = xtcp_cubic_ssthresh_of(&c, ca.cwnd);
	for (r = 0; r < rtts; r++) {
		w = ca.cwnd;
		for (i = 0; i < w; i++)
			xtcp_cc_cong_avoid_ai(&ca, xtcp_cubic_cnt(&c, ca.cwnd, 1, now, rtt_us), 1);
		now += rtt_us;
	}
	return ca.cwnd;
}

/*
 * On a 100 ms path the window comes back to W_max in about K = 4.2 s (42
 * round trips), concave (96 at 2 s, RFC 9438's W_cubic(2.1) = 96.2), stays
 * near it, and probes beyond it convexly (W_cubic(6.1) = 102.7).
 */
static void xtcp_cubic__concave_convex(struct kunit *test)
{
	u32 w;

	w = cubic_run(100000, 20);
	KUNIT_EXPECT_GE(test, w, 95U);
	KUNIT_EXPECT_LE(test, w, 97U);
	w = cubic_run(100000, 42);
	KUNIT_EXPECT_GE(test, w, 99U);
	KUNIT_EXPECT_LE(test, w, 101U);
	w = cubic_run(100000, 60);
	KUNIT_EXPECT_GE(test, w, 101U);
	KUNIT_EXPECT_LE(test, w, 104U);
	/* Beyond: a tenth of a second per round trip, growth cubic in time. */
	KUNIT_EXPECT_GT(test, cubic_run(100000, 100), 120U);
}

/*
 * On a 1 ms path the cubic barely moves in 30 round trips (W_cubic(0.031) =
 * 70.7); Reno would have added 0.53 a round trip (alpha_cubic): CUBIC
 * follows Reno's estimate (RFC 9438 4.3).
 */
static void xtcp_cubic__reno_friendly(struct kunit *test)
{
	u32 w = cubic_run(1000, 30);

	KUNIT_EXPECT_GE(test, w, 83U);
	KUNIT_EXPECT_LE(test, w, 87U);
	/* Past the window of the loss, alpha is 1: a segment a round trip. */
	KUNIT_EXPECT_GE(test, cubic_run(1000, 100), 130U);
}

/* The count never reaches 0, whatever the window and the time. */
static void xtcp_cubic__cnt_bounds(struct kunit *test)
{
	struct xtcp_cubic c = {};

	KUNIT_EXPECT_GE(test, xtcp_cubic_cnt(&c, 1, 1, 1, 0), 1U);
	KUNIT_EXPECT_GE(test, xtcp_cubic_cnt(&c, 1, U32_MAX, U64_MAX / 2, U32_MAX), 1U);
	c.epoch_us = 0;
	KUNIT_EXPECT_GE(test, xtcp_cubic_cnt(&c, XTCP_MAX_CWND, U32_MAX, 1, 0), 1U);
}

static struct kunit_case xtcp_cubic_cases[] = {
	KUNIT_CASE(xtcp_cubic__cbrt),
	KUNIT_CASE(xtcp_cubic__k),
	KUNIT_CASE(xtcp_cubic__w),
	KUNIT_CASE(xtcp_cubic__reduction),
	KUNIT_CASE(xtcp_cubic__concave_convex),
	KUNIT_CASE(xtcp_cubic__reno_friendly),
	KUNIT_CASE(xtcp_cubic__cnt_bounds),
	{}
};

static struct kunit_suite xtcp_cubic_suite = {
	.name = "xtcp_cubic",
	.test_cases = xtcp_cubic_cases,
};

kunit_test_suites(&xtcp_cubic_suite);
