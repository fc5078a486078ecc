// SPDX-License-Identifier: GPL-2.0
/*
 * window.c - the receive window: how much to offer, when an update is worth an
 * ACK, and window scaling (RFC 7323 section 2).
 *
 * With window scaling the window field says the window shifted right by our
 * shift (rcv_wscale), chosen at the SYN from the largest buffer the socket may
 * get. The low bits a shift drops are rounded up, never down: the right edge of
 * what we offered never moves left (RFC 7323 2.4), and RCV.WND is always what
 * the peer reads from the field, so that the acceptability test and the peer
 * agree on the edge.
 *
 * Autotuning (dynamic right-sizing, as Linux's) grows the receive buffer to
 * what the application drains in a round trip, so that the window never holds
 * back a sender the application keeps up with: once per RTT as the receiver
 * measures it (from echoed timestamps, or the time a window's worth of data
 * takes to arrive), the buffer becomes xtcp_rcvbuf_target() of the bytes read
 * in that RTT, up to net.xtcp.rmem's max. The send buffer grows with the
 * congestion window (xtcp_sndbuf_target()), up to net.xtcp.wmem's max.
 * SO_RCVBUF and SO_SNDBUF turn either off for the socket, as on TCP; neither
 * grows under memory pressure (mem.c).
 */
#include <linux/ip.h>
#include <linux/kernel.h>
#include <linux/tcp.h>
#include <net/sock.h>

#include "seq.h"
#include "xtcp.h"

/**
 * xtcp_wscale_for_space() - the shift a window of up to @space bytes needs.
 * @space: the largest window to be offered.
 *
 * Return: the least shift that brings @space into 16 bits, at most 14 (RFC 7323
 * 2.3); a larger @space is offered as 65535 << 14.
 */
u8 xtcp_wscale_for_space(u32 space)
{
	u8 shift = 0;

	while (shift < XTCP_MAX_WSCALE && (space >> shift) > XTCP_MAX_WINDOW)
		shift++;
	return shift;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_wscale_for_space);

/**
 * xtcp_rcv_wscale() - the shift a socket announces in its SYN or SYN-ACK.
 * @sk: the connecting socket, or the listener.
 *
 * For the largest receive buffer the socket may have: what SO_RCVBUF set, or
 * else the most autotuning can grow it to (net.xtcp.rmem's max, or
 * net.core.rmem_max if larger), as TCP chooses; at most TCP_WINDOW_CLAMP. A listener's SYN cookies
 * choose it again when the ACK comes: the same answer unless these changed.
 *
 * Return: the shift.
 */
u8 xtcp_rcv_wscale(const struct sock *sk)
{
	u32 space = READ_ONCE(sk->sk_rcvbuf);
	u32 clamp = READ_ONCE(xtcp_sk(sk)->window_clamp);

	if (!(sk->sk_userlocks & SOCK_RCVBUF_LOCK)) {
		space = max_t(u32, space,
			      READ_ONCE(xtcp_pernet(sock_net(sk))->sysctl.rmem[2]));
		space = max_t(u32, space, READ_ONCE(sysctl_rmem_max));
	}
	if (clamp)
		space = min(space, clamp);
	return xtcp_wscale_for_space(space);
}

/**
 * xtcp_scale_window() - the window field that offers at least @win bytes.
 * @win: the window chosen, in bytes.
 * @wscale: our shift (0 without window scaling).
 * @rcv_wnd: set to what the field says, in bytes: @win rounded up to a multiple
 *	of 1 << @wscale, at most 65535 << @wscale.
 *
 * Return: the field.
 */
u16 xtcp_scale_window(u32 win, u8 wscale, u32 *rcv_wnd)
{
	u32 field;

	wscale = min_t(u8, wscale, XTCP_MAX_WSCALE);
	/* Rounded up, without the overflow of adding first. */
	field = (win >> wscale) + !!(win & ((1U << wscale) - 1));
	field = min_t(u32, field, XTCP_MAX_WINDOW);
	*rcv_wnd = field << wscale;
	return field;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_scale_window);

/**
 * xtcp_max_rcv_wnd() - the largest window a connection's window field can say.
 * @xs: the socket.
 *
 * Return: 65535 shifted by our window scale, 65535 without window scaling (and
 * on a listener, whose SYN-ACKs are never scaled).
 */
u32 xtcp_max_rcv_wnd(const struct xtcp_sock *xs)
{
	return XTCP_MAX_WINDOW << (xs->wscale_ok ? xs->rcv_wscale : 0);
}

/**
 * xtcp_rcv_space() - the window a socket's receive buffer allows: half its free
 * space (the rest is skb overhead), at most what the window field can say (see
 * xtcp_max_rcv_wnd()), and at most TCP_WINDOW_CLAMP.
 * @sk: a connection, or a listener (for its SYN-ACKs and new connections).
 *
 * Return: the window, in bytes.
 */
u32 xtcp_rcv_space(const struct sock *sk)
{
	int space = READ_ONCE(sk->sk_rcvbuf) - atomic_read(&sk->sk_rmem_alloc);
	u32 clamp = READ_ONCE(xtcp_sk(sk)->window_clamp);
	u32 max = xtcp_max_rcv_wnd(xtcp_sk(sk));

	if (space <= 0)
		return 0;
	return min3((u32)space / 2, max, clamp ? clamp : max);
}

/**
 * xtcp_select_window() - the window to offer next.
 * @rcv_nxt: RCV.NXT.
 * @right: the right edge last offered (RCV.WUP + RCV.WND).
 * @space: the receive space free now.
 * @step: the least increase worth offering.
 *
 * The right edge never moves left (RFC 9293 3.8.6.2.2 lets a receiver shrink the
 * window, but asks it not to), and it moves right only by at least @step, so
 * that the peer is not invited to send small segments: the receiver's side of
 * silly window avoidance.
 *
 * Return: the window, counted from @rcv_nxt.
 */
u32 xtcp_select_window(u32 rcv_nxt, u32 right, u32 space, u32 step)
{
	u32 cur = xtcp_seq_after(right, rcv_nxt) ? right - rcv_nxt : 0;

	if (space > cur && space - cur >= step)
		return space;
	return cur;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_select_window);

/* The least increase of the window worth offering: an MSS, or a quarter of the buffer. */
static u32 xtcp_window_step(const struct sock *sk)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);

	return min_t(u32, xs->mss ? xs->mss : XTCP_MSS_DEFAULT, READ_ONCE(sk->sk_rcvbuf) / 4);
}

/**
 * xtcp_window_to_announce() - the window the next segment offers.
 * @sk: the socket.
 *
 * See xtcp_select_window(); the step is an MSS, or a quarter of the buffer if
 * that is smaller. Not for a SYN, whose window is never scaled.
 *
 * Return: the window field (scaled); @sk's RCV.WUP and RCV.WND are updated to
 * what it says.
 */
u16 xtcp_window_to_announce(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 win;

	win = xtcp_select_window(xs->rcv_nxt, xs->rcv_wup + xs->rcv_wnd, xtcp_rcv_space(sk),
				 xtcp_window_step(sk));
	xs->rcv_wup = xs->rcv_nxt;
	return xtcp_scale_window(win, xs->wscale_ok ? xs->rcv_wscale : 0, &xs->rcv_wnd);
}

/**
 * xtcp_window_update_worth() - is the window the next segment would offer worth
 * an ACK of its own?
 * @rcv_nxt: RCV.NXT.
 * @right: the right edge last offered (RCV.WUP + RCV.WND).
 * @space: the receive space free now.
 * @mss: the MSS the peer sends with.
 * @step: the step of xtcp_select_window().
 *
 * Only if the window xtcp_select_window() would offer is larger than the one the
 * peer knows by two segments, or opens from less than a segment to at least one
 * (RFC 9293 3.8.6.2.2; Linux waits the same way). An ACK that would offer the same
 * window again is a duplicate ACK, which the peer may count towards a fast
 * retransmit.
 *
 * Return: true if an ACK should go out now.
 */
bool xtcp_window_update_worth(u32 rcv_nxt, u32 right, u32 space, u32 mss, u32 step)
{
	u32 cur = xtcp_seq_after(right, rcv_nxt) ? right - rcv_nxt : 0;
	u32 next = xtcp_select_window(rcv_nxt, right, space, step);

	if (next <= cur)
		return false;
	return next - cur >= 2 * mss || (cur < mss && next >= mss);
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_window_update_worth);

/**
 * xtcp_window_update_due() - has reading opened the window enough to tell the
 * peer? See xtcp_window_update_worth().
 * @sk: the socket.
 *
 * Return: true if an ACK should go out now.
 */
bool xtcp_window_update_due(const struct sock *sk)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);

	return xtcp_window_update_worth(xs->rcv_nxt, xs->rcv_wup + xs->rcv_wnd,
					xtcp_rcv_space(sk), xs->mss ? xs->mss : XTCP_MSS_DEFAULT,
					xtcp_window_step(sk));
}

/**
 * xtcp_rcvbuf_target() - the receive buffer for an application that reads
 * @copied bytes per round trip.
 * @copied: bytes read in the last RTT.
 * @advmss: the MSS we announced (the peer's segments).
 *
 * The window must let the sender double that in the next RTT (slow start
 * doubles per round trip), with 16 segments more for the noise of delayed
 * ACKs and timing; XTCP offers half its free buffer (xtcp_rcv_space(), the
 * other half pays for skb overhead), so the buffer is twice the window.
 *
 * Return: the buffer size in bytes, at most INT_MAX.
 */
u32 xtcp_rcvbuf_target(u32 copied, u32 advmss)
{
	u64 win = 2ULL * copied + 16ULL * advmss;

	return min_t(u64, 2 * win, INT_MAX);
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_rcvbuf_target);

/**
 * xtcp_syn_window() - the window a SYN or SYN-ACK offers (never scaled, RFC
 * 7323 2.2): the free space, cut to whole segments of @mss, at most 65535.
 * TCP quantizes its first window the same way (a SYN over Ethernet offers
 * 64240 or 65160, over loopback 65495), so that the peer's first flight is
 * of full segments.
 * @space: the receive space (xtcp_rcv_space()).
 * @mss: the payload of a full segment the peer will send: the MSS we announce,
 *	less the timestamps once they are agreed (a SYN-ACK's).
 *
 * Return: the window field.
 */
u32 xtcp_syn_window(u32 space, u32 mss)
{
	if (mss && space > mss)
		space = rounddown(space, mss);
	return min_t(u32, space, XTCP_MAX_WINDOW);
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_syn_window);

/**
 * xtcp_mss_half_window() - the sending MSS against the peer's largest window
 * when the MSS is set: no more than half of it (all of it if it is at most the
 * default MSS), so that a window of two segments is still full and a lost one
 * leaves another to tell of it; above the least MSS XTCP sends. TCP bounds its
 * MSS the same way (tcp_bound_to_half_wnd()): on loopback, whose MTU of 64 KiB
 * is above any unscaled window, the MSS is half the peer's first window.
 * @mss: the MSS from the path and the peer's MSS option.
 * @max_window: the largest window the peer offered; 0 for none yet.
 *
 * Return: the MSS to send with.
 */
u32 xtcp_mss_half_window(u32 mss, u32 max_window)
{
	u32 cutoff = max_window > XTCP_MSS_DEFAULT ? max_window / 2 : max_window;

	if (cutoff && mss > cutoff)
		return min_t(u32, mss, max_t(u32, cutoff, XTCP_MIN_MSS / 2));
	return mss;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_mss_half_window);

/**
 * xtcp_sndbuf_target() - the send buffer a congestion window of @cwnd segments
 * wants: a window in flight and as much queued behind it, in skb terms, so that
 * the application keeps the window full while the ACKs of the last come back.
 * @cwnd: the congestion window, in segments.
 * @mss: the sending MSS.
 *
 * Return: the buffer size in bytes, at most INT_MAX.
 */
u32 xtcp_sndbuf_target(u32 cwnd, u32 mss)
{
	u64 per = SKB_TRUESIZE(mss + XTCP_SKB_HEADROOM);

	return min_t(u64, 2ULL * cwnd * per, INT_MAX);
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_sndbuf_target);

/**
 * xtcp_rcv_rtt_filter() - fold a receiver RTT sample into the estimate.
 * @old_us: the estimate, 0 for none yet.
 * @sample_us: the sample, 0 for none.
 * @upper_bound: the sample is the time a window took to arrive, which is at
 *	least an RTT (a sender held back by the application makes it longer):
 *	it only lowers the estimate. A timestamp sample is an RTT: it moves the
 *	estimate by an eighth of the difference.
 *
 * Return: the new estimate.
 */
u32 xtcp_rcv_rtt_filter(u32 old_us, u32 sample_us, bool upper_bound)
{
	if (!sample_us)
		return old_us;
	if (!old_us)
		return sample_us;
	if (upper_bound)
		return min(old_us, sample_us);
	return old_us - old_us / 8 + sample_us / 8;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_rcv_rtt_filter);

/**
 * xtcp_rcv_tune_init() - start autotuning's measurements on a connection
 * that has just been synchronized.
 * @sk: the socket, locked.
 *
 * The first RTT's reads are compared with the initial window, or ten segments
 * if that is less: an application that reads more than that per round trip
 * earns a larger buffer.
 */
void xtcp_rcv_tune_init(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_rcv_tune *t = &xs->rcv_tune;

	memset(t, 0, sizeof(*t));
	t->space = min_t(u32, xs->rcv_wnd, XTCP_INIT_CWND * (u32)xs->advmss);
	t->seq = xs->copied_seq;
	/* A guess until segments come, as TCP's: small, so that one soon beats it. */
	t->rcv_mss = max_t(u32, min3((u32)min(xs->advmss, xs->mss), xs->rcv_wnd / 2,
				     (u32)XTCP_MSS_DEFAULT), XTCP_MIN_MSS);
}

/**
 * xtcp_rcv_mss_seen() - the peer's segment size, learnt from a segment.
 * @rcv_mss: what was known.
 * @len: the segment's payload (a GRO packet's gso_size).
 * @advmss: the MSS we announced, which the peer's segments never exceed.
 *
 * The peer's MSS is not what ours is: it is bounded by our MSS option, its
 * path, its options and half our window, none of which we see all of. Its
 * largest segment tells (TCP's rcv_mss likewise).
 *
 * Return: the new estimate.
 */
u32 xtcp_rcv_mss_seen(u32 rcv_mss, u32 len, u32 advmss)
{
	return len >= rcv_mss ? min(len, advmss) : rcv_mss;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_rcv_mss_seen);

/**
 * xtcp_rcv_rtt_measure() - take a receiver RTT sample from in-order data.
 * @sk: the socket, locked.
 * @cb: the segment, which has just advanced RCV.NXT.
 * @len: its payload, or the size of each segment a GRO packet holds.
 *
 * With timestamps, a full-sized segment's TSecr echoes the TSval of the ACK
 * that let it go: now less that is an RTT. Without them, the time from one
 * point to the arrival of the data a window beyond it is at least one.
 */
void xtcp_rcv_rtt_measure(struct sock *sk, const struct xtcp_skb_cb *cb, u32 len)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_rcv_tune *t = &xs->rcv_tune;
	u64 now;

	t->rcv_mss = xtcp_rcv_mss_seen(t->rcv_mss, len, xs->advmss);
	if (xs->ts_ok && (cb->opts & XTCP_CB_TS)) {
		if (len >= t->rcv_mss)
			t->rtt_us = xtcp_rcv_rtt_filter(t->rtt_us,
							xtcp_ts_rtt_us(xtcp_ts_clock() + xs->ts_off,
								       cb->tsecr), false);
		return;
	}
	now = xtcp_clock_us();
	if (t->rtt_start && xtcp_seq_before(xs->rcv_nxt, t->rtt_seq))
		return;
	if (t->rtt_start)
		t->rtt_us = xtcp_rcv_rtt_filter(t->rtt_us,
						clamp_t(u64, now - t->rtt_start, 1, U32_MAX),
						true);
	t->rtt_seq = xs->rcv_nxt + max_t(u32, xs->rcv_wnd, xs->advmss);
	t->rtt_start = now;
}

/**
 * xtcp_rcv_space_adjust() - the application has read: once per RTT, grow the
 * receive buffer to what it reads per RTT (xtcp_rcvbuf_target()).
 * @sk: the socket, locked.
 */
void xtcp_rcv_space_adjust(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_rcv_tune *t = &xs->rcv_tune;
	u64 now = xtcp_clock_us();
	u32 copied, buf, max;

	if (!t->time) {
		t->time = now;
		t->seq = xs->copied_seq;
		return;
	}
	if (!t->rtt_us || now - t->time < t->rtt_us)
		return;
	copied = xs->copied_seq - t->seq;
	if (copied > t->space) {
		t->space = copied;
		if (!(sk->sk_userlocks & SOCK_RCVBUF_LOCK) && !sk_under_memory_pressure(sk)) {
			max = READ_ONCE(xtcp_pernet(sock_net(sk))->sysctl.rmem[2]);
			buf = min(xtcp_rcvbuf_target(copied, xs->advmss), max);
			if (buf > (u32)READ_ONCE(sk->sk_rcvbuf))
				WRITE_ONCE(sk->sk_rcvbuf, buf);
		}
	}
	t->seq = xs->copied_seq;
	t->time = now;
}

/**
 * xtcp_sndbuf_expand() - the congestion window has grown: grow the send buffer
 * with it (xtcp_sndbuf_target()), up to net.xtcp.wmem's max, unless SO_SNDBUF
 * set it or memory is under pressure.
 * @sk: the socket, locked.
 */
void xtcp_sndbuf_expand(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 buf, max;

	if ((sk->sk_userlocks & SOCK_SNDBUF_LOCK) || sk_under_memory_pressure(sk))
		return;
	max = READ_ONCE(xtcp_pernet(sock_net(sk))->sysctl.wmem[2]);
	buf = min(xtcp_sndbuf_target(xs->cwnd.ca.cwnd, xs->mss ? xs->mss : XTCP_MSS_DEFAULT), max);
	if (buf > (u32)READ_ONCE(sk->sk_sndbuf))
		WRITE_ONCE(sk->sk_sndbuf, buf);
}
