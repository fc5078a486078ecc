// SPDX-License-Identifier: GPL-2.0
/*
 * sack.c - the receiver's SACK blocks (RFC 2018) and D-SACK (RFC 2883).
 *
 * A receiver that holds data beyond a gap tells the sender which ranges it has,
 * so that only the holes are sent again. XTCP keeps, per connection, the
 * ranges it last reported, most recent first, at most XTCP_SACK_BLOCKS of
 * them: a segment queued out of order joins (or starts) the first block,
 * merged with every block it touches, so that the first block names the whole
 * contiguous range holding the segment that made the ACK (RFC 2018 4); the
 * others follow in the order they last changed. Blocks the in-order data has
 * reached go. A duplicate segment is reported once, as a D-SACK block ahead of
 * the rest (RFC 2883 4): the range below RCV.NXT it repeated, or the part of
 * held data it repeated.
 *
 * The state is fixed in size whatever a peer sends: a peer that makes the
 * receiver hold many ranges only pushes the oldest out of the report.
 *
 * As a sender, XTCP keeps a scoreboard of what the peer's blocks said arrived
 * beyond SND.UNA: at most XTCP_SB_RANGES ranges in sequence order, merged as
 * blocks join them, forgotten as SND.UNA passes them, and emptied by a
 * retransmission timeout. An ACK that SACKs bytes not SACKed before is a
 * duplicate ACK (RFC 6675 2), data on it or not (a peer sending data of its
 * own puts its duplicate ACKs on its segments), and what it SACKed is data
 * delivered (RFC 6937). Blocks outside what is in flight are discarded and
 * counted; D-SACK blocks are told apart (RFC 2883) and not merged. What is
 * lost and what goes again is recovery.c's.
 *
 * Pure functions, for KUnit.
 */
#include <linux/kernel.h>
#include <linux/string.h>

#include "seq.h"
#include "xtcp.h"

/* Does [s1, e1) touch or overlap [s2, e2)? */
static bool xtcp_sack_touch(u32 s1, u32 e1, u32 s2, u32 e2)
{
	return !xtcp_seq_after(s1, e2) && !xtcp_seq_after(s2, e1);
}

/**
 * xtcp_rcv_sack_reset() - no blocks, no D-SACK: a new connection.
 * @s: the state.
 */
void xtcp_rcv_sack_reset(struct xtcp_rcv_sack *s)
{
	memset(s, 0, sizeof(*s));
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_rcv_sack_reset);

/**
 * xtcp_rcv_sack_add() - data [@start, @end) was queued beyond RCV.NXT.
 * @s: the state.
 * @start: its first sequence number.
 * @end: the one after its last.
 *
 * It becomes the first block, merged with every block it touches; a full
 * list loses its oldest.
 */
void xtcp_rcv_sack_add(struct xtcp_rcv_sack *s, u32 start, u32 end)
{
	struct xtcp_sack_block b = { .start = start, .end = end };
	unsigned int i = 0, n = s->nr;

	if (!xtcp_seq_before(start, end))
		return;
	/*
	 * Fold every block that touches b into it. Once b grows it may bridge a
	 * block passed over before: look again from the first.
	 */
	while (i < n) {
		struct xtcp_sack_block *o = &s->blocks[i];

		if (!xtcp_sack_touch(b.start, b.end, o->start, o->end)) {
			i++;
			continue;
		}
		if (xtcp_seq_before(o->start, b.start))
			b.start = o->start;
		if (xtcp_seq_after(o->end, b.end))
			b.end = o->end;
		memmove(o, o + 1, (n - i - 1) * sizeof(*o));
		n--;
		i = 0;
	}
	n = min_t(unsigned int, n, XTCP_SACK_BLOCKS - 1);
	memmove(&s->blocks[1], &s->blocks[0], n * sizeof(s->blocks[0]));
	s->blocks[0] = b;
	s->nr = n + 1;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_rcv_sack_add);

/**
 * xtcp_rcv_sack_advance() - RCV.NXT moved: blocks it reached go, one it entered
 * is cut to start at it.
 * @s: the state.
 * @rcv_nxt: RCV.NXT now.
 */
void xtcp_rcv_sack_advance(struct xtcp_rcv_sack *s, u32 rcv_nxt)
{
	unsigned int i, n = 0;

	for (i = 0; i < s->nr; i++) {
		struct xtcp_sack_block o = s->blocks[i];

		if (!xtcp_seq_after(o.end, rcv_nxt))
			continue;
		if (xtcp_seq_before(o.start, rcv_nxt))
			o.start = rcv_nxt;
		s->blocks[n++] = o;
	}
	s->nr = n;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_rcv_sack_advance);

/**
 * xtcp_rcv_sack_forget() - held data from @from on was dropped (memory
 * pressure pruned it): no block may claim it any more.
 * @s: the state.
 * @from: the first sequence number that may be gone.
 *
 * Blocks beyond @from go, one across it ends there: a report may say less
 * than is held, never more (the sender would not send again what it thinks
 * arrived until its timer fires).
 */
void xtcp_rcv_sack_forget(struct xtcp_rcv_sack *s, u32 from)
{
	unsigned int i, n = 0;

	for (i = 0; i < s->nr; i++) {
		struct xtcp_sack_block o = s->blocks[i];

		if (!xtcp_seq_before(o.start, from))
			continue;
		if (xtcp_seq_after(o.end, from))
			o.end = from;
		s->blocks[n++] = o;
	}
	s->nr = n;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_rcv_sack_forget);

/**
 * xtcp_rcv_sack_dup() - a segment [@start, @end) repeated data we have: the
 * next ACK reports it as a D-SACK block (RFC 2883), once.
 * @s: the state.
 * @start: the repeated range's first sequence number.
 * @end: the one after its last.
 * @rcv_nxt: RCV.NXT: below it the repeat is of in-order data.
 *
 * A range that crosses RCV.NXT is reported up to it (the rest is new or
 * held data, reported by the ordinary blocks). A later duplicate before the
 * ACK replaces an earlier one: the sender learns of the latest.
 */
void xtcp_rcv_sack_dup(struct xtcp_rcv_sack *s, u32 start, u32 end, u32 rcv_nxt)
{
	if (xtcp_seq_before(start, rcv_nxt) && xtcp_seq_after(end, rcv_nxt))
		end = rcv_nxt;
	if (!xtcp_seq_before(start, end))
		return;
	s->dsack.start = start;
	s->dsack.end = end;
	s->dsack_pending = true;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_rcv_sack_dup);

/**
 * xtcp_rcv_sack_fill() - the blocks the next ACK carries: a pending D-SACK
 * first (then taken), the blocks after it, as many as @max allows.
 * @s: the state.
 * @out: room for @max blocks.
 * @max: how many fit beside the other options (3 with timestamps, else 4).
 *
 * Return: the number of blocks written.
 */
unsigned int xtcp_rcv_sack_fill(struct xtcp_rcv_sack *s, struct xtcp_sack_block *out,
				unsigned int max)
{
	unsigned int n = 0, i;

	if (!max)
		return 0;
	if (s->dsack_pending) {
		out[n++] = s->dsack;
		s->dsack_pending = false;
	}
	for (i = 0; i < s->nr && n < max; i++)
		out[n++] = s->blocks[i];
	return n;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_rcv_sack_fill);

/**
 * xtcp_sb_reset() - the scoreboard knows nothing: a new connection, or a
 * retransmission timeout (the receiver may have dropped what it SACKed: RFC
 * 2018 8).
 * @sb: the scoreboard.
 */
void xtcp_sb_reset(struct xtcp_scoreboard *sb)
{
	memset(sb, 0, sizeof(*sb));
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_sb_reset);

/**
 * xtcp_sb_advance() - SND.UNA moved to @una: ranges it reached go, one it
 * entered is cut to start at it.
 * @sb: the scoreboard.
 * @una: SND.UNA now.
 */
void xtcp_sb_advance(struct xtcp_scoreboard *sb, u32 una)
{
	unsigned int i = 0, n = sb->nr;

	while (i < n && !xtcp_seq_after(sb->r[i].end, una)) {
		sb->sacked -= sb->r[i].end - sb->r[i].start;
		i++;
	}
	if (i) {
		memmove(&sb->r[0], &sb->r[i], (n - i) * sizeof(sb->r[0]));
		n -= i;
	}
	if (n && xtcp_seq_before(sb->r[0].start, una)) {
		sb->sacked -= una - sb->r[0].start;
		sb->r[0].start = una;
	}
	sb->nr = n;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_sb_advance);

/*
 * [start, end) was SACKed: merge it with every range it touches, or put it
 * in its place. A full scoreboard forgets its highest range to make room
 * (what it held looks unsent-to: sent again at worst, never taken as
 * arrived when it was not), or the new one when it is the highest.
 * Returns the bytes SACKed for the first time.
 */
static u32 xtcp_sb_add(struct xtcp_scoreboard *sb, u32 start, u32 end)
{
	unsigned int i = 0, j, n = sb->nr;
	u32 s = start, e = end, old = 0;

	while (i < n && xtcp_seq_before(sb->r[i].end, start))
		i++;
	for (j = i; j < n && !xtcp_seq_after(sb->r[j].start, end); j++) {
		u32 lo = xtcp_seq_after(sb->r[j].start, start) ? sb->r[j].start : start;
		u32 hi = xtcp_seq_before(sb->r[j].end, end) ? sb->r[j].end : end;

		if (xtcp_seq_after(hi, lo))
			old += hi - lo;
		if (xtcp_seq_before(sb->r[j].start, s))
			s = sb->r[j].start;
		if (xtcp_seq_after(sb->r[j].end, e))
			e = sb->r[j].end;
		sb->sacked -= sb->r[j].end - sb->r[j].start;
	}
	if (j == i) {
		/* Touches nothing: a new range at i. */
		if (n == XTCP_SB_RANGES) {
			if (i == n)
				return 0;
			n--;
			sb->sacked -= sb->r[n].end - sb->r[n].start;
		}
		memmove(&sb->r[i + 1], &sb->r[i], (n - i) * sizeof(sb->r[0]));
		n++;
	} else if (j > i + 1) {
		memmove(&sb->r[i + 1], &sb->r[j], (n - j) * sizeof(sb->r[0]));
		n -= j - i - 1;
	}
	sb->r[i].start = s;
	sb->r[i].end = e;
	sb->nr = n;
	sb->sacked += e - s;
	return end - start - old;
}

/**
 * xtcp_sb_update() - the SACK blocks of one ACK (RFC 2018), into the scoreboard.
 * @sb: the scoreboard, already advanced to @una.
 * @b: the blocks, as the ACK carried them.
 * @n: how many (no more than XTCP_SACK_BLOCKS are read).
 * @una: SND.UNA, after the ACK.
 * @snd_max: SND.MAX.
 * @bad: blocks that are neither in [@una, @snd_max] nor a D-SACK (the first
 *	block, below @una or inside the second: RFC 2883), backwards or empty;
 *	added to. They are ignored.
 * @dsack: set when the first block is a D-SACK.
 *
 * The cost is bounded whatever a peer sends: four blocks, each merged into at
 * most XTCP_SB_RANGES ranges, and the scoreboard's size is fixed.
 *
 * Return: the bytes SACKed for the first time (RFC 6675's DupAck, and
 * delivered data for PRR).
 */
u32 xtcp_sb_update(struct xtcp_scoreboard *sb, const struct xtcp_sack_block *b,
		   unsigned int n, u32 una, u32 snd_max, unsigned int *bad, bool *dsack)
{
	unsigned int i;
	u32 news = 0;

	for (i = 0; i < n && i < XTCP_SACK_BLOCKS; i++) {
		u32 start = b[i].start, end = b[i].end;

		if (!xtcp_seq_before(start, end)) {
			(*bad)++;
			continue;
		}
		/* D-SACK: a first block below SND.UNA, or inside the second. */
		if (!i && (!xtcp_seq_after(end, una) ||
			   (n > 1 && !xtcp_seq_before(start, b[1].start) &&
			    !xtcp_seq_after(end, b[1].end)))) {
			*dsack = true;
			continue;
		}
		if (xtcp_seq_before(start, una) || xtcp_seq_after(end, snd_max)) {
			(*bad)++;
			continue;
		}
		news += xtcp_sb_add(sb, start, end);
	}
	return news;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_sb_update);

/**
 * xtcp_sb_sacked_in() - the bytes of [@start, @end) the scoreboard holds.
 * @sb: the scoreboard.
 * @start: the first sequence number.
 * @end: the one after the last.
 *
 * Return: the count (0 for an empty or backward range).
 */
u32 xtcp_sb_sacked_in(const struct xtcp_scoreboard *sb, u32 start, u32 end)
{
	unsigned int i;
	u32 n = 0;

	if (!xtcp_seq_before(start, end))
		return 0;
	for (i = 0; i < sb->nr; i++) {
		u32 lo = sb->r[i].start, hi = sb->r[i].end;

		if (!xtcp_seq_before(lo, end))
			break;
		if (xtcp_seq_before(lo, start))
			lo = start;
		if (xtcp_seq_after(hi, end))
			hi = end;
		if (xtcp_seq_after(hi, lo))
			n += hi - lo;
	}
	return n;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_sb_sacked_in);
