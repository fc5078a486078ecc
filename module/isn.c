// SPDX-License-Identifier: GPL-2.0
/*
 * isn.c - initial sequence numbers (RFC 9293 3.4.1, RFC 6528).
 *
 * ISN = M + F(localip, localport, remoteip, remoteport, secretkey): M a clock that
 * ticks every 4 us (2^12 ns, 4.096 us here), F the kernel's SipHash-2-4 keyed by a
 * secret of the network namespace, drawn at random when the namespace starts. A
 * connection's 4-tuple thus gets numbers that advance with time, while an observer
 * cannot predict another tuple's.
 */
#include <linux/ktime.h>
#include <linux/random.h>
#include <linux/siphash.h>

#include "xtcp.h"

/* log2 of the clock's tick in ns: 4.096 us, RFC 6528's "4 microsecond timer". */
#define XTCP_ISN_TICK_SHIFT	12

/**
 * xtcp_isn_key_init() - draw a namespace's ISN secret.
 * @key: the secret.
 */
void xtcp_isn_key_init(siphash_key_t *key)
{
	get_random_bytes(key, sizeof(*key));
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_isn_key_init);

/**
 * xtcp_isn_at() - the ISN of a 4-tuple at a given time.
 * @key: the namespace's secret.
 * @saddr: local address.
 * @daddr: remote address.
 * @sport: local port.
 * @dport: remote port.
 * @now_ns: a monotonic clock in ns.
 *
 * Return: the ISN.
 */
u32 xtcp_isn_at(const siphash_key_t *key, __be32 saddr, __be32 daddr,
		__be16 sport, __be16 dport, u64 now_ns)
{
	u32 f = siphash_3u32((__force u32)saddr, (__force u32)daddr,
			     (__force u32)sport << 16 | (__force u32)dport, key);

	return f + (u32)(now_ns >> XTCP_ISN_TICK_SHIFT);
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_isn_at);

/**
 * xtcp_isn() - the ISN of a new connection, now.
 * @net: its namespace.
 * @saddr: local address.
 * @daddr: remote address.
 * @sport: local port.
 * @dport: remote port.
 *
 * Return: the ISN.
 */
u32 xtcp_isn(const struct net *net, __be32 saddr, __be32 daddr,
	     __be16 sport, __be16 dport)
{
	return xtcp_isn_at(&xtcp_pernet(net)->isn_key, saddr, daddr, sport, dport,
			   ktime_get_ns());
}
