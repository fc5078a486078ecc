// SPDX-License-Identifier: GPL-2.0
/*
 * cwnd.c - the congestion window: RFC 5681's slow start and congestion
 * avoidance, counted in segments as Linux counts them.
 *
 * This is the one place where XTCP decides how much the network may take; the
 * pluggable congestion control of a later issue replaces it. It keeps a large
 * window (window scaling) from ever being sent in one burst into a path that
 * cannot take it:
 *
 * - the initial window is RFC 6928's, min(10 * MSS, max(2 * MSS, 14600))
 *   bytes, and one segment when the SYN or SYN-ACK had to be sent again
 *   (RFC 5681 3.1);
 * - slow start adds a segment per segment acknowledged (RFC 3465's byte
 *   counting, without its per-ACK limit L, as Linux: a receiver behind GRO
 *   acknowledges many segments at once), up to ssthresh; above it,
 *   congestion avoidance adds one segment per window acknowledged;
 * - the window grows only while it limits the sender (RFC 7661's spirit): a
 *   flow held back by the application or the peer's window does not earn a
 *   window it never used;
 * - a retransmission timeout sets ssthresh to half the flight, at least two
 *   segments (RFC 5681 eq. 4, once per series of timeouts), and the window to
 *   one segment;
 * - after an idle period longer than an RTO the window restarts from
 *   min(cwnd, the initial window) (RFC 5681 4.1);
 * - the first and second duplicate ACKs each let one new segment beyond the
 *   window go (limited transmit, RFC 3042); the third starts NewReno's fast
 *   retransmit and recovery (RFC 5681 3.2, RFC 6582): ssthresh is half the
 *   flight, the window ssthresh plus the three segments that left, one more
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
 *   3522's Eifel detection, input.c) is undone: window and threshold back.
 *
 * Pure functions of a struct xtcp_cwnd, for KUnit.
 */
#include <linux/kernel.h>
#include <linux/jiffies.h>

#include "seq.h"
#include "xtcp.h"

/* No threshold yet: slow start until the first loss. */
#define XTCP_INFINITE_SSTHRESH	0x7fffffffU
/* A bound far above any window (2^24 segments), so that sums cannot overflow. */
#define XTCP_MAX_CWND		BIT(24)
/* Duplicate ACKs that mean a loss (RFC 5681 3.2's DupThresh). */
#define XTCP_DUPTHRESH		3
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
	c->cwnd = max_t(u32, iw, 1);
	c->ssthresh = XTCP_INFINITE_SSTHRESH;
	c->last_send = now;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_cwnd_init);

/**
 * xtcp_cwnd_acked() - new data was acknowledged.
 * @c: the window.
 * @acked: segments acknowledged by this ACK.
 * @in_flight: segments in flight before it.
 *
 * In slow start the window is limited when at least half of it was in flight
 * (a slow start window doubles in a round trip); in congestion avoidance, when
 * all of it was.
 */
void xtcp_cwnd_acked(struct xtcp_cwnd *c, u32 acked, u32 in_flight)
{
	bool slow = c->cwnd < c->ssthresh;
	u32 grow;

	if (!acked || (slow ? 2 * (u64)in_flight < c->cwnd : in_flight < c->cwnd))
		return;
	if (slow) {
		grow = min(acked, c->ssthresh - c->cwnd);
		c->cwnd += grow;
		acked -= grow;
		if (!acked)
			goto out;
	}
	/* Congestion avoidance: one segment per cwnd segments acknowledged. */
	c->cnt += acked;
	if (c->cnt >= c->cwnd) {
		u32 n = c->cnt / c->cwnd;

		c->cnt -= n * c->cwnd;
		c->cwnd += n;
	}
out:
	c->cwnd = min_t(u32, c->cwnd, XTCP_MAX_CWND);
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_cwnd_acked);

/**
 * xtcp_cwnd_timeout() - the retransmission timer fired.
 * @c: the window.
 * @in_flight: segments in flight when it fired (FlightSize).
 * @first: the first timeout since data was last acknowledged: only it sets
 *	ssthresh (a second timeout would halve a flight of one).
 * @snd_max: SND.MAX: what is sent again from SND.UNA now (go-back-N) may
 *	bring duplicate ACKs up to it, which must start no fast retransmit.
 *
 * Fast recovery ends; a timeout during it keeps the ssthresh its start set.
 */
void xtcp_cwnd_timeout(struct xtcp_cwnd *c, u32 in_flight, bool first, u32 snd_max)
{
	if (first && !c->recovery)
		c->ssthresh = max_t(u32, in_flight / 2, 2);
	c->cwnd = 1;
	c->cnt = 0;
	c->dupacks = 0;
	c->recovery = false;
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
 */
void xtcp_cwnd_sent(struct xtcp_cwnd *c, u32 now, u32 rto, bool idle, u32 iw)
{
	if (idle && (s32)(now - c->last_send) > (s32)rto) {
		c->cwnd = min(c->cwnd, max_t(u32, iw, 1));
		c->cnt = 0;
	}
	c->last_send = now;
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
	u32 cwnd = c->cwnd;

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
 * @snd_max: SND.MAX.
 * @in_flight: segments in flight (FlightSize).
 *
 * Return: true when fast retransmit begins: the caller sends the segment at
 * SND.UNA again.
 */
bool xtcp_cwnd_dupack(struct xtcp_cwnd *c, u32 una, u32 snd_max, u32 in_flight)
{
	if (c->recovery) {
		/* Another segment left the network (RFC 6582 3.2 step 3). */
		c->cwnd = min_t(u32, c->cwnd + 1, XTCP_MAX_CWND);
		return false;
	}
	if (c->dupacks < U8_MAX)
		c->dupacks++;
	if (c->dupacks != XTCP_DUPTHRESH)
		return false;
	/* Duplicates of what an earlier recovery or timeout sent again. */
	if (c->recover_set && xtcp_seq_before(una, c->recover))
		return false;
	c->undo_cwnd = c->cwnd;
	c->undo_ssthresh = c->ssthresh;
	c->ssthresh = max_t(u32, in_flight / 2, 2);
	c->cwnd = c->ssthresh + XTCP_DUPTHRESH;
	c->cnt = 0;
	c->recover = snd_max;
	c->recover_set = true;
	c->recovery = true;
	c->partial_seen = false;
	return true;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_cwnd_dupack);

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
		c->cwnd = min_t(u32, c->ssthresh, max_t(u32, in_flight, 1) + 1);
		c->cnt = 0;
		c->dupacks = 0;
		c->recovery = false;
		return false;
	}
	/* Step 4: out go the acknowledged, in comes the one sent again. */
	c->cwnd = c->cwnd > acked ? c->cwnd - acked : 0;
	if (acked)
		c->cwnd++;
	c->cwnd = max_t(u32, c->cwnd, 1);
	c->partial_seen = true;
	return true;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_cwnd_recovery_ack);

/**
 * xtcp_cwnd_undo() - the recovery was spurious (the segment was late, not
 * lost): end it with the window and threshold it found (RFC 3522's response,
 * as Linux undoes), unless they have grown since.
 * @c: the window, in recovery.
 */
void xtcp_cwnd_undo(struct xtcp_cwnd *c)
{
	c->cwnd = max(c->cwnd, c->undo_cwnd);
	c->ssthresh = max(c->ssthresh, c->undo_ssthresh);
	c->cnt = 0;
	c->dupacks = 0;
	c->recovery = false;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_cwnd_undo);
