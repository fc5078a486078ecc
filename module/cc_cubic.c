// SPDX-License-Identifier: GPL-2.0
/*
 * cc_cubic.c - CUBIC (RFC 9438), built in as "cubic".
 *
 * In congestion avoidance the window follows a cubic function of the time
 * since the last reduction, not of the ACKs:
 *
 *   W_cubic(t) = C * (t - K)^3 + W_max,  K = cbrt((W_max - cwnd_epoch) / C)
 *
 * (C = 0.4 segments/s^3): concave up to the window of the last loss (W_max),
 * reached K seconds after the reduction, then convex beyond it. Each ACK moves
 * cwnd towards W_cubic one RTT ahead (RFC 9438 4.2), at most half a window
 * per RTT; where Reno would be faster (short RTTs, small windows), the
 * window follows Reno's estimate W_est instead (the Reno-friendly region, 4.3,
 * with alpha = 3 (1 - beta) / (1 + beta) until W_est reaches W_max, 1 after).
 *
 * A loss leaves ssthresh = 0.7 cwnd (beta, 4.6); with fast convergence (4.7)
 * a window that lost below the previous W_max remembers less, (1 + beta) / 2
 * of it, to leave bandwidth to newer flows. After a timeout the next epoch
 * starts from the window then (K = 0, 4.8). An undo restores W_max (4.9).
 * The epoch slides over idle periods, as Linux's does: an application that
 * paused does not come back to a window that grew meanwhile.
 *
 * Slow start is HyStart++'s (RFC 9406, hystart.c): slow start until the
 * least RTT of a round rises, then a quarter of its growth for up to five
 * rounds (Conservative Slow Start), then congestion avoidance from the window
 * then (TCPHystartDelayDetect, TCPHystartDelayCwnd). Its RTT samples are the
 * controller's per ACK (.pkts_acked).
 *
 * The arithmetic is integer: time in ticks of 2^-10 s, windows in segments,
 * W_est in 1/1024ths of a segment. The pure parts are KUnit-tested against
 * RFC 9438's formulas.
 */
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/time64.h>

#include "xtcp.h"

/* beta_cubic = 0.7, in tenths. */
#define XTCP_CUBIC_BETA_10	7
/* The farthest |t - K| the cubic is evaluated at (2^20 ticks, 17 minutes): its cube fits. */
#define XTCP_CUBIC_MAX_OFFS	BIT_ULL(20)
/* alpha_cubic = 3 * 0.3 / 1.7 in 1/1024ths; 1 once W_est reaches W_max. */
#define XTCP_CUBIC_ALPHA_FP	542

/**
 * xtcp_cbrt() - the integer cube root.
 * @x: any 64-bit value.
 *
 * Return: the largest r with r^3 <= @x.
 */
u32 xtcp_cbrt(u64 x)
{
	u64 lo = 0, hi = 2642246;	/* 2642246^3 > 2^64 - 1 */

	while (hi - lo > 1) {
		u64 mid = (lo + hi) / 2;

		if (mid * mid * mid <= x)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_cbrt);

/**
 * xtcp_cubic_k() - K: the time the cubic takes from @cwnd back to @w_max.
 * @w_max: W_max, in segments.
 * @cwnd: the window at the epoch's start, in segments.
 *
 * Return: cbrt((@w_max - @cwnd) / C), in ticks; 0 when @cwnd >= @w_max.
 */
u32 xtcp_cubic_k(u32 w_max, u32 cwnd)
{
	if (cwnd >= w_max)
		return 0;
	/* (W_max - cwnd) / 0.4 s^3, in ticks^3: * 10 / 4 * 2^30. */
	return xtcp_cbrt((u64)(w_max - cwnd) * 5 << (3 * XTCP_CUBIC_TICK_SHIFT - 1));
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_cubic_k);

/**
 * xtcp_cubic_w() - W_cubic(t), RFC 9438's equation 1.
 * @t: the time since the epoch began, in ticks.
 * @k: K, in ticks.
 * @origin: the window at K, in segments.
 *
 * Return: C * (@t - @k)^3 + @origin, in whole segments, at least 0 and at most
 * XTCP_MAX_CWND.
 */
u32 xtcp_cubic_w(u64 t, u32 k, u32 origin)
{
	u64 offs = t > k ? t - k : k - t, delta;

	offs = min(offs, XTCP_CUBIC_MAX_OFFS);
	/* 0.4 * offs^3 segments, offs in ticks: / 2^30 ticks^3 per s^3. */
	delta = div_u64(4 * offs * offs * offs, 10) >> (3 * XTCP_CUBIC_TICK_SHIFT);
	if (t < k)
		return delta < origin ? origin - delta : 0;
	return min_t(u64, origin + delta, XTCP_MAX_CWND);
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_cubic_w);

/**
 * xtcp_cubic_ssthresh_of() - a loss: W_max and the new threshold.
 * @c: CUBIC's state.
 * @cwnd: the window the loss found.
 *
 * Return: beta_cubic * @cwnd, at least 2.
 */
u32 xtcp_cubic_ssthresh_of(struct xtcp_cubic *c, u32 cwnd)
{
	c->undo_w_max = c->w_max;
	c->undo_w_last_max = c->w_last_max;
	c->epoch_us = 0;
	/* Fast convergence (4.7): losing below the last W_max, remember less. */
	if (cwnd < c->w_last_max)
		c->w_max = (u64)cwnd * (10 + XTCP_CUBIC_BETA_10) / 20;
	else
		c->w_max = cwnd;
	c->w_last_max = cwnd;
	return max_t(u32, (u64)cwnd * XTCP_CUBIC_BETA_10 / 10, 2);
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_cubic_ssthresh_of);

/**
 * xtcp_cubic_cnt() - the segments to acknowledge per segment of growth now.
 * @c: CUBIC's state.
 * @cwnd: the window, in segments (at least 1).
 * @acked: segments this ACK acknowledged.
 * @now_us: the clock.
 * @rtt_us: the RTT to look ahead by (the least seen).
 *
 * Starts an epoch if none runs; then the larger of the cubic's growth towards
 * W_cubic(t + RTT) (capped at 1.5 cwnd) and Reno's estimate's.
 *
 * Return: the count for xtcp_cc_cong_avoid_ai(), at least 1.
 */
u32 xtcp_cubic_cnt(struct xtcp_cubic *c, u32 cwnd, u32 acked, u64 now_us, u32 rtt_us)
{
	u32 target, cnt, alpha, w_est;
	u64 t;

	if (!c->epoch_us) {
		c->epoch_us = now_us;
		if (cwnd < c->w_max) {
			c->k = xtcp_cubic_k(c->w_max, cwnd);
			c->origin = c->w_max;
		} else {
			c->k = 0;
			c->origin = cwnd;
		}
		c->w_est = (u64)cwnd << XTCP_CUBIC_FP_SHIFT;
	}
	t = now_us - c->epoch_us + rtt_us;
	t = div_u64(t << XTCP_CUBIC_TICK_SHIFT, USEC_PER_SEC);
	target = xtcp_cubic_w(t, c->k, c->origin);
	/* At most half a window more per RTT (4.2). */
	target = min_t(u64, target, cwnd + cwnd / 2);
	if (target > cwnd)
		cnt = cwnd / (target - cwnd);
	else
		cnt = 100 * cwnd;	/* at W_max: all but flat */

	/*
	 * Reno's estimate (4.3): alpha segments per window acknowledged, 1 once
	 * it reaches the window the last loss found (cwnd_prior).
	 */
	alpha = (c->w_est >> XTCP_CUBIC_FP_SHIFT) >= c->w_last_max ?
		BIT(XTCP_CUBIC_FP_SHIFT) : XTCP_CUBIC_ALPHA_FP;
	c->w_est += div_u64((u64)alpha * acked, cwnd);
	c->w_est = min_t(u64, c->w_est, (u64)XTCP_MAX_CWND << XTCP_CUBIC_FP_SHIFT);
	w_est = c->w_est >> XTCP_CUBIC_FP_SHIFT;
	if (w_est > cwnd)
		cnt = min(cnt, cwnd / (w_est - cwnd));
	return max_t(u32, cnt, 1);
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_cubic_cnt);

static void xtcp_cubic_init(struct sock *sk)
{
	struct xtcp_cubic *c = xtcp_ca_priv(sk);

	BUILD_BUG_ON(sizeof(struct xtcp_cubic) > XTCP_CA_PRIV_SIZE);
	xtcp_hystart_reset(&c->hs);
	c->ack_rtt_us = -1;
}

static void xtcp_cubic_pkts_acked(struct sock *sk, const struct xtcp_ack_sample *sample)
{
	struct xtcp_cubic *c = xtcp_ca_priv(sk);

	/* For HyStart++, in the .cong_avoid of the same ACK. */
	c->ack_rtt_us = sample->rtt_us;
}

static void xtcp_cubic_cong_avoid(struct sock *sk, u32 ack, u32 acked)
{
	struct xtcp_cubic *c = xtcp_ca_priv(sk);
	struct xtcp_ca *ca = xtcp_ca(sk);
	u32 rtt_us = ca->min_rtt_us ? ca->min_rtt_us : ca->srtt_us;
	s32 sample = c->ack_rtt_us;
	u32 grow;

	c->ack_rtt_us = -1;
	if (xtcp_cc_in_slow_start(ca) && xtcp_cc_cwnd_limited(ca)) {
		switch (xtcp_hystart_ack(&c->hs, ack, ca->snd_nxt, acked, sample, &grow)) {
		case XTCP_HS_EXIT:
			ca->ssthresh = ca->cwnd;
			xtcp_inc_stats(sock_net(sk), XTCP_MIB_HYSTART_DELAY_DETECT);
			xtcp_mod_stats(sock_net(sk), XTCP_MIB_HYSTART_DELAY_CWND, ca->cwnd);
			return;
		case XTCP_HS_CSS:
			ca->cwnd = min_t(u32, ca->cwnd + grow, min(ca->ssthresh, XTCP_MAX_CWND));
			return;
		case XTCP_HS_SLOW_START:
			break;
		}
	}
	acked = xtcp_cc_slow_start_limited(ca, acked);
	if (!acked)
		return;
	xtcp_cc_cong_avoid_ai(ca, xtcp_cubic_cnt(xtcp_ca_priv(sk), ca->cwnd, acked,
						 ca->now_us, rtt_us), acked);
}

static u32 xtcp_cubic_ssthresh(struct sock *sk)
{
	struct xtcp_cubic *c = xtcp_ca_priv(sk);

	/* A loss ends slow start: HyStart++ is done. */
	xtcp_hystart_loss(&c->hs);
	return xtcp_cubic_ssthresh_of(c, xtcp_ca(sk)->cwnd);
}

static u32 xtcp_cubic_undo_cwnd(struct sock *sk)
{
	struct xtcp_cubic *c = xtcp_ca_priv(sk);

	c->w_max = c->undo_w_max;
	c->w_last_max = c->undo_w_last_max;
	c->epoch_us = 0;
	return xtcp_cc_reno_undo_cwnd(xtcp_ca(sk));
}

static void xtcp_cubic_set_state(struct sock *sk, u8 new_state)
{
	struct xtcp_cubic *c = xtcp_ca_priv(sk);

	/* After a timeout the next epoch starts from the window then (4.8). */
	if (new_state == TCP_CA_Loss) {
		c->epoch_us = 0;
		c->w_max = 0;
		xtcp_hystart_loss(&c->hs);
	}
}

static void xtcp_cubic_cwnd_event(struct sock *sk, enum xtcp_ca_event ev)
{
	struct xtcp_cubic *c = xtcp_ca_priv(sk);
	struct xtcp_ca *ca = xtcp_ca(sk);
	u64 idle_us;

	/* Back from idle: the epoch slides by the pause, not the window. */
	if (ev == XTCP_CA_EVENT_TX_START && c->epoch_us) {
		idle_us = jiffies_to_usecs((u32)jiffies - ca->last_send);
		c->epoch_us = min(c->epoch_us + idle_us, ca->now_us);
	}
}

struct xtcp_cc_ops xtcp_cc_cubic = {
	.name		= "cubic",
	.owner		= THIS_MODULE,
	.init		= xtcp_cubic_init,
	.ssthresh	= xtcp_cubic_ssthresh,
	.cong_avoid	= xtcp_cubic_cong_avoid,
	.undo_cwnd	= xtcp_cubic_undo_cwnd,
	.set_state	= xtcp_cubic_set_state,
	.cwnd_event	= xtcp_cubic_cwnd_event,
	.pkts_acked	= xtcp_cubic_pkts_acked,
};
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_cc_cubic);
