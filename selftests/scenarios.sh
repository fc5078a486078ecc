#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Packet-level scenarios (the numbers are those of SCENARIOS.md): an XTCP server
# (or client) application (./xtcp_peer) in namespace S (10.0.2.2) and a fake client that does
# not exist: segments crafted by ./xtcp_pkt in namespace C from 10.0.2.3, an
# address no namespace has. S reaches 10.0.2.3 through a permanent neighbour entry
# with C's MAC, so S's answers arrive on C's veth, where they are captured, and C's
# IP layer drops them (no forwarding: no ICMP, no kernel RST): the test alone
# speaks for the client. Each scenario checks flags and sequence numbers of the
# segments, the exact moves of S's /proc/net/xtcp_counters and states in
# /proc/net/xtcp, and prints its timeline (the capture) as comments:
#
#   1      the three-way handshake (and a four-way close the client begins)
#   6      data on the handshake's third ACK
#   7      ISNs: per 4-tuple, moving with a clock
#   2, 4   an old duplicate SYN: the client's RST makes the server forget it
#   5      the third ACK lost: SYN-ACK retransmitted with backoff, then dropped
#   9      a full accept queue drops the final ACK and new SYNs
#   9q     a full SYN queue: SYNs dropped (syncookies=0) or answered with cookies
#   8      SYN cookies: no request kept, forged ACKs refused, data on the ACK
#   5961   SYN and RST on an established connection (RFC 5961)
#   7323   window scaling and timestamps: negotiation in every combination, scaled
#          windows both ways, PAWS, segments without timestamps, cookies keeping
#          the options in their timestamp, the XTCP client's offer
#   10, 13 the server closes first: TIME_WAIT re-ACKs the FIN, ignores RST
#          (RFC 1337) and expires 2 * msl_ms after the last FIN
#   14     a restart within 2 * MSL: bind() needs SO_REUSEADDR on both sides
#   16     segments for no socket: a TIME_WAIT port (XTCP answers, InNoSocket)
#          and a port XTCP does not own (the kernel's TCP answers)
#   3      simultaneous open: an XTCP client's SYN crosses the peer's SYN
#   11     half-close: the app reads EOF, sends in CLOSE_WAIT, then closes
#   12     simultaneous close: FIN_WAIT1 -> CLOSING -> TIME_WAIT
#   15     SO_LINGER {1, 0}: close() sends RST, no FIN, no TIME_WAIT
#   17     keepalive: a dead peer is detected (2 probes, RST, ETIMEDOUT); an
#          answered probe starts the count again (an XTCP client)
#   18     an app killed with SIGKILL: its connection still closes with FIN
#   syncnt, utimeout, linger2  TCP_SYNCNT (3 SYNs, ETIMEDOUT), TCP_USER_TIMEOUT
#          (unacknowledged data fails in 2 s, no RST), TCP_LINGER2 (-1 and 2 s:
#          an orphan's FIN_WAIT_2)
#   abort  data after the app closed: RST, TCPAbortOnData
#   route  no route back for a new connection: the ACK dropped, nothing half-made
#   ofo    out-of-order data beyond the memory: pruned; the hole still fills
#   ofows  the same across a scaled window: XTCP's memory stays within its bounds
#   gbn    go-back-N after a timeout: ACKs still carry the highest sequence sent
#   fastrtx  three duplicate ACKs: the lost segment again at once (NewReno)
#   sackrtx  the same when the duplicates carry data and SACK new data (RFC 6675)
#   sackholes  three holes SACKed around: all sent again in one round trip, each
#          once, nothing SACKed again (RFC 6675, PRR)
#   tlp    the last segment lost: a tail loss probe sends it again before the
#          retransmission timeout (RFC 8985 7)
#   rack   one segment SACKed above a hole: RACK's reordering timer sends the
#          hole again a reordering window later (RFC 8985 6)
#   dsackundo  a recovery for a late segment undone by the D-SACK of its
#          retransmission (RFC 2883, 3708)
#   frto   a spurious retransmission timeout: F-RTO sends new data, not the
#          flight again, and undoes the reduction (RFC 5682)
#   frxundo  the same with timestamps for a late segment: the recovery undone (RFC 3522)
#   frxcc  fastrtx with the example controller (examples/cc, "scalable") chosen on
#          the listener: its threshold, not NewReno's, after the loss
#   frxcubic  the same with CUBIC: 0.7 of the window (RFC 9438 4.6)
#   sack   SACK negotiated as the SYNs and net.xtcp.sack say; blocks and D-SACK in
#          XTCP's ACKs (RFC 2018, 2883)
#   gso    a write of many MSSes: one GSO packet, MSS-sized summed segments on the wire
#   ratelimit  challenge ACKs and ACKs to out-of-window segments, rate-limited
#   backlog  a SYN waiting in a locked socket's backlog reaches the listener once the
#          socket closed (TIME_WAIT), with bottom halves off
#
# Emulated guests are slow to start processes, so the scenarios run inside C
# (xtcp_pkt needs no `ip netns exec`), read S's /proc/net files through a process
# that lives in S, and poll with shell builtins.
#
# shellcheck disable=SC2317 # functions run through trap, check and poll
cd "$(dirname "$0")" || exit 1
. ./xtcp_lib.sh

srv=10.0.2.2
cli=10.0.2.3
srv_hex=0202000A
cli_hex=0302000A
M=0xffffffff

# --- the outer part: the namespaces, then the scenarios inside C ----------------------

if [ -z "${XTCP_SCEN_INNER:-}" ]; then
	require_root
	ns_c=xtcp-scen-c-$$
	ns_s=xtcp-scen-s-$$
	work=
	hold_s=

	cleanup() {
		if [ -n "$hold_s" ]; then
			kill "$hold_s" 2>/dev/null
			wait "$hold_s" 2>/dev/null
		fi
		ip netns del "$ns_c" 2>/dev/null
		ip netns del "$ns_s" 2>/dev/null
		[ -n "$work" ] && rm -rf "$work"
	}
	trap cleanup EXIT
	trap 'exit $ksft_fail' INT TERM

	if ! xtcp_loaded; then
		echo "SKIP: the xtcp module is not loaded"
		exit $ksft_skip
	fi
	require_tools ./xtcp_pkt ./xtcp_peer ip ethtool
	work=$(mktemp -d) || exit $ksft_fail

	if ! netns_add "$ns_c" "$ns_s" ||
	   ! veth_link "$ns_c" veth-c 10.0.2.1/24 "$ns_s" veth-s $srv/24; then
		echo "SKIP: cannot create network namespaces joined by veth"
		exit $ksft_skip
	fi
	# What S sends is cut and summed in software before its veth (no TSO, no
	# checksum offload there): C's veth then sees the segments a wire would
	# carry, each of at most an MSS and with its checksum (scenario gso; the end).
	if ! ip netns exec "$ns_s" ethtool -K veth-s tso off tx off >/dev/null; then
		echo "SKIP: cannot switch veth-s's TSO and checksum offload off"
		exit $ksft_skip
	fi
	mac_c=$(ip -n "$ns_c" link show veth-c | awk '/link\/ether/ { print $2 }')
	mac_s=$(ip -n "$ns_s" link show veth-s | awk '/link\/ether/ { print $2 }')
	# S's answers to the fake client go to C's veth; C does not forward them.
	ip -n "$ns_s" neigh add $cli lladdr "$mac_c" dev veth-s nud permanent
	ip -n "$ns_c" neigh add $srv lladdr "$mac_s" dev veth-c nud permanent
	ip netns exec "$ns_c" sh -c 'echo 0 > /proc/sys/net/ipv4/ip_forward'
	# A process in S: its /proc/PID/net is S's.
	ip netns exec "$ns_s" sleep 100000 &
	hold_s=$!
	echo "# xtcp family $(xtcp_family); server $srv in $ns_s, fake client $cli injected from $ns_c"

	export XTCP_SCEN_INNER=1 ns_c ns_s hold_s work
	ip netns exec "$ns_c" bash "./${0##*/}"
	exit $?
fi

# --- the inner part, in C -------------------------------------------------------------

bg_pids=
srv_pid=
cap_pid=
cap_name=

inner_cleanup() {
	local pid

	for pid in $bg_pids; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
}
trap inner_cleanup EXIT
trap 'exit $ksft_fail' INT TERM

mkfifo "$work/nap" || exit $ksft_fail
exec {nap_fd}<>"$work/nap"

# nap SECONDS: sleep without starting a process.
nap() {
	read -r -t "$1" -u "$nap_fd"
}

in_s() {
	ip netns exec "$ns_s" "$@"
}

now_us() {
	echo "${EPOCHREALTIME/./}"
}

# poll SECONDS COMMAND...: run COMMAND until it succeeds, for SECONDS at most.
poll() {
	local end=$((SECONDS + $1))

	shift
	until "$@"; do
		[ $SECONDS -ge $end ] && return 1
		nap 0.05
	done
	return 0
}

# count_lines FILE REGEX: sets n_lines to the number of lines matching the ERE.
count_lines() {
	local line

	n_lines=0
	[ -r "$1" ] || return
	while IFS= read -r line; do
		[[ $line =~ $2 ]] && n_lines=$((n_lines + 1))
	done <"$1"
}

# has_line FILE REGEX [N]: at least N (default 1) lines of FILE match the ERE.
has_line() {
	count_lines "$1" "$2"
	[ "$n_lines" -ge "${3:-1}" ]
}

# has_line_exactly FILE REGEX N: exactly N lines of FILE match.
has_line_exactly() {
	count_lines "$1" "$2"
	[ "$n_lines" = "$3" ]
}

# wait_for FILE REGEX SECONDS [N]: poll until (N) lines of FILE match.
wait_for() {
	poll "$3" has_line "$1" "$2" "${4:-1}"
}

# lines_of FILE REGEX: print the matching lines.
lines_of() {
	local line

	while IFS= read -r line; do
		[[ $line =~ $2 ]] && echo "$line"
	done <"$1"
}

# --- segments ------------------------------------------------------------------------

# seg CPORT SPORT FLAGS [OPTIONS]: inject one segment from the fake client.
seg() {
	local cp=$1 sp=$2 flags=$3

	shift 3
	./xtcp_pkt send --src $cli:"$cp" --dst $srv:"$sp" --flags "$flags" "$@"
}

# ask MS CPORT SPORT FLAGS [OPTIONS]: inject one segment and print the first answer
# that comes within MS milliseconds (nothing if none).
ask() {
	local ms=$1 cp=$2 sp=$3 flags=$4

	shift 4
	./xtcp_pkt expect --if veth-c --src $cli:"$cp" --dst $srv:"$sp" --flags "$flags" \
		--timeout "$ms" "$@" 2>/dev/null
}

# parse LINE: the fields of a capture line into p_t, p_flags, p_seq, p_ack, p_len,
# p_win and p_opts.
parse() {
	local w

	p_t='' p_flags='' p_seq='' p_ack='' p_len='' p_win='' p_opts=''
	for w in $1; do
		case $w in
		t=*) p_t=${w#t=} ;;
		flags=*) p_flags=${w#flags=} ;;
		seq=*) p_seq=${w#seq=} ;;
		ack=*) p_ack=${w#ack=} ;;
		len=*) p_len=${w#len=} ;;
		win=*) p_win=${w#win=} ;;
		opts=*) p_opts=${w#opts=} ;;
		esac
	done
}

# opt_ts OPTS: sets o_tsval and o_tsecr from a parsed opts= field (empty if none).
opt_ts() {
	local o

	o_tsval='' o_tsecr=''
	for o in ${1//,/ }; do
		if [[ $o == ts:* ]]; then
			o=${o#ts:}
			o_tsval=${o%%:*}
			o_tsecr=${o#*:}
		fi
	done
}

# opt_ws OPTS: sets o_ws to the window scale of a parsed opts= field (empty if none).
opt_ws() {
	local o

	o_ws=''
	for o in ${1//,/ }; do
		[[ $o == ws:* ]] && o_ws=${o#ws:}
	done
}

is_seg() {
	parse "$1"
	[ -n "$1" ] && [ "$p_flags" = "$2" ] && [ "$p_seq" = "$3" ] && [ "$p_ack" = "$4" ]
}

# check_seg WHAT LINE FLAGS SEQ ACK: the segment is exactly that.
check_seg() {
	check "$1" is_seg "$2" "$3" "$4" "$5"
	is_seg "$2" "$3" "$4" "$5" || echo "#   expected flags=$3 seq=$4 ack=$5, got: ${2:-nothing}"
}

# check_none WHAT LINE: nothing came back.
check_none() {
	check "$1" [ -z "$2" ]
	[ -z "$2" ] || echo "#   expected no answer, got: $2"
}

# --- counters and sockets ------------------------------------------------------------

declare -A cur snapv startv

read_counters() {
	local name value

	cur=()
	while read -r name value; do
		cur[$name]=$value
	done <"/proc/$hold_s/net/xtcp_counters"
}

# snap [ARRAY]: remember the counters (default: the scenario's snapshot, snapv).
snap() {
	local -n to=${1:-snapv}
	local k

	read_counters
	to=()
	for k in "${!cur[@]}"; do
		# shellcheck disable=SC2034 # a nameref
		to["$k"]=${cur["$k"]}
	done
}

# moved WHAT NAME=N...: each counter moved by exactly N since snap.
moved() {
	moved_since snapv "$@"
}

moved_since() {
	local -n from=$1
	local what=$2 kv name want got

	shift 2
	read_counters
	for kv; do
		name=${kv%=*}
		want=${kv#*=}
		got=$((cur["$name"] - from["$name"]))
		check "$what: $name moved by $want" [ "$got" = "$want" ]
		[ "$got" = "$want" ] || echo "#   $name moved by $got"
	done
}

tw_expired() {
	read_counters
	[ $((cur[TimeWaitExpired] - snapv[TimeWaitExpired])) -ge 1 ]
}

# snmp FILE PROTO FIELD: sets snmp_v to a field of a /proc/net/snmp file.
snmp() {
	local -a names values
	local i

	snmp_v=
	while read -ra values; do
		[ "${values[0]}" = "$2:" ] || continue
		if [ ${#names[@]} = 0 ]; then
			names=("${values[@]}")
			continue
		fi
		for i in "${!names[@]}"; do
			[ "${names[$i]}" = "$3" ] && snmp_v=${values[$i]}
		done
	done <"$1"
}

xsysctl() {
	in_s sh -c "echo $2 > /proc/sys/net/xtcp/$1"
}

# xstate SPORT CPORT: sets x_st to the state (hex) of the 4-tuple's XTCP socket in
# S, empty if there is none. A socket never stays in TIME_WAIT (06): such a line
# is a TIME_WAIT entry (which /proc/net/xtcp may list), not a socket.
xstate() {
	local l r la ra st rest

	printf -v l '%s:%04X' "$srv_hex" "$1"
	printf -v r '%s:%04X' "$cli_hex" "$2"
	x_st=
	while read -r _ la ra st rest; do
		if [ "$la" = "$l" ] && [ "$ra" = "$r" ] && [ "$st" != 06 ]; then
			x_st=$st
			return
		fi
	done <"/proc/$hold_s/net/xtcp"
}

# tw_entry_line SPORT CPORT: sets tw_l to the 4-tuple's TIME_WAIT line, if listed.
tw_entry_line() {
	local l r line

	printf -v l '%s:%04X %s:%04X 06 ' "$srv_hex" "$1" "$cli_hex" "$2"
	tw_l=
	while IFS= read -r line; do
		[[ $line == *"$l"* ]] && tw_l=${line%"${line##*[! ]}"} && return
	done <"/proc/$hold_s/net/xtcp"
}

has_state() {
	xstate "$1" "$2"
	[ "$x_st" = "$3" ]
}

# gone SPORT CPORT: the socket of the 4-tuple is freed (a socket leaves
# /proc/net/xtcp a grace period after its last reference); shows it if not.
gone() {
	poll 10 has_state "$1" "$2" "" && return 0
	show_sockets
	return 1
}

# show_sockets: S's /proc/net/xtcp as comments.
show_sockets() {
	local line

	while IFS= read -r line; do
		echo "#   /proc/net/xtcp: $line"
	done <"/proc/$hold_s/net/xtcp"
}

# wait_for_state SPORT CPORT STATE: the socket reaches STATE (hex).
wait_for_state() {
	poll 10 has_state "$1" "$2" "$3"
}

# no_sockets [all]: no XTCP socket in S; with "all", no TIME_WAIT entry listed either.
no_sockets() {
	local n=0 st

	while read -r _ _ _ st _; do
		[ "$st" = st ] && continue
		[ "$st" = 06 ] && [ "${1:-}" != all ] && continue
		n=$((n + 1))
	done <"/proc/$hold_s/net/xtcp"
	[ "$n" = 0 ]
}

# all_gone [all]: no_sockets within 10 s; shows what is left if not.
all_gone() {
	poll 10 no_sockets "${1:-}" && return 0
	show_sockets
	return 1
}

# --- the application and the capture -------------------------------------------------

# srv_start NAME ARGS...: an XTCP server in S (output in $work/srv.NAME); waits for
# "listening". Sets srv_pid.
srv_start() {
	local name=$1 line

	shift
	# Emptied here, not by the background job's redirection: a file of the same
	# name from before must not be read as this server's.
	: >"$work/srv.$name"
	# Not through a function: $! must be the server itself (ip execs it).
	ip netns exec "$ns_s" ./xtcp_peer server --family xtcp --addr $srv "$@" \
		>>"$work/srv.$name" 2>&1 &
	srv_pid=$!
	bg_pids="$bg_pids $srv_pid"
	if ! wait_for "$work/srv.$name" '^(listening|.*-error .*)$' 30 ||
	   ! has_line "$work/srv.$name" '^listening$'; then
		while read -r line; do
			echo "#   server: $line"
		done <"$work/srv.$name"
		return 1
	fi
}

# srv_stop: end the server (SIGTERM: its sockets are closed as by exit).
srv_stop() {
	kill "$srv_pid" 2>/dev/null
	wait "$srv_pid" 2>/dev/null
	bg_pids=${bg_pids/ $srv_pid/}
}

srv_gone() {
	! kill -0 "$srv_pid" 2>/dev/null
}

# srv_wait_exit: the server ends by itself (within 10 s).
srv_wait_exit() {
	poll 10 srv_gone || return 1
	wait "$srv_pid"
	bg_pids=${bg_pids/ $srv_pid/}
}

# cap_states: with XTCP_TIMELINE_STATES=1 (the demo) and $XTCP_TIMELINE the path of
# tools/xtcp-timeline, the timelines also show both ends' states, from XTCP's
# tracepoints (tools/guest/timeline.sh; nothing where tracefs has no xtcp events).
cap_states() {
	local sh=${XTCP_TIMELINE%/*}/guest/timeline.sh

	[ "${XTCP_TIMELINE_STATES:-}" = 1 ] && [ -n "${XTCP_TIMELINE:-}" ] || return 1
	if [ -z "${cap_tl:-}" ]; then
		cap_tl=no
		# shellcheck disable=SC1090 # the demo's helper, found through XTCP_TIMELINE
		[ -r "$sh" ] && . "$sh" && timeline_tracefs && cap_tl=yes
	fi
	[ "$cap_tl" = yes ]
}

# cap_start NAME PORT: capture the port's segments on C's veth (waits for "ready").
cap_start() {
	cap_name=$1
	cap_port=$2
	cap_states && timeline_start
	: >"$work/cap.$1"
	: >"$work/cap.$1.err"
	./xtcp_pkt capture --if veth-c --port "$2" --csum --ecn >>"$work/cap.$1" 2>>"$work/cap.$1.err" &
	cap_pid=$!
	bg_pids="$bg_pids $cap_pid"
	wait_for "$work/cap.$1.err" '^ready$' 30
}

# cap_stop: end the capture and print it as the scenario's timeline.
cap_stop() {
	kill "$cap_pid" 2>/dev/null
	wait "$cap_pid" 2>/dev/null
	bg_pids=${bg_pids/ $cap_pid/}
	if cap_states; then
		cap_stop_states
		return
	fi
	echo "# timeline ($cap_name): C = the fake client $cli, S = the XTCP server $srv"
	# At most 200 lines: the first and last 100 of a flood (ofo, ofows), whose
	# thousands of lines only slow the run down on an emulated console.
	awk -v c="$cli" -v n="$(wc -l <"$work/cap.$cap_name")" '
	NR > 100 && NR <= n - 100 { if (NR == 101) printf "#   ... %d lines ...\n", n - 200; next }
	{
		t = $1; sub(/^t=/, "", t)
		split(substr($2, 5), s, ":"); split(substr($3, 5), d, ":")
		dir = s[1] == c ? "C:" s[2] " > S:" d[2] : "S:" s[2] " > C:" d[2]
		printf "#   %10s  %-23s %-9s %-15s %-15s %s %s %s\n", t, dir, $4, $5, $6, $8, $7, $9
	}' "$work/cap.$cap_name"
}

# cap_stop_states: the timeline from the tracepoints, the capture filling in what no
# tracepoint saw (segments from the kernel's TCP; "wire only").
cap_stop_states() {
	local line

	echo "# timeline ($cap_name): C = the fake client $cli, S = the XTCP server $srv;"
	echo "#   seq/ack relative to each side's ISN; states: sender's when sending,"
	echo "#   receiver's before -> after taking the segment (- = not XTCP, not traced)"
	timeline_stop --label "$cli=C" --label "$srv=S" --port "$cap_port" \
		--capture "$work/cap.$cap_name" >"$work/tl.$cap_name"
	while IFS= read -r line; do
		echo "#   $line"
	done <"$work/tl.$cap_name"
}

# cap_from_server SPORT CPORT FLAGS: sets cap_line to the first captured segment
# from S with exactly these flags.
cap_from_server() {
	local line

	cap_line=
	while IFS= read -r line; do
		if [[ $line == *" src=$srv:$1 dst=$cli:$2 flags=$3 "* ]]; then
			cap_line=$line
			return
		fi
	done <"$work/cap.$cap_name"
}

# handshake WHAT CPORT SPORT: SYN (seq 1000), SYN-ACK, ACK; sets isn (the server's).
handshake() {
	local what=$1 cp=$2 sp=$3 sa

	sa=$(ask 5000 "$cp" "$sp" S --seq 1000 --mss 1460)
	parse "$sa"
	isn=$p_seq
	check_seg "$what: SYN seq=1000 -> SYN-ACK ack=1001" "$sa" SA "${isn:-none}" 1001
	[ -n "$isn" ] || return 1
	seg "$cp" "$sp" A --seq 1001 --ack $(((isn + 1) & M))
}

# close_by_client WHAT NAME SPORT CPORT SEQ ACK: the client's FIN (at SEQ, acking
# ACK) is ACKed; the server's app (--then wait-eof) reads EOF and closes, its FIN
# comes (LAST_ACK); the client's ACK of it closes the connection.
close_by_client() {
	local what=$1 name=$2 sp=$3 cp=$4 seq=$5 ack=$6 a

	a=$(ask 5000 "$cp" "$sp" AF --seq "$seq" --ack "$ack")
	check_seg "$what: client FIN seq=$seq -> ACK $((seq + 1)) (CLOSE_WAIT)" "$a" A "$ack" \
		$((seq + 1))
	check "$what: the server's app reads the end of the stream" \
		wait_for "$work/srv.$name" '^eof$' 10
	wait_for "$work/cap.$cap_name" "src=$srv:$sp dst=$cli:$cp flags=AF " 10
	cap_from_server "$sp" "$cp" AF
	check_seg "$what: its close() sends FIN seq=$ack ack=$((seq + 1))" "$cap_line" AF "$ack" \
		$((seq + 1))
	check "$what: the server is in LAST_ACK (09)" has_state "$sp" "$cp" 09
	seg "$cp" "$sp" A --seq $((seq + 1)) --ack $(((ack + 1) & M))
	check "$what: the ACK of its FIN closes it (no socket left, no TIME_WAIT)" gone "$sp" "$cp"
}

# --- the scenarios -------------------------------------------------------------------

# 1: SYN, SYN-ACK (MSS option), ACK; the app accepts; then the client closes.
scenario_1() {
	local sp=30001 cp=40001

	echo "# === scenario 1: three-way handshake with an XTCP listener"
	srv_start s1 --port $sp --then wait-eof || { check "1: the server listens" false; return; }
	cap_start s1 $sp
	snap
	if handshake 1 $cp $sp; then
		check "1: the SYN-ACK carries an MSS option" \
			has_line "$work/cap.s1" 'flags=SA .*opts=(.*,)?mss:1460'
		check "1: ACK ack=ISN+1 -> the app accepts $cli:$cp" \
			wait_for "$work/srv.s1" "^accepted $cli:$cp\$" 10
		check "1: the connection is ESTABLISHED (01) in /proc/net/xtcp" has_state $sp $cp 01
		moved 1 PassiveOpens=1 CurrEstab=1 InNoSocket=0 OutRsts=0
		close_by_client 1 s1 $sp $cp 1001 $(((isn + 1) & M))
		moved "1 (after the close)" CurrEstab=0 EstabResets=0 TimeWaitEntered=0
	fi
	srv_wait_exit || srv_stop
	cap_stop
	# From 10.0.2.3 came only what we sent: SYN, ACK, FIN, ACK.
	count_lines "$work/cap.s1" "src=$cli:"
	check "1: the only segments from $cli are the 4 injected ones (got $n_lines)" \
		[ "$n_lines" = 4 ]
}

# 6: the third ACK carries data; SYN and SYN-ACK carry none.
scenario_6() {
	local sp=30002 cp=40002 a

	echo "# === scenario 6: data on the third ACK"
	srv_start s6 --port $sp --read 5 --then wait-eof ||
		{ check "6: the server listens" false; return; }
	cap_start s6 $sp
	snap
	a=$(ask 5000 $cp $sp S --seq 1000 --mss 1460)
	parse "$a"
	isn=$p_seq
	check_seg "6: SYN -> SYN-ACK" "$a" SA "${isn:-none}" 1001
	check "6: the SYN-ACK has no data" [ "$p_len" = 0 ]
	if [ -n "$isn" ]; then
		a=$(ask 5000 $cp $sp AP --seq 1001 --ack $(((isn + 1) & M)) --data hello)
		check_seg "6: ACK with \"hello\" -> ACK 1006" "$a" A $(((isn + 1) & M)) 1006
		check "6: the app accepts and reads \"hello\"" wait_for "$work/srv.s6" '^read hello$' 10
		moved 6 PassiveOpens=1 CurrEstab=1 OutRsts=0
		close_by_client 6 s6 $sp $cp 1006 $(((isn + 1) & M))
	fi
	srv_wait_exit || srv_stop
	cap_stop
}

# 7: ISNs differ between 4-tuples, and move with the clock for one 4-tuple.
scenario_7() {
	local sp=30003 a i1 i2 i3 t0 t1 d ok

	echo "# === scenario 7: initial sequence numbers"
	srv_start s7 --port $sp --no-accept || { check "7: the server listens" false; return; }
	cap_start s7 $sp
	snap
	t0=$(now_us)
	a=$(ask 5000 40031 $sp S --seq 1000)
	parse "$a"
	i1=$p_seq
	a=$(ask 5000 40032 $sp S --seq 1000)
	parse "$a"
	i2=$p_seq
	ok=0
	[ -n "$i1" ] && [ -n "$i2" ] && [ "$i1" != "$i2" ] && ok=1
	check "7: two source ports get different ISNs ($i1, $i2)" [ $ok = 1 ]
	# Forget both requests (RST at irs+1), then the first 4-tuple's SYN again.
	seg 40031 $sp R --seq 1001
	seg 40032 $sp R --seq 1001
	a=$(ask 5000 40031 $sp S --seq 1000)
	t1=$(now_us)
	parse "$a"
	i3=$p_seq
	ok=0
	[ -n "$i1" ] && [ -n "$i3" ] && [ "$i3" != "$i1" ] && ok=1
	check "7: the same 4-tuple later gets another ISN ($i1, then $i3)" [ $ok = 1 ]
	if [ $ok = 1 ]; then
		# ISN = hash(4-tuple) + ns / 4096: the difference is the time between the
		# two SYNs, which lies within the time measured around them.
		d=$(((i3 - i1) & M))
		echo "#   the ISN moved by $d ticks of 4.096 us = $((d * 4096 / 1000)) us; $((t1 - t0)) us measured around"
		ok=0
		[ $((d * 4096)) -ge 1000000 ] && [ $((d * 4096)) -le $(((t1 - t0) * 1000)) ] && ok=1
		check "7: the ISN moved forward by the time elapsed (1 ms .. measured)" [ $ok = 1 ]
	fi
	seg 40031 $sp R --seq 1001
	moved 7 PassiveOpens=0 OutRsts=0
	srv_stop
	cap_stop
}

# 2 and 4: an old duplicate SYN; the client's RST (at the SYN-ACK's ACK) makes the
# server forget the request.
# nothing_after_rst SPORT CPORT: the capture has the client's RST seq=1001 and no
# segment from S after it.
nothing_after_rst() {
	local line t_rst='' n=0

	while IFS= read -r line; do
		parse "$line"
		if [[ $line == *" src=$cli:$2 dst=$srv:$1 flags=R seq=1001 "* ]]; then
			t_rst=$p_t
		elif [ -n "$t_rst" ] && [[ $line == *" src=$srv:$1 dst=$cli:$2 "* ]]; then
			n=$((n + 1))
			echo "#   after the RST: $line"
		fi
	done <"$work/cap.$cap_name"
	[ -n "$t_rst" ] && [ $n = 0 ]
}

scenario_2_4() {
	local sp=30004 cp=40041 a isn

	echo "# === scenarios 2 and 4: an old duplicate SYN, reset by the client"
	srv_start s2 --port $sp || { check "2: the server listens" false; return; }
	cap_start s2 $sp
	snap
	a=$(ask 5000 $cp $sp S --seq 1000 --mss 1460)
	parse "$a"
	isn=$p_seq
	check_seg "2: old SYN seq=1000 -> SYN-ACK ack=1001 (SYN_RECV)" "$a" SA "${isn:-none}" 1001
	if [ -n "$isn" ]; then
		# A RST off the request's sequence number is not the client's (RFC 5961 3.2).
		seg $cp $sp R --seq 5000
		a=$(ask 5000 $cp $sp S --seq 1000 --mss 1460)
		check_seg "2: a RST at seq 5000 is ignored: the SYN again gets the same SYN-ACK" \
			"$a" SA "$isn" 1001
		# The request's timer may retransmit its SYN-ACK before the RST arrives
		# (the guest is slow); none may follow it.
		seg $cp $sp R --seq 1001
		nap 2.5
		check "2: the client's RST seq=1001 gets no answer, and no SYN-ACK follows it" \
			nothing_after_rst $sp $cp
		a=$(ask 5000 $cp $sp A --seq 1001 --ack $(((isn + 1) & M)))
		check_seg "2: the request is gone: an ACK of the SYN-ACK gets RST seq=ISN+1" \
			"$a" R $(((isn + 1) & M)) 0
		check "2: nothing was accepted" not has_line "$work/srv.s2" '^accepted'
		moved 2 PassiveOpens=0 CurrEstab=0 OutRsts=1 InNoSocket=0
	fi
	srv_stop
	cap_stop
}

# 5: the third ACK is lost: synack_retries SYN-ACK retransmissions with exponential
# backoff, then the request is dropped and a late ACK gets RST.
scenario_5() {
	local sp=30005 cp=40051 old isn gaps a line n=0 t1='' t2='' t3='' same=1

	echo "# === scenario 5: the third ACK is lost (synack_retries=2)"
	old=$(in_s cat /proc/sys/net/xtcp/synack_retries)
	xsysctl synack_retries 2
	srv_start s5 --port $sp || { check "5: the server listens" false; return; }
	cap_start s5 $sp
	snap
	seg $cp $sp S --seq 1000 --mss 1460
	check "5: the request is listed in /proc/net/xtcp (SYN_RECV, 03)" \
		poll 5 has_state $sp $cp 03
	req_line $sp $cp
	check "5: with its retransmission timer (tr 01)" [ "$req_tr" = 01 ]
	check "5: the SYN-ACK comes 3 times" \
		wait_for "$work/cap.s5" "src=$srv:$sp .* flags=SA " 20 3
	# The request is dropped 4 s after the last retransmission: wait for that.
	sleep 6
	while IFS= read -r line; do
		parse "$line"
		n=$((n + 1))
		[ $n = 1 ] && isn=$p_seq
		[ "$p_seq" = "$isn" ] && [ "$p_ack" = 1001 ] || same=0
		case $n in
		1) t1=$p_t ;;
		2) t2=$p_t ;;
		3) t3=$p_t ;;
		esac
	done < <(lines_of "$work/cap.s5" "src=$srv:$sp .* flags=SA ")
	check "5: exactly 3 SYN-ACKs (1 + synack_retries)" [ $n = 3 ]
	check "5: all with the same seq and ack=1001" [ $same = 1 ]
	gaps=$(awk -v a="$t1" -v b="$t2" -v c="$t3" 'BEGIN { printf "%.3f %.3f", b - a, c - b }')
	echo "#   gaps between the SYN-ACKs: $gaps s (expected 1 and 2)"
	check "5: first gap about 1 s (0.5 .. 3 s)" \
		awk -v g="${gaps% *}" 'BEGIN { exit !(g >= 0.5 && g <= 3) }'
	check "5: second gap backed off (at least 1.3 x the first)" \
		awk -v g1="${gaps% *}" -v g2="${gaps#* }" 'BEGIN { exit !(g2 >= 1.3 * g1) }'
	moved 5 SynAckRetrans=2 RetransSegs=2 PassiveOpens=0
	if [ -n "$isn" ]; then
		a=$(ask 5000 $cp $sp A --seq 1001 --ack $(((isn + 1) & M)))
		check_seg "5: the request is dropped: the late ACK gets RST seq=ISN+1" \
			"$a" R $(((isn + 1) & M)) 0
	fi
	check "5: the request is no longer listed" has_state $sp $cp ""
	check "5: nothing was accepted" not has_line "$work/srv.s5" '^accepted'
	moved 5 OutRsts=1 InNoSocket=0
	srv_stop
	cap_stop
	xsysctl synack_retries "$old"
}

# 9: the accept queue (backlog 0: one connection) is full: the final ACK of another
# handshake and new SYNs are dropped and counted. A SYN queue of min(backlog,
# max_syn_backlog) = 0 is always full, so with syncookies=1 (the default) both
# SYN-ACKs are cookies, as on Linux; scenario_9q has a SYN queue.
scenario_9() {
	local sp=30009 a isn_a isn_b exp_pid ok

	echo "# === scenario 9: a full accept queue (backlog 0, the app never accepts)"
	srv_start s9 --port $sp --backlog 0 --no-accept ||
		{ check "9: the server listens" false; return; }
	cap_start s9 $sp
	snap
	a=$(ask 5000 40091 $sp S --seq 1000)
	parse "$a"
	isn_a=$p_seq
	check_seg "9: client A: SYN -> SYN-ACK" "$a" SA "${isn_a:-none}" 1001
	a=$(ask 5000 40092 $sp S --seq 1000)
	parse "$a"
	isn_b=$p_seq
	check_seg "9: client B: SYN -> SYN-ACK (the accept queue is still empty)" \
		"$a" SA "${isn_b:-none}" 1001
	if [ -z "$isn_a" ] || [ -z "$isn_b" ]; then
		srv_stop
		cap_stop
		return
	fi
	seg 40091 $sp A --seq 1001 --ack $(((isn_a + 1) & M))
	check "9: A's ACK completes its connection into the accept queue (ESTABLISHED)" \
		wait_for_state $sp 40091 01
	moved 9 PassiveOpens=1 ListenOverflows=0 ListenDrops=0 SyncookiesSent=2 \
		SyncookiesRecv=1
	# B's ACK is dropped: no answer. (A request's SYN-ACK would be retransmitted
	# later; a cookie's never is.)
	a=$(ask 2000 40092 $sp A --seq 1001 --ack $(((isn_b + 1) & M)))
	ok=0
	{ [ -z "$a" ] || is_seg "$a" SA "$isn_b" 1001; } && ok=1
	check "9: B's ACK finds the queue full: dropped (no RST, no ACK)" [ $ok = 1 ]
	[ $ok = 1 ] || echo "#   got: $a"
	moved 9 ListenOverflows=1 ListenDrops=1 PassiveOpens=1 SyncookiesRecv=1
	check "9: B has no socket" has_state $sp 40092 ""
	a=$(ask 1500 40093 $sp S --seq 1000)
	check_none "9: client C's SYN is dropped (no SYN-ACK)" "$a"
	moved 9 ListenOverflows=2 ListenDrops=2 PassiveOpens=1 OutRsts=0
	# Closing the listener resets the connection nobody accepted.
	./xtcp_pkt expect --if veth-c --src $cli:40091 --dst $srv:$sp --no-send \
		--timeout 10000 >"$work/exp.s9" 2>"$work/exp.s9.err" &
	exp_pid=$!
	bg_pids="$bg_pids $exp_pid"
	wait_for "$work/exp.s9.err" '^ready$' 30
	srv_stop
	wait "$exp_pid"
	bg_pids=${bg_pids/ $exp_pid/}
	read -r a <"$work/exp.s9"
	check_seg "9: closing the listener resets A's unaccepted connection" \
		"$a" AR $(((isn_a + 1) & M)) 1001
	check "9: A's socket is gone" gone $sp 40091
	moved 9 CurrEstab=0 OutRsts=1
	cap_stop
}

# req_line SPORT CPORT: sets req_tr to the timer field (tr) of the 4-tuple's request
# line (st 03) in /proc/net/xtcp, empty if there is none.
req_line() {
	local l r la ra st tr rest

	printf -v l '%s:%04X' "$srv_hex" "$1"
	printf -v r '%s:%04X' "$cli_hex" "$2"
	req_tr=
	while read -r _ la ra st _ tr rest; do
		if [ "$la" = "$l" ] && [ "$ra" = "$r" ] && [ "$st" = 03 ]; then
			req_tr=${tr%%:*}
			return
		fi
	done <"/proc/$hold_s/net/xtcp"
}

# no_requests SPORT: no request (st 03) of the port is listed.
no_requests() {
	local l la st n=0

	printf -v l '%s:%04X' "$srv_hex" "$1"
	while read -r _ la _ st _; do
		[ "$la" = "$l" ] && [ "$st" = 03 ] && n=$((n + 1))
	done <"/proc/$hold_s/net/xtcp"
	[ "$n" = 0 ]
}

# 9q: the SYN queue's limit, min(backlog, max_syn_backlog). With syncookies=0 the
# SYNs beyond it are dropped (SynQueueDrops, ListenDrops); with 1 they get cookies.
scenario_9q() {
	local sp=30021 old_c old_b a i isn_1 isn_2 cookie

	echo "# === scenario 9 (SYN queue): max_syn_backlog=2, syncookies 0 then 1"
	old_c=$(in_s cat /proc/sys/net/xtcp/syncookies)
	old_b=$(in_s cat /proc/sys/net/xtcp/max_syn_backlog)
	xsysctl syncookies 0
	xsysctl max_syn_backlog 2
	srv_start s9q --port $sp --backlog 16 --then wait-eof ||
		{ check "9q: the server listens" false; return; }
	cap_start s9q $sp
	snap
	a=$(ask 5000 40211 $sp S --seq 1000)
	parse "$a"
	isn_1=$p_seq
	check_seg "9q: SYN 1 -> SYN-ACK" "$a" SA "${isn_1:-none}" 1001
	a=$(ask 5000 40212 $sp S --seq 2000)
	parse "$a"
	isn_2=$p_seq
	check_seg "9q: SYN 2 -> SYN-ACK" "$a" SA "${isn_2:-none}" 2001
	for i in 40211 40212; do
		req_line $sp $i
		check "9q: request $i listed (st 03, tr 01)" [ "$req_tr" = 01 ]
	done
	a=$(ask 1500 40213 $sp S --seq 3000)
	check_none "9q: SYN 3 finds the SYN queue full: dropped (syncookies=0)" "$a"
	check "9q: no request for it" has_state $sp 40213 ""
	moved 9q SynQueueDrops=1 ListenDrops=1 ListenOverflows=0 SyncookiesSent=0
	xsysctl syncookies 1
	a=$(ask 5000 40214 $sp S --seq 4000)
	parse "$a"
	cookie=$p_seq
	check_seg "9q: with syncookies=1, SYN 4 gets a SYN-ACK: a cookie" "$a" SA \
		"${cookie:-none}" 4001
	check "9q: and no request" has_state $sp 40214 ""
	moved 9q SynQueueDrops=1 ListenDrops=1 SyncookiesSent=1
	if [ -n "$cookie" ]; then
		seg 40214 $sp A --seq 4001 --ack $(((cookie + 1) & M))
		check "9q: its ACK makes the connection: the app accepts it" \
			wait_for "$work/srv.s9q" "^accepted $cli:40214\$" 10
		check "9q: ESTABLISHED" has_state $sp 40214 01
		moved 9q SyncookiesRecv=1 PassiveOpens=1
		close_by_client 9q s9q $sp 40214 4001 $(((cookie + 1) & M))
	fi
	# The two requests end with the clients' RSTs.
	[ -n "$isn_1" ] && seg 40211 $sp R --seq 1001
	[ -n "$isn_2" ] && seg 40212 $sp R --seq 2001
	check "9q: the clients' RSTs end the requests" poll 5 no_requests $sp
	moved 9q PassiveOpens=1 OutRsts=0
	srv_stop
	cap_stop
	xsysctl syncookies "$old_c"
	xsysctl max_syn_backlog "$old_b"
}

# 8: SYN cookies on the wire (syncookies=2: every SYN). No request is kept and no
# SYN-ACK retransmitted; an ACK whose seq or ack differs in one bit gets RST; the
# third ACK lost, the client's first data segment (ack = cookie + 1) makes the
# connection and its data is delivered.
scenario_8() {
	local sp=30022 cp=40221 old a cookie n

	echo "# === scenario 8: SYN cookies (syncookies=2)"
	old=$(in_s cat /proc/sys/net/xtcp/syncookies)
	xsysctl syncookies 2
	srv_start s8 --port $sp --read 5 --then wait-eof ||
		{ check "8: the server listens" false; return; }
	cap_start s8 $sp
	snap
	a=$(ask 5000 $cp $sp S --seq 1000 --mss 1400)
	parse "$a"
	cookie=$p_seq
	check_seg "8: SYN -> SYN-ACK (its seq is the cookie)" "$a" SA "${cookie:-none}" 1001
	check "8: no request is kept" no_requests $sp
	moved 8 SyncookiesSent=1 SynAckRetrans=0
	if [ -z "$cookie" ]; then
		srv_stop
		cap_stop
		xsysctl syncookies "$old"
		return
	fi
	a=$(ask 3000 $cp $sp A --seq 1001 --ack $((((cookie + 1) ^ 0x100) & M)))
	check_seg "8: an ACK with one bit of ack changed -> RST (seq = its ack)" "$a" R \
		$((((cookie + 1) ^ 0x100) & M)) 0
	a=$(ask 3000 $cp $sp A --seq 1003 --ack $(((cookie + 1) & M)))
	check_seg "8: an ACK with one bit of seq changed -> RST" "$a" R $(((cookie + 1) & M)) 0
	moved 8 SyncookiesFailed=2 SyncookiesRecv=0 OutRsts=2 PassiveOpens=0
	count_lines "$work/cap.s8" "src=$srv:$sp .* flags=SA "
	check "8: no SYN-ACK was retransmitted (2.5 s after it)" [ "$n_lines" = 1 ]
	a=$(ask 5000 $cp $sp AP --seq 1001 --ack $(((cookie + 1) & M)) --data hello)
	check_seg "8: the third ACK lost: data with ack=cookie+1 -> ACK 1006" "$a" A \
		$(((cookie + 1) & M)) 1006
	check "8: the app accepts and reads \"hello\"" wait_for "$work/srv.s8" '^read hello$' 10
	check "8: the connection is ESTABLISHED" has_state $sp $cp 01
	moved 8 SyncookiesRecv=1 SyncookiesFailed=2 PassiveOpens=1 CurrEstab=1
	close_by_client 8 s8 $sp $cp 1006 $(((cookie + 1) & M))
	srv_wait_exit || srv_stop
	cap_stop
	xsysctl syncookies "$old"
}

# --- RFC 7323 -------------------------------------------------------------------------

# has_opts WS TSECR: the parsed segment's window scale is WS and its TSecr is
# TSECR ("" for an option that must be absent).
has_opts() {
	opt_ws "$p_opts"
	opt_ts "$p_opts"
	[ "$o_ws" = "$1" ] && [ "$o_tsecr" = "$2" ]
}

# syn_offer WHAT CPORT SPORT WS TSECR SYN-OPTIONS...: a SYN with these options gets a
# SYN-ACK offering exactly WS and echoing TSECR, its window not scaled; the
# request is then reset away.
syn_offer() {
	local what=$1 cp=$2 sp=$3 ws=$4 tsecr=$5 a

	shift 5
	a=$(ask 5000 "$cp" "$sp" S --seq 1000 --mss 1460 "$@")
	parse "$a"
	check "7323: $what -> SYN-ACK opts ws=${ws:-none} tsecr=${tsecr:-none}" \
		has_opts "$ws" "$tsecr"
	has_opts "$ws" "$tsecr" || echo "#   got: ${a:-nothing}"
	check "7323: $what: the SYN-ACK's window is not scaled (${p_win:-none} <= 65535)" \
		[ "${p_win:-70000}" -le 65535 ]
	[ -n "$a" ] && seg "$cp" "$sp" R --seq 1001
}

# cookie_ts_bits TSVAL BITS: the low 5 bits of a cookie's TSval are BITS.
cookie_ts_bits() {
	[ -n "$1" ] && [ $(($1 & 0x1f)) = "$2" ]
}

# A window field scaled by 2^7 that offers about 64 KiB (the default buffer's half).
scaled7() {
	[ -n "$p_win" ] && [ "$p_win" -lt 1024 ] && [ $((p_win << 7)) -ge 60000 ]
}

# 7323: window scaling and timestamps with a fake client. The SYN-ACK answers what
# the SYN offered, in every combination; windows are scaled both ways; timestamps
# are echoed; an old one is refused (PAWS) and ACKed, a segment without them is
# dropped, a RST without them still resets; a SYN cookie keeps the options in its
# timestamp; the XTCP client offers them as the sysctls say.
scenario_7323() {
	local sp=30040 cp=40400 a v isn data ack cookie old_c old_rl line

	echo "# === RFC 7323: window scaling and timestamps"
	srv_start s7323 --port $sp --no-accept || { check "7323: the server listens" false; return; }
	cap_start s7323 $sp
	syn_offer "a SYN without options" 40401 $sp "" ""
	syn_offer "window scale only" 40402 $sp 7 "" --ws 7
	syn_offer "timestamps only" 40403 $sp "" 100 --ts 100:0
	syn_offer "both" 40404 $sp 7 100 --ts 100:0 --ws 2
	# RFC 7323 2.3: a shift above 14 is taken as 14, still window scaling.
	syn_offer "window scale 15" 40405 $sp 7 100 --ts 100:0 --ws 15
	xsysctl window_scaling 0
	syn_offer "both, window_scaling=0" 40406 $sp "" 100 --ts 100:0 --ws 7
	xsysctl window_scaling 1
	xsysctl timestamps 0
	syn_offer "both, timestamps=0" 40407 $sp 7 "" --ts 100:0 --ws 7
	xsysctl timestamps 1
	srv_stop
	cap_stop

	# A connection with both: the peer's window is scaled (one unit of 2^14 lets
	# 100 bytes go), ours too, and timestamps are echoed and checked.
	sp=30041
	cp=40410
	data=$(printf 'x%.0s' {1..100})
	srv_start s7323b --port $sp --send "$data" --then send-eof ||
		{ check "7323: the server listens" false; return; }
	cap_start s7323b $sp
	snap
	a=$(ask 5000 $cp $sp S --seq 1000 --mss 1460 --ts 100:0 --ws 14)
	parse "$a"
	isn=$p_seq
	opt_ts "$p_opts"
	v=$o_tsval
	check_seg "7323: SYN (ws 14, ts 100) -> SYN-ACK" "$a" SA "${isn:-none}" 1001
	if [ -z "$isn" ] || [ -z "$v" ]; then
		srv_stop
		cap_stop
		return
	fi
	ack=$(((isn + 1) & M))
	seg $cp $sp A --seq 1001 --ack $ack --ts "101:$v" --win 1
	check "7323: a window field of 1 << 14 lets the 100 bytes go" \
		wait_for "$work/cap.s7323b" "src=$srv:$sp dst=$cli:$cp flags=AP .* len=100 " 10
	cap_from_server $sp $cp AP
	parse "$cap_line"
	opt_ts "$p_opts"
	check "7323: the data echoes the ACK's TSval 101 (got ${o_tsecr:-none})" [ "$o_tsecr" = 101 ]
	check "7323: its window field is scaled by 2^7 (${p_win:-none})" scaled7
	v=$o_tsval
	ack=$(((ack + 100) & M))
	a=$(ask 5000 $cp $sp AP --seq 1001 --ack $ack --ts "102:$v" --data hello)
	parse "$a"
	check_seg "7323: data with ts 102 -> ACK 1006" "$a" A $ack 1006
	check "7323: the ACK echoes 102" has_opts "" 102
	check "7323: the app reads \"hello\"" wait_for "$work/srv.s7323b" '^read hello$' 10
	old_rl=$(in_s cat /proc/sys/net/xtcp/invalid_ratelimit)
	xsysctl invalid_ratelimit 0
	snap
	a=$(ask 3000 $cp $sp AP --seq 1006 --ack $ack --ts "50:$v" --data old)
	check_seg "7323: data with an older TSval (PAWS) -> ACK 1006, not taken" "$a" A $ack 1006
	moved 7323 PAWSEstab=1
	# A pure ACK overtaken by newer segments (ACKs and data leave from different
	# CPUs): dropped and counted, not answered (Linux's PAWSOldAck).
	snap
	a=$(ask 1500 $cp $sp A --seq 1006 --ack $ack --ts "60:$v")
	check_none "7323: a pure ACK with an older TSval is dropped without a reply" "$a"
	moved 7323 PAWSOldAck=1 PAWSEstab=0
	a=$(ask 1500 $cp $sp AP --seq 1006 --ack $ack --data nots)
	check_none "7323: data without timestamps is dropped silently" "$a"
	moved 7323 TSOptMissing=1
	check "7323: the app read neither" not has_line "$work/srv.s7323b" '^read (old|nots)'
	xsysctl invalid_ratelimit "$old_rl"
	seg $cp $sp R --seq 1006
	check "7323: a RST without timestamps at RCV.NXT still resets" gone $sp $cp
	moved 7323 EstabResets=1
	srv_wait_exit || srv_stop
	cap_stop

	# A SYN cookie keeps the peer's window scale and SACK-permitted in its TSval.
	sp=30042
	cp=40420
	old_c=$(in_s cat /proc/sys/net/xtcp/syncookies)
	xsysctl syncookies 2
	srv_start s7323c --port $sp --send "$data" --then send-eof ||
		{ check "7323: the server listens" false; xsysctl syncookies "$old_c"; return; }
	cap_start s7323c $sp
	snap
	a=$(ask 5000 $cp $sp S --seq 1000 --mss 1460 --ts 500:0 --ws 6 --sackok)
	parse "$a"
	cookie=$p_seq
	opt_ts "$p_opts"
	v=$o_tsval
	check "7323: the cookie's SYN-ACK offers window scale 7 and echoes 500" has_opts 7 500
	check "7323: its TSval's low bits say ws 6 and SACK-permitted (TSval ${v:-none})" \
		cookie_ts_bits "$v" $((16 | 6))
	if [ -z "$cookie" ] || [ -z "$v" ]; then
		srv_stop
		cap_stop
		xsysctl syncookies "$old_c"
		return
	fi
	a=$(ask 3000 $cp $sp A --seq 1001 --ack $(((cookie + 1) & M)) --ts "501:$(((v + 100000) & M))")
	check_seg "7323: a cookie ACK echoing a TSval from the future -> RST" "$a" R \
		$(((cookie + 1) & M)) 0
	moved 7323 SyncookiesFailed=1 PassiveOpens=0
	seg $cp $sp A --seq 1001 --ack $(((cookie + 1) & M)) --ts "501:$v" --win 1
	check "7323: the cookie connection scales the peer's window by 2^6: 64 bytes go" \
		wait_for "$work/cap.s7323c" "src=$srv:$sp dst=$cli:$cp flags=A.? .* len=64 " 10
	line=$(lines_of "$work/cap.s7323c" "src=$srv:$sp dst=$cli:$cp .* len=64 ")
	parse "${line%%$'\n'*}"
	check "7323: and has timestamps (echo 501) and its own scaled window" has_opts "" 501
	check "7323: (window field ${p_win:-none})" scaled7
	moved 7323 SyncookiesRecv=1 PassiveOpens=1
	seg $cp $sp R --seq 1001
	check "7323: the cookie connection is reset" gone $sp $cp
	srv_wait_exit || srv_stop
	cap_stop
	xsysctl syncookies "$old_c"

	# The XTCP client's SYN offers what the sysctls allow.
	sp=30043
	cp=40430
	cap_start s7323d $cp
	cli_start s7323d --addr $cli --port $cp --local $srv:$sp --then close
	wait_for "$work/cap.s7323d" "src=$srv:$sp dst=$cli:$cp flags=S " 10
	cap_from_server $sp $cp S
	parse "$cap_line"
	check "7323: the XTCP client's SYN offers window scale 7 and timestamps (ecr 0)" \
		has_opts 7 0
	srv_stop
	xsysctl window_scaling 0
	xsysctl timestamps 0
	xsysctl sack 0
	sp=30044
	cli_start s7323e --addr $cli --port $cp --local $srv:$sp --then close
	wait_for "$work/cap.s7323d" "src=$srv:$sp dst=$cli:$cp flags=S " 10
	cap_from_server $sp $cp S
	parse "$cap_line"
	check "7323: with these sysctls and sack 0, only the MSS (${p_opts:-none})" \
		[ "$p_opts" = mss:1460 ]
	srv_stop
	xsysctl window_scaling 1
	xsysctl timestamps 1
	xsysctl sack 1
	cap_stop
	all_gone
}

# RFC 5961 on an established connection: SYN and RST with the wrong sequence number
# get a challenge ACK; only a RST exactly at RCV.NXT resets.
scenario_5961() {
	local sp=30010 cp=40101 a ack old_rl

	echo "# === RFC 5961: SYN and RST on an established connection"
	srv_start s5961 --port $sp --then wait-eof ||
		{ check "5961: the server listens" false; return; }
	cap_start s5961 $sp
	if ! handshake 5961 $cp $sp ||
	   ! wait_for "$work/srv.s5961" "^accepted $cli:$cp\$" 10; then
		check "5961: the connection is accepted" false
		srv_stop
		cap_stop
		return
	fi
	ack=$(((isn + 1) & M))
	# Three challenges in a row: no per-connection limit (scenario ratelimit has it).
	old_rl=$(in_s cat /proc/sys/net/xtcp/invalid_ratelimit)
	xsysctl invalid_ratelimit 0
	snap
	a=$(ask 5000 $cp $sp S --seq 1100)
	check_seg "5961: an in-window SYN gets a challenge ACK (ack = RCV.NXT 1001)" \
		"$a" A "$ack" 1001
	moved 5961 ChallengeAcks=1
	snap
	a=$(ask 5000 $cp $sp S --seq 1000)
	check_seg "5961: the old SYN again (below the window) gets an ACK of RCV.NXT" \
		"$a" A "$ack" 1001
	moved 5961 ChallengeAcks=1
	snap
	a=$(ask 5000 $cp $sp R --seq 1100)
	check_seg "5961: an in-window RST off RCV.NXT gets a challenge ACK" "$a" A "$ack" 1001
	moved 5961 ChallengeAcks=1 EstabResets=0
	xsysctl invalid_ratelimit "$old_rl"
	check "5961: the connection survives (ESTABLISHED)" has_state $sp $cp 01
	a=$(ask 5000 $cp $sp AP --seq 1001 --ack "$ack" --data ping)
	check_seg "5961: and still takes data: \"ping\" -> ACK 1005" "$a" A "$ack" 1005
	check "5961: the app reads \"ping\"" wait_for "$work/srv.s5961" '^read ping$' 10
	check "5961: no error reached the app" not has_line "$work/srv.s5961" 'recv-error'
	snap
	a=$(ask 1500 $cp $sp R --seq 1005)
	check_none "5961: a RST at RCV.NXT 1005 gets no answer" "$a"
	check "5961: it resets the connection: the app's recv() fails with ECONNRESET" \
		wait_for "$work/srv.s5961" '^recv-error ECONNRESET$' 10
	check "5961: the socket is gone" gone $sp $cp
	moved 5961 EstabResets=1 CurrEstab=-1 ChallengeAcks=0 OutRsts=0
	srv_wait_exit || srv_stop
	cap_stop
}

# enter_tw WHAT NAME SPORT CPORT: handshake, "hello", the server's app closes first
# (FIN), the client answers FIN+ACK: the server's end goes to TIME_WAIT. Sets isn.
enter_tw() {
	local what=$1 name=$2 sp=$3 cp=$4 a

	handshake "$what" "$cp" "$sp" || return 1
	seg "$cp" "$sp" AP --seq 1001 --ack $(((isn + 1) & M)) --data hello
	check "$what: the app reads \"hello\" and closes" wait_for "$work/srv.$name" '^closed$' 10
	wait_for "$work/cap.$cap_name" "src=$srv:$sp dst=$cli:$cp flags=AF " 10
	cap_from_server "$sp" "$cp" AF
	check_seg "$what: the server's FIN seq=ISN+1 ack=1006" "$cap_line" AF $(((isn + 1) & M)) 1006
	[ -n "$cap_line" ] || return 1
	check "$what: the server is in FIN_WAIT1 (04)" has_state "$sp" "$cp" 04
	snap
	a=$(ask 5000 "$cp" "$sp" AF --seq 1006 --ack $(((isn + 2) & M)))
	check_seg "$what: client FIN+ACK seq=1006 -> ACK seq=ISN+2 ack=1007" \
		"$a" A $(((isn + 2) & M)) 1007
	moved "$what" TimeWaitEntered=1 TimeWaitOverflow=0
	check "$what: the socket is gone; a compact TIME_WAIT entry remains" gone "$sp" "$cp"
	tw_entry_line "$sp" "$cp"
	[ -n "$tw_l" ] && echo "#   /proc/net/xtcp lists the entry: $tw_l"
	return 0
}

# 10, 13, 14: the server closes first; TIME_WAIT; a restart within 2 * MSL.
scenario_tw() {
	local sp=30013 cp=40131 old a r fin_ack t0 t1 ms old_rl

	echo "# === scenarios 10, 13, 14: the XTCP server closes first: TIME_WAIT"
	old=$(in_s cat /proc/sys/net/xtcp/msl_ms)
	# 2 * MSL = 20 s: long enough for every step below; each FIN restarts it.
	xsysctl msl_ms 10000
	srv_start s13 --port $sp --reuse --read 5 --then close --hold-listener --timeout 300 ||
		{ check "13: the server listens" false; return; }
	cap_start s13 $sp
	if ! enter_tw 13 s13 $sp $cp; then
		srv_stop
		cap_stop
		xsysctl msl_ms "$old"
		return
	fi
	fin_ack=$(((isn + 2) & M))
	snap
	a=$(ask 5000 $cp $sp AF --seq 1006 --ack "$fin_ack")
	check_seg "13: the FIN again (our ACK was lost) is ACKed again" "$a" A "$fin_ack" 1007
	a=$(ask 1500 $cp $sp R --seq 1007)
	check_none "13: a RST gets no answer" "$a"
	a=$(ask 5000 $cp $sp AF --seq 1006 --ack "$fin_ack")
	check_seg "13: the entry survived the RST (RFC 1337): the FIN is ACKed" "$a" A "$fin_ack" 1007
	moved 13 TimeWaitExpired=0 TimeWaitRecycled=0 OutRsts=0 InNoSocket=0
	# Its answers to SYNs (and other segments without data) are rate-limited,
	# as TCP's TIME_WAIT's are (invalid_ratelimit); old data and the FIN are not.
	old_rl=$(in_s cat /proc/sys/net/xtcp/invalid_ratelimit)
	xsysctl invalid_ratelimit 60000
	snap
	a=$(ask 5000 $cp $sp S --seq 900)
	check_seg "13: an old SYN gets the entry's ACK" "$a" A "$fin_ack" 1007
	a=$(ask 1500 $cp $sp S --seq 901)
	check_none "13: a second one within invalid_ratelimit gets none" "$a"
	a=$(ask 5000 $cp $sp AP --seq 990 --ack "$fin_ack" --data 0123456789a)
	check_seg "13: old data is still answered" "$a" A "$fin_ack" 1007
	a=$(ask 5000 $cp $sp AF --seq 1006 --ack "$fin_ack")
	check_seg "13: and the FIN again" "$a" A "$fin_ack" 1007
	moved 13 TCPACKSkippedTimeWait=1 TimeWaitRecycled=0
	xsysctl invalid_ratelimit "$old_rl"

	echo "# --- scenario 14: the server restarts while the entry lives"
	srv_stop
	check "14: the listener is closed: no XTCP socket in S" all_gone
	r=$(in_s ./xtcp_peer bind --family xtcp --addr $srv --port $sp)
	check "14: bind() without SO_REUSEADDR: EADDRINUSE (got $r)" [ "$r" = EADDRINUSE ]
	r=$(in_s ./xtcp_peer bind --family xtcp --addr 0.0.0.0 --port $sp)
	check "14: bind() to INADDR_ANY without SO_REUSEADDR: EADDRINUSE (got $r)" \
		[ "$r" = EADDRINUSE ]
	r=$(in_s ./xtcp_peer bind --family xtcp --addr $srv --port $sp --reuse)
	check "14: bind() with SO_REUSEADDR (the old listener had it too): ok (got $r)" \
		[ "$r" = ok ]
	srv_start s14 --port $sp --reuse --then wait-eof --timeout 300
	check "14: a server with SO_REUSEADDR listens again within 2 * MSL" \
		has_line "$work/srv.s14" '^listening$'
	a=$(ask 5000 $cp $sp AF --seq 1006 --ack "$fin_ack")
	check_seg "14: the entry still answers its 4-tuple, not the new listener" \
		"$a" A "$fin_ack" 1007
	moved "13, 14" TimeWaitExpired=0

	echo "# --- scenario 13: the entry expires 2 * msl_ms after the last FIN (msl_ms=500)"
	xsysctl msl_ms 500
	snap
	a=$(ask 5000 $cp $sp AF --seq 1006 --ack "$fin_ack")
	t0=$(now_us)
	check_seg "13: the FIN restarts the wait, now 2 * 500 ms" "$a" A "$fin_ack" 1007
	poll 30 tw_expired
	t1=$(now_us)
	ms=$(((t1 - t0) / 1000))
	if tw_expired; then
		echo "#   the entry expired $ms ms after the FIN that restarted its wait"
	else
		echo "#   the entry did not expire within $ms ms"
	fi
	moved 13 TimeWaitExpired=1
	check "13: ... within 2 * msl_ms (1 s) of that FIN, plus 1.5 s of slack" [ $ms -le 2500 ]
	snap
	a=$(ask 5000 $cp $sp AF --seq 1006 --ack "$fin_ack")
	check_seg "13: then the FIN reaches the listener, which has no request: RST seq=its ACK" \
		"$a" R "$fin_ack" 0
	moved 13 OutRsts=1 InNoSocket=0 TimeWaitRecycled=0
	check "14: the new server accepted nothing" not has_line "$work/srv.s14" '^accepted'
	srv_stop
	cap_stop
	xsysctl msl_ms "$old"
}

# 16 (and 13): a SYN above the TIME_WAIT entry's RCV.NXT ends the entry; with no
# listener left, XTCP answers it with RST (InNoSocket). A port XTCP does not own at
# all is the kernel's TCP's: it answers, XTCP sees nothing.
scenario_16() {
	local sp=30017 cp=40171 a rsts old

	echo "# === scenario 16: segments for no socket (msl_ms=4000)"
	old=$(in_s cat /proc/sys/net/xtcp/msl_ms)
	xsysctl msl_ms 4000
	srv_start s16 --port $sp --read 5 --then close ||
		{ check "16: the server listens" false; xsysctl msl_ms "$old"; return; }
	cap_start s16 $sp
	if enter_tw 16 s16 $sp $cp; then
		check "16: the app exits: no listener, only the TIME_WAIT entry" srv_wait_exit
		snap
		a=$(ask 5000 $cp $sp S --seq 1000)
		check_seg "16: an old SYN (below RCV.NXT) gets the entry's ACK" \
			"$a" A $(((isn + 2) & M)) 1007
		moved 16 TimeWaitRecycled=0
		# A SYN that could reuse the 4-tuple finds no listener: the entry
		# answers and lives on, as TCP's TIME_WAIT does (tcp_v4_rcv()'s
		# TCP_TW_SYN without a listener is TCP_TW_ACK), not a RST.
		a=$(ask 5000 $cp $sp S --seq 5000)
		check_seg "16: a SYN above RCV.NXT, no listener: the entry's ACK, no RST" \
			"$a" A $(((isn + 2) & M)) 1007
		check "16: ... and the entry stays" tw_listed $sp $cp
		moved 16 TimeWaitRecycled=0 InNoSocket=0 OutRsts=0
		check "16: then it expires (2 * msl_ms = 8 s)" poll 20 tw_expired
	fi
	srv_wait_exit || srv_stop
	cap_stop
	xsysctl msl_ms "$old"

	cap_start s16b 30016
	snap
	snmp "/proc/$hold_s/net/snmp" Tcp OutRsts
	rsts=$snmp_v
	a=$(ask 5000 40161 30016 S --seq 1000)
	check_seg "16: a SYN to a port with no socket at all: RST ack=1001" "$a" AR 0 1001
	snmp "/proc/$hold_s/net/snmp" Tcp OutRsts
	check "16: ... from the kernel's TCP" [ "$snmp_v" = $((rsts + 1)) ]
	moved "16 (XTCP did not see it)" InSegs=0 InNoSocket=0 OutRsts=0
	cap_stop
}

# --- the XTCP end as a client, and connections that end otherwise ------------------

# cli_start NAME ARGS...: an XTCP client in S (xtcp_peer client; output in
# $work/srv.NAME like a server's, so the helpers above take it). Sets srv_pid.
cli_start() {
	local name=$1

	shift
	: >"$work/srv.$name"
	ip netns exec "$ns_s" ./xtcp_peer client --family xtcp "$@" >>"$work/srv.$name" 2>&1 &
	srv_pid=$!
	bg_pids="$bg_pids $srv_pid"
}

# accept_one WHAT NAME CPORT SPORT: handshake, and the server's app accepts.
accept_one() {
	handshake "$1" "$3" "$4" || return 1
	wait_for "$work/srv.$2" "^accepted $cli:$3\$" 10
}

# tuple_sockets SPORT CPORT: sets n_lines to the number of lines of /proc/net/xtcp
# (sockets and TIME_WAIT entries) of the 4-tuple.
tuple_sockets() {
	local t

	printf -v t '%s:%04X %s:%04X ' "$srv_hex" "$1" "$cli_hex" "$2"
	count_lines "/proc/$hold_s/net/xtcp" "$t"
}

# tw_listed SPORT CPORT: /proc/net/xtcp has the 4-tuple's TIME_WAIT (06) line.
tw_listed() {
	tw_entry_line "$1" "$2"
	[ -n "$tw_l" ]
}

# gap_ok A B LOW HIGH: LOW <= B - A <= HIGH (seconds, capture times).
gap_ok() {
	awk -v a="$1" -v b="$2" -v l="$3" -v h="$4" 'BEGIN { exit !(b - a >= l && b - a <= h) }'
}

# 3: simultaneous open. The XTCP client's SYN crosses the fake peer's SYN: SYN_SENT
# -> SYN_RECV (SYN-ACK with its own ISN again) -> ESTABLISHED, one connection.
scenario_3() {
	local sp=30031 cp=40301 x a

	echo "# === scenario 3: simultaneous open (the XTCP client's SYN crosses the peer's)"
	cap_start s3 $cp
	snap
	cli_start s3 --addr $cli --port $cp --local $srv:$sp --then wait-eof
	check "3: the client's SYN goes out" \
		wait_for "$work/cap.s3" "src=$srv:$sp dst=$cli:$cp flags=S " 10
	cap_from_server $sp $cp S
	parse "$cap_line"
	x=$p_seq
	check_seg "3: the XTCP client's SYN seq=X" "$cap_line" S "${x:-none}" 0
	if [ -z "$x" ]; then
		srv_stop
		cap_stop
		return
	fi
	check "3: the client is in SYN_SENT (02)" has_state $sp $cp 02
	a=$(ask 5000 $cp $sp S --seq 5000 --mss 1460)
	check_seg "3: the peer's SYN seq=5000 (no ACK) -> SYN-ACK seq=X ack=5001" \
		"$a" SA "$x" 5001
	check "3: the client is in SYN_RECV (03)" has_state $sp $cp 03
	check "3: connect() has not returned yet" not has_line "$work/srv.s3" '^connect'
	# The peer, in SYN_RECV too, answers our SYN with its own SYN-ACK (RFC 9293
	# figure 7, line 7): seq=5000 (its SYN again), ack=X+1.
	a=$(ask 1500 $cp $sp SA --seq 5000 --ack $(((x + 1) & M)) --mss 1460)
	[ -n "$a" ] && echo "#   the peer's SYN-ACK was answered: $a"
	check "3: the peer's SYN-ACK seq=5000 ack=X+1 -> ESTABLISHED (01)" \
		wait_for_state $sp $cp 01
	if ! has_state $sp $cp 01; then
		seg $cp $sp A --seq 5001 --ack $(((x + 1) & M))
		check "3: (then a bare ACK seq=5001 ack=X+1 -> ESTABLISHED (01))" \
			wait_for_state $sp $cp 01
	fi
	check "3: connect() returns: the client prints connected" \
		wait_for "$work/srv.s3" '^connected$' 10
	tuple_sockets $sp $cp
	check "3: one connection: one /proc/net/xtcp line for the 4-tuple (got $n_lines)" \
		[ "$n_lines" = 1 ]
	moved 3 ActiveOpens=1 PassiveOpens=0 CurrEstab=1 OutRsts=0 AttemptFails=0
	close_by_client 3 s3 $sp $cp 5001 $(((x + 1) & M))
	moved "3 (after the close)" CurrEstab=0 TimeWaitEntered=0
	srv_wait_exit || srv_stop
	cap_stop
}

# 11: half-close. The client's FIN: the app reads EOF, its socket stays in
# CLOSE_WAIT and still sends; its close() then sends FIN (LAST_ACK).
scenario_11() {
	local sp=30032 cp=40302 a una line ok

	echo "# === scenario 11: half-close (the app sends after reading EOF)"
	srv_start s11 --port $sp --then half-close --send bye ||
		{ check "11: the server listens" false; return; }
	cap_start s11 $sp
	snap
	if ! accept_one 11 s11 $cp $sp; then
		check "11: the connection is accepted" false
		srv_stop
		cap_stop
		return
	fi
	una=$(((isn + 1) & M))
	a=$(ask 5000 $cp $sp AF --seq 1001 --ack $una)
	check_seg "11: client FIN seq=1001 -> ACK 1002" "$a" A $una 1002
	check "11: the app reads the end of the stream (recv() returns 0)" \
		wait_for "$work/srv.s11" '^eof$' 10
	check "11: the socket stays in CLOSE_WAIT (08) while the app keeps it" \
		has_state $sp $cp 08
	kill -USR1 "$srv_pid"
	check "11: the app sends \"bye\" in CLOSE_WAIT" wait_for "$work/srv.s11" '^sent 3$' 10
	check "11: ... which arrives: 3 bytes seq=ISN+1 ack=1002" \
		wait_for "$work/cap.s11" "src=$srv:$sp dst=$cli:$cp .* len=3 " 10
	line=$(lines_of "$work/cap.s11" "src=$srv:$sp dst=$cli:$cp .* len=3 ")
	parse "${line%%$'\n'*}"
	# PSH: the segment ends what the app wrote, as Linux marks a write's last one.
	ok=0
	[ "$p_seq" = $una ] && [ "$p_ack" = 1002 ] && [ "$p_flags" = AP ] && ok=1
	check "11: the data segment is AP seq=$una ack=1002 (flags $p_flags)" [ $ok = 1 ]
	seg $cp $sp A --seq 1002 --ack $(((una + 3) & M))
	check "11: no FIN yet" not has_line "$work/cap.s11" "src=$srv:$sp dst=$cli:$cp flags=AF "
	check "11: still CLOSE_WAIT (08)" has_state $sp $cp 08
	kill -USR1 "$srv_pid"
	check "11: the app closes" wait_for "$work/srv.s11" '^closed$' 10
	wait_for "$work/cap.s11" "src=$srv:$sp dst=$cli:$cp flags=AF " 10
	cap_from_server $sp $cp AF
	check_seg "11: its FIN seq=ISN+4 ack=1002" "$cap_line" AF $(((una + 3) & M)) 1002
	check "11: LAST_ACK (09)" has_state $sp $cp 09
	seg $cp $sp A --seq 1002 --ack $(((una + 4) & M))
	check "11: the ACK of the FIN closes it (no socket, no TIME_WAIT)" gone $sp $cp
	moved 11 PassiveOpens=1 CurrEstab=0 TimeWaitEntered=0 OutRsts=0 EstabResets=0
	srv_wait_exit || srv_stop
	cap_stop
}

# 12: simultaneous close. The app's FIN and the peer's FIN cross: FIN_WAIT1 ->
# CLOSING -> (the ACK of our FIN) TIME_WAIT.
scenario_12() {
	local sp=30033 cp=40303 old a f

	echo "# === scenario 12: simultaneous close (msl_ms=1000)"
	old=$(in_s cat /proc/sys/net/xtcp/msl_ms)
	xsysctl msl_ms 1000
	srv_start s12 --port $sp --read 5 --then close ||
		{ check "12: the server listens" false; xsysctl msl_ms "$old"; return; }
	cap_start s12 $sp
	if ! accept_one 12 s12 $cp $sp; then
		check "12: the connection is accepted" false
		srv_stop
		cap_stop
		xsysctl msl_ms "$old"
		return
	fi
	f=$(((isn + 1) & M))
	seg $cp $sp AP --seq 1001 --ack $f --data hello
	check "12: the app reads \"hello\" and closes" wait_for "$work/srv.s12" '^closed$' 10
	wait_for "$work/cap.s12" "src=$srv:$sp dst=$cli:$cp flags=AF " 10
	cap_from_server $sp $cp AF
	check_seg "12: the app's FIN seq=F=ISN+1 ack=1006" "$cap_line" AF $f 1006
	check "12: FIN_WAIT1 (04)" has_state $sp $cp 04
	snap
	a=$(ask 5000 $cp $sp AF --seq 1006 --ack $f)
	check_seg "12: the peer's FIN seq=1006 ack=F (not ours) -> ACK seq=F+1 ack=1007" \
		"$a" A $(((f + 1) & M)) 1007
	check "12: CLOSING (0B)" has_state $sp $cp 0B
	seg $cp $sp A --seq 1007 --ack $(((f + 1) & M))
	check "12: the ACK of F+1: the socket is gone" gone $sp $cp
	check "12: ... a TIME_WAIT entry (06) is listed" tw_listed $sp $cp
	[ -n "$tw_l" ] && echo "#   /proc/net/xtcp: $tw_l"
	moved 12 TimeWaitEntered=1 OutRsts=0
	check "12: the entry expires (2 * msl_ms = 2 s)" poll 10 tw_expired
	moved 12 TimeWaitExpired=1
	srv_wait_exit || srv_stop
	cap_stop
	xsysctl msl_ms "$old"
}

# 15: SO_LINGER {1, 0}: close() aborts: RST at SND.NXT, no FIN, no TIME_WAIT.
scenario_15() {
	local sp=30034 cp=40304 a

	echo "# === scenario 15: SO_LINGER {1, 0}"
	srv_start s15 --port $sp --read 5 --then linger0 ||
		{ check "15: the server listens" false; return; }
	cap_start s15 $sp
	if ! accept_one 15 s15 $cp $sp; then
		check "15: the connection is accepted" false
		srv_stop
		cap_stop
		return
	fi
	snap
	seg $cp $sp AP --seq 1001 --ack $(((isn + 1) & M)) --data hello
	check "15: the app reads \"hello\" and closes with linger 0" \
		wait_for "$work/srv.s15" '^closed$' 10
	wait_for "$work/cap.s15" "src=$srv:$sp dst=$cli:$cp flags=AR " 10
	cap_from_server $sp $cp AR
	check_seg "15: RST seq=SND.NXT=ISN+1 ack=1006" "$cap_line" AR $(((isn + 1) & M)) 1006
	check "15: the socket is gone at once" gone $sp $cp
	check "15: no FIN" not has_line "$work/cap.s15" "src=$srv:$sp .* flags=[A-Z]*F"
	check "15: no TIME_WAIT entry listed" not tw_listed $sp $cp
	moved 15 TimeWaitEntered=0 OutRsts=1 CurrEstab=-1
	srv_wait_exit || srv_stop
	cap_stop
}

# keepalive_probes SPORT CPORT AFTER: sets ka_t (their times) and ka_n (their
# count) of the probes (ACK seq=ka_seq ack=ka_ack, no data) S sent after time AFTER;
# ka_bad is 1 if one has other numbers or data.
keepalive_probes() {
	local line

	ka_t=() ka_n=0 ka_bad=0
	while IFS= read -r line; do
		parse "$line"
		awk -v a="$p_t" -v b="$3" 'BEGIN { exit !(a > b) }' || continue
		[ "$p_seq" = "$ka_seq" ] || continue
		ka_t+=("$p_t")
		ka_n=$((ka_n + 1))
		[ "$p_ack" = "$ka_ack" ] && [ "$p_len" = 0 ] || ka_bad=1
	done < <(lines_of "$work/cap.$cap_name" "src=$srv:$1 dst=$cli:$2 flags=A ")
}

# 17: keepalive (idle 1 s, interval 1 s, 2 probes) on an accepted connection whose
# peer is gone: 2 probes at SND.UNA-1, then RST; the app gets ETIMEDOUT.
scenario_17() {
	local sp=30035 cp=40305 t_ack

	echo "# === scenario 17: keepalive detects a dead peer (1 s idle, 1 s apart, 2 probes)"
	srv_start s17 --port $sp --keepalive 1:1:2 --then wait-eof ||
		{ check "17: the server listens" false; return; }
	cap_start s17 $sp
	snap
	if ! accept_one 17 s17 $cp $sp; then
		check "17: the connection is accepted" false
		srv_stop
		cap_stop
		return
	fi
	parse "$(lines_of "$work/cap.s17" "src=$cli:$cp .* flags=A ")"
	t_ack=$p_t
	check "17: after 2 probes XTCP gives up: RST" \
		wait_for "$work/cap.s17" "src=$srv:$sp dst=$cli:$cp flags=AR " 15
	ka_seq=$isn ka_ack=1001
	keepalive_probes $sp $cp "$t_ack"
	check "17: exactly 2 probes (got $ka_n)" [ $ka_n = 2 ]
	check "17: the probes are seq=SND.UNA-1=ISN ack=1001, no data" [ $ka_bad = 0 ]
	cap_from_server $sp $cp AR
	check_seg "17: RST seq=SND.NXT=ISN+1 ack=1001" "$cap_line" AR $(((isn + 1) & M)) 1001
	parse "$cap_line"
	if [ $ka_n = 2 ]; then
		echo "#   idle to the first probe $(awk -v a="$t_ack" -v b="${ka_t[0]}" 'BEGIN { print b - a }') s, between the probes $(awk -v a="${ka_t[0]}" -v b="${ka_t[1]}" 'BEGIN { print b - a }') s, to the RST $(awk -v a="${ka_t[1]}" -v b="$p_t" 'BEGIN { print b - a }') s"
		check "17: the first probe about 1 s after the last segment received (0.5 .. 3 s)" \
			gap_ok "$t_ack" "${ka_t[0]}" 0.5 3
		check "17: the second about 1 s later (0.5 .. 3 s)" gap_ok "${ka_t[0]}" "${ka_t[1]}" 0.5 3
		check "17: the RST about 1 s later (0.5 .. 3 s)" gap_ok "${ka_t[1]}" "$p_t" 0.5 3
	fi
	check "17: the app's recv() fails with ETIMEDOUT" \
		wait_for "$work/srv.s17" '^recv-error ETIMEDOUT$' 10
	check "17: the socket is gone" gone $sp $cp
	moved 17 PassiveOpens=1 CurrEstab=0 OutRsts=1 TimeWaitEntered=0
	srv_wait_exit || srv_stop
	cap_stop
}

# 17b: keepalive on an XTCP client (idle 1 s, 1 s apart, 3 probes: the answer has
# 2 s to come); the peer answers the first probe: the connection survives and the
# count starts again (3 probes after the answer, then the RST).
scenario_17b() {
	local sp=30036 cp=40306 x t_ans

	echo "# === scenario 17b: an answered keepalive probe resets the count (XTCP client, 3 probes)"
	cap_start s17b $cp
	snap
	cli_start s17b --addr $cli --port $cp --local $srv:$sp --keepalive 1:1:3 --then wait-eof
	wait_for "$work/cap.s17b" "src=$srv:$sp dst=$cli:$cp flags=S " 10
	cap_from_server $sp $cp S
	parse "$cap_line"
	x=$p_seq
	if [ -z "$x" ]; then
		check "17b: the client's SYN goes out" false
		srv_stop
		cap_stop
		return
	fi
	seg $cp $sp SA --seq 7000 --ack $(((x + 1) & M)) --mss 1460
	check "17b: SYN-ACK seq=7000 -> the client prints connected" \
		wait_for "$work/srv.s17b" '^connected$' 10
	ka_seq=$x ka_ack=7001
	check "17b: the first probe (seq=X ack=7001) comes" \
		wait_for "$work/cap.s17b" "src=$srv:$sp dst=$cli:$cp flags=A seq=$x ack=7001 " 10
	seg $cp $sp A --seq 7001 --ack $(((x + 1) & M))
	check "17b: the peer's ACK seq=7001 ack=X+1 answers it: still ESTABLISHED (01)" \
		has_state $sp $cp 01
	# The answer's time on the wire: the probes are counted from there.
	wait_for "$work/cap.s17b" "src=$cli:$cp dst=$srv:$sp flags=A seq=7001 " 10
	parse "$(lines_of "$work/cap.s17b" "src=$cli:$cp dst=$srv:$sp flags=A seq=7001 ")"
	t_ans=$p_t
	keepalive_probes $sp $cp 0
	echo "#   $ka_n probe(s) before the answer"
	check "17b: then, unanswered, XTCP gives up: RST" \
		wait_for "$work/cap.s17b" "src=$srv:$sp dst=$cli:$cp flags=AR " 15
	keepalive_probes $sp $cp "$t_ans"
	check "17b: exactly 3 probes after the answer (got $ka_n): the count started again" \
		[ $ka_n = 3 ]
	check "17b: the probes are seq=SND.UNA-1=X ack=7001, no data" [ $ka_bad = 0 ]
	[ $ka_n -ge 1 ] && echo "#   the first probe after the answer came $(awk -v a="$t_ans" -v b="${ka_t[0]}" 'BEGIN { print b - a }') s after it"
	check "17b: the first of them about 1 s after the answer (0.5 .. 3 s): idle starts again" \
		gap_ok "$t_ans" "${ka_t[0]:-0}" 0.5 3
	cap_from_server $sp $cp AR
	check_seg "17b: RST seq=SND.NXT=X+1 ack=7001" "$cap_line" AR $(((x + 1) & M)) 7001
	check "17b: the client's recv() fails with ETIMEDOUT" \
		wait_for "$work/srv.s17b" '^recv-error ETIMEDOUT$' 10
	check "17b: the socket is gone" gone $sp $cp
	moved 17b ActiveOpens=1 CurrEstab=0 OutRsts=1
	srv_wait_exit || srv_stop
	cap_stop
}

# seg_times FILE REGEX: sets seg_t to the capture times of the matching segments.
seg_times() {
	local line

	seg_t=()
	while IFS= read -r line; do
		parse "$line"
		seg_t+=("$p_t")
	done < <(lines_of "$1" "$2")
}

# elapsed_since US: sets el_s to the seconds since the time now_us gave (US).
elapsed_since() {
	el_s=$(awk -v a="$1" -v b="$(now_us)" 'BEGIN { printf "%.2f", (b - a) / 1e6 }')
}

# syncnt: TCP_SYNCNT 2 on an XTCP client whose SYNs nobody answers: the SYN and
# its 2 retransmissions, 1 s and 2 s apart, then connect() fails with ETIMEDOUT
# 4 s after the last (7 s in all; the syn_retries sysctl, 6, would take 127 s).
# TCP's TCP_SYNCNT means the same (tcp_write_timeout: retransmits >= syncnt).
scenario_syncnt() {
	local sp=30038 cp=40308 t0

	echo "# === TCP_SYNCNT 2: an unanswered XTCP client gives up after 3 SYNs"
	cap_start syncnt $cp
	snap
	t0=$(now_us)
	cli_start syncnt --addr $cli --port $cp --local $srv:$sp --syncnt 2 --then close
	check "syncnt: connect() fails with ETIMEDOUT" \
		wait_for "$work/srv.syncnt" '^connect-error ETIMEDOUT$' 30
	elapsed_since "$t0"
	echo "#   connect() failed after $el_s s"
	check "syncnt: after the SYN and two backoffs, 1 + 2 + 4 s (5 .. 14 s)" \
		gap_ok 0 "$el_s" 5 14
	seg_times "$work/cap.syncnt" "src=$srv:$sp dst=$cli:$cp flags=S "
	check "syncnt: exactly 3 SYNs (got ${#seg_t[@]})" [ ${#seg_t[@]} = 3 ]
	if [ ${#seg_t[@]} = 3 ]; then
		check "syncnt: the first retransmission about 1 s after the SYN (0.7 .. 2.5 s)" \
			gap_ok "${seg_t[0]}" "${seg_t[1]}" 0.7 2.5
		check "syncnt: the second about 2 s after it (1.5 .. 4 s)" \
			gap_ok "${seg_t[1]}" "${seg_t[2]}" 1.5 4
	fi
	check "syncnt: the socket is gone" gone $sp $cp
	moved syncnt ActiveOpens=1 AttemptFails=1 SynRetrans=2 OutRsts=0
	srv_wait_exit || srv_stop
	cap_stop
}

# utimeout: TCP_USER_TIMEOUT 2000 ms, set on the listener and inherited by the
# connection (as on TCP). The app's data is never acknowledged: it is
# retransmitted with backoff only until 2 s after it was first sent, then the
# connection fails with ETIMEDOUT and no RST (TCP's tcp_write_err). Without the
# option XTCP would retry 15 times, for minutes.
scenario_utimeout() {
	local sp=30039 cp=40309 t0 last

	echo "# === TCP_USER_TIMEOUT 2000 ms: unacknowledged data fails the connection in 2 s"
	srv_start utimeout --port $sp --user-timeout 2000 --send hello --then send-eof ||
		{ check "utimeout: the server listens" false; return; }
	cap_start utimeout $sp
	snap
	if ! accept_one utimeout utimeout $cp $sp; then
		check "utimeout: the connection is accepted" false
		srv_stop
		cap_stop
		return
	fi
	t0=$(now_us)
	check "utimeout: the app's 5 bytes go out" \
		wait_for "$work/cap.utimeout" "src=$srv:$sp dst=$cli:$cp flags=AP .* len=5 " 10
	check "utimeout: recv() fails with ETIMEDOUT" \
		wait_for "$work/srv.utimeout" '^recv-error ETIMEDOUT$' 20
	elapsed_since "$t0"
	echo "#   the connection failed $el_s s after the accept"
	check "utimeout: about 2 s after the data was sent (1.5 .. 6 s)" gap_ok 0 "$el_s" 1.5 6
	seg_times "$work/cap.utimeout" "src=$srv:$sp dst=$cli:$cp flags=AP .* len=5 "
	echo "#   the data went out ${#seg_t[@]} times"
	check "utimeout: retransmitted at least once (got ${#seg_t[@]} sends)" [ ${#seg_t[@]} -ge 2 ]
	last=$((${#seg_t[@]} - 1))
	check "utimeout: never again once 2 s are over (last send after ${seg_t[$last]:-?} s)" \
		gap_ok "${seg_t[0]:-0}" "${seg_t[$last]:-99}" 0 2.3
	check "utimeout: no RST" not has_line "$work/cap.utimeout" "src=$srv:$sp .* flags=[A-Z]*R"
	check "utimeout: the socket is gone" gone $sp $cp
	moved utimeout PassiveOpens=1 CurrEstab=0 OutRsts=0 TimeWaitEntered=0
	srv_wait_exit || srv_stop
	cap_stop
}

# linger2: TCP_LINGER2, set on the listener and inherited. -1: an orphan whose FIN
# is acknowledged leaves FIN_WAIT_2 at once, with no RST (as TCP's tcp_done);
# 2: the orphan waits 2 s in FIN_WAIT_2, not fin_timeout_ms (60 s).
scenario_linger2() {
	local sp=30040 cp=40310 l2 t0 n

	for l2 in -1 2; do
		n=linger2_${l2#-}
		echo "# === TCP_LINGER2 $l2: the orphan's FIN_WAIT_2"
		srv_start $n --port $sp --linger2 $l2 --then close ||
			{ check "linger2 $l2: the server listens" false; return; }
		cap_start $n $sp
		snap
		if ! accept_one "linger2 $l2" $n $cp $sp; then
			check "linger2 $l2: the connection is accepted" false
			srv_stop
			cap_stop
			return
		fi
		check "linger2 $l2: the app's close() sends FIN" \
			wait_for "$work/cap.$n" "src=$srv:$sp dst=$cli:$cp flags=AF " 10
		seg $cp $sp A --seq 1001 --ack $(((isn + 2) & M))
		t0=$(now_us)
		if [ "$l2" = -1 ]; then
			check "linger2 -1: the ACK of the FIN ends the orphan at once (within 2 s)" \
				poll 2 has_state $sp $cp ""
		else
			check "linger2 2: the orphan is in FIN_WAIT_2 (05)" has_state $sp $cp 05
			check "linger2 2: it leaves within 8 s" poll 8 has_state $sp $cp ""
			elapsed_since "$t0"
			echo "#   FIN_WAIT_2 lasted $el_s s"
			check "linger2 2: after about 2 s (1.5 .. 8 s)" gap_ok 0 "$el_s" 1.5 8
		fi
		check "linger2 $l2: no RST" not has_line "$work/cap.$n" \
			"src=$srv:$sp .* flags=[A-Z]*R"
		moved "linger2 $l2" PassiveOpens=1 CurrEstab=0 OutRsts=0 TimeWaitEntered=0
		srv_wait_exit || srv_stop
		cap_stop
		# The next server on a port of its own: this one's may still be given up.
		sp=30042
		cp=$((cp + 1))
	done
}

# abort: data after the app closed. The XTCP server's app closes at once (FIN);
# the fake client ACKs the FIN (FIN_WAIT_2, orphaned) and then sends data, which
# no one can read: XTCP answers RST seq=SEG.ACK and the connection is gone
# (RFC 1122 4.2.2.13; TCP does the same and counts TCPAbortOnData).
scenario_abort() {
	local sp=30041 cp=40312 a

	echo "# === data for a closed socket: RST (RFC 1122 4.2.2.13)"
	srv_start abort --port $sp --then close ||
		{ check "abort: the server listens" false; return; }
	cap_start abort $sp
	snap
	if ! accept_one abort abort $cp $sp; then
		check "abort: the connection is accepted" false
		srv_stop
		cap_stop
		return
	fi
	check "abort: the app's close() sends FIN" \
		wait_for "$work/cap.abort" "src=$srv:$sp dst=$cli:$cp flags=AF " 10
	seg $cp $sp A --seq 1001 --ack $(((isn + 2) & M))
	check "abort: the ACK of the FIN: FIN_WAIT_2 (05)" wait_for_state $sp $cp 05
	a=$(ask 5000 $cp $sp AP --seq 1001 --ack $(((isn + 2) & M)) --data late)
	check_seg "abort: data after close -> RST seq=SEG.ACK=ISN+2, no ACK" "$a" R \
		$(((isn + 2) & M)) 0
	check "abort: the socket is gone" gone $sp $cp
	check "abort: no TIME_WAIT entry listed" not tw_listed $sp $cp
	moved abort PassiveOpens=1 TCPAbortOnData=1 OutRsts=1 TimeWaitEntered=0 CurrEstab=0
	srv_wait_exit || srv_stop
	cap_stop
}

# 18: the app is killed (SIGKILL) while connected: the kernel closes its files,
# and the connection closes with a FIN.
scenario_18() {
	local sp=30037 cp=40307 old a f

	echo "# === scenario 18: the app is killed: its connection still closes with FIN"
	old=$(in_s cat /proc/sys/net/xtcp/msl_ms)
	xsysctl msl_ms 1000
	srv_start s18 --port $sp --then hold ||
		{ check "18: the server listens" false; xsysctl msl_ms "$old"; return; }
	cap_start s18 $sp
	if ! accept_one 18 s18 $cp $sp; then
		check "18: the connection is accepted" false
		srv_stop
		cap_stop
		xsysctl msl_ms "$old"
		return
	fi
	f=$(((isn + 1) & M))
	check "18: ESTABLISHED (01)" has_state $sp $cp 01
	snap
	kill -KILL "$srv_pid"
	wait "$srv_pid" 2>/dev/null
	bg_pids=${bg_pids/ $srv_pid/}
	check "18: after SIGKILL, a FIN comes" \
		wait_for "$work/cap.s18" "src=$srv:$sp dst=$cli:$cp flags=AF " 10
	cap_from_server $sp $cp AF
	check_seg "18: FIN seq=ISN+1 ack=1001" "$cap_line" AF $f 1001
	check "18: no RST" not has_line "$work/cap.s18" "src=$srv:$sp .* flags=[A-Z]*R"
	check "18: the orphan is in FIN_WAIT1 (04)" has_state $sp $cp 04
	a=$(ask 5000 $cp $sp AF --seq 1001 --ack $(((f + 1) & M)))
	check_seg "18: the peer's FIN+ACK -> ACK seq=ISN+2 ack=1002" "$a" A $(((f + 1) & M)) 1002
	check "18: the socket is gone (TIME_WAIT entry)" gone $sp $cp
	moved 18 TimeWaitEntered=1 OutRsts=0 CurrEstab=-1
	check "18: the entry expires (2 * msl_ms = 2 s)" poll 10 tw_expired
	cap_stop
	xsysctl msl_ms "$old"
}

# route: the final ACK comes while the server has no route back to the client
# (a prohibit route): no connection can be made. The ACK is dropped and counted,
# nothing is left half-made (no socket created or destroyed), and the request
# stays: once the route is back, the client's next ACK completes it.
scenario_route() {
	local sp=30042 cp=40313 a

	echo "# === a new connection without a route back: nothing half-made"
	srv_start route --port $sp --then wait-eof ||
		{ check "route: the server listens" false; return; }
	cap_start route $sp
	snap
	a=$(ask 5000 $cp $sp S --seq 1000 --mss 1460)
	parse "$a"
	isn=$p_seq
	check_seg "route: SYN -> SYN-ACK" "$a" SA "${isn:-none}" 1001
	in_s ip route add prohibit $cli/32
	seg $cp $sp A --seq 1001 --ack $(((isn + 1) & M))
	check "route: without a route the final ACK makes no connection" \
		poll 10 moved_quiet ListenDrops=1
	check "route: no socket for the 4-tuple" not has_state $sp $cp 01
	moved route ListenDrops=1 PassiveOpens=0 SocketsCreated=0 SocketsDestroyed=0 CurrEstab=0
	in_s ip route del prohibit $cli/32
	seg $cp $sp A --seq 1001 --ack $(((isn + 1) & M))
	check "route: with the route back, the ACK completes the kept request" \
		wait_for "$work/srv.route" "^accepted $cli:$cp\$" 10
	moved "route (after)" PassiveOpens=1 SocketsCreated=1
	close_by_client route route $sp $cp 1001 $(((isn + 1) & M))
	srv_wait_exit || srv_stop
	cap_stop
}

# ofo: 600 out-of-order 8-byte segments inside the window fill the receive
# memory (their skbs cost far more than their bytes) while [1001, 1009) is
# missing. The segment that fills the hole must still be taken: held data gives
# way (pruned from the top, counted), never the segment at RCV.NXT.
scenario_ofo() {
	local sp=30043 cp=40314 a ack ok

	echo "# === out-of-order data beyond the receive memory: the hole still fills"
	srv_start ofo --port $sp --then wait-eof ||
		{ check "ofo: the server listens" false; return; }
	cap_start ofo $sp
	if ! accept_one ofo ofo $cp $sp; then
		check "ofo: the connection is accepted" false
		srv_stop
		cap_stop
		return
	fi
	ack=$(((isn + 1) & M))
	snap
	seg $cp $sp AP --seq 1009 --ack $ack --len 8 --repeat 600 --seq-step 8
	check "ofo: the held segments overflow the memory: some are pruned or dropped" \
		poll 10 ofo_limited
	a=$(ask 5000 $cp $sp AP --seq 1001 --ack $ack --len 8)
	parse "$a"
	ok=0
	[ -n "$p_ack" ] && [ "$p_ack" -gt 1009 ] && [ "$p_ack" -le 5809 ] && ok=1
	check "ofo: the segment at RCV.NXT is taken: ACK beyond 1009 (got ${p_ack:-none})" \
		[ $ok = 1 ]
	moved ofo InErrs=0 EstabResets=0
	[ -n "$p_ack" ] || p_ack=1009
	close_by_client ofo ofo $sp $cp "$p_ack" $ack
	srv_wait_exit || srv_stop
	cap_stop
}

# ofows: the same under a scaled window of half a MiB (RFC 7323), which tiny
# out-of-order segments could fill with many times the receive buffer in skbs:
# 3000 segments of 8 bytes, 170 apart, across it. The memory XTCP holds stays
# within twice the receive buffer (xtcp_rcv_room()), held data is pruned or
# dropped and counted, and all of it comes back when the connection ends.
scenario_ofows() {
	local sp=30049 cp=40320 sa a ack win0 mem0 mem1 old ok

	echo "# === a scaled window filled with tiny out-of-order segments: memory bounded"
	old=$(in_s cat /proc/sys/net/xtcp/rmem)
	# Sockets start with a receive buffer of 1 MiB: a window of half that.
	xsysctl rmem "'4096 1048576 8388608'"
	srv_start ofows --port $sp --then wait-eof ||
		{ check "ofows: the server listens" false; xsysctl rmem "'$old'"; return; }
	cap_start ofows $sp
	sa=$(ask 5000 $cp $sp S --seq 1000 --mss 1460 --ws 7)
	parse "$sa"
	isn=$p_seq
	opt_ws "$p_opts"
	check "ofows: SYN with WS -> SYN-ACK with WS (${o_ws:-none})" test -n "$o_ws" -a -n "$isn"
	if [ -z "$isn" ] || [ -z "$o_ws" ]; then
		srv_stop
		cap_stop
		xsysctl rmem "'$old'"
		return
	fi
	ack=$(((isn + 1) & M))
	seg $cp $sp A --seq 1001 --ack $ack
	wait_for "$work/srv.ofows" "^accepted $cli:$cp\$" 10
	mem0=$(in_s awk '{ print $NF }' /proc/net/xtcp_sockstat)
	snap
	# The first one out of order: its duplicate ACK offers the whole window.
	a=$(ask 5000 $cp $sp AP --seq 1171 --ack $ack --len 8)
	parse "$a"
	win0=$((${p_win:-0} << o_ws))
	check "ofows: the window offered is scaled, about half a MiB ($win0)" \
		test "$win0" -ge 400000 -a "$win0" -le 1048576
	seg $cp $sp AP --seq 1341 --ack $ack --len 8 --repeat 2999 --seq-step 170
	check "ofows: the held segments overflow the memory: some are pruned or dropped" \
		poll 20 ofo_limited
	mem1=$(in_s awk '{ print $NF }' /proc/net/xtcp_sockstat)
	echo "#   XTCP's memory: $mem0 pages before, $mem1 after 3000 tiny segments"
	check "ofows: XTCP holds at most twice the 1 MiB buffer (+$((mem1 - mem0)) pages)" \
		test $(((mem1 - mem0) * 4096)) -le $((2 * 1048576 + 65536))
	# The hole fills: the segment at RCV.NXT is still taken.
	a=$(ask 5000 $cp $sp AP --seq 1001 --ack $ack --len 8)
	parse "$a"
	ok=0
	[ -n "$p_ack" ] && [ "$p_ack" -ge 1009 ] && ok=1
	check "ofows: the segment at RCV.NXT is taken (ACK ${p_ack:-none})" [ $ok = 1 ]
	moved ofows InErrs=0 EstabResets=0
	seg $cp $sp R --seq "${p_ack:-1009}"
	srv_wait_exit || srv_stop
	cap_stop
	check "ofows: the memory comes back with the connection" \
		poll 10 mem_back "$mem0"
	xsysctl rmem "'$old'"
}

# mem_back PAGES: XTCP's memory is back to at most PAGES (sockstat).
mem_back() {
	[ "$(in_s awk '{ print $NF }' /proc/net/xtcp_sockstat)" -le "$1" ]
}

ofo_limited() {
	read_counters
	[ $((cur[OfoPruned] - snapv[OfoPruned] + cur[TCPOFODrop] - snapv[TCPOFODrop])) -gt 0 ]
}

# moved_quiet NAME=N...: each counter moved by exactly N since snap (no output).
moved_quiet() {
	local kv name

	read_counters
	for kv; do
		name=${kv%=*}
		[ $((cur["$name"] - snapv["$name"])) = "${kv#*=}" ] || return 1
	done
}

# gbn: after a retransmission timeout XTCP sends again from SND.UNA (go-back-N),
# but SND.NXT in the RFC's sense stays the highest sequence sent: an ACK it sends
# then carries that number (RFC 9293 3.10.7.4 takes SND.NXT for an ACK), as TCP's
# do. An ACK from the rewound point would be below the peer's RCV.NXT, refused
# as unacceptable with its acknowledgment unread; two ends in recovery at once
# would then never learn of each other's progress.
scenario_gbn() {
	echo "# === go-back-N after a timeout: ACKs still carry the highest sequence sent"
	three_tries gbn gbn_try 30046 40317
}

# three_tries NAME FUNCTION SPORT CPORT: FUNCTION SPORT CPORT, again on ports
# 100 higher while it returns 2, three times at most. A loaded machine can take
# the fake client's ACK past the SYN-ACK's 1 s timer: the initial window is then
# one segment (RFC 5681 3.1), which FUNCTION sees (and may check), and returns 2.
three_tries() {
	local try

	for try in 0 1 2; do
		"$2" $(($3 + try * 100)) $(($4 + try * 100)) && return
		[ $? = 2 ] || return
	done
	check "$1: a handshake without a SYN-ACK timeout, in three tries" false
}

# gbn_try SPORT CPORT: one run of gbn; 2 when the SYN-ACK had to go again.
gbn_try() {
	local sp=$1 cp=$2 sa isn1 text a rc=0 rst=1009

	printf -v text '%0300d' 0
	srv_start gbn --port $sp --send "$text" --then send-eof ||
		{ check "gbn: the server listens" false; return; }
	cap_start gbn $sp
	snap
	sa=$(ask 5000 $cp $sp S --seq 1000 --mss 100)
	parse "$sa"
	isn=$p_seq
	check_seg "gbn: SYN (MSS 100) -> SYN-ACK" "$sa" SA "${isn:-none}" 1001
	if [ -z "$isn" ]; then
		srv_stop
		cap_stop
		return
	fi
	isn1=$(((isn + 1) & M))
	seg $cp $sp A --seq 1001 --ack $isn1
	wait_for "$work/cap.gbn" "src=$srv:$sp dst=$cli:$cp flags=A[P]* seq=$isn1 .* len=100 " 10
	if has_line "$work/cap.gbn" "src=$srv:$sp dst=$cli:$cp flags=SA " 2; then
		echo "#   the SYN-ACK timed out before the ACK came: the initial window is one segment"
		check "gbn: after a SYN-ACK timeout, one segment until it is sent again after 3 s" \
			gbn_iw1 $sp $cp $isn1
		rc=2 rst=1001
	else
		check "gbn: the app's 300 bytes go out as three segments" \
			wait_for "$work/cap.gbn" "src=$srv:$sp dst=$cli:$cp flags=A[P]* seq=$(((isn1 + 200) & M)) .* len=100 " 10
		check "gbn: unacknowledged, the first is sent again (the timeout)" \
			wait_for "$work/cap.gbn" "src=$srv:$sp dst=$cli:$cp flags=A[P]* seq=$isn1 .* len=100 " 10 2
		a=$(ask 5000 $cp $sp AP --seq 1001 --ack $isn1 --len 8)
		check_seg "gbn: data from the peer -> ACK seq=SND.MAX ($(((isn1 + 300) & M))), not the rewound one" \
			"$a" A $(((isn1 + 300) & M)) 1009
		moved gbn PassiveOpens=1 InErrs=0
	fi
	seg $cp $sp R --seq $rst
	srv_stop
	cap_stop
	return $rc
}

# gbn_iw1 SPORT CPORT ISN1: the first segment is sent again (the timeout) and
# nothing beyond it went out before that: a window of one segment. The timeout
# was 3 s, not 1 s: a handshake that timed out leaves no RTT sample, and the RTO
# starts again from 3 s (RFC 6298 5.7; Linux's TCP_TIMEOUT_FALLBACK).
gbn_iw1() {
	local re="src=$srv:$1 dst=$cli:$2 flags=A[P]* seq=$3 .* len=100 " t

	wait_for "$work/cap.gbn" "$re" 10 2 || return 1
	has_line "$work/cap.gbn" "src=$srv:$1 dst=$cli:$2 flags=A[P]* seq=$((($3 + 100) & M)) " &&
		{ echo "#   a second segment went out"; return 1; }
	t=$(lines_of "$work/cap.gbn" "$re" |
		awk '{ sub(/^t=/, "", $1); t[NR] = $1 } END { printf "%d", (t[2] - t[1]) * 1000 }')
	echo "#   the first segment went again after $t ms"
	[ "$t" -ge 2800 ]
}

# fastrtx: six segments go, the second is lost. The peer ACKs the first and
# sends three duplicates of that ACK: the second segment goes again at once
# (fast retransmit, RFC 5681 3.2), before the retransmission timer, and NewReno's
# recovery (RFC 6582) starts (TCPRenoRecovery, TCPFastRetrans); the ACK of all
# six ends it, and nothing more is sent again.
scenario_fastrtx() {
	echo "# === NewReno: fast retransmit after three duplicate ACKs"
	frx_mode=fastrtx
	three_tries fastrtx fastrtx_try 30050 40321
}

# sackrtx: the same with SACK, the peer sending data of its own: its three
# ACKs of the first segment carry 10 bytes each (so RFC 5681 would not count
# them) and SACK blocks naming more each time (RFC 6675's duplicate ACKs).
scenario_sackrtx() {
	echo "# === SACK: ACKs with data that SACK new data are duplicate ACKs (RFC 6675)"
	frx_mode=sackrtx
	three_tries sackrtx fastrtx_try 30052 40325
}

# frxundo: the same with timestamps, where the second segment was only late:
# the ACK of all echoes its first transmission's TSval, older than the
# retransmission's, so the recovery is undone (RFC 3522, TCPFullUndo).
scenario_frxundo() {
	echo "# === Eifel: a fast recovery for a late segment is undone"
	frx_mode=frxundo
	three_tries frxundo fastrtx_try 30053 40326
}

# frxcc: fastrtx with the example congestion controller (xtcp_cc_scalable.ko,
# loaded here if need be) chosen with TCP_CONGESTION on the listener: the
# connection inherits it, and the loss leaves its threshold, cwnd less an
# eighth (11 - 1 = 10 segments), where NewReno's fastrtx leaves half the
# flight (5 / 2, at least 2).
scenario_frxcc() {
	local ko loaded=0

	echo "# === a congestion controller of its own module decides the threshold"
	if ! grep -q '^xtcp_cc_scalable ' /proc/modules; then
		ko=$(cc_example_ko)
		if [ -z "$ko" ] || ! insmod "$ko"; then
			echo "# no example controller beside \$XTCP_KO: frxcc skipped"
			return
		fi
		loaded=1
	fi
	frx_mode=frxcc
	three_tries frxcc fastrtx_try 30054 40327
	[ $loaded = 1 ] && rmmod_patient xtcp_cc_scalable
}

# frxcubic: fastrtx with the built-in CUBIC chosen on the listener: the loss
# leaves beta_cubic = 0.7 of the window (RFC 9438 4.6): 11 * 0.7 = 7.
scenario_frxcubic() {
	echo "# === CUBIC: a loss leaves 0.7 of the window"
	frx_mode=frxcubic
	three_tries frxcubic fastrtx_try 30055 40328
}

# sackholes: ten segments go, the third, sixth and eighth are lost. The peer
# ACKs the first two, then SACKs what follows as it arrives, the most recent
# block first (RFC 2018 4). The third duplicate starts a SACK recovery (RFC
# 6675, TCPSackRecovery): the first hole goes again; the fourth makes the
# sixth segment lost (three segments' worth SACKed above it) and PRR's window
# lets both it and the eighth (a hole with SACKed data above it: NextSeg's rule
# 3) go at once: three holes in one round trip, each once, no SACKed segment
# sent again, no timeout. NewReno would need three round trips.
scenario_sackholes() {
	echo "# === SACK recovery: three holes repaired in one round trip (RFC 6675, PRR)"
	three_tries sackholes sackholes_try 30056 40329
}

# sack_opts START END [START END...]: a SACK option of those blocks, as --raw-opt hex.
sack_opts() {
	local hex
	printf -v hex '010105%02x' $((2 + 4 * $#))
	while [ $# -ge 2 ]; do
		printf -v hex '%s%08x%08x' "$hex" $(($1 & M)) $(($2 & M))
		shift 2
	done
	echo "$hex"
}

# flight_start NAME SPORT CPORT BYTES [SERVER-OPTIONS...] -- [SYN-OPTIONS...]: the
# start the loss-recovery scenarios share. An XTCP server that sends BYTES and
# then reads on (SERVER-OPTIONS added); the fake client's SYN with SYN-OPTIONS
# (an MSS of 100 bytes of data per segment); its handshake ACK half a second
# after the SYN-ACK, echoing the SYN-ACK's timestamp if it has one: an RTT that
# gives the scenario's later segments time before any timer (a retransmission
# timeout of 1.5 s; each segment the script sends costs up to half a second on
# the debug kernel), and not longer (the SYN-ACK's own timeout is 1 s). The
# same xtcp_pkt sends the SYN and the ACK (--ack-after): starting a second one
# took the ACK past that timeout on a loaded machine. Then the whole flight at
# once. Sets isn1
# (the server's first data byte). Returns 0 when the flight went; 1 when the
# scenario cannot go on (what failed was checked); 2 when it should try again
# (the SYN-ACK went twice: a window of one segment), the connection reset.
# With flight_sent=N set, the flight is the first N bytes (the rest waits);
# with flight_flags=F the SYN's flags are F and the SYN-ACK's flight_sa.
flight_start() {
	local name=$1 sp=$2 cp=$3 bytes=$4 text sa
	local -a srv_opts=() syn_opts=()

	shift 4
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		srv_opts+=("$1")
		shift
	done
	[ $# -gt 0 ] && shift
	syn_opts=("$@")
	printf -v text "%0${bytes}d" 0
	srv_start "$name" --port "$sp" --send "$text" --then send-eof "${srv_opts[@]}" ||
		{ check "$name: the server listens" false; return 1; }
	cap_start "$name" "$sp"
	snap
	sa=$(ask 5000 "$cp" "$sp" "${flight_flags:-S}" --seq 1000 --ack-after 500 "${syn_opts[@]}")
	parse "$sa"
	isn=$p_seq
	check_seg "$name: ${flight_flags:-S} (${syn_opts[*]}) -> SYN-ACK" "$sa" "${flight_sa:-SA}" \
		"${isn:-none}" 1001
	if [ -z "$isn" ]; then
		srv_stop
		cap_stop
		return 1
	fi
	isn1=$(((isn + 1) & M))
	if ! wait_for "$work/cap.$name" "src=$srv:$sp dst=$cli:$cp flags=A[PF]* seq=$(((isn1 + ${flight_sent:-$bytes} - 100) & M)) .* len=100 " 10 ||
	   has_line "$work/cap.$name" "src=$srv:$sp dst=$cli:$cp flags=SA " 2; then
		echo "#   the flight did not go at once (the SYN-ACK went twice?): again"
		seg "$cp" "$sp" R --seq 1001
		srv_stop
		cap_stop
		return 2
	fi
}

# sackholes_try SPORT CPORT: one run of sackholes; 2 when the SYN-ACK had to go
# again or the timer beat the script to it.
sackholes_try() {
	local sp=$1 cp=$2 rc=0 i n probes

	flight_start sackholes "$sp" "$cp" 1000 -- --mss 100 --sackok
	case $? in
	1) return 0 ;;
	2) return 2 ;;
	esac
	if ! has_sackok; then
		check "sackholes: the SYN-ACK permits SACK" false
		seg "$cp" "$sp" R --seq 1001
		srv_stop
		cap_stop
		return 0
	fi
	# 0 and 1 arrived; 2 did not; 3, 4; 5 did not; 6; 7 did not; 8, 9.
	seg $cp $sp A --seq 1001 --ack $(((isn1 + 200) & M))
	seg $cp $sp A --seq 1001 --ack $(((isn1 + 200) & M)) \
		--raw-opt "$(sack_opts $((isn1 + 300)) $((isn1 + 400)))"
	seg $cp $sp A --seq 1001 --ack $(((isn1 + 200) & M)) \
		--raw-opt "$(sack_opts $((isn1 + 300)) $((isn1 + 500)))"
	seg $cp $sp A --seq 1001 --ack $(((isn1 + 200) & M)) \
		--raw-opt "$(sack_opts $((isn1 + 600)) $((isn1 + 700)) $((isn1 + 300)) $((isn1 + 500)))"
	wait_for "$work/cap.sackholes" "src=$srv:$sp dst=$cli:$cp flags=A[P]* seq=$(((isn1 + 200) & M)) .* len=100 " 5 2
	seg $cp $sp A --seq 1001 --ack $(((isn1 + 200) & M)) \
		--raw-opt "$(sack_opts $((isn1 + 800)) $((isn1 + 1000)) $((isn1 + 600)) $((isn1 + 700)) $((isn1 + 300)) $((isn1 + 500)))"
	wait_for "$work/cap.sackholes" "src=$srv:$sp dst=$cli:$cp flags=A[P]* seq=$(((isn1 + 700) & M)) .* len=100 " 5 2
	# The ACK of all at once: the checks below take the debug kernel longer
	# than the retransmissions' timeout.
	seg $cp $sp A --seq 1001 --ack $(((isn1 + 1000) & M))
	sleep 0.3
	read_counters
	probes=$((cur[TCPLossProbes] - snapv[TCPLossProbes]))
	if ! moved_quiet TCPTimeouts=0; then
		echo "#   the retransmission timer beat the ACKs: again"
		rc=2
	else
		# A slow script may let a tail loss probe send the last segment
		# again before the duplicates: counted, and allowed.
		check "sackholes: at most one loss probe ($probes)" [ "$probes" -le 1 ]
		check "sackholes: the last segment sent again only by a probe" \
			not has_line "$work/cap.sackholes" "src=$srv:$sp dst=$cli:$cp flags=A[PF]* seq=$(((isn1 + 900) & M)) .* len=100 " $((2 + probes))
		for i in 2 5 7; do
			check "sackholes: the hole at $((i * 100)) sent again, once" \
				has_line_exactly "$work/cap.sackholes" "src=$srv:$sp dst=$cli:$cp flags=A[P]* seq=$(((isn1 + i * 100) & M)) .* len=100 " 2
		done
		n=0
		for i in 0 1 3 4 6 8; do
			has_line "$work/cap.sackholes" "src=$srv:$sp dst=$cli:$cp flags=A[PF]* seq=$(((isn1 + i * 100) & M)) .* len=100 " 2 &&
				n=$((n + 1))
		done
		check "sackholes: no acknowledged or SACKed segment sent again ($n were)" [ $n = 0 ]
		check "sackholes: nothing sent again after the ACK of all" \
			not has_line "$work/cap.sackholes" "src=$srv:$sp dst=$cli:$cp flags=A[P]* seq=$(((isn1 + 200) & M)) .* len=100 " 3
		moved sackholes PassiveOpens=1 TCPSackRecovery=1 TCPRenoRecovery=0 \
			TCPFastRetrans=3 RetransSegs=$((3 + probes)) InErrs=0 TCPSACKDiscard=0 \
			TCPTimeouts=0
	fi
	seg $cp $sp R --seq 1001
	srv_stop
	cap_stop
	return $rc
}

# tlp: six segments go and the last is lost; the peer ACKs the first five. No
# duplicate ACK can come, so without a probe only the retransmission timeout
# would send it again. The tail loss probe (RFC 8985 7) goes first, two round
# trips (and a delayed ACK) after the ACK: the last segment again
# (TCPLossProbes), before any timeout (TCPTimeouts). Its ACK ends it; nothing
# more is sent again.
scenario_tlp() {
	echo "# === a tail loss repaired by a loss probe, not a timeout (RFC 8985 7)"
	three_tries tlp tlp_try 30057 40330
}

# tlp_try SPORT CPORT: one run of tlp; 2 when the SYN-ACK had to go again.
tlp_try() {
	local sp=$1 cp=$2 rc=0 re

	# After the ACK of five, the probe comes at 2 RTTs + 0.2 s, before the
	# timeout's 3 RTTs (flight_start's RTT: half a second at least).
	flight_start tlp "$sp" "$cp" 600 -- --mss 100 --sackok
	case $? in
	1) return 0 ;;
	2) return 2 ;;
	esac
	re="src=$srv:$sp dst=$cli:$cp flags=A[P]* seq=$(((isn1 + 500) & M)) .* len=100 "
	seg $cp $sp A --seq 1001 --ack $(((isn1 + 500) & M))
	if ! wait_for "$work/cap.tlp" "$re" 10 2; then
		check "tlp: the last segment sent again" false
	elif ! moved_quiet TCPLossProbes=1 TCPTimeouts=0 && moved_quiet TCPLossProbes=0 TCPTimeouts=1; then
		# An RTT under 0.2 s puts the probe after the timeout: none is due.
		echo "#   the handshake's RTT left no room for a probe before the timeout: again"
		rc=2
	else
		check "tlp: the last segment sent again, as a loss probe, before any timeout" \
			moved_quiet TCPLossProbes=1 TCPTimeouts=0 RetransSegs=1
		seg $cp $sp A --seq 1001 --ack $(((isn1 + 600) & M))
		sleep 0.3
		check "tlp: nothing more after its ACK" not has_line "$work/cap.tlp" "$re" 3
		moved tlp PassiveOpens=1 TCPLossProbes=1 TCPTimeouts=0 RetransSegs=1 \
			TCPSackRecovery=0 TCPLossProbeRecovery=0 InErrs=0
	fi
	seg $cp $sp R --seq 1001
	srv_stop
	cap_stop
	return $rc
}

# rack: six segments go; the peer acknowledges the first and SACKs only the
# third. One SACKed segment says nothing to RFC 6675 (it needs three) and
# brings one duplicate ACK. RACK (RFC 8985 6.2) looks at time: the second was
# sent before the third, which arrived; once the third's round trip and the
# reordering window have passed since the second went, it is lost. The window
# is a quarter of the least RTT (no reordering seen, fewer than three
# SACKed), so the second goes again from the reordering timer: not at once,
# and before a tail loss probe (two RTTs) or a timeout would have sent
# anything. Linux's RACK does the same (tcp_rack_reo_wnd()). Its ACK ends
# the recovery; nothing more goes.
scenario_rack() {
	echo "# === RFC 8985 6: a loss found by time (RACK), one segment SACKed above it"
	three_tries rack rack_try 30058 40331
}

# time_of FILE REGEX [N]: the capture time of the Nth (first) line of FILE that
# matches.
time_of() {
	local line n=${3:-1}

	while IFS= read -r line; do
		[[ $line =~ $2 ]] || continue
		n=$((n - 1))
		[ $n = 0 ] || continue
		parse "$line"
		echo "$p_t"
		return
	done <"$1"
}

# ms_between T1 T2: the milliseconds from capture time T1 to T2.
ms_between() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%d", (b - a) * 1000 }'
}

# rack_try SPORT CPORT: one run of rack; 2 when the SYN-ACK had to go again, or
# a probe or the timer came first (a script too slow).
rack_try() {
	local sp=$1 cp=$2 rc=0 re t_sa t_ack t_d1 t_d2 t_d3 t_a1 t_rtx min reo dt due rtt

	flight_start rack "$sp" "$cp" 600 -- --mss 100 --sackok
	case $? in
	1) return 0 ;;
	2) return 2 ;;
	esac
	re="src=$srv:$sp dst=$cli:$cp flags=A[P]* seq=$(((isn1 + 100) & M)) .* len=100 "
	seg $cp $sp A --seq 1001 --ack $(((isn1 + 100) & M)) \
		--raw-opt "$(sack_opts $((isn1 + 200)) $((isn1 + 300)))"
	if ! wait_for "$work/cap.rack" "$re" 10 2; then
		check "rack: the second segment sent again" false
		seg $cp $sp R --seq 1001
		srv_stop
		cap_stop
		return 0
	fi
	# The ACK of all at once: the checks below take the debug kernel longer
	# than the retransmission's timeout.
	seg $cp $sp A --seq 1001 --ack $(((isn1 + 600) & M))
	sleep 0.3
	if ! moved_quiet TCPLossProbes=0 TCPTimeouts=0; then
		echo "#   a probe or the timeout came first: again"
		rc=2
	else
		t_sa=$(time_of "$work/cap.rack" "src=$srv:$sp dst=$cli:$cp flags=SA ")
		t_ack=$(time_of "$work/cap.rack" "src=$cli:$cp dst=$srv:$sp flags=A seq=1001 ack=$isn1 ")
		t_d1=$(time_of "$work/cap.rack" "src=$srv:$sp dst=$cli:$cp flags=A[P]* seq=$isn1 ")
		t_a1=$(time_of "$work/cap.rack" "src=$cli:$cp dst=$srv:$sp flags=A seq=1001 ack=$(((isn1 + 100) & M)) ")
		t_d2=$(time_of "$work/cap.rack" "$re")
		t_rtx=$(time_of "$work/cap.rack" "$re" 2)
		t_d3=$(time_of "$work/cap.rack" "src=$srv:$sp dst=$cli:$cp flags=A[P]* seq=$(((isn1 + 200) & M)) ")
		# The least RTT: the handshake's, the first segment's or the third's.
		min=$(ms_between "$t_sa" "$t_ack")
		for rtt in "$(ms_between "$t_d1" "$t_a1")" "$(ms_between "$t_d3" "$t_a1")"; do
			[ "$rtt" -lt "$min" ] && min=$rtt
		done
		reo=$((min / 4))
		# The second is lost the window after the third's round trip ends,
		# less what it went before the third.
		due=$((reo - $(ms_between "$t_d2" "$t_d3")))
		dt=$(ms_between "$t_a1" "$t_rtx")
		# Not at once: the timer fires no earlier than asked, but the capture's
		# times are not the kernel's (half the due time is the bound).
		check "rack: the second segment again a reordering window after the SACK ($dt ms; due at $due ms, window $reo ms)" \
			[ "$dt" -ge $((due / 2)) ]
		check "rack: by RACK's timer, before a probe or a timeout" \
			moved_quiet TCPLossProbes=0 TCPTimeouts=0 TCPSackRecovery=1 RetransSegs=1
		check "rack: nothing more after the ACK of all" not has_line "$work/cap.rack" "$re" 3
		moved rack PassiveOpens=1 TCPSackRecovery=1 TCPFastRetrans=1 RetransSegs=1 \
			TCPLossProbes=0 TCPTimeouts=0 TCPRenoRecovery=0 InErrs=0 TCPSACKDiscard=0
	fi
	seg $cp $sp R --seq 1001
	srv_stop
	cap_stop
	return $rc
}

# dsackundo: six segments go and the second is only late. The peer
# acknowledges the first and SACKs the third to fifth: a SACK recovery sends
# the second again. Then the late original arrives and the peer acknowledges
# all, reporting the second twice: a D-SACK below its ACK (RFC 2883 4.1.1).
# The recovery's only retransmission was needless, so nothing was lost: the
# reduction is undone (RFC 3708's response, as Linux's D-SACK undo,
# TCPDSACKUndo): reno's threshold is back to none.
scenario_dsackundo() {
	echo "# === RFC 2883, 3708: a recovery for a late segment undone by its D-SACK"
	three_tries dsackundo dsackundo_try 30059 40332
}

# dsackundo_try SPORT CPORT: one run of dsackundo; 2 when the SYN-ACK had to
# go again, or a probe or the timer came first.
dsackundo_try() {
	local sp=$1 cp=$2 rc=0 re line i

	flight_start dsackundo "$sp" "$cp" 600 --cc reno --info -- --mss 100 --sackok
	case $? in
	1) return 0 ;;
	2) return 2 ;;
	esac
	re="src=$srv:$sp dst=$cli:$cp flags=A[P]* seq=$(((isn1 + 100) & M)) .* len=100 "
	seg $cp $sp A --seq 1001 --ack $(((isn1 + 100) & M))
	for i in 3 4 5; do
		seg $cp $sp A --seq 1001 --ack $(((isn1 + 100) & M)) \
			--raw-opt "$(sack_opt $((isn1 + 200)) $((isn1 + i * 100)))"
	done
	if ! wait_for "$work/cap.dsackundo" "$re" 5 2; then
		check "dsackundo: the second segment sent again" false
		seg $cp $sp R --seq 1001
		srv_stop
		cap_stop
		return 0
	fi
	# At once: a check first would take the debug kernel past the timeout.
	seg $cp $sp A --seq 1001 --ack $(((isn1 + 600) & M)) \
		--raw-opt "$(sack_opt $((isn1 + 100)) $((isn1 + 200)))"
	sleep 0.3
	if ! moved_quiet TCPLossProbes=0 TCPTimeouts=0; then
		echo "#   a probe or the timeout came first: again"
		rc=2
	else
		check "dsackundo: the D-SACK of the only segment sent again undoes the recovery" \
			moved_quiet TCPDSACKRecv=1 TCPDSACKUndo=1
		moved dsackundo PassiveOpens=1 TCPSackRecovery=1 TCPFastRetrans=1 RetransSegs=1 \
			TCPDSACKRecv=1 TCPDSACKUndo=1 TCPTimeouts=0 InErrs=0 TCPSACKDiscard=0
	fi
	seg $cp $sp R --seq 1001
	if [ $rc = 0 ]; then
		# The reset ends the server's reading: it tells its window, then closes.
		wait_for "$work/srv.dsackundo" '^info ' 10
		line=$(lines_of "$work/srv.dsackundo" '^info ')
		check "dsackundo: reno's threshold back to none (${line:-no info})" \
			info_is "$line" reno 2147483647
	fi
	srv_stop
	cap_stop
	return $rc
}

# frto: fifteen segments to send, ten go (the initial window). Nothing is
# acknowledged until the retransmission timeout, which sends the first again
# and nothing more (F-RTO, RFC 5682 2.1). The peer acknowledges it: two new
# segments go (2b), not the second again. The peer then acknowledges all ten:
# data never sent again arrived, so the timeout was spurious (the flight was
# only late): no go-back-N, the reduction undone (TCPSpuriousRTOs), and the
# rest goes at once. Linux's F-RTO (net.ipv4.tcp_frto) answers the same.
scenario_frto() {
	echo "# === RFC 5682: a spurious retransmission timeout found by F-RTO, undone"
	three_tries frto frto_try 30060 40333
}

# frto_try SPORT CPORT: one run of frto; 2 when the SYN-ACK had to go again or
# the script was slower than the second timeout.
frto_try() {
	local sp=$1 cp=$2 rc=0 i n=0 s2

	flight_sent=1000 flight_start frto "$sp" "$cp" 1500 -- --mss 100
	case $? in
	1) return 0 ;;
	2) return 2 ;;
	esac
	s2="src=$srv:$sp dst=$cli:$cp flags=A[P]* seq=$(((isn1 + 100) & M)) .* len=100 "
	# The timeout: 1.5 s after the flight (the handshake's RTT is half a second).
	if ! wait_for "$work/cap.frto" "src=$srv:$sp dst=$cli:$cp flags=A[P]* seq=$isn1 .* len=100 " 10 2; then
		check "frto: the timeout sends the first segment again" false
		seg $cp $sp R --seq 1001
		srv_stop
		cap_stop
		return 0
	fi
	sleep 0.2
	check "frto: the timeout sends the first segment again, and nothing more" \
		not has_line "$work/cap.frto" "$s2" 2
	seg $cp $sp A --seq 1001 --ack $(((isn1 + 100) & M))
	wait_for "$work/cap.frto" "src=$srv:$sp dst=$cli:$cp flags=A[P]* seq=$(((isn1 + 1100) & M)) .* len=100 " 5
	seg $cp $sp A --seq 1001 --ack $(((isn1 + 1000) & M))
	wait_for "$work/cap.frto" "src=$srv:$sp dst=$cli:$cp flags=A[PF]* seq=$(((isn1 + 1400) & M)) .* len=100 " 5
	if ! moved_quiet TCPTimeouts=1; then
		echo "#   a second timeout beat the script: again"
		rc=2
	else
		check "frto: its ACK lets two new segments go (2b), not the second again" \
			has_line "$work/cap.frto" "src=$srv:$sp dst=$cli:$cp flags=A[P]* seq=$(((isn1 + 1100) & M)) .* len=100 "
		for i in 1 2 3 4 5 6 7 8 9; do
			has_line "$work/cap.frto" "src=$srv:$sp dst=$cli:$cp flags=A[P]* seq=$(((isn1 + i * 100) & M)) .* len=100 " 2 &&
				n=$((n + 1))
		done
		check "frto: the ACK of the ten says the timeout was spurious: no go-back-N ($n sent again)" \
			[ $n = 0 ]
		check "frto: the window is back: the rest goes at once" \
			has_line "$work/cap.frto" "src=$srv:$sp dst=$cli:$cp flags=A[PF]* seq=$(((isn1 + 1400) & M)) .* len=100 "
		moved frto PassiveOpens=1 TCPTimeouts=1 TCPSpuriousRTOs=1 RetransSegs=1 \
			TCPRenoRecovery=0 InErrs=0
	fi
	seg $cp $sp R --seq 1001
	srv_stop
	cap_stop
	return $rc
}

# ecn: RFC 3168 with the fake client, against an XTCP server (NewReno). The SYN
# asks for ECN (ECE and CWR); the SYN-ACK agrees (ECE alone). The server's ten
# segments go ECT(0). The client's ACK of two echoes congestion (ECE): the
# window is reduced once, to half the flight (ssthresh 5), paced by PRR (one
# segment for every two delivered), and the first new segment carries CWR.
# A second ECE in the same window changes nothing (a second cut would leave 4).
# The ACK beyond that data ends the reduction: the window is ssthresh, and the
# rest goes. Nothing is sent again. Then the other way: the client's data
# marked CE is ACKed at once with ECE, ECE goes on until data with CWR, and
# TCP_INFO says ECN (8) and ECN seen (16).
scenario_ecn() {
	echo "# === RFC 3168: ECN agreed, an echo of congestion answered once per window"
	three_tries ecn ecn_try 30061 40334
}

# ecn_try SPORT CPORT: one run of ecn; 2 when the SYN-ACK had to go again or a
# timer beat the script.
ecn_try() {
	local sp=$1 cp=$2 rc=0 i n=0 a line probes opts t1 t2
	local s="src=$srv:$sp dst=$cli:$cp"

	flight_flags=SEW flight_sa=SAE flight_sent=1000 flight_start ecn "$sp" "$cp" 1500 \
		--cc reno --info -- --mss 100
	case $? in
	1) return 0 ;;
	2) return 2 ;;
	esac
	seg $cp $sp AE --seq 1001 --ack $(((isn1 + 200) & M))
	wait_for "$work/cap.ecn" "$s flags=A[P]*W seq=$(((isn1 + 1000) & M)) .* len=100 " 5
	seg $cp $sp AE --seq 1001 --ack $(((isn1 + 400) & M))
	wait_for "$work/cap.ecn" "$s flags=A[P]* seq=$(((isn1 + 1100) & M)) .* len=100 " 5
	seg $cp $sp A --seq 1001 --ack $(((isn1 + 1200) & M))
	wait_for "$work/cap.ecn" "$s flags=A[P]* seq=$(((isn1 + 1400) & M)) .* len=100 " 5
	seg $cp $sp A --seq 1001 --ack $(((isn1 + 1500) & M))
	# The other way: CE, then ECT(0), then CWR.
	a=$(ask 3000 $cp $sp AP --seq 1001 --ack $(((isn1 + 1500) & M)) --len 100 --tos 3 --ecn)
	check_seg "ecn: data marked CE -> an ACK with ECE" "$a" AE $(((isn1 + 1500) & M)) 1101
	check "ecn: that ACK is Not-ECT" [ "${a##* }" = ecn=not ]
	a=$(ask 3000 $cp $sp AP --seq 1101 --ack $(((isn1 + 1500) & M)) --len 100 --tos 2)
	check_seg "ecn: more data, not CE -> ECE still" "$a" AE $(((isn1 + 1500) & M)) 1201
	a=$(ask 3000 $cp $sp APW --seq 1201 --ack $(((isn1 + 1500) & M)) --len 100 --tos 2)
	check_seg "ecn: data with CWR -> an ACK without ECE" "$a" A $(((isn1 + 1500) & M)) 1301
	sleep 0.3
	read_counters
	probes=$((cur[TCPLossProbes] - snapv[TCPLossProbes]))
	if ! moved_quiet TCPTimeouts=0; then
		echo "#   the retransmission timer beat the ACKs: again"
		rc=2
	else
		for i in 0 1 2 3 4 5 6 7 8 9; do
			has_line "$work/cap.ecn" "$s flags=A[P]* seq=$(((isn1 + i * 100) & M)) .* len=100 .* ecn=ect0\$" &&
				n=$((n + 1))
		done
		check "ecn: the ten segments of the flight go ECT(0) ($n did)" [ $n = 10 ]
		check "ecn: the first new segment after the echo carries CWR" \
			has_line "$work/cap.ecn" "$s flags=A[P]*W seq=$(((isn1 + 1000) & M)) .* len=100 .* ecn=ect0\$"
		check "ecn: the next one does not" \
			has_line "$work/cap.ecn" "$s flags=A[P]* seq=$(((isn1 + 1100) & M)) .* len=100 .* ecn=ect0\$"
		t1=$(time_of "$work/cap.ecn" "$s flags=A[P]* seq=$(((isn1 + 1100) & M)) .* len=100 ")
		t2=$(time_of "$work/cap.ecn" "src=$cli:$cp dst=$srv:$sp flags=AE seq=1001 ack=$(((isn1 + 400) & M)) ")
		check "ecn: PRR: one new segment for the first two delivered, the next after two more" \
			[ "$(ms_between "${t2:-0}" "${t1:--1}")" -ge 0 ]
		check "ecn: the SYN-ACK is Not-ECT" \
			has_line "$work/cap.ecn" "$s flags=SAE .* ecn=not\$"
		check "ecn: at most one loss probe ($probes)" [ "$probes" -le 1 ]
		moved ecn PassiveOpens=1 TCPECNReductions=1 TCPECNCEReceived=1 \
			RetransSegs=$probes TCPRenoRecovery=0 TCPTimeouts=0 InErrs=0
	fi
	seg $cp $sp R --seq 1301
	if [ $rc = 0 ]; then
		wait_for "$work/srv.ecn" '^info ' 10
		line=$(lines_of "$work/srv.ecn" '^info ')
		check "ecn: one reduction: reno's threshold is half the flight of ten (${line:-no info})" \
			info_is "$line" reno 5
		opts=${line##*options=}
		check "ecn: TCP_INFO says ECN agreed and seen (${opts:-none})" \
			[ "$(((${opts:-0} & 24)))" = 24 ]
	fi
	srv_stop
	cap_stop
	return $rc
}

# ecnneg: what asks for ECN and what agrees. SYNs to an XTCP listener: ECE and
# CWR get ECE alone back; ECE or CWR alone, an ECT SYN, or net.xtcp.ecn 0 get
# neither. An XTCP client with net.xtcp.ecn 1: its SYN asks, the one sent again
# does not (RFC 3168 6.1.1.1); after a SYN-ACK with ECE its data goes ECT(0),
# after one with ECE and CWR (no agreement) Not-ECT. With the default (2) its
# SYN does not ask.
scenario_ecnneg() {
	local sp=30070 cp=40340 a isn c

	echo "# === RFC 3168 6.1.1: ECN's handshake, both sides"
	srv_start ecnneg --port $sp --then close || { check "ecnneg: the server listens" false; return; }
	cap_start ecnneg $sp
	snap
	a=$(ask 3000 $cp $sp SEW --seq 1000 --mss 1000)
	parse "$a"
	check_seg "ecnneg: SYN with ECE and CWR -> SYN-ACK with ECE" "$a" SAE "${p_seq:-none}" 1001
	seg $cp $sp R --seq 1001
	a=$(ask 3000 $((cp + 1)) $sp SE --seq 1000 --mss 1000)
	parse "$a"
	check_seg "ecnneg: SYN with ECE alone -> no ECE" "$a" SA "${p_seq:-none}" 1001
	seg $((cp + 1)) $sp R --seq 1001
	a=$(ask 3000 $((cp + 2)) $sp SW --seq 1000 --mss 1000)
	parse "$a"
	check_seg "ecnneg: SYN with CWR alone -> no ECE" "$a" SA "${p_seq:-none}" 1001
	seg $((cp + 2)) $sp R --seq 1001
	a=$(ask 3000 $((cp + 3)) $sp SEW --seq 1000 --mss 1000 --tos 2)
	parse "$a"
	check_seg "ecnneg: an ECT(0) SYN asking -> no ECE (a SYN is never ECT)" "$a" SA \
		"${p_seq:-none}" 1001
	seg $((cp + 3)) $sp R --seq 1001
	xsysctl ecn 0
	a=$(ask 3000 $((cp + 4)) $sp SEW --seq 1000 --mss 1000)
	parse "$a"
	check_seg "ecnneg: net.xtcp.ecn 0 -> no ECE" "$a" SA "${p_seq:-none}" 1001
	seg $((cp + 4)) $sp R --seq 1001
	srv_stop
	cap_stop

	# The active side, from port sp + 1 to the fake server at cp + 10.
	c=$((cp + 10))
	xsysctl ecn 1
	cap_start ecnneg1 $c
	cli_start ecnneg1 --addr $cli --port $c --local $srv:$((sp + 1)) --syncnt 1 --then close
	check "ecnneg: net.xtcp.ecn 1: the SYN asks (ECE and CWR)" \
		wait_for "$work/cap.ecnneg1" "src=$srv:$((sp + 1)) dst=$cli:$c flags=SEW " 5
	check "ecnneg: the SYN sent again does not" \
		wait_for "$work/cap.ecnneg1" "src=$srv:$((sp + 1)) dst=$cli:$c flags=S " 5
	srv_wait_exit || srv_stop
	cap_stop
	for a in SAE SAEW; do
		c=$((c + 1))
		cap_start "ecnneg$a" $c
		cli_start "ecnneg$a" --addr $cli --port $c --local $srv:$((sp + 1)) --send hello \
			--then send-eof
		if ! wait_for "$work/cap.ecnneg$a" "src=$srv:$((sp + 1)) dst=$cli:$c flags=SEW " 5; then
			check "ecnneg: a SYN that asks, to answer with $a" false
			srv_stop
			cap_stop
			continue
		fi
		parse "$(lines_of "$work/cap.ecnneg$a" "src=$srv:$((sp + 1)) dst=$cli:$c flags=SEW ")"
		isn=$p_seq
		seg $c $((sp + 1)) "$a" --seq 5000 --ack $(((isn + 1) & M)) --mss 1000
		if [ $a = SAE ]; then
			check "ecnneg: after SYN-ACK with ECE: the data goes ECT(0)" \
				wait_for "$work/cap.ecnneg$a" "src=$srv:$((sp + 1)) dst=$cli:$c flags=AP seq=$(((isn + 1) & M)) .* len=5 .* ecn=ect0\$" 5
		else
			check "ecnneg: after SYN-ACK with ECE and CWR: no ECN, Not-ECT data" \
				wait_for "$work/cap.ecnneg$a" "src=$srv:$((sp + 1)) dst=$cli:$c flags=AP seq=$(((isn + 1) & M)) .* len=5 .* ecn=not\$" 5
		fi
		seg $c $((sp + 1)) R --seq 5001
		srv_wait_exit || srv_stop
		cap_stop
	done
	xsysctl ecn 2
	c=$((c + 1))
	cap_start ecnneg2 $c
	cli_start ecnneg2 --addr $cli --port $c --local $srv:$((sp + 1)) --syncnt 1 --then close
	check "ecnneg: net.xtcp.ecn 2 (the default): the SYN does not ask" \
		wait_for "$work/cap.ecnneg2" "src=$srv:$((sp + 1)) dst=$cli:$c flags=S " 5
	srv_wait_exit || srv_stop
	cap_stop
	moved ecnneg InErrs=0 TCPECNReductions=0
}

# info_is LINE CC SSTHRESH: the server's "info" line names CC and SSTHRESH.
info_is() {
	[[ $1 == "info cc=$2 cwnd="*" ssthresh=$3 "* ]]
}

# sack_opt START END: a SACK option of one block, as --raw-opt hex.
sack_opt() {
	printf '0101050a%08x%08x' $(($1 & M)) $(($2 & M))
}

# fastrtx_try SPORT CPORT: one run of the scenario frx_mode names (fastrtx,
# sackrtx, frxundo, frxcc, frxcubic); 2 when the SYN-ACK had to go again (a window of
# one segment) or the timer beat the script to it.
fastrtx_try() {
	local sp=$1 cp=$2 rc=0 re name=$frx_mode i seq=1001 ts=() tsv undo=0 line
	local probes
	local info=() cc=reno want=2 syn=(--mss 100)

	case $name in
	fastrtx) info=(--cc reno --info) ;;
	frxcc) info=(--cc scalable --info) cc=scalable want=10 ;;
	frxcubic) info=(--cc cubic --info) cc=cubic want=7 ;;
	sackrtx) syn=(--mss 100 --sackok) ;;
	# 12 bytes of timestamps in every segment: 100 of data still.
	frxundo) syn=(--mss 112 --ts 100:0) ;;
	esac
	flight_start "$name" "$sp" "$cp" 600 "${info[@]}" -- "${syn[@]}"
	case $? in
	1) return 0 ;;
	2) return 2 ;;
	esac
	re="src=$srv:$sp dst=$cli:$cp flags=A[P]* seq=$(((isn1 + 100) & M)) .* len=100 "
	if [ "$name" = sackrtx ]; then
		# The first arrived, the second did not, the third to fifth did.
		seg $cp $sp A --seq 1001 --ack $(((isn1 + 100) & M))
		for i in 3 4 5; do
			seg $cp $sp AP --seq $seq --ack $(((isn1 + 100) & M)) --len 10 \
				--raw-opt "$(sack_opt $((isn1 + 200)) $((isn1 + i * 100)))"
			seq=$((seq + 10))
		done
	else
		# The first arrived, the second did not: its ACK and three duplicates,
		# echoing the six segments' TSval (frxundo).
		if [ "$name" = frxundo ]; then
			line=$(lines_of "$work/cap.$name" "$re")
			parse "${line%%$'\n'*}"
			opt_ts "$p_opts"
			tsv=$o_tsval
			ts=(--ts "102:${tsv:-0}")
			undo=1
		fi
		seg $cp $sp A --seq 1001 --ack $(((isn1 + 100) & M)) --repeat 4 "${ts[@]}"
	fi
	if [ $rc = 0 ]; then
		wait_for "$work/cap.$name" "$re" 5 2
		if has_line "$work/cap.$name" "src=$srv:$sp dst=$cli:$cp flags=A[P]* seq=$isn1 .* len=100 " 2 ||
		   ! moved_quiet TCPTimeouts=0; then
			echo "#   the retransmission timer fired before the duplicates came: again"
			rc=2
		else
			check "$name: three duplicate ACKs -> the second segment again" \
				has_line "$work/cap.$name" "$re" 2
			# The ACK of all; with timestamps it echoes the first transmission.
			seg $cp $sp A --seq $seq --ack $(((isn1 + 600) & M)) "${ts[@]}"
			sleep 0.3
		fi
	fi
	if [ $rc = 0 ] && ! moved_quiet TCPTimeouts=0; then
		# A script slowed down past the timeout (after the fast
		# retransmission): the segment went a third time.
		echo "#   the retransmission timer beat the ACK of all: again"
		rc=2
	elif [ $rc = 0 ]; then
		check "$name: one segment sent again, none after the ACK of all" \
			not has_line "$work/cap.$name" "$re" 3
		if [ "$name" = sackrtx ]; then
			# A slow script may let a tail loss probe send the
			# last segment again first: counted, and allowed.
			read_counters
			probes=$((cur[TCPLossProbes] - snapv[TCPLossProbes]))
			check "$name: at most one loss probe ($probes)" [ "$probes" -le 1 ]
			moved $name PassiveOpens=1 TCPSackRecovery=1 TCPRenoRecovery=0 \
				TCPFastRetrans=1 RetransSegs=$((1 + probes)) InErrs=0 \
				TCPSACKDiscard=0
		else
			moved $name PassiveOpens=1 TCPRenoRecovery=1 TCPFastRetrans=1 \
				RetransSegs=1 InErrs=0 TCPSACKDiscard=0 TCPFullUndo=$undo
		fi
	fi
	seg $cp $sp R --seq $seq
	if [ $rc = 0 ] && [ ${#info[@]} -gt 0 ]; then
		# The reset ends the server's reading: it tells its window, then closes.
		wait_for "$work/srv.$name" '^info ' 10
		line=$(lines_of "$work/srv.$name" '^info ')
		check "$name: $cc's threshold after the loss: $want (${line:-no info})" \
			info_is "$line" $cc $want
	fi
	srv_stop
	cap_stop
	return $rc
}

# has_sackok: the parsed segment offers SACK-permitted.
has_sackok() {
	[[ ,$p_opts, == *,sackok,* ]]
}

# ack_sack WHAT LINE ACK BLOCKS: LINE is an ACK of ACK whose SACK option holds
# BLOCKS (L-R:L-R..., first first), or none when BLOCKS is empty.
ack_sack() {
	local o

	parse "$2"
	p_sack=
	for o in ${p_opts//,/ }; do
		[[ $o == sack:* ]] && p_sack=${o#sack:}
	done
	check "$1 (ack ${p_ack:-none}, sack ${p_sack:-none})" ack_sack_is "$3" "$4"
}

ack_sack_is() {
	[ "$p_flags" = A ] && [ "$p_ack" = "$1" ] && [ "$p_sack" = "$2" ]
}

# sack: SACK (RFC 2018) is on when both SYNs permit it and net.xtcp.sack
# allows; XTCP's ACKs then report what it holds beyond a gap, the newest
# block first, one block once the ranges join, none once the gap fills; data
# received twice is reported once, first (D-SACK, RFC 2883): a repeat of held
# data whole, then its block; a repeat below RCV.NXT.
scenario_sack() {
	local sp=30051 cp=40322 a ack old

	echo "# === RFC 2018, 2883: SACK negotiated; SACK and D-SACK blocks in XTCP's ACKs"
	srv_start sack --port $sp --then wait-eof ||
		{ check "sack: the server listens" false; return; }
	cap_start sack $sp
	a=$(ask 5000 40323 $sp S --seq 1000 --mss 1460)
	parse "$a"
	check "2018: a SYN without SACK-permitted -> a SYN-ACK without (${p_opts:-none})" \
		test -n "$a" -a "${p_opts/sackok/}" = "$p_opts"
	[ -n "$a" ] && seg 40323 $sp R --seq 1001
	old=$(in_s cat /proc/sys/net/xtcp/sack)
	xsysctl sack 0
	a=$(ask 5000 40324 $sp S --seq 1000 --mss 1460 --sackok)
	parse "$a"
	check "2018: sack=0: SACK-permitted is not answered (${p_opts:-none})" \
		test -n "$a" -a "${p_opts/sackok/}" = "$p_opts"
	[ -n "$a" ] && seg 40324 $sp R --seq 1001
	xsysctl sack "$old"
	a=$(ask 5000 $cp $sp S --seq 1000 --mss 1460 --sackok)
	parse "$a"
	isn=$p_seq
	check "2018: SACK-permitted -> a SYN-ACK with SACK-permitted (${p_opts:-none})" has_sackok
	if [ -z "$isn" ]; then
		srv_stop
		cap_stop
		return
	fi
	ack=$(((isn + 1) & M))
	snap
	seg $cp $sp A --seq 1001 --ack $ack
	wait_for "$work/srv.sack" "^accepted $cli:$cp\$" 10
	a=$(ask 5000 $cp $sp AP --seq 1101 --ack $ack --len 100)
	ack_sack "2018: data beyond a gap -> ACK 1001, SACK 1101-1201" "$a" 1001 1101-1201
	a=$(ask 5000 $cp $sp AP --seq 1301 --ack $ack --len 100)
	ack_sack "2018: more beyond another gap -> its block first" "$a" 1001 \
		1301-1401:1101-1201
	a=$(ask 5000 $cp $sp AP --seq 1201 --ack $ack --len 100)
	ack_sack "2018: the data between -> one block" "$a" 1001 1101-1401
	a=$(ask 5000 $cp $sp AP --seq 1101 --ack $ack --len 100)
	ack_sack "2883: held data again -> a D-SACK for it, then its block" "$a" 1001 \
		1101-1201:1101-1401
	a=$(ask 5000 $cp $sp AP --seq 1001 --ack $ack --len 100)
	ack_sack "2018: the gap filled -> ACK 1401, no block" "$a" 1401 ""
	a=$(ask 5000 $cp $sp AP --seq 1001 --ack $ack --len 100)
	ack_sack "2883: old data again -> ACK 1401, a D-SACK for it" "$a" 1401 1001-1101
	moved sack PassiveOpens=1 TCPDSACKOfoSent=1 TCPDSACKOldSent=1 InErrs=0
	close_by_client sack sack $sp $cp 1401 $ack
	srv_wait_exit || srv_stop
	cap_stop
}

# gso: one write of many MSSes leaves XTCP as GSO packets (offload.c): IP sends
# a few packets (OutRequests; TSO autosizing makes them 2 segments at least)
# that XTCP counts as the segments they hold (OutSegs, as TCP counts), and the
# wire carries those segments, each
# of one MSS with its own sequence number and a right checksum, PSH on the last
# alone. S's veth does no TSO here: the kernel's GSO cuts the packet, as it
# would before a NIC without TSO.
scenario_gso() {
	echo "# === GSO: one write of 8 MSSes leaves as a few packets, cut into 8 segments"
	three_tries gso gso_try 30048 40319
}

# gso_try SPORT CPORT: one run of gso; 2 when the SYN-ACK had to go again (the
# initial window is then one segment: RFC 5681 3.1).
gso_try() {
	local sp=$1 cp=$2 sa isn1 text ip0 ip1 out0 out1 i re rc=0

	printf -v text '%08000d' 0
	srv_start gso --port $sp --send "$text" --then send-eof ||
		{ check "gso: the server listens" false; return; }
	cap_start gso $sp
	sa=$(ask 5000 $cp $sp S --seq 1000 --mss 1000)
	parse "$sa"
	isn=$p_seq
	check_seg "gso: SYN (MSS 1000) -> SYN-ACK" "$sa" SA "${isn:-none}" 1001
	if [ -z "$isn" ]; then
		srv_stop
		cap_stop
		return
	fi
	isn1=$(((isn + 1) & M))
	snmp "/proc/$hold_s/net/snmp" Ip OutRequests
	ip0=$snmp_v
	read_counters
	out0=${cur[OutSegs]}
	seg $cp $sp A --seq 1001 --ack $isn1
	re="src=$srv:$sp dst=$cli:$cp flags=A[P]* seq=$(((isn1 + 7000) & M)) .* len=1000 "
	if ! wait_for "$work/cap.gso" "$re" 10; then
		if has_line "$work/cap.gso" "src=$srv:$sp dst=$cli:$cp flags=SA " 2; then
			echo "#   the SYN-ACK timed out before the ACK came: again"
			rc=2
		else
			check "gso: the 8000 bytes reach the wire" false
		fi
	else
		snmp "/proc/$hold_s/net/snmp" Ip OutRequests
		ip1=$snmp_v
		read_counters
		out1=${cur[OutSegs]}
		# As TCP's TSO autosizing, a flow of small rate (10 segments per RTT)
		# sends packets of a few ms of data, 2 segments at least.
		check "gso: IP sent the 8 segments in 1 to 4 packets ($((ip1 - ip0)))" \
			test $((ip1 - ip0)) -ge 1 -a $((ip1 - ip0)) -le 4
		check "gso: XTCP counts its 8 segments (OutSegs +$((out1 - out0)))" \
			[ $((out1 - out0)) = 8 ]
		for i in 0 1 2 3 4 5 6; do
			check "gso: segment $((i + 1)): 1000 bytes from +$((i * 1000)), summed, no PSH" \
				has_line "$work/cap.gso" "src=$srv:$sp dst=$cli:$cp flags=A seq=$(((isn1 + i * 1000) & M)) ack=1001 .* len=1000 .* csum=ok( ecn=[a-z0-9]*)?\$"
		done
		check "gso: segment 8: 1000 bytes from +7000, summed, PSH (the end of the write)" \
			has_line "$work/cap.gso" "src=$srv:$sp dst=$cli:$cp flags=AP seq=$(((isn1 + 7000) & M)) ack=1001 .* len=1000 .* csum=ok( ecn=[a-z0-9]*)?\$"
		count_lines "$work/cap.gso" "src=$srv:$sp dst=$cli:$cp .* len=[1-9]"
		check "gso: nothing else carried data ($n_lines segments)" [ "$n_lines" = 8 ]
	fi
	seg $cp $sp R --seq 1001
	srv_stop
	cap_stop
	return $rc
}

# ratelimit: replies a peer provokes are bounded, as TCP's (RFC 5961 section 7,
# tcp_invalid_ratelimit): within invalid_ratelimit one challenge ACK or one ACK
# to an out-of-window segment per connection, and challenge_ack_limit a second
# for the namespace. Data out of the window is always answered.
scenario_ratelimit() {
	local sp=30044 cp=40315 a ack old_rl old_cl n secs ok

	echo "# === rate limits on challenge ACKs and ACKs to out-of-window segments"
	old_rl=$(in_s cat /proc/sys/net/xtcp/invalid_ratelimit)
	old_cl=$(in_s cat /proc/sys/net/xtcp/challenge_ack_limit)
	xsysctl invalid_ratelimit 60000
	srv_start rl --port $sp --then wait-eof ||
		{ check "ratelimit: the server listens" false; xsysctl invalid_ratelimit "$old_rl"; return; }
	cap_start rl $sp
	if ! accept_one rl rl $cp $sp; then
		check "ratelimit: the connection is accepted" false
		srv_stop
		cap_stop
		xsysctl invalid_ratelimit "$old_rl"
		return
	fi
	ack=$(((isn + 1) & M))
	snap
	a=$(ask 5000 $cp $sp S --seq 1100)
	check_seg "ratelimit: an in-window SYN gets a challenge ACK" "$a" A "$ack" 1001
	a=$(ask 1500 $cp $sp S --seq 1200)
	check_none "ratelimit: a second one within invalid_ratelimit gets none" "$a"
	a=$(ask 1500 $cp $sp A --seq 900 --ack "$ack")
	check_none "ratelimit: nor does an ACK below the window" "$a"
	a=$(ask 1500 $cp $sp A --seq 1001 --ack $(((isn + 1000) & M)))
	check_none "ratelimit: nor an ACK of data never sent" "$a"
	a=$(ask 5000 $cp $sp AP --seq 990 --ack "$ack" --data 0123456789a)
	check_seg "ratelimit: old data is still answered (ACK 1001)" "$a" A "$ack" 1001
	moved ratelimit ChallengeAcks=1 TCPACKSkippedChallenge=1 TCPACKSkippedSeq=2
	# The namespace's budget alone: 40 SYNs at once, 4 a second.
	xsysctl invalid_ratelimit 0
	xsysctl challenge_ack_limit 4
	snap
	: >"$work/cap.rl.burst"
	: >"$work/cap.rl.burst.err"
	./xtcp_pkt capture --if veth-c --port $sp --timeout 3000 --csum >>"$work/cap.rl.burst" \
		2>>"$work/cap.rl.burst.err" &
	n=$!
	wait_for "$work/cap.rl.burst.err" '^ready$' 30
	seg $cp $sp S --seq 1100 --repeat 40 --seq-step 1
	wait "$n"
	count_lines "$work/cap.rl.burst" "src=$srv:$sp dst=$cli:$cp flags=A "
	n=$n_lines
	# Each second of the budget allows 2 to 6; a burst within a second of
	# capture time may straddle two of the kernel's seconds, a slower one more.
	secs=$(awk -v pat="src=$srv:$sp dst=$cli:$cp flags=A " '
		index($0, pat) { t = substr($1, 3) + 0; if (!n++) f = t; l = t }
		END { print n ? int(l - f) + 2 : 1 }' "$work/cap.rl.burst")
	echo "#   40 SYNs: $n challenge ACKs, over at most $secs of the budget's seconds"
	ok=0
	[ "$n" -ge 2 ] && [ "$n" -le $((6 * secs)) ] && [ "$n" -lt 40 ] && ok=1
	check "ratelimit: challenge_ack_limit 4: 2 to $((6 * secs)) challenge ACKs for 40 SYNs (got $n)" \
		[ $ok = 1 ]
	moved_quiet ChallengeAcks="$n"
	check "ratelimit: the rest are counted (TCPACKSkippedChallenge)" \
		moved_quiet TCPACKSkippedChallenge=$((40 - n))
	check "ratelimit: the connection survives (ESTABLISHED)" has_state $sp $cp 01
	xsysctl invalid_ratelimit "$old_rl"
	xsysctl challenge_ack_limit "$old_cl"
	close_by_client ratelimit rl $sp $cp 1001 "$ack"
	srv_wait_exit || srv_stop
	cap_stop
}

run_start=$SECONDS

# Review item 11: segments that wait in a locked socket's backlog meet the socket
# closed when they run; a SYN among them that reuses the new TIME_WAIT entry goes
# to the listener from the backlog, in process context. The listener's path is
# softirq's (bottom halves off): lockdep on the debug kernel sees the rule, and
# xtcp_listen_rcv() asserts it. The app holds the socket lock by reading into a
# page userfaultfd keeps missing (xtcp_peer --then stall-read).
scenario_backlog() {
	local sp=30045 cp=40316 una n

	echo "# === a SYN for the listener from a closed socket's backlog"
	srv_start bl --port $sp --then stall-read --hold-listener ||
		{ check "backlog: the server listens" false; return; }
	cap_start bl $sp
	if ! accept_one backlog bl $cp $sp; then
		check "backlog: the connection is accepted" false
		srv_stop
		cap_stop
		return
	fi
	una=$(((isn + 2) & M))
	check "backlog: the app shuts down sending: its FIN" \
		wait_for "$work/cap.bl" "src=$srv:$sp dst=$cli:$cp flags=AF " 10
	seg $cp $sp A --seq 1001 --ack $una
	check "backlog: our ACK of it: FIN_WAIT2 (05)" poll 10 has_state $sp $cp 05
	seg $cp $sp AP --seq 1001 --ack $una --data x
	check "backlog: the app's copy of the byte stalls, the socket locked" \
		wait_for "$work/srv.bl" '^stalled$' 10
	snap
	count_lines "$work/cap.bl" "src=$srv:$sp dst=$cli:$cp "
	n=$n_lines
	# Our FIN, then a SYN above it (a new incarnation): both wait in the backlog.
	seg $cp $sp AF --seq 1002 --ack $una
	seg $cp $sp S --seq 50000
	nap 0.5
	count_lines "$work/cap.bl" "src=$srv:$sp dst=$cli:$cp "
	check "backlog: nothing is answered while the socket is locked" [ "$n_lines" = "$n" ]
	kill -USR1 "$srv_pid"
	check "backlog: the read resumes" wait_for "$work/srv.bl" '^resumed$' 10
	# release_sock(): the FIN ends FIN_WAIT2 (TIME_WAIT), then the SYN finds the
	# entry, which gives way to the listener.
	check "backlog: the listener answers the SYN from the backlog" \
		wait_for "$work/cap.bl" "src=$srv:$sp dst=$cli:$cp flags=SA .*ack=50001 " 10
	moved backlog TimeWaitEntered=1 TimeWaitRecycled=1 InErrs=0
	check "backlog: the app read the byte and the end of the stream" \
		wait_for "$work/srv.bl" '^eof$' 10
	# The new request goes: our RST.
	seg $cp $sp R --seq 50001
	srv_stop
	cap_stop
}

snap startv
snmp /proc/net/snmp Tcp OutSegs
c_tcp_out=$snmp_v
snmp /proc/net/snmp Icmp OutMsgs
c_icmp_out=$snmp_v
snmp /proc/net/snmp Ip InAddrErrors
c_addr_err=$snmp_v
snmp "/proc/$hold_s/net/snmp" Tcp OutSegs
s_tcp_out=$snmp_v

# XTCP_SCEN_ONLY="9q 8" runs those alone (while working on them).
for scen in ${XTCP_SCEN_ONLY:-1 6 7 2_4 5 9 9q 8 5961 7323 tw 16 3 11 12 15 17 17b 18 \
	syncnt utimeout linger2 abort route ofo ofows gbn fastrtx sackrtx sackholes tlp rack dsackundo frto ecn ecnneg frxundo frxcc frxcubic sack gso ratelimit backlog}; do
	"scenario_$scen"
done

echo "# === the end: nothing left behind ($((SECONDS - run_start)) s of scenarios)"
check "end: no XTCP socket (or TIME_WAIT entry) left in S" all_gone all
moved_since startv "end: over the whole run" CurrEstab=0 InErrs=0 InCsumErrors=0 \
	TimeWaitOverflow=0
read_counters
tw=$((cur[TimeWaitEntered] - cur[TimeWaitExpired] - cur[TimeWaitRecycled]))
check "end: every TIME_WAIT entry expired or was recycled (left: $tw)" [ "$tw" = 0 ]
# The fake client's namespace never answered S: its IP layer dropped every segment
# S sent to 10.0.2.3 (no forwarding), without ICMP or a TCP RST.
x_out=$((cur[OutSegs] - startv[OutSegs]))
snmp "/proc/$hold_s/net/snmp" Tcp OutSegs
k_out=$((snmp_v - s_tcp_out))
snmp /proc/net/snmp Ip InAddrErrors
d_err=$((snmp_v - c_addr_err))
echo "#   S sent $x_out XTCP and $k_out kernel TCP segments; C's IP dropped $d_err as not its own"
check "end: C's IP layer dropped every segment S sent (InAddrErrors)" \
	[ "$d_err" = $((x_out + k_out)) ]
# Every segment S sent that a capture saw: whole (no super-segment on the wire)
# and with a right checksum.
csum_ok=0 csum_not=0
for f in "$work"/cap.*; do
	[[ $f == *.err || ! -f $f ]] && continue
	# grep, not count_lines: the captures hold thousands of lines (ofows).
	n_lines=$(grep -cE "^t=[^ ]* src=$srv:.* csum=ok( ecn=[a-z0-9]*)?\$" "$f")
	csum_ok=$((csum_ok + n_lines))
	n_lines=$(grep -cE "^t=[^ ]* src=$srv:.* csum=(bad|partial|cut)( ecn=[a-z0-9]*)?\$" "$f")
	csum_not=$((csum_not + n_lines))
	[ "$n_lines" = 0 ] || grep -E "^t=[^ ]* src=$srv:.* csum=(bad|partial|cut)( ecn=[a-z0-9]*)?\$" "$f" |
		while IFS= read -r line; do echo "#   ${f##*/}: $line"; done
done
check "end: each of the $csum_ok captured segments of S was whole, its checksum right" \
	test "$csum_not" = 0 -a "$csum_ok" -gt 0
snmp /proc/net/snmp Tcp OutSegs
check "end: C's kernel TCP sent nothing" [ "$snmp_v" = "$c_tcp_out" ]
snmp /proc/net/snmp Icmp OutMsgs
check "end: C sent no ICMP" [ "$snmp_v" = "$c_icmp_out" ]
finish
