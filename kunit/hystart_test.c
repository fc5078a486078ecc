// SPDX-License-Identifier: GPL-2.0
/*
 * hystart_test.c - KUnit cases for module/hystart.c: HyStart++ (RFC 9406)
 * played round by round: when a rise of the least RTT ends slow start, the
 * threshold's bounds, the samples a decision needs, Conservative Slow
 * Start's growth, its return to slow start and its end.
 */
#include <kunit/test.h>

#include "xtcp.h"

/*
 * A sender in slow start: every ACK acknowledges one segment; a round is
 * @n ACKs (the first round one fewer: the ACK that reaches a round's end
 * begins the next).
 */
struct xtcp_hs_sim {
	struct xtcp_hystart h;
	u32 una;
	u32 n;
	u32 grown;	/* CSS's growth so far */
};

static void xtcp_hs_sim_init(struct xtcp_hs_sim *s, u32 n)
{
	xtcp_hystart_reset(&s->h);
	s->una = 0;
	s->n = n;
	s->grown = 0;
}

static enum xtcp_hs_verdict xtcp_hs_ack(struct xtcp_hs_sim *s, s32 rtt_us)
{
	u32 ack = ++s->una, nxt = (ack / s->n + 1) * s->n, grow;
	enum xtcp_hs_verdict v;

	v = xtcp_hystart_ack(&s->h, ack, nxt, 1, rtt_us, &grow);
	s->grown += grow;
	return v;
}

/* The rest of the current round at @rtt_us; the last ACK's verdict. */
static enum xtcp_hs_verdict xtcp_hs_round(struct xtcp_hs_sim *s, s32 rtt_us)
{
	enum xtcp_hs_verdict v;

	do {
		v = xtcp_hs_ack(s, rtt_us);
	} while (v != XTCP_HS_EXIT && (s->una + 1) % s->n);
	return v;
}

/* The same RTT round after round: slow start throughout. */
static void xtcp_hystart__steady(struct kunit *test)
{
	struct xtcp_hs_sim s;
	int r;

	xtcp_hs_sim_init(&s, 10);
	for (r = 0; r < 6; r++)
		KUNIT_EXPECT_EQ(test, xtcp_hs_round(&s, 100000), XTCP_HS_SLOW_START);
	KUNIT_EXPECT_FALSE(test, s.h.in_css);
	KUNIT_EXPECT_EQ(test, s.h.last_round_min, 100000U);
	KUNIT_EXPECT_EQ(test, s.grown, 0U);
}

/*
 * A rise of an eighth: CSS at the round's eighth sample, a quarter of slow
 * start's growth, and after five rounds in it, congestion avoidance.
 */
static void xtcp_hystart__css_then_exit(struct kunit *test)
{
	struct xtcp_hs_sim s;
	int i, r;

	xtcp_hs_sim_init(&s, 10);
	xtcp_hs_round(&s, 100000);
	xtcp_hs_round(&s, 100000);
	/* 112.5 ms is the threshold: seven samples decide nothing. */
	for (i = 0; i < 7; i++)
		KUNIT_EXPECT_EQ(test, xtcp_hs_ack(&s, 113000), XTCP_HS_SLOW_START);
	KUNIT_EXPECT_EQ(test, xtcp_hs_ack(&s, 113000), XTCP_HS_CSS);
	KUNIT_EXPECT_TRUE(test, s.h.in_css);
	KUNIT_EXPECT_EQ(test, s.h.css_baseline, 113000U);
	/* Two more ACKs end the round: one segment per four acknowledged. */
	KUNIT_EXPECT_EQ(test, xtcp_hs_round(&s, 113000), XTCP_HS_CSS);
	KUNIT_EXPECT_EQ(test, s.grown, 0U);
	for (r = 0; r < 3; r++)
		KUNIT_EXPECT_EQ(test, xtcp_hs_round(&s, 113000), XTCP_HS_CSS);
	/* 3 + 30 segments acknowledged in CSS: 8 more in the window. */
	KUNIT_EXPECT_EQ(test, s.grown, 8U);
	KUNIT_EXPECT_EQ(test, s.h.css_rounds, 3);
	KUNIT_EXPECT_EQ(test, xtcp_hs_round(&s, 113000), XTCP_HS_CSS);
	/* The fifth round's end: congestion avoidance, and HyStart++ is done. */
	KUNIT_EXPECT_EQ(test, xtcp_hs_ack(&s, 113000), XTCP_HS_EXIT);
	KUNIT_EXPECT_TRUE(test, s.h.done);
	KUNIT_EXPECT_EQ(test, xtcp_hs_ack(&s, 500000), XTCP_HS_SLOW_START);
}

/* Below the threshold: slow start goes on. */
static void xtcp_hystart__small_rise(struct kunit *test)
{
	struct xtcp_hs_sim s;
	int r;

	xtcp_hs_sim_init(&s, 10);
	xtcp_hs_round(&s, 100000);
	for (r = 0; r < 5; r++)
		KUNIT_EXPECT_EQ(test, xtcp_hs_round(&s, 100000 + 12000 * (r & 1)),
				XTCP_HS_SLOW_START);
	KUNIT_EXPECT_FALSE(test, s.h.in_css);
}

/* The threshold is an eighth of the last round's least RTT, within 4 and 16 ms. */
static void xtcp_hystart__thresholds(struct kunit *test)
{
	static const struct {
		s32 last, now;
		bool css;
	} cases[] = {
		{ 20000, 23999, false },	/* 2.5 ms is raised to 4 */
		{ 20000, 24000, true },
		{ 400000, 415999, false },	/* 50 ms is cut to 16 */
		{ 400000, 416000, true },
		{ 80000, 89999, false },	/* 10 ms */
		{ 80000, 90000, true },
	};
	struct xtcp_hs_sim s;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		xtcp_hs_sim_init(&s, 10);
		xtcp_hs_round(&s, cases[i].last);
		xtcp_hs_round(&s, cases[i].last);
		xtcp_hs_round(&s, cases[i].now);
		KUNIT_EXPECT_EQ_MSG(test, s.h.in_css, cases[i].css, "last %d now %d",
				    cases[i].last, cases[i].now);
	}
}

/* Rounds of fewer than eight samples decide nothing, whatever the RTT does. */
static void xtcp_hystart__too_few_samples(struct kunit *test)
{
	struct xtcp_hs_sim s;
	int r;

	xtcp_hs_sim_init(&s, 8);	/* 8 ACKs a round, 7 of them with a sample */
	for (r = 0; r < 6; r++) {
		int i;

		for (i = 0; i < 8; i++)
			KUNIT_EXPECT_EQ(test, xtcp_hs_ack(&s, i ? 50000 * (r + 1) : -1),
					XTCP_HS_SLOW_START);
	}
	KUNIT_EXPECT_FALSE(test, s.h.in_css);
}

/* The RTT falls back below CSS's baseline: slow start again. */
static void xtcp_hystart__css_back_to_slow_start(struct kunit *test)
{
	struct xtcp_hs_sim s;

	xtcp_hs_sim_init(&s, 10);
	xtcp_hs_round(&s, 100000);
	xtcp_hs_round(&s, 100000);
	KUNIT_EXPECT_EQ(test, xtcp_hs_round(&s, 120000), XTCP_HS_CSS);
	/* The next round's RTT is lower than the baseline: at its eighth sample. */
	KUNIT_EXPECT_EQ(test, xtcp_hs_round(&s, 110000), XTCP_HS_SLOW_START);
	KUNIT_EXPECT_FALSE(test, s.h.in_css);
	/* It may come back later, and then counts its rounds anew. */
	KUNIT_EXPECT_EQ(test, xtcp_hs_round(&s, 130000), XTCP_HS_CSS);
	KUNIT_EXPECT_EQ(test, s.h.css_rounds, 0);
}

/* A loss ends it: no more CSS, samples ignored. */
static void xtcp_hystart__loss(struct kunit *test)
{
	struct xtcp_hs_sim s;

	xtcp_hs_sim_init(&s, 10);
	xtcp_hs_round(&s, 100000);
	xtcp_hs_round(&s, 100000);
	KUNIT_EXPECT_EQ(test, xtcp_hs_round(&s, 120000), XTCP_HS_CSS);
	xtcp_hystart_loss(&s.h);
	KUNIT_EXPECT_TRUE(test, s.h.done);
	KUNIT_EXPECT_EQ(test, xtcp_hs_round(&s, 200000), XTCP_HS_SLOW_START);
	KUNIT_EXPECT_EQ(test, xtcp_hs_round(&s, 400000), XTCP_HS_SLOW_START);
	KUNIT_EXPECT_FALSE(test, s.h.in_css);
}

static struct kunit_case xtcp_hystart_cases[] = {
	KUNIT_CASE(xtcp_hystart__steady),
	KUNIT_CASE(xtcp_hystart__css_then_exit),
	KUNIT_CASE(xtcp_hystart__small_rise),
	KUNIT_CASE(xtcp_hystart__thresholds),
	KUNIT_CASE(xtcp_hystart__too_few_samples),
	KUNIT_CASE(xtcp_hystart__css_back_to_slow_start),
	KUNIT_CASE(xtcp_hystart__loss),
	{}
};

static struct kunit_suite xtcp_hystart_suite = {
	.name = "xtcp_hystart",
	.test_cases = xtcp_hystart_cases,
};

kunit_test_suites(&xtcp_hystart_suite);
