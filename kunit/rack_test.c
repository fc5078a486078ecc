// SPDX-License-Identifier: GPL-2.0
/*
 * rack_test.c - KUnit cases for module/rack.c: RACK's reference segment, its
 * time-based marking, the reordering window and how D-SACKs grow it (RFC
 * 8985 6.2), and the least RTT's five-minute window.
 */
#include <kunit/test.h>

#include "seq.h"
#include "xtcp.h"

/* The reference: the most recently sent segment delivered, whatever the order. */
static void xtcp_rack__reference(struct kunit *test)
{
	struct xtcp_rack r;

	xtcp_rack_init(&r, 1000);
	KUNIT_EXPECT_FALSE(test, r.valid);
	KUNIT_EXPECT_EQ(test, xtcp_rack_wait_us(&r, 0, 1100, 5000, 0), U32_MAX);
	/* Sent at 100 us, delivered at 50100: RTT 50 ms. */
	KUNIT_EXPECT_FALSE(test, xtcp_rack_delivered(&r, 100, 1200, false, 50100));
	KUNIT_EXPECT_TRUE(test, r.valid);
	KUNIT_EXPECT_EQ(test, r.xmit_us, 100U);
	KUNIT_EXPECT_EQ(test, r.end_seq, 1200U);
	KUNIT_EXPECT_EQ(test, r.rtt_us, 50000U);
	/* A segment sent earlier, delivered later: not the reference. */
	xtcp_rack_delivered(&r, 50, 1100, false, 60000);
	KUNIT_EXPECT_EQ(test, r.xmit_us, 100U);
	KUNIT_EXPECT_EQ(test, r.rtt_us, 50000U);
	/* Sent in the same microsecond (one burst): the higher end is later. */
	xtcp_rack_delivered(&r, 100, 1300, false, 70000);
	KUNIT_EXPECT_EQ(test, r.end_seq, 1300U);
	KUNIT_EXPECT_EQ(test, r.rtt_us, 69900U);
	xtcp_rack_delivered(&r, 100, 1250, false, 80000);
	KUNIT_EXPECT_EQ(test, r.end_seq, 1300U);
	/* Times compare across the 32-bit wrap. */
	xtcp_rack_init(&r, 1000);
	xtcp_rack_delivered(&r, U32_MAX - 10, 1100, false, 5);
	KUNIT_EXPECT_EQ(test, r.rtt_us, 16U);
	xtcp_rack_delivered(&r, 2, 1200, false, 30);
	KUNIT_EXPECT_EQ(test, r.xmit_us, 2U);
	KUNIT_EXPECT_EQ(test, r.rtt_us, 28U);
}

/* A retransmission answered faster than the path allows was its first copy's. */
static void xtcp_rack__spurious_retransmission(struct kunit *test)
{
	struct xtcp_rack r;

	xtcp_rack_init(&r, 1000);
	xtcp_rack_min_rtt(&r, 40000, 0);
	xtcp_rack_delivered(&r, 0, 1100, false, 40000);
	/* Sent again at 100000, acknowledged 1 ms later: no reference. */
	xtcp_rack_delivered(&r, 100000, 1200, true, 101000);
	KUNIT_EXPECT_EQ(test, r.xmit_us, 0U);
	/* Acknowledged a round trip later: it is. */
	xtcp_rack_delivered(&r, 100000, 1200, true, 145000);
	KUNIT_EXPECT_EQ(test, r.xmit_us, 100000U);
	KUNIT_EXPECT_EQ(test, r.rtt_us, 45000U);
}

/* Lost once a later segment arrived and its RTT and the window have passed. */
static void xtcp_rack__marking(struct kunit *test)
{
	struct xtcp_rack r;

	xtcp_rack_init(&r, 1000);
	/* Segments sent at 0, 10, 20 ms; the third delivered at 70 ms (RTT 50). */
	xtcp_rack_delivered(&r, 20000, 1300, false, 70000);
	/* The first: 70 ms gone of 50 + 0: lost; with a 25 ms window, 5 ms to go. */
	KUNIT_EXPECT_EQ(test, xtcp_rack_wait_us(&r, 0, 1100, 70000, 0), 0U);
	KUNIT_EXPECT_EQ(test, xtcp_rack_wait_us(&r, 0, 1100, 70000, 25000), 5000U);
	/* The second: 60 of 50 + 25: 15 ms to go; lost at 85 ms. */
	KUNIT_EXPECT_EQ(test, xtcp_rack_wait_us(&r, 10000, 1200, 70000, 25000), 15000U);
	KUNIT_EXPECT_EQ(test, xtcp_rack_wait_us(&r, 10000, 1200, 85000, 25000), 0U);
	/* Sent after the reference (or it itself): RACK cannot tell. */
	KUNIT_EXPECT_EQ(test, xtcp_rack_wait_us(&r, 30000, 1400, 900000, 0), U32_MAX);
	KUNIT_EXPECT_EQ(test, xtcp_rack_wait_us(&r, 20000, 1300, 900000, 0), U32_MAX);
	/* Same send time, lower end: sent before it in the burst. */
	KUNIT_EXPECT_EQ(test, xtcp_rack_wait_us(&r, 20000, 1250, 900000, 0), 0U);
	/* A huge window does not wrap into a short wait. */
	KUNIT_EXPECT_EQ(test, xtcp_rack_wait_us(&r, 0, 1100, 0, U32_MAX), U32_MAX - 1);
}

/* A segment sent once that lands below one delivered earlier is reordering. */
static void xtcp_rack__reordering(struct kunit *test)
{
	struct xtcp_rack r;

	xtcp_rack_init(&r, 1000);
	KUNIT_EXPECT_FALSE(test, xtcp_rack_delivered(&r, 0, 1100, false, 50000));
	KUNIT_EXPECT_FALSE(test, xtcp_rack_delivered(&r, 20, 1300, false, 50100));
	KUNIT_EXPECT_FALSE(test, r.reordering_seen);
	/* A retransmission below: a repaired hole, not reordering. */
	KUNIT_EXPECT_FALSE(test, xtcp_rack_delivered(&r, 90000, 1200, true, 150000));
	KUNIT_EXPECT_FALSE(test, r.reordering_seen);
	/* The same segment sent once, arriving late: reordering. */
	KUNIT_EXPECT_TRUE(test, xtcp_rack_delivered(&r, 10, 1200, false, 60000));
	KUNIT_EXPECT_TRUE(test, r.reordering_seen);
	KUNIT_EXPECT_EQ(test, r.fack, 1300U);
}

/* The window: a quarter of the least RTT, none while no reordering is seen in recovery. */
static void xtcp_rack__reo_wnd(struct kunit *test)
{
	struct xtcp_rack r;

	xtcp_rack_init(&r, 1000);
	xtcp_rack_min_rtt(&r, 40000, 0);
	KUNIT_EXPECT_EQ(test, xtcp_rack_reo_wnd(&r, 60000, false, 0), 10000U);
	KUNIT_EXPECT_EQ(test, xtcp_rack_reo_wnd(&r, 60000, false, 2), 10000U);
	/* Three SACKed, or a recovery, and no reordering seen: none. */
	KUNIT_EXPECT_EQ(test, xtcp_rack_reo_wnd(&r, 60000, false, 3), 0U);
	KUNIT_EXPECT_EQ(test, xtcp_rack_reo_wnd(&r, 60000, true, 0), 0U);
	/* Reordering seen: the window stays. */
	r.reordering_seen = true;
	KUNIT_EXPECT_EQ(test, xtcp_rack_reo_wnd(&r, 60000, true, 10), 10000U);
	/* Never above SRTT. */
	KUNIT_EXPECT_EQ(test, xtcp_rack_reo_wnd(&r, 7000, false, 0), 7000U);
}

/* D-SACKs grow the window once per round trip; 16 recoveries shrink it back. */
static void xtcp_rack__dsack(struct kunit *test)
{
	struct xtcp_rack r;
	int i;

	xtcp_rack_init(&r, 1000);
	xtcp_rack_min_rtt(&r, 40000, 0);
	xtcp_rack_dsack(&r, 1000, 5000);
	KUNIT_EXPECT_EQ(test, r.reo_wnd_mult, 2);
	KUNIT_EXPECT_EQ(test, xtcp_rack_reo_wnd(&r, 60000, false, 0), 20000U);
	/* Another in the same round trip (SND.UNA below 5000): no more. */
	xtcp_rack_dsack(&r, 4999, 6000);
	KUNIT_EXPECT_EQ(test, r.reo_wnd_mult, 2);
	xtcp_rack_dsack(&r, 5000, 9000);
	KUNIT_EXPECT_EQ(test, r.reo_wnd_mult, 3);
	KUNIT_EXPECT_EQ(test, xtcp_rack_reo_wnd(&r, 60000, false, 0), 30000U);
	KUNIT_EXPECT_EQ(test, xtcp_rack_reo_wnd(&r, 25000, false, 0), 25000U);
	for (i = 0; i < 15; i++)
		xtcp_rack_recovery_done(&r);
	KUNIT_EXPECT_EQ(test, r.reo_wnd_mult, 3);
	xtcp_rack_recovery_done(&r);
	KUNIT_EXPECT_EQ(test, r.reo_wnd_mult, 1);
	xtcp_rack_recovery_done(&r);
	KUNIT_EXPECT_EQ(test, r.reo_wnd_mult, 1);
	/* The multiplier saturates. */
	for (i = 0; i < 300; i++)
		xtcp_rack_dsack(&r, 10000 + i, 10000 + i);
	KUNIT_EXPECT_EQ(test, r.reo_wnd_mult, U8_MAX);
	KUNIT_EXPECT_EQ(test, xtcp_rack_reo_wnd(&r, 60000, false, 0), 60000U);
}

/* The least RTT: a smaller sample at once; a larger one after five minutes. */
static void xtcp_rack__min_rtt(struct kunit *test)
{
	struct xtcp_rack r;

	xtcp_rack_init(&r, 1000);
	xtcp_rack_min_rtt(&r, 50000, 100);
	KUNIT_EXPECT_EQ(test, r.min_rtt_us, 50000U);
	xtcp_rack_min_rtt(&r, 60000, 200);
	KUNIT_EXPECT_EQ(test, r.min_rtt_us, 50000U);
	xtcp_rack_min_rtt(&r, 30000, 300);
	KUNIT_EXPECT_EQ(test, r.min_rtt_us, 30000U);
	xtcp_rack_min_rtt(&r, 80000, 300 + 300 * HZ);
	KUNIT_EXPECT_EQ(test, r.min_rtt_us, 30000U);
	xtcp_rack_min_rtt(&r, 80000, 301 + 300 * HZ);
	KUNIT_EXPECT_EQ(test, r.min_rtt_us, 80000U);
	/* Never 0 (0 means none). */
	xtcp_rack_min_rtt(&r, 0, 400 + 300 * HZ);
	KUNIT_EXPECT_EQ(test, r.min_rtt_us, 1U);
}

static struct kunit_case xtcp_rack_cases[] = {
	KUNIT_CASE(xtcp_rack__reference),
	KUNIT_CASE(xtcp_rack__spurious_retransmission),
	KUNIT_CASE(xtcp_rack__marking),
	KUNIT_CASE(xtcp_rack__reordering),
	KUNIT_CASE(xtcp_rack__reo_wnd),
	KUNIT_CASE(xtcp_rack__dsack),
	KUNIT_CASE(xtcp_rack__min_rtt),
	{}
};

static struct kunit_suite xtcp_rack_suite = {
	.name = "xtcp_rack",
	.test_cases = xtcp_rack_cases,
};

kunit_test_suites(&xtcp_rack_suite);
