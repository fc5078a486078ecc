// SPDX-License-Identifier: GPL-2.0
/*
 * sack_test.c - KUnit cases for module/sack.c: the receiver's SACK blocks, in
 * every order data can arrive in, their bound, RCV.NXT reaching them, and the
 * D-SACK of a repeated range; and as a sender, which of the peer's blocks
 * make an ACK a duplicate (RFC 6675).
 */
#include <kunit/test.h>

#include "xtcp.h"

static void xtcp_sack_expect(struct kunit *test, const struct xtcp_rcv_sack *s,
			     unsigned int nr, const u32 *want)
{
	unsigned int i;

	KUNIT_ASSERT_EQ(test, s->nr, nr);
	for (i = 0; i < nr; i++) {
		KUNIT_EXPECT_EQ_MSG(test, s->blocks[i].start, want[2 * i], "block %u", i);
		KUNIT_EXPECT_EQ_MSG(test, s->blocks[i].end, want[2 * i + 1], "block %u", i);
	}
}

/* The most recent first; one that touches or overlaps a block joins it. */
static void xtcp_sack__add_and_merge(struct kunit *test)
{
	struct xtcp_rcv_sack s;

	xtcp_rcv_sack_reset(&s);
	xtcp_rcv_sack_add(&s, 200, 300);
	xtcp_sack_expect(test, &s, 1, (const u32[]){ 200, 300 });
	xtcp_rcv_sack_add(&s, 400, 500);
	xtcp_sack_expect(test, &s, 2, (const u32[]){ 400, 500, 200, 300 });
	/* Adjacent to the older: it grows and comes first. */
	xtcp_rcv_sack_add(&s, 300, 350);
	xtcp_sack_expect(test, &s, 2, (const u32[]){ 200, 350, 400, 500 });
	/* Bridging both: one block. */
	xtcp_rcv_sack_add(&s, 340, 410);
	xtcp_sack_expect(test, &s, 1, (const u32[]){ 200, 500 });
	/* Inside it: no change but its place. */
	xtcp_rcv_sack_add(&s, 250, 260);
	xtcp_sack_expect(test, &s, 1, (const u32[]){ 200, 500 });
	/* Empty or backwards ranges are nothing. */
	xtcp_rcv_sack_add(&s, 600, 600);
	xtcp_rcv_sack_add(&s, 700, 650);
	xtcp_sack_expect(test, &s, 1, (const u32[]){ 200, 500 });
}

/* A bridge found late: blocks kept before the merge grew are folded too. */
static void xtcp_sack__merge_grown(struct kunit *test)
{
	struct xtcp_rcv_sack s;

	xtcp_rcv_sack_reset(&s);
	xtcp_rcv_sack_add(&s, 100, 200);
	xtcp_rcv_sack_add(&s, 300, 400);
	xtcp_rcv_sack_add(&s, 500, 600);
	/* [200, 500) meets [500, 600) first and [100, 200) and [300, 400) too. */
	xtcp_rcv_sack_add(&s, 200, 500);
	xtcp_sack_expect(test, &s, 1, (const u32[]){ 100, 600 });
}

/* At most four: the oldest goes; across the wrap of sequence numbers. */
static void xtcp_sack__bounded(struct kunit *test)
{
	struct xtcp_rcv_sack s;
	u32 i;

	xtcp_rcv_sack_reset(&s);
	for (i = 0; i < 100; i++)
		xtcp_rcv_sack_add(&s, 0xfffffc00 + 20 * i, 0xfffffc00 + 20 * i + 10);
	xtcp_sack_expect(test, &s, 4, (const u32[]){
		0xfffffc00 + 1980, 0xfffffc00 + 1990, 0xfffffc00 + 1960, 0xfffffc00 + 1970,
		0xfffffc00 + 1940, 0xfffffc00 + 1950, 0xfffffc00 + 1920, 0xfffffc00 + 1930 });
	/* Across the wrap: [-16, 16) joins [-32, -16) and [16, 32). */
	xtcp_rcv_sack_reset(&s);
	xtcp_rcv_sack_add(&s, 0xffffffe0, 0xfffffff0);
	xtcp_rcv_sack_add(&s, 16, 32);
	xtcp_rcv_sack_add(&s, 0xfffffff0, 16);
	xtcp_sack_expect(test, &s, 1, (const u32[]){ 0xffffffe0, 32 });
}

/* RCV.NXT reaching a block drops it; entering one cuts it. */
static void xtcp_sack__advance(struct kunit *test)
{
	struct xtcp_rcv_sack s;

	xtcp_rcv_sack_reset(&s);
	xtcp_rcv_sack_add(&s, 200, 300);
	xtcp_rcv_sack_add(&s, 400, 500);
	xtcp_rcv_sack_advance(&s, 100);
	xtcp_sack_expect(test, &s, 2, (const u32[]){ 400, 500, 200, 300 });
	xtcp_rcv_sack_advance(&s, 300);
	xtcp_sack_expect(test, &s, 1, (const u32[]){ 400, 500 });
	xtcp_rcv_sack_advance(&s, 450);
	xtcp_sack_expect(test, &s, 1, (const u32[]){ 450, 500 });
	xtcp_rcv_sack_advance(&s, 800);
	KUNIT_EXPECT_EQ(test, s.nr, 0);
}

/* Pruned data: blocks beyond the cut go, one across it ends there. */
static void xtcp_sack__forget(struct kunit *test)
{
	struct xtcp_rcv_sack s;

	xtcp_rcv_sack_reset(&s);
	xtcp_rcv_sack_add(&s, 200, 300);
	xtcp_rcv_sack_add(&s, 400, 500);
	xtcp_rcv_sack_add(&s, 600, 700);
	xtcp_rcv_sack_forget(&s, 450);
	xtcp_sack_expect(test, &s, 2, (const u32[]){ 400, 450, 200, 300 });
	xtcp_rcv_sack_forget(&s, 400);
	xtcp_sack_expect(test, &s, 1, (const u32[]){ 200, 300 });
	xtcp_rcv_sack_forget(&s, 100);
	KUNIT_EXPECT_EQ(test, s.nr, 0);
}

/* D-SACK: once, first; cut at RCV.NXT; the latest replaces an earlier one. */
static void xtcp_sack__dsack(struct kunit *test)
{
	struct xtcp_sack_block out[XTCP_SACK_BLOCKS];
	struct xtcp_rcv_sack s;

	xtcp_rcv_sack_reset(&s);
	xtcp_rcv_sack_add(&s, 2000, 3000);
	xtcp_rcv_sack_add(&s, 4000, 5000);
	xtcp_rcv_sack_dup(&s, 500, 600, 1000);
	KUNIT_ASSERT_EQ(test, xtcp_rcv_sack_fill(&s, out, 3), 3U);
	KUNIT_EXPECT_EQ(test, out[0].start, 500U);
	KUNIT_EXPECT_EQ(test, out[0].end, 600U);
	KUNIT_EXPECT_EQ(test, out[1].start, 4000U);
	KUNIT_EXPECT_EQ(test, out[2].start, 2000U);
	/* Sent once. */
	KUNIT_ASSERT_EQ(test, xtcp_rcv_sack_fill(&s, out, 3), 2U);
	KUNIT_EXPECT_EQ(test, out[0].start, 4000U);
	/* A repeat across RCV.NXT: up to it. */
	xtcp_rcv_sack_dup(&s, 900, 1100, 1000);
	xtcp_rcv_sack_dup(&s, 700, 800, 1000);
	KUNIT_ASSERT_EQ(test, xtcp_rcv_sack_fill(&s, out, 1), 1U);
	KUNIT_EXPECT_EQ(test, out[0].start, 700U);
	KUNIT_EXPECT_EQ(test, out[0].end, 800U);
	xtcp_rcv_sack_dup(&s, 900, 1100, 1000);
	KUNIT_ASSERT_EQ(test, xtcp_rcv_sack_fill(&s, out, 4), 3U);
	KUNIT_EXPECT_EQ(test, out[0].start, 900U);
	KUNIT_EXPECT_EQ(test, out[0].end, 1000U);
	/* A repeat of held data, above RCV.NXT: whole. No room: kept. */
	xtcp_rcv_sack_dup(&s, 4100, 4200, 1000);
	KUNIT_EXPECT_EQ(test, xtcp_rcv_sack_fill(&s, out, 0), 0U);
	KUNIT_EXPECT_TRUE(test, s.dsack_pending);
	KUNIT_ASSERT_EQ(test, xtcp_rcv_sack_fill(&s, out, 2), 2U);
	KUNIT_EXPECT_EQ(test, out[0].start, 4100U);
	KUNIT_EXPECT_EQ(test, out[0].end, 4200U);
	/* Empty: nothing. */
	xtcp_rcv_sack_dup(&s, 1000, 1000, 1000);
	KUNIT_EXPECT_FALSE(test, s.dsack_pending);
}

/* RFC 6675's DupAck: a block beyond all named before; nonsense counted. */
static void xtcp_sack__news(struct kunit *test)
{
	struct xtcp_sack_block b[XTCP_SACK_BLOCKS];
	unsigned int bad = 0;
	u32 high = 500;

	/* In flight: [1000, 5000). The first block beyond it all: news. */
	b[0] = (struct xtcp_sack_block){ 2000, 2100 };
	KUNIT_EXPECT_TRUE(test, xtcp_sack_news(b, 1, 1000, 5000, &high, &bad));
	KUNIT_EXPECT_EQ(test, high, 2100U);
	/* The same again, or one below it: none. */
	KUNIT_EXPECT_FALSE(test, xtcp_sack_news(b, 1, 1000, 5000, &high, &bad));
	b[0] = (struct xtcp_sack_block){ 1500, 1600 };
	KUNIT_EXPECT_FALSE(test, xtcp_sack_news(b, 1, 1000, 5000, &high, &bad));
	/* Grown at its end, or a second block beyond: news. */
	b[0] = (struct xtcp_sack_block){ 2000, 2200 };
	KUNIT_EXPECT_TRUE(test, xtcp_sack_news(b, 1, 1000, 5000, &high, &bad));
	b[0] = (struct xtcp_sack_block){ 1500, 1600 };
	b[1] = (struct xtcp_sack_block){ 3000, 3100 };
	KUNIT_EXPECT_TRUE(test, xtcp_sack_news(b, 2, 1000, 5000, &high, &bad));
	KUNIT_EXPECT_EQ(test, high, 3100U);
	KUNIT_EXPECT_EQ(test, bad, 0U);
	/* D-SACKs are skipped, not counted: below SND.UNA, or inside the second. */
	b[0] = (struct xtcp_sack_block){ 800, 900 };
	KUNIT_EXPECT_FALSE(test, xtcp_sack_news(b, 1, 1000, 5000, &high, &bad));
	b[0] = (struct xtcp_sack_block){ 3020, 3040 };
	b[1] = (struct xtcp_sack_block){ 3000, 3100 };
	KUNIT_EXPECT_FALSE(test, xtcp_sack_news(b, 2, 1000, 5000, &high, &bad));
	KUNIT_EXPECT_EQ(test, bad, 0U);
	/* Beyond SND.MAX, backwards, empty, across SND.UNA (not first): bad. */
	b[0] = (struct xtcp_sack_block){ 4000, 6000 };
	b[1] = (struct xtcp_sack_block){ 3500, 3400 };
	b[2] = (struct xtcp_sack_block){ 3500, 3500 };
	b[3] = (struct xtcp_sack_block){ 900, 1100 };
	KUNIT_EXPECT_FALSE(test, xtcp_sack_news(b, 4, 1000, 5000, &high, &bad));
	KUNIT_EXPECT_EQ(test, bad, 4U);
	KUNIT_EXPECT_EQ(test, high, 3100U);
	/* A stale mark below SND.UNA counts as none; across the wrap. */
	high = 0xfffff000;
	b[0] = (struct xtcp_sack_block){ 0x100, 0x200 };
	KUNIT_EXPECT_TRUE(test, xtcp_sack_news(b, 1, 0x10, 0x1000, &high, &bad));
	KUNIT_EXPECT_EQ(test, high, 0x200U);
	/* More than four are never read. */
	KUNIT_EXPECT_FALSE(test, xtcp_sack_news(b, 0, 0x10, 0x1000, &high, &bad));
}

static struct kunit_case xtcp_sack_cases[] = {
	KUNIT_CASE(xtcp_sack__add_and_merge),
	KUNIT_CASE(xtcp_sack__merge_grown),
	KUNIT_CASE(xtcp_sack__bounded),
	KUNIT_CASE(xtcp_sack__advance),
	KUNIT_CASE(xtcp_sack__forget),
	KUNIT_CASE(xtcp_sack__dsack),
	KUNIT_CASE(xtcp_sack__news),
	{}
};

static struct kunit_suite xtcp_sack_suite = {
	.name = "xtcp_sack",
	.test_cases = xtcp_sack_cases,
};

kunit_test_suites(&xtcp_sack_suite);
