// SPDX-License-Identifier: GPL-2.0
/*
 * syncookie.c - SYN cookies: a SYN-ACK whose sequence number carries all the
 * listener needs to build the connection when the handshake's ACK comes back, so
 * that a SYN flood costs no memory.
 *
 * A cookie (our ISN) is 32 bits:
 *
 *   31..30  the low two bits of a time counter that ticks every
 *           XTCP_COOKIE_PERIOD (a minute)
 *   29..27  the index of the peer's MSS in xtcp_cookie_mss_table
 *   26..0   a MAC: SipHash-2-4, keyed by the namespace's secret, of the 4-tuple,
 *           the peer's ISN, the whole counter and the MSS index, truncated
 *
 * The ACK that completes the handshake has seq = the peer's ISN + 1 and ack =
 * cookie + 1; the MAC is computed again from them and must match. The counter's
 * two bits say which of the last two ticks made the cookie: a cookie is valid in
 * the tick that made it and the next (between one and two minutes, as Linux's),
 * and refused after. A change of any bit of the 4-tuple, the sequence or the
 * acknowledgment number changes the MAC that is expected, so a forged or stale
 * ACK passes only by guessing 27 bits.
 *
 * The other SYN options ride in the SYN-ACK's timestamp, when the SYN had the
 * timestamps option (and the timestamps sysctl is on): the low six bits of
 * our TSval, which the peer echoes in the TSecr of every segment, say
 *
 *   3..0  the peer's window scale shift, 0-14; 15 for none
 *   4     the SYN had SACK-permitted
 *   5     the SYN asked for ECN
 *
 * and the TSval is lowered by at most 63 ms to carry them, never raised (the
 * connection's later TSvals must not be older than it). Our own window scale is
 * chosen again from the listener when the ACK comes (window.c), as it was for
 * the SYN-ACK. The ACK's TSecr must be a TSval of the last two cookie periods;
 * an ACK whose TSecr is older or in the future is refused like a bad cookie.
 * The bits are not covered by the MAC: whoever can echo a TSval saw the SYN-ACK
 * and could as well have sent a SYN with other options.
 *
 * What a cookie connection cannot keep: the SYN-ACK is not retransmitted (no
 * state remembers it; a lost SYN-ACK costs the client a SYN retransmission), and
 * the peer's MSS is rounded down to a value of the table. A SYN without
 * timestamps loses window scaling (and SACK) too: there is nowhere to keep them,
 * and the connection runs with 64 KiB windows, as Linux's cookies do.
 */
#include <linux/jiffies.h>
#include <linux/siphash.h>
#include <linux/string.h>

#include "xtcp.h"

/* The MSS a cookie can say, ascending: 536 (RFC 9293's default) to 1460 (Ethernet). */
static const u16 xtcp_cookie_mss_table[XTCP_COOKIE_MSS_COUNT] = {
	536, 1024, 1220, 1300, 1360, 1400, 1440, 1460,
};

#define XTCP_COOKIE_MAC_BITS	27
#define XTCP_COOKIE_MAC_MASK	((1U << XTCP_COOKIE_MAC_BITS) - 1)
#define XTCP_COOKIE_MSS_SHIFT	27
#define XTCP_COOKIE_TIME_SHIFT	30
/* Ticks a cookie is good for: the one that made it and the next. */
#define XTCP_COOKIE_MAX_AGE	2

/**
 * xtcp_cookie_count() - the time counter cookies are made with, now.
 *
 * Return: jiffies / XTCP_COOKIE_PERIOD.
 */
u32 xtcp_cookie_count(void)
{
	return (u32)div_u64(get_jiffies_64(), XTCP_COOKIE_PERIOD);
}

/**
 * xtcp_cookie_mss_index() - the table entry a peer's MSS is rounded down to.
 * @mss: the MSS the SYN announced (536 when it had none).
 *
 * Return: the index of the largest table value not above @mss; 0 below 536.
 */
unsigned int xtcp_cookie_mss_index(u16 mss)
{
	unsigned int i;

	for (i = XTCP_COOKIE_MSS_COUNT - 1; i > 0; i--)
		if (mss >= xtcp_cookie_mss_table[i])
			break;
	return i;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_cookie_mss_index);

/**
 * xtcp_cookie_mss() - the MSS of a table index.
 * @index: below XTCP_COOKIE_MSS_COUNT.
 *
 * Return: the MSS.
 */
u16 xtcp_cookie_mss(unsigned int index)
{
	return xtcp_cookie_mss_table[index % XTCP_COOKIE_MSS_COUNT];
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_cookie_mss);

static u32 xtcp_cookie_mac(const siphash_key_t *key, __be32 laddr, __be32 raddr,
			   __be16 lport, __be16 rport, u32 irs, u32 count,
			   unsigned int mssind)
{
	u64 addrs = (u64)(__force u32)laddr << 32 | (__force u32)raddr;
	u64 ports = (u64)(__force u16)lport << 48 | (u64)(__force u16)rport << 32 | irs;
	u64 rest = (u64)count << 8 | mssind;

	return (u32)siphash_3u64(addrs, ports, rest, key) & XTCP_COOKIE_MAC_MASK;
}

/**
 * xtcp_cookie_make() - the cookie (our ISN) for a SYN.
 * @key: the namespace's cookie secret.
 * @laddr: our address.
 * @raddr: the peer's.
 * @lport: our port.
 * @rport: the peer's.
 * @irs: the SYN's sequence number.
 * @count: xtcp_cookie_count() now.
 * @mssind: xtcp_cookie_mss_index() of the SYN's MSS.
 *
 * Return: the cookie.
 */
u32 xtcp_cookie_make(const siphash_key_t *key, __be32 laddr, __be32 raddr,
		     __be16 lport, __be16 rport, u32 irs, u32 count, unsigned int mssind)
{
	mssind %= XTCP_COOKIE_MSS_COUNT;
	return (count << XTCP_COOKIE_TIME_SHIFT) | (mssind << XTCP_COOKIE_MSS_SHIFT) |
	       xtcp_cookie_mac(key, laddr, raddr, lport, rport, irs, count, mssind);
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_cookie_make);

/**
 * xtcp_cookie_check() - is an ACK's acknowledgment one of our cookies?
 * @key: the namespace's cookie secret.
 * @laddr: our address.
 * @raddr: the peer's.
 * @lport: our port.
 * @rport: the peer's.
 * @irs: the ACK's sequence number less one (the peer's ISN).
 * @cookie: the ACK's acknowledgment number less one.
 * @count: xtcp_cookie_count() now.
 *
 * Return: the MSS index the cookie carries, -ETIME when it is older than two
 * ticks (or from a tick to come), -EBADMSG when its MAC does not match.
 */
int xtcp_cookie_check(const siphash_key_t *key, __be32 laddr, __be32 raddr,
		      __be16 lport, __be16 rport, u32 irs, u32 cookie, u32 count)
{
	u32 age = (count - (cookie >> XTCP_COOKIE_TIME_SHIFT)) & 3;
	unsigned int mssind = (cookie >> XTCP_COOKIE_MSS_SHIFT) & 7;

	if (age >= XTCP_COOKIE_MAX_AGE)
		return -ETIME;
	if (xtcp_cookie_mac(key, laddr, raddr, lport, rport, irs, count - age, mssind) !=
	    (cookie & XTCP_COOKIE_MAC_MASK))
		return -EBADMSG;
	return mssind;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_cookie_check);

/* The option bits of a cookie's TSval. */
#define XTCP_COOKIE_TS_BITS	6
#define XTCP_COOKIE_TS_MASK	((1U << XTCP_COOKIE_TS_BITS) - 1)
#define XTCP_COOKIE_TS_WSCALE	0x0f
#define XTCP_COOKIE_TS_SACK	0x10
#define XTCP_COOKIE_TS_ECN	0x20
/*
 * How old a cookie's TSval may be when echoed: the two cookie periods, in ms,
 * and a second for the bits that lowered it and the clocks' ticks.
 */
#define XTCP_COOKIE_TS_MAX_AGE	((XTCP_COOKIE_MAX_AGE * 60 + 1) * MSEC_PER_SEC)

/**
 * xtcp_cookie_ts_make() - the TSval of a cookie's SYN-ACK, carrying @o.
 * @now: our TSval clock now (the offset added).
 * @o: the SYN's options.
 *
 * Return: @now with its low bits replaced by the options, lowered by 64 if that
 * put it ahead of @now.
 */
u32 xtcp_cookie_ts_make(u32 now, const struct xtcp_cookie_opts *o)
{
	u32 bits = o->wscale_ok ? min_t(u8, o->wscale, XTCP_MAX_WSCALE) :
		   XTCP_COOKIE_TS_WSCALE;
	u32 ts;

	if (o->sack_ok)
		bits |= XTCP_COOKIE_TS_SACK;
	if (o->ecn)
		bits |= XTCP_COOKIE_TS_ECN;
	ts = (now & ~XTCP_COOKIE_TS_MASK) | bits;
	/* Never ahead of the clock, and never 0, which echoes nothing. */
	if ((s32)(ts - now) > 0 || !ts)
		ts -= 1U << XTCP_COOKIE_TS_BITS;
	return ts;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_cookie_ts_make);

/**
 * xtcp_cookie_ts_check() - the SYN options a cookie ACK's TSecr carries.
 * @tsecr: the ACK's TSecr.
 * @now: our TSval clock now (the offset added).
 * @o: set to the options.
 *
 * Return: 0, or -ETIME when @tsecr is no TSval of ours from the last two cookie
 * periods (from the future, too old, or 0).
 */
int xtcp_cookie_ts_check(u32 tsecr, u32 now, struct xtcp_cookie_opts *o)
{
	s32 age = (s32)(now - tsecr);

	memset(o, 0, sizeof(*o));
	if (!tsecr || age < 0 || age > XTCP_COOKIE_TS_MAX_AGE)
		return -ETIME;
	if ((tsecr & XTCP_COOKIE_TS_WSCALE) != XTCP_COOKIE_TS_WSCALE) {
		o->wscale_ok = true;
		o->wscale = min_t(u8, tsecr & XTCP_COOKIE_TS_WSCALE, XTCP_MAX_WSCALE);
	}
	o->sack_ok = tsecr & XTCP_COOKIE_TS_SACK;
	o->ecn = tsecr & XTCP_COOKIE_TS_ECN;
	return 0;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_cookie_ts_check);
