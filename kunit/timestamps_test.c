// SPDX-License-Identifier: GPL-2.0
/*
 * timestamps_test.c - KUnit cases for module/timestamps.c: PAWS, the TS.Recent
 * rule and RTT samples from echoed timestamps (RFC 7323).
 */
#include <kunit/test.h>
#include <linux/delay.h>

#include "xtcp.h"

/* R1: an older TSval is refused; equal and newer pass, across the wrap. */
static void xtcp_paws__older_refused(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, xtcp_paws_ok(1000, 50, 1000, 60));
	KUNIT_EXPECT_TRUE(test, xtcp_paws_ok(1000, 50, 1001, 60));
	KUNIT_EXPECT_FALSE(test, xtcp_paws_ok(1000, 50, 999, 60));
	KUNIT_EXPECT_TRUE(test, xtcp_paws_ok(0xfffffff0, 50, 0x10, 60));
	KUNIT_EXPECT_FALSE(test, xtcp_paws_ok(0x10, 50, 0xfffffff0, 60));
	/* Half the space ahead is "older": the peer's clock cannot run that fast. */
	KUNIT_EXPECT_FALSE(test, xtcp_paws_ok(0, 50, 0x80000000, 60));
}

/* 5.5: a TS.Recent older than 24 days holds nothing back. */
static void xtcp_paws__stale_recent(struct kunit *test)
{
	u32 set = 1000;

	KUNIT_EXPECT_FALSE(test, xtcp_paws_ok(5000, set, 4000, set + XTCP_PAWS_IDLE_SECS));
	KUNIT_EXPECT_TRUE(test, xtcp_paws_ok(5000, set, 4000, set + XTCP_PAWS_IDLE_SECS + 1));
	/* The seconds clock wraps too. */
	set = 0xffffff00;
	KUNIT_EXPECT_TRUE(test, xtcp_paws_ok(5000, set, 4000, set + XTCP_PAWS_IDLE_SECS + 10));
	KUNIT_EXPECT_FALSE(test, xtcp_paws_ok(5000, set, 4000, set + 300));
}

/* R3: TS.Recent takes the TSval of segments at or below the last ACK sent. */
static void xtcp_ts__recent_due(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, xtcp_ts_recent_due(1000, 1000));
	KUNIT_EXPECT_TRUE(test, xtcp_ts_recent_due(900, 1000));
	KUNIT_EXPECT_FALSE(test, xtcp_ts_recent_due(1001, 1000));
	KUNIT_EXPECT_TRUE(test, xtcp_ts_recent_due(0xfffffff0, 5));
	KUNIT_EXPECT_FALSE(test, xtcp_ts_recent_due(5, 0xfffffff0));
}

/* RTTM: samples in microseconds; nothing for 0, the future, or beyond 120 s. */
static void xtcp_ts__rtt(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xtcp_ts_rtt_us(1020, 1000), 20000U);
	/* Below a tick: 1 ms. */
	KUNIT_EXPECT_EQ(test, xtcp_ts_rtt_us(1000, 1000), 1000U);
	KUNIT_EXPECT_EQ(test, xtcp_ts_rtt_us(5, 0xfffffffb), 10000U);
	KUNIT_EXPECT_EQ(test, xtcp_ts_rtt_us(1000, 0), 0U);
	KUNIT_EXPECT_EQ(test, xtcp_ts_rtt_us(1000, 1001), 0U);
	KUNIT_EXPECT_EQ(test, xtcp_ts_rtt_us(200000, 200000 - 120000), 120000000U);
	KUNIT_EXPECT_EQ(test, xtcp_ts_rtt_us(200000, 200000 - 120001), 0U);
}

/* The clock ticks in milliseconds. */
static void xtcp_ts__clock_ms(struct kunit *test)
{
	u32 a = xtcp_ts_clock(), b;

	msleep(20);
	b = xtcp_ts_clock();
	KUNIT_EXPECT_GE(test, b - a, 19U);
	KUNIT_EXPECT_LT(test, b - a, 2000U);
}

static struct kunit_case xtcp_timestamps_cases[] = {
	KUNIT_CASE(xtcp_paws__older_refused),
	KUNIT_CASE(xtcp_paws__stale_recent),
	KUNIT_CASE(xtcp_ts__recent_due),
	KUNIT_CASE(xtcp_ts__rtt),
	KUNIT_CASE(xtcp_ts__clock_ms),
	{}
};

static struct kunit_suite xtcp_timestamps_suite = {
	.name = "xtcp_timestamps",
	.test_cases = xtcp_timestamps_cases,
};

kunit_test_suites(&xtcp_timestamps_suite);
