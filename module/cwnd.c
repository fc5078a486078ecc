// SPDX-License-Identifier: GPL-2.0
/*
 * cwnd.c - the congestion window's life outside the controller: its start,
 * restart, timeouts and NewReno's fast recovery, counted in segments as Linux
 * counts them.
 *
 * How the window grows and what a loss leaves of it is the congestion
 * controller's (struct xtcp_cc_ops, cc.c; NewReno's in cc_reno.c); this file
 * keeps the rest, which every controller shares:
 *
 * - the initial window is RFC 6928's, min(10 * MSS, max(2 * MSS, 14600))
 *   bytes, and one segment when the SYN or SYN-ACK had to be sent again
 *   (RFC 5681 3.1);
 * - a retransmission timeout sets ssthresh to what the controller says (once
 *   per series of timeouts), and the window to one segment;
 * - after an idle period longer than an RTO the window restarts from
 *   min(cwnd, the initial window) (RFC 5681 4.1);
 * - with a peer without SACK (with SACK, recovery.c decides), the first and
 *   second duplicate ACKs each let one new segment beyond the window go
 *   (limited transmit, RFC 3042); the third starts NewReno's fast
 *   retransmit and recovery (RFC 5681 3.2, RFC 6582): ssthresh is the
 *   controller's, the window ssthresh plus the three segments that left, one more
 *   per further duplicate; a partial ACK sends the next hole again and
 *   deflates the window by what it acknowledged (less one), and only the
 *   first restarts the retransmission timer (the Impatient variant, RFC
 *   6582 3.2 step 4: a burst of losses, repaired one per round trip, soon
 *   gives way to the timeout and go-back-N), the ACK of all
 *   that was sent before recovery began ends it with the window at ssthresh
 *   (or the flight and one if less). Duplicates of what was sent before the
 *   last recovery or timeout (below "recover") start none: the careful
 *   variant of RFC 6582 4.1. A recovery whose retransmission turns out
 *   needless (the first ACK of it echoes the original's timestamp: RFC
 *   3522's Eifel detection, input.c) is undone: the threshold back, the
 *   window the controller's .undo_cwnd;
 * - an ECN echo (RFC 3168 6.1.2) reduces once per window of data: ssthresh
 *   is the controller's, the window goes down to it as PRR paces it and
 *   grows no more until the ACK of what was out when it began; a recovery or
 *   timeout meanwhile keeps that ssthresh.
 *
 * Pure functions of a struct xtcp_cwnd, for KUnit.
 */
#include <linux/kernel.h>
#include <linux/jiffies.h>

#include "seq.h"
#include "xtcp.h"

/* New segments limited transmit lets go beyond the window (RFC 3042). */
#define XTCP_LIMITED_TRANSMIT	2

/**
 * xtcp_cwnd_initial() - RFC 6928's initial window, in segments.
 * @mss: the sending MSS.
 *
 * Return: min(10, max(2, 14600 / @mss)).
 */
u32 xtcp_cwnd_initial(u32 mss)
{
	if (!mss)
		return XTCP_INIT_CWND;
	return clamp_t(u32, 14600 / mss, 2, XTCP_INIT_CWND);
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_cwnd_initial);

/**
 * xtcp_cwnd_init() - the window of a new connection.
 * @c: the window.
 * @iw: the initial window, in segments (xtcp_cwnd_initial(), or 1).
 * @now: jiffies.
 */
void xtcp_cwnd_init(struct xtcp_cwnd *c, u32 iw, u32 now)
{
	memset(c, 0, sizeof(*c));
	c->ca.cwnd = max_t(u32, iw, 1);
	c->ca.ssthresh = XTCP_INFINITE_SSTHRESH;
	c->ca.last_send = now;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_cwnd_init);

/**
 * xtcp_cwnd_timeout_sets_ssthresh() - does this timeout set a new ssthresh?
 * @c: the window.
 * @first: the first timeout since data was last acknowledged (a second
 *	would halve a flight of one).
 *
 * Return: true for the first timeout outside fast recovery and an ECN
 * reduction (a timeout during one keeps the ssthresh its start set, as Linux).
 */
bool xtcp_cwnd_timeout_sets_ssthresh(const struct xtcp_cwnd *c, bool first)
{
	return first && !c->recovery && !c->cwr;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_cwnd_timeout_sets_ssthresh);

/**
 * xtcp_cwnd_timeout() - the retransmission timer fired.
 * @c: the window.
 * @ssthresh: the threshold from now on (the controller's, or the current one:
 *	xtcp_cwnd_timeout_sets_ssthresh()).
 * @snd_max: SND.MAX: what is sent again from SND.UNA now (go-back-N) may
 *	bring duplicate ACKs up to it, which must start no fast retransmit.
 *
 * Fast recovery ends; the window is one segment.
 */
void xtcp_cwnd_timeout(struct xtcp_cwnd *c, u32 ssthresh, u32 snd_max)
{
	c->ca.ssthresh = max_t(u32, ssthresh, 1);
	c->ca.cwnd = 1;
	c->ca.cwnd_cnt = 0;
	c->dupacks = 0;
	c->recovery = false;
	c->cwr = false;
	c->recover = snd_max;
	c->recover_set = true;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_cwnd_timeout);

/**
 * xtcp_cwnd_sent() - new data goes out.
 * @c: the window.
 * @now: jiffies.
 * @rto: the retransmission timeout, in jiffies.
 * @idle: nothing was in flight.
 * @iw: the initial window, in segments.
 *
 * After an idle period longer than @rto, the window starts again from at most
 * @iw (RFC 5681 4.1): the path may have changed meanwhile.
 *
 * Return: true when the window restarted so.
 */
bool xtcp_cwnd_sent(struct xtcp_cwnd *c, u32 now, u32 rto, bool idle, u32 iw)
{
	bool restart = idle && (s32)(now - c->ca.last_send) > (s32)rto;

	if (restart) {
		c->ca.cwnd = min(c->ca.cwnd, max_t(u32, iw, 1));
		c->ca.cwnd_cnt = 0;
	}
	c->ca.last_send = now;
	return restart;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_cwnd_sent);

/**
 * xtcp_cwnd_room() - how many more segments the window lets go.
 * @c: the window.
 * @in_flight: segments in flight.
 *
 * Return: cwnd (plus limited transmit's segments) - @in_flight, or 0.
 */
u32 xtcp_cwnd_room(const struct xtcp_cwnd *c, u32 in_flight)
{
	u32 cwnd = c->ca.cwnd;

	/* Limited transmit: a segment more for each of the first two duplicates. */
	if (!c->recovery)
		cwnd += min_t(u32, c->dupacks, XTCP_LIMITED_TRANSMIT);
	return cwnd > in_flight ? cwnd - in_flight : 0;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_cwnd_room);

/**
 * xtcp_cwnd_dupack() - a duplicate ACK came (RFC 5681 2: no data, no SYN or
 * FIN, the same window, SND.UNA unmoved with data outstanding).
 * @c: the window.
 * @una: SND.UNA, the ACK's value.
 *
 * In fast recovery the window grows by the segment that left (RFC 6582 3.2
 * step 3); the third duplicate outside it, unless it duplicates what an
 * earlier recovery or timeout sent again, starts one.
 *
 * Return: true when fast retransmit begins: the caller asks the controller
 * for ssthresh, calls xtcp_cwnd_enter_recovery() and sends the segment at
 * SND.UNA again.
 */
bool xtcp_cwnd_dupack(struct xtcp_cwnd *c, u32 una)
{
	if (c->recovery) {
		c->ca.cwnd = min_t(u32, c->ca.cwnd + 1, XTCP_MAX_CWND);
		return false;
	}
	if (c->dupacks < U8_MAX)
		c->dupacks++;
	if (c->dupacks != XTCP_DUPTHRESH)
		return false;
	return !(c->recover_set && xtcp_seq_before(una, c->recover));
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_cwnd_dupack);

/**
 * xtcp_cwnd_enter_recovery() - fast retransmit and recovery begin.
 * @c: the window.
 * @ssthresh: the controller's threshold for this loss.
 * @snd_max: SND.MAX: the recovery ends when all of it is acknowledged.
 *
 * The window is ssthresh plus the three segments the duplicates said left
 * (RFC 5681 3.2); the threshold it replaces is kept for an undo.
 */
void xtcp_cwnd_enter_recovery(struct xtcp_cwnd *c, u32 ssthresh, u32 snd_max)
{
	/* An ECN reduction under way gives way; the caller kept its ssthresh. */
	c->cwr = false;
	c->undo_ssthresh = c->ca.ssthresh;
	c->ca.ssthresh = clamp_t(u32, ssthresh, 1, XTCP_MAX_CWND);
	c->ca.cwnd = c->ca.ssthresh + XTCP_DUPTHRESH;
	c->ca.cwnd_cnt = 0;
	c->recover = snd_max;
	c->recover_set = true;
	c->recovery = true;
	c->partial_seen = false;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_cwnd_enter_recovery);

/**
 * xtcp_cwnd_recovery_ack() - new data acknowledged in fast recovery.
 * @c: the window, in recovery.
 * @ack: the new SND.UNA.
 * @acked: segments it acknowledged.
 * @in_flight: segments in flight after it.
 *
 * Return: true for a partial ACK (below recover): the caller sends the
 * segment at the new SND.UNA again. A full ACK ends recovery.
 */
bool xtcp_cwnd_recovery_ack(struct xtcp_cwnd *c, u32 ack, u32 acked, u32 in_flight)
{
	if (!xtcp_seq_before(ack, c->recover)) {
		/* RFC 6582 3.2 step 5, option 1: no burst out of a small flight. */
		c->ca.cwnd = min_t(u32, c->ca.ssthresh, max_t(u32, in_flight, 1) + 1);
		c->ca.cwnd_cnt = 0;
		c->dupacks = 0;
		c->recovery = false;
		return false;
	}
	/* Step 4: out go the acknowledged, in comes the one sent again. */
	c->ca.cwnd = c->ca.cwnd > acked ? c->ca.cwnd - acked : 0;
	if (acked)
		c->ca.cwnd++;
	c->ca.cwnd = max_t(u32, c->ca.cwnd, 1);
	c->partial_seen = true;
	return true;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_cwnd_recovery_ack);

/**
 * xtcp_cwnd_undo() - the recovery was spurious (the segment was late, not
 * lost): end it with the threshold it found (RFC 3522's response, as Linux
 * undoes), unless it has grown since, and the window the controller gives back.
 * @c: the window, in recovery.
 * @cwnd: the controller's .undo_cwnd.
 */
void xtcp_cwnd_undo(struct xtcp_cwnd *c, u32 cwnd)
{
	c->ca.cwnd = clamp_t(u32, cwnd, 1, XTCP_MAX_CWND);
	c->ca.ssthresh = max(c->ca.ssthresh, c->undo_ssthresh);
	c->ca.cwnd_cnt = 0;
	c->dupacks = 0;
	c->recovery = false;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_cwnd_undo);

/**
 * xtcp_cwnd_may_reduce() - may an ECN echo reduce the window now?
 * @c: the window.
 * @una: SND.UNA.
 *
 * Once per window of data (RFC 3168 6.1.2): not during a reduction for an
 * echo or a loss, nor for data sent before the last recovery or timeout,
 * which reduced for it already.
 *
 * Return: true when it may.
 */
bool xtcp_cwnd_may_reduce(const struct xtcp_cwnd *c, u32 una)
{
	return !c->cwr && !c->recovery &&
	       !(c->recover_set && xtcp_seq_before(una, c->recover));
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_cwnd_may_reduce);

/**
 * xtcp_cwnd_enter_cwr() - the peer echoed congestion: the window goes down to
 * @ssthresh over the next round trip, as PRR paces it (the caller starts PRR),
 * and stops growing until the reduction ends.
 * @c: the window, xtcp_cwnd_may_reduce() true.
 * @ssthresh: the controller's threshold.
 * @snd_nxt: SND.NXT: the reduction ends with an ACK beyond it.
 */
void xtcp_cwnd_enter_cwr(struct xtcp_cwnd *c, u32 ssthresh, u32 snd_nxt)
{
	c->ca.ssthresh = clamp_t(u32, ssthresh, 1, XTCP_MAX_CWND);
	c->ca.cwnd_cnt = 0;
	c->cwr_end = snd_nxt;
	c->cwr = true;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_cwnd_enter_cwr);

/**
 * xtcp_cwnd_cwr_done() - does an ACK end the ECN reduction?
 * @c: the window.
 * @una: the new SND.UNA.
 *
 * It ends with the ACK of data beyond @c->cwr_end: data sent after the
 * reduction began, the first of which carried CWR to the peer (as Linux, which
 * holds the state until then). The window is then ssthresh.
 *
 * Return: true when it ended now.
 */
bool xtcp_cwnd_cwr_done(struct xtcp_cwnd *c, u32 una)
{
	if (!c->cwr || !xtcp_seq_after(una, c->cwr_end))
		return false;
	c->cwr = false;
	c->ca.cwnd = c->ca.ssthresh;
	c->ca.cwnd_cnt = 0;
	return true;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_cwnd_cwr_done);
