// SPDX-License-Identifier: GPL-2.0
/*
 * sock.c - the lifetime of an XTCP socket and xtcp_set_state(), the one place where
 * a socket's state changes.
 */
#include <linux/bits.h>
#include <linux/spinlock.h>
#include <net/inet_sock.h>
#include <net/ip.h>
#include <net/inet_common.h>
#include <net/route.h>
#include <net/sock.h>
#include <net/xfrm.h>

#include "seq.h"
#include "xtcp.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

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
 * Keeps CurrEstab and EstabResets right. Every transition goes through here,
 * and one that RFC 9293 does not have is a bug: it warns (a failed test on the
 * debug kernel).
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
	/* EstabResets (RFC 1213): straight from ESTABLISHED or CLOSE_WAIT to CLOSED. */
	if (state == XTCP_CLOSE && xtcp_state_is_estab(old))
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_ESTAB_RESETS);
	if (state == XTCP_CLOSE)
		xtcp_orphan_end(sk);
	/* The connection's controller starts with it (TCP's tcp_init_transfer()). */
	if (state == XTCP_ESTABLISHED)
		xtcp_cc_start(sk);
	trace_xtcp_state(sk, old, state);
	/*
	 * Paired with the lockless readers (poll, /proc). Not inet_sk_state_store():
	 * XTCP's transitions are not sock:inet_sock_set_state events of TCP.
	 */
	smp_store_release(&sk->sk_state, state);
}

/**
 * xtcp_mss_for_mtu() - the MSS to announce on a path of MTU @mtu.
 * @mtu: the route's MTU.
 * @user_mss: the TCP_MAXSEG clamp, or 0.
 *
 * Return: the MTU less the IPv4 and TCP headers, clamped by @user_mss.
 */
u16 xtcp_mss_for_mtu(unsigned int mtu, u16 user_mss)
{
	unsigned int mss = mtu > 40 + XTCP_MIN_MSS ? mtu - 40 : XTCP_MIN_MSS;

	if (user_mss && user_mss < mss)
		mss = user_mss;
	return min_t(unsigned int, mss, 65535 - 40);
}

/**
 * xtcp_ip_opt_len() - the length of the IP options (IP_OPTIONS) every segment of
 * the socket carries.
 * @sk: the socket.
 *
 * Return: the bytes they add to each IP header; 0 without options.
 */
unsigned int xtcp_ip_opt_len(const struct sock *sk)
{
	const struct ip_options_rcu *opt;
	unsigned int len = 0;

	rcu_read_lock();
	opt = rcu_dereference(inet_sk(sk)->inet_opt);
	if (opt)
		len = opt->opt.optlen;
	rcu_read_unlock();
	return len;
}

/**
 * xtcp_clamp_mss() - the sending MSS, at most @limit less the IP options and
 * the TCP options every segment carries.
 * @sk: the socket, locked.
 * @limit: the largest payload the path takes with bare IP and TCP headers.
 *
 * Each segment's headers grow by the options; a full segment must still fit
 * the path (TCP subtracts them the same way).
 */
void xtcp_clamp_mss(struct sock *sk, unsigned int limit)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	unsigned int opt = xtcp_ip_opt_len(sk), mss = xs->mss;

	/* So do the timestamps every segment carries (RFC 6691). */
	if (xs->ts_ok)
		opt += XTCP_TS_ALIGNED_LEN;

	mss = min(mss, limit > opt ? limit - opt : 0);
	xs->mss = max_t(unsigned int, mss, XTCP_MIN_MSS / 2);
}

/**
 * xtcp_set_mss() - the sending MSS, once the peer's MSS and first window are
 * known (RFC 9293 3.7.1).
 * @sk: the socket.
 * @peer_mss: the peer's MSS option, or 0 when it sent none (then 536).
 */
void xtcp_set_mss(struct sock *sk, u16 peer_mss)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	unsigned int mss = peer_mss ? peer_mss : XTCP_MSS_DEFAULT;

	if (xs->user_mss)
		mss = min_t(unsigned int, mss, xs->user_mss);
	/* The peer's MSS counts no TCP options: ours come out of it (RFC 6691). */
	if (xs->ts_ok)
		mss = mss > XTCP_MIN_MSS / 2 + XTCP_TS_ALIGNED_LEN ? mss - XTCP_TS_ALIGNED_LEN :
		      XTCP_MIN_MSS / 2;
	xs->mss = mss;
	xtcp_clamp_mss(sk, xs->advmss);
	/* The peer's window is known by now (xtcp_init_rcv_seq()). */
	xs->mss = xtcp_mss_half_window(xs->mss, xs->max_window);
	/*
	 * Room for a full window in flight plus as much queued behind it, in skb
	 * terms, unless the user set SO_SNDBUF (TCP grows its buffer likewise).
	 */
	if (!(sk->sk_userlocks & SOCK_SNDBUF_LOCK))
		WRITE_ONCE(sk->sk_sndbuf,
			   max_t(int, sk->sk_sndbuf,
				 min_t(int, 4 * XTCP_MAX_WINDOW,
				       READ_ONCE(xtcp_pernet(sock_net(sk))->sysctl.wmem[2]))));
}

/*
 * The last reference to a published socket is gone (sk_destruct): take it off
 * the namespace's list, then do what inet_sock_destruct() does for every inet
 * socket (the queues, the IP options, the cached routes). Set by
 * xtcp_sock_publish(): a socket that never got that far is freed by sk_free()
 * with nothing of XTCP's to undo.
 */
static void xtcp_sock_destruct(struct sock *sk)
{
	struct net *net = sock_net(sk);
	struct xtcp_net *xn = xtcp_pernet(net);

	spin_lock_bh(&xn->socks_lock);
	hlist_del(&xtcp_sk(sk)->node.node);
	spin_unlock_bh(&xn->socks_lock);

	xtcp_inc_stats(net, XTCP_MIB_SOCKETS_DESTROYED);
	sock_prot_inuse_add(net, sk->sk_prot, -1);
	sk_sockets_allocated_dec(sk);
	WARN_ON_ONCE(sk->sk_state != XTCP_CLOSE);
	WARN_ON_ONCE(xtcp_sk(sk)->bind);
	skb_queue_purge(&xtcp_sk(sk)->ooo);
	xtcp_write_queue_purge(sk);
	WARN_ON_ONCE(sk->sk_wmem_queued);
	xtcp_cc_drop(sk);
	/* IP_XFRM_POLICY's per-socket IPsec policies, as TCP drops them. */
	xfrm_sk_free_policy(sk);
	/* Frees inet_opt (IP_OPTIONS) and the routes; warns on memory left charged. */
	inet_sock_destruct(sk);
}

/*
 * The send buffer has room again (sk_write_space): wake writers and pollers once
 * a third of it is free, as stream sockets do.
 */
static void xtcp_write_space(struct sock *sk)
{
	struct socket *sock = sk->sk_socket;
	struct socket_wq *wq;

	if (!sock || !sk_stream_is_writeable(sk))
		return;
	clear_bit(SOCK_NOSPACE, &sock->flags);
	rcu_read_lock();
	wq = rcu_dereference(sk->sk_wq);
	if (skwq_has_sleeper(wq))
		wake_up_interruptible_poll(&wq->wait, EPOLLOUT | EPOLLWRNORM | EPOLLWRBAND);
	if (wq && wq->fasync_list && !(sk->sk_shutdown & SEND_SHUTDOWN))
		sock_wake_async(wq, SOCK_WAKE_SPACE, POLL_OUT);
	rcu_read_unlock();
}

/*
 * XTCP's own lockdep classes. Its sockets are AF_INET sockets (below), and their
 * locks nest with the kernel TCP's (a port's holding socket is bound under an
 * XTCP socket's lock): they must not share TCP's classes.
 */
static struct lock_class_key xtcp_slock_key, xtcp_lock_key;

/**
 * xtcp_sock_lock_init() - give a new socket's lock XTCP's classes.
 * @sk: the socket, its lock not held, not yet visible.
 */
void xtcp_sock_lock_init(struct sock *sk)
{
	sock_lock_init_class_and_name(sk, "slock-AF_XTCP", &xtcp_slock_key,
				      "sk_lock-AF_XTCP", &xtcp_lock_key);
}

/* Everything a new socket needs, active or passive; not yet visible. */
static void xtcp_sock_init(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct inet_sock *inet = inet_sk(sk);

	sk->sk_state = XTCP_CLOSE;
	/*
	 * An IPv4 socket to the rest of the kernel (SO_DOMAIN reads AF_INET, as
	 * an MPTCP socket's does): cgroup BPF, the LSMs and the IP layer apply to
	 * inet families only. socket() takes it from AF_XTCP.
	 */
	sk->sk_family = AF_INET;
	/* Never IPPROTO_TCP: nothing may take an XTCP socket for a tcp_sock. */
	sk->sk_protocol = IPPROTO_XTCP;
	/* Its data leaves as TCP's GSO packets (offload.c): sk_can_gso() asks for them. */
	sk->sk_gso_type = SKB_GSO_TCPV4;
	/* Write space comes from the write queue, not from sent skbs freed. */
	sock_set_flag(sk, SOCK_USE_WRITE_QUEUE);
	sk->sk_write_space = xtcp_write_space;
	sk->sk_backlog_rcv = xtcp_do_rcv;
	sock_set_flag(sk, SOCK_RCU_FREE);
	inet->uc_ttl = -1;
	inet->pmtudisc = IP_PMTUDISC_WANT;
	INIT_HLIST_NODE(&xs->hash_node);
	INIT_HLIST_NODE(&xs->bind_node);
	INIT_LIST_HEAD(&xs->accept_node);
	xtcp_listen_init(sk);
	skb_queue_head_init(&xs->ooo);
	xtcp_rtt_init(&xs->rtt);
	xtcp_cwnd_init(&xs->cwnd, XTCP_INIT_CWND, (u32)jiffies);
	xs->mss = XTCP_MSS_DEFAULT;
	xs->advmss = XTCP_MSS_DEFAULT;
	xs->keepidle = XTCP_KEEPIDLE_DEFAULT;
	xs->keepintvl = XTCP_KEEPINTVL_DEFAULT;
	xs->keepcnt = XTCP_KEEPCNT_DEFAULT;
	xtcp_init_timers(sk);
}

/*
 * The point of no return of every constructor: from here the socket is counted
 * and listed, and its destructor undoes exactly that. Anything that can fail
 * comes before.
 */
static void xtcp_sock_publish(struct sock *sk)
{
	struct net *net = sock_net(sk);
	struct xtcp_net *xn = xtcp_pernet(net);

	sk->sk_destruct = xtcp_sock_destruct;
	sock_prot_inuse_add(net, sk->sk_prot, 1);
	sk_sockets_allocated_inc(sk);
	xtcp_inc_stats(net, XTCP_MIB_SOCKETS_CREATED);

	xtcp_sk(sk)->node.cursor = false;
	spin_lock_bh(&xn->socks_lock);
	hlist_add_head(&xtcp_sk(sk)->node.node, &xn->socks);
	spin_unlock_bh(&xn->socks_lock);
}

/**
 * xtcp_sock_link() - finish a new socket and make it visible in its namespace.
 * @sk: a socket fresh from sk_alloc() and sock_init_data().
 */
void xtcp_sock_link(struct sock *sk)
{
	xtcp_sock_init(sk);
	/* net.xtcp.rmem[1] and wmem[1]: TCP's defaults unless changed. */
	if (!(sk->sk_userlocks & SOCK_RCVBUF_LOCK))
		WRITE_ONCE(sk->sk_rcvbuf, READ_ONCE(xtcp_pernet(sock_net(sk))->sysctl.rmem[1]));
	if (!(sk->sk_userlocks & SOCK_SNDBUF_LOCK))
		WRITE_ONCE(sk->sk_sndbuf, READ_ONCE(xtcp_pernet(sock_net(sk))->sysctl.wmem[1]));
	xtcp_cc_assign(sk, NULL);
	xtcp_sock_publish(sk);
}

/**
 * xtcp_sock_new_child() - the socket of a connection a listener completed.
 * @lsk: the listener (not locked: its settings are read once).
 * @req: the request, or a cookie's stand-in.
 * @cb: the final ACK's control block.
 *
 * The socket is in SYN_RECV (as the request was; the caller moves it to
 * ESTABLISHED once the connection is its own), holds the listener's port, is
 * not yet hashed, and not locked.
 *
 * Return: the socket, or NULL (no memory, no route, the listener's port gone).
 */
struct sock *xtcp_sock_new_child(struct sock *lsk, struct xtcp_request *req,
				 const struct xtcp_skb_cb *cb)
{
	const struct xtcp_sock *lxs = xtcp_sk(lsk);
	struct inet_sock *inet;
	struct xtcp_sock *xs;
	struct rtable *rt;
	struct sock *sk;

	/*
	 * A clone of the listener, as TCP makes its children: the socket layer's
	 * settings (buffers, SO_REUSEADDR, the bound device, mark, owner, timeouts,
	 * flags), its cgroup (for cgroup BPF), its LSM label, its socket filter and
	 * IPsec policies come with it. It comes locked (bh_lock_sock()), with two
	 * references, the listener's destructor and XTCP's part copied too.
	 */
	sk = sk_clone_lock(lsk, GFP_ATOMIC);
	if (!sk)
		return NULL;
	__acquire(&sk->sk_lock.slock);	/* sk_clone_lock() says nothing of it */
	/* Nothing of XTCP's to undo until it is published, which counts it. */
	sk->sk_destruct = NULL;
	sk_sockets_allocated_dec(sk);
	__sock_put(sk);
	/* Its memory is charged to the listener's cgroup (mem.c). */
	xtcp_mem_inherit_memcg(sk, lsk);
	/*
	 * The clone's lock has the classes of its family, AF_INET: XTCP's instead.
	 * Nobody else sees the socket yet; the caller locks it again.
	 */
	bh_unlock_sock(sk);
	xtcp_sock_lock_init(sk);
	xs = xtcp_sk(sk);
	inet = inet_sk(sk);
	/* The listener's own: its IP options and multicast memberships are not shared. */
	RCU_INIT_POINTER(inet->inet_opt, NULL);
	inet->mc_list = NULL;
	WRITE_ONCE(sk->sk_ack_backlog, 0);
	/* XTCP's part starts afresh; only the options a child inherits are kept. */
	memset((u8 *)xs + sizeof(xs->inet), 0, sizeof(*xs) - sizeof(xs->inet));
	xtcp_sock_init(sk);
	inet->uc_ttl = inet_sk(lsk)->uc_ttl;
	inet->pmtudisc = inet_sk(lsk)->pmtudisc;
	xs->nodelay = lxs->nodelay;
	xs->cork = lxs->cork;
	xs->syn_retries = lxs->syn_retries;
	xs->linger2 = lxs->linger2;
	xs->user_timeout = lxs->user_timeout;
	xs->notsent_lowat = lxs->notsent_lowat;
	xs->window_clamp = lxs->window_clamp;
	xs->user_mss = lxs->user_mss;
	xs->keepidle = lxs->keepidle;
	xs->keepintvl = lxs->keepintvl;
	xs->keepcnt = lxs->keepcnt;

	inet->inet_saddr = req->laddr;
	inet->inet_rcv_saddr = req->laddr;
	inet->inet_daddr = req->raddr;
	inet->inet_sport = req->lport;
	inet->inet_dport = req->rport;
	inet->inet_num = ntohs(req->lport);

	rt = ip_route_output_ports(sock_net(sk), &inet->cork.fl.u.ip4, sk, req->raddr,
				   req->laddr, req->rport, req->lport, xtcp_wire_proto(),
				   RT_CONN_FLAGS(sk), sk->sk_bound_dev_if);
	if (IS_ERR(rt)) {
		xfrm_sk_free_policy(sk);
		sk_free(sk);
		return NULL;
	}
	sk_setup_caps(sk, &rt->dst);

	/* What the SYN and SYN-ACK agreed (RFC 7323), before any window is read. */
	xs->wscale_ok = req->wscale_ok;
	xs->snd_wscale = req->snd_wscale;
	xs->rcv_wscale = req->rcv_wscale;
	xs->ts_ok = req->ts_ok;
	xs->sack_ok = req->sack_ok;
	xs->ecn = req->ecn_ok ? XTCP_ECN_OK : 0;
	xs->ts_off = xtcp_ts_offset(sock_net(sk), req->laddr, req->raddr);
	if (xs->ts_ok)
		xtcp_ts_store_recent(xs, req->ts_recent);
	xtcp_init_send_seq(xs, req->iss, req->iss + 1);
	xtcp_init_rcv_seq(xs, req->irs, cb);
	/* What the SYN-ACK offered (xtcp_send_synack()). */
	xs->rcv_wnd = xtcp_syn_window(xtcp_rcv_space(lsk),
				      req->advmss - (req->ts_ok ? XTCP_TS_ALIGNED_LEN : 0));
	xs->advmss = req->advmss;
	xtcp_set_mss(sk, req->peer_mss);
	/* One segment if the SYN-ACK had to go again (RFC 5681 3.1). */
	xtcp_cwnd_init(&xs->cwnd, req->retries ? 1 : xtcp_cwnd_initial(xs->mss),
		       (u32)jiffies);
	xtcp_rcv_tune_init(sk);
	xs->rcv_tstamp = jiffies;

	xtcp_cc_assign(sk, lsk);
	xtcp_sock_publish(sk);
	/* It was SYN_RECEIVED all along, as a request; now it is a socket. */
	sk->sk_state = XTCP_SYN_RECV;
	if (xtcp_bind_inherit(sk, lsk)) {
		xtcp_discard_child(sk);
		return NULL;
	}
	return sk;
}

/**
 * xtcp_done() - the connection is over: CLOSE, off the tables, timers stopped.
 * @sk: the socket, locked.
 *
 * An orphan is freed once the last reference (a lookup's, a timer's) is dropped.
 */
void xtcp_done(struct sock *sk)
{
	xtcp_set_state(sk, XTCP_CLOSE);
	xtcp_clear_timers(sk);
	xtcp_unhash(sk);
	if (!(sk->sk_userlocks & SOCK_BINDPORT_LOCK) || sock_flag(sk, SOCK_DEAD))
		xtcp_put_port(sk);
	xtcp_write_queue_purge(sk);
	skb_queue_purge(&xtcp_sk(sk)->ooo);
	WRITE_ONCE(sk->sk_shutdown, SHUTDOWN_MASK);
	if (!sock_flag(sk, SOCK_DEAD))
		sk->sk_state_change(sk);
}

/**
 * xtcp_time_wait() - this end closed first: the connection goes to the TIME_WAIT
 * table for 2 * MSL and the socket is done.
 * @sk: the socket, locked, its FIN acknowledged and the peer's received.
 */
void xtcp_time_wait(struct sock *sk)
{
	struct net *net = sock_net(sk);
	struct xtcp_net *xn = xtcp_pernet(net);
	struct inet_sock *inet = inet_sk(sk);
	struct xtcp_tw_key key = {
		.saddr = inet->inet_saddr, .daddr = inet->inet_daddr,
		.sport = inet->inet_sport, .dport = inet->inet_dport,
	};
	unsigned long life = msecs_to_jiffies(2 * READ_ONCE(xn->sysctl.msl_ms));
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 right = xs->rcv_wup + xs->rcv_wnd;
	u32 wnd = xtcp_seq_after(right, xs->rcv_nxt) ? right - xs->rcv_nxt : 0;
	struct xtcp_tw_state st = {
		.snd_nxt = xs->snd_max, .rcv_nxt = xs->rcv_nxt, .reuse = sk->sk_reuse,
		.ts_ok = xs->ts_ok, .ts_recent = xs->ts_recent,
	};
	int err;

	/* The window field as the connection's ACKs said it: scaled. */
	st.rcv_wnd = min_t(u32, wnd >> (xs->wscale_ok ? xs->rcv_wscale : 0), XTCP_MAX_WINDOW);
	err = xtcp_tw_insert(&xn->tw, &key, &st, jiffies, life,
			     READ_ONCE(xn->sysctl.max_tw_buckets));
	if (!err) {
		xtcp_inc_stats(net, XTCP_MIB_TIME_WAIT_ENTERED);
		xtcp_tw_arm(xn);
	} else if (err == -ENOSPC) {
		xtcp_inc_stats(net, XTCP_MIB_TIME_WAIT_OVERFLOW);
	}
	xtcp_set_state(sk, XTCP_TIME_WAIT);
	xtcp_done(sk);
}

/* States in which closing the connection means telling the peer with a RST. */
static bool xtcp_need_reset(int state)
{
	return (1 << state) & (XTCPF_ESTABLISHED | XTCPF_CLOSE_WAIT | XTCPF_FIN_WAIT1 |
			       XTCPF_FIN_WAIT2 | XTCPF_SYN_RECV);
}

static void xtcp_end_child(struct sock *sk, bool reset)
{
	local_bh_disable();
	bh_lock_sock_nested(sk);
	sock_set_flag(sk, SOCK_DEAD);
	if (reset && xtcp_need_reset(sk->sk_state))
		xtcp_send_active_reset(sk);
	if (sk->sk_state != XTCP_CLOSE)
		xtcp_done(sk);
	xtcp_put_port(sk);
	bh_unlock_sock(sk);
	local_bh_enable();
	sock_put(sk);
}

/**
 * xtcp_abort_child() - reset a connection that was never accepted.
 * @sk: the connection; its accept-queue reference is dropped.
 */
void xtcp_abort_child(struct sock *sk)
{
	xtcp_end_child(sk, true);
}

/**
 * xtcp_discard_child() - forget a connection made for a handshake that another
 * path completed or ended: no segment goes out.
 * @sk: the connection, never hashed or accepted; its reference is dropped.
 */
void xtcp_discard_child(struct sock *sk)
{
	xtcp_end_child(sk, false);
}

/*
 * The state close() or shutdown(SHUT_WR) moves to (RFC 9293 3.10.4), and whether
 * a FIN is due.
 */
static bool xtcp_close_state(struct sock *sk)
{
	switch (sk->sk_state) {
	case XTCP_ESTABLISHED:
	case XTCP_SYN_RECV:
		xtcp_set_state(sk, XTCP_FIN_WAIT1);
		return true;
	case XTCP_CLOSE_WAIT:
		xtcp_set_state(sk, XTCP_LAST_ACK);
		return true;
	case XTCP_SYN_SENT:
		xtcp_done(sk);
		return false;
	default:
		return false;
	}
}

/**
 * xtcp_shutdown() - shutdown(SHUT_WR) and the like (proto .shutdown).
 * @sk: the socket, locked.
 * @how: SEND_SHUTDOWN and/or RCV_SHUTDOWN.
 */
void xtcp_shutdown(struct sock *sk, int how)
{
	if (!(how & SEND_SHUTDOWN))
		return;
	if ((1 << sk->sk_state) & (XTCPF_ESTABLISHED | XTCPF_SYN_RECV | XTCPF_CLOSE_WAIT))
		if (xtcp_close_state(sk))
			xtcp_queue_fin(sk);
}

/**
 * xtcp_disconnect() - abort the connection and make the socket reusable
 * (proto .disconnect: connect(AF_UNSPEC), a failed connect, SHUT_RD on a
 * listener).
 * @sk: the socket, locked.
 * @flags: unused.
 *
 * Return: 0.
 */
int xtcp_disconnect(struct sock *sk, int flags)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	int old = sk->sk_state;

	if (old == XTCP_LISTEN) {
		xtcp_listen_stop(sk);
		xtcp_set_state(sk, XTCP_CLOSE);
		xtcp_unhash(sk);
	} else if (xtcp_need_reset(old) ||
		   (xs->snd_nxt != xs->write_seq &&
		    ((1 << old) & (XTCPF_CLOSING | XTCPF_LAST_ACK)))) {
		xtcp_send_active_reset(sk);
		WRITE_ONCE(sk->sk_err, ECONNRESET);
	} else if (old == XTCP_SYN_SENT) {
		WRITE_ONCE(sk->sk_err, ECONNRESET);
	}
	if (sk->sk_state != XTCP_CLOSE)
		xtcp_done(sk);
	__skb_queue_purge(&sk->sk_receive_queue);
	if (!(sk->sk_userlocks & SOCK_BINDPORT_LOCK)) {
		xtcp_put_port(sk);
		inet_sk(sk)->inet_saddr = 0;
		inet_sk(sk)->inet_rcv_saddr = 0;
	}
	inet_sk(sk)->inet_dport = 0;
	inet_sk(sk)->inet_daddr = 0;
	WRITE_ONCE(sk->sk_shutdown, 0);
	sock_reset_flag(sk, SOCK_DONE);
	xs->fin_queued = false;
	xs->urg_mode = false;
	xs->urg_data = 0;
	xs->retransmits = 0;
	xs->ka_probes = 0;
	xs->ack_pending = 0;
	xs->rtt_timing = false;
	xtcp_rtt_init(&xs->rtt);
	/* TCP_INFO counts the next connection afresh, as TCP's tcp_disconnect(). */
	memset(&xs->rate, 0, sizeof(xs->rate));
	memset(&xs->counts, 0, sizeof(xs->counts));
	/* The next connect() negotiates its own options and window. */
	xs->wscale_ok = false;
	xs->snd_wscale = 0;
	xs->rcv_wscale = 0;
	xs->ts_ok = false;
	/* The controller starts again with the next connection. */
	xtcp_cc_stop(sk);
	xtcp_cwnd_init(&xs->cwnd, XTCP_INIT_CWND, (u32)jiffies);
	sk_dst_reset(sk);
	sk_error_report(sk);
	return 0;
}

/**
 * xtcp_close() - the last close() of the socket (proto .close).
 * @sk: the socket.
 * @timeout: SO_LINGER's time to wait for the FIN's ACK, or 0.
 *
 * Unread data or SO_LINGER {1, 0} abort with RST (RFC 9293 3.10.4 and 2525 2.17);
 * otherwise a FIN goes out and the connection finishes on its own, orphaned.
 */
void xtcp_close(struct sock *sk, long timeout)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	bool unread;

	lock_sock(sk);
	WRITE_ONCE(sk->sk_shutdown, SHUTDOWN_MASK);
	if (sk->sk_state == XTCP_LISTEN) {
		xtcp_listen_stop(sk);
		xtcp_done(sk);
		goto orphan;
	}
	unread = xs->copied_seq != xs->rcv_nxt && !skb_queue_empty(&sk->sk_receive_queue);
	__skb_queue_purge(&sk->sk_receive_queue);

	if (sk->sk_state == XTCP_CLOSE)
		goto orphan;
	if (unread || (sock_flag(sk, SOCK_LINGER) && !sk->sk_lingertime)) {
		if (xtcp_need_reset(sk->sk_state))
			xtcp_send_active_reset(sk);
		xtcp_done(sk);
	} else if (xtcp_close_state(sk)) {
		xtcp_queue_fin(sk);
	}
	if (timeout)
		sk_stream_wait_close(sk, timeout);

orphan:
	sock_orphan(sk);
	if (sk->sk_state == XTCP_FIN_WAIT2) {
		/* TCP_LINGER2 -1: no FIN_WAIT_2 for an orphan; the peer is reset. */
		if (xs->linger2 < 0) {
			xtcp_send_active_reset(sk);
			xtcp_done(sk);
		} else {
			xtcp_arm_fin_wait2(sk);
		}
	}
	if (sk->sk_state != XTCP_CLOSE) {
		/* It finishes on its own, an orphan: unless there are too many (mem.c). */
		xtcp_orphan_start(sk);
		if (xtcp_check_oom(sk, 0))
			xtcp_abort_on_memory(sk, xtcp_need_reset(sk->sk_state));
	}
	if (sk->sk_state == XTCP_CLOSE)
		xtcp_put_port(sk);
	release_sock(sk);
	sock_put(sk);
}

struct proto xtcp_prot = {
	.name		= "XTCP",
	.owner		= THIS_MODULE,
	.obj_size	= sizeof(struct xtcp_sock),
	.close		= xtcp_close,
	.connect	= xtcp_v4_connect,
	.disconnect	= xtcp_disconnect,
	.accept		= xtcp_proto_accept,
	.ioctl		= xtcp_proto_ioctl,
	.shutdown	= xtcp_shutdown,
	.keepalive	= xtcp_keepalive,
	.stream_memory_free = xtcp_stream_memory_free,
	.backlog_rcv	= xtcp_do_rcv,
	.release_cb	= xtcp_release_cb,
	.no_autobind	= true,
};
