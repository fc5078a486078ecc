#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# In the guest: the demo's SYN flood scene. An XTCP echo server (listen backlog 64,
# so a SYN queue of 64) in namespace S under a flood of spoofed SYNs from F, while
# legitimate clients in C, one XTCP and one the kernel's TCP, connect through it:
#
#   F dsf0 10.0.1.1/24 ---- 10.0.1.2/24 dssf S dssc 10.0.3.2/24 ---- 10.0.3.1/24 dsc0 C
#
# (tools/guest/floodnet.sh builds it.)
#
# It shows the SYN queue filling (the requests, st 03, in S's /proc/net/xtcp), the
# SYN cookies taking over (SyncookiesSent), the clients' connect latencies, what
# syncookies=0 would do instead, and S's counters before and after. About 40 s.
# Uses the staged selftests' xtcp_connlat and xtcp_synflood.
top=${XTCP_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
ksft=$top/.build/kselftest/xtcp
flood=$ksft/xtcp_synflood
connlat=$ksft/xtcp_connlat

ns_f=dsf-f-$$
ns_c=dsf-c-$$
ns_s=dsf-s-$$
# shellcheck source=tools/guest/floodnet.sh
. "$top/tools/guest/floodnet.sh"
port=8000
backlog=64
keys="InSegs OutSegs PassiveOpens SyncookiesSent SyncookiesRecv SyncookiesFailed"
keys="$keys SynQueueDrops ListenDrops"

work=
nspid=
spid=
fpid=

# shellcheck disable=SC2317 # run through trap
cleanup() {
	local pid

	for pid in $fpid $spid $nspid; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	floodnet_down
	[ -n "$work" ] && rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

say() {
	printf '\n\033[1m== %s\033[0m\n' "$*"
}

run() {
	printf '$ %s\n' "$*"
	"$@"
}

for f in "$flood" "$connlat"; do
	[ -x "$f" ] || { echo "demo-synflood: no $f: run tools/xtcp-build selftests" >&2; exit 1; }
done
if [ ! -r /sys/module/xtcp/parameters/family ]; then
	echo "demo-synflood: the xtcp module is not loaded" >&2
	exit 1
fi

# A debug kernel (KASAN, lockdep) gets a gentler flood.
rate=2000
if [ -e /sys/kernel/debug/kmemleak ] || [[ "$(uname -r)" != *-amd64 ]]; then
	rate=400
fi
work=$(mktemp -d /tmp/demo-synflood.XXXXXX) || exit 1

say "SYN flood: three network namespaces joined by veth"
cat <<EOF
  F (flooder)  $addr_f  ----  $addr_sf  S (XTCP server, port $port)  $addr_sc  ----  $addr_c  C (clients)

F sends SYNs with forged sources from $spoofed; S routes that range back to F,
which does not forward: the SYN-ACKs die there, nobody ever answers them, and
each SYN that S keeps sits in its SYN queue until synack_retries gives up.
EOF
if ! floodnet_up ds; then
	echo "demo-synflood: cannot create network namespaces joined by veth" >&2
	exit 1
fi

# A process in S: S's /proc/net files are read through its /proc/PID/net.
ip netns exec "$ns_s" sleep 100000 &
nspid=$!
for _ in $(seq 100); do
	[ "$(readlink /proc/$nspid/ns/net)" != "$(readlink /proc/self/ns/net)" ] && break
	sleep 0.1
done
snet=/proc/$nspid/net

# counter NAME: S's counter now.
counter() {
	awk -v k="$1" '$1 == k { print $2 }' $snet/xtcp_counters
}

# reqs: the requests (st 03) of port $port now in S (each 4-tuple once).
reqs() {
	awk -v p=":$(printf '%04X' $port)" '
		$4 == "03" && substr($2, length($2) - 4) == p { seen[$2 " " $3] = 1 }
		END { print length(seen) }' $snet/xtcp
}

# Sysctls are per namespace: S's own, at their defaults.
echo
run ip netns exec "$ns_s" sysctl net.xtcp.syncookies net.xtcp.max_syn_backlog \
	net.xtcp.synack_retries

say "The XTCP echo server in S: listen(fd, $backlog), so its SYN queue holds" \
	"min($backlog, max_syn_backlog) = $backlog requests"
ip netns exec "$ns_s" "$connlat" --server --family xtcp --addr 0.0.0.0 --port $port \
	--backlog $backlog >"$work/server" 2>&1 &
spid=$!
for _ in $(seq 100); do
	grep -q '^listening$' "$work/server" && break
	sleep 0.1
done
if ! grep -q '^listening$' "$work/server"; then
	cat "$work/server"
	echo "demo-synflood: the XTCP server did not start" >&2
	exit 1
fi
echo "listening on 0.0.0.0:$port"
for k in $keys; do
	echo "$k $(counter "$k")"
done >"$work/before"
echo "S's counters before the flood:"
awk '{ printf "  %-17s %s\n", $1, $2 }' "$work/before"

say "Without a flood: one XTCP client and one kernel TCP client from C (5 connections each, 1000-byte echo)"
for fam in xtcp tcp; do
	printf '%-5s ' "$fam:"
	ip netns exec "$ns_c" "$connlat" --family $fam --addr $addr_sc --port $port \
		--count 5 --bytes 1000 --timeout-ms 3000
done

# sample: one line of the table below; shell builtins only, so that it is quick
# (an emulated guest starts processes slowly).
sample() {
	local l r st k v p n=0 sent=0 t
	local -A seen=()

	printf -v p ':%04X' $port
	while read -r _ l r st _; do
		[ "$st" = 03 ] && [ "${l: -5}" = "$p" ] && seen[$l-$r]=1
	done <$snet/xtcp
	n=${#seen[@]}
	while read -r k v; do
		[ "$k" = SyncookiesSent ] && sent=$v
	done <$snet/xtcp_counters
	t=$(( ${EPOCHREALTIME/./} - ${t0/./} ))
	printf '%4d.%01ds  %25s  %14s\n' $((t / 1000000)) $((t / 100000 % 10)) "$n" \
		$((sent - cookies0))
}

say "The flood begins gently: 20 SYN/s from F for 4 s, forged sources in $spoofed"
t0=$EPOCHREALTIME
cookies0=$(counter SyncookiesSent)
ip netns exec "$ns_f" "$flood" --dst $addr_sf:$port --src $spoofed --rate 20 \
	--duration 4 --quiet >"$work/flood" 2>"$work/flood.err" &
fpid=$!
echo "   time  requests in S's SYN queue  SyncookiesSent (since the flood began)"
while kill -0 $fpid 2>/dev/null; do
	sample
	sleep 0.4
done
wait $fpid
fpid=
cat "$work/flood" "$work/flood.err"

say "Then in earnest: $rate SYN/s"
ip netns exec "$ns_f" "$flood" --dst $addr_sf:$port --src $spoofed --rate $rate \
	--duration 120 --quiet >"$work/flood" 2>"$work/flood.err" &
fpid=$!
for _ in $(seq 4); do
	sleep 1
	sample
done
echo
echo "The queue is full ($backlog): every further SYN gets a SYN cookie as its SYN-ACK's"
echo "sequence number, and S keeps nothing. Some of the requests, as /proc/net/xtcp"
echo "lists them (st 03; local 0201000A:1F40 is $addr_sf:$port):"
awk -v p=":$(printf '%04X' $port)" 'NR == 1 || ($4 == "03" && substr($2, length($2) - 4) == p)' \
	$snet/xtcp | head -n 4 | cut -c 1-100

say "During the flood: the same clients from C, through cookies"
recv0=$(counter SyncookiesRecv)
for fam in xtcp tcp; do
	printf '%-5s ' "$fam:"
	ip netns exec "$ns_c" "$connlat" --family $fam --addr $addr_sc --port $port \
		--count 5 --bytes 1000 --timeout-ms 3000
done
echo "SyncookiesRecv +$(($(counter SyncookiesRecv) - recv0)): connections made from a cookie's ACK alone"
echo "(the kernel's TCP, as a client, cannot tell a cookie from any other SYN-ACK)"

say "The same with syncookies=0 in S: SYNs beyond the full queue are dropped"
run ip netns exec "$ns_s" sysctl -w net.xtcp.syncookies=0
drops0=$(counter SynQueueDrops)
printf '%-5s ' "xtcp:"
ip netns exec "$ns_c" "$connlat" --family xtcp --addr $addr_sc --port $port \
	--count 2 --bytes 1000 --timeout-ms 1500 2>&1
echo "SynQueueDrops +$(($(counter SynQueueDrops) - drops0)) meanwhile (the flood's and the client's SYNs)"
run ip netns exec "$ns_s" sysctl -w net.xtcp.syncookies=1

say "Cookies again, while the flood goes on"
printf '%-5s ' "xtcp:"
ip netns exec "$ns_c" "$connlat" --family xtcp --addr $addr_sc --port $port \
	--count 5 --bytes 1000 --timeout-ms 3000
sample

say "The flood stops"
kill -INT "$fpid" 2>/dev/null
wait "$fpid" 2>/dev/null
fpid=
cat "$work/flood" "$work/flood.err"
sleep 0.5
for k in $keys; do
	echo "$k $(counter "$k")"
done >"$work/after"
echo
echo "S's counters:        before      after       moved"
awk 'FNR == NR { b[$1] = $2; next }
	{ printf "  %-17s %10s %10s %+11d\n", $1, b[$1], $2, $2 - b[$1] }' \
	"$work/before" "$work/after"
echo
echo "Of all the SYNs S took (InSegs, less the clients' segments), $backlog made requests;"
echo "the rest got a cookie (SyncookiesSent) or, under syncookies=0, were dropped"
echo "(SynQueueDrops). SyncookiesFailed 0: every cookie that came back was good."
echo "The $backlog requests wait out their SYN-ACK retries; the cookies cost S nothing."
