// SPDX-License-Identifier: GPL-2.0
/*
 * hystart.c - HyStart++ (RFC 9406): a slow start that leaves before the loss.
 *
 * Slow start doubles the window each round trip until a loss stops it, and by
 * then the window is up to twice what the path holds: a burst of losses, a
 * long recovery. HyStart++ watches the RTT instead: a queue building at the
 * bottleneck shows as the least RTT of a round rising above the last round's.
 *
 * - Rounds: a round ends when SND.UNA reaches the SND.NXT it began with; the
 *   ACK that reaches it begins the next. At the start of each, the last
 *   round's least RTT is kept and the count of samples starts again. Each ACK
 *   brings the RTT of the newest segment it covers (the controller's sample).
 * - In slow start, once a round has N_RTT_SAMPLE (8) samples and both rounds
 *   have a least RTT: if this round's is at least the last's plus a threshold
 *   (an eighth of it, within 4 and 16 ms), slow start ends and Conservative
 *   Slow Start (CSS) begins, with this round's least RTT as its baseline.
 * - In CSS the window grows by a quarter of what slow start would
 *   (CSS_GROWTH_DIVISOR), at most L = 8 segments per ACK before that. If a
 *   round's least RTT falls back below the baseline, the rise was a fluke:
 *   slow start resumes. After CSS_ROUNDS (5) rounds, ssthresh becomes the
 *   window and congestion avoidance begins.
 * - A loss in either ends HyStart++ for the connection (the controller's
 *   threshold is set as for any loss).
 *
 * Pure functions on struct xtcp_hystart, kept in a controller's private
 * state: CUBIC (cc_cubic.c) uses them, and any controller module may.
 */
#include <linux/kernel.h>
#include <linux/module.h>

#include "seq.h"
#include "xtcp.h"

#define XTCP_HS_MIN_RTT_THRESH_US	4000U
#define XTCP_HS_MAX_RTT_THRESH_US	16000U
#define XTCP_HS_MIN_RTT_DIVISOR		8
#define XTCP_HS_N_RTT_SAMPLE		8
#define XTCP_HS_CSS_GROWTH_DIVISOR	4
#define XTCP_HS_CSS_ROUNDS		5
/* RFC 9406's L without pacing: the most one ACK may add before the divisor. */
#define XTCP_HS_L			8

/**
 * xtcp_hystart_reset() - HyStart++ from the start (a new connection).
 * @h: the state.
 */
void xtcp_hystart_reset(struct xtcp_hystart *h)
{
	memset(h, 0, sizeof(*h));
}
EXPORT_SYMBOL_GPL(xtcp_hystart_reset);

/* The rise of the least RTT that ends slow start: an eighth, within 4-16 ms. */
static u32 xtcp_hystart_thresh(u32 last_round_min)
{
	return clamp(last_round_min / XTCP_HS_MIN_RTT_DIVISOR, XTCP_HS_MIN_RTT_THRESH_US,
		     XTCP_HS_MAX_RTT_THRESH_US);
}

/**
 * xtcp_hystart_ack() - an ACK of new data below ssthresh.
 * @h: the state.
 * @ack: the new SND.UNA.
 * @snd_nxt: SND.NXT.
 * @acked: segments it acknowledged.
 * @rtt_us: its RTT sample (0 or less: none).
 * @grow: the segments the window grows by, in CSS (slow start's own rule
 *	otherwise).
 *
 * Return: XTCP_HS_SLOW_START (grow as slow start does), XTCP_HS_CSS (grow by
 * @grow), or XTCP_HS_EXIT (CSS is over: ssthresh becomes the window; HyStart++
 * is done).
 */
enum xtcp_hs_verdict xtcp_hystart_ack(struct xtcp_hystart *h, u32 ack, u32 snd_nxt,
				      u32 acked, s32 rtt_us, u32 *grow)
{
	*grow = 0;
	if (h->done)
		return XTCP_HS_SLOW_START;
	if (!h->started || !xtcp_seq_before(ack, h->window_end)) {
		/* A round ends (or the first begins). */
		if (h->started && h->in_css && ++h->css_rounds >= XTCP_HS_CSS_ROUNDS) {
			h->done = true;
			return XTCP_HS_EXIT;
		}
		h->last_round_min = h->cur_round_min;
		h->cur_round_min = 0;
		h->samples = 0;
		h->window_end = snd_nxt;
		h->started = true;
	}
	/* The sample, in the round this ACK is part of. */
	if (rtt_us > 0) {
		if (!h->cur_round_min || (u32)rtt_us < h->cur_round_min)
			h->cur_round_min = rtt_us;
		if (h->samples < U8_MAX)
			h->samples++;
	}
	if (h->samples >= XTCP_HS_N_RTT_SAMPLE && h->cur_round_min && h->last_round_min) {
		if (!h->in_css &&
		    h->cur_round_min >= h->last_round_min +
					xtcp_hystart_thresh(h->last_round_min)) {
			h->in_css = true;
			h->css_rounds = 0;
			h->css_cnt = 0;
			h->css_baseline = h->cur_round_min;
		} else if (h->in_css && h->cur_round_min < h->css_baseline) {
			/* The RTT came back down: the rise was no queue. */
			h->in_css = false;
		}
	}
	if (!h->in_css)
		return XTCP_HS_SLOW_START;
	h->css_cnt += min_t(u32, acked, XTCP_HS_L);
	*grow = h->css_cnt / XTCP_HS_CSS_GROWTH_DIVISOR;
	h->css_cnt %= XTCP_HS_CSS_GROWTH_DIVISOR;
	return XTCP_HS_CSS;
}
EXPORT_SYMBOL_GPL(xtcp_hystart_ack);

/**
 * xtcp_hystart_loss() - a loss: slow start (and HyStart++) is over.
 * @h: the state.
 */
void xtcp_hystart_loss(struct xtcp_hystart *h)
{
	h->done = true;
	h->in_css = false;
}
EXPORT_SYMBOL_GPL(xtcp_hystart_loss);
