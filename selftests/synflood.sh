#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# SYN floods: an XTCP listener (./xtcp_connlat --server, backlog 64, so a SYN queue
# of 64) under a flood of spoofed SYNs (./xtcp_synflood), with legitimate clients
# connecting through it. Three network namespaces, S joined to the others by veth:
#
#   F xsf0 10.0.1.1/24 ---- 10.0.1.2/24 xssf S xssc 10.0.3.2/24 ---- 10.0.3.1/24 xsc0 C
#
# The flood's sources are spoofed from 10.0.9.0/24, which S routes back to F; F
# does not forward, so the SYN-ACKs die there quietly (no RST, no ICMP) and the
# flood's requests stay in the SYN queue until synack_retries runs out (7 here:
# about 250 s, longer than any phase). Each phase has its own listener and port:
#
#   syncookies=1  the queue fills to 64 and stays full; cookies answer the rest;
#                 100 XTCP and 100 kernel TCP clients from C (50 and 50 on a debug
#                 kernel) connect through cookies and echo 1000 bytes during the
#                 flood, all but one of each kind at least
#   syncookies=0  the queue fills; SYNs beyond it are dropped, the clients' too:
#                 20 XTCP clients (1.5 s each) all but fail
#   syncookies=2  a flood of a fixed count: every SYN answered with a cookie and
#                 nothing kept; then 20 XTCP and 20 kernel TCP clients connect
#                 through cookies (the kernel's TCP accepting XTCP's cookies)
#
# S's counters are read through /proc/PID/net of a process living in S, and its
# SYN queue by counting the requests (st 03) of the listener's port in
# /proc/net/xtcp, sampled in the background through each flood.
#
# On a debug kernel (kmemleak present, or a release not ending in -amd64) the flood
# is slower; XTCP_SYNFLOOD_SLOW=0|1 overrides that detection.
#
# shellcheck disable=SC2317 # functions run through trap and check
cd "$(dirname "$0")" || exit 1
. ./xtcp_lib.sh
require_root

ns_f=xtcp-sf-f-$$
ns_c=xtcp-sf-c-$$
ns_s=xtcp-sf-s-$$
addr_f=10.0.1.1
addr_sf=10.0.1.2
addr_c=10.0.3.1
addr_sc=10.0.3.2
spoofed=10.0.9.0/24
backlog=64
sysctls="syncookies synack_retries max_syn_backlog"

work=
nspid=
spid=
fpid=
sampler=
saved=

cleanup() {
	local pid kv

	for pid in $sampler $fpid $spid; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	# S goes away with its sysctls, but put them back all the same.
	for kv in $saved; do
		ip netns exec "$ns_s" sysctl -qw "net.xtcp.${kv%%=*}=${kv#*=}" 2>/dev/null
	done
	if [ -n "$nspid" ]; then
		kill "$nspid" 2>/dev/null
		wait "$nspid" 2>/dev/null
	fi
	ip netns del "$ns_f" 2>/dev/null
	ip netns del "$ns_c" 2>/dev/null
	ip netns del "$ns_s" 2>/dev/null
	[ -n "$work" ] && rm -rf "$work"
}
trap cleanup EXIT
trap 'exit $ksft_fail' INT TERM

require_tools ip ./xtcp_synflood ./xtcp_connlat
if ! xtcp_loaded || [ ! -r /sys/module/xtcp/parameters/family ]; then
	echo "SKIP: the xtcp module is not loaded"
	exit $ksft_skip
fi

# The debug kernel (KASAN, lockdep, kmemleak) is 5-10x slower: a gentler flood.
slow=${XTCP_SYNFLOOD_SLOW:-}
if [ -z "$slow" ]; then
	slow=0
	if [ -e /sys/kernel/debug/kmemleak ] || [[ "$(uname -r)" != *-amd64 ]]; then
		slow=1
	fi
fi
# (There each connection with its echo costs ~0.4 s: half the clients in phase 1.)
if [ "$slow" = 1 ]; then
	rate=400
	burst=200
	fill_wait=60
	nclients=50
else
	rate=2000
	burst=500
	fill_wait=20
	nclients=100
fi
echo "# kernel $(uname -r), slow=$slow: flood $rate SYN/s, phase 1 clients $nclients" \
	"of each kind, phase 3 burst $burst SYNs"

work=$(mktemp -d) || exit $ksft_fail

if ! netns_add "$ns_f" "$ns_c" "$ns_s" ||
   ! veth_link "$ns_f" xsf0 $addr_f/24 "$ns_s" xssf $addr_sf/24 ||
   ! veth_link "$ns_c" xsc0 $addr_c/24 "$ns_s" xssc $addr_sc/24; then
	echo "SKIP: cannot create network namespaces joined by veth"
	exit $ksft_skip
fi
ip -n "$ns_s" route add $spoofed via $addr_f
ip netns exec "$ns_f" sysctl -qw net.ipv4.ip_forward=0

# A process in S: its /proc/PID/net is S's, read without entering S.
ip netns exec "$ns_s" sleep 100000 &
nspid=$!
for ((i = 0; i < 100; i++)); do
	[ -r /proc/$nspid/net/xtcp_counters ] &&
		[ "$(readlink /proc/$nspid/ns/net)" != "$(readlink /proc/self/ns/net)" ] && break
	sleep 0.1
done
snet=/proc/$nspid/net
if [ ! -r $snet/xtcp_counters ]; then
	echo "SKIP: no /proc/net/xtcp_counters in the server's namespace"
	exit $ksft_skip
fi

for k in $sysctls; do
	saved="$saved $k=$(ip netns exec "$ns_s" cat /proc/sys/net/xtcp/$k)"
done
echo "# S's sysctls at start:$saved"

# Prime the neighbour tables, so that the first SYNs are not queued behind ARP.
ip netns exec "$ns_f" ping -c 1 -W 2 $addr_sf >/dev/null 2>&1
ip netns exec "$ns_c" ping -c 1 -W 2 $addr_sc >/dev/null 2>&1

# set_sysctl NAME VALUE [NAME VALUE...]: in S, each read back.
set_sysctl() {
	while [ $# -ge 2 ]; do
		ip netns exec "$ns_s" sysctl -qw "net.xtcp.$1=$2" || return 1
		[ "$(ip netns exec "$ns_s" cat "/proc/sys/net/xtcp/$1")" = "$2" ] || return 1
		shift 2
	done
}

# snapshot FILE: S's counters.
# snapshot FILE: S's XTCP counters, and C's (XTCP's and kernel TCP's) prefixed "C.".
snapshot() {
	{
		cat $snet/xtcp_counters
		ip netns exec "$ns_c" sed 's/^/C./' /proc/net/xtcp_counters
		ip netns exec "$ns_c" awk '$1 == "Tcp:" {
			if (!n++) { split($0, h); next }
			for (i = 2; i <= NF; i++) print "C.tcp." h[i], $i }' /proc/net/snmp
	} >"$1"
}

# delta BEFORE AFTER NAME: the counter's rise.
delta() {
	awk -v k="$3" '
		FNR == NR { if ($1 == k) b = $2; next }
		$1 == k { a = $2 }
		END { if (a == "" || b == "") print "x"; else print a - b }' "$1" "$2"
}

# resent BEFORE AFTER: the segments of connections sent again, by S (leaving out
# SYN-ACKs) and by the clients. A cookie fails rightly for a segment that comes
# to the listener after its connection closed on S, and such a stray is always a
# retransmission (an RTO or a loss probe of a FIN, or a FIN answering one S sent
# again): the failures may not outnumber them.
resent() {
	local s a c t

	s=$(delta "$1" "$2" RetransSegs)
	a=$(delta "$1" "$2" SynAckRetrans)
	c=$(delta "$1" "$2" C.RetransSegs)
	t=$(delta "$1" "$2" C.tcp.RetransSegs)
	case "$s $a $c $t" in
	*x*) echo x ;;
	*) echo $((s - a + c + t)) ;;
	esac
}

# show_deltas BEFORE AFTER: the counters that moved, as a comment.
show_deltas() {
	awk '
		FNR == NR { b[$1] = $2; next }
		$1 in b && $2 != b[$1] { printf " %s+%d", $1, $2 - b[$1] }
		END { printf "\n" }' "$1" "$2" | sed 's/^/# counters:/'
}

# nap SECONDS: sleep without starting a process (emulated guests start them slowly).
mkfifo "$work/nap" || exit $ksft_fail
exec {nap_fd}<>"$work/nap"
nap() {
	read -r -t "$1" -u "$nap_fd"
}

# reqs PORT: sets nreqs to the number of requests (st 03) of the listener on PORT
# in S's /proc/net/xtcp; shell builtins only, to sample often under the flood.
# Each 4-tuple counts once: the file is read in pieces, each resuming at a line
# number, so sockets coming and going ahead of the requests (the clients'
# connections) can show a request twice in one reading, as in /proc/net/tcp.
reqs() {
	local p laddr raddr st rest
	local -A seen=()

	printf -v p ':%04X' "$1"
	nraw=0
	while read -r _ laddr raddr st rest; do
		if [ "$st" = 03 ] && [ "${laddr: -5}" = "$p" ]; then
			seen[$laddr-$raddr]=1
			nraw=$((nraw + 1))
		fi
	done <$snet/xtcp
	nreqs=${#seen[@]}
}

# sampler_start PORT / sampler_stop PORT: sample reqs PORT into $work/samples
# (every 0.1 s, as the flood leaves CPU to do it); sets max_reqs and nsamples.
sampler_start() {
	: >"$work/samples"
	(
		while :; do
			reqs "$1"
			echo "$nreqs $nraw" >>"$work/samples"
			nap 0.1
		done
	) &
	sampler=$!
}

sampler_stop() {
	kill "$sampler" 2>/dev/null
	wait "$sampler" 2>/dev/null
	sampler=
	reqs "$1"
	echo "$nreqs $nraw" >>"$work/samples"
	max_reqs=$(sort -n "$work/samples" | tail -n 1 | cut -d ' ' -f 1)
	nsamples=$(wc -l <"$work/samples")
	echo "# requests on port $1: max $max_reqs over $nsamples samples" \
		"(lines read, duplicates included: max $(cut -d ' ' -f 2 "$work/samples" | sort -n | tail -n 1))"
}

# server PORT: an XTCP echo server in S on PORT (all addresses).
server() {
	local i out=$work/server.$1

	ip netns exec "$ns_s" ./xtcp_connlat --server --family xtcp --addr 0.0.0.0 --port "$1" \
		--backlog $backlog >"$out" 2>&1 &
	spid=$!
	for ((i = 0; i < 300; i++)); do
		grep -q '^listening$' "$out" && return 0
		kill -0 "$spid" 2>/dev/null || break
		sleep 0.1
	done
	sed 's/^/# server: /' "$out"
	return 1
}

server_stop() {
	kill "$spid" 2>/dev/null
	wait "$spid" 2>/dev/null
	spid=
}

# flood_start PORT: the flood from F until flood_stop.
flood_start() {
	ip netns exec "$ns_f" ./xtcp_synflood --dst $addr_sf:"$1" --src $spoofed \
		--rate $rate --duration 600 --quiet >"$work/flood" 2>"$work/flood.err" &
	fpid=$!
}

# flood_stop: true when the flood was still running (it covered what came before).
flood_stop() {
	local running=0

	kill -0 "$fpid" 2>/dev/null && running=1
	kill -INT "$fpid" 2>/dev/null
	wait "$fpid" 2>/dev/null
	fpid=
	sed 's/^/# flood: /' "$work/flood" "$work/flood.err"
	[ $running = 1 ] && grep -q '^sent ' "$work/flood"
}

# wait_full PORT: until the listener's SYN queue holds $backlog requests.
wait_full() {
	local i

	for ((i = 0; i < fill_wait * 10; i++)); do
		reqs "$1"
		[ $nreqs -ge $backlog ] && break
		nap 0.1
	done
	echo "# requests on port $1 after $((i / 10)).$((i % 10)) s: $nreqs"
	[ $nreqs -ge $backlog ]
}

# clients FAMILY PORT COUNT TIMEOUT_MS: legitimate clients from C; sets ok.
clients() {
	local out=$work/clients

	ip netns exec "$ns_c" ./xtcp_connlat --family "$1" --addr $addr_sc --port "$2" \
		--count "$3" --bytes 1000 --timeout-ms "$4" >"$out" 2>"$out.err"
	sed "s/^/# $1 clients: /" "$out" "$out.err"
	ok=$(sed -n 's/^connects ok=\([0-9]*\) .*/\1/p' "$out")
	ok=${ok:-0}
}

ge() { [ "$1" != x ] && [ "$1" -ge "$2" ]; }
le() { [ "$1" != x ] && [ "$2" != x ] && [ "$1" -le "$2" ]; }
eq() { [ "$1" != x ] && [ "$1" -eq "$2" ]; }

# queue_max MAX: the sampled request counts stayed at or under MAX (and were sampled).
queue_max() { le "$max_reqs" "$1" && [ "$nsamples" -gt 1 ]; }

# ge_both A B N: A >= N and A >= B.
ge_both() { ge "$1" "$3" && ge "$1" "$2"; }

# eq_pos A B: A == B > 0.
eq_pos() { ge "$1" 1 && eq "$1" "$2"; }

# Phase 1: syncookies=1.
phase1() {
	local port=8001 c0=$work/p1.c0 c1=$work/p1.c1 c2=$work/p1.c2 ok_x ok_t d r t0

	echo "# phase 1: syncookies=1, flood of $rate SYN/s to port $port"
	check "syncookies=1: set syncookies=1 synack_retries=7 in S" \
		set_sysctl syncookies 1 synack_retries 7
	if ! server $port; then
		check "syncookies=1: the XTCP server listens" false
		return
	fi
	t0=$SECONDS
	snapshot "$c0"
	sampler_start $port
	flood_start $port
	check "syncookies=1: the SYN queue fills to its limit of $backlog" wait_full $port
	sleep 1
	snapshot "$c1"
	d=$(delta "$c0" "$c1" SyncookiesSent)
	echo "# SyncookiesSent +$d since the flood started"
	check "syncookies=1: SyncookiesSent rises once the SYN queue is full" ge "$d" 1

	clients xtcp $port $nclients 3000
	ok_x=$ok
	check "syncookies=1: at least $((nclients - 1)) of $nclients XTCP clients connect and echo during the flood" \
		ge "$ok_x" $((nclients - 1))
	clients tcp $port $nclients 3000
	ok_t=$ok
	check "syncookies=1: at least $((nclients - 1)) of $nclients kernel TCP clients connect and echo during the flood" \
		ge "$ok_t" $((nclients - 1))
	check "syncookies=1: the flood ran through the clients" flood_stop
	sampler_stop $port
	snapshot "$c2"
	show_deltas "$c0" "$c2"
	echo "# phase 1 took $((SECONDS - t0)) s"
	d=$(delta "$c1" "$c2" SyncookiesRecv)
	check "syncookies=1: SyncookiesRecv rose by at least $((2 * nclients - 2)) ($d: the clients came through cookies)" \
		ge "$d" $((2 * nclients - 2))
	d=$(delta "$c0" "$c2" SyncookiesFailed)
	r=$(resent "$c0" "$c2")
	check "syncookies=1: SyncookiesFailed rose by no more than the segments sent again ($d, $r)" \
		le "$d" "$r"
	check "syncookies=1: the SYN queue never held more than $backlog requests ($max_reqs)" \
		queue_max $backlog
	server_stop
}

# Phase 2: syncookies=0.
phase2() {
	local port=8002 c0=$work/p2.c0 c1=$work/p2.c1 c2=$work/p2.c2 d dl t0

	echo "# phase 2: syncookies=0, flood of $rate SYN/s to port $port"
	check "syncookies=0: set syncookies=0 in S" set_sysctl syncookies 0
	if ! server $port; then
		check "syncookies=0: the XTCP server listens" false
		return
	fi
	t0=$SECONDS
	snapshot "$c0"
	sampler_start $port
	flood_start $port
	check "syncookies=0: the SYN queue fills to its limit of $backlog" wait_full $port
	snapshot "$c1"
	# No request of the flood expires before ~250 s and none is answered: a
	# freed slot, the only way in for a client, should never come.
	clients xtcp $port 20 1500
	check "syncookies=0: at most 2 of 20 XTCP clients get through the full SYN queue ($ok)" \
		le "$ok" 2
	check "syncookies=0: the flood ran through the clients" flood_stop
	sampler_stop $port
	snapshot "$c2"
	show_deltas "$c0" "$c2"
	echo "# phase 2 took $((SECONDS - t0)) s"
	d=$(delta "$c1" "$c2" SynQueueDrops)
	dl=$(delta "$c1" "$c2" ListenDrops)
	check "syncookies=0: SynQueueDrops rose ($d)" ge "$d" 1
	check "syncookies=0: ListenDrops rose with it ($dl)" ge_both "$dl" "$d" 1
	d=$(delta "$c0" "$c2" SyncookiesSent)
	check "syncookies=0: SyncookiesSent did not move ($d)" eq "$d" 0
	check "syncookies=0: the SYN queue never held more than $backlog requests ($max_reqs)" \
		queue_max $backlog
	server_stop
}

# Phase 3: syncookies=2.
phase3() {
	local port=8003 c0=$work/p3.c0 c1=$work/p3.c1 c2=$work/p3.c2 d r ds di sent ok_x ok_t t0

	echo "# phase 3: syncookies=2, $burst SYNs at $rate/s to port $port"
	check "syncookies=2: set syncookies=2 in S" set_sysctl syncookies 2
	if ! server $port; then
		check "syncookies=2: the XTCP server listens" false
		return
	fi
	t0=$SECONDS
	sampler_start $port
	snapshot "$c0"
	ip netns exec "$ns_f" ./xtcp_synflood --dst $addr_sf:$port --src $spoofed \
		--rate $rate --duration 60 --count $burst --quiet >"$work/flood" 2>"$work/flood.err"
	sed 's/^/# flood: /' "$work/flood" "$work/flood.err"
	sent=$(awk '$1 == "sent" { print $2 }' "$work/flood")
	# Let the last SYNs through S's stack.
	sleep 1
	snapshot "$c1"
	sampler_stop $port
	show_deltas "$c0" "$c1"
	ds=$(delta "$c0" "$c1" SyncookiesSent)
	di=$(delta "$c0" "$c1" InSegs)
	check "syncookies=2: the flooder sent $burst SYNs (${sent:-none})" eq "${sent:-x}" "$burst"
	check "syncookies=2: every segment taken was a SYN answered with a cookie (SyncookiesSent +$ds, InSegs +$di)" \
		eq_pos "$ds" "$di"
	check "syncookies=2: no request was ever kept (max $max_reqs over $nsamples samples)" \
		queue_max 0
	d=$(delta "$c0" "$c1" SynQueueDrops)
	check "syncookies=2: SynQueueDrops did not move ($d)" eq "$d" 0

	clients xtcp $port 20 3000
	ok_x=$ok
	check "syncookies=2: 20 of 20 XTCP clients connect and echo through cookies" eq "$ok_x" 20
	clients tcp $port 20 3000
	ok_t=$ok
	check "syncookies=2: 20 of 20 kernel TCP clients connect and echo through cookies" \
		eq "$ok_t" 20
	snapshot "$c2"
	show_deltas "$c1" "$c2"
	echo "# phase 3 took $((SECONDS - t0)) s"
	d=$(delta "$c1" "$c2" SyncookiesRecv)
	check "syncookies=2: SyncookiesRecv rose by 40 ($d)" eq "$d" 40
	d=$(delta "$c0" "$c2" SyncookiesFailed)
	r=$(resent "$c0" "$c2")
	check "syncookies=2: SyncookiesFailed rose by no more than the segments sent again ($d, $r)" \
		le "$d" "$r"
	reqs $port
	check "syncookies=2: still no request ($nreqs)" eq $nreqs 0
	server_stop
}

phase1
phase2
phase3
finish
