// SPDX-License-Identifier: GPL-2.0
/*
 * rto_test.c - KUnit cases for module/rto.c: the RFC 6298 estimator and backoff.
 */
#include <kunit/test.h>

#include "xtcp.h"

static void xtcp_rtt__initial_rto_one_second(struct kunit *test)
{
	struct xtcp_rtt r;

	xtcp_rtt_init(&r);
	KUNIT_EXPECT_EQ(test, r.srtt_us, 0U);
	KUNIT_EXPECT_EQ(test, xtcp_rtt_timeout(&r), 1000000U);
}

/* 2.2: SRTT = R, RTTVAR = R/2, RTO = SRTT + 4 * RTTVAR = 3R. */
static void xtcp_rtt__first_sample(struct kunit *test)
{
	struct xtcp_rtt r;

	xtcp_rtt_init(&r);
	xtcp_rtt_sample(&r, 100000);
	KUNIT_EXPECT_EQ(test, r.srtt_us, 100000U);
	KUNIT_EXPECT_EQ(test, r.rttvar_us, 50000U);
	KUNIT_EXPECT_EQ(test, xtcp_rtt_timeout(&r), 300000U);
}

/* 2.3, worked by hand: RTTVAR first (with the old SRTT), then SRTT. */
static void xtcp_rtt__second_sample(struct kunit *test)
{
	struct xtcp_rtt r;

	xtcp_rtt_init(&r);
	xtcp_rtt_sample(&r, 100000);
	xtcp_rtt_sample(&r, 180000);
	/* RTTVAR = 3/4 * 50000 + 1/4 * |100000 - 180000| = 37500 + 20000 */
	KUNIT_EXPECT_EQ(test, r.rttvar_us, 57500U);
	/* SRTT = 7/8 * 100000 + 1/8 * 180000 = 87500 + 22500 */
	KUNIT_EXPECT_EQ(test, r.srtt_us, 110000U);
	KUNIT_EXPECT_EQ(test, xtcp_rtt_timeout(&r), 110000U + 4 * 57500U);
}

/* Steady samples converge: RTTVAR decays, SRTT tends to the RTT. */
static void xtcp_rtt__converges(struct kunit *test)
{
	struct xtcp_rtt r;
	int i;

	xtcp_rtt_init(&r);
	for (i = 0; i < 200; i++)
		xtcp_rtt_sample(&r, 250000);
	KUNIT_EXPECT_EQ(test, r.srtt_us, 250000U);
	KUNIT_EXPECT_LT(test, r.rttvar_us, 1000U);
	KUNIT_EXPECT_LT(test, xtcp_rtt_timeout(&r), 254000U);
	KUNIT_EXPECT_GE(test, xtcp_rtt_timeout(&r), 250000U);
}

/* 2.4 and 2.5: the RTO stays within [200 ms, 120 s]. */
static void xtcp_rtt__bounds(struct kunit *test)
{
	struct xtcp_rtt r;

	xtcp_rtt_init(&r);
	xtcp_rtt_sample(&r, 0);		/* a zero sample counts as 1 us */
	KUNIT_EXPECT_EQ(test, r.srtt_us, 1U);
	KUNIT_EXPECT_EQ(test, xtcp_rtt_timeout(&r), XTCP_RTO_MIN_US);

	xtcp_rtt_init(&r);
	xtcp_rtt_sample(&r, 100000000);	/* 100 s: 3R would be 300 s */
	KUNIT_EXPECT_EQ(test, xtcp_rtt_timeout(&r), XTCP_RTO_MAX_US);
	xtcp_rtt_sample(&r, U32_MAX);
	KUNIT_EXPECT_EQ(test, xtcp_rtt_timeout(&r), XTCP_RTO_MAX_US);
}

/* 5.5: each expiry doubles the timeout, up to the maximum; a sample resets it. */
static void xtcp_rtt__backoff_doubles_then_resets(struct kunit *test)
{
	static const u32 want[] = { 1000000, 2000000, 4000000, 8000000, 16000000,
				    32000000, 64000000, 120000000, 120000000 };
	struct xtcp_rtt r;
	unsigned int i;

	xtcp_rtt_init(&r);
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		KUNIT_EXPECT_EQ_MSG(test, xtcp_rtt_timeout(&r), want[i], "after %u expiries", i);
		xtcp_rtt_backoff(&r);
	}
	for (i = 0; i < 100; i++)
		xtcp_rtt_backoff(&r);
	KUNIT_EXPECT_EQ(test, xtcp_rtt_timeout(&r), XTCP_RTO_MAX_US);

	xtcp_rtt_sample(&r, 100000);
	KUNIT_EXPECT_EQ(test, r.backoff, 0);
	KUNIT_EXPECT_EQ(test, xtcp_rtt_timeout(&r), 300000U);
}

/*
 * 5.7: a handshake that timed out and left no sample moves the RTO from the
 * 1 s of 2.1 to 3 s, with no backoff left; one that was sampled, or never
 * timed out, keeps its RTO.
 */
static void xtcp_rtt__handshake_fallback(struct kunit *test)
{
	struct xtcp_rtt r;

	xtcp_rtt_init(&r);
	xtcp_rtt_backoff(&r);
	xtcp_rtt_backoff(&r);
	xtcp_rtt_handshake_done(&r, true);
	KUNIT_EXPECT_EQ(test, xtcp_rtt_timeout(&r), 3000000U);
	KUNIT_EXPECT_EQ(test, r.backoff, 0);
	KUNIT_EXPECT_EQ(test, r.srtt_us, 0U);
	/* The first sample replaces it as any sample does. */
	xtcp_rtt_sample(&r, 100000);
	KUNIT_EXPECT_EQ(test, xtcp_rtt_timeout(&r), 300000U);

	xtcp_rtt_init(&r);
	xtcp_rtt_handshake_done(&r, false);
	KUNIT_EXPECT_EQ(test, xtcp_rtt_timeout(&r), XTCP_RTO_INIT_US);

	/* Timed out, but the echoed timestamp gave a sample: that one stands. */
	xtcp_rtt_init(&r);
	xtcp_rtt_sample(&r, 40000);
	xtcp_rtt_handshake_done(&r, true);
	KUNIT_EXPECT_EQ(test, xtcp_rtt_timeout(&r), XTCP_RTO_MIN_US);
}

static struct kunit_case xtcp_rtt_cases[] = {
	KUNIT_CASE(xtcp_rtt__initial_rto_one_second),
	KUNIT_CASE(xtcp_rtt__first_sample),
	KUNIT_CASE(xtcp_rtt__second_sample),
	KUNIT_CASE(xtcp_rtt__converges),
	KUNIT_CASE(xtcp_rtt__bounds),
	KUNIT_CASE(xtcp_rtt__backoff_doubles_then_resets),
	KUNIT_CASE(xtcp_rtt__handshake_fallback),
	{}
};

static struct kunit_suite xtcp_rtt_suite = {
	.name = "xtcp_rto",
	.test_cases = xtcp_rtt_cases,
};

kunit_test_suites(&xtcp_rtt_suite);
