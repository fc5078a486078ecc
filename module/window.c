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
 */
#include <linux/kernel.h>
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
 * else the most the buffer can grow to (tcp_rmem[2], or net.core.rmem_max if
 * larger), as TCP chooses; at most TCP_WINDOW_CLAMP. A listener's SYN cookies
 * choose it again when the ACK comes: the same answer unless these changed.
 *
 * Return: the shift.
 */
u8 xtcp_rcv_wscale(const struct sock *sk)
{
	u32 space = READ_ONCE(sk->sk_rcvbuf);
	u32 clamp = READ_ONCE(xtcp_sk(sk)->window_clamp);

	if (!(sk->sk_userlocks & SOCK_RCVBUF_LOCK)) {
		space = max_t(u32, space, READ_ONCE(sock_net(sk)->ipv4.sysctl_tcp_rmem[2]));
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
