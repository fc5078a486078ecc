// SPDX-License-Identifier: GPL-2.0
/*
 * seq_test.c - KUnit cases for module/seq.h: comparisons modulo 2^32.
 */
#include <kunit/test.h>

#include "seq.h"

static void xtcp_seq_before_after__plain(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, xtcp_seq_before(1, 2));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_before(2, 1));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_after(2, 1));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_after(1, 2));
	/* Nothing is before or after itself. */
	KUNIT_EXPECT_FALSE(test, xtcp_seq_before(7, 7));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_after(7, 7));
}

static void xtcp_seq_before_after__wrap(struct kunit *test)
{
	/* 0xfffffff0 + 0x20 wraps to 0x10: still "before". */
	KUNIT_EXPECT_TRUE(test, xtcp_seq_before(0xfffffff0U, 0x10U));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_after(0x10U, 0xfffffff0U));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_before(0xffffffffU, 0));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_after(0, 0xffffffffU));
	/* An unsigned compare would say the opposite of all four. */
	KUNIT_EXPECT_FALSE(test, xtcp_seq_before(0x10U, 0xfffffff0U));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_after(0xfffffff0U, 0x10U));
}

static void xtcp_seq_before_after__half_space(struct kunit *test)
{
	const u32 base[] = { 0, 1, 0x7fffffffU, 0x80000000U, 0xfffffffeU, 0x12345678U };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(base); i++) {
		u32 a = base[i];

		/* Up to 2^31 - 1 ahead is "after". */
		KUNIT_EXPECT_TRUE(test, xtcp_seq_after(a + 0x7fffffffU, a));
		KUNIT_EXPECT_TRUE(test, xtcp_seq_before(a, a + 0x7fffffffU));
		/* 2^31 + 1 ahead is really 2^31 - 1 behind. */
		KUNIT_EXPECT_TRUE(test, xtcp_seq_before(a + 0x80000001U, a));
		/* Exactly 2^31 apart: each is before the other (RFC 1982: undefined). */
		KUNIT_EXPECT_TRUE(test, xtcp_seq_before(a, a + 0x80000000U));
		KUNIT_EXPECT_TRUE(test, xtcp_seq_before(a + 0x80000000U, a));
	}
}

static void xtcp_seq_leq_geq__edges(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, xtcp_seq_leq(5, 5));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_geq(5, 5));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_leq(0xffffffffU, 0));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_geq(0xffffffffU, 0));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_geq(3, 0xfffffffdU));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_leq(3, 0xfffffffdU));
}

static void xtcp_seq_between__wrap(struct kunit *test)
{
	/* The range [0xfffffff0, 0x10] crosses zero. */
	KUNIT_EXPECT_TRUE(test, xtcp_seq_between(0xfffffff0U, 0xfffffff0U, 0x10U));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_between(0, 0xfffffff0U, 0x10U));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_between(0x10U, 0xfffffff0U, 0x10U));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_between(0x11U, 0xfffffff0U, 0x10U));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_between(0xffffffefU, 0xfffffff0U, 0x10U));
	/* A one-number range. */
	KUNIT_EXPECT_TRUE(test, xtcp_seq_between(9, 9, 9));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_between(10, 9, 9));
}

static void xtcp_seq_in_window__edges(struct kunit *test)
{
	/* [start, start + len): the right edge is outside. */
	KUNIT_EXPECT_TRUE(test, xtcp_seq_in_window(100, 100, 10));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_in_window(109, 100, 10));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_in_window(110, 100, 10));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_in_window(99, 100, 10));
	/* A zero window holds nothing, not even its start. */
	KUNIT_EXPECT_FALSE(test, xtcp_seq_in_window(100, 100, 0));
	/* Across the wrap. */
	KUNIT_EXPECT_TRUE(test, xtcp_seq_in_window(2, 0xfffffffcU, 8));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_in_window(4, 0xfffffffcU, 8));
}

static void xtcp_seq_min_max__wrap(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xtcp_seq_max(0xfffffff0U, 0x10U), 0x10U);
	KUNIT_EXPECT_EQ(test, xtcp_seq_min(0xfffffff0U, 0x10U), 0xfffffff0U);
	KUNIT_EXPECT_EQ(test, xtcp_seq_max(3, 3), 3U);
	KUNIT_EXPECT_EQ(test, xtcp_seq_min(1, 2), 1U);
}

/* The four cases of RFC 9293 3.10.7.4, at a window that wraps past zero. */
static void xtcp_seq_acceptable__four_cases(struct kunit *test)
{
	const u32 nxt = 0xfffffff0U;

	/* len 0, window 0: only SEG.SEQ = RCV.NXT. */
	KUNIT_EXPECT_TRUE(test, xtcp_seq_acceptable(nxt, 0, nxt, 0));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_acceptable(nxt + 1, 0, nxt, 0));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_acceptable(nxt - 1, 0, nxt, 0));
	/* len 0, window 32: RCV.NXT =< SEG.SEQ < RCV.NXT + RCV.WND. */
	KUNIT_EXPECT_TRUE(test, xtcp_seq_acceptable(nxt, 0, nxt, 32));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_acceptable(nxt + 31, 0, nxt, 32));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_acceptable(nxt + 32, 0, nxt, 32));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_acceptable(nxt - 1, 0, nxt, 32));
	/* len > 0, window 0: never. */
	KUNIT_EXPECT_FALSE(test, xtcp_seq_acceptable(nxt, 1, nxt, 0));
	/* len > 0, window 32: first or last number in the window. */
	KUNIT_EXPECT_TRUE(test, xtcp_seq_acceptable(nxt, 100, nxt, 32));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_acceptable(nxt - 10, 11, nxt, 32));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_acceptable(nxt - 10, 10, nxt, 32));
	KUNIT_EXPECT_TRUE(test, xtcp_seq_acceptable(nxt + 31, 5, nxt, 32));
	KUNIT_EXPECT_FALSE(test, xtcp_seq_acceptable(nxt + 32, 5, nxt, 32));
	/* An old duplicate wholly below RCV.NXT. */
	KUNIT_EXPECT_FALSE(test, xtcp_seq_acceptable(nxt - 1000, 100, nxt, 32));
}

/* SND.UNA < SEG.ACK =< SND.NXT, across the wrap. */
static void xtcp_ack_acceptable__range(struct kunit *test)
{
	const u32 una = 0xfffffffaU, nxt = 0x6U;

	KUNIT_EXPECT_FALSE(test, xtcp_ack_acceptable(una, una, nxt));	/* duplicate */
	KUNIT_EXPECT_TRUE(test, xtcp_ack_acceptable(una + 1, una, nxt));
	KUNIT_EXPECT_TRUE(test, xtcp_ack_acceptable(0, una, nxt));
	KUNIT_EXPECT_TRUE(test, xtcp_ack_acceptable(nxt, una, nxt));
	KUNIT_EXPECT_FALSE(test, xtcp_ack_acceptable(nxt + 1, una, nxt));	/* not sent yet */
	KUNIT_EXPECT_FALSE(test, xtcp_ack_acceptable(una - 1, una, nxt));	/* old */
}

static struct kunit_case xtcp_seq_cases[] = {
	KUNIT_CASE(xtcp_seq_before_after__plain),
	KUNIT_CASE(xtcp_seq_before_after__wrap),
	KUNIT_CASE(xtcp_seq_before_after__half_space),
	KUNIT_CASE(xtcp_seq_leq_geq__edges),
	KUNIT_CASE(xtcp_seq_between__wrap),
	KUNIT_CASE(xtcp_seq_in_window__edges),
	KUNIT_CASE(xtcp_seq_min_max__wrap),
	KUNIT_CASE(xtcp_seq_acceptable__four_cases),
	KUNIT_CASE(xtcp_ack_acceptable__range),
	{}
};

static struct kunit_suite xtcp_seq_suite = {
	.name = "xtcp_seq",
	.test_cases = xtcp_seq_cases,
};

kunit_test_suites(&xtcp_seq_suite);
