/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xtcp.h - XTCP's private header: the socket, the per-namespace state, the counters,
 * the sysctls and the prototypes shared between files.
 *
 * Lock order (outer first): the socket lock (lock_sock) > xtcp_net.socks_lock.
 */
#ifndef _XTCP_H
#define _XTCP_H

#include <linux/bits.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/llist.h>
#include <linux/math64.h>
#include <linux/mutex.h>
#include <linux/netdev_features.h>
#include <linux/timer.h>
#include <linux/workqueue.h>
#include <linux/percpu.h>
#include <linux/rhashtable-types.h>
#include <linux/siphash.h>
#include <linux/spinlock.h>
#include <linux/sysctl.h>
#include <linux/tcp.h>
#include <net/inet_sock.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/sock.h>

#include "compat.h"
#include "uapi/xtcp.h"
#include "xtcp_cc.h"

/*
 * Connection states. The numbers are the kernel TCP's (include/net/tcp_states.h), so
 * that /proc/net/xtcp, TCP_INFO and the tools that read them agree with TCP.
 */
enum xtcp_state {
	XTCP_ESTABLISHED = 1,
	XTCP_SYN_SENT,
	XTCP_SYN_RECV,
	XTCP_FIN_WAIT1,
	XTCP_FIN_WAIT2,
	XTCP_TIME_WAIT,
	XTCP_CLOSE,
	XTCP_CLOSE_WAIT,
	XTCP_LAST_ACK,
	XTCP_LISTEN,
	XTCP_CLOSING,
	XTCP_MAX_STATES,
};

/* State masks, for tests like (1 << sk->sk_state) & (XTCPF_CLOSE | XTCPF_LISTEN). */
#define XTCPF_ESTABLISHED	BIT(XTCP_ESTABLISHED)
#define XTCPF_SYN_SENT		BIT(XTCP_SYN_SENT)
#define XTCPF_SYN_RECV		BIT(XTCP_SYN_RECV)
#define XTCPF_FIN_WAIT1		BIT(XTCP_FIN_WAIT1)
#define XTCPF_FIN_WAIT2		BIT(XTCP_FIN_WAIT2)
#define XTCPF_TIME_WAIT		BIT(XTCP_TIME_WAIT)
#define XTCPF_CLOSE		BIT(XTCP_CLOSE)
#define XTCPF_CLOSE_WAIT	BIT(XTCP_CLOSE_WAIT)
#define XTCPF_LAST_ACK		BIT(XTCP_LAST_ACK)
#define XTCPF_LISTEN		BIT(XTCP_LISTEN)
#define XTCPF_CLOSING		BIT(XTCP_CLOSING)

const char *xtcp_state_name(int state);
bool xtcp_state_transition_ok(int from, int to);

/* options.c */

/* The option space of a TCP header: a data offset of 15 words less the fixed 5. */
#define XTCP_MAX_OPTION_SPACE	40

/* Room for the IP and link headers in front of a segment's TCP header (output.c). */
#define XTCP_HEADROOM	(MAX_HEADER + sizeof(struct iphdr) + 64)
/* A write-queue skb's room in front of its data: those, and the whole TCP header. */
#define XTCP_SKB_HEADROOM	(XTCP_HEADROOM + XTCP_MAX_OPTION_SPACE + sizeof(struct tcphdr))

/* SACK blocks one segment may carry: 4 (3 beside timestamps). */
#define XTCP_SACK_BLOCKS	4

/* One SACK block (RFC 2018): the data [@start, @end). */
struct xtcp_sack_block {
	u32 start;
	u32 end;
};

/**
 * struct xtcp_options - the TCP options of one segment, parsed or to be written.
 * @mss: Maximum Segment Size (SYN only); 0 when absent.
 * @wscale: window scale shift (SYN only), at most 14; valid when @wscale_ok.
 * @wscale_ok: a window scale option is present.
 * @sack_ok: SACK-permitted is present (SYN only).
 * @ts_ok: timestamps are present.
 * @tsval: TSval, when @ts_ok.
 * @tsecr: TSecr, when @ts_ok.
 * @nr_sacks: SACK blocks to write (never on a SYN; those that do not fit
 *	beside the other options are left out), or read (at most 4).
 * @sack_bad: read: a SACK option of a length no whole blocks make (ignored).
 * @sacks: the blocks, in the order they are written.
 */
struct xtcp_options {
	u16 mss;
	u8 wscale;
	bool wscale_ok;
	bool sack_ok;
	bool ts_ok;
	u32 tsval;
	u32 tsecr;
	u8 nr_sacks;
	bool sack_bad;
	struct xtcp_sack_block sacks[XTCP_SACK_BLOCKS];
};

int xtcp_parse_options(const u8 *opt, unsigned int len, bool syn,
		       struct xtcp_options *out);
unsigned int xtcp_write_options(u8 *p, const struct xtcp_options *o);

/* rto.c: RFC 6298, in microseconds. */

/* 2.1: before any sample. */
#define XTCP_RTO_INIT_US	1000000U
/*
 * 2.4 asks for at least 1 s with a SHOULD; like Linux's TCP (TCP_RTO_MIN), XTCP
 * uses 200 ms, which today's RTTs and delayed ACKs (at most 200 ms) allow.
 */
#define XTCP_RTO_MIN_US		200000U
/* 5.7: after a SYN or SYN-ACK timed out and nothing was sampled. */
#define XTCP_RTO_FALLBACK_US	3000000U
/* 2.5: a maximum of at least 60 s; Linux's TCP_RTO_MAX is 120 s. */
#define XTCP_RTO_MAX_US		120000000U

/**
 * struct xtcp_rtt - a connection's RTT estimator; under the socket lock.
 * @srtt_us: smoothed RTT; 0 until the first sample.
 * @rttvar_us: RTT variation.
 * @rto_us: the retransmission timeout before backoff.
 * @backoff: how many times the timer has fired since the last sample.
 */
struct xtcp_rtt {
	u32 srtt_us;
	u32 rttvar_us;
	u32 rto_us;
	u8 backoff;
};

void xtcp_rtt_init(struct xtcp_rtt *r);
void xtcp_rtt_sample(struct xtcp_rtt *r, u32 rtt_us);
u32 xtcp_rtt_timeout(const struct xtcp_rtt *r);
void xtcp_rtt_backoff(struct xtcp_rtt *r);
void xtcp_rtt_handshake_done(struct xtcp_rtt *r, bool timed_out);

struct xtcp_bind_bucket;
struct xtcp_listen;

/* The default MSS when the peer sends none (RFC 9293 3.7.1), and TCP_MAXSEG's floor. */
#define XTCP_MSS_DEFAULT	536
#define XTCP_MIN_MSS		88
/* The window field: 16 bits; with window scaling (RFC 7323) shifted by up to 14. */
#define XTCP_MAX_WINDOW		65535U
#define XTCP_MAX_WSCALE		14
/* The timestamps option as every segment carries it: NOP, NOP, kind 8, length 10. */
#define XTCP_TS_ALIGNED_LEN	12
/* TCP_KEEPIDLE/KEEPINTVL/KEEPCNT ranges and defaults, as the kernel's TCP. */
#define XTCP_MAX_KEEPIDLE	32767
#define XTCP_MAX_KEEPINTVL	32767
#define XTCP_MAX_KEEPCNT	127
#define XTCP_KEEPIDLE_DEFAULT	(2 * 60 * 60 * HZ)
#define XTCP_KEEPINTVL_DEFAULT	(75 * HZ)
#define XTCP_KEEPCNT_DEFAULT	9
/* How many times a segment is retransmitted before the connection gives up. */
#define XTCP_RETRIES2		15
/* An orphan (closed by its user) gives up sooner, as TCP's tcp_orphan_retries. */
#define XTCP_ORPHAN_RETRIES	8
/* Delayed ACKs: at most this long, or every second full segment. */
#define XTCP_DELACK_MAX		(HZ / 25)
/* A timer that finds the socket locked by a task tries again this much later. */
#define XTCP_LOCKED_RETRY	(HZ / 100 ? HZ / 100 : 1)
/* TCP_MAXSEG's ceiling, TCP's MAX_TCP_WINDOW. */
#define XTCP_MAX_USER_MSS	32767

/* TCP_SYNCNT's ceiling (TCP's MAX_TCP_SYNCNT), TCP_LINGER2's (TCP_FIN_TIMEOUT_MAX). */
#define XTCP_MAX_SYNCNT		127
#define XTCP_MAX_LINGER2	(120 * HZ)

/**
 * struct xtcp_rcv_tune - receive-buffer autotuning (window.c): what the
 * application drains per round trip, and the round trip as the receiver sees
 * it; under the socket lock.
 * @rtt_us: the receiver's RTT estimate, 0 until the first sample.
 * @rtt_seq: a sample without timestamps ends when RCV.NXT passes this (a
 *	window's worth past where it began).
 * @rtt_start: when that sample began (xtcp_clock_us()), 0 when none runs.
 * @space: the most the application read in one measured RTT so far.
 * @seq: copied_seq when the current measurement began.
 * @time: when it began (xtcp_clock_us()), 0 before the first read.
 * @rcv_mss: the peer's segment size as seen (xtcp_rcv_mss_seen()): a segment
 *	this large is full-sized, and its TSecr gives an RTT sample.
 */
struct xtcp_rcv_tune {
	u32 rtt_us;
	u32 rtt_seq;
	u64 rtt_start;
	u32 space;
	u32 seq;
	u64 time;
	u32 rcv_mss;
};

/**
 * struct xtcp_rate - delivery rate and busy time for TCP_INFO (rate.c); under
 * the socket lock.
 * @start_us: when the current delivery-rate interval began (xtcp_clock_us()),
 *	0 for none.
 * @start_una: SND.UNA then.
 * @rate: bytes per second over the last complete interval.
 * @busy_since_us: when the current busy period began, 0 when idle.
 * @busy_us: the busy periods before it.
 */
struct xtcp_rate {
	u64 start_us;
	u32 start_una;
	u64 rate;
	u64 busy_since_us;
	u64 busy_us;
};

/**
 * struct xtcp_info_counts - what TCP_INFO counts of a connection; under the
 * socket lock.
 * @segs_in: segments taken (a GRO packet counts as its segments).
 * @segs_out: segments sent (a GSO packet counts as its segments).
 * @data_segs_in: those of @segs_in that carried data.
 * @data_segs_out: those of @segs_out that carried data.
 * @bytes_sent: data bytes sent, retransmissions included.
 * @bytes_retrans: data bytes sent again.
 */
struct xtcp_info_counts {
	u32 segs_in;
	u32 segs_out;
	u32 data_segs_in;
	u32 data_segs_out;
	u64 bytes_sent;
	u64 bytes_retrans;
};

/**
 * struct xtcp_rcv_sack - what a receiver reports in SACK blocks (sack.c);
 * under the socket lock.
 * @blocks: ranges held beyond RCV.NXT, the most recently changed first.
 * @nr: how many of @blocks are valid.
 * @dsack: a range received twice, for the next ACK's D-SACK block.
 * @dsack_pending: @dsack is to be sent.
 */
struct xtcp_rcv_sack {
	struct xtcp_sack_block blocks[XTCP_SACK_BLOCKS];
	u8 nr;
	bool dsack_pending;
	struct xtcp_sack_block dsack;
};

/* Duplicate ACKs that mean a loss (RFC 5681 3.2's DupThresh; RFC 6675's too). */
#define XTCP_DUPTHRESH	3

/* SACKed ranges a sender keeps above SND.UNA: holes beyond the 16th are not tracked. */
#define XTCP_SB_RANGES	16

/**
 * struct xtcp_scoreboard - what the peer's SACK blocks say arrived beyond
 * SND.UNA (sack.c); under the socket lock.
 * @r: the ranges, in sequence order, neither overlapping nor touching, all
 *	above SND.UNA.
 * @nr: how many of @r are valid.
 * @sacked: the bytes they hold.
 */
struct xtcp_scoreboard {
	struct xtcp_sack_block r[XTCP_SB_RANGES];
	u8 nr;
	u32 sacked;
};

/**
 * struct xtcp_rack - RACK's loss detection by time (RFC 8985 6; rack.c); under
 * the socket lock. Times are the low 32 bits of xtcp_clock_us().
 * @xmit_us: RACK.xmit_ts: when the most recently sent segment the peer got
 *	was sent; valid while @valid.
 * @end_seq: RACK.end_seq: that segment's end.
 * @rtt_us: RACK.rtt: its round trip.
 * @fack: RACK.fack: the highest end of a segment delivered and sent once;
 *	valid while @fack_set.
 * @min_rtt_us: the least RTT of the last five minutes, 0 before a sample.
 * @min_rtt_stamp: when it was taken (jiffies).
 * @lost_end: bytes not SACKed from SND.UNA (or HighRxt in a recovery) to it
 *	are lost, by RACK's clock (input.c sets it, at SND.UNA for none).
 * @dsack_round: SND.NXT when @reo_wnd_mult last grew, while @dsack_round_set.
 * @reo_wnd_mult: the reordering window in quarter RTTs (1 up).
 * @reo_wnd_persist: recoveries left before @reo_wnd_mult goes back to 1.
 * @valid: @xmit_us, @end_seq and @rtt_us hold a delivered segment's.
 * @fack_set: @fack holds one.
 * @reordering_seen: a segment sent once arrived below one delivered earlier.
 * @dsack_round_set: @dsack_round holds one.
 * @rxt_lost: some retransmission is marked XTCP_TXF_LOST (output.c sends
 *	them again first).
 */
struct xtcp_rack {
	u32 xmit_us;
	u32 end_seq;
	u32 rtt_us;
	u32 fack;
	u32 min_rtt_us;
	u32 min_rtt_stamp;
	u32 lost_end;
	u32 dsack_round;
	u8 reo_wnd_mult;
	u8 reo_wnd_persist;
	bool valid;
	bool fack_set;
	bool reordering_seen;
	bool dsack_round_set;
	bool rxt_lost;
};

/**
 * struct xtcp_prr - Proportional Rate Reduction's counts (RFC 6937) over one
 * SACK recovery (recovery.c), in segments; under the socket lock.
 * @recover_fs: the flight when the recovery began (RecoverFS).
 * @delivered: segments the peer got since (prr_delivered).
 * @out: segments sent since (prr_out).
 */
struct xtcp_prr {
	u32 recover_fs;
	u32 delivered;
	u32 out;
};

/**
 * struct xtcp_cwnd - the congestion window and NewReno's recovery (cwnd.c); the
 * controller's view of it is @ca (struct xtcp_ca, xtcp_cc.h). Under the socket
 * lock.
 * @ca: cwnd, ssthresh and what the controller reads (cc.c fills it in).
 * @recover: RFC 6582's "recover": SND.MAX when the last fast retransmit or
 *	timeout began; duplicate ACKs below it start no fast retransmit, and
 *	an ACK at or above it ends fast recovery. Valid while @recover_set.
 * @dupacks: duplicate ACKs in a row (RFC 5681 2), at most 255.
 * @recovery: in fast recovery (RFC 6582): the window is inflated by the
 *	duplicates, and partial ACKs send the next hole again.
 * @recover_set: @recover holds a value (none before the first recovery or
 *	timeout, as if it were the ISN).
 * @partial_seen: a partial ACK came in this recovery: later ones leave the
 *	retransmission timer running (RFC 6582's Impatient variant).
 * @undo_ssthresh: @ca.ssthresh when this recovery began, for its undo (the
 *	window's is @ca.prior_cwnd).
 * @cwr: the window is being reduced for congestion the peer echoed (ECN,
 *	RFC 3168 6.1.2; Linux's CWR state), paced by PRR, until an ACK beyond
 *	@cwr_end.
 * @cwr_end: SND.NXT when that reduction began, valid while @cwr.
 */
struct xtcp_cwnd {
	struct xtcp_ca ca;
	u32 recover;
	u8 dupacks;
	bool recovery;
	bool recover_set;
	bool partial_seen;
	bool cwr;
	u32 undo_ssthresh;
	u32 cwr_end;
};

/* What the retransmission timer is armed for. */
enum xtcp_rtx_mode {
	XTCP_RTX_OFF,
	XTCP_RTX_RETRANSMIT,	/* data, SYN or FIN unacknowledged */
	XTCP_RTX_PERSIST,	/* data waiting on a zero window */
	XTCP_RTX_CORK,		/* a short segment held by TCP_CORK or MSG_MORE */
	XTCP_RTX_PROBE,		/* a tail loss probe before the RTO (RFC 8985 7) */
	XTCP_RTX_REORDER,	/* RACK's reordering window runs out (rack.c) */
};

/* struct xtcp_sock's urg_data: the state of the peer's urgent byte. */
#define XTCP_URG_VALID	0x0100	/* the byte, in the low 8 bits, waits for MSG_OOB */
#define XTCP_URG_NOTYET	0x0200	/* its pointer came, the byte not yet */
#define XTCP_URG_READ	0x0400	/* MSG_OOB took it */

/* How xtcp_push() treats a short last segment. */
enum xtcp_push_mode {
	XTCP_PUSH_NORMAL,	/* Nagle, and TCP_CORK if set */
	XTCP_PUSH_MORE,		/* held, as if corked: MSG_MORE */
	XTCP_PUSH_NOW,		/* sent: the cork's timeout, TCP_NODELAY set on a cork */
};

/**
 * struct xtcp_listen - a listener's queues. Segments for a listener are handled
 * without its socket lock (both CPUs may take SYNs at once): its SYN queue is in
 * the namespace's request table (listen.c), and only the accept queue has a lock.
 * @lock: protects @listening, @accept_q and @accept_qlen; taken with BHs off.
 *	Lock order: the listener's socket lock > @lock.
 * @listening: connections may still join @accept_q.
 * @qlen: requests of this listener in the SYN queue; atomic.
 * @last_overflow: when the SYN queue last overflowed (jiffies); READ/WRITE_ONCE.
 *	SYN cookies come back for two cookie periods after it.
 * @defer_accept: TCP_DEFER_ACCEPT as a count of SYN-ACK timeouts (0: off): a
 *	request whose final ACK carries no data waits that long for data before
 *	it becomes a connection; READ/WRITE_ONCE.
 * @accept_q: established connections not yet accepted, oldest first.
 * @accept_qlen: how many.
 */
struct xtcp_listen {
	spinlock_t lock;	/* see above */
	bool listening;
	atomic_t qlen;
	unsigned long last_overflow;
	u8 defer_accept;
	struct list_head accept_q;
	unsigned int accept_qlen;
};

/**
 * struct xtcp_socks_node - a place in xtcp_net.socks: a socket's, or the cursor
 * with which a /proc/net/xtcp reader keeps its position between reads (proc.c).
 * @node: the link; changed and walked under xtcp_net.socks_lock only.
 * @cursor: a reader's cursor, which is no socket (walkers skip it); constant
 *	while linked.
 */
struct xtcp_socks_node {
	struct hlist_node node;
	bool cursor;
};

/**
 * struct xtcp_sock - an XTCP socket.
 * @inet: the IPv4 socket it is (addresses, ports, route cache); must be first.
 * @node: the socket's place in xtcp_net.socks (@node.cursor false); under
 *	xtcp_net.socks_lock. Linked from publication until the destructor, which
 *	runs a grace period after the last reference (SOCK_RCU_FREE) and is
 *	followed at once by the free: so the list is not walkable under RCU alone.
 * @hash_node: in the established table (a connection) or the listening table (a
 *	listener); changed under xtcp_hashinfo.lock, walked under RCU.
 * @bind_node: among @bind's owners; under xtcp_hashinfo.lock.
 * @bind: the bound port this socket holds, or NULL; set under the socket lock and
 *	xtcp_hashinfo.lock.
 * @lq: a listener's queues; see struct xtcp_listen for their rules.
 * @accept_node: a new connection's place in its listener's accept queue; under the
 *	listener's @lq.lock.
 * @tsq_flags: TCP small queues (offload.c), XTCP_TSQ_* bits; atomic bitops from
 *	any context, for the skb destructor runs without the socket lock.
 * @tsq_node: the socket's place in one CPU's list of sockets to push again, while
 *	XTCP_TSQ_QUEUED; under that list's IRQ-off section, on that CPU.
 *
 * Everything below is under the socket lock: lock_sock() from process context,
 * bh_lock_sock() with !sock_owned_by_user() from softirq context. Lockless
 * readers (poll(), the socket layer's stream_memory_free(), SIOCATMARK) read
 * @rcv_nxt, @copied_seq, @write_seq, @snd_nxt, @urg_seq, @urg_data,
 * @notsent_lowat and @window_clamp with READ_ONCE(); a stale value there only
 * delays a wakeup the next segment or ACK brings.
 * @iss: our initial sequence number.
 * @snd_una: the oldest unacknowledged sequence number (SND.UNA).
 * @snd_nxt: the next sequence number to send (SND.NXT).
 * @snd_max: the highest SND.NXT so far; below it, a send is a retransmission.
 * @write_seq: the sequence number after the last byte queued by the user.
 * @snd_wnd: the peer's window (SND.WND).
 * @snd_wl1: SND.WL1, the segment sequence number of the last window update.
 * @snd_wl2: SND.WL2, its acknowledgment number.
 * @max_window: the largest window the peer has offered.
 * @irs: the peer's initial sequence number.
 * @rcv_nxt: the next sequence number expected (RCV.NXT).
 * @rcv_wup: RCV.NXT when the window was last advertised.
 * @rcv_wnd: the window then advertised; the right edge never moves left.
 * @copied_seq: the next sequence number the user will read.
 * @mss: the largest segment payload we send.
 * @advmss: the MSS we announce, from the route's MTU.
 * @user_mss: the TCP_MAXSEG clamp, or 0.
 * @wscale_ok: window scaling is on for the connection (RFC 7323 2): both SYNs
 *	had the option. Before the peer's SYN comes (SYN_SENT), what ours offers.
 * @snd_wscale: the peer's shift: the windows it sends are shifted left by it.
 * @rcv_wscale: ours: the windows we send are shifted right by it (0 without
 *	window scaling).
 * @ts_ok: timestamps are on (RFC 7323 3): every segment carries them. Before
 *	the peer's SYN comes (SYN_SENT), what ours offers.
 * @ts_recent: TS.Recent, the peer's TSval to echo and to check PAWS against.
 * @ts_recent_stamp: when @ts_recent was set, in seconds (ktime_get_seconds());
 *	older than 24 days, it no longer holds a segment back (RFC 7323 5.5).
 * @ts_off: our TSvals are xtcp_ts_clock() + @ts_off (timestamps.c).
 * @sack_ok: SACK is on (RFC 2018): both SYNs had SACK-permitted. Before the
 *	peer's SYN comes (SYN_SENT), what ours offers.
 * @rsack: the blocks our ACKs report (sack.c), while @sack_ok.
 * @sb: what the peer's SACK blocks said arrived (sack.c), while @sack_ok.
 * @high_rxt: RFC 6675's HighRxt: the end of the last hole sent again in this
 *	SACK recovery (recovery.c); SND.UNA outside one.
 * @prr: what the SACK recovery may send (recovery.c).
 * @rack: RACK's loss detection by time (rack.c), while @sack_ok; its least
 *	RTT always.
 * @tlp_high_seq: SND.NXT when the last tail loss probe went (TLP.end_seq,
 *	RFC 8985 7), valid while @tlp_out.
 * @tlp_out: a probe went and its episode is open: no other probe goes until an
 *	ACK settles it (or a timeout, or a recovery, ends it).
 * @tlp_retrans: that probe sent a segment again (not new data).
 * @fr_seq: the sequence number fast retransmit sent again, while @fr_check.
 * @fr_tsval: the TSval that retransmission carried (at least).
 * @fr_check: the first ACK of @fr_seq is still to come: if it echoes an
 *	older TSval, the original arrived and the recovery was spurious (the
 *	Eifel detection, RFC 3522): it is undone.
 * @undo_marker: SND.UNA when the last recovery began: a D-SACK from it up may
 *	report one of that recovery's retransmissions as needless. Valid while
 *	@undo_armed.
 * @undo_retrans: segments that recovery sent again and no D-SACK reported yet.
 * @undo_armed: that recovery's reduction may still be undone by D-SACKs: it
 *	was not undone, and no timeout or other reduction came since.
 * @frto: F-RTO's test of the last timeout (RFC 5682, input.c): 0 none, 1
 *	waiting for the first ACK after the segment it sent again, 2 new data
 *	sent, waiting for the second.
 * @frto_room: new segments F-RTO's step 2b may still send, whatever cwnd.
 * @frto_rtx_end: the end of what the timeout sent again, while @frto.
 * @frto_undo: F-RTO may undo the timeout's reduction if it proves spurious:
 *	no ECN echo came since the timeout (congestion, whatever the timeout).
 * @ecn: XTCP_ECN_* (ecn.c): what was agreed and what is due on the wire.
 * @pacing_timer: XTCP's own pacing (pacing.c): pushes again at
 *	@pacing_next_ns; holds a reference to the socket while armed.
 * @pacing_next_ns: when the next segment may leave (ktime_get_ns()), while
 *	XTCP paces the socket itself.
 * @cwnd: the congestion window (cwnd.c).
 * @cc: the congestion controller (cc.c), pinned (its module's count) from the
 *	socket's publication to its destruction; changed by TCP_CONGESTION under
 *	the socket lock.
 * @cc_user: @cc was chosen with TCP_CONGESTION: a listener's passes to its
 *	children.
 * @cc_live: @cc's .init ran and its .release has not.
 * @ca_priv: @cc's own state (xtcp_ca_priv()).
 * @rcv_tune: receive-buffer autotuning (window.c).
 * @rate: delivery rate and busy time (rate.c).
 * @counts: segment and byte counts for TCP_INFO.
 * @send_head: the first skb of sk_write_queue not yet sent, or NULL.
 * @ooo: segments received beyond RCV.NXT, in sequence order.
 * @rtt: the RFC 6298 estimator.
 * @rtt_seq: a timed segment's end sequence; valid when @rtt_timing.
 * @rtt_start: when it was sent (tcp_clock_us()).
 * @rtt_timing: a segment is being timed (never a retransmitted one: Karn).
 * @rtx_mode: what @rtx_timer is armed for.
 * @retransmits: timeouts in a row without progress (SYN, data, FIN, probes).
 * @total_retrans: segments retransmitted over the connection's life.
 * @ka_probes: unanswered keepalive probes.
 * @ack_pending: segments received and not yet acknowledged.
 * @nodelay: TCP_NODELAY (Nagle off).
 * @cork: TCP_CORK: a short last segment waits for more, at most until the
 *	XTCP_RTX_CORK timeout (an RTO; TCP's 200 ms ceiling).
 * @pingpong: TCP_QUICKACK was set to 0. XTCP delays ACKs the same way either way;
 *	the flag is what TCP_QUICKACK reads back.
 * @syn_retries: TCP_SYNCNT, or 0 for the syn_retries sysctl.
 * @linger2: TCP_LINGER2 in jiffies: an orphan's FIN_WAIT_2 limit; 0 for the
 *	fin_timeout_ms sysctl, -1 for none (an orphan leaves FIN_WAIT_2 at once).
 * @user_timeout: TCP_USER_TIMEOUT in ms, or 0: how long data may stay
 *	unacknowledged (or a zero window unopened, or keepalive unanswered) before
 *	the connection fails with ETIMEDOUT.
 * @notsent_lowat: TCP_NOTSENT_LOWAT, or 0: the socket is writable (and send()
 *	goes on) only while fewer bytes than this wait unsent.
 * @window_clamp: TCP_WINDOW_CLAMP, or 0: the most window XTCP offers.
 * @snd_up: SND.UP, the sequence number after our last urgent byte (RFC 9293
 *	3.8.5; MSG_OOB), valid while @urg_mode.
 * @urg_mode: urgent data of ours is not acknowledged yet: segments before
 *	@snd_up carry URG.
 * @urg_seq: the peer's last urgent byte (its pointer less one, as BSD and
 *	Linux read it), valid while @urg_data.
 * @urg_data: XTCP_URG_NOTYET (the pointer came, the byte not yet),
 *	XTCP_URG_VALID | the byte, XTCP_URG_READ (taken by MSG_OOB), or 0.
 * @retrans_stamp: jiffies when the oldest unacknowledged segment was first sent,
 *	set at its first retransmission (or the first window probe); valid while
 *	@retransmits is not 0.
 * @fin_queued: the user shut down sending; a FIN is at the end of the write queue.
 * @orphan_counted: closed by its user and counted among the orphans until it
 *	is CLOSED (mem.c); under the socket lock.
 * @disconnects: disconnects so far (connect(AF_UNSPEC), a failed connect); a
 *	connect() that slept tells by it whether one happened meanwhile.
 * @keepidle: TCP_KEEPIDLE, in jiffies.
 * @keepintvl: TCP_KEEPINTVL, in jiffies.
 * @keepcnt: TCP_KEEPCNT.
 * @rcv_tstamp: jiffies when the last segment arrived (keepalive).
 * @last_oow_ack: jiffies when the last ACK to an out-of-window segment (or a
 *	challenge ACK) went, 0 for never (ratelimit.c).
 * @rtx_timer: retransmission (SYN, data, FIN) and persist timer.
 * @delack_timer: the delayed-ACK timer. sk_timer is the keepalive and FIN_WAIT_2
 *	timer.
 */
struct xtcp_sock {
	struct inet_sock inet;
	struct xtcp_socks_node node;
	struct hlist_node hash_node;
	struct hlist_node bind_node;
	struct xtcp_bind_bucket *bind;
	struct xtcp_listen lq;
	struct list_head accept_node;
	unsigned long tsq_flags;
	struct list_head tsq_node;

	u32 iss;
	u32 snd_una;
	u32 snd_nxt;
	u32 snd_max;
	u32 write_seq;
	u32 snd_wnd;
	u32 snd_wl1;
	u32 snd_wl2;
	u32 max_window;
	u32 irs;
	u32 rcv_nxt;
	u32 rcv_wup;
	u32 rcv_wnd;
	u32 copied_seq;
	u16 mss;
	u16 advmss;
	u16 user_mss;
	bool wscale_ok;
	u8 snd_wscale;
	u8 rcv_wscale;
	bool ts_ok;
	u32 ts_recent;
	u32 ts_recent_stamp;
	u32 ts_off;
	bool sack_ok;
	struct xtcp_rcv_sack rsack;
	struct xtcp_scoreboard sb;
	u32 high_rxt;
	struct xtcp_prr prr;
	struct xtcp_rack rack;
	u32 tlp_high_seq;
	bool tlp_out;
	bool tlp_retrans;
	u32 fr_seq;
	u32 fr_tsval;
	bool fr_check;
	u32 undo_marker;
	u32 undo_retrans;
	bool undo_armed;
	u8 frto;
	u8 frto_room;
	u32 frto_rtx_end;
	bool frto_undo;
	u8 ecn;
	struct hrtimer pacing_timer;
	u64 pacing_next_ns;
	struct xtcp_cwnd cwnd;
	const struct xtcp_cc_ops *cc;
	bool cc_user;
	bool cc_live;
	u64 ca_priv[XTCP_CA_PRIV_SIZE / sizeof(u64)];
	struct xtcp_rcv_tune rcv_tune;
	struct xtcp_rate rate;
	struct xtcp_info_counts counts;
	struct sk_buff *send_head;
	struct sk_buff_head ooo;
	struct xtcp_rtt rtt;
	u32 rtt_seq;
	u64 rtt_start;
	bool rtt_timing;
	u8 rtx_mode;
	u8 retransmits;
	u8 ka_probes;
	u8 ack_pending;
	bool nodelay;
	bool cork;
	bool pingpong;
	bool fin_queued;
	bool orphan_counted;
	u8 syn_retries;
	int linger2;
	u32 user_timeout;
	u32 notsent_lowat;
	u32 window_clamp;
	u32 snd_up;
	bool urg_mode;
	u32 urg_seq;
	u16 urg_data;
	u32 retrans_stamp;
	u32 disconnects;
	u32 total_retrans;
	int keepidle;
	int keepintvl;
	int keepcnt;
	unsigned long rcv_tstamp;
	u32 last_oow_ack;
	struct timer_list rtx_timer;
	struct timer_list delack_timer;
};

/* TCP header flags, as in byte 13 of the header. */
#define XTCPHDR_FIN	0x01
#define XTCPHDR_SYN	0x02
#define XTCPHDR_RST	0x04
#define XTCPHDR_PSH	0x08
#define XTCPHDR_ACK	0x10
#define XTCPHDR_URG	0x20
#define XTCPHDR_ECE	0x40
#define XTCPHDR_CWR	0x80

/*
 * What each skb of the write, receive and out-of-order queues carries in skb->cb:
 * its sequence space [seq, end_seq) (SYN and FIN count) and TCP flags.
 */
struct xtcp_skb_cb {
	u32 seq;
	u32 end_seq;
	u32 ack_seq;
	u16 window;
	u16 mss;	/* received SYNs: the MSS option, or 0 */
	u8 flags;
	u8 doff;	/* received segments: header length in bytes */
	bool charged;	/* write queue: charged to the socket's memory (mem.c) */
	u8 opts;	/* received segments: XTCP_CB_* options present */
	u32 when;	/* sent segments: jiffies when first sent */
	u32 tsval;	/* received segments with XTCP_CB_TS: the timestamps */
	u32 tsecr;
	u8 wscale;	/* received SYNs with XTCP_CB_WSCALE: the shift */
	u8 txf;		/* write queue: XTCP_TXF_* (rack.c) */
	u32 xmit_us;	/* write queue: when last sent (xtcp_clock_us(), low 32 bits) */
};

/* struct xtcp_skb_cb's opts. */
#define XTCP_CB_TS	0x01	/* timestamps */
#define XTCP_CB_WSCALE	0x02	/* window scale (SYN) */
#define XTCP_CB_SACK_OK	0x04	/* SACK-permitted (SYN) */
#define XTCP_CB_ECN	0x08	/* ECE and CWR on a SYN: ECN asked for (RFC 3168) */
#define XTCP_CB_SACK	0x10	/* SACK blocks, or a SACK option to discard */
#define XTCP_CB_ECT	0x20	/* its IP header says ECN-capable: ECT(0), ECT(1) or CE */
#define XTCP_CB_CE	0x40	/* ... and CE: congestion on the way */

/* struct xtcp_sock's ecn (ecn.c), under the socket lock. */
#define XTCP_ECN_OK		0x01	/* both ends agreed ECN (RFC 3168 6.1.1) */
#define XTCP_ECN_ASKED		0x02	/* our SYN asks for it (net.xtcp.ecn 1) */
#define XTCP_ECN_DEMAND_CWR	0x04	/* CE came: our segments echo ECE until CWR */
#define XTCP_ECN_QUEUE_CWR	0x08	/* we reduced: the next new data carries CWR */
#define XTCP_ECN_SEEN		0x10	/* an ECN-capable segment came (TCP_INFO) */

/* struct xtcp_skb_cb's txf, for RACK (rack.c). */
#define XTCP_TXF_RETRANS	0x01	/* sent more than once */
#define XTCP_TXF_DELIVERED	0x02	/* some of it acknowledged or SACKed (or split from one) */
#define XTCP_TXF_LOST		0x04	/* a retransmission RACK found lost: it goes again */

#define XTCP_SKB_CB(skb)	((struct xtcp_skb_cb *)&((skb)->cb[0]))

/*
 * The send side of a new connection: our ISN, and SND.UNA = SND.NXT = WRITE_SEQ =
 * @next (the ISN before the SYN is queued, ISN + 1 once it is acknowledged).
 */
void xtcp_rack_init(struct xtcp_rack *r, u32 una);	/* rack.c */

static inline void xtcp_init_send_seq(struct xtcp_sock *xs, u32 iss, u32 next)
{
	xs->iss = iss;
	xs->snd_una = next;
	xs->snd_nxt = next;
	xs->snd_max = next;
	xs->write_seq = next;
	xs->high_rxt = next;
	memset(&xs->sb, 0, sizeof(xs->sb));
	xtcp_rack_init(&xs->rack, next);
	xs->tlp_out = false;
	xs->undo_armed = false;
	xs->frto = 0;
	xs->frto_room = 0;
}

/*
 * The receive side, from the peer's SYN (its ISN @irs) and the segment @cb that
 * completes the handshake (its window is the peer's first, SND.WL1/WL2 its numbers).
 */
static inline void xtcp_init_rcv_seq(struct xtcp_sock *xs, u32 irs,
				     const struct xtcp_skb_cb *cb)
{
	/* A SYN's window is never scaled (RFC 7323 2.2); the final ACK's is. */
	u32 win = (u32)cb->window << ((cb->flags & XTCPHDR_SYN) ? 0 : xs->snd_wscale);

	xs->irs = irs;
	xs->rcv_nxt = irs + 1;
	xs->rcv_wup = xs->rcv_nxt;
	xs->copied_seq = xs->rcv_nxt;
	xs->snd_wnd = win;
	xs->max_window = win;
	xs->snd_wl1 = cb->seq;
	xs->snd_wl2 = cb->ack_seq;
	/* No SACK block yet (sack.c). */
	memset(&xs->rsack, 0, sizeof(xs->rsack));
}

/**
 * struct xtcp_request - a connection in the SYN queue: a SYN received and a SYN-ACK
 * sent, not yet a socket. It lives in its namespace's request table, found under
 * RCU and freed a grace period after its last reference goes.
 * @node: in xtcp_req_table.buckets; changed under its bucket's lock.
 * @rcu: frees it.
 * @refcnt: one for the table, one for the pending timer, one per lookup.
 * @hashed: in the table; under the bucket's lock, read locklessly by the timer.
 * @listener: the listening socket; holds a reference.
 * @laddr: our address.
 * @raddr: the peer's address.
 * @lport: our port.
 * @rport: the peer's port.
 * @iss: our initial sequence number.
 * @irs: the peer's.
 * @peer_mss: the MSS the peer announced.
 * @advmss: the MSS we announced.
 * @retries: SYN-ACK timeouts so far; written by the timer only.
 * @acked: a final ACK without data came while TCP_DEFER_ACCEPT waits for data;
 *	READ/WRITE_ONCE (the receive path sets it, the timer reads it).
 * @sent_us: when the last SYN-ACK went out (xtcp_clock_us(), truncated).
 * @wscale_ok: both SYNs carry window scale: the peer's offered one, and the
 *	listener's window_scaling sysctl was on.
 * @snd_wscale: the peer's shift.
 * @rcv_wscale: ours, announced in the SYN-ACK.
 * @ts_ok: the SYN had timestamps, and the timestamps sysctl was on.
 * @sack_ok: the SYN had SACK-permitted (kept for the SACK of a later issue;
 *	not offered yet).
 * @ts_recent: the SYN's TSval, echoed by the SYN-ACK.
 * @timer: the SYN-ACK retransmission timer.
 *
 * All other fields are constant once the request is in the table.
 */
struct xtcp_request {
	struct hlist_node node;
	struct rcu_head rcu;
	refcount_t refcnt;
	bool hashed;
	u8 retries;
	u16 peer_mss;
	struct sock *listener;
	__be32 laddr;
	__be32 raddr;
	__be16 lport;
	__be16 rport;
	u16 advmss;
	bool acked;
	u32 iss;
	u32 irs;
	u32 sent_us;
	bool wscale_ok;
	u8 snd_wscale;
	u8 rcv_wscale;
	bool ts_ok;
	bool sack_ok;
	bool ecn_ok;
	u32 ts_recent;
	struct timer_list timer;
};

/* The request table: buckets, and the locks that guard them (powers of two). */
#define XTCP_REQ_HASH_SIZE	4096
#define XTCP_REQ_LOCKS		64

/**
 * struct xtcp_req_table - the SYN queues of all of a namespace's listeners.
 * @buckets: requests by 4-tuple; RCU readers.
 * @locks: bucket i changes under @locks[i % XTCP_REQ_LOCKS]; taken with BHs off.
 * @count: requests allocated and not yet freed.
 * @seed: the hash secret.
 */
struct xtcp_req_table {
	struct hlist_head *buckets;
	spinlock_t *locks;	/* see above */
	atomic_t count;
	u32 seed;
};

static inline struct xtcp_sock *xtcp_sk(const struct sock *sk)
{
	return (struct xtcp_sock *)sk;
}

/*
 * Where loss recovery stands, in TCP's names (TCP_CA_*, as TCP_INFO and
 * tcp_probe show them): fast recovery, a timeout's, duplicates seen, or open.
 */
static inline u8 xtcp_ca_state(const struct xtcp_sock *xs)
{
	if (xs->cwnd.recovery)
		return TCP_CA_Recovery;
	if (xs->retransmits)
		return TCP_CA_Loss;
	if (xs->cwnd.cwr)
		return TCP_CA_CWR;
	return xs->cwnd.dupacks ? TCP_CA_Disorder : TCP_CA_Open;
}

/* Both ends' sequence numbers are known and the connection is not over. */
static inline bool xtcp_synchronized(const struct sock *sk)
{
	return !((1 << sk->sk_state) & (XTCPF_CLOSE | XTCPF_LISTEN | XTCPF_SYN_SENT));
}

/* The clock of RTT measurements, in microseconds. */
static inline u64 xtcp_clock_us(void)
{
	return div_u64(ktime_get_ns(), NSEC_PER_USEC);
}

/*
 * Counters, per namespace and per CPU; summed when read. CurrEstab is a gauge that
 * xtcp_set_state() keeps.
 */
enum xtcp_mib_field {
	XTCP_MIB_ACTIVE_OPENS,
	XTCP_MIB_PASSIVE_OPENS,
	XTCP_MIB_ATTEMPT_FAILS,
	XTCP_MIB_ESTAB_RESETS,
	XTCP_MIB_CURR_ESTAB,
	XTCP_MIB_IN_SEGS,
	XTCP_MIB_OUT_SEGS,
	XTCP_MIB_RETRANS_SEGS,
	XTCP_MIB_IN_ERRS,
	XTCP_MIB_IN_CSUM_ERRORS,
	XTCP_MIB_OUT_RSTS,
	XTCP_MIB_SYN_RETRANS,
	XTCP_MIB_SYNACK_RETRANS,
	XTCP_MIB_LISTEN_OVERFLOWS,
	XTCP_MIB_LISTEN_DROPS,
	XTCP_MIB_SYN_QUEUE_DROPS,
	XTCP_MIB_SYNCOOKIES_SENT,
	XTCP_MIB_SYNCOOKIES_RECV,
	XTCP_MIB_SYNCOOKIES_FAILED,
	XTCP_MIB_TIME_WAIT_ENTERED,
	XTCP_MIB_TIME_WAIT_EXPIRED,
	XTCP_MIB_TIME_WAIT_OVERFLOW,
	XTCP_MIB_TIME_WAIT_RECYCLED,
	XTCP_MIB_CHALLENGE_ACKS,
	XTCP_MIB_IN_NO_SOCKET,
	XTCP_MIB_SOCKETS_CREATED,
	XTCP_MIB_SOCKETS_DESTROYED,
	XTCP_MIB_ABORT_ON_DATA,
	XTCP_MIB_DEFER_ACCEPT_DROP,
	XTCP_MIB_OFO_DROP,
	XTCP_MIB_OFO_PRUNED,
	XTCP_MIB_ACK_SKIPPED_CHALLENGE,
	XTCP_MIB_ACK_SKIPPED_SEQ,
	XTCP_MIB_ABORT_ON_MEMORY,
	XTCP_MIB_RCVQ_DROP,
	XTCP_MIB_MEMORY_PRESSURES,
	XTCP_MIB_ACK_SKIPPED_TIME_WAIT,
	XTCP_MIB_PAWS_ESTAB,
	XTCP_MIB_TS_MISSING,
	XTCP_MIB_PAWS_OLD_ACK,
	XTCP_MIB_RCV_COALESCE,
	XTCP_MIB_TSQ_THROTTLED,
	XTCP_MIB_RENO_RECOVERY,
	XTCP_MIB_FAST_RETRANS,
	XTCP_MIB_DSACK_OLD_SENT,
	XTCP_MIB_DSACK_OFO_SENT,
	XTCP_MIB_SACK_DISCARD,
	XTCP_MIB_FULL_UNDO,
	XTCP_MIB_SACK_RECOVERY,
	XTCP_MIB_DSACK_RECV,
	XTCP_MIB_LOSS_PROBES,
	XTCP_MIB_LOSS_PROBE_RECOVERY,
	XTCP_MIB_TIMEOUTS,
	XTCP_MIB_SACK_REORDER,
	XTCP_MIB_LOST_RETRANSMIT,
	XTCP_MIB_DSACK_UNDO,
	XTCP_MIB_HYSTART_DELAY_DETECT,
	XTCP_MIB_HYSTART_DELAY_CWND,
	XTCP_MIB_SPURIOUS_RTOS,
	XTCP_MIB_ECN_REDUCTIONS,
	XTCP_MIB_ECN_CE_RECV,
	XTCP_MIB_MAX,
};

struct xtcp_mib {
	unsigned long mibs[XTCP_MIB_MAX];
};

extern const char *const xtcp_mib_names[XTCP_MIB_MAX];

/*
 * Sysctls of one namespace (net.xtcp.*). Each is an int read locklessly with
 * READ_ONCE() and written only by xtcp_proc_int_range() with WRITE_ONCE().
 */
struct xtcp_sysctl {
	int synack_retries;
	int syn_retries;
	int msl_ms;
	int syncookies;
	int max_syn_backlog;
	int max_tw_buckets;
	int fin_timeout_ms;
	int challenge_ack_limit;
	int invalid_ratelimit;
	int window_scaling;
	int timestamps;
	int rmem[3];
	int wmem[3];
	int limit_output_bytes;
	int sack;
	int ecn;
	int pacing_ss_ratio;
	int pacing_ca_ratio;
};

/* The 4-tuple of a TIME_WAIT entry, as the local end sees it. */
struct xtcp_tw_key {
	__be32 saddr;
	__be32 daddr;
	__be16 sport;
	__be16 dport;
};

/**
 * struct xtcp_tw - one connection in TIME_WAIT: all of it, 72 bytes on x86-64.
 * @node: in xtcp_tw_table.ht; RCU readers.
 * @key: the 4-tuple; constant.
 * @snd_nxt: SND.NXT; constant.
 * @rcv_nxt: RCV.NXT; constant.
 * @rcv_wnd: the window its ACKs offer (what was left of the last one, as
 *	Linux's TIME_WAIT sockets); constant.
 * @flags: XTCP_TW_REUSE if the socket had SO_REUSEADDR (constant), and in
 *	XTCP_TW_STAMP_MASK when the entry last sent an ACK that invalid_ratelimit
 *	limits (xtcp_stamp_limited(); 0 for never), updated by RCU readers with
 *	READ_ONCE()/WRITE_ONCE(): two CPUs racing may each send one.
 * @expires: when 2 * MSL runs out (jiffies); written under xtcp_tw_table.lock
 *	with WRITE_ONCE() once the entry is hashed, read locklessly (READ_ONCE())
 *	by /proc/net/xtcp, which walks @node under RCU.
 * @age: in xtcp_tw_table.age, ordered by @expires; empty once the entry is
 *	 removed; under xtcp_tw_table.lock.
 * @rcu: frees the entry after a grace period.
 * @ts_recent: the connection used timestamps (@ts_ok): the peer's last TSval,
 *	which the entry's ACKs echo and a new SYN is judged by (RFC 6191);
 *	constant.
 * @ts_ok: the connection used timestamps; constant.
 */
struct xtcp_tw {
	struct rhash_head node;
	struct xtcp_tw_key key;
	u32 snd_nxt;
	u32 rcv_nxt;
	u16 rcv_wnd;
	u16 flags;
	unsigned long expires;
	struct list_head age;
	struct rcu_head rcu;
	u32 ts_recent;
	bool ts_ok;
};

/**
 * struct xtcp_tw_state - what a connection leaves in its TIME_WAIT entry.
 * @snd_nxt: SND.NXT (just past our FIN).
 * @rcv_nxt: RCV.NXT (just past the peer's FIN).
 * @rcv_wnd: the window field the entry's ACKs carry (already scaled).
 * @reuse: the socket had SO_REUSEADDR (a later bind() with it may share the port).
 * @ts_ok: timestamps were on.
 * @ts_recent: then TS.Recent.
 */
struct xtcp_tw_state {
	u32 snd_nxt;
	u32 rcv_nxt;
	u16 rcv_wnd;
	bool reuse;
	bool ts_ok;
	u32 ts_recent;
};

/* struct xtcp_tw's flags: SO_REUSEADDR, and the stamp of its last limited ACK. */
#define XTCP_TW_REUSE		0x8000
#define XTCP_TW_STAMP_MASK	0x7fff

static inline bool xtcp_tw_reuse(const struct xtcp_tw *tw)
{
	return READ_ONCE(tw->flags) & XTCP_TW_REUSE;
}

/**
 * struct xtcp_tw_table - a namespace's TIME_WAIT entries.
 * @ht: the entries by 4-tuple; lookups under RCU, changes under @lock.
 * @lock: protects @age, @count, @ports and changes to @ht; taken with bottom
 *	halves off.
 * @age: the entries, the first to expire first.
 * @count: how many entries there are; written under @lock, read locklessly.
 * @ports: for bind(), the local addresses and ports the entries hold: struct
 *	xtcp_tw_port records hashed by port (XTCP_TW_PORT_HASH_SIZE buckets), one
 *	per address and port with its count of entries; under @lock.
 */
struct xtcp_tw_table {
	struct rhashtable ht;
	spinlock_t lock;	/* see above */
	struct list_head age;
	unsigned int count;
	struct hlist_head *ports;
};

#define XTCP_TW_PORT_HASH_SIZE	1024

/* Bucket counts of the per-namespace tables (powers of two). */
#define XTCP_EHASH_SIZE		4096
#define XTCP_LHASH_SIZE		256
#define XTCP_BHASH_SIZE		256

/**
 * struct xtcp_bind_bucket - a local address and port that XTCP sockets hold.
 * @node: in xtcp_hashinfo.bhash; under its lock.
 * @owners: the sockets bound here (struct xtcp_sock.bind_node); under its lock.
 * @addr: the local address (INADDR_ANY for a wildcard bind).
 * @port: the port, network order.
 * @hold: a kernel TCP socket bound to the same address and port, so that the
 *	kernel's TCP cannot take it while XTCP holds it; released from process
 *	context once @owners is empty.
 * @free_node: on xtcp_hashinfo.release when the bucket is done.
 */
struct xtcp_bind_bucket {
	struct hlist_node node;
	struct hlist_head owners;
	__be32 addr;
	__be16 port;
	struct socket *hold;
	struct llist_node free_node;
};

/**
 * struct xtcp_hashinfo - the tables that find sockets in one namespace.
 * @lock: protects changes to all three tables and the buckets' owners; taken with
 *	bottom halves off. Lock order: socket lock > @lock.
 * @bind_mutex: serializes bind() and connect()'s port choice, which sleep to make
 *	the kernel socket that holds a port. Order: XTCP socket lock > @bind_mutex >
 *	the kernel TCP socket's lock > @lock.
 * @ehash: connections by 4-tuple; RCU readers.
 * @lhash: listeners by port; RCU readers.
 * @bhash: bound ports by port.
 * @release: buckets whose kernel socket @release_work is to release.
 * @release_work: releases them (sock_release() sleeps).
 * @seed: the established table's hash secret.
 */
struct xtcp_hashinfo {
	spinlock_t lock;	/* see above */
	struct mutex bind_mutex;
	struct hlist_head *ehash;
	struct hlist_head *lhash;
	struct hlist_head *bhash;
	struct llist_head release;
	struct work_struct release_work;
	u32 seed;
};

/**
 * struct xtcp_budget - replies allowed per second (challenge ACKs).
 * @second: the second @left was drawn for (jiffies / HZ); READ/WRITE_ONCE.
 * @left: what is left of it.
 */
struct xtcp_budget {
	u32 second;
	atomic_t left;
};

/**
 * struct xtcp_net - XTCP's state in one network namespace.
 * @sysctl: the knobs; see struct xtcp_sysctl for the access rules.
 * @sysctl_hdr: the registered net.xtcp table; set at namespace init, read at exit.
 * @sysctl_table: this namespace's copy of the table (its .data points into @sysctl).
 * @mib: per-CPU counters; update with xtcp_inc_stats() from any context.
 * @socks_lock: protects @socks; taken with bottom halves off, by each of
 *	/proc/net/xtcp's steps for one socket, never across a read (proc.c).
 * @socks: every XTCP socket of the namespace, for /proc/net/xtcp, and the
 *	cursors of its readers (struct xtcp_socks_node).
 * @isn_key: the secret of initial sequence numbers; set at namespace init.
 * @ts_key: the secret of timestamp offsets; set at namespace init.
 * @cookie_key: the secret of SYN cookies; set at namespace init.
 * @hash: the socket tables.
 * @reqs: the SYN queues (requests).
 * @tw: the TIME_WAIT table.
 * @tw_timer: expires TIME_WAIT entries; armed for the oldest one.
 * @net: the namespace (for the timer).
 * @wire_live: segments of this namespace reach XTCP; cleared at .pre_exit,
 *	read under RCU by the isolated wire's handlers (READ/WRITE_ONCE).
 * @challenge: this second's challenge ACKs (ratelimit.c); lockless.
 * @cc_default: net.xtcp.congestion_control, pinned while it is the default;
 *	RCU readers, writers serialized by cc.c's registry lock.
 */
struct xtcp_net {
	struct xtcp_sysctl sysctl;
	struct ctl_table_header *sysctl_hdr;
	struct ctl_table *sysctl_table;
	struct xtcp_mib __percpu *mib;
	spinlock_t socks_lock;	/* protects socks */
	struct hlist_head socks;
	siphash_key_t isn_key;
	siphash_key_t ts_key;
	siphash_key_t cookie_key;
	struct xtcp_hashinfo hash;
	struct xtcp_req_table reqs;
	struct xtcp_tw_table tw;
	struct timer_list tw_timer;
	struct net *net;
	bool wire_live;
	struct xtcp_budget challenge;
	const struct xtcp_cc_ops __rcu *cc_default;
};

extern unsigned int xtcp_net_id;

static inline struct xtcp_net *xtcp_pernet(const struct net *net)
{
	return net_generic(net, xtcp_net_id);
}

static inline void xtcp_mod_stats(struct net *net, enum xtcp_mib_field f, long v)
{
	this_cpu_add(xtcp_pernet(net)->mib->mibs[f], v);
}

static inline void xtcp_inc_stats(struct net *net, enum xtcp_mib_field f)
{
	xtcp_mod_stats(net, f, 1);
}

/* isn.c */
void xtcp_isn_key_init(siphash_key_t *key);
u32 xtcp_isn_at(const siphash_key_t *key, __be32 saddr, __be32 daddr,
		__be16 sport, __be16 dport, u64 now_ns);
u32 xtcp_isn(const struct net *net, __be32 saddr, __be32 daddr,
	     __be16 sport, __be16 dport);

/* syncookie.c */

/* A cookie's time counter ticks once a minute; a cookie lives two ticks. */
#define XTCP_COOKIE_PERIOD	(60 * HZ)
#define XTCP_COOKIE_MSS_COUNT	8

u32 xtcp_cookie_count(void);
unsigned int xtcp_cookie_mss_index(u16 mss);
u16 xtcp_cookie_mss(unsigned int index);
u32 xtcp_cookie_make(const siphash_key_t *key, __be32 laddr, __be32 raddr,
		     __be16 lport, __be16 rport, u32 irs, u32 count, unsigned int mssind);
int xtcp_cookie_check(const siphash_key_t *key, __be32 laddr, __be32 raddr,
		      __be16 lport, __be16 rport, u32 irs, u32 cookie, u32 count);

/**
 * struct xtcp_cookie_opts - the SYN options a cookie keeps in its SYN-ACK's TSval.
 * @wscale_ok: the SYN had window scale.
 * @wscale: its shift.
 * @sack_ok: the SYN had SACK-permitted.
 * @ecn: ECN was agreed: the SYN asked for it, and the SYN-ACK said yes.
 */
struct xtcp_cookie_opts {
	bool wscale_ok;
	u8 wscale;
	bool sack_ok;
	bool ecn;
};

u32 xtcp_cookie_ts_make(u32 now, const struct xtcp_cookie_opts *o);
int xtcp_cookie_ts_check(u32 tsecr, u32 now, struct xtcp_cookie_opts *o);

/* timestamps.c */
#define XTCP_PAWS_IDLE_SECS	(24 * 24 * 60 * 60)
u32 xtcp_ts_clock(void);
u32 xtcp_ts_offset(const struct net *net, __be32 saddr, __be32 daddr);
bool xtcp_paws_ok(u32 ts_recent, u32 recent_stamp, u32 tsval, u32 now_secs);
bool xtcp_ts_recent_due(u32 seq, u32 rcv_wup);
u32 xtcp_ts_rtt_us(u32 now_ts, u32 tsecr);
void xtcp_ts_store_recent(struct xtcp_sock *xs, u32 tsval);

/* window.c */
u8 xtcp_wscale_for_space(u32 space);
u8 xtcp_rcv_wscale(const struct sock *sk);
u16 xtcp_scale_window(u32 win, u8 wscale, u32 *rcv_wnd);
u32 xtcp_max_rcv_wnd(const struct xtcp_sock *xs);
u32 xtcp_rcvbuf_target(u32 copied, u32 advmss);
u32 xtcp_syn_window(u32 space, u32 mss);
u32 xtcp_mss_half_window(u32 mss, u32 max_window);
u32 xtcp_sndbuf_target(u32 cwnd, u32 mss);
u32 xtcp_rcv_rtt_filter(u32 old_us, u32 sample_us, bool upper_bound);
void xtcp_rcv_tune_init(struct sock *sk);
u32 xtcp_rcv_mss_seen(u32 rcv_mss, u32 len, u32 advmss);
void xtcp_rcv_rtt_measure(struct sock *sk, const struct xtcp_skb_cb *cb, u32 len);
void xtcp_rcv_space_adjust(struct sock *sk);
void xtcp_sndbuf_expand(struct sock *sk);

/* rate.c */
void xtcp_rate_acked(struct xtcp_rate *r, u32 una, u64 now_us, u32 interval_us);
void xtcp_rate_busy(struct xtcp_rate *r, bool busy, u32 una, u64 now_us);
u64 xtcp_rate_busy_us(const struct xtcp_rate *r, u64 now_us);

/* sack.c */
void xtcp_rcv_sack_reset(struct xtcp_rcv_sack *s);
void xtcp_rcv_sack_add(struct xtcp_rcv_sack *s, u32 start, u32 end);
void xtcp_rcv_sack_advance(struct xtcp_rcv_sack *s, u32 rcv_nxt);
void xtcp_rcv_sack_forget(struct xtcp_rcv_sack *s, u32 from);
void xtcp_rcv_sack_dup(struct xtcp_rcv_sack *s, u32 start, u32 end, u32 rcv_nxt);
unsigned int xtcp_rcv_sack_fill(struct xtcp_rcv_sack *s, struct xtcp_sack_block *out,
				unsigned int max);
void xtcp_sb_reset(struct xtcp_scoreboard *sb);
void xtcp_sb_advance(struct xtcp_scoreboard *sb, u32 una);
u32 xtcp_sb_update(struct xtcp_scoreboard *sb, const struct xtcp_sack_block *b,
		   unsigned int n, u32 una, u32 snd_max, unsigned int *bad, bool *dsack);
u32 xtcp_sb_sacked_in(const struct xtcp_scoreboard *sb, u32 start, u32 end);

/* rack.c */
void xtcp_rack_min_rtt(struct xtcp_rack *r, u32 rtt_us, u32 now);
bool xtcp_rack_delivered(struct xtcp_rack *r, u32 xmit_us, u32 end_seq, bool retrans,
			 u32 now_us);
u32 xtcp_rack_reo_wnd(const struct xtcp_rack *r, u32 srtt_us, bool recovery, u32 sacked_segs);
void xtcp_rack_dsack(struct xtcp_rack *r, u32 una, u32 snd_nxt);
void xtcp_rack_recovery_done(struct xtcp_rack *r);
u32 xtcp_rack_wait_us(const struct xtcp_rack *r, u32 xmit_us, u32 end_seq, u32 now_us,
		      u32 reo_wnd);

/* recovery.c */
enum xtcp_frto_verdict {
	XTCP_FRTO_WAIT,		/* no verdict yet */
	XTCP_FRTO_NEW_DATA,	/* step 2b: two new segments */
	XTCP_FRTO_GOBACK,	/* steps 2a, 3a: the conventional recovery */
	XTCP_FRTO_SPURIOUS,	/* step 3b: the timeout was needless */
};

enum xtcp_frto_verdict xtcp_frto_verdict(u8 step, bool advanced, bool dup, u32 ack, u32 rtx_end,
					 u32 snd_max, bool new_data);
u32 xtcp_rec_lost_end(const struct xtcp_scoreboard *sb, u32 una, u32 mss);
u32 xtcp_rec_pipe(const struct xtcp_scoreboard *sb, u32 una, u32 snd_nxt, u32 lost_end,
		  u32 high_rxt, u32 mss);
bool xtcp_rec_next_hole(const struct xtcp_scoreboard *sb, u32 una, u32 from, u32 below,
			u32 *start, u32 *end);
void xtcp_prr_init(struct xtcp_prr *p, u32 recover_fs);
u32 xtcp_tlp_timeout_us(u32 srtt_us, u32 flight, u32 rto_us);
u32 xtcp_prr_cwnd(struct xtcp_prr *p, u32 delivered, u32 pipe, u32 ssthresh);

/* offload.c */
u32 xtcp_gso_goal(u32 mss, u32 gso_max_size, u32 gso_max_segs, u32 max_window, u64 rate);
void xtcp_setup_caps(struct sock *sk, struct dst_entry *dst);
u32 xtcp_size_goal(struct sock *sk);
u64 xtcp_flow_rate(u32 cwnd, u32 ssthresh, u32 mss, u32 srtt_us);
u16 xtcp_rcv_segs(const struct sk_buff *skb);
u32 xtcp_tsq_limit(u32 truesize, u64 rate, u32 limit_output_bytes);
bool xtcp_tsq_throttled(struct sock *sk, const struct sk_buff *skb);
void xtcp_wfree(struct sk_buff *skb);
void xtcp_tsq_kick(struct sock *sk);
void xtcp_release_cb(struct sock *sk);
void xtcp_tsq_init(void);
void xtcp_tsq_exit(void);
void xtcp_gso_set(struct sk_buff *skb, unsigned int payload, u32 mss);
bool xtcp_gso_wanted(const struct sk_buff *skb, unsigned int payload, u32 mss);
int xtcp_trim_head(struct sk_buff *skb, u32 len);
struct sk_buff *xtcp_gso_segment(struct sk_buff *skb, netdev_features_t features);
int xtcp_offload_init(void);
void xtcp_offload_exit(void);

/* struct xtcp_sock's tsq_flags (offload.c). */
enum {
	XTCP_TSQ_THROTTLED,	/* a push stopped for the bytes below; wake it */
	XTCP_TSQ_QUEUED,	/* on a CPU's list, with a reference, to be pushed */
	XTCP_TSQ_DEFERRED,	/* to be pushed when its user releases the lock */
};

/* pacing.c */
u64 xtcp_pacing_rate(u32 mss, u32 cwnd, u32 ssthresh, u32 in_flight, u32 srtt_us,
		     u32 ss_ratio, u32 ca_ratio);
u64 xtcp_pacing_delay_ns(u32 bytes, unsigned long rate);
void xtcp_update_pacing_rate(struct sock *sk);
bool xtcp_pacing_wait(struct sock *sk);
void xtcp_pacing_sent(struct sock *sk, u32 bytes);
void xtcp_pacing_init(struct sock *sk);
void xtcp_pacing_stop(struct sock *sk);

/* ecn.c */
bool xtcp_ecn_synack_agrees(u8 flags);
bool xtcp_ecn_syn_acceptable(int sysctl_ecn, u8 flags, bool ect);
u8 xtcp_ecn_rcv(u8 ecn, u8 flags, u8 cb_opts, bool *ack_now);
u8 xtcp_ecn_xmit(u8 *ecn, u8 flags, bool first_syn, bool new_data, bool *ect);
bool xtcp_ecn_echoed(u8 ecn, u8 flags);

/* cwnd.c */
#define XTCP_INIT_CWND		10
u32 xtcp_cwnd_initial(u32 mss);
void xtcp_cwnd_init(struct xtcp_cwnd *c, u32 iw, u32 now);
bool xtcp_cwnd_timeout_sets_ssthresh(const struct xtcp_cwnd *c, bool first);
void xtcp_cwnd_timeout(struct xtcp_cwnd *c, u32 ssthresh, u32 snd_max);
bool xtcp_cwnd_dupack(struct xtcp_cwnd *c, u32 una);
void xtcp_cwnd_enter_recovery(struct xtcp_cwnd *c, u32 ssthresh, u32 snd_max);
bool xtcp_cwnd_recovery_ack(struct xtcp_cwnd *c, u32 ack, u32 acked, u32 in_flight);
void xtcp_cwnd_undo(struct xtcp_cwnd *c, u32 cwnd);
bool xtcp_cwnd_sent(struct xtcp_cwnd *c, u32 now, u32 rto, bool idle, u32 iw);
u32 xtcp_cwnd_room(const struct xtcp_cwnd *c, u32 in_flight);
bool xtcp_cwnd_may_reduce(const struct xtcp_cwnd *c, u32 una);
void xtcp_cwnd_enter_cwr(struct xtcp_cwnd *c, u32 ssthresh, u32 snd_nxt);
bool xtcp_cwnd_cwr_done(struct xtcp_cwnd *c, u32 una);

/* cc_cubic.c */

/* CUBIC's time unit: ticks of 2^-10 s. */
#define XTCP_CUBIC_TICK_SHIFT	10
/* W_est's unit: 1/1024ths of a segment. */
#define XTCP_CUBIC_FP_SHIFT	10

/**
 * struct xtcp_cubic - CUBIC's state of a connection (xtcp_ca_priv()).
 * @epoch_us: when the current congestion avoidance epoch began, 0 for none.
 * @w_max: the window before the last reduction (W_max), in segments.
 * @w_last_max: W_max before that, for fast convergence.
 * @origin: the window the cubic reaches at K: W_max, or the epoch's start
 *	window when it began above W_max.
 * @k: K, in ticks of 2^-10 s (XTCP_CUBIC_TICK_SHIFT).
 * @w_est: Reno's estimate (W_est), in 1/1024ths of a segment
 *	(XTCP_CUBIC_FP_SHIFT).
 * @undo_w_max: @w_max before the last reduction, for an undo.
 * @undo_w_last_max: @w_last_max then.
 * @hs: HyStart++ in slow start (hystart.c).
 * @ack_rtt_us: the RTT sample of the ACK being processed (.pkts_acked comes
 *	before .cong_avoid), -1 for none.
 */
struct xtcp_cubic {
	u64 epoch_us;
	u32 w_max;
	u32 w_last_max;
	u32 origin;
	u32 k;
	u64 w_est;
	u32 undo_w_max;
	u32 undo_w_last_max;
	struct xtcp_hystart hs;
	s32 ack_rtt_us;
};

extern struct xtcp_cc_ops xtcp_cc_cubic;
u32 xtcp_cbrt(u64 x);
u32 xtcp_cubic_k(u32 w_max, u32 cwnd);
u32 xtcp_cubic_w(u64 t, u32 k, u32 origin);
u32 xtcp_cubic_ssthresh_of(struct xtcp_cubic *c, u32 cwnd);
u32 xtcp_cubic_cnt(struct xtcp_cubic *c, u32 cwnd, u32 acked, u64 now_us, u32 rtt_us);

/* cc.c */
extern struct xtcp_cc_ops xtcp_cc_reno;
int xtcp_cc_init(void);
void xtcp_cc_exit(void);
void xtcp_cc_init_net(struct xtcp_net *xn);
void xtcp_cc_exit_net(struct xtcp_net *xn);
const struct xtcp_cc_ops *xtcp_cc_find(const char *name);
bool xtcp_cc_get(const struct xtcp_cc_ops *ops);
void xtcp_cc_put(const struct xtcp_cc_ops *ops);
int xtcp_cc_set_default(struct net *net, const char *name);
size_t xtcp_cc_available(char *buf, size_t size);
int xtcp_proc_cc_default(XTCP_CTL_TABLE_CONST struct ctl_table *table, int write,
			 void *buffer, size_t *lenp, loff_t *ppos);
int xtcp_proc_cc_available(XTCP_CTL_TABLE_CONST struct ctl_table *table, int write,
			   void *buffer, size_t *lenp, loff_t *ppos);
void xtcp_cc_assign(struct sock *sk, const struct sock *lsk);
void xtcp_cc_start(struct sock *sk);
void xtcp_cc_stop(struct sock *sk);
void xtcp_cc_drop(struct sock *sk);
int xtcp_cc_setsockopt(struct sock *sk, const char *name);
void xtcp_cc_sync(struct sock *sk);
u32 xtcp_cc_loss_ssthresh(struct sock *sk, u32 in_flight);
void xtcp_cc_cong_avoid(struct sock *sk, u32 ack, u32 acked, u32 prior_in_flight);
void xtcp_cc_pkts_acked(struct sock *sk, u32 acked, s32 rtt_us, u32 prior_in_flight);
void xtcp_cc_event(struct sock *sk, enum xtcp_ca_event ev);
void xtcp_cc_undo(struct sock *sk);
void xtcp_cc_timeout(struct sock *sk, bool first);

/* timewait.c */

int xtcp_tw_cache_init(void);
void xtcp_tw_cache_exit(void);
unsigned int xtcp_tw_entry_size(void);
unsigned int xtcp_tw_port_record_size(void);
unsigned int xtcp_tw_port_records(struct xtcp_tw_table *t);
int xtcp_tw_table_init(struct xtcp_tw_table *t);
void xtcp_tw_table_destroy(struct xtcp_tw_table *t);
struct xtcp_tw *xtcp_tw_lookup(struct xtcp_tw_table *t, const struct xtcp_tw_key *key);
int xtcp_tw_insert(struct xtcp_tw_table *t, const struct xtcp_tw_key *key,
		   const struct xtcp_tw_state *st, unsigned long now,
		   unsigned long lifetime, unsigned int max);
bool xtcp_tw_syn_acceptable(const struct xtcp_tw *tw, u32 seq, bool ts, u32 tsval);
bool xtcp_tw_port_busy(struct xtcp_tw_table *t, __be32 addr, __be16 port, bool reuse);
bool xtcp_tw_refresh(struct xtcp_tw_table *t, struct xtcp_tw *tw,
		     unsigned long now, unsigned long lifetime);
bool xtcp_tw_remove(struct xtcp_tw_table *t, struct xtcp_tw *tw);
unsigned int xtcp_tw_expire(struct xtcp_tw_table *t, unsigned long now);
bool xtcp_tw_next_expiry(struct xtcp_tw_table *t, unsigned long *when);
unsigned int xtcp_tw_count(struct xtcp_tw_table *t);

/* main.c */
extern int xtcp_family;

/* af_xtcp.c */
int xtcp_af_init(void);
void xtcp_af_exit(void);
int xtcp_v4_connect(struct sock *sk, struct sockaddr *uaddr, int addr_len);
int xtcp_ioctl_answer(struct sock *sk, int cmd, int *answer);

/* sock.c */
extern struct proto xtcp_prot;
void xtcp_set_state(struct sock *sk, int state);
void xtcp_sock_link(struct sock *sk);
void xtcp_sock_lock_init(struct sock *sk);
u16 xtcp_mss_for_mtu(unsigned int mtu, u16 user_mss);
void xtcp_set_mss(struct sock *sk, u16 peer_mss);
unsigned int xtcp_ip_opt_len(const struct sock *sk);
void xtcp_clamp_mss(struct sock *sk, unsigned int limit);
struct sock *xtcp_sock_new_child(struct sock *lsk, struct xtcp_request *req,
				 const struct xtcp_skb_cb *cb);
void xtcp_done(struct sock *sk);
void xtcp_time_wait(struct sock *sk);
void xtcp_abort_child(struct sock *sk);
void xtcp_discard_child(struct sock *sk);
void xtcp_shutdown(struct sock *sk, int how);
int xtcp_disconnect(struct sock *sk, int flags);
void xtcp_close(struct sock *sk, long timeout);

/* hash.c */
int xtcp_hash_init_net(struct xtcp_hashinfo *h);
void xtcp_hash_exit_net(struct xtcp_hashinfo *h);
struct sock *xtcp_lookup_established(struct net *net, __be32 laddr, __be16 lport,
				     __be32 raddr, __be16 rport);
struct sock *xtcp_lookup_listener(struct net *net, __be32 laddr, __be16 lport, int dif);
int xtcp_hash_connection(struct sock *sk);
void xtcp_hash_listener(struct sock *sk);
void xtcp_unhash(struct sock *sk);
int xtcp_bind_port(struct sock *sk, __be32 addr, __be16 port);
bool xtcp_listen_port_ok(struct sock *sk);
int xtcp_bind_inherit(struct sock *child, struct sock *listener);
void xtcp_put_port(struct sock *sk);

/* wire.c */
u8 xtcp_wire_proto(void);
int xtcp_wire_init(void);
void xtcp_wire_exit(void);
int xtcp_wire_init_net(struct net *net);
void xtcp_wire_exit_net(struct net *net);
unsigned int xtcp_route_mtu(struct net *net, __be32 saddr, __be32 daddr);
struct rtable *xtcp_ctl_route(struct net *net, __be32 saddr, __be32 daddr);
int xtcp_ip_send(struct net *net, struct sock *owner, struct sk_buff *skb,
		 struct rtable *rt, __be32 saddr, __be32 daddr);
struct rtable *xtcp_sk_route(struct sock *sk);
int xtcp_queue_xmit(struct sock *sk, struct sk_buff *skb, bool ect);

/* input.c */

struct iphdr;
struct tcphdr;

/**
 * struct xtcp_found - what the lookup of a segment's 4-tuple found, handed from
 * the wire's hook to the receive path so that it is looked up once.
 * @sk: a connection or a listener, with a reference; or NULL.
 * @tw: a TIME_WAIT entry (valid under the RCU read lock); or NULL.
 */
struct xtcp_found {
	struct sock *sk;
	struct xtcp_tw *tw;
};

bool xtcp_lookup_segment(struct net *net, const struct iphdr *iph,
			 const struct tcphdr *th, int dif, struct xtcp_found *f);
void xtcp_rcv_found(struct net *net, struct sk_buff *skb, struct xtcp_found *f);
void xtcp_rcv(struct net *net, struct sk_buff *skb);
int xtcp_do_rcv(struct sock *sk, struct sk_buff *skb);
void xtcp_child_rcv(struct sock *sk, struct sk_buff *skb);
void xtcp_rack_timeout(struct sock *sk);
void xtcp_reset(struct sock *sk);

/* icmp.c */
void xtcp_icmp_error(struct net *net, const struct iphdr *iph, const struct tcphdr *th,
		     int type, int code, u32 info);

/* output.c */
void xtcp_send_ctl(struct net *net, struct sock *owner, __be32 saddr, __be32 daddr,
		   __be16 sport, __be16 dport, u32 seq, u32 ack, u8 flags, u16 window,
		   const struct xtcp_options *opts, int state);
void xtcp_send_reset_reply(struct net *net, const struct sk_buff *skb);
u32 xtcp_rcv_space(const struct sock *sk);
u32 xtcp_select_window(u32 rcv_nxt, u32 right, u32 space, u32 step);
u16 xtcp_window_to_announce(struct sock *sk);
bool xtcp_window_update_worth(u32 rcv_nxt, u32 right, u32 space, u32 mss, u32 step);
bool xtcp_window_update_due(const struct sock *sk);
void xtcp_send_ack(struct sock *sk);
void xtcp_send_probe(struct sock *sk);
void xtcp_send_active_reset(struct sock *sk);
u32 xtcp_packets_in_flight(const struct xtcp_sock *xs, u32 nxt);
struct sk_buff *xtcp_alloc_skb(struct sock *sk, unsigned int size, gfp_t gfp);
void xtcp_queue_skb(struct sock *sk, struct sk_buff *skb);
void xtcp_push_mode(struct sock *sk, enum xtcp_push_mode mode);
void xtcp_push(struct sock *sk);
void xtcp_mark_push(struct sock *sk, int flags);
bool xtcp_stream_memory_free(const struct sock *sk, int wake);
bool xtcp_window_blocked(const struct sock *sk);
void xtcp_retransmit_head(struct sock *sk);
void xtcp_retransmit_una(struct sock *sk);
void xtcp_send_loss_probe(struct sock *sk);
u32 xtcp_detected_lost_end(const struct xtcp_sock *xs);
s32 xtcp_acked_rtt_us(struct sock *sk, u32 ack);
void xtcp_frto_start(struct sock *sk);
void xtcp_frto_goback(struct sock *sk);
u32 xtcp_sack_pipe(const struct xtcp_sock *xs);
bool xtcp_clean_acked(struct sock *sk, u32 ack);
void xtcp_write_queue_purge(struct sock *sk);
void xtcp_queue_fin(struct sock *sk);
int xtcp_queue_syn(struct sock *sk);

/* mem.c */
extern atomic_long_t xtcp_memory_allocated;
extern struct percpu_counter xtcp_sockets_allocated;
void xtcp_mem_defaults(unsigned long pages, long mem[3]);
int xtcp_max_orphans_default(unsigned long ram_pages);
int xtcp_mem_parse(const char *text, long mem[3]);
bool xtcp_orphans_over(unsigned int orphans, int max, int shift);
unsigned int xtcp_orphan_count_sum(void);
long xtcp_memory_allocated_sum(void);
void xtcp_orphan_start(struct sock *sk);
void xtcp_orphan_end(struct sock *sk);
bool xtcp_check_oom(struct sock *sk, int shift);
void xtcp_abort_on_memory(struct sock *sk, bool reset);
int xtcp_mem_proto_init(struct proto *prot);
void xtcp_mem_proto_exit(void);
int xtcp_mem_sysctl_init(void);
void xtcp_mem_sysctl_exit(void);
void xtcp_mem_inherit_memcg(struct sock *sk, const struct sock *lsk);

/* ratelimit.c */

bool xtcp_budget_take(struct xtcp_budget *b, u32 now, u32 limit);
bool xtcp_interval_limited(u32 *last, u32 now, u32 interval);
bool xtcp_stamp_limited(u16 last, u32 now_ms, u32 interval_ms, u16 *stamp);
void xtcp_send_dupack(struct sock *sk, const struct sk_buff *skb);
void xtcp_send_challenge_ack(struct sock *sk);

/* reasm.c */
bool xtcp_reasm_trim(struct sk_buff *skb, u32 from, u32 to);
bool xtcp_reasm_insert(struct sk_buff_head *q, struct sk_buff *skb);
unsigned int xtcp_reasm_prune(struct sk_buff_head *q, u32 after, unsigned int need);
struct sk_buff *xtcp_reasm_next(struct sk_buff_head *q, u32 rcv_nxt);

/* listen.c */
int xtcp_request_cache_init(void);
void xtcp_request_cache_exit(void);
int xtcp_reqs_init_net(struct xtcp_req_table *t);
void xtcp_reqs_exit_net(struct xtcp_req_table *t);
unsigned int xtcp_request_size(void);
struct xtcp_request *xtcp_req_walk(struct xtcp_req_table *t, struct xtcp_request *req,
				   unsigned int *bucket);
void xtcp_listen_rcv(struct sock *sk, struct sk_buff *skb);
u8 xtcp_defer_secs_to_timeouts(int secs);
int xtcp_defer_timeouts_to_secs(u8 timeouts);
void xtcp_req_icmp(struct net *net, __be32 laddr, __be16 lport, __be32 raddr,
		   __be16 rport, u32 seq);
void xtcp_listen_init(struct sock *sk);
int xtcp_listen_start(struct sock *sk);
void xtcp_listen_stop(struct sock *sk);
/* xtcp_accept() is declared in compat.h, beside its version wrapper. */

/* timer.c */
void xtcp_arm_rtx(struct sock *sk, enum xtcp_rtx_mode mode);
void xtcp_arm_reorder(struct sock *sk, u32 wait_us);
void xtcp_stop_rtx(struct sock *sk);
void xtcp_keepalive_reset(struct sock *sk);
void xtcp_keepalive(struct sock *sk, int on);
void xtcp_arm_fin_wait2(struct sock *sk);
unsigned long xtcp_user_timeout_left(const struct xtcp_sock *xs);
int xtcp_syn_retries(const struct sock *sk);
void xtcp_init_timers(struct sock *sk);
void xtcp_clear_timers(struct sock *sk);
void xtcp_tw_arm(struct xtcp_net *xn);
void xtcp_tw_timer_init(struct xtcp_net *xn);
void xtcp_tw_timer_exit(struct xtcp_net *xn);

/* mib.c */
int xtcp_mib_init_net(struct xtcp_net *xn);
void xtcp_mib_exit_net(struct xtcp_net *xn);
unsigned long xtcp_mib_read(const struct xtcp_net *xn, enum xtcp_mib_field f);

/* sysctl.c */

/**
 * struct xtcp_sysctl_desc - one net.xtcp sysctl: its name, field and valid range.
 * @procname: the name under /proc/sys/net/xtcp.
 * @offset: the int's offset in struct xtcp_sysctl.
 * @min: the smallest value accepted.
 * @max: the largest value accepted.
 */
struct xtcp_sysctl_desc {
	const char *procname;
	size_t offset;
	int min;
	int max;
};

extern const struct xtcp_sysctl xtcp_sysctl_defaults;
extern const struct xtcp_sysctl_desc xtcp_sysctl_descs[];
extern const unsigned int xtcp_sysctl_count;
void xtcp_sysctl_fill(struct ctl_table *t, const struct xtcp_sysctl_desc *d,
		      struct xtcp_sysctl *s);
int xtcp_sysctl_write_text(const void *buffer, size_t len, loff_t pos, char *text,
			   size_t size);
int xtcp_proc_int_range(XTCP_CTL_TABLE_CONST struct ctl_table *table, int write,
			void *buffer, size_t *lenp, loff_t *ppos);
int xtcp_sysctl_parse_triple(const char *text, int val[3]);
int xtcp_proc_int_triple(XTCP_CTL_TABLE_CONST struct ctl_table *table, int write,
			 void *buffer, size_t *lenp, loff_t *ppos);
int xtcp_sysctl_init_net(struct net *net, struct xtcp_net *xn);
void xtcp_sysctl_exit_net(struct xtcp_net *xn);

/* proc.c */
int xtcp_proc_init_net(struct net *net);
void xtcp_proc_exit_net(struct net *net);

#include "trace.h"

#endif /* _XTCP_H */
