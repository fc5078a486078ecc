// SPDX-License-Identifier: GPL-2.0
/*
 * options.c - TCP options: parsing what a segment carries, writing what XTCP sends
 * (RFC 9293 section 3.1 and 3.7.1, RFC 7323).
 *
 * Pure logic on byte buffers, free of sockets and locks, so that KUnit drives it
 * directly.
 */
#include <linux/errno.h>
#include <linux/minmax.h>
#include <linux/string.h>

#include "xtcp.h"

/* Option kinds and lengths (IANA "TCP Option Kind Numbers"). */
#define XTCP_OPT_EOL		0
#define XTCP_OPT_NOP		1
#define XTCP_OPT_MSS		2
#define XTCP_OPT_WSCALE		3
#define XTCP_OPT_SACK_PERM	4
#define XTCP_OPT_SACK		5
#define XTCP_OPT_TIMESTAMP	8

#define XTCP_OPTLEN_MSS		4
#define XTCP_OPTLEN_WSCALE	3
#define XTCP_OPTLEN_SACK_PERM	2
#define XTCP_OPTLEN_TIMESTAMP	10
/* A SACK option: kind, length, then 8 bytes per block. */
#define XTCP_OPTLEN_SACK_BASE	2
#define XTCP_OPTLEN_SACK_BLOCK	8

/* RFC 7323 2.3: a larger shift is taken as 14. */
#define XTCP_MAX_WSCALE		14

/* The fixed length of a known kind, or 0 for kinds XTCP skips. */
static unsigned int xtcp_option_len(u8 kind)
{
	switch (kind) {
	case XTCP_OPT_MSS:
		return XTCP_OPTLEN_MSS;
	case XTCP_OPT_WSCALE:
		return XTCP_OPTLEN_WSCALE;
	case XTCP_OPT_SACK_PERM:
		return XTCP_OPTLEN_SACK_PERM;
	case XTCP_OPT_TIMESTAMP:
		return XTCP_OPTLEN_TIMESTAMP;
	default:
		return 0;
	}
}

/**
 * xtcp_parse_options() - read the options of one segment.
 * @opt: the option bytes (after the 20-byte fixed header).
 * @len: how many (data offset * 4 - 20; at most 40).
 * @syn: the segment has SYN set: only then are MSS, window scale and
 *	 SACK-permitted taken (RFC 9293 3.7.1, RFC 7323 2.2, RFC 2018), and
 *	 only without it SACK blocks.
 * @out: what was found; zeroed first. An MSS of 0 counts as absent.
 *
 * Unknown kinds are skipped by their length. End of Option List stops the walk.
 * A malformed list is refused whole (RFC 9293 MUST-7 asks that it not crash; the
 * caller drops and counts the segment): a length byte below 2, an option that runs
 * past @len (including a kind byte with no length after it), or a known kind with
 * a length other than its own.
 *
 * Return: 0, or -EINVAL for a malformed list.
 */
int xtcp_parse_options(const u8 *opt, unsigned int len, bool syn,
		       struct xtcp_options *out)
{
	unsigned int i = 0;

	memset(out, 0, sizeof(*out));
	if (len > XTCP_MAX_OPTION_SPACE)
		return -EINVAL;

	while (i < len) {
		u8 kind = opt[i];
		unsigned int olen, want;

		if (kind == XTCP_OPT_EOL)
			break;
		if (kind == XTCP_OPT_NOP) {
			i++;
			continue;
		}
		if (len - i < 2)
			return -EINVAL;
		olen = opt[i + 1];
		if (olen < 2 || olen > len - i)
			return -EINVAL;
		want = xtcp_option_len(kind);
		if (want && olen != want)
			return -EINVAL;

		switch (kind) {
		case XTCP_OPT_MSS:
			if (syn)
				out->mss = get_unaligned_be16(&opt[i + 2]);
			break;
		case XTCP_OPT_WSCALE:
			if (syn) {
				out->wscale_ok = true;
				out->wscale = min_t(u8, opt[i + 2], XTCP_MAX_WSCALE);
			}
			break;
		case XTCP_OPT_SACK_PERM:
			if (syn)
				out->sack_ok = true;
			break;
		case XTCP_OPT_TIMESTAMP:
			out->ts_ok = true;
			out->tsval = get_unaligned_be32(&opt[i + 2]);
			out->tsecr = get_unaligned_be32(&opt[i + 6]);
			break;
		case XTCP_OPT_SACK:
			/* Whole blocks, or none: a bad length is ignored, as Linux does. */
			if (!syn && olen >= XTCP_OPTLEN_SACK_BASE + XTCP_OPTLEN_SACK_BLOCK &&
			    !((olen - XTCP_OPTLEN_SACK_BASE) % XTCP_OPTLEN_SACK_BLOCK)) {
				unsigned int b, n = (olen - XTCP_OPTLEN_SACK_BASE) /
						    XTCP_OPTLEN_SACK_BLOCK;

				n = min_t(unsigned int, n, XTCP_SACK_BLOCKS);
				for (b = 0; b < n; b++) {
					const u8 *q = &opt[i + 2 + b * XTCP_OPTLEN_SACK_BLOCK];

					out->sacks[b].start = get_unaligned_be32(q);
					out->sacks[b].end = get_unaligned_be32(q + 4);
				}
				out->nr_sacks = n;
			} else if (!syn) {
				out->sack_bad = true;
			}
			break;
		}
		i += olen;
	}
	return 0;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_parse_options);

/**
 * xtcp_write_options() - write the options @o asks for, aligned to 32 bits.
 * @p: where; room for XTCP_MAX_OPTION_SPACE bytes.
 * @o: MSS if nonzero, window scale if wscale_ok, SACK-permitted if sack_ok,
 *     timestamps if ts_ok, SACK blocks if nr_sacks. The caller sets the
 *     SYN-only ones on SYNs only.
 *
 * The layout is the one most stacks use, so that captures read familiarly:
 * MSS; SACK-permitted paired with timestamps (or two NOPs before either alone);
 * NOP + window scale; two NOPs and the SACK blocks, as many as fit in what is
 * left of the 40 bytes (3 beside timestamps, 4 without).
 *
 * Return: the number of bytes written, a multiple of 4 (at most 40).
 */
unsigned int xtcp_write_options(u8 *p, const struct xtcp_options *o)
{
	u8 *start = p;

	if (o->mss) {
		*p++ = XTCP_OPT_MSS;
		*p++ = XTCP_OPTLEN_MSS;
		put_unaligned_be16(o->mss, p);
		p += 2;
	}
	if (o->sack_ok && o->ts_ok) {
		*p++ = XTCP_OPT_SACK_PERM;
		*p++ = XTCP_OPTLEN_SACK_PERM;
	} else if (o->sack_ok) {
		*p++ = XTCP_OPT_NOP;
		*p++ = XTCP_OPT_NOP;
		*p++ = XTCP_OPT_SACK_PERM;
		*p++ = XTCP_OPTLEN_SACK_PERM;
	} else if (o->ts_ok) {
		*p++ = XTCP_OPT_NOP;
		*p++ = XTCP_OPT_NOP;
	}
	if (o->ts_ok) {
		*p++ = XTCP_OPT_TIMESTAMP;
		*p++ = XTCP_OPTLEN_TIMESTAMP;
		put_unaligned_be32(o->tsval, p);
		put_unaligned_be32(o->tsecr, p + 4);
		p += 8;
	}
	if (o->wscale_ok) {
		*p++ = XTCP_OPT_NOP;
		*p++ = XTCP_OPT_WSCALE;
		*p++ = XTCP_OPTLEN_WSCALE;
		*p++ = min_t(u8, o->wscale, XTCP_MAX_WSCALE);
	}
	if (o->nr_sacks) {
		/* Two NOPs, then as many blocks as the space left takes. */
		unsigned int room = XTCP_MAX_OPTION_SPACE - (p - start);
		unsigned int i, n = 0;

		if (room >= 4 + XTCP_OPTLEN_SACK_BLOCK)
			n = min_t(unsigned int, o->nr_sacks,
				  (room - 4) / XTCP_OPTLEN_SACK_BLOCK);
		n = min_t(unsigned int, n, XTCP_SACK_BLOCKS);
		if (n) {
			*p++ = XTCP_OPT_NOP;
			*p++ = XTCP_OPT_NOP;
			*p++ = XTCP_OPT_SACK;
			*p++ = XTCP_OPTLEN_SACK_BASE + n * XTCP_OPTLEN_SACK_BLOCK;
			for (i = 0; i < n; i++) {
				put_unaligned_be32(o->sacks[i].start, p);
				put_unaligned_be32(o->sacks[i].end, p + 4);
				p += XTCP_OPTLEN_SACK_BLOCK;
			}
		}
	}
	return p - start;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_write_options);
