// SPDX-License-Identifier: GPL-2.0
/*
 * af_xtcp.c - the AF_XTCP address family: socket creation and the socket calls.
 *
 * XTCP speaks TCP to the application: SOCK_STREAM only, protocol 0, IPPROTO_TCP or
 * IPPROTO_XTCP,
 * struct sockaddr_in addresses, SOL_TCP options, and the errno the kernel's TCP
 * gives for everything. Where the generic inet code (accept, shutdown, release,
 * ioctl) only calls through struct proto, XTCP uses it, and so gets the very same
 * socket-state rules as TCP; the rest is here. (The sockets' sk_protocol is
 * IPPROTO_XTCP, which SO_PROTOCOL reads: generic code and BPF take a socket of
 * protocol IPPROTO_TCP for a tcp_sock, which XTCP's is not. Route lookups use
 * the wire's protocol, 6 by default, so that policy routing and IPsec policies
 * for TCP apply to XTCP's flows.)
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/in.h>
#include <linux/net.h>
#include <linux/sockios.h>
#include <asm/ioctls.h>
#include <linux/socket.h>
#include <linux/tcp.h>
#include <linux/uio.h>
#include <net/inet_common.h>
#include <net/ip.h>
#include <net/route.h>
#include <net/sock.h>

#include "xtcp.h"
#include "seq.h"

/*
 * getsockname()/getpeername(): AF_INET addresses, as programs written for TCP
 * expect, whatever the family the socket was opened with.
 */
static int xtcp_getname(struct socket *sock, struct sockaddr *uaddr, int peer)
{
	DECLARE_SOCKADDR(struct sockaddr_in *, sin, uaddr);
	struct sock *sk = sock->sk;
	struct inet_sock *inet = inet_sk(sk);

	lock_sock(sk);
	sin->sin_family = AF_INET;
	if (peer) {
		if (!inet->inet_dport ||
		    ((1 << sk->sk_state) & ((1 << XTCP_CLOSE) | (1 << XTCP_SYN_SENT)))) {
			release_sock(sk);
			return -ENOTCONN;
		}
		sin->sin_port = inet->inet_dport;
		sin->sin_addr.s_addr = inet->inet_daddr;
	} else {
		sin->sin_port = inet->inet_sport;
		sin->sin_addr.s_addr = inet->inet_rcv_saddr ? : inet->inet_saddr;
	}
	release_sock(sk);
	memset(sin->sin_zero, 0, sizeof(sin->sin_zero));
	return sizeof(*sin);
}

/* Is @sin an address XTCP takes: AF_INET or AF_XTCP, of the right length? */
static int xtcp_check_addr(const struct sockaddr *uaddr, int addr_len, bool bind)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)uaddr;

	if (addr_len < (int)sizeof(*sin))
		return -EINVAL;
	if (sin->sin_family == AF_INET || sin->sin_family == xtcp_family)
		return 0;
	/* bind() takes AF_UNSPEC with INADDR_ANY, as inet_bind() does. */
	if (bind && sin->sin_family == AF_UNSPEC && sin->sin_addr.s_addr == htonl(INADDR_ANY))
		return 0;
	return -EAFNOSUPPORT;
}

static int xtcp_bind(struct socket *sock, struct sockaddr *uaddr, int addr_len)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)uaddr;
	struct sock *sk = sock->sk;
	int err;

	err = xtcp_check_addr(uaddr, addr_len, true);
	if (err)
		return err;
	lock_sock(sk);
	err = -EINVAL;
	if (sk->sk_state != XTCP_CLOSE || inet_sk(sk)->inet_num)
		goto out;
	err = xtcp_bind_port(sk, sin->sin_addr.s_addr, sin->sin_port);
	if (err)
		goto out;
	if (sin->sin_addr.s_addr)
		sk->sk_userlocks |= SOCK_BINDADDR_LOCK;
	if (sin->sin_port)
		sk->sk_userlocks |= SOCK_BINDPORT_LOCK;
	inet_sk(sk)->inet_daddr = 0;
	inet_sk(sk)->inet_dport = 0;
	sk_dst_reset(sk);
out:
	release_sock(sk);
	return err;
}

/**
 * xtcp_v4_connect() - start an active open (proto .connect, under the lock).
 * @sk: the socket, CLOSE.
 * @uaddr: the peer's address.
 * @addr_len: its length.
 *
 * Return: 0 with the SYN sent, or the errno of connect().
 */
int xtcp_v4_connect(struct sock *sk, struct sockaddr *uaddr, int addr_len)
{
	struct sockaddr_in *usin = (struct sockaddr_in *)uaddr;
	struct inet_sock *inet = inet_sk(sk);
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct flowi4 *fl4 = &inet->cork.fl.u.ip4;
	bool autobound = false;
	struct xtcp_tw_key key;
	struct rtable *rt;
	u32 iss;
	int err;

	err = xtcp_check_addr(uaddr, addr_len, false);
	if (err)
		return err;

	rt = ip_route_connect(fl4, usin->sin_addr.s_addr, inet->inet_saddr,
			      sk->sk_bound_dev_if, xtcp_wire_proto(), inet->inet_sport,
			      usin->sin_port, sk);
	if (IS_ERR(rt))
		return PTR_ERR(rt);
	if (rt->rt_flags & (RTCF_MULTICAST | RTCF_BROADCAST)) {
		ip_rt_put(rt);
		return -ENETUNREACH;
	}
	ip_rt_put(rt);
	if (!inet->inet_saddr)
		inet->inet_saddr = fl4->saddr;
	if (!inet->inet_num) {
		err = xtcp_bind_port(sk, inet->inet_saddr, 0);
		if (err)
			goto failure;
		autobound = true;
	}
	if (!inet->inet_rcv_saddr)
		inet->inet_rcv_saddr = inet->inet_saddr;
	inet->inet_daddr = usin->sin_addr.s_addr;
	inet->inet_dport = usin->sin_port;

	/* The 4-tuple may still be in TIME_WAIT (an explicitly bound port). */
	key.saddr = inet->inet_saddr;
	key.daddr = inet->inet_daddr;
	key.sport = inet->inet_sport;
	key.dport = inet->inet_dport;
	rcu_read_lock();
	err = xtcp_tw_lookup(&xtcp_pernet(sock_net(sk))->tw, &key) ? -EADDRNOTAVAIL : 0;
	rcu_read_unlock();
	if (err)
		goto failure;

	rt = ip_route_output_ports(sock_net(sk), fl4, sk, inet->inet_daddr,
				   inet->inet_saddr, inet->inet_dport, inet->inet_sport,
				   xtcp_wire_proto(), RT_CONN_FLAGS(sk), sk->sk_bound_dev_if);
	if (IS_ERR(rt)) {
		err = PTR_ERR(rt);
		goto failure;
	}
	sk_setup_caps(sk, &rt->dst);
	xs->advmss = xtcp_mss_for_mtu(dst_mtu(&rt->dst), xs->user_mss);

	iss = xtcp_isn(sock_net(sk), inet->inet_saddr, inet->inet_daddr, inet->inet_sport,
		       inet->inet_dport);
	xtcp_init_send_seq(xs, iss, iss);
	xs->retransmits = 0;
	xs->total_retrans = 0;
	xs->fin_queued = false;
	xtcp_rtt_init(&xs->rtt);
	/* What our SYN offers (RFC 7323); the peer's SYN-ACK decides. */
	xs->wscale_ok = READ_ONCE(xtcp_pernet(sock_net(sk))->sysctl.window_scaling);
	xs->rcv_wscale = xs->wscale_ok ? xtcp_rcv_wscale(sk) : 0;
	xs->snd_wscale = 0;
	xs->ts_ok = READ_ONCE(xtcp_pernet(sock_net(sk))->sysctl.timestamps);
	xs->ts_off = xtcp_ts_offset(sock_net(sk), inet->inet_saddr, inet->inet_daddr);
	xs->ts_recent = 0;
	xs->ts_recent_stamp = 0;
	xs->sack_ok = READ_ONCE(xtcp_pernet(sock_net(sk))->sysctl.sack);
	/* RFC 3168: our SYN asks for ECN with net.xtcp.ecn 1 (ecn.c). */
	xs->ecn = READ_ONCE(xtcp_pernet(sock_net(sk))->sysctl.ecn) == 1 ? XTCP_ECN_ASKED : 0;
	/* A new connection: an error of an earlier one (disconnect's) is gone. */
	WRITE_ONCE(sk->sk_err, 0);

	xtcp_set_state(sk, XTCP_SYN_SENT);
	err = xtcp_hash_connection(sk);
	if (err)
		goto failure_state;
	err = xtcp_queue_syn(sk);
	if (err) {
		xtcp_unhash(sk);
		goto failure_state;
	}
	xtcp_inc_stats(sock_net(sk), XTCP_MIB_ACTIVE_OPENS);
	xtcp_push(sk);
	return 0;

failure_state:
	xtcp_set_state(sk, XTCP_CLOSE);
failure:
	if (autobound)
		xtcp_put_port(sk);
	inet->inet_dport = 0;
	inet->inet_daddr = 0;
	sk_dst_reset(sk);
	return err;
}

/* Wait while the handshake runs; returns the time left (0: it ran out). */
static long xtcp_wait_for_connect(struct sock *sk, long timeo)
{
	DEFINE_WAIT_FUNC(wait, woken_wake_function);

	add_wait_queue(sk_sleep(sk), &wait);
	while ((1 << sk->sk_state) & (XTCPF_SYN_SENT | XTCPF_SYN_RECV)) {
		release_sock(sk);
		timeo = wait_woken(&wait, TASK_INTERRUPTIBLE, timeo);
		lock_sock(sk);
		if (signal_pending(current) || !timeo)
			break;
	}
	remove_wait_queue(sk_sleep(sk), &wait);
	return timeo;
}

/*
 * connect(): the socket-state rules of a stream socket, as TCP has them
 * (inet_stream_connect() is not used: it would look into TCP's own socket
 * were sk_protocol IPPROTO_TCP). AF_UNSPEC disconnects; a second connect while
 * one runs gives EALREADY, on a connected socket EISCONN; a non-blocking one
 * gives EINPROGRESS and ends through poll() and SO_ERROR.
 */
static int xtcp_stream_connect(struct socket *sock, struct sockaddr *uaddr, int addr_len,
			       int flags)
{
	struct sock *sk = sock->sk;
	long timeo;
	int err;

	if (addr_len < (int)sizeof(uaddr->sa_family))
		return -EINVAL;
	lock_sock(sk);
	if (uaddr->sa_family == AF_UNSPEC) {
		xtcp_sk(sk)->disconnects++;
		err = xtcp_disconnect(sk, flags);
		sock->state = err ? SS_DISCONNECTING : SS_UNCONNECTED;
		goto out;
	}
	switch (sock->state) {
	default:
		err = -EINVAL;
		goto out;
	case SS_CONNECTED:
		err = -EISCONN;
		goto out;
	case SS_CONNECTING:
		err = -EALREADY;
		break;
	case SS_UNCONNECTED:
		err = -EISCONN;
		if (sk->sk_state != XTCP_CLOSE)
			goto out;
		err = xtcp_v4_connect(sk, uaddr, addr_len);
		if (err < 0)
			goto out;
		sock->state = SS_CONNECTING;
		err = -EINPROGRESS;
		break;
	}

	timeo = sock_sndtimeo(sk, flags & O_NONBLOCK);
	if ((1 << sk->sk_state) & (XTCPF_SYN_SENT | XTCPF_SYN_RECV)) {
		u32 dis = xtcp_sk(sk)->disconnects;

		if (!timeo || !xtcp_wait_for_connect(sk, timeo))
			goto out;
		err = sock_intr_errno(timeo);
		if (signal_pending(current))
			goto out;
		if (dis != xtcp_sk(sk)->disconnects) {
			err = -EPIPE;
			goto out;
		}
	}
	/* Refused, timed out, or reset: the error, once. */
	if (sk->sk_state == XTCP_CLOSE) {
		err = sock_error(sk) ? : -ECONNABORTED;
		sock->state = SS_UNCONNECTED;
		xtcp_sk(sk)->disconnects++;
		if (xtcp_disconnect(sk, flags))
			sock->state = SS_DISCONNECTING;
		goto out;
	}
	sock->state = SS_CONNECTED;
	err = 0;
out:
	release_sock(sk);
	return err;
}

static int xtcp_listen(struct socket *sock, int backlog)
{
	struct sock *sk = sock->sk;
	bool autobound = false;
	int old, err;

	lock_sock(sk);
	err = -EINVAL;
	if (sock->state != SS_UNCONNECTED || sock->type != SOCK_STREAM)
		goto out;
	old = sk->sk_state;
	if (!((1 << old) & (XTCPF_CLOSE | XTCPF_LISTEN)))
		goto out;
	/* The socket layer capped the backlog at somaxconn already. */
	WRITE_ONCE(sk->sk_max_ack_backlog, backlog);
	if (old == XTCP_LISTEN) {
		err = 0;
		goto out;
	}
	if (!inet_sk(sk)->inet_num) {
		err = xtcp_bind_port(sk, 0, 0);
		if (err)
			goto out;
		autobound = true;
	} else if (!xtcp_listen_port_ok(sk)) {
		err = -EADDRINUSE;
		goto out;
	}
	err = xtcp_listen_start(sk);
	if (err) {
		if (autobound)
			xtcp_put_port(sk);
		goto out;
	}
	xtcp_set_state(sk, XTCP_LISTEN);
	xtcp_hash_listener(sk);
out:
	release_sock(sk);
	return err;
}

/*
 * Readable for poll(): at least SO_RCVLOWAT bytes wait (as TCP's
 * tcp_stream_is_readable()), or as many as the largest window XTCP can offer:
 * a higher SO_RCVLOWAT could never be reached, the window being full.
 */
static bool xtcp_stream_readable(const struct sock *sk)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);
	u32 copied_seq = READ_ONCE(xs->copied_seq);
	int avail = READ_ONCE(xs->rcv_nxt) - copied_seq;
	int cap = min_t(int, READ_ONCE(sk->sk_rcvbuf) / 2, XTCP_MAX_WINDOW);
	int target = min(sock_rcvlowat(sk, 0, INT_MAX), cap);

	if (avail <= 0 || skb_queue_empty_lockless(&sk->sk_receive_queue))
		return false;
	/* An out-of-band byte at the head is not for read(): one more is needed. */
	if (READ_ONCE(xs->urg_data) && READ_ONCE(xs->urg_seq) == copied_seq &&
	    !sock_flag(sk, SOCK_URGINLINE))
		target++;
	return avail >= target;
}

static __poll_t xtcp_poll(struct file *file, struct socket *sock, poll_table *wait)
{
	struct sock *sk = sock->sk;
	__poll_t mask = 0;
	u8 shutdown;
	int state;

	sock_poll_wait(file, sock, wait);
	/* Paired with xtcp_set_state()'s smp_store_release(). */
	state = smp_load_acquire(&sk->sk_state);
	if (state == XTCP_LISTEN)
		return READ_ONCE(sk->sk_ack_backlog) ? EPOLLIN | EPOLLRDNORM : 0;

	shutdown = READ_ONCE(sk->sk_shutdown);
	if (shutdown == SHUTDOWN_MASK || state == XTCP_CLOSE)
		mask |= EPOLLHUP;
	if (shutdown & RCV_SHUTDOWN)
		mask |= EPOLLIN | EPOLLRDNORM | EPOLLRDHUP;
	if (state != XTCP_SYN_SENT && state != XTCP_SYN_RECV) {
		if (xtcp_stream_readable(sk))
			mask |= EPOLLIN | EPOLLRDNORM;
		if (!(shutdown & SEND_SHUTDOWN)) {
			if (sk_stream_is_writeable(sk)) {
				mask |= EPOLLOUT | EPOLLWRNORM;
			} else {
				sk_set_bit(SOCKWQ_ASYNC_NOSPACE, sk);
				set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
				/* The ACK that frees space may have come meanwhile. */
				smp_mb__after_atomic();
				if (sk_stream_is_writeable(sk))
					mask |= EPOLLOUT | EPOLLWRNORM;
			}
		} else {
			mask |= EPOLLOUT | EPOLLWRNORM;
		}
	}
	/* The peer's urgent byte waits for MSG_OOB. */
	if (READ_ONCE(xtcp_sk(sk)->urg_data) & XTCP_URG_VALID)
		mask |= EPOLLPRI;
	/* Paired with the barrier of the error's writer (sk_error_report). */
	smp_rmb();
	if (READ_ONCE(sk->sk_err) || !skb_queue_empty_lockless(&sk->sk_error_queue))
		mask |= EPOLLERR;
	return mask;
}

/**
 * xtcp_ioctl_answer() - SIOCINQ, SIOCOUTQ and SIOCOUTQNSD (proto .ioctl, through
 * compat.h's xtcp_proto_ioctl()).
 * @sk: the socket.
 * @cmd: the request.
 * @answer: the answer.
 *
 * SIOCATMARK too: whether the next byte read is the peer's urgent byte.
 *
 * Return: 0, -EINVAL on a listener, or -ENOIOCTLCMD for requests TCP does not know.
 */
int xtcp_ioctl_answer(struct sock *sk, int cmd, int *answer)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	int answ;

	switch (cmd) {
	case SIOCATMARK:
		/* At the urgent mark: the next byte read is the urgent one. */
		answ = READ_ONCE(xs->urg_data) &&
		       READ_ONCE(xs->urg_seq) == READ_ONCE(xs->copied_seq);
		break;
	case SIOCINQ:
		if (sk->sk_state == XTCP_LISTEN)
			return -EINVAL;
		lock_sock(sk);
		if ((1 << sk->sk_state) & (XTCPF_SYN_SENT | XTCPF_SYN_RECV)) {
			answ = 0;
		} else if (xs->urg_data && !sock_flag(sk, SOCK_URGINLINE) &&
			   !xtcp_seq_before(xs->urg_seq, xs->copied_seq) &&
			   xtcp_seq_before(xs->urg_seq, xs->rcv_nxt)) {
			/* As TCP: what a read gives, up to the urgent mark. */
			answ = xs->urg_seq - xs->copied_seq;
		} else {
			answ = xs->rcv_nxt - xs->copied_seq;
			/* The peer's FIN takes a sequence number but is no data. */
			if (answ && sock_flag(sk, SOCK_DONE))
				answ--;
		}
		release_sock(sk);
		break;
	case SIOCOUTQ:
		if (sk->sk_state == XTCP_LISTEN)
			return -EINVAL;
		if ((1 << sk->sk_state) & (XTCPF_SYN_SENT | XTCPF_SYN_RECV))
			answ = 0;
		else
			answ = READ_ONCE(xs->write_seq) - READ_ONCE(xs->snd_una);
		break;
	case SIOCOUTQNSD:
		if (sk->sk_state == XTCP_LISTEN)
			return -EINVAL;
		if ((1 << sk->sk_state) & (XTCPF_SYN_SENT | XTCPF_SYN_RECV))
			answ = 0;
		else
			answ = READ_ONCE(xs->write_seq) - READ_ONCE(xs->snd_nxt);
		break;
	default:
		return -ENOIOCTLCMD;
	}
	*answer = answ;
	return 0;
}

/*
 * MSG_OOB: the last byte written (if any) is urgent (RFC 9293 3.8.5). SND.UP goes just
 * past it, as BSD and Linux point, and segments before it carry URG until it is
 * acknowledged; urgent data is sent at once (no Nagle, no cork).
 */
static void xtcp_mark_urgent(struct sock *sk, int flags)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!(flags & MSG_OOB))
		return;
	xs->snd_up = xs->write_seq;
	xs->urg_mode = true;
}

static int xtcp_sendmsg(struct socket *sock, struct msghdr *msg, size_t size)
{
	struct sock *sk = sock->sk;
	struct xtcp_sock *xs = xtcp_sk(sk);
	int flags = msg->msg_flags;
	int copied = 0, err;
	u32 size_goal;
	long timeo;

	lock_sock(sk);
	timeo = sock_sndtimeo(sk, flags & MSG_DONTWAIT);
	if (!((1 << sk->sk_state) & (XTCPF_ESTABLISHED | XTCPF_CLOSE_WAIT))) {
		err = sk_stream_wait_connect(sk, &timeo);
		if (err)
			goto do_error;
	}
	err = -EPIPE;
	if (sk->sk_err || (sk->sk_shutdown & SEND_SHUTDOWN))
		goto do_error;

	size_goal = xtcp_size_goal(sk);
	while (msg_data_left(msg)) {
		struct sk_buff *skb = skb_peek_tail(&sk->sk_write_queue);
		struct page_frag *pfrag = sk_page_frag(sk);
		struct xtcp_skb_cb *cb;
		bool merge;
		size_t copy;
		int i;

		/*
		 * The data goes into page fragments (offload.c): onto the last skb
		 * while it is unsent and short of the size goal, else a new one.
		 */
		if (!xs->send_head || !skb ||
		    (XTCP_SKB_CB(skb)->flags & (XTCPHDR_SYN | XTCPHDR_FIN)) ||
		    skb->len >= size_goal) {
new_skb:
			if (!sk_stream_memory_free(sk))
				goto wait_for_space;
			skb = xtcp_alloc_skb(sk, 0, sk->sk_allocation);
			if (!skb)
				goto wait_for_space;
			xtcp_queue_skb(sk, skb);
		}
		if (!sk_page_frag_refill(sk, pfrag))
			goto wait_for_space;
		i = skb_shinfo(skb)->nr_frags;
		merge = skb_can_coalesce(skb, i, pfrag->page, pfrag->offset);
		if (!merge && i >= MAX_SKB_FRAGS) {
			if (!skb->len)
				goto wait_for_space;	/* cannot be: a new skb has room */
			goto new_skb;
		}
		cb = XTCP_SKB_CB(skb);
		copy = min_t(size_t, msg_data_left(msg), size_goal - skb->len);
		copy = min_t(size_t, copy, pfrag->size - pfrag->offset);
		if (!sk_wmem_schedule(sk, copy))
			goto wait_for_space;
		/* Charges the bytes to the socket and the skb (truesize). */
		err = skb_copy_to_page_nocache(sk, &msg->msg_iter, skb, pfrag->page,
					       pfrag->offset, copy);
		if (err)
			goto do_error;
		if (merge) {
			skb_frag_size_add(&skb_shinfo(skb)->frags[i - 1], copy);
		} else {
			skb_fill_page_desc(skb, i, pfrag->page, pfrag->offset, copy);
			get_page(pfrag->page);
		}
		pfrag->offset += copy;
		cb->end_seq += copy;
		xs->write_seq += copy;
		copied += copy;
		/* A full skb goes while more comes; the last waits for its PSH. */
		if (skb->len >= size_goal && msg_data_left(msg))
			xtcp_push(sk);
		continue;

wait_for_space:
		set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
		xtcp_push(sk);
		err = sk_stream_wait_memory(sk, &timeo);
		if (err)
			goto do_error;
		size_goal = xtcp_size_goal(sk);
	}
	if (copied) {
		xtcp_mark_urgent(sk, flags);
		xtcp_mark_push(sk, flags);
	}
	xtcp_push_mode(sk, flags & MSG_MORE ? XTCP_PUSH_MORE : XTCP_PUSH_NORMAL);
	release_sock(sk);
	return copied;

do_error:
	if (copied) {
		xtcp_mark_urgent(sk, flags);
		xtcp_mark_push(sk, flags);
		xtcp_push_mode(sk, flags & MSG_MORE ? XTCP_PUSH_MORE : XTCP_PUSH_NORMAL);
		release_sock(sk);
		return copied;
	}
	err = sk_stream_error(sk, flags, err);
	release_sock(sk);
	return err;
}

/*
 * recv(MSG_OOB): the peer's urgent byte, once (RFC 9293 3.8.5; errno as TCP's):
 * EINVAL with SO_OOBINLINE, without urgent data or once it was taken; EAGAIN
 * while its pointer came but the byte not yet.
 */
static int xtcp_recv_urgent(struct sock *sk, struct msghdr *msg, size_t len, int flags)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	char c;

	if (sock_flag(sk, SOCK_URGINLINE) || !xs->urg_data || xs->urg_data == XTCP_URG_READ)
		return -EINVAL;
	if (sk->sk_state == XTCP_CLOSE && !sock_flag(sk, SOCK_DONE))
		return -ENOTCONN;
	if (xs->urg_data & XTCP_URG_VALID) {
		c = xs->urg_data;
		if (!(flags & MSG_PEEK))
			WRITE_ONCE(xs->urg_data, XTCP_URG_READ);
		msg->msg_flags |= MSG_OOB;
		if (!len) {
			msg->msg_flags |= MSG_TRUNC;
			return 0;
		}
		if (!(flags & MSG_TRUNC) && memcpy_to_msg(msg, &c, 1))
			return -EFAULT;
		return 1;
	}
	if (sk->sk_state == XTCP_CLOSE || (sk->sk_shutdown & RCV_SHUTDOWN))
		return 0;
	return -EAGAIN;
}

static int xtcp_recvmsg(struct socket *sock, struct msghdr *msg, size_t len, int flags)
{
	struct sock *sk = sock->sk;
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 peek_seq, *seq;
	int copied = 0, target;
	long timeo;

	if (flags & MSG_ERRQUEUE)
		return -EAGAIN;	/* XTCP queues no errors there */

	lock_sock(sk);
	if (flags & MSG_OOB) {
		copied = xtcp_recv_urgent(sk, msg, len, flags);
		goto out;
	}
	if (sk->sk_state == XTCP_LISTEN) {
		copied = -ENOTCONN;
		goto out;
	}
	timeo = sock_rcvtimeo(sk, flags & MSG_DONTWAIT);
	target = sock_rcvlowat(sk, flags & MSG_WAITALL, len);
	peek_seq = xs->copied_seq;
	seq = (flags & MSG_PEEK) ? &peek_seq : &xs->copied_seq;

	while (len > 0) {
		struct sk_buff *skb, *found = NULL;
		u32 offset = 0;
		size_t used;
		int err;

		/* A read stops at the urgent mark, so that SIOCATMARK can tell it. */
		if (xs->urg_data && xs->urg_seq == *seq && copied)
			break;
		skb_queue_walk(&sk->sk_receive_queue, skb) {
			offset = *seq - XTCP_SKB_CB(skb)->seq;
			if (offset < skb->len) {
				found = skb;
				break;
			}
		}
		if (found) {
			used = min_t(size_t, found->len - offset, len);
			if (xs->urg_data) {
				u32 urg_offset = xs->urg_seq - *seq;

				/* Up to the urgent byte; it is left out unless inline. */
				if (urg_offset < used) {
					if (urg_offset) {
						used = urg_offset;
					} else if (!sock_flag(sk, SOCK_URGINLINE)) {
						WRITE_ONCE(*seq, *seq + 1);
						offset++;
						used--;
					}
				}
			}
			/* MSG_TRUNC: the bytes are taken (or peeked at), not copied. */
			err = (flags & MSG_TRUNC) || !used ? 0 :
			      skb_copy_datagram_msg(found, offset, msg, used);
			if (err) {
				if (!copied)
					copied = -EFAULT;
				break;
			}
			*seq += used;
			copied += used;
			len -= used;
			/* Read past the urgent byte: the mark is behind us. */
			if (xs->urg_data && xtcp_seq_after(xs->copied_seq, xs->urg_seq))
				WRITE_ONCE(xs->urg_data, 0);
			if (!(flags & MSG_PEEK) && offset + used >= found->len) {
				__skb_unlink(found, &sk->sk_receive_queue);
				kfree_skb(found);
			}
			continue;
		}
		if (copied >= target)
			break;
		if (copied) {
			if (sk->sk_err || sk->sk_state == XTCP_CLOSE ||
			    (sk->sk_shutdown & RCV_SHUTDOWN) || !timeo ||
			    signal_pending(current))
				break;
		} else {
			if (sock_flag(sk, SOCK_DONE))
				break;
			if (sk->sk_err) {
				copied = sock_error(sk);
				break;
			}
			if (sk->sk_shutdown & RCV_SHUTDOWN)
				break;
			if (sk->sk_state == XTCP_CLOSE) {
				copied = -ENOTCONN;
				break;
			}
			if (!timeo) {
				copied = -EAGAIN;
				break;
			}
			if (signal_pending(current)) {
				copied = sock_intr_errno(timeo);
				break;
			}
		}
		if (xtcp_window_update_due(sk) && xtcp_synchronized(sk))
			xtcp_send_ack(sk);
		sk_wait_data(sk, &timeo, skb_peek_tail(&sk->sk_receive_queue));
	}
	if (copied > 0 && !(flags & MSG_PEEK) && xtcp_synchronized(sk)) {
		/* Autotuning (window.c) first: a larger buffer is a larger window. */
		xtcp_rcv_space_adjust(sk);
		if (xtcp_window_update_due(sk))
			xtcp_send_ack(sk);
	}
out:
	release_sock(sk);
	return copied;
}

static int xtcp_setsockopt(struct socket *sock, int level, int optname,
			   sockptr_t optval, unsigned int optlen)
{
	struct sock *sk = sock->sk;
	struct xtcp_sock *xs = xtcp_sk(sk);
	int val, err = 0;

	if (level != SOL_TCP) {
		err = ip_setsockopt(sk, level, optname, optval, optlen);
		/* Options in every IP header: full segments must still fit the path. */
		if (!err && level == SOL_IP && optname == IP_OPTIONS) {
			lock_sock(sk);
			if (sk->sk_state != XTCP_CLOSE && sk->sk_state != XTCP_LISTEN)
				xtcp_clamp_mss(sk, xs->advmss);
			release_sock(sk);
		}
		return err;
	}
	if (optname == TCP_CONGESTION) {
		char name[XTCP_CC_NAME_MAX];
		long n;

		/* As TCP: at most 15 characters are read, NUL or not. */
		if (optlen < 1)
			return -EINVAL;
		n = strncpy_from_sockptr(name, optval,
					 min_t(unsigned int, optlen, XTCP_CC_NAME_MAX - 1));
		if (n < 0)
			return -EFAULT;
		name[n] = '\0';
		return xtcp_cc_setsockopt(sk, name);
	}
	if (optlen < sizeof(int))
		return -EINVAL;
	if (copy_from_sockptr(&val, optval, sizeof(val)))
		return -EFAULT;

	lock_sock(sk);
	switch (optname) {
	case TCP_NODELAY:
		/* Weaker than a cork, but what waits goes out once (as on TCP). */
		xs->nodelay = !!val;
		if (val)
			xtcp_push_mode(sk, XTCP_PUSH_NOW);
		break;
	case TCP_CORK:
		xs->cork = !!val;
		if (!val) {
			if (xs->rtx_mode == XTCP_RTX_CORK)
				xtcp_stop_rtx(sk);
			xtcp_push_mode(sk, xs->nodelay ? XTCP_PUSH_NOW : XTCP_PUSH_NORMAL);
		}
		break;
	case TCP_QUICKACK:
		/*
		 * XTCP has no quick-ACK mode to leave: it only remembers the value
		 * and, as TCP does, acknowledges what waits when it is set.
		 */
		xs->pingpong = !val;
		if (val && xs->ack_pending &&
		    ((1 << sk->sk_state) & (XTCPF_ESTABLISHED | XTCPF_CLOSE_WAIT))) {
			xtcp_send_ack(sk);
			xs->pingpong = !(val & 1);
		}
		break;
	case TCP_SYNCNT:
		if (val < 1 || val > XTCP_MAX_SYNCNT)
			err = -EINVAL;
		else
			WRITE_ONCE(xs->syn_retries, val);
		break;
	case TCP_LINGER2:
		if (val < 0)
			xs->linger2 = -1;
		else if (val > XTCP_MAX_LINGER2 / HZ)
			xs->linger2 = XTCP_MAX_LINGER2;
		else
			xs->linger2 = val * HZ;
		break;
	case TCP_USER_TIMEOUT:
		if (val < 0)
			err = -EINVAL;
		else
			xs->user_timeout = val;
		break;
	case TCP_NOTSENT_LOWAT:
		WRITE_ONCE(xs->notsent_lowat, val);
		sk->sk_write_space(sk);
		break;
	case TCP_DEFER_ACCEPT:
		/* Seconds, kept as SYN-ACK timeouts (and read back as theirs). */
		WRITE_ONCE(xs->lq.defer_accept, xtcp_defer_secs_to_timeouts(val));
		break;
	case TCP_WINDOW_CLAMP:
		/* As TCP: 0 (no clamp) only before the connection; at least SOCK_MIN_RCVBUF / 2. */
		if (!val && sk->sk_state != XTCP_CLOSE)
			err = -EINVAL;
		else
			WRITE_ONCE(xs->window_clamp,
				   val && val < SOCK_MIN_RCVBUF / 2 ? SOCK_MIN_RCVBUF / 2 : val);
		break;
	case TCP_MAXSEG:
		if (val && (val < XTCP_MIN_MSS || val > XTCP_MAX_USER_MSS))
			err = -EINVAL;
		else
			xs->user_mss = val;
		break;
	case TCP_KEEPIDLE:
		if (val < 1 || val > XTCP_MAX_KEEPIDLE) {
			err = -EINVAL;
			break;
		}
		xs->keepidle = val * HZ;
		if (sock_flag(sk, SOCK_KEEPOPEN) &&
		    !((1 << sk->sk_state) & (XTCPF_CLOSE | XTCPF_LISTEN))) {
			unsigned long idle = jiffies - xs->rcv_tstamp;

			sk_reset_timer(sk, &sk->sk_timer, jiffies +
				       (idle < (unsigned long)xs->keepidle ?
					xs->keepidle - idle : 0));
		}
		break;
	case TCP_KEEPINTVL:
		if (val < 1 || val > XTCP_MAX_KEEPINTVL)
			err = -EINVAL;
		else
			xs->keepintvl = val * HZ;
		break;
	case TCP_KEEPCNT:
		if (val < 1 || val > XTCP_MAX_KEEPCNT)
			err = -EINVAL;
		else
			xs->keepcnt = val;
		break;
	default:
		err = -ENOPROTOOPT;
	}
	release_sock(sk);
	return err;
}

/* TCP_INFO, from XTCP's state; what XTCP does not keep is 0. */
static void xtcp_get_info(struct sock *sk, struct tcp_info *info)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 now = jiffies;
	struct dst_entry *dst;
	unsigned long rate;

	memset(info, 0, sizeof(*info));
	info->tcpi_state = sk->sk_state;
	if (sk->sk_state == XTCP_LISTEN) {
		/* As TCP: the accept queue's length and its limit. */
		info->tcpi_unacked = READ_ONCE(sk->sk_ack_backlog);
		info->tcpi_sacked = READ_ONCE(sk->sk_max_ack_backlog);
	}
	info->tcpi_ca_state = xtcp_ca_state(xs);
	info->tcpi_retransmits = xs->retransmits;
	info->tcpi_probes = xs->ka_probes;
	info->tcpi_backoff = xs->rtt.backoff;
	info->tcpi_rto = xtcp_rtt_timeout(&xs->rtt);
	info->tcpi_ato = jiffies_to_usecs(XTCP_DELACK_MAX);
	info->tcpi_snd_mss = xs->mss;
	info->tcpi_rcv_mss = xs->rcv_tune.rcv_mss ?: xs->advmss;
	info->tcpi_advmss = xs->advmss;
	info->tcpi_rtt = xs->rtt.srtt_us;
	info->tcpi_rttvar = xs->rtt.rttvar_us;
	info->tcpi_snd_ssthresh = xs->cwnd.ca.ssthresh;
	info->tcpi_snd_cwnd = xs->cwnd.ca.cwnd;
	/* In SYN_SENT the flags say what is offered, not agreed yet. */
	if (xs->ts_ok && sk->sk_state != XTCP_SYN_SENT)
		info->tcpi_options |= TCPI_OPT_TIMESTAMPS;
	if (xs->wscale_ok && sk->sk_state != XTCP_SYN_SENT) {
		info->tcpi_options |= TCPI_OPT_WSCALE;
		info->tcpi_snd_wscale = xs->snd_wscale;
		info->tcpi_rcv_wscale = xs->rcv_wscale;
	}
	if (xs->sack_ok && sk->sk_state != XTCP_SYN_SENT)
		info->tcpi_options |= TCPI_OPT_SACK;
	if (xs->ecn & XTCP_ECN_OK)
		info->tcpi_options |= TCPI_OPT_ECN;
	if (xs->ecn & XTCP_ECN_SEEN)
		info->tcpi_options |= TCPI_OPT_ECN_SEEN;
	info->tcpi_reordering = 3;
	/* As TCP: ~0 for no limit, whatever the width of an unsigned long. */
	rate = READ_ONCE(sk->sk_pacing_rate);
	info->tcpi_pacing_rate = rate != ~0UL ? rate : ~0ULL;
	rate = READ_ONCE(sk->sk_max_pacing_rate);
	info->tcpi_max_pacing_rate = rate != ~0UL ? rate : ~0ULL;
	/* The least RTT of the last five minutes (rack.c); as TCP, ~0 before one. */
	info->tcpi_min_rtt = xs->rack.min_rtt_us ?: ~0U;
	info->tcpi_rcv_space = xs->rcv_tune.space;
	info->tcpi_rcv_rtt = xs->rcv_tune.rtt_us;
	info->tcpi_rcv_ssthresh = xs->rcv_wnd;
	info->tcpi_total_retrans = xs->total_retrans;
	info->tcpi_last_data_recv = jiffies_to_msecs(now - xs->rcv_tstamp);
	info->tcpi_snd_wnd = xs->snd_wnd;
	if (xtcp_synchronized(sk) || sk->sk_state == XTCP_CLOSE_WAIT) {
		/* Segments, not skbs: one skb may hold many (offload.c). */
		info->tcpi_unacked = xtcp_packets_in_flight(xs, xs->snd_nxt);
		/* What the peer SACKed beyond SND.UNA, in segments (sack.c). */
		info->tcpi_sacked = DIV_ROUND_UP(xs->sb.sacked,
						 xs->mss ? xs->mss : XTCP_MSS_DEFAULT);
		info->tcpi_bytes_acked = xs->snd_una - xs->iss - 1;
		info->tcpi_bytes_received = xs->rcv_nxt - xs->irs - 1;
		/* Bytes only: a FIN not sent yet is no byte. */
		info->tcpi_notsent_bytes = xs->write_seq - xs->snd_nxt;
		if (info->tcpi_notsent_bytes && xs->fin_queued)
			info->tcpi_notsent_bytes--;
	}
	info->tcpi_segs_in = xs->counts.segs_in;
	info->tcpi_segs_out = xs->counts.segs_out;
	info->tcpi_data_segs_in = xs->counts.data_segs_in;
	info->tcpi_data_segs_out = xs->counts.data_segs_out;
	info->tcpi_bytes_sent = xs->counts.bytes_sent;
	info->tcpi_bytes_retrans = xs->counts.bytes_retrans;
	info->tcpi_delivery_rate = xs->rate.rate;
	info->tcpi_busy_time = xtcp_rate_busy_us(&xs->rate, xtcp_clock_us());
	rcu_read_lock();
	dst = __sk_dst_get(sk);
	if (dst)
		info->tcpi_pmtu = dst_mtu(dst);
	rcu_read_unlock();
}

static int xtcp_getsockopt(struct socket *sock, int level, int optname,
			   char __user *optval, int __user *optlen)
{
	struct sock *sk = sock->sk;
	struct xtcp_sock *xs = xtcp_sk(sk);
	char name[XTCP_CC_NAME_MAX];
	union tcp_cc_info cc_info;
	struct tcp_info info;
	int len, val, attr;
	size_t size;

	if (level != SOL_TCP)
		return ip_getsockopt(sk, level, optname, optval, optlen);
	if (get_user(len, optlen))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;

	switch (optname) {
	case TCP_NODELAY:
		val = xs->nodelay;
		break;
	case TCP_CORK:
		val = xs->cork;
		break;
	case TCP_QUICKACK:
		val = !xs->pingpong;
		break;
	case TCP_SYNCNT:
		val = xtcp_syn_retries(sk);
		break;
	case TCP_LINGER2:
		val = xs->linger2;
		if (!val)
			val = READ_ONCE(xtcp_pernet(sock_net(sk))->sysctl.fin_timeout_ms) / 1000;
		else if (val > 0)
			val /= HZ;
		break;
	case TCP_USER_TIMEOUT:
		val = xs->user_timeout;
		break;
	case TCP_NOTSENT_LOWAT:
		val = READ_ONCE(xs->notsent_lowat);
		break;
	case TCP_DEFER_ACCEPT:
		val = xtcp_defer_timeouts_to_secs(READ_ONCE(xs->lq.defer_accept));
		break;
	case TCP_WINDOW_CLAMP:
		val = READ_ONCE(xs->window_clamp);
		break;
	case TCP_MAXSEG:
		val = xs->mss;
		if (xs->user_mss && ((1 << sk->sk_state) & (XTCPF_CLOSE | XTCPF_LISTEN)))
			val = xs->user_mss;
		break;
	case TCP_KEEPIDLE:
		val = xs->keepidle / HZ;
		break;
	case TCP_KEEPINTVL:
		val = xs->keepintvl / HZ;
		break;
	case TCP_KEEPCNT:
		val = xs->keepcnt;
		break;
	case TCP_INFO:
		lock_sock(sk);
		xtcp_get_info(sk, &info);
		release_sock(sk);
		len = min_t(unsigned int, len, sizeof(info));
		if (put_user(len, optlen))
			return -EFAULT;
		if (copy_to_user(optval, &info, len))
			return -EFAULT;
		return 0;
	case TCP_CONGESTION:
		/* The name, NUL-padded, cut to the caller's length (as TCP). */
		memset(name, 0, sizeof(name));
		lock_sock(sk);
		strscpy(name, xs->cc->name, sizeof(name));
		release_sock(sk);
		len = min_t(unsigned int, len, sizeof(name));
		if (put_user(len, optlen))
			return -EFAULT;
		if (copy_to_user(optval, name, len))
			return -EFAULT;
		return 0;
	case TCP_CC_INFO:
		/* What the controller tells of itself; nothing (0 bytes) if nothing. */
		size = 0;
		memset(&cc_info, 0, sizeof(cc_info));
		lock_sock(sk);
		if (xs->cc->get_info)
			size = xs->cc->get_info(sk, ~0U, &attr, &cc_info);
		release_sock(sk);
		len = min_t(unsigned int, len, min(size, sizeof(cc_info)));
		if (put_user(len, optlen))
			return -EFAULT;
		if (copy_to_user(optval, &cc_info, len))
			return -EFAULT;
		return 0;
	default:
		return -ENOPROTOOPT;
	}
	len = min_t(unsigned int, len, sizeof(int));
	if (put_user(len, optlen))
		return -EFAULT;
	if (copy_to_user(optval, &val, len))
		return -EFAULT;
	return 0;
}

/* Not const: .family is the module parameter, set once at load. */
static struct proto_ops xtcp_stream_ops __ro_after_init = {
	.owner		= THIS_MODULE,
	.release	= inet_release,
	.bind		= xtcp_bind,
	.connect	= xtcp_stream_connect,
	.socketpair	= sock_no_socketpair,
	.accept		= inet_accept,
	.getname	= xtcp_getname,
	.poll		= xtcp_poll,
	.ioctl		= inet_ioctl,
	.listen		= xtcp_listen,
	.shutdown	= inet_shutdown,
	.setsockopt	= xtcp_setsockopt,
	.getsockopt	= xtcp_getsockopt,
	.sendmsg	= xtcp_sendmsg,
	.recvmsg	= xtcp_recvmsg,
	.mmap		= sock_no_mmap,
	.sendpage	= sock_no_sendpage,
};

/*
 * socket(AF_XTCP, type, protocol): the checks and errno of inet_create() for a
 * family whose only protocol is TCP.
 */
static int xtcp_create(struct net *net, struct socket *sock, int protocol,
		       int kern)
{
	struct sock *sk;

	if (protocol < 0 || protocol >= IPPROTO_MAX)
		return -EINVAL;
	if (sock->type != SOCK_STREAM)
		return -ESOCKTNOSUPPORT;
	if (protocol != IPPROTO_IP && protocol != IPPROTO_TCP && protocol != IPPROTO_XTCP)
		return -EPROTONOSUPPORT;

	sk = sk_alloc(net, xtcp_family, GFP_KERNEL, &xtcp_prot, kern);
	if (!sk)
		return -ENOBUFS;
	xtcp_sock_lock_init(sk);

	sock->state = SS_UNCONNECTED;
	sock->ops = &xtcp_stream_ops;
	sock_init_data(sock, sk);
	xtcp_sock_link(sk);
	return 0;
}

static struct net_proto_family xtcp_family_ops __ro_after_init = {
	.create	= xtcp_create,
	.owner	= THIS_MODULE,
};

/**
 * xtcp_af_init() - register the address family; the last step of module init.
 *
 * Return: 0, or -EEXIST when another module holds the family number.
 */
int xtcp_af_init(void)
{
	int err;

	xtcp_stream_ops.family = xtcp_family;
	xtcp_family_ops.family = xtcp_family;
	err = sock_register(&xtcp_family_ops);
	if (err == -EEXIST)
		pr_err("address family %d is already registered by another module; load xtcp with family=N for a free N below %d\n",
		       xtcp_family, AF_MAX);
	else if (err)
		pr_err("cannot register address family %d: %d\n", xtcp_family, err);
	return err;
}

void xtcp_af_exit(void)
{
	sock_unregister(xtcp_family);
}
