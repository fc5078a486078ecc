#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# XTCP's tracepoints are usable from tracefs (and so from perf and bpftrace): a
# connection over loopback shows its state changes (xtcp:xtcp_state), the
# segments it sends (xtcp:xtcp_send) and takes (xtcp:xtcp_rcv, with the state of
# what each found: listener, request, connection), with addresses and ports, and
# what each ACK left (xtcp:xtcp_probe: tcp_probe's window and RTT fields).
# Skipped on a kernel without tracepoints.
. ./xtcp_lib.sh

require_root
if ! grep -q '^xtcp ' /proc/modules; then
	echo "SKIP: xtcp is not loaded"
	exit $ksft_skip
fi
tr=/sys/kernel/tracing
[ -d $tr/events ] || mount -t tracefs nodev $tr 2>/dev/null
if [ ! -d $tr/events/xtcp ]; then
	echo "SKIP: no tracefs events for xtcp (kernel without tracepoints?)"
	exit $ksft_skip
fi

port=23456
cleanup() {
	echo 0 >$tr/events/xtcp/enable
	echo 0 >$tr/tracing_on
	: >$tr/trace
}
trap cleanup EXIT

ip link set lo up
: >$tr/trace
echo 1 >$tr/events/xtcp/xtcp_state/enable
echo 1 >$tr/events/xtcp/xtcp_send/enable
echo 1 >$tr/events/xtcp/xtcp_rcv/enable
echo 1 >$tr/events/xtcp/xtcp_probe/enable
echo 1 >$tr/tracing_on

out=$(mktemp)
./xtcp_xfer server --family xtcp --addr 127.0.0.1 --port $port --bytes 1000 \
	--timeout 30 >"$out" &
srv=$!
for _ in $(seq 100); do
	grep -q listening "$out" && break
	sleep 0.1
done
check "a small transfer over loopback" \
	./xtcp_xfer client --family xtcp --addr 127.0.0.1 --port $port --bytes 1000 --timeout 30
wait $srv
echo 0 >$tr/tracing_on
rm -f "$out"

trace=$(grep -E 'xtcp_(state|send|rcv|probe):' $tr/trace)
echo "$trace" | head -20 | sed 's/^/# /'
has() {
	echo "$trace" | grep -qE "$1"
}
check "xtcp_state: the client CLOSE -> SYN_SENT" has "xtcp_state: .*CLOSE -> SYN_SENT"
check "xtcp_state: SYN_SENT -> ESTABLISHED" has "xtcp_state: .*SYN_SENT -> ESTABLISHED"
check "xtcp_state: the listener CLOSE -> LISTEN on :$port" \
	has "xtcp_state: .*127\.0\.0\.1:$port -> .*CLOSE -> LISTEN"
check "xtcp_state: the accepted connection SYN_RECV -> ESTABLISHED" \
	has "xtcp_state: .*127\.0\.0\.1:$port -> 127\.0\.0\.1:[0-9]+ SYN_RECV -> ESTABLISHED"
# Both ends send and close at once: whichever FIN goes first, the closer that
# sees its FIN ACKed first moves to FIN_WAIT2, but when the FINs cross, both move
# to CLOSING instead (RFC 9293 figure 13, simultaneous close).
check "xtcp_state: FIN_WAIT1 -> FIN_WAIT2, or CLOSING when the FINs cross" \
	has "xtcp_state: .*FIN_WAIT1 -> (FIN_WAIT2|CLOSING)"
check "xtcp_state: a closer reaches TIME_WAIT" has "xtcp_state: .* -> TIME_WAIT"
check "xtcp_send: the SYN (flags 0x2) to :$port, sent in SYN_SENT" \
	has "xtcp_send: .* -> 127\.0\.0\.1:$port seq=[0-9]+ ack=0 flags=0x2 len=0 state=SYN_SENT"
check "xtcp_rcv: the SYN reaches the listener (state LISTEN)" \
	has "xtcp_rcv: 127\.0\.0\.1:[0-9]+ -> 127\.0\.0\.1:$port .*flags=0x2 len=0 state=LISTEN"
check "xtcp_rcv: the final ACK reaches the request (state SYN_RECV)" \
	has "xtcp_rcv: 127\.0\.0\.1:[0-9]+ -> 127\.0\.0\.1:$port .*flags=0x10 len=0 state=SYN_RECV"
# The server may have sent its part and its FIN first (FIN_WAIT1 or FIN_WAIT2).
check "xtcp_rcv: the client's data reaches the connection (synchronized)" \
	has "xtcp_rcv: 127\.0\.0\.1:[0-9]+ -> 127\.0\.0\.1:$port .*len=[1-9][0-9]* state=(ESTABLISHED|FIN_WAIT1|FIN_WAIT2)"
# The initial window of 10 segments, an RTT taken, no loss.
check "xtcp_probe: an ACK's window, RTT and recovery state" \
	has "xtcp_probe: .* data_len=[0-9]+ snd_nxt=0x[0-9a-f]+ snd_una=0x[0-9a-f]+ snd_cwnd=[1-9][0-9]* ssthresh=[0-9]+ snd_wnd=[1-9][0-9]* srtt=[1-9][0-9]* rcv_wnd=[1-9][0-9]* mss=[1-9][0-9]* ca_state=0"
finish
