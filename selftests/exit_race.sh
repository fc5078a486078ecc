#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The module and namespaces going away under traffic. Every TCP segment that
# reaches a namespace goes through XTCP's hook, which looks it up in XTCP's
# tables (connections, TIME_WAIT entries, listeners): those tables must outlive
# every CPU still in the hook. Each round leaves a TIME_WAIT entry, floods the
# loopback with segments from a second process, and then
#   - rmmod xtcp under the flood, and insmod it again (the init namespace), or
#   - deletes a namespace whose loopback is still taking the flood's last
#     segments (its XTCP state is freed by the namespace's cleanup).
# KASAN on the debug kernel reports a table used after its free; the checks
# here are that every rmmod, insmod and namespace round succeeds and XTCP works
# afterwards.
#
# Environment: XTCP_EXIT_ROUNDS (rounds of each kind, default 10);
# XTCP_EXIT_NETNS=1 adds the namespace rounds; without XTCP_EXIT_RACE=1 the test
# skips itself.
#
# make check runs it on the debug kernel only (KASAN is what sees a table used
# after its free), with XTCP_EXIT_RACE=1; make stress runs it on either kernel
# with the namespace rounds. After the rest of the suite, on Debian's stock
# kernel, the flood's sender was found stuck in softirq (a soft lockup, RIP in
# ip_local_deliver under process_backlog) during the rmmod rounds in two runs
# out of two, and during the namespace rounds in one; run alone, or on the
# debug kernel, it passes. That is an open defect, not yet understood.
#
# shellcheck disable=SC2317 # functions run through trap and check
cd "$(dirname "$0")" || exit 1
. ./xtcp_lib.sh
require_root
require_xtcp_ko
require_tools ./xtcp_peer ./xtcp_pkt ip

rounds=${XTCP_EXIT_ROUNDS:-10}
port=22000
work=
flood=

cleanup() {
	if [ -n "$flood" ]; then
		kill "$flood" 2>/dev/null
		wait "$flood" 2>/dev/null
	fi
	[ -n "$work" ] && rm -rf "$work"
	xtcp_loaded || insmod "$ko"
}
trap cleanup EXIT
trap 'exit $ksft_fail' INT TERM

if [ "${XTCP_EXIT_RACE:-0}" != 1 ]; then
	echo "SKIP: XTCP_EXIT_RACE=1 runs it (make check on the debug kernel, make stress)"
	exit $ksft_skip
fi
if ! xtcp_loaded; then
	echo "SKIP: the xtcp module is not loaded"
	exit $ksft_skip
fi
work=$(mktemp -d) || exit $ksft_fail

# in_ns NS CMD...: run CMD in namespace NS ("" for this one). Backgrounded with
# &, the shell running it execs CMD, so that $! is CMD itself (a kill reaches it).
in_ns() {
	local ns=$1

	shift
	if [ -n "$ns" ]; then
		exec ip netns exec "$ns" "$@"
	else
		exec "$@"
	fi
}

# time_wait NS: a loopback connection the XTCP server closes first, so that its
# end stays in the TIME_WAIT table.
time_wait() {
	local ns=$1 spid

	port=$((port + 1))
	: >"$work/srv"
	in_ns "$ns" ./xtcp_peer server --family xtcp --addr 127.0.0.1 --port $port \
		--then close >>"$work/srv" 2>&1 &
	spid=$!
	for _ in $(seq 100); do
		grep -q '^listening$' "$work/srv" && break
		sleep 0.05
	done
	(in_ns "$ns" ./xtcp_peer client --family xtcp --addr 127.0.0.1 --port $port \
		--then wait-eof >"$work/cli" 2>&1)
	wait "$spid"
	grep -q '^closed$' "$work/cli"
}

# flood_start NS: RSTs for no one to the loopback, as fast as one process sends
# them (the kernel's TCP drops them quietly; XTCP's hook looks each one up).
flood_start() {
	in_ns "$1" ./xtcp_pkt send --src 127.0.0.1:40000 --dst 127.0.0.1:$port --flags R \
		--seq 1 --repeat 1000000 >/dev/null 2>&1 &
	flood=$!
	sleep 0.2
}

flood_stop() {
	kill "$flood" 2>/dev/null
	wait "$flood" 2>/dev/null
	flood=
}

# rmmod_retry: sockets just closed are freed a grace period later; until then
# the module is busy.
rmmod_retry() {
	local i

	for i in $(seq 50); do
		rmmod xtcp 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

ok=1
for i in $(seq "$rounds"); do
	if ! time_wait ""; then
		check "rmmod round $i: a TIME_WAIT entry" false
		ok=0
		break
	fi
	flood_start ""
	if ! rmmod_retry; then
		check "rmmod round $i: rmmod under a flood" false
		flood_stop
		ok=0
		break
	fi
	if ! insmod "$ko"; then
		check "rmmod round $i: insmod under a flood" false
		flood_stop
		ok=0
		break
	fi
	flood_stop
done
[ "$ok" = 1 ] && check "$rounds rounds of rmmod and insmod under a loopback flood" true
check "XTCP works after them" time_wait ""

[ "${XTCP_EXIT_NETNS:-0}" = 1 ] || finish
ok=1
for i in $(seq "$rounds"); do
	ns=xtcp-exit-$$-$i
	if ! netns_add "$ns"; then
		echo "SKIP: cannot create network namespaces"
		exit $ksft_skip
	fi
	if ! time_wait "$ns"; then
		check "namespace round $i: a TIME_WAIT entry" false
		ip netns del "$ns"
		ok=0
		break
	fi
	flood_start "$ns"
	flood_stop
	ip netns del "$ns"
done
[ "$ok" = 1 ] && check "$rounds namespaces deleted with a flood's last segments in flight" true
check "XTCP works after them" time_wait ""
finish
