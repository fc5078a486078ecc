// SPDX-License-Identifier: GPL-2.0
/*
 * af_xtcp.c - the AF_XTCP address family: socket creation and the socket calls.
 *
 * XTCP speaks TCP to the application: SOCK_STREAM only, protocol 0 or IPPROTO_TCP,
 * struct sockaddr_in addresses, and the errno the kernel's TCP gives for everything
 * else.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/in.h>
#include <linux/net.h>
#include <linux/socket.h>
#include <net/sock.h>

#include "xtcp.h"

static int xtcp_release(struct socket *sock)
{
	struct sock *sk = sock->sk;

	if (!sk)
		return 0;

	lock_sock(sk);
	sk->sk_shutdown = SHUTDOWN_MASK;
	xtcp_set_state(sk, XTCP_CLOSE);
	sock_orphan(sk);
	release_sock(sk);

	sock->sk = NULL;
	sock_put(sk);
	return 0;
}

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

/*
 * Options at SOL_TCP (and IP-level ones) arrive with the connection lifecycle; until
 * then every one is unknown, which TCP reports as ENOPROTOOPT. SOL_SOCKET options
 * never get here: the socket layer handles them.
 */
static int xtcp_setsockopt(struct socket *sock, int level, int optname,
			   sockptr_t optval, unsigned int optlen)
{
	return -ENOPROTOOPT;
}

static int xtcp_getsockopt(struct socket *sock, int level, int optname,
			   char __user *optval, int __user *optlen)
{
	return -ENOPROTOOPT;
}

/* Not const: .family is the module parameter, set once at load. */
static struct proto_ops xtcp_stream_ops __ro_after_init = {
	.owner		= THIS_MODULE,
	.release	= xtcp_release,
	.bind		= sock_no_bind,
	.connect	= sock_no_connect,
	.socketpair	= sock_no_socketpair,
	.accept		= sock_no_accept,
	.getname	= xtcp_getname,
	.ioctl		= sock_no_ioctl,
	.listen		= sock_no_listen,
	.shutdown	= sock_no_shutdown,
	.setsockopt	= xtcp_setsockopt,
	.getsockopt	= xtcp_getsockopt,
	.sendmsg	= sock_no_sendmsg,
	.recvmsg	= sock_no_recvmsg,
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
	if (protocol != IPPROTO_IP && protocol != IPPROTO_TCP)
		return -EPROTONOSUPPORT;

	sk = sk_alloc(net, xtcp_family, GFP_KERNEL, &xtcp_prot, kern);
	if (!sk)
		return -ENOBUFS;

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
