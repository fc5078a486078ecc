/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trace.h - XTCP's tracepoints (events/xtcp/ in tracefs): state changes, segments
 * sent, retransmissions and resets. Usable with perf and bpftrace, e.g.
 * `perf record -e 'xtcp:*'` or `bpftrace -e 'tracepoint:xtcp:xtcp_state { ... }'`.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM xtcp

#if !defined(_XTCP_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _XTCP_TRACE_H

#include <linux/tracepoint.h>
#include <net/inet_sock.h>

/* Addresses are kept as their raw bytes (u32), printed with %pI4. */

DECLARE_EVENT_CLASS(xtcp_sock_class,
	TP_PROTO(const struct sock *sk),
	TP_ARGS(sk),
	TP_STRUCT__entry(
		__field(const void *, skaddr)
		__field(u32, saddr)
		__field(u32, daddr)
		__field(u16, sport)
		__field(u16, dport)
	),
	TP_fast_assign(
		__entry->skaddr = sk;
		__entry->saddr = (__force u32)inet_sk(sk)->inet_saddr;
		__entry->daddr = (__force u32)inet_sk(sk)->inet_daddr;
		__entry->sport = ntohs(inet_sk(sk)->inet_sport);
		__entry->dport = ntohs(inet_sk(sk)->inet_dport);
	),
	TP_printk("sk=%p %pI4:%u -> %pI4:%u", __entry->skaddr, &__entry->saddr,
		  __entry->sport, &__entry->daddr, __entry->dport)
);

TRACE_EVENT(xtcp_state,
	TP_PROTO(const struct sock *sk, int oldstate, int newstate),
	TP_ARGS(sk, oldstate, newstate),
	TP_STRUCT__entry(
		__field(const void *, skaddr)
		__field(u32, saddr)
		__field(u32, daddr)
		__field(u16, sport)
		__field(u16, dport)
		__field(int, oldstate)
		__field(int, newstate)
	),
	TP_fast_assign(
		__entry->skaddr = sk;
		__entry->saddr = (__force u32)inet_sk(sk)->inet_saddr;
		__entry->daddr = (__force u32)inet_sk(sk)->inet_daddr;
		__entry->sport = ntohs(inet_sk(sk)->inet_sport);
		__entry->dport = ntohs(inet_sk(sk)->inet_dport);
		__entry->oldstate = oldstate;
		__entry->newstate = newstate;
	),
	TP_printk("sk=%p %pI4:%u -> %pI4:%u %s -> %s", __entry->skaddr,
		  &__entry->saddr, __entry->sport, &__entry->daddr, __entry->dport,
		  xtcp_state_name(__entry->oldstate), xtcp_state_name(__entry->newstate))
);

TRACE_EVENT(xtcp_send,
	TP_PROTO(const struct sock *sk, u32 seq, u32 ack, u8 flags, u32 len),
	TP_ARGS(sk, seq, ack, flags, len),
	TP_STRUCT__entry(
		__field(const void *, skaddr)
		__field(u16, sport)
		__field(u16, dport)
		__field(u32, seq)
		__field(u32, ack)
		__field(u8, flags)
		__field(u32, len)
	),
	TP_fast_assign(
		__entry->skaddr = sk;
		__entry->sport = ntohs(inet_sk(sk)->inet_sport);
		__entry->dport = ntohs(inet_sk(sk)->inet_dport);
		__entry->seq = seq;
		__entry->ack = ack;
		__entry->flags = flags;
		__entry->len = len;
	),
	TP_printk("sk=%p %u -> %u seq=%u ack=%u flags=%#x len=%u", __entry->skaddr,
		  __entry->sport, __entry->dport, __entry->seq, __entry->ack,
		  __entry->flags, __entry->len)
);

TRACE_EVENT(xtcp_retransmit,
	TP_PROTO(const struct sock *sk, u32 seq, u32 len),
	TP_ARGS(sk, seq, len),
	TP_STRUCT__entry(
		__field(const void *, skaddr)
		__field(u16, sport)
		__field(u16, dport)
		__field(u32, seq)
		__field(u32, len)
	),
	TP_fast_assign(
		__entry->skaddr = sk;
		__entry->sport = ntohs(inet_sk(sk)->inet_sport);
		__entry->dport = ntohs(inet_sk(sk)->inet_dport);
		__entry->seq = seq;
		__entry->len = len;
	),
	TP_printk("sk=%p %u -> %u seq=%u len=%u", __entry->skaddr, __entry->sport,
		  __entry->dport, __entry->seq, __entry->len)
);

DEFINE_EVENT(xtcp_sock_class, xtcp_reset_received,
	TP_PROTO(const struct sock *sk),
	TP_ARGS(sk)
);

TRACE_EVENT(xtcp_send_ctl,
	TP_PROTO(const struct net *net, __be32 saddr, __be32 daddr, __be16 sport,
		 __be16 dport, u32 seq, u32 ack, u8 flags),
	TP_ARGS(net, saddr, daddr, sport, dport, seq, ack, flags),
	TP_STRUCT__entry(
		__field(u32, saddr)
		__field(u32, daddr)
		__field(u16, sport)
		__field(u16, dport)
		__field(u32, seq)
		__field(u32, ack)
		__field(u8, flags)
	),
	TP_fast_assign(
		__entry->saddr = (__force u32)saddr;
		__entry->daddr = (__force u32)daddr;
		__entry->sport = ntohs(sport);
		__entry->dport = ntohs(dport);
		__entry->seq = seq;
		__entry->ack = ack;
		__entry->flags = flags;
	),
	TP_printk("%pI4:%u -> %pI4:%u seq=%u ack=%u flags=%#x", &__entry->saddr,
		  __entry->sport, &__entry->daddr, __entry->dport, __entry->seq,
		  __entry->ack, __entry->flags)
);

#endif /* _XTCP_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
