// SPDX-License-Identifier: GPL-2.0
/*
 * isn_test.c - KUnit cases for module/isn.c: RFC 6528 initial sequence numbers.
 */
#include <kunit/test.h>

#include "xtcp.h"

static const siphash_key_t key_a = { { 0x0123456789abcdefULL, 0xfedcba9876543210ULL } };
static const siphash_key_t key_b = { { 0x0123456789abcdefULL, 0xfedcba9876543211ULL } };

#define A	cpu_to_be32(0x0a000001)
#define B	cpu_to_be32(0x0a000002)
#define P1	cpu_to_be16(40000)
#define P2	cpu_to_be16(80)

/* Same tuple, same key, same time: the same number (no hidden state). */
static void xtcp_isn__deterministic(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xtcp_isn_at(&key_a, A, B, P1, P2, 5000000),
			xtcp_isn_at(&key_a, A, B, P1, P2, 5000000));
}

/* M: one tick of 4.096 us adds one; the clock wraps modulo 2^32 with the sum. */
static void xtcp_isn__clock_ticks_every_4us(struct kunit *test)
{
	u32 base = xtcp_isn_at(&key_a, A, B, P1, P2, 0);

	KUNIT_EXPECT_EQ(test, xtcp_isn_at(&key_a, A, B, P1, P2, 4095), base);
	KUNIT_EXPECT_EQ(test, xtcp_isn_at(&key_a, A, B, P1, P2, 4096), base + 1);
	/* One second: 244140 ticks. */
	KUNIT_EXPECT_EQ(test, xtcp_isn_at(&key_a, A, B, P1, P2, 1000000000ULL),
			base + 244140);
	/* 2^32 ticks later (about 4.9 hours) the space has wrapped once. */
	KUNIT_EXPECT_EQ(test, xtcp_isn_at(&key_a, A, B, P1, P2, 1ULL << 44), base);
}

/* F: every field of the 4-tuple, and the key, change the number. */
static void xtcp_isn__every_input_matters(struct kunit *test)
{
	u32 base = xtcp_isn_at(&key_a, A, B, P1, P2, 0);

	KUNIT_EXPECT_NE(test, xtcp_isn_at(&key_a, B, B, P1, P2, 0), base);
	KUNIT_EXPECT_NE(test, xtcp_isn_at(&key_a, A, A, P1, P2, 0), base);
	KUNIT_EXPECT_NE(test, xtcp_isn_at(&key_a, A, B, P2, P2, 0), base);
	KUNIT_EXPECT_NE(test, xtcp_isn_at(&key_a, A, B, P1, P1, 0), base);
	/* The reverse direction is another connection. */
	KUNIT_EXPECT_NE(test, xtcp_isn_at(&key_a, B, A, P2, P1, 0), base);
	/* Another namespace (secret) gives another number, one key bit apart. */
	KUNIT_EXPECT_NE(test, xtcp_isn_at(&key_b, A, B, P1, P2, 0), base);
}

/* Consecutive source ports do not give consecutive or nearby numbers. */
static void xtcp_isn__ports_spread(struct kunit *test)
{
	unsigned int port, close = 0;
	u32 prev = xtcp_isn_at(&key_a, A, B, cpu_to_be16(1024), P2, 0);

	for (port = 1025; port < 1024 + 256; port++) {
		u32 isn = xtcp_isn_at(&key_a, A, B, cpu_to_be16(port), P2, 0);

		if (isn - prev < 65536 || prev - isn < 65536)
			close++;
		prev = isn;
	}
	/* 255 pairs at random: about 255 * 2^17 / 2^32 < 0.01 expected. */
	KUNIT_EXPECT_LE(test, close, 1U);
}

/* The per-namespace key is drawn at random. */
static void xtcp_isn__keys_random(struct kunit *test)
{
	siphash_key_t k1, k2;

	xtcp_isn_key_init(&k1);
	xtcp_isn_key_init(&k2);
	KUNIT_EXPECT_NE(test, memcmp(&k1, &k2, sizeof(k1)), 0);
}

static struct kunit_case xtcp_isn_cases[] = {
	KUNIT_CASE(xtcp_isn__deterministic),
	KUNIT_CASE(xtcp_isn__clock_ticks_every_4us),
	KUNIT_CASE(xtcp_isn__every_input_matters),
	KUNIT_CASE(xtcp_isn__ports_spread),
	KUNIT_CASE(xtcp_isn__keys_random),
	{}
};

static struct kunit_suite xtcp_isn_suite = {
	.name = "xtcp_isn",
	.test_cases = xtcp_isn_cases,
};

kunit_test_suites(&xtcp_isn_suite);
