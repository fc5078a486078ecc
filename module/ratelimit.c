// SPDX-License-Identifier: GPL-2.0
/*
 * ratelimit.c - bounds on the replies a peer can provoke.
 *
 * Two limits, as TCP has them:
 * - challenge ACKs (RFC 5961 section 7): a per-second budget for the whole
 *   namespace, net.xtcp.challenge_ack_limit on average. Each second's budget is
 *   drawn at random between half and one and a half times the limit, so that an
 *   off-path attacker cannot learn from the count of challenges it sees whether
 *   its own guesses drew some (the side channel of CVE-2016-5696).
 * - ACKs answering segments outside the window, or ACKing what was never sent:
 *   at most one per connection every net.xtcp.invalid_ratelimit ms. Two ends
 *   that disagree about the sequence space (a desynchronised pair) would
 *   otherwise answer each other's ACKs forever: an ACK storm. Challenge ACKs
 *   pass this limit first, as TCP's do.
 *
 * The arithmetic is pure (KUnit drives it); the socket helpers count what they
 * hold back.
 */
#include <linux/atomic.h>
#include <linux/jiffies.h>
#include <linux/random.h>

#include "xtcp.h"

/**
 * xtcp_budget_take() - take one from a budget that is refilled each second.
 * @b: the budget.
 * @now: the current second.
 * @limit: the average per second; 0 lets nothing through.
 *
 * The first call in a new second draws its budget: @limit / 2 plus a random
 * number below @limit. Two CPUs starting the same second may both draw it; the
 * budget is approximate, as TCP's.
 *
 * Return: true if one was taken (the reply may go).
 */
bool xtcp_budget_take(struct xtcp_budget *b, u32 now, u32 limit)
{
	if (READ_ONCE(b->second) != now) {
		u32 rnd = limit ? (u32)(((u64)get_random_u32() * limit) >> 32) : 0;

		WRITE_ONCE(b->second, now);
		atomic_set(&b->left, (int)min_t(u64, (u64)(limit + 1) / 2 + rnd, INT_MAX));
	}
	return atomic_dec_if_positive(&b->left) >= 0;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_budget_take);

/**
 * xtcp_interval_limited() - is a reply within @interval of the last one?
 * @last: when the last one went (jiffies; 0 for never); set to @now when this
 *	one may go.
 * @now: the current time, jiffies.
 * @interval: the least time between two, jiffies; 0 for no limit.
 *
 * A @last in the future (jiffies wrapped around it) does not hold a reply back.
 *
 * Return: true if the reply must be held back.
 */
bool xtcp_interval_limited(u32 *last, u32 now, u32 interval)
{
	if (*last && interval) {
		s32 elapsed = (s32)(now - *last);

		if (elapsed >= 0 && (u32)elapsed < interval)
			return true;
	}
	*last = now ? now : 1;
	return false;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_interval_limited);

/* Stamps of xtcp_stamp_limited(): 8 ms units, 15 bits (a wrap in 262 s). */
#define XTCP_STAMP_SHIFT	3
#define XTCP_STAMP_MASK		0x7fff

/**
 * xtcp_stamp_limited() - xtcp_interval_limited() on a 15-bit clock, for a
 * TIME_WAIT entry, which has no room for a whole time.
 * @last: the last reply's stamp; 0 for never.
 * @now_ms: the time, ms (any clock that wraps at 2^32).
 * @interval_ms: the least time between two replies, ms; 0 for no limit.
 * @stamp: set to the reply's stamp (never 0) when it may go.
 *
 * The clock wraps: a reply that comes a whole number of wraps (262 s) after
 * the last, give or take less than @interval_ms, is held back once, which
 * costs an ACK that was not needed.
 *
 * Return: true if the reply must be held back.
 */
bool xtcp_stamp_limited(u16 last, u32 now_ms, u32 interval_ms, u16 *stamp)
{
	u16 now = (now_ms >> XTCP_STAMP_SHIFT) & XTCP_STAMP_MASK;

	if (last && interval_ms) {
		u32 elapsed = (u16)(now - last) & XTCP_STAMP_MASK;

		if ((elapsed << XTCP_STAMP_SHIFT) < interval_ms)
			return true;
	}
	*stamp = now ? now : 1;
	return false;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_stamp_limited);

/* The connection's out-of-window limit; counts a reply held back under @mib. */
static bool xtcp_oow_limited(struct sock *sk, enum xtcp_mib_field mib)
{
	struct net *net = sock_net(sk);
	u32 ms = READ_ONCE(xtcp_pernet(net)->sysctl.invalid_ratelimit);

	if (!xtcp_interval_limited(&xtcp_sk(sk)->last_oow_ack, (u32)jiffies,
				   msecs_to_jiffies(ms)))
		return false;
	xtcp_inc_stats(net, mib);
	return true;
}

/**
 * xtcp_send_dupack() - acknowledge RCV.NXT in answer to a segment we cannot
 * take (outside the window, or ACKing what we never sent), within the limit.
 * @sk: the socket, locked, synchronized.
 * @skb: the segment.
 *
 * Segments with data (and no SYN) are always answered: a retransmission of data
 * we have needs its ACK, and data is no part of an ACK loop (TCP's rule).
 */
void xtcp_send_dupack(struct sock *sk, const struct sk_buff *skb)
{
	const struct xtcp_skb_cb *cb = XTCP_SKB_CB(skb);

	if (cb->end_seq == cb->seq || (cb->flags & XTCPHDR_SYN)) {
		if (xtcp_oow_limited(sk, XTCP_MIB_ACK_SKIPPED_SEQ))
			return;
	}
	xtcp_send_ack(sk);
}

/**
 * xtcp_send_challenge_ack() - a challenge ACK (RFC 5961 3.2, 4.2, 5.2): prove
 * you see our sequence space; within the connection's and the namespace's
 * limits.
 * @sk: the socket, locked, synchronized.
 */
void xtcp_send_challenge_ack(struct sock *sk)
{
	struct net *net = sock_net(sk);
	u32 limit = READ_ONCE(xtcp_pernet(net)->sysctl.challenge_ack_limit);

	if (xtcp_oow_limited(sk, XTCP_MIB_ACK_SKIPPED_CHALLENGE))
		return;
	if (!xtcp_budget_take(&xtcp_pernet(net)->challenge, (u32)(jiffies / HZ), limit)) {
		xtcp_inc_stats(net, XTCP_MIB_ACK_SKIPPED_CHALLENGE);
		return;
	}
	xtcp_inc_stats(net, XTCP_MIB_CHALLENGE_ACKS);
	xtcp_send_ack(sk);
}
