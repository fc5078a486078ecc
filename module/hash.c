// SPDX-License-Identifier: GPL-2.0
/*
 * hash.c - the tables that find XTCP sockets in a namespace, and ports.
 *
 * Three tables, all changed under xtcp_hashinfo.lock:
 * - established: every connection with a 4-tuple (SYN_SENT onwards), by 4-tuple;
 * - listening: every listener, by port;
 * - bound: every local address and port XTCP sockets hold.
 * The receive path reads the first two under RCU: sockets are freed after a grace
 * period (SOCK_RCU_FREE), and a lookup takes a reference only if the socket is
 * still alive. A hashed socket holds a reference of its own.
 *
 * Ports are shared with the kernel's TCP: each bound address and port is also held
 * by a kernel TCP socket bound to it (never listening, never connected), so that
 * bind() fails with EADDRINUSE where the kernel's TCP holds the port, the kernel's
 * TCP cannot take a port XTCP holds, and ephemeral ports come from the kernel's
 * ip_local_port_range through the kernel's own choice. Conflicts among XTCP sockets
 * follow TCP's rule (SO_REUSEADDR on both, and the holder not listening), and
 * TIME_WAIT entries of the port count too.
 */
#include <linux/jhash.h>
#include <linux/net.h>
#include <linux/random.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <net/inet_sock.h>
#include <net/sock.h>

#include "xtcp.h"

static u32 xtcp_ehashfn(const struct xtcp_hashinfo *h, __be32 laddr, __be16 lport,
			__be32 raddr, __be16 rport)
{
	return jhash_3words((__force u32)laddr, (__force u32)raddr,
			    ((__force u32)lport << 16) | (__force u32)rport,
			    h->seed) & (XTCP_EHASH_SIZE - 1);
}

static u32 xtcp_porthashfn(__be16 port, unsigned int size)
{
	return ntohs(port) & (size - 1);
}

static void xtcp_release_work(struct work_struct *work)
{
	struct xtcp_hashinfo *h = container_of(work, struct xtcp_hashinfo, release_work);
	struct xtcp_bind_bucket *b, *tmp;
	struct llist_node *list;

	list = llist_del_all(&h->release);
	llist_for_each_entry_safe(b, tmp, list, free_node) {
		sock_release(b->hold);
		kfree(b);
	}
}

int xtcp_hash_init_net(struct xtcp_hashinfo *h)
{
	spin_lock_init(&h->lock);
	mutex_init(&h->bind_mutex);
	init_llist_head(&h->release);
	INIT_WORK(&h->release_work, xtcp_release_work);
	h->seed = get_random_u32();
	h->ehash = kvcalloc(XTCP_EHASH_SIZE, sizeof(*h->ehash), GFP_KERNEL);
	h->lhash = kvcalloc(XTCP_LHASH_SIZE, sizeof(*h->lhash), GFP_KERNEL);
	h->bhash = kvcalloc(XTCP_BHASH_SIZE, sizeof(*h->bhash), GFP_KERNEL);
	if (!h->ehash || !h->lhash || !h->bhash) {
		xtcp_hash_exit_net(h);
		return -ENOMEM;
	}
	return 0;
}

void xtcp_hash_exit_net(struct xtcp_hashinfo *h)
{
	/* Every socket is gone; their ports' kernel sockets may still be queued. */
	flush_work(&h->release_work);
	kvfree(h->ehash);
	kvfree(h->lhash);
	kvfree(h->bhash);
}

/**
 * xtcp_lookup_established() - the connection a segment belongs to.
 * @net: the namespace.
 * @laddr: the segment's destination address (ours).
 * @lport: its destination port.
 * @raddr: its source address.
 * @rport: its source port.
 *
 * Context: any; takes the RCU read lock itself.
 * Return: the socket with a reference held, or NULL.
 */
struct sock *xtcp_lookup_established(struct net *net, __be32 laddr, __be16 lport,
				     __be32 raddr, __be16 rport)
{
	struct xtcp_hashinfo *h = &xtcp_pernet(net)->hash;
	struct xtcp_sock *xs;
	struct sock *found = NULL;

	rcu_read_lock();
	hlist_for_each_entry_rcu(xs, &h->ehash[xtcp_ehashfn(h, laddr, lport, raddr, rport)],
				 hash_node) {
		struct inet_sock *inet = &xs->inet;

		if (inet->inet_sport == lport && inet->inet_dport == rport &&
		    inet->inet_saddr == laddr && inet->inet_daddr == raddr) {
			if (refcount_inc_not_zero(&inet->sk.sk_refcnt))
				found = &inet->sk;
			break;
		}
	}
	rcu_read_unlock();
	return found;
}

/**
 * xtcp_lookup_listener() - the listener a segment to @laddr:@lport goes to.
 * @net: the namespace.
 * @laddr: our address.
 * @lport: our port.
 * @dif: the interface it arrived on.
 *
 * A listener bound to @laddr wins over one bound to INADDR_ANY.
 *
 * Return: the listener with a reference held, or NULL.
 */
struct sock *xtcp_lookup_listener(struct net *net, __be32 laddr, __be16 lport, int dif)
{
	struct xtcp_hashinfo *h = &xtcp_pernet(net)->hash;
	struct sock *best = NULL;
	struct xtcp_sock *xs;

	rcu_read_lock();
	hlist_for_each_entry_rcu(xs, &h->lhash[xtcp_porthashfn(lport, XTCP_LHASH_SIZE)],
				 hash_node) {
		struct inet_sock *inet = &xs->inet;
		int bound_if = READ_ONCE(inet->sk.sk_bound_dev_if);

		if (inet->inet_sport != lport)
			continue;
		if (bound_if && bound_if != dif)
			continue;
		if (inet->inet_rcv_saddr == laddr) {
			best = &inet->sk;
			break;
		}
		if (!inet->inet_rcv_saddr && !best)
			best = &inet->sk;
	}
	if (best && !refcount_inc_not_zero(&best->sk_refcnt))
		best = NULL;
	rcu_read_unlock();
	return best;
}

/**
 * xtcp_hash_connection() - make a connection findable by its 4-tuple.
 * @sk: a socket whose four addresses and ports are set.
 *
 * Return: 0, or -EADDRNOTAVAIL when another connection has the 4-tuple.
 */
int xtcp_hash_connection(struct sock *sk)
{
	struct xtcp_hashinfo *h = &xtcp_pernet(sock_net(sk))->hash;
	struct inet_sock *inet = inet_sk(sk);
	struct hlist_head *head;
	struct xtcp_sock *xs;

	head = &h->ehash[xtcp_ehashfn(h, inet->inet_saddr, inet->inet_sport,
				      inet->inet_daddr, inet->inet_dport)];
	spin_lock_bh(&h->lock);
	hlist_for_each_entry(xs, head, hash_node) {
		if (xs->inet.inet_sport == inet->inet_sport &&
		    xs->inet.inet_dport == inet->inet_dport &&
		    xs->inet.inet_saddr == inet->inet_saddr &&
		    xs->inet.inet_daddr == inet->inet_daddr) {
			spin_unlock_bh(&h->lock);
			return -EADDRNOTAVAIL;
		}
	}
	sock_hold(sk);
	hlist_add_head_rcu(&xtcp_sk(sk)->hash_node, head);
	spin_unlock_bh(&h->lock);
	return 0;
}

/**
 * xtcp_hash_listener() - make a listener findable by its port.
 * @sk: the socket, bound, becoming a listener.
 */
void xtcp_hash_listener(struct sock *sk)
{
	struct xtcp_hashinfo *h = &xtcp_pernet(sock_net(sk))->hash;

	spin_lock_bh(&h->lock);
	sock_hold(sk);
	hlist_add_head_rcu(&xtcp_sk(sk)->hash_node,
			   &h->lhash[xtcp_porthashfn(inet_sk(sk)->inet_sport, XTCP_LHASH_SIZE)]);
	spin_unlock_bh(&h->lock);
}

/**
 * xtcp_unhash() - take a socket out of the established or listening table.
 * @sk: the socket; nothing happens if it is in neither.
 */
void xtcp_unhash(struct sock *sk)
{
	struct xtcp_hashinfo *h = &xtcp_pernet(sock_net(sk))->hash;
	struct xtcp_sock *xs = xtcp_sk(sk);
	bool was_hashed = false;

	spin_lock_bh(&h->lock);
	if (!hlist_unhashed(&xs->hash_node)) {
		hlist_del_init_rcu(&xs->hash_node);
		was_hashed = true;
	}
	spin_unlock_bh(&h->lock);
	if (was_hashed)
		__sock_put(sk);
}

/*
 * TCP's rule: does @sk2, bound to the port, keep @sk from binding @addr, or from
 * listening there? Sockets that both have SO_REUSEADDR share the
 * port as long as @sk2 does not listen, whether @sk is to listen or not: a
 * listener restarted with SO_REUSEADDR while its orphaned connections finish is
 * what the option is for (TCP's inet_csk_bind_conflict() with relax set).
 */
static bool xtcp_bind_conflict(const struct sock *sk, const struct sock *sk2,
			       __be32 addr, __be32 addr2)
{
	int if1 = sk->sk_bound_dev_if, if2 = sk2->sk_bound_dev_if;

	if (sk == sk2)
		return false;
	if (if1 && if2 && if1 != if2)
		return false;
	if (addr && addr2 && addr != addr2)
		return false;
	/* Both SO_REUSEADDR, and the holder not listening: the port is shared. */
	if (sk->sk_reuse && sk2->sk_reuse && READ_ONCE(sk2->sk_state) != XTCP_LISTEN)
		return false;
	return true;
}

/*
 * Is @port (at @addr) free for @sk among XTCP's own sockets and TIME_WAIT entries?
 * Under bind_mutex.
 */
static bool xtcp_port_free(struct xtcp_net *xn, struct sock *sk, __be32 addr,
			   __be16 port)
{
	struct xtcp_hashinfo *h = &xn->hash;
	struct xtcp_bind_bucket *b;
	bool conflict = false;
	struct xtcp_sock *xs;

	spin_lock_bh(&h->lock);
	hlist_for_each_entry(b, &h->bhash[xtcp_porthashfn(port, XTCP_BHASH_SIZE)], node) {
		if (b->port != port)
			continue;
		hlist_for_each_entry(xs, &b->owners, bind_node) {
			if (xtcp_bind_conflict(sk, &xs->inet.sk, addr, b->addr)) {
				conflict = true;
				break;
			}
		}
		if (conflict)
			break;
	}
	spin_unlock_bh(&h->lock);
	if (conflict)
		return false;
	return !xtcp_tw_port_busy(&xn->tw, addr, port, sk->sk_reuse);
}

/* The bucket of @addr:@port, or NULL; under h->lock. */
static struct xtcp_bind_bucket *xtcp_bucket_find(struct xtcp_hashinfo *h, __be32 addr,
						 __be16 port)
{
	struct xtcp_bind_bucket *b;

	hlist_for_each_entry(b, &h->bhash[xtcp_porthashfn(port, XTCP_BHASH_SIZE)], node)
		if (b->port == port && b->addr == addr)
			return b;
	return NULL;
}

/* A kernel TCP socket bound to @addr:@port (0: the kernel chooses), like @sk. */
static int xtcp_hold_port(struct sock *sk, __be32 addr, __be16 port,
			  struct socket **holdp)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_addr.s_addr = addr,
		.sin_port = port,
	};
	struct socket *hold;
	int err;

	err = sock_create_kern(sock_net(sk), AF_INET, SOCK_STREAM, IPPROTO_TCP, &hold);
	if (err)
		return err;
	if (sk->sk_reuse)
		sock_set_reuseaddr(hold->sk);
	if (sk->sk_bound_dev_if) {
		err = sock_bindtoindex(hold->sk, sk->sk_bound_dev_if, true);
		if (err)
			goto out;
	}
	/* Permission checks (ports below 1024) apply to the calling task. */
	err = kernel_bind(hold, (struct sockaddr *)&sin, sizeof(sin));
	if (err)
		goto out;
	*holdp = hold;
	return 0;
out:
	sock_release(hold);
	return err;
}

/*
 * Join @sk to the bucket of @addr:@port if there is one: the find and the join
 * are one critical section, for the bucket's last owner may leave from softirq
 * (a RST, a timer) and free it the moment h->lock is dropped.
 */
static bool xtcp_bucket_join(struct xtcp_hashinfo *h, struct sock *sk, __be32 addr,
			     __be16 port)
{
	struct xtcp_bind_bucket *b;

	spin_lock_bh(&h->lock);
	b = xtcp_bucket_find(h, addr, port);
	if (b) {
		hlist_add_head(&xtcp_sk(sk)->bind_node, &b->owners);
		xtcp_sk(sk)->bind = b;
	}
	spin_unlock_bh(&h->lock);
	return b;
}

/*
 * A kernel socket holding @addr:@port (0: the kernel's choice, returned in
 * *@portp). A port whose last XTCP owner has just left may still be held by
 * the old bucket's socket, released from h->release_work: wait for it once.
 */
static int xtcp_hold_new_port(struct xtcp_hashinfo *h, struct sock *sk, __be32 addr,
			      __be16 port, struct socket **holdp)
{
	int err = xtcp_hold_port(sk, addr, port, holdp);

	if (err == -EADDRINUSE && port) {
		flush_work(&h->release_work);
		err = xtcp_hold_port(sk, addr, port, holdp);
	}
	return err;
}

/**
 * xtcp_bind_port() - give a socket a local address and port.
 * @sk: the socket, locked, not yet bound.
 * @addr: the address (INADDR_ANY for all).
 * @port: the port, network order; 0 for an ephemeral one.
 *
 * Buckets are made only here, under bind_mutex; they go away from any context
 * (xtcp_put_port()), so a bucket is only ever used under h->lock.
 *
 * Context: process; sleeps.
 * Return: 0 (inet_rcv_saddr, inet_saddr, inet_num and inet_sport set), or the errno
 * of bind(): EADDRINUSE, EADDRNOTAVAIL, EACCES, ENOMEM.
 */
int xtcp_bind_port(struct sock *sk, __be32 addr, __be16 port)
{
	struct xtcp_net *xn = xtcp_pernet(sock_net(sk));
	struct xtcp_hashinfo *h = &xn->hash;
	struct socket *hold = NULL;
	struct xtcp_bind_bucket *nb;
	int err, tries;
	__be16 p;

	nb = kzalloc(sizeof(*nb), GFP_KERNEL);
	if (!nb)
		return -ENOMEM;

	mutex_lock(&h->bind_mutex);
	for (tries = 0; ; tries++) {
		p = port;
		if (port && !xtcp_port_free(xn, sk, addr, port)) {
			err = -EADDRINUSE;
			goto out;
		}
		/* Held by a bucket we may share (the check above said so). */
		if (port && xtcp_bucket_join(h, sk, addr, port))
			goto bound;
		err = xtcp_hold_new_port(h, sk, addr, port, &hold);
		if (err)
			goto out;
		if (port)
			break;
		p = inet_sk(hold->sk)->inet_sport;
		if (xtcp_port_free(xn, sk, addr, p)) {
			/* SO_REUSEADDR: the kernel may pick a port we hold and share. */
			if (!xtcp_bucket_join(h, sk, addr, p))
				break;
			sock_release(hold);
			goto bound;
		}
		sock_release(hold);
		hold = NULL;
		err = -EADDRINUSE;
		if (tries >= 8)
			goto out;
	}

	nb->addr = addr;
	nb->port = p;
	nb->hold = hold;
	INIT_HLIST_HEAD(&nb->owners);
	spin_lock_bh(&h->lock);
	/* No other bucket of @addr:@p can have appeared: only we make them. */
	hlist_add_head(&nb->node, &h->bhash[xtcp_porthashfn(p, XTCP_BHASH_SIZE)]);
	hlist_add_head(&xtcp_sk(sk)->bind_node, &nb->owners);
	xtcp_sk(sk)->bind = nb;
	spin_unlock_bh(&h->lock);
	nb = NULL;
bound:
	inet_sk(sk)->inet_rcv_saddr = addr;
	inet_sk(sk)->inet_saddr = addr;
	inet_sk(sk)->inet_num = ntohs(p);
	inet_sk(sk)->inet_sport = p;
	err = 0;
out:
	mutex_unlock(&h->bind_mutex);
	kfree(nb);
	return err;
}

/**
 * xtcp_listen_port_ok() - may a bound socket start listening on its port?
 * @sk: the socket, locked and bound.
 *
 * Another listener on the port, or a socket sharing it without SO_REUSEADDR on
 * both, keeps it from listening (EADDRINUSE), as with TCP.
 *
 * Return: true if it may.
 */
bool xtcp_listen_port_ok(struct sock *sk)
{
	struct xtcp_net *xn = xtcp_pernet(sock_net(sk));
	struct xtcp_hashinfo *h = &xn->hash;
	bool ok;

	mutex_lock(&h->bind_mutex);
	ok = xtcp_port_free(xn, sk, inet_sk(sk)->inet_rcv_saddr, inet_sk(sk)->inet_sport);
	mutex_unlock(&h->bind_mutex);
	return ok;
}

/**
 * xtcp_bind_inherit() - a new connection shares its listener's port.
 * @child: the connection, not yet visible.
 * @listener: the listener; not locked, it may be giving up its port meanwhile.
 *
 * Return: 0, or -EADDRNOTAVAIL when the listener no longer holds its port.
 */
int xtcp_bind_inherit(struct sock *child, struct sock *listener)
{
	struct xtcp_hashinfo *h = &xtcp_pernet(sock_net(child))->hash;
	struct xtcp_bind_bucket *b;

	spin_lock_bh(&h->lock);
	b = xtcp_sk(listener)->bind;
	if (!b) {
		spin_unlock_bh(&h->lock);
		return -EADDRNOTAVAIL;
	}
	hlist_add_head(&xtcp_sk(child)->bind_node, &b->owners);
	xtcp_sk(child)->bind = b;
	spin_unlock_bh(&h->lock);
	return 0;
}

/**
 * xtcp_put_port() - give up the socket's port.
 * @sk: the socket, locked (or no longer visible).
 *
 * Context: any; the kernel socket holding the port is released from a work item.
 */
void xtcp_put_port(struct sock *sk)
{
	struct xtcp_hashinfo *h = &xtcp_pernet(sock_net(sk))->hash;
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_bind_bucket *b = xs->bind;
	bool last = false;

	if (!b)
		return;
	spin_lock_bh(&h->lock);
	hlist_del_init(&xs->bind_node);
	xs->bind = NULL;
	if (hlist_empty(&b->owners)) {
		hlist_del(&b->node);
		last = true;
	}
	spin_unlock_bh(&h->lock);
	if (last && llist_add(&b->free_node, &h->release))
		schedule_work(&h->release_work);
	if (!(sk->sk_userlocks & SOCK_BINDPORT_LOCK)) {
		inet_sk(sk)->inet_num = 0;
		inet_sk(sk)->inet_sport = 0;
	}
}
