#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bulk transfer between two network namespaces joined by a veth pair: the client
# (10.0.1.1) and the server (10.0.1.2) each send the other a pseudo-random stream and
# check every byte they receive (./xtcp_xfer). Pairings: xtcp<->xtcp, xtcp client
# with a kernel TCP server, kernel TCP client with an xtcp server, and tcp<->tcp as
# the referee; first on a clean link, then under netem on both veth ends:
#
#   loss       loss 2%
#   duplicate  duplicate 2%
#   reorder    delay 1ms reorder 25% 50%
#   delay20    delay 10ms limit 10000 (a 20 ms round trip; room for the window)
#   delay100   delay 50ms limit 10000 (a 100 ms round trip)
#
# then through a link of MTU 1280 (mtu1280), clean; then through a slow link
# with a deep queue (tsq: tbf at 20 Mbit/s on each sender), where TCP small
# queues must keep each sender's part of that queue small.
#
# The clean runs use the veth's default offloads (kernel TCP sends 64 KB GSO skbs),
# then GRO on the receiving ends (profile gro);
# under netem, gso_max_segs 1 on both ends makes every skb one segment, so that
# netem acts on segments.
#
# Each pairing prints "# bench PROFILE/PAIRING SECONDS bytes=N" (the client's time
# from connect() to the end of both directions): a measurement, never a check.
# Without the xtcp module the xtcp pairings are skipped and the referee still runs.
#
# Environment:
#   XTCP_XFER_BYTES        bytes each way on the clean link (default 16777216)
#   XTCP_XFER_NETEM_BYTES  bytes each way under netem (default XTCP_XFER_BYTES)
#   XTCP_XFER_NETEM_GSO    "on" keeps the veth's GSO under netem (default off)
#   XTCP_XFER_TIMEOUT      per-transfer limit in seconds (default 120)
#   XTCP_XFER_SEED         seed of the streams (default 1)
#   XTCP_XFER_ONLY         profiles to run, space-separated (default all)
cd "$(dirname "$0")" || exit 1
. ./xtcp_lib.sh
require_root

bytes=${XTCP_XFER_BYTES:-16777216}
netem_bytes=${XTCP_XFER_NETEM_BYTES:-$bytes}
timeout=${XTCP_XFER_TIMEOUT:-120}
seed=${XTCP_XFER_SEED:-1}
netem_gso=${XTCP_XFER_NETEM_GSO:-off}
only=${XTCP_XFER_ONLY:-}

ns_c=xtcp-xfer-c-$$
ns_s=xtcp-xfer-s-$$
addr_c=10.0.1.1
addr_s=10.0.1.2
port=20000
ran=0
work=
spid=
cpid=

cleanup() {
	local pid

	for pid in $cpid $spid; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	ip netns del "$ns_c" 2>/dev/null
	ip netns del "$ns_s" 2>/dev/null
	[ -n "$work" ] && rm -rf "$work"
}
trap cleanup EXIT
trap 'exit $ksft_fail' INT TERM

require_tools ip tc ./xtcp_xfer
work=$(mktemp -d) || exit $ksft_fail

# The namespaces and the veth pair: no veth (or no netns) skips the whole test.
if ! netns_add "$ns_c" "$ns_s" ||
   ! veth_link "$ns_c" veth-c $addr_c/24 "$ns_s" veth-s $addr_s/24; then
	echo "SKIP: cannot create network namespaces joined by veth"
	exit $ksft_skip
fi

if xtcp_loaded && [ -r /sys/module/xtcp/parameters/family ]; then
	have_xtcp=1
	echo "# xtcp family $(xtcp_family)"
else
	have_xtcp=0
fi

# Print a program's output as comments.
show() {
	sed "s/^/# $1: /" "$2"
}

# want PROFILE: is PROFILE to run (XTCP_XFER_ONLY)?
want() {
	[ -z "$only" ] || [[ " $only " == *" $1 "* ]]
}

# Options both ends of every transfer take (the pacing profiles set them).
xfer_opts=()

# xfer CLIENT_FAMILY SERVER_FAMILY BYTES: one transfer on a fresh port; sets secs.
xfer() {
	local cfam=$1 sfam=$2 n=$3 sout cout rc=0 i

	port=$((port + 1))
	sout=$work/server.$port
	cout=$work/client.$port
	secs=
	ip netns exec "$ns_s" ./xtcp_xfer server --family "$sfam" --addr $addr_s --port $port \
		--bytes "$n" --seed "$seed" --timeout "$timeout" "${xfer_opts[@]}" >"$sout" 2>&1 &
	spid=$!
	# Poll for the server's "listening" line (or its early end); 60 s at most.
	for ((i = 0; i < 600; i++)); do
		grep -q '^listening$' "$sout" && break
		kill -0 "$spid" 2>/dev/null || break
		sleep 0.1
	done
	if ! grep -q '^listening$' "$sout"; then
		echo "# the server did not start listening"
		kill "$spid" 2>/dev/null
		wait "$spid" 2>/dev/null
		spid=
		show server "$sout"
		return 1
	fi
	# In the background: a signal to the script ends the wait, not the transfer.
	ip netns exec "$ns_c" ./xtcp_xfer client --family "$cfam" --addr $addr_s --port $port \
		--bytes "$n" --seed "$seed" --timeout "$timeout" "${xfer_opts[@]}" >"$cout" 2>&1 &
	cpid=$!
	wait "$cpid" || rc=1
	cpid=
	wait "$spid" || rc=1
	spid=
	grep -q '^ok ' "$cout" || rc=1
	grep -q '^ok ' "$sout" || rc=1
	show client "$cout"
	show server "$sout"
	secs=$(sed -n 's/^ok .* seconds=\([0-9.]*\) .*/\1/p' "$cout")
	ok_lines=$(cat "$cout" "$sout" 2>/dev/null | grep '^ok ')
	return $rc
}

# pair PROFILE CLIENT_FAMILY SERVER_FAMILY BYTES
pair() {
	local profile=$1 cfam=$2 sfam=$3 n=$4 name

	if [ "$cfam" = "$sfam" ]; then
		name=$cfam-$sfam
	else
		name=$cfam-client-$sfam-server
	fi
	if [ "$have_xtcp" = 0 ] && { [ "$cfam" = xtcp ] || [ "$sfam" = xtcp ]; }; then
		echo "SKIP: $profile: $name (the xtcp module is not loaded)"
		return
	fi
	ran=$((ran + 1))
	check "$profile: $name, $n bytes each way" xfer "$cfam" "$sfam" "$n"
	echo "# bench $profile/$name ${secs:-none} bytes=$n"
}

all_pairs() {
	want "$1" || return 0
	pair "$1" xtcp xtcp "$2"
	pair "$1" xtcp tcp "$2"
	pair "$1" tcp xtcp "$2"
	pair "$1" tcp tcp "$2"
}

# netem PARAMETERS...: the same qdisc on both ends ("none" removes it).
netem() {
	local ns dev

	for ns in "$ns_c:veth-c" "$ns_s:veth-s"; do
		dev=${ns#*:}
		ns=${ns%%:*}
		tc -n "$ns" qdisc del dev "$dev" root 2>/dev/null
		if [ "$1" != none ]; then
			tc -n "$ns" qdisc add dev "$dev" root netem "$@" || return 1
		fi
	done
}

# netem_stats PROFILE: what netem saw on each end, as a comment.
netem_stats() {
	local stats

	stats=$(tc -s -n "$ns_c" qdisc show dev veth-c | sed -n 's/^ *Sent //p')
	echo "# netem $1 stats: veth-c sent $stats"
	stats=$(tc -s -n "$ns_s" qdisc show dev veth-s | sed -n 's/^ *Sent //p')
	echo "# netem $1 stats: veth-s sent $stats"
}

# ns_counter NS FILE KEY: the value of KEY in NS's /proc/net/FILE (xtcp_counters:
# "Name value" lines; snmp: the Ip lines, name row then value row).
ns_counter() {
	ip netns exec "$1" awk -v k="$3" -v f="$2" '
		f == "xtcp_counters" && $1 == k { print $2; exit }
		f == "snmp" && $1 == "Ip:" { if (!n) { for (i = 2; i <= NF; i++) if ($i == k) c = i; n = 1 }
					      else { print $c; exit } }' "/proc/net/$2"
}

all_pairs clean "$bytes"
# In-order segments a receiver had not read yet were merged into the skb before
# them (TCPRcvCoalesce), as TCP's receive queue does.
if [ "$have_xtcp" = 1 ] && want clean; then
	co=$(ns_counter "$ns_s" xtcp_counters TCPRcvCoalesce)
	echo "# clean: XTCP's server merged ${co:-?} segments into the receive queue's last skb"
	check "clean: XTCP's receive queue coalesced in-order segments" test "${co:-0}" -gt 0
fi

# GRO on the receiving veth ends (NAPI mode): segments of a flow arrive merged
# into one skb of many, with gso_size set, as from a real NIC. Each is taken as
# the segments it holds.
if ! want gro; then
	:
elif command -v ethtool >/dev/null &&
   ip netns exec "$ns_c" ethtool -K veth-c gro on >/dev/null 2>&1 &&
   ip netns exec "$ns_s" ethtool -K veth-s gro on >/dev/null 2>&1; then
	all_pairs gro "$bytes"
	ip netns exec "$ns_c" ethtool -K veth-c gro off >/dev/null 2>&1
	ip netns exec "$ns_s" ethtool -K veth-s gro off >/dev/null 2>&1
else
	echo "SKIP: gro: cannot turn GRO on for the veth pair (ethtool)"
fi

modprobe -q sch_netem 2>/dev/null
if [ "$netem_gso" = off ]; then
	# One MSS per skb, so that netem drops, duplicates and reorders segments,
	# not 64 KB GSO bursts.
	if ! ip -n "$ns_c" link set veth-c gso_max_segs 1 ||
	   ! ip -n "$ns_s" link set veth-s gso_max_segs 1; then
		check "gso_max_segs 1 on the veth pair" false
	fi
fi
# delay20 and delay100: round trips of 20 and 100 ms (half on each end), no
# loss: the windows must grow to the bandwidth-delay product (RFC 7323 window
# scaling, autotuning) for these to take about as long as TCP's.
for profile in "loss:loss 2%" "duplicate:duplicate 2%" "reorder:delay 1ms reorder 25% 50%" \
	       "delay20:delay 10ms limit 10000" "delay100:delay 50ms limit 10000"; do
	name=${profile%%:*}
	want "$name" || continue
	# shellcheck disable=SC2086 # the parameters are words
	if ! netem ${profile#*:}; then
		echo "SKIP: $name: cannot add netem (${profile#*:}) to the veth pair"
		continue
	fi
	echo "# netem $name: ${profile#*:} on both ends"
	all_pairs "$name" "$netem_bytes"
	netem_stats "$name"
done

# ecn: netem marks CE on 2% of ECN-capable packets instead of dropping them
# (ECT data; the ACKs are Not-ECT, and 2% of them are still dropped). Both
# stacks ask for ECN (tcp_ecn 1, net.xtcp.ecn 1), so every pairing agrees it:
# XTCP echoes the marks it receives and reduces for the echoes it reads, with
# kernel TCP on either side. Every byte arrives.
ecn_set() {
	local ns

	for ns in "$ns_c" "$ns_s"; do
		ip netns exec "$ns" sysctl -qw net.ipv4.tcp_ecn="$1"
		[ "$have_xtcp" = 1 ] && ip netns exec "$ns" sh -c "echo $1 > /proc/sys/net/xtcp/ecn"
	done
}
if ! want ecn; then
	:
elif netem loss 2% ecn; then
	echo "# netem ecn: loss 2% ecn on both ends, tcp_ecn and net.xtcp.ecn 1"
	ecn_set 1
	declare -A red0 ce0
	if [ "$have_xtcp" = 1 ]; then
		for ns in "$ns_c" "$ns_s"; do
			red0[$ns]=$(ns_counter "$ns" xtcp_counters TCPECNReductions)
			ce0[$ns]=$(ns_counter "$ns" xtcp_counters TCPECNCEReceived)
		done
	fi
	all_pairs ecn "$netem_bytes"
	netem_stats ecn
	if [ "$have_xtcp" = 1 ]; then
		for ns in "$ns_c" "$ns_s"; do
			red=$(ns_counter "$ns" xtcp_counters TCPECNReductions)
			ce=$(ns_counter "$ns" xtcp_counters TCPECNCEReceived)
			red=$((${red:-0} - ${red0[$ns]:-0}))
			ce=$((${ce:-0} - ${ce0[$ns]:-0}))
			echo "# ecn: XTCP in ${ns%-*}: $ce data segments came marked CE, $red reductions for echoes"
			check "ecn: XTCP in ${ns%-*} received CE marks and reduced for echoes" \
				test "$ce" -gt 0 -a "$red" -gt 0
		done
	fi
	ecn_set 2
else
	echo "SKIP: ecn: cannot add netem (loss 2% ecn) to the veth pair"
fi
netem none

# pacing and pacingfq: SO_MAX_PACING_RATE of 2 MiB/s on both ends, without a
# qdisc that paces (the stacks pace themselves: TCP's internal pacing,
# XTCP's hrtimer) and with fq on both veth ends (fq paces each socket at its
# sk_pacing_rate). Each way's 4 MiB cannot take less than 2 s (the first ten
# segments go at once: 1.6 s is the bound checked); TCP_INFO reports the
# limit, and a pacing rate within it.
pace_rate=2097152
pace_bytes=4194304
# paced_pair PROFILE CLIENT_FAMILY SERVER_FAMILY: one transfer, and its checks.
paced_pair() {
	local want_s line r m bad=0

	pair "$1" "$2" "$3" $pace_bytes
	[ -n "$secs" ] || return
	want_s=$(awk -v b=$pace_bytes -v r=$pace_rate 'BEGIN { printf "%.3f", 0.8 * b / r }')
	check "$1: $2 client, $3 server: no faster than the pacing rate (${secs} s >= $want_s s)" \
		awk -v s="$secs" -v w="$want_s" 'BEGIN { exit !(s >= w) }'
	while read -r line; do
		r=$(sed -n 's/.* pacing_rate=\([0-9]*\) .*/\1/p' <<<"$line")
		m=$(sed -n 's/.* max_pacing_rate=\([0-9]*\).*/\1/p' <<<"$line")
		[ "$m" = "$pace_rate" ] && [ -n "$r" ] && [ "$r" -le "$pace_rate" ] || bad=1
	done <<<"$ok_lines"
	check "$1: $2 client, $3 server: TCP_INFO's max_pacing_rate is the limit, pacing_rate within it" \
		[ "$bad" = 0 ]
}
for profile in pacing pacingfq; do
	want "$profile" || continue
	if [ $profile = pacingfq ]; then
		modprobe -q sch_fq 2>/dev/null
		if ! tc -n "$ns_c" qdisc add dev veth-c root fq ||
		   ! tc -n "$ns_s" qdisc add dev veth-s root fq; then
			echo "SKIP: pacingfq: cannot add fq to the veth pair"
			netem none
			continue
		fi
	fi
	echo "# $profile: SO_MAX_PACING_RATE $pace_rate on both ends," \
		"$(tc -n "$ns_c" qdisc show dev veth-c | head -1)"
	xfer_opts=(--max-pacing-rate $pace_rate)
	for fams in "xtcp xtcp" "xtcp tcp" "tcp xtcp" "tcp tcp"; do
		set -- $fams
		if [ "$have_xtcp" = 0 ] && { [ "$1" = xtcp ] || [ "$2" = xtcp ]; }; then
			echo "SKIP: $profile: $1-$2 (the xtcp module is not loaded)"
			continue
		fi
		paced_pair $profile "$1" "$2"
	done
	xfer_opts=()
	netem none
done

# A link of MTU 1280 (IPv6's minimum; tunnels): every pairing, clean, with
# the MSS the route gives (1240, less options).
if ! want mtu1280; then
	:
elif ip -n "$ns_c" link set veth-c mtu 1280 && ip -n "$ns_s" link set veth-s mtu 1280; then
	all_pairs mtu1280 "$netem_bytes"
	ip -n "$ns_c" link set veth-c mtu 1500
	ip -n "$ns_s" link set veth-s mtu 1500
else
	echo "SKIP: mtu1280: cannot set the veth pair's MTU"
fi

# The isolated wire (isolated=1: IP protocol 253, which the kernel's TCP never
# sees). No device may take XTCP's GSO packets whole there (SKB_GSO_DODGY): the
# kernel cuts them in software before the veth with XTCP's own offload handler
# (offload.c). Every byte arrives, and IP sent fewer packets than the segments
# XTCP counted (each data packet held many).
ip -n "$ns_c" link set veth-c gso_max_segs 65535
ip -n "$ns_s" link set veth-s gso_max_segs 65535

# TCP small queues: tbf at 20 Mbit/s on each veth end, with room for 16 MB and
# bursts of whole 64 KB GSO packets (tbf would cut bigger ones itself). Without
# a limit a bulk sender fills that queue with as much as its window allows;
# with one, each keeps about limit_output_bytes there and the rest waits in its
# socket (TSQThrottled). Both stacks get the same limit, 128 KB; the queue may
# hold it, one more skb and the other way's ACKs: 256 KB at most, for TCP as
# for XTCP. Every byte arrives (a throttled socket is woken when its skbs leave).
tsq_limit=131072
# backlog_watch NS DEV STOP: the largest backlog in bytes of DEV's root qdisc,
# sampled until the file STOP exists.
backlog_watch() {
	local max=0 b

	while [ ! -e "$3" ]; do
		b=$(tc -j -s -n "$1" qdisc show dev "$2" root |
		    sed -n 's/.*"backlog":\([0-9]*\).*/\1/p')
		[ "${b:-0}" -gt "$max" ] && max=$b
		sleep 0.01
	done
	echo "$max"
}
# tsq_pair FAMILY: one transfer of FAMILY both ends through the tbf queues.
tsq_pair() {
	local fam=$1 wc ws mc ms

	rm -f "$work/stop"
	backlog_watch "$ns_c" veth-c "$work/stop" >"$work/backlog.c" &
	wc=$!
	backlog_watch "$ns_s" veth-s "$work/stop" >"$work/backlog.s" &
	ws=$!
	pair tsq "$fam" "$fam" "$tsq_bytes"
	touch "$work/stop"
	wait "$wc" "$ws"
	mc=$(cat "$work/backlog.c")
	ms=$(cat "$work/backlog.s")
	echo "# tsq/$fam-$fam: the most bytes queued: ${mc:-?} in veth-c's tbf, ${ms:-?} in veth-s's"
	check "tsq: $fam-$fam keeps at most $((2 * tsq_limit)) bytes in the client's queue" \
		test "${mc:-0}" -gt 0 -a "${mc:-0}" -le $((2 * tsq_limit))
	check "tsq: $fam-$fam keeps at most $((2 * tsq_limit)) bytes in the server's queue" \
		test "${ms:-0}" -gt 0 -a "${ms:-0}" -le $((2 * tsq_limit))
}
tsq_bytes=${XTCP_XFER_TSQ_BYTES:-4194304}
if ! want tsq; then
	:
elif ! modprobe -q sch_tbf 2>/dev/null && [ ! -d /sys/module/sch_tbf ]; then
	echo "SKIP: tsq: no tbf qdisc"
elif tc -n "$ns_c" qdisc add dev veth-c root tbf rate 20mbit burst 256kb limit 16mb &&
     tc -n "$ns_s" qdisc add dev veth-s root tbf rate 20mbit burst 256kb limit 16mb; then
	for ns in "$ns_c" "$ns_s"; do
		ip netns exec "$ns" sysctl -qw net.ipv4.tcp_limit_output_bytes=$tsq_limit
		[ "$have_xtcp" = 0 ] ||
			ip netns exec "$ns" sysctl -qw net.xtcp.limit_output_bytes=$tsq_limit
	done
	t0=$([ "$have_xtcp" = 1 ] && ns_counter "$ns_c" xtcp_counters TSQThrottled)
	if [ "$have_xtcp" = 1 ]; then
		tsq_pair xtcp
		t=$(($(ns_counter "$ns_c" xtcp_counters TSQThrottled) - t0))
		echo "# tsq: XTCP's client stopped $t pushes for its queued bytes"
		check "tsq: XTCP's client held data back (TSQThrottled)" test "$t" -gt 0
	fi
	tsq_pair tcp
	tc -n "$ns_c" qdisc del dev veth-c root
	tc -n "$ns_s" qdisc del dev veth-s root
else
	check "tsq: tbf on the veth pair" false
fi

if [ "$have_xtcp" = 1 ] && [ -n "${XTCP_KO:-}" ] && [ -r "${XTCP_KO:-}" ] && want isolated; then
	if rmmod xtcp && insmod "$XTCP_KO" isolated=1; then
		xo0=$(ns_counter "$ns_c" xtcp_counters OutSegs)
		io0=$(ns_counter "$ns_c" snmp OutRequests)
		pair isolated xtcp xtcp "$bytes"
		xo=$(($(ns_counter "$ns_c" xtcp_counters OutSegs) - xo0))
		io=$(($(ns_counter "$ns_c" snmp OutRequests) - io0))
		echo "# isolated: the client sent $xo segments in $io IP packets"
		check "isolated: fewer IP packets than segments (GSO, cut by XTCP's handler)" \
			test "$io" -gt 0 -a "$io" -lt "$xo"
		rmmod xtcp || check "isolated: xtcp.ko unloads" false
	else
		check "isolated: xtcp.ko loads again with isolated=1" false
	fi
	# As the harness loaded it.
	xtcp_loaded || insmod "$XTCP_KO" || check "isolated: xtcp.ko loads again" false
fi

if [ "$ran" = 0 ]; then
	echo "SKIP: no pairing could run"
	exit $ksft_skip
fi
finish
