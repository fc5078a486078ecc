// SPDX-License-Identifier: GPL-2.0
/*
 * cwnd_test.c - KUnit cases for module/cwnd.c: RFC 5681's slow start and
 * congestion avoidance, RFC 6928's initial window, the timeout's reduction and
 * the restart after idle.
 */
#include <kunit/test.h>
#include <linux/jiffies.h>

#include "xtcp.h"

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
		u32 w = c.cwnd, i;

		/* A window acknowledged one segment per ACK; the sender refills it. */
		for (i = 0; i < w; i++)
			xtcp_cwnd_acked(&c, 1, c.cwnd);
		KUNIT_EXPECT_EQ(test, c.cwnd, 2 * w);
	}
	/* A stretch ACK (GRO) counts every segment it covers. */
	xtcp_cwnd_init(&c, 10, 0);
	xtcp_cwnd_acked(&c, 8, 10);
	KUNIT_EXPECT_EQ(test, c.cwnd, 18U);
}

/* Above ssthresh, one segment per window acknowledged; slow start stops at it. */
static void xtcp_cwnd__congestion_avoidance(struct kunit *test)
{
	struct xtcp_cwnd c;
	u32 i;

	xtcp_cwnd_init(&c, 10, 0);
	c.ssthresh = 14;
	xtcp_cwnd_acked(&c, 6, 10);
	/* 4 take it to ssthresh, 2 count towards the next increase. */
	KUNIT_EXPECT_EQ(test, c.cwnd, 14U);
	KUNIT_EXPECT_EQ(test, c.cnt, 2U);
	for (i = 0; i < 11; i++)
		xtcp_cwnd_acked(&c, 1, 14);
	KUNIT_EXPECT_EQ(test, c.cwnd, 14U);
	xtcp_cwnd_acked(&c, 1, 14);
	KUNIT_EXPECT_EQ(test, c.cwnd, 15U);
	KUNIT_EXPECT_EQ(test, c.cnt, 0U);
	/* A huge ACK does not overflow. */
	xtcp_cwnd_acked(&c, U32_MAX, U32_MAX);
	KUNIT_EXPECT_LE(test, c.cwnd, 1U << 24);
}

/* A window the sender does not fill does not grow (RFC 7661's spirit). */
static void xtcp_cwnd__not_limited(struct kunit *test)
{
	struct xtcp_cwnd c;

	xtcp_cwnd_init(&c, 10, 0);
	xtcp_cwnd_acked(&c, 2, 4);
	KUNIT_EXPECT_EQ(test, c.cwnd, 10U);
	xtcp_cwnd_acked(&c, 2, 5);
	KUNIT_EXPECT_EQ(test, c.cwnd, 12U);
	c.ssthresh = 12;
	xtcp_cwnd_acked(&c, 12, 11);
	KUNIT_EXPECT_EQ(test, c.cwnd, 12U);
	KUNIT_EXPECT_EQ(test, c.cnt, 0U);
}

/* A timeout: ssthresh half the flight (at least 2), once per series; cwnd 1. */
static void xtcp_cwnd__timeout(struct kunit *test)
{
	struct xtcp_cwnd c;

	xtcp_cwnd_init(&c, 10, 0);
	c.cwnd = 40;
	xtcp_cwnd_timeout(&c, 30, true, 5000);
	KUNIT_EXPECT_EQ(test, c.cwnd, 1U);
	KUNIT_EXPECT_EQ(test, c.ssthresh, 15U);
	xtcp_cwnd_timeout(&c, 1, false, 5000);
	KUNIT_EXPECT_EQ(test, c.ssthresh, 15U);
	xtcp_cwnd_timeout(&c, 3, true, 5000);
	KUNIT_EXPECT_EQ(test, c.ssthresh, 2U);
	/* Slow start again up to ssthresh. */
	c.ssthresh = 4;
	xtcp_cwnd_acked(&c, 1, 1);
	xtcp_cwnd_acked(&c, 2, 2);
	KUNIT_EXPECT_EQ(test, c.cwnd, 4U);
}

/* An idle period longer than the RTO restarts from the initial window. */
static void xtcp_cwnd__idle_restart(struct kunit *test)
{
	struct xtcp_cwnd c;

	xtcp_cwnd_init(&c, 10, 1000);
	c.cwnd = 80;
	xtcp_cwnd_sent(&c, 1100, 200, true, 10);
	KUNIT_EXPECT_EQ(test, c.cwnd, 80U);
	xtcp_cwnd_sent(&c, 1400, 200, false, 10);
	KUNIT_EXPECT_EQ(test, c.cwnd, 80U);
	xtcp_cwnd_sent(&c, 1601, 200, true, 10);
	KUNIT_EXPECT_EQ(test, c.cwnd, 10U);
	/* A window below the initial one stays. */
	c.cwnd = 4;
	xtcp_cwnd_sent(&c, 5000, 200, true, 10);
	KUNIT_EXPECT_EQ(test, c.cwnd, 4U);
	/* Across the wrap of jiffies. */
	xtcp_cwnd_init(&c, 10, 0xffffff00);
	c.cwnd = 50;
	xtcp_cwnd_sent(&c, 0x100, 200, true, 10);
	KUNIT_EXPECT_EQ(test, c.cwnd, 10U);
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
	KUNIT_EXPECT_EQ(test, c.cwnd, 1U);
}

/* Limited transmit: one segment beyond the window per early duplicate, two at most. */
static void xtcp_cwnd__limited_transmit(struct kunit *test)
{
	struct xtcp_cwnd c;

	xtcp_cwnd_init(&c, 10, 0);
	KUNIT_EXPECT_FALSE(test, xtcp_cwnd_dupack(&c, 1000, 11000, 10));
	KUNIT_EXPECT_EQ(test, xtcp_cwnd_room(&c, 10), 1U);
	KUNIT_EXPECT_FALSE(test, xtcp_cwnd_dupack(&c, 1000, 12000, 11));
	KUNIT_EXPECT_EQ(test, xtcp_cwnd_room(&c, 11), 1U);
	KUNIT_EXPECT_EQ(test, xtcp_cwnd_room(&c, 12), 0U);
	KUNIT_EXPECT_EQ(test, c.cwnd, 10U);
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
	c.cwnd = 20;
	KUNIT_EXPECT_FALSE(test, xtcp_cwnd_dupack(&c, 1000, 3000, 20));
	KUNIT_EXPECT_FALSE(test, xtcp_cwnd_dupack(&c, 1000, 3000, 20));
	/* The third: ssthresh 10, cwnd 13, recover = SND.MAX. */
	KUNIT_EXPECT_TRUE(test, xtcp_cwnd_dupack(&c, 1000, 3000, 20));
	KUNIT_EXPECT_TRUE(test, c.recovery);
	KUNIT_EXPECT_EQ(test, c.ssthresh, 10U);
	KUNIT_EXPECT_EQ(test, c.cwnd, 13U);
	KUNIT_EXPECT_EQ(test, c.recover, 3000U);
	/* Further duplicates: one more each, no second retransmission. */
	KUNIT_EXPECT_FALSE(test, xtcp_cwnd_dupack(&c, 1000, 3000, 20));
	KUNIT_EXPECT_FALSE(test, xtcp_cwnd_dupack(&c, 1000, 3000, 20));
	KUNIT_EXPECT_EQ(test, c.cwnd, 15U);
	/* Partial ACK of 5 segments (to 1500): 15 - 5 + 1, and the next hole. */
	KUNIT_EXPECT_FALSE(test, c.partial_seen);
	KUNIT_EXPECT_TRUE(test, xtcp_cwnd_recovery_ack(&c, 1500, 5, 15));
	KUNIT_EXPECT_EQ(test, c.cwnd, 11U);
	KUNIT_EXPECT_TRUE(test, c.recovery);
	/* The first partial ACK is marked: later ones leave the timer alone. */
	KUNIT_EXPECT_TRUE(test, c.partial_seen);
	/* The ACK of all before recover: cwnd = ssthresh; recovery over. */
	KUNIT_EXPECT_FALSE(test, xtcp_cwnd_recovery_ack(&c, 3000, 15, 12));
	KUNIT_EXPECT_FALSE(test, c.recovery);
	KUNIT_EXPECT_EQ(test, c.cwnd, 10U);
	KUNIT_EXPECT_EQ(test, c.dupacks, 0);
	/* A full ACK with little left in flight: the flight and one, no burst. */
	c.cwnd = 20;
	KUNIT_EXPECT_TRUE(test, xtcp_cwnd_dupack(&c, 3000, 5000, 20) ||
			  xtcp_cwnd_dupack(&c, 3000, 5000, 20) ||
			  xtcp_cwnd_dupack(&c, 3000, 5000, 20));
	/* A new recovery starts unmarked. */
	KUNIT_EXPECT_FALSE(test, c.partial_seen);
	KUNIT_EXPECT_FALSE(test, xtcp_cwnd_recovery_ack(&c, 5000, 20, 2));
	KUNIT_EXPECT_EQ(test, c.cwnd, 3U);
	/* A partial ACK of nothing whole keeps at least one segment. */
	c.cwnd = 1;
	c.recovery = true;
	c.recover = 9000;
	KUNIT_EXPECT_TRUE(test, xtcp_cwnd_recovery_ack(&c, 5050, 0, 5));
	KUNIT_EXPECT_EQ(test, c.cwnd, 1U);
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
	c.cwnd = 20;
	xtcp_cwnd_timeout(&c, 20, true, 3000);
	KUNIT_EXPECT_EQ(test, c.ssthresh, 10U);
	KUNIT_EXPECT_FALSE(test, xtcp_cwnd_dupack(&c, 2000, 3000, 10));
	KUNIT_EXPECT_FALSE(test, xtcp_cwnd_dupack(&c, 2000, 3000, 10));
	KUNIT_EXPECT_FALSE(test, xtcp_cwnd_dupack(&c, 2000, 3000, 10));
	KUNIT_EXPECT_FALSE(test, c.recovery);
	/* Past recover (across the wrap of sequence numbers too). */
	xtcp_cwnd_timeout(&c, 4, true, 0xfffffff0);
	c.dupacks = 0;
	c.cwnd = 8;
	xtcp_cwnd_dupack(&c, 0x10, 0x1000, 8);
	xtcp_cwnd_dupack(&c, 0x10, 0x1000, 8);
	KUNIT_EXPECT_TRUE(test, xtcp_cwnd_dupack(&c, 0x10, 0x1000, 8));
	KUNIT_EXPECT_EQ(test, c.ssthresh, 4U);
	/* A timeout in recovery: out of it, cwnd 1, ssthresh as recovery set it. */
	xtcp_cwnd_timeout(&c, 8, true, 0x1000);
	KUNIT_EXPECT_FALSE(test, c.recovery);
	KUNIT_EXPECT_EQ(test, c.cwnd, 1U);
	KUNIT_EXPECT_EQ(test, c.ssthresh, 4U);
	KUNIT_EXPECT_EQ(test, c.recover, 0x1000U);
	/* The duplicate count saturates. */
	c.dupacks = 254;
	xtcp_cwnd_dupack(&c, 0x1000, 0x2000, 8);
	xtcp_cwnd_dupack(&c, 0x1000, 0x2000, 8);
	KUNIT_EXPECT_EQ(test, c.dupacks, 255);
}

/* A spurious recovery undone: the window and threshold it found, or more. */
static void xtcp_cwnd__undo(struct kunit *test)
{
	struct xtcp_cwnd c;

	xtcp_cwnd_init(&c, 10, 0);
	c.cwnd = 40;
	c.ssthresh = 30;
	xtcp_cwnd_dupack(&c, 1000, 9000, 40);
	xtcp_cwnd_dupack(&c, 1000, 9000, 40);
	KUNIT_ASSERT_TRUE(test, xtcp_cwnd_dupack(&c, 1000, 9000, 40));
	KUNIT_EXPECT_EQ(test, c.cwnd, 23U);
	KUNIT_EXPECT_EQ(test, c.ssthresh, 20U);
	xtcp_cwnd_undo(&c);
	KUNIT_EXPECT_FALSE(test, c.recovery);
	KUNIT_EXPECT_EQ(test, c.dupacks, 0);
	KUNIT_EXPECT_EQ(test, c.cwnd, 40U);
	KUNIT_EXPECT_EQ(test, c.ssthresh, 30U);
	/* Grown meanwhile (duplicates inflate it): kept. */
	c.dupacks = 2;
	KUNIT_ASSERT_TRUE(test, xtcp_cwnd_dupack(&c, 9000, 20000, 60));
	c.cwnd = 70;
	xtcp_cwnd_undo(&c);
	KUNIT_EXPECT_EQ(test, c.cwnd, 70U);
	KUNIT_EXPECT_EQ(test, c.ssthresh, 30U);
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
