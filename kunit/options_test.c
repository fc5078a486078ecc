// SPDX-License-Identifier: GPL-2.0
/*
 * options_test.c - KUnit cases for module/options.c: parsing TCP options, with
 * every kind of malformed length, and writing them back.
 */
#include <kunit/test.h>

#include "xtcp.h"

static int parse(const u8 *opt, unsigned int len, bool syn, struct xtcp_options *o)
{
	return xtcp_parse_options(opt, len, syn, o);
}

static void xtcp_parse_options__empty_and_padding(struct kunit *test)
{
	static const u8 nops[] = { 1, 1, 1, 1 };
	static const u8 eol[] = { 0, 0, 0, 0 };
	struct xtcp_options o;

	KUNIT_EXPECT_EQ(test, parse(NULL, 0, true, &o), 0);
	KUNIT_EXPECT_EQ(test, o.mss, 0);
	KUNIT_EXPECT_EQ(test, parse(nops, sizeof(nops), true, &o), 0);
	KUNIT_EXPECT_FALSE(test, o.ts_ok);
	KUNIT_EXPECT_EQ(test, parse(eol, sizeof(eol), true, &o), 0);
}

/* The options of a Linux SYN: MSS, SACK-permitted, timestamps, NOP, WS 7. */
static void xtcp_parse_options__linux_syn(struct kunit *test)
{
	static const u8 syn[] = {
		2, 4, 0x05, 0xb4,		/* MSS 1460 */
		4, 2,				/* SACK permitted */
		8, 10, 0, 0, 0x12, 0x34, 0, 0, 0, 0,	/* TSval 0x1234, TSecr 0 */
		1,				/* NOP */
		3, 3, 7,			/* WS 7 */
	};
	struct xtcp_options o;

	KUNIT_ASSERT_EQ(test, parse(syn, sizeof(syn), true, &o), 0);
	KUNIT_EXPECT_EQ(test, o.mss, 1460);
	KUNIT_EXPECT_TRUE(test, o.sack_ok);
	KUNIT_EXPECT_TRUE(test, o.ts_ok);
	KUNIT_EXPECT_EQ(test, o.tsval, 0x1234U);
	KUNIT_EXPECT_EQ(test, o.tsecr, 0U);
	KUNIT_EXPECT_TRUE(test, o.wscale_ok);
	KUNIT_EXPECT_EQ(test, o.wscale, 7);

	/* The same bytes on a segment without SYN: only the timestamps count. */
	KUNIT_ASSERT_EQ(test, parse(syn, sizeof(syn), false, &o), 0);
	KUNIT_EXPECT_EQ(test, o.mss, 0);
	KUNIT_EXPECT_FALSE(test, o.sack_ok);
	KUNIT_EXPECT_FALSE(test, o.wscale_ok);
	KUNIT_EXPECT_TRUE(test, o.ts_ok);
}

/* Past End of Option List nothing is read, not even garbage. */
static void xtcp_parse_options__eol_stops(struct kunit *test)
{
	static const u8 opt[] = { 2, 4, 0x02, 0x18, 0, 2, 0, 9, 9, 9, 9, 9 };
	struct xtcp_options o;

	KUNIT_ASSERT_EQ(test, parse(opt, sizeof(opt), true, &o), 0);
	KUNIT_EXPECT_EQ(test, o.mss, 536);
}

static void xtcp_parse_options__unknown_skipped(struct kunit *test)
{
	/* Kind 30 (MPTCP) with 6 bytes, then MSS. */
	static const u8 opt[] = { 30, 6, 0xaa, 0xbb, 0xcc, 0xdd, 2, 4, 0x23, 0x28 };
	struct xtcp_options o;

	KUNIT_ASSERT_EQ(test, parse(opt, sizeof(opt), true, &o), 0);
	KUNIT_EXPECT_EQ(test, o.mss, 9000);
}

/* Every malformed length is refused (RFC 9293 MUST-7: never crash on one). */
static void xtcp_parse_options__malformed_lengths(struct kunit *test)
{
	static const struct {
		const char *what;
		u8 bytes[12];
		unsigned int len;
	} bad[] = {
		{ "length 0", { 30, 0, 1, 1 }, 4 },
		{ "length 1", { 30, 1, 1, 1 }, 4 },
		{ "kind without a length byte", { 1, 1, 1, 30 }, 4 },
		{ "MSS without a length byte", { 1, 1, 1, 2 }, 4 },
		{ "runs past the end", { 30, 8, 1, 1 }, 4 },
		{ "MSS length 3", { 2, 3, 5, 1 }, 4 },
		{ "MSS length 5", { 2, 5, 5, 0xb4, 0 }, 5 },
		{ "MSS cut short", { 2, 4, 5 }, 3 },
		{ "window scale length 4", { 3, 4, 7, 1 }, 4 },
		{ "SACK-permitted length 3", { 4, 3, 1, 1 }, 4 },
		{ "timestamps length 8", { 8, 8, 0, 0, 0, 1, 0, 0 }, 8 },
		{ "timestamps cut short", { 8, 10, 0, 0, 0, 1, 0, 0 }, 8 },
	};
	struct xtcp_options o;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		KUNIT_EXPECT_EQ_MSG(test, parse(bad[i].bytes, bad[i].len, true, &o), -EINVAL,
				    "%s", bad[i].what);
		KUNIT_EXPECT_EQ_MSG(test, parse(bad[i].bytes, bad[i].len, false, &o), -EINVAL,
				    "%s (no SYN)", bad[i].what);
	}
}

/* More than 40 bytes cannot come from a TCP header. */
static void xtcp_parse_options__too_long(struct kunit *test)
{
	u8 opt[XTCP_MAX_OPTION_SPACE + 4];
	struct xtcp_options o;

	memset(opt, 1, sizeof(opt));
	KUNIT_EXPECT_EQ(test, parse(opt, XTCP_MAX_OPTION_SPACE, true, &o), 0);
	KUNIT_EXPECT_EQ(test, parse(opt, sizeof(opt), true, &o), -EINVAL);
}

/* RFC 7323 2.3: a shift above 14 is used as 14. */
static void xtcp_parse_options__wscale_clamped(struct kunit *test)
{
	static const u8 opt[] = { 1, 3, 3, 15 };
	struct xtcp_options o;

	KUNIT_ASSERT_EQ(test, parse(opt, sizeof(opt), true, &o), 0);
	KUNIT_EXPECT_TRUE(test, o.wscale_ok);
	KUNIT_EXPECT_EQ(test, o.wscale, 14);
}

/* Every combination written is 32-bit aligned and parses back to itself. */
static void xtcp_write_options__round_trip(struct kunit *test)
{
	unsigned int combo;

	for (combo = 0; combo < 16; combo++) {
		struct xtcp_options in = {
			.mss = (combo & 1) ? 1460 : 0,
			.wscale_ok = combo & 2,
			.wscale = (combo & 2) ? 9 : 0,
			.sack_ok = combo & 4,
			.ts_ok = combo & 8,
			.tsval = (combo & 8) ? 0xdeadbeef : 0,
			.tsecr = (combo & 8) ? 0x01020304 : 0,
		};
		u8 buf[XTCP_MAX_OPTION_SPACE];
		struct xtcp_options out;
		unsigned int len;

		memset(buf, 0xee, sizeof(buf));
		len = xtcp_write_options(buf, &in);
		KUNIT_EXPECT_EQ_MSG(test, len % 4, 0U, "combination %u", combo);
		KUNIT_EXPECT_LE_MSG(test, len, 20U, "combination %u", combo);
		KUNIT_ASSERT_EQ(test, parse(buf, len, true, &out), 0);
		KUNIT_EXPECT_EQ_MSG(test, out.mss, in.mss, "combination %u", combo);
		KUNIT_EXPECT_EQ_MSG(test, out.wscale_ok, in.wscale_ok, "combination %u", combo);
		KUNIT_EXPECT_EQ_MSG(test, out.wscale, in.wscale, "combination %u", combo);
		KUNIT_EXPECT_EQ_MSG(test, out.sack_ok, in.sack_ok, "combination %u", combo);
		KUNIT_EXPECT_EQ_MSG(test, out.ts_ok, in.ts_ok, "combination %u", combo);
		KUNIT_EXPECT_EQ_MSG(test, out.tsval, in.tsval, "combination %u", combo);
		KUNIT_EXPECT_EQ_MSG(test, out.tsecr, in.tsecr, "combination %u", combo);
	}
}

static void xtcp_write_options__mss_bytes(struct kunit *test)
{
	struct xtcp_options in = { .mss = 1460 };
	u8 buf[XTCP_MAX_OPTION_SPACE];

	KUNIT_ASSERT_EQ(test, xtcp_write_options(buf, &in), 4U);
	KUNIT_EXPECT_EQ(test, buf[0], 2);
	KUNIT_EXPECT_EQ(test, buf[1], 4);
	KUNIT_EXPECT_EQ(test, buf[2], 0x05);
	KUNIT_EXPECT_EQ(test, buf[3], 0xb4);
}

/* SACK blocks: after two NOPs, as many as fit: 3 beside timestamps, 4 without. */
static void xtcp_write_options__sack_blocks(struct kunit *test)
{
	static const u8 want4[] = {
		1, 1, 5, 34,
		0, 0, 0x10, 0, 0, 0, 0x20, 0,
		0, 0, 0x30, 0, 0, 0, 0x40, 0,
		0xff, 0xff, 0xff, 0xf0, 0, 0, 0, 0x10,
		0, 0, 0x50, 0, 0, 0, 0x60, 0,
	};
	struct xtcp_options in = {
		.nr_sacks = 4,
		.sacks = { { 0x1000, 0x2000 }, { 0x3000, 0x4000 }, { 0xfffffff0, 0x10 },
			   { 0x5000, 0x6000 } },
	};
	u8 buf[XTCP_MAX_OPTION_SPACE];
	struct xtcp_options out;

	KUNIT_ASSERT_EQ(test, xtcp_write_options(buf, &in), 36U);
	KUNIT_EXPECT_EQ(test, memcmp(buf, want4, sizeof(want4)), 0);
	/* Read back, all four; on a SYN, none. */
	KUNIT_ASSERT_EQ(test, parse(buf, 36, false, &out), 0);
	KUNIT_EXPECT_EQ(test, out.nr_sacks, 4);
	KUNIT_EXPECT_EQ(test, out.sacks[2].start, 0xfffffff0U);
	KUNIT_EXPECT_EQ(test, out.sacks[3].end, 0x6000U);
	KUNIT_EXPECT_FALSE(test, out.sack_bad);
	KUNIT_ASSERT_EQ(test, parse(buf, 36, true, &out), 0);
	KUNIT_EXPECT_EQ(test, out.nr_sacks, 0);
	/* A length no whole blocks make: ignored (flagged), the segment kept. */
	buf[3] = 33;
	KUNIT_ASSERT_EQ(test, parse(buf, 36, false, &out), 0);
	KUNIT_EXPECT_EQ(test, out.nr_sacks, 0);
	KUNIT_EXPECT_TRUE(test, out.sack_bad);
	buf[3] = 34;
	/* With timestamps: 12 + 4 + 3 * 8 = 40, the fourth left out. */
	in.ts_ok = true;
	in.tsval = 7;
	in.tsecr = 9;
	KUNIT_ASSERT_EQ(test, xtcp_write_options(buf, &in), 40U);
	KUNIT_EXPECT_EQ(test, buf[12], 1);
	KUNIT_EXPECT_EQ(test, buf[14], 5);
	KUNIT_EXPECT_EQ(test, buf[15], 26);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(&buf[32]), 0xfffffff0U);
	KUNIT_ASSERT_EQ(test, parse(buf, 40, false, &out), 0);
	KUNIT_EXPECT_TRUE(test, out.ts_ok);
	KUNIT_EXPECT_EQ(test, out.tsval, 7U);
	/* One block: 4 + 8 bytes. */
	in.ts_ok = false;
	in.nr_sacks = 1;
	KUNIT_EXPECT_EQ(test, xtcp_write_options(buf, &in), 12U);
	KUNIT_EXPECT_EQ(test, buf[3], 10);
	/* Beside a SYN's 20 bytes of options, two blocks: never more than 40. */
	in.nr_sacks = 4;
	in.mss = 1460;
	in.sack_ok = true;
	in.ts_ok = true;
	in.wscale_ok = true;
	in.wscale = 7;
	KUNIT_EXPECT_EQ(test, xtcp_write_options(buf, &in), 40U);
	KUNIT_EXPECT_EQ(test, buf[23], 18);
}

static struct kunit_case xtcp_options_cases[] = {
	KUNIT_CASE(xtcp_parse_options__empty_and_padding),
	KUNIT_CASE(xtcp_parse_options__linux_syn),
	KUNIT_CASE(xtcp_parse_options__eol_stops),
	KUNIT_CASE(xtcp_parse_options__unknown_skipped),
	KUNIT_CASE(xtcp_parse_options__malformed_lengths),
	KUNIT_CASE(xtcp_parse_options__too_long),
	KUNIT_CASE(xtcp_parse_options__wscale_clamped),
	KUNIT_CASE(xtcp_write_options__round_trip),
	KUNIT_CASE(xtcp_write_options__mss_bytes),
	KUNIT_CASE(xtcp_write_options__sack_blocks),
	{}
};

static struct kunit_suite xtcp_options_suite = {
	.name = "xtcp_options",
	.test_cases = xtcp_options_cases,
};

kunit_test_suites(&xtcp_options_suite);
