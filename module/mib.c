// SPDX-License-Identifier: GPL-2.0
/*
 * mib.c - XTCP's counters: per namespace, per CPU, read as sums.
 */
#include <linux/percpu.h>

#include "xtcp.h"

/* The names in /proc/net/xtcp_counters; TCP's MIB names where TCP has the counter. */
const char *const xtcp_mib_names[XTCP_MIB_MAX] = {
	[XTCP_MIB_ACTIVE_OPENS]		= "ActiveOpens",
	[XTCP_MIB_PASSIVE_OPENS]	= "PassiveOpens",
	[XTCP_MIB_ATTEMPT_FAILS]	= "AttemptFails",
	[XTCP_MIB_ESTAB_RESETS]		= "EstabResets",
	[XTCP_MIB_CURR_ESTAB]		= "CurrEstab",
	[XTCP_MIB_IN_SEGS]		= "InSegs",
	[XTCP_MIB_OUT_SEGS]		= "OutSegs",
	[XTCP_MIB_RETRANS_SEGS]		= "RetransSegs",
	[XTCP_MIB_IN_ERRS]		= "InErrs",
	[XTCP_MIB_IN_CSUM_ERRORS]	= "InCsumErrors",
	[XTCP_MIB_OUT_RSTS]		= "OutRsts",
	[XTCP_MIB_SYN_RETRANS]		= "SynRetrans",
	[XTCP_MIB_SYNACK_RETRANS]	= "SynAckRetrans",
	[XTCP_MIB_LISTEN_OVERFLOWS]	= "ListenOverflows",
	[XTCP_MIB_LISTEN_DROPS]		= "ListenDrops",
	[XTCP_MIB_SYN_QUEUE_DROPS]	= "SynQueueDrops",
	[XTCP_MIB_SYNCOOKIES_SENT]	= "SyncookiesSent",
	[XTCP_MIB_SYNCOOKIES_RECV]	= "SyncookiesRecv",
	[XTCP_MIB_SYNCOOKIES_FAILED]	= "SyncookiesFailed",
	[XTCP_MIB_TIME_WAIT_ENTERED]	= "TimeWaitEntered",
	[XTCP_MIB_TIME_WAIT_EXPIRED]	= "TimeWaitExpired",
	[XTCP_MIB_TIME_WAIT_OVERFLOW]	= "TimeWaitOverflow",
	[XTCP_MIB_TIME_WAIT_RECYCLED]	= "TimeWaitRecycled",
	[XTCP_MIB_CHALLENGE_ACKS]	= "ChallengeAcks",
	[XTCP_MIB_IN_NO_SOCKET]		= "InNoSocket",
	[XTCP_MIB_SOCKETS_CREATED]	= "SocketsCreated",
	[XTCP_MIB_SOCKETS_DESTROYED]	= "SocketsDestroyed",
	[XTCP_MIB_ABORT_ON_DATA]	= "TCPAbortOnData",
	[XTCP_MIB_DEFER_ACCEPT_DROP]	= "TCPDeferAcceptDrop",
	[XTCP_MIB_OFO_DROP]		= "TCPOFODrop",
	[XTCP_MIB_OFO_PRUNED]		= "OfoPruned",
	[XTCP_MIB_ACK_SKIPPED_CHALLENGE] = "TCPACKSkippedChallenge",
	[XTCP_MIB_ACK_SKIPPED_SEQ]	= "TCPACKSkippedSeq",
	[XTCP_MIB_ABORT_ON_MEMORY]	= "TCPAbortOnMemory",
	[XTCP_MIB_RCVQ_DROP]		= "TCPRcvQDrop",
	[XTCP_MIB_MEMORY_PRESSURES]	= "TCPMemoryPressures",
	[XTCP_MIB_ACK_SKIPPED_TIME_WAIT] = "TCPACKSkippedTimeWait",
	[XTCP_MIB_PAWS_ESTAB]		= "PAWSEstab",
	[XTCP_MIB_TS_MISSING]		= "TSOptMissing",
	[XTCP_MIB_PAWS_OLD_ACK]		= "PAWSOldAck",
	[XTCP_MIB_RCV_COALESCE]		= "TCPRcvCoalesce",
	[XTCP_MIB_TSQ_THROTTLED]	= "TSQThrottled",
	[XTCP_MIB_RENO_RECOVERY]	= "TCPRenoRecovery",
	[XTCP_MIB_FAST_RETRANS]		= "TCPFastRetrans",
	[XTCP_MIB_DSACK_OLD_SENT]	= "TCPDSACKOldSent",
	[XTCP_MIB_DSACK_OFO_SENT]	= "TCPDSACKOfoSent",
	[XTCP_MIB_SACK_DISCARD]		= "TCPSACKDiscard",
	[XTCP_MIB_FULL_UNDO]		= "TCPFullUndo",
	[XTCP_MIB_SACK_RECOVERY]	= "TCPSackRecovery",
	[XTCP_MIB_DSACK_RECV]		= "TCPDSACKRecv",
	[XTCP_MIB_LOSS_PROBES]		= "TCPLossProbes",
	[XTCP_MIB_LOSS_PROBE_RECOVERY]	= "TCPLossProbeRecovery",
	[XTCP_MIB_TIMEOUTS]		= "TCPTimeouts",
	[XTCP_MIB_SACK_REORDER]		= "TCPSACKReorder",
	[XTCP_MIB_LOST_RETRANSMIT]	= "TCPLostRetransmit",
	[XTCP_MIB_DSACK_UNDO]		= "TCPDSACKUndo",
	[XTCP_MIB_HYSTART_DELAY_DETECT]	= "TCPHystartDelayDetect",
	[XTCP_MIB_HYSTART_DELAY_CWND]	= "TCPHystartDelayCwnd",
	[XTCP_MIB_SPURIOUS_RTOS]	= "TCPSpuriousRTOs",
	[XTCP_MIB_ECN_REDUCTIONS]	= "TCPECNReductions",
	[XTCP_MIB_ECN_CE_RECV]		= "TCPECNCEReceived",
};

int xtcp_mib_init_net(struct xtcp_net *xn)
{
	xn->mib = alloc_percpu(struct xtcp_mib);
	return xn->mib ? 0 : -ENOMEM;
}

void xtcp_mib_exit_net(struct xtcp_net *xn)
{
	free_percpu(xn->mib);
}

/**
 * xtcp_mib_read() - the sum of one counter over all CPUs.
 * @xn: the namespace.
 * @f: the counter.
 *
 * Gauges such as CurrEstab go up on one CPU and down on another; the per-CPU parts
 * wrap but their sum is right.
 *
 * Return: the counter's value.
 */
unsigned long xtcp_mib_read(const struct xtcp_net *xn, enum xtcp_mib_field f)
{
	unsigned long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu_ptr(xn->mib, cpu)->mibs[f];
	return sum;
}
