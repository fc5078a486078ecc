/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xtcp_cc.h - XTCP's congestion-control API: the one header a controller
 * includes, from xtcp.ko itself (cc_reno.c) or from a module of its own
 * (examples/cc/xtcp_cc_scalable.c, the template to copy).
 *
 * A controller is a struct xtcp_cc_ops registered by name. The shape is that of
 * the kernel's struct tcp_congestion_ops, so that a Linux controller ports by
 * renaming; the state it reads and sets is struct xtcp_ca (xtcp_ca()), its own
 * per-connection state lives in xtcp_ca_priv() (XTCP_CA_PRIV_SIZE bytes, zeroed
 * before .init).
 *
 * Every callback runs under the socket lock (process context or softirq, never
 * both at once), never sleeps, and may be called before .init only for
 * .get_info. XTCP itself owns loss detection and recovery (what is lost, what
 * goes again, the window during fast recovery); a controller decides the
 * window outside recovery (.cong_avoid), the threshold a loss leaves
 * (.ssthresh) and the window an undo restores (.undo_cwnd).
 */
#ifndef _XTCP_CC_H
#define _XTCP_CC_H

#include <linux/list.h>
#include <linux/module.h>
#include <linux/types.h>
#include <linux/inet_diag.h>
#include <net/sock.h>

/* As TCP_CA_NAME_MAX: 15 characters and the NUL. */
#define XTCP_CC_NAME_MAX	16
/* A controller's private state per connection, as ICSK_CA_PRIV_SIZE (larger). */
#define XTCP_CA_PRIV_SIZE	(16 * sizeof(u64))
/* The threshold of a connection that has seen no loss yet. */
#define XTCP_INFINITE_SSTHRESH	0x7fffffffU
/* A bound far above any window (2^24 segments): sums of windows cannot overflow. */
#define XTCP_MAX_CWND		BIT(24)

/**
 * struct xtcp_ca - what a controller sees of a connection, and sets.
 * @cwnd: the congestion window, in segments (at least 1; the controller sets
 *	it in .cong_avoid, XTCP elsewhere).
 * @ssthresh: the slow start threshold, in segments; XTCP sets it to what
 *	.ssthresh returns when a loss is detected.
 * @cwnd_cnt: segments acknowledged towards the next increase in congestion
 *	avoidance (xtcp_cc_cong_avoid_ai()).
 * @prior_cwnd: @cwnd when the last recovery or timeout began: what .undo_cwnd
 *	restores when it proves spurious.
 * @prior_in_flight: segments in flight before the ACK being processed
 *	(for .cong_avoid: xtcp_cc_cwnd_limited()).
 * @in_flight: segments in flight when a loss was detected (for .ssthresh:
 *	RFC 5681's FlightSize).
 * @mss: the sending MSS, in bytes.
 * @srtt_us: the smoothed RTT, in microseconds (0 before the first sample).
 * @min_rtt_us: the least RTT sampled on the connection (0 before the first).
 * @state: where loss recovery stands, in TCP's names (TCP_CA_Open, _Disorder,
 *	_CWR, _Recovery, _Loss): what .set_state was last told.
 * @last_send: jiffies when data was last sent (at XTCP_CA_EVENT_TX_START, the
 *	send before the idle period).
 * @now_us: the clock at this call, in microseconds (never 0).
 * @snd_nxt: SND.NXT (where a round trip that starts now ends: HyStart++).
 */
struct xtcp_ca {
	u32 cwnd;
	u32 ssthresh;
	u32 cwnd_cnt;
	u32 prior_cwnd;
	u32 prior_in_flight;
	u32 in_flight;
	u32 mss;
	u32 srtt_us;
	u32 min_rtt_us;
	u8 state;
	u32 last_send;
	u64 now_us;
	u32 snd_nxt;
};

/* Events of .cwnd_event, as TCP's CA_EVENT_*. */
enum xtcp_ca_event {
	XTCP_CA_EVENT_TX_START,		/* data goes out with nothing in flight */
	XTCP_CA_EVENT_CWND_RESTART,	/* the window restarts after an idle RTO */
	XTCP_CA_EVENT_COMPLETE_CWR,	/* a recovery or ECN reduction ended: cwnd is ssthresh */
	XTCP_CA_EVENT_LOSS,		/* a retransmission timeout */
};

/**
 * struct xtcp_ack_sample - what one ACK acknowledged, for .pkts_acked.
 * @pkts_acked: segments it acknowledged.
 * @rtt_us: the RTT it sampled, or -1 (none: Karn's rule, no timestamp).
 * @in_flight: segments in flight before it.
 */
struct xtcp_ack_sample {
	u32 pkts_acked;
	s32 rtt_us;
	u32 in_flight;
};

/**
 * struct xtcp_cc_ops - a congestion controller.
 * @ssthresh: required: the threshold after a loss (XTCP sets @cwnd itself).
 * @cong_avoid: required: new data was acknowledged outside recovery: grow
 *	(or not) the window. @ack is the new SND.UNA, @acked the segments.
 * @undo_cwnd: required: the loss was not one: the window to return to.
 * @set_state: optional: the recovery state changes to @new_state (TCP_CA_*).
 * @cwnd_event: optional: one of enum xtcp_ca_event.
 * @pkts_acked: optional: every ACK of new data, with its RTT sample.
 * @init: optional: the connection is established (or the controller is
 *	chosen on an established one); xtcp_ca_priv() is zeroed.
 * @release: optional: the controller is left (close, or another chosen).
 * @get_info: optional: TCP_CC_INFO's answer; fills @info, sets @attr
 *	(INET_DIAG_*INFO) and returns its size, or 0.
 * @name: the name TCP_CONGESTION and net.xtcp.congestion_control use.
 * @owner: THIS_MODULE: pinned while a connection or a namespace's default
 *	uses the controller.
 * @list: XTCP's registry (cc.c).
 */
struct xtcp_cc_ops {
	u32 (*ssthresh)(struct sock *sk);
	void (*cong_avoid)(struct sock *sk, u32 ack, u32 acked);
	u32 (*undo_cwnd)(struct sock *sk);
	void (*set_state)(struct sock *sk, u8 new_state);
	void (*cwnd_event)(struct sock *sk, enum xtcp_ca_event ev);
	void (*pkts_acked)(struct sock *sk, const struct xtcp_ack_sample *sample);
	void (*init)(struct sock *sk);
	void (*release)(struct sock *sk);
	size_t (*get_info)(struct sock *sk, u32 ext, int *attr, union tcp_cc_info *info);
	char name[XTCP_CC_NAME_MAX];
	struct module *owner;
	struct list_head list;
};

int xtcp_cc_register(struct xtcp_cc_ops *ops);
void xtcp_cc_unregister(struct xtcp_cc_ops *ops);

struct xtcp_ca *xtcp_ca(struct sock *sk);
void *xtcp_ca_priv(struct sock *sk);

u32 xtcp_cc_slow_start(struct xtcp_ca *ca, u32 acked);
u32 xtcp_cc_slow_start_limited(struct xtcp_ca *ca, u32 acked);
void xtcp_cc_cong_avoid_ai(struct xtcp_ca *ca, u32 w, u32 acked);
void xtcp_cc_reno_grow(struct xtcp_ca *ca, u32 acked);
u32 xtcp_cc_reno_ssthresh(const struct xtcp_ca *ca);
u32 xtcp_cc_reno_undo_cwnd(const struct xtcp_ca *ca);

/**
 * struct xtcp_hystart - HyStart++'s state (RFC 9406, hystart.c), kept in a
 * controller's private state.
 * @window_end: the current round ends when SND.UNA reaches it.
 * @last_round_min: the least RTT of the last round, in us (0: none).
 * @cur_round_min: the least RTT of this round so far (0: none).
 * @css_baseline: this round's least RTT when CSS began.
 * @css_cnt: segments acknowledged in CSS towards its next increase.
 * @samples: RTT samples this round (saturating).
 * @css_rounds: rounds ended in CSS.
 * @started: a round runs (@window_end is valid).
 * @in_css: in Conservative Slow Start.
 * @done: a loss or CSS's end finished slow start: HyStart++ does no more.
 */
struct xtcp_hystart {
	u32 window_end;
	u32 last_round_min;
	u32 cur_round_min;
	u32 css_baseline;
	u32 css_cnt;
	u8 samples;
	u8 css_rounds;
	bool started;
	bool in_css;
	bool done;
};

/* What xtcp_hystart_ack() tells the controller to do. */
enum xtcp_hs_verdict {
	XTCP_HS_SLOW_START,	/* grow as slow start does */
	XTCP_HS_CSS,		/* grow by what it says: a quarter of slow start */
	XTCP_HS_EXIT,		/* ssthresh = cwnd: congestion avoidance from now */
};

void xtcp_hystart_reset(struct xtcp_hystart *h);
enum xtcp_hs_verdict xtcp_hystart_ack(struct xtcp_hystart *h, u32 ack, u32 snd_nxt,
				      u32 acked, s32 rtt_us, u32 *grow);
void xtcp_hystart_loss(struct xtcp_hystart *h);

/* In slow start: below the threshold. */
static inline bool xtcp_cc_in_slow_start(const struct xtcp_ca *ca)
{
	return ca->cwnd < ca->ssthresh;
}

/*
 * Did the window limit the sender before this ACK (RFC 7661's spirit)? In slow
 * start when at least half of it was in flight (it doubles in a round trip),
 * in congestion avoidance when all of it was. A flow held back by its
 * application or the peer's window earns no window it never used.
 */
static inline bool xtcp_cc_cwnd_limited(const struct xtcp_ca *ca)
{
	if (xtcp_cc_in_slow_start(ca))
		return 2 * (u64)ca->prior_in_flight >= ca->cwnd;
	return ca->prior_in_flight >= ca->cwnd;
}

#endif /* _XTCP_CC_H */
