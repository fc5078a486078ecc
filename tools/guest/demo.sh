#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# In the guest (stock kernel): the demo's script. See tools/xtcp-demo.
ksft=$XTCP_TOP/.build/kselftest/xtcp
say() {
	printf '\n\033[1m== %s\033[0m\n' "$*"
}
run() {
	printf '$ %s\n' "$*"
	"$@"
}
# hold N: keep N XTCP sockets open in the background (pid in $holder).
hold() {
	rm -f /tmp/hold.out
	"$ksft/xtcp_sock" hold 25 "$1" >/tmp/hold.out &
	holder=$!
	for _ in $(seq 100); do
		grep -q ready /tmp/hold.out 2>/dev/null && return
		sleep 0.1
	done
}

say "The kernel, and XTCP loaded into it"
run uname -r
run grep '^xtcp ' /proc/modules
run cat /sys/module/xtcp/parameters/family
dmesg | grep 'XTCP loaded'

say "socket(AF_XTCP, SOCK_STREAM, 0), and the errno of what XTCP does not do"
run "$ksft/xtcp_sock" try 25
run "$ksft/xtcp_sock" try 25 1 6
run "$ksft/xtcp_sock" try 25 2 0
run "$ksft/xtcp_sock" try 25 1 17

say "Three sockets held open, as /proc/net/xtcp lists them (st 07 = CLOSE)"
hold 3
run cat /proc/net/xtcp
run grep -E '^(NET|XTCP)' /proc/net/protocols
kill $holder
wait $holder 2>/dev/null

say "The sysctls of this namespace (net.xtcp.*)"
run sysctl net.xtcp
say "Out of range or malformed: refused with EINVAL, value unchanged"
run sysctl -w net.xtcp.synack_retries=256
run sysctl -w net.xtcp.syncookies=3
run sh -c '/bin/echo "3 4" > /proc/sys/net/xtcp/synack_retries'
run sysctl net.xtcp.synack_retries net.xtcp.syncookies

say "Each network namespace has its own values, starting from the defaults"
run ip netns add demo
run sysctl -w net.xtcp.msl_ms=1000
run ip netns exec demo sysctl net.xtcp.msl_ms
run sysctl net.xtcp.msl_ms
run ip netns del demo

say "The counters (/proc/net/xtcp_counters)"
run cat /proc/net/xtcp_counters

say "Unloading: refused while a socket is open, fine after"
hold 1
run rmmod xtcp
kill $holder
wait $holder 2>/dev/null
run rmmod xtcp
run insmod "$XTCP_KO"

# The timelines: XTCP's tracepoints (tracefs) through tools/xtcp-timeline.
export XTCP_TIMELINE=$XTCP_TOP/tools/xtcp-timeline
# shellcheck source=tools/guest/timeline.sh
. "$XTCP_TOP/tools/guest/timeline.sh"

# tl_wait FILE REGEX: wait (10 s at most) for a line of FILE to match.
tl_wait() {
	for _ in $(seq 100); do
		grep -qE "$2" "$1" 2>/dev/null && return
		sleep 0.1
	done
}

say "One connection, XTCP at both ends: the states of each end, from the tracepoints"
echo "C (10.0.9.1) and S (10.0.9.2): two namespaces joined by veth; 100 bytes each way,"
echo "each end shuts down its sending side once its bytes are out, then closes."
ip netns add tl-c
ip netns add tl-s
ip link add veth-tlc netns tl-c type veth peer name veth-tls netns tl-s
ip -n tl-c addr add 10.0.9.1/24 dev veth-tlc
ip -n tl-s addr add 10.0.9.2/24 dev veth-tls
ip -n tl-c link set veth-tlc up
ip -n tl-s link set veth-tls up
timeline_start
ip netns exec tl-s "$ksft/xtcp_xfer" server --family xtcp --addr 10.0.9.2 --port 5000 \
	--bytes 100 --timeout 30 >/tmp/tl-srv.out 2>&1 &
tl_srv=$!
tl_wait /tmp/tl-srv.out '^listening'
run ip netns exec tl-c "$ksft/xtcp_xfer" client --family xtcp --addr 10.0.9.2 --port 5000 \
	--bytes 100 --timeout 30
wait $tl_srv
sed 's/^/server: /' /tmp/tl-srv.out
sleep 0.5
echo
timeline_stop --label 10.0.9.1=C --label 10.0.9.2=S
ip netns del tl-c
ip netns del tl-s

say "A transfer under 1% loss, traced for tools/xtcp-plot (cwnd, RTT, sequence)"
echo "4 MiB each way over a 20 ms path with netem loss 1% on both ends, XTCP's CUBIC;"
echo "every ACK's window and RTT (xtcp:xtcp_probe) and every retransmission are"
echo "recorded; the host draws them once the VM is done (.build/demo/transfer.png)."
# The project is read-only in the guest: the trace goes to the job's directory,
# which the host shares read-write (tools/xtcp-demo picks it up there).
demo_out=/run/xtcp-job
rm -f "$demo_out/transfer-trace.txt"
ip netns add pl-c
ip netns add pl-s
ip link add veth-plc netns pl-c type veth peer name veth-pls netns pl-s
ip -n pl-c addr add 10.0.8.1/24 dev veth-plc
ip -n pl-s addr add 10.0.8.2/24 dev veth-pls
ip -n pl-c link set veth-plc up
ip -n pl-s link set veth-pls up
for end in pl-c:veth-plc pl-s:veth-pls; do
	ip -n "${end%:*}" link set "${end#*:}" gso_max_segs 1
	ip netns exec "${end%:*}" tc qdisc add dev "${end#*:}" root netem delay 10ms loss 1%
done
if timeline_tracefs; then
	tr=$timeline_tr
	echo 0 >"$tr/tracing_on"
	echo >"$tr/trace"
	echo 16384 >"$tr/buffer_size_kb"
	echo 1 >"$tr/events/xtcp/xtcp_probe/enable"
	echo 1 >"$tr/events/xtcp/xtcp_retransmit/enable"
	echo 1 >"$tr/tracing_on"
	ip netns exec pl-s "$ksft/xtcp_xfer" server --family xtcp --addr 10.0.8.2 --port 5001 \
		--bytes 4M --cc cubic --timeout 120 >/tmp/pl-srv.out 2>&1 &
	pl_srv=$!
	tl_wait /tmp/pl-srv.out '^listening'
	run ip netns exec pl-c "$ksft/xtcp_xfer" client --family xtcp --addr 10.0.8.2 \
		--port 5001 --bytes 4M --cc cubic --timeout 120
	wait $pl_srv
	echo 0 >"$tr/tracing_on"
	echo 0 >"$tr/events/xtcp/xtcp_probe/enable"
	echo 0 >"$tr/events/xtcp/xtcp_retransmit/enable"
	cp "$tr/trace" "$demo_out/transfer-trace.txt"
	echo >"$tr/trace"
	echo "$(grep -c xtcp_probe "$demo_out/transfer-trace.txt") ACKs traced"
else
	echo "(no tracefs with XTCP's events in this kernel: nothing to plot)"
fi
ip netns del pl-c
ip netns del pl-s

say "The scenarios, on the wire: a fake client (xtcp_pkt) against an XTCP server"
echo "Each scene prints its timeline: time, direction, flags, seq/ack, and the states"
echo "of both ends (C, the fake client, has none: only its segments exist)."
cd "$ksft" && XTCP_TIMELINE_STATES=1 ./scenarios.sh

say "16 MiB each way between namespaces, XTCP and the kernel's TCP as peers"
cd "$ksft" && XTCP_XFER_NETEM_BYTES=1048576 ./transfer.sh

say "A SYN flood: the SYN queue fills, SYN cookies take over, clients still connect"
cd "$XTCP_TOP" && bash tools/guest/demo-synflood.sh

say "Path MTU and ICMP: a 1280-byte link in the middle, and a host that is not there"
cd "$ksft" && ./pmtu.sh
