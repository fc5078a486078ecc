// SPDX-License-Identifier: GPL-2.0
/*
 * recovery.c - loss recovery with SACK: what is lost (RFC 6675), what is in
 * the network (its pipe), which hole goes next, and how much Proportional Rate
 * Reduction (RFC 6937) lets go on each ACK.
 *
 * With SACK a sender knows which data arrived beyond SND.UNA (the scoreboard,
 * sack.c), so it can send again only what is missing, several holes in one
 * round trip, where NewReno (cwnd.c) repairs one hole per round trip. XTCP
 * follows RFC 6675's conservative recovery:
 *
 * - a byte not SACKed is lost when three discontiguous SACKed ranges lie above
 *   it, or more than two segments' worth of SACKed bytes (IsLost). As the
 *   ranges above a byte only shrink going up, all lost bytes lie below one
 *   point, xtcp_rec_lost_end(); in recovery the segment at SND.UNA counts as
 *   lost too (RFC 6675 5 (4.3): the first retransmission goes whatever the
 *   blocks say, and each partial ACK sends the new first hole, as NewReno's);
 * - recovery starts at the third duplicate ACK or when SND.UNA's byte is lost,
 *   and ends when everything sent before it began is acknowledged;
 * - the pipe, the segments in the network, counts every byte between SND.UNA
 *   and SND.NXT that is neither SACKed nor lost, and again each sent again in
 *   this recovery (below HighRxt);
 * - the next segment is the first lost hole above HighRxt, else new data,
 *   else the first hole above HighRxt with SACKed data beyond it (NextSeg's
 *   rules 1 to 3; output.c sends them);
 * - how many may go is PRR's: while the pipe is above ssthresh, the flight
 *   shrinks in proportion to what is delivered (ssthresh / RecoverFS of it);
 *   below, it grows back to ssthresh no faster than slow start (the
 *   slow-start reduction bound, PRR-SSRB). The window is the pipe plus that.
 *
 * A retransmission timeout ends recovery and empties the scoreboard (sack.c);
 * NewReno's recovery (cwnd.c) stays for peers without SACK.
 *
 * A loss at the tail of a flight brings no duplicate ACKs. The tail loss probe
 * (TLP, RFC 8985 7) goes first: with SACK, outside recovery and timeouts, the
 * timer is armed for two round trips (xtcp_tlp_timeout_us()) instead of the
 * RTO; when it fires, one new segment goes if the peer's window takes it,
 * else the last segment again (output.c), and the RTO is armed. Its ACK or
 * SACK starts a recovery where the RTO would have gone back to SND.UNA with a
 * window of one. One probe per episode: an ACK beyond it after a probe that
 * was a retransmission says a loss was repaired, and the controller reduces
 * once (TCPLossProbeRecovery); a D-SACK or a pure duplicate says both copies
 * arrived.
 *
 * After a timeout, F-RTO (RFC 5682) reads the two ACKs that follow to tell a
 * spurious timeout from a real one (xtcp_frto_verdict(); input.c acts).
 *
 * Pure functions, for KUnit; sequence numbers compare modulo 2^32 (seq.h).
 */
#include <linux/kernel.h>
#include <linux/math64.h>

#include "seq.h"
#include "xtcp.h"

/**
 * xtcp_rec_lost_end() - where the lost data ends (RFC 6675's IsLost).
 * @sb: the scoreboard.
 * @una: SND.UNA.
 * @mss: the sending MSS.
 *
 * Return: the sequence number below which every byte not SACKed is lost: the
 * start of the highest range with XTCP_DUPTHRESH ranges, or more than
 * (XTCP_DUPTHRESH - 1) * @mss SACKed bytes, from it up; @una when none has.
 */
u32 xtcp_rec_lost_end(const struct xtcp_scoreboard *sb, u32 una, u32 mss)
{
	unsigned int k = sb->nr;
	u64 bytes = 0;

	while (k--) {
		bytes += sb->r[k].end - sb->r[k].start;
		if (sb->nr - k >= XTCP_DUPTHRESH || bytes > (u64)(XTCP_DUPTHRESH - 1) * mss)
			return sb->r[k].start;
	}
	return una;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_rec_lost_end);

/**
 * xtcp_rec_pipe() - the segments in the network (RFC 6675's SetPipe).
 * @sb: the scoreboard.
 * @una: SND.UNA.
 * @snd_nxt: SND.NXT.
 * @lost_end: bytes not SACKed below it are lost (xtcp_rec_lost_end()).
 * @high_rxt: bytes not SACKed below it were sent again.
 * @mss: the sending MSS.
 *
 * Return: the bytes in [@una, @snd_nxt) neither SACKed nor lost, plus those
 * not SACKed below @high_rxt, each count in segments (rounded up).
 */
u32 xtcp_rec_pipe(const struct xtcp_scoreboard *sb, u32 una, u32 snd_nxt, u32 lost_end,
		  u32 high_rxt, u32 mss)
{
	u32 lo, hr, out, rtx;

	if (!xtcp_seq_after(snd_nxt, una))
		return 0;
	mss = mss ?: 1;
	lo = xtcp_seq_after(lost_end, una) ? lost_end : una;
	if (xtcp_seq_after(lo, snd_nxt))
		lo = snd_nxt;
	hr = xtcp_seq_after(high_rxt, una) ? high_rxt : una;
	if (xtcp_seq_after(hr, snd_nxt))
		hr = snd_nxt;
	out = snd_nxt - lo - xtcp_sb_sacked_in(sb, lo, snd_nxt);
	rtx = hr - una - xtcp_sb_sacked_in(sb, una, hr);
	return DIV_ROUND_UP(out, mss) + DIV_ROUND_UP(rtx, mss);
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_rec_pipe);

/**
 * xtcp_rec_next_hole() - the first hole to send again (NextSeg, rules 1 and 3).
 * @sb: the scoreboard.
 * @una: SND.UNA.
 * @from: HighRxt: holes below it went already.
 * @below: only a hole starting below it: the lost end for rule 1 (every byte
 *	not SACKed below it is lost), the start of the highest SACKed range for
 *	rule 3 (a hole with SACKed data beyond it).
 * @start: the hole's first sequence number, from @from up.
 * @end: the one after its last, at most @below.
 *
 * Return: true if there is one: a range not SACKed in [max(@una, @from),
 * @below).
 */
bool xtcp_rec_next_hole(const struct xtcp_scoreboard *sb, u32 una, u32 from, u32 below,
			u32 *start, u32 *end)
{
	u32 cur = xtcp_seq_after(from, una) ? from : una;
	unsigned int k;

	for (k = 0; k < sb->nr; k++) {
		if (xtcp_seq_before(cur, sb->r[k].start)) {
			if (!xtcp_seq_before(cur, below))
				return false;
			*start = cur;
			*end = xtcp_seq_before(sb->r[k].start, below) ? sb->r[k].start : below;
			return true;
		}
		if (xtcp_seq_after(sb->r[k].end, cur))
			cur = sb->r[k].end;
	}
	if (!xtcp_seq_before(cur, below))
		return false;
	*start = cur;
	*end = below;
	return true;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_rec_next_hole);

/**
 * xtcp_prr_init() - a SACK recovery begins.
 * @p: PRR's counts.
 * @recover_fs: the flight then, in segments (RecoverFS).
 */
void xtcp_prr_init(struct xtcp_prr *p, u32 recover_fs)
{
	p->recover_fs = max_t(u32, recover_fs, 1);
	p->delivered = 0;
	p->out = 0;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_prr_init);

/**
 * xtcp_prr_cwnd() - the window after an ACK in recovery (RFC 6937 3).
 * @p: PRR's counts; @p->out is raised by the caller as segments go.
 * @delivered: segments this ACK says arrived: acknowledged or newly SACKed.
 * @pipe: the pipe after it (xtcp_rec_pipe()).
 * @ssthresh: the controller's threshold for this loss.
 *
 * While @pipe is above @ssthresh, what may have been sent since the recovery
 * began is @ssthresh / RecoverFS of what was delivered, rounded up; at or
 * below it, the pipe grows back to @ssthresh by at most one segment more than
 * was delivered (PRR-SSRB). The recovery's first ACK lets its retransmission
 * go whatever (as Linux does).
 *
 * Return: the window: @pipe plus what may be sent now.
 */
u32 xtcp_prr_cwnd(struct xtcp_prr *p, u32 delivered, u32 pipe, u32 ssthresh)
{
	u32 sndcnt;

	p->delivered = min_t(u64, (u64)p->delivered + delivered, U32_MAX);
	if (pipe > ssthresh) {
		u64 want = div_u64((u64)p->delivered * ssthresh + p->recover_fs - 1,
				   p->recover_fs);

		sndcnt = want > p->out ? min_t(u64, want - p->out, XTCP_MAX_CWND) : 0;
	} else {
		u32 limit = max(p->delivered > p->out ? p->delivered - p->out : 0, delivered);

		sndcnt = min_t(u64, ssthresh - pipe, (u64)limit + 1);
	}
	if (!p->out)
		sndcnt = max_t(u32, sndcnt, 1);
	return clamp_t(u64, (u64)pipe + sndcnt, 1, XTCP_MAX_CWND);
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_prr_cwnd);

/* RFC 8985 7.2's WCDelAckT: the longest a peer may delay the ACK of a lone segment. */
#define XTCP_TLP_DELACK_US	200000U

/**
 * xtcp_tlp_timeout_us() - when a tail loss probe goes (RFC 8985 7.2's PTO).
 * @srtt_us: the smoothed RTT, 0 before the first sample.
 * @flight: the segments in flight.
 * @rto_us: the retransmission timeout.
 *
 * Two round trips, and the time a peer may hold the ACK of a lone segment when
 * only one is out; a second without an RTT sample.
 *
 * Return: the PTO in microseconds, or 0 when it would not come before the RTO
 * (the RTO is armed instead).
 */
u32 xtcp_tlp_timeout_us(u32 srtt_us, u32 flight, u32 rto_us)
{
	u64 pto = srtt_us ? 2ULL * srtt_us : XTCP_RTO_INIT_US;

	if (srtt_us && flight <= 1)
		pto += XTCP_TLP_DELACK_US;
	return pto < rto_us ? pto : 0;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_tlp_timeout_us);

/**
 * xtcp_frto_verdict() - F-RTO's reading of an ACK after a timeout (RFC 5682 2.1).
 * @step: 1 for the first ACK after the timeout's retransmission, 2 for the
 *	second (new data went).
 * @advanced: it acknowledges new data.
 * @dup: it is a duplicate ACK.
 * @ack: its acknowledgment number.
 * @rtx_end: the end of what the timeout sent again.
 * @snd_max: SND.MAX.
 * @new_data: new data waits to be sent.
 *
 * Return: XTCP_FRTO_WAIT for no verdict (it is neither); at step 1,
 * XTCP_FRTO_NEW_DATA (2b) when it acknowledges what was sent again and not
 * all, with new data to send, else XTCP_FRTO_GOBACK (2a); at step 2,
 * XTCP_FRTO_SPURIOUS when it acknowledges more (3b), XTCP_FRTO_GOBACK for a
 * duplicate (3a).
 */
enum xtcp_frto_verdict xtcp_frto_verdict(u8 step, bool advanced, bool dup, u32 ack, u32 rtx_end,
					 u32 snd_max, bool new_data)
{
	if (!advanced && !dup)
		return XTCP_FRTO_WAIT;
	if (step == 1)
		return advanced && xtcp_seq_geq(ack, rtx_end) && ack != snd_max && new_data ?
		       XTCP_FRTO_NEW_DATA : XTCP_FRTO_GOBACK;
	return advanced ? XTCP_FRTO_SPURIOUS : XTCP_FRTO_GOBACK;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_frto_verdict);
