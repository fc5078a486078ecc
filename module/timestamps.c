// SPDX-License-Identifier: GPL-2.0
/*
 * timestamps.c - the timestamps option (RFC 7323 sections 3-5): the clock our
 * TSvals come from, PAWS, TS.Recent, and RTT samples from echoed timestamps.
 *
 * TSval = a millisecond clock (RFC 7323 5.4 asks for a tick between 1 ms and
 * 1 s) + an offset, a keyed hash of the two addresses drawn per namespace
 * (RFC 7323 7.1 asks that an observer learn nothing of the host's uptime). The
 * offset depends on the addresses only, not the ports, so that every
 * connection between two hosts has timestamps on one clock: a new incarnation
 * of a 4-tuple starts above the old one's (RFC 6191), and a SYN cookie's
 * timestamp can be read again without state.
 *
 * The checks are pure functions of their arguments, for KUnit.
 */
#include <linux/ktime.h>
#include <linux/siphash.h>
#include <linux/timekeeping.h>

#include "seq.h"
#include "xtcp.h"

/**
 * xtcp_ts_clock() - the timestamp clock, before the connection's offset.
 *
 * Return: milliseconds of the monotonic clock, truncated to 32 bits.
 */
u32 xtcp_ts_clock(void)
{
	return (u32)div_u64(ktime_get_ns(), NSEC_PER_MSEC);
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_ts_clock);

/**
 * xtcp_ts_offset() - what our TSvals to a peer add to xtcp_ts_clock().
 * @net: the namespace.
 * @saddr: our address.
 * @daddr: the peer's.
 *
 * Return: the offset.
 */
u32 xtcp_ts_offset(const struct net *net, __be32 saddr, __be32 daddr)
{
	return siphash_2u32((__force u32)saddr, (__force u32)daddr,
			    &xtcp_pernet(net)->ts_key);
}

/**
 * xtcp_paws_ok() - PAWS (RFC 7323 5.3, R1): may a segment with @tsval be taken?
 * @ts_recent: TS.Recent.
 * @recent_stamp: when it was set, in seconds.
 * @tsval: the segment's TSval.
 * @now_secs: the time now, in seconds (the clock of @recent_stamp).
 *
 * A TSval older than TS.Recent is an old duplicate, unless TS.Recent is itself
 * older than 24 days: then the peer's clock may have wrapped meanwhile, and
 * TS.Recent says nothing (RFC 7323 5.5). Equal is not older: segments sent
 * within one tick share a TSval. RSTs are not checked (the caller's rule).
 *
 * Return: true if the segment passes.
 */
bool xtcp_paws_ok(u32 ts_recent, u32 recent_stamp, u32 tsval, u32 now_secs)
{
	if ((s32)(tsval - ts_recent) >= 0)
		return true;
	return now_secs - recent_stamp > XTCP_PAWS_IDLE_SECS;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_paws_ok);

/**
 * xtcp_ts_recent_due() - does an acceptable segment's TSval become TS.Recent
 * (RFC 7323 4.3 and 5.3, R3)?
 * @seq: the segment's sequence number.
 * @rcv_wup: RCV.NXT when we last sent an ACK (Last.ACK.sent).
 *
 * Only a segment that begins at or below the last ACK we sent: the TSval echoed
 * is then that of the segment that made the ACK due, and a segment that fills
 * a hole later does not move TS.Recent past data still to come (4.3's rules).
 * The caller has checked PAWS (the TSval is not older).
 *
 * Return: true to update TS.Recent.
 */
bool xtcp_ts_recent_due(u32 seq, u32 rcv_wup)
{
	return xtcp_seq_leq(seq, rcv_wup);
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_ts_recent_due);

/**
 * xtcp_ts_rtt_us() - an RTT sample from an echoed timestamp (RTTM, RFC 7323 4).
 * @now_ts: our TSval clock now (xtcp_ts_clock() + the offset).
 * @tsecr: the ACK's TSecr.
 *
 * Return: the sample in microseconds (a tick below 1 ms counts as 1 ms), or 0
 * when @tsecr is 0 (nothing echoed) or not in the past 2^31 ms (forged or
 * wrapped).
 */
u32 xtcp_ts_rtt_us(u32 now_ts, u32 tsecr)
{
	s32 ms = (s32)(now_ts - tsecr);

	if (!tsecr || ms < 0 || (u32)ms > XTCP_RTO_MAX_US / USEC_PER_MSEC)
		return 0;
	return max_t(u32, ms, 1) * USEC_PER_MSEC;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_ts_rtt_us);

/**
 * xtcp_ts_store_recent() - TS.Recent = @tsval, now.
 * @xs: the socket, locked.
 * @tsval: the TSval.
 */
void xtcp_ts_store_recent(struct xtcp_sock *xs, u32 tsval)
{
	xs->ts_recent = tsval;
	xs->ts_recent_stamp = (u32)ktime_get_seconds();
}
