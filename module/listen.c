// SPDX-License-Identifier: GPL-2.0
/*
 * listen.c - LISTEN: the SYN queue of compact requests, SYN-ACK retransmission,
 * the accept queue, and accept().
 *
 * A SYN makes a struct xtcp_request (not a socket) in the listener's request
 * table and is answered with a SYN-ACK; the request's timer retransmits it with
 * exponential backoff, at most synack_retries times, then drops the request. The
 * ACK that completes the handshake turns the request into a socket, which waits in
 * the accept queue. All of it runs under the listener's socket lock.
 *
 * A request's timer takes the listener's lock; when a task holds it, the timer
 * tries again shortly. A request leaves the table under the lock: if its timer
 * is pending it is cancelled and the request freed; if the timer is already
 * running, the request is marked dead and the timer frees it.
 */
#include <linux/ip.h>
#include <linux/log2.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <net/ip.h>
#include <net/route.h>
#include <net/sock.h>

#include "seq.h"
#include "xtcp.h"

static struct kmem_cache *xtcp_request_cache __read_mostly;

int xtcp_request_cache_init(void)
{
	xtcp_request_cache = kmem_cache_create("xtcp_request", sizeof(struct xtcp_request),
					       0, 0, NULL);
	return xtcp_request_cache ? 0 : -ENOMEM;
}

void xtcp_request_cache_exit(void)
{
	kmem_cache_destroy(xtcp_request_cache);
}

static unsigned int xtcp_req_hash(const struct xtcp_listen *lq, __be32 raddr, __be16 rport)
{
	return ((__force u32)raddr ^ ((__force u32)rport * 2654435761U)) & lq->req_mask;
}

static struct xtcp_request *xtcp_req_lookup(struct xtcp_listen *lq, __be32 laddr,
					    __be32 raddr, __be16 rport)
{
	struct xtcp_request *req;

	hlist_for_each_entry(req, &lq->req_hash[xtcp_req_hash(lq, raddr, rport)], node)
		if (req->raddr == raddr && req->rport == rport && req->laddr == laddr)
			return req;
	return NULL;
}

static void xtcp_req_free(struct xtcp_request *req)
{
	sock_put(req->listener);
	kmem_cache_free(xtcp_request_cache, req);
}

/* Take @req out of the SYN queue; the listener's lock is held. */
static void xtcp_req_unlink(struct sock *sk, struct xtcp_request *req)
{
	hlist_del_init(&req->node);
	xtcp_sk(sk)->lq->syn_qlen--;
	if (del_timer(&req->timer))
		xtcp_req_free(req);
	else
		req->dead = true;	/* its timer is running and frees it */
}

/* The SYN-ACK of a request (RFC 9293 3.10.7.2). */
static void xtcp_send_synack(struct sock *sk, struct xtcp_request *req)
{
	struct xtcp_options opts = { .mss = req->advmss };
	int space = READ_ONCE(sk->sk_rcvbuf) / 2;

	xtcp_send_ctl(sock_net(sk), req->laddr, req->raddr, req->lport, req->rport,
		      req->iss, req->irs + 1, XTCPHDR_SYN | XTCPHDR_ACK,
		      min_t(u32, space, XTCP_MAX_WINDOW), &opts);
	req->sent_us = xtcp_clock_us();
}

static void xtcp_req_timer(struct timer_list *t)
{
	struct xtcp_request *req = from_timer(req, t, timer);
	struct sock *sk = req->listener;
	struct xtcp_net *xn = xtcp_pernet(sock_net(sk));
	unsigned long rto;

	bh_lock_sock(sk);
	if (req->dead) {
		bh_unlock_sock(sk);
		xtcp_req_free(req);
		return;
	}
	if (sock_owned_by_user(sk)) {
		mod_timer(&req->timer, jiffies + XTCP_LOCKED_RETRY);
		goto out;
	}
	if (req->retries >= READ_ONCE(xn->sysctl.synack_retries)) {
		/* No ACK came: forget the request (scenario 5). */
		hlist_del_init(&req->node);
		xtcp_sk(sk)->lq->syn_qlen--;
		bh_unlock_sock(sk);
		xtcp_req_free(req);
		return;
	}
	req->retries++;
	xtcp_inc_stats(sock_net(sk), XTCP_MIB_SYNACK_RETRANS);
	xtcp_inc_stats(sock_net(sk), XTCP_MIB_RETRANS_SEGS);
	xtcp_send_synack(sk, req);
	rto = usecs_to_jiffies(XTCP_RTO_INIT_US) << req->retries;
	mod_timer(&req->timer, jiffies + min_t(unsigned long, rto,
					       usecs_to_jiffies(XTCP_RTO_MAX_US)));
out:
	bh_unlock_sock(sk);
}

/* A SYN to the listener: a new request, answered with a SYN-ACK. */
static void xtcp_listen_syn(struct sock *sk, struct sk_buff *skb)
{
	struct xtcp_net *xn = xtcp_pernet(sock_net(sk));
	struct xtcp_listen *lq = xtcp_sk(sk)->lq;
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	struct xtcp_request *req;
	unsigned int mtu;

	/* No room to accept it: drop the SYN, as Linux does; the client retries. */
	if (sk_acceptq_is_full(sk)) {
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_LISTEN_OVERFLOWS);
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_LISTEN_DROPS);
		return;
	}
	if (lq->syn_qlen >= (unsigned int)READ_ONCE(xn->sysctl.max_syn_backlog)) {
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_LISTEN_DROPS);
		return;
	}
	req = kmem_cache_zalloc(xtcp_request_cache, GFP_ATOMIC);
	if (!req) {
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_LISTEN_DROPS);
		return;
	}
	sock_hold(sk);
	req->listener = sk;
	req->laddr = iph->daddr;
	req->raddr = iph->saddr;
	req->lport = th->dest;
	req->rport = th->source;
	req->irs = cb->seq;
	req->iss = xtcp_isn(sock_net(sk), req->laddr, req->raddr, req->lport, req->rport);
	req->peer_mss = cb->mss ? cb->mss : XTCP_MSS_DEFAULT;
	mtu = xtcp_route_mtu(sock_net(sk), req->laddr, req->raddr);
	req->advmss = xtcp_mss_for_mtu(mtu, xtcp_sk(sk)->user_mss);
	timer_setup(&req->timer, xtcp_req_timer, 0);
	hlist_add_head(&req->node, &lq->req_hash[xtcp_req_hash(lq, req->raddr, req->rport)]);
	lq->syn_qlen++;
	xtcp_send_synack(sk, req);
	mod_timer(&req->timer, jiffies + usecs_to_jiffies(XTCP_RTO_INIT_US));
}

/* The handshake's final ACK: a socket for the connection, into the accept queue. */
static void xtcp_listen_complete(struct sock *sk, struct xtcp_request *req,
				 struct sk_buff *skb)
{
	struct xtcp_sock *lxs = xtcp_sk(sk);
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	struct sock *child;

	if (sk_acceptq_is_full(sk)) {
		/*
		 * Drop the ACK and keep the request: the SYN-ACK retransmission makes
		 * the client ACK again, by when accept() may have made room.
		 */
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_LISTEN_OVERFLOWS);
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_LISTEN_DROPS);
		kfree_skb(skb);
		return;
	}
	child = xtcp_sock_new_child(sk, req, cb);
	if (!child) {
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_LISTEN_DROPS);
		kfree_skb(skb);
		return;
	}
	if (!req->retries)
		xtcp_rtt_sample(&xtcp_sk(child)->rtt, xtcp_clock_us() - req->sent_us);
	xtcp_req_unlink(sk, req);
	xtcp_inc_stats(sock_net(sk), XTCP_MIB_PASSIVE_OPENS);

	/* Data or a FIN on the ACK belong to the new connection (scenario 6). */
	xtcp_child_rcv(child, skb);

	if (xtcp_hash_connection(child)) {
		xtcp_abort_child(child);
		return;
	}
	list_add_tail(&xtcp_sk(child)->accept_node, &lxs->lq->accept_q);
	lxs->lq->accept_qlen++;
	sk_acceptq_added(sk);
	sk->sk_data_ready(sk);
}

/**
 * xtcp_listen_rcv() - a segment for a listener (RFC 9293 3.10.7.2) or for one of
 * its requests (SYN-RECEIVED in 3.10.7.4).
 * @sk: the listener, locked.
 * @skb: the segment; consumed.
 */
void xtcp_listen_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct xtcp_listen *lq = xtcp_sk(sk)->lq;
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	struct xtcp_request *req;
	u8 flags = cb->flags;

	req = xtcp_req_lookup(lq, iph->daddr, iph->saddr, th->source);
	if (!req) {
		if (flags & XTCPHDR_RST)
			goto drop;
		if (flags & XTCPHDR_ACK) {
			/* Nothing here to acknowledge: RST (scenario 5's dropped client). */
			xtcp_send_reset_reply(sock_net(sk), skb);
			goto drop;
		}
		if (flags & XTCPHDR_SYN)
			xtcp_listen_syn(sk, skb);
		goto drop;
	}

	/* SYN-RECEIVED, on a request. */
	if (flags & XTCPHDR_RST) {
		/*
		 * The client does not know this connection: an old duplicate SYN made
		 * it (scenarios 2 and 4). Back to LISTEN: forget the request. A RST
		 * must carry the expected sequence number (RFC 5961 3.2).
		 */
		if (cb->seq == req->irs + 1)
			xtcp_req_unlink(sk, req);
		goto drop;
	}
	if (flags & XTCPHDR_SYN) {
		/* The SYN again: our SYN-ACK was lost; send it again. */
		if (cb->seq == req->irs)
			xtcp_send_synack(sk, req);
		goto drop;
	}
	if (!(flags & XTCPHDR_ACK))
		goto drop;
	if (cb->ack_seq != req->iss + 1) {
		xtcp_send_reset_reply(sock_net(sk), skb);
		goto drop;
	}
	if (cb->seq != req->irs + 1) {
		/* Not the next in sequence: an ACK tells the client where we are. */
		xtcp_send_ctl(sock_net(sk), req->laddr, req->raddr, req->lport, req->rport,
			      req->iss + 1, req->irs + 1, XTCPHDR_ACK,
			      min_t(u32, READ_ONCE(sk->sk_rcvbuf) / 2, XTCP_MAX_WINDOW), NULL);
		goto drop;
	}
	xtcp_listen_complete(sk, req, skb);
	return;
drop:
	kfree_skb(skb);
}

/**
 * xtcp_listen_start() - the queues of a new listener.
 * @sk: the socket, locked.
 *
 * Return: 0 or -ENOMEM.
 */
int xtcp_listen_start(struct sock *sk)
{
	struct xtcp_net *xn = xtcp_pernet(sock_net(sk));
	unsigned int buckets;
	struct xtcp_listen *lq;

	buckets = roundup_pow_of_two(clamp(READ_ONCE(xn->sysctl.max_syn_backlog) / 4,
					   16, 4096));
	lq = kzalloc(sizeof(*lq), GFP_KERNEL);
	if (!lq)
		return -ENOMEM;
	lq->req_hash = kvcalloc(buckets, sizeof(*lq->req_hash), GFP_KERNEL);
	if (!lq->req_hash) {
		kfree(lq);
		return -ENOMEM;
	}
	lq->req_mask = buckets - 1;
	INIT_LIST_HEAD(&lq->accept_q);
	xtcp_sk(sk)->lq = lq;
	return 0;
}

/**
 * xtcp_listen_stop() - stop listening: forget every request and reset every
 * connection nobody accepted.
 * @sk: the listener, locked by a task.
 */
void xtcp_listen_stop(struct sock *sk)
{
	struct xtcp_listen *lq = xtcp_sk(sk)->lq;
	struct xtcp_sock *cxs, *tmp;
	struct hlist_node *n;
	struct xtcp_request *req;
	unsigned int i;

	if (!lq)
		return;
	/* The receive path and the request timers take the lock with BHs off. */
	local_bh_disable();
	bh_lock_sock(sk);
	for (i = 0; i <= lq->req_mask; i++)
		hlist_for_each_entry_safe(req, n, &lq->req_hash[i], node)
			xtcp_req_unlink(sk, req);
	bh_unlock_sock(sk);
	local_bh_enable();

	list_for_each_entry_safe(cxs, tmp, &lq->accept_q, accept_node) {
		list_del_init(&cxs->accept_node);
		sk_acceptq_removed(sk);
		xtcp_abort_child(&cxs->inet.sk);
	}
	lq->accept_qlen = 0;
	xtcp_sk(sk)->lq = NULL;
	kvfree(lq->req_hash);
	kfree(lq);
}

/**
 * xtcp_accept() - the oldest connection of the accept queue (proto .accept).
 * @sk: the listener.
 * @flags: O_NONBLOCK or not.
 * @err: the errno, when no connection is returned.
 * @kern: a kernel caller.
 *
 * Return: the connection, or NULL with *@err set (EINVAL when not listening,
 * EAGAIN, ERESTARTSYS or EINTR).
 */
struct sock *xtcp_accept(struct sock *sk, int flags, int *err, bool kern)
{
	long timeo = sock_rcvtimeo(sk, flags & O_NONBLOCK);
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_sock *cxs;
	DEFINE_WAIT(wait);
	int error;

	lock_sock(sk);
	for (;;) {
		error = -EINVAL;
		if (sk->sk_state != XTCP_LISTEN)
			goto out;
		if (!list_empty(&xs->lq->accept_q))
			break;
		error = -EAGAIN;
		if (!timeo)
			goto out;
		prepare_to_wait_exclusive(sk_sleep(sk), &wait, TASK_INTERRUPTIBLE);
		release_sock(sk);
		if (!READ_ONCE(sk->sk_ack_backlog))
			timeo = schedule_timeout(timeo);
		lock_sock(sk);
		finish_wait(sk_sleep(sk), &wait);
		error = sock_intr_errno(timeo);
		if (signal_pending(current))
			goto out;
	}
	cxs = list_first_entry(&xs->lq->accept_q, struct xtcp_sock, accept_node);
	list_del_init(&cxs->accept_node);
	xs->lq->accept_qlen--;
	sk_acceptq_removed(sk);
	release_sock(sk);
	return &cxs->inet.sk;
out:
	release_sock(sk);
	*err = error;
	return NULL;
}
