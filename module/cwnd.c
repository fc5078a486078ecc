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
 *   min(cwnd, the initial window) (RFC 5681 4.1).
 *
 * Pure functions of a struct xtcp_cwnd, for KUnit.
 */
#include <linux/kernel.h>
#include <linux/jiffies.h>

#include "xtcp.h"

/* No threshold yet: slow start until the first loss. */
#define XTCP_INFINITE_SSTHRESH	0x7fffffffU
/* A bound far above any window (2^24 segments), so that sums cannot overflow. */
#define XTCP_MAX_CWND		BIT(24)

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
	c->cwnd = max_t(u32, iw, 1);
	c->ssthresh = XTCP_INFINITE_SSTHRESH;
	c->cnt = 0;
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
 */
void xtcp_cwnd_timeout(struct xtcp_cwnd *c, u32 in_flight, bool first)
{
	if (first)
		c->ssthresh = max_t(u32, in_flight / 2, 2);
	c->cwnd = 1;
	c->cnt = 0;
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
 * Return: cwnd - @in_flight, or 0.
 */
u32 xtcp_cwnd_room(const struct xtcp_cwnd *c, u32 in_flight)
{
	return c->cwnd > in_flight ? c->cwnd - in_flight : 0;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_cwnd_room);
