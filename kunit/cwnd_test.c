// SPDX-License-Identifier: GPL-2.0
/*
 * cwnd_test.c - KUnit cases for module/cwnd.c and NewReno's window
 * (cc_reno.c): RFC 5681's slow start and congestion avoidance, RFC 6928's
 * initial window, the timeout's reduction, the restart after idle and
 * NewReno's recovery (RFC 6582), with NewReno as the controller.
 */
#include <kunit/test.h>
#include <linux/jiffies.h>

#include "xtcp.h"

/* An ACK of @acked segments with @in_flight before it, as cc.c hands it to NewReno. */
static void reno_acked(struct xtcp_cwnd *c, u32 acked, u32 in_flight)
{
	c->ca.prior_in_flight = in_flight;
	xtcp_cc_reno_grow(&c->ca, acked);
}

/* NewReno's threshold for a loss with @in_flight segments out. */
static u32 reno_ssthresh(struct xtcp_cwnd *c, u32 in_flight)
{
	c->ca.in_flight = in_flight;
	c->ca.prior_cwnd = c->ca.cwnd;
	return xtcp_cc_reno_ssthresh(&c->ca);
}

/* A timeout as cc.c handles it with NewReno. */
static void reno_timeout(struct xtcp_cwnd *c, u32 in_flight, bool first, u32 snd_max)
{
	u32 ssthresh = c->ca.ssthresh;

	if (xtcp_cwnd_timeout_sets_ssthresh(c, first))
		ssthresh = reno_ssthresh(c, in_flight);
	xtcp_cwnd_timeout(c, ssthresh, snd_max);
}

/* A duplicate ACK as input.c handles it; true when fast retransmit begins. */
static bool reno_dupack(struct xtcp_cwnd *c, u32 una, u32 snd_max, u32 in_flight)
{
	if (!xtcp_cwnd_dupack(c, una))
		return false;
	xtcp_cwnd_enter_recovery(c, reno_ssthresh(c, in_flight), snd_max);
	return true;
}

static void reno_undo(struct xtcp_cwnd *c)
{
	xtcp_cwnd_undo(c, xtcp_cc_reno_undo_cwnd(&c->ca));
}

static void xtcp_cwnd__initial(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xtcp_cwnd_initial(1460), 10U);
	KUNIT_EXPECT_EQ(test, xtcp_cwnd_initial(536), 10U);
	/* min(10 * MSS, max(2 * MSS, 14600 bytes)). */
	KUNIT_EXPECT_EQ(test, xtcp_cwnd_initial(4000), 3U);
	KUNIT_EXPECT_EQ(test, xtcp_cwnd_initial(9000), 2U);
	KUNIT_EXPECT_EQ(test, xtcp_cwnd_initial(65000), 2U);
}

/* Slow start doubles per round trip of full windows. */
static void xtcp_cwnd__slow_start(struct kunit *test)
{
	struct xtcp_cwnd c;
	unsigned int rtt;

	xtcp_cwnd_init(&c, 10, 0);
	for (rtt = 0; rtt < 5; rtt++) {
		u32 w = c.ca.cwnd, i;

		/* A window acknowledged one segment per ACK; the sender refills it. */
		for (i = 0; i < w; i++)
			reno_acked(&c, 1, c.ca.cwnd);
		KUNIT_EXPECT_EQ(test, c.ca.cwnd, 2 * w);
	}
	/* A stretch ACK (GRO) counts every segment it covers. */
	xtcp_cwnd_init(&c, 10, 0);
	reno_acked(&c, 8, 10);
	KUNIT_EXPECT_EQ(test, c.ca.cwnd, 18U);
}

/* Above ssthresh, one segment per window acknowledged; slow start stops at it. */
static void xtcp_cwnd__congestion_avoidance(struct kunit *test)
{
	struct xtcp_cwnd c;
	u32 i;

	xtcp_cwnd_init(&c, 10, 0);
	c.ca.ssthresh = 14;
	reno_acked(&c, 6, 10);
	/* 4 take it to ssthresh, 2 count towards the next increase. */
	KUNIT_EXPECT_EQ(test, c.ca.cwnd, 14U);
	KUNIT_EXPECT_EQ(test, c.ca.cwnd_cnt, 2U);
	for (i = 0; i < 11; i++)
		reno_acked(&c, 1, 14);
	KUNIT_EXPECT_EQ(test, c.ca.cwnd, 14U);
	reno_acked(&c, 1, 14);
	KUNIT_EXPECT_EQ(test, c.ca.cwnd, 15U);
	KUNIT_EXPECT_EQ(test, c.ca.cwnd_cnt, 0U);
	/* A huge ACK does not overflow. */
	reno_acked(&c, U32_MAX, U32_MAX);
	KUNIT_EXPECT_LE(test, c.ca.cwnd, 1U << 24);
}

/* A window the sender does not fill does not grow (RFC 7661's spirit). */
static void xtcp_cwnd__not_limited(struct kunit *test)
{
	struct xtcp_cwnd c;

	xtcp_cwnd_init(&c, 10, 0);
	reno_acked(&c, 2, 4);
	KUNIT_EXPECT_EQ(test, c.ca.cwnd, 10U);
	reno_acked(&c, 2, 5);
	KUNIT_EXPECT_EQ(test, c.ca.cwnd, 12U);
	c.ca.ssthresh = 12;
	reno_acked(&c, 12, 11);
	KUNIT_EXPECT_EQ(test, c.ca.cwnd, 12U);
	KUNIT_EXPECT_EQ(test, c.ca.cwnd_cnt, 0U);
}

/* A timeout: ssthresh half the flight (at least 2), once per series; cwnd 1. */
static void xtcp_cwnd__timeout(struct kunit *test)
{
	struct xtcp_cwnd c;

	xtcp_cwnd_init(&c, 10, 0);
	c.ca.cwnd = 40;
	reno_timeout(&c, 30, true, 5000);
	KUNIT_EXPECT_EQ(test, c.ca.cwnd, 1U);
	KUNIT_EXPECT_EQ(test, c.ca.ssthresh, 15U);
	reno_timeout(&c, 1, false, 5000);
	KUNIT_EXPECT_EQ(test, c.ca.ssthresh, 15U);
	reno_timeout(&c, 3, true, 5000);
	KUNIT_EXPECT_EQ(test, c.ca.ssthresh, 2U);
	/* Slow start again up to ssthresh. */
	c.ca.ssthresh = 4;
	reno_acked(&c, 1, 1);
	reno_acked(&c, 2, 2);
	KUNIT_EXPECT_EQ(test, c.ca.cwnd, 4U);
}

/* An idle period longer than the RTO restarts from the initial window. */
static void xtcp_cwnd__idle_restart(struct kunit *test)
{
	struct xtcp_cwnd c;

	xtcp_cwnd_init(&c, 10, 1000);
	c.ca.cwnd = 80;
	xtcp_cwnd_sent(&c, 1100, 200, true, 10);
	KUNIT_EXPECT_EQ(test, c.ca.cwnd, 80U);
	xtcp_cwnd_sent(&c, 1400, 200, false, 10);
	KUNIT_EXPECT_EQ(test, c.ca.cwnd, 80U);
	xtcp_cwnd_sent(&c, 1601, 200, true, 10);
	KUNIT_EXPECT_EQ(test, c.ca.cwnd, 10U);
	/* A window below the initial one stays. */
	c.ca.cwnd = 4;
	xtcp_cwnd_sent(&c, 5000, 200, true, 10);
	KUNIT_EXPECT_EQ(test, c.ca.cwnd, 4U);
	/* Across the wrap of jiffies. */
	xtcp_cwnd_init(&c, 10, 0xffffff00);
	c.ca.cwnd = 50;
	xtcp_cwnd_sent(&c, 0x100, 200, true, 10);
	KUNIT_EXPECT_EQ(test, c.ca.cwnd, 10U);
}

static void xtcp_cwnd__room(struct kunit *test)
{
	struct xtcp_cwnd c;

	xtcp_cwnd_init(&c, 10, 0);
	KUNIT_EXPECT_EQ(test, xtcp_cwnd_room(&c, 0), 10U);
	KUNIT_EXPECT_EQ(test, xtcp_cwnd_room(&c, 9), 1U);
	KUNIT_EXPECT_EQ(test, xtcp_cwnd_room(&c, 10), 0U);
	KUNIT_EXPECT_EQ(test, xtcp_cwnd_room(&c, 50), 0U);
	/* Never below one segment. */
	xtcp_cwnd_init(&c, 0, 0);
	KUNIT_EXPECT_EQ(test, c.ca.cwnd, 1U);
}

/* Limited transmit: one segment beyond the window per early duplicate, two at most. */
static void xtcp_cwnd__limited_transmit(struct kunit *test)
{
	struct xtcp_cwnd c;

	xtcp_cwnd_init(&c, 10, 0);
	KUNIT_EXPECT_FALSE(test, reno_dupack(&c, 1000, 11000, 10));
	KUNIT_EXPECT_EQ(test, xtcp_cwnd_room(&c, 10), 1U);
	KUNIT_EXPECT_FALSE(test, reno_dupack(&c, 1000, 12000, 11));
	KUNIT_EXPECT_EQ(test, xtcp_cwnd_room(&c, 11), 1U);
	KUNIT_EXPECT_EQ(test, xtcp_cwnd_room(&c, 12), 0U);
	KUNIT_EXPECT_EQ(test, c.ca.cwnd, 10U);
	KUNIT_EXPECT_FALSE(test, c.recovery);
	/* A new ACK ends the series (the caller clears it, as input.c does). */
	c.dupacks = 0;
	KUNIT_EXPECT_EQ(test, xtcp_cwnd_room(&c, 10), 0U);
}

/*
 * NewReno (RFC 6582) on a flight of 20 segments of 100 bytes from 1000, two
 * of them lost: the third duplicate starts recovery, duplicates inflate, the
 * partial ACK deflates and asks for the next hole, the full ACK ends it.
 */
static void xtcp_cwnd__newreno(struct kunit *test)
{
	struct xtcp_cwnd c;

	xtcp_cwnd_init(&c, 10, 0);
	c.ca.cwnd = 20;
	KUNIT_EXPECT_FALSE(test, reno_dupack(&c, 1000, 3000, 20));
	KUNIT_EXPECT_FALSE(test, reno_dupack(&c, 1000, 3000, 20));
	/* The third: ssthresh 10, cwnd 13, recover = SND.MAX. */
	KUNIT_EXPECT_TRUE(test, reno_dupack(&c, 1000, 3000, 20));
	KUNIT_EXPECT_TRUE(test, c.recovery);
	KUNIT_EXPECT_EQ(test, c.ca.ssthresh, 10U);
	KUNIT_EXPECT_EQ(test, c.ca.cwnd, 13U);
	KUNIT_EXPECT_EQ(test, c.recover, 3000U);
	/* Further duplicates: one more each, no second retransmission. */
	KUNIT_EXPECT_FALSE(test, reno_dupack(&c, 1000, 3000, 20));
	KUNIT_EXPECT_FALSE(test, reno_dupack(&c, 1000, 3000, 20));
	KUNIT_EXPECT_EQ(test, c.ca.cwnd, 15U);
	/* Partial ACK of 5 segments (to 1500): 15 - 5 + 1, and the next hole. */
	KUNIT_EXPECT_FALSE(test, c.partial_seen);
	KUNIT_EXPECT_TRUE(test, xtcp_cwnd_recovery_ack(&c, 1500, 5, 15));
	KUNIT_EXPECT_EQ(test, c.ca.cwnd, 11U);
	KUNIT_EXPECT_TRUE(test, c.recovery);
	/* The first partial ACK is marked: later ones leave the timer alone. */
	KUNIT_EXPECT_TRUE(test, c.partial_seen);
	/* The ACK of all before recover: cwnd = ssthresh; recovery over. */
	KUNIT_EXPECT_FALSE(test, xtcp_cwnd_recovery_ack(&c, 3000, 15, 12));
	KUNIT_EXPECT_FALSE(test, c.recovery);
	KUNIT_EXPECT_EQ(test, c.ca.cwnd, 10U);
	KUNIT_EXPECT_EQ(test, c.dupacks, 0);
	/* A full ACK with little left in flight: the flight and one, no burst. */
	c.ca.cwnd = 20;
	KUNIT_EXPECT_TRUE(test, reno_dupack(&c, 3000, 5000, 20) ||
			  reno_dupack(&c, 3000, 5000, 20) ||
			  reno_dupack(&c, 3000, 5000, 20));
	/* A new recovery starts unmarked. */
	KUNIT_EXPECT_FALSE(test, c.partial_seen);
	KUNIT_EXPECT_FALSE(test, xtcp_cwnd_recovery_ack(&c, 5000, 20, 2));
	KUNIT_EXPECT_EQ(test, c.ca.cwnd, 3U);
	/* A partial ACK of nothing whole keeps at least one segment. */
	c.ca.cwnd = 1;
	c.recovery = true;
	c.recover = 9000;
	KUNIT_EXPECT_TRUE(test, xtcp_cwnd_recovery_ack(&c, 5050, 0, 5));
	KUNIT_EXPECT_EQ(test, c.ca.cwnd, 1U);
}

/*
 * The careful variant (RFC 6582 4.1): after a timeout, duplicates of what it
 * sends again (below recover) start no fast retransmit; those above do. A
 * timeout ends recovery and keeps its ssthresh.
 */
static void xtcp_cwnd__recover_guard(struct kunit *test)
{
	struct xtcp_cwnd c;

	xtcp_cwnd_init(&c, 10, 0);
	c.ca.cwnd = 20;
	reno_timeout(&c, 20, true, 3000);
	KUNIT_EXPECT_EQ(test, c.ca.ssthresh, 10U);
	KUNIT_EXPECT_FALSE(test, reno_dupack(&c, 2000, 3000, 10));
	KUNIT_EXPECT_FALSE(test, reno_dupack(&c, 2000, 3000, 10));
	KUNIT_EXPECT_FALSE(test, reno_dupack(&c, 2000, 3000, 10));
	KUNIT_EXPECT_FALSE(test, c.recovery);
	/* Past recover (across the wrap of sequence numbers too). */
	reno_timeout(&c, 4, true, 0xfffffff0);
	c.dupacks = 0;
	c.ca.cwnd = 8;
	reno_dupack(&c, 0x10, 0x1000, 8);
	reno_dupack(&c, 0x10, 0x1000, 8);
	KUNIT_EXPECT_TRUE(test, reno_dupack(&c, 0x10, 0x1000, 8));
	KUNIT_EXPECT_EQ(test, c.ca.ssthresh, 4U);
	/* A timeout in recovery: out of it, cwnd 1, ssthresh as recovery set it. */
	reno_timeout(&c, 8, true, 0x1000);
	KUNIT_EXPECT_FALSE(test, c.recovery);
	KUNIT_EXPECT_EQ(test, c.ca.cwnd, 1U);
	KUNIT_EXPECT_EQ(test, c.ca.ssthresh, 4U);
	KUNIT_EXPECT_EQ(test, c.recover, 0x1000U);
	/* The duplicate count saturates. */
	c.dupacks = 254;
	reno_dupack(&c, 0x1000, 0x2000, 8);
	reno_dupack(&c, 0x1000, 0x2000, 8);
	KUNIT_EXPECT_EQ(test, c.dupacks, 255);
}

/* A spurious recovery undone: the window and threshold it found, or more. */
static void xtcp_cwnd__undo(struct kunit *test)
{
	struct xtcp_cwnd c;

	xtcp_cwnd_init(&c, 10, 0);
	c.ca.cwnd = 40;
	c.ca.ssthresh = 30;
	reno_dupack(&c, 1000, 9000, 40);
	reno_dupack(&c, 1000, 9000, 40);
	KUNIT_ASSERT_TRUE(test, reno_dupack(&c, 1000, 9000, 40));
	KUNIT_EXPECT_EQ(test, c.ca.cwnd, 23U);
	KUNIT_EXPECT_EQ(test, c.ca.ssthresh, 20U);
	reno_undo(&c);
	KUNIT_EXPECT_FALSE(test, c.recovery);
	KUNIT_EXPECT_EQ(test, c.dupacks, 0);
	KUNIT_EXPECT_EQ(test, c.ca.cwnd, 40U);
	KUNIT_EXPECT_EQ(test, c.ca.ssthresh, 30U);
	/* Grown meanwhile (duplicates inflate it): kept. */
	c.dupacks = 2;
	KUNIT_ASSERT_TRUE(test, reno_dupack(&c, 9000, 20000, 60));
	c.ca.cwnd = 70;
	reno_undo(&c);
	KUNIT_EXPECT_EQ(test, c.ca.cwnd, 70U);
	KUNIT_EXPECT_EQ(test, c.ca.ssthresh, 30U);
}

static struct kunit_case xtcp_cwnd_cases[] = {
	KUNIT_CASE(xtcp_cwnd__initial),
	KUNIT_CASE(xtcp_cwnd__slow_start),
	KUNIT_CASE(xtcp_cwnd__congestion_avoidance),
	KUNIT_CASE(xtcp_cwnd__not_limited),
	KUNIT_CASE(xtcp_cwnd__timeout),
	KUNIT_CASE(xtcp_cwnd__idle_restart),
	KUNIT_CASE(xtcp_cwnd__limited_transmit),
	KUNIT_CASE(xtcp_cwnd__newreno),
	KUNIT_CASE(xtcp_cwnd__recover_guard),
	KUNIT_CASE(xtcp_cwnd__undo),
	KUNIT_CASE(xtcp_cwnd__room),
	{}
};

static struct kunit_suite xtcp_cwnd_suite = {
	.name = "xtcp_cwnd",
	.test_cases = xtcp_cwnd_cases,
};

kunit_test_suites(&xtcp_cwnd_suite);
