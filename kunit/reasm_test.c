// SPDX-License-Identifier: GPL-2.0
/*
 * reasm_test.c - KUnit cases for module/reasm.c (the out-of-order queue and
 * trimming to the window) and xtcp_select_window() (the receive window offered).
 */
#include <kunit/test.h>
#include <linux/skbuff.h>

#include "xtcp.h"

/* A segment [seq, seq + len) whose byte at sequence number s is (s & 0xff). */
static struct sk_buff *seg(struct kunit *test, u32 seq, unsigned int len, bool fin)
{
	struct sk_buff *skb = alloc_skb(len + 1, GFP_KERNEL);
	struct xtcp_skb_cb *cb;
	unsigned int i;
	u8 *p;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	p = skb_put(skb, len);
	for (i = 0; i < len; i++)
		p[i] = (seq + i) & 0xff;
	cb = XTCP_SKB_CB(skb);
	memset(cb, 0, sizeof(*cb));
	cb->seq = seq;
	cb->flags = fin ? XTCPHDR_FIN : 0;
	cb->end_seq = seq + len + fin;
	return skb;
}

/* The segment holds exactly [seq, seq + len) with the right bytes. */
static void expect_seg(struct kunit *test, struct sk_buff *skb, u32 seq, unsigned int len)
{
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_EXPECT_EQ(test, XTCP_SKB_CB(skb)->seq, seq);
	KUNIT_EXPECT_EQ(test, skb->len, len);
	for (i = 0; i < skb->len; i++)
		if (skb->data[i] != ((seq + i) & 0xff)) {
			KUNIT_FAIL(test, "byte %u of the segment at %u is wrong", i, seq);
			break;
		}
}

/* Held segments come out in sequence order once the gap before them fills. */
static void xtcp_reasm__orders(struct kunit *test)
{
	struct sk_buff_head q;
	struct sk_buff *skb;

	skb_queue_head_init(&q);
	KUNIT_EXPECT_TRUE(test, xtcp_reasm_insert(&q, seg(test, 300, 100, false)));
	KUNIT_EXPECT_TRUE(test, xtcp_reasm_insert(&q, seg(test, 200, 100, false)));
	KUNIT_EXPECT_NULL(test, xtcp_reasm_next(&q, 100));	/* [100, 200) missing */

	skb = xtcp_reasm_next(&q, 200);
	expect_seg(test, skb, 200, 100);
	kfree_skb(skb);
	skb = xtcp_reasm_next(&q, 300);
	expect_seg(test, skb, 300, 100);
	kfree_skb(skb);
	KUNIT_EXPECT_TRUE(test, skb_queue_empty(&q));
}

/* A duplicate of what is held adds nothing. */
static void xtcp_reasm__duplicate_refused(struct kunit *test)
{
	struct sk_buff_head q;
	struct sk_buff *dup;

	skb_queue_head_init(&q);
	KUNIT_EXPECT_TRUE(test, xtcp_reasm_insert(&q, seg(test, 500, 200, false)));
	dup = seg(test, 550, 100, false);
	KUNIT_EXPECT_FALSE(test, xtcp_reasm_insert(&q, dup));
	kfree_skb(dup);
	KUNIT_EXPECT_EQ(test, skb_queue_len(&q), 1U);
	skb_queue_purge(&q);
}

/* Overlapping segments deliver every byte once, in order, with the right data. */
static void xtcp_reasm__overlap_trimmed(struct kunit *test)
{
	struct sk_buff_head q;
	struct sk_buff *skb;

	skb_queue_head_init(&q);
	xtcp_reasm_insert(&q, seg(test, 150, 100, false));	/* [150, 250) */
	xtcp_reasm_insert(&q, seg(test, 100, 100, false));	/* [100, 200) */
	skb = xtcp_reasm_next(&q, 100);
	expect_seg(test, skb, 100, 100);
	kfree_skb(skb);
	skb = xtcp_reasm_next(&q, 200);
	expect_seg(test, skb, 200, 50);				/* its first 50 went */
	kfree_skb(skb);
	KUNIT_EXPECT_NULL(test, xtcp_reasm_next(&q, 250));
}

/* What RCV.NXT passed already is freed on the way. */
static void xtcp_reasm__stale_dropped(struct kunit *test)
{
	struct sk_buff_head q;
	struct sk_buff *skb;

	skb_queue_head_init(&q);
	xtcp_reasm_insert(&q, seg(test, 100, 100, false));
	xtcp_reasm_insert(&q, seg(test, 250, 100, false));
	skb = xtcp_reasm_next(&q, 300);
	expect_seg(test, skb, 300, 50);
	kfree_skb(skb);
	KUNIT_EXPECT_TRUE(test, skb_queue_empty(&q));
}

/* A held FIN comes out last, still a FIN (one sequence number). */
static void xtcp_reasm__fin_kept(struct kunit *test)
{
	struct sk_buff_head q;
	struct sk_buff *skb;

	skb_queue_head_init(&q);
	xtcp_reasm_insert(&q, seg(test, 1000, 10, true));
	skb = xtcp_reasm_next(&q, 1000);
	expect_seg(test, skb, 1000, 10);
	KUNIT_EXPECT_EQ(test, XTCP_SKB_CB(skb)->end_seq, 1011U);
	KUNIT_EXPECT_TRUE(test, XTCP_SKB_CB(skb)->flags & XTCPHDR_FIN);
	kfree_skb(skb);
}

/* Across the wrap of sequence space, order is modulo 2^32 (RFC 9293 3.4). */
static void xtcp_reasm__wraps(struct kunit *test)
{
	struct sk_buff_head q;
	struct sk_buff *skb;

	skb_queue_head_init(&q);
	xtcp_reasm_insert(&q, seg(test, 50, 100, false));		/* after the wrap */
	xtcp_reasm_insert(&q, seg(test, 0xffffffceU, 100, false));	/* [-50, 50) */
	skb = xtcp_reasm_next(&q, 0xffffffceU);
	expect_seg(test, skb, 0xffffffceU, 100);
	kfree_skb(skb);
	skb = xtcp_reasm_next(&q, 50);
	expect_seg(test, skb, 50, 100);
	kfree_skb(skb);
}

/* Trimming to the window: the part beyond goes, and a FIN beyond it too. */
static void xtcp_reasm__trim_to_window(struct kunit *test)
{
	struct sk_buff *skb = seg(test, 100, 200, true);

	KUNIT_EXPECT_TRUE(test, xtcp_reasm_trim(skb, 120, 200));
	expect_seg(test, skb, 120, 80);
	KUNIT_EXPECT_FALSE(test, XTCP_SKB_CB(skb)->flags & XTCPHDR_FIN);
	KUNIT_EXPECT_EQ(test, XTCP_SKB_CB(skb)->end_seq, 200U);
	kfree_skb(skb);

	/* Wholly outside: nothing left. */
	skb = seg(test, 500, 100, false);
	KUNIT_EXPECT_FALSE(test, xtcp_reasm_trim(skb, 100, 500));
	kfree_skb(skb);
	skb = seg(test, 100, 100, false);
	KUNIT_EXPECT_FALSE(test, xtcp_reasm_trim(skb, 200, 300));
	kfree_skb(skb);

	/* A FIN right at the edge of a zero window stays. */
	skb = seg(test, 700, 0, true);
	KUNIT_EXPECT_TRUE(test, xtcp_reasm_trim(skb, 700, 701));
	KUNIT_EXPECT_EQ(test, XTCP_SKB_CB(skb)->end_seq, 701U);
	kfree_skb(skb);
}

/* The offered right edge never moves left, whatever the buffer does. */
static void xtcp_window__never_shrinks(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xtcp_select_window(1000, 6000, 100, 536), 5000U);
	KUNIT_EXPECT_EQ(test, xtcp_select_window(1000, 6000, 0, 536), 5000U);
	/* Data arrived: RCV.NXT moved, the edge stays. */
	KUNIT_EXPECT_EQ(test, xtcp_select_window(4000, 6000, 0, 536), 2000U);
	/* Across the wrap. */
	KUNIT_EXPECT_EQ(test, xtcp_select_window(0xfffffff0U, 0x10, 0, 536), 0x20U);
}

/* It moves right only by a step or more (silly window avoidance). */
static void xtcp_window__grows_by_steps(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xtcp_select_window(1000, 6000, 5100, 536), 5000U);
	KUNIT_EXPECT_EQ(test, xtcp_select_window(1000, 6000, 5536, 536), 5536U);
	KUNIT_EXPECT_EQ(test, xtcp_select_window(1000, 1000, 500, 536), 0U);
	KUNIT_EXPECT_EQ(test, xtcp_select_window(1000, 1000, 536, 536), 536U);
	KUNIT_EXPECT_EQ(test, xtcp_select_window(1000, 1000, 65535, 536), 65535U);
}

/*
 * A window update after a read goes out only when the window it would offer grew
 * by two segments, or opened from under one segment to one: never an ACK that
 * offers the same window again (a duplicate ACK to the peer).
 */
static void xtcp_window__update_worth_an_ack(struct kunit *test)
{
	/* Loopback: MSS 65483, step 32768; 1000 bytes read out of a 64 KiB window. */
	KUNIT_EXPECT_FALSE(test, xtcp_window_update_worth(1000, 1000 + 64535, 65535,
							  65483, 32768));
	/* The window would not move (less than a step): no ACK. */
	KUNIT_EXPECT_FALSE(test, xtcp_window_update_worth(1000, 1000 + 5000, 6000, 1460, 1460));
	/* Two segments more: an ACK; one segment more (from above one): none. */
	KUNIT_EXPECT_TRUE(test, xtcp_window_update_worth(1000, 1000 + 5000, 7920, 1460, 1460));
	KUNIT_EXPECT_FALSE(test, xtcp_window_update_worth(1000, 1000 + 5000, 6460, 1460, 1460));
	/* From a zero window (or under a segment) to one segment: an ACK. */
	KUNIT_EXPECT_TRUE(test, xtcp_window_update_worth(1000, 1000, 1460, 1460, 1460));
	KUNIT_EXPECT_TRUE(test, xtcp_window_update_worth(1000, 1100, 1560, 1460, 1460));
	/* Not yet a segment: none. */
	KUNIT_EXPECT_FALSE(test, xtcp_window_update_worth(1000, 1000, 1459, 1460, 1460));
	/* Across the sequence wrap. */
	KUNIT_EXPECT_TRUE(test, xtcp_window_update_worth(0xfffffff0U, 0xfffffff0U, 2920,
							 1460, 1460));
}

/*
 * Pruning frees held segments from the highest sequence down, only those after
 * the given point, and stops once enough memory is back.
 */
static void xtcp_reasm__prune_from_the_top(struct kunit *test)
{
	struct sk_buff_head q;
	struct sk_buff *skb;
	unsigned int one, freed;

	skb_queue_head_init(&q);
	KUNIT_ASSERT_TRUE(test, xtcp_reasm_insert(&q, seg(test, 100, 8, false)));
	KUNIT_ASSERT_TRUE(test, xtcp_reasm_insert(&q, seg(test, 200, 8, false)));
	KUNIT_ASSERT_TRUE(test, xtcp_reasm_insert(&q, seg(test, 300, 8, false)));
	KUNIT_ASSERT_TRUE(test, xtcp_reasm_insert(&q, seg(test, 400, 8, false)));
	one = skb_peek(&q)->truesize;

	/* Nothing needed: nothing goes. */
	KUNIT_EXPECT_EQ(test, xtcp_reasm_prune(&q, 0, 0), 0U);
	KUNIT_EXPECT_EQ(test, skb_queue_len(&q), 4U);

	/* One skb's worth: the highest (400) goes. */
	freed = xtcp_reasm_prune(&q, 0, 1);
	KUNIT_EXPECT_EQ(test, freed, one);
	KUNIT_EXPECT_EQ(test, skb_queue_len(&q), 3U);
	KUNIT_EXPECT_EQ(test, XTCP_SKB_CB(skb_peek_tail(&q))->seq, 300U);

	/* Only what begins after 200 may go, however much is asked for. */
	freed = xtcp_reasm_prune(&q, 200, 100 * one);
	KUNIT_EXPECT_EQ(test, freed, one);
	KUNIT_EXPECT_EQ(test, skb_queue_len(&q), 2U);
	KUNIT_EXPECT_EQ(test, XTCP_SKB_CB(skb_peek_tail(&q))->seq, 200U);

	/* Sequence order holds across a wrap: 0xfffffff0 is before 16. */
	KUNIT_ASSERT_TRUE(test, xtcp_reasm_insert(&q, seg(test, 0xfffffff0U, 8, false)));
	KUNIT_EXPECT_EQ(test, xtcp_reasm_prune(&q, 0xffffff00U, 100 * one), 3 * one);
	KUNIT_EXPECT_TRUE(test, skb_queue_empty(&q));

	/* What is left still comes out in order. */
	KUNIT_ASSERT_TRUE(test, xtcp_reasm_insert(&q, seg(test, 20, 8, false)));
	KUNIT_ASSERT_TRUE(test, xtcp_reasm_insert(&q, seg(test, 10, 8, false)));
	xtcp_reasm_prune(&q, 10, one);
	skb = xtcp_reasm_next(&q, 10);
	expect_seg(test, skb, 10, 8);
	kfree_skb(skb);
	KUNIT_EXPECT_TRUE(test, skb_queue_empty(&q));
}

static struct kunit_case xtcp_reasm_cases[] = {
	KUNIT_CASE(xtcp_reasm__orders),
	KUNIT_CASE(xtcp_reasm__duplicate_refused),
	KUNIT_CASE(xtcp_reasm__overlap_trimmed),
	KUNIT_CASE(xtcp_reasm__stale_dropped),
	KUNIT_CASE(xtcp_reasm__fin_kept),
	KUNIT_CASE(xtcp_reasm__wraps),
	KUNIT_CASE(xtcp_reasm__trim_to_window),
	KUNIT_CASE(xtcp_reasm__prune_from_the_top),
	KUNIT_CASE(xtcp_window__never_shrinks),
	KUNIT_CASE(xtcp_window__grows_by_steps),
	KUNIT_CASE(xtcp_window__update_worth_an_ack),
	{}
};

static struct kunit_suite xtcp_reasm_suite = {
	.name = "xtcp_reasm",
	.test_cases = xtcp_reasm_cases,
};

kunit_test_suites(&xtcp_reasm_suite);
