// SPDX-License-Identifier: GPL-2.0
/*
 * output.c - building and sending segments: the write queue and its
 * retransmission, ACKs, FINs and RSTs.
 *
 * The write queue (sk_write_queue) holds every byte from SND.UNA to the end of
 * what the user wrote, a SYN and a FIN included, in skbs of up to the size goal
 * (offload.c: many MSSes, in page fragments). send_head is the first skb not
 * sent yet; skbs before it are in flight. A send takes as much of the skb at
 * send_head as the congestion window, the peer's window and Nagle allow,
 * splitting it there, and sends it as one GSO packet. Each send clones the
 * queued skb (or copies its head, if an earlier clone may still be in a queue
 * below us: the header goes into the shared headroom) and pushes the TCP
 * header onto the clone.
 *
 * All of it runs under the socket lock.
 */
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/sock.h>

#include "seq.h"
#include "xtcp.h"

static void xtcp_push_header(struct sk_buff *skb, __be16 sport, __be16 dport, u32 seq,
			     u32 ack, u8 flags, u16 window, const struct xtcp_options *opts)
{
	u8 optbuf[XTCP_MAX_OPTION_SPACE];
	unsigned int olen = opts ? xtcp_write_options(optbuf, opts) : 0;
	struct tcphdr *th;

	th = skb_push(skb, sizeof(*th) + olen);
	skb_reset_transport_header(skb);
	memset(th, 0, sizeof(*th));
	th->source = sport;
	th->dest = dport;
	th->seq = htonl(seq);
	th->ack_seq = htonl(ack);
	th->doff = (sizeof(*th) + olen) / 4;
	((u8 *)th)[13] = flags;
	th->window = htons(window);
	memcpy(th + 1, optbuf, olen);
}

/*
 * The checksum left to the device or to GSO (CHECKSUM_PARTIAL), as TCP's: the
 * header holds the pseudo-header's sum. On the isolated wire only a GSO packet
 * is sent so (xtcp_gso_segment() completes it); a single segment is summed
 * here, since a device that sums TCP and UDP only would not know protocol 253.
 */
static void xtcp_set_checksum_partial(struct sk_buff *skb, __be32 saddr, __be32 daddr)
{
	struct tcphdr *th = tcp_hdr(skb);

	th->check = ~csum_tcpudp_magic(saddr, daddr, skb->len, IPPROTO_TCP, 0);
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = skb_transport_header(skb) - skb->head;
	skb->csum_offset = offsetof(struct tcphdr, check);
}

/* The checksum over the pseudo-header, header and data, in software. */
static void xtcp_set_checksum(struct sk_buff *skb, __be32 saddr, __be32 daddr)
{
	struct tcphdr *th = tcp_hdr(skb);

	th->check = 0;
	th->check = csum_tcpudp_magic(saddr, daddr, skb->len, IPPROTO_TCP,
				      skb_checksum(skb, 0, skb->len, 0));
	skb->ip_summed = CHECKSUM_NONE;
}

/**
 * xtcp_send_ctl() - send a segment without data that belongs to no connection.
 * @net: the namespace.
 * @owner: the listener it is sent for (SYN-ACKs, a request's ACK), or NULL.
 * @saddr: source address.
 * @daddr: destination address.
 * @sport: source port.
 * @dport: destination port.
 * @seq: the sequence number.
 * @ack: the acknowledgment number.
 * @flags: TCP flags (XTCPHDR_*).
 * @window: the window.
 * @opts: options, or NULL.
 * @state: what sends it, for the tracepoint: SYN_RECV (a request), LISTEN (a
 *	cookie), TIME_WAIT, or CLOSE (a RST to a segment for nothing).
 *
 * Used for RSTs, SYN-ACKs of the SYN queue and TIME_WAIT ACKs. A segment that
 * has no route is not sent, and not counted as sent.
 */
void xtcp_send_ctl(struct net *net, struct sock *owner, __be32 saddr, __be32 daddr,
		   __be16 sport, __be16 dport, u32 seq, u32 ack, u8 flags, u16 window,
		   const struct xtcp_options *opts, int state)
{
	struct sk_buff *skb;
	struct rtable *rt;

	rt = xtcp_ctl_route(net, saddr, daddr);
	if (IS_ERR(rt))
		return;
	skb = alloc_skb(XTCP_SKB_HEADROOM, GFP_ATOMIC);
	if (!skb) {
		ip_rt_put(rt);
		return;
	}
	skb_reserve(skb, XTCP_SKB_HEADROOM);
	xtcp_push_header(skb, sport, dport, seq, ack, flags, window, opts);
	xtcp_set_checksum(skb, saddr, daddr);
	xtcp_inc_stats(net, XTCP_MIB_OUT_SEGS);
	if (flags & XTCPHDR_RST)
		xtcp_inc_stats(net, XTCP_MIB_OUT_RSTS);
	trace_xtcp_send_ctl(saddr, daddr, sport, dport, seq, ack, flags, 0, state);
	xtcp_ip_send(net, owner, skb, rt, saddr, daddr);
}

/**
 * xtcp_send_reset_reply() - answer a segment with RST (RFC 9293 3.10.7.1).
 * @net: the namespace.
 * @skb: the segment; its control block filled in and its IP header intact.
 *
 * If it carried an ACK, the RST takes its sequence number from it; otherwise the
 * RST has sequence number 0 and acknowledges the segment. Never a RST to a RST.
 */
void xtcp_send_reset_reply(struct net *net, const struct sk_buff *skb)
{
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	const struct iphdr *iph = ip_hdr(skb);
	const struct tcphdr *th = tcp_hdr(skb);

	if (cb->flags & XTCPHDR_RST)
		return;
	if (cb->flags & XTCPHDR_ACK)
		xtcp_send_ctl(net, NULL, iph->daddr, iph->saddr, th->dest, th->source,
			      cb->ack_seq, 0, XTCPHDR_RST, 0, NULL, XTCP_CLOSE);
	else
		xtcp_send_ctl(net, NULL, iph->daddr, iph->saddr, th->dest, th->source,
			      0, cb->end_seq, XTCPHDR_RST | XTCPHDR_ACK, 0, NULL, XTCP_CLOSE);
}

/*
 * Send one queued skb (SYN, data and/or FIN) or a header-only segment built for
 * the purpose. The ACK flag goes on everything but the first SYN; PSH where
 * xtcp_mark_push() put it, at the end of a write (RFC 9293 3.9.1).
 */
static int xtcp_transmit_skb(struct sock *sk, struct sk_buff *skb, bool clone)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct inet_sock *inet = inet_sk(sk);
	struct xtcp_options opts = {};
	struct xtcp_skb_cb cb;
	u16 window, urg_ptr = 0;
	u32 payload, segs;
	bool rexmit, ect;
	u8 flags;

	cb = *XTCP_SKB_CB(skb);
	if (clone) {
		/*
		 * The GSO fields live in the shared info, which a clone shares:
		 * set them on the queued skb only while no clone of it is out.
		 */
		if (skb_cloned(skb)) {
			skb = pskb_copy(skb, GFP_ATOMIC);
			if (skb)
				xtcp_gso_set(skb, skb->len, xs->mss);
		} else {
			if (xtcp_gso_wanted(skb, skb->len, xs->mss))
				xtcp_gso_set(skb, skb->len, xs->mss);
			skb = skb_clone(skb, GFP_ATOMIC);
		}
		if (!skb)
			return -ENOBUFS;
	}
	segs = skb_shinfo(skb)->gso_segs ?: 1;
	flags = cb.flags;
	if (sk->sk_state != XTCP_SYN_SENT)
		flags |= XTCPHDR_ACK;
	/* ECN's flags and ECT (ecn.c): new data is what SND.MAX has not reached. */
	rexmit = xtcp_seq_before(cb.seq, xs->snd_max);
	payload = cb.end_seq - cb.seq - !!(flags & XTCPHDR_SYN) - !!(flags & XTCPHDR_FIN);
	flags |= xtcp_ecn_xmit(&xs->ecn, flags, !rexmit, payload && !rexmit, &ect);
	/* A GSO packet's CWR is its first segment's alone (SKB_GSO_TCP_ECN). */
	if ((flags & XTCPHDR_CWR) && !(flags & XTCPHDR_SYN) && skb_is_gso(skb))
		skb_shinfo(skb)->gso_type |= SKB_GSO_TCP_ECN;
	if (flags & XTCPHDR_SYN) {
		opts.mss = xs->advmss;
		opts.wscale_ok = xs->wscale_ok;
		opts.wscale = xs->rcv_wscale;
		opts.sack_ok = xs->sack_ok;
	}
	/* Once agreed, every segment carries timestamps (RFC 7323 3.2), RSTs too. */
	if (xs->ts_ok) {
		opts.ts_ok = true;
		opts.tsval = xtcp_ts_clock() + xs->ts_off;
		/* Our first SYN has nothing to echo. */
		opts.tsecr = (flags & XTCPHDR_ACK) ? xs->ts_recent : 0;
	}
	/*
	 * What we hold beyond a gap, and a repeat we got (RFC 2018, 2883): on
	 * segments without data, whose headers may grow (a full segment could not).
	 */
	if (xs->sack_ok && (flags & XTCPHDR_ACK) && !(flags & (XTCPHDR_SYN | XTCPHDR_RST)) &&
	    cb.end_seq - cb.seq == !!(flags & XTCPHDR_FIN) &&
	    (xs->rsack.nr || xs->rsack.dsack_pending))
		opts.nr_sacks = xtcp_rcv_sack_fill(&xs->rsack, opts.sacks,
						   xs->ts_ok ? XTCP_SACK_BLOCKS - 1 :
						   XTCP_SACK_BLOCKS);
	if (flags & XTCPHDR_SYN) {
		/* Our SYN's peer has agreed to no timestamps yet; a SYN-ACK's has. */
		window = xtcp_syn_window(xtcp_rcv_space(sk), xs->advmss -
					 (xs->ts_ok && sk->sk_state != XTCP_SYN_SENT ?
					  XTCP_TS_ALIGNED_LEN : 0));
		xs->rcv_wnd = window;
		/* In SYN_SENT RCV.NXT is not known yet: only note what is offered. */
		if (sk->sk_state != XTCP_SYN_SENT)
			xs->rcv_wup = xs->rcv_nxt;
	} else {
		window = xtcp_window_to_announce(sk);
	}
	/*
	 * Urgent data ahead (RFC 9293 3.8.5): the pointer, relative to this
	 * segment, to the byte after the urgent data; as far as 16 bits reach.
	 */
	if (xs->urg_mode && xtcp_seq_before(cb.seq, xs->snd_up)) {
		if (xtcp_seq_before(xs->snd_up, cb.seq + 0x10000)) {
			urg_ptr = xs->snd_up - cb.seq;
			flags |= XTCPHDR_URG;
		} else if (xtcp_seq_after(cb.seq + 0xFFFF, xs->snd_nxt)) {
			urg_ptr = 0xFFFF;
			flags |= XTCPHDR_URG;
		}
	}
	xtcp_push_header(skb, inet->inet_sport, inet->inet_dport, cb.seq,
			 (flags & XTCPHDR_ACK) ? xs->rcv_nxt : 0, flags, window, &opts);
	tcp_hdr(skb)->urg_ptr = htons(urg_ptr);
	if (xtcp_wire_proto() == IPPROTO_TCP || skb_is_gso(skb))
		xtcp_set_checksum_partial(skb, inet->inet_saddr, inet->inet_daddr);
	else
		xtcp_set_checksum(skb, inet->inet_saddr, inet->inet_daddr);
	if (flags & XTCPHDR_ACK) {
		xs->ack_pending = 0;
		sk_stop_timer(sk, &xs->delack_timer);
	}
	/* TCP_INFO's counts: a GSO packet is the segments it will be cut into. */
	xs->counts.segs_out += segs;
	if (payload) {
		xs->counts.data_segs_out += segs;
		xs->counts.bytes_sent += payload;
	}
	/* Our control block is done with; IP keeps its own in the same place. */
	memset(skb->cb, 0, sizeof(skb->cb));
	/* Segments, as TCP counts them: a GSO packet is all it will be cut into. */
	xtcp_mod_stats(sock_net(sk), XTCP_MIB_OUT_SEGS, segs);
	if (flags & XTCPHDR_RST)
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_OUT_RSTS);
	trace_xtcp_send(sk, cb.seq, xs->rcv_nxt, flags,
			cb.end_seq - cb.seq - !!(flags & XTCPHDR_SYN) - !!(flags & XTCPHDR_FIN));
	return xtcp_queue_xmit(sk, skb, ect);
}

/* A segment with no data and no place in the queue: ACK, RST or a probe. */
static void xtcp_send_bare(struct sock *sk, u32 seq, u8 flags)
{
	struct sk_buff *skb;

	skb = alloc_skb(XTCP_SKB_HEADROOM, GFP_ATOMIC);
	if (!skb)
		return;
	skb_reserve(skb, XTCP_SKB_HEADROOM);
	XTCP_SKB_CB(skb)->seq = seq;
	XTCP_SKB_CB(skb)->end_seq = seq;
	XTCP_SKB_CB(skb)->flags = flags;
	xtcp_transmit_skb(sk, skb, false);
}

/**
 * xtcp_send_ack() - acknowledge RCV.NXT now.
 * @sk: the socket, synchronized.
 *
 * The sequence number is the RFC's SND.NXT, the highest sent (@snd_max): after
 * a timeout @snd_nxt goes back to SND.UNA (go-back-N), and an ACK from there
 * would be below the peer's RCV.NXT, unacceptable to it, its acknowledgment
 * never read.
 */
void xtcp_send_ack(struct sock *sk)
{
	xtcp_send_bare(sk, xtcp_sk(sk)->snd_max, XTCPHDR_ACK);
}

/**
 * xtcp_send_probe() - a segment the peer must answer with an ACK: an old sequence
 * number and no data (zero-window probes and keepalives).
 * @sk: the socket, synchronized.
 */
void xtcp_send_probe(struct sock *sk)
{
	xtcp_send_bare(sk, xtcp_sk(sk)->snd_una - 1, XTCPHDR_ACK);
}

/**
 * xtcp_send_active_reset() - abort the connection on the wire: RST with SND.NXT
 * (the highest sent, as for an ACK).
 * @sk: the socket.
 */
void xtcp_send_active_reset(struct sock *sk)
{
	xtcp_send_bare(sk, xtcp_sk(sk)->snd_max, XTCPHDR_RST | XTCPHDR_ACK);
}

/* An skb for the write queue with @size bytes of data room, its control block zeroed. */
static struct sk_buff *xtcp_alloc_queued(struct sock *sk, unsigned int size, gfp_t gfp)
{
	struct sk_buff *skb;

	skb = alloc_skb(XTCP_SKB_HEADROOM + size, gfp);
	if (!skb)
		return NULL;
	skb_reserve(skb, XTCP_SKB_HEADROOM);
	memset(XTCP_SKB_CB(skb), 0, sizeof(struct xtcp_skb_cb));
	/* Summed when sent (no sum while copying in); see xtcp_set_checksum_partial(). */
	skb->ip_summed = CHECKSUM_PARTIAL;
	return skb;
}

/* Charge a write-queue skb to the socket (mem.c); false when the limits refuse. */
static bool xtcp_charge_queued(struct sock *sk, struct sk_buff *skb)
{
	if (!sk_wmem_schedule(sk, skb->truesize))
		return false;
	sk_mem_charge(sk, skb->truesize);
	XTCP_SKB_CB(skb)->charged = true;
	return true;
}

/**
 * xtcp_alloc_skb() - a segment buffer for up to @size bytes of data.
 * @sk: the socket.
 * @size: the data room.
 * @gfp: allocation flags.
 *
 * Return: the skb, charged to the socket's send buffer and memory, or NULL
 * without memory or when XTCP's memory limits (or the socket's cgroup's) refuse it.
 */
struct sk_buff *xtcp_alloc_skb(struct sock *sk, unsigned int size, gfp_t gfp)
{
	struct sk_buff *skb;

	skb = xtcp_alloc_queued(sk, size, gfp);
	if (!skb)
		return NULL;
	if (!xtcp_charge_queued(sk, skb)) {
		__kfree_skb(skb);
		return NULL;
	}
	sk_wmem_queued_add(sk, skb->truesize);
	return skb;
}

/*
 * The skb of a SYN or a FIN alone, which must go out whatever the memory
 * limits: charged if they allow, otherwise queued uncharged (its few hundred
 * bytes, one such skb per socket at a time). TCP forces the charge
 * (sk_forced_mem_schedule()), which is not exported to modules.
 */
static struct sk_buff *xtcp_alloc_ctl_skb(struct sock *sk, gfp_t gfp)
{
	struct sk_buff *skb;

	skb = xtcp_alloc_queued(sk, 0, gfp);
	if (!skb)
		return NULL;
	xtcp_charge_queued(sk, skb);
	sk_wmem_queued_add(sk, skb->truesize);
	return skb;
}

/* Unlink and free a write-queue skb, giving its memory back to the send buffer. */
static void xtcp_free_queued(struct sock *sk, struct sk_buff *skb)
{
	__skb_unlink(skb, &sk->sk_write_queue);
	sk_wmem_queued_add(sk, -skb->truesize);
	if (XTCP_SKB_CB(skb)->charged)
		sk_mem_uncharge(sk, skb->truesize);
	kfree_skb(skb);
}

/**
 * xtcp_queue_skb() - append a segment to the write queue.
 * @sk: the socket.
 * @skb: from xtcp_alloc_skb(), its data and flags set.
 *
 * It takes the next sequence numbers: its data, plus one for a SYN or a FIN.
 */
void xtcp_queue_skb(struct sock *sk, struct sk_buff *skb)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

	cb->seq = xs->write_seq;
	cb->end_seq = cb->seq + skb->len +
		      !!(cb->flags & XTCPHDR_SYN) + !!(cb->flags & XTCPHDR_FIN);
	__skb_queue_tail(&sk->sk_write_queue, skb);
	xs->write_seq = cb->end_seq;
	xtcp_rate_busy(&xs->rate, true, xs->snd_una, xtcp_clock_us());
	if (!xs->send_head)
		xs->send_head = skb;
}

static void xtcp_advance_send_head(struct sock *sk, struct sk_buff *skb)
{
	struct xtcp_sock *xs = xtcp_sk(sk);

	xs->send_head = skb_queue_is_last(&sk->sk_write_queue, skb) ?
			NULL : skb_queue_next(&sk->sk_write_queue, skb);
}

/*
 * Split @skb so that its first @len bytes stay and the rest becomes the next
 * skb of the queue: the fragments beyond @len move over, with the part of the
 * truesize (and so of the charge) their bytes account for. A clone of @skb
 * still below us keeps the fragments it had (@skb gets its own first).
 * Return: false without memory.
 */
static bool xtcp_split(struct sock *sk, struct sk_buff *skb, unsigned int len)
{
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb), *ncb;
	unsigned int head = skb_headlen(skb) > len ? skb_headlen(skb) - len : 0;
	struct sk_buff *nskb;

	if (skb_unclone(skb, GFP_ATOMIC))
		return false;
	nskb = xtcp_alloc_skb(sk, head, GFP_ATOMIC);
	if (!nskb)
		return false;
	skb_split(skb, nskb, len);
	skb->truesize -= nskb->data_len;
	nskb->truesize += nskb->data_len;
	ncb = XTCP_SKB_CB(nskb);
	ncb->seq = cb->seq + len;
	ncb->end_seq = cb->end_seq;
	/* A FIN or PSH belongs to the last byte. */
	ncb->flags = cb->flags & (XTCPHDR_FIN | XTCPHDR_PSH);
	ncb->when = cb->when;
	ncb->txf = cb->txf;
	ncb->xmit_us = cb->xmit_us;
	cb->flags &= ~(XTCPHDR_FIN | XTCPHDR_PSH);
	cb->end_seq = ncb->seq;
	__skb_queue_after(&sk->sk_write_queue, skb, nskb);
	return true;
}

/* A retransmission of @skb, as TCP counts it: RetransSegs in segments. */
static void xtcp_count_retrans(struct sock *sk, const struct sk_buff *skb)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

	xtcp_mod_stats(sock_net(sk), XTCP_MIB_RETRANS_SEGS,
		       skb->len > xs->mss ? DIV_ROUND_UP(skb->len, xs->mss) : 1);
	xs->total_retrans++;
	xs->counts.bytes_retrans += skb->len;
	trace_xtcp_retransmit(sk, cb->seq, cb->end_seq - cb->seq);
}

/* Send the skb at send_head and move on; counts a retransmission as one. */
static void xtcp_send_head_skb(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb = xs->send_head;
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	bool rexmit = xtcp_seq_before(cb->seq, xs->snd_max);

	if (!rexmit)
		cb->when = (u32)jiffies;
	cb->txf = rexmit ? XTCP_TXF_RETRANS : 0;
	cb->xmit_us = (u32)xtcp_clock_us();
	if (skb->len) {
		bool idle = xs->snd_una == xs->snd_max;

		if (idle)
			xtcp_cc_event(sk, XTCP_CA_EVENT_TX_START);
		if (xtcp_cwnd_sent(&xs->cwnd, (u32)jiffies,
				   usecs_to_jiffies(xtcp_rtt_timeout(&xs->rtt)), idle,
				   xtcp_cwnd_initial(xs->mss)))
			xtcp_cc_event(sk, XTCP_CA_EVENT_CWND_RESTART);
	}
	xtcp_transmit_skb(sk, skb, true);
	xtcp_pacing_sent(sk, skb->len);
	xtcp_advance_send_head(sk, skb);
	xs->snd_nxt = cb->end_seq;
	if (rexmit)
		xtcp_count_retrans(sk, skb);
	/* F-RTO's new segments (RFC 5682 2.1 (2b)), counted as they go. */
	if (xs->frto_room && skb->len) {
		u32 segs = DIV_ROUND_UP(skb->len, xs->mss ? xs->mss : XTCP_MSS_DEFAULT);

		xs->frto_room -= min_t(u32, xs->frto_room, segs);
	}
	/* PRR's prr_out (recovery.c), in a SACK recovery or an ECN reduction. */
	if (((xs->cwnd.recovery && xs->sack_ok) || xs->cwnd.cwr) && skb->len)
		xs->prr.out += DIV_ROUND_UP(skb->len, xs->mss ? xs->mss : XTCP_MSS_DEFAULT);
	if (xtcp_seq_after(xs->snd_nxt, xs->snd_max)) {
		xs->snd_max = xs->snd_nxt;
		if (!xs->rtt_timing && !rexmit) {
			xs->rtt_timing = true;
			xs->rtt_seq = cb->end_seq;
			xs->rtt_start = xtcp_clock_us();
		}
	}
	if (xs->rtx_mode != XTCP_RTX_RETRANSMIT && xs->rtx_mode != XTCP_RTX_REORDER)
		xtcp_arm_rtx(sk, XTCP_RTX_RETRANSMIT);
}

/**
 * xtcp_packets_in_flight() - the segments from SND.UNA to @nxt, as the
 * congestion window counts them: full-sized ones, the last rounded up.
 * @xs: the socket.
 * @nxt: the end of the flight: SND.NXT, or SND.MAX for all that was sent.
 *
 * Return: the count.
 */
u32 xtcp_packets_in_flight(const struct xtcp_sock *xs, u32 nxt)
{
	u32 bytes = xtcp_seq_after(nxt, xs->snd_una) ? nxt - xs->snd_una : 0;

	return DIV_ROUND_UP(bytes, xs->mss ? xs->mss : XTCP_MSS_DEFAULT);
}

/**
 * xtcp_detected_lost_end() - where the data found lost ends: by the SACK
 * blocks (RFC 6675's IsLost, recovery.c) or by RACK's clock (rack.c),
 * whichever reaches further.
 * @xs: the socket, with SACK on.
 *
 * Return: the sequence number below which every byte not SACKed is lost
 * (SND.UNA for none).
 */
u32 xtcp_detected_lost_end(const struct xtcp_sock *xs)
{
	u32 mss = xs->mss ? xs->mss : XTCP_MSS_DEFAULT;
	u32 end = xtcp_rec_lost_end(&xs->sb, xs->snd_una, mss);

	if (xtcp_seq_after(xs->rack.lost_end, end) &&
	    !xtcp_seq_after(xs->rack.lost_end, xs->snd_nxt))
		end = xs->rack.lost_end;
	return end;
}

/*
 * Where lost data ends: outside a SACK recovery nothing is taken as lost; in
 * one, what the blocks and RACK found, and the segment at SND.UNA whatever.
 */
static u32 xtcp_lost_end(const struct xtcp_sock *xs)
{
	u32 mss = xs->mss ? xs->mss : XTCP_MSS_DEFAULT;
	u32 end = xtcp_detected_lost_end(xs);

	if (!xs->cwnd.recovery)
		return xs->snd_una;
	return xtcp_seq_before(end, xs->snd_una + mss) ? xs->snd_una + mss : end;
}

/**
 * xtcp_sack_pipe() - RFC 6675's pipe (recovery.c): SACKed and lost segments
 * have left the network, a hole sent again in this recovery is back in it.
 * @xs: the socket, with SACK on.
 *
 * Return: the segments in flight.
 */
u32 xtcp_sack_pipe(const struct xtcp_sock *xs)
{
	/* Nothing was sent again outside a recovery (an undo may end one). */
	return xtcp_rec_pipe(&xs->sb, xs->snd_una, xs->snd_nxt, xtcp_lost_end(xs),
			     xs->cwnd.recovery ? xs->high_rxt : xs->snd_una,
			     xs->mss ? xs->mss : XTCP_MSS_DEFAULT);
}

/*
 * How many more segments the window lets go: cwnd less the flight, which with
 * SACK is the pipe; limited transmit's segments (cwnd.c) only without SACK
 * information, which counts the segments that left itself.
 */
static u32 xtcp_send_room(const struct xtcp_sock *xs)
{
	u32 pipe, room;

	if (!xs->sack_ok || (!xs->sb.nr && !xs->cwnd.recovery)) {
		room = xtcp_cwnd_room(&xs->cwnd, xtcp_packets_in_flight(xs, xs->snd_nxt));
	} else {
		pipe = xtcp_sack_pipe(xs);
		room = xs->cwnd.ca.cwnd > pipe ? xs->cwnd.ca.cwnd - pipe : 0;
	}
	/* F-RTO's two new segments go whatever the window (RFC 5682 2.1 (2b)). */
	return max_t(u32, room, xs->frto_room);
}

/*
 * Send again the segment holding @seq, of what was sent: the MSS-sized piece
 * of its skb that holds it, cut at whole MSSes from the skb's start (so that
 * no block a peer SACKs can make the queue hold smaller skbs than sending
 * does: CVE-2019-11477's fragments); a bare FIN only if @fin. Its end goes to
 * @end.
 * Return: false if nothing went (no memory).
 */
static bool xtcp_retransmit_seq(struct sock *sk, u32 seq, bool fin, u32 *end)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 mss = xs->mss ? xs->mss : XTCP_MSS_DEFAULT;
	struct sk_buff *skb;

	skb_queue_walk(&sk->sk_write_queue, skb) {
		struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
		u32 off;

		if (skb == xs->send_head)
			return false;
		if (!xtcp_seq_before(seq, cb->end_seq))
			continue;
		if (!skb->len && !fin)
			return false;
		off = xtcp_seq_after(seq, cb->seq) ? rounddown(seq - cb->seq, mss) : 0;
		if (off && off >= skb->len)
			return false;
		if (off) {
			if (!xtcp_split(sk, skb, off))
				return false;
			skb = skb_queue_next(&sk->sk_write_queue, skb);
		}
		if (skb->len > mss && !xtcp_split(sk, skb, mss))
			return false;
		if (xtcp_transmit_skb(sk, skb, true) == -ENOBUFS)
			return false;
		XTCP_SKB_CB(skb)->txf = XTCP_TXF_RETRANS;
		XTCP_SKB_CB(skb)->xmit_us = (u32)xtcp_clock_us();
		xtcp_count_retrans(sk, skb);
		/* Karn: an ACK may now answer either transmission. */
		xs->rtt_timing = false;
		*end = XTCP_SKB_CB(skb)->end_seq;
		return true;
	}
	return false;
}

/*
 * The retransmissions RACK found lost (input.c marks them XTCP_TXF_LOST): each
 * goes again, while the window has room, before any other hole. Returns false
 * when the window (or memory) stopped it.
 */
static bool xtcp_rack_resend(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb, *tmp;
	u32 end;

	skb_queue_walk_safe(&sk->sk_write_queue, skb, tmp) {
		struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
		u32 start;

		if (skb == xs->send_head)
			break;
		if (!(cb->txf & XTCP_TXF_LOST))
			continue;
		start = xtcp_seq_after(xs->snd_una, cb->seq) ? xs->snd_una : cb->seq;
		if (xtcp_sb_sacked_in(&xs->sb, start, cb->end_seq) == cb->end_seq - start) {
			cb->txf &= ~XTCP_TXF_LOST;
			continue;
		}
		if (!xtcp_send_room(xs) || !xtcp_retransmit_seq(sk, start, false, &end))
			return false;
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_FAST_RETRANS);
		xs->prr.out++;
		xs->undo_retrans++;
	}
	xs->rack.rxt_lost = false;
	return true;
}

/*
 * A SACK recovery's holes (RFC 6675's NextSeg), while the window has room: the
 * lost ones (rule 1) before new data; with @any, once no new data can go, the
 * others with SACKed data beyond them (rule 3). Each goes once per recovery:
 * HighRxt passes it.
 */
static void xtcp_sack_retransmit(struct sock *sk, bool any)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 start, end, below;

	if (xs->rack.rxt_lost && !xtcp_rack_resend(sk))
		return;
	while (xtcp_send_room(xs)) {
		if (any)
			below = xs->sb.nr ? xs->sb.r[xs->sb.nr - 1].start : xs->snd_una;
		else
			below = xtcp_lost_end(xs);
		if (!xtcp_rec_next_hole(&xs->sb, xs->snd_una, xs->high_rxt, below, &start, &end) ||
		    !xtcp_retransmit_seq(sk, start, false, &end))
			break;
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_FAST_RETRANS);
		xs->prr.out++;
		xs->undo_retrans++;
		xs->high_rxt = end;
	}
}

/* How much of the peer's window is left for the segment at send_head. */
static u32 xtcp_usable_window(const struct xtcp_sock *xs, const struct xtcp_skb_cb *cb)
{
	u32 right = xs->snd_una + xs->snd_wnd;

	return xtcp_seq_after(right, cb->seq) ? right - cb->seq : 0;
}

/*
 * The least a segment cut to fit the peer's window may carry: an MSS, or half the
 * largest window the peer has offered (sender-side silly window avoidance, RFC
 * 9293 3.8.6.2.1).
 */
static u32 xtcp_sws_threshold(const struct xtcp_sock *xs)
{
	return min_t(u32, xs->mss, xs->max_window / 2);
}

/**
 * xtcp_push_mode() - send what the window, Nagle, TCP_CORK and the state allow.
 * @sk: the socket.
 * @mode: how a short last segment is treated (see enum xtcp_push_mode).
 *
 * A short last segment held by a cork (TCP_CORK or MSG_MORE) with nothing in
 * flight goes out at the XTCP_RTX_CORK timeout, an RTO later, as TCP's probe
 * timer sends it: the cork's ceiling.
 */
void xtcp_push_mode(struct sock *sk, enum xtcp_push_mode mode)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 mss = xs->mss ? xs->mss : XTCP_MSS_DEFAULT;
	u32 snd_nxt = xs->snd_nxt, goal;
	struct sk_buff *skb;

	if ((1 << sk->sk_state) & (XTCPF_CLOSE | XTCPF_LISTEN))
		return;
	/* A SACK recovery's lost holes go before new data. */
	if (xs->cwnd.recovery && xs->sack_ok)
		xtcp_sack_retransmit(sk, false);
	/* Once per push: it asks the route and divides (offload.c). */
	goal = xs->send_head ? xtcp_size_goal(sk) : mss;
	while ((skb = xs->send_head)) {
		struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

		if (skb->len) {
			u32 usable = xtcp_usable_window(xs, cb), room, limit;

			/*
			 * The network's limit (cwnd.c), in whole segments; an ACK
			 * opens it again. One transmission carries at most the size
			 * goal (an skb queued before the MSS or the route changed
			 * may hold more).
			 */
			room = xtcp_send_room(xs);
			if (!room)
				break;
			limit = min_t(u64, (u64)room * mss, goal);

			/* The receiver's window (RFC 9293 3.8.6.2.1). */
			if (skb->len > usable) {
				if (!usable || usable < xtcp_sws_threshold(xs)) {
					if (xs->snd_nxt == xs->snd_una &&
					    xs->rtx_mode == XTCP_RTX_OFF)
						xtcp_arm_rtx(sk, XTCP_RTX_PERSIST);
					break;
				}
				limit = min(limit, usable);
			}
			/*
			 * A short last segment without a FIN or urgent data: a cork
			 * holds it; Nagle (RFC 9293 3.7.4) holds it while data is in
			 * flight. The whole segments before it go.
			 */
			if (mode != XTCP_PUSH_NOW && !xs->urg_mode && limit >= skb->len &&
			    skb->len % mss && skb_queue_is_last(&sk->sk_write_queue, skb) &&
			    !(cb->flags & XTCPHDR_FIN) &&
			    (xs->cork || mode == XTCP_PUSH_MORE ||
			     (!xs->nodelay && xs->snd_nxt != xs->snd_una))) {
				if (skb->len < mss) {
					if ((xs->cork || mode == XTCP_PUSH_MORE) &&
					    xs->snd_nxt == xs->snd_una &&
					    xs->rtx_mode == XTCP_RTX_OFF)
						xtcp_arm_rtx(sk, XTCP_RTX_CORK);
					break;
				}
				limit = rounddown(skb->len, mss);
			}
			/* Enough of ours waits in the qdiscs below (offload.c). */
			if (xtcp_tsq_throttled(sk, skb))
				break;
			if (skb->len > limit && !xtcp_split(sk, skb, limit)) {
				/* No memory to cut it: the next ACK or the timer tries again. */
				if (xs->snd_nxt == xs->snd_una && xs->rtx_mode == XTCP_RTX_OFF)
					xtcp_arm_rtx(sk, XTCP_RTX_PERSIST);
				break;
			}
		}
		/* Its departure time, where XTCP paces the socket itself (pacing.c). */
		if (xtcp_pacing_wait(sk))
			break;
		xtcp_send_head_skb(sk);
	}
	/* No new data could go: the holes not yet taken as lost (rule 3). */
	if (xs->cwnd.recovery && xs->sack_ok)
		xtcp_sack_retransmit(sk, true);
	/* Sent some: a writer held back by TCP_NOTSENT_LOWAT may go on. */
	if (xs->notsent_lowat && xs->snd_nxt != snd_nxt && sk->sk_socket &&
	    test_bit(SOCK_NOSPACE, &sk->sk_socket->flags))
		sk->sk_write_space(sk);
}

/**
 * xtcp_send_loss_probe() - the tail loss probe's timer fired (RFC 8985 7.3):
 * one new segment if the peer's window takes it (whatever cwnd says), else the
 * last segment sent, again; then the RTO for the rest.
 * @sk: the socket, locked, with data in flight.
 */
void xtcp_send_loss_probe(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 mss = xs->mss ? xs->mss : XTCP_MSS_DEFAULT;
	struct sk_buff *skb = xs->send_head;
	u32 nxt = xs->snd_nxt, end;

	/*
	 * The episode is open even if nothing could go: no other probe until
	 * an ACK reaches what is sent now, and the RTO below, not a probe.
	 */
	xs->tlp_out = true;
	xs->tlp_retrans = false;
	if (skb && skb->len && xtcp_usable_window(xs, XTCP_SKB_CB(skb)) >= min(skb->len, mss) &&
	    (skb->len <= mss || xtcp_split(sk, skb, mss)))
		xtcp_send_head_skb(sk);
	else if (xtcp_retransmit_seq(sk, xs->snd_nxt - 1, true, &end))
		xs->tlp_retrans = true;
	xs->tlp_high_seq = xs->snd_nxt;
	if (xs->snd_nxt != nxt || xs->tlp_retrans)
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_LOSS_PROBES);
	xtcp_arm_rtx(sk, XTCP_RTX_RETRANSMIT);
}

/**
 * xtcp_stream_memory_free() - TCP_NOTSENT_LOWAT (proto .stream_memory_free): is
 * the unsent part of the write queue below the mark? The socket layer asks
 * it for send() and poll(); with @wake (to wake a waiting writer), below half.
 * @sk: the socket.
 * @wake: 1 from the write-space callback, else 0.
 *
 * Return: true if more may be written.
 */
bool xtcp_stream_memory_free(const struct sock *sk, int wake)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);
	u32 lowat = READ_ONCE(xs->notsent_lowat);
	u32 notsent = READ_ONCE(xs->write_seq) - READ_ONCE(xs->snd_nxt);

	return !lowat || ((u64)notsent << wake) < lowat;
}

/**
 * xtcp_mark_push() - a write ends here: PSH on its last byte (RFC 9293 3.9.1),
 * as Linux marks the last segment of a write, unless MSG_MORE says more comes.
 * @sk: the socket.
 * @flags: the write's flags.
 */
void xtcp_mark_push(struct sock *sk, int flags)
{
	struct sk_buff *skb = skb_peek_tail(&sk->sk_write_queue);

	if (skb && skb->len && !(flags & MSG_MORE))
		XTCP_SKB_CB(skb)->flags |= XTCPHDR_PSH;
}

/**
 * xtcp_push() - send what the window, Nagle, TCP_CORK and the state allow.
 * @sk: the socket.
 */
void xtcp_push(struct sock *sk)
{
	xtcp_push_mode(sk, XTCP_PUSH_NORMAL);
}

/**
 * xtcp_window_blocked() - is the next segment held back by the peer's window?
 * @sk: the socket.
 *
 * Return: true if a segment waits and the window cannot take it.
 */
bool xtcp_window_blocked(const struct sock *sk)
{
	const struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb = xs->send_head;

	u32 usable;

	if (!skb || !skb->len)
		return false;
	usable = xtcp_usable_window(xs, XTCP_SKB_CB(skb));
	return skb->len > usable && usable < xtcp_sws_threshold(xs);
}

/**
 * xtcp_retransmit_head() - go back to SND.UNA and send the oldest segment again.
 * @sk: the socket, with a segment in flight.
 *
 * The rest of the flight follows as ACKs come (go-back-N): without SACK nothing
 * tells which later segments arrived.
 */
void xtcp_retransmit_head(struct sock *sk)
{
	struct sk_buff *skb = skb_peek(&sk->sk_write_queue);
	struct xtcp_sock *xs = xtcp_sk(sk);

	xs->send_head = skb;
	if (!skb)
		return;
	xs->snd_nxt = xs->snd_una;
	xs->rtt_timing = false;
	/* One segment, as the window after a timeout allows; the rest follows. */
	if (skb->len > xs->mss && xs->mss)
		xtcp_split(sk, skb, xs->mss);
	xtcp_send_head_skb(sk);
}

/**
 * xtcp_frto_start() - a timeout F-RTO tests (RFC 5682 2.1 (1)): the segment
 * at SND.UNA again, and nothing more yet. SND.NXT stays where it was, so that
 * what the next ACK lets go is new data (input.c decides the rest).
 * @sk: the socket, locked, with new data waiting.
 */
void xtcp_frto_start(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 end;

	/* Karn: an ACK may now answer either transmission. */
	xs->rtt_timing = false;
	if (!xtcp_retransmit_seq(sk, xs->snd_una, false, &end)) {
		xtcp_retransmit_head(sk);
		return;
	}
	xs->frto = 1;
	xs->frto_undo = true;
	xs->frto_rtx_end = end;
}

/**
 * xtcp_frto_goback() - F-RTO found the timeout real (RFC 5682 2.1 (2a),
 * (3a)): the conventional recovery, go-back-N from what the timeout sent
 * again.
 * @sk: the socket, locked.
 */
void xtcp_frto_goback(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	u32 from = xtcp_seq_after(xs->frto_rtx_end, xs->snd_una) ? xs->frto_rtx_end : xs->snd_una;
	struct sk_buff *skb;

	xs->frto = 0;
	xs->frto_room = 0;
	skb_queue_walk(&sk->sk_write_queue, skb) {
		struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

		if (skb == xs->send_head)
			return;		/* nothing sent beyond it */
		if (!xtcp_seq_before(from, cb->end_seq))
			continue;
		/* Without memory to cut it, all of it goes again. */
		if (xtcp_seq_after(from, cb->seq) && xtcp_split(sk, skb, from - cb->seq))
			skb = skb_queue_next(&sk->sk_write_queue, skb);
		xs->send_head = skb;
		xs->snd_nxt = XTCP_SKB_CB(skb)->seq;
		xs->rtt_timing = false;
		return;
	}
}

/**
 * xtcp_acked_rtt_us() - the RTT an ACK samples for the controller.
 * @sk: the socket.
 * @ack: the ACK's new SND.UNA.
 *
 * Return: the time since the newest segment it covers (whole or in part) was
 * sent, in microseconds; -1 if that segment was sent more than once (Karn:
 * either copy may have been answered) or there is none.
 */
s32 xtcp_acked_rtt_us(struct sock *sk, u32 ack)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb, *last = NULL;
	const struct xtcp_skb_cb *cb;

	skb_queue_walk(&sk->sk_write_queue, skb) {
		if (skb == xs->send_head || !xtcp_seq_before(XTCP_SKB_CB(skb)->seq, ack))
			break;
		last = skb;
	}
	if (!last)
		return -1;
	cb = XTCP_SKB_CB(last);
	if (cb->txf & XTCP_TXF_RETRANS)
		return -1;
	return min_t(u32, (u32)xtcp_clock_us() - cb->xmit_us, S32_MAX);
}

/**
 * xtcp_retransmit_una() - fast retransmit: send the segment at SND.UNA again
 * (one MSS of the oldest skb), leaving SND.NXT and the rest of the queue as
 * they are (RFC 5681 3.2, RFC 6582).
 * @sk: the socket, with data in flight.
 */
void xtcp_retransmit_una(struct sock *sk)
{
	u32 end;

	/* Only what was sent; a bare FIN waits for the timer. */
	if (xtcp_retransmit_seq(sk, xtcp_sk(sk)->snd_una, false, &end)) {
		xtcp_inc_stats(sock_net(sk), XTCP_MIB_FAST_RETRANS);
		xtcp_sk(sk)->undo_retrans++;
	}
}

/**
 * xtcp_clean_acked() - free what SEG.ACK acknowledges.
 * @sk: the socket.
 * @ack: the new SND.UNA.
 *
 * Return: true if memory was freed (the writer may continue).
 */
bool xtcp_clean_acked(struct sock *sk, u32 ack)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb;
	bool freed = false;

	while ((skb = skb_peek(&sk->sk_write_queue))) {
		struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

		if (xtcp_seq_leq(cb->end_seq, ack)) {
			if (xs->send_head == skb)
				xtcp_advance_send_head(sk, skb);
			xtcp_free_queued(sk, skb);
			freed = true;
			continue;
		}
		if (xtcp_seq_after(ack, cb->seq)) {
			/* Part of it is acknowledged: keep the rest. */
			u32 n = ack - cb->seq;

			if (cb->flags & XTCPHDR_SYN) {
				cb->flags &= ~XTCPHDR_SYN;
				cb->seq++;
				n--;
			}
			/* Without memory to trim it, it starts below SND.UNA: harmless. */
			if (n && !xtcp_trim_head(skb, n))
				cb->seq += n;
		}
		break;
	}
	if (xtcp_seq_before(xs->snd_nxt, ack))
		xs->snd_nxt = ack;
	/* All acknowledged, nothing left to send: idle (rate.c). */
	if (skb_queue_empty(&sk->sk_write_queue))
		xtcp_rate_busy(&xs->rate, false, ack, xtcp_clock_us());
	return freed;
}

/**
 * xtcp_write_queue_purge() - drop everything not yet acknowledged.
 * @sk: the socket.
 */
void xtcp_write_queue_purge(struct sock *sk)
{
	struct sk_buff *skb;

	while ((skb = skb_peek(&sk->sk_write_queue)))
		xtcp_free_queued(sk, skb);
	xtcp_sk(sk)->send_head = NULL;
	xtcp_rate_busy(&xtcp_sk(sk)->rate, false, xtcp_sk(sk)->rate.start_una,
		       xtcp_clock_us());
}

/**
 * xtcp_queue_fin() - end the send direction: a FIN after the last byte.
 * @sk: the socket.
 */
void xtcp_queue_fin(struct sock *sk)
{
	struct xtcp_sock *xs = xtcp_sk(sk);
	struct sk_buff *skb;

	if (xs->fin_queued)
		return;
	/* A FIN must go out even when memory is short: wait a little for it. */
	skb = xtcp_alloc_ctl_skb(sk, sk->sk_allocation | __GFP_NOFAIL);
	XTCP_SKB_CB(skb)->flags = XTCPHDR_FIN;
	xtcp_queue_skb(sk, skb);
	xs->fin_queued = true;
	xtcp_push(sk);
}

/**
 * xtcp_queue_syn() - start an open: the SYN is the first segment of the queue.
 * @sk: the socket, SND.UNA = SND.NXT = WRITE_SEQ = ISS set.
 *
 * Return: 0 or -ENOBUFS.
 */
int xtcp_queue_syn(struct sock *sk)
{
	struct sk_buff *skb;

	skb = xtcp_alloc_ctl_skb(sk, sk->sk_allocation);
	if (!skb)
		return -ENOBUFS;
	XTCP_SKB_CB(skb)->flags = XTCPHDR_SYN;
	xtcp_queue_skb(sk, skb);
	return 0;
}
