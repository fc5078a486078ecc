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

#endif /* _XTCP_SEQ_H */
