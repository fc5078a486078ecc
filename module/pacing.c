// SPDX-License-Identifier: GPL-2.0
/*
 * pacing.c - how fast a connection's segments may leave: sk_pacing_rate, as
 * TCP computes it, and XTCP's own pacing for a socket that asks for pacing
 * where no fq qdisc does it.
 *
 * The rate is TCP's (tcp_update_pacing_rate()): a window per smoothed RTT
 * (the larger of cwnd and the flight), times pacing_ss_ratio percent (200) in
 * slow start below half of ssthresh, where the window doubles per round trip,
 * and pacing_ca_ratio percent (120) after; no RTT sample yet, no limit. It is
 * updated on every ACK, never above SO_MAX_PACING_RATE. The fq qdisc paces
 * each socket's packets at its sk_pacing_rate, whatever the transport: that
 * is how TCP is paced by default, and so is XTCP.
 *
 * A socket that asked for pacing (SO_MAX_PACING_RATE sets sk_pacing_status to
 * SK_PACING_NEEDED; fq turns that into SK_PACING_FQ once it sees the socket's
 * packets) and has no fq below it is paced by XTCP itself, as TCP's internal
 * pacing: after each transmission the next may leave only when the last one's
 * bytes have drained at the rate (at most a second's wait; the first ten data
 * segments go at once); a push that finds it too early stops, and an hrtimer
 * at the departure time pushes again through TCP small queues' tasklet
 * (offload.c), under the socket lock.
 *
 * Locking: sk_pacing_rate is written under the socket lock and read anywhere
 * (READ_ONCE); @pacing_next_ns is the socket lock's; the timer holds a
 * reference to the socket while armed.
 */
#include <linux/hrtimer.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <net/sock.h>

#include "xtcp.h"

/* Data segments sent at once before internal pacing starts (as TCP). */
#define XTCP_PACING_FREE_SEGS	10

/**
 * xtcp_pacing_rate() - TCP's pacing rate for a window and an RTT.
 * @mss: the sending MSS.
 * @cwnd: the congestion window, in segments.
 * @ssthresh: the slow-start threshold, in segments.
 * @in_flight: the segments in flight.
 * @srtt_us: the smoothed RTT in microseconds; 0 before the first sample.
 * @ss_ratio: net.xtcp.pacing_ss_ratio, percent.
 * @ca_ratio: net.xtcp.pacing_ca_ratio, percent.
 *
 * Return: bytes per second; U64_MAX (no limit) without an RTT sample.
 */
u64 xtcp_pacing_rate(u32 mss, u32 cwnd, u32 ssthresh, u32 in_flight, u32 srtt_us,
		     u32 ss_ratio, u32 ca_ratio)
{
	u32 ratio = cwnd < ssthresh / 2 ? ss_ratio : ca_ratio;
	u64 rate;

	if (!srtt_us)
		return U64_MAX;
	/* Below 2^16 * 10^6 * 10^3 / 100 * 2^24 = 1.1 * 10^19: no overflow. */
	rate = div_u64((u64)mss * USEC_PER_SEC * min(ratio, 1000U), 100);
	return div_u64(rate * min_t(u32, max(cwnd, in_flight), XTCP_MAX_CWND), srtt_us);
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_pacing_rate);

/**
 * xtcp_pacing_delay_ns() - how long @bytes take to leave at @rate.
 * @bytes: the bytes just sent.
 * @rate: the pacing rate, bytes per second; 0 or ~0UL for none.
 *
 * Return: nanoseconds, at most a second (as fq waits at most that long).
 */
u64 xtcp_pacing_delay_ns(u32 bytes, unsigned long rate)
{
	if (!rate || rate == ~0UL)
		return 0;
	return min_t(u64, div64_ul((u64)bytes * NSEC_PER_SEC, rate), NSEC_PER_SEC);
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_pacing_delay_ns);

/**
 * xtcp_update_pacing_rate() - the rate after an ACK (or the handshake's end).
 * @sk: the socket, locked.
 */
void xtcp_update_pacing_rate(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_net *xn = xtcp_pernet(sock_net(sk));
	u64 rate;

	rate = xtcp_pacing_rate(xs->mss ? xs->mss : XTCP_MSS_DEFAULT, xs->cwnd.ca.cwnd,
				xs->cwnd.ca.ssthresh, xtcp_packets_in_flight(xs, xs->snd_nxt),
				xs->rtt.srtt_us, READ_ONCE(xn->sysctl.pacing_ss_ratio),
				READ_ONCE(xn->sysctl.pacing_ca_ratio));
	WRITE_ONCE(sk->sk_pacing_rate,
		   min_t(u64, rate, READ_ONCE(sk->sk_max_pacing_rate)));
}

/* XTCP paces this socket itself: asked to, and no fq below does it. */
static bool xtcp_pacing_internal(const struct sock *sk)
{
	/* Pairs with fq's smp_store_release() of SK_PACING_FQ (as TCP's read). */
	return smp_load_acquire(&sk->sk_pacing_status) == SK_PACING_NEEDED;
}

/**
 * xtcp_pacing_wait() - must the next segment wait for its departure time?
 * @sk: the socket, locked.
 *
 * Return: true when it must; the pacing timer then runs for that time.
 */
bool xtcp_pacing_wait(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!xtcp_pacing_internal(sk) || xs->pacing_next_ns <= ktime_get_ns())
		return false;
	if (!hrtimer_is_queued(&xs->pacing_timer)) {
		sock_hold(sk);
		hrtimer_start(&xs->pacing_timer, ns_to_ktime(xs->pacing_next_ns),
			      HRTIMER_MODE_ABS_PINNED_SOFT);
	}
	return true;
}

/**
 * xtcp_pacing_sent() - a segment of @bytes left: when the next may.
 * @sk: the socket, locked.
 * @bytes: its bytes on the wire, or its data's.
 */
void xtcp_pacing_sent(struct sock *sk, u32 bytes)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u64 now;

	if (!xtcp_pacing_internal(sk) || xs->counts.data_segs_out < XTCP_PACING_FREE_SEGS)
		return;
	now = ktime_get_ns();
	xs->pacing_next_ns = max(xs->pacing_next_ns, now) +
			     xtcp_pacing_delay_ns(bytes, READ_ONCE(sk->sk_pacing_rate));
}

/* The departure time came: push again, from TCP small queues' tasklet. */
static enum hrtimer_restart xtcp_pacing_timer_fn(struct hrtimer *t)
{
	struct xtcp_sock *xs = container_of(t, struct xtcp_sock, pacing_timer);

	/* The timer's reference goes to the tasklet's list (or is dropped). */
	xtcp_tsq_kick(&xs->inet.sk);
	return HRTIMER_NORESTART;
}

/**
 * xtcp_pacing_init() - a new socket's pacing timer.
 * @sk: the socket.
 */
void xtcp_pacing_init(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	hrtimer_init(&xs->pacing_timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_PINNED_SOFT);
	xs->pacing_timer.function = xtcp_pacing_timer_fn;
	xs->pacing_next_ns = 0;
}

/**
 * xtcp_pacing_stop() - the connection is over: no more pushes for it.
 * @sk: the socket, locked.
 */
void xtcp_pacing_stop(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	/* A callback already running drops its reference itself. */
	if (hrtimer_try_to_cancel(&xs->pacing_timer) == 1)
		__sock_put(sk);
}
