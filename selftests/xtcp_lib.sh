#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Helpers of XTCP's shell selftests: kselftest exit codes, the module's path, and
# a socket holder.
ksft_pass=0
ksft_fail=1
ksft_skip=4

fails=0

check() {
	local what=$1

	shift
	if "$@"; then
		echo "ok: $what"
	else
		echo "FAIL: $what"
		fails=$((fails + 1))
	fi
}

# not CMD...: CMD failed (for check).
not() {
	! "$@"
}

require_root() {
	if [ "$(id -u)" != 0 ]; then
		echo "SKIP: needs root"
		exit $ksft_skip
	fi
}

# Sets ko to the xtcp.ko to load: $XTCP_KO (the VM harness sets it), else the
# installed one; skips the test when there is none.
require_xtcp_ko() {
	if [ -n "${XTCP_KO:-}" ] && [ -r "$XTCP_KO" ]; then
		ko=$XTCP_KO
	else
		ko=$(modinfo -n xtcp 2>/dev/null)
	fi
	if [ -z "$ko" ]; then
		echo "SKIP: no xtcp.ko (set XTCP_KO)"
		exit $ksft_skip
	fi
}

# require_tools TOOL...: skip the test unless each ./TOOL (or command) exists.
require_tools() {
	local tool

	for tool; do
		case $tool in
		./*) [ -x "$tool" ] && continue ;;
		*) command -v "$tool" >/dev/null && continue ;;
		esac
		echo "SKIP: $tool is missing (not built or not installed)"
		exit $ksft_skip
	done
}

# netns_add NS...: new network namespaces with their loopback up; fails if one
# cannot be made.
netns_add() {
	local ns

	for ns; do
		ip netns add "$ns" && ip -n "$ns" link set lo up || return 1
	done
}

# veth_link NS1 IF1 ADDR1/LEN NS2 IF2 ADDR2/LEN [MTU]: a veth pair between two
# namespaces, addressed and up; fails if it cannot be made.
veth_link() {
	local mtu=()

	[ -n "${7:-}" ] && mtu=(mtu "$7")
	modprobe -q veth 2>/dev/null
	ip link add "$2" netns "$1" "${mtu[@]}" type veth peer name "$5" netns "$4" "${mtu[@]}" &&
		ip -n "$1" addr add "$3" dev "$2" && ip -n "$1" link set "$2" up &&
		ip -n "$4" addr add "$6" dev "$5" && ip -n "$4" link set "$5" up
}

# Exit with the kselftest status the checks so far add up to.
finish() {
	if [ "$fails" = 0 ]; then
		exit $ksft_pass
	fi
	echo "$fails check(s) failed"
	exit $ksft_fail
}

xtcp_loaded() {
	grep -q '^xtcp ' /proc/modules
}

# The family number of the loaded module.
xtcp_family() {
	cat /sys/module/xtcp/parameters/family
}

# Open N sockets of FAMILY in the background and keep them until killed; prints the
# holder's pid once the sockets exist (or nothing if socket() failed). The holder
# must not keep the caller's stdout: $(hold_sockets ...) would wait for it.
# hold_sockets FAMILY NAME cc: one socket with TCP_CONGESTION NAME instead.
hold_sockets() {
	local family=$1 n=$2 fifo pid line mode=hold

	[ "${3:-}" = cc ] && mode=hold-cc
	fifo=$(mktemp -u)
	mkfifo "$fifo"
	./xtcp_sock $mode "$family" "$n" >"$fifo" 2>/dev/null &
	pid=$!
	# Opened read-write, the FIFO never blocks the open; read has the time limit.
	exec 9<>"$fifo"
	if read -r -t 60 -u 9 line && [ "$line" = ready ]; then
		echo $pid
	else
		kill $pid 2>/dev/null
	fi
	exec 9<&-
	rm -f "$fifo"
}

# socket(FAMILY, SOCK_STREAM, 0): prints "ok" or the errno name.
# The example congestion controller built beside $XTCP_KO (examples/cc), or
# nothing.
cc_example_ko() {
	local ko=${XTCP_KO:-}

	[ -n "$ko" ] || return 0
	ko=$(dirname "$ko")/../examples/cc/xtcp_cc_scalable.ko
	[ -r "$ko" ] && echo "$ko"
}

# Unload MODULE, retrying for up to 10 s while its last users go (sockets are
# freed after an RCU grace period, namespaces by a worker).
rmmod_patient() {
	local tries=0

	while grep -q "^$1 " /proc/modules; do
		rmmod "$1" 2>/dev/null && return 0
		tries=$((tries + 1))
		[ $tries -ge 40 ] && return 1
		sleep 0.25
	done
}

try_socket() {
	./xtcp_sock try "$1"
}
