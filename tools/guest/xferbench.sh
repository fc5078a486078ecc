#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# In the guest: the bulk transfer benchmark (see tools/xtcp-xferbench). Two
# network namespaces joined by a veth pair, C (10.0.4.1) and S (10.0.4.2); for
# each pairing of client and server stack (xtcp-xtcp, xtcp->tcp, tcp->xtcp and
# tcp-tcp, the referee), XFERBENCH_RUNS transfers of XFERBENCH_BYTES each way
# with ./xtcp_xfer (every byte checked), on a clean link and, with
# XFERBENCH_NETEM, under that netem discipline on both ends (one segment per
# skb there). It prints, per
# pairing, the median time (the client's, from connect() to the end of both
# directions), the throughput each way and the ratio to tcp-tcp's median, and
# the guest's busy CPU time per GiB moved (from /proc/stat, from each client's
# start to the end of both ends, over all of the pairing's runs, both
# directions counted) with its ratio to tcp-tcp's. A
# failed transfer is reported and makes the exit status 1; the times are never
# judged.
#
# Environment (tools/xtcp-xferbench passes them through):
#   XFERBENCH_BYTES   bytes each way per transfer (default 16777216)
#   XFERBENCH_RUNS    transfers per pairing (default 5)
#   XFERBENCH_NETEM   a netem discipline, e.g. "loss 1%" (default: none)
#   XFERBENCH_TIMEOUT per-transfer limit in seconds (default 300)
#   XFERBENCH_SYSCTL  net.xtcp knobs for both namespaces, e.g. "timestamps=0
#                     window_scaling=0" (default: none)
#   XFERBENCH_COUNTERS=1 prints the XTCP counters that moved in each namespace
#   XFERBENCH_PAIRINGS client:server families to run (default: "tcp:tcp
#                     xtcp:xtcp xtcp:tcp tcp:xtcp"; keep tcp:tcp for the ratios)
#   XFERBENCH_LOOPBACK=1 both ends in S, over its loopback (127.0.0.1), not
#                     the veth pair (no netem then)
top=${XTCP_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
ksft=$top/.build/kselftest/xtcp
xfer=$ksft/xtcp_xfer

bytes=${XFERBENCH_BYTES:-16777216}
runs=${XFERBENCH_RUNS:-5}
netem=${XFERBENCH_NETEM:-}
timeout=${XFERBENCH_TIMEOUT:-300}
knobs=${XFERBENCH_SYSCTL:-}

ns_c=xb-c-$$
ns_s=xb-s-$$
addr_s=10.0.4.2
[ "${XFERBENCH_LOOPBACK:-}" = 1 ] && addr_s=127.0.0.1 ns_c_run=$ns_s
ns_c_run=${ns_c_run:-$ns_c}
port=21000
work=
spid=
status=0

# shellcheck disable=SC2317 # run through trap
cleanup() {
	[ -n "$spid" ] && kill "$spid" 2>/dev/null && wait "$spid" 2>/dev/null
	ip netns del "$ns_c" 2>/dev/null
	ip netns del "$ns_s" 2>/dev/null
	[ -n "$work" ] && rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

[ -x "$xfer" ] || { echo "xferbench: $xfer is missing (make selftests)"; exit 1; }
# shellcheck source=selftests/xtcp_lib.sh
. "$ksft/xtcp_lib.sh"
work=$(mktemp -d) || exit 1
if ! netns_add "$ns_c" "$ns_s" ||
   ! veth_link "$ns_c" xbc0 10.0.4.1/24 "$ns_s" xbs0 $addr_s/24; then
	echo "xferbench: cannot make the namespaces and the veth pair"
	exit 1
fi
for kv in $knobs; do
	for ns in "$ns_c" "$ns_s"; do
		ip netns exec "$ns" sh -c "echo ${kv#*=} > /proc/sys/net/xtcp/${kv%%=*}" ||
			{ echo "xferbench: net.xtcp.${kv%%=*} = ${kv#*=} refused"; exit 1; }
	done
done
[ -n "$knobs" ] && echo "== net.xtcp in both namespaces: $knobs"
ip -n "$ns_s" link set lo up
if [ -n "$netem" ] && [ "$addr_s" != 127.0.0.1 ]; then
	# One segment per skb, so that netem acts on segments (kernel TCP's GSO
	# skbs would otherwise be lost or kept 64 KB at a time), as transfer.sh.
	ip -n "$ns_c" link set xbc0 gso_max_segs 1 && ip -n "$ns_s" link set xbs0 gso_max_segs 1 ||
		{ echo "xferbench: gso_max_segs 1 failed"; exit 1; }
	# shellcheck disable=SC2086 # the discipline's words
	ip netns exec "$ns_c" tc qdisc add dev xbc0 root netem $netem &&
		ip netns exec "$ns_s" tc qdisc add dev xbs0 root netem $netem ||
		{ echo "xferbench: tc netem $netem failed"; exit 1; }
fi

# one CLIENT_FAMILY SERVER_FAMILY: one transfer; prints its seconds, or fails.
one() {
	local out=$work/s.$port i

	port=$((port + 1))
	ip netns exec "$ns_s" "$xfer" server --family "$2" --addr $addr_s --port $port \
		--bytes "$bytes" --timeout "$timeout" >"$out" 2>&1 &
	spid=$!
	for ((i = 0; i < 300; i++)); do
		grep -q '^listening$' "$out" && break
		sleep 0.1
	done
	b=$(busy)
	ip netns exec "$ns_c_run" "$xfer" client --family "$1" --addr $addr_s --port $port \
		--bytes "$bytes" --timeout "$timeout" >"$work/c" 2>&1
	wait "$spid"
	echo $(($(busy) - b)) >>"$work/ticks"
	spid=
	grep -q '^ok ' "$out" && grep -q '^ok ' "$work/c" || return 1
	sed -n 's/^ok .* seconds=\([0-9.]*\) .*/\1/p' "$work/c"
}

# busy: the guest's busy CPU time so far, in clock ticks (all CPUs: user, nice,
# system, irq, softirq, steal), from /proc/stat.
busy() {
	awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat
}

# median: of the numbers on standard input.
median() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

declare -A med cpu
pairings=${XFERBENCH_PAIRINGS:-"tcp:tcp xtcp:xtcp xtcp:tcp tcp:xtcp"}
link=${netem:-clean}
[ "$addr_s" = 127.0.0.1 ] && link=loopback
echo "== $runs transfers of $bytes bytes each way per pairing, link: $link"
for p in $pairings; do
	c=${p%:*} s=${p#*:}
	: >"$work/times"
	: >"$work/ticks"
	for ((r = 0; r < runs; r++)); do
		if ! t=$(one "$c" "$s"); then
			echo "   $c client -> $s server: transfer $r failed"
			sed 's/^/     /' "$work/c"
			status=1
			continue
		fi
		echo "$t" >>"$work/times"
	done
	# CPU seconds per GiB moved (both directions count), over all runs: the
	# busy time from the client's start to the end of both ends.
	cpu[$p]=$(awk -v hz="$(getconf CLK_TCK)" -v n="$runs" -v b="$bytes" \
		'{ t += $1 } END { printf "%.2f", t / hz / (2 * n * b / 2^30) }' "$work/ticks")
	med[$p]=$(median <"$work/times")
	echo "   $c client -> $s server: $(tr '\n' ' ' <"$work/times")s"
done

echo
printf '%-22s %10s %12s %10s %12s %10s\n' pairing "median s" "MB/s each" "x tcp-tcp" \
	"CPU s/GiB" "x tcp-tcp"
for p in $pairings; do
	m=${med[$p]}
	[ -n "$m" ] || { printf '%-22s %10s\n' "${p/:/ -> }" failed; continue; }
	awk -v p="${p/:/ -> }" -v m="$m" -v b="$bytes" -v ref="${med[tcp:tcp]:-}" \
		-v c="${cpu[$p]}" -v cref="${cpu[tcp:tcp]:-}" 'BEGIN {
		printf "%-22s %10.3f %12.1f %10s %12s %10s\n", p, m, b / m / 1e6,
			ref ? sprintf("%.2f", m / ref) : "-", c,
			(cref > 0) ? sprintf("%.2f", c / cref) : "-" }'
done
if [ "${XFERBENCH_COUNTERS:-}" = 1 ]; then
	for ns in "$ns_c" "$ns_s"; do
		echo "== XTCP counters that moved in ${ns%-*}:"
		ip netns exec "$ns" awk '$2 != 0 && $1 != "CurrEstab" { printf "   %s %s\n", $1, $2 }' \
			/proc/net/xtcp_counters
	done
fi
exit $status
