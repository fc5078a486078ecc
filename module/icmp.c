// SPDX-License-Identifier: GPL-2.0
/*
 * icmp.c - ICMP errors about XTCP's segments (RFC 9293 3.9.1.4 and RFC 1122
 * 4.2.3.9, RFC 5927, RFC 1191), as the kernel's TCP takes them.
 *
 * The error quotes our IP header and the first 8 bytes of our TCP header (ports
 * and sequence number); wire.c hands it here from the LOCAL_IN hook (IP protocol
 * 6) or the protocol table's error handler (isolated=1). It counts only if the
 * quoted sequence number is one we have sent and not yet seen acknowledged (RFC
 * 5927 4.1): a blind attacker must guess it.
 *
 * - Fragmentation needed (RFC 1191): the path's MTU goes down in the route, the
 *   MSS with it, and what is in flight goes again in smaller segments.
 * - Other unreachables, time exceeded, parameter problem: during the handshake
 *   they end the open attempt with their errno (ECONNREFUSED for a port
 *   unreachable, EHOSTUNREACH...), as Linux does; on a synchronized connection
 *   they are soft errors (RFC 1122 4.2.3.9): kept in sk_err_soft and reported only
 *   if the connection times out (or at once with IP_RECVERR). A request's SYN-ACK
 *   that met a network or host unreachable, time exceeded or parameter problem
 *   ends the request.
 * - Source quench is ignored (RFC 6633).
 */
#include <linux/icmp.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <net/icmp.h>
#include <net/inet_connection_sock.h>
#include <net/sock.h>

#include "seq.h"
#include "xtcp.h"

/* The path's MTU went down to @mtu: a smaller MSS, and send again what was lost. */
static void xtcp_pmtu_reduced(struct sock *sk, u32 mtu)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct dst_entry *dst;
	struct rtable *rt;
	u16 mss;

	if (inet_sk(sk)->pmtudisc == IP_PMTUDISC_DONT)
		return;
	/* The route learns the MTU; a route it makes stale is looked up again. */
	rt = xtcp_sk_route(sk);
	if (IS_ERR(rt))
		return;
	rt->dst.ops->update_pmtu(&rt->dst, sk, NULL, mtu, true);
	rt = xtcp_sk_route(sk);
	if (IS_ERR(rt))
		return;
	dst = &rt->dst;
	mss = xs->mss;
	xtcp_clamp_mss(sk, xtcp_mss_for_mtu(dst_mtu(dst), xs->user_mss));
	if (xs->mss >= mss)
		return;
	/* What was in flight was too big for the path: it is lost. */
	if (xs->snd_una != xs->snd_nxt)
		xtcp_retransmit_head(sk);
}

/* An error for a connection: @sk is locked by us (bh_lock_sock). */
static void xtcp_icmp_sock(struct sock *sk, int type, int code, u32 info, u32 seq,
			   int err)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	bool owned = sock_owned_by_user(sk);

	if ((1 << sk->sk_state) & (XTCPF_CLOSE | XTCPF_LISTEN))
		return;
	if (!xtcp_seq_between(seq, xs->snd_una, xs->snd_nxt))
		return;
	if (type == ICMP_DEST_UNREACH && code == ICMP_FRAG_NEEDED) {
		/* A task holds the socket: its next retransmission asks again. */
		if (!owned)
			xtcp_pmtu_reduced(sk, info);
		return;
	}
	if ((1 << sk->sk_state) & (XTCPF_SYN_SENT | XTCPF_SYN_RECV)) {
		if (owned) {
			WRITE_ONCE(sk->sk_err_soft, err);
			return;
		}
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_ATTEMPT_FAILS);
		WRITE_ONCE(sk->sk_err, err);
		sk_error_report(sk);
		xtcp_done(sk);
		return;
	}
	if (!owned && inet_sk(sk)->recverr) {
		WRITE_ONCE(sk->sk_err, err);
		sk_error_report(sk);
	} else {
		WRITE_ONCE(sk->sk_err_soft, err);
	}
}

/**
 * xtcp_icmp_error() - an ICMP error quoting one of XTCP's segments.
 * @net: the namespace it arrived in.
 * @iph: the quoted IP header (of our segment: saddr is ours).
 * @th: the quoted TCP header; its first 8 bytes (ports, sequence number) only.
 * @type: the ICMP type.
 * @code: the ICMP code.
 * @info: the next-hop MTU, for fragmentation needed.
 *
 * Context: softirq, under the RCU read lock.
 */
void xtcp_icmp_error(struct net *net, const struct iphdr *iph, const struct tcphdr *th,
		     int type, int code, u32 info)
{
	u32 seq = ntohl(th->seq);
	bool req_abort;
	struct sock *sk;
	int err;

	switch (type) {
	case ICMP_DEST_UNREACH:
		if (code > NR_ICMP_UNREACH)
			return;
		err = icmp_err_convert[code].errno;
		req_abort = code == ICMP_NET_UNREACH || code == ICMP_HOST_UNREACH;
		break;
	case ICMP_TIME_EXCEEDED:
		err = EHOSTUNREACH;
		req_abort = true;
		break;
	case ICMP_PARAMETERPROB:
		err = EPROTO;
		req_abort = true;
		break;
	default:
		return;
	}

	sk = xtcp_lookup_established(net, iph->saddr, th->source, iph->daddr, th->dest);
	if (!sk) {
		if (req_abort)
			xtcp_req_icmp(net, iph->saddr, th->source, iph->daddr, th->dest, seq);
		return;
	}
	bh_lock_sock(sk);
	xtcp_icmp_sock(sk, type, code, info, seq, err);
	bh_unlock_sock(sk);
	sock_put(sk);
}
