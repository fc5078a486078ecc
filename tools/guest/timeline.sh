# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Sourced, in a guest: record XTCP's tracepoints and print them as a timeline with
# the states of both ends (tools/xtcp-timeline).
#
#   timeline_start            empty the trace buffer, enable the xtcp:* events and
#                             sock:inet_sock_set_state, start tracing
#   timeline_stop [OPTIONS]   stop tracing, print the timeline (OPTIONS go to
#                             tools/xtcp-timeline: --label, --port, --capture),
#                             disable the events, empty the buffer
#
# Without tracefs or XTCP's events (a kernel without tracepoints) both do nothing
# and return 0. Only shell builtins run in timeline_start (guests are slow to start
# processes), except a mount of tracefs the first time if it is not mounted. Tracing
# is global: one timeline at a time. $XTCP_TIMELINE overrides the tool's path.

timeline_tool=${XTCP_TIMELINE:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/xtcp-timeline}
timeline_tr=
timeline_on=0
timeline_was_on=

# timeline_tracefs: sets timeline_tr to a tracefs with XTCP's events, or fails.
timeline_tracefs() {
	local d

	for d in /sys/kernel/tracing /sys/kernel/debug/tracing; do
		if [ -d "$d/events/xtcp" ]; then
			timeline_tr=$d
			return 0
		fi
	done
	[ -d /sys/kernel/tracing ] && [ ! -e /sys/kernel/tracing/trace ] || return 1
	mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null || return 1
	[ -d /sys/kernel/tracing/events/xtcp ] || return 1
	timeline_tr=/sys/kernel/tracing
}

# timeline_write VALUE FILE: write to a tracefs file; false if that failed.
timeline_write() {
	{ echo "$1" >"$2"; } 2>/dev/null
}

timeline_start() {
	local tr

	timeline_on=0
	[ -n "$timeline_tr" ] || timeline_tracefs || return 0
	tr=$timeline_tr
	read -r timeline_was_on <"$tr/tracing_on" 2>/dev/null || timeline_was_on=1
	timeline_write 0 "$tr/tracing_on"
	timeline_write "" "$tr/trace" || return 0
	timeline_write 1 "$tr/events/xtcp/enable" || return 0
	[ -d "$tr/events/sock/inet_sock_set_state" ] &&
		timeline_write 1 "$tr/events/sock/inet_sock_set_state/enable"
	timeline_write 1 "$tr/tracing_on"
	timeline_on=1
	return 0
}

timeline_stop() {
	local tr=$timeline_tr

	[ "$timeline_on" = 1 ] || return 0
	timeline_on=0
	timeline_write 0 "$tr/tracing_on"
	if [ -x "$timeline_tool" ]; then
		"$timeline_tool" "$@" <"$tr/trace"
	else
		echo "(no $timeline_tool)"
	fi
	timeline_write 0 "$tr/events/xtcp/enable"
	[ -d "$tr/events/sock/inet_sock_set_state" ] &&
		timeline_write 0 "$tr/events/sock/inet_sock_set_state/enable"
	timeline_write "" "$tr/trace"
	timeline_write "${timeline_was_on:-1}" "$tr/tracing_on"
	return 0
}
