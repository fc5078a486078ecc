// SPDX-License-Identifier: GPL-2.0
/*
 * wire.c - how XTCP's segments come in and go out.
 *
 * In: by default XTCP's segments are IP protocol 6, like TCP's. A netfilter hook
 * at LOCAL_IN, first in line, takes exactly the segments whose 4-tuple is an XTCP
 * connection or TIME_WAIT entry, or whose destination port has an XTCP listener;
 * every other segment goes on to the kernel's TCP untouched. With isolated=1 the
 * same segments travel as IP protocol 253 (RFC 3692, for experiments), delivered
 * through the IP protocol table, and the kernel's TCP never sees them. ICMP
 * errors about XTCP's segments reach icmp.c the same two ways: the hook looks at
 * every ICMP message and lets it go on; the protocol table has an error handler.
 *
 * Out: a connection's segments go through ip_queue_xmit() with the socket's route;
 * replies without a socket (RST, SYN-ACK, TIME_WAIT ACKs) through a route lookup
 * and ip_local_out() here.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/icmp.h>
#include <linux/ip.h>
#include <linux/moduleparam.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
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
 * message's IP header). It goes on to the kernel either way: the kernel's TCP
 * finds no socket for XTCP's 4-tuples and lets it be.
 */
static void xtcp_nf_icmp(struct net *net, struct sk_buff *skb)
{
	unsigned int off = ip_hdrlen(skb) + sizeof(struct icmphdr);
	const struct iphdr *inner;
	const struct icmphdr *ich;
	const struct tcphdr *th;

	if (!pskb_may_pull(skb, off + sizeof(struct iphdr)))
		return;
	inner = (const struct iphdr *)(skb->data + off);
	if (inner->protocol != IPPROTO_TCP || inner->ihl < 5 ||
	    !pskb_may_pull(skb, off + inner->ihl * 4 + 8))
		return;
	ich = (const struct icmphdr *)(skb->data + ip_hdrlen(skb));
	inner = (const struct iphdr *)(skb->data + off);
	th = (const struct tcphdr *)((const u8 *)inner + inner->ihl * 4);
	xtcp_icmp_error(net, inner, th, ich->type, ich->code, ntohs(ich->un.frag.mtu));
}

static unsigned int xtcp_nf_local_in(void *priv, struct sk_buff *skb,
				     const struct nf_hook_state *state)
{
	const struct iphdr *iph = ip_hdr(skb);
	unsigned int ihl = ip_hdrlen(skb);
	const struct tcphdr *th;
	struct xtcp_found f;

	if (skb->pkt_type != PACKET_HOST)
		return NF_ACCEPT;
	if (iph->protocol == IPPROTO_ICMP) {
		xtcp_nf_icmp(state->net, skb);
		return NF_ACCEPT;
	}
	if (iph->protocol != IPPROTO_TCP)
		return NF_ACCEPT;
	/* A header too short for us to look up is the kernel TCP's to drop. */
	if (!pskb_may_pull(skb, ihl + sizeof(struct tcphdr)))
		return NF_ACCEPT;
	iph = ip_hdr(skb);
	th = (const struct tcphdr *)(skb_network_header(skb) + ihl);
	/* Netfilter hooks run under the RCU read lock, as the lookup needs. */
	if (!xtcp_lookup_segment(state->net, iph, th, inet_iif(skb), &f))
		return NF_ACCEPT;

	__skb_pull(skb, ihl);
	skb_reset_transport_header(skb);
	xtcp_rcv_found(state->net, skb, &f);
	return NF_STOLEN;
}

static const struct nf_hook_ops xtcp_nf_ops = {
	.hook		= xtcp_nf_local_in,
	.pf		= NFPROTO_IPV4,
	.hooknum	= NF_INET_LOCAL_IN,
	.priority	= NF_IP_PRI_FIRST,
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
		err = nf_register_net_hook(net, &xtcp_nf_ops);
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
		nf_unregister_net_hook(net, &xtcp_nf_ops);
}

int xtcp_wire_init(void)
{
	int err;

	if (!xtcp_isolated)
		return 0;
	err = inet_add_protocol(&xtcp_isolated_protocol, IPPROTO_XTCP_ISOLATED);
	if (err)
		pr_err("IP protocol %d is taken: cannot load with isolated=1\n",
		       IPPROTO_XTCP_ISOLATED);
	return err;
}

void xtcp_wire_exit(void)
{
	if (!xtcp_isolated)
		return;
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
 * xtcp_ip_send() - send a segment that belongs to no socket.
 * @net: the namespace.
 * @skb: the TCP segment, its header at skb->data and its checksum set.
 * @saddr: the source address.
 * @daddr: the destination address.
 *
 * Return: 0, or a negative errno (the skb is consumed either way).
 */
int xtcp_ip_send(struct net *net, struct sk_buff *skb, __be32 saddr, __be32 daddr)
{
	struct flowi4 fl4;
	struct rtable *rt;
	struct iphdr *iph;

	rt = ip_route_output_ports(net, &fl4, NULL, daddr, saddr, 0, 0,
				   xtcp_wire_proto(), 0, 0);
	if (IS_ERR(rt)) {
		kfree_skb(skb);
		return PTR_ERR(rt);
	}
	skb_dst_set(skb, &rt->dst);

	skb_push(skb, sizeof(*iph));
	skb_reset_network_header(skb);
	iph = ip_hdr(skb);
	iph->version = 4;
	iph->ihl = sizeof(*iph) / 4;
	iph->tos = 0;
	iph->frag_off = htons(IP_DF);
	iph->ttl = ip4_dst_hoplimit(&rt->dst);
	iph->protocol = xtcp_wire_proto();
	iph->saddr = saddr;
	iph->daddr = daddr;
	ip_select_ident(net, skb, NULL);
	skb->protocol = htons(ETH_P_IP);
	memset(IPCB(skb), 0, sizeof(*IPCB(skb)));
	/* ip_local_out() fills in tot_len and the header checksum. */
	return ip_local_out(net, NULL, skb);
}
