// SPDX-License-Identifier: GPL-2.0
/*
 * sock.c - the lifetime of an XTCP socket and xtcp_set_state(), the one place where
 * a socket's state changes.
 */
#include <linux/spinlock.h>

#include "xtcp.h"

static const char *const xtcp_state_names[XTCP_MAX_STATES] = {
	[XTCP_ESTABLISHED]	= "ESTABLISHED",
	[XTCP_SYN_SENT]		= "SYN_SENT",
	[XTCP_SYN_RECV]		= "SYN_RECV",
	[XTCP_FIN_WAIT1]	= "FIN_WAIT1",
	[XTCP_FIN_WAIT2]	= "FIN_WAIT2",
	[XTCP_TIME_WAIT]	= "TIME_WAIT",
	[XTCP_CLOSE]		= "CLOSE",
	[XTCP_CLOSE_WAIT]	= "CLOSE_WAIT",
	[XTCP_LAST_ACK]		= "LAST_ACK",
	[XTCP_LISTEN]		= "LISTEN",
	[XTCP_CLOSING]		= "CLOSING",
};

const char *xtcp_state_name(int state)
{
	if (state <= 0 || state >= XTCP_MAX_STATES)
		return "UNKNOWN";
	return xtcp_state_names[state];
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_state_name);

/* CurrEstab counts the states in which both directions were open (RFC 1213). */
static bool xtcp_state_is_estab(int state)
{
	return state == XTCP_ESTABLISHED || state == XTCP_CLOSE_WAIT;
}

/**
 * xtcp_set_state() - move a socket to a new state.
 * @sk: the socket; its lock is held (or it is not yet visible to anyone else).
 * @state: the new state.
 *
 * Keeps CurrEstab right. Every transition goes through here.
 */
void xtcp_set_state(struct sock *sk, int state)
{
	int old = sk->sk_state;

	if (old == state)
		return;
	if (xtcp_state_is_estab(state) && !xtcp_state_is_estab(old))
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_CURR_ESTAB);
	else if (!xtcp_state_is_estab(state) && xtcp_state_is_estab(old))
		xtcp_mod_stats(sock_net(sk), XTCP_MIB_CURR_ESTAB, -1);
	/*
	 * Paired with the lockless readers (poll, /proc). Not inet_sk_state_store():
	 * XTCP's transitions are not sock:inet_sock_set_state events of TCP.
	 */
	smp_store_release(&sk->sk_state, state);
}

/* The last reference is gone: take the socket off the namespace's list. */
static void xtcp_sock_destruct(struct sock *sk)
{
	struct net *net = sock_net(sk);
	struct xtcp_net *xn = xtcp_pernet(net);

	spin_lock_bh(&xn->socks_lock);
	hlist_del(&xtcp_sk(sk)->node);
	xn->nr_socks--;
	spin_unlock_bh(&xn->socks_lock);

	xtcp_inc_stats(net, XTCP_MIB_SOCKETS_DESTROYED);
	sock_prot_inuse_add(net, sk->sk_prot, -1);
	WARN_ON_ONCE(sk->sk_state != XTCP_CLOSE);
	skb_queue_purge(&sk->sk_receive_queue);
	skb_queue_purge(&sk->sk_write_queue);
}

/**
 * xtcp_sock_link() - finish a new socket and make it visible in its namespace.
 * @sk: a socket fresh from sk_alloc() and sock_init_data().
 */
void xtcp_sock_link(struct sock *sk)
{
	struct net *net = sock_net(sk);
	struct xtcp_net *xn = xtcp_pernet(net);
	struct inet_sock *inet = inet_sk(sk);

	sk->sk_state = XTCP_CLOSE;
	sk->sk_protocol = IPPROTO_TCP;
	sk->sk_destruct = xtcp_sock_destruct;
	inet->uc_ttl = -1;

	sock_prot_inuse_add(net, sk->sk_prot, 1);
	xtcp_inc_stats(net, XTCP_MIB_SOCKETS_CREATED);

	spin_lock_bh(&xn->socks_lock);
	hlist_add_head(&xtcp_sk(sk)->node, &xn->socks);
	xn->nr_socks++;
	spin_unlock_bh(&xn->socks_lock);
}

struct proto xtcp_prot = {
	.name		= "XTCP",
	.owner		= THIS_MODULE,
	.obj_size	= sizeof(struct xtcp_sock),
};
