// SPDX-License-Identifier: GPL-2.0
/*
 * sack_test.c - KUnit cases for module/sack.c: the receiver's SACK blocks, in
 * every order data can arrive in, their bound, RCV.NXT reaching them, and the
 * D-SACK of a repeated range; and as a sender, the scoreboard: blocks in
 * every order and overlap, the ones it refuses, SND.UNA passing it, and its
 * bound against a peer that names a hole between every segment.
 */
#include <kunit/test.h>

#include "seq.h"
#include "xtcp.h"

/* @got holds @n blocks: @nr of them, @want's start and end pairs in order. */
static void xtcp_blocks_expect(struct kunit *test, const struct xtcp_sack_block *got,
			       unsigned int n, unsigned int nr, const u32 *want)
{
	unsigned int i;

	KUNIT_ASSERT_EQ(test, n, nr);
	for (i = 0; i < nr; i++) {
		KUNIT_EXPECT_EQ_MSG(test, got[i].start, want[2 * i], "block %u", i);
		KUNIT_EXPECT_EQ_MSG(test, got[i].end, want[2 * i + 1], "block %u", i);
	}
}

static void xtcp_sack_expect(struct kunit *test, const struct xtcp_rcv_sack *s,
			     unsigned int nr, const u32 *want)
{
	xtcp_blocks_expect(test, s->blocks, s->nr, nr, want);
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

/* The scoreboard's invariants: ordered, apart, above @una, @sacked their sum. */
static void xtcp_sb_check(struct kunit *test, const struct xtcp_scoreboard *sb, u32 una)
{
	u32 sum = 0;
	unsigned int i;

	KUNIT_ASSERT_LE(test, sb->nr, XTCP_SB_RANGES);
	for (i = 0; i < sb->nr; i++) {
		KUNIT_EXPECT_TRUE(test, xtcp_seq_before(sb->r[i].start, sb->r[i].end));
		KUNIT_EXPECT_TRUE(test, xtcp_seq_geq(sb->r[i].start, una));
		if (i)
			KUNIT_EXPECT_TRUE_MSG(test, xtcp_seq_after(sb->r[i].start,
								   sb->r[i - 1].end),
					      "range %u touches the one before", i);
		sum += sb->r[i].end - sb->r[i].start;
	}
	KUNIT_EXPECT_EQ(test, sb->sacked, sum);
}

static void xtcp_sb_expect(struct kunit *test, const struct xtcp_scoreboard *sb,
			   unsigned int nr, const u32 *want)
{
	xtcp_blocks_expect(test, sb->r, sb->nr, nr, want);
}

/* One block into the scoreboard; returns the bytes new to it. */
static u32 xtcp_sb_one(struct xtcp_scoreboard *sb, u32 start, u32 end, u32 una, u32 snd_max)
{
	struct xtcp_sack_block b = { start, end };
	unsigned int bad = 0;
	bool dsack = false;

	return xtcp_sb_update(sb, &b, 1, una, snd_max, &bad, &dsack);
}

/* Ranges in order however blocks come: apart, touching, overlapping, bridging. */
static void xtcp_sack__sb_merge(struct kunit *test)
{
	struct xtcp_scoreboard sb;

	xtcp_sb_reset(&sb);
	KUNIT_EXPECT_EQ(test, xtcp_sb_one(&sb, 3000, 3100, 1000, 9000), 100U);
	KUNIT_EXPECT_EQ(test, xtcp_sb_one(&sb, 2000, 2100, 1000, 9000), 100U);
	KUNIT_EXPECT_EQ(test, xtcp_sb_one(&sb, 5000, 5200, 1000, 9000), 200U);
	xtcp_sb_expect(test, &sb, 3, (const u32[]){ 2000, 2100, 3000, 3100, 5000, 5200 });
	/* The same again, or inside: nothing new. */
	KUNIT_EXPECT_EQ(test, xtcp_sb_one(&sb, 3000, 3100, 1000, 9000), 0U);
	KUNIT_EXPECT_EQ(test, xtcp_sb_one(&sb, 5050, 5100, 1000, 9000), 0U);
	/* Touching the end of one: it grows. */
	KUNIT_EXPECT_EQ(test, xtcp_sb_one(&sb, 2100, 2200, 1000, 9000), 100U);
	/* Overlapping the start of another. */
	KUNIT_EXPECT_EQ(test, xtcp_sb_one(&sb, 2900, 3050, 1000, 9000), 100U);
	xtcp_sb_expect(test, &sb, 3, (const u32[]){ 2000, 2200, 2900, 3100, 5000, 5200 });
	/* Bridging all three, beyond both ends. */
	KUNIT_EXPECT_EQ(test, xtcp_sb_one(&sb, 1900, 5300, 1000, 9000), 3400U - 600U);
	xtcp_sb_expect(test, &sb, 1, (const u32[]){ 1900, 5300 });
	xtcp_sb_check(test, &sb, 1000);
	KUNIT_EXPECT_EQ(test, xtcp_sb_sacked_in(&sb, 1000, 2000), 100U);
	KUNIT_EXPECT_EQ(test, xtcp_sb_sacked_in(&sb, 5000, 9000), 300U);
	KUNIT_EXPECT_EQ(test, xtcp_sb_sacked_in(&sb, 5000, 5000), 0U);
}

/* Blocks that make no sense are counted and left out; D-SACKs are told apart. */
static void xtcp_sack__sb_validate(struct kunit *test)
{
	struct xtcp_sack_block b[XTCP_SACK_BLOCKS];
	struct xtcp_scoreboard sb;
	unsigned int bad = 0;
	bool dsack = false;

	xtcp_sb_reset(&sb);
	/* In flight: [1000, 5000). A D-SACK below SND.UNA, then a block. */
	b[0] = (struct xtcp_sack_block){ 800, 900 };
	b[1] = (struct xtcp_sack_block){ 3000, 3100 };
	KUNIT_EXPECT_EQ(test, xtcp_sb_update(&sb, b, 2, 1000, 5000, &bad, &dsack), 100U);
	KUNIT_EXPECT_TRUE(test, dsack);
	KUNIT_EXPECT_EQ(test, bad, 0U);
	/* A D-SACK inside the second block: not merged, not bad. */
	dsack = false;
	b[0] = (struct xtcp_sack_block){ 3020, 3040 };
	KUNIT_EXPECT_EQ(test, xtcp_sb_update(&sb, b, 2, 1000, 5000, &bad, &dsack), 0U);
	KUNIT_EXPECT_TRUE(test, dsack);
	/* Beyond SND.MAX, backwards, empty, across SND.UNA (not first): bad. */
	dsack = false;
	b[0] = (struct xtcp_sack_block){ 4000, 6000 };
	b[1] = (struct xtcp_sack_block){ 3500, 3400 };
	b[2] = (struct xtcp_sack_block){ 3500, 3500 };
	b[3] = (struct xtcp_sack_block){ 900, 1100 };
	KUNIT_EXPECT_EQ(test, xtcp_sb_update(&sb, b, 4, 1000, 5000, &bad, &dsack), 0U);
	KUNIT_EXPECT_EQ(test, bad, 4U);
	KUNIT_EXPECT_FALSE(test, dsack);
	/* More than four are never read. */
	KUNIT_EXPECT_EQ(test, xtcp_sb_update(&sb, b, 0, 1000, 5000, &bad, &dsack), 0U);
	xtcp_sb_expect(test, &sb, 1, (const u32[]){ 3000, 3100 });
	/* Across 2^32. */
	xtcp_sb_reset(&sb);
	KUNIT_EXPECT_EQ(test, xtcp_sb_one(&sb, 0xffffff00, 0x100, 0xfffff000, 0x1000), 0x200U);
	KUNIT_EXPECT_EQ(test, xtcp_sb_one(&sb, 0xfffffe00, 0xffffff00, 0xfffff000, 0x1000),
			0x100U);
	xtcp_sb_expect(test, &sb, 1, (const u32[]){ 0xfffffe00, 0x100 });
	xtcp_sb_check(test, &sb, 0xfffff000);
}

/* SND.UNA passing ranges drops them, entering one cuts it. */
static void xtcp_sack__sb_advance(struct kunit *test)
{
	struct xtcp_scoreboard sb;

	xtcp_sb_reset(&sb);
	xtcp_sb_one(&sb, 2000, 2100, 1000, 9000);
	xtcp_sb_one(&sb, 3000, 3200, 1000, 9000);
	xtcp_sb_one(&sb, 4000, 4100, 1000, 9000);
	xtcp_sb_advance(&sb, 2100);
	xtcp_sb_expect(test, &sb, 2, (const u32[]){ 3000, 3200, 4000, 4100 });
	xtcp_sb_advance(&sb, 3050);
	xtcp_sb_expect(test, &sb, 2, (const u32[]){ 3050, 3200, 4000, 4100 });
	xtcp_sb_check(test, &sb, 3050);
	KUNIT_EXPECT_EQ(test, sb.sacked, 250U);
	xtcp_sb_advance(&sb, 5000);
	KUNIT_EXPECT_EQ(test, sb.nr, 0);
	KUNIT_EXPECT_EQ(test, sb.sacked, 0U);
}

/*
 * A peer naming a hole between every segment cannot grow the scoreboard past
 * its bound: the lowest ranges stay (they decide what is lost), the highest
 * give way, and the count stays true.
 */
static void xtcp_sack__sb_bounded(struct kunit *test)
{
	struct xtcp_scoreboard sb;
	unsigned int i;

	xtcp_sb_reset(&sb);
	for (i = 0; i < 40; i++)
		xtcp_sb_one(&sb, 2000 + 200 * i, 2100 + 200 * i, 1000, 90000);
	KUNIT_EXPECT_EQ(test, sb.nr, XTCP_SB_RANGES);
	KUNIT_EXPECT_EQ(test, sb.r[0].start, 2000U);
	KUNIT_EXPECT_EQ(test, sb.r[XTCP_SB_RANGES - 1].start, 2000U + 200 * (XTCP_SB_RANGES - 1));
	xtcp_sb_check(test, &sb, 1000);
	/* Full: one below all pushes the highest out; one above all is left out. */
	KUNIT_EXPECT_EQ(test, xtcp_sb_one(&sb, 1100, 1200, 1000, 90000), 100U);
	KUNIT_EXPECT_EQ(test, sb.r[XTCP_SB_RANGES - 1].start, 2000U + 200 * (XTCP_SB_RANGES - 2));
	KUNIT_EXPECT_EQ(test, xtcp_sb_one(&sb, 80000, 80100, 1000, 90000), 0U);
	xtcp_sb_check(test, &sb, 1000);
	/* Backwards, in any order: random blocks keep every invariant. */
	xtcp_sb_reset(&sb);
	for (i = 0; i < 20000; i++) {
		u32 r = i * 2654435761u, start = 1000 + (r >> 8) % 60000;
		u32 una = 1000 + (i / 2000) * 4000;
		struct xtcp_sack_block b[2] = { { start, start + 1 + (r & 0xff) * 7 },
						{ start + 3000, start + 3300 } };
		unsigned int bad = 0;
		bool dsack = false;

		xtcp_sb_advance(&sb, una);
		xtcp_sb_update(&sb, b, 2, una, 64000, &bad, &dsack);
		xtcp_sb_check(test, &sb, una);
		if (test->status == KUNIT_FAILURE)
			return;
	}
}

static struct kunit_case xtcp_sack_cases[] = {
	KUNIT_CASE(xtcp_sack__add_and_merge),
	KUNIT_CASE(xtcp_sack__merge_grown),
	KUNIT_CASE(xtcp_sack__bounded),
	KUNIT_CASE(xtcp_sack__advance),
	KUNIT_CASE(xtcp_sack__forget),
	KUNIT_CASE(xtcp_sack__dsack),
	KUNIT_CASE(xtcp_sack__sb_merge),
	KUNIT_CASE(xtcp_sack__sb_validate),
	KUNIT_CASE(xtcp_sack__sb_advance),
	KUNIT_CASE(xtcp_sack__sb_bounded),
	{}
};

static struct kunit_suite xtcp_sack_suite = {
	.name = "xtcp_sack",
	.test_cases = xtcp_sack_cases,
};

kunit_test_suites(&xtcp_sack_suite);
