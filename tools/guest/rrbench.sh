#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# In the guest: the request/response benchmark (see tools/xtcp-rrbench), as
# netperf's TCP_RR. One connection with TCP_NODELAY, a request of
# RRBENCH_SIZE bytes answered by as many (./xtcp_rr checks each echo), for
# RRBENCH_SECONDS; RRBENCH_RUNS runs per pairing (xtcp-xtcp and tcp-tcp, the
# referee) on each link: S's loopback (both ends in S) and the veth pair
# between C and S. It prints each run's transactions per second, the median
# and its ratio to tcp-tcp's; a failed run makes the exit status 1. The rates
# are never judged.
#
# Environment (tools/xtcp-rrbench passes them through):
#   RRBENCH_SIZE     bytes per request and per response (default 1)
#   RRBENCH_SECONDS  seconds per run (default 5)
#   RRBENCH_RUNS     runs per pairing and link (default 3)
top=${XTCP_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
ksft=$top/.build/kselftest/xtcp
rr=$ksft/xtcp_rr

size=${RRBENCH_SIZE:-1}
seconds=${RRBENCH_SECONDS:-5}
runs=${RRBENCH_RUNS:-3}

ns_c=rb-c-$$
ns_s=rb-s-$$
port=22000
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

[ -x "$rr" ] || { echo "rrbench: $rr is missing (make selftests)"; exit 1; }
# shellcheck source=selftests/xtcp_lib.sh
. "$ksft/xtcp_lib.sh"
work=$(mktemp -d) || exit 1
if ! netns_add "$ns_c" "$ns_s" ||
   ! veth_link "$ns_c" rbc0 10.0.5.1/24 "$ns_s" rbs0 10.0.5.2/24; then
	echo "rrbench: cannot make the namespaces and the veth pair"
	exit 1
fi
ip -n "$ns_s" link set lo up

# one FAMILY CLIENT_NS ADDR: one run; prints its rate, or fails.
one() {
	local out=$work/s.$port i

	port=$((port + 1))
	ip netns exec "$ns_s" "$rr" server --family "$1" --addr "$3" --port $port >"$out" 2>&1 &
	spid=$!
	for ((i = 0; i < 300; i++)); do
		grep -q '^listening$' "$out" && break
		sleep 0.1
	done
	timeout $((seconds + 60)) ip netns exec "$2" "$rr" client --family "$1" --addr "$3" \
		--port $port --size "$size" --seconds "$seconds" >"$work/c" 2>&1
	wait "$spid"
	spid=
	grep -q '^ok ' "$work/c" || return 1
	sed -n 's/^ok .* rate=\([0-9]*\)$/\1/p' "$work/c"
}

# median: of the numbers on standard input.
median() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

declare -A med
echo "== $runs runs of $seconds s, requests and responses of $size bytes"
for link in loopback veth; do
	if [ $link = loopback ]; then
		cns=$ns_s addr=127.0.0.1
	else
		cns=$ns_c addr=10.0.5.2
	fi
	for fam in tcp xtcp; do
		: >"$work/rates"
		for ((r = 0; r < runs; r++)); do
			if ! t=$(one $fam "$cns" $addr); then
				echo "   $link $fam-$fam: run $r failed"
				sed 's/^/     /' "$work/c"
				status=1
				continue
			fi
			echo "$t" >>"$work/rates"
		done
		med[$link:$fam]=$(median <"$work/rates")
		echo "   $link $fam-$fam: $(tr '\n' ' ' <"$work/rates")transactions/s"
	done
done

echo
printf '%-22s %14s %10s\n' "link pairing" "median tr/s" "x tcp-tcp"
for link in loopback veth; do
	for fam in tcp xtcp; do
		m=${med[$link:$fam]}
		[ -n "$m" ] || { printf '%-22s %14s\n' "$link $fam-$fam" failed; continue; }
		awk -v p="$link $fam-$fam" -v m="$m" -v ref="${med[$link:tcp]:-}" 'BEGIN {
			printf "%-22s %14d %10s\n", p, m, ref ? sprintf("%.2f", m / ref) : "-" }'
	done
done
exit $status
