/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trace.h - XTCP's tracepoints (events/xtcp/ in tracefs): state changes, segments
 * received and sent, retransmissions and resets, and each ACK's window and RTT
 * (xtcp_probe). Usable with perf and bpftrace, e.g.
 * `perf record -e 'xtcp:*'` or `bpftrace -e 'tracepoint:xtcp:xtcp_state { ... }'`.
 *
 * Every event carries the 4-tuple as seen from XTCP's end (saddr:sport is ours), so
 * that the events of one connection can be told apart; addresses are kept as their
 * raw bytes (u32) and printed with %pI4. tools/xtcp-timeline reads them.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM xtcp

#if !defined(_XTCP_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _XTCP_TRACE_H

#include <linux/tracepoint.h>
#include <net/inet_sock.h>

/* The 4-tuple: its fields, filling them from a socket, and printing them. */
#define XTCP_TP_TUPLE			\
	__field(u32, saddr)		\
	__field(u32, daddr)		\
	__field(u16, sport)		\
	__field(u16, dport)

#define XTCP_TP_TUPLE_ASSIGN(a, b, c, d)			\
	do {							\
		__entry->saddr = (__force u32)(a);		\
		__entry->daddr = (__force u32)(b);		\
		__entry->sport = ntohs(c);			\
		__entry->dport = ntohs(d);			\
	} while (0)

#define XTCP_TP_TUPLE_FROM_SK(sk)						\
	do {									\
		const struct inet_sock *__inet = inet_sk(sk);			\
										\
		XTCP_TP_TUPLE_ASSIGN(__inet->inet_saddr, __inet->inet_daddr,	\
				     __inet->inet_sport, __inet->inet_dport);	\
	} while (0)

#define XTCP_TP_TUPLE_FMT	"%pI4:%u -> %pI4:%u"
#define XTCP_TP_TUPLE_ARGS	&__entry->saddr, __entry->sport, &__entry->daddr, __entry->dport

DECLARE_EVENT_CLASS(xtcp_sock_class,
	TP_PROTO(const struct sock *sk),
	TP_ARGS(sk),
	TP_STRUCT__entry(
		__field(const void *, skaddr)
		XTCP_TP_TUPLE
		__field(int, state)
	),
	TP_fast_assign(
		__entry->skaddr = sk;
		XTCP_TP_TUPLE_FROM_SK(sk);
		__entry->state = sk->sk_state;
	),
	TP_printk("sk=%p " XTCP_TP_TUPLE_FMT " %s", __entry->skaddr, XTCP_TP_TUPLE_ARGS,
		  xtcp_state_name(__entry->state))
);

DEFINE_EVENT(xtcp_sock_class, xtcp_reset_received,
	TP_PROTO(const struct sock *sk),
	TP_ARGS(sk)
);

TRACE_EVENT(xtcp_state,
	TP_PROTO(const struct sock *sk, int oldstate, int newstate),
	TP_ARGS(sk, oldstate, newstate),
	TP_STRUCT__entry(
		__field(const void *, skaddr)
		XTCP_TP_TUPLE
		__field(int, oldstate)
		__field(int, newstate)
	),
	TP_fast_assign(
		__entry->skaddr = sk;
		XTCP_TP_TUPLE_FROM_SK(sk);
		__entry->oldstate = oldstate;
		__entry->newstate = newstate;
	),
	TP_printk("sk=%p " XTCP_TP_TUPLE_FMT " %s -> %s", __entry->skaddr,
		  XTCP_TP_TUPLE_ARGS, xtcp_state_name(__entry->oldstate),
		  xtcp_state_name(__entry->newstate))
);

/* A segment a socket sent: @len is its payload (SYN and FIN not counted). */
TRACE_EVENT(xtcp_send,
	TP_PROTO(const struct sock *sk, u32 seq, u32 ack, u8 flags, u32 len),
	TP_ARGS(sk, seq, ack, flags, len),
	TP_STRUCT__entry(
		__field(const void *, skaddr)
		XTCP_TP_TUPLE
		__field(u32, seq)
		__field(u32, ack)
		__field(u8, flags)
		__field(u32, len)
		__field(int, state)
	),
	TP_fast_assign(
		__entry->skaddr = sk;
		XTCP_TP_TUPLE_FROM_SK(sk);
		__entry->seq = seq;
		__entry->ack = ack;
		__entry->flags = flags;
		__entry->len = len;
		__entry->state = sk->sk_state;
	),
	TP_printk("sk=%p " XTCP_TP_TUPLE_FMT " seq=%u ack=%u flags=%#x len=%u state=%s",
		  __entry->skaddr, XTCP_TP_TUPLE_ARGS, __entry->seq, __entry->ack,
		  __entry->flags, __entry->len, xtcp_state_name(__entry->state))
);

TRACE_EVENT(xtcp_retransmit,
	TP_PROTO(const struct sock *sk, u32 seq, u32 len),
	TP_ARGS(sk, seq, len),
	TP_STRUCT__entry(
		__field(const void *, skaddr)
		XTCP_TP_TUPLE
		__field(u32, seq)
		__field(u32, len)
	),
	TP_fast_assign(
		__entry->skaddr = sk;
		XTCP_TP_TUPLE_FROM_SK(sk);
		__entry->seq = seq;
		__entry->len = len;
	),
	TP_printk("sk=%p " XTCP_TP_TUPLE_FMT " seq=%u len=%u", __entry->skaddr,
		  XTCP_TP_TUPLE_ARGS, __entry->seq, __entry->len)
);

/*
 * What an ACK left behind, with tcp:tcp_probe's fields (for plotting a
 * transfer's window, RTT and sequence over time) and where loss recovery
 * stands (TCP_CA_*: 0 open, 1 duplicates seen, 3 fast recovery, 4 after a
 * timeout). @data_len is the payload of the segment that carried the ACK.
 */
TRACE_EVENT(xtcp_probe,
	TP_PROTO(const struct sock *sk, u32 data_len),
	TP_ARGS(sk, data_len),
	TP_STRUCT__entry(
		__field(const void *, skaddr)
		XTCP_TP_TUPLE
		__field(u32, data_len)
		__field(u32, snd_nxt)
		__field(u32, snd_una)
		__field(u32, snd_cwnd)
		__field(u32, ssthresh)
		__field(u32, snd_wnd)
		__field(u32, srtt)
		__field(u32, rcv_wnd)
		__field(u16, mss)
		__field(u8, ca_state)
	),
	TP_fast_assign(
		const struct xtcp_sock *__xs = (const struct xtcp_sock *)sk;

		__entry->skaddr = sk;
		XTCP_TP_TUPLE_FROM_SK(sk);
		__entry->data_len = data_len;
		__entry->snd_nxt = __xs->snd_nxt;
		__entry->snd_una = __xs->snd_una;
		__entry->snd_cwnd = __xs->cwnd.ca.cwnd;
		__entry->ssthresh = __xs->cwnd.ca.ssthresh;
		__entry->snd_wnd = __xs->snd_wnd;
		__entry->srtt = __xs->rtt.srtt_us;
		__entry->rcv_wnd = __xs->rcv_wnd;
		__entry->mss = __xs->mss;
		__entry->ca_state = xtcp_ca_state(__xs);
	),
	TP_printk("sk=%p " XTCP_TP_TUPLE_FMT
		  " data_len=%u snd_nxt=%#x snd_una=%#x snd_cwnd=%u ssthresh=%u snd_wnd=%u srtt=%u rcv_wnd=%u mss=%u ca_state=%u",
		  __entry->skaddr, XTCP_TP_TUPLE_ARGS, __entry->data_len, __entry->snd_nxt,
		  __entry->snd_una, __entry->snd_cwnd, __entry->ssthresh, __entry->snd_wnd,
		  __entry->srtt, __entry->rcv_wnd, __entry->mss, __entry->ca_state)
);

/*
 * Segments without a socket of their own in the event: @len is the payload, and
 * @state what the segment belongs to (see each event).
 */
DECLARE_EVENT_CLASS(xtcp_segment_class,
	TP_PROTO(__be32 saddr, __be32 daddr, __be16 sport, __be16 dport, u32 seq, u32 ack,
		 u8 flags, u32 len, int state),
	TP_ARGS(saddr, daddr, sport, dport, seq, ack, flags, len, state),
	TP_STRUCT__entry(
		XTCP_TP_TUPLE
		__field(u32, seq)
		__field(u32, ack)
		__field(u8, flags)
		__field(u32, len)
		__field(int, state)
	),
	TP_fast_assign(
		XTCP_TP_TUPLE_ASSIGN(saddr, daddr, sport, dport);
		__entry->seq = seq;
		__entry->ack = ack;
		__entry->flags = flags;
		__entry->len = len;
		__entry->state = state;
	),
	TP_printk(XTCP_TP_TUPLE_FMT " seq=%u ack=%u flags=%#x len=%u state=%s",
		  XTCP_TP_TUPLE_ARGS, __entry->seq, __entry->ack, __entry->flags,
		  __entry->len, xtcp_state_name(__entry->state))
);

/*
 * A segment sent with no socket: a SYN-ACK of a request or a SYN cookie, an ACK
 * of a TIME_WAIT entry, a RST. @state is what sent it (SYN_RECV for a request,
 * LISTEN for a cookie, TIME_WAIT, or CLOSE for a RST to a segment that found
 * nothing); @len is 0.
 */
DEFINE_EVENT(xtcp_segment_class, xtcp_send_ctl,
	TP_PROTO(__be32 saddr, __be32 daddr, __be16 sport, __be16 dport, u32 seq, u32 ack,
		 u8 flags, u32 len, int state),
	TP_ARGS(saddr, daddr, sport, dport, seq, ack, flags, len, state)
);

/*
 * A segment XTCP took, before it is processed: @state is the state of what it
 * found (a socket, a request in SYN_RECV, a TIME_WAIT entry, or CLOSE for nothing).
 */
DEFINE_EVENT(xtcp_segment_class, xtcp_rcv,
	TP_PROTO(__be32 saddr, __be32 daddr, __be16 sport, __be16 dport, u32 seq, u32 ack,
		 u8 flags, u32 len, int state),
	TP_ARGS(saddr, daddr, sport, dport, seq, ack, flags, len, state)
);

#endif /* _XTCP_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
