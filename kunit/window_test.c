// SPDX-License-Identifier: GPL-2.0
/*
 * window_test.c - KUnit cases for module/window.c: the window scale a buffer
 * needs, and the window field that offers a window under a shift.
 */
#include <kunit/test.h>

#include "xtcp.h"

/* The least shift that brings a window into 16 bits; RFC 7323's cap of 14. */
static void xtcp_wscale__for_space(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xtcp_wscale_for_space(0), 0);
	KUNIT_EXPECT_EQ(test, xtcp_wscale_for_space(65535), 0);
	KUNIT_EXPECT_EQ(test, xtcp_wscale_for_space(65536), 1);
	KUNIT_EXPECT_EQ(test, xtcp_wscale_for_space(131071), 1);
	KUNIT_EXPECT_EQ(test, xtcp_wscale_for_space(131072), 2);
	/* tcp_rmem[2]'s default, 6 MiB: Linux announces 7 too. */
	KUNIT_EXPECT_EQ(test, xtcp_wscale_for_space(6291456), 7);
	KUNIT_EXPECT_EQ(test, xtcp_wscale_for_space(65535U << 14), 14);
	KUNIT_EXPECT_EQ(test, xtcp_wscale_for_space(U32_MAX), 14);
}

/*
 * The field offers at least the window asked for (the right edge never moves
 * left: rounding is up), and RCV.WND is exactly what the peer reads from it.
 */
static void xtcp_wscale__field_rounds_up(struct kunit *test)
{
	u32 rcv_wnd, win;
	u8 ws;

	KUNIT_EXPECT_EQ(test, xtcp_scale_window(1000, 0, &rcv_wnd), 1000);
	KUNIT_EXPECT_EQ(test, rcv_wnd, 1000U);
	KUNIT_EXPECT_EQ(test, xtcp_scale_window(1000, 7, &rcv_wnd), 8);
	KUNIT_EXPECT_EQ(test, rcv_wnd, 1024U);
	KUNIT_EXPECT_EQ(test, xtcp_scale_window(1024, 7, &rcv_wnd), 8);
	KUNIT_EXPECT_EQ(test, rcv_wnd, 1024U);
	KUNIT_EXPECT_EQ(test, xtcp_scale_window(0, 7, &rcv_wnd), 0);
	KUNIT_EXPECT_EQ(test, rcv_wnd, 0U);
	for (ws = 0; ws <= XTCP_MAX_WSCALE; ws++) {
		for (win = 1; win < (1U << 20); win = win * 3 + 1) {
			u16 field = xtcp_scale_window(win, ws, &rcv_wnd);

			if (win > (XTCP_MAX_WINDOW << ws))
				continue;
			KUNIT_EXPECT_GE(test, rcv_wnd, win);
			KUNIT_EXPECT_LT(test, rcv_wnd - win, 1U << ws);
			KUNIT_EXPECT_EQ(test, rcv_wnd, (u32)field << ws);
		}
	}
}

/* Beyond what 16 bits say under the shift: the most the field can say. */
static void xtcp_wscale__field_caps(struct kunit *test)
{
	u32 rcv_wnd;

	KUNIT_EXPECT_EQ(test, xtcp_scale_window(70000, 0, &rcv_wnd), 65535);
	KUNIT_EXPECT_EQ(test, rcv_wnd, 65535U);
	KUNIT_EXPECT_EQ(test, xtcp_scale_window(U32_MAX, 14, &rcv_wnd), 65535);
	KUNIT_EXPECT_EQ(test, rcv_wnd, 65535U << 14);
	/* A shift above 14 (never chosen) is taken as 14. */
	KUNIT_EXPECT_EQ(test, xtcp_scale_window(1U << 14, 20, &rcv_wnd), 1);
	KUNIT_EXPECT_EQ(test, rcv_wnd, 1U << 14);
}

/*
 * Offered windows never shrink under scaling: each new offer is chosen from the
 * last right edge (xtcp_select_window()) and rounded up (xtcp_scale_window()).
 */
static void xtcp_wscale__edge_never_moves_left(struct kunit *test)
{
	u32 rcv_nxt = 0xfffff000, right = rcv_nxt, rcv_wnd, space, win;
	unsigned int i;

	for (i = 0; i < 2000; i++) {
		/* The buffer fills and drains; data arrives in odd sizes. */
		space = (i * 7919) % 300000;
		win = xtcp_select_window(rcv_nxt, right, space, 1448);
		xtcp_scale_window(win, 7, &rcv_wnd);
		KUNIT_EXPECT_FALSE(test, (s32)(rcv_nxt + rcv_wnd - right) < 0);
		right = rcv_nxt + rcv_wnd;
		rcv_nxt += min_t(u32, rcv_wnd, (i * 104729) % 20000);
	}
}

/*
 * Autotuning: the buffer lets the sender double what the application read in
 * an RTT, plus 16 segments, and is twice the window it must offer.
 */
static void xtcp_autotune__rcvbuf_target(struct kunit *test)
{
	u32 buf = xtcp_rcvbuf_target(100000, 1448);

	KUNIT_EXPECT_EQ(test, buf, 2 * (2 * 100000 + 16 * 1448));
	/* The window it yields (half the empty buffer) covers twice the reads. */
	KUNIT_EXPECT_GE(test, buf / 2, 2U * 100000);
	/* Nothing read yet: 16 segments' window. */
	KUNIT_EXPECT_EQ(test, xtcp_rcvbuf_target(0, 1000), 2U * 16 * 1000);
	/* No overflow: capped at INT_MAX. */
	KUNIT_EXPECT_EQ(test, xtcp_rcvbuf_target(U32_MAX, 65535), (u32)INT_MAX);
	/* It grows with the reads: a faster reader earns a larger buffer. */
	KUNIT_EXPECT_LT(test, xtcp_rcvbuf_target(1000000, 1448),
			xtcp_rcvbuf_target(2000000, 1448));
}

/* The send buffer: two congestion windows of skbs, each more than an MSS. */
static void xtcp_autotune__sndbuf_target(struct kunit *test)
{
	u32 buf = xtcp_sndbuf_target(10, 1448);

	KUNIT_EXPECT_GE(test, buf, 2U * 10 * 1448);
	/* Truesize overhead, but not more than three times the payload. */
	KUNIT_EXPECT_LE(test, buf, 3U * 2 * 10 * 1448 + 2 * 10 * 1024);
	KUNIT_EXPECT_EQ(test, xtcp_sndbuf_target(20, 1448), 2 * buf);
	KUNIT_EXPECT_EQ(test, xtcp_sndbuf_target(1U << 24, 65535), (u32)INT_MAX);
}

/*
 * The receiver's RTT: the first sample is taken as it is; a timestamp sample
 * moves the estimate by an eighth; a window's arrival time (an upper bound)
 * only lowers it; no sample changes nothing.
 */
static void xtcp_autotune__rtt_filter(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xtcp_rcv_rtt_filter(0, 8000, false), 8000U);
	KUNIT_EXPECT_EQ(test, xtcp_rcv_rtt_filter(0, 8000, true), 8000U);
	KUNIT_EXPECT_EQ(test, xtcp_rcv_rtt_filter(8000, 16000, false), 9000U);
	KUNIT_EXPECT_EQ(test, xtcp_rcv_rtt_filter(8000, 0, false), 8000U);
	KUNIT_EXPECT_EQ(test, xtcp_rcv_rtt_filter(8000, 16000, true), 8000U);
	KUNIT_EXPECT_EQ(test, xtcp_rcv_rtt_filter(8000, 2000, true), 2000U);
	/* Many equal samples converge on them. */
	{
		u32 e = 100000;
		unsigned int i;

		for (i = 0; i < 100; i++)
			e = xtcp_rcv_rtt_filter(e, 1000, false);
		KUNIT_EXPECT_LE(test, e, 1100U);
	}
}

/* Whole segments, at most 65535, as TCP's first windows. */
static void xtcp_wscale__syn_window(struct kunit *test)
{
	/* Ethernet: 65536 of space is 45 segments of 1448 (timestamps), 44 of 1460. */
	KUNIT_EXPECT_EQ(test, xtcp_syn_window(65536, 1448), 65160U);
	KUNIT_EXPECT_EQ(test, xtcp_syn_window(65536, 1460), 64240U);
	/* Loopback: a SYN's 65495, a SYN-ACK's (timestamps agreed) 65483. */
	KUNIT_EXPECT_EQ(test, xtcp_syn_window(65536, 65495), 65495U);
	KUNIT_EXPECT_EQ(test, xtcp_syn_window(65536, 65483), 65483U);
	/* More space than 16 bits: the field's most. */
	KUNIT_EXPECT_EQ(test, xtcp_syn_window(3145728, 1448), 65535U);
	/* Less than a segment: all of it. */
	KUNIT_EXPECT_EQ(test, xtcp_syn_window(1000, 1448), 1000U);
	KUNIT_EXPECT_EQ(test, xtcp_syn_window(0, 1448), 0U);
	KUNIT_EXPECT_EQ(test, xtcp_syn_window(70000, 0), 65535U);
}

/* The peer's segment size: grows to the largest segment seen, up to our MSS. */
static void xtcp_autotune__rcv_mss_seen(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xtcp_rcv_mss_seen(536, 1448, 1460), 1448U);
	/* Smaller segments (a tail, a PSH) leave it. */
	KUNIT_EXPECT_EQ(test, xtcp_rcv_mss_seen(1448, 100, 1460), 1448U);
	KUNIT_EXPECT_EQ(test, xtcp_rcv_mss_seen(1448, 1448, 1460), 1448U);
	/* Never above what we announced (a GRO packet's whole length is not one). */
	KUNIT_EXPECT_EQ(test, xtcp_rcv_mss_seen(1448, 65160, 1460), 1460U);
	/* Loopback: a peer bounded to half our window sends 32741. */
	KUNIT_EXPECT_EQ(test, xtcp_rcv_mss_seen(536, 32741, 65495), 32741U);
}

/* Half the peer's largest window; all of a window up to 536; not below 44. */
static void xtcp_mss__half_window(struct kunit *test)
{
	/* No window yet, or a wide one: the MSS stands. */
	KUNIT_EXPECT_EQ(test, xtcp_mss_half_window(1448, 0), 1448U);
	KUNIT_EXPECT_EQ(test, xtcp_mss_half_window(1448, 65535), 1448U);
	KUNIT_EXPECT_EQ(test, xtcp_mss_half_window(1448, 2896), 1448U);
	/* Loopback as TCP reads it: a SYN-ACK's 65483, an ACK's 65536. */
	KUNIT_EXPECT_EQ(test, xtcp_mss_half_window(65483, 65483), 32741U);
	KUNIT_EXPECT_EQ(test, xtcp_mss_half_window(65483, 65536), 32768U);
	KUNIT_EXPECT_EQ(test, xtcp_mss_half_window(1448, 2000), 1000U);
	/* Up to the default MSS, the whole window. */
	KUNIT_EXPECT_EQ(test, xtcp_mss_half_window(1448, 536), 536U);
	KUNIT_EXPECT_EQ(test, xtcp_mss_half_window(1448, 100), 100U);
	KUNIT_EXPECT_EQ(test, xtcp_mss_half_window(1448, 537), 268U);
	/* Never below the least MSS, nor above the MSS it was given. */
	KUNIT_EXPECT_EQ(test, xtcp_mss_half_window(1448, 10), (u32)XTCP_MIN_MSS / 2);
	KUNIT_EXPECT_EQ(test, xtcp_mss_half_window(30, 10), 30U);
}

static struct kunit_case xtcp_window_cases[] = {
	KUNIT_CASE(xtcp_wscale__for_space),
	KUNIT_CASE(xtcp_wscale__field_rounds_up),
	KUNIT_CASE(xtcp_wscale__field_caps),
	KUNIT_CASE(xtcp_wscale__edge_never_moves_left),
	KUNIT_CASE(xtcp_autotune__rcvbuf_target),
	KUNIT_CASE(xtcp_autotune__sndbuf_target),
	KUNIT_CASE(xtcp_wscale__syn_window),
	KUNIT_CASE(xtcp_autotune__rcv_mss_seen),
	KUNIT_CASE(xtcp_mss__half_window),
	KUNIT_CASE(xtcp_autotune__rtt_filter),
	{}
};

static struct kunit_suite xtcp_window_suite = {
	.name = "xtcp_window",
	.test_cases = xtcp_window_cases,
};

kunit_test_suites(&xtcp_window_suite);
