// SPDX-License-Identifier: GPL-2.0
/*
 * input.c - the receive path: segment checks, finding the socket, and the rules
 * of RFC 9293 3.10.7 for every state but LISTEN (listen.c) and TIME_WAIT (here,
 * on the compact entries of timewait.c).
 *
 * xtcp_rcv() runs in softirq context. A segment for a socket whose lock a task
 * holds waits in the socket's backlog and is processed by release_sock(); either
 * way xtcp_do_rcv() runs under the socket lock.
 */
#include <linux/filter.h>
#include <linux/ip.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <net/inet_ecn.h>
#include <net/ip.h>
#include <net/sock.h>
#include <net/xfrm.h>

#include "seq.h"
#include "xtcp.h"

/* Check the header and checksum, and fill in the control block. */
static bool xtcp_segment_ok(struct net *net, struct sk_buff *skb)
{
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	struct xtcp_options opts;
	const struct tcphdr *th;
	unsigned int doff;

	if (!pskb_may_pull(skb, sizeof(*th)))
		goto bad;
	th = tcp_hdr(skb);
	doff = th->doff * 4;
	if (doff < sizeof(*th) || doff > skb->len || !pskb_may_pull(skb, doff))
		goto bad;
	if (skb_checksum_init(skb, IPPROTO_TCP, inet_compute_pseudo) ||
	    skb_checksum_complete(skb)) {
		xtcp_inc_stats(net, XTCP_MIB_IN_CSUM_ERRORS);
		goto bad;
	}
	th = tcp_hdr(skb);
	if (xtcp_parse_options((const u8 *)(th + 1), doff - sizeof(*th), th->syn, &opts))
		goto bad;
	/* SYN with RST or FIN is nonsense no stack sends: drop it as Linux does. */
	if (th->syn && (th->rst || th->fin))
		goto bad;

	cb->seq = ntohl(th->seq);
	cb->ack_seq = ntohl(th->ack_seq);
	cb->flags = ((const u8 *)th)[13];
	cb->window = ntohs(th->window);
	cb->doff = doff;
	cb->mss = opts.mss;
	cb->end_seq = cb->seq + skb->len - doff + th->syn + th->fin;
	cb->opts = 0;
	if (opts.ts_ok) {
		cb->opts |= XTCP_CB_TS;
		cb->tsval = opts.tsval;
		cb->tsecr = opts.tsecr;
	}
	if (opts.wscale_ok) {
		cb->opts |= XTCP_CB_WSCALE;
		cb->wscale = opts.wscale;
	}
	if (opts.sack_ok)
		cb->opts |= XTCP_CB_SACK_OK;
	/* The blocks stay in the header; xtcp_ack() reads them there. */
	if (opts.nr_sacks || opts.sack_bad)
		cb->opts |= XTCP_CB_SACK;
	if (th->syn && th->ece && th->cwr)
		cb->opts |= XTCP_CB_ECN;
	/* The IP header's ECN field (RFC 3168 5), for ecn.c. */
	switch (ip_hdr(skb)->tos & INET_ECN_MASK) {
	case INET_ECN_CE:
		cb->opts |= XTCP_CB_CE;
		fallthrough;
	case INET_ECN_ECT_0:
	case INET_ECN_ECT_1:
		cb->opts |= XTCP_CB_ECT;
		break;
	}
	return true;
bad:
	xtcp_inc_stats(net, XTCP_MIB_IN_ERRS);
	return false;
}

/* Hand a segment to its socket, now or through the backlog. */
static void xtcp_rcv_sk(struct sock *sk, struct sk_buff *skb)
{
	bh_lock_sock_nested(sk);
	if (!sock_owned_by_user(sk)) {
		xtcp_do_rcv(sk, skb);
	} else if (sk_add_backlog(sk, skb, READ_ONCE(sk->sk_rcvbuf) +
				  READ_ONCE(sk->sk_sndbuf))) {
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_IN_ERRS);
		kfree_skb(skb);
	}
	bh_unlock_sock(sk);
}

enum xtcp_tw_verdict {
	XTCP_TW_DONE,		/* the entry handled the segment */
	XTCP_TW_NEW_SYN,	/* a new connection may reuse the 4-tuple */
};

/*
 * The entry's ACK: SND.NXT, RCV.NXT and the window it kept, with timestamps if
 * the connection had them (RFC 7323 3.2: every segment carries them).
 */
static void xtcp_tw_ack(struct net *net, const struct xtcp_tw *tw)
{
	struct xtcp_options opts = {};

	if (tw->ts_ok) {
		opts.ts_ok = true;
		opts.tsval = xtcp_ts_clock() + xtcp_ts_offset(net, tw->key.saddr, tw->key.daddr);
		opts.tsecr = tw->ts_recent;
	}
	xtcp_send_ctl(net, NULL, tw->key.saddr, tw->key.daddr, tw->key.sport, tw->key.dport,
		      tw->snd_nxt, tw->rcv_nxt, XTCPHDR_ACK, tw->rcv_wnd, &opts, XTCP_TIME_WAIT);
}

/*
 * A SYN that may reuse the entry's 4-tuple (XTCP_TW_NEW_SYN) looked for a
 * listener: with one, the entry gives way and the SYN goes to it; without one,
 * the entry answers with its ACK and stays, as TCP's TIME_WAIT does (not a RST:
 * the 4-tuple is not free while the entry lives). Under RCU. Returns the
 * listener (the caller's reference) when the SYN is for it, else NULL.
 */
static struct sock *xtcp_tw_syn_listener(struct net *net, struct xtcp_tw *tw,
					 struct sock *lsk)
{
	if (lsk && xtcp_tw_remove(&xtcp_pernet(net)->tw, tw)) {
		xtcp_inc_stats(net, XTCP_MIB_TIME_WAIT_RECYCLED);
		return lsk;
	}
	/* No listener, or the entry went meanwhile (its reaper had it). */
	if (!lsk)
		xtcp_tw_ack(net, tw);
	return lsk;
}

/* The entry's limit on answers to SYNs and segments without data; counted. */
static bool xtcp_tw_oow_limited(struct net *net, struct xtcp_tw *tw)
{
	u32 ms = READ_ONCE(xtcp_pernet(net)->sysctl.invalid_ratelimit);
	u16 flags = READ_ONCE(tw->flags), stamp;

	if (xtcp_stamp_limited(flags & XTCP_TW_STAMP_MASK, jiffies_to_msecs(jiffies), ms,
			       &stamp)) {
		xtcp_inc_stats(net, XTCP_MIB_ACK_SKIPPED_TIME_WAIT);
		return true;
	}
	WRITE_ONCE(tw->flags, (flags & ~XTCP_TW_STAMP_MASK) | stamp);
	return false;
}

/*
 * A segment for a TIME_WAIT entry (RFC 9293 3.10.7.4, TIME-WAIT). Under RCU; the
 * entry may be expiring meanwhile, which only makes our answer superfluous.
 */
static enum xtcp_tw_verdict xtcp_tw_rcv(struct net *net, struct xtcp_tw *tw,
					struct sk_buff *skb)
{
	struct xtcp_net *xn = xtcp_pernet(net);
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	unsigned long life = msecs_to_jiffies(2 * READ_ONCE(xn->sysctl.msl_ms));
	u8 flags = cb->flags;

	/* RFC 1337: a RST must not cut TIME_WAIT short (it would let old duplicates in). */
	if (flags & XTCPHDR_RST)
		return XTCP_TW_DONE;
	if ((flags & XTCPHDR_SYN) && !(flags & XTCPHDR_ACK)) {
		/*
		 * A new incarnation may begin above the old one's timestamps or, without
		 * them, its sequence space (RFC 6191): its old duplicates cannot be
		 * mistaken for the new connection's segments.
		 */
		if (xtcp_tw_syn_acceptable(tw, cb->seq,
					   (cb->opts & XTCP_CB_TS) &&
					   READ_ONCE(xn->sysctl.timestamps), cb->tsval))
			return XTCP_TW_NEW_SYN;
		goto syn;
	}
	if ((flags & XTCPHDR_FIN) && cb->end_seq == tw->rcv_nxt) {
		/* The peer's FIN again: our last ACK was lost. ACK, and wait anew. */
		if (xtcp_tw_refresh(&xn->tw, tw, jiffies, life))
			xtcp_tw_arm(xn);	/* msl_ms may have been lowered */
		goto ack;
	}
	/* A bare ACK is the peer's own ACK of something: nothing to say. */
	if (cb->end_seq == cb->seq && !(flags & ~(XTCPHDR_ACK | XTCPHDR_PSH)))
		return XTCP_TW_DONE;
	/*
	 * Old data is answered (TCP's rule: data is no part of an ACK loop); a SYN
	 * or another segment without data within invalid_ratelimit of the last
	 * such answer is not, as TCP's TIME_WAIT does (TCPACKSkippedTimeWait).
	 */
	if (cb->seq != cb->end_seq && !(flags & XTCPHDR_SYN))
		goto ack;
syn:
	if (xtcp_tw_oow_limited(net, tw))
		return XTCP_TW_DONE;
ack:
	xtcp_tw_ack(net, tw);
	return XTCP_TW_DONE;
}

/**
 * xtcp_lookup_segment() - find what a segment is for: a connection, a TIME_WAIT
 * entry, or a listener of its port, in that order.
 * @net: the namespace it arrived in.
 * @iph: its IP header.
 * @th: its TCP header (at least the ports).
 * @dif: the interface it came in on.
 * @f: what was found; @f->sk holds a reference.
 *
 * Context: the RCU read lock is held, and stays held until xtcp_rcv_found().
 *
 * Return: true if the segment is XTCP's.
 */
bool xtcp_lookup_segment(struct net *net, const struct iphdr *iph,
			 const struct tcphdr *th, int dif, struct xtcp_found *f)
{
	struct xtcp_tw_key key = {
		.saddr = iph->daddr, .daddr = iph->saddr,
		.sport = th->dest, .dport = th->source,
	};

	f->tw = NULL;
	f->sk = xtcp_lookup_established(net, iph->daddr, th->dest, iph->saddr, th->source);
	if (f->sk)
		return true;
	f->tw = xtcp_tw_lookup(&xtcp_pernet(net)->tw, &key);
	if (f->tw)
		return true;
	f->sk = xtcp_lookup_listener(net, iph->daddr, th->dest, dif);
	return f->sk;
}

static void xtcp_trace_rcv(const struct sk_buff *skb, int state)
{
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

	trace_xtcp_rcv(ip_hdr(skb)->saddr, ip_hdr(skb)->daddr, tcp_hdr(skb)->source,
		       tcp_hdr(skb)->dest, cb->seq, cb->ack_seq, cb->flags,
		       skb->len - cb->doff, state);
}

/*
 * The policy a socket's segments are subject to, as tcp_v4_rcv() applies it:
 * IP_MINTTL, the socket's IPsec policy, and its filter (SO_ATTACH_FILTER,
 * cgroup BPF ingress, the LSM's sock_rcv_skb). A filter may trim the segment
 * to its header: the control block follows. False: drop it.
 */
static bool xtcp_sock_policy_ok(struct sock *sk, struct sk_buff *skb)
{
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	u8 min_ttl = READ_ONCE(inet_sk(sk)->min_ttl);
	const struct tcphdr *th;

	if (unlikely(min_ttl && ip_hdr(skb)->ttl < min_ttl))
		goto drop;
	if (!xfrm4_policy_check(sk, XFRM_POLICY_IN, skb))
		goto drop;
	/* Held in a queue for long: conntrack's reference goes, as TCP's does. */
	nf_reset_ct(skb);
	if (sk_filter_trim_cap(sk, skb, cb->doff))
		goto drop;
	th = tcp_hdr(skb);
	cb->end_seq = cb->seq + skb->len - cb->doff + th->syn + th->fin;
	return true;
drop:
	sk_drops_add(sk, skb);
	return false;
}

/**
 * xtcp_rcv_found() - a segment, for what xtcp_lookup_segment() found.
 * @net: the namespace it arrived in.
 * @skb: the segment, skb->data at its TCP header; consumed.
 * @f: the lookup's result; its reference is dropped.
 *
 * Context: softirq, under the RCU read lock taken for the lookup.
 */
void xtcp_rcv_found(struct net *net, struct sk_buff *skb, struct xtcp_found *f)
{
	struct sock *sk = f->sk;

	if (!xtcp_segment_ok(net, skb))
		goto drop;
	xtcp_inc_stats(net, XTCP_MIB_IN_SEGS);
	/* What no socket takes is still under the host's IPsec policy. */
	if ((f->tw || !sk) && !xfrm4_policy_check(NULL, XFRM_POLICY_IN, skb))
		goto drop;

	if (f->tw) {
		xtcp_trace_rcv(skb, XTCP_TIME_WAIT);
		if (xtcp_tw_rcv(net, f->tw, skb) == XTCP_TW_DONE)
			goto drop;
		/* A new SYN may end the TIME_WAIT: if a listener takes it. */
		sk = xtcp_lookup_listener(net, ip_hdr(skb)->daddr, tcp_hdr(skb)->dest,
					  inet_iif(skb));
		if (!xtcp_tw_syn_listener(net, f->tw, sk))
			goto drop;
	}
	if (!sk) {
		/* No socket: RST (RFC 9293 3.10.7.1), never to a RST. */
		xtcp_trace_rcv(skb, XTCP_CLOSE);
		xtcp_inc_stats(net, XTCP_MIB_IN_NO_SOCKET);
		xtcp_send_reset_reply(net, skb);
		goto drop;
	}
	if (!xtcp_sock_policy_ok(sk, skb))
		goto drop;
	if (READ_ONCE(sk->sk_state) == XTCP_LISTEN) {
		/* Listeners take segments without their lock (listen.c). */
		xtcp_listen_rcv(sk, skb);
	} else {
		xtcp_trace_rcv(skb, READ_ONCE(sk->sk_state));
		xtcp_rcv_sk(sk, skb);
	}
	sock_put(sk);
	return;
drop:
	if (sk)
		sock_put(sk);
	kfree_skb(skb);
}

/**
 * xtcp_rcv() - a segment from the isolated wire, for whatever it may be.
 * @net: the namespace it arrived in.
 * @skb: the segment, skb->data at its TCP header; consumed.
 */
void xtcp_rcv(struct net *net, struct sk_buff *skb)
{
	struct xtcp_found f = {};

	if (!pskb_may_pull(skb, sizeof(struct tcphdr))) {
		xtcp_inc_stats(net, XTCP_MIB_IN_ERRS);
		kfree_skb(skb);
		return;
	}
	rcu_read_lock();
	xtcp_lookup_segment(net, ip_hdr(skb), tcp_hdr(skb), inet_iif(skb), &f);
	xtcp_rcv_found(net, skb, &f);
	rcu_read_unlock();
}

/*
 * A segment reached a socket that has closed since it was looked up. Its 4-tuple
 * may have gone to TIME_WAIT meanwhile: look again before answering with RST.
 */
static void xtcp_rcv_closed(struct sock *sk, struct sk_buff *skb)
{
	struct net *net = sock_net(sk);
	struct xtcp_tw_key key = {
		.saddr = ip_hdr(skb)->daddr, .daddr = ip_hdr(skb)->saddr,
		.sport = tcp_hdr(skb)->dest, .dport = tcp_hdr(skb)->source,
	};
	struct sock *lsk = NULL;
	struct xtcp_tw *tw;

	rcu_read_lock();
	tw = xtcp_tw_lookup(&xtcp_pernet(net)->tw, &key);
	if (tw) {
		if (xtcp_tw_rcv(net, tw, skb) == XTCP_TW_DONE)
			goto out;
		/* A SYN may take the entry over: for a listener, as in xtcp_rcv_found(). */
		lsk = xtcp_lookup_listener(net, key.saddr, key.sport, inet_iif(skb));
		if (!xtcp_tw_syn_listener(net, tw, lsk))
			goto out;
		if (READ_ONCE(lsk->sk_state) == XTCP_LISTEN && xtcp_sock_policy_ok(lsk, skb)) {
			/*
			 * Listeners take segments without their lock, in softirq
			 * context: from the backlog, bottom halves are on.
			 */
			local_bh_disable();
			xtcp_listen_rcv(lsk, skb);
			local_bh_enable();
			skb = NULL;
			goto out;
		}
	}
	xtcp_send_reset_reply(net, skb);
out:
	rcu_read_unlock();
	if (lsk)
		sock_put(lsk);
	kfree_skb(skb);
}

/**
 * xtcp_reset() - the peer reset the connection (RFC 9293 3.10.7.4, second step).
 * @sk: the socket.
 */
void xtcp_reset(struct sock *sk)
{
	int err;

	trace_xtcp_reset_received(sk);
	switch (sk->sk_state) {
	case XTCP_SYN_SENT:
	case XTCP_SYN_RECV:
		err = ECONNREFUSED;
		break;
	case XTCP_CLOSE_WAIT:
		err = EPIPE;
		break;
	case XTCP_CLOSING:
	case XTCP_LAST_ACK:
		err = 0;
		break;
	default:
		err = ECONNRESET;
	}
	if (err) {
		WRITE_ONCE(sk->sk_err, err);
		sk_error_report(sk);
	}
	xtcp_done(sk);
}

/*
 * Delayed ACKs (RFC 9293 3.8.6.3): every second segment (@segs: those a
 * coalesced packet holds count each), or at once when half the offered
 * window is used up (one large segment can fill it), or a gap shows.
 */
static void xtcp_schedule_ack(struct sock *sk, unsigned int segs, bool now)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xs->ack_pending = min_t(unsigned int, xs->ack_pending + segs, U8_MAX);
	if (now || xs->ack_pending >= 2 || xs->rcv_nxt - xs->rcv_wup >= xs->rcv_wnd / 2)
		xtcp_send_ack(sk);
	else if (!timer_pending(&xs->delack_timer))
		sk_reset_timer(sk, &xs->delack_timer, jiffies + XTCP_DELACK_MAX);
}

/* The peer's FIN is next in sequence (RFC 9293 3.10.7.4, eighth step). */
static void xtcp_fin(struct sock *sk)
{
	sk->sk_shutdown |= RCV_SHUTDOWN;
	sock_set_flag(sk, SOCK_DONE);
	switch (sk->sk_state) {
	case XTCP_SYN_RECV:
	case XTCP_ESTABLISHED:
		xtcp_set_state(sk, XTCP_CLOSE_WAIT);
		break;
	case XTCP_FIN_WAIT1:
		/* Our FIN is not acknowledged yet: a simultaneous close. */
		xtcp_set_state(sk, XTCP_CLOSING);
		break;
	case XTCP_FIN_WAIT2:
		xtcp_send_ack(sk);
		xtcp_time_wait(sk);
		return;
	default:
		break;
	}
	xtcp_send_ack(sk);
	if (!sock_flag(sk, SOCK_DEAD)) {
		sk->sk_state_change(sk);
		if (sk->sk_shutdown == SHUTDOWN_MASK || sk->sk_state == XTCP_CLOSE)
			sk_wake_async(sk, SOCK_WAKE_WAITD, POLL_HUP);
		else
			sk_wake_async(sk, SOCK_WAKE_WAITD, POLL_IN);
	}
}

/* Append in-order data to the receive queue; the FIN is handled by the caller. */
/*
 * Merge in-order data into the last skb of the receive queue, which ends
 * where it begins: its fragments (or its few bytes) move over, and the skb
 * goes. The reader then walks fewer skbs and the socket holds less: only the
 * truesize that moved (@delta) stays charged, to the skb it moved to. Not
 * with a FIN (it stays the last skb's own mark).
 */
static bool xtcp_rcv_coalesce(struct sock *sk, struct sk_buff *skb)
{
	struct sk_buff *tail = skb_peek_tail(&sk->sk_receive_queue);
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	bool stolen;
	int delta;

	if (!tail || (cb->flags & XTCPHDR_FIN) ||
	    (XTCP_SKB_CB(tail)->flags & XTCPHDR_FIN) ||
	    XTCP_SKB_CB(tail)->end_seq != cb->seq ||
	    !skb_try_coalesce(tail, skb, &stolen, &delta))
		return false;
	XTCP_SKB_CB(tail)->end_seq = cb->end_seq;
	atomic_add(delta, &sk->sk_rmem_alloc);
	sk_mem_charge(sk, delta);
	/* An skb from the out-of-order queue gives its own charge back here. */
	kfree_skb_partial(skb, stolen);
	xtcp_inc_stats(sock_net(sk), XTCP_MIB_RCV_COALESCE);
	return true;
}

static void xtcp_queue_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	bool fin = cb->flags & XTCPHDR_FIN;

	xs->rcv_nxt = cb->end_seq;
	if (skb->len) {
		if (!xtcp_rcv_coalesce(sk, skb)) {
			if (!skb->sk)
				skb_set_owner_r(skb, sk);
			__skb_queue_tail(&sk->sk_receive_queue, skb);
		}
	} else {
		kfree_skb(skb);
	}
	if (fin)
		xtcp_fin(sk);
}

/* Held data beyond @after was dropped: counted, and no SACK block claims it. */
static void xtcp_ofo_pruned(struct sock *sk, u32 after)
{
	xtcp_inc_stats(sock_net(sk), XTCP_MIB_OFO_PRUNED);
	xtcp_rcv_sack_forget(&xtcp_sk(sk)->rsack, after);
}

/*
 * Room for @skb in receive memory: at most twice sk_rcvbuf (the backlog's limit
 * too) unless @inorder, and a charge XTCP's memory limits (and the socket's
 * cgroup's) allow (mem.c). Held out-of-order segments that begin after @after
 * give way first. Returns false when there is still no room.
 */
static bool xtcp_rcv_room(struct sock *sk, struct sk_buff *skb, u32 after, bool inorder)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	int limit = 2 * READ_ONCE(sk->sk_rcvbuf);
	int over = atomic_read(&sk->sk_rmem_alloc) + (int)skb->truesize - limit;

	if (over > 0 && xtcp_reasm_prune(&xs->ooo, after, over))
		xtcp_ofo_pruned(sk, after);
	if (!inorder && atomic_read(&sk->sk_rmem_alloc) + (int)skb->truesize > limit)
		return false;
	if (sk_rmem_schedule(sk, skb, skb->truesize))
		return true;
	if (xtcp_reasm_prune(&xs->ooo, after, skb->truesize))
		xtcp_ofo_pruned(sk, after);
	return sk_rmem_schedule(sk, skb, skb->truesize);
}

/*
 * Data and FIN (RFC 9293 3.10.7.4, seventh and eighth steps): in order, to the
 * receive queue; beyond RCV.NXT, kept until the gap fills.
 */
static void xtcp_data_queue(struct sock *sk, struct sk_buff *skb)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	u32 right = xs->rcv_wup + xs->rcv_wnd;
	bool had_data, ack_now = false;
	unsigned int segs;

	/* CE to echo, CWR that ends the echo (ecn.c): on data only. */
	if (skb->len > cb->doff) {
		if (cb->opts & XTCP_CB_CE)
			xtcp_inc_stats(sock_net(sk), XTCP_MIB_ECN_CE_RECV);
		xs->ecn = xtcp_ecn_rcv(xs->ecn, cb->flags, cb->opts, &ack_now);
	}
	__skb_pull(skb, cb->doff);
	skb_dst_drop(skb);
	skb_orphan(skb);
	if (cb->flags & XTCPHDR_SYN) {
		cb->seq++;
		cb->flags &= ~XTCPHDR_SYN;
	}
	/* Data we had already: the next ACK says so (D-SACK, RFC 2883). */
	if (xs->sack_ok && skb->len && xtcp_seq_before(cb->seq, xs->rcv_nxt)) {
		xtcp_rcv_sack_dup(&xs->rsack, cb->seq, cb->seq + skb->len, xs->rcv_nxt);
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_DSACK_OLD_SENT);
	}
	/*
	 * Keep what falls in the window; a FIN may sit right at its edge (one past
	 * it, as it takes a sequence number but no buffer).
	 */
	if (!xtcp_seq_after(right, xs->rcv_nxt))
		right = xs->rcv_nxt;
	if (!xtcp_reasm_trim(skb, xs->rcv_nxt, right + 1)) {
		kfree_skb(skb);
		xtcp_send_ack(sk);
		return;
	}
	if (skb->len && xtcp_seq_after(cb->seq + skb->len, right)) {
		/* Only the FIN fitted: data beyond the window goes. */
		if (!xtcp_reasm_trim(skb, cb->seq, right)) {
			kfree_skb(skb);
			xtcp_send_ack(sk);
			return;
		}
	}
	had_data = skb->len;
	/* A GRO or GSO packet is the segments it holds (for the ACK policy). */
	segs = xtcp_rcv_segs(skb);

	if (cb->seq != xs->rcv_nxt) {
		/*
		 * Held data beyond a full buffer: make room from the held segments
		 * above this one; if there are none, this one goes. The peer sends it
		 * again.
		 */
		u32 start = cb->seq, end = cb->seq + skb->len;

		if (!xtcp_rcv_room(sk, skb, cb->seq, false)) {
			xtcp_inc_stats(sock_net(sk), XTCP_MIB_OFO_DROP);
			kfree_skb(skb);
		} else if (xtcp_reasm_insert(&xs->ooo, skb)) {
			skb_set_owner_r(skb, sk);
			/* Held: the first SACK block names it (RFC 2018 4). */
			if (xs->sack_ok)
				xtcp_rcv_sack_add(&xs->rsack, start, end);
		} else {
			kfree_skb(skb);
			/* All of it was held already: a D-SACK, then its block. */
			if (xs->sack_ok && start != end) {
				xtcp_rcv_sack_dup(&xs->rsack, start, end, xs->rcv_nxt);
				xtcp_rcv_sack_add(&xs->rsack, start, end);
				xtcp_inc_stats(sock_net(sk), XTCP_MIB_DSACK_OFO_SENT);
			}
		}
		/* A gap: tell the peer at once (a duplicate ACK). */
		xtcp_send_ack(sk);
		return;
	}

	/*
	 * The segment at RCV.NXT is taken whatever the out-of-order data holds: it
	 * lies in the window we offered, and only it can fill the gap. Were it
	 * dropped for memory the held data took, the connection would stall for
	 * good; the held data gives way. Only XTCP's memory limits (or the cgroup's)
	 * refuse it (a FIN alone takes no memory), once nothing held is left to
	 * free: then it is dropped and counted, as TCP does (TCPRcvQDrop), and its
	 * retransmission finds room once the reader or other sockets give memory
	 * back.
	 */
	if (skb->len && !xtcp_rcv_room(sk, skb, xs->rcv_nxt, true)) {
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_RCVQ_DROP);
		kfree_skb(skb);
		if (!sock_flag(sk, SOCK_DEAD))
			sk->sk_data_ready(sk);
		return;
	}
	/* Autotuning's RTT (window.c), from data that arrives in order. */
	if (skb->len)
		xtcp_rcv_rtt_measure(sk, cb, skb_shinfo(skb)->gso_size ?: skb->len);
	xtcp_queue_rcv(sk, skb);
	/* The gap may be filled: move what follows from the out-of-order queue. */
	while (!(sk->sk_shutdown & RCV_SHUTDOWN) &&
	       (skb = xtcp_reasm_next(&xs->ooo, xs->rcv_nxt))) {
		xtcp_queue_rcv(sk, skb);
		had_data = true;
	}
	if (xs->rsack.nr)
		xtcp_rcv_sack_advance(&xs->rsack, xs->rcv_nxt);
	if (had_data && !sock_flag(sk, SOCK_DEAD))
		sk->sk_data_ready(sk);
	if (sk->sk_state == XTCP_CLOSE || (sk->sk_shutdown & RCV_SHUTDOWN))
		return;		/* the FIN was ACKed */
	xtcp_schedule_ack(sk, segs, ack_now || !skb_queue_empty(&xs->ooo));
}

/*
 * The peer's SACK blocks on @skb (RFC 2018), into the scoreboard (sack.c), with
 * SND.UNA at @una. Blocks that make no sense are counted (TCPSACKDiscard) and
 * ignored; a D-SACK is counted (TCPDSACKRecv), its block in @dblock. Returns
 * the bytes SACKed for the first time: data delivered, and if SND.UNA did not
 * move, a duplicate ACK whatever the segment carries (RFC 6675 2).
 */
static u32 xtcp_ack_sack(struct sock *sk, const struct sk_buff *skb, u32 una, bool *dsack,
			 struct xtcp_sack_block *dblock)
{
	const struct tcphdr *th = tcp_hdr(skb);
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_options opts;
	unsigned int bad = 0;
	u32 news;

	if (xtcp_parse_options((const u8 *)(th + 1), th->doff * 4 - sizeof(*th), false, &opts))
		return 0;
	xtcp_sb_advance(&xs->sb, una);
	news = xtcp_sb_update(&xs->sb, opts.sacks, opts.nr_sacks, una, xs->snd_max, &bad,
			      dsack);
	bad += opts.sack_bad;
	if (bad)
		xtcp_mod_stats(sock_net(sk), XTCP_MIB_SACK_DISCARD, bad);
	if (*dsack) {
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_DSACK_RECV);
		*dblock = opts.sacks[0];
	}
	return news;
}

/*
 * RACK (rack.c) after an ACK up to @ack, the scoreboard updated, or from its
 * timer (@ack is SND.UNA then). The segments it acknowledges (in part, for a
 * GSO skb), and those it SACKs, are delivered, each once
 * (XTCP_TXF_DELIVERED). Then a segment not delivered is
 * lost once a segment sent after it was delivered and that one's round trip
 * and the reordering window have passed since it went. Segments above HighRxt
 * went in sequence order (sent once, or again by a timeout's go-back-N): the
 * lost ones end at one point, rack.lost_end. A retransmission of this
 * recovery found lost is marked to go again (TCPLostRetransmit). The walk
 * stops at the first segment above HighRxt that is not lost yet: what
 * follows was sent later still.
 *
 * Returns the microseconds until that segment's time is up (the reordering
 * timer's), 0 for none.
 */
static u32 xtcp_rack_detect(struct sock *sk, u32 ack)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_rack *r = &xs->rack;
	u32 mss = xs->mss ? xs->mss : XTCP_MSS_DEFAULT;
	u32 now = (u32)xtcp_clock_us(), lost_end = ack, wait = U32_MAX, top = ack, reo;
	struct sk_buff *skb;

	if (xs->sb.nr && xtcp_seq_after(xs->sb.r[xs->sb.nr - 1].end, ack))
		top = xs->sb.r[xs->sb.nr - 1].end;
	skb_queue_walk(&sk->sk_write_queue, skb) {
		struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
		bool retrans = cb->txf & XTCP_TXF_RETRANS;

		if (skb == xs->send_head || !xtcp_seq_before(cb->seq, top))
			break;
		if (!skb->len || (cb->txf & XTCP_TXF_DELIVERED))
			continue;
		/* Some of it acknowledged (a GSO skb in part), or SACKed. */
		if (!xtcp_seq_after(ack, cb->seq) &&
		    !xtcp_sb_sacked_in(&xs->sb, cb->seq, cb->end_seq))
			continue;
		cb->txf |= XTCP_TXF_DELIVERED;
		if (!retrans)
			xtcp_rack_min_rtt(r, now - cb->xmit_us, (u32)jiffies);
		if (xtcp_rack_delivered(r, cb->xmit_us, cb->end_seq, retrans, now))
			xtcp_inc_stats(sock_net(sk), XTCP_MIB_SACK_REORDER);
	}
	reo = xtcp_rack_reo_wnd(r, xs->rtt.srtt_us, xs->cwnd.recovery || xs->retransmits,
				DIV_ROUND_UP(xs->sb.sacked, mss));
	skb_queue_walk(&sk->sk_write_queue, skb) {
		struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
		u32 start, w;
		bool rxt;

		if (skb == xs->send_head || !r->valid)
			break;
		if (!skb->len || !xtcp_seq_after(cb->end_seq, ack))
			continue;
		start = xtcp_seq_after(ack, cb->seq) ? ack : cb->seq;
		if (xtcp_sb_sacked_in(&xs->sb, start, cb->end_seq) == cb->end_seq - start)
			continue;
		rxt = xs->cwnd.recovery && (cb->txf & XTCP_TXF_RETRANS) &&
		      xtcp_seq_before(cb->seq, xs->high_rxt);
		w = xtcp_rack_wait_us(r, cb->xmit_us, cb->end_seq, now, reo);
		if (w) {
			if (w != U32_MAX)
				wait = min(wait, w);
			if (rxt)
				continue;
			break;
		}
		if (!rxt) {
			lost_end = cb->end_seq;
		} else if (!(cb->txf & XTCP_TXF_LOST)) {
			cb->txf |= XTCP_TXF_LOST;
			r->rxt_lost = true;
			xtcp_inc_stats(sock_net(sk), XTCP_MIB_LOST_RETRANSMIT);
		}
	}
	r->lost_end = lost_end;
	return wait == U32_MAX ? 0 : wait;
}

/*
 * A recovery begins: what its fast retransmit carries, for the Eifel check of
 * its first ACK; and the count of what it sends again, for a D-SACK undo.
 */
static void xtcp_undo_start(struct xtcp_sock *xs)
{
	xs->fr_check = xs->ts_ok;
	xs->fr_seq = xs->snd_una;
	xs->fr_tsval = xtcp_ts_clock() + xs->ts_off;
	xs->undo_marker = xs->snd_una;
	xs->undo_retrans = 0;
	xs->undo_armed = true;
}

/*
 * A D-SACK (RFC 2883) for [@start, @end): data the last recovery sent again
 * arrived twice, so that retransmission was needless. Once every segment it
 * sent again is reported so, nothing was lost: its reduction is undone (the
 * response of RFC 3708, as Linux's D-SACK undo), once (TCPDSACKUndo).
 */
static void xtcp_dsack_undo(struct sock *sk, u32 start, u32 end)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 mss = xs->mss ? xs->mss : XTCP_MSS_DEFAULT;

	if (!xs->undo_armed || !xs->undo_retrans || !xtcp_seq_after(end, start) ||
	    xtcp_seq_before(start, xs->undo_marker))
		return;
	xs->undo_retrans -= min(DIV_ROUND_UP(end - start, mss), xs->undo_retrans);
	if (xs->undo_retrans)
		return;
	xs->undo_armed = false;
	xs->fr_check = false;
	if (xs->cwnd.recovery) {
		xs->high_rxt = xs->snd_una;
		xtcp_rack_recovery_done(&xs->rack);
	}
	xtcp_cc_undo(sk);
	xtcp_inc_stats(sock_net(sk), XTCP_MIB_DSACK_UNDO);
}

/*
 * A loss was found: the controller's threshold, unless an ECN reduction is
 * under way, which already cut the window for this window of data (as Linux
 * does not cut twice); the recovery then takes over from it.
 */
static u32 xtcp_loss_ssthresh(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (xs->cwnd.cwr)
		return xs->cwnd.ca.ssthresh;
	return xtcp_cc_loss_ssthresh(sk, xtcp_packets_in_flight(xs, xs->snd_max));
}

/*
 * Loss recovery with SACK (RFC 6675, recovery.c) after an ACK that
 * acknowledged @acked segments and SACKed @sacked new bytes: it starts at the
 * third duplicate ACK or once SND.UNA's segment is lost (not while a timeout's
 * go-back-N resends, nor for what an earlier recovery or timeout sent again:
 * RFC 6582's careful variant, as NewReno), its window is PRR's on every ACK,
 * and it ends with the ACK of all that was sent before it began. The holes go
 * from the push that follows the ACK (output.c).
 */
static void xtcp_sack_recovery(struct sock *sk, u32 acked, u32 sacked)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_cwnd *c = &xs->cwnd;
	u32 mss = xs->mss ? xs->mss : XTCP_MSS_DEFAULT;
	u32 lost_end = xtcp_detected_lost_end(xs), ssthresh;
	bool echoed;

	if (c->recovery && !xtcp_seq_before(xs->snd_una, c->recover)) {
		xtcp_cwnd_recovery_ack(c, xs->snd_una, acked,
				       xtcp_rec_pipe(&xs->sb, xs->snd_una, xs->snd_nxt,
						     lost_end, xs->snd_una, mss));
		xs->high_rxt = xs->snd_una;
		xtcp_rack_recovery_done(&xs->rack);
		xtcp_cc_event(sk, XTCP_CA_EVENT_COMPLETE_CWR);
		return;
	}
	if (!c->recovery) {
		/* Not while F-RTO tests a timeout: it decides (xtcp_frto_ack()). */
		if (xs->frto || xs->snd_una == xs->snd_max || xs->snd_nxt != xs->snd_max ||
		    (c->dupacks < XTCP_DUPTHRESH && !xtcp_seq_after(lost_end, xs->snd_una)) ||
		    (c->recover_set && xtcp_seq_before(xs->snd_una, c->recover)))
			return;
		echoed = c->cwr;
		ssthresh = xtcp_loss_ssthresh(sk);
		xtcp_cwnd_enter_recovery(c, ssthresh, xs->snd_max);
		xtcp_prr_init(&xs->prr, xtcp_packets_in_flight(xs, xs->snd_nxt));
		xs->high_rxt = xs->snd_una;
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_SACK_RECOVERY);
		xtcp_undo_start(xs);
		/* Congestion echoed in this window: nothing of it to undo. */
		if (echoed) {
			xs->undo_armed = false;
			xs->fr_check = false;
		}
		/* A probe's episode ends in the recovery it started; none goes in it. */
		xs->tlp_out = false;
		if (xs->rtx_mode == XTCP_RTX_PROBE)
			xtcp_arm_rtx(sk, XTCP_RTX_RETRANSMIT);
	}
	/* The pipe counts the segment at SND.UNA lost whatever the blocks say. */
	c->ca.cwnd = xtcp_prr_cwnd(&xs->prr, acked + DIV_ROUND_UP(sacked, mss),
				   xtcp_sack_pipe(xs), c->ca.ssthresh);
}

/*
 * F-RTO (RFC 5682 2.1) after a timeout that sent only the segment at SND.UNA
 * again (output.c): the ACKs that follow tell a timeout that was needless (the
 * flight was only delayed) from a real one. The first ACK: if it
 * acknowledges what was sent again and not all, two new segments go (2b);
 * anything else - a duplicate, less, or everything - is the conventional
 * recovery, go-back-N (2a). The second: if it acknowledges more, data that
 * was never sent again arrived, and the timeout was spurious: its reduction
 * is undone (RFC 4015's response, as Linux's, TCPSpuriousRTOs) and sending
 * goes on from new data (3b); a duplicate is go-back-N with a window of at
 * most three (3a). Called after the ACK's own processing, with what it was
 * then (@advanced, @dup).
 */
static void xtcp_frto_ack(struct sock *sk, u32 ack, bool advanced, bool dup)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u8 step = xs->frto;

	switch (xtcp_frto_verdict(step, advanced, dup, ack, xs->frto_rtx_end, xs->snd_max,
				  xs->send_head && xs->send_head->len)) {
	case XTCP_FRTO_WAIT:
		break;
	case XTCP_FRTO_NEW_DATA:
		xs->frto = 2;
		xs->frto_room = 2;
		break;
	case XTCP_FRTO_SPURIOUS:
		xs->frto = 0;
		xs->frto_room = 0;
		/* Not if the peer echoed congestion meanwhile: that was real. */
		if (xs->frto_undo)
			xtcp_cc_undo(sk);
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_SPURIOUS_RTOS);
		break;
	case XTCP_FRTO_GOBACK:
		if (step == 2)
			xs->cwnd.ca.cwnd = min_t(u32, xs->cwnd.ca.cwnd, 3);
		xtcp_frto_goback(sk);
		break;
	}
}

/**
 * xtcp_rack_timeout() - RACK's reordering timer fired: what its time marks
 * lost starts a recovery or goes in the one under way; the timer then runs
 * for the RTO (or a probe), or for the next segment RACK waits on.
 * @sk: the socket, locked, its timer's mode XTCP_RTX_REORDER.
 */
void xtcp_rack_timeout(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 wait;

	xs->rtx_mode = XTCP_RTX_OFF;
	if (xs->snd_una == xs->snd_max)
		return;
	wait = xtcp_rack_detect(sk, xs->snd_una);
	xtcp_sack_recovery(sk, 0, 0);
	xtcp_cc_sync(sk);
	xtcp_arm_rtx(sk, XTCP_RTX_RETRANSMIT);
	xtcp_push(sk);
	if (wait)
		xtcp_arm_reorder(sk, wait);
}

/*
 * An ACK at or beyond the last tail loss probe's SND.NXT settles its episode
 * (RFC 8985 7.4): a probe of new data needs nothing more; a D-SACK, or a pure
 * duplicate ACK, says the original and the probe both arrived; an ACK beyond
 * the probe after one that was sent again says it repaired a loss, which
 * the controller answers once, as a fast recovery (TCPLossProbeRecovery).
 */
static void xtcp_tlp_ack(struct sock *sk, u32 ack, bool advanced, bool dsack, u32 sacked)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 ssthresh;

	if (xtcp_seq_before(ack, xs->tlp_high_seq))
		return;
	if (!xs->tlp_retrans || dsack) {
		xs->tlp_out = false;
	} else if (xtcp_seq_after(ack, xs->tlp_high_seq)) {
		xs->tlp_out = false;
		/* A recovery, or an ECN reduction, cut the window already. */
		if (xs->cwnd.recovery || xs->cwnd.cwr)
			return;
		ssthresh = xtcp_cc_loss_ssthresh(sk, xtcp_packets_in_flight(xs, xs->snd_max));
		xs->undo_armed = false;
		xs->cwnd.ca.ssthresh = ssthresh;
		xs->cwnd.ca.cwnd = clamp_t(u32, xs->cwnd.ca.cwnd, 1, ssthresh);
		xs->cwnd.ca.cwnd_cnt = 0;
		xtcp_cc_event(sk, XTCP_CA_EVENT_COMPLETE_CWR);
		xtcp_cc_sync(sk);
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_LOSS_PROBE_RECOVERY);
	} else if (!advanced && !sacked) {
		xs->tlp_out = false;
	}
}

/*
 * ECE from a peer that agreed ECN (RFC 3168 6.1.2): congestion on the path,
 * answered as a loss is but with nothing sent again: the controller's
 * ssthresh, the window paced down to it by PRR over the round trip (Linux's
 * CWR state, xtcp_cwr_ack()), and CWR on the next new data; once per window
 * of data. Whatever reduction is under way, it may no longer be undone: the
 * echo says the congestion was real.
 */
static void xtcp_ecn_reduce(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 ssthresh;

	xs->undo_armed = false;
	xs->fr_check = false;
	xs->frto_undo = false;
	if (!xtcp_cwnd_may_reduce(&xs->cwnd, xs->snd_una))
		return;
	ssthresh = xtcp_cc_loss_ssthresh(sk, xtcp_packets_in_flight(xs, xs->snd_max));
	xtcp_cwnd_enter_cwr(&xs->cwnd, ssthresh, xs->snd_nxt);
	xtcp_prr_init(&xs->prr, xtcp_packets_in_flight(xs, xs->snd_nxt));
	xs->ecn |= XTCP_ECN_QUEUE_CWR;
	xtcp_inc_stats(sock_net(sk), XTCP_MIB_ECN_REDUCTIONS);
	xtcp_cc_sync(sk);
}

/*
 * An ACK in an ECN reduction, that acknowledged @acked segments and SACKed
 * @sacked new bytes: PRR's window (RFC 6937), or the end of the reduction.
 */
static void xtcp_cwr_ack(struct sock *sk, u32 acked, u32 sacked)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 mss = xs->mss ? xs->mss : XTCP_MSS_DEFAULT;
	u32 pipe;

	if (xtcp_cwnd_cwr_done(&xs->cwnd, xs->snd_una)) {
		xtcp_cc_event(sk, XTCP_CA_EVENT_COMPLETE_CWR);
		return;
	}
	pipe = xs->sack_ok ? xtcp_sack_pipe(xs) : xtcp_packets_in_flight(xs, xs->snd_nxt);
	xs->cwnd.ca.cwnd = xtcp_prr_cwnd(&xs->prr, acked + DIV_ROUND_UP(sacked, mss), pipe,
					 xs->cwnd.ca.ssthresh);
}

/*
 * SND.UNA moves up to @ack (above it, at most SND.MAX): take the RTT sample of a
 * timed segment now covered (never a retransmitted one: Karn), free what is
 * acknowledged, forget the backoff, and stop the timer or run it for the rest.
 * Returns whether send buffer space was freed.
 */
static bool xtcp_ack_advance(struct sock *sk, const struct xtcp_skb_cb *cb, u32 ack,
			     u32 sacked)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 nxt = xtcp_seq_after(ack, xs->snd_nxt) ? ack : xs->snd_nxt;
	u32 in_flight = xtcp_packets_in_flight(xs, nxt);
	u32 mss = xs->mss ? xs->mss : XTCP_MSS_DEFAULT;
	u32 acked = in_flight - DIV_ROUND_UP(nxt - ack, mss);
	bool freed, partial = false, rearm = true;
	s32 sample = -1;
	u32 rtt_us;

	if (xs->rtt_timing && xtcp_seq_geq(ack, xs->rtt_seq)) {
		rtt_us = xtcp_clock_us() - xs->rtt_start;
		xtcp_rtt_sample(&xs->rtt, rtt_us);
		xtcp_rack_min_rtt(&xs->rack, rtt_us, (u32)jiffies);
		sample = min_t(u32, rtt_us, S32_MAX);
		xs->rtt_timing = false;
	} else if (xs->retransmits && xs->ts_ok && (cb->opts & XTCP_CB_TS)) {
		/*
		 * Karn's rule keeps a retransmitted segment from being timed: the
		 * echoed timestamp tells which transmission arrived (RTTM, RFC 7323
		 * 4), so the timeout that backed off learns the path again.
		 */
		rtt_us = xtcp_ts_rtt_us(xtcp_ts_clock() + xs->ts_off, cb->tsecr);
		if (rtt_us) {
			xtcp_rtt_sample(&xs->rtt, rtt_us);
			sample = min_t(u32, rtt_us, S32_MAX);
		}
	}
	if (xs->fr_check && xtcp_seq_after(ack, xs->fr_seq)) {
		/*
		 * The first ACK of what fast retransmit sent again: an echo of an
		 * older TSval says the original got there (RFC 3522).
		 */
		xs->fr_check = false;
		if (xs->cwnd.recovery && (cb->opts & XTCP_CB_TS) &&
		    xtcp_seq_before(cb->tsecr, xs->fr_tsval)) {
			xs->undo_armed = false;
			xtcp_cc_undo(sk);
			xtcp_inc_stats(sock_net(sk), XTCP_MIB_FULL_UNDO);
		}
	}
	/*
	 * The controller's sample, before its .cong_avoid (HyStart++ reads it):
	 * the newest segment this ACK covers, unless it was sent again.
	 */
	if (xtcp_seq_after(xs->snd_una, xs->iss)) {
		s32 ca_rtt = xtcp_acked_rtt_us(sk, ack);

		xtcp_cc_pkts_acked(sk, acked, ca_rtt >= 0 ? ca_rtt : sample, in_flight);
	}
	if (xs->cwnd.recovery && xs->sack_ok) {
		/* xtcp_sack_recovery() below, once SND.UNA has moved. */
	} else if (xs->cwnd.cwr) {
		/* No growth in an ECN reduction: xtcp_ack() paces it. */
		xs->cwnd.dupacks = 0;
	} else if (xs->cwnd.recovery) {
		bool first = !xs->cwnd.partial_seen;

		partial = xtcp_cwnd_recovery_ack(&xs->cwnd, ack, acked,
						 DIV_ROUND_UP(nxt - ack, mss));
		/* Only the first partial ACK restarts the timer (RFC 6582 3.2). */
		rearm = !partial || first;
		if (!partial)
			xtcp_cc_event(sk, XTCP_CA_EVENT_COMPLETE_CWR);
	} else if (xtcp_seq_after(xs->snd_una, xs->iss)) {
		/* The SYN's acknowledgment opens no window: only data's. */
		u32 before = xs->cwnd.ca.cwnd;

		xs->cwnd.dupacks = 0;
		xtcp_cc_cong_avoid(sk, ack, acked, in_flight);
		/* The send buffer follows the window (window.c). */
		if (xs->cwnd.ca.cwnd > before)
			xtcp_sndbuf_expand(sk);
	}
	xs->snd_una = ack;
	/* Kept within reach of SND.UNA, so that it never wraps past it. */
	xtcp_sb_advance(&xs->sb, ack);
	if (xtcp_seq_before(xs->high_rxt, ack))
		xs->high_rxt = ack;
	xtcp_rate_acked(&xs->rate, ack, xtcp_clock_us(), xs->rtt.srtt_us);
	/* Our urgent data is acknowledged: no more URG. */
	if (xs->urg_mode && !xtcp_seq_before(ack, xs->snd_up))
		xs->urg_mode = false;
	freed = xtcp_clean_acked(sk, ack);
	xs->retransmits = 0;
	xs->rtt.backoff = 0;
	if (xs->snd_una == xs->snd_max)
		xtcp_stop_rtx(sk);
	else if (rearm)
		xtcp_arm_rtx(sk, XTCP_RTX_RETRANSMIT);
	/* A partial ACK in fast recovery: the next hole goes at once (RFC 6582). */
	if (partial)
		xtcp_retransmit_una(sk);
	/* With SACK, the recovery's start, window and end (recovery.c). */
	if (xs->sack_ok && xtcp_seq_after(xs->snd_una, xs->iss))
		xtcp_sack_recovery(sk, acked, sacked);
	if (xs->cwnd.cwr)
		xtcp_cwr_ack(sk, acked, sacked);
	xtcp_cc_sync(sk);
	return freed;
}

/*
 * A duplicate ACK (RFC 5681 2): limited transmit for the first two (the push
 * that follows every segment sends), fast retransmit at the third (cwnd.c).
 * Not while a timeout's go-back-N is still sending again what was sent.
 */
static void xtcp_dupack(struct sock *sk, u32 sacked)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!xs->cwnd.recovery && (xs->snd_nxt != xs->snd_max || xs->frto))
		return;
	if (xs->sack_ok) {
		/* Counted for RFC 6675's entry; no NewReno inflation. */
		if (!xs->cwnd.recovery && xs->cwnd.dupacks < U8_MAX)
			xs->cwnd.dupacks++;
		xtcp_sack_recovery(sk, 0, sacked);
		if (xs->cwnd.cwr)
			xtcp_cwr_ack(sk, 0, sacked);
	} else if (xtcp_cwnd_dupack(&xs->cwnd, xs->snd_una)) {
		bool echoed = xs->cwnd.cwr;
		u32 ssthresh = xtcp_loss_ssthresh(sk);

		xtcp_cwnd_enter_recovery(&xs->cwnd, ssthresh, xs->snd_max);
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_RENO_RECOVERY);
		xtcp_undo_start(xs);
		if (echoed) {
			xs->undo_armed = false;
			xs->fr_check = false;
		}
		xtcp_retransmit_una(sk);
	} else if (xs->cwnd.cwr) {
		/* A segment left (RFC 5681 2): PRR counts it delivered. */
		xtcp_cwr_ack(sk, 1, 0);
	}
	xtcp_cc_sync(sk);
}

/*
 * The ACK field (RFC 9293 3.10.7.4, fifth step, with RFC 5961 5.2). Returns false
 * when the segment must be dropped after it.
 */
static bool xtcp_ack(struct sock *sk, struct sk_buff *skb)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	u32 ack = cb->ack_seq;
	bool freed = false, dup, dsack = false, advanced;
	struct xtcp_sack_block dblock = {};
	u32 sacked = 0, rack_wait = 0;

	if (xtcp_seq_after(ack, xs->snd_max)) {
		/* It acknowledges what we never sent (within the limit: an ACK loop). */
		xtcp_send_dupack(sk, skb);
		return false;
	}
	if (xtcp_seq_before(ack, xs->snd_una - xs->max_window)) {
		/* Far too old to be a late duplicate: a blind attack, perhaps. */
		xtcp_send_challenge_ack(sk);
		return false;
	}
	advanced = xtcp_seq_after(ack, xs->snd_una);
	if (xs->sack_ok && (cb->opts & XTCP_CB_SACK) && xs->snd_una != xs->snd_max)
		sacked = xtcp_ack_sack(sk, skb, advanced ? ack : xs->snd_una, &dsack, &dblock);
	if (dsack)
		xtcp_rack_dsack(&xs->rack, xs->snd_una, xs->snd_nxt);
	/*
	 * Congestion echoed (ECN): the reduction starts before this ACK's
	 * delivery is counted, which it paces (not for the SYN's ACK).
	 */
	if (xtcp_ecn_echoed(xs->ecn, cb->flags) && xtcp_seq_after(xs->snd_una, xs->iss) &&
	    !xtcp_seq_before(ack, xs->snd_una))
		xtcp_ecn_reduce(sk);
	/* RACK, before the recovery's decisions it feeds (not for the SYN's ACK). */
	if (xs->sack_ok && xs->snd_una != xs->snd_max && xtcp_seq_after(xs->snd_una, xs->iss))
		rack_wait = xtcp_rack_detect(sk, advanced ? ack : xs->snd_una);
	/*
	 * A duplicate: nothing new acknowledged while data is out, no data, SYN
	 * or FIN, and the same window (RFC 5681 2), before the window is taken;
	 * or with SACK, an ACK that SACKs new data (RFC 6675 2).
	 */
	dup = ack == xs->snd_una && xs->snd_una != xs->snd_max &&
	      ((cb->end_seq == cb->seq &&
		((u32)cb->window << xs->snd_wscale) == xs->snd_wnd) || sacked);
	if (advanced)
		freed = xtcp_ack_advance(sk, cb, ack, sacked);
	else if (dup && sk->sk_state != XTCP_SYN_RECV)
		xtcp_dupack(sk, sacked);
	if (xs->frto)
		xtcp_frto_ack(sk, ack, advanced, dup);
	if (xs->tlp_out)
		xtcp_tlp_ack(sk, ack, advanced, dsack, sacked);
	if (dsack)
		xtcp_dsack_undo(sk, dblock.start, dblock.end);
	/* A segment RACK cannot call lost yet: its timer, if it is due first. */
	if (rack_wait && xs->snd_una != xs->snd_max)
		xtcp_arm_reorder(sk, rack_wait);
	/* The window, if this segment is newer than the last that set it. */
	if (xtcp_seq_before(xs->snd_wl1, cb->seq) ||
	    (xs->snd_wl1 == cb->seq && xtcp_seq_geq(ack, xs->snd_wl2))) {
		/* Scaled, except on a SYN (RFC 7323 2.2). */
		xs->snd_wnd = (u32)cb->window <<
			      ((cb->flags & XTCPHDR_SYN) ? 0 : xs->snd_wscale);
		xs->snd_wl1 = cb->seq;
		xs->snd_wl2 = ack;
		if (xs->snd_wnd > xs->max_window)
			xs->max_window = xs->snd_wnd;
		if (xs->rtx_mode == XTCP_RTX_PERSIST && !xtcp_window_blocked(sk)) {
			xs->retransmits = 0;
			xtcp_stop_rtx(sk);
		}
	}
	trace_xtcp_probe(sk, cb->end_seq - cb->seq);
	/* The window or the RTT may have changed (pacing.c). */
	xtcp_update_pacing_rate(sk);
	if (freed) {
		sk->sk_write_space(sk);
		/* The user may wait in close() for the FIN to be acknowledged. */
	}

	if (!xs->fin_queued || xs->snd_una != xs->write_seq)
		return true;
	/* Our FIN is acknowledged. */
	switch (sk->sk_state) {
	case XTCP_FIN_WAIT1:
		xtcp_set_state(sk, XTCP_FIN_WAIT2);
		sk->sk_shutdown |= SEND_SHUTDOWN;
		if (!sock_flag(sk, SOCK_DEAD)) {
			sk->sk_state_change(sk);
			break;
		}
		/* TCP_LINGER2 -1: an orphan does not wait for the peer's FIN. */
		if (xs->linger2 < 0) {
			xtcp_done(sk);
			return false;
		}
		xtcp_arm_fin_wait2(sk);
		break;
	case XTCP_CLOSING:
		xtcp_time_wait(sk);
		return false;
	case XTCP_LAST_ACK:
		xtcp_done(sk);
		return false;
	}
	return true;
}

/*
 * A new urgent pointer, @ptr the urgent byte's sequence number: unless it is
 * urgent data already read or a pointer seen before, the user is told (SIGURG)
 * and the byte is awaited. An earlier urgent byte not taken yet, at the head of
 * what the user reads, is skipped: the new one replaces it.
 */
static void xtcp_urg_pointer(struct sock *sk, u32 ptr)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *head;

	if (xtcp_seq_after(xs->copied_seq, ptr) || xtcp_seq_before(ptr, xs->rcv_nxt) ||
	    (xs->urg_data && !xtcp_seq_after(ptr, xs->urg_seq)))
		return;
	sk_send_sigurg(sk);
	if (xs->urg_seq == xs->copied_seq && xs->urg_data &&
	    !sock_flag(sk, SOCK_URGINLINE) && xs->copied_seq != xs->rcv_nxt) {
		xs->copied_seq++;
		head = skb_peek(&sk->sk_receive_queue);
		if (head && !xtcp_seq_before(xs->copied_seq, XTCP_SKB_CB(head)->seq + head->len)) {
			__skb_unlink(head, &sk->sk_receive_queue);
			kfree_skb(head);
		}
	}
	WRITE_ONCE(xs->urg_data, XTCP_URG_NOTYET);
	WRITE_ONCE(xs->urg_seq, ptr);
}

/*
 * The URG bit (RFC 9293 3.10.7.4, sixth step). As BSD and Linux (and RFC 6093's
 * account of them), the pointer is one past the urgent byte (a zero pointer
 * names the segment's first byte, as Linux reads it). The user learns of it
 * (SIGURG, POLLPRI); the byte itself is kept aside for recv(MSG_OOB), unless
 * SO_OOBINLINE leaves it in the stream.
 */
static void xtcp_urg(struct sock *sk, struct sk_buff *skb)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	const struct tcphdr *th = tcp_hdr(skb);
	u32 ptr = ntohs(th->urg_ptr), off;
	u8 byte;

	xtcp_urg_pointer(sk, (ptr ? ptr - 1 : 0) + ntohl(th->seq));
	if (xs->urg_data != XTCP_URG_NOTYET)
		return;
	/* The urgent byte in this segment? Keep it for MSG_OOB. */
	off = xs->urg_seq - ntohl(th->seq) + XTCP_SKB_CB(skb)->doff - th->syn;
	if (off < skb->len && !skb_copy_bits(skb, off, &byte, 1)) {
		WRITE_ONCE(xs->urg_data, XTCP_URG_VALID | byte);
		if (!sock_flag(sk, SOCK_DEAD))
			sk->sk_data_ready(sk);
	}
}

/* Every synchronized state (RFC 9293 3.10.7.4). */
static void xtcp_rcv_synchronized(struct sock *sk, struct sk_buff *skb)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	u32 len = cb->end_seq - cb->seq;
	u32 wnd = 0, right = xs->rcv_wup + xs->rcv_wnd;
	u16 segs = max_t(u16, skb_shinfo(skb)->gso_segs, 1);
	u8 flags = cb->flags;

	xs->counts.segs_in += segs;
	if (len > !!(flags & XTCPHDR_SYN) + !!(flags & XTCPHDR_FIN))
		xs->counts.data_segs_in += segs;
	xs->rcv_tstamp = jiffies;
	xs->ka_probes = 0;
	if (xtcp_seq_after(right, xs->rcv_nxt))
		wnd = right - xs->rcv_nxt;

	/*
	 * Simultaneous open (RFC 9293 3.5, figure 7): in SYN_RECV the peer's SYN-ACK
	 * repeats its SYN, one before RCV.NXT, and acknowledges ours. The literal
	 * acceptability test would refuse it; it is the ACK it carries.
	 */
	if (sk->sk_state == XTCP_SYN_RECV &&
	    (flags & (XTCPHDR_SYN | XTCPHDR_ACK)) == (XTCPHDR_SYN | XTCPHDR_ACK) &&
	    cb->seq == xs->irs && xtcp_ack_acceptable(cb->ack_seq, xs->snd_una, xs->snd_max)) {
		cb->seq++;
		cb->flags &= ~XTCPHDR_SYN;
		flags = cb->flags;
		len = cb->end_seq - cb->seq;
	}

	/*
	 * Timestamps, once agreed (RFC 7323), come before the window test. A
	 * segment without them is dropped silently (3.2's SHOULD; never a reason
	 * to abort), one older than TS.Recent is an old duplicate (PAWS, 5.3 R1):
	 * ACKed within the limit and dropped. RSTs are exempt from both.
	 */
	if (xs->ts_ok && !(flags & XTCPHDR_RST)) {
		if (!(cb->opts & XTCP_CB_TS)) {
			xtcp_inc_stats(sock_net(sk), XTCP_MIB_TS_MISSING);
			goto drop;
		}
		if (!xtcp_paws_ok(xs->ts_recent, xs->ts_recent_stamp, cb->tsval,
				  (u32)ktime_get_seconds())) {
			/*
			 * A pure ACK that newer segments overtook (ACKs from
			 * softirq and data from a task leave on different CPUs)
			 * says nothing new: dropped unanswered, so that the
			 * rate-limited replies stay for the segments that need
			 * them (Linux's PAWSOldAck).
			 */
			if (!len) {
				xtcp_inc_stats(sock_net(sk), XTCP_MIB_PAWS_OLD_ACK);
				goto drop;
			}
			xtcp_inc_stats(sock_net(sk), XTCP_MIB_PAWS_ESTAB);
			xtcp_send_dupack(sk, skb);
			goto drop;
		}
	}

	/* First: is the segment in the window? */
	if (!xtcp_seq_acceptable(cb->seq, len, xs->rcv_nxt, wnd)) {
		/*
		 * A zero window still takes valid ACKs (RFC 9293 3.10.7.4): the
		 * segment's data is dropped, its ACK processed.
		 */
		if (!wnd && cb->seq == xs->rcv_nxt && !(flags & (XTCPHDR_RST | XTCPHDR_SYN)) &&
		    (flags & XTCPHDR_ACK) && sk->sk_state != XTCP_SYN_RECV) {
			if (xtcp_ack(sk, skb))
				xtcp_send_ack(sk);
			xtcp_push(sk);
		} else if (flags & XTCPHDR_SYN) {
			/* Any SYN, in the window or not (RFC 5961 4.2). */
			xtcp_send_challenge_ack(sk);
		} else if (!(flags & XTCPHDR_RST)) {
			/* Data we had already: a D-SACK in the ACK (RFC 2883). */
			if (xs->sack_ok && xtcp_seq_before(cb->seq, xs->rcv_nxt) &&
			    cb->end_seq - cb->seq > !!(flags & XTCPHDR_SYN) +
						   !!(flags & XTCPHDR_FIN)) {
				xtcp_rcv_sack_dup(&xs->rsack, cb->seq + !!(flags & XTCPHDR_SYN),
						  cb->end_seq - !!(flags & XTCPHDR_FIN),
						  xs->rcv_nxt);
				xtcp_inc_stats(sock_net(sk), XTCP_MIB_DSACK_OLD_SENT);
			}
			xtcp_send_dupack(sk, skb);
		}
		goto drop;
	}

	/* Second: RST. Only one exactly at RCV.NXT resets (RFC 5961 3.2). */
	if (flags & XTCPHDR_RST) {
		if (cb->seq == xs->rcv_nxt)
			xtcp_reset(sk);
		else
			xtcp_send_challenge_ack(sk);
		goto drop;
	}

	/* Fourth: a SYN in a synchronized state gets a challenge ACK (RFC 5961 4.2). */
	if (flags & XTCPHDR_SYN) {
		xtcp_send_challenge_ack(sk);
		goto drop;
	}

	/* TS.Recent follows the segments that made our ACKs due (RFC 7323 5.3 R3). */
	if (xs->ts_ok && xtcp_ts_recent_due(cb->seq, xs->rcv_wup))
		xtcp_ts_store_recent(xs, cb->tsval);

	/* Fifth: the ACK. */
	if (!(flags & XTCPHDR_ACK))
		goto drop;
	if (sk->sk_state == XTCP_SYN_RECV) {
		if (!xtcp_ack_acceptable(cb->ack_seq, xs->snd_una, xs->snd_max)) {
			xtcp_send_reset_reply(sock_net(sk), skb);
			goto drop;
		}
		xtcp_set_state(sk, XTCP_ESTABLISHED);
		xs->snd_wl1 = cb->seq - 1;	/* take this segment's window */
		if (!sock_flag(sk, SOCK_DEAD)) {
			sk->sk_state_change(sk);
			sk_wake_async(sk, SOCK_WAKE_IO, POLL_OUT);
		}
		xtcp_keepalive_reset(sk);
	}
	if (!xtcp_ack(sk, skb))
		goto drop;

	/* Sixth: URG, where the peer may still send. */
	if ((flags & XTCPHDR_URG) &&
	    ((1 << sk->sk_state) & (XTCPF_ESTABLISHED | XTCPF_FIN_WAIT1 | XTCPF_FIN_WAIT2)))
		xtcp_urg(sk, skb);

	/* Seventh and eighth: data and FIN, in the states that still receive. */
	switch (sk->sk_state) {
	case XTCP_FIN_WAIT1:
	case XTCP_FIN_WAIT2:
		/*
		 * New data for a user who closed (or shut reading down): it can never
		 * be read, so the connection is reset (RFC 1122 4.2.2.13, as TCP).
		 */
		if ((sk->sk_shutdown & RCV_SHUTDOWN) && cb->end_seq != cb->seq &&
		    xtcp_seq_after(cb->end_seq - !!(flags & XTCPHDR_FIN), xs->rcv_nxt)) {
			xtcp_inc_stats(sock_net(sk), XTCP_MIB_ABORT_ON_DATA);
			xtcp_send_reset_reply(sock_net(sk), skb);
			WRITE_ONCE(sk->sk_err, ECONNRESET);
			sk_error_report(sk);
			xtcp_done(sk);
			goto drop;
		}
		fallthrough;
	case XTCP_ESTABLISHED:
		if (cb->end_seq != cb->seq) {
			xtcp_data_queue(sk, skb);
			skb = NULL;
		}
		break;
	default:
		/* The peer's FIN came already: anything more is a retransmission. */
		if (cb->end_seq != cb->seq)
			xtcp_send_ack(sk);
		break;
	}
	xtcp_push(sk);
drop:
	kfree_skb(skb);
}

/* SYN_SENT (RFC 9293 3.10.7.3). */
static void xtcp_rcv_syn_sent(struct sock *sk, struct sk_buff *skb)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	u8 flags = cb->flags;
	bool ack_ok = false;

	if (flags & XTCPHDR_ACK) {
		if (xtcp_seq_leq(cb->ack_seq, xs->iss) ||
		    xtcp_seq_after(cb->ack_seq, xs->snd_max)) {
			xtcp_send_reset_reply(sock_net(sk), skb);
			goto drop;
		}
		ack_ok = true;
	}
	if (flags & XTCPHDR_RST) {
		if (ack_ok) {
			xtcp_inc_stats(sock_net(sk), XTCP_MIB_ATTEMPT_FAILS);
			xtcp_reset(sk);
		}
		goto drop;
	}
	if (!(flags & XTCPHDR_SYN))
		goto drop;

	/*
	 * RFC 7323: window scaling and timestamps are on if both SYNs carry them;
	 * the window of this SYN is not scaled, all later ones are.
	 */
	xs->wscale_ok = xs->wscale_ok && (cb->opts & XTCP_CB_WSCALE);
	xs->snd_wscale = xs->wscale_ok ? cb->wscale : 0;
	if (!xs->wscale_ok)
		xs->rcv_wscale = 0;
	xs->ts_ok = xs->ts_ok && (cb->opts & XTCP_CB_TS);
	if (xs->ts_ok)
		xtcp_ts_store_recent(xs, cb->tsval);
	/* RFC 2018: SACK if both SYNs permit it. */
	xs->sack_ok = xs->sack_ok && (cb->opts & XTCP_CB_SACK_OK);
	/*
	 * RFC 3168 6.1.1: ECN if we asked and a SYN-ACK said yes, or (a
	 * simultaneous open) the peer's SYN asked too.
	 */
	if (!(xs->ecn & XTCP_ECN_ASKED) ||
	    !(ack_ok ? xtcp_ecn_synack_agrees(flags) :
	      xtcp_ecn_syn_acceptable(1, flags, cb->opts & XTCP_CB_ECT)))
		xs->ecn = 0;
	else
		xs->ecn = XTCP_ECN_OK | XTCP_ECN_ASKED;
	xtcp_init_rcv_seq(xs, cb->seq, cb);
	xtcp_set_mss(sk, cb->mss);
	/* One segment if the SYN had to go again (RFC 5681 3.1), else RFC 6928's. */
	xtcp_cwnd_init(&xs->cwnd, xs->total_retrans ? 1 : xtcp_cwnd_initial(xs->mss),
		       (u32)jiffies);
	xtcp_rcv_tune_init(sk);

	if (ack_ok) {
		xtcp_ack_advance(sk, cb, cb->ack_seq, 0);
		xtcp_rtt_handshake_done(&xs->rtt, xs->total_retrans);
		xtcp_set_state(sk, XTCP_ESTABLISHED);
		xs->rcv_tstamp = jiffies;
		xtcp_keepalive_reset(sk);
		/* Data on a SYN-ACK is not taken: the peer sends it again. */
		xtcp_send_ack(sk);
		if (!sock_flag(sk, SOCK_DEAD)) {
			sk->sk_state_change(sk);
			sk_wake_async(sk, SOCK_WAKE_IO, POLL_OUT);
		}
		xtcp_push(sk);
	} else {
		/* Simultaneous open: our SYN goes again, now with an ACK. */
		xtcp_set_state(sk, XTCP_SYN_RECV);
		xtcp_retransmit_head(sk);
	}
drop:
	kfree_skb(skb);
}

/**
 * xtcp_do_rcv() - process one segment for its socket.
 * @sk: the socket, locked (bh_lock_sock() with no owner, or from the backlog).
 * @skb: the segment, its control block filled in; consumed.
 *
 * Return: 0.
 */
int xtcp_do_rcv(struct sock *sk, struct sk_buff *skb)
{
	switch (sk->sk_state) {
	case XTCP_LISTEN:
		/*
		 * Not from the wire (listeners take it unlocked): a backlog's leftover,
		 * queued before the socket became a listener. The backlog runs with
		 * bottom halves on; the listener's path is softirq's (it takes a new
		 * connection's lock with bh_lock_sock()), so it runs with them off.
		 */
		local_bh_disable();
		rcu_read_lock();
		xtcp_listen_rcv(sk, skb);
		rcu_read_unlock();
		local_bh_enable();
		break;
	case XTCP_SYN_SENT:
		xtcp_rcv_syn_sent(sk, skb);
		break;
	case XTCP_CLOSE:
		xtcp_rcv_closed(sk, skb);
		break;
	default:
		xtcp_rcv_synchronized(sk, skb);
	}
	return 0;
}

/**
 * xtcp_child_rcv() - the rest of a handshake's final ACK, on the new connection.
 * @sk: the connection, not yet visible to anyone else.
 * @skb: the ACK; it may carry data and even a FIN; consumed.
 */
void xtcp_child_rcv(struct sock *sk, struct sk_buff *skb)
{
	xtcp_rcv_synchronized(sk, skb);
}
