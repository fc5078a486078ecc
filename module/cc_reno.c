// SPDX-License-Identifier: GPL-2.0
/*
 * cc_reno.c - NewReno, XTCP's built-in congestion controller ("reno", as
 * TCP names its own), and the building blocks other controllers share.
 *
 * RFC 5681's window, counted in segments as Linux counts it:
 *
 * - slow start adds a segment per segment acknowledged (RFC 3465's byte
 *   counting, without its per-ACK limit L, as Linux: a receiver behind GRO
 *   acknowledges many segments at once), up to ssthresh; above it,
 *   congestion avoidance adds one segment per window acknowledged;
 * - the window grows only while it limits the sender (RFC 7661's spirit:
 *   xtcp_cc_cwnd_limited());
 * - a loss leaves half the flight, at least two segments (RFC 5681 eq. 4);
 * - an undo returns to the window the loss found.
 *
 * NewReno's recovery itself (RFC 6582: fast retransmit, partial ACKs) is
 * XTCP's, shared by every controller (cwnd.c).
 */
#include <linux/kernel.h>
#include <linux/math64.h>

#include "xtcp.h"

/**
 * xtcp_cc_slow_start() - slow start's growth: a segment per segment acked,
 * up to ssthresh.
 * @ca: the connection's window.
 * @acked: segments acknowledged.
 *
 * Return: the segments left over above ssthresh, for congestion avoidance.
 */
u32 xtcp_cc_slow_start(struct xtcp_ca *ca, u32 acked)
{
	u32 grow = ca->ssthresh > ca->cwnd ? min(acked, ca->ssthresh - ca->cwnd) : 0;

	ca->cwnd = min_t(u32, ca->cwnd + grow, XTCP_MAX_CWND);
	return acked - grow;
}
EXPORT_SYMBOL_GPL(xtcp_cc_slow_start);

/**
 * xtcp_cc_slow_start_limited() - what every .cong_avoid begins with.
 * @ca: the connection's window; @ca->prior_in_flight the flight before the ACK.
 * @acked: segments acknowledged.
 *
 * Nothing grows while the window does not limit the sender
 * (xtcp_cc_cwnd_limited()); below ssthresh, slow start takes what it can.
 *
 * Return: the segments left for congestion avoidance's growth (0: none).
 */
u32 xtcp_cc_slow_start_limited(struct xtcp_ca *ca, u32 acked)
{
	if (!xtcp_cc_cwnd_limited(ca))
		return 0;
	if (xtcp_cc_in_slow_start(ca))
		return xtcp_cc_slow_start(ca, acked);
	return acked;
}
EXPORT_SYMBOL_GPL(xtcp_cc_slow_start_limited);

/**
 * xtcp_cc_cong_avoid_ai() - additive increase: a segment per @w acked.
 * @ca: the connection's window.
 * @w: segments to acknowledge per increase (the window, for Reno); 0 is 1.
 * @acked: segments acknowledged.
 */
void xtcp_cc_cong_avoid_ai(struct xtcp_ca *ca, u32 w, u32 acked)
{
	u64 cnt, n;

	w = max_t(u32, w, 1);
	/* A window that shrank since leaves a count above it: one step, no more. */
	if (ca->cwnd_cnt >= w) {
		ca->cwnd_cnt = 0;
		ca->cwnd++;
	}
	/* In 64 bits: a count of 2^32 - 1 segments acknowledged at once is no wrap. */
	cnt = (u64)ca->cwnd_cnt + acked;
	if (cnt >= w) {
		n = div_u64(cnt, w);
		cnt -= n * w;
		ca->cwnd = min_t(u64, (u64)ca->cwnd + n, XTCP_MAX_CWND);
	}
	ca->cwnd_cnt = cnt;
	ca->cwnd = min_t(u32, ca->cwnd, XTCP_MAX_CWND);
}
EXPORT_SYMBOL_GPL(xtcp_cc_cong_avoid_ai);

/**
 * xtcp_cc_reno_ssthresh() - RFC 5681's threshold after a loss.
 * @ca: the connection's window; @ca->in_flight the flight at the loss.
 *
 * Return: half the flight, at least two segments.
 */
u32 xtcp_cc_reno_ssthresh(const struct xtcp_ca *ca)
{
	return max_t(u32, ca->in_flight / 2, 2);
}
EXPORT_SYMBOL_GPL(xtcp_cc_reno_ssthresh);

/**
 * xtcp_cc_reno_undo_cwnd() - the window a spurious loss found.
 * @ca: the connection's window.
 *
 * Return: the larger of it and the window now (it may have grown since).
 */
u32 xtcp_cc_reno_undo_cwnd(const struct xtcp_ca *ca)
{
	return max(ca->cwnd, ca->prior_cwnd);
}
EXPORT_SYMBOL_GPL(xtcp_cc_reno_undo_cwnd);

/**
 * xtcp_cc_reno_grow() - NewReno's window after an ACK outside recovery.
 * @ca: the connection's window; @ca->prior_in_flight the flight before it.
 * @acked: segments acknowledged.
 *
 * Slow start below ssthresh, then one segment per window, while the window
 * limits the sender.
 */
void xtcp_cc_reno_grow(struct xtcp_ca *ca, u32 acked)
{
	acked = xtcp_cc_slow_start_limited(ca, acked);
	if (acked)
		xtcp_cc_cong_avoid_ai(ca, ca->cwnd, acked);
}
EXPORT_SYMBOL_GPL(xtcp_cc_reno_grow);

static void xtcp_reno_cong_avoid(struct sock *sk, u32 ack, u32 acked)
{
	xtcp_cc_reno_grow(xtcp_ca(sk), acked);
}

static u32 xtcp_reno_ssthresh(struct sock *sk)
{
	return xtcp_cc_reno_ssthresh(xtcp_ca(sk));
}

static u32 xtcp_reno_undo_cwnd(struct sock *sk)
{
	return xtcp_cc_reno_undo_cwnd(xtcp_ca(sk));
}

struct xtcp_cc_ops xtcp_cc_reno = {
	.name		= "reno",
	.owner		= THIS_MODULE,
	.ssthresh	= xtcp_reno_ssthresh,
	.cong_avoid	= xtcp_reno_cong_avoid,
	.undo_cwnd	= xtcp_reno_undo_cwnd,
};
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_cc_reno);
