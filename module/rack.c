// SPDX-License-Identifier: GPL-2.0
/*
 * rack.c - RACK (RFC 8985 6): loss detected by time, not by counting.
 *
 * RFC 6675's rule (recovery.c) calls a segment lost once enough data above it
 * is SACKed: a loss near the tail of a flight, or of a segment sent again,
 * brings too few SACKs to say so, and waits for a timeout. RACK asks instead
 * when a segment was sent: if the peer got a segment sent after it, and a
 * round trip of that segment plus a reordering window have passed since it
 * went, it is lost. A retransmission is a new sending, so a hole sent again
 * and lost again is found the same way.
 *
 * Each segment of the write queue keeps when it was last sent and whether it
 * was sent more than once (struct xtcp_skb_cb). On each ACK (input.c) the
 * segments it acknowledges or SACKs are delivered: the most recently sent of
 * them is RACK's reference, its send time, end and round trip
 * (xtcp_rack_delivered()); a delivered segment sent again whose round trip is
 * shorter than the path's least was answered by its first copy and teaches
 * nothing. Then each segment not delivered and sent before the reference is
 * lost once its time is up (xtcp_rack_wait_us()); the first that is not yet
 * arms the reordering timer for the rest.
 *
 * The reordering window (xtcp_rack_reo_wnd()) is a quarter of the least RTT;
 * none in a recovery, or once three segments are SACKed, while no reordering
 * has been seen (a segment delivered below one delivered earlier, not sent
 * again). A D-SACK says a retransmission was needless: the window grows by a
 * quarter RTT, once per round trip, up to SRTT, and goes back to one quarter
 * after 16 recoveries without one (xtcp_rack_dsack(),
 * xtcp_rack_recovery_done()).
 *
 * Times are the low 32 bits of xtcp_clock_us() (71 minutes before they wrap:
 * compared by difference). Pure functions, for KUnit.
 */
#include <linux/jiffies.h>
#include <linux/kernel.h>

#include "seq.h"
#include "xtcp.h"

/* Recoveries a grown reordering window lasts without a new D-SACK (RFC 8985 6.2). */
#define XTCP_RACK_REO_PERSIST	16

/* How long the least RTT seen stands before a new one replaces it (TCP's 5 min). */
#define XTCP_MIN_RTT_WIN	(300 * HZ)

/**
 * xtcp_rack_init() - a connection's RACK state, before anything is delivered.
 * @r: the state.
 * @una: SND.UNA.
 */
void xtcp_rack_init(struct xtcp_rack *r, u32 una)
{
	memset(r, 0, sizeof(*r));
	r->reo_wnd_mult = 1;
	r->lost_end = una;
	r->fack = una;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_rack_init);

/* Segment 1 (sent at @t1, ending at @e1) went after segment 2. */
static bool xtcp_rack_sent_after(u32 t1, u32 e1, u32 t2, u32 e2)
{
	return (s32)(t1 - t2) > 0 || (t1 == t2 && xtcp_seq_after(e1, e2));
}

/**
 * xtcp_rack_min_rtt() - a round-trip sample for the least RTT.
 * @r: the state.
 * @rtt_us: the sample.
 * @now: jiffies.
 *
 * The least RTT is the smallest sample of the last five minutes, as TCP
 * keeps it: a smaller one replaces it at once, an older one gives way to the
 * next sample.
 */
void xtcp_rack_min_rtt(struct xtcp_rack *r, u32 rtt_us, u32 now)
{
	rtt_us = max(rtt_us, 1U);
	if (!r->min_rtt_us || rtt_us <= r->min_rtt_us ||
	    now - r->min_rtt_stamp > XTCP_MIN_RTT_WIN) {
		r->min_rtt_us = rtt_us;
		r->min_rtt_stamp = now;
	}
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_rack_min_rtt);

/**
 * xtcp_rack_delivered() - the peer got a segment (RFC 8985 6.2 steps 1-3).
 * @r: the state.
 * @xmit_us: when the segment was last sent.
 * @end_seq: its end.
 * @retrans: it was sent more than once.
 * @now_us: now.
 *
 * A segment sent again whose round trip is under the least RTT was answered
 * by an earlier copy: it is no reference. A segment sent once that ends
 * below one delivered before it is reordering.
 *
 * Return: true if the segment shows reordering.
 */
bool xtcp_rack_delivered(struct xtcp_rack *r, u32 xmit_us, u32 end_seq, bool retrans,
			 u32 now_us)
{
	u32 rtt = now_us - xmit_us;
	bool reordered = false;

	if (retrans && rtt < r->min_rtt_us)
		return false;
	if (!retrans) {
		if (r->fack_set && xtcp_seq_before(end_seq, r->fack))
			reordered = true;
		else if (!r->fack_set || xtcp_seq_after(end_seq, r->fack))
			r->fack = end_seq;
		r->fack_set = true;
		if (reordered)
			r->reordering_seen = true;
	}
	if (!r->valid || xtcp_rack_sent_after(xmit_us, end_seq, r->xmit_us, r->end_seq)) {
		r->xmit_us = xmit_us;
		r->end_seq = end_seq;
		r->rtt_us = rtt;
		r->valid = true;
	}
	return reordered;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_rack_delivered);

/**
 * xtcp_rack_reo_wnd() - the reordering window (RFC 8985 6.2 step 4).
 * @r: the state.
 * @srtt_us: the smoothed RTT (its ceiling).
 * @recovery: a loss recovery is under way.
 * @sacked_segs: the segments SACKed.
 *
 * Return: the window in microseconds.
 */
u32 xtcp_rack_reo_wnd(const struct xtcp_rack *r, u32 srtt_us, bool recovery, u32 sacked_segs)
{
	u64 wnd;

	if (!r->reordering_seen && (recovery || sacked_segs >= XTCP_DUPTHRESH))
		return 0;
	wnd = (u64)(r->min_rtt_us / 4) * r->reo_wnd_mult;
	return min_t(u64, wnd, srtt_us);
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_rack_reo_wnd);

/**
 * xtcp_rack_dsack() - a D-SACK came: the window grows, once per round trip.
 * @r: the state.
 * @una: SND.UNA.
 * @snd_nxt: SND.NXT.
 */
void xtcp_rack_dsack(struct xtcp_rack *r, u32 una, u32 snd_nxt)
{
	if (r->dsack_round_set && xtcp_seq_before(una, r->dsack_round))
		return;
	r->dsack_round = snd_nxt;
	r->dsack_round_set = true;
	if (r->reo_wnd_mult < U8_MAX)
		r->reo_wnd_mult++;
	r->reo_wnd_persist = XTCP_RACK_REO_PERSIST;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_rack_dsack);

/**
 * xtcp_rack_recovery_done() - a recovery ended: one fewer before the window
 * goes back to a quarter RTT.
 * @r: the state.
 */
void xtcp_rack_recovery_done(struct xtcp_rack *r)
{
	if (r->reo_wnd_persist && !--r->reo_wnd_persist)
		r->reo_wnd_mult = 1;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_rack_recovery_done);

/**
 * xtcp_rack_wait_us() - is a segment not delivered lost (RFC 8985 6.2 step 5)?
 * @r: the state.
 * @xmit_us: when the segment was last sent.
 * @end_seq: its end.
 * @now_us: now.
 * @reo_wnd: the reordering window (xtcp_rack_reo_wnd()).
 *
 * Return: 0 if it is lost: sent before RACK's reference, and its round trip
 * and the window have passed since; else the microseconds until they will
 * have; U32_MAX if RACK cannot tell yet (nothing delivered was sent after it).
 */
u32 xtcp_rack_wait_us(const struct xtcp_rack *r, u32 xmit_us, u32 end_seq, u32 now_us,
		      u32 reo_wnd)
{
	u64 due = (u64)r->rtt_us + reo_wnd;
	u32 elapsed = now_us - xmit_us;

	if (!r->valid || !xtcp_rack_sent_after(r->xmit_us, r->end_seq, xmit_us, end_seq))
		return U32_MAX;
	if (elapsed >= due)
		return 0;
	return min_t(u64, due - elapsed, U32_MAX - 1);
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_rack_wait_us);
