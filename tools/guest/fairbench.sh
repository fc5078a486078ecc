#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# In the guest: the fairness benchmark (see tools/xtcp-fairbench). Two network
# namespaces joined by a veth pair, C (10.0.5.1) and S (10.0.5.2), with a
# bottleneck on C's side: tbf at FAIRBENCH_RATE under netem's delay, so that
# the round trip is FAIRBENCH_RTT. Two flows start together from C to S, each
# moving FAIRBENCH_BYTES each way with ./xtcp_xfer (every byte checked; the
# way back, S to C, is not shaped and ends first).
#
# The bottleneck is busy until both flows end, so the whole run takes 2B/C
# whatever the shares: the flow that ends first at T1 had the share
# s = T2 / (2 T1) of the link while they competed, and the ratio of the two
# flows' throughputs then is s / (1 - s) = T2 / (2 T1 - T2). The benchmark
# prints each pairing's times and that ratio (the first flow's over the
# second's; 1 is fair). The flow started first fares differently (kernel
# TCP against itself shows it), so the runs alternate which starts first, and
# the figure is the geometric mean over FAIRBENCH_RUNS runs (even: each order
# as often). It never judges.
#
# Environment (tools/xtcp-fairbench passes them through):
#   FAIRBENCH_BYTES   bytes each way per flow (default 8388608)
#   FAIRBENCH_RUNS    runs per pairing (default 4)
#   FAIRBENCH_RATE    the bottleneck's rate (default 20mbit)
#   FAIRBENCH_RTT     the round trip in ms (default 20)
#   FAIRBENCH_PAIRS   the pairings, each FAMILY/CC+FAMILY/CC (default:
#                     "tcp/cubic+tcp/cubic xtcp/cubic+tcp/cubic
#                     xtcp/cubic+xtcp/cubic xtcp/reno+tcp/cubic
#                     xtcp/reno+xtcp/cubic"); XTCP's controller is chosen per
#                     connection with TCP_CONGESTION (./xtcp_xfer --cc)
top=${XTCP_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
ksft=$top/.build/kselftest/xtcp
xfer=$ksft/xtcp_xfer

bytes=${FAIRBENCH_BYTES:-8388608}
runs=${FAIRBENCH_RUNS:-4}
rate=${FAIRBENCH_RATE:-20mbit}
rtt=${FAIRBENCH_RTT:-20}
pairs=${FAIRBENCH_PAIRS:-"tcp/cubic+tcp/cubic xtcp/cubic+tcp/cubic xtcp/cubic+xtcp/cubic xtcp/reno+tcp/cubic xtcp/reno+xtcp/cubic"}
timeout=300

ns_c=fb-c-$$
ns_s=fb-s-$$
addr_s=10.0.5.2
port=22000
work=
pids=
status=0

# shellcheck disable=SC2317 # run through trap
cleanup() {
	local p

	for p in $pids; do
		kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	ip netns del "$ns_c" 2>/dev/null
	ip netns del "$ns_s" 2>/dev/null
	[ -n "$work" ] && rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

[ -x "$xfer" ] || { echo "fairbench: $xfer is missing (make selftests)"; exit 1; }
# shellcheck source=selftests/xtcp_lib.sh
. "$ksft/xtcp_lib.sh"
work=$(mktemp -d) || exit 1
if ! netns_add "$ns_c" "$ns_s" ||
   ! veth_link "$ns_c" fbc0 10.0.5.1/24 "$ns_s" fbs0 $addr_s/24; then
	echo "fairbench: cannot make the namespaces and the veth pair"
	exit 1
fi
# One segment per skb on both ends, so that tbf and netem act on segments.
ip -n "$ns_c" link set fbc0 gso_max_segs 1 && ip -n "$ns_s" link set fbs0 gso_max_segs 1 ||
	{ echo "fairbench: gso_max_segs 1 failed"; exit 1; }
# Half the delay each way; the rate on C's side, with two BDPs of queue.
half=$((rtt / 2))
queue=$(awk -v r="$rate" -v t="$rtt" 'BEGIN { n = r + 0; u = r;
	sub(/^[0-9.]+/, "", u); m = (u ~ /^m/) ? 1e6 : (u ~ /^k/) ? 1e3 : 1;
	q = 2 * n * m / 8 * t / 1000; if (q < 30000) q = 30000; printf "%d", q }')
ip netns exec "$ns_c" tc qdisc add dev fbc0 root handle 1: netem delay "${half}ms" limit 100000 &&
	ip netns exec "$ns_c" tc qdisc add dev fbc0 parent 1: handle 2: tbf rate "$rate" \
		burst 16kb limit "$queue" &&
	ip netns exec "$ns_s" tc qdisc add dev fbs0 root netem delay "${half}ms" limit 100000 ||
	{ echo "fairbench: tc failed"; exit 1; }

# flow FAMILY/CC N: start flow N (a server in S, a client in C) in the background.
flow() {
	local fam=${1%/*} cc=${1#*/} n=$2 i

	port=$((port + 1))
	ip netns exec "$ns_s" "$xfer" server --family "$fam" --addr $addr_s --port $port \
		--bytes "$bytes" --timeout "$timeout" --cc "$cc" >"$work/s.$n" 2>&1 &
	pids="$pids $!"
	for ((i = 0; i < 300; i++)); do
		grep -q '^listening$' "$work/s.$n" && break
		sleep 0.1
	done
	echo "ip netns exec $ns_c $xfer client --family $fam --addr $addr_s --port $port" \
		"--bytes $bytes --timeout $timeout --cc $cc" >"$work/cmd.$n"
}

# run A B: one run of the pairing; prints "T1 T2" (A's and B's seconds) or fails.
run() {
	local a b

	pids=
	flow "$1" 1
	flow "$2" 2
	# The two clients as close together as the shell can start them.
	bash "$work/cmd.1" >"$work/c.1" 2>&1 &
	a=$!
	bash "$work/cmd.2" >"$work/c.2" 2>&1 &
	b=$!
	wait "$a" "$b"
	# shellcheck disable=SC2086 # the servers' pids
	wait $pids 2>/dev/null
	pids=
	grep -q '^ok ' "$work/c.1" && grep -q '^ok ' "$work/c.2" || return 1
	echo "$(sed -n 's/^ok .* seconds=\([0-9.]*\) .*/\1/p' "$work/c.1")" \
		"$(sed -n 's/^ok .* seconds=\([0-9.]*\) .*/\1/p' "$work/c.2")"
}

# gmean: the geometric mean of the numbers on standard input.
gmean() {
	awk '$1 > 0 { s += log($1); n++ } END { if (n) printf "%.3f", exp(s / n) }'
}

echo "== two flows of $bytes bytes each way through $rate, RTT $rtt ms; $runs runs per pairing"
printf '%-24s %-50s %s\n' "A + B" "A/B per run (A's seconds/B's; * B started first)" \
	"A/B (geometric mean)"
for p in $pairs; do
	: >"$work/ratios"
	line=
	for ((r = 0; r < runs; r++)); do
		a=${p%+*} b=${p#*+}
		[ $((r % 2)) = 1 ] && a=${p#*+} b=${p%+*}
		if ! t=$(run "$a" "$b"); then
			echo "   $p: run $r failed"
			sed 's/^/     /' "$work/c.1" "$work/c.2"
			status=1
			continue
		fi
		# Back in the pairing's order: A's seconds, then B's.
		[ $((r % 2)) = 1 ] && t="${t#* } ${t% *}"
		# T1 the earlier end: the ratio is A's share over B's while they competed.
		ratio=$(awk -v a="${t% *}" -v b="${t#* }" 'BEGIN {
			if (a <= b) { d = 2 * a - b; r = d > 0 ? b / d : 99 }
			else r = (2 * b - a) / a
			printf "%.3f", r < 0.001 ? 0.001 : r }')
		echo "$ratio" >>"$work/ratios"
		line="$line $ratio(${t/ //})$([ $((r % 2)) = 1 ] && echo '*')"
	done
	printf '%-24s %-50s %s\n' "$p" "$line" "$(gmean <"$work/ratios")"
done
exit $status
