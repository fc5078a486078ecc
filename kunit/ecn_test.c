// SPDX-License-Identifier: GPL-2.0
/*
 * ecn_test.c - KUnit cases for module/ecn.c and the ECN reduction of
 * module/cwnd.c (RFC 3168): the handshake's agreement, the receiver's echo
 * from CE to CWR, the marks each kind of segment carries, and the sender's
 * reduction, once per window of data, paced by PRR.
 */
#include <kunit/test.h>

#include "xtcp.h"

#define ECE	XTCPHDR_ECE
#define CWR	XTCPHDR_CWR
#define SYN	XTCPHDR_SYN
#define ACK	XTCPHDR_ACK

static void xtcp_ecn__synack(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, xtcp_ecn_synack_agrees(SYN | ACK | ECE));
	/* Both: a reflection of our SYN's flags, no agreement (6.1.1). */
	KUNIT_EXPECT_FALSE(test, xtcp_ecn_synack_agrees(SYN | ACK | ECE | CWR));
	KUNIT_EXPECT_FALSE(test, xtcp_ecn_synack_agrees(SYN | ACK | CWR));
	KUNIT_EXPECT_FALSE(test, xtcp_ecn_synack_agrees(SYN | ACK));
}

static void xtcp_ecn__syn(struct kunit *test)
{
	int sysctl;

	for (sysctl = 1; sysctl <= 2; sysctl++) {
		KUNIT_EXPECT_TRUE(test, xtcp_ecn_syn_acceptable(sysctl, SYN | ECE | CWR, false));
		KUNIT_EXPECT_FALSE(test, xtcp_ecn_syn_acceptable(sysctl, SYN | ECE, false));
		KUNIT_EXPECT_FALSE(test, xtcp_ecn_syn_acceptable(sysctl, SYN | CWR, false));
		KUNIT_EXPECT_FALSE(test, xtcp_ecn_syn_acceptable(sysctl, SYN, false));
		/* An ECT SYN: the path rewrites the field. */
		KUNIT_EXPECT_FALSE(test, xtcp_ecn_syn_acceptable(sysctl, SYN | ECE | CWR, true));
	}
	KUNIT_EXPECT_FALSE(test, xtcp_ecn_syn_acceptable(0, SYN | ECE | CWR, false));
}

static void xtcp_ecn__echo_until_cwr(struct kunit *test)
{
	u8 ecn = XTCP_ECN_OK;
	bool now = false;

	/* ECT data: seen, nothing to echo, the ACK may wait. */
	ecn = xtcp_ecn_rcv(ecn, ACK, XTCP_CB_ECT, &now);
	KUNIT_EXPECT_EQ(test, ecn, XTCP_ECN_OK | XTCP_ECN_SEEN);
	KUNIT_EXPECT_FALSE(test, now);
	/* The first CE: echo, at once. */
	ecn = xtcp_ecn_rcv(ecn, ACK, XTCP_CB_ECT | XTCP_CB_CE, &now);
	KUNIT_EXPECT_TRUE(test, ecn & XTCP_ECN_DEMAND_CWR);
	KUNIT_EXPECT_TRUE(test, now);
	/* A second CE of the series: the ACK may wait, the echo goes on. */
	now = false;
	ecn = xtcp_ecn_rcv(ecn, ACK, XTCP_CB_ECT | XTCP_CB_CE, &now);
	KUNIT_EXPECT_TRUE(test, ecn & XTCP_ECN_DEMAND_CWR);
	KUNIT_EXPECT_FALSE(test, now);
	/* ECT without CE does not end it. */
	ecn = xtcp_ecn_rcv(ecn, ACK, XTCP_CB_ECT, &now);
	KUNIT_EXPECT_TRUE(test, ecn & XTCP_ECN_DEMAND_CWR);
	KUNIT_EXPECT_FALSE(test, now);
	/* CWR does, and is ACKed at once. */
	ecn = xtcp_ecn_rcv(ecn, ACK | CWR, XTCP_CB_ECT, &now);
	KUNIT_EXPECT_FALSE(test, ecn & XTCP_ECN_DEMAND_CWR);
	KUNIT_EXPECT_TRUE(test, now);
	/* CWR and CE at once: the new congestion is echoed still. */
	now = false;
	ecn = xtcp_ecn_rcv(ecn, ACK | CWR, XTCP_CB_ECT | XTCP_CB_CE, &now);
	KUNIT_EXPECT_TRUE(test, ecn & XTCP_ECN_DEMAND_CWR);
	KUNIT_EXPECT_TRUE(test, now);
	/* Not-ECT after ECT: a retransmission, most likely; ACKed at once. */
	now = false;
	ecn = xtcp_ecn_rcv(ecn, ACK, 0, &now);
	KUNIT_EXPECT_TRUE(test, now);
}

static void xtcp_ecn__rcv_not_agreed(struct kunit *test)
{
	bool now = false;

	KUNIT_EXPECT_EQ(test, xtcp_ecn_rcv(0, ACK | CWR, XTCP_CB_ECT | XTCP_CB_CE, &now), 0);
	KUNIT_EXPECT_FALSE(test, now);
	KUNIT_EXPECT_EQ(test, xtcp_ecn_rcv(XTCP_ECN_ASKED, ACK, XTCP_CB_ECT | XTCP_CB_CE, &now),
			XTCP_ECN_ASKED);
	KUNIT_EXPECT_FALSE(test, now);
}

static void xtcp_ecn__xmit_syn(struct kunit *test)
{
	u8 ecn = XTCP_ECN_ASKED;
	bool ect = true;

	KUNIT_EXPECT_EQ(test, xtcp_ecn_xmit(&ecn, SYN, true, false, &ect), ECE | CWR);
	KUNIT_EXPECT_FALSE(test, ect);
	/* Sent again: no more asking (6.1.1.1's fallback). */
	KUNIT_EXPECT_EQ(test, xtcp_ecn_xmit(&ecn, SYN, false, false, &ect), 0);
	ecn = 0;
	KUNIT_EXPECT_EQ(test, xtcp_ecn_xmit(&ecn, SYN, true, false, &ect), 0);
	/* A simultaneous open's SYN-ACK: ECE alone once agreed. */
	ecn = XTCP_ECN_OK | XTCP_ECN_ASKED;
	KUNIT_EXPECT_EQ(test, xtcp_ecn_xmit(&ecn, SYN | ACK, false, false, &ect), ECE);
	KUNIT_EXPECT_FALSE(test, ect);
	ecn = XTCP_ECN_ASKED;
	KUNIT_EXPECT_EQ(test, xtcp_ecn_xmit(&ecn, SYN | ACK, false, false, &ect), 0);
}

static void xtcp_ecn__xmit_data(struct kunit *test)
{
	u8 ecn = XTCP_ECN_OK;
	bool ect;

	/* New data is ECT(0); a retransmission or a pure ACK is not. */
	KUNIT_EXPECT_EQ(test, xtcp_ecn_xmit(&ecn, ACK, false, true, &ect), 0);
	KUNIT_EXPECT_TRUE(test, ect);
	KUNIT_EXPECT_EQ(test, xtcp_ecn_xmit(&ecn, ACK, false, false, &ect), 0);
	KUNIT_EXPECT_FALSE(test, ect);
	/* A RST never is. */
	KUNIT_EXPECT_EQ(test, xtcp_ecn_xmit(&ecn, ACK | XTCPHDR_RST, false, true, &ect), 0);
	KUNIT_EXPECT_FALSE(test, ect);
	/* The echo goes on every segment, pure ACKs included. */
	ecn |= XTCP_ECN_DEMAND_CWR;
	KUNIT_EXPECT_EQ(test, xtcp_ecn_xmit(&ecn, ACK, false, false, &ect), ECE);
	KUNIT_EXPECT_EQ(test, xtcp_ecn_xmit(&ecn, ACK | XTCPHDR_FIN, false, true, &ect), ECE);
	ecn &= ~XTCP_ECN_DEMAND_CWR;
	/* CWR: on the next new data, once; not on a retransmission before it. */
	ecn |= XTCP_ECN_QUEUE_CWR;
	KUNIT_EXPECT_EQ(test, xtcp_ecn_xmit(&ecn, ACK, false, false, &ect), 0);
	KUNIT_EXPECT_TRUE(test, ecn & XTCP_ECN_QUEUE_CWR);
	KUNIT_EXPECT_EQ(test, xtcp_ecn_xmit(&ecn, ACK, false, true, &ect), CWR);
	KUNIT_EXPECT_TRUE(test, ect);
	KUNIT_EXPECT_FALSE(test, ecn & XTCP_ECN_QUEUE_CWR);
	KUNIT_EXPECT_EQ(test, xtcp_ecn_xmit(&ecn, ACK, false, true, &ect), 0);
	/* Nothing at all without agreement. */
	ecn = XTCP_ECN_ASKED | XTCP_ECN_DEMAND_CWR | XTCP_ECN_QUEUE_CWR;
	KUNIT_EXPECT_EQ(test, xtcp_ecn_xmit(&ecn, ACK, false, true, &ect), 0);
	KUNIT_EXPECT_FALSE(test, ect);
}

static void xtcp_ecn__echoed(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, xtcp_ecn_echoed(XTCP_ECN_OK, ACK | ECE));
	KUNIT_EXPECT_FALSE(test, xtcp_ecn_echoed(XTCP_ECN_OK, ACK));
	/* A SYN-ACK's ECE is the agreement, not an echo. */
	KUNIT_EXPECT_FALSE(test, xtcp_ecn_echoed(XTCP_ECN_OK, SYN | ACK | ECE));
	KUNIT_EXPECT_FALSE(test, xtcp_ecn_echoed(XTCP_ECN_ASKED, ACK | ECE));
}

/*
 * The sender's reduction: ten segments out (cwnd 10), an echo halves
 * ssthresh; PRR lets one segment go for every two delivered while the pipe
 * is above it; a second echo in the same window changes nothing; the ACK
 * beyond the data of that window ends it at ssthresh, and a later echo
 * reduces again.
 */
static void xtcp_ecn__reduction(struct kunit *test)
{
	struct xtcp_cwnd c;
	struct xtcp_prr p;
	u32 i, pipe = 10, sent = 0;

	xtcp_cwnd_init(&c, 10, 0);
	KUNIT_EXPECT_TRUE(test, xtcp_cwnd_may_reduce(&c, 0));
	xtcp_cwnd_enter_cwr(&c, 5, 10);
	xtcp_prr_init(&p, pipe);
	KUNIT_EXPECT_TRUE(test, c.cwr);
	KUNIT_EXPECT_EQ(test, c.ca.ssthresh, 5U);
	KUNIT_EXPECT_FALSE(test, xtcp_cwnd_may_reduce(&c, 1));
	/* Five ACKs of one segment each, the pipe above ssthresh all along. */
	for (i = 0; i < 5; i++) {
		u32 cwnd;

		pipe--;
		KUNIT_EXPECT_FALSE(test, xtcp_cwnd_cwr_done(&c, i + 1));
		cwnd = xtcp_prr_cwnd(&p, 1, pipe, c.ca.ssthresh);
		if (cwnd > pipe) {
			p.out += cwnd - pipe;
			sent += cwnd - pipe;
			pipe = cwnd;
		}
	}
	/* ceil(5 * 5 / 10) = 3 segments went for 5 delivered. */
	KUNIT_EXPECT_EQ(test, sent, 3U);
	KUNIT_EXPECT_EQ(test, pipe, 8U);
	/* At SND.NXT of the echo, not beyond: still reducing. */
	KUNIT_EXPECT_FALSE(test, xtcp_cwnd_cwr_done(&c, 10));
	KUNIT_EXPECT_TRUE(test, c.cwr);
	KUNIT_EXPECT_TRUE(test, xtcp_cwnd_cwr_done(&c, 11));
	KUNIT_EXPECT_FALSE(test, c.cwr);
	KUNIT_EXPECT_EQ(test, c.ca.cwnd, 5U);
	KUNIT_EXPECT_FALSE(test, xtcp_cwnd_cwr_done(&c, 12));
	/* The next window's echo reduces again. */
	KUNIT_EXPECT_TRUE(test, xtcp_cwnd_may_reduce(&c, 12));
}

/* A loss or timeout cut the window for what was then out: no echo cuts it again. */
static void xtcp_ecn__after_loss(struct kunit *test)
{
	struct xtcp_cwnd c;

	xtcp_cwnd_init(&c, 10, 0);
	xtcp_cwnd_enter_recovery(&c, 5, 100);
	KUNIT_EXPECT_FALSE(test, xtcp_cwnd_may_reduce(&c, 50));
	KUNIT_EXPECT_FALSE(test, xtcp_cwnd_recovery_ack(&c, 100, 1, 4));
	KUNIT_EXPECT_TRUE(test, xtcp_cwnd_may_reduce(&c, 100));
	xtcp_cwnd_timeout(&c, 4, 200);
	KUNIT_EXPECT_FALSE(test, xtcp_cwnd_may_reduce(&c, 150));
	KUNIT_EXPECT_TRUE(test, xtcp_cwnd_may_reduce(&c, 200));
	/* A timeout in a reduction keeps its ssthresh, and ends it. */
	xtcp_cwnd_enter_cwr(&c, 3, 300);
	KUNIT_EXPECT_FALSE(test, xtcp_cwnd_timeout_sets_ssthresh(&c, true));
	xtcp_cwnd_timeout(&c, c.ca.ssthresh, 300);
	KUNIT_EXPECT_FALSE(test, c.cwr);
	KUNIT_EXPECT_EQ(test, c.ca.ssthresh, 3U);
	KUNIT_EXPECT_EQ(test, c.ca.cwnd, 1U);
	/* A fast recovery takes over a reduction under way. */
	xtcp_cwnd_init(&c, 10, 0);
	xtcp_cwnd_enter_cwr(&c, 5, 10);
	xtcp_cwnd_enter_recovery(&c, c.ca.ssthresh, 10);
	KUNIT_EXPECT_FALSE(test, c.cwr);
	KUNIT_EXPECT_TRUE(test, c.recovery);
	KUNIT_EXPECT_EQ(test, c.ca.ssthresh, 5U);
}

static struct kunit_case xtcp_ecn_cases[] = {
	KUNIT_CASE(xtcp_ecn__synack),
	KUNIT_CASE(xtcp_ecn__syn),
	KUNIT_CASE(xtcp_ecn__echo_until_cwr),
	KUNIT_CASE(xtcp_ecn__rcv_not_agreed),
	KUNIT_CASE(xtcp_ecn__xmit_syn),
	KUNIT_CASE(xtcp_ecn__xmit_data),
	KUNIT_CASE(xtcp_ecn__echoed),
	KUNIT_CASE(xtcp_ecn__reduction),
	KUNIT_CASE(xtcp_ecn__after_loss),
	{}
};

static struct kunit_suite xtcp_ecn_suite = {
	.name = "xtcp_ecn",
	.test_cases = xtcp_ecn_cases,
};

kunit_test_suites(&xtcp_ecn_suite);
