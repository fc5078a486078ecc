#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# In the guest: the SYN flood benchmark (see tools/xtcp-synbench). Three network
# namespaces: F (the flooder), C (legitimate clients) and S (the server), S joined
# to each of the others by a veth pair:
#
#   F sbf0 10.0.1.1/24 ---- 10.0.1.2/24 sbsf S sbsc 10.0.3.2/24 ---- 10.0.3.1/24 sbc0 C
#
# (tools/guest/floodnet.sh builds it.)
#
# The flood's sources are spoofed from 10.0.9.0/24; S routes that range back to F,
# where the SYN-ACKs die quietly (F does not forward). S listens on port 8000 with
# the echo server of xtcp_connlat, once with XTCP and once with the kernel's TCP;
# for each, C makes SYNBENCH_CONNECTS connections (kernel TCP clients), each with a
# SYNBENCH_BYTES echo exchange, first without a flood and then with one of
# SYNBENCH_RATE SYNs per second from F. The table gives the connections completed,
# the connect latency (p50, p99, max) and how many segments per second the
# listener's stack sent during the flood (the delta of OutSegs over the flood's
# time: mostly SYN-ACKs or cookies, plus the legitimate connections' ~5 each).
# Then the listener's SYN flood counters over the flood ("-": not counted there).
#
# First it checks that the flooder refuses what it must (the initial namespace, a
# destination behind a non-veth interface or off-link); at the end that the
# flood was real (TCP's SyncookiesSent rose). Exit status 1 when one of those
# checks fails or kernel TCP's unflooded connections did not all succeed; XTCP's
# results are reported, never judged.
#
# Environment (tools/xtcp-synbench passes them through):
#   SYNBENCH_RATE        SYNs per second of the flood (default 20000)
#   SYNBENCH_CONNECTS    legitimate connections per run (default 200)
#   SYNBENCH_BYTES       echo bytes per connection (default 100)
#   SYNBENCH_TIMEOUT_MS  per connect (and per echo) limit, ms (default 2000)
#   SYNBENCH_BACKLOG     the listener's listen() backlog (default 128)
#   SYNBENCH_WARMUP      seconds of flood before the connections start (default 2)
#   SYNBENCH_FLOOD_MIN   the flood lasts at least this many seconds (default 10)
#   SYNBENCH_LISTENERS   which listeners, in order (default "xtcp tcp")
top=${XTCP_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
ksft=$top/.build/kselftest/xtcp
flood=$ksft/xtcp_synflood
connlat=$ksft/xtcp_connlat

rate=${SYNBENCH_RATE:-20000}
connects=${SYNBENCH_CONNECTS:-200}
bytes=${SYNBENCH_BYTES:-100}
timeout_ms=${SYNBENCH_TIMEOUT_MS:-2000}
backlog=${SYNBENCH_BACKLOG:-128}
warmup=${SYNBENCH_WARMUP:-2}
flood_min=${SYNBENCH_FLOOD_MIN:-10}
listeners=${SYNBENCH_LISTENERS:-xtcp tcp}

ns_f=sb-f-$$
ns_c=sb-c-$$
ns_s=sb-s-$$
# shellcheck source=tools/guest/floodnet.sh
. "$top/tools/guest/floodnet.sh"
port=8000

xtcp_keys="OutSegs SyncookiesSent SyncookiesRecv SyncookiesFailed SynQueueDrops"
xtcp_keys="$xtcp_keys ListenOverflows ListenDrops"
tcp_keys="OutSegs SyncookiesSent SyncookiesRecv SyncookiesFailed ListenOverflows ListenDrops"

work=
spid=
fpid=
status=0

# shellcheck disable=SC2317 # run through trap
cleanup() {
	local pid

	for pid in $fpid $spid; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	floodnet_down
	[ -n "$work" ] && rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

say() {
	printf '\n== %s\n' "$*"
}

# Print stdin, or the files given, indented.
indent() {
	sed 's/^/   /' "$@"
}

fail() {
	echo "FAIL: $*"
	status=1
}

for f in "$flood" "$connlat"; do
	[ -x "$f" ] || { echo "synbench: no $f: run tools/xtcp-build selftests" >&2; exit 1; }
done
work=$(mktemp -d /tmp/synbench.XXXXXX) || exit 1

# The namespaces and the two veth pairs.
if ! floodnet_up sb; then
	echo "synbench: cannot create network namespaces joined by veth" >&2
	exit 1
fi
ip netns exec "$ns_s" sysctl -qw net.ipv4.tcp_syncookies=1
ip netns exec "$ns_s" sysctl -qw net.xtcp.syncookies=1 2>/dev/null

have_xtcp=0
[ -r /sys/module/xtcp/parameters/family ] && have_xtcp=1

# refused WHAT [ip netns exec NS] ARGS...: the flooder must exit 2 and send nothing.
refused() {
	local what=$1 out rc

	shift
	out=$("$@" --rate 10 --duration 1 --count 1 2>&1)
	rc=$?
	printf '%s\n' "$out" | indent
	if [ $rc = 2 ] && echo "$out" | grep -q 'refusing' && ! echo "$out" | grep -q '^sent '; then
		echo "ok: refused $what"
	else
		fail "the flooder did not refuse $what (exit $rc)"
	fi
}

say "The flooder's refusals"
refused "in the initial network namespace" \
	"$flood" --dst $addr_sf:$port --src $spoofed
modprobe -q dummy 2>/dev/null
if ip -n "$ns_c" link add sbd0 type dummy 2>/dev/null; then
	ip -n "$ns_c" addr add 10.0.5.1/24 dev sbd0
	ip -n "$ns_c" link set sbd0 up
	refused "a destination behind a dummy interface" \
		ip netns exec "$ns_c" "$flood" --dst 10.0.5.2:$port --src $spoofed
else
	echo "(no dummy interface: that refusal is not tried)"
fi
ip -n "$ns_c" route add 10.0.7.0/24 via $addr_sc
refused "an off-link destination (through a gateway)" \
	ip netns exec "$ns_c" "$flood" --dst 10.0.7.1:$port --src $spoofed
refused "a destination that is a local address" \
	ip netns exec "$ns_c" "$flood" --dst $addr_c:$port --src $spoofed
refused "a loopback source range" \
	ip netns exec "$ns_f" "$flood" --dst $addr_sf:$port --src 127.0.0.0/24

# snapshot FILE: the listener stacks' counters in S, one "stack:Name value" a line
# ("-" when the counter does not exist).
# shellcheck disable=SC2016 # awk programs, run through ip netns exec
snapshot() {
	local k v

	{
		for k in $xtcp_keys; do
			v=$(ip netns exec "$ns_s" awk -v k="$k" '$1 == k { print $2 }' \
				/proc/net/xtcp_counters 2>/dev/null)
			echo "xtcp:$k ${v:--}"
		done
		for k in $tcp_keys; do
			v=$(ip netns exec "$ns_s" awk -v k="$k" '
				$1 == "Tcp:" || $1 == "TcpExt:" {
					if (!(($1) in names)) {
						names[$1] = 1
						for (i = 2; i <= NF; i++)
							name[$1, i] = $i
						next
					}
					for (i = 2; i <= NF; i++)
						if (name[$1, i] == k)
							print $i
				}' /proc/net/snmp /proc/net/netstat 2>/dev/null | head -n 1)
			echo "tcp:$k ${v:--}"
		done
	} >"$1"
}

# delta BEFORE AFTER KEY: the counter's rise, or "-".
delta() {
	awk -v k="$3" '
		FNR == NR { if ($1 == k) b = $2; next }
		$1 == k { a = $2 }
		END {
			if (b == "" || a == "" || b == "-" || a == "-")
				print "-"
			else
				print a - b
		}' "$1" "$2"
}

# field LINE NAME: the value of NAME=value in LINE.
field() {
	echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

# clients OUT: the legitimate connections from C; their output line in OUT.
clients() {
	ip netns exec "$ns_c" "$connlat" --family tcp --addr $addr_sc --port $port \
		--count "$connects" --bytes "$bytes" --timeout-ms "$timeout_ms" >"$1" 2>"$1.err"
	grep '^connects ' "$1" | indent
	indent "$1.err"
}

rows=()
counters=()

# bench xtcp|tcp: both runs against one listener.
bench() {
	local fam=$1 sout=$work/server.$1 i line base fl before after secs sent segs ans
	local ok k d t0 sent_rate list=""

	say "Listener: $fam (port $port in S, backlog $backlog; clients: kernel TCP from C)"
	ip netns exec "$ns_s" "$connlat" --server --family "$fam" --addr 0.0.0.0 --port $port \
		--backlog "$backlog" >"$sout" 2>&1 &
	spid=$!
	for ((i = 0; i < 100; i++)); do
		grep -q '^listening$' "$sout" && break
		kill -0 "$spid" 2>/dev/null || break
		sleep 0.1
	done
	if ! grep -q '^listening$' "$sout"; then
		indent "$sout"
		fail "the $fam server did not start listening"
		kill "$spid" 2>/dev/null
		wait "$spid" 2>/dev/null
		spid=
		return
	fi

	echo "-- without a flood: $connects connections"
	clients "$work/base.$fam"
	base=$(grep '^connects ' "$work/base.$fam")
	ok=$(field "$base" ok)
	rows+=("$fam none - - ${ok:-0}/$connects $(field "$base" p50_us) \
$(field "$base" p99_us) $(field "$base" max_us)")
	if [ "$fam" = tcp ] && [ "${ok:-0}" != "$connects" ]; then
		fail "kernel TCP without a flood: ${ok:-0} of $connects connections"
	fi

	echo "-- with a flood of $rate SYN/s from F ($spoofed): $connects connections"
	before=$work/before.$fam
	after=$work/after.$fam
	snapshot "$before"
	ip netns exec "$ns_f" "$flood" --dst $addr_sf:$port --src $spoofed --rate "$rate" \
		--duration 600 --quiet >"$work/flood.$fam" 2>"$work/flood.$fam.err" &
	fpid=$!
	t0=$SECONDS
	sleep "$warmup"
	if ! kill -0 "$fpid" 2>/dev/null; then
		indent "$work/flood.$fam.err"
		fail "the flooder ended early"
	fi
	clients "$work/flood.clients.$fam"
	if ((SECONDS - t0 < flood_min)); then
		sleep $((flood_min - (SECONDS - t0)))
	fi
	kill -INT "$fpid" 2>/dev/null
	wait "$fpid" 2>/dev/null
	fpid=
	snapshot "$after"
	indent "$work/flood.$fam" "$work/flood.$fam.err"
	kill "$spid" 2>/dev/null
	wait "$spid" 2>/dev/null
	spid=

	fl=$(grep '^sent ' "$work/flood.$fam")
	sent=$(echo "$fl" | awk '{ print $2 }')
	secs=$(echo "$fl" | awk '{ for (i = 1; i < NF; i++) if ($i == "in") print $(i + 1) }')
	segs=$(delta "$before" "$after" "$fam:OutSegs")
	ans=-
	sent_rate=-
	if [ -n "$secs" ]; then
		sent_rate=$(awk -v n="${sent:-0}" -v t="$secs" 'BEGIN { printf "%.0f", (t > 0 ? n / t : 0) }')
		[ "$segs" != - ] &&
			ans=$(awk -v n="$segs" -v t="$secs" 'BEGIN { printf "%.0f", (t > 0 ? n / t : 0) }')
	fi
	line=$(grep '^connects ' "$work/flood.clients.$fam")
	rows+=("$fam $rate $sent_rate $ans $(field "$line" ok)/$connects $(field "$line" p50_us) \
$(field "$line" p99_us) $(field "$line" max_us)")

	if [ "$fam" = xtcp ]; then
		list=$xtcp_keys
	else
		list=$tcp_keys
	fi
	for k in $list; do
		d=$(delta "$before" "$after" "$fam:$k")
		counters+=("$fam $k $d")
	done
	if [ "$fam" = tcp ]; then
		d=$(delta "$before" "$after" tcp:SyncookiesSent)
		if [ "$d" != - ] && [ "$d" -gt 0 ]; then
			echo "ok: the flood was real: TCP sent $d SYN cookies"
		else
			fail "TCP's SyncookiesSent did not rise ($d): the flood did not flood"
		fi
	fi
	# Let the listener's leftovers (SYN-ACK retransmissions, TIME_WAIT) not meet
	# the next run's port.
	sleep 1
}

for fam in $listeners; do
	if [ "$fam" = xtcp ] && [ $have_xtcp = 0 ]; then
		say "Listener: xtcp: skipped (the xtcp module is not loaded)"
		continue
	fi
	bench "$fam"
done

say "Results ($connects connections each, ${bytes}-byte echo, ${timeout_ms} ms limits)"
{
	echo "listener flood/s sent/s answered/s ok p50_us p99_us max_us"
	for r in "${rows[@]}"; do
		echo "$r"
	done
} | awk '{ printf "%-9s %-7s %-7s %-10s %-8s %-9s %-9s %s\n", $1, $2, $3, $4, $5, $6, $7, $8 }'
echo "(answered/s: the listener's OutSegs over the flood, divided by its duration)"

say "Counters during the flood (deltas in S; - : not counted by this module)"
{
	for c in "${counters[@]}"; do
		echo "$c"
	done
} | awk '
	$1 != stack { if (stack != "") printf "\n"; stack = $1; printf "%-5s", $1 }
	{ printf " %s=%s", $2, $3 }
	END { if (stack != "") printf "\n" }'

[ $status = 0 ] && echo "synbench: checks passed" || echo "synbench: some checks FAILED"
exit $status
