// SPDX-License-Identifier: GPL-2.0
/*
 * rate.c - what a connection delivers, for TCP_INFO: the delivery rate of the
 * last round trip (tcpi_delivery_rate) and the time it spent with data to send
 * or acknowledged (tcpi_busy_time).
 *
 * The delivery rate is the bytes SND.UNA moved over an interval of at least an
 * RTT (a millisecond before the first sample), measured from ACK to ACK; an
 * interval starts again after the connection was idle, so that the idle time
 * does not pass for a slow path. A congestion controller that needs per-ACK
 * samples (issue 11) builds on the same interval.
 *
 * Pure functions of a struct xtcp_rate, for KUnit; the caller holds the
 * socket lock.
 */
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/time64.h>

#include "xtcp.h"

/**
 * xtcp_rate_acked() - SND.UNA moved to @una.
 * @r: the estimator.
 * @una: the new SND.UNA.
 * @now_us: the clock, in microseconds (never 0).
 * @interval_us: the least interval a sample spans: the smoothed RTT.
 */
void xtcp_rate_acked(struct xtcp_rate *r, u32 una, u64 now_us, u32 interval_us)
{
	u64 elapsed;

	if (!r->start_us) {
		r->start_us = now_us;
		r->start_una = una;
		return;
	}
	elapsed = now_us - r->start_us;
	if (elapsed < max_t(u32, interval_us, USEC_PER_MSEC))
		return;
	r->rate = div64_u64((u64)(u32)(una - r->start_una) * USEC_PER_SEC, elapsed);
	r->start_us = now_us;
	r->start_una = una;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_rate_acked);

/**
 * xtcp_rate_busy() - the connection has data to send or acknowledged (@busy),
 * or none left.
 * @r: the estimator.
 * @busy: which.
 * @una: SND.UNA (read when becoming idle).
 * @now_us: the clock, in microseconds (never 0).
 *
 * Becoming idle ends the delivery-rate interval: what it delivered, however
 * short, is a sample (a transfer shorter than an RTT has its rate too).
 */
void xtcp_rate_busy(struct xtcp_rate *r, bool busy, u32 una, u64 now_us)
{
	if (busy) {
		if (!r->busy_since_us)
			r->busy_since_us = now_us;
		return;
	}
	if (r->busy_since_us) {
		r->busy_us += now_us - r->busy_since_us;
		r->busy_since_us = 0;
	}
	if (r->start_us && now_us > r->start_us && una != r->start_una)
		r->rate = div64_u64((u64)(u32)(una - r->start_una) * USEC_PER_SEC,
				    now_us - r->start_us);
	r->start_us = 0;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_rate_busy);

/**
 * xtcp_rate_busy_us() - the time spent busy so far.
 * @r: the estimator.
 * @now_us: the clock, in microseconds.
 *
 * Return: microseconds, the current busy period included.
 */
u64 xtcp_rate_busy_us(const struct xtcp_rate *r, u64 now_us)
{
	return r->busy_us + (r->busy_since_us ? now_us - r->busy_since_us : 0);
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_rate_busy_us);
