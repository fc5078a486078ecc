// SPDX-License-Identifier: GPL-2.0
/*
 * rate.c - what a connection delivers: a delivery-rate sample on every ACK,
 * for the congestion controller (.cong_control) and TCP_INFO
 * (tcpi_delivery_rate), and the time it spent with data to send or
 * acknowledged (tcpi_busy_time).
 *
 * The sampler is TCP's (tcp_rate.c, after "Delivery Rate Estimation",
 * draft-cheng-iccrg-delivery-rate-estimation), in XTCP's code. Every
 * transmission of a segment takes a snapshot: the delivered count then (the
 * segments the peer said arrived: tcpi_delivered), when it last moved, and
 * when the send phase began (the send time of the newest segment delivered
 * then). An ACK looks at the newest segment it delivers (acknowledged or
 * SACKed; the last sent, ties going to the higher sequence): the segments
 * delivered since its snapshot, over the longer of the send phase (from its
 * snapshot's phase start to its own transmission) and the ACK phase (from its
 * snapshot's delivery time to now), are the sample. The longer of the two
 * keeps a burst of ACKs (ACK compression) or of sends from inflating it; one
 * shorter than the least RTT is no sample. Segments sent while the
 * application had nothing more to send (and the window was open) make their
 * samples application-limited: a lower bound, kept for TCP_INFO only if
 * higher than the last.
 *
 * Pure functions of a struct xtcp_rate, a struct xtcp_rate_sample and a
 * segment's control block, for KUnit; the caller holds the socket lock.
 * Times are the low 32 bits of xtcp_clock_us() (differences of up to 71
 * minutes are right).
 */
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/time64.h>

#include "seq.h"
#include "xtcp.h"

/**
 * xtcp_rate_sent() - a segment is sent (first or again): its snapshot.
 * @r: the sampler.
 * @cb: the segment's control block; its xmit_us is set.
 * @delivered: the delivered count now.
 * @idle: nothing was in flight: a new send phase (and delivery time) starts.
 */
void xtcp_rate_sent(struct xtcp_rate *r, struct xtcp_skb_cb *cb, u32 delivered, bool idle)
{
	if (idle) {
		r->first_tx_us = cb->xmit_us;
		r->delivered_us = cb->xmit_us;
	}
	cb->tx_first_us = r->first_tx_us;
	cb->tx_delivered_us = r->delivered_us;
	cb->tx_delivered = delivered;
	cb->txf &= ~(XTCP_TXF_APP_LIMITED | XTCP_TXF_RATED);
	if (r->app_limited)
		cb->txf |= XTCP_TXF_APP_LIMITED;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_rate_sent);

/* Was @a sent after @b: later, or at once and ending further on? */
static bool xtcp_rate_sent_after(u32 a_us, u32 b_us, u32 a_end, u32 b_end)
{
	return (s32)(a_us - b_us) > 0 || (a_us == b_us && xtcp_seq_after(a_end, b_end));
}

/**
 * xtcp_rate_delivered() - an ACK delivers a segment (acknowledges or SACKs it).
 * @r: the sampler.
 * @rs: the sample the ACK builds.
 * @cb: the segment's control block.
 * @sacked: it is SACKed whole: its cumulative ACK must not count it again.
 */
void xtcp_rate_delivered(struct xtcp_rate *r, struct xtcp_rate_sample *rs,
			 struct xtcp_skb_cb *cb, bool sacked)
{
	if (cb->txf & XTCP_TXF_RATED)
		return;
	if (!rs->prior_valid ||
	    xtcp_rate_sent_after(cb->xmit_us, r->first_tx_us, cb->end_seq, rs->last_end_seq)) {
		rs->prior_valid = true;
		rs->prior_delivered = cb->tx_delivered;
		rs->prior_us = cb->tx_delivered_us;
		rs->is_app_limited = cb->txf & XTCP_TXF_APP_LIMITED;
		rs->is_retrans = cb->txf & XTCP_TXF_RETRANS;
		rs->last_end_seq = cb->end_seq;
		rs->snd_interval_us = cb->xmit_us - cb->tx_first_us;
		/* The next send phase starts from the newest segment delivered. */
		r->first_tx_us = cb->xmit_us;
	}
	if (sacked)
		cb->txf |= XTCP_TXF_RATED;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_rate_delivered);

/**
 * xtcp_rate_sample_start() - an ACK arrives: its sample starts empty.
 * @rs: the sample.
 */
void xtcp_rate_sample_start(struct xtcp_rate_sample *rs)
{
	memset(rs, 0, sizeof(*rs));
	rs->rtt_us = -1;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_rate_sample_start);

/**
 * xtcp_rate_gen() - the ACK's sample, once it delivered what it did.
 * @r: the sampler.
 * @rs: the sample.
 * @delivered: the delivered count after the ACK.
 * @acked_sacked: the segments this ACK delivered.
 * @now_us: the clock.
 * @min_rtt_us: the least RTT seen, 0 if none.
 */
void xtcp_rate_gen(struct xtcp_rate *r, struct xtcp_rate_sample *rs, u32 delivered,
		   u32 acked_sacked, u32 now_us, u32 min_rtt_us)
{
	/* The application-limited data is all delivered: that period is over. */
	if (r->app_limited && xtcp_seq_after(delivered, r->app_limited))
		r->app_limited = 0;
	if (acked_sacked)
		r->delivered_us = now_us;
	rs->acked_sacked = acked_sacked;
	if (!rs->prior_valid) {
		rs->delivered = -1;
		rs->interval_us = -1;
		return;
	}
	rs->delivered = delivered - rs->prior_delivered;
	rs->rcv_interval_us = now_us - rs->prior_us;
	rs->interval_us = min_t(u32, max(rs->snd_interval_us, rs->rcv_interval_us), S32_MAX);
	/* Shorter than a round trip: segments were counted twice, or lost track of. */
	if ((u32)rs->interval_us < min_rtt_us || rs->delivered < 0) {
		rs->interval_us = -1;
		return;
	}
	/* TCP_INFO keeps the last sample not limited by the application, or a higher one. */
	if (!rs->is_app_limited ||
	    (u64)rs->delivered * r->rate_interval_us >=
	    (u64)r->rate_delivered * rs->interval_us) {
		r->rate_delivered = rs->delivered;
		r->rate_interval_us = rs->interval_us;
		r->rate_app_limited = rs->is_app_limited;
	}
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_rate_gen);

/**
 * xtcp_rate_app_limited() - the application has run out of data to send.
 * @r: the sampler.
 * @delivered: the delivered count now.
 * @in_flight: the segments in flight.
 *
 * The caller checked that less than a segment waits unsent, nothing waits
 * below in the qdiscs, the window is not full and nothing lost waits to go
 * again. What is in flight is then all there is: the samples of its segments
 * are application-limited, until the delivered count passes it.
 */
void xtcp_rate_app_limited(struct xtcp_rate *r, u32 delivered, u32 in_flight)
{
	r->app_limited = delivered + in_flight ?: 1;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_rate_app_limited);

/**
 * xtcp_rate_bps() - TCP_INFO's delivery rate.
 * @r: the sampler.
 * @mss: the sending MSS.
 *
 * Return: bytes per second of the sample kept, 0 before the first.
 */
u64 xtcp_rate_bps(const struct xtcp_rate *r, u32 mss)
{
	if (!r->rate_interval_us)
		return 0;
	return div_u64((u64)r->rate_delivered * mss * USEC_PER_SEC, r->rate_interval_us);
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_rate_bps);

/**
 * xtcp_rate_busy() - the connection has data to send or acknowledged (@busy),
 * or none left.
 * @r: the sampler.
 * @busy: which.
 * @now_us: the clock, in microseconds (never 0).
 */
void xtcp_rate_busy(struct xtcp_rate *r, bool busy, u64 now_us)
{
	if (busy) {
		if (!r->busy_since_us)
			r->busy_since_us = now_us;
		return;
	}
	if (r->busy_since_us) {
		r->busy_us += now_us - r->busy_since_us;
		r->busy_since_us = 0;
	}
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_rate_busy);

/**
 * xtcp_rate_busy_us() - the time spent busy so far.
 * @r: the sampler.
 * @now_us: the clock, in microseconds.
 *
 * Return: microseconds, the current busy period included.
 */
u64 xtcp_rate_busy_us(const struct xtcp_rate *r, u64 now_us)
{
	return r->busy_us + (r->busy_since_us ? now_us - r->busy_since_us : 0);
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_rate_busy_us);
