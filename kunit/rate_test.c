// SPDX-License-Identifier: GPL-2.0
/*
 * rate_test.c - KUnit cases for module/rate.c: the delivery-rate samples
 * (send and ACK phases, the newest segment's snapshot, the least RTT,
 * application-limited samples, SACKed segments counted once) and the busy
 * time of TCP_INFO.
 */
#include <kunit/test.h>

#include "xtcp.h"

/* A segment of 1000 bytes at @seq, sent at @t_us with the sampler's snapshot. */
static void rate_send(struct xtcp_rate *r, struct xtcp_skb_cb *cb, u32 seq, u32 t_us,
		      u32 delivered, bool idle)
{
	memset(cb, 0, sizeof(*cb));
	cb->seq = seq;
	cb->end_seq = seq + 1000;
	cb->xmit_us = t_us;
	xtcp_rate_sent(r, cb, delivered, idle);
}

static void xtcp_rate__phases(struct kunit *test)
{
	struct xtcp_rate r = {};
	struct xtcp_rate_sample rs;
	struct xtcp_skb_cb cb[4];
	u32 i;

	/* Four segments from idle at 1000..1003 us. */
	for (i = 0; i < 4; i++)
		rate_send(&r, &cb[i], i * 1000, 1000 + i, 0, i == 0);
	KUNIT_EXPECT_EQ(test, cb[3].tx_first_us, 1000U);
	KUNIT_EXPECT_EQ(test, cb[3].tx_delivered_us, 1000U);
	/* An ACK of two at 11000: 2 segments over the 10000 us ACK phase. */
	xtcp_rate_sample_start(&rs);
	xtcp_rate_delivered(&r, &rs, &cb[0], false);
	xtcp_rate_delivered(&r, &rs, &cb[1], false);
	xtcp_rate_gen(&r, &rs, 2, 2, 11000, 0);
	KUNIT_EXPECT_EQ(test, rs.delivered, 2);
	KUNIT_EXPECT_EQ(test, rs.snd_interval_us, 1U);
	KUNIT_EXPECT_EQ(test, rs.rcv_interval_us, 10000U);
	KUNIT_EXPECT_EQ(test, rs.interval_us, 10000);
	KUNIT_EXPECT_EQ(test, rs.acked_sacked, 2U);
	KUNIT_EXPECT_EQ(test, xtcp_rate_bps(&r, 1000), 200000ULL);
	/* The next send phase starts at the newest segment delivered. */
	KUNIT_EXPECT_EQ(test, r.first_tx_us, 1001U);
	KUNIT_EXPECT_EQ(test, r.delivered_us, 11000U);
	/* Sent at 31001, after a pause: a send phase of 30000 us, longer than the ACKs'. */
	rate_send(&r, &cb[0], 4000, 31001, 2, false);
	xtcp_rate_sample_start(&rs);
	xtcp_rate_delivered(&r, &rs, &cb[2], false);
	xtcp_rate_delivered(&r, &rs, &cb[3], false);
	xtcp_rate_delivered(&r, &rs, &cb[0], false);
	xtcp_rate_gen(&r, &rs, 5, 3, 41001, 0);
	KUNIT_EXPECT_EQ(test, rs.prior_delivered, 2U);
	KUNIT_EXPECT_EQ(test, rs.snd_interval_us, 30000U);
	KUNIT_EXPECT_EQ(test, rs.rcv_interval_us, 30001U);
	KUNIT_EXPECT_EQ(test, rs.delivered, 3);
	KUNIT_EXPECT_EQ(test, rs.interval_us, 30001);
}

/* The newest transmission is the sample's; at the same time, the higher end. */
static void xtcp_rate__newest(struct kunit *test)
{
	struct xtcp_rate r = {};
	struct xtcp_rate_sample rs;
	struct xtcp_skb_cb a, b, c;

	rate_send(&r, &a, 0, 100, 0, true);
	rate_send(&r, &b, 1000, 100, 7, false);
	rate_send(&r, &c, 2000, 50, 9, false);	/* older, though further on */
	xtcp_rate_sample_start(&rs);
	xtcp_rate_delivered(&r, &rs, &c, false);
	KUNIT_EXPECT_EQ(test, rs.prior_delivered, 9U);
	xtcp_rate_delivered(&r, &rs, &a, false);
	KUNIT_EXPECT_EQ(test, rs.prior_delivered, 0U);
	xtcp_rate_delivered(&r, &rs, &b, false);
	KUNIT_EXPECT_EQ(test, rs.prior_delivered, 7U);
	KUNIT_EXPECT_EQ(test, rs.last_end_seq, 2000U);
	/* A retransmission as the newest: said so. */
	rate_send(&r, &b, 1000, 200, 8, false);
	b.txf |= XTCP_TXF_RETRANS;
	xtcp_rate_delivered(&r, &rs, &b, false);
	KUNIT_EXPECT_TRUE(test, rs.is_retrans);
}

/* SACKed whole, then acknowledged: one delivery for the sampler. */
static void xtcp_rate__sacked_once(struct kunit *test)
{
	struct xtcp_rate r = {};
	struct xtcp_rate_sample rs;
	struct xtcp_skb_cb a, b;

	rate_send(&r, &a, 0, 100, 0, true);
	rate_send(&r, &b, 1000, 200, 0, false);
	xtcp_rate_sample_start(&rs);
	xtcp_rate_delivered(&r, &rs, &b, true);
	xtcp_rate_gen(&r, &rs, 1, 1, 10200, 0);
	KUNIT_EXPECT_EQ(test, rs.delivered, 1);
	xtcp_rate_sample_start(&rs);
	xtcp_rate_delivered(&r, &rs, &b, false);
	KUNIT_EXPECT_FALSE(test, rs.prior_valid);
	xtcp_rate_delivered(&r, &rs, &a, false);
	KUNIT_EXPECT_TRUE(test, rs.prior_valid);
	KUNIT_EXPECT_EQ(test, rs.last_end_seq, 1000U);
	/* Sent again, it counts again. */
	rate_send(&r, &b, 1000, 300, 2, false);
	KUNIT_EXPECT_FALSE(test, b.txf & XTCP_TXF_RATED);
}

/* No snapshot delivered, or a sample shorter than the least RTT: none. */
static void xtcp_rate__no_sample(struct kunit *test)
{
	struct xtcp_rate r = {};
	struct xtcp_rate_sample rs;
	struct xtcp_skb_cb a;

	xtcp_rate_sample_start(&rs);
	KUNIT_EXPECT_EQ(test, rs.rtt_us, -1);
	xtcp_rate_gen(&r, &rs, 0, 0, 5000, 0);
	KUNIT_EXPECT_EQ(test, rs.delivered, -1);
	KUNIT_EXPECT_EQ(test, rs.interval_us, -1);
	rate_send(&r, &a, 0, 1000, 0, true);
	xtcp_rate_sample_start(&rs);
	xtcp_rate_delivered(&r, &rs, &a, false);
	xtcp_rate_gen(&r, &rs, 1, 1, 1500, 1000);
	KUNIT_EXPECT_EQ(test, rs.delivered, 1);
	KUNIT_EXPECT_EQ(test, rs.interval_us, -1);
	KUNIT_EXPECT_EQ(test, xtcp_rate_bps(&r, 1000), 0ULL);
	/* The clock's low 32 bits wrap: differences stay right. */
	r = (struct xtcp_rate){};
	rate_send(&r, &a, 0, 0xfffffc18, 0, true);
	xtcp_rate_sample_start(&rs);
	xtcp_rate_delivered(&r, &rs, &a, false);
	xtcp_rate_gen(&r, &rs, 1, 1, 1000, 0);
	KUNIT_EXPECT_EQ(test, rs.interval_us, 2000);
}

/*
 * Application-limited: what is in flight when the application ran dry marks
 * the samples of its segments; TCP_INFO keeps such a sample only if higher.
 */
static void xtcp_rate__app_limited(struct kunit *test)
{
	struct xtcp_rate r = {};
	struct xtcp_rate_sample rs;
	struct xtcp_skb_cb a, b, c;

	/* A network-limited sample first: 4 segments per 10 ms. */
	r.rate_delivered = 4;
	r.rate_interval_us = 10000;
	xtcp_rate_app_limited(&r, 10, 2);
	KUNIT_EXPECT_EQ(test, r.app_limited, 12U);
	rate_send(&r, &a, 0, 1000, 10, true);
	KUNIT_EXPECT_TRUE(test, a.txf & XTCP_TXF_APP_LIMITED);
	/* 1 segment in 10 ms: app-limited and lower, not kept. */
	xtcp_rate_sample_start(&rs);
	xtcp_rate_delivered(&r, &rs, &a, false);
	xtcp_rate_gen(&r, &rs, 11, 1, 11000, 0);
	KUNIT_EXPECT_TRUE(test, rs.is_app_limited);
	KUNIT_EXPECT_EQ(test, r.rate_delivered, 4U);
	KUNIT_EXPECT_EQ(test, r.app_limited, 12U);
	/* 5 in 10 ms, app-limited but higher: kept, and said so. */
	rate_send(&r, &b, 1000, 11000, 11, false);
	xtcp_rate_sample_start(&rs);
	xtcp_rate_delivered(&r, &rs, &b, false);
	xtcp_rate_gen(&r, &rs, 16, 5, 21000, 0);
	KUNIT_EXPECT_EQ(test, r.rate_delivered, 5U);
	KUNIT_EXPECT_TRUE(test, r.rate_app_limited);
	/* Past the mark the period is over: new segments are not marked. */
	KUNIT_EXPECT_EQ(test, r.app_limited, 0U);
	rate_send(&r, &c, 2000, 21000, 16, false);
	KUNIT_EXPECT_FALSE(test, c.txf & XTCP_TXF_APP_LIMITED);
	/* Nothing delivered nor in flight: the mark is 1, never 0 (none). */
	xtcp_rate_app_limited(&r, 0, 0);
	KUNIT_EXPECT_EQ(test, r.app_limited, 1U);
}

/* Idle time does not count as busy time. */
static void xtcp_rate__busy_and_idle(struct kunit *test)
{
	struct xtcp_rate r = {};

	KUNIT_EXPECT_EQ(test, xtcp_rate_busy_us(&r, 5000), 0ULL);
	xtcp_rate_busy(&r, true, 1000);
	xtcp_rate_busy(&r, true, 2000);		/* still the same period */
	KUNIT_EXPECT_EQ(test, xtcp_rate_busy_us(&r, 4000), 3000ULL);
	xtcp_rate_busy(&r, false, 4500);
	KUNIT_EXPECT_EQ(test, xtcp_rate_busy_us(&r, 90000), 3500ULL);
	xtcp_rate_busy(&r, false, 5000);
	KUNIT_EXPECT_EQ(test, xtcp_rate_busy_us(&r, 90000), 3500ULL);
	xtcp_rate_busy(&r, true, 1005000);
	KUNIT_EXPECT_EQ(test, xtcp_rate_busy_us(&r, 1010000), 8500ULL);
}

static struct kunit_case xtcp_rate_cases[] = {
	KUNIT_CASE(xtcp_rate__phases),
	KUNIT_CASE(xtcp_rate__newest),
	KUNIT_CASE(xtcp_rate__sacked_once),
	KUNIT_CASE(xtcp_rate__no_sample),
	KUNIT_CASE(xtcp_rate__app_limited),
	KUNIT_CASE(xtcp_rate__busy_and_idle),
	{}
};

static struct kunit_suite xtcp_rate_suite = {
	.name = "xtcp_rate",
	.test_cases = xtcp_rate_cases,
};

kunit_test_suites(&xtcp_rate_suite);
