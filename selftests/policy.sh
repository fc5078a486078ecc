#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The host's policy applies to XTCP exactly as to the kernel's TCP: each rule set
# below is put in place and the same client and server run over it with TCP
# and with XTCP; both must end the same way.
#
#   input-drop   nftables input chain, policy drop, in the server's namespace:
#                the connection is never made (ETIMEDOUT after 2 SYNs)
#   dnat         DNAT of port 80 to the server's port: the server's answers are
#                translated back, which needs conntrack's entry confirmed at the
#                end of LOCAL_IN; the echo works
#   skuid        an output rule dropping one uid's packets in the client's
#                namespace: the client running as that uid never connects (its
#                segments belong to its socket, skb->sk)
#   synack-uid   the same rule for the server's uid in its namespace: the
#                listener's SYN-ACKs are its own and are dropped too
#   xfrm-block   an IPsec policy blocking the client's TCP flows inbound in the
#                server's namespace: never connected
#
# shellcheck disable=SC2317 # functions run through trap and check
cd "$(dirname "$0")" || exit 1
. ./xtcp_lib.sh
require_root
require_tools ./xtcp_peer ip nft setpriv

ns_c=xtcp-pol-c-$$
ns_s=xtcp-pol-s-$$
cli=10.0.5.1
srv=10.0.5.2
port=23000
work=
spid=

cleanup() {
	if [ -n "$spid" ]; then
		kill "$spid" 2>/dev/null
		wait "$spid" 2>/dev/null
	fi
	ip netns del "$ns_c" 2>/dev/null
	ip netns del "$ns_s" 2>/dev/null
	[ -n "$work" ] && rm -rf "$work"
}
trap cleanup EXIT
trap 'exit $ksft_fail' INT TERM

work=$(mktemp -d) || exit $ksft_fail
if ! netns_add "$ns_c" "$ns_s" ||
   ! veth_link "$ns_c" veth-c $cli/24 "$ns_s" veth-s $srv/24; then
	echo "SKIP: cannot create network namespaces joined by veth"
	exit $ksft_skip
fi
if ! ip netns exec "$ns_s" nft list tables >/dev/null 2>&1; then
	echo "SKIP: no nftables in this kernel"
	exit $ksft_skip
fi
fams=tcp
xtcp_loaded && fams="tcp xtcp"

# run FAMILY DPORT [UID]: a server on $port in S (as uid 4243 with a 4th argument),
# a client (as UID if given) to $srv:DPORT sending "ping"; sets out to the
# client's last line ("read ping" when the echo came back).
run() {
	local fam=$1 dport=$2 uid=${3:-} suid=${4:-} as=() sas=()

	[ -n "$uid" ] && as=(setpriv --reuid "$uid" --regid "$uid" --clear-groups)
	[ -n "$suid" ] && sas=(setpriv --reuid "$suid" --regid "$suid" --clear-groups)
	: >"$work/srv"
	ip netns exec "$ns_s" "${sas[@]}" ./xtcp_peer server --family "$fam" --addr 0.0.0.0 \
		--port $port --send ping --then send-eof --timeout 20 >>"$work/srv" 2>&1 &
	spid=$!
	for _ in $(seq 100); do
		grep -q '^listening$' "$work/srv" && break
		sleep 0.05
	done
	out=$(ip netns exec "$ns_c" "${as[@]}" ./xtcp_peer client --family "$fam" --addr $srv \
		--port "$dport" --syncnt 1 --read 4 --then close --timeout 15 2>&1 | grep -v '^#' |
		head -n 2 | tr '\n' ' ')
	kill "$spid" 2>/dev/null
	wait "$spid" 2>/dev/null
	spid=
}

# expect WHAT FAMILY RESULT: RESULT is "connects" or "refused" (never connected).
expect() {
	local what=$1 fam=$2 want=$3 got

	case $out in
	*"read ping"*) got=connects ;;
	*connect-error*) got=refused ;;
	*) got="other ($out)" ;;
	esac
	echo "# $what, $fam: $out"
	check "policy $what: $fam $want" [ "$got" = "$want" ]
}

in_s() {
	ip netns exec "$ns_s" "$@"
}

in_c() {
	ip netns exec "$ns_c" "$@"
}

for fam in $fams; do
	port=$((port + 1))
	run "$fam" $port
	expect "none (the baseline)" "$fam" connects
done

in_s nft add table inet pin
in_s nft add chain inet pin in '{ type filter hook input priority 0; policy drop; }'
for fam in $fams; do
	port=$((port + 1))
	run "$fam" $port
	expect "input-drop" "$fam" refused
done
in_s nft delete table inet pin

in_s nft add table ip pnat
in_s nft add chain ip pnat pre '{ type nat hook prerouting priority -100; }'
for fam in $fams; do
	port=$((port + 1))
	in_s nft flush chain ip pnat pre
	in_s nft add rule ip pnat pre tcp dport 80 dnat to $srv:$port
	run "$fam" 80
	expect "dnat" "$fam" connects
done
in_s nft delete table ip pnat

in_c nft add table inet pout
in_c nft add chain inet pout out '{ type filter hook output priority 0; }'
in_c nft add rule inet pout out meta skuid 4242 drop
for fam in $fams; do
	port=$((port + 1))
	run "$fam" $port 4242
	expect "skuid" "$fam" refused
	port=$((port + 1))
	run "$fam" $port 4244
	expect "skuid (another uid)" "$fam" connects
done
in_c nft delete table inet pout

in_s nft add table inet pout
in_s nft add chain inet pout out '{ type filter hook output priority 0; }'
in_s nft add rule inet pout out meta skuid 4243 drop
for fam in $fams; do
	port=$((port + 1))
	run "$fam" $port "" 4243
	expect "synack-uid" "$fam" refused
done
in_s nft delete table inet pout

for fam in $fams; do
	port=$((port + 1))
	in_s ip xfrm policy add src $cli/32 dst $srv/32 proto tcp dport $port dir in action block
	run "$fam" $port
	expect "xfrm-block" "$fam" refused
	in_s ip xfrm policy flush
done
finish
