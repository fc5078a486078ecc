#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# /proc/net/xtcp at scale: whole reads of a namespace holding 100,000
# TIME_WAIT entries (and a few sockets) must cost time in proportion to the
# file's length. Each read(2) of the file is one seq_file chunk: a page (~27
# lines) for cat, one line for dd bs=150 (each line is 150 bytes). A reader that
# walks from the first line to its place at every chunk is quadratic, with
# bottom halves off while it walks: under QEMU (TCG) on the stock kernel that
# reader took 14-25 s for cat and 484 s for dd; the reader that keeps its place
# takes 1.4 s and 2.7 s.
#
# One process (xtcp_twfill) makes the entries: loopback connections the XTCP
# server closes first, with net.xtcp.msl_ms at its maximum (the entries outlive
# the test) and max_tw_buckets above the count. A holder keeps 20 sockets open,
# so that the file lists sockets too. Each read must end within the limit, and
# its lines are checked: the header, one line per entry (st 06) and per socket
# (st 07), no 4-tuple twice, the lines numbered in order.
#
# On a debug kernel (kmemleak present, or a release not ending in -amd64) a
# connection costs ~16 ms instead of ~0.5 ms: 5,000 entries there (about 1.5
# minutes to make; 10,000 took 184 s, and CI machines can be 3x slower than
# that). Environment: XTCP_PROC_ENTRIES (how many entries; tools/xtcp-check
# passes 5000 to the debug run), XTCP_PROC_SECONDS (each read's limit, default
# 30 s).
#
# shellcheck disable=SC2317 # functions run through trap and check
cd "$(dirname "$0")" || exit 1
. ./xtcp_lib.sh
require_root
require_tools ip ./xtcp_twfill ./xtcp_sock

if ! xtcp_loaded; then
	echo "SKIP: the xtcp module is not loaded"
	exit $ksft_skip
fi

entries=${XTCP_PROC_ENTRIES:-}
if [ -z "$entries" ]; then
	entries=100000
	if [ -e /sys/kernel/debug/kmemleak ] || [[ "$(uname -r)" != *-amd64 ]]; then
		entries=5000
	fi
fi
limit=${XTCP_PROC_SECONDS:-30}
nsocks=20
ns=xtcp-procscale-$$
work=
hpid=

cleanup() {
	if [ -n "$hpid" ]; then
		kill "$hpid" 2>/dev/null
		wait "$hpid" 2>/dev/null
	fi
	ip netns del "$ns" 2>/dev/null
	[ -n "$work" ] && rm -rf "$work"
}
trap cleanup EXIT
trap 'exit $ksft_fail' INT TERM

if ! netns_add "$ns"; then
	echo "SKIP: cannot create a network namespace"
	exit $ksft_skip
fi
work=$(mktemp -d) || exit $ksft_fail

# The holder lives in the namespace: the test reads its /proc/PID/net.
ip netns exec "$ns" ./xtcp_sock hold "$(xtcp_family)" $nsocks >"$work/hold" 2>&1 &
hpid=$!
for _ in $(seq 200); do
	grep -q '^ready$' "$work/hold" && break
	sleep 0.1
done
if ! grep -q '^ready$' "$work/hold"; then
	check "the holder opened $nsocks XTCP sockets" false
	finish
fi
snet=/proc/$hpid/net

# counter NAME: one counter of the namespace.
counter() {
	awk -v n="$1" '$1 == n { print $2 }' "$snet/xtcp_counters"
}

# settled: every entry made and every socket but the holder's freed.
settled() {
	[ "$(counter TimeWaitEntered)" = "$entries" ] &&
		[ $(($(counter SocketsCreated) - $(counter SocketsDestroyed))) = $nsocks ]
}

# usecs: the time now in microseconds.
usecs() {
	local t=$EPOCHREALTIME

	echo $((${t%.*} * 1000000 + 10#${t#*.}))
}

ip netns exec "$ns" sysctl -qw net.xtcp.msl_ms=600000 \
	net.xtcp.max_tw_buckets=$((entries + 1000)) || exit $ksft_fail
echo "# making $entries TIME_WAIT entries"
line=$(ip netns exec "$ns" ./xtcp_twfill --count "$entries" 2>&1 | tail -n 1)
echo "# xtcp_twfill: $line"
check "xtcp_twfill made $entries connections" [ "${line% *}" = "done $entries" ]
for _ in $(seq 300); do
	settled && break
	sleep 0.1
done
check "$entries entries entered TIME_WAIT (TimeWaitEntered $(counter TimeWaitEntered))" \
	[ "$(counter TimeWaitEntered)" = "$entries" ]
check "none overflowed, recycled or expired" \
	[ "$(counter TimeWaitOverflow)$(counter TimeWaitRecycled)$(counter TimeWaitExpired)" = 000 ]

# timed_read NAME COMMAND...: runs COMMAND, its output in $work/NAME, for at
# most $limit s; checks that it finished in time and prints how long it took.
timed_read() {
	local name=$1 t0 us rc

	shift
	t0=$(usecs)
	timeout "$limit" "$@" >"$work/$name" 2>"$work/$name.err"
	rc=$?
	us=$(($(usecs) - t0))
	printf '# %s: %d lines in %d.%06d s\n' "$name" "$(wc -l <"$work/$name")" \
		$((us / 1000000)) $((us % 1000000))
	check "$name: the whole file read within $limit s (status $rc)" [ "$rc" = 0 ]
}

header="  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode"

# lines_ok NAME: $work/NAME is the whole file: the header, a line per entry and
# per socket, each 4-tuple once, the lines numbered in order.
lines_ok() {
	local f=$work/$1 n

	check "$1: the header line is the first" \
		[ "$(head -n 1 "$f" | sed 's/ *$//')" = "$header" ]
	n=$(wc -l <"$f")
	check "$1: $((entries + nsocks + 1)) lines: header, $entries entries, $nsocks sockets (got $n)" \
		[ "$n" = $((entries + nsocks + 1)) ]
	n=$(awk '$4 == "06"' "$f" | wc -l)
	check "$1: $entries TIME_WAIT lines (st 06, got $n)" [ "$n" = "$entries" ]
	n=$(awk '$4 == "07"' "$f" | wc -l)
	check "$1: $nsocks socket lines (st 07, got $n)" [ "$n" = $nsocks ]
	n=$(awk 'NR > 1 && $4 == "06" { print $2, $3 }' "$f" | sort | uniq -d | wc -l)
	check "$1: no 4-tuple listed twice (got $n)" [ "$n" = 0 ]
	n=$(awk 'NR > 1 { sub(":", "", $1); if ($1 != NR - 2) bad++ } END { print bad + 0 }' "$f")
	check "$1: the lines are numbered 0, 1, 2... (sl; $n out of place)" [ "$n" = 0 ]
}

# cat reads a page at a time: one seq_file chunk (~27 lines) per read(2).
timed_read cat cat "$snet/xtcp"
lines_ok cat
# dd asks for 150 bytes (one line) per read(2): one chunk, so one restart of
# the walk, per line (a walk from the first line at each took 484 s).
timed_read dd-150 dd if="$snet/xtcp" bs=150 status=none
lines_ok dd-150
finish
