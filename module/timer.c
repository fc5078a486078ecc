// SPDX-License-Identifier: GPL-2.0
/*
 * timer.c - a connection's timers, and the namespace's TIME_WAIT reaper.
 *
 * - rtx_timer: retransmission (RFC 6298: SYN, data and FIN, exponential backoff,
 *   TCP_SYNCNT or syn_retries in SYN_SENT and SYN_RECV, XTCP_RETRIES2 otherwise,
 *   or TCP_USER_TIMEOUT's time when set), with SACK a tail loss probe before it
 *   (RFC 8985 7; recovery.c), on a zero window the persist timer's
 *   probes (RFC 9293 3.8.6.1), which never give up while answered (but for
 *   TCP_USER_TIMEOUT), or the ceiling of a cork (TCP_CORK, MSG_MORE).
 * - delack_timer: a delayed ACK goes out at the latest XTCP_DELACK_MAX after the
 *   segment it acknowledges.
 * - sk_timer: keepalive (RFC 9293 3.8.4 / RFC 1122 4.2.3.6), or, for an orphaned
 *   socket in FIN_WAIT_2, the TCP_LINGER2 or fin_timeout_ms limit.
 * Each handler takes the socket's lock; when a task holds it, the handler tries
 * again XTCP_LOCKED_RETRY later. An armed timer holds a reference on the socket.
 */
#include <linux/jiffies.h>
#include <linux/timer.h>
#include <net/sock.h>

#include "xtcp.h"

/**
 * xtcp_arm_rtx() - (re)start the retransmission or persist timer.
 * @sk: the socket, locked.
 * @mode: XTCP_RTX_RETRANSMIT (a tail loss probe's timer instead when one is
 *	due first), XTCP_RTX_PERSIST or XTCP_RTX_CORK.
 */
void xtcp_arm_rtx(struct sock *sk, enum xtcp_rtx_mode mode)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 rto = xtcp_rtt_timeout(&xs->rtt);
	unsigned long when = usecs_to_jiffies(rto);

	/*
	 * Data in flight, SACK on, no recovery, timeout or probe under way: a
	 * tail loss probe before the RTO, if it comes sooner (recovery.c).
	 */
	if (mode == XTCP_RTX_RETRANSMIT && xs->sack_ok && !xs->cwnd.recovery &&
	    !xs->retransmits && !xs->tlp_out && !xs->frto && xs->snd_una != xs->snd_max &&
	    ((1 << sk->sk_state) & (XTCPF_ESTABLISHED | XTCPF_CLOSE_WAIT))) {
		u32 pto = xtcp_tlp_timeout_us(xs->rtt.srtt_us,
					      xtcp_packets_in_flight(xs, xs->snd_nxt), rto);

		if (pto) {
			mode = XTCP_RTX_PROBE;
			when = usecs_to_jiffies(pto);
		}
	}
	/* Retrying under TCP_USER_TIMEOUT: never past its end. */
	if (mode != XTCP_RTX_CORK && xs->user_timeout && xs->retransmits)
		when = clamp(xtcp_user_timeout_left(xs), 1UL, when);
	xs->rtx_mode = mode;
	sk_reset_timer(sk, &xs->rtx_timer, jiffies + when);
}

/**
 * xtcp_arm_reorder() - run the retransmission timer for RACK's reordering
 * window instead (rack.c), if it runs out before the RTO or probe armed.
 * @sk: the socket, locked, with data in flight.
 * @wait_us: the time until the first segment RACK waits on is lost.
 */
void xtcp_arm_reorder(struct sock *sk, u32 wait_us)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	unsigned long when = jiffies + max(usecs_to_jiffies(wait_us), 1UL);

	if (xs->rtx_mode != XTCP_RTX_RETRANSMIT && xs->rtx_mode != XTCP_RTX_PROBE &&
	    xs->rtx_mode != XTCP_RTX_REORDER)
		return;
	if (timer_pending(&xs->rtx_timer) && !time_after(xs->rtx_timer.expires, when))
		return;
	xs->rtx_mode = XTCP_RTX_REORDER;
	sk_reset_timer(sk, &xs->rtx_timer, when);
}

/**
 * xtcp_user_timeout_left() - what is left of TCP_USER_TIMEOUT.
 * @xs: the socket, with TCP_USER_TIMEOUT set and retrying (@xs->retransmits).
 *
 * Return: jiffies to go from now, 0 when it has run out.
 */
unsigned long xtcp_user_timeout_left(const struct xtcp_sock *xs)
{
	unsigned long limit = msecs_to_jiffies(xs->user_timeout);
	unsigned long elapsed = (u32)jiffies - xs->retrans_stamp;

	return elapsed >= limit ? 0 : limit - elapsed;
}

/* TCP_USER_TIMEOUT is set, retrying has begun, and its time has run out. */
static bool xtcp_user_timed_out(const struct xtcp_sock *xs)
{
	return xs->user_timeout && xs->retransmits && !xtcp_user_timeout_left(xs);
}

/* TCP_SYNCNT, or the namespace's syn_retries. */
int xtcp_syn_retries(const struct sock *sk)
{
	u8 n = READ_ONCE(xtcp_sk(sk)->syn_retries);

	return n ? n : READ_ONCE(xtcp_pernet(sock_net(sk))->sysctl.syn_retries);
}

/*
 * Has a segment been retried enough (RFC 9293 3.8.3's R2)? In SYN_SENT and
 * SYN_RECV after TCP_SYNCNT (or syn_retries) tries; otherwise after XTCP_RETRIES2
 * (XTCP_ORPHAN_RETRIES for an orphan), or, when TCP_USER_TIMEOUT is set, once it
 * has run out instead, as TCP does.
 */
static bool xtcp_write_timed_out(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if ((1 << sk->sk_state) & (XTCPF_SYN_SENT | XTCPF_SYN_RECV)) {
		if (xs->retransmits >= xtcp_syn_retries(sk))
			return true;
	} else if (!xs->user_timeout) {
		return xs->retransmits >= (sock_flag(sk, SOCK_DEAD) ? XTCP_ORPHAN_RETRIES :
					   XTCP_RETRIES2);
	}
	return xtcp_user_timed_out(xs);
}

/**
 * xtcp_stop_rtx() - nothing to retransmit or probe.
 * @sk: the socket, locked.
 */
void xtcp_stop_rtx(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xs->rtx_mode = XTCP_RTX_OFF;
	sk_stop_timer(sk, &xs->rtx_timer);
}

/* The connection timed out: report ETIMEDOUT and close. */
static void xtcp_write_err(struct sock *sk)
{
	WRITE_ONCE(sk->sk_err, READ_ONCE(sk->sk_err_soft) ? : ETIMEDOUT);
	sk_error_report(sk);
	xtcp_done(sk);
}

/*
 * An orphan that XTCP's memory or the orphan limit no longer allows is reset and
 * closed, as TCP's tcp_out_of_resources() does: one whose peer has left it
 * retrying for twice the largest RTO, or that got an ICMP error, is held to a
 * smaller share. Returns true when it was.
 */
static bool xtcp_orphan_out_of_resources(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	int shift = 0;

	if (!sock_flag(sk, SOCK_DEAD))
		return false;
	if (xs->retransmits &&
	    (u32)jiffies - xs->retrans_stamp > 2 * usecs_to_jiffies(XTCP_RTO_MAX_US))
		shift++;
	if (READ_ONCE(sk->sk_err_soft))
		shift++;
	if (!xtcp_check_oom(sk, shift))
		return false;
	xtcp_abort_on_memory(sk, true);
	return true;
}

/*
 * F-RTO (RFC 5682) may test this timeout: the first since data was last
 * acknowledged, outside a fast recovery, on a connection that has new data to
 * send (its step 2b sends two new segments).
 */
static bool xtcp_frto_eligible(const struct sock *sk)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);

	return !xs->retransmits && !xs->cwnd.recovery && xs->send_head && xs->send_head->len &&
	       ((1 << sk->sk_state) & (XTCPF_ESTABLISHED | XTCPF_CLOSE_WAIT));
}

static void xtcp_retransmit_timer(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 ssthresh = xs->cwnd.ca.ssthresh;
	struct sk_buff *head;
	bool frto;

	if (xs->snd_una == xs->snd_max) {
		xs->rtx_mode = XTCP_RTX_OFF;
		return;
	}
	if (xtcp_orphan_out_of_resources(sk))
		return;
	if (xtcp_write_timed_out(sk)) {
		if (sk->sk_state == XTCP_SYN_SENT)
			xtcp_inc_stats(sock_net(sk), XTCP_MIB_ATTEMPT_FAILS);
		xtcp_write_err(sk);
		return;
	}
	frto = xtcp_frto_eligible(sk);
	/* A second timeout ends F-RTO's test: go-back-N. */
	xs->frto = 0;
	xs->frto_room = 0;
	head = skb_peek(&sk->sk_write_queue);
	if (!xs->retransmits && head)
		xs->retrans_stamp = XTCP_SKB_CB(head)->when;
	if (sk->sk_state == XTCP_SYN_SENT || sk->sk_state == XTCP_SYN_RECV) {
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_SYN_RETRANS);
	} else {
		xtcp_cc_timeout(sk, !xs->retransmits);
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_TIMEOUTS);
	}
	/* A timeout's window is not a fast recovery's to undo, nor a probe's. */
	xs->fr_check = false;
	xs->undo_armed = false;
	xs->tlp_out = false;
	/* What was SACKed may have been dropped since (RFC 2018 8): all goes again. */
	xtcp_sb_reset(&xs->sb);
	xs->high_rxt = xs->snd_una;
	xs->rack.lost_end = xs->snd_una;
	xs->rack.rxt_lost = false;
	xs->retransmits++;
	xtcp_cc_sync(sk);
	xtcp_rtt_backoff(&xs->rtt);
	if (frto) {
		/* For an undo if the timeout proves spurious. */
		xs->cwnd.undo_ssthresh = ssthresh;
		xtcp_frto_start(sk);
	} else {
		xtcp_retransmit_head(sk);
	}
	xtcp_arm_rtx(sk, XTCP_RTX_RETRANSMIT);
}

static void xtcp_persist_timer(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!xtcp_window_blocked(sk)) {
		xs->rtx_mode = XTCP_RTX_OFF;
		xtcp_push(sk);
		return;
	}
	if (xtcp_orphan_out_of_resources(sk))
		return;
	/* An orphan's peer that keeps its window shut is given up on, as TCP does. */
	if (sock_flag(sk, SOCK_DEAD) && xs->retransmits >= XTCP_ORPHAN_RETRIES) {
		xtcp_send_active_reset(sk);
		xtcp_write_err(sk);
		return;
	}
	/* So is any peer, once TCP_USER_TIMEOUT has run out. */
	if (xtcp_user_timed_out(xs)) {
		xtcp_write_err(sk);
		return;
	}
	if (!xs->retransmits)
		xs->retrans_stamp = (u32)jiffies;
	xs->retransmits++;
	xtcp_send_probe(sk);
	xtcp_rtt_backoff(&xs->rtt);
	xtcp_arm_rtx(sk, XTCP_RTX_PERSIST);
}

static void xtcp_rtx_timer_fn(struct timer_list *t)
{
	struct xtcp_sock *xs = from_timer(xs, t, rtx_timer);
	struct sock *sk = &xs->inet.sk;

	bh_lock_sock(sk);
	if (sock_owned_by_user(sk)) {
		sk_reset_timer(sk, t, jiffies + XTCP_LOCKED_RETRY);
		goto out;
	}
	if ((1 << sk->sk_state) & (XTCPF_CLOSE | XTCPF_LISTEN))
		goto out;
	if (xs->rtx_mode == XTCP_RTX_RETRANSMIT) {
		xtcp_retransmit_timer(sk);
	} else if (xs->rtx_mode == XTCP_RTX_PERSIST) {
		xtcp_persist_timer(sk);
	} else if (xs->rtx_mode == XTCP_RTX_PROBE) {
		if (xs->snd_una == xs->snd_max)
			xs->rtx_mode = XTCP_RTX_OFF;
		else if (xs->cwnd.recovery || xs->retransmits)
			xtcp_arm_rtx(sk, XTCP_RTX_RETRANSMIT);	/* no probe in a recovery */
		else
			xtcp_send_loss_probe(sk);
	} else if (xs->rtx_mode == XTCP_RTX_REORDER) {
		xtcp_rack_timeout(sk);
	} else if (xs->rtx_mode == XTCP_RTX_CORK) {
		/* The cork's ceiling: what it holds goes out now. */
		xs->rtx_mode = XTCP_RTX_OFF;
		xtcp_push_mode(sk, XTCP_PUSH_NOW);
	}
out:
	bh_unlock_sock(sk);
	sock_put(sk);
}

static void xtcp_delack_timer_fn(struct timer_list *t)
{
	struct xtcp_sock *xs = from_timer(xs, t, delack_timer);
	struct sock *sk = &xs->inet.sk;

	bh_lock_sock(sk);
	if (sock_owned_by_user(sk)) {
		sk_reset_timer(sk, t, jiffies + XTCP_LOCKED_RETRY);
		goto out;
	}
	if (xs->ack_pending && !((1 << sk->sk_state) & (XTCPF_CLOSE | XTCPF_LISTEN |
							XTCPF_SYN_SENT)))
		xtcp_send_ack(sk);
out:
	bh_unlock_sock(sk);
	sock_put(sk);
}

/**
 * xtcp_keepalive_reset() - restart the keepalive timer from now, if it is on.
 * @sk: the socket, locked.
 */
void xtcp_keepalive_reset(struct sock *sk)
{
	if (sock_flag(sk, SOCK_KEEPOPEN))
		sk_reset_timer(sk, &sk->sk_timer, jiffies + xtcp_sk(sk)->keepidle);
}

/**
 * xtcp_keepalive() - SO_KEEPALIVE was set or cleared (proto .keepalive).
 * @sk: the socket, locked.
 * @on: the new value.
 */
void xtcp_keepalive(struct sock *sk, int on)
{
	if ((1 << sk->sk_state) & (XTCPF_CLOSE | XTCPF_LISTEN))
		return;
	if (on)
		sk_reset_timer(sk, &sk->sk_timer, jiffies + xtcp_sk(sk)->keepidle);
	else
		sk_stop_timer(sk, &sk->sk_timer);
}

/**
 * xtcp_arm_fin_wait2() - an orphan waits in FIN_WAIT_2 at most fin_timeout_ms.
 * @sk: the socket, locked.
 */
void xtcp_arm_fin_wait2(struct sock *sk)
{
	struct xtcp_net *xn = xtcp_pernet(sock_net(sk));
	int linger2 = xtcp_sk(sk)->linger2;

	sk_reset_timer(sk, &sk->sk_timer, jiffies + (linger2 > 0 ? linger2 :
		       msecs_to_jiffies(READ_ONCE(xn->sysctl.fin_timeout_ms))));
}

static void xtcp_sk_timer_fn(struct timer_list *t)
{
	struct sock *sk = from_timer(sk, t, sk_timer);
	struct xtcp_sock *xs = xtcp_sk(sk);
	unsigned long idle;

	bh_lock_sock(sk);
	if (sock_owned_by_user(sk)) {
		sk_reset_timer(sk, t, jiffies + XTCP_LOCKED_RETRY);
		goto out;
	}
	if (sk->sk_state == XTCP_FIN_WAIT2 && sock_flag(sk, SOCK_DEAD)) {
		/* The peer never closed its side: give up on it. */
		xtcp_done(sk);
		goto out;
	}
	if (!sock_flag(sk, SOCK_KEEPOPEN) ||
	    ((1 << sk->sk_state) & (XTCPF_CLOSE | XTCPF_LISTEN | XTCPF_SYN_SENT)))
		goto out;
	/* Data in flight has its own timer to notice a dead peer. */
	if (xs->snd_una != xs->snd_max || xs->send_head) {
		sk_reset_timer(sk, t, jiffies + xs->keepidle);
		goto out;
	}
	idle = jiffies - xs->rcv_tstamp;
	if (idle < (unsigned long)xs->keepidle && !xs->ka_probes) {
		sk_reset_timer(sk, t, jiffies + xs->keepidle - idle);
		goto out;
	}
	/* TCP_USER_TIMEOUT, when set, bounds the silence instead of TCP_KEEPCNT. */
	if (xs->user_timeout ? xs->ka_probes && idle >= msecs_to_jiffies(xs->user_timeout) :
	    xs->ka_probes >= xs->keepcnt) {
		xtcp_send_active_reset(sk);
		xtcp_write_err(sk);
		goto out;
	}
	xtcp_send_probe(sk);
	xs->ka_probes++;
	sk_reset_timer(sk, t, jiffies + xs->keepintvl);
out:
	bh_unlock_sock(sk);
	sock_put(sk);
}

/**
 * xtcp_init_timers() - set up a new socket's timers.
 * @sk: the socket.
 */
void xtcp_init_timers(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	timer_setup(&xs->rtx_timer, xtcp_rtx_timer_fn, 0);
	timer_setup(&xs->delack_timer, xtcp_delack_timer_fn, 0);
	timer_setup(&sk->sk_timer, xtcp_sk_timer_fn, 0);
	xtcp_pacing_init(sk);
}

/**
 * xtcp_clear_timers() - stop every timer of a socket.
 * @sk: the socket, locked.
 */
void xtcp_clear_timers(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xs->rtx_mode = XTCP_RTX_OFF;
	sk_stop_timer(sk, &xs->rtx_timer);
	sk_stop_timer(sk, &xs->delack_timer);
	sk_stop_timer(sk, &sk->sk_timer);
	xtcp_pacing_stop(sk);
}

/* The TIME_WAIT reaper: expire what is due, re-arm for the next. */
static void xtcp_tw_timer_fn(struct timer_list *t)
{
	struct xtcp_net *xn = from_timer(xn, t, tw_timer);
	unsigned int n;

	n = xtcp_tw_expire(&xn->tw, jiffies);
	if (n)
		xtcp_mod_stats(xn->net, XTCP_MIB_TIME_WAIT_EXPIRED, n);
	xtcp_tw_arm(xn);
}

/**
 * xtcp_tw_arm() - make sure the reaper runs when the oldest entry is due.
 * @xn: the namespace's XTCP state.
 */
void xtcp_tw_arm(struct xtcp_net *xn)
{
	unsigned long when;

	if (xtcp_tw_next_expiry(&xn->tw, &when))
		timer_reduce(&xn->tw_timer, when);
}

void xtcp_tw_timer_init(struct xtcp_net *xn)
{
	timer_setup(&xn->tw_timer, xtcp_tw_timer_fn, 0);
}

void xtcp_tw_timer_exit(struct xtcp_net *xn)
{
	del_timer_sync(&xn->tw_timer);
}
