// SPDX-License-Identifier: GPL-2.0
/*
 * recovery_test.c - KUnit cases for module/recovery.c: RFC 6675's IsLost, pipe
 * and NextSeg over a scoreboard, PRR's sends (RFC 6937) on the two examples
 * of its section 5, played ACK by ACK through the same functions the sender
 * uses, the tail loss probe's timeout (RFC 8985 7.2) and F-RTO's verdicts
 * (RFC 5682).
 */
#include <kunit/test.h>

#include "seq.h"
#include "xtcp.h"

static void xtcp_rec_sack(struct xtcp_scoreboard *sb, u32 start, u32 end, u32 una,
			  u32 snd_max)
{
	struct xtcp_sack_block b = { start, end };
	unsigned int bad = 0;
	bool dsack = false;

	xtcp_sb_update(sb, &b, 1, una, snd_max, &bad, &dsack);
}

/* IsLost: three ranges above, or more than two segments' bytes. */
static void xtcp_recovery__lost_end(struct kunit *test)
{
	struct xtcp_scoreboard sb;

	xtcp_sb_reset(&sb);
	KUNIT_EXPECT_EQ(test, xtcp_rec_lost_end(&sb, 1000, 100), 1000U);
	/* Two segments SACKed: not yet. */
	xtcp_rec_sack(&sb, 1200, 1400, 1000, 9000);
	KUNIT_EXPECT_EQ(test, xtcp_rec_lost_end(&sb, 1000, 100), 1000U);
	/* One byte more: what lies below the range is lost. */
	xtcp_rec_sack(&sb, 1400, 1401, 1000, 9000);
	KUNIT_EXPECT_EQ(test, xtcp_rec_lost_end(&sb, 1000, 100), 1200U);
	/* Three small ranges higher up: below the lowest of them. */
	xtcp_rec_sack(&sb, 2000, 2010, 1000, 9000);
	xtcp_rec_sack(&sb, 2100, 2110, 1000, 9000);
	KUNIT_EXPECT_EQ(test, xtcp_rec_lost_end(&sb, 1000, 100), 1200U);
	xtcp_rec_sack(&sb, 2200, 2210, 1000, 9000);
	KUNIT_EXPECT_EQ(test, xtcp_rec_lost_end(&sb, 1000, 100), 2000U);
	/* A bigger MSS needs more bytes; the three ranges still count. */
	KUNIT_EXPECT_EQ(test, xtcp_rec_lost_end(&sb, 1000, 1460), 2000U);
}

/* SetPipe: neither SACKed nor lost, plus each sent again. */
static void xtcp_recovery__pipe(struct kunit *test)
{
	struct xtcp_scoreboard sb;

	xtcp_sb_reset(&sb);
	KUNIT_EXPECT_EQ(test, xtcp_rec_pipe(&sb, 1000, 2000, 1000, 1000, 100), 10U);
	KUNIT_EXPECT_EQ(test, xtcp_rec_pipe(&sb, 1000, 1000, 1000, 1000, 100), 0U);
	/* A part segment counts as one. */
	KUNIT_EXPECT_EQ(test, xtcp_rec_pipe(&sb, 1000, 1050, 1000, 1000, 100), 1U);
	xtcp_rec_sack(&sb, 1200, 1300, 1000, 2000);
	xtcp_rec_sack(&sb, 1500, 1600, 1000, 2000);
	KUNIT_EXPECT_EQ(test, xtcp_rec_pipe(&sb, 1000, 2000, 1000, 1000, 100), 8U);
	/* [1000, 1200) lost: out; [1000, 1100) sent again: back in. */
	KUNIT_EXPECT_EQ(test, xtcp_rec_pipe(&sb, 1000, 2000, 1200, 1100, 100), 7U);
	/* HighRxt beyond SND.NXT, the lost end beyond it: clamped. */
	KUNIT_EXPECT_EQ(test, xtcp_rec_pipe(&sb, 1000, 2000, 3000, 3000, 100), 8U);
}

/* NextSeg: the first hole from HighRxt below the bound, SACKed ranges skipped. */
static void xtcp_recovery__next_hole(struct kunit *test)
{
	struct xtcp_scoreboard sb;
	u32 s = 0, e = 0;

	xtcp_sb_reset(&sb);
	/* Nothing SACKed, the head lost (recovery's first retransmission). */
	KUNIT_EXPECT_TRUE(test, xtcp_rec_next_hole(&sb, 1000, 1000, 1100, &s, &e));
	KUNIT_EXPECT_EQ(test, s, 1000U);
	KUNIT_EXPECT_EQ(test, e, 1100U);
	KUNIT_EXPECT_FALSE(test, xtcp_rec_next_hole(&sb, 1000, 1100, 1100, &s, &e));
	xtcp_rec_sack(&sb, 1200, 1300, 1000, 2000);
	xtcp_rec_sack(&sb, 1500, 1600, 1000, 2000);
	KUNIT_EXPECT_TRUE(test, xtcp_rec_next_hole(&sb, 1000, 1000, 1500, &s, &e));
	KUNIT_EXPECT_EQ(test, s, 1000U);
	KUNIT_EXPECT_EQ(test, e, 1200U);
	/* From inside a hole, and from inside a range. */
	KUNIT_EXPECT_TRUE(test, xtcp_rec_next_hole(&sb, 1000, 1100, 1500, &s, &e));
	KUNIT_EXPECT_EQ(test, s, 1100U);
	KUNIT_EXPECT_TRUE(test, xtcp_rec_next_hole(&sb, 1000, 1250, 1500, &s, &e));
	KUNIT_EXPECT_EQ(test, s, 1300U);
	KUNIT_EXPECT_EQ(test, e, 1500U);
	/* Nothing SACKed above what is left: no hole (rule 3's bound). */
	KUNIT_EXPECT_FALSE(test, xtcp_rec_next_hole(&sb, 1000, 1500, 1500, &s, &e));
	/* The bound cuts a hole. */
	KUNIT_EXPECT_TRUE(test, xtcp_rec_next_hole(&sb, 1000, 1000, 1150, &s, &e));
	KUNIT_EXPECT_EQ(test, e, 1150U);
}

/*
 * A sender of one-byte segments (so that bytes are segments), played ACK by
 * ACK as input.c and output.c play it: the ACK into the scoreboard, three
 * duplicates or a lost head start the recovery with ssthresh half the flight,
 * PRR sets the window, and what it allows goes: lost holes first (NextSeg
 * rule 1), then new data.
 */
struct xtcp_rec_sim {
	struct xtcp_scoreboard sb;
	struct xtcp_prr prr;
	u32 una, nxt, high_rxt, cwnd, ssthresh, dupacks;
	bool recovery;
	unsigned int rtx, sent;
};

static u32 xtcp_rec_sim_lost_end(const struct xtcp_rec_sim *m)
{
	u32 end = xtcp_rec_lost_end(&m->sb, m->una, 1);

	if (!m->recovery)
		return m->una;
	return xtcp_seq_before(end, m->una + 1) ? m->una + 1 : end;
}

static u32 xtcp_rec_sim_pipe(const struct xtcp_rec_sim *m)
{
	return xtcp_rec_pipe(&m->sb, m->una, m->nxt, xtcp_rec_sim_lost_end(m), m->high_rxt, 1);
}

/* The peer SACKs segment @seg; returns how many segments went in answer. */
static unsigned int xtcp_rec_sim_ack(struct xtcp_rec_sim *m, u32 seg)
{
	struct xtcp_sack_block b = { seg, seg + 1 };
	unsigned int bad = 0, before = m->rtx + m->sent;
	bool dsack = false;
	u32 news, s, e;

	news = xtcp_sb_update(&m->sb, &b, 1, m->una, m->nxt, &bad, &dsack);
	if (!m->recovery) {
		m->dupacks++;
		if (m->dupacks >= XTCP_DUPTHRESH ||
		    xtcp_seq_after(xtcp_rec_lost_end(&m->sb, m->una, 1), m->una)) {
			m->recovery = true;
			m->ssthresh = (m->nxt - m->una) / 2;
			m->high_rxt = m->una;
			xtcp_prr_init(&m->prr, m->nxt - m->una);
		}
	}
	if (m->recovery)
		m->cwnd = xtcp_prr_cwnd(&m->prr, news, xtcp_rec_sim_pipe(m), m->ssthresh);
	while (m->cwnd > xtcp_rec_sim_pipe(m)) {
		if (m->recovery &&
		    xtcp_rec_next_hole(&m->sb, m->una, m->high_rxt, xtcp_rec_sim_lost_end(m),
				       &s, &e)) {
			m->high_rxt = s + 1;
			m->rtx++;
		} else {
			m->nxt++;
			m->sent++;
		}
		if (m->recovery)
			m->prr.out++;
	}
	return m->rtx + m->sent - before;
}

static void xtcp_rec_sim_start(struct xtcp_rec_sim *m, u32 flight)
{
	memset(m, 0, sizeof(*m));
	xtcp_sb_reset(&m->sb);
	m->nxt = flight;
	m->cwnd = flight;
}

/*
 * RFC 6937 5, the first example: 20 segments out, the first lost, every later
 * one SACKed in turn. Limited transmit sends a new one on each of the first
 * two ACKs; the third starts the recovery (ssthresh 11 of a flight of 22) and
 * sends the lost one; then PRR sends on every other ACK (11 / 22 of what is
 * delivered) while the pipe is above ssthresh, never a burst, and the pipe
 * ends at ssthresh.
 */
static void xtcp_recovery__prr_one_loss(struct kunit *test)
{
	struct xtcp_rec_sim m;
	unsigned int seg, n;

	xtcp_rec_sim_start(&m, 20);
	KUNIT_EXPECT_EQ(test, xtcp_rec_sim_ack(&m, 1), 1U);
	KUNIT_EXPECT_EQ(test, xtcp_rec_sim_ack(&m, 2), 1U);
	KUNIT_EXPECT_FALSE(test, m.recovery);
	KUNIT_EXPECT_EQ(test, xtcp_rec_sim_ack(&m, 3), 1U);
	KUNIT_ASSERT_TRUE(test, m.recovery);
	KUNIT_EXPECT_EQ(test, m.rtx, 1U);
	KUNIT_EXPECT_EQ(test, m.ssthresh, 11U);
	KUNIT_EXPECT_EQ(test, m.prr.recover_fs, 22U);
	for (seg = 4; seg < 22; seg++) {
		n = xtcp_rec_sim_ack(&m, seg);
		KUNIT_EXPECT_LE_MSG(test, n, 1U, "ACK of %u: a burst", seg);
		/* While the pipe is above ssthresh: one send per two ACKs. */
		if (seg <= 16)
			KUNIT_EXPECT_EQ_MSG(test, m.prr.out,
					    DIV_ROUND_UP(m.prr.delivered * 11, 22),
					    "ACK of %u", seg);
		KUNIT_EXPECT_GE(test, xtcp_rec_sim_pipe(&m), 11U);
	}
	/* The pipe ends at ssthresh; the hole went once. */
	KUNIT_EXPECT_EQ(test, m.prr.delivered, 19U);
	KUNIT_EXPECT_EQ(test, m.rtx, 1U);
	KUNIT_EXPECT_EQ(test, m.prr.out, 11U);
	KUNIT_EXPECT_EQ(test, xtcp_rec_sim_pipe(&m), 11U);
}

/*
 * RFC 6937 5, the second example: of 20 segments only the last five arrive.
 * The pipe falls far below ssthresh; PRR's slow-start reduction bound then
 * lets it grow by at most one more segment than each ACK delivers, the lost
 * holes first, and never past ssthresh.
 */
static void xtcp_recovery__prr_heavy_loss(struct kunit *test)
{
	struct xtcp_rec_sim m;
	unsigned int n;
	u32 seg;

	xtcp_rec_sim_start(&m, 20);
	KUNIT_EXPECT_EQ(test, xtcp_rec_sim_ack(&m, 15), 1U);
	KUNIT_EXPECT_EQ(test, xtcp_rec_sim_ack(&m, 16), 1U);
	KUNIT_EXPECT_EQ(test, xtcp_rec_sim_ack(&m, 17), 2U);
	KUNIT_ASSERT_TRUE(test, m.recovery);
	KUNIT_EXPECT_EQ(test, m.ssthresh, 11U);
	/* The lost 0 and 1 went, nothing new. */
	KUNIT_EXPECT_EQ(test, m.rtx, 2U);
	KUNIT_EXPECT_EQ(test, m.high_rxt, 2U);
	for (seg = 18; seg < 22; seg++) {
		n = xtcp_rec_sim_ack(&m, seg);
		KUNIT_EXPECT_EQ_MSG(test, n, 2U, "ACK of %u: slow start's pace", seg);
		KUNIT_EXPECT_LE(test, xtcp_rec_sim_pipe(&m), m.ssthresh);
	}
	/* All of it holes, in order. */
	KUNIT_EXPECT_EQ(test, m.rtx, 10U);
	KUNIT_EXPECT_EQ(test, m.sent, 2U);
	KUNIT_EXPECT_EQ(test, m.high_rxt, 10U);
}

/* PRR's arithmetic alone: the first ACK always lets the retransmission go. */
static void xtcp_recovery__prr_bounds(struct kunit *test)
{
	struct xtcp_prr p;

	xtcp_prr_init(&p, 0);
	KUNIT_EXPECT_EQ(test, p.recover_fs, 1U);
	xtcp_prr_init(&p, 100);
	/* Nothing delivered, pipe above ssthresh: still the one retransmission. */
	KUNIT_EXPECT_EQ(test, xtcp_prr_cwnd(&p, 0, 80, 50), 81U);
	p.out = 1;
	KUNIT_EXPECT_EQ(test, xtcp_prr_cwnd(&p, 0, 80, 50), 80U);
	/* At ssthresh: nothing more. */
	KUNIT_EXPECT_EQ(test, xtcp_prr_cwnd(&p, 0, 50, 50), 50U);
	/* Huge counts do not wrap. */
	KUNIT_EXPECT_LE(test, xtcp_prr_cwnd(&p, U32_MAX, 10, U32_MAX), (u32)XTCP_MAX_CWND);
	KUNIT_EXPECT_EQ(test, p.delivered, U32_MAX);
	KUNIT_EXPECT_LE(test, xtcp_prr_cwnd(&p, U32_MAX, U32_MAX, 10), (u32)XTCP_MAX_CWND);
}

/* TLP's PTO: two round trips, a delayed ACK more for a lone segment, under the RTO. */
static void xtcp_recovery__tlp_timeout(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xtcp_tlp_timeout_us(50000, 10, 1000000), 100000U);
	KUNIT_EXPECT_EQ(test, xtcp_tlp_timeout_us(50000, 1, 1000000), 300000U);
	KUNIT_EXPECT_EQ(test, xtcp_tlp_timeout_us(50000, 0, 1000000), 300000U);
	/* No RTT sample yet: a second, if the RTO is longer. */
	KUNIT_EXPECT_EQ(test, xtcp_tlp_timeout_us(0, 4, 3000000), 1000000U);
	/* Not before the RTO: none (the RTO is armed instead). */
	KUNIT_EXPECT_EQ(test, xtcp_tlp_timeout_us(0, 4, 1000000), 0U);
	KUNIT_EXPECT_EQ(test, xtcp_tlp_timeout_us(400000, 1, 1000000), 0U);
	KUNIT_EXPECT_EQ(test, xtcp_tlp_timeout_us(400000, 2, 1000000), 800000U);
	/* A huge SRTT does not wrap into a short probe. */
	KUNIT_EXPECT_EQ(test, xtcp_tlp_timeout_us(U32_MAX, 2, U32_MAX), 0U);
}

/* F-RTO's verdicts (RFC 5682 2.1): the timeout sent [1000, 1100) again. */
static void xtcp_recovery__frto(struct kunit *test)
{
	/* Neither new data acknowledged nor a duplicate (a window update). */
	KUNIT_EXPECT_EQ(test, xtcp_frto_verdict(1, false, false, 1000, 1100, 5000, true),
			XTCP_FRTO_WAIT);
	KUNIT_EXPECT_EQ(test, xtcp_frto_verdict(2, false, false, 1100, 1100, 5200, true),
			XTCP_FRTO_WAIT);
	/* 2b: what went again acknowledged, not all, new data waiting. */
	KUNIT_EXPECT_EQ(test, xtcp_frto_verdict(1, true, false, 1100, 1100, 5000, true),
			XTCP_FRTO_NEW_DATA);
	KUNIT_EXPECT_EQ(test, xtcp_frto_verdict(1, true, false, 3000, 1100, 5000, true),
			XTCP_FRTO_NEW_DATA);
	/* 2a: a duplicate, part of it, all, or no new data: go-back-N. */
	KUNIT_EXPECT_EQ(test, xtcp_frto_verdict(1, false, true, 1000, 1100, 5000, true),
			XTCP_FRTO_GOBACK);
	KUNIT_EXPECT_EQ(test, xtcp_frto_verdict(1, true, false, 1050, 1100, 5000, true),
			XTCP_FRTO_GOBACK);
	KUNIT_EXPECT_EQ(test, xtcp_frto_verdict(1, true, false, 5000, 1100, 5000, true),
			XTCP_FRTO_GOBACK);
	KUNIT_EXPECT_EQ(test, xtcp_frto_verdict(1, true, false, 1100, 1100, 5000, false),
			XTCP_FRTO_GOBACK);
	/* 3b: the second ACK acknowledges more: spurious. 3a: a duplicate. */
	KUNIT_EXPECT_EQ(test, xtcp_frto_verdict(2, true, false, 2000, 1100, 5200, true),
			XTCP_FRTO_SPURIOUS);
	KUNIT_EXPECT_EQ(test, xtcp_frto_verdict(2, false, true, 1100, 1100, 5200, true),
			XTCP_FRTO_GOBACK);
	/* Across the 2^32 wrap. */
	KUNIT_EXPECT_EQ(test, xtcp_frto_verdict(1, true, false, 20, U32_MAX - 80, 500, true),
			XTCP_FRTO_NEW_DATA);
	KUNIT_EXPECT_EQ(test, xtcp_frto_verdict(1, true, false, U32_MAX - 90, U32_MAX - 80,
						500, true), XTCP_FRTO_GOBACK);
}

static struct kunit_case xtcp_recovery_cases[] = {
	KUNIT_CASE(xtcp_recovery__lost_end),
	KUNIT_CASE(xtcp_recovery__pipe),
	KUNIT_CASE(xtcp_recovery__next_hole),
	KUNIT_CASE(xtcp_recovery__prr_one_loss),
	KUNIT_CASE(xtcp_recovery__prr_heavy_loss),
	KUNIT_CASE(xtcp_recovery__prr_bounds),
	KUNIT_CASE(xtcp_recovery__tlp_timeout),
	KUNIT_CASE(xtcp_recovery__frto),
	{}
};

static struct kunit_suite xtcp_recovery_suite = {
	.name = "xtcp_recovery",
	.test_cases = xtcp_recovery_cases,
};

kunit_test_suites(&xtcp_recovery_suite);
