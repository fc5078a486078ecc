// SPDX-License-Identifier: GPL-2.0
/*
 * rto.c - the retransmission timeout (RFC 6298): RTT estimator and backoff.
 *
 * Pure arithmetic on a struct xtcp_rtt, in microseconds; the caller owns the
 * locking (the socket lock) and Karn's rule: it samples only segments that were
 * never retransmitted (RFC 6298 section 3), or timestamp echoes.
 */
#include <linux/kernel.h>
#include <linux/minmax.h>

#include "xtcp.h"

/**
 * xtcp_rtt_init() - a connection's estimator before any sample: RTO 1 s (2.1).
 * @r: the estimator.
 */
void xtcp_rtt_init(struct xtcp_rtt *r)
{
	r->srtt_us = 0;
	r->rttvar_us = 0;
	r->rto_us = XTCP_RTO_INIT_US;
	r->backoff = 0;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_rtt_init);

/**
 * xtcp_rtt_sample() - take one RTT measurement (RFC 6298 2.2 and 2.3).
 * @r: the estimator.
 * @rtt_us: the measured round trip; 0 is taken as 1 (the clock's granularity).
 *
 * RTO = SRTT + max(G, 4 * RTTVAR) with G = 1 us, then kept within
 * [XTCP_RTO_MIN_US, XTCP_RTO_MAX_US] (2.4, 2.5). A fresh sample ends any backoff:
 * the path answers again.
 */
void xtcp_rtt_sample(struct xtcp_rtt *r, u32 rtt_us)
{
	u32 rto;

	rtt_us = clamp_t(u32, rtt_us, 1, XTCP_RTO_MAX_US);
	if (!r->srtt_us) {
		r->srtt_us = rtt_us;
		r->rttvar_us = rtt_us / 2;
	} else {
		u32 err = r->srtt_us > rtt_us ? r->srtt_us - rtt_us : rtt_us - r->srtt_us;

		/* beta = 1/4, alpha = 1/8; RTTVAR first, with the old SRTT. */
		r->rttvar_us = r->rttvar_us - r->rttvar_us / 4 + err / 4;
		r->srtt_us = r->srtt_us - r->srtt_us / 8 + rtt_us / 8;
		if (!r->srtt_us)
			r->srtt_us = 1;
	}
	rto = r->srtt_us + max_t(u32, 1, 4 * r->rttvar_us);
	r->rto_us = clamp_t(u32, rto, XTCP_RTO_MIN_US, XTCP_RTO_MAX_US);
	r->backoff = 0;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_rtt_sample);

/**
 * xtcp_rtt_timeout() - the timeout to arm now: the RTO doubled once per backoff
 * (RFC 6298 5.5), at most XTCP_RTO_MAX_US.
 * @r: the estimator.
 *
 * Return: microseconds.
 */
u32 xtcp_rtt_timeout(const struct xtcp_rtt *r)
{
	u64 t = (u64)r->rto_us << min_t(u8, r->backoff, 31);

	return min_t(u64, t, XTCP_RTO_MAX_US);
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_rtt_timeout);

/**
 * xtcp_rtt_backoff() - the retransmission timer fired: back off (RFC 6298 5.5).
 * @r: the estimator.
 *
 * Stops counting once the timeout has reached its ceiling.
 */
void xtcp_rtt_backoff(struct xtcp_rtt *r)
{
	if (xtcp_rtt_timeout(r) < XTCP_RTO_MAX_US)
		r->backoff++;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_rtt_backoff);

/**
 * xtcp_rtt_handshake_done() - the connection is established (RFC 6298 5.7).
 * @r: the estimator.
 * @timed_out: the SYN or SYN-ACK had to be sent again.
 *
 * A handshake that timed out leaves no sample (Karn's rule), and the 1 s of 2.1
 * has just proved too short for this path, or nearly: the RTO starts from 3 s
 * instead, with the backoff of the handshake forgotten. A sample taken anyway
 * (an echoed timestamp) stands.
 */
void xtcp_rtt_handshake_done(struct xtcp_rtt *r, bool timed_out)
{
	if (!timed_out || r->srtt_us)
		return;
	r->rto_us = XTCP_RTO_FALLBACK_US;
	r->backoff = 0;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_rtt_handshake_done);
