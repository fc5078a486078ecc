# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2154 # ns_f, ns_c, ns_s: the caller's
#
# Sourced by the guest's SYN flood scripts (synbench.sh, demo-synflood.sh): the
# three network namespaces of a flood, S joined to F and to C by a veth pair,
#
#   F ${pfx}f0 10.0.1.1/24 ---- 10.0.1.2/24 ${pfx}sf S ${pfx}sc 10.0.3.2/24 ---- 10.0.3.1/24 ${pfx}c0 C
#
# and S routing the flood's forged sources (10.0.9.0/24) back to F, which does not
# forward: the SYN-ACKs die there quietly. The caller names the namespaces (ns_f,
# ns_c, ns_s) before sourcing, and deletes them with floodnet_down.
addr_f=10.0.1.1
addr_sf=10.0.1.2
addr_c=10.0.3.1
addr_sc=10.0.3.2
spoofed=10.0.9.0/24

# floodnet_up PFX: make it all (interface names begin with PFX); fails if it cannot.
floodnet_up() {
	local pfx=$1 ns

	modprobe -q veth 2>/dev/null
	for ns in "$ns_f" "$ns_c" "$ns_s"; do
		ip netns add "$ns" && ip -n "$ns" link set lo up || return 1
	done
	ip link add "${pfx}f0" netns "$ns_f" type veth peer name "${pfx}sf" netns "$ns_s" &&
		ip link add "${pfx}c0" netns "$ns_c" type veth peer name "${pfx}sc" netns "$ns_s" ||
		return 1
	ip -n "$ns_f" addr add $addr_f/24 dev "${pfx}f0"
	ip -n "$ns_s" addr add $addr_sf/24 dev "${pfx}sf"
	ip -n "$ns_c" addr add $addr_c/24 dev "${pfx}c0"
	ip -n "$ns_s" addr add $addr_sc/24 dev "${pfx}sc"
	ip -n "$ns_f" link set "${pfx}f0" up
	ip -n "$ns_s" link set "${pfx}sf" up
	ip -n "$ns_c" link set "${pfx}c0" up
	ip -n "$ns_s" link set "${pfx}sc" up
	ip -n "$ns_s" route add $spoofed via $addr_f
	ip netns exec "$ns_f" sysctl -qw net.ipv4.ip_forward=0
	# Resolve the neighbours now, so that the first SYNs do not wait behind ARP.
	ip netns exec "$ns_f" ping -c 1 -W 2 $addr_sf >/dev/null 2>&1
	ip netns exec "$ns_c" ping -c 1 -W 2 $addr_sc >/dev/null 2>&1
	return 0
}

floodnet_down() {
	ip netns del "$ns_f" 2>/dev/null
	ip netns del "$ns_c" 2>/dev/null
	ip netns del "$ns_s" 2>/dev/null
}
