// SPDX-License-Identifier: GPL-2.0
/*
 * listen.c - LISTEN: the SYN queue of compact requests, SYN cookies, SYN-ACK
 * retransmission, the accept queue, and accept().
 *
 * A SYN makes a struct xtcp_request (not a socket) in the namespace's request
 * table and is answered with a SYN-ACK; the request's timer retransmits it with
 * exponential backoff, at most synack_retries times, then drops the request. The
 * ACK that completes the handshake turns the request into a socket, which waits in
 * the accept queue. When the SYN queue is full (or always, with syncookies=2), the
 * SYN is answered with a SYN cookie instead (syncookie.c) and nothing is kept.
 *
 * None of it takes the listener's socket lock: segments for a listener are handled
 * on every CPU at once. Requests are found under RCU and change under their
 * bucket's lock; the accept queue has its own lock (struct xtcp_listen).
 *
 * A request's references: one for the table and one for its pending timer, each
 * dropped by whoever takes it out of the table or stops the timer for good, plus
 * one per lookup. Whoever unlinks a request from the table owns its end:
 * completing the handshake, or dropping it. The timer unlinks and drops it when
 * the retries run out; anyone else who unlinks it also stops the timer with
 * del_timer_sync() (never under a bucket lock, which the timer takes).
 */
#include <linux/ip.h>
#include <linux/jhash.h>
#include <linux/rcupdate.h>
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
	/* Requests are freed after a grace period: wait for the last of them. */
	rcu_barrier();
	kmem_cache_destroy(xtcp_request_cache);
}

/**
 * xtcp_request_size() - what a half-open connection costs.
 *
 * Return: the size of a request's slab object, in bytes.
 */
unsigned int xtcp_request_size(void)
{
	return kmem_cache_size(xtcp_request_cache);
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_request_size);

int xtcp_reqs_init_net(struct xtcp_req_table *t)
{
	unsigned int i;

	t->buckets = kvcalloc(XTCP_REQ_HASH_SIZE, sizeof(*t->buckets), GFP_KERNEL);
	t->locks = kcalloc(XTCP_REQ_LOCKS, sizeof(*t->locks), GFP_KERNEL);
	if (!t->buckets || !t->locks) {
		kvfree(t->buckets);
		kfree(t->locks);
		return -ENOMEM;
	}
	for (i = 0; i < XTCP_REQ_LOCKS; i++)
		spin_lock_init(&t->locks[i]);
	atomic_set(&t->count, 0);
	t->seed = get_random_u32();
	return 0;
}

static unsigned int xtcp_req_hashfn(const struct xtcp_req_table *t, __be32 laddr,
				    __be16 lport, __be32 raddr, __be16 rport)
{
	return jhash_3words((__force u32)laddr, (__force u32)raddr,
			    (__force u32)lport << 16 | (__force u32)rport, t->seed) &
	       (XTCP_REQ_HASH_SIZE - 1);
}

static spinlock_t *xtcp_req_lock(struct xtcp_req_table *t, unsigned int bucket)
{
	return &t->locks[bucket & (XTCP_REQ_LOCKS - 1)];
}

static void xtcp_req_free_rcu(struct rcu_head *head)
{
	struct xtcp_request *req = container_of(head, struct xtcp_request, rcu);
	struct xtcp_req_table *t = &xtcp_pernet(sock_net(req->listener))->reqs;

	atomic_dec(&t->count);
	sock_put(req->listener);
	kmem_cache_free(xtcp_request_cache, req);
}

static void xtcp_req_put(struct xtcp_request *req)
{
	if (refcount_dec_and_test(&req->refcnt))
		call_rcu(&req->rcu, xtcp_req_free_rcu);
}

/* The request of a 4-tuple, with a reference; under the RCU read lock. */
static struct xtcp_request *xtcp_req_lookup(struct xtcp_req_table *t, __be32 laddr,
					    __be16 lport, __be32 raddr, __be16 rport)
{
	unsigned int b = xtcp_req_hashfn(t, laddr, lport, raddr, rport);
	struct xtcp_request *req;

	hlist_for_each_entry_rcu(req, &t->buckets[b], node)
		if (req->raddr == raddr && req->rport == rport && req->laddr == laddr &&
		    req->lport == lport && refcount_inc_not_zero(&req->refcnt))
			return req;
	return NULL;
}

/*
 * Put @req in the table, unless its 4-tuple has a request already (the same SYN
 * taken on two CPUs at once). Takes the table's reference.
 */
static bool xtcp_req_hash(struct xtcp_req_table *t, struct xtcp_request *req)
{
	unsigned int b = xtcp_req_hashfn(t, req->laddr, req->lport, req->raddr, req->rport);
	spinlock_t *lock = xtcp_req_lock(t, b);
	struct xtcp_request *old;

	spin_lock_bh(lock);
	hlist_for_each_entry(old, &t->buckets[b], node) {
		if (old->raddr == req->raddr && old->rport == req->rport &&
		    old->laddr == req->laddr && old->lport == req->lport) {
			spin_unlock_bh(lock);
			return false;
		}
	}
	refcount_inc(&req->refcnt);
	req->hashed = true;
	hlist_add_head_rcu(&req->node, &t->buckets[b]);
	spin_unlock_bh(lock);
	return true;
}

/*
 * Take @req out of the table: true if this call did (and so owns its end). The
 * caller holds a reference of its own.
 */
static bool xtcp_req_unlink(struct xtcp_request *req)
{
	struct xtcp_req_table *t = &xtcp_pernet(sock_net(req->listener))->reqs;
	unsigned int b = xtcp_req_hashfn(t, req->laddr, req->lport, req->raddr, req->rport);
	spinlock_t *lock = xtcp_req_lock(t, b);
	bool unlinked = false;

	spin_lock_bh(lock);
	if (req->hashed) {
		hlist_del_rcu(&req->node);
		WRITE_ONCE(req->hashed, false);
		unlinked = true;
	}
	spin_unlock_bh(lock);
	if (unlinked) {
		atomic_dec(&xtcp_sk(req->listener)->lq.qlen);
		xtcp_req_put(req);
	}
	return unlinked;
}

/* Take @req out of the table and stop its timer; not from the timer itself. */
static bool xtcp_req_drop(struct xtcp_request *req)
{
	if (!xtcp_req_unlink(req))
		return false;
	if (del_timer_sync(&req->timer))
		xtcp_req_put(req);
	return true;
}

/**
 * xtcp_req_walk() - the request after @req in the table, for /proc/net/xtcp.
 * @t: the table.
 * @req: a request, or NULL for the first of bucket *@bucket or of a later one.
 * @bucket: @req's bucket (or where to begin); updated to the returned request's.
 *
 * Context: under the RCU read lock, held from the lookup of @req to the use of
 * the request returned.
 *
 * Return: the next request, or NULL at the end.
 */
struct xtcp_request *xtcp_req_walk(struct xtcp_req_table *t, struct xtcp_request *req,
				   unsigned int *bucket)
{
	struct hlist_node *n;

	if (req) {
		n = rcu_dereference(hlist_next_rcu(&req->node));
		if (n)
			return hlist_entry(n, struct xtcp_request, node);
		++*bucket;
	}
	for (; *bucket < XTCP_REQ_HASH_SIZE; ++*bucket) {
		n = rcu_dereference(hlist_first_rcu(&t->buckets[*bucket]));
		if (n)
			return hlist_entry(n, struct xtcp_request, node);
	}
	return NULL;
}

/* Our TSval clock towards a request's peer: the clock plus the offset. */
static u32 xtcp_req_ts_now(struct net *net, __be32 laddr, __be32 raddr)
{
	return xtcp_ts_clock() + xtcp_ts_offset(net, laddr, raddr);
}

/*
 * The SYN-ACK of a request (RFC 9293 3.10.7.2; @state SYN_RECV), or of a cookie
 * (LISTEN: the listener keeps nothing). @opts has the options besides the MSS.
 */
static void xtcp_send_synack(struct sock *sk, __be32 laddr, __be32 raddr, __be16 lport,
			     __be16 rport, u32 iss, u32 irs, struct xtcp_options *opts,
			     bool ecn, int state)
{
	u32 full = opts->mss - (opts->ts_ok ? XTCP_TS_ALIGNED_LEN : 0);

	/* ECE alone agrees to the SYN's ECN (RFC 3168 6.1.1). */
	xtcp_send_ctl(sock_net(sk), sk, laddr, raddr, lport, rport, iss, irs + 1,
		      XTCPHDR_SYN | XTCPHDR_ACK | (ecn ? XTCPHDR_ECE : 0),
		      xtcp_syn_window(xtcp_rcv_space(sk), full), opts, state);
}

/* The options of a request's segments: its timestamps, and on a SYN-ACK the rest. */
static void xtcp_req_options(const struct xtcp_request *req, bool syn,
			     struct xtcp_options *opts)
{
	memset(opts, 0, sizeof(*opts));
	if (syn) {
		opts->mss = req->advmss;
		opts->wscale_ok = req->wscale_ok;
		opts->wscale = req->rcv_wscale;
		opts->sack_ok = req->sack_ok;
	}
	if (req->ts_ok) {
		opts->ts_ok = true;
		opts->tsval = xtcp_req_ts_now(sock_net(req->listener), req->laddr, req->raddr);
		opts->tsecr = req->ts_recent;
	}
}

static void xtcp_req_send_synack(struct xtcp_request *req)
{
	struct xtcp_options opts;

	xtcp_req_options(req, true, &opts);
	xtcp_send_synack(req->listener, req->laddr, req->raddr, req->lport, req->rport,
			 req->iss, req->irs, &opts, req->ecn_ok, XTCP_SYN_RECV);
	WRITE_ONCE(req->sent_us, (u32)xtcp_clock_us());
}

/*
 * What a SYN's options and the listener's namespace agree on (RFC 7323): window
 * scaling and timestamps when the SYN has them and the sysctls allow them.
 */
static void xtcp_req_negotiate(struct sock *sk, const struct xtcp_skb_cb *cb,
			       struct xtcp_request *req)
{
	struct xtcp_net *xn = xtcp_pernet(sock_net(sk));

	req->wscale_ok = READ_ONCE(xn->sysctl.window_scaling) && (cb->opts & XTCP_CB_WSCALE);
	req->snd_wscale = req->wscale_ok ? cb->wscale : 0;
	req->rcv_wscale = req->wscale_ok ? xtcp_rcv_wscale(sk) : 0;
	req->ts_ok = READ_ONCE(xn->sysctl.timestamps) && (cb->opts & XTCP_CB_TS);
	req->ts_recent = req->ts_ok ? cb->tsval : 0;
	req->sack_ok = READ_ONCE(xn->sysctl.sack) && (cb->opts & XTCP_CB_SACK_OK);
	req->ecn_ok = xtcp_ecn_syn_acceptable(READ_ONCE(xn->sysctl.ecn), cb->flags,
					      cb->opts & XTCP_CB_ECT);
}

static bool xtcp_listening(struct sock *sk)
{
	return READ_ONCE(xtcp_sk(sk)->lq.listening);
}

/**
 * xtcp_defer_secs_to_timeouts() - TCP_DEFER_ACCEPT's seconds as SYN-ACK timeouts.
 * @secs: the seconds asked for.
 *
 * The timeouts double from the initial RTO (1 s) up to the largest (120 s);
 * the answer is the fewest of them that add up to @secs, as TCP counts, at most
 * 255.
 *
 * Return: the count; 0 for @secs <= 0 (no deferral).
 */
u8 xtcp_defer_secs_to_timeouts(int secs)
{
	unsigned int rto = XTCP_RTO_INIT_US / USEC_PER_SEC, total = rto;
	u8 n;

	if (secs <= 0)
		return 0;
	for (n = 1; (unsigned int)secs > total && n < U8_MAX; n++) {
		rto = min(2 * rto, XTCP_RTO_MAX_US / USEC_PER_SEC);
		total += rto;
	}
	return n;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_defer_secs_to_timeouts);

/**
 * xtcp_defer_timeouts_to_secs() - the seconds that @timeouts SYN-ACK timeouts
 * last, for TCP_DEFER_ACCEPT's getsockopt().
 * @timeouts: the count.
 *
 * Return: the seconds (0 for 0).
 */
int xtcp_defer_timeouts_to_secs(u8 timeouts)
{
	unsigned int rto = XTCP_RTO_INIT_US / USEC_PER_SEC, total = 0;
	u8 n;

	for (n = 0; n < timeouts; n++) {
		total += rto;
		rto = min(2 * rto, XTCP_RTO_MAX_US / USEC_PER_SEC);
	}
	return total;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_defer_timeouts_to_secs);

static void xtcp_req_timer(struct timer_list *t)
{
	struct xtcp_request *req = from_timer(req, t, timer);
	struct sock *sk = req->listener;
	struct xtcp_net *xn = xtcp_pernet(sock_net(sk));
	u8 defer = READ_ONCE(xtcp_sk(sk)->lq.defer_accept);
	bool acked = READ_ONCE(req->acked);
	unsigned long rto;

	if (!READ_ONCE(req->hashed))
		goto done;	/* taken out meanwhile */
	/*
	 * No ACK came (scenario 5), or nobody listens any more: forget it. A
	 * request whose ACK came under TCP_DEFER_ACCEPT lives until the deferral
	 * ends, and gets no SYN-ACK until its last period, whose answer (an ACK
	 * again) makes the connection, data or not; as TCP does.
	 */
	if (!xtcp_listening(sk) ||
	    (req->retries >= READ_ONCE(xn->sysctl.synack_retries) &&
	     (!acked || req->retries >= defer))) {
		xtcp_req_unlink(req);
		goto done;
	}
	WRITE_ONCE(req->retries, req->retries + 1);
	if (!acked || req->retries >= defer) {
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_SYNACK_RETRANS);
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_RETRANS_SEGS);
		xtcp_req_send_synack(req);
	}
	rto = usecs_to_jiffies(XTCP_RTO_INIT_US) << req->retries;
	mod_timer(&req->timer, jiffies + min_t(unsigned long, rto,
					       usecs_to_jiffies(XTCP_RTO_MAX_US)));
	return;
done:
	xtcp_req_put(req);
}

/* The MSS we announce on a listener's SYN-ACK to @raddr. */
static u16 xtcp_listen_advmss(struct sock *sk, __be32 laddr, __be32 raddr)
{
	return xtcp_mss_for_mtu(xtcp_route_mtu(sock_net(sk), laddr, raddr),
				READ_ONCE(xtcp_sk(sk)->user_mss));
}

/* A SYN cookie, not a request: answer the SYN and forget it. */
static void xtcp_listen_cookie_synack(struct sock *sk, struct sk_buff *skb)
{
	struct xtcp_net *xn = xtcp_pernet(sock_net(sk));
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	struct xtcp_cookie_opts co = {};
	struct xtcp_request req = {};
	struct xtcp_options opts;
	unsigned int mssind;
	u32 cookie;

	mssind = xtcp_cookie_mss_index(cb->mss ? cb->mss : XTCP_MSS_DEFAULT);
	cookie = xtcp_cookie_make(&xn->cookie_key, iph->daddr, iph->saddr, th->dest,
				  th->source, cb->seq, xtcp_cookie_count(), mssind);
	xtcp_inc_stats(sock_net(sk), XTCP_MIB_SYNCOOKIES_SENT);
	/*
	 * The options ride in the timestamp (syncookie.c): without timestamps,
	 * the cookie offers nothing but the MSS, as Linux's.
	 */
	req.listener = sk;
	req.laddr = iph->daddr;
	req.raddr = iph->saddr;
	req.advmss = xtcp_listen_advmss(sk, iph->daddr, iph->saddr);
	xtcp_req_negotiate(sk, cb, &req);
	/* Only a TSval keeps them (syncookie.c): without, the SYN-ACK offers neither. */
	if (!req.ts_ok) {
		req.wscale_ok = false;
		req.sack_ok = false;
		req.ecn_ok = false;
	}
	xtcp_req_options(&req, true, &opts);
	if (req.ts_ok) {
		co.wscale_ok = req.wscale_ok;
		co.wscale = req.snd_wscale;
		co.sack_ok = req.sack_ok;
		co.ecn = req.ecn_ok;
		opts.tsval = xtcp_cookie_ts_make(opts.tsval, &co);
	}
	xtcp_send_synack(sk, iph->daddr, iph->saddr, th->dest, th->source, cookie, cb->seq,
			 &opts, req.ecn_ok, XTCP_LISTEN);
}

/*
 * Take a place in the SYN queue, which holds min(listen backlog, max_syn_backlog)
 * requests (Linux's test, with XTCP's own cap); false when it is full. The place
 * is taken before the request is made, so that CPUs racing for the last one
 * cannot both have it.
 */
static bool xtcp_syn_queue_reserve(struct sock *sk)
{
	struct xtcp_net *xn = xtcp_pernet(sock_net(sk));
	int limit = min_t(int, READ_ONCE(sk->sk_max_ack_backlog),
			  READ_ONCE(xn->sysctl.max_syn_backlog));
	atomic_t *qlen = &xtcp_sk(sk)->lq.qlen;

	if (atomic_read(qlen) >= limit)
		return false;
	if (atomic_inc_return(qlen) <= limit)
		return true;
	atomic_dec(qlen);
	return false;
}

/* A SYN to the listener: a new request, or a cookie, answered with a SYN-ACK. */
static void xtcp_listen_syn(struct sock *sk, struct sk_buff *skb)
{
	struct xtcp_net *xn = xtcp_pernet(sock_net(sk));
	struct xtcp_listen *lq = &xtcp_sk(sk)->lq;
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	int cookies = READ_ONCE(xn->sysctl.syncookies);
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	struct xtcp_request *req;
	unsigned long now;

	/* No room to accept it: drop the SYN, as Linux does; the client retries. */
	if (sk_acceptq_is_full(sk)) {
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_LISTEN_OVERFLOWS);
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_LISTEN_DROPS);
		return;
	}
	if (cookies == 2) {
		xtcp_listen_cookie_synack(sk, skb);
		return;
	}
	if (!xtcp_syn_queue_reserve(sk)) {
		if (!cookies) {
			xtcp_inc_stats(sock_net(sk), XTCP_MIB_SYN_QUEUE_DROPS);
			xtcp_inc_stats(sock_net(sk), XTCP_MIB_LISTEN_DROPS);
			return;
		}
		/* Written once a tick at most: both CPUs read it on every SYN. */
		now = jiffies;
		if (READ_ONCE(lq->last_overflow) != now)
			WRITE_ONCE(lq->last_overflow, now);
		xtcp_listen_cookie_synack(sk, skb);
		return;
	}

	req = kmem_cache_zalloc(xtcp_request_cache, GFP_ATOMIC);
	if (!req) {
		atomic_dec(&lq->qlen);
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_LISTEN_DROPS);
		return;
	}
	refcount_set(&req->refcnt, 2);	/* ours, and the timer's */
	sock_hold(sk);
	req->listener = sk;
	req->laddr = iph->daddr;
	req->raddr = iph->saddr;
	req->lport = th->dest;
	req->rport = th->source;
	req->irs = cb->seq;
	req->iss = xtcp_isn(sock_net(sk), req->laddr, req->raddr, req->lport, req->rport);
	req->peer_mss = cb->mss ? cb->mss : XTCP_MSS_DEFAULT;
	req->advmss = xtcp_listen_advmss(sk, req->laddr, req->raddr);
	xtcp_req_negotiate(sk, cb, req);
	timer_setup(&req->timer, xtcp_req_timer, 0);
	atomic_inc(&xn->reqs.count);
	if (!xtcp_req_hash(&xn->reqs, req)) {
		/* Another CPU took the same SYN: its request answers it. */
		atomic_dec(&lq->qlen);
		refcount_set(&req->refcnt, 1);
		xtcp_req_put(req);
		return;
	}
	xtcp_req_send_synack(req);
	mod_timer(&req->timer, jiffies + usecs_to_jiffies(XTCP_RTO_INIT_US));
	xtcp_req_put(req);
}

/**
 * xtcp_req_icmp() - a request's SYN-ACK met a network or host unreachable, time
 * exceeded or parameter problem on its way: forget the request, as Linux does.
 * @net: the namespace.
 * @laddr: our address.
 * @lport: our port.
 * @raddr: the peer's address.
 * @rport: the peer's port.
 * @seq: the sequence number the error quotes: the request's ISN, or nothing done.
 *
 * Context: softirq, under the RCU read lock.
 */
void xtcp_req_icmp(struct net *net, __be32 laddr, __be16 lport, __be32 raddr,
		   __be16 rport, u32 seq)
{
	struct xtcp_request *req;

	req = xtcp_req_lookup(&xtcp_pernet(net)->reqs, laddr, lport, raddr, rport);
	if (!req)
		return;
	if (seq == req->iss && xtcp_req_drop(req))
		xtcp_inc_stats(net, XTCP_MIB_LISTEN_DROPS);
	xtcp_req_put(req);
}

/* Add a new connection to the accept queue; false if the listener stopped. */
static bool xtcp_accept_enqueue(struct sock *sk, struct sock *child)
{
	struct xtcp_listen *lq = &xtcp_sk(sk)->lq;

	spin_lock_bh(&lq->lock);
	if (!lq->listening) {
		spin_unlock_bh(&lq->lock);
		return false;
	}
	list_add_tail(&xtcp_sk(child)->accept_node, &lq->accept_q);
	lq->accept_qlen++;
	sk_acceptq_added(sk);
	spin_unlock_bh(&lq->lock);
	return true;
}

/*
 * The handshake's final ACK: a socket for the connection, into the accept queue.
 * @req is in the table (a request, which we must win from its timer and other
 * CPUs) or on the stack (a cookie's, nothing to win).
 */
static void xtcp_listen_complete(struct sock *sk, struct xtcp_request *req,
				 struct sk_buff *skb, bool cookie)
{
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	struct sock *child;

	if (sk_acceptq_is_full(sk)) {
		/*
		 * Drop the ACK and keep the request: the SYN-ACK retransmission makes
		 * the client ACK again, by when accept() may have made room.
		 */
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_LISTEN_OVERFLOWS);
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_LISTEN_DROPS);
		goto drop;
	}
	child = xtcp_sock_new_child(sk, req, cb);
	if (!child) {
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_LISTEN_DROPS);
		goto drop;
	}

	/*
	 * Make the connection findable before the request goes, and hold its lock
	 * until the ACK is processed: a segment right behind the ACK, on another
	 * CPU, finds the connection and waits for it, and never finds neither.
	 */
	bh_lock_sock_nested(child);
	if (xtcp_hash_connection(child))
		goto lost;	/* another CPU completed this 4-tuple */
	if (!cookie && !xtcp_req_drop(req)) {
		xtcp_unhash(child);
		goto lost;	/* the request expired or was reset meanwhile */
	}
	if (cookie) {
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_SYNCOOKIES_RECV);
	} else if (!req->retries && !READ_ONCE(req->acked)) {
		/* Not after a deferred ACK: the wait for data is no round trip. */
		u32 rtt_us = (u32)xtcp_clock_us() - READ_ONCE(req->sent_us);

		xtcp_rtt_sample(&xtcp_sk(child)->rtt, rtt_us);
		xtcp_rack_min_rtt(&xtcp_sk(child)->rack, rtt_us, (u32)jiffies);
	}
	xtcp_rtt_handshake_done(&xtcp_sk(child)->rtt, !cookie && req->retries);
	xtcp_inc_stats(sock_net(sk), XTCP_MIB_PASSIVE_OPENS);
	xtcp_set_state(child, XTCP_ESTABLISHED);
	xtcp_keepalive_reset(child);

	/* Data or a FIN on the ACK belong to the new connection (scenario 6). */
	xtcp_child_rcv(child, skb);
	bh_unlock_sock(child);

	if (!xtcp_accept_enqueue(sk, child)) {
		xtcp_abort_child(child);
		return;
	}
	sk->sk_data_ready(sk);
	return;

lost:
	bh_unlock_sock(child);
	xtcp_discard_child(child);
drop:
	kfree_skb(skb);
}

/* An ACK that matches no request: a SYN cookie's, perhaps. */
static void xtcp_listen_ack(struct sock *sk, struct sk_buff *skb)
{
	struct xtcp_net *xn = xtcp_pernet(sock_net(sk));
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	int cookies = READ_ONCE(xn->sysctl.syncookies);
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	struct xtcp_cookie_opts co;
	struct xtcp_request req = {};
	int mssind;

	/*
	 * As Linux: cookies are checked while they may be out, that is always with
	 * syncookies=2, and for two cookie periods after an overflow with 1.
	 */
	if (!cookies || (cookies == 1 &&
			 time_after(jiffies, READ_ONCE(xtcp_sk(sk)->lq.last_overflow) +
				    XTCP_COOKIE_PERIOD * 2)))
		goto reset;
	mssind = xtcp_cookie_check(&xn->cookie_key, iph->daddr, iph->saddr, th->dest,
				   th->source, cb->seq - 1, cb->ack_seq - 1,
				   xtcp_cookie_count());
	if (mssind < 0) {
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_SYNCOOKIES_FAILED);
		goto reset;
	}
	req.listener = sk;
	req.laddr = iph->daddr;
	req.raddr = iph->saddr;
	req.lport = th->dest;
	req.rport = th->source;
	req.iss = cb->ack_seq - 1;
	req.irs = cb->seq - 1;
	req.peer_mss = xtcp_cookie_mss(mssind);
	req.advmss = xtcp_listen_advmss(sk, req.laddr, req.raddr);
	/*
	 * An ACK with timestamps echoes the cookie's TSval, and with it the SYN's
	 * options (syncookie.c); one without had none to keep.
	 */
	if (cb->opts & XTCP_CB_TS) {
		if (xtcp_cookie_ts_check(cb->tsecr,
					 xtcp_req_ts_now(sock_net(sk), req.laddr, req.raddr),
					 &co)) {
			xtcp_inc_stats(sock_net(sk), XTCP_MIB_SYNCOOKIES_FAILED);
			goto reset;
		}
		req.ts_ok = true;
		req.ts_recent = cb->tsval;
		req.wscale_ok = co.wscale_ok;
		req.snd_wscale = co.wscale;
		req.rcv_wscale = co.wscale_ok ? xtcp_rcv_wscale(sk) : 0;
		req.sack_ok = co.sack_ok;
		/* As Linux: the namespace may have turned ECN off since. */
		req.ecn_ok = co.ecn && READ_ONCE(xtcp_pernet(sock_net(sk))->sysctl.ecn);
	}
	xtcp_listen_complete(sk, &req, skb, true);
	return;
reset:
	/* Nothing here to acknowledge: RST (scenario 5's dropped client). */
	xtcp_send_reset_reply(sock_net(sk), skb);
	kfree_skb(skb);
}

/* SYN-RECEIVED (RFC 9293 3.10.7.4), on a request. Consumes @skb. */
static void xtcp_req_rcv(struct sock *sk, struct xtcp_request *req, struct sk_buff *skb)
{
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	u8 flags = cb->flags;

	if (flags & XTCPHDR_RST) {
		/*
		 * The client does not know this connection: an old duplicate SYN made
		 * it (scenarios 2 and 4). Back to LISTEN: forget the request. A RST
		 * must carry the expected sequence number (RFC 5961 3.2).
		 */
		if (cb->seq == req->irs + 1)
			xtcp_req_drop(req);
		goto drop;
	}
	if (flags & XTCPHDR_SYN) {
		/* The SYN again: our SYN-ACK was lost; send it again. */
		if (cb->seq == req->irs)
			xtcp_req_send_synack(req);
		goto drop;
	}
	if (!(flags & XTCPHDR_ACK))
		goto drop;
	if (cb->ack_seq != req->iss + 1) {
		xtcp_send_reset_reply(sock_net(sk), skb);
		goto drop;
	}
	/*
	 * With timestamps agreed, a segment without them is dropped silently
	 * (RFC 7323 3.2), one older than the SYN's is an old duplicate (PAWS):
	 * neither completes the handshake. The SYN-ACK's retransmission asks again.
	 */
	if (req->ts_ok && !(cb->opts & XTCP_CB_TS)) {
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_TS_MISSING);
		goto drop;
	}
	if (req->ts_ok && (s32)(cb->tsval - req->ts_recent) < 0) {
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_PAWS_ESTAB);
		goto drop;
	}
	if (cb->seq != req->irs + 1) {
		struct xtcp_options opts;
		u32 wnd;

		/* Not the next in sequence: an ACK tells the client where we are. */
		xtcp_req_options(req, false, &opts);
		xtcp_send_ctl(sock_net(sk), sk, req->laddr, req->raddr, req->lport, req->rport,
			      req->iss + 1, req->irs + 1, XTCPHDR_ACK,
			      xtcp_scale_window(xtcp_rcv_space(sk), req->rcv_wscale, &wnd),
			      &opts, XTCP_SYN_RECV);
		goto drop;
	}
	/*
	 * TCP_DEFER_ACCEPT: a final ACK with nothing in it is noted and dropped;
	 * the request waits for data (or the end of the deferral, see the timer).
	 */
	if (cb->end_seq == req->irs + 1 &&
	    READ_ONCE(req->retries) < READ_ONCE(xtcp_sk(sk)->lq.defer_accept)) {
		WRITE_ONCE(req->acked, true);
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_DEFER_ACCEPT_DROP);
		goto drop;
	}
	xtcp_listen_complete(sk, req, skb, false);
	return;
drop:
	kfree_skb(skb);
}

/**
 * xtcp_listen_rcv() - a segment for a listener (RFC 9293 3.10.7.2) or for one of
 * its requests (SYN-RECEIVED in 3.10.7.4).
 * @sk: the listener; not locked. The caller holds a reference and the RCU read
 *	lock.
 * @skb: the segment; consumed.
 *
 * Context: bottom halves off (softirq, or a task's backlog with local_bh_disable()):
 * the request table's and a child's locks are taken as softirq takes them.
 */
void xtcp_listen_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct xtcp_net *xn = xtcp_pernet(sock_net(sk));
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	struct xtcp_request *req;
	u8 flags = cb->flags;

	/* A backlog path that forgot local_bh_disable() warns on the debug kernel. */
	lockdep_assert_in_softirq();

	req = xtcp_req_lookup(&xn->reqs, iph->daddr, th->dest, iph->saddr, th->source);
	trace_xtcp_rcv(iph->saddr, iph->daddr, th->source, th->dest, cb->seq, cb->ack_seq,
		       flags, skb->len - cb->doff, req ? XTCP_SYN_RECV : XTCP_LISTEN);
	if (req) {
		xtcp_req_rcv(sk, req, skb);
		xtcp_req_put(req);
		return;
	}
	if (!xtcp_listening(sk) || (flags & XTCPHDR_RST))
		goto drop;
	if (flags & XTCPHDR_ACK) {
		xtcp_listen_ack(sk, skb);
		return;
	}
	if (flags & XTCPHDR_SYN)
		xtcp_listen_syn(sk, skb);
drop:
	kfree_skb(skb);
}

/**
 * xtcp_listen_init() - the empty queues of a new socket.
 * @sk: the socket.
 */
void xtcp_listen_init(struct sock *sk)
{
	struct xtcp_listen *lq = &xtcp_sk(sk)->lq;

	spin_lock_init(&lq->lock);
	INIT_LIST_HEAD(&lq->accept_q);
	atomic_set(&lq->qlen, 0);
}

/**
 * xtcp_listen_start() - open the queues of a new listener.
 * @sk: the socket, locked.
 *
 * Return: 0.
 */
int xtcp_listen_start(struct sock *sk)
{
	struct xtcp_listen *lq = &xtcp_sk(sk)->lq;

	spin_lock_bh(&lq->lock);
	lq->listening = true;
	/* No overflow yet: cookies are not checked until one. */
	lq->last_overflow = jiffies - 2 * XTCP_COOKIE_PERIOD - 1;
	spin_unlock_bh(&lq->lock);
	return 0;
}

/* Drop every request of @sk (all of them, with @sk NULL). */
static void xtcp_reqs_purge(struct xtcp_req_table *t, struct sock *sk)
{
	struct xtcp_request *req;
	unsigned int i;

	for (i = 0; i < XTCP_REQ_HASH_SIZE; i++) {
		if (hlist_empty(&t->buckets[i]))
			continue;
again:
		rcu_read_lock();
		hlist_for_each_entry_rcu(req, &t->buckets[i], node) {
			if ((sk && req->listener != sk) || !refcount_inc_not_zero(&req->refcnt))
				continue;
			rcu_read_unlock();
			xtcp_req_drop(req);
			xtcp_req_put(req);
			goto again;
		}
		rcu_read_unlock();
	}
}

void xtcp_reqs_exit_net(struct xtcp_req_table *t)
{
	xtcp_reqs_purge(t, NULL);
	/* The last requests are freed after a grace period. */
	rcu_barrier();
	WARN_ON_ONCE(atomic_read(&t->count));
	kvfree(t->buckets);
	kfree(t->locks);
}

/**
 * xtcp_listen_stop() - stop listening: forget every request and reset every
 * connection nobody accepted.
 * @sk: the listener, locked by a task.
 *
 * A segment taken on another CPU just before may still make a request; it finds
 * the listener gone at its first timeout and goes.
 */
void xtcp_listen_stop(struct sock *sk)
{
	struct xtcp_listen *lq = &xtcp_sk(sk)->lq;
	struct xtcp_sock *cxs, *tmp;
	LIST_HEAD(orphans);

	spin_lock_bh(&lq->lock);
	if (!lq->listening) {
		spin_unlock_bh(&lq->lock);
		return;
	}
	lq->listening = false;
	list_splice_init(&lq->accept_q, &orphans);
	lq->accept_qlen = 0;
	spin_unlock_bh(&lq->lock);

	xtcp_reqs_purge(&xtcp_pernet(sock_net(sk))->reqs, sk);
	list_for_each_entry_safe(cxs, tmp, &orphans, accept_node) {
		list_del_init(&cxs->accept_node);
		sk_acceptq_removed(sk);
		xtcp_abort_child(&cxs->inet.sk);
	}
}

/* The oldest connection of the accept queue, or NULL. */
static struct sock *xtcp_accept_dequeue(struct sock *sk)
{
	struct xtcp_listen *lq = &xtcp_sk(sk)->lq;
	struct xtcp_sock *cxs = NULL;

	spin_lock_bh(&lq->lock);
	if (!list_empty(&lq->accept_q)) {
		cxs = list_first_entry(&lq->accept_q, struct xtcp_sock, accept_node);
		list_del_init(&cxs->accept_node);
		lq->accept_qlen--;
		sk_acceptq_removed(sk);
	}
	spin_unlock_bh(&lq->lock);
	return cxs ? &cxs->inet.sk : NULL;
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
	struct sock *child;
	DEFINE_WAIT(wait);
	int error;

	lock_sock(sk);
	for (;;) {
		error = -EINVAL;
		if (sk->sk_state != XTCP_LISTEN)
			goto out;
		child = xtcp_accept_dequeue(sk);
		if (child)
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
	release_sock(sk);
	return child;
out:
	release_sock(sk);
	*err = error;
	return NULL;
}
