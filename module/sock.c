// SPDX-License-Identifier: GPL-2.0
/*
 * sock.c - the lifetime of an XTCP socket and xtcp_set_state(), the one place where
 * a socket's state changes.
 */
#include <linux/bits.h>
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

#define XTCP_TO(s)	BIT(XTCP_##s)

/*
 * The transitions of RFC 9293's state diagram (figure 5), plus the aborts it
 * describes in prose (RST, SO_LINGER {1, 0}, timeouts): every state may go to
 * CLOSE. TIME_WAIT ends in CLOSE; LISTEN may return from SYN_RECV (a passive open
 * reset, RFC 9293 3.10.7.4).
 */
static const u16 xtcp_next_states[XTCP_MAX_STATES] = {
	[XTCP_CLOSE]		= XTCP_TO(LISTEN) | XTCP_TO(SYN_SENT),
	[XTCP_LISTEN]		= XTCP_TO(SYN_RECV) | XTCP_TO(SYN_SENT),
	[XTCP_SYN_SENT]		= XTCP_TO(SYN_RECV) | XTCP_TO(ESTABLISHED),
	[XTCP_SYN_RECV]		= XTCP_TO(ESTABLISHED) | XTCP_TO(FIN_WAIT1) | XTCP_TO(LISTEN),
	[XTCP_ESTABLISHED]	= XTCP_TO(FIN_WAIT1) | XTCP_TO(CLOSE_WAIT),
	[XTCP_FIN_WAIT1]	= XTCP_TO(FIN_WAIT2) | XTCP_TO(CLOSING) | XTCP_TO(TIME_WAIT),
	[XTCP_FIN_WAIT2]	= XTCP_TO(TIME_WAIT),
	[XTCP_CLOSE_WAIT]	= XTCP_TO(LAST_ACK),
	[XTCP_CLOSING]		= XTCP_TO(TIME_WAIT),
	[XTCP_LAST_ACK]		= 0,
	[XTCP_TIME_WAIT]	= 0,
};

/**
 * xtcp_state_transition_ok() - is @from -> @to a transition of RFC 9293?
 * @from: the current state.
 * @to: the next state.
 *
 * Return: true for a transition of the diagram or an abort to CLOSE.
 */
bool xtcp_state_transition_ok(int from, int to)
{
	if (from <= 0 || from >= XTCP_MAX_STATES || to <= 0 || to >= XTCP_MAX_STATES)
		return false;
	if (to == XTCP_CLOSE && from != XTCP_CLOSE)
		return true;
	return xtcp_next_states[from] & BIT(to);
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_state_transition_ok);

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
 * Keeps CurrEstab right. Every transition goes through here, and one that RFC
 * 9293 does not have is a bug: it warns (a failed test on the debug kernel).
 */
void xtcp_set_state(struct sock *sk, int state)
{
	int old = sk->sk_state;

	if (old == state)
		return;
	WARN_ONCE(!xtcp_state_transition_ok(old, state),
		  "xtcp: %s -> %s is no transition of RFC 9293\n",
		  xtcp_state_name(old), xtcp_state_name(state));
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
	spin_unlock_bh(&xn->socks_lock);
}

struct proto xtcp_prot = {
	.name		= "XTCP",
	.owner		= THIS_MODULE,
	.obj_size	= sizeof(struct xtcp_sock),
};
