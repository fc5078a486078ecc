// SPDX-License-Identifier: GPL-2.0
/*
 * wire.c - how XTCP's segments come in and go out, under the host's policy.
 *
 * In: by default XTCP's segments are IP protocol 6, like TCP's. A netfilter hook
 * at LOCAL_IN, first in line, claims exactly the segments whose 4-tuple is an
 * XTCP connection or TIME_WAIT entry, or whose destination port has an XTCP
 * listener; every other segment goes on to the kernel's TCP untouched. A claimed
 * segment is not delivered at once: the rest of the LOCAL_IN chain runs on it
 * first, in its order (the filter table, the LSMs' hooks, NAT, conntrack's
 * confirmation), exactly as for a segment of the kernel's TCP, and XTCP takes it
 * only if the chain lets it through (xtcp_nf_deliver() is the chain's okfn, as
 * ip_local_deliver_finish() is TCP's). Where no hook follows ours, it is taken
 * at once, with the socket the lookup found. At delivery the socket's own
 * policy applies as in tcp_v4_rcv() (input.c): IPsec policy, IP_MINTTL, socket
 * filters with cgroup BPF ingress and the LSM's sock_rcv_skb.
 *
 * With isolated=1 the same segments travel as IP protocol 253 (RFC 3692, for
 * experiments), delivered through the IP protocol table after the whole of
 * LOCAL_IN, and the kernel's TCP never sees them.
 *
 * ICMP errors about XTCP's segments reach icmp.c from a second hook, last in
 * LOCAL_IN (after the filter), once the ICMP checksum is right; they go on to
 * the kernel either way. With isolated=1 the protocol table's error handler
 * hands them over, after icmp_rcv() checked them.
 *
 * Out: XTCP builds the IP header itself (xtcp_queue_xmit()): its sockets' own
 * protocol is IPPROTO_XTCP, never IPPROTO_TCP, so that nothing that takes a
 * socket of protocol 6 for a tcp_sock (BPF's bpf_skc_to_tcp_sock() and
 * bpf_tcp_sock(), sockmap) can be handed one, while the wire still says 6.
 * Every segment of a socket is owned by it (skb->sk) through LOCAL_OUT and
 * POSTROUTING, so cgroup BPF egress, the owner and cgroup matches of the filter
 * and the socket's mark and priority apply; a SYN-ACK is owned by its listener.
 * RSTs and TIME_WAIT ACKs belong to no socket, as the kernel's TCP's own.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/icmp.h>
#include <linux/ip.h>
#include <linux/moduleparam.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <net/inet_common.h>
#include <net/inet_ecn.h>
#include <net/ip.h>
#include <net/protocol.h>
#include <net/route.h>

#include "xtcp.h"

static bool xtcp_isolated;
module_param_named(isolated, xtcp_isolated, bool, 0444);
MODULE_PARM_DESC(isolated,
		 "send and receive XTCP segments as IP protocol 253 instead of 6 (default 0)");

/* The IP protocol number XTCP's segments travel as. */
u8 xtcp_wire_proto(void)
{
	return xtcp_isolated ? IPPROTO_XTCP_ISOLATED : IPPROTO_TCP;
}

/*
 * An ICMP error that may quote one of XTCP's segments (skb->data at the ICMP
 * message's IP header), checked as icmp_rcv() checks it: a message whose
 * checksum is wrong is nobody's.
 */
static void xtcp_nf_icmp(struct net *net, struct sk_buff *skb)
{
	unsigned int ihl = ip_hdrlen(skb), off = ihl + sizeof(struct icmphdr);
	const struct iphdr *inner;
	const struct icmphdr *ich;
	const struct tcphdr *th;

	if (!pskb_may_pull(skb, off + sizeof(struct iphdr)))
		return;
	inner = (const struct iphdr *)(skb->data + off);
	if (inner->protocol != IPPROTO_TCP || inner->ihl < 5 ||
	    !pskb_may_pull(skb, off + inner->ihl * 4 + 8))
		return;
	if (csum_fold(skb_checksum(skb, ihl, skb->len - ihl, 0)))
		return;
	ich = (const struct icmphdr *)(skb->data + ihl);
	inner = (const struct iphdr *)(skb->data + off);
	th = (const struct tcphdr *)((const u8 *)inner + inner->ihl * 4);
	xtcp_icmp_error(net, inner, th, ich->type, ich->code, ntohs(ich->un.frag.mtu));
}

static const struct nf_hook_ops xtcp_nf_ops[];

/*
 * The index after our LOCAL_IN hook in @net's chain, or 0 when no hook
 * follows it (the chain may have changed since it called us: we look).
 */
static unsigned int xtcp_nf_next(struct net *net, const struct nf_hook_entries **ep)
{
	const struct nf_hook_entries *e;
	struct nf_hook_ops **ops;
	unsigned int i, j;

	e = rcu_dereference(net->nf.hooks_ipv4[NF_INET_LOCAL_IN]);
	if (!e)
		return 0;
	ops = nf_hook_entries_get_hook_ops(e);
	for (i = 0; i < e->num_hook_entries; i++)
		if (ops[i] == &xtcp_nf_ops[0])
			break;
	/* Our own ICMP hook asks nothing of a TCP segment. */
	for (j = i + 1; j < e->num_hook_entries; j++)
		if (ops[j] != &xtcp_nf_ops[1])
			break;
	*ep = e;
	return j < e->num_hook_entries ? i + 1 : 0;
}

/*
 * The LOCAL_IN chain's okfn for XTCP's segments: what every hook let through.
 * skb->data is at the IP header. Called from the chain (softirq) or, for a
 * segment a hook queued (NFQUEUE), when it comes back, with bottom halves off.
 */
static int xtcp_nf_deliver(struct net *net, struct sock *sk, struct sk_buff *skb)
{
	__skb_pull(skb, skb_network_header_len(skb));
	skb_reset_transport_header(skb);
	xtcp_rcv(net, skb);
	return 0;
}

static unsigned int xtcp_nf_local_in(void *priv, struct sk_buff *skb,
				     const struct nf_hook_state *state)
{
	const struct nf_hook_entries *e = NULL;
	const struct iphdr *iph = ip_hdr(skb);
	unsigned int ihl = ip_hdrlen(skb), next;
	struct nf_hook_state st;
	const struct tcphdr *th;
	struct xtcp_found f;

	if (skb->pkt_type != PACKET_HOST || iph->protocol != IPPROTO_TCP)
		return NF_ACCEPT;
	/* A header too short for us to look up is the kernel TCP's to drop. */
	if (!pskb_may_pull(skb, ihl + sizeof(struct tcphdr)))
		return NF_ACCEPT;
	iph = ip_hdr(skb);
	th = (const struct tcphdr *)(skb_network_header(skb) + ihl);
	/* Netfilter hooks run under the RCU read lock, as the lookup needs. */
	if (!xtcp_lookup_segment(state->net, iph, th, inet_iif(skb), &f))
		return NF_ACCEPT;

	next = xtcp_nf_next(state->net, &e);
	if (!next) {
		/* Ours is the last hook: nothing else to ask. */
		__skb_pull(skb, ihl);
		skb_reset_transport_header(skb);
		xtcp_rcv_found(state->net, skb, &f);
		return NF_STOLEN;
	}
	/* The rest of the chain decides first; delivery looks the segment up again. */
	if (f.sk)
		sock_put(f.sk);
	st = *state;
	st.okfn = xtcp_nf_deliver;
	if (nf_hook_slow(skb, &st, e, next) == 1)
		xtcp_nf_deliver(st.net, st.sk, skb);
	return NF_STOLEN;
}

/* Last in LOCAL_IN: an ICMP error the filter let through may be about XTCP. */
static unsigned int xtcp_nf_icmp_in(void *priv, struct sk_buff *skb,
				    const struct nf_hook_state *state)
{
	if (skb->pkt_type == PACKET_HOST && ip_hdr(skb)->protocol == IPPROTO_ICMP)
		xtcp_nf_icmp(state->net, skb);
	return NF_ACCEPT;
}

static const struct nf_hook_ops xtcp_nf_ops[] = {
	{
		.hook		= xtcp_nf_local_in,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_LOCAL_IN,
		.priority	= NF_IP_PRI_FIRST,
	},
	{
		.hook		= xtcp_nf_icmp_in,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_LOCAL_IN,
		.priority	= NF_IP_PRI_LAST,
	},
};

/*
 * Does the wire of @net still lead to XTCP? The isolated wire's handler is the
 * same for every namespace and runs until the module goes: a namespace on its
 * way out is cut off in .pre_exit, before its tables go in .exit (the namespace
 * core waits for RCU readers, every softirq receive path, in between).
 */
static bool xtcp_wire_live(struct net *net)
{
	return READ_ONCE(xtcp_pernet(net)->wire_live);
}

/* The isolated wire: IP hands us the segment, its data at the TCP header. */
static int xtcp_isolated_rcv(struct sk_buff *skb)
{
	struct net *net = dev_net(skb->dev);

	if (skb->pkt_type != PACKET_HOST || !xtcp_wire_live(net)) {
		kfree_skb(skb);
		return 0;
	}
	xtcp_rcv(net, skb);
	return 0;
}

/* An ICMP error quoting an isolated segment: skb->data at the quoted IP header. */
static int xtcp_isolated_err(struct sk_buff *skb, u32 info)
{
	const struct iphdr *iph = (const struct iphdr *)skb->data;
	const struct tcphdr *th = (const struct tcphdr *)(skb->data + iph->ihl * 4);
	struct net *net = dev_net(skb->dev);

	if (xtcp_wire_live(net))
		xtcp_icmp_error(net, iph, th, icmp_hdr(skb)->type, icmp_hdr(skb)->code, info);
	return 0;
}

static const struct net_protocol xtcp_isolated_protocol = {
	.handler	= xtcp_isolated_rcv,
	.err_handler	= xtcp_isolated_err,
	.no_policy	= 1,
};

int xtcp_wire_init_net(struct net *net)
{
	int err = 0;

	if (!xtcp_isolated)
		err = nf_register_net_hooks(net, xtcp_nf_ops, ARRAY_SIZE(xtcp_nf_ops));
	if (!err)
		WRITE_ONCE(xtcp_pernet(net)->wire_live, true);
	return err;
}

/**
 * xtcp_wire_exit_net() - no segment reaches XTCP in @net from now on.
 * @net: the namespace, on its way out (pernet .pre_exit).
 *
 * A CPU may still be in the hook or the isolated handler: neither waits here.
 * The namespace core waits for them (synchronize_rcu()) before .exit frees the
 * tables they use.
 */
void xtcp_wire_exit_net(struct net *net)
{
	WRITE_ONCE(xtcp_pernet(net)->wire_live, false);
	if (!xtcp_isolated)
		nf_unregister_net_hooks(net, xtcp_nf_ops, ARRAY_SIZE(xtcp_nf_ops));
}

int xtcp_wire_init(void)
{
	int err;

	if (!xtcp_isolated)
		return 0;
	err = inet_add_protocol(&xtcp_isolated_protocol, IPPROTO_XTCP_ISOLATED);
	if (err) {
		pr_err("IP protocol %d is taken: cannot load with isolated=1\n",
		       IPPROTO_XTCP_ISOLATED);
		return err;
	}
	err = xtcp_offload_init();
	if (err) {
		pr_err("IP protocol %d has an offload handler: cannot load with isolated=1\n",
		       IPPROTO_XTCP_ISOLATED);
		inet_del_protocol(&xtcp_isolated_protocol, IPPROTO_XTCP_ISOLATED);
		synchronize_net();
	}
	return err;
}

void xtcp_wire_exit(void)
{
	if (!xtcp_isolated)
		return;
	xtcp_offload_exit();
	inet_del_protocol(&xtcp_isolated_protocol, IPPROTO_XTCP_ISOLATED);
	/* Wait for handlers still running on other CPUs. */
	synchronize_net();
}

/**
 * xtcp_route_mtu() - the MTU of the route to @daddr from @saddr.
 * @net: the namespace.
 * @saddr: our address.
 * @daddr: the peer's.
 *
 * Return: the MTU; 576 (the minimum an IPv4 host must accept) without a route.
 */
unsigned int xtcp_route_mtu(struct net *net, __be32 saddr, __be32 daddr)
{
	struct flowi4 fl4;
	struct rtable *rt;
	unsigned int mtu;

	rt = ip_route_output_ports(net, &fl4, NULL, daddr, saddr, 0, 0,
				   xtcp_wire_proto(), 0, 0);
	if (IS_ERR(rt))
		return 576;
	mtu = dst_mtu(&rt->dst);
	ip_rt_put(rt);
	return mtu;
}

/**
 * xtcp_ctl_route() - the route of a segment that belongs to no socket.
 * @net: the namespace.
 * @saddr: our address.
 * @daddr: the peer's.
 *
 * Return: the route (a reference), or an ERR_PTR: such a segment is not sent.
 */
struct rtable *xtcp_ctl_route(struct net *net, __be32 saddr, __be32 daddr)
{
	struct flowi4 fl4;

	return ip_route_output_ports(net, &fl4, NULL, daddr, saddr, 0, 0,
				     xtcp_wire_proto(), 0, 0);
}

/**
 * xtcp_ip_send() - send a routed segment that belongs to no connection.
 * @net: the namespace.
 * @owner: the socket it is sent for (a listener's SYN-ACK), or NULL.
 * @skb: the TCP segment, its header at skb->data and its checksum set.
 * @rt: its route, from xtcp_ctl_route(); the reference is taken over.
 * @saddr: the source address.
 * @daddr: the destination address.
 *
 * Return: what ip_local_out() returns (the skb is consumed either way).
 */
int xtcp_ip_send(struct net *net, struct sock *owner, struct sk_buff *skb,
		 struct rtable *rt, __be32 saddr, __be32 daddr)
{
	struct iphdr *iph;

	skb_dst_set(skb, &rt->dst);
	skb_push(skb, sizeof(*iph));
	skb_reset_network_header(skb);
	iph = ip_hdr(skb);
	iph->version = 4;
	iph->ihl = sizeof(*iph) / 4;
	iph->tos = owner ? inet_sk(owner)->tos : 0;
	iph->frag_off = htons(IP_DF);
	iph->ttl = ip4_dst_hoplimit(&rt->dst);
	iph->protocol = xtcp_wire_proto();
	iph->saddr = saddr;
	iph->daddr = daddr;
	ip_select_ident(net, skb, NULL);
	skb->protocol = htons(ETH_P_IP);
	memset(IPCB(skb), 0, sizeof(*IPCB(skb)));
	if (owner) {
		/* Its listener's: cgroup egress, owner matches, mark and priority. */
		skb_set_owner_w(skb, owner);
		skb->mark = READ_ONCE(owner->sk_mark);
		skb->priority = READ_ONCE(owner->sk_priority);
	}
	/* ip_local_out() fills in tot_len and the header checksum. */
	return ip_local_out(net, owner, skb);
}

/**
 * xtcp_sk_route() - a connection's route: the cached one if still valid, else a
 * new lookup for its 4-tuple (a source route's first hop if IP_OPTIONS has one).
 * @sk: the socket, locked.
 *
 * Context: under the RCU read lock (for inet_opt).
 * Return: the route (the socket's cache holds it), or an ERR_PTR.
 */
struct rtable *xtcp_sk_route(struct sock *sk)
{
	struct inet_sock *inet = inet_sk(sk);
	struct flowi4 *fl4 = &inet->cork.fl.u.ip4;
	const struct ip_options_rcu *opt;
	struct rtable *rt;
	__be32 daddr;

	rt = (struct rtable *)__sk_dst_check(sk, 0);
	if (rt)
		return rt;
	opt = rcu_dereference(inet->inet_opt);
	daddr = opt && opt->opt.srr ? opt->opt.faddr : inet->inet_daddr;
	rt = ip_route_output_ports(sock_net(sk), fl4, sk, daddr, inet->inet_saddr,
				   inet->inet_dport, inet->inet_sport, xtcp_wire_proto(),
				   RT_CONN_FLAGS(sk), sk->sk_bound_dev_if);
	if (!IS_ERR(rt))
		xtcp_setup_caps(sk, &rt->dst);
	return rt;
}

/*
 * The socket's IP options (RFC 791) into the header just pushed: the options
 * as set, with the final destination of a source route, and our address and
 * the time where record route or timestamp options ask for them.
 */
static void xtcp_ip_options_build(struct sk_buff *skb, const struct ip_options *opt,
				  __be32 daddr)
{
	u8 *p = skb_network_header(skb);
	__be32 ours = ip_hdr(skb)->saddr, now;
	struct ip_options *o = &IPCB(skb)->opt;

	*o = *opt;
	memcpy(p + sizeof(struct iphdr), opt->__data, opt->optlen);
	/* Each option's pointer (its third byte, one-based) is where the next slot is. */
	if (o->srr)
		memcpy(p + o->srr + p[o->srr + 1] - 4, &daddr, sizeof(daddr));
	if (o->rr_needaddr)
		memcpy(p + o->rr + p[o->rr + 2] - 5, &ours, sizeof(ours));
	if (o->ts_needaddr)
		memcpy(p + o->ts + p[o->ts + 2] - 9, &ours, sizeof(ours));
	if (o->ts_needtime) {
		now = inet_current_timestamp();
		memcpy(p + o->ts + p[o->ts + 2] - 5, &now, sizeof(now));
	}
}

/**
 * xtcp_queue_xmit() - send a connection's segment: the IP header (and the
 * socket's IP options) on the socket's route, the segment owned by the socket.
 * @sk: the socket, locked.
 * @skb: the segment, its TCP header at skb->data and its checksum set.
 * @ect: its IP header says ECT(0) (ECN, ecn.c); else Not-ECT.
 *
 * As ip_queue_xmit() does for TCP, but with XTCP's wire protocol in the header
 * (the socket's own protocol is IPPROTO_XTCP).
 *
 * Return: 0 or what ip_local_out() returns; -EHOSTUNREACH without a route (the
 * skb is consumed either way; the retransmission timer tries again).
 */
int xtcp_queue_xmit(struct sock *sk, struct sk_buff *skb, bool ect)
{
	struct inet_sock *inet = inet_sk(sk);
	const struct ip_options_rcu *opt;
	struct net *net = sock_net(sk);
	unsigned int optlen;
	struct rtable *rt;
	struct iphdr *iph;
	int err;

	rcu_read_lock();
	rt = xtcp_sk_route(sk);
	if (IS_ERR(rt))
		goto no_route;
	opt = rcu_dereference(inet->inet_opt);
	optlen = opt ? opt->opt.optlen : 0;
	if (opt && opt->opt.is_strictroute && rt->rt_uses_gateway)
		goto no_route;
	skb_dst_set_noref(skb, &rt->dst);
	/* Charged to the socket until it leaves; TCP small queues watch (offload.c). */
	skb_set_owner_w(skb, sk);
	skb->destructor = xtcp_wfree;

	skb_push(skb, sizeof(*iph) + optlen);
	skb_reset_network_header(skb);
	iph = ip_hdr(skb);
	iph->version = 4;
	iph->ihl = (sizeof(*iph) + optlen) / 4;
	/* IP_TOS leaves the ECN field to the transport, as for TCP (ip_setsockopt()). */
	iph->tos = (inet->tos & ~INET_ECN_MASK) | (ect ? INET_ECN_ECT_0 : INET_ECN_NOT_ECT);
	iph->frag_off = ip_dont_fragment(sk, &rt->dst) && !skb->ignore_df ? htons(IP_DF) : 0;
	iph->ttl = inet->uc_ttl < 0 ? ip4_dst_hoplimit(&rt->dst) : inet->uc_ttl;
	iph->protocol = xtcp_wire_proto();
	iph->saddr = inet->cork.fl.u.ip4.saddr;
	iph->daddr = inet->cork.fl.u.ip4.daddr;
	if (optlen)
		xtcp_ip_options_build(skb, &opt->opt, inet->inet_daddr);
	/* A GSO packet's segments each take an ID of their own. */
	ip_select_ident_segs(net, skb, sk, skb_shinfo(skb)->gso_segs ?: 1);
	skb->protocol = htons(ETH_P_IP);
	skb->priority = READ_ONCE(sk->sk_priority);
	skb->mark = READ_ONCE(sk->sk_mark);
	err = ip_local_out(net, sk, skb);
	rcu_read_unlock();
	return err;

no_route:
	rcu_read_unlock();
	IP_INC_STATS(net, IPSTATS_MIB_OUTNOROUTES);
	kfree_skb(skb);
	return -EHOSTUNREACH;
}
