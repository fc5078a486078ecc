#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Path MTU discovery (RFC 1191) and ICMP errors, with the kernel's TCP as the
# referee.
#
# Four namespaces in a line: A (10.0.17.1) - R1 - R2 - B (10.0.19.2). Every
# interface has an MTU of 1500 but the R1-R2 link, 1280: A and B announce an MSS
# of 1460, and their full-sized segments (sent with DF) are dropped at R1 or R2,
# which answer with ICMP "fragmentation needed" (next-hop MTU 1280). A transfer
# both ways completes only if the sender takes the ICMP, lowers its MSS and sends
# again what was lost; without that, the path is a black hole. Each pairing runs
# on fresh namespaces, so that no route remembers the MTU of the run before.
#
# Then an XTCP and a TCP connect() to an address nobody answers ARP for: the
# kernel's ICMP host unreachable (after about 3 s of ARP) ends both with
# EHOSTUNREACH, long before the SYN retries would.
#
# Environment: XTCP_XFER_BYTES (bytes each way, at most 1 MiB here; default 1 MiB).
#
# shellcheck disable=SC2317 # functions run through trap and check
cd "$(dirname "$0")" || exit 1
. ./xtcp_lib.sh
require_root

bytes=${XTCP_XFER_BYTES:-1048576}
[ "$bytes" -gt 1048576 ] && bytes=1048576
tag=$$
ns_a=xtcp-pmtu-a-$tag
ns_r1=xtcp-pmtu-r1-$tag
ns_r2=xtcp-pmtu-r2-$tag
ns_b=xtcp-pmtu-b-$tag
addr_a=10.0.17.1
addr_b=10.0.19.2
port=21000
work=
spid=

del_namespaces() {
	local ns

	for ns in "$ns_a" "$ns_r1" "$ns_r2" "$ns_b"; do
		ip netns del "$ns" 2>/dev/null
	done
}

cleanup() {
	if [ -n "$spid" ]; then
		kill "$spid" 2>/dev/null
		wait "$spid" 2>/dev/null
	fi
	del_namespaces
	[ -n "$work" ] && rm -rf "$work"
}
trap cleanup EXIT
trap 'exit $ksft_fail' INT TERM

require_tools ip ./xtcp_xfer ./xtcp_peer
work=$(mktemp -d) || exit $ksft_fail

# A fresh line of namespaces; fails (and the test skips) without netns or veth.
setup() {
	local ns

	del_namespaces
	netns_add "$ns_a" "$ns_r1" "$ns_r2" "$ns_b" || return 1
	veth_link "$ns_a" a0 $addr_a/24 "$ns_r1" r1a 10.0.17.2/24 1500 &&
		veth_link "$ns_r1" r1b 10.0.18.1/24 "$ns_r2" r2a 10.0.18.2/24 1280 &&
		veth_link "$ns_r2" r2b 10.0.19.1/24 "$ns_b" b0 $addr_b/24 1500 || return 1
	ip -n "$ns_a" route add default via 10.0.17.2
	ip -n "$ns_b" route add default via 10.0.19.1
	ip -n "$ns_r1" route add 10.0.19.0/24 via 10.0.18.2
	ip -n "$ns_r2" route add 10.0.17.0/24 via 10.0.18.1
	for ns in "$ns_r1" "$ns_r2"; do
		ip netns exec "$ns" sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward'
	done
	return 0
}

if ! setup; then
	echo "SKIP: cannot build the namespaces (netns, veth)"
	exit $ksft_skip
fi

# The MTU A's route to B has learnt ("" if none).
route_mtu() {
	ip -n "$ns_a" route get $addr_b | sed -n 's/.* mtu \([0-9]*\).*/\1/p' | head -n 1
}

# pmtu CLIENT SERVER: a transfer both ways from A to B over the 1280 link.
pmtu() {
	local cf=$1 sf=$2 line mtu

	setup || { check "pmtu $cf -> $sf: namespaces" false; return; }
	port=$((port + 1))
	ip netns exec "$ns_b" ./xtcp_xfer server --family "$sf" --addr $addr_b --port $port \
		--bytes "$bytes" --timeout 90 >"$work/srv" 2>&1 &
	spid=$!
	for _ in $(seq 100); do
		grep -q listening "$work/srv" && break
		sleep 0.1
	done
	line=$(ip netns exec "$ns_a" ./xtcp_xfer client --family "$cf" --addr $addr_b \
		--port $port --bytes "$bytes" --timeout 90 2>&1 | tail -n 1)
	wait "$spid"
	spid=
	echo "# $cf -> $sf: $line"
	check "pmtu: $cf client -> $sf server, $bytes bytes each way through MTU 1280" \
		[ "${line%% *}" = ok ]
	check "pmtu: $cf -> $sf: the server's end completed too" grep -q '^ok ' "$work/srv"
	mtu=$(route_mtu)
	check "pmtu: $cf -> $sf: A's route to B learnt mtu 1280 (got ${mtu:-none})" \
		[ "$mtu" = 1280 ]
}

echo "# A $addr_a - R1 - (mtu 1280) - R2 - B $addr_b; $bytes bytes each way"
pmtu tcp tcp
if xtcp_loaded; then
	pmtu xtcp xtcp
	pmtu xtcp tcp
	pmtu tcp xtcp
fi

# ipopt FAMILY: A's client puts 8 bytes of IP options in every header and sends
# to B across the 1280 link: full segments must leave room for them (the MSS
# less the options), or each one is too big for the path, however often it is
# sent again.
ipopt() {
	local fam=$1 line

	setup || { check "ipopt $fam: namespaces" false; return; }
	port=$((port + 1))
	ip netns exec "$ns_b" ./xtcp_xfer server --family "$fam" --addr $addr_b --port $port \
		--bytes "$bytes" --timeout 90 >"$work/srv" 2>&1 &
	spid=$!
	for _ in $(seq 100); do
		grep -q listening "$work/srv" && break
		sleep 0.1
	done
	line=$(ip netns exec "$ns_a" ./xtcp_xfer client --family "$fam" --addr $addr_b \
		--port $port --bytes "$bytes" --timeout 90 --ip-nops 8 2>&1 | tail -n 1)
	wait "$spid"
	spid=
	echo "# $fam with IP options: $line"
	check "pmtu: $fam client with 8 bytes of IP options, $bytes bytes each way through MTU 1280" \
		[ "${line%% *}" = ok ]
}

ipopt tcp
xtcp_loaded && ipopt xtcp

# unreach FAMILY: connect() to 10.0.17.99, on A's link but nobody's.
unreach() {
	local fam=$1 t0 t1 out

	t0=$SECONDS
	out=$(ip netns exec "$ns_a" ./xtcp_peer client --family "$fam" --addr 10.0.17.99 \
		--port 80 --timeout 60 2>&1 | tail -n 1)
	t1=$SECONDS
	echo "# $fam: $out after $((t1 - t0)) s"
	check "icmp: $fam connect() to an address without a host: EHOSTUNREACH" \
		[ "$out" = "connect-error EHOSTUNREACH" ]
	check "icmp: $fam ... within 20 s, not after the SYN retries" [ $((t1 - t0)) -le 20 ]
}

# counter NAME: an XTCP counter of namespace A.
counter() {
	ip netns exec "$ns_a" awk -v n="$1" '$1 == n { print $2 }' /proc/net/xtcp_counters
}

setup || check "icmp: namespaces" false
unreach tcp
if xtcp_loaded; then
	unreach xtcp
	check "icmp: the failed XTCP open counts in AttemptFails" [ "$(counter AttemptFails)" = 1 ]
fi
finish
