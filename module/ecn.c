// SPDX-License-Identifier: GPL-2.0
/*
 * ecn.c - Explicit Congestion Notification (RFC 3168): what the two ends
 * agree in the handshake, what a receiver echoes, and which marks a segment
 * carries. The sender's reduction is cwnd.c's (xtcp_cwnd_enter_cwr()) and
 * input.c's.
 *
 * The rules are RFC 3168's, with Linux's choices where it leaves one:
 *
 * - net.xtcp.ecn is tcp_ecn's: 0 never, 1 our SYNs ask and SYNs that ask
 *   are answered, 2 (the default) only the latter;
 * - a SYN asks with ECE and CWR (6.1.1); a SYN-ACK agrees with ECE alone,
 *   a SYN-ACK with both is no agreement; a SYN sent again asks no more
 *   (the fallback of 6.1.1.1 against middleboxes that drop such SYNs);
 *   a SYN whose IP header is ECN-capable is refused ECN (a SYN must not be
 *   ECT: such a path mangles the field);
 * - once agreed, new data goes ECT(0); retransmissions, pure ACKs, SYNs,
 *   FINs without data and RSTs go Not-ECT (6.1.5, 6.1.4);
 * - a receiver that gets data marked CE sets ECE on all its segments until
 *   data with CWR comes (6.1.3), and ACKs at once the first CE of a series and
 *   any data with CWR: the sender's window may be small;
 * - a sender that reads ECE reduces its window once per window of data, as
 *   for a loss but without sending anything again, and sets CWR on the next
 *   new data (6.1.2).
 *
 * Pure functions of the connection's XTCP_ECN_* flags, for KUnit; the caller
 * holds the socket lock.
 */
#include <linux/kernel.h>

#include "xtcp.h"

/**
 * xtcp_ecn_synack_agrees() - does a SYN-ACK agree to the ECN our SYN asked for?
 * @flags: its TCP flags.
 *
 * Return: true for ECE without CWR (RFC 3168 6.1.1).
 */
bool xtcp_ecn_synack_agrees(u8 flags)
{
	return (flags & (XTCPHDR_ECE | XTCPHDR_CWR)) == XTCPHDR_ECE;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_ecn_synack_agrees);

/**
 * xtcp_ecn_syn_acceptable() - is a SYN's request for ECN granted?
 * @sysctl_ecn: net.xtcp.ecn.
 * @flags: the SYN's TCP flags.
 * @ect: its IP header is ECN-capable (ECT or CE).
 *
 * Return: true when the SYN asks (ECE and CWR), the namespace accepts (1 or
 * 2), and the SYN itself is Not-ECT.
 */
bool xtcp_ecn_syn_acceptable(int sysctl_ecn, u8 flags, bool ect)
{
	return sysctl_ecn && !ect &&
	       (flags & (XTCPHDR_ECE | XTCPHDR_CWR)) == (XTCPHDR_ECE | XTCPHDR_CWR);
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_ecn_syn_acceptable);

/**
 * xtcp_ecn_rcv() - a segment with data arrived in the window.
 * @ecn: the connection's XTCP_ECN_* flags.
 * @flags: the segment's TCP flags.
 * @cb_opts: its control block's opts (XTCP_CB_ECT, XTCP_CB_CE).
 * @ack_now: set when the ACK must go at once; left alone otherwise.
 *
 * CWR ends the echo; CE (in the same segment too) starts it. The ACK is not
 * delayed for CWR (the sender's window was just cut), for the first CE of a
 * series (the sender should hear soon), nor for a Not-ECT segment after ECT
 * ones (a retransmission, most likely), as Linux.
 *
 * Return: the new flags.
 */
u8 xtcp_ecn_rcv(u8 ecn, u8 flags, u8 cb_opts, bool *ack_now)
{
	if (!(ecn & XTCP_ECN_OK))
		return ecn;
	if (flags & XTCPHDR_CWR) {
		ecn &= ~XTCP_ECN_DEMAND_CWR;
		*ack_now = true;
	}
	if (cb_opts & XTCP_CB_CE) {
		if (!(ecn & XTCP_ECN_DEMAND_CWR))
			*ack_now = true;
		ecn |= XTCP_ECN_DEMAND_CWR | XTCP_ECN_SEEN;
	} else if (cb_opts & XTCP_CB_ECT) {
		ecn |= XTCP_ECN_SEEN;
	} else if (ecn & XTCP_ECN_SEEN) {
		*ack_now = true;
	}
	return ecn;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_ecn_rcv);

/**
 * xtcp_ecn_xmit() - the ECN marks of a segment about to go.
 * @ecn: the connection's XTCP_ECN_* flags; XTCP_ECN_QUEUE_CWR is cleared
 *	when this segment carries the CWR.
 * @flags: its TCP flags.
 * @first_syn: it is our SYN, sent for the first time.
 * @new_data: it carries data never sent before.
 * @ect: set to whether its IP header says ECT(0).
 *
 * Return: the TCP flags to add (ECE, CWR or both).
 */
u8 xtcp_ecn_xmit(u8 *ecn, u8 flags, bool first_syn, bool new_data, bool *ect)
{
	u8 add = 0;

	*ect = false;
	if (flags & XTCPHDR_SYN) {
		if (!(flags & XTCPHDR_ACK))
			return first_syn && (*ecn & XTCP_ECN_ASKED) ?
			       XTCPHDR_ECE | XTCPHDR_CWR : 0;
		/* Our SYN-ACK (a simultaneous open): agreed, ECE alone. */
		return (*ecn & XTCP_ECN_OK) ? XTCPHDR_ECE : 0;
	}
	if (!(*ecn & XTCP_ECN_OK))
		return 0;
	if (*ecn & XTCP_ECN_DEMAND_CWR)
		add |= XTCPHDR_ECE;
	if (new_data && !(flags & XTCPHDR_RST)) {
		*ect = true;
		if (*ecn & XTCP_ECN_QUEUE_CWR) {
			*ecn &= ~XTCP_ECN_QUEUE_CWR;
			add |= XTCPHDR_CWR;
		}
	}
	return add;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_ecn_xmit);

/**
 * xtcp_ecn_echoed() - does a segment echo congestion to us?
 * @ecn: the connection's XTCP_ECN_* flags.
 * @flags: its TCP flags.
 *
 * Return: true for ECE on a segment other than a SYN, once ECN is agreed.
 */
bool xtcp_ecn_echoed(u8 ecn, u8 flags)
{
	return (ecn & XTCP_ECN_OK) && (flags & (XTCPHDR_ECE | XTCPHDR_SYN)) == XTCPHDR_ECE;
}
EXPORT_SYMBOL_FOR_XTCP_KUNIT(xtcp_ecn_echoed);
