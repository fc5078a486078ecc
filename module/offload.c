// SPDX-License-Identifier: GPL-2.0
/*
 * offload.c - how XTCP's data leaves as few, large skbs: segmentation offload.
 *
 * The write queue holds super-segments: skbs of up to xtcp_size_goal() bytes,
 * whole MSSes, their data in page fragments. One goes down the IP stack as a
 * GSO packet (gso_size = MSS, CHECKSUM_PARTIAL) and is cut into MSS-sized
 * segments as late as possible: by the NIC (TSO), by the kernel's GSO before
 * a device that cannot, or not at all on the way to a local namespace (veth and
 * loopback pass it whole, and the receiver takes it as the segments it holds).
 *
 * On the wire of IP protocol 6 the kernel's TCP offload does the cutting: the
 * packets are TCP's, SKB_GSO_TCPV4. On the isolated wire (protocol 253) no
 * hardware knows the protocol, so its GSO packets are marked SKB_GSO_DODGY as
 * well, which no device but a software one that re-validates takes whole: the
 * kernel cuts them in software before the device, with xtcp_gso_segment(), the
 * offload handler this file registers for protocol 253.
 *
 * How large: as much as the route's GSO limits and a 16-bit IP length allow,
 * no more than half the largest window the peer offered (a window of two such
 * skbs then still flows), and no more than about a millisecond of data at the
 * rate the congestion window and RTT allow (as TCP's TSO autosizing), so that
 * a slow flow still sends its segments spread over the RTT, not in bursts.
 */
#include <linux/ip.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/protocol.h>
#include <net/sock.h>

#include "xtcp.h"

/* Room for the largest IP and TCP headers in a 16-bit IP total length. */
#define XTCP_GSO_MAX_PAYLOAD	(65535U - 60U - 60U)
/* At least this many segments per skb, however slow the flow (TCP's min_tso_segs). */
#define XTCP_GSO_MIN_SEGS	2U

/**
 * xtcp_gso_goal() - the bytes a write-queue skb may hold (and one transmission
 * carry), a multiple of @mss.
 * @mss: the sending MSS.
 * @gso_max_size: the route's GSO limit in bytes; 0 when it takes no GSO.
 * @gso_max_segs: the route's limit in segments.
 * @max_window: the largest window the peer has offered; 0 for none yet.
 * @rate: what the flow can send, bytes per second; 0 when not known.
 *
 * Return: at least @mss.
 */
u32 xtcp_gso_goal(u32 mss, u32 gso_max_size, u32 gso_max_segs, u32 max_window, u64 rate)
{
	u32 bytes, segs;

	if (!mss)
		return 0;
	if (!gso_max_size || gso_max_segs < 2)
		return mss;
	bytes = min(gso_max_size, XTCP_GSO_MAX_PAYLOAD);
	/* Half the window: a window of two skbs then still keeps data moving. */
	if (max_window > 2 * mss)
		bytes = min(bytes, max_window / 2);
	/* About 1 ms of data (2^-10 s) at the flow's rate. */
	if (rate)
		bytes = min_t(u64, bytes, max_t(u64, rate >> 10, XTCP_GSO_MIN_SEGS * mss));
	segs = min(bytes / mss, gso_max_segs);
	return max(segs, 1U) * mss;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_gso_goal);

/**
 * xtcp_setup_caps() - take a new route for @sk, and what its device offers.
 * @sk: the socket, locked.
 * @dst: the route; its reference goes to the socket.
 *
 * sk_setup_caps() gives GSO only to a device that does TSO itself (and to the
 * kernel's own TCP sockets); TCP's data is GSO whatever the device, cut in
 * software before one that cannot, and so is XTCP's: the same limits then,
 * the device's own. Not through IPsec without its offload (the transform
 * needs each segment), nor where GSO is switched off for the socket.
 */
void xtcp_setup_caps(struct sock *sk, struct dst_entry *dst)
{
	sk_setup_caps(sk, dst);
	if (sk_can_gso(sk) || sk->sk_gso_disabled || dst->header_len)
		return;
	sk->sk_route_caps |= NETIF_F_GSO_SOFTWARE | NETIF_F_SG | NETIF_F_HW_CSUM;
	sk->sk_gso_max_size = min_t(u32, READ_ONCE(dst->dev->gso_max_size),
				    GSO_LEGACY_MAX_SIZE) - (XTCP_SKB_HEADROOM + 1);
	sk->sk_gso_max_segs = max_t(u32, READ_ONCE(dst->dev->gso_max_segs), 1);
}

/**
 * xtcp_flow_rate() - what a flow can send: a congestion window per smoothed
 * RTT, doubled in slow start (where the window doubles per RTT), as TCP paces.
 * @cwnd: the congestion window, in segments.
 * @ssthresh: the slow-start threshold, in segments.
 * @mss: the sending MSS.
 * @srtt_us: the smoothed RTT in microseconds; 0 before the first sample.
 *
 * Return: bytes per second; 0 when not known (no RTT sample yet).
 */
u64 xtcp_flow_rate(u32 cwnd, u32 ssthresh, u32 mss, u32 srtt_us)
{
	u64 rate;

	if (!srtt_us)
		return 0;
	rate = div_u64((u64)cwnd * mss * USEC_PER_SEC, srtt_us);
	return cwnd < ssthresh ? rate * 2 : rate;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_flow_rate);

/* The flow's rate, not above its pacing rate (SO_MAX_PACING_RATE: pacing.c). */
static u64 xtcp_sk_rate(const struct xtcp_sock *xs)
{
	u64 rate = xtcp_flow_rate(xs->cwnd.ca.cwnd, xs->cwnd.ca.ssthresh,
				  xs->mss ? xs->mss : XTCP_MSS_DEFAULT, xs->rtt.srtt_us);
	unsigned long pacing = READ_ONCE(xs->inet.sk.sk_pacing_rate);

	if (pacing == ~0UL)
		return rate;
	/* A pacing rate of 0 is no rate known, as before the first RTT sample. */
	return rate ? min_t(u64, rate, pacing) : pacing;
}

/**
 * xtcp_size_goal() - the bytes a write-queue skb of @sk may hold now.
 * @sk: the socket, locked.
 *
 * At the flow's rate (xtcp_flow_rate()). A socket with no route yet (an
 * accepted one) looks its route up first.
 *
 * Return: a multiple of the MSS, at least one.
 */
u32 xtcp_size_goal(struct sock *sk)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);
	u32 mss = xs->mss ? xs->mss : XTCP_MSS_DEFAULT;

	/* An accepted socket has sent nothing yet: what its route allows. */
	if (!__sk_dst_get(sk)) {
		rcu_read_lock();
		xtcp_sk_route(sk);
		rcu_read_unlock();
	}
	if (!sk_can_gso(sk))
		return mss;
	return xtcp_gso_goal(mss, sk->sk_gso_max_size, sk->sk_gso_max_segs, xs->max_window,
			     xtcp_sk_rate(xs));
}

/**
 * xtcp_gso_set() - mark @skb as the segments of @payload bytes it carries.
 * @skb: the skb to send, its shared info its own (not shared with a clone in
 *	flight whose fields would change).
 * @payload: its data bytes.
 * @mss: the sending MSS.
 *
 * More than one MSS makes it a GSO packet of protocol 6's type, or of the
 * isolated wire's (which no hardware may cut); one MSS or less, a plain one.
 */
void xtcp_gso_set(struct sk_buff *skb, unsigned int payload, u32 mss)
{
	struct skb_shared_info *si = skb_shinfo(skb);

	if (payload <= mss || !mss) {
		si->gso_size = 0;
		si->gso_segs = 0;
		si->gso_type = 0;
		return;
	}
	si->gso_size = mss;
	si->gso_segs = DIV_ROUND_UP(payload, mss);
	si->gso_type = SKB_GSO_TCPV4;
	if (xtcp_wire_proto() != IPPROTO_TCP)
		si->gso_type |= SKB_GSO_DODGY;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_gso_set);

/**
 * xtcp_gso_wanted() - would xtcp_gso_set() change @skb's shared info?
 * @skb: the skb.
 * @payload: its data bytes.
 * @mss: the sending MSS.
 *
 * Return: true if it would.
 */
bool xtcp_gso_wanted(const struct sk_buff *skb, unsigned int payload, u32 mss)
{
	const struct skb_shared_info *si = skb_shinfo(skb);

	if (payload <= mss || !mss)
		return si->gso_size || si->gso_segs || si->gso_type;
	return si->gso_size != mss || si->gso_segs != DIV_ROUND_UP(payload, mss);
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_gso_wanted);

/**
 * xtcp_trim_head() - drop the first @len bytes of a write-queue skb's data.
 * @skb: the skb; a clone of it may still be below us.
 * @len: at most its length (more is refused: -EINVAL).
 *
 * A clone shares the fragment array: @skb gets its own first. The pages of
 * fragments wholly dropped are released; the memory charged for @skb stays
 * charged until it is freed.
 *
 * Return: 0, or -ENOMEM (nothing changed).
 */
int xtcp_trim_head(struct sk_buff *skb, u32 len)
{
	struct skb_shared_info *si;
	unsigned int head, i, k;

	if (len > skb->len)
		return -EINVAL;
	if (skb_unclone(skb, GFP_ATOMIC))
		return -ENOMEM;
	head = min_t(u32, len, skb_headlen(skb));
	__skb_pull(skb, head);
	len -= head;
	if (!len)
		return 0;
	si = skb_shinfo(skb);
	for (i = 0, k = 0; i < si->nr_frags; i++) {
		skb_frag_t *frag = &si->frags[i];
		u32 size = skb_frag_size(frag);

		if (len >= size) {
			/* Wholly acknowledged: the page goes back. */
			len -= size;
			skb_frag_unref(skb, i);
			skb->len -= size;
			skb->data_len -= size;
			continue;
		}
		if (len) {
			skb_frag_off_add(frag, len);
			skb_frag_size_sub(frag, len);
			skb->len -= len;
			skb->data_len -= len;
			len = 0;
		}
		si->frags[k++] = *frag;
	}
	si->nr_frags = k;
	return 0;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_trim_head);

/*
 * One segment's TCP header after skb_segment(): its sequence number, the flags
 * that belong to the first (CWR) or the last (FIN, PSH) segment only, and the
 * checksum: the pseudo-header's sum for a device that completes it, else all
 * of it, from the payload's sum skb_segment() left in SKB_GSO_CB().
 */
static void xtcp_gso_fix(struct sk_buff *seg, u32 seq, bool first, bool last)
{
	struct tcphdr *th = tcp_hdr(seg);
	const struct iphdr *iph = ip_hdr(seg);
	unsigned int len = seg->len - skb_transport_offset(seg);
	__wsum csum;

	th->seq = htonl(seq);
	if (!first)
		th->cwr = 0;
	if (!last) {
		th->fin = 0;
		th->psh = 0;
	}
	th->check = 0;
	if (seg->ip_summed == CHECKSUM_PARTIAL) {
		th->check = ~csum_tcpudp_magic(iph->saddr, iph->daddr, len, IPPROTO_TCP, 0);
		seg->csum_start = skb_transport_header(seg) - seg->head;
		seg->csum_offset = offsetof(struct tcphdr, check);
		return;
	}
	csum = csum_partial(th, th->doff * 4, SKB_GSO_CB(seg)->csum);
	th->check = csum_tcpudp_magic(iph->saddr, iph->daddr, len, IPPROTO_TCP, csum);
	seg->ip_summed = CHECKSUM_NONE;
}

/**
 * xtcp_gso_segment() - cut an isolated-wire GSO packet into its segments (the
 * gso_segment callback of protocol 253's offload).
 * @skb: the packet, skb->data at its TCP header, the IP header before it.
 * @features: what the device does; a checksum offload counts only if it is
 *	protocol-blind (NETIF_F_HW_CSUM): a device that sums only TCP and UDP
 *	would not know protocol 253.
 *
 * Return: the list of segments (inet_gso_segment() fixes their IP headers),
 * or an ERR_PTR for a packet that is not one of ours.
 */
struct sk_buff *xtcp_gso_segment(struct sk_buff *skb, netdev_features_t features)
{
	struct sk_buff *segs, *seg;
	unsigned int thlen, mss;
	struct tcphdr *th;
	u32 seq;

	if (!(skb_shinfo(skb)->gso_type & SKB_GSO_TCPV4) ||
	    !pskb_may_pull(skb, sizeof(*th)))
		return ERR_PTR(-EINVAL);
	th = tcp_hdr(skb);
	thlen = th->doff * 4;
	mss = skb_shinfo(skb)->gso_size;
	if (thlen < sizeof(*th) || !pskb_may_pull(skb, thlen) || !mss ||
	    skb->len - thlen <= mss)
		return ERR_PTR(-EINVAL);
	if (!(features & NETIF_F_HW_CSUM))
		features &= ~NETIF_F_CSUM_MASK;
	th = tcp_hdr(skb);
	seq = ntohl(th->seq);
	__skb_pull(skb, thlen);
	segs = skb_segment(skb, features & ~NETIF_F_GSO_MASK);
	if (IS_ERR_OR_NULL(segs))
		return segs;
	for (seg = segs; seg; seg = seg->next) {
		xtcp_gso_fix(seg, seq, seg == segs, !seg->next);
		seq += seg->len - skb_transport_offset(seg) - thlen;
	}
	return segs;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_gso_segment);

static const struct net_offload xtcp_isolated_offload = {
	.callbacks = {
		.gso_segment = xtcp_gso_segment,
	},
};

/**
 * xtcp_rcv_segs() - the segments a received packet holds, for the ACK policy.
 * @skb: the packet, its payload skb->len bytes.
 *
 * GRO counts what it merged in gso_segs. A packet from a virtio or tap peer
 * (SKB_GSO_DODGY) comes with gso_size alone, gso_segs left to whoever cuts
 * it: here nobody does, so its length tells.
 *
 * Return: at least 1.
 */
u16 xtcp_rcv_segs(const struct sk_buff *skb)
{
	const struct skb_shared_info *sh = skb_shinfo(skb);

	if (sh->gso_segs)
		return sh->gso_segs;
	if (sh->gso_size && skb->len > sh->gso_size)
		return min_t(u32, DIV_ROUND_UP(skb->len, sh->gso_size), U16_MAX);
	return 1;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_rcv_segs);

/*
 * TCP small queues: a bulk flow keeps no more than about a millisecond of its
 * data (at its rate; 2 skbs at least, net.xtcp.limit_output_bytes at most) in
 * the qdiscs and devices below it, so that a queue in front of a slow link holds
 * little of it and other flows' packets (and its own ACKs) do not wait behind
 * it. The socket's sk_wmem_alloc counts the bytes of its skbs still down there:
 * a push that finds more stops, marked XTCP_TSQ_THROTTLED, and the destructor
 * of one of those skbs, xtcp_wfree(), when it is freed (sent, or dropped), puts
 * the socket on its CPU's list; a tasklet pushes each one again under the
 * socket lock, or leaves it to xtcp_release_cb() when its user holds the lock.
 */
struct xtcp_tsq {
	struct list_head head;	/* of xtcp_sock.tsq_node; IRQs off, this CPU */
	struct tasklet_struct tasklet;
};

static DEFINE_PER_CPU(struct xtcp_tsq, xtcp_tsq);

/**
 * xtcp_tsq_limit() - the bytes a socket may have below it before a push stops.
 * @truesize: the truesize of the skb to send.
 * @rate: the flow's rate (xtcp_flow_rate()), bytes per second; 0 if not known.
 * @limit_output_bytes: net.xtcp.limit_output_bytes, the ceiling.
 *
 * Two skbs (one in the device, one being sent), or about 1 ms (2^-10 s) of data
 * at @rate if that is more; never more than the ceiling.
 *
 * Return: the limit in bytes.
 */
u32 xtcp_tsq_limit(u32 truesize, u64 rate, u32 limit_output_bytes)
{
	u64 limit = rate ? max_t(u64, 2ULL * truesize, rate >> 10) : U64_MAX;

	return min_t(u64, limit, limit_output_bytes);
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_tsq_limit);

/**
 * xtcp_tsq_throttled() - must @skb wait for the bytes of @sk below it to leave?
 * @sk: the socket, locked.
 * @skb: the next skb to send.
 *
 * What the socket sent and nobody acknowledged is always in flight then: the
 * first skb of an idle socket goes whatever sits in the qdisc (its ACKs, a
 * probe), and an ACK to come, or a destructor, pushes again.
 *
 * Return: true to stop the push; the socket is then XTCP_TSQ_THROTTLED.
 */
bool xtcp_tsq_throttled(struct sock *sk, const struct sk_buff *skb)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 limit;

	if (xs->snd_una == xs->snd_max)
		return false;
	limit = xtcp_tsq_limit(skb->truesize, xtcp_sk_rate(xs),
			       READ_ONCE(xtcp_pernet(sock_net(sk))->sysctl.limit_output_bytes));
	if (refcount_read(&sk->sk_wmem_alloc) <= limit)
		return false;
	set_bit(XTCP_TSQ_THROTTLED, &xs->tsq_flags);
	/*
	 * The mark before the second look: a destructor that ran between the two
	 * found no mark, but left its bytes counted off for this look to see.
	 */
	smp_mb__after_atomic();
	if (refcount_read(&sk->sk_wmem_alloc) <= limit)
		return false;
	xtcp_inc_stats(sock_net(sk), XTCP_MIB_TSQ_THROTTLED);
	return true;
}

/* Onto this CPU's list, XTCP_TSQ_QUEUED set and a reference held for it. */
static void xtcp_tsq_list_add(struct xtcp_sock *xs)
{
	struct xtcp_tsq *tsq;
	unsigned long flags;
	bool empty;

	local_irq_save(flags);
	tsq = this_cpu_ptr(&xtcp_tsq);
	empty = list_empty(&tsq->head);
	list_add_tail(&xs->tsq_node, &tsq->head);
	if (empty)
		tasklet_schedule(&tsq->tasklet);
	local_irq_restore(flags);
}

/**
 * xtcp_wfree() - the destructor of a connection's skbs sent down (as sock_wfree(),
 * whose accounting it keeps): a throttled socket goes on this CPU's list.
 * @skb: the skb, freed; skb->sk its socket.
 *
 * The socket may be closing: its last reference gone, it lives only as long as
 * sk_wmem_alloc holds it, and then it is not pushed. Otherwise the list holds a
 * reference, taken before the skb's bytes are counted off.
 */
void xtcp_wfree(struct sk_buff *skb)
{
	struct sock *sk = skb->sk;
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (!test_bit(XTCP_TSQ_THROTTLED, &xs->tsq_flags) ||
	    !test_and_clear_bit(XTCP_TSQ_THROTTLED, &xs->tsq_flags) ||
	    test_and_set_bit(XTCP_TSQ_QUEUED, &xs->tsq_flags)) {
		sock_wfree(skb);
		return;
	}
	if (!refcount_inc_not_zero(&sk->sk_refcnt)) {
		clear_bit(XTCP_TSQ_QUEUED, &xs->tsq_flags);
		sock_wfree(skb);
		return;
	}
	sock_wfree(skb);
	xtcp_tsq_list_add(xs);
}

/**
 * xtcp_tsq_kick() - push @sk again from this CPU's tasklet (the pacing timer,
 * pacing.c).
 * @sk: the socket; the caller's reference goes to the list, or is dropped if
 *	the socket is on it already.
 */
void xtcp_tsq_kick(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (test_and_set_bit(XTCP_TSQ_QUEUED, &xs->tsq_flags)) {
		sock_put(sk);
		return;
	}
	xtcp_tsq_list_add(xs);
}

/* Push again what the socket holds back, in a state that sends data. */
static void xtcp_tsq_write(struct sock *sk)
{
	if ((1 << sk->sk_state) & (XTCPF_ESTABLISHED | XTCPF_CLOSE_WAIT | XTCPF_FIN_WAIT1 |
				   XTCPF_CLOSING | XTCPF_LAST_ACK))
		xtcp_push(sk);
}

static void xtcp_tsq_handler(struct tasklet_struct *t)
{
	struct xtcp_tsq *tsq = from_tasklet(tsq, t, tasklet);
	struct xtcp_sock *xs, *next;
	unsigned long flags;
	LIST_HEAD(list);

	local_irq_save(flags);
	list_splice_init(&tsq->head, &list);
	local_irq_restore(flags);
	list_for_each_entry_safe(xs, next, &list, tsq_node) {
		struct sock *sk = &xs->inet.sk;

		list_del(&xs->tsq_node);
		/* Off the list before a destructor may put it on again. */
		smp_mb__before_atomic();
		clear_bit(XTCP_TSQ_QUEUED, &xs->tsq_flags);
		bh_lock_sock(sk);
		if (!sock_owned_by_user(sk))
			xtcp_tsq_write(sk);
		else
			set_bit(XTCP_TSQ_DEFERRED, &xs->tsq_flags);
		bh_unlock_sock(sk);
		sock_put(sk);
	}
}

/**
 * xtcp_release_cb() - proto .release_cb: what waited for the user's lock.
 * @sk: the socket, its lock being released (release_sock(), sk_lock.slock held).
 */
void xtcp_release_cb(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	if (test_bit(XTCP_TSQ_DEFERRED, &xs->tsq_flags) &&
	    test_and_clear_bit(XTCP_TSQ_DEFERRED, &xs->tsq_flags))
		xtcp_tsq_write(sk);
}

/**
 * xtcp_tsq_init() - TCP small queues: each CPU's list and tasklet.
 */
void xtcp_tsq_init(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct xtcp_tsq *tsq = per_cpu_ptr(&xtcp_tsq, cpu);

		INIT_LIST_HEAD(&tsq->head);
		tasklet_setup(&tsq->tasklet, xtcp_tsq_handler);
	}
}

/**
 * xtcp_tsq_exit() - at module unload, when no socket is left to queue itself:
 * wait for a tasklet that may still be finishing the sock_put() that freed the
 * last one.
 */
void xtcp_tsq_exit(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		tasklet_kill(&per_cpu_ptr(&xtcp_tsq, cpu)->tasklet);
}

/**
 * xtcp_offload_init() - register the isolated wire's offload handler.
 *
 * Return: 0 or -EBUSY (another offload has protocol 253).
 */
int xtcp_offload_init(void)
{
	return inet_add_offload(&xtcp_isolated_offload, IPPROTO_XTCP_ISOLATED);
}

/**
 * xtcp_offload_exit() - take it away; a packet still queued is dropped by
 * inet_gso_segment() (no handler) rather than cut by code that is gone.
 */
void xtcp_offload_exit(void)
{
	/* It waits for every CPU to be out of it (synchronize_net()). */
	inet_del_offload(&xtcp_isolated_offload, IPPROTO_XTCP_ISOLATED);
}
