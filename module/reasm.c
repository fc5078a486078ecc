// SPDX-License-Identifier: GPL-2.0
/*
 * reasm.c - reassembly: segments that arrive beyond RCV.NXT wait, in sequence
 * order, until the gap before them fills (RFC 9293 3.10.7.4, seventh step: "
 * segments with higher beginning sequence numbers ... may be held").
 *
 * The queue is a sorted sk_buff_head. Each skb's data starts at its payload, and
 * its control block gives [seq, end_seq), a FIN counting one. Free of socket
 * locking and accounting (the caller charges and uncharges), so KUnit drives it.
 */
#include <linux/skbuff.h>

#include "seq.h"
#include "xtcp.h"

/**
 * xtcp_reasm_trim() - keep only the part of a segment inside [@from, @to).
 * @skb: the segment, data at skb->data.
 * @from: the first sequence number to keep (RCV.NXT).
 * @to: the first one not to keep (the window's right edge).
 *
 * A FIN beyond @to goes too.
 *
 * Return: false if nothing is left or the skb could not be trimmed.
 */
bool xtcp_reasm_trim(struct sk_buff *skb, u32 from, u32 to)
{
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

	if (xtcp_seq_before(cb->seq, from)) {
		u32 n = from - cb->seq;

		if (n > skb->len)
			return false;
		if (!pskb_pull(skb, n))
			return false;
		cb->seq = from;
	}
	if (xtcp_seq_after(cb->seq + skb->len, to)) {
		if (xtcp_seq_leq(to, cb->seq) || pskb_trim(skb, to - cb->seq))
			return false;
		cb->flags &= ~XTCPHDR_FIN;
	}
	cb->end_seq = cb->seq + skb->len + !!(cb->flags & XTCPHDR_FIN);
	return cb->end_seq != cb->seq;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_reasm_trim);

/**
 * xtcp_reasm_insert() - hold an out-of-order segment.
 * @q: the queue, in sequence order.
 * @skb: the segment.
 *
 * Return: false if it adds nothing to what is held (a duplicate); the caller frees
 * it then. Partial overlaps are kept and trimmed when they are delivered.
 */
bool xtcp_reasm_insert(struct sk_buff_head *q, struct sk_buff *skb)
{
	struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);
	struct sk_buff *pos;

	skb_queue_walk(q, pos) {
		struct xtcp_skb_cb *pcb = XTCP_SKB_CB(pos);

		if (xtcp_seq_leq(pcb->seq, cb->seq) && xtcp_seq_geq(pcb->end_seq, cb->end_seq))
			return false;
		if (xtcp_seq_after(pcb->seq, cb->seq)) {
			__skb_queue_before(q, pos, skb);
			return true;
		}
	}
	__skb_queue_tail(q, skb);
	return true;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_reasm_insert);

/**
 * xtcp_reasm_next() - the held segment that continues the stream at @rcv_nxt.
 * @q: the queue.
 * @rcv_nxt: RCV.NXT.
 *
 * Segments wholly before @rcv_nxt are freed on the way.
 *
 * Return: the segment, unlinked and trimmed to begin at @rcv_nxt, or NULL while
 * a gap remains.
 */
struct sk_buff *xtcp_reasm_next(struct sk_buff_head *q, u32 rcv_nxt)
{
	struct sk_buff *skb;

	while ((skb = skb_peek(q))) {
		struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

		if (xtcp_seq_after(cb->seq, rcv_nxt))
			return NULL;
		__skb_unlink(skb, q);
		if (xtcp_seq_leq(cb->end_seq, rcv_nxt) ||
		    !xtcp_reasm_trim(skb, rcv_nxt, cb->end_seq)) {
			kfree_skb(skb);
			continue;
		}
		return skb;
	}
	return NULL;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_reasm_next);

/**
 * xtcp_reasm_prune() - free held segments to make room, the highest first.
 * @q: the queue, in sequence order.
 * @after: only segments that begin after this sequence number go (RCV.NXT, or a
 *	new segment's own start: what lies closer to the gap is worth more).
 * @need: the memory (truesize) wanted back.
 *
 * As TCP prunes its out-of-order queue: from the end, until @need is met. What
 * is freed is the peer's to send again; nothing acknowledged is lost.
 *
 * Return: the truesize freed (may be less than @need, or more by one skb).
 */
unsigned int xtcp_reasm_prune(struct sk_buff_head *q, u32 after, unsigned int need)
{
	unsigned int freed = 0;
	struct sk_buff *skb;

	while (freed < need && (skb = skb_peek_tail(q)) &&
	       xtcp_seq_after(XTCP_SKB_CB(skb)->seq, after)) {
		__skb_unlink(skb, q);
		freed += skb->truesize;
		kfree_skb(skb);
	}
	return freed;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_reasm_prune);
