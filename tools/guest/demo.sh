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

say "The scenarios, on the wire: a fake client (xtcp_pkt) against an XTCP server"
echo "Each scene prints its timeline: time, direction, flags, seq/ack, and the states."
cd "$ksft" && ./scenarios.sh

say "16 MiB each way between namespaces, XTCP and the kernel's TCP as peers"
cd "$ksft" && XTCP_XFER_NETEM_BYTES=1048576 ./transfer.sh
