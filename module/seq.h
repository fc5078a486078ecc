/* SPDX-License-Identifier: GPL-2.0 */
/*
 * seq.h - sequence-number arithmetic modulo 2^32 (RFC 9293, section 3.4).
 *
 * Sequence numbers wrap, so "a is before b" means that b is reached from a by moving
 * forward less than half the space: the signed 32-bit difference is negative. Two
 * numbers exactly 2^31 apart are each "before" the other; RFC 1982 leaves that case
 * undefined and callers never compare numbers so far apart (windows are < 2^30).
 */
#ifndef _XTCP_SEQ_H
#define _XTCP_SEQ_H

#include <linux/types.h>

/* a < b */
static inline bool xtcp_seq_before(u32 a, u32 b)
{
	return (s32)(a - b) < 0;
}

/* a > b */
static inline bool xtcp_seq_after(u32 a, u32 b)
{
	return xtcp_seq_before(b, a);
}

/* a <= b */
static inline bool xtcp_seq_leq(u32 a, u32 b)
{
	return !xtcp_seq_after(a, b);
}

/* a >= b */
static inline bool xtcp_seq_geq(u32 a, u32 b)
{
	return !xtcp_seq_before(a, b);
}

/* lo <= seq <= hi, walking forward from lo (hi may have wrapped past zero). */
static inline bool xtcp_seq_between(u32 seq, u32 lo, u32 hi)
{
	return seq - lo <= hi - lo;
}

/*
 * start <= seq < start + len: seq falls in a window of len numbers (len < 2^31).
 * An empty window (len 0) holds nothing.
 */
static inline bool xtcp_seq_in_window(u32 seq, u32 start, u32 len)
{
	return seq - start < len;
}

/* The later / earlier of two sequence numbers. */
static inline u32 xtcp_seq_max(u32 a, u32 b)
{
	return xtcp_seq_after(a, b) ? a : b;
}

static inline u32 xtcp_seq_min(u32 a, u32 b)
{
	return xtcp_seq_before(a, b) ? a : b;
}

/**
 * xtcp_seq_acceptable() - RFC 9293 3.10.7.4: may a segment be taken at all?
 * @seq: SEG.SEQ.
 * @len: SEG.LEN, counting SYN and FIN as one each.
 * @rcv_nxt: RCV.NXT.
 * @rcv_wnd: RCV.WND.
 *
 * The four cases of the RFC: with an empty segment, its number must be RCV.NXT
 * (zero window) or fall in the window; a segment with data in a zero window is
 * never acceptable (its ACK, URG and RST are still processed by the caller);
 * otherwise its first or its last number must fall in the window.
 *
 * Return: true if acceptable.
 */
static inline bool xtcp_seq_acceptable(u32 seq, u32 len, u32 rcv_nxt, u32 rcv_wnd)
{
	if (!len)
		return rcv_wnd ? xtcp_seq_in_window(seq, rcv_nxt, rcv_wnd) : seq == rcv_nxt;
	if (!rcv_wnd)
		return false;
	return xtcp_seq_in_window(seq, rcv_nxt, rcv_wnd) ||
	       xtcp_seq_in_window(seq + len - 1, rcv_nxt, rcv_wnd);
}

/**
 * xtcp_ack_acceptable() - RFC 9293 3.10.7.4 (ESTABLISHED and later): does
 * SEG.ACK acknowledge something new, SND.UNA < SEG.ACK =< SND.NXT?
 * @ack: SEG.ACK.
 * @snd_una: SND.UNA.
 * @snd_nxt: SND.NXT.
 *
 * Return: true if it does.
 */
static inline bool xtcp_ack_acceptable(u32 ack, u32 snd_una, u32 snd_nxt)
{
	return xtcp_seq_after(ack, snd_una) && xtcp_seq_leq(ack, snd_nxt);
}

#endif /* _XTCP_SEQ_H */
