// SPDX-License-Identifier: GPL-2.0
/*
 * xtcp_cc_scalable.c - Scalable TCP (Tom Kelly, "Scalable TCP: Improving
 * Performance in Highspeed Wide Area Networks", 2003) as an XTCP congestion
 * controller in a module of its own: the template to copy for a controller of
 * yours (Documentation/congestion-control.rst walks through it).
 *
 * Scalable TCP makes recovery time independent of the window: in congestion
 * avoidance the window grows by a = 0.01 segment per segment acknowledged
 * (one segment per ai_cnt = 100 acknowledged, or per window if smaller: never
 * faster than Reno), and a loss takes b = 1/8 of it away (md_shift = 3)
 * instead of Reno's half. Slow start is Reno's.
 *
 * To make it yours: copy this file, rename "scalable" (the controller's name,
 * which TCP_CONGESTION and net.xtcp.congestion_control take) and the module
 * (xtcp_cc_NAME: XTCP loads it by that name when a privileged user asks for
 * NAME), change the three required calls, keep the optional ones you need.
 * Build it beside XTCP (see examples/cc/Kbuild) so that modpost finds XTCP's
 * symbols; load it after xtcp.ko.
 */
#include <linux/kernel.h>
#include <linux/module.h>

#include "xtcp_cc.h"

/* Segments acknowledged per segment of growth (Kelly's 1/a). */
static unsigned int ai_cnt = 100;
module_param(ai_cnt, uint, 0644);
MODULE_PARM_DESC(ai_cnt, "segments acknowledged per segment of growth (default 100)");

/* A loss leaves cwnd - cwnd >> md_shift (Kelly's b = 1/8). */
static unsigned int md_shift = 3;
module_param(md_shift, uint, 0644);
MODULE_PARM_DESC(md_shift, "a loss takes cwnd >> md_shift away (1-8, default 3)");

/*
 * Per connection: in xtcp_ca_priv(), zeroed before .init, at most
 * XTCP_CA_PRIV_SIZE bytes. What TCP_CC_INFO reports.
 */
struct scalable {
	u32 rtt_cnt;		/* RTT samples seen */
	u32 last_rtt_us;	/* the latest */
	u32 min_rtt_us;		/* the least */
	u32 reductions;		/* losses that cut the window */
};

static void scalable_init(struct sock *sk)
{
	BUILD_BUG_ON(sizeof(struct scalable) > XTCP_CA_PRIV_SIZE);
}

/* Required: the window after an ACK of new data, outside recovery. */
static void scalable_cong_avoid(struct sock *sk, u32 ack, u32 acked)
{
	struct xtcp_ca *ca = xtcp_ca(sk);

	/*
	 * A window the sender did not fill earns nothing; below ssthresh, slow
	 * start takes what it can. The rest is congestion avoidance's.
	 */
	acked = xtcp_cc_slow_start_limited(ca, acked);
	if (!acked)
		return;
	xtcp_cc_cong_avoid_ai(ca, min(ca->cwnd, max(READ_ONCE(ai_cnt), 1U)), acked);
}

/* Required: the threshold after a loss; XTCP sets cwnd from it. */
static u32 scalable_ssthresh(struct sock *sk)
{
	struct xtcp_ca *ca = xtcp_ca(sk);
	struct scalable *s = xtcp_ca_priv(sk);
	unsigned int shift = clamp(READ_ONCE(md_shift), 1U, 8U);

	s->reductions++;
	return max(ca->cwnd - (ca->cwnd >> shift), 2U);
}

/* Required: the loss was not one (an undo): the window it found. */
static u32 scalable_undo_cwnd(struct sock *sk)
{
	return xtcp_cc_reno_undo_cwnd(xtcp_ca(sk));
}

/* Optional: every ACK of new data, with its RTT sample (-1 for none). */
static void scalable_pkts_acked(struct sock *sk, const struct xtcp_ack_sample *sample)
{
	struct scalable *s = xtcp_ca_priv(sk);

	if (sample->rtt_us <= 0)
		return;
	s->rtt_cnt++;
	s->last_rtt_us = sample->rtt_us;
	if (!s->min_rtt_us || sample->rtt_us < s->min_rtt_us)
		s->min_rtt_us = sample->rtt_us;
}

/*
 * Optional: TCP_CC_INFO. Scalable TCP has no structure of its own in
 * <linux/inet_diag.h>; like Illinois it reports in Vegas's layout.
 */
static size_t scalable_get_info(struct sock *sk, u32 ext, int *attr,
				union tcp_cc_info *info)
{
	const struct scalable *s = xtcp_ca_priv(sk);

	memset(&info->vegas, 0, sizeof(info->vegas));
	info->vegas.tcpv_enabled = 1;
	info->vegas.tcpv_rttcnt = s->rtt_cnt;
	info->vegas.tcpv_rtt = s->last_rtt_us;
	info->vegas.tcpv_minrtt = s->min_rtt_us;
	*attr = INET_DIAG_VEGASINFO;
	return sizeof(info->vegas);
}

static struct xtcp_cc_ops scalable = {
	.name		= "scalable",
	.owner		= THIS_MODULE,
	.init		= scalable_init,
	.ssthresh	= scalable_ssthresh,
	.cong_avoid	= scalable_cong_avoid,
	.undo_cwnd	= scalable_undo_cwnd,
	.pkts_acked	= scalable_pkts_acked,
	.get_info	= scalable_get_info,
};

static int __init scalable_register(void)
{
	return xtcp_cc_register(&scalable);
}

static void __exit scalable_unregister(void)
{
	xtcp_cc_unregister(&scalable);
}

module_init(scalable_register);
module_exit(scalable_unregister);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Scalable TCP for XTCP: the example congestion controller");
MODULE_AUTHOR("The XTCP developers");
