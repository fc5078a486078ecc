// SPDX-License-Identifier: GPL-2.0
/*
 * syncookie_test.c - KUnit cases for module/syncookie.c (SYN cookies), the
 * cost of a request in the SYN queue and TCP_DEFER_ACCEPT's units (module/listen.c).
 */
#include <kunit/test.h>
#include <linux/rwsem.h>
#include <net/net_namespace.h>

#include "xtcp.h"

static const siphash_key_t key_a = { { 0x1122334455667788ULL, 0x99aabbccddeeff00ULL } };
static const siphash_key_t key_b = { { 0x1122334455667788ULL, 0x99aabbccddeeff01ULL } };

#define L	cpu_to_be32(0x0a000202)		/* 10.0.2.2, the listener */
#define R	cpu_to_be32(0x0a000203)		/* 10.0.2.3, the client */
#define LP	cpu_to_be16(8000)
#define RP	cpu_to_be16(40000)
#define IRS	0x12345678U
#define NOW	1000U

static u32 make(unsigned int mssind, u32 count)
{
	return xtcp_cookie_make(&key_a, L, R, LP, RP, IRS, count, mssind);
}

static int check(u32 cookie, u32 count)
{
	return xtcp_cookie_check(&key_a, L, R, LP, RP, IRS, cookie, count);
}

/* The table covers 536 and 1460 and rounds any MSS down to one of its values. */
static void xtcp_cookie__mss_table(struct kunit *test)
{
	unsigned int i;

	KUNIT_EXPECT_EQ(test, xtcp_cookie_mss(0), 536);
	KUNIT_EXPECT_EQ(test, xtcp_cookie_mss(XTCP_COOKIE_MSS_COUNT - 1), 1460);
	for (i = 0; i < XTCP_COOKIE_MSS_COUNT; i++) {
		KUNIT_EXPECT_EQ(test, xtcp_cookie_mss_index(xtcp_cookie_mss(i)), i);
		if (i)
			KUNIT_EXPECT_GT(test, xtcp_cookie_mss(i), xtcp_cookie_mss(i - 1));
	}
	KUNIT_EXPECT_EQ(test, xtcp_cookie_mss_index(88), 0U);	/* below the table */
	KUNIT_EXPECT_EQ(test, xtcp_cookie_mss_index(1459), 6U);	/* 1440 */
	KUNIT_EXPECT_EQ(test, xtcp_cookie_mss_index(9000), 7U);	/* 1460, at most */
	KUNIT_EXPECT_EQ(test, xtcp_cookie_mss_index(65495), 7U);	/* loopback's */
}

/* Every MSS index survives the round trip, at every phase of the counter. */
static void xtcp_cookie__round_trip(struct kunit *test)
{
	unsigned int i;
	u32 c;

	for (c = NOW; c < NOW + 4; c++)
		for (i = 0; i < XTCP_COOKIE_MSS_COUNT; i++)
			KUNIT_EXPECT_EQ(test, check(make(i, c), c), (int)i);
}

/* Valid in the tick that made it and the next; refused from the second after. */
static void xtcp_cookie__expiry(struct kunit *test)
{
	u32 cookie = make(7, NOW);

	KUNIT_EXPECT_EQ(test, check(cookie, NOW), 7);
	KUNIT_EXPECT_EQ(test, check(cookie, NOW + 1), 7);
	KUNIT_EXPECT_EQ(test, check(cookie, NOW + 2), -ETIME);
	KUNIT_EXPECT_EQ(test, check(cookie, NOW + 3), -ETIME);
	/* Four ticks on, the two time bits match again: the MAC still refuses it. */
	KUNIT_EXPECT_EQ(test, check(cookie, NOW + 4), -EBADMSG);
	KUNIT_EXPECT_EQ(test, check(cookie, NOW + 5), -EBADMSG);
	/* A cookie from a tick to come is refused too. */
	KUNIT_EXPECT_EQ(test, check(cookie, NOW - 1), -ETIME);
	/* Across the counter's wrap. */
	cookie = make(3, U32_MAX);
	KUNIT_EXPECT_EQ(test, check(cookie, 0), 3);
	KUNIT_EXPECT_EQ(test, check(cookie, 1), -ETIME);
}

/*
 * Any single bit of the 4-tuple, the ACK's sequence number (the peer's ISN + 1)
 * or its acknowledgment number (the cookie + 1) changed: refused.
 */
static void xtcp_cookie__every_bit_matters(struct kunit *test)
{
	u32 cookie = make(5, NOW);
	u32 seq = IRS + 1, ack = cookie + 1;
	unsigned int bit, refused = 0;

	for (bit = 0; bit < 32; bit++) {
		__be32 flip = cpu_to_be32(BIT(bit));

		refused += xtcp_cookie_check(&key_a, L ^ flip, R, LP, RP, IRS, cookie,
					     NOW) < 0;
		refused += xtcp_cookie_check(&key_a, L, R ^ flip, LP, RP, IRS, cookie,
					     NOW) < 0;
		refused += xtcp_cookie_check(&key_a, L, R, LP, RP, (seq ^ BIT(bit)) - 1,
					     cookie, NOW) < 0;
		refused += xtcp_cookie_check(&key_a, L, R, LP, RP, IRS,
					     (ack ^ BIT(bit)) - 1, NOW) < 0;
	}
	for (bit = 0; bit < 16; bit++) {
		__be16 flip = cpu_to_be16(BIT(bit));

		refused += xtcp_cookie_check(&key_a, L, R, LP ^ flip, RP, IRS, cookie,
					     NOW) < 0;
		refused += xtcp_cookie_check(&key_a, L, R, LP, RP ^ flip, IRS, cookie,
					     NOW) < 0;
	}
	KUNIT_EXPECT_EQ(test, refused, 4 * 32 + 2 * 16);
	/* The unchanged ACK still passes. */
	KUNIT_EXPECT_EQ(test, check(ack - 1, NOW), 5);
	/* Nor does the local and remote end swapped make the same cookie. */
	KUNIT_EXPECT_LT(test, xtcp_cookie_check(&key_a, R, L, RP, LP, IRS, cookie, NOW), 0);
}

/* Another secret (another namespace) makes other cookies and refuses these. */
static void xtcp_cookie__key_matters(struct kunit *test)
{
	u32 cookie = make(2, NOW);

	KUNIT_EXPECT_NE(test, xtcp_cookie_make(&key_b, L, R, LP, RP, IRS, NOW, 2), cookie);
	KUNIT_EXPECT_LT(test, xtcp_cookie_check(&key_b, L, R, LP, RP, IRS, cookie, NOW), 0);
}

/*
 * Each namespace draws its own secret: no two namespaces alive now share one.
 * The KUnit run (tools/guest/kunit.sh) makes a second namespace first.
 */
static void xtcp_cookie__secrets_differ_between_namespaces(struct kunit *test)
{
	const siphash_key_t *keys[16];
	unsigned int n = 0, i, j;
	struct net *net;

	down_read(&net_rwsem);
	for_each_net(net) {
		if (n < ARRAY_SIZE(keys))
			keys[n++] = &xtcp_pernet(net)->cookie_key;
	}
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_NE(test, keys[i]->key[0] | keys[i]->key[1], 0ULL);
		/* Not the ISN secret either. */
		KUNIT_EXPECT_NE(test, keys[i]->key[0], xtcp_pernet(&init_net)->isn_key.key[0]);
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_FALSE(test, !memcmp(keys[i], keys[j], sizeof(*keys[i])));
	}
	up_read(&net_rwsem);
	if (n < 2)
		kunit_skip(test, "only one network namespace exists");
}

/* What a half-open connection costs: far below Linux 6.1's 304-byte request. */
static void xtcp_request__size(struct kunit *test)
{
	kunit_info(test, "request: %zu bytes (slab object %u)\n",
		   sizeof(struct xtcp_request), xtcp_request_size());
	KUNIT_EXPECT_LT(test, xtcp_request_size(), 304U);
}

/*
 * TCP_DEFER_ACCEPT keeps seconds as SYN-ACK timeouts of 1, 2, 4 ... 120 s: the
 * fewest that cover the seconds asked; read back, their sum (5 s -> 3 -> 7 s).
 */
static void xtcp_defer_accept__units(struct kunit *test)
{
	static const struct { int secs; u8 n; int back; } cases[] = {
		{ -5, 0, 0 }, { 0, 0, 0 }, { 1, 1, 1 }, { 2, 2, 3 }, { 3, 2, 3 },
		{ 4, 3, 7 }, { 5, 3, 7 }, { 7, 3, 7 }, { 8, 4, 15 }, { 127, 7, 127 },
		{ 128, 8, 247 },	/* 1 + 2 + ... + 64, then 120: the largest RTO */
		{ 1000000, 255, 127 + 120 * 248 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		u8 n = xtcp_defer_secs_to_timeouts(cases[i].secs);

		KUNIT_EXPECT_EQ_MSG(test, n, cases[i].n, "%d s", cases[i].secs);
		KUNIT_EXPECT_EQ_MSG(test, xtcp_defer_timeouts_to_secs(n), cases[i].back,
				    "%d s", cases[i].secs);
	}
}

/* Every option combination survives the round trip through the TSval. */
static void xtcp_cookie__ts_options_round_trip(struct kunit *test)
{
	struct xtcp_cookie_opts in, out;
	u32 now = 0x12345678, ts;
	int ws, bits;

	for (ws = -1; ws <= XTCP_MAX_WSCALE; ws++) {
		for (bits = 0; bits < 4; bits++) {
			in.wscale_ok = ws >= 0;
			in.wscale = ws >= 0 ? ws : 0;
			in.sack_ok = bits & 1;
			in.ecn = bits & 2;
			ts = xtcp_cookie_ts_make(now, &in);
			/* Never ahead of the clock, at most 127 ms behind it. */
			KUNIT_EXPECT_LE(test, ts, now);
			KUNIT_EXPECT_LT(test, now - ts, 128U);
			/* Echoed a second later: the same options. */
			KUNIT_ASSERT_EQ(test, xtcp_cookie_ts_check(ts, now + 1000, &out), 0);
			KUNIT_EXPECT_EQ(test, out.wscale_ok, in.wscale_ok);
			if (in.wscale_ok)
				KUNIT_EXPECT_EQ(test, out.wscale, in.wscale);
			KUNIT_EXPECT_EQ(test, out.sack_ok, in.sack_ok);
			KUNIT_EXPECT_EQ(test, out.ecn, in.ecn);
		}
	}
	/* A shift above 14 is sent as 14. */
	in.wscale_ok = true;
	in.wscale = 15;
	KUNIT_ASSERT_EQ(test, xtcp_cookie_ts_check(xtcp_cookie_ts_make(now, &in), now, &out), 0);
	KUNIT_EXPECT_EQ(test, out.wscale, 14);
}

/* An echo from the future, older than two cookie periods, or 0, is refused. */
static void xtcp_cookie__ts_echo_checked(struct kunit *test)
{
	struct xtcp_cookie_opts in = { .wscale_ok = true, .wscale = 7 }, out;
	u32 now = 0x40000000, ts = xtcp_cookie_ts_make(now, &in);

	KUNIT_EXPECT_EQ(test, xtcp_cookie_ts_check(ts, now + 120000, &out), 0);
	KUNIT_EXPECT_EQ(test, xtcp_cookie_ts_check(ts, now + 122000, &out), -ETIME);
	KUNIT_EXPECT_FALSE(test, out.wscale_ok);
	KUNIT_EXPECT_EQ(test, xtcp_cookie_ts_check(now + 5000, now, &out), -ETIME);
	KUNIT_EXPECT_EQ(test, xtcp_cookie_ts_check(0, 1000, &out), -ETIME);
	/* A TSval whose options would make it 0 is moved below it, never 0. */
	in.wscale = 0;
	ts = xtcp_cookie_ts_make(0x3f, &in);
	KUNIT_EXPECT_NE(test, ts, 0U);
	KUNIT_EXPECT_EQ(test, xtcp_cookie_ts_check(ts, 0x40, &out), 0);
	KUNIT_EXPECT_TRUE(test, out.wscale_ok);
	KUNIT_EXPECT_EQ(test, out.wscale, 0);
}

static struct kunit_case xtcp_cookie_cases[] = {
	KUNIT_CASE(xtcp_cookie__ts_options_round_trip),
	KUNIT_CASE(xtcp_cookie__ts_echo_checked),
	KUNIT_CASE(xtcp_cookie__mss_table),
	KUNIT_CASE(xtcp_cookie__round_trip),
	KUNIT_CASE(xtcp_cookie__expiry),
	KUNIT_CASE(xtcp_cookie__every_bit_matters),
	KUNIT_CASE(xtcp_cookie__key_matters),
	KUNIT_CASE(xtcp_cookie__secrets_differ_between_namespaces),
	KUNIT_CASE(xtcp_request__size),
	KUNIT_CASE(xtcp_defer_accept__units),
	{}
};

static struct kunit_suite xtcp_cookie_suite = {
	.name = "xtcp_syncookie",
	.test_cases = xtcp_cookie_cases,
};

kunit_test_suites(&xtcp_cookie_suite);
